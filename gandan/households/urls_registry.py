"""Screens: the household registry (names inside ``app_name = "households"``)."""

from django.urls import URLPattern, path

from gandan.households import views_registry

urlpatterns: list[URLPattern] = [
    path("registry/", views_registry.household_list, name="list"),
    path("registry/new/", views_registry.household_create, name="household_create"),
    path("registry/<int:pk>/", views_registry.household, name="household"),
    path("registry/<int:pk>/move/", views_registry.household_move, name="household_move"),
    path(
        "registry/<int:pk>/dissolve/", views_registry.household_dissolve, name="household_dissolve"
    ),
    path("registry/<int:pk>/members/new/", views_registry.member_add, name="member_add"),
]

"""Screens: importing households' yearly review results (names in the app ``households``)."""

from django.urls import URLPattern, path

from gandan.households import views_import

urlpatterns: list[URLPattern] = [
    path("import/", views_import.household_import, name="import"),
]

from django.urls import path

from gandan.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.unit_browser, name="browser"),
    path("search/", views.unit_search, name="search"),
    path("code/<str:code>/", views.unit_by_code, name="by_code"),
    path("<int:unit_id>/", views.unit_detail, name="detail"),
    path("<int:unit_id>/children/", views.unit_children, name="children"),
    path("<int:unit_id>/hamlets/new/", views.hamlet_create, name="hamlet_create"),
    path("hamlets/<int:hamlet_id>/edit/", views.hamlet_edit, name="hamlet_edit"),
]

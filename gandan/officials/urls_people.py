"""People of the registry and their personnel files (names inside ``app_name = "officials"``)."""

from django.urls import URLPattern, path

from gandan.officials import views_people

urlpatterns: list[URLPattern] = [
    path("people/", views_people.people, name="people"),
    path("<int:official_id>/", views_people.file, name="file"),
    path("<int:official_id>/pdf/", views_people.file_pdf, name="file_pdf"),
]

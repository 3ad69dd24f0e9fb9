"""Import and export of the officials registry (names in the app ``officials``)."""

from django.urls import URLPattern, path

from gandan.officials import views_import

urlpatterns: list[URLPattern] = [
    path("import/", views_import.official_import, name="import"),
    path("export/", views_import.official_export, name="export"),
]

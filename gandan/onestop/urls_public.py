"""Public pages of the one-stop desk, under /dossiers/ (namespace ``dossiers``)."""

from django.urls import path

from gandan.onestop import views_filing, views_public

urlpatterns = [
    path("file/", views_filing.file_dossier, name="file"),
    path("lookup/", views_public.lookup, name="lookup"),
    path("procedures/", views_public.procedures, name="procedures"),
    path("rate/<str:token>/", views_public.rate_link, name="rate"),
]

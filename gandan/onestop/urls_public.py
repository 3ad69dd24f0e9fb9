"""Public pages of the one-stop desk, under /dossiers/ (namespace ``dossiers``)."""

from django.urls import path

from gandan.onestop import views_public

urlpatterns = [
    path("lookup/", views_public.lookup, name="lookup"),
    path("rate/<str:token>/", views_public.rate_link, name="rate"),
]

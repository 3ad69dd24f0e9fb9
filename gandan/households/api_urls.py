"""/api/v1/ endpoints of households and the review (filled in by its own change)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

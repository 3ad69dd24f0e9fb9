"""Filled in by the module that owns these screens."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

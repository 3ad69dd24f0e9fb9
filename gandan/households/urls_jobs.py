"""Screens: background jobs of households (reclassifying a year, with its progress)."""

from django.urls import URLPattern, path

from gandan.households import views_jobs

urlpatterns: list[URLPattern] = [
    path("jobs/", views_jobs.job_list, name="jobs"),
    path("jobs/<int:pk>/", views_jobs.job_detail, name="job"),
]

"""Screens: the poverty report and its downloads (names inside ``app_name = "households"``)."""

from django.urls import URLPattern, path

from gandan.households import views_reports

urlpatterns: list[URLPattern] = [
    path("", views_reports.report, name="report"),
    path("export/", views_reports.report_export, name="report_export"),
]

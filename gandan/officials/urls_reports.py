"""The officials report screens (inside ``app_name = "officials"``)."""

from django.urls import URLPattern, path

from gandan.officials import views_reports

urlpatterns: list[URLPattern] = [
    path("", views_reports.statistics, name="statistics"),
    path("standards/", views_reports.standards, name="standards"),
    path("staffing/", views_reports.staffing, name="staffing"),
    path("leaders/", views_reports.leaders, name="leaders"),
    path("evaluations/", views_reports.evaluations, name="evaluations"),
]

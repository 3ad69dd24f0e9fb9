"""The one-stop dashboard (Decision 766 figures), under /onestop/."""

from django.urls import path

from gandan.onestop import views_dashboard

urlpatterns = [
    path("dashboard/", views_dashboard.dashboard_view, name="dashboard"),
    path("dashboard/export/", views_dashboard.dashboard_export, name="dashboard_export"),
]

"""Staff handling of citizen reports, under ``/feedback/staff/`` (names inside ``app_name = "feedback"``).

Every route starts with ``staff/`` so that none can be taken for a public report code.
"""

from django.urls import URLPattern, path

from gandan.feedback import views_staff

urlpatterns: list[URLPattern] = [
    path("staff/", views_staff.staff_queue, name="staff_queue"),
    path("staff/new/", views_staff.staff_new, name="staff_new"),
    path("staff/<str:code>/", views_staff.staff_report, name="staff_report"),
]

"""Public pages of citizen reports (no login): list, report, form, reporter's page, photos, statistics.

A report's own page sits right under ``/feedback/``, beside fixed words (``new/``, ``stats/``,
and the staff's ``staff/``): its code is matched by shape (``PA-7KQ3XH9``: capitals, a hyphen,
capitals and digits), so no fixed word is ever taken for a code, whatever the order of the
URL lists.
"""

from django.urls import URLPattern, path, register_converter

from gandan.feedback import views_public as views


class ReportCodeConverter:
    regex = "[A-Z]{2,4}-[A-Z0-9]{4,16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReportCodeConverter, "report_code")

urlpatterns: list[URLPattern] = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="submit"),
    path("nearby/", views.report_nearby, name="nearby"),
    path("stats/", views.statistics, name="stats"),
    path("photos/<int:photo_id>/", views.report_photo, name="photo"),
    path("submitted/<str:code>/", views.report_submitted, name="submitted"),
    path("r/<str:code>/", views.reporter_page, name="reporter"),
    path("r/<str:code>/rate/", views.reporter_rate, name="rate"),
    path("r/<str:code>/reopen/", views.reporter_reopen, name="reopen"),
    path("<report_code:code>/", views.report_detail, name="detail"),
    path("<report_code:code>/follow/", views.report_follow, name="follow"),
]

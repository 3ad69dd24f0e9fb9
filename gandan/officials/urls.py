"""Screens of the officials registry: statistics and reports, people and personnel files, import/export."""

from gandan.officials import urls_import, urls_people, urls_reports

app_name = "officials"
urlpatterns = urls_reports.urlpatterns + urls_people.urlpatterns + urls_import.urlpatterns

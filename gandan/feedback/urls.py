"""Screens for citizen reports: public pages (list, map, submit, follow, rate) and staff handling."""

from gandan.feedback import urls_public, urls_staff

app_name = "feedback"
urlpatterns = urls_public.urlpatterns + urls_staff.urlpatterns

"""Screens of households and the poverty review: reports, the registry, the review, imports, jobs."""

from gandan.households import urls_import, urls_jobs, urls_registry, urls_reports, urls_review

app_name = "households"
urlpatterns = (
    urls_reports.urlpatterns
    + urls_registry.urlpatterns
    + urls_review.urlpatterns
    + urls_import.urlpatterns
    + urls_jobs.urlpatterns
)

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from gandan.core.schema import SchemaView
from gandan.core.views import healthz
from gandan.reports.api import ReportView

api_v1: list[URLPattern | URLResolver] = [
    path("", include("gandan.geo.api_urls")),
    path("", include("gandan.officials.api_urls")),
    path("", include("gandan.feedback.api_meetings_urls")),
    path("", include("gandan.feedback.api_urls")),
    path("", include("gandan.households.api_urls")),
    path("", include("gandan.onestop.api_urls")),
    path("reports/<str:name>/", ReportView.as_view(), name="report"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own, so that the
    # page needs no inline script under the site's Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", include("gandan.portal.urls")),
    path("accounts/", include("gandan.accounts.urls")),
    path("units/", include("gandan.geo.urls")),
    path("officials/", include("gandan.officials.urls")),
    path("feedback/", include("gandan.feedback.urls")),
    path("open311/v2/", include("gandan.feedback.open311_urls")),
    path("meetings/", include("gandan.feedback.urls_meetings")),
    path("households/", include("gandan.households.urls")),
    path("onestop/", include("gandan.onestop.urls")),
    path("dossiers/", include(("gandan.onestop.urls_public", "dossiers"))),
    path("api/v1/", include((api_v1, "api"))),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# The 403 page says what was refused, the person's roles and whom to ask.
handler403 = "gandan.portal.views.permission_denied"

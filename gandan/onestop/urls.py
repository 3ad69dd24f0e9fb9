"""Staff screens of the one-stop desk, under /onestop/."""

from django.urls import include, path

app_name = "onestop"
urlpatterns = [
    path("", include("gandan.onestop.urls_desk")),
    path("", include("gandan.onestop.urls_forms")),
    path("", include("gandan.onestop.urls_dashboard")),
]

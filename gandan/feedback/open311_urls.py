"""Open311 GeoReport v2 under /open311/v2/: each endpoint with its .json or .xml suffix."""

from django.urls import URLPattern, path

from gandan.feedback import open311

app_name = "open311"
urlpatterns: list[URLPattern] = [
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.services, name="services"),
    path(
        "services/<slug:service_code>.<str:fmt>",
        open311.service_definition,
        name="service_definition",
    ),
    path("requests.<str:fmt>", open311.service_requests, name="requests"),
    path(
        "requests/<slug:service_request_id>.<str:fmt>",
        open311.service_request,
        name="request",
    ),
]

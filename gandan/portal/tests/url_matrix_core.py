"""Rows of the project's own URLs (portal, accounts, units, the API root, operations)."""

from __future__ import annotations

from typing import Any

from gandan.core.testing.personas import Personas
from gandan.core.testing.url_matrix import (
    API_SIGNED_IN,
    LOGIN,
    STAFF_ONLY,
    Row,
    everyone,
    expect,
    with_format_suffix,
)
from gandan.geo.models import HamletKind


def hamlet_data(personas: Personas) -> dict[str, Any]:
    return {"name": "Tổ dân phố 99", "kind": HamletKind.TO_DAN_PHO}


URLS: dict[str, Row] = {
    # Portal
    "": Row(lambda p: "/", everyone(200)),
    "staff/": Row(lambda p: "/staff/", STAFF_ONLY),
    # Accounts
    "accounts/login/": Row(lambda p: "/accounts/login/", everyone(200)),
    "accounts/logout/": Row(
        lambda p: "/accounts/logout/",
        everyone(405),  # Django 5 signs out by POST only
        post_data=lambda p: {},
        post=everyone(302),
    ),
    "accounts/": Row(lambda p: "/accounts/", STAFF_ONLY),
    "accounts/tokens/<str:token_key>/revoke/": Row(
        lambda p: "/accounts/tokens/gd_0000000000000/revoke/",
        expect(405, 405, 405, 405, LOGIN),  # POST only
        post_data=lambda p: {},
        post=expect(302, 302, 302, 302, LOGIN),  # one's own tokens only: none here
    ),
    "accounts/password/": Row(lambda p: "/accounts/password/", STAFF_ONLY),
    "accounts/password/reset/": Row(lambda p: "/accounts/password/reset/", everyone(200)),
    "accounts/password/reset/sent/": Row(lambda p: "/accounts/password/reset/sent/", everyone(200)),
    "accounts/password/reset/<uidb64>/<token>/": Row(
        lambda p: "/accounts/password/reset/MQ/cz2x7k-0123456789abcdef/", everyone(200)
    ),
    "accounts/password/reset/done/": Row(lambda p: "/accounts/password/reset/done/", everyone(200)),
    # Unit registry (public)
    "units/": Row(lambda p: "/units/", everyone(200)),
    "units/search/": Row(lambda p: "/units/search/?q=hue", everyone(200)),
    "units/code/<str:code>/": Row(lambda p: "/units/code/46/", everyone(302)),
    "units/<int:unit_id>/": Row(lambda p: f"/units/{p.commune_a.pk}/", everyone(200)),
    "units/<int:unit_id>/children/": Row(
        lambda p: f"/units/{p.province.pk}/children/", everyone(200)
    ),
    # Hamlets (staff, scoped, writing)
    "units/<int:unit_id>/hamlets/new/": Row(
        lambda p: f"/units/{p.commune_a.pk}/hamlets/new/",
        expect(405, 405, 405, 405, LOGIN),  # POST only
        post_data=hamlet_data,
        post=expect(302, 404, 404, 404, LOGIN),
    ),
    "units/hamlets/<int:hamlet_id>/edit/": Row(
        lambda p: f"/units/hamlets/{p.hamlet_a.pk}/edit/",
        expect(200, 404, 404, 404, LOGIN),
        post_data=hamlet_data,
        post=expect(302, 404, 404, 404, LOGIN),
    ),
    # API
    "api/v1/": Row(lambda p: "/api/v1/", API_SIGNED_IN),
    "api/v1/<drf_format_suffix:format>": Row(lambda p: "/api/v1/.json", API_SIGNED_IN),
    **with_format_suffix(
        "api/v1/^units/$",
        Row(lambda p: "/api/v1/units/", everyone(200)),
        json_url=lambda p: "/api/v1/units.json?parent=46",
    ),
    **with_format_suffix(
        "api/v1/^units/(?P<pk>[^/.]+)/$",
        Row(lambda p: f"/api/v1/units/{p.commune_a.pk}/", everyone(200)),
    ),
    "api/v1/reports/<str:name>/": Row(lambda p: "/api/v1/reports/units/?unit=46", everyone(200)),
    "api/v1/schema/": Row(lambda p: "/api/v1/schema/", everyone(200)),
    "api/v1/docs/": Row(lambda p: "/api/v1/docs/", everyone(200)),
    # Operations
    "healthz": Row(lambda p: "/healthz", everyone(200)),
}

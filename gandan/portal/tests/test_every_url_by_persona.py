"""Every URL of the project, requested by every persona, answers what it should.

``URLS`` below maps each URL pattern of the project to a concrete address and the status
each persona expects. A test walks the URL configuration and fails if a pattern is missing
from the table: whoever adds a URL adds its row here, and so decides who may see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from gandan.core.testing.personas import PERSONA_NAMES, Personas
from gandan.core.testing.url_matrix import (
    API_SIGNED_IN,
    LOGIN,
    SKIPPED_PREFIXES,
    STAFF_ONLY,
    Row,
    everyone,
    expect,
    with_format_suffix,
)
from gandan.geo.models import Hamlet, HamletKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas have passwords; argon2 would cost most of the time of these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _hamlet_data(personas: Personas) -> dict[str, Any]:
    return {"name": "Tổ dân phố 99", "kind": HamletKind.TO_DAN_PHO}


CORE_URLS: dict[str, Row] = {
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
        post_data=_hamlet_data,
        post=expect(302, 404, 404, 404, LOGIN),
    ),
    "units/hamlets/<int:hamlet_id>/edit/": Row(
        lambda p: f"/units/hamlets/{p.hamlet_a.pk}/edit/",
        expect(200, 404, 404, 404, LOGIN),
        post_data=_hamlet_data,
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


def _app_rows() -> dict[str, Row]:
    """Rows declared by the apps in ``gandan/<app>/tests/url_matrix*.py``."""
    rows: dict[str, Row] = {}
    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("*/tests/url_matrix*.py")):
        module = import_module(f"gandan.{path.parent.parent.name}.tests.{path.stem}")
        duplicated = set(rows) & set(module.URLS)
        assert not duplicated, f"{path} repeats rows: {duplicated}"
        rows.update(module.URLS)
    return rows


URLS: dict[str, Row] = {**CORE_URLS, **_app_rows()}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def project_routes() -> list[str]:
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def _check(response: Any, expected: Any, url: str, persona: str) -> None:
    where = f"{persona} → {url}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith("/accounts/login/?next="), where
    else:
        assert response.status_code == expected, where


# --- The table covers every URL ---------------------------------------------------------


def test_every_url_pattern_of_the_project_has_a_row_in_the_table():
    missing = [route for route in project_routes() if route not in URLS]
    assert not missing, (
        "These URL patterns have no row in URLS of "
        "gandan/portal/tests/test_every_url_by_persona.py. Add one for each, with a concrete "
        "URL and the status every persona (official_a, viewer_a, official_b, leader, "
        f"anonymous) should get: {missing}"
    )


def test_every_row_of_the_table_is_still_a_url_of_the_project():
    stale = sorted(set(URLS) - set(project_routes()))
    assert not stale, f"These rows of URLS match no URL pattern any more; remove them: {stale}"


def test_every_row_names_every_persona():
    for route, row in URLS.items():
        assert set(row.get) == set(PERSONA_NAMES), route
        if row.post_data is not None:
            assert set(row.post) == set(PERSONA_NAMES), route


# --- Each persona on each URL -----------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("route", list(URLS))
def test_each_persona_gets_the_expected_answer_from_each_url(personas, route, persona):
    row = URLS[route]
    url = row.url(personas)
    response = personas.client(persona).get(url)
    _check(response, row.get[persona], url, persona)


POST_ROUTES = [route for route, row in URLS.items() if row.post_data is not None]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("route", POST_ROUTES)
def test_each_persona_gets_the_expected_answer_when_posting(personas, route, persona):
    row = URLS[route]
    url = row.url(personas)
    assert row.post_data is not None
    response = personas.client(persona).post(url, row.post_data(personas))
    _check(response, row.post[persona], url, persona)


# --- What the writes did ----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_commune_a_official_adds_a_hamlet_to_commune_a(personas, persona):
    before = Hamlet.objects.count()
    response = personas.client(persona).post(
        f"/units/{personas.commune_a.pk}/hamlets/new/", _hamlet_data(personas)
    )
    created = Hamlet.objects.filter(commune=personas.commune_a, name="Tổ dân phố 99")
    if persona == "official_a":
        assert response.status_code == 302
        assert response["Location"] == f"/units/{personas.commune_a.pk}/"
        assert Hamlet.objects.count() == before + 1
        assert created.get().created_by == personas.official_a
    else:
        assert Hamlet.objects.count() == before
        assert not created.exists()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_commune_a_official_renames_a_hamlet_of_commune_a(personas, persona):
    response = personas.client(persona).post(
        f"/units/hamlets/{personas.hamlet_a.pk}/edit/",
        {"name": "Tổ dân phố Mới", "kind": HamletKind.TO_DAN_PHO},
    )
    personas.hamlet_a.refresh_from_db()
    if persona == "official_a":
        assert response["Location"] == f"/units/{personas.commune_a.pk}/"
        assert personas.hamlet_a.name == "Tổ dân phố Mới"
    else:
        assert personas.hamlet_a.name == "Tổ dân phố 1"


def test_commune_b_official_cannot_add_a_hamlet_to_commune_a_through_any_commune_of_a(
    personas,
):
    # Nor through the legacy wards merged into Thuận Hóa.
    client = personas.client("official_b")
    before = Hamlet.objects.count()
    for link in personas.commune_a.predecessor_links.all():
        response = client.post(f"/units/{link.predecessor_id}/hamlets/new/", _hamlet_data(personas))
        assert response.status_code == 404
    assert Hamlet.objects.count() == before


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_commune_a_official_sees_the_add_hamlet_form_on_commune_a(personas, persona):
    page = personas.client(persona).get(f"/units/{personas.commune_a.pk}/").content.decode()
    shown = "Thêm thôn, tổ dân phố" in page
    edit_link = f"/units/hamlets/{personas.hamlet_a.pk}/edit/" in page
    assert shown == (persona == "official_a")
    assert edit_link == (persona == "official_a")
    assert "Tổ dân phố 1" in page  # the hamlet itself is public


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_nobody_sees_the_add_hamlet_form_on_a_province(personas, persona):
    page = personas.client(persona).get(f"/units/{personas.province.pk}/").content.decode()
    assert "Thêm thôn, tổ dân phố" not in page

"""Every URL of the project, requested by every persona, answers what it should.

``URLS`` maps each URL pattern of the project to a concrete address and the status each
persona expects: the rows every app declares in ``gandan/<app>/tests/url_matrix*.py`` (the
project's own in ``portal/tests/url_matrix_core.py``). A test walks the URL configuration and
fails if a pattern is missing from the table: whoever adds a URL adds its row, and so decides
who may see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from gandan.core.testing.personas import PERSONA_NAMES
from gandan.core.testing.url_matrix import LOGIN, SKIPPED_PREFIXES, Row, all_rows
from gandan.geo.models import Hamlet, HamletKind
from gandan.portal.tests.url_matrix_core import hamlet_data

pytestmark = pytest.mark.django_db


URLS: dict[str, Row] = all_rows()


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
        "These URL patterns have no row in the matrix (URLS of the app's "
        "tests/url_matrix*.py). Add one for each, with a concrete "
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
        f"/units/{personas.commune_a.pk}/hamlets/new/", hamlet_data(personas)
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
        response = client.post(f"/units/{link.predecessor_id}/hamlets/new/", hamlet_data(personas))
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

"""An installation serving another province (GANDAN_PROVINCE=48, Thành phố Đà Nẵng) from a
database that holds nothing but the country's units: every page answers, and the pages that
open on the whole province open on Đà Nẵng, never on Huế."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.geo.models import Level, Unit
from gandan.geo.selectors import unit_by_code

pytestmark = pytest.mark.django_db

# Pages that open on the whole province when nothing is asked.
PROVINCE_PAGES = [
    "/officials/",
    "/households/",
    "/onestop/dashboard/",
    "/feedback/new/",
    "/feedback/stats/",
]


def _plain_routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    """Every route of the project that takes no parameter."""
    for entry in patterns:
        route = str(entry.pattern)
        if "<" in route or route.startswith(("^", "admin/")):
            continue
        if isinstance(entry, URLResolver):
            yield from _plain_routes(entry.url_patterns, prefix + route)
        else:
            yield "/" + prefix + route


@pytest.fixture
def da_nang(settings) -> dict[str, Client]:
    settings.GANDAN_PROVINCE = "48"
    today = timezone.localdate()
    province = unit_by_code("48", as_of=today)
    commune = (
        Unit.objects.valid_on(today)
        .filter(province_code="48", level=Level.COMMUNE)
        .order_by("code")
        .first()
    )
    assert commune is not None
    clients = {}
    for username, role, unit in (
        ("lanhdao.danang", Role.PROVINCE_LEADER, province),
        ("chuyenvien.danang", Role.PROVINCE_SPECIALIST, province),
        ("congchuc.danang", Role.COMMUNE_OFFICER, commune),
    ):
        membership = membership_grant(username=username, role=role, unit=unit)
        client = Client()
        client.force_login(membership.user)
        clients[username] = client
    clients["anonymous"] = Client()
    return clients


def test_every_page_of_another_province_answers(da_nang):
    routes = sorted(set(_plain_routes(get_resolver().url_patterns)))
    assert len(routes) > 30
    for name, client in da_nang.items():
        for route in routes:
            response = client.get(route)
            assert response.status_code < 500, (name, route, response.status_code)


@pytest.mark.parametrize("page", PROVINCE_PAGES)
def test_pages_on_the_whole_province_open_on_the_served_province(da_nang, page):
    content = da_nang["lanhdao.danang"].get(page, follow=True).content.decode()
    assert "Đà Nẵng" in content, page
    assert "Huế" not in content, page

"""Rows of the persona × URL matrix for ``/api/v1/households/`` and ``/api/v1/poverty/``.

The rows need a household in commune A and a review of A: :func:`household_of_a` and
:func:`review_of_a` make them through the real services the first time a row asks and keep
them on the (per-test) personas object; the API tests use them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import API_SIGNED_IN, Row, everyone, expect
from gandan.households import services
from gandan.households.models import Household, Review
from gandan.households.tests.factories import POOR, household

YEAR = 2026  # a review year of the current communes, under Nghị định 351/2025
OPENED_ON = dt.date(YEAR, 9, 1)


@kept_on_personas
def household_of_a(personas: Personas) -> Household:
    """A household registered in village ``hamlet_a`` of commune A."""
    return household(personas.commune_a, hamlet=personas.hamlet_a, code="HA0001")


@kept_on_personas
def review_of_a(personas: Personas) -> Review:
    """Commune A's review of 2026, listing :func:`household_of_a` (on request), surveyed."""
    listed = household_of_a(personas)
    found = services.review_open(
        unit=personas.commune_a, year=YEAR, on=OPENED_ON, requests=[listed]
    )
    services.review_survey(review=found, household=listed, survey=POOR)
    found.refresh_from_db()
    return found


def survey_data(personas: Personas) -> dict[str, Any]:
    return {
        "household": household_of_a(personas).code,
        "income_per_capita": 1_800_000,
        "deprived": ["water", "latrine", "telecom"],
        "members": 4,
        "b1_score": 110,
    }


def meeting_data(personas: Personas) -> dict[str, Any]:
    return {
        "hamlet": personas.hamlet_a.pk,
        "held_on": "2026-10-05",
        "chaired_by": "Trần Văn Hùng",
        "supervised_by": "Lê Thị Mai",
        "present": 40,
        "agree": 31,
        "minutes": "Thống nhất kết quả khảo sát.",
    }


def request_data(personas: Personas) -> dict[str, Any]:
    return {
        "household": household_of_a(personas).code,
        "asks": "leave",
        "reason": "Con trai đã có việc làm ổn định, thu nhập của hộ tăng.",
    }


def _household(personas: Personas, suffix: str = "/") -> str:
    return f"/api/v1/households/{household_of_a(personas).pk}{suffix}"


def _review(personas: Personas, suffix: str = "/") -> str:
    return f"/api/v1/poverty/reviews/{review_of_a(personas).pk}{suffix}"


SCOPED_API = expect(200, 200, 404, 200, 403)  # anonymous: DRF's 403 (session auth first)
POST_ONLY = expect(405, 405, 405, 405, 403)  # anonymous is refused before the method is
WRITERS_OF_A = expect(201, 404, 404, 404, 403)  # a role that writes for commune A
# Any role that writes somewhere may post; a household outside the caller's scope is bad input.
RECEIVERS = expect(201, 404, 400, 404, 403)

URLS: dict[str, Row] = {
    # Households (scoped)
    "api/v1/^households/$": Row(lambda p: "/api/v1/households/", API_SIGNED_IN),
    r"api/v1/^households\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: "/api/v1/households.json?unit=19789", SCOPED_API
    ),
    r"api/v1/^households/(?P<pk>\d+)/$": Row(_household, SCOPED_API),
    r"api/v1/^households/(?P<pk>\d+)\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: _household(p, ".json"), SCOPED_API
    ),
    # Poverty standards (public)
    "api/v1/^poverty/standards/$": Row(lambda p: "/api/v1/poverty/standards/", everyone(200)),
    r"api/v1/^poverty/standards\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: "/api/v1/poverty/standards.json", everyone(200)
    ),
    "api/v1/^poverty/standards/(?P<code>[a-z0-9-]+)/$": Row(
        lambda p: "/api/v1/poverty/standards/nd-07-2021/", everyone(200)
    ),
    r"api/v1/^poverty/standards/(?P<code>[a-z0-9-]+)\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: "/api/v1/poverty/standards/nd-351-2025.json", everyone(200)
    ),
    # Reviews (scoped) and the steps written through them
    "api/v1/^poverty/reviews/$": Row(lambda p: "/api/v1/poverty/reviews/", API_SIGNED_IN),
    r"api/v1/^poverty/reviews\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: "/api/v1/poverty/reviews.json?unit=19789&year=2026", SCOPED_API
    ),
    r"api/v1/^poverty/reviews/(?P<pk>\d+)/$": Row(_review, SCOPED_API),
    r"api/v1/^poverty/reviews/(?P<pk>\d+)\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: _review(p, ".json"), SCOPED_API
    ),
    r"api/v1/^poverty/reviews/(?P<pk>\d+)/surveys/$": Row(
        lambda p: _review(p, "/surveys/"),
        POST_ONLY,
        post_data=survey_data,
        post=WRITERS_OF_A,
    ),
    r"api/v1/^poverty/reviews/(?P<pk>\d+)/surveys\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: _review(p, "/surveys.json"),
        POST_ONLY,
        post_data=survey_data,
        post=WRITERS_OF_A,
    ),
    r"api/v1/^poverty/reviews/(?P<pk>\d+)/meetings/$": Row(
        lambda p: _review(p, "/meetings/"),
        POST_ONLY,
        post_data=meeting_data,
        post=WRITERS_OF_A,
    ),
    r"api/v1/^poverty/reviews/(?P<pk>\d+)/meetings\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: _review(p, "/meetings.json"),
        POST_ONLY,
        post_data=meeting_data,
        post=WRITERS_OF_A,
    ),
    # Requests for a regular review (scoped list; receiving: roles that write)
    "api/v1/^poverty/requests/$": Row(
        lambda p: "/api/v1/poverty/requests/",
        API_SIGNED_IN,
        post_data=request_data,
        post=RECEIVERS,
    ),
    r"api/v1/^poverty/requests\.(?P<format>[a-z0-9]+)/?$": Row(
        lambda p: "/api/v1/poverty/requests.json?status=pending",
        API_SIGNED_IN,
        post_data=request_data,
        post=RECEIVERS,
    ),
}

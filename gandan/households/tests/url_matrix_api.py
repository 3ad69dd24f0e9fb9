"""Rows of the persona × URL matrix for ``/api/v1/households/`` and ``/api/v1/poverty/``.

The rows need a household in commune A and a review of A: :func:`household_of_a` and
:func:`review_of_a` make them through the real services the first time a row asks and keep
them on the (per-test) personas object; the API tests use them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import (
    API_ANONYMOUS,
    API_SIGNED_IN,
    RECORD_OF_A_API,
    SCOPED_API,
    Row,
    everyone,
    expect,
    format_suffixed,
    with_format_suffix,
)
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
def existing_review_of_a(personas: Personas) -> Review | None:
    """Commune A's review of 2026 if one is open already: the demo's, at full size, when the
    page benchmark runs the matrix on the demo."""
    return Review.objects.filter(unit=personas.commune_a, year=YEAR).first()


def review_of_a(personas: Personas) -> Review:
    """Commune A's review of 2026, listing :func:`household_of_a` (on request), surveyed."""
    existing = existing_review_of_a(personas)
    if existing is not None:
        return existing
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


POST_ONLY = expect(405, 405, 405, 405, API_ANONYMOUS)  # anonymous is refused before the method is
WRITERS_OF_A = expect(201, 404, 404, 404, API_ANONYMOUS)  # a role that writes for commune A
# Any role that writes somewhere may post; a household outside the caller's scope is bad input.
RECEIVERS = expect(201, 404, 400, 404, API_ANONYMOUS)


def _step(name: str, data: Callable[[Personas], dict[str, Any]]) -> dict[str, Row]:
    """A step of commune A's review written through the API: POST only, by its writers."""
    return with_format_suffix(
        rf"api/v1/^poverty/reviews/(?P<pk>\d+)/{name}/$",
        Row(lambda p: _review(p, f"/{name}/"), POST_ONLY, post_data=data, post=WRITERS_OF_A),
    )


URLS: dict[str, Row] = {
    # Households (scoped)
    "api/v1/^households/$": Row(lambda p: "/api/v1/households/", API_SIGNED_IN),
    format_suffixed("api/v1/^households/$"): Row(
        lambda p: "/api/v1/households.json?unit=19789", SCOPED_API
    ),
    **with_format_suffix(r"api/v1/^households/(?P<pk>\d+)/$", Row(_household, RECORD_OF_A_API)),
    # Poverty standards (public)
    **with_format_suffix(
        "api/v1/^poverty/standards/$", Row(lambda p: "/api/v1/poverty/standards/", everyone(200))
    ),
    **with_format_suffix(
        "api/v1/^poverty/standards/(?P<code>[a-z0-9-]+)/$",
        Row(lambda p: "/api/v1/poverty/standards/nd-07-2021/", everyone(200)),
        json_url=lambda p: "/api/v1/poverty/standards/nd-351-2025.json",
    ),
    # Reviews (scoped) and the steps written through them
    "api/v1/^poverty/reviews/$": Row(lambda p: "/api/v1/poverty/reviews/", API_SIGNED_IN),
    format_suffixed("api/v1/^poverty/reviews/$"): Row(
        lambda p: "/api/v1/poverty/reviews.json?unit=19789&year=2026", SCOPED_API
    ),
    **with_format_suffix(r"api/v1/^poverty/reviews/(?P<pk>\d+)/$", Row(_review, SCOPED_API)),
    **_step("surveys", survey_data),
    **_step("meetings", meeting_data),
    # Requests for a regular review (scoped list; receiving: roles that write)
    **with_format_suffix(
        "api/v1/^poverty/requests/$",
        Row(
            lambda p: "/api/v1/poverty/requests/",
            API_SIGNED_IN,
            post_data=request_data,
            post=RECEIVERS,
        ),
        json_url=lambda p: "/api/v1/poverty/requests.json?status=pending",
    ),
}

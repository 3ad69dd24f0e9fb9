"""Rows of the persona × URL matrix for the review screens (periodic review, Mẫu 04 requests).

:func:`screen_review_of_a` opens commune A's review of 2026 (dates passed explicitly, so the
rows do not depend on today) listing :func:`registry_household_of_a` on request;
:func:`request_of_a` is a pending request of that household. The screen tests use them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import LOGIN, RECORD_OF_A, SCOPED_PAGE, STAFF_ONLY, Row, expect
from gandan.households import services
from gandan.households.models import Household, Review, ReviewRequest
from gandan.households.tests.factories import household
from gandan.households.tests.url_matrix_api import existing_review_of_a
from gandan.households.tests.url_matrix_registry import (
    ANY_WRITER,
    SCOPED_WRITE_POST,
    registry_household_of_a,
)

YEAR = 2026
OPENED_ON = dt.date(YEAR, 9, 1)


@kept_on_personas
def screen_review_of_a(personas: Personas) -> Review:
    existing = existing_review_of_a(personas)
    if existing is not None:
        return existing
    return services.review_open(
        unit=personas.commune_a,
        year=YEAR,
        on=OPENED_ON,
        requests=[registry_household_of_a(personas)],
    )


@kept_on_personas
def other_household_of_a(personas: Personas) -> Household:
    return household(personas.commune_a, hamlet=personas.hamlet_a, code="RA-0002")


@kept_on_personas
def request_of_a(personas: Personas) -> ReviewRequest:
    return services.request_receive(
        household=registry_household_of_a(personas),
        received_on=dt.date(YEAR, 3, 2),
        asks="enter",
        reason="Chồng mất sức lao động sau tai nạn, thu nhập giảm mạnh.",
    )


def _review_url(personas: Personas) -> str:
    return f"/households/reviews/{screen_review_of_a(personas).pk}/"


def _survey_url(personas: Personas) -> str:
    review = screen_review_of_a(personas)
    entry = review.entries.order_by("pk").first()
    listed = entry.household_id if existing_review_of_a(personas) and entry else None
    return f"/households/reviews/{review.pk}/households/{listed or registry_household_of_a(personas).pk}/"


def request_add_data(personas: Personas) -> dict[str, Any]:
    return {"action": "request_add", "code": other_household_of_a(personas).code}


def survey_data(personas: Personas) -> dict[str, Any]:
    return {
        "income_per_capita": "1500000",
        "members": "4",
        "deprived_water": "on",
        "deprived_latrine": "on",
        "deprived_telecom": "on",
    }


def receive_data(personas: Personas) -> dict[str, Any]:
    return {
        "code": registry_household_of_a(personas).code,
        "received_on": "2026-03-02",
        "asks": "enter",
        "reason": "Mất việc làm, thu nhập giảm.",
    }


def refuse_data(personas: Personas) -> dict[str, Any]:
    return {
        "outcome": "refuse",
        "decided_on": "2026-03-10",
        "answer": "Thu nhập bình quân của hộ vẫn trên chuẩn cận nghèo.",
    }


URLS: dict[str, Row] = {
    "households/reviews/": Row(lambda p: "/households/reviews/", STAFF_ONLY),
    # POST only; opening uses today's year, so its POSTs are tested with a frozen clock.
    "households/reviews/open/": Row(
        lambda p: "/households/reviews/open/", expect(405, 405, 405, 405, LOGIN)
    ),
    "households/reviews/<int:pk>/": Row(
        _review_url, SCOPED_PAGE, post_data=request_add_data, post=SCOPED_WRITE_POST
    ),
    "households/reviews/<int:pk>/households/<int:household_pk>/": Row(
        _survey_url, RECORD_OF_A, post_data=survey_data, post=SCOPED_WRITE_POST
    ),
    "households/requests/": Row(lambda p: "/households/requests/", STAFF_ONLY),
    "households/requests/new/": Row(
        lambda p: "/households/requests/new/",
        ANY_WRITER,
        post_data=receive_data,
        post=expect(302, 403, 400, 403, LOGIN),
    ),
    "households/requests/<int:pk>/": Row(
        lambda p: f"/households/requests/{request_of_a(p).pk}/",
        SCOPED_PAGE,
        post_data=refuse_data,
        post=SCOPED_WRITE_POST,
    ),
}

"""Households and their yearly results, made through the services (as real use makes them)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gandan.geo.models import Hamlet, Unit
from gandan.households import services
from gandan.households.models import Assessment, Household, Review, VillageMeeting

_codes = itertools.count(1)

# Surveys that classify as each standing under every loaded standard (rural area).
POOR = services.Survey(
    income_per_capita=500_000, deprived=["water", "latrine", "telecom"], members=4
)
NEAR_POOR = services.Survey(income_per_capita=900_000, deprived=["water"], members=3)
NOT_POOR = services.Survey(income_per_capita=5_000_000, deprived=[], members=3)
SURVEYS = {"poor": POOR, "near_poor": NEAR_POOR, "not_poor": NOT_POOR}


def household(
    unit: Unit,
    *,
    hamlet: Hamlet | None = None,
    code: str | None = None,
    formed_on: dt.date | None = None,
    area: str | None = "rural",
    **extra: Any,
) -> Household:
    return services.household_create(
        code=code or f"H{next(_codes):06d}",
        unit=unit,
        hamlet=hamlet,
        area=area,
        head_name=extra.pop("head_name", "Nguyễn Văn An"),
        formed_on=formed_on,
        **extra,
    )


def split_off(origin: Household, code: str, on: dt.date) -> Household:
    """A household split from ``origin`` on ``on``, headed by a new member of it."""
    head = services.member_add(
        household=origin,
        full_name="Hồ Văn Sơn",
        birth_date=dt.date(1990, 5, 1),
        sex="male",
        relation="child",
    )
    return services.household_split(household=origin, code=code, members=[head], head=head, on=on)


def assess(household: Household, year: int, standing: str) -> Assessment:
    return services.assessment_record(
        household=household, year=year, survey=SURVEYS[standing], recorded_on=dt.date(year, 12, 1)
    )


def history(household: Household, standings: dict[int, str]) -> None:
    for year, standing in sorted(standings.items()):
        if standing:
            assess(household, year, standing)


def village_meeting(
    review: Review, hamlet: Hamlet, held_on: dt.date, *, agree: int = 15
) -> VillageMeeting:
    """The hamlet's meeting on the review's list: 20 present, ``agree`` of them for it."""
    return services.village_meeting_record(
        review=review,
        hamlet=hamlet,
        held_on=held_on,
        chaired_by="Trần Văn Hùng",
        present=20,
        agree=agree,
    )


def post_and_decide(
    review: Review, *, posting_from: dt.date, decided_on: dt.date, decision_number: str
) -> None:
    """Post the agreed list from ``posting_from``, then the chair's decision: the year locks."""
    services.review_post(review=review, posting_from=posting_from)
    review.refresh_from_db()
    services.review_decide(review=review, decision_number=decision_number, decided_on=decided_on)


def decided_review(
    unit: Unit, hamlet: Hamlet, year: int, surveys: dict[Household, services.Survey]
) -> Review:
    """``unit``'s review of ``year`` listing the households of ``surveys``, each surveyed so,
    agreed by ``hamlet``'s meeting, posted and decided: the year is locked."""
    review = services.review_open(
        unit=unit, year=year, on=dt.date(year, 9, 1), requests=list(surveys)
    )
    for listed, survey in surveys.items():
        services.review_survey(review=review, household=listed, survey=survey)
    review.refresh_from_db()
    village_meeting(review, hamlet, dt.date(year, 10, 5))
    post_and_decide(
        review,
        posting_from=dt.date(year, 10, 12),
        decided_on=dt.date(year, 10, 20),
        decision_number="215/QĐ-UBND",
    )
    return review

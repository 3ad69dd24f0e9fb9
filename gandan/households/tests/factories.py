"""Households and their yearly results, made through the services (as real use makes them)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gandan.geo.models import Hamlet, Unit
from gandan.households import services
from gandan.households.models import Assessment, Household

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


def assess(household: Household, year: int, standing: str) -> Assessment:
    return services.assessment_record(
        household=household, year=year, survey=SURVEYS[standing], recorded_on=dt.date(year, 12, 1)
    )


def history(household: Household, standings: dict[int, str]) -> None:
    for year, standing in sorted(standings.items()):
        if standing:
            assess(household, year, standing)

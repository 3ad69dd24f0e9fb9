"""Helpers that set up officials through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from gandan.geo.models import Unit
from gandan.officials import services
from gandan.officials.models import Official, Position, QualificationKind

_serial = itertools.count(1)


def position(code: str, on: dt.date) -> Position:
    return next(p for p in Position.objects.filter(code=code) if p.is_valid_on(on))


def official(
    *,
    name: str = "Nguyễn Văn An",
    birth_date: dt.date = dt.date(1980, 5, 17),
    sex: str = "male",
    home: Unit | None = None,
    education: tuple[int, dt.date] | None = None,
    politics: tuple[int, dt.date] | None = None,
    **extra: Any,
) -> Official:
    person = services.official_create(
        full_name=name,
        birth_date=birth_date,
        sex=sex,
        citizen_id=f"046080{next(_serial):06d}",
        province_code="46",
        home_unit=home,
        **extra,
    )
    for kind, degree in (
        (QualificationKind.EDUCATION, education),
        (QualificationKind.POLITICS, politics),
    ):
        if degree:
            level, awarded_on = degree
            services.qualification_add(
                official=person, kind=kind, level=level, awarded_on=awarded_on
            )
    return person

"""Officials below the standard of the post they hold, and what they lack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gandan.core.models import valid_on_q
from gandan.geo.models import Unit
from gandan.officials.models import (
    Education,
    Politics,
    PositionStandard,
    Posting,
    QualificationKind,
    RetirementAge,
)
from gandan.officials.selectors.common import _highest, postings_on


@dataclass(frozen=True)
class Gap:
    posting: Posting
    missing: list[str]
    deadline: dt.date | None
    source: str


def retirement_date(birth_date: dt.date, sex: str) -> dt.date | None:
    """The day a person reaches retirement age under the roadmap in force (Decree 135/2020)."""
    from gandan.officials.services import add_months

    ages = {row.year: row.age_months for row in RetirementAge.objects.filter(sex=sex)}
    if not ages:
        return None
    first, last = min(ages), max(ages)
    for year in range(birth_date.year + 40, birth_date.year + 80):
        months = ages[min(max(year, first), last)]
        day = add_months(birth_date, months)
        if day.year <= year:
            return day
    return None


def standards_gaps(unit: Unit | None, as_of: dt.date) -> list[Gap]:
    """Every official in post on ``as_of`` below the standard of the position held, and what is missing."""
    standards = {s.position_code: s for s in PositionStandard.objects.filter(valid_on_q(as_of))}
    postings = (
        postings_on(unit, as_of)
        .filter(position__code__in=list(standards))
        .annotate(
            edu=_highest(QualificationKind.EDUCATION, as_of),
            pol=_highest(QualificationKind.POLITICS, as_of),
        )
        .select_related("official", "position", "unit")
        .order_by("unit__name", "position__order", "official__search_name")
    )
    gaps = []
    for posting in postings:
        standard = standards[posting.position.code]
        missing = []
        if posting.edu < standard.min_education:
            missing.append(
                f"trình độ chuyên môn: cần {Education(standard.min_education).label.lower()}, "
                f"có {Education(posting.edu).label.lower()}"
            )
        if posting.pol < standard.min_politics:
            missing.append(
                f"lý luận chính trị: cần {Politics(standard.min_politics).label.lower()}, "
                f"có {Politics(posting.pol).label.lower()}"
            )
        if (
            standard.min_age
            and posting.valid_from
            and posting.official.age_on(posting.valid_from) < standard.min_age
        ):
            missing.append(f"tuổi khi nhận chức danh dưới {standard.min_age}")
        if standard.min_months_to_retirement and posting.valid_from and _first_appointment(posting):
            retires = retirement_date(posting.official.birth_date, posting.official.sex)
            from gandan.officials.services import add_months

            if retires is not None and retires < add_months(
                posting.valid_from, standard.min_months_to_retirement
            ):
                missing.append(
                    f"lần đầu giữ chức không còn đủ {standard.min_months_to_retirement} tháng công tác "
                    f"(nghỉ hưu {retires:%d/%m/%Y})"
                )
        if missing:
            gaps.append(
                Gap(
                    posting=posting,
                    missing=missing,
                    deadline=standard.deadline,
                    source=standard.source,
                )
            )
    return gaps


def _first_appointment(posting: Posting) -> bool:
    return not Posting.objects.filter(
        official_id=posting.official_id,
        position__code=posting.position.code,
        valid_from__lt=posting.valid_from,
    ).exists()

"""Surveys and their classification: record, correct and reclassify a household's yearly result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gandan.core.actors import acting_user
from gandan.core.services import event_record
from gandan.geo.models import Hamlet, Unit
from gandan.households.classification import StandardRules, classify
from gandan.households.events import HouseholdEvent
from gandan.households.models import (
    Assessment,
    Household,
    Review,
    ReviewStatus,
    review_date,
)
from gandan.households.services.common import rules_for_year, today
from gandan.households.services.registry import placement_on

# --- Assessments -------------------------------------------------------------------------------


def locked_review(unit_id: int, year: int) -> Review | None:
    """The decided periodic review that locks ``year`` for the unit, if any."""
    return Review.objects.filter(unit_id=unit_id, year=year, status=ReviewStatus.DECIDED).first()


def check_deprived(rules: StandardRules, deprived: Iterable[str], year: int) -> list[str]:
    codes = [code.strip() for code in deprived if code.strip()]
    unknown = rules.unknown(codes)
    if unknown:
        raise ValidationError(
            {
                "deprived": f"Chỉ số {', '.join(unknown)} không có trong chuẩn {rules.legal_basis} "
                f"(kỳ rà soát {year}). Các chỉ số: {', '.join(rules.indicators)}."
            }
        )
    if len(set(codes)) != len(codes):
        raise ValidationError({"deprived": "Một chỉ số thiếu hụt được ghi hai lần."})
    return codes


@dataclass(frozen=True)
class Survey:
    """What the surveyor records for a household (questionnaires B1/B2 scores where entered)."""

    income_per_capita: int
    deprived: Sequence[str]
    members: int
    b1_score: int | None = None
    b2_score: int | None = None
    note: str = ""

    @classmethod
    def of(cls, assessment: Assessment) -> Survey:
        """The survey ``assessment`` was classified from (without its note)."""
        return cls(
            income_per_capita=assessment.income_per_capita,
            deprived=assessment.deprived_codes,
            members=assessment.members,
            b1_score=assessment.b1_score,
            b2_score=assessment.b2_score,
        )


def check_survey(survey: Survey) -> None:
    if survey.income_per_capita < 0:
        raise ValidationError({"income_per_capita": "Thu nhập không được âm."})
    if survey.members < 1:
        raise ValidationError({"members": "Hộ phải có ít nhất một nhân khẩu."})


def build_assessment(
    *,
    household: Household,
    year: int,
    rules: StandardRules,
    survey: Survey,
    unit: Unit | Any,
    hamlet: Hamlet | None,
    area: str,
    recorded_on: dt.date,
    review: Review | None = None,
    actor: Any = None,
) -> Assessment:
    """An unsaved, classified assessment (imports and the demo save many at once)."""
    codes = check_deprived(rules, survey.deprived, year)
    result = classify(
        rules,
        area=area,
        income=survey.income_per_capita,
        deprived=codes,
        farming=household.farming,
    )
    return Assessment(
        household=household,
        year=year,
        standard_id=rules.pk,
        review=review,
        unit=unit,
        hamlet=hamlet,
        province_code=household.province_code,
        area=area,
        ethnic_minority=household.ethnic_minority,
        farming=household.farming,
        members=survey.members,
        income_per_capita=survey.income_per_capita,
        deprived=";".join(codes),
        deprivation_count=len(codes),
        b1_score=survey.b1_score,
        b2_score=survey.b2_score,
        standing=result.standing,
        recorded_on=recorded_on,
        note=survey.note,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )


def explain(assessment: Assessment) -> str:
    """The classification's reason in words, from the assessment and its standard."""
    rules = StandardRules.of(assessment.standard)
    return classify(
        rules,
        area=assessment.area,
        income=assessment.income_per_capita,
        deprived=assessment.deprived_codes,
        farming=assessment.farming,
    ).explanation


@transaction.atomic
def assessment_record(
    *,
    household: Household,
    year: int,
    survey: Survey,
    review: Review | None = None,
    recorded_on: dt.date | None = None,
    actor: Any = None,
) -> Assessment:
    """Record (or, before the year is decided, replace) a household's survey for ``year``."""
    check_survey(survey)
    rules = rules_for_year(year)
    on = review_date(year)
    place = placement_on(household, on) or placement_on(household, recorded_on or today())
    if place is None:
        raise ValidationError(f"Hộ {household.code} không cư trú ở đâu vào ngày {on:%d/%m/%Y}.")
    locked = locked_review(place.unit_id, year)
    # A record dated after the decision (a regular review) leaves the decided state as it was.
    if locked is not None and not (
        recorded_on is not None and locked.decided_on and recorded_on > locked.decided_on
    ):
        raise ValidationError(
            f"Kết quả rà soát năm {year} của {place.unit.name} đã được quyết định và khóa: "
            "mọi điều chỉnh phải ghi thành đính chính có ngày."
        )
    Assessment.objects.filter(household=household, year=year, superseded_on__isnull=True).delete()
    assessment = build_assessment(
        household=household,
        year=year,
        rules=rules,
        survey=survey,
        unit=place.unit,
        hamlet=place.hamlet,
        area=place.area,
        recorded_on=recorded_on or min(today(), on),
        review=review,
        actor=actor,
    )
    assessment.save()
    event_record(
        kind=HouseholdEvent.ASSESSED,
        subject=household,
        actor=actor,
        data={"year": year, "standing": assessment.standing, "assessment": assessment.pk},
    )
    return assessment


@transaction.atomic
def assessment_correct(
    *,
    assessment: Assessment,
    survey: Survey,
    on: dt.date,
    reason: str,
    actor: Any = None,
) -> Assessment:
    """A dated correction: a new row from ``on``; the old one stays, superseded from that day."""
    check_survey(survey)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do đính chính."})
    if assessment.superseded_on is not None:
        raise ValidationError("Kết quả này đã được đính chính; hãy đính chính bản mới nhất.")
    if on < assessment.recorded_on:
        raise ValidationError({"on": "Ngày đính chính không thể trước ngày ghi nhận kết quả."})
    rules = StandardRules.of(assessment.standard)
    new = build_assessment(
        household=assessment.household,
        year=assessment.year,
        rules=rules,
        survey=replace(survey, note=reason),
        unit=assessment.unit,
        hamlet=assessment.hamlet,
        area=assessment.area,
        recorded_on=on,
        review=assessment.review,
        actor=actor,
    )
    new.corrects = assessment
    assessment.superseded_on = on
    assessment.save(update_fields=["superseded_on"])
    new.save()
    event_record(
        kind=HouseholdEvent.ASSESSMENT_CORRECTED,
        subject=assessment.household,
        actor=actor,
        province_code=assessment.province_code,
        data={
            "year": assessment.year,
            "from": assessment.standing,
            "to": new.standing,
            "on": on.isoformat(),
            "reason": reason,
        },
    )
    return new


def assessments_reclassify(
    *,
    year: int,
    province_code: str | None = None,
    on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    actor: Any = None,
    batch: int = 2000,
) -> dict[str, int]:
    """Classify every current assessment of ``year`` again under the standard as loaded now.

    After a correction of the rule fixtures. Rows whose standing does not change are left
    alone. In a unit whose year is decided (locked), a change is written as a dated
    correction on ``on``; elsewhere the row is updated. Works in batches, one transaction
    each, calling ``progress(done, total)`` after each.
    """
    rules = rules_for_year(year)
    on = on or today()
    rows = Assessment.objects.filter(year=year, superseded_on__isnull=True)
    if province_code:
        rows = rows.filter(province_code=province_code)
    locked = set(
        Review.objects.filter(year=year, status=ReviewStatus.DECIDED).values_list(
            "unit_id", flat=True
        )
    )
    total = rows.count()
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    counts = {"checked": 0, "updated": 0, "corrected": 0}
    if progress:
        progress(0, total)
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            # Only the columns classification reads: a model instance per row is most of the
            # time of a province's year. Rows to correct are loaded whole, a few at most.
            chunk = (
                Assessment.objects.filter(pk__in=ids[start : start + batch])
                .select_for_update()
                .values_list(
                    "pk",
                    "area",
                    "income_per_capita",
                    "deprived",
                    "farming",
                    "standing",
                    "standard_id",
                    "unit_id",
                )
            )
            changed: dict[str, list[int]] = {}
            to_correct: list[int] = []
            for pk, area, income, deprived, farming, standing, standard_id, unit_id in chunk:
                result = classify(
                    rules,
                    area=area,
                    income=income,
                    deprived=[code for code in deprived.split(";") if code],
                    farming=farming,
                )
                counts["checked"] += 1
                if result.standing == standing and standard_id == rules.pk:
                    continue
                if unit_id in locked:
                    to_correct.append(pk)
                else:
                    changed.setdefault(result.standing, []).append(pk)
            for row in Assessment.objects.filter(pk__in=to_correct).order_by("pk"):
                assessment_correct(
                    assessment=row,
                    survey=Survey.of(row),
                    on=on,
                    reason="Phân loại lại theo chuẩn nghèo đã đính chính",
                    actor=actor,
                )
                counts["corrected"] += 1
            for standing, pks in changed.items():
                Assessment.objects.filter(pk__in=pks).update(
                    standing=standing, standard_id=rules.pk
                )
                counts["updated"] += len(pks)
        if progress:
            progress(min(start + batch, total), total)
    if progress and not ids:
        progress(0, 0)
    return counts

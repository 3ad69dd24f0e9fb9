"""Writes for households and the poverty review: every change goes through here, with its event.

Preconditions are checked here (not only in forms), so that screens, the API, imports and the
demo all obey the same rules: a unit must exist on the date, a decided year is locked, the
village meeting needs more than half of those present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.bulk import insert_rows
from gandan.core.calendar import WorkingCalendar
from gandan.core.crypto import blind_index
from gandan.core.services import event_record
from gandan.core.validators import check_citizen_id
from gandan.geo.models import REFORM_DATE, Hamlet, Level, Lineage, Unit
from gandan.households.classification import StandardRules, classify
from gandan.households.events import HouseholdEvent
from gandan.households.models import (
    Area,
    Assessment,
    FrozenReport,
    Household,
    Member,
    Placement,
    PlacementReason,
    PovertyStandard,
    RequestStatus,
    Review,
    ReviewAction,
    ReviewEntry,
    ReviewRequest,
    ReviewRule,
    ReviewStatus,
    Standing,
    VillageMeeting,
    review_date,
)


def _today() -> dt.date:
    return timezone.localdate()


# --- Standards ---------------------------------------------------------------------------------


def standard_for_year(year: int) -> PovertyStandard:
    """The standard used in the periodic review of ``year``; ValidationError if none is loaded."""
    standard = PovertyStandard.objects.filter(first_year__lte=year, last_year__gte=year).first()
    if standard is None:
        raise ValidationError({"year": f"Không có chuẩn nghèo áp dụng cho kỳ rà soát năm {year}."})
    return standard


def rules_for_year(year: int) -> StandardRules:
    standard = standard_for_year(year)
    return StandardRules.of(standard)


def review_rule(code: str) -> int:
    rule = ReviewRule.objects.filter(code=code).first()
    if rule is None:
        raise ValidationError(f"Chưa nạp quy định rà soát {code!r}: chạy `gandan load_rules`.")
    return rule.value


# --- Households --------------------------------------------------------------------------------


def _check_place(unit: Unit, hamlet: Hamlet | None, on: dt.date) -> None:
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": f"{unit.name} không phải đơn vị cấp xã."})
    if not unit.is_valid_on(on):
        raise ValidationError(
            {"unit": f"{unit.name} (mã {unit.code}) không tồn tại vào ngày {on:%d/%m/%Y}."}
        )
    if hamlet is not None:
        if hamlet.commune_id != unit.pk:
            raise ValidationError({"hamlet": f"{hamlet.name} không thuộc {unit.name}."})
        if not hamlet.is_valid_on(on):
            raise ValidationError(
                {"hamlet": f"{hamlet.name} không tồn tại vào ngày {on:%d/%m/%Y}."}
            )


def _area_of(hamlet: Hamlet | None, unit: Unit) -> str:
    if hamlet is not None:
        return Area.URBAN if hamlet.is_urban else Area.RURAL
    return Area.RURAL if unit.type == "xa" else Area.URBAN


@transaction.atomic
def household_create(
    *,
    code: str,
    unit: Unit,
    head_name: str,
    hamlet: Hamlet | None = None,
    area: str | None = None,
    ethnic_minority: bool = False,
    farming: bool = False,
    formed_on: dt.date | None = None,
    reason: str = PlacementReason.FORMED,
    actor: Any = None,
) -> Household:
    code = code.strip()
    head_name = " ".join(head_name.split())
    if not code:
        raise ValidationError({"code": "Mã hộ không được để trống."})
    if not head_name:
        raise ValidationError({"head_name": "Tên chủ hộ không được để trống."})
    on = formed_on or min(_today(), unit.valid_to or _today())
    _check_place(unit, hamlet, on)
    if Household.objects.filter(province_code=unit.province_code, code=code).exists():
        raise ValidationError({"code": f"Mã hộ {code} đã có trong tỉnh."})
    household = Household.objects.create(
        code=code,
        province_code=unit.province_code,
        head_name=head_name,
        ethnic_minority=ethnic_minority,
        farming=farming,
        formed_on=formed_on,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    Placement.objects.create(
        household=household,
        unit=unit,
        hamlet=hamlet,
        area=area or _area_of(hamlet, unit),
        province_code=unit.province_code,
        reason=reason,
        ethnic_minority=ethnic_minority,
        valid_from=formed_on,
        valid_to=unit.valid_to,  # a commune that ends takes nobody with it: see carry_over
    )
    event_record(
        kind=HouseholdEvent.FORMED,
        subject=household,
        actor=actor,
        province_code=unit.province_code,
        data={"unit": unit.code, "hamlet": hamlet.pk if hamlet else None},
    )
    return household


def placement_on(household: Household, on: dt.date) -> Placement | None:
    return (
        Placement.objects.valid_on(on)
        .filter(household=household)
        .select_related("unit", "hamlet")
        .first()
    )


@transaction.atomic
def household_move(
    *,
    household: Household,
    unit: Unit,
    on: dt.date,
    hamlet: Hamlet | None = None,
    area: str | None = None,
    reason: str = PlacementReason.MOVED,
    actor: Any = None,
) -> Placement:
    """Register the household at a new place from ``on``; the old place ends the day before."""
    if household.dissolved_on is not None:
        raise ValidationError("Hộ đã bị xóa, không thể chuyển nơi cư trú.")
    _check_place(unit, hamlet, on)
    current = placement_on(household, on)
    if current is not None:
        if current.valid_from is not None and current.valid_from >= on:
            raise ValidationError({"on": "Ngày chuyển phải sau ngày bắt đầu ở nơi hiện tại."})
        current.valid_to = on - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    placement = Placement.objects.create(
        household=household,
        unit=unit,
        hamlet=hamlet,
        area=area or _area_of(hamlet, unit),
        province_code=unit.province_code,
        reason=reason,
        ethnic_minority=household.ethnic_minority,
        valid_from=on,
        valid_to=unit.valid_to,
    )
    event_record(
        kind=HouseholdEvent.MOVED,
        subject=household,
        actor=actor,
        province_code=unit.province_code,
        data={
            "from": current.unit.code if current else None,
            "to": unit.code,
            "on": on.isoformat(),
        },
    )
    return placement


@transaction.atomic
def households_carry_over(
    *, effective_date: dt.date = REFORM_DATE, province_code: str | None = None, actor: Any = None
) -> int:
    """Register every household of a commune that ended the day before ``effective_date`` in the
    commune that took it over, and in its village's new row (see ``hamlets_carry_over``).

    A divided commune's households go to its primary successor unless their village went
    elsewhere. Returns the number of households carried; running it again carries none twice.
    """
    last_day = effective_date - dt.timedelta(days=1)
    ending = Placement.objects.filter(valid_to=last_day).exclude(
        household__dissolved_on__lte=last_day
    )
    if province_code:
        ending = ending.filter(province_code=province_code)
    already = Placement.objects.filter(valid_from=effective_date).values("household_id")
    ending = ending.exclude(household_id__in=already)
    successor: dict[int, int] = {}
    for link in Lineage.objects.filter(effective_date=effective_date).order_by("-is_primary"):
        successor.setdefault(link.predecessor_id, link.successor_id)
    new_hamlet = dict(
        Hamlet.objects.filter(previous__isnull=False, valid_from=effective_date).values_list(
            "previous_id", "pk"
        )
    )
    hamlet_commune = dict(
        Hamlet.objects.filter(pk__in=new_hamlet.values()).values_list("pk", "commune_id")
    )
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=set(successor.values()) | set(hamlet_commune.values()))
    }
    created: list[tuple[Any, ...]] = []
    rows = ending.values_list(
        "household_id",
        "unit_id",
        "hamlet_id",
        "area",
        "province_code",
        "household__dissolved_on",
        "household__ethnic_minority",
    )
    for household_id, old_unit, old_hamlet, area, province, dissolved, ethnic in rows.iterator(
        chunk_size=5000
    ):
        hamlet_id = new_hamlet.get(old_hamlet) if old_hamlet else None
        unit_id = hamlet_commune[hamlet_id] if hamlet_id else successor.get(old_unit)
        if unit_id is None:
            continue  # the commune ended without a successor: nothing to carry to
        unit = units.get(unit_id)
        ends = [day for day in (dissolved, unit.valid_to if unit else None) if day is not None]
        created.append(
            (
                household_id,
                unit_id,
                hamlet_id,
                area,
                unit.province_code if unit else province,
                PlacementReason.REFORM,
                ethnic,
                effective_date,
                min(ends) if ends else None,
            )
        )
    insert_rows(
        Placement,
        [
            "household_id",
            "unit_id",
            "hamlet_id",
            "area",
            "province_code",
            "reason",
            "ethnic_minority",
            "valid_from",
            "valid_to",
        ],
        created,
    )
    if created:
        first = Household.objects.get(pk=created[0][0])
        event_record(
            kind=HouseholdEvent.CARRIED_OVER,
            subject=first,
            actor=actor,
            province_code=province_code or "",
            data={"effective_date": effective_date.isoformat(), "count": len(created)},
        )
    return len(created)


@transaction.atomic
def household_dissolve(
    *, household: Household, on: dt.date, reason: str, actor: Any = None
) -> Household:
    """The household ends (all members died, moved away, merged into another household)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do xóa hộ."})
    if household.dissolved_on is not None:
        raise ValidationError("Hộ đã bị xóa trước đó.")
    if household.formed_on is not None and on < household.formed_on:
        raise ValidationError({"on": "Ngày xóa hộ phải sau ngày lập hộ."})
    Placement.objects.filter(household=household, valid_to__isnull=True).update(valid_to=on)
    Member.objects.filter(household=household, valid_to__isnull=True).update(valid_to=on)
    household.dissolved_on = on
    household.dissolution_reason = reason
    household.updated_by = acting_user(actor)
    household.save(update_fields=["dissolved_on", "dissolution_reason", "updated_by", "updated_at"])
    event_record(
        kind=HouseholdEvent.DISSOLVED,
        subject=household,
        actor=actor,
        province_code=household.province_code,
        data={"on": on.isoformat(), "reason": reason},
    )
    return household


@transaction.atomic
def household_split(
    *,
    household: Household,
    code: str,
    members: Sequence[Member],
    head: Member,
    on: dt.date,
    actor: Any = None,
) -> Household:
    """Some members leave to form a new household at the same place (tách hộ)."""
    if head not in members:
        raise ValidationError({"head": "Chủ hộ mới phải là một trong những người tách hộ."})
    if any(member.household_id != household.pk for member in members):
        raise ValidationError({"members": "Chỉ tách được những người đang ở trong hộ."})
    place = placement_on(household, on)
    if place is None:
        raise ValidationError("Hộ không có nơi cư trú vào ngày tách hộ.")
    new = household_create(
        code=code,
        unit=place.unit,
        hamlet=place.hamlet,
        area=place.area,
        head_name=head.full_name,
        ethnic_minority=household.ethnic_minority,
        farming=household.farming,
        formed_on=on,
        reason=PlacementReason.SPLIT,
        actor=actor,
    )
    new.split_from = household
    new.save(update_fields=["split_from"])
    for member in members:
        member.valid_to = on - dt.timedelta(days=1)
        member.save(update_fields=["valid_to"])
        Member.objects.create(
            household=new,
            full_name=member.full_name,
            birth_date=member.birth_date,
            sex=member.sex,
            relation="head" if member.pk == head.pk else member.relation,
            citizen_id=member.citizen_id,
            citizen_id_index=member.citizen_id_index,
            valid_from=on,
            created_by=acting_user(actor),
        )
    event_record(
        kind=HouseholdEvent.SPLIT,
        subject=household,
        actor=actor,
        province_code=household.province_code,
        data={"new": new.code, "members": len(members), "on": on.isoformat()},
    )
    return new


@transaction.atomic
def member_add(
    *,
    household: Household,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    relation: str,
    citizen_id: str = "",
    on: dt.date | None = None,
    actor: Any = None,
) -> Member:
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": "Họ và tên không được để trống."})
    if birth_date > (on or _today()):
        raise ValidationError({"birth_date": "Ngày sinh không thể sau ngày vào hộ."})
    citizen_id = check_citizen_id(citizen_id, required=False)
    member = Member.objects.create(
        household=household,
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        relation=relation,
        citizen_id=citizen_id,
        citizen_id_index=blind_index(citizen_id) if citizen_id else "",
        valid_from=on,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=HouseholdEvent.MEMBER_ADDED,
        subject=household,
        actor=actor,
        province_code=household.province_code,
        data={"member": member.pk},
    )
    return member


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


def _check_survey(survey: Survey) -> None:
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
    _check_survey(survey)
    rules = rules_for_year(year)
    on = review_date(year)
    place = placement_on(household, on) or placement_on(household, recorded_on or _today())
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
        recorded_on=recorded_on or min(_today(), on),
        review=review,
        actor=actor,
    )
    assessment.save()
    event_record(
        kind=HouseholdEvent.ASSESSED,
        subject=household,
        actor=actor,
        province_code=household.province_code,
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
    _check_survey(survey)
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
        survey=Survey(
            income_per_capita=survey.income_per_capita,
            deprived=survey.deprived,
            members=survey.members,
            b1_score=survey.b1_score,
            b2_score=survey.b2_score,
            note=reason,
        ),
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
    on = on or _today()
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
                    survey=Survey(
                        income_per_capita=row.income_per_capita,
                        deprived=row.deprived_codes,
                        members=row.members,
                        b1_score=row.b1_score,
                        b2_score=row.b2_score,
                    ),
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


# --- The periodic review -----------------------------------------------------------------------


def _check_review_open(review: Review) -> None:
    if review.is_locked:
        raise ValidationError(
            f"Đợt rà soát năm {review.year} đã có quyết định công nhận: dữ liệu đã khóa."
        )


@transaction.atomic
def review_open(
    *,
    unit: Unit,
    year: int,
    on: dt.date,
    requests: Iterable[Household] = (),
    actor: Any = None,
) -> Review:
    """Step 1: the list — current poor and near-poor households plus those that asked (Mẫu 01)."""
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": "Rà soát hộ nghèo được tổ chức ở cấp xã."})
    if not unit.is_valid_on(on):
        raise ValidationError({"unit": f"{unit.name} không tồn tại vào ngày {on:%d/%m/%Y}."})
    if Review.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": f"{unit.name} đã mở đợt rà soát năm {year}."})
    standard = standard_for_year(year)
    review = Review.objects.create(
        unit=unit,
        year=year,
        standard=standard,
        started_on=on,
        province_code=unit.province_code,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    from gandan.households.selectors import households_on_lists

    entries: dict[int, ReviewEntry] = {}
    for household_id, hamlet_id, standing in households_on_lists(unit, year - 1, on):
        entries[household_id] = ReviewEntry(
            review=review,
            household_id=household_id,
            hamlet_id=hamlet_id,
            reason=ReviewEntry.Reason.POOR
            if standing == Standing.POOR
            else ReviewEntry.Reason.NEAR_POOR,
        )
    asking = list(requests)
    living_here = dict(
        Placement.objects.valid_on(on)
        .filter(unit=unit, household__in=[h.pk for h in asking])
        .values_list("household_id", "hamlet_id")
    )
    for household in asking:
        if household.pk not in living_here:
            raise ValidationError(
                {"requests": f"Hộ {household.code} không cư trú tại {unit.name}."}
            )
        entries.setdefault(
            household.pk,
            ReviewEntry(
                review=review,
                household=household,
                hamlet_id=living_here[household.pk],
                reason=ReviewEntry.Reason.REQUEST,
            ),
        )
    ReviewEntry.objects.bulk_create(entries.values(), batch_size=2000)
    event_record(
        kind=HouseholdEvent.REVIEW_OPENED,
        subject=review,
        actor=actor,
        province_code=unit.province_code,
        data={"year": year, "households": len(entries)},
    )
    return review


@transaction.atomic
def review_request_add(*, review: Review, household: Household, actor: Any = None) -> ReviewEntry:
    """A household that filed Mẫu 01 joins the list while the survey is open."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.LISTING, ReviewStatus.SURVEYING):
        raise ValidationError("Chỉ bổ sung hộ vào danh sách trước khi họp thôn.")
    place = placement_on(household, review_date(review.year))
    if place is None or place.unit_id != review.unit_id:
        raise ValidationError({"household": f"Hộ {household.code} không cư trú tại xã này."})
    entry, created = ReviewEntry.objects.get_or_create(
        review=review,
        household=household,
        defaults={"hamlet": place.hamlet, "reason": ReviewEntry.Reason.REQUEST},
    )
    if created:
        event_record(
            kind=HouseholdEvent.REVIEW_REQUEST_ADDED,
            subject=review,
            actor=actor,
            province_code=review.province_code,
            data={"household": household.code},
        )
    return entry


@transaction.atomic
def review_survey(
    *, review: Review, household: Household, survey: Survey, actor: Any = None
) -> Assessment:
    """Step 2: the surveyor's answers for a listed household; classified at once."""
    _check_review_open(review)
    if review.status not in (
        ReviewStatus.LISTING,
        ReviewStatus.SURVEYING,
        ReviewStatus.MEETINGS,
    ):
        raise ValidationError("Đã niêm yết kết quả: không sửa phiếu khảo sát được nữa.")
    entry = ReviewEntry.objects.filter(review=review, household=household).first()
    if entry is None:
        raise ValidationError(
            {"household": f"Hộ {household.code} không có trong danh sách rà soát."}
        )
    if review.status == ReviewStatus.MEETINGS and entry.hamlet_id is not None:
        last = (
            VillageMeeting.objects.filter(review=review, hamlet_id=entry.hamlet_id)
            .order_by("-round")
            .first()
        )
        if last is not None and last.accepted:
            raise ValidationError(
                "Thôn đã họp thông qua kết quả: không sửa phiếu của hộ trong thôn này."
            )
    assessment = assessment_record(
        household=household, year=review.year, survey=survey, review=review, actor=actor
    )
    if review.status == ReviewStatus.LISTING:
        _review_step(review, ReviewStatus.SURVEYING, actor)
    return assessment


@transaction.atomic
def review_surveys_record(
    *,
    review: Review,
    surveys: Sequence[tuple[int, Survey]],
    recorded_on: dt.date,
    actor: Any = None,
) -> int:
    """Step 2 for many households at once (survey sheets keyed in elsewhere): ``surveys`` are
    (household id, survey) pairs of listed households not yet surveyed in this review."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.LISTING, ReviewStatus.SURVEYING):
        raise ValidationError("Chỉ nhập phiếu khảo sát hàng loạt trước khi họp thôn.")
    listed = dict(
        ReviewEntry.objects.filter(review=review).values_list("household_id", "hamlet_id")
    )
    ids = [household_id for household_id, _survey in surveys]
    missing = [household_id for household_id in ids if household_id not in listed]
    if missing:
        raise ValidationError(f"{len(missing)} hộ không có trong danh sách rà soát.")
    done = set(
        Assessment.objects.filter(
            household_id__in=ids, year=review.year, superseded_on__isnull=True
        ).values_list("household_id", flat=True)
    )
    if done:
        raise ValidationError(f"{len(done)} hộ đã có phiếu khảo sát năm {review.year}.")
    rules = StandardRules.of(review.standard)
    households = Household.objects.in_bulk(ids)
    places = {
        p.household_id: p
        for p in Placement.objects.valid_on(review_date(review.year))
        .filter(household_id__in=ids)
        .select_related("hamlet")
    }
    rows = []
    for household_id, survey in surveys:
        _check_survey(survey)
        place = places.get(household_id)
        rows.append(
            build_assessment(
                household=households[household_id],
                year=review.year,
                rules=rules,
                survey=survey,
                unit=review.unit,
                hamlet=place.hamlet if place else None,
                area=place.area if place else _area_of(None, review.unit),
                recorded_on=recorded_on,
                review=review,
                actor=actor,
            )
        )
    Assessment.objects.bulk_create(rows, batch_size=2000)
    if review.status == ReviewStatus.LISTING:
        _review_step(review, ReviewStatus.SURVEYING, actor, surveys=len(rows))
    else:
        event_record(
            kind=HouseholdEvent.REVIEW_SURVEYS_RECORDED,
            subject=review,
            actor=actor,
            province_code=review.province_code,
            data={"surveys": len(rows)},
        )
    return len(rows)


def _review_step(review: Review, status: str, actor: Any, **data: Any) -> None:
    previous = review.status
    review.status = status
    review.updated_by = acting_user(actor)
    review.save()
    event_record(
        kind=HouseholdEvent.review_step(status),
        subject=review,
        actor=actor,
        province_code=review.province_code,
        data={"from": previous, **data},
    )


def _hamlets_to_meet(review: Review) -> set[int]:
    return set(
        ReviewEntry.objects.filter(review=review, hamlet__isnull=False).values_list(
            "hamlet_id", flat=True
        )
    )


@transaction.atomic
def village_meeting_record(
    *,
    review: Review,
    hamlet: Hamlet,
    held_on: dt.date,
    chaired_by: str,
    present: int,
    agree: int,
    supervised_by: str = "",
    minutes: str = "",
    actor: Any = None,
) -> VillageMeeting:
    """Step 3. Adopted only if more than half of those present agree; otherwise the village's
    households are surveyed again and the village meets again (a new round)."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
        raise ValidationError("Chỉ họp thôn sau khi đã khảo sát và trước khi niêm yết.")
    if hamlet.commune_id != review.unit_id:
        raise ValidationError({"hamlet": f"{hamlet.name} không thuộc xã đang rà soát."})
    if present < 1:
        raise ValidationError({"present": "Cuộc họp phải có người dự."})
    if not 0 <= agree <= present:
        raise ValidationError({"agree": "Số người đồng ý phải từ 0 đến số người dự họp."})
    if not chaired_by.strip():
        raise ValidationError({"chaired_by": "Cần ghi người chủ trì (trưởng thôn)."})
    unsurveyed = _unsurveyed(ReviewEntry.objects.filter(review=review, hamlet=hamlet), review.year)
    if unsurveyed:
        raise ValidationError(
            f"Còn {unsurveyed} hộ của {hamlet.name} chưa có phiếu khảo sát: chưa họp được."
        )
    last = VillageMeeting.objects.filter(review=review, hamlet=hamlet).order_by("-round").first()
    if last is not None and last.accepted:
        raise ValidationError(f"{hamlet.name} đã họp thông qua kết quả.")
    majority = review_rule("meeting_majority_percent")
    accepted = agree * 100 > present * majority
    meeting = VillageMeeting.objects.create(
        review=review,
        hamlet=hamlet,
        round=(last.round + 1) if last else 1,
        held_on=held_on,
        chaired_by=" ".join(chaired_by.split()),
        supervised_by=" ".join(supervised_by.split()),
        present=present,
        agree=agree,
        accepted=accepted,
        minutes=minutes.strip(),
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    if review.status == ReviewStatus.SURVEYING:
        _review_step(review, ReviewStatus.MEETINGS, actor)
    event_record(
        kind=HouseholdEvent.REVIEW_MEETING_ADOPTED
        if accepted
        else HouseholdEvent.REVIEW_MEETING_SENT_BACK,
        subject=review,
        actor=actor,
        province_code=review.province_code,
        data={
            "hamlet": hamlet.pk,
            "round": meeting.round,
            "present": present,
            "agree": agree,
        },
    )
    return meeting


def _unsurveyed(entries: Any, year: int) -> int:
    """How many listed households have no current survey for ``year``."""
    listed = set(entries.values_list("household_id", flat=True))
    surveyed = set(
        Assessment.objects.filter(
            household_id__in=listed, year=year, superseded_on__isnull=True
        ).values_list("household_id", flat=True)
    )
    return len(listed - surveyed)


def hamlets_pending(review: Review) -> list[int]:
    """Hamlets on the list whose latest meeting has not adopted the results."""
    adopted = set(
        VillageMeeting.objects.filter(review=review, accepted=True).values_list(
            "hamlet_id", flat=True
        )
    )
    return sorted(_hamlets_to_meet(review) - adopted)


@transaction.atomic
def review_post(*, review: Review, posting_from: dt.date, actor: Any = None) -> Review:
    """Step 4: public posting of the results, for the legal number of working days."""
    _check_review_open(review)
    if review.status not in (ReviewStatus.SURVEYING, ReviewStatus.MEETINGS):
        raise ValidationError("Chỉ niêm yết sau khi khảo sát và họp thôn.")
    pending = hamlets_pending(review)
    if pending:
        names = ", ".join(Hamlet.objects.filter(pk__in=pending).values_list("name", flat=True)[:5])
        raise ValidationError(
            f"Còn {len(pending)} thôn, tổ dân phố chưa họp thông qua kết quả ({names})."
        )
    unsurveyed = _unsurveyed(review.entries.all(), review.year)
    if unsurveyed:
        raise ValidationError(f"Còn {unsurveyed} hộ trong danh sách chưa có phiếu khảo sát.")
    review.posting_from = posting_from
    review.posting_to = WorkingCalendar().add_working_days(
        posting_from, review_rule("posting_days") - 1
    )
    _review_step(
        review,
        ReviewStatus.POSTING,
        actor,
        posting_from=posting_from.isoformat(),
        posting_to=review.posting_to.isoformat(),
    )
    return review


@transaction.atomic
def review_decide(
    *, review: Review, decision_number: str, decided_on: dt.date, actor: Any = None
) -> Review:
    """Step 5: the commune chair's decision fixes the year's lists; the year is locked and the
    commune's report for it frozen."""
    _check_review_open(review)
    decision_number = decision_number.strip()
    if review.status != ReviewStatus.POSTING:
        raise ValidationError("Chỉ ra quyết định sau khi đã niêm yết công khai.")
    if not decision_number:
        raise ValidationError({"decision_number": "Cần ghi số quyết định."})
    assert review.posting_to is not None  # noqa: S101 - set by review_post
    if decided_on <= review.posting_to:
        raise ValidationError(
            {"decided_on": f"Thời gian niêm yết chưa hết (đến hết {review.posting_to:%d/%m/%Y})."}
        )
    review.decision_number = decision_number
    review.decided_on = decided_on
    _review_step(
        review, ReviewStatus.DECIDED, actor, decision=decision_number, on=decided_on.isoformat()
    )
    from gandan.households.selectors import poverty_report

    data = poverty_report(review.unit, review.year, as_of=max(decided_on, review_date(review.year)))
    FrozenReport.objects.create(review=review, frozen_at=timezone.now(), data=data)
    return review


def review_act(*, review: Review, action: str, data: dict[str, Any], actor: Any = None) -> Any:
    """Record one step of an open review — the one path of the review's screen and its API.

    ``data`` holds what the step needs, looked up in the caller's scope: ``household`` (and
    ``survey``) for a household, ``hamlet`` and the meeting's fields for a meeting,
    ``posting_from`` for the posting, ``decision_number`` and ``decided_on`` for the decision.
    Returns what was recorded; each service checks the review's step before it writes.
    """
    if action == ReviewAction.REQUEST_ADD:
        return review_request_add(review=review, household=data["household"], actor=actor)
    if action == ReviewAction.SURVEY:
        return review_survey(
            review=review, household=data["household"], survey=data["survey"], actor=actor
        )
    if action == ReviewAction.MEETING:
        return village_meeting_record(
            review=review,
            hamlet=data["hamlet"],
            held_on=data["held_on"],
            chaired_by=data["chaired_by"],
            present=data["present"],
            agree=data["agree"],
            supervised_by=data.get("supervised_by", ""),
            minutes=data.get("minutes", ""),
            actor=actor,
        )
    if action == ReviewAction.POST:
        return review_post(review=review, posting_from=data["posting_from"], actor=actor)
    if action == ReviewAction.DECIDE:
        return review_decide(
            review=review,
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            actor=actor,
        )
    raise ValidationError({"action": f"Thao tác không hợp lệ: {action!r}."})


# --- The regular review (on request) ---------------------------------------------------------


@transaction.atomic
def request_receive(
    *,
    household: Household,
    received_on: dt.date,
    asks: str,
    reason: str,
    actor: Any = None,
) -> ReviewRequest:
    """A household's request (Mẫu 04); the commune must decide within the legal clock."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do đề nghị."})
    if asks not in ("enter", "leave"):
        raise ValidationError({"asks": "Đề nghị không hợp lệ."})
    place = placement_on(household, received_on)
    if place is None:
        raise ValidationError("Hộ không cư trú ở đâu vào ngày nhận đề nghị.")
    due = WorkingCalendar().add_working_days(received_on, review_rule("request_days"))
    request = ReviewRequest.objects.create(
        household=household,
        unit=place.unit,
        province_code=household.province_code,
        received_on=received_on,
        due_on=due,
        asks=asks,
        reason=reason,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=HouseholdEvent.REQUEST_RECEIVED,
        subject=request,
        actor=actor,
        province_code=household.province_code,
        data={"household": household.code, "due_on": due.isoformat()},
    )
    return request


def _list_year(on: dt.date) -> int:
    """The review year whose lists are in force on ``on`` (the last periodic review before it)."""
    return on.year if on >= review_date(on.year) else on.year - 1


@transaction.atomic
def request_decide(
    *,
    request: ReviewRequest,
    decided_on: dt.date,
    survey: Survey | None = None,
    answer: str = "",
    actor: Any = None,
) -> ReviewRequest:
    """Decide a request: with a survey, the household's standing in the lists in force changes
    from ``decided_on`` (a dated correction); without one, a written answer with reasons."""
    if request.status != RequestStatus.PENDING:
        raise ValidationError("Đề nghị này đã được giải quyết.")
    if decided_on < request.received_on:
        raise ValidationError({"decided_on": "Ngày giải quyết không thể trước ngày nhận."})
    answer = answer.strip()
    if survey is None:
        if not answer:
            raise ValidationError({"answer": "Không công nhận thì phải trả lời nêu rõ lý do."})
        request.status = RequestStatus.REFUSED
    else:
        year = _list_year(decided_on)
        current = Assessment.objects.filter(
            household=request.household, year=year, superseded_on__isnull=True
        ).first()
        if current is None:
            request.assessment = assessment_record(
                household=request.household,
                year=year,
                survey=survey,
                recorded_on=decided_on,
                actor=actor,
            )
        else:
            request.assessment = assessment_correct(
                assessment=current,
                survey=survey,
                on=decided_on,
                reason=f"Rà soát thường xuyên theo đề nghị ngày {request.received_on:%d/%m/%Y}",
                actor=actor,
            )
        request.status = RequestStatus.DECIDED
    request.decided_on = decided_on
    request.answer = answer
    request.updated_by = acting_user(actor)
    request.save()
    event_record(
        kind=HouseholdEvent.request_settled(request.status),
        subject=request,
        actor=actor,
        province_code=request.province_code,
        data={
            "on": decided_on.isoformat(),
            "late": request.is_late(decided_on),
            "standing": request.assessment.standing if request.assessment else None,
        },
    )
    return request

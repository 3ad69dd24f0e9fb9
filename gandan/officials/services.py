"""Writes for the officials registry: people, qualifications, postings, rotations, evaluations.

Every function checks everything before it writes, so bad input leaves the database as it was,
and records an event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from gandan.core.actors import acting_user
from gandan.core.crypto import blind_index
from gandan.core.models import valid_on_q
from gandan.core.services import access_log_record, event_record
from gandan.core.text import fold, source_text
from gandan.core.validators import check_citizen_id
from gandan.geo.models import Hamlet, Level, Unit
from gandan.officials.events import RECORD_EVENTS, OfficialEvent
from gandan.officials.models import (
    QUALIFICATION_LEVELS,
    Evaluation,
    EvaluationScheme,
    Grade,
    Official,
    Position,
    Posting,
    PostingKind,
    Qualification,
    Record,
    RecordKind,
    Relative,
    Rotation,
    Sex,
)

MIN_ROTATION_MONTHS = 36  # Regulation 65-QĐ/TW (2022)


@transaction.atomic
def official_create(
    *,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    citizen_id: str,
    province_code: str,
    ethnicity: str = "Kinh",
    home_unit: Unit | None = None,
    actor: Any = None,
) -> Official:
    """Register a person. The citizen ID is stored encrypted, with a keyed hash for uniqueness."""
    full_name = " ".join(full_name.split())
    errors: dict[str, str] = {}
    if not full_name:
        errors["full_name"] = "Họ và tên không được để trống."
    if sex not in Sex.values:
        errors["sex"] = f"Giới tính không hợp lệ: {sex!r} (nam hoặc nữ)."
    if birth_date >= dt.date.today():  # noqa: DTZ011 - a calendar date, no time zone involved
        errors["birth_date"] = "Ngày sinh phải trước hôm nay."
    try:
        citizen_id = check_citizen_id(citizen_id)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    index = blind_index(citizen_id)
    if Official.objects.filter(citizen_id_index=index).exists():
        raise ValidationError({"citizen_id": "Số định danh cá nhân này đã có trong hệ thống."})
    official = Official.objects.create(
        full_name=full_name,
        search_name=fold(full_name),
        birth_date=birth_date,
        sex=sex,
        ethnicity=ethnicity.strip() or "Kinh",
        home_unit=home_unit,
        citizen_id=citizen_id,
        citizen_id_index=index,
        province_code=province_code,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(kind=OfficialEvent.CREATED, subject=official, actor=actor)
    return official


@transaction.atomic
def qualification_add(
    *,
    official: Official,
    kind: str,
    level: int,
    awarded_on: dt.date,
    field: str = "",
    institution: str = "",
    actor: Any = None,
) -> Qualification:
    levels = QUALIFICATION_LEVELS.get(kind)
    if levels is None:
        raise ValidationError({"kind": f"Loại trình độ không tồn tại: {kind!r}."})
    if level not in levels:
        known = ", ".join(f"{code} = {label}" for code, label in levels.items())
        raise ValidationError(
            {"level": f"Mã trình độ {level!r} không có trong danh mục ({known})."}
        )
    if awarded_on < official.birth_date:
        raise ValidationError({"awarded_on": "Ngày cấp bằng không thể trước ngày sinh."})
    qualification = Qualification.objects.create(
        official=official,
        kind=kind,
        level=level,
        awarded_on=awarded_on,
        field=field,
        institution=institution,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=OfficialEvent.QUALIFICATION_ADDED,
        subject=official,
        actor=actor,
        data={"kind": kind, "level": level},
    )
    return qualification


def _check_posting(
    *,
    official: Official,
    position: Position,
    unit: Unit,
    hamlet: Hamlet | None,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude: int | None = None,
) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": "Ngày kết thúc phải sau ngày bắt đầu."})
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": f"{unit.name} không phải đơn vị cấp xã."})
    if not unit.is_valid_on(valid_from):
        raise ValidationError(
            {"unit": f"{unit.name} không tồn tại vào ngày {valid_from:%d/%m/%Y}."}
        )
    if not position.is_valid_on(valid_from):
        raise ValidationError(
            {"position": f"Chức danh {position.name} không có vào ngày {valid_from:%d/%m/%Y}."}
        )
    if position.level == "hamlet":
        if hamlet is None or hamlet.commune_id != unit.pk or not hamlet.is_valid_on(valid_from):
            raise ValidationError(
                {"hamlet": "Chức danh ở thôn, tổ dân phố cần một thôn, tổ dân phố của đơn vị này."}
            )
    elif hamlet is not None:
        raise ValidationError({"hamlet": "Chức danh cấp xã không gắn với thôn, tổ dân phố."})
    if valid_from < official.birth_date + dt.timedelta(days=18 * 365):
        raise ValidationError({"valid_from": "Người giữ chức danh phải đủ 18 tuổi."})
    end = valid_to or dt.date.max
    overlapping = Posting.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from), valid_from__lte=end
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.filter(official=official, position__code=position.code, unit=unit).exists():
        raise ValidationError(
            {
                "valid_from": f"{official.full_name} đã giữ chức danh này ở {unit.name} trong khoảng thời gian đó."
            }
        )
    if position.single_holder:
        holders = overlapping.filter(position__code=position.code, unit=unit, hamlet=hamlet)
        holder = holders.select_related("official").first()
        if holder is not None:
            raise ValidationError(
                {
                    "position": (
                        f"{position.name} chỉ có một người giữ; {holder.official.full_name} đang giữ từ "
                        f"{holder.valid_from:%d/%m/%Y}"
                        + (f" đến {holder.valid_to:%d/%m/%Y}." if holder.valid_to else ".")
                    )
                }
            )


@transaction.atomic
def posting_start(
    *,
    official: Official,
    position: Position,
    unit: Unit,
    kind: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    hamlet: Hamlet | None = None,
    salary_grade: str = "",
    actor: Any = None,
) -> Posting:
    """Record that ``official`` holds ``position`` at ``unit`` from ``valid_from``.

    A posting cannot outlive its unit or its position's legal period: an open end is closed
    at the earlier of the two.
    """
    if kind not in PostingKind.values:
        raise ValidationError({"kind": f"Hình thức không hợp lệ: {kind!r}."})
    ends = [d for d in (valid_to, unit.valid_to, position.valid_to) if d is not None]
    valid_to = min(ends) if ends else None
    _check_posting(
        official=official,
        position=position,
        unit=unit,
        hamlet=hamlet,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    posting = Posting.objects.create(
        official=official,
        position=position,
        unit=unit,
        hamlet=hamlet,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        salary_grade=salary_grade,
        province_code=unit.province_code,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=OfficialEvent.POSTING_STARTED,
        subject=posting,
        actor=actor,
        data={
            "official": official.pk,
            "position": position.code,
            "unit": unit.code,
            "from": valid_from.isoformat(),
        },
    )
    return posting


@transaction.atomic
def posting_end(*, posting: Posting, valid_to: dt.date, actor: Any = None) -> Posting:
    if valid_to < (posting.valid_from or dt.date.min):
        raise ValidationError({"valid_to": "Ngày kết thúc phải sau ngày bắt đầu."})
    if posting.valid_to is not None and valid_to > posting.valid_to:
        raise ValidationError(
            {"valid_to": "Chỉ có thể kết thúc sớm hơn, không kéo dài quá hạn đã ghi."}
        )
    posting.valid_to = valid_to
    posting.updated_by = acting_user(actor)
    posting.save(update_fields=["valid_to", "updated_by", "updated_at"])
    event_record(
        kind=OfficialEvent.POSTING_ENDED,
        subject=posting,
        actor=actor,
        data={"to": valid_to.isoformat()},
    )
    return posting


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def rotation_start(
    *,
    official: Official,
    to_unit: Unit,
    position: Position,
    start: dt.date,
    planned_end: dt.date,
    actor: Any = None,
) -> Rotation:
    """Rotate ``official`` to ``position`` at ``to_unit`` for at least 36 months.

    The official's commune-level postings still open on ``start`` end the day before.
    """
    if planned_end < add_months(start, MIN_ROTATION_MONTHS):
        raise ValidationError(
            {
                "planned_end": (
                    f"Thời hạn luân chuyển tối thiểu {MIN_ROTATION_MONTHS} tháng: "
                    f"dự kiến kết thúc phải từ {add_months(start, MIN_ROTATION_MONTHS):%d/%m/%Y} trở đi."
                )
            }
        )
    current = list(
        Posting.objects.filter(
            valid_on_q(start), official=official, position__level="commune"
        ).select_related("unit")
    )
    from_unit = current[0].unit if current else official.home_unit
    if from_unit is None:
        raise ValidationError(
            {"official": "Không xác định được đơn vị đi: người này chưa có vị trí công tác."}
        )
    if from_unit.pk == to_unit.pk:
        raise ValidationError({"to_unit": "Đơn vị đến phải khác đơn vị đang công tác."})
    for posting in current:
        posting_end(posting=posting, valid_to=start - dt.timedelta(days=1), actor=actor)
    posting = posting_start(
        official=official,
        position=position,
        unit=to_unit,
        kind=PostingKind.ROTATED_IN,
        valid_from=start,
        actor=actor,
    )
    rotation = Rotation.objects.create(
        official=official,
        from_unit=from_unit,
        to_unit=to_unit,
        posting=posting,
        start=start,
        planned_end=planned_end,
        created_by=acting_user(actor),
    )
    event_record(
        kind=OfficialEvent.ROTATED,
        subject=official,
        actor=actor,
        province_code=to_unit.province_code,
        data={
            "from": from_unit.code,
            "to": to_unit.code,
            "start": start.isoformat(),
            "planned_end": planned_end.isoformat(),
        },
    )
    return rotation


def evaluation_scheme(year: int) -> EvaluationScheme:
    scheme = EvaluationScheme.objects.filter(first_year__lte=year).order_by("-first_year").first()
    if scheme is None:
        raise ValidationError({"year": f"Chưa có quy định đánh giá, xếp loại cho năm {year}."})
    return scheme


def grade_from_scores(
    scheme: EvaluationScheme, *, general_score: int, task_score: int, disciplined: bool
) -> tuple[str, str]:
    """The grade a 100-point scheme gives, and how it was reached."""
    assert scheme.general_max is not None and scheme.task_max is not None  # noqa: S101 - points scheme
    if not 0 <= general_score <= scheme.general_max:
        raise ValidationError(
            {"general_score": f"Điểm tiêu chí chung phải từ 0 đến {scheme.general_max}."}
        )
    if not 0 <= task_score <= scheme.task_max:
        raise ValidationError(
            {"task_score": f"Điểm kết quả nhiệm vụ phải từ 0 đến {scheme.task_max}."}
        )
    total = general_score + task_score
    if disciplined:
        return (
            Grade.NOT_COMPLETED,
            f"{general_score} + {task_score} = {total} điểm, bị kỷ luật trong năm → không hoàn thành ({source_text(scheme.source)})",
        )
    thresholds = [
        (scheme.excellent_from, Grade.EXCELLENT),
        (scheme.good_from, Grade.GOOD),
        (scheme.completed_from, Grade.COMPLETED),
    ]
    for floor, grade in thresholds:
        if floor is not None and total >= floor:
            return (
                grade,
                f"{general_score} + {task_score} = {total} điểm ≥ {floor} → {Grade(grade).label.lower()} ({source_text(scheme.source)})",
            )
    return (
        Grade.NOT_COMPLETED,
        f"{general_score} + {task_score} = {total} điểm < {scheme.completed_from} → không hoàn thành ({source_text(scheme.source)})",
    )


@transaction.atomic
def evaluation_record(
    *,
    official: Official,
    unit: Unit,
    year: int,
    grade: str | None = None,
    general_score: int | None = None,
    task_score: int | None = None,
    disciplined: bool = False,
    actor: Any = None,
) -> Evaluation:
    """Record a year's evaluation: a grade (until 2025) or scores that decide the grade (from 2026)."""
    scheme = evaluation_scheme(year)
    if scheme.uses_points:
        if general_score is None or task_score is None:
            raise ValidationError(
                {
                    "task_score": f"Từ năm {scheme.first_year} phải chấm điểm (tiêu chí chung và kết quả nhiệm vụ)."
                }
            )
        if grade is not None:
            raise ValidationError({"grade": "Xếp loại được tính từ điểm, không nhập tay."})
        grade, explanation = grade_from_scores(
            scheme, general_score=general_score, task_score=task_score, disciplined=disciplined
        )
    else:
        if grade not in Grade.values:
            raise ValidationError({"grade": f"Xếp loại không hợp lệ: {grade!r}."})
        if disciplined and grade != Grade.NOT_COMPLETED:
            raise ValidationError(
                {
                    "grade": "Người bị kỷ luật trong năm không được xếp loại hoàn thành nhiệm vụ trở lên."
                }
            )
        explanation = f"Xếp loại {Grade(grade).label.lower()} theo {source_text(scheme.source)}"
    if Evaluation.objects.filter(official=official, year=year).exists():
        raise ValidationError({"year": f"{official.full_name} đã được đánh giá năm {year}."})
    evaluation = Evaluation.objects.create(
        official=official,
        unit=unit,
        year=year,
        grade=grade,
        general_score=general_score,
        task_score=task_score,
        disciplined=disciplined,
        explanation=explanation[:300],
        province_code=unit.province_code,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=OfficialEvent.EVALUATED,
        subject=official,
        actor=actor,
        province_code=unit.province_code,
        data={"year": year, "grade": grade},
    )
    return evaluation


@transaction.atomic
def relative_add(
    *,
    official: Official,
    relation: str,
    full_name: str,
    birth_year: int | None = None,
    occupation: str = "",
    actor: Any = None,
) -> Relative:
    """Declare a family member in the personnel file."""
    relation, full_name = relation.strip(), " ".join(full_name.split())
    if not relation or not full_name:
        raise ValidationError({"full_name": "Cần ghi quan hệ và họ tên người thân."})
    if birth_year is not None and not 1900 <= birth_year <= dt.date.today().year:  # noqa: DTZ011
        raise ValidationError({"birth_year": f"Năm sinh không hợp lệ: {birth_year}."})
    relative = Relative.objects.create(
        official=official,
        relation=relation,
        full_name=full_name,
        birth_year=birth_year,
        occupation=occupation,
    )
    event_record(kind=OfficialEvent.RELATIVE_ADDED, subject=official, actor=actor)
    return relative


@transaction.atomic
def record_add(
    *, official: Official, kind: str, decided_on: dt.date, text: str, actor: Any = None
) -> Record:
    """Record an award or a disciplinary measure in the personnel file."""
    if kind not in RecordKind.values:
        raise ValidationError({"kind": f"Loại không hợp lệ: {kind!r} (khen thưởng hoặc kỷ luật)."})
    if not text.strip():
        raise ValidationError({"text": "Cần ghi nội dung quyết định."})
    record = Record.objects.create(
        official=official,
        kind=kind,
        decided_on=decided_on,
        text=text.strip(),
        created_by=acting_user(actor),
    )
    event_record(
        kind=RECORD_EVENTS[kind],
        subject=official,
        actor=actor,
        data={"decided_on": decided_on.isoformat()},
    )
    return record


def personnel_file_read(*, user: Any, official: Official, channel: str) -> None:
    """Log that ``user`` read the whole personnel file of ``official``.

    ``channel`` names where it was read: ``personnel_file`` (the page), ``personnel_file_pdf``
    or ``personnel_file_api``. The file holds personal data that only the people who manage it
    may read, and they must be able to show who did.
    """
    access_log_record(
        user=user, subject=official, what=channel, province_code=official.province_code
    )

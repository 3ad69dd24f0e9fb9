"""Writes for citizen reports: submit, route, handle, answer, rate, reopen, merge, moderate.

Each checks everything before it writes, records an event in the same transaction, and
never exposes the reporter's personal data in what it makes public.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from gandan.core.calendar import WorkingCalendar
from gandan.core.models import valid_on_q
from gandan.core.services import event_record
from gandan.feedback.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    TASK_OPEN,
    Agency,
    CaseType,
    Category,
    Channel,
    Meeting,
    MeetingKind,
    Moderation,
    Opinion,
    Photo,
    Report,
    Status,
    Task,
    TaskNote,
    TaskStatus,
)
from gandan.geo.models import Level, Unit

MAX_TEXT = 4000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Mainland, islands and archipelagos of Việt Nam, generously.
VIETNAM_LAT = (8.0, 24.0)
VIETNAM_LON = (102.0, 118.0)
HTML = re.compile(r"<\s*[a-zA-Z!/?]")
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"
# Who may move a report from which state to which.
TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {
        Status.IN_PROGRESS,
        Status.ACTION_SCHEDULED,
        *ANSWERED_STATUSES,
        Status.DUPLICATE,
    },
    Status.IN_PROGRESS: {Status.ACTION_SCHEDULED, *ANSWERED_STATUSES, Status.DUPLICATE},
    Status.ACTION_SCHEDULED: {Status.IN_PROGRESS, *ANSWERED_STATUSES, Status.DUPLICATE},
}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def check_text(value: str, field: str, *, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "Nội dung không được để trống."})
    if len(value) > limit:
        raise ValidationError(
            {field: f"Nội dung dài {len(value)} ký tự, vượt quá {limit} ký tự cho phép."}
        )
    if HTML.search(value):
        raise ValidationError({field: "Nội dung không được chứa mã HTML."})
    return value


def check_location(latitude: float | None, longitude: float | None) -> None:
    if latitude is None or longitude is None:
        raise ValidationError({"lat": "Cần vị trí: chọn trên bản đồ hoặc nhập tọa độ."})
    if not (
        VIETNAM_LAT[0] <= latitude <= VIETNAM_LAT[1]
        and VIETNAM_LON[0] <= longitude <= VIETNAM_LON[1]
    ):
        raise ValidationError(
            {"lat": f"Tọa độ ({latitude}, {longitude}) nằm ngoài lãnh thổ Việt Nam."}
        )


def check_photo(upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"media": f"Ảnh {upload.name} lớn hơn 5 MB."})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            if image.format not in {"JPEG", "PNG", "WEBP"}:
                raise ValidationError(
                    {"media": f"{upload.name}: chỉ nhận ảnh JPEG, PNG hoặc WebP."}
                )
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError({"media": f"{upload.name} không phải là ảnh."}) from None
    finally:
        upload.seek(0)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def commune_at(latitude: float, longitude: float, on: dt.date) -> Unit:
    """The commune responsible for a point on a date: the one whose centre is nearest.

    The package gives centres (and, for the legacy layer, bounding boxes), not boundaries:
    nearest centre is an approximation good enough to route, and staff can re-route.
    """
    for window in (0.05, 0.2, 1.0):
        candidates = list(
            Unit.objects.filter(valid_on_q(on), level=Level.COMMUNE, latitude__isnull=False)
            .filter(latitude__range=(latitude - window, latitude + window))
            .filter(longitude__range=(longitude - window, longitude + window))
        )
        if candidates:
            return min(
                candidates,
                key=lambda u: distance_m(latitude, longitude, u.latitude or 0, u.longitude or 0),
            )
    raise ValidationError({"lat": "Không xác định được xã, phường nào phụ trách vị trí này."})


def route(category: Category, latitude: float, longitude: float, on: dt.date) -> tuple[Unit, str]:
    """Who handles a report of ``category`` at this point on this date: (unit, agency name)."""
    commune = commune_at(latitude, longitude, on)
    if category.handled_by == "province":
        province = (
            commune.parent
            if commune.parent and commune.parent.level == Level.PROVINCE
            else (commune.parent.parent if commune.parent else None)
        )
        if province is None:
            raise ValidationError(
                {"service_code": "Không xác định được tỉnh, thành phố phụ trách."}
            )
        return province, category.agency
    return commune, f"UBND {commune.name}"


def case_type_for(category: Category, on: dt.date) -> CaseType:
    found = CaseType.objects.filter(valid_on_q(on), code=category.case_type_code).first()
    if found is None:
        raise ValidationError(
            {
                "service_code": f"Chưa có quy định thời hạn cho loại vụ việc {category.case_type_code}."
            }
        )
    return found


def due_at(case_type: CaseType, received_at: dt.datetime) -> dt.datetime:
    """The legal deadline: working days on the office calendar, or calendar days."""
    if case_type.working_days:
        return WorkingCalendar().deadline(received_at, case_type.answer_days).due
    return received_at + dt.timedelta(days=case_type.answer_days)


def _new_code() -> str:
    while True:
        code = "PA-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))
        if not Report.objects.filter(code=code).exists():
            return code


@transaction.atomic
def report_submit(
    *,
    category: Category,
    title: str,
    description: str,
    latitude: float | None,
    longitude: float | None,
    channel: str,
    address: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    photos: Sequence[UploadedFile] | None = None,
    received_at: dt.datetime | None = None,
    fallback_unit: Unit | None = None,
    actor: Any = None,
) -> Report:
    """Receive a report: check it, route it by place and date, start its legal clock.

    Without a location (an email, a phone call) the report goes to ``fallback_unit`` when
    one is given — the desk that sorts such reports and transfers them.
    """
    if not category.active:
        raise ValidationError({"service_code": f"Lĩnh vực {category.code} không còn tiếp nhận."})
    if channel not in Channel.values:
        raise ValidationError({"channel": f"Kênh không hợp lệ: {channel!r}."})
    description = check_text(description, "description")
    title = check_text(title or description[:80], "title", limit=160)
    address = check_text(address, "address_string", limit=300, required=False)
    if latitude is None and longitude is None and fallback_unit is not None:
        located = False
    else:
        check_location(latitude, longitude)
        located = True
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"media": f"Tối đa {MAX_PHOTOS} ảnh cho một phản ánh."})
    for upload in photos:
        check_photo(upload)
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"requested_datetime": "Thời điểm tiếp nhận không thể ở tương lai."})
    on = timezone.localtime(received_at).date()
    if located:
        assert latitude is not None and longitude is not None  # noqa: S101 - checked above
        unit, agency = route(category, latitude, longitude, on)
    else:
        assert fallback_unit is not None  # noqa: S101
        unit, agency = fallback_unit, f"Bộ phận tiếp nhận phản ánh — {fallback_unit.name}"
    case_type = case_type_for(category, on)
    report = Report.objects.create(
        code=_new_code(),
        category=category,
        case_type=case_type,
        channel=channel,
        title=title,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address,
        unit=unit,
        agency=agency,
        province_code=unit.province_code,
        received_at=received_at,
        due_at=due_at(case_type, received_at),
        reporter_name=reporter_name.strip()[:120],
        reporter_email=reporter_email.strip(),
        reporter_phone=reporter_phone.strip()[:20],
        reporter_token=secrets.token_urlsafe(24),
        created_by=_user(actor),
        updated_by=_user(actor),
    )
    for upload in photos:
        Photo.objects.create(report=report, image=upload)
    event_record(
        kind="report.received",
        subject=report,
        actor=actor,
        province_code=report.province_code,
        data={"channel": channel, "unit": unit.code, "category": category.code},
    )
    return report


@transaction.atomic
def report_transfer(
    *, report: Report, unit: Unit, reason: str, agency: str = "", actor: Any = None
) -> Report:
    """Re-route a report to another unit (or provincial agency) of the system, with a reason."""
    reason = check_text(reason, "reason", limit=300)
    if not report.is_open:
        raise ValidationError({"status": "Phản ánh đã đóng, không chuyển được."})
    if unit.pk == report.unit_id and (agency or "") in ("", report.agency):
        raise ValidationError({"unit": "Đơn vị nhận phải khác đơn vị đang xử lý."})
    before = report.unit.code
    report.unit, report.province_code = unit, unit.province_code
    report.agency = agency or f"UBND {unit.name}"
    report.updated_by = _user(actor)
    report.save()
    event_record(
        kind="report.transferred",
        subject=report,
        actor=actor,
        province_code=report.province_code,
        data={"from": before, "to": unit.code, "reason": reason},
    )
    return report


@transaction.atomic
def report_set_status(*, report: Report, status: str, note: str = "", actor: Any = None) -> Report:
    """Move an open report along the workflow (in progress, action scheduled)."""
    if status not in TRANSITIONS.get(report.status, set()):
        raise ValidationError(
            {
                "status": (
                    f"Không thể chuyển từ “{Status(report.status).label}” sang “{Status(status).label if status in Status.values else status}”."
                )
            }
        )
    if status in ANSWERED_STATUSES or status == Status.DUPLICATE:
        raise ValidationError(
            {"status": "Dùng chức năng trả lời hoặc gộp phản ánh trùng để đóng phản ánh."}
        )
    note = check_text(note, "note", limit=500, required=False)
    report.status, report.updated_by = status, _user(actor)
    report.save(update_fields=["status", "updated_by", "updated_at"])
    event_record(
        kind="report.status",
        subject=report,
        actor=actor,
        province_code=report.province_code,
        data={"status": status, "note": note},
    )
    return report


@transaction.atomic
def report_answer(*, report: Report, status: str, answer: str, actor: Any = None) -> Report:
    """Close a report with a public answer in the unit's name."""
    if status not in ANSWERED_STATUSES:
        raise ValidationError(
            {
                "status": "Trạng thái trả lời phải là: đã khắc phục, chưa khắc phục được, "
                "không thuộc thẩm quyền hoặc đã chuyển cơ quan khác."
            }
        )
    if status not in TRANSITIONS.get(report.status, set()):
        raise ValidationError(
            {"status": f"Phản ánh đang “{Status(report.status).label}”, không trả lời được."}
        )
    answer = check_text(answer, "answer")
    now = timezone.now()
    report.status, report.answer, report.answered_at, report.updated_by = (
        status,
        answer,
        now,
        _user(actor),
    )
    report.satisfied, report.rated_at = None, None
    report.save()
    event_record(
        kind="report.answered",
        subject=report,
        actor=actor,
        province_code=report.province_code,
        data={"status": status, "on_time": now <= report.due_at},
    )
    return report


def _check_reporter(report: Report, token: str) -> None:
    if not token or not secrets.compare_digest(token, report.reporter_token):
        raise ValidationError({"token": "Đường dẫn đánh giá không đúng hoặc đã hết hiệu lực."})


@transaction.atomic
def report_rate(*, report: Report, token: str, satisfied: bool) -> Report:
    """The reporter says whether the answer satisfies them (once per answer)."""
    _check_reporter(report, token)
    if report.answered_at is None or report.is_open:
        raise ValidationError({"satisfied": "Phản ánh chưa được trả lời."})
    if report.rated_at is not None:
        raise ValidationError({"satisfied": "Bạn đã đánh giá câu trả lời này."})
    report.satisfied, report.rated_at = satisfied, timezone.now()
    report.save(update_fields=["satisfied", "rated_at", "updated_at"])
    event_record(
        kind="report.rated",
        subject=report,
        province_code=report.province_code,
        data={"satisfied": satisfied},
    )
    return report


@transaction.atomic
def report_reopen(*, report: Report, token: str, reason: str) -> Report:
    """A dissatisfied reporter may reopen once; the legal clock starts again."""
    _check_reporter(report, token)
    reason = check_text(reason, "reason", limit=1000)
    if report.satisfied is not False:
        raise ValidationError({"reason": "Chỉ mở lại được khi bạn đã đánh giá chưa hài lòng."})
    if report.reopened >= 1:
        raise ValidationError({"reason": "Phản ánh chỉ được mở lại một lần."})
    now = timezone.now()
    report.status, report.reopened = Status.IN_PROGRESS, report.reopened + 1
    report.received_at, report.due_at = now, due_at(report.case_type, now)
    report.save()
    event_record(
        kind="report.reopened",
        subject=report,
        province_code=report.province_code,
        data={"reason": reason},
    )
    return report


@transaction.atomic
def report_merge(*, report: Report, into: Report, actor: Any = None) -> Report:
    """Mark ``report`` as a duplicate of ``into``; its reporter follows the other one."""
    if report.pk == into.pk or into.duplicate_of_id is not None:
        raise ValidationError(
            {"duplicate_of": "Chọn một phản ánh gốc khác (không phải phản ánh trùng)."}
        )
    if report.category_id != into.category_id:
        raise ValidationError({"duplicate_of": "Hai phản ánh khác lĩnh vực, không gộp được."})
    if not report.is_open:
        raise ValidationError({"status": "Phản ánh đã đóng, không gộp được."})
    report.status, report.duplicate_of = Status.DUPLICATE, into
    report.save(update_fields=["status", "duplicate_of", "updated_at"])
    into.followers += 1
    into.save(update_fields=["followers", "updated_at"])
    event_record(
        kind="report.merged",
        subject=report,
        actor=actor,
        province_code=report.province_code,
        data={"into": into.code},
    )
    return report


@transaction.atomic
def report_follow(*, report: Report) -> Report:
    """A resident follows an existing open report instead of filing the same one again."""
    if not report.is_open or report.duplicate_of_id is not None:
        raise ValidationError({"report": "Chỉ theo dõi được phản ánh đang mở."})
    report.followers += 1
    report.save(update_fields=["followers", "updated_at"])
    return report


@transaction.atomic
def report_moderate(
    *, report: Report, action: str, reason: str, actor: Any, photo: Photo | None = None
) -> Moderation:
    """Hide or restore abusive text, redact or restore a photo; every act is kept as history."""
    reason = check_text(reason, "reason", limit=300)
    if action in ("hide_text", "show_text"):
        report.text_hidden = action == "hide_text"
        report.save(update_fields=["text_hidden", "updated_at"])
    elif action in ("redact_photo", "restore_photo"):
        if photo is None or photo.report_id != report.pk:
            raise ValidationError({"photo": "Ảnh không thuộc phản ánh này."})
        photo.redacted = action == "redact_photo"
        photo.save(update_fields=["redacted"])
    else:
        raise ValidationError({"action": f"Thao tác kiểm duyệt không hợp lệ: {action!r}."})
    moderation = Moderation.objects.create(report=report, by=actor, action=action, reason=reason)
    event_record(
        kind="report.moderated",
        subject=report,
        actor=actor,
        province_code=report.province_code,
        data={"action": action},
    )
    return moderation


@transaction.atomic
def reports_escalate(*, now: dt.datetime | None = None) -> int:
    """Flag open reports past their legal deadline to the unit above (once each)."""
    now = now or timezone.now()
    overdue = Report.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, escalated_at__isnull=True
    )
    count = 0
    for report in overdue.only("id", "province_code"):
        event_record(kind="report.escalated", subject=report, province_code=report.province_code)
        count += 1
    overdue.update(escalated_at=now)
    return count


# --- Meetings, opinions, tasks ---------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    kind: str,
    title: str,
    held_on: dt.date,
    host_unit: Unit,
    attendees: int,
    attendees_by_kind: dict[str, int] | None = None,
    minutes: str = "",
    actor: Any = None,
) -> Meeting:
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": f"Loại cuộc họp không hợp lệ: {kind!r}."})
    title = check_text(title, "title", limit=300)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Ngày họp không thể ở tương lai."})
    if not host_unit.is_valid_on(held_on):
        raise ValidationError(
            {"host_unit": f"{host_unit.name} không tồn tại vào ngày {held_on:%d/%m/%Y}."}
        )
    by_kind = attendees_by_kind or {}
    if attendees < 0 or any(n < 0 for n in by_kind.values()) or sum(by_kind.values()) > attendees:
        raise ValidationError(
            {"attendees": "Số đại biểu theo thành phần không được vượt tổng số đại biểu."}
        )
    meeting = Meeting.objects.create(
        kind=kind,
        title=title,
        held_on=held_on,
        host_unit=host_unit,
        attendees=attendees,
        attendees_by_kind=by_kind,
        minutes=minutes,
        province_code=host_unit.province_code,
        created_by=_user(actor),
    )
    event_record(
        kind="meeting.recorded", subject=meeting, actor=actor, province_code=meeting.province_code
    )
    return meeting


@transaction.atomic
def opinion_add(
    *,
    meeting: Meeting,
    author: str,
    topic: str,
    text: str,
    author_unit: Unit | None = None,
    actor: Any = None,
) -> Opinion:
    author, topic = check_text(author, "author", limit=160), check_text(topic, "topic", limit=200)
    text = check_text(text, "text")
    number = (meeting.opinions.aggregate(models.Max("number"))["number__max"] or 0) + 1
    opinion = Opinion.objects.create(
        meeting=meeting,
        number=number,
        author=author,
        author_unit=author_unit,
        topic=topic,
        text=text,
        created_by=_user(actor),
    )
    event_record(
        kind="opinion.added", subject=opinion, actor=actor, province_code=meeting.province_code
    )
    return opinion


@transaction.atomic
def task_assign(
    *,
    lead: Agency,
    assigned_on: dt.date,
    deadline: dt.date,
    opinion: Opinion | None = None,
    directive: str = "",
    partners: list[Agency] | None = None,
    actor: Any = None,
) -> Task:
    """Assign the follow-up of an opinion (or of a leader's directive) to a lead agency."""
    if opinion is None and not directive.strip():
        raise ValidationError(
            {"directive": "Nhiệm vụ phải gắn với một ý kiến hoặc có nội dung chỉ đạo."}
        )
    directive = check_text(directive, "directive", required=False)
    if deadline < assigned_on:
        raise ValidationError({"deadline": "Hạn hoàn thành phải sau ngày giao."})
    if partners and lead in partners:
        raise ValidationError({"partners": "Cơ quan chủ trì không đồng thời là cơ quan phối hợp."})
    task = Task.objects.create(
        opinion=opinion,
        directive=directive,
        lead=lead,
        assigned_on=assigned_on,
        deadline=deadline,
        province_code=lead.unit.province_code,
        created_by=_user(actor),
    )
    if partners:
        task.partners.set(partners)
    event_record(
        kind="task.assigned",
        subject=task,
        actor=actor,
        province_code=task.province_code,
        data={"lead": lead.code, "deadline": deadline.isoformat()},
    )
    return task


@transaction.atomic
def task_progress(*, task: Task, note: str, actor: Any = None) -> TaskNote:
    if task.status not in TASK_OPEN:
        raise ValidationError({"note": "Nhiệm vụ đã trả lời, không ghi tiến độ được nữa."})
    note = check_text(note, "note", limit=2000)
    entry = TaskNote.objects.create(task=task, by=_user(actor), text=note)
    if task.status == TaskStatus.ASSIGNED:
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status", "updated_at"])
    event_record(kind="task.progress", subject=task, actor=actor, province_code=task.province_code)
    return entry


@transaction.atomic
def task_answer(
    *, task: Task, answer: str, answered_on: dt.date | None = None, actor: Any = None
) -> Task:
    if task.status not in TASK_OPEN:
        raise ValidationError({"answer": "Nhiệm vụ đã được trả lời."})
    answer = check_text(answer, "answer")
    answered_on = answered_on or timezone.localdate()
    if answered_on < task.assigned_on:
        raise ValidationError({"answered_on": "Ngày trả lời không thể trước ngày giao."})
    task.status, task.answer, task.answered_on = TaskStatus.ANSWERED, answer, answered_on
    task.save(update_fields=["status", "answer", "answered_on", "updated_at"])
    event_record(
        kind="task.answered",
        subject=task,
        actor=actor,
        province_code=task.province_code,
        data={"on_time": answered_on <= task.deadline},
    )
    return task


@transaction.atomic
def task_accept(*, task: Task, accepted: bool, reason: str = "", actor: Any = None) -> Task:
    """The author of the opinion accepts the answer, or not (then the agency must answer again)."""
    if task.status != TaskStatus.ANSWERED:
        raise ValidationError({"accepted": "Chỉ xác nhận được khi nhiệm vụ đã có trả lời."})
    if not accepted:
        reason = check_text(reason, "reason", limit=1000)
    task.status = TaskStatus.ACCEPTED if accepted else TaskStatus.REJECTED
    task.save(update_fields=["status", "updated_at"])
    event_record(
        kind="task.accepted" if accepted else "task.rejected",
        subject=task,
        actor=actor,
        province_code=task.province_code,
        data={"reason": reason},
    )
    return task

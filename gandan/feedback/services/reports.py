"""Writes for citizen reports: submit, route, handle, answer, rate, reopen, merge, moderate.

Each checks everything before it writes, records an event in the same transaction, and
never exposes the reporter's personal data in what it makes public.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.services import event_record
from gandan.core.validators import check_email, check_phone
from gandan.feedback.events import ReportEvent
from gandan.feedback.models import (
    ANSWERED_STATUSES,
    Category,
    Channel,
    Moderation,
    Photo,
    Report,
    Status,
)
from gandan.feedback.services.checks import (
    CODE_ALPHABET,
    MAX_PHOTOS,
    case_type_for,
    check_location,
    check_photo,
    check_text,
    due_at,
    route,
)
from gandan.geo.models import Unit

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
    reporter_phone = check_phone(reporter_phone, field="reporter_phone")
    reporter_email = check_email(reporter_email, field="reporter_email")
    if latitude is None and longitude is None and fallback_unit is not None:
        located = False
    else:
        check_location(latitude, longitude)
        located = True
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"media": f"Tối đa {MAX_PHOTOS} ảnh cho một phản ánh."})
    pictures = [check_photo(upload) for upload in photos]
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
        reporter_email=reporter_email,
        reporter_phone=reporter_phone,
        reporter_token=secrets.token_urlsafe(24),
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    for picture in pictures:
        Photo.objects.create(report=report, image=picture.content)
    event_record(
        kind=ReportEvent.RECEIVED,
        subject=report,
        actor=actor,
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
    report.updated_by = acting_user(actor)
    report.save()
    event_record(
        kind=ReportEvent.TRANSFERRED,
        subject=report,
        actor=actor,
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
    report.status, report.updated_by = status, acting_user(actor)
    report.save(update_fields=["status", "updated_by", "updated_at"])
    event_record(
        kind=ReportEvent.STATUS, subject=report, actor=actor, data={"status": status, "note": note}
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
        acting_user(actor),
    )
    report.satisfied, report.rated_at = None, None
    report.save()
    event_record(
        kind=ReportEvent.ANSWERED,
        subject=report,
        actor=actor,
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
    event_record(kind=ReportEvent.RATED, subject=report, data={"satisfied": satisfied})
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
    event_record(kind=ReportEvent.REOPENED, subject=report, data={"reason": reason})
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
    event_record(kind=ReportEvent.MERGED, subject=report, actor=actor, data={"into": into.code})
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
    event_record(kind=ReportEvent.MODERATED, subject=report, actor=actor, data={"action": action})
    return moderation


@transaction.atomic
def reports_escalate(*, now: dt.datetime | None = None) -> int:
    """Flag open reports past their legal deadline to the unit above (once each)."""
    now = now or timezone.now()
    overdue = Report.objects.overdue(now=now).filter(escalated_at__isnull=True)
    count = 0
    for report in overdue.only("id", "province_code"):
        event_record(kind=ReportEvent.ESCALATED, subject=report, province_code=report.province_code)
        count += 1
    overdue.update(escalated_at=now)
    return count

"""Writes of the one-stop desk: receipt, the workflow, deadlines, apologies, return, rating.

Every service checks its input, moves the dossier through the national statuses only along
the allowed transitions (``TRANSITIONS``), and writes one event per change in the same
transaction; the timeline, the tracking sheet (form 06) and the metrics read those events
and the dossier's columns. Errors are ``ValidationError`` with a Vietnamese message and a
machine-readable ``code``; nothing is saved when one is raised.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gandan.core import statements
from gandan.core.actors import acting_user
from gandan.core.calendar import DEFAULT_OFFICE_HOURS, TimeUnit, WorkingCalendar
from gandan.core.calendar import OfficeHours as CalendarHours
from gandan.core.crypto import blind_index
from gandan.core.models import valid_on_q
from gandan.core.validators import check_citizen_id, check_phone
from gandan.geo.models import Level, OfficeHours, Unit
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.events import dossier_event
from gandan.onestop.models import (
    RATING_CRITERIA,
    Apology,
    ApologyStatus,
    Channel,
    Dossier,
    DossierAction,
    DossierDocument,
    DossierSequence,
    Procedure,
    ProcedureLevel,
    ProcedureStep,
    ProcedureVersion,
    Rating,
    Status,
    StepHandler,
    Supplement,
)
from gandan.onestop.selectors import version_in_force

# Which status may follow which (the national workflow). Terminal: 3, 7, 8, 10.
TRANSITIONS: dict[int, frozenset[int]] = {
    Status.REGISTERED: frozenset({Status.RECEIVED, Status.REFUSED, Status.WITHDRAWN}),
    Status.RECEIVED: frozenset(
        {Status.PROCESSING, Status.SUPPLEMENT, Status.WITHDRAWN, Status.STOPPED, Status.DONE}
    ),
    Status.PROCESSING: frozenset(
        {
            Status.PROCESSING,
            Status.SUPPLEMENT,
            Status.AWAITING_PAYMENT,
            Status.WITHDRAWN,
            Status.STOPPED,
            Status.DONE,
        }
    ),
    Status.SUPPLEMENT: frozenset({Status.PROCESSING, Status.WITHDRAWN, Status.STOPPED}),
    Status.AWAITING_PAYMENT: frozenset(
        {Status.PROCESSING, Status.WITHDRAWN, Status.STOPPED, Status.DONE}
    ),
    Status.DONE: frozenset({Status.RETURNED}),
}

MAX_NAME = 120
MAX_TEXT = 2000


def _error(message: str, code: str, field: str | None = None) -> ValidationError:
    if field:
        return ValidationError({field: ValidationError(message, code=code)})
    return ValidationError(message, code=code)


def _now(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise _error("Thời điểm phải kèm múi giờ.", "naive_datetime", "at")
    if at > now + dt.timedelta(minutes=1):
        raise _error(
            f"Thời điểm {timezone.localtime(at):%H:%M %d/%m/%Y} ở tương lai.", "future_date", "at"
        )
    return at


def _text(
    value: str, field: str, label: str, *, limit: int = MAX_TEXT, required: bool = True
) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _error(f"Cần nhập {label}.", "required", field)
    if len(value) > limit:
        raise _error(f"{label.capitalize()} dài quá {limit} ký tự.", "too_long", field)
    return value


def _move(dossier: Dossier, to: int) -> None:
    if to not in TRANSITIONS.get(dossier.status, frozenset()):
        raise _error(
            f"Hồ sơ {dossier.code} đang ở trạng thái “{Status(dossier.status).label}”, "
            f"không thể chuyển sang “{Status(to).label}”.",
            "transition",
            "status",
        )
    dossier.status = to


_event = dossier_event


# ---------------------------------------------------------------------------------------
# Calendar and catalogue


# ``unit.office_hours.filter(valid_on_q(on)).order_by("-valid_from").first()`` written out
# (and prepared: ``core.statements``): every receipt asks it, and the ORM takes twenty times
# longer to write the SQL than the database takes to answer it (a test checks both give the
# same hours).
_OFFICE_HOURS_SQL = f"""
    SELECT {statements.columns(OfficeHours, "h")} FROM {OfficeHours._meta.db_table} h
    WHERE unit_id = %s
      AND (valid_from IS NULL OR valid_from <= %s) AND (valid_to IS NULL OR valid_to >= %s)
    ORDER BY valid_from DESC
    LIMIT 1
"""  # noqa: S608 - table name from the model, values as parameters


def calendar_for(unit: Unit, on: dt.date) -> WorkingCalendar:
    """The working calendar of ``unit``'s office on ``on`` (its own hours, else the default)."""
    rows = statements.fetch(_OFFICE_HOURS_SQL, [unit.pk, on, on], OfficeHours)
    if not rows:
        return WorkingCalendar(DEFAULT_OFFICE_HOURS)
    row = rows[0][0]
    return WorkingCalendar(
        CalendarHours(
            periods=(
                (row.morning_opens, row.morning_closes),
                (row.afternoon_opens, row.afternoon_closes),
            )
        )
    )


def version_for(procedure: Procedure, unit: Unit, on: dt.date) -> ProcedureVersion:
    """The version of ``procedure`` in force on ``on``, if ``unit`` offers it."""
    offered = (procedure.level == ProcedureLevel.COMMUNE and unit.level == Level.COMMUNE) or (
        procedure.level == ProcedureLevel.PROVINCE and unit.level == Level.PROVINCE
    )
    if not offered or not unit.is_valid_on(on):
        raise _error(
            f"{unit.name} không giải quyết thủ tục “{procedure.name}” "
            f"({procedure.get_level_display().lower()}).",
            "procedure_not_offered",
            "procedure",
        )
    version = version_in_force(procedure, on)
    if version is None:
        raise _error(
            f"Thủ tục “{procedure.name}” không có hiệu lực vào ngày {on:%d/%m/%Y}.",
            "procedure_not_in_force",
            "procedure",
        )
    return version


def steps_of(version: ProcedureVersion) -> list[ProcedureStep]:
    return list(version.steps.order_by("order"))


def step_unit(step: ProcedureStep, dossier: Dossier) -> Unit:
    """The unit a step is handled in: the receiving unit, or its province (liên thông)."""
    if step.handler == StepHandler.PROVINCE:
        on = (
            timezone.localdate(dossier.received_at) if dossier.received_at else timezone.localdate()
        )
        province = (
            Unit.objects.filter(valid_on_q(on), code=dossier.province_code, level=Level.PROVINCE)
            .order_by(F("valid_from").desc(nulls_last=True))
            .first()
        )
        if province is None:
            raise _error("Không tìm thấy đơn vị cấp tỉnh.", "no_province")
        return province
    return dossier.unit


# ---------------------------------------------------------------------------------------
# Receipt


def dossier_code_next(unit: Unit, day: dt.date) -> str:
    """The next code ``{unit}-{yyMMdd}-{NNNN}`` of ``unit`` on ``day``.

    One statement increments the day's counter (INSERT … ON CONFLICT … RETURNING, on both
    databases); the row stays locked until the receipt commits, so concurrent receipts get
    different numbers and a rolled-back receipt gives its number back.
    """
    table = DossierSequence._meta.db_table
    with statements.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (unit_code, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.code, day],
        )
        number = cursor.fetchone()[0]
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


def lookup_key(code: str, digits: str) -> str:
    """The keyed hash compared by the public look-up (code + last four digits)."""
    return blind_index(f"onestop:{code}:{digits}")


def _last4(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


@dataclass(frozen=True)
class Applicant:
    name: str
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def check_applicant(applicant: Applicant) -> Applicant:
    name = _text(applicant.name, "applicant_name", "họ tên người nộp", limit=MAX_NAME)
    citizen_id = check_citizen_id(applicant.citizen_id, field="applicant_id", required=False)
    phone = check_phone(applicant.phone, field="applicant_phone")
    if not citizen_id and not phone:
        raise _error(
            "Cần số định danh cá nhân hoặc số điện thoại của người nộp (để tra cứu hồ sơ).",
            "contact_required",
            "applicant_id",
        )
    email = applicant.email.strip()
    if email and ("@" not in email or len(email) > 254):
        raise _error("Địa chỉ thư điện tử không hợp lệ.", "email", "applicant_email")
    address = _text(applicant.address, "applicant_address", "địa chỉ", limit=300, required=False)
    return Applicant(name=name, citizen_id=citizen_id, phone=phone, email=email, address=address)


def check_documents(version: ProcedureVersion, provided: Iterable[str]) -> list[dict[str, Any]]:
    """The procedure's documents marked provided or not; missing required ones are an error."""
    given = set(provided)
    known = {d["code"] for d in version.documents}
    unknown = sorted(given - known)
    if unknown:
        raise _error(
            f"Giấy tờ không thuộc thành phần hồ sơ của thủ tục: {', '.join(unknown)}.",
            "unknown_document",
            "documents",
        )
    missing = [
        d["name"] for d in version.documents if d.get("required", True) and d["code"] not in given
    ]
    if missing:
        raise _error(
            "Hồ sơ thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ".",
            "missing_documents",
            "documents",
        )
    return [{**d, "provided": d["code"] in given} for d in version.documents]


def _rule(code: str, default: str) -> str:
    from gandan.onestop.models import OnestopRule

    row = OnestopRule.objects.filter(code=code).values_list("value", flat=True).first()
    return row if row is not None else default


def check_attachment(upload: UploadedFile) -> None:
    """PDF or picture, at most the desk's size limit; checked by content, not by name."""
    limit_mb = int(_rule("attachment_max_mb", "10"))
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        raise _error(
            f"Tệp “{upload.name}” quá lớn ({upload.size / 1024 / 1024:.1f} MB; tối đa {limit_mb} MB).",
            "attachment_too_large",
            "file",
        )
    head = upload.read(8)
    upload.seek(0)
    kinds = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg"}
    if not any(head.startswith(magic) for magic in kinds):
        raise _error(
            f"Tệp “{upload.name}” không phải PDF hoặc ảnh (JPEG, PNG).",
            "attachment_type",
            "file",
        )


def _schedule(dossier: Dossier, received: dt.datetime) -> None:
    version = dossier.version
    deadline = calendar_for(dossier.unit, timezone.localdate(received)).due(
        received, version.time_limit, version.time_unit, cutoff=version.cutoff
    )
    dossier.received_at = received
    dossier.starts_at = deadline.starts
    dossier.due_at = deadline.due
    dossier.appointment_at = deadline.due


def dossier_receive(
    *,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    channel: int = Channel.COUNTER,
    documents: Iterable[str] = (),
    digitised: bool = False,
    reused: bool = False,
    attachments: dict[str, UploadedFile] | None = None,
    at: dt.datetime | None = None,
    actor: Any = None,
    idempotency_key: str = "",
) -> Dossier:
    """Receive a dossier: at the counter or by post (received now), or online (registered,
    waiting for the desk to accept it with ``dossier_accept``).

    The documents are checked against the procedure version in force; the code is issued
    under the day's counter; a retried call with the same ``idempotency_key`` by the same
    user returns the first dossier instead of creating another.
    """
    return dossier_receive_once(
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        documents=documents,
        digitised=digitised,
        reused=reused,
        attachments=attachments,
        at=at,
        actor=actor,
        idempotency_key=idempotency_key,
    )[0]


def dossier_receive_once(
    *, idempotency_key: str = "", actor: Any = None, **receipt: Any
) -> tuple[Dossier, bool]:
    """:func:`dossier_receive`, also saying whether the dossier was made now (``True``) or is
    the one an earlier call with the same key made (``False``).

    A user's key is unique in the table, so the common case costs no look-up: the receipt is
    written, and only if the key is already there (a retry, even a concurrent one) is the
    receipt rolled back — giving its number back — and the first dossier read. An anonymous
    caller has no such constraint (NULL is never equal) and is looked up first.
    """
    key = ""
    if idempotency_key:
        key = _text(idempotency_key, "idempotency_key", "khóa chống trùng", limit=80)
        if acting_user(actor) is None:
            earlier = _receipt_of(None, key)
            if earlier is not None:
                return earlier, False
    try:
        return _receive(idempotency_key=key, actor=actor, **receipt), True
    except IntegrityError:
        earlier = _receipt_of(acting_user(actor), key) if key else None
        if earlier is None:
            raise
        return earlier, False


def _receipt_of(user: Any, key: str) -> Dossier | None:
    return Dossier.objects.filter(created_by=user, idempotency_key=key).first()


@transaction.atomic
def _receive(
    *,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    channel: int = Channel.COUNTER,
    documents: Iterable[str] = (),
    digitised: bool = False,
    reused: bool = False,
    attachments: dict[str, UploadedFile] | None = None,
    at: dt.datetime | None = None,
    actor: Any = None,
    idempotency_key: str = "",
) -> Dossier:
    at = _now(at)
    if channel not in Channel.values:
        raise _error("Hình thức nộp không hợp lệ.", "channel", "channel")
    applicant = check_applicant(applicant)
    version = version_for(procedure, unit, timezone.localdate(at))
    checked = check_documents(version, documents)
    for upload in (attachments or {}).values():
        check_attachment(upload)
    dossier = Dossier(
        province_code=unit.province_code,
        unit=unit,
        version=version,
        channel=channel,
        status=Status.REGISTERED if channel == Channel.ONLINE else Status.RECEIVED,
        applicant_name=applicant.name,
        applicant_id=applicant.citizen_id,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        submitted_at=at,
        current_unit=unit,
        digitised=digitised,
        reused=reused,
        idempotency_key=idempotency_key,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    if dossier.status == Status.RECEIVED:
        _schedule(dossier, at)
    # The number last: the day's counter row stays locked from here to the commit, so every
    # other receipt of the unit that day waits only for the writes below.
    dossier.code = dossier_code_next(unit, timezone.localtime(at).date())
    dossier.lookup_id_key = (
        lookup_key(dossier.code, _last4(applicant.citizen_id))
        if _last4(applicant.citizen_id)
        else ""
    )
    dossier.lookup_phone_key = (
        lookup_key(dossier.code, _last4(applicant.phone)) if _last4(applicant.phone) else ""
    )
    # save() and bulk_create() as two prepared statements (core.statements): the ORM takes
    # longer to compose them than the database to run them, on every receipt.
    statements.insert([dossier])
    statements.insert(
        [
            DossierDocument(
                dossier=dossier,
                code=d["code"],
                name=d["name"],
                required=d.get("required", True),
                provided=d["provided"],
                digitised=digitised and d["provided"],
                reused=reused and d["provided"],
            )
            for d in checked
        ]
    )
    for code, upload in (attachments or {}).items():
        document = dossier.documents.filter(code=code).first()
        if document is None:
            raise _error(
                f"Tệp đính kèm cho giấy tờ không có: {code}.", "unknown_document", "documents"
            )
        document.file.save(upload.name or f"{code}.pdf", upload, save=False)
        document.digitised = True
        document.save(update_fields=["file", "digitised"])
    _event(
        dossier,
        E.RECEIVED if dossier.status == Status.RECEIVED else E.REGISTERED,
        actor,
        at,
        channel=channel,
        to_unit=unit.code,
        due=dossier.due_at.isoformat() if dossier.due_at else None,
    )
    return dossier


@transaction.atomic
def dossier_accept(
    *, dossier: Dossier, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """The desk accepts an online dossier: the clock starts now."""
    at = _now(at)
    _move(dossier, Status.RECEIVED)
    _schedule(dossier, at)
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(
        dossier,
        E.RECEIVED,
        actor,
        at,
        channel=dossier.channel,
        due=dossier.due_at.isoformat() if dossier.due_at else None,
    )
    return dossier


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, reason: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Refuse to receive an online dossier (form 03), always with a reason."""
    at = _now(at)
    reason = _text(reason, "reason", "lý do từ chối")
    _move(dossier, Status.REFUSED)
    dossier.reason = reason
    dossier.closed_at = at
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(dossier, E.REFUSED, actor, at, reason=reason)
    return dossier


# ---------------------------------------------------------------------------------------
# Workflow


def _assignee_in(user: Any, unit: Unit) -> None:
    if user is None:
        return
    from gandan.accounts.access import user_covers_unit

    if not user_covers_unit(user, unit, for_write=True):
        raise _error(
            f"Người được giao không làm việc tại {unit.name}.", "assignee_outside_unit", "to_user"
        )


@transaction.atomic
def dossier_forward(
    *,
    dossier: Dossier,
    to_unit: Unit | None = None,
    to_user: Any = None,
    note: str = "",
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier to its next step (in the same unit, or to another agency: liên thông).

    ``to_unit`` must be the unit the next step belongs to; the last step (return at the
    desk) is reached through ``dossier_finish``, not here.
    """
    at = _now(at)
    steps = steps_of(dossier.version)
    if dossier.step_order >= len(steps) - 1:
        raise _error("Hồ sơ đã ở bước xử lý cuối; hãy ghi nhận kết quả.", "no_next_step", "step")
    step = steps[dossier.step_order]  # 0-based list: the next one
    expected = step_unit(step, dossier)
    target = to_unit or expected
    if target.pk != expected.pk:
        raise _error(
            f"Bước “{step.name}” do {expected.name} thực hiện; không thể chuyển hồ sơ cho {target.name}.",
            "outside_path",
            "to_unit",
        )
    _assignee_in(to_user, target)
    note = _text(note, "note", "ghi chú", required=False)
    _move(dossier, Status.PROCESSING)
    from_unit, from_step = dossier.current_unit, dossier.step_order
    dossier.step_order = step.order
    dossier.current_unit = target
    dossier.assignee = to_user
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(
        dossier,
        E.TRANSFERRED if target.pk != from_unit.pk else E.FORWARDED,
        actor,
        at,
        from_step=from_step,
        from_unit=from_unit.code,
        to_unit=target.code,
        to_user=getattr(to_user, "username", ""),
        note=note,
    )
    return dossier


@transaction.atomic
def dossier_assign(
    *, dossier: Dossier, to_user: Any, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Give the dossier to an officer of the unit that holds it, without moving its step."""
    at = _now(at)
    if dossier.status not in (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT):
        raise _error(
            f"Hồ sơ đang ở trạng thái “{Status(dossier.status).label}”: không giao xử lý được.",
            "transition",
            "status",
        )
    if to_user is None:
        raise _error("Cần chọn người được giao.", "required", "to_user")
    _assignee_in(to_user, dossier.current_unit)
    dossier.assignee = to_user
    dossier.updated_by = acting_user(actor)
    dossier.save(update_fields=["assignee", "updated_by", "updated_at"])
    _event(dossier, E.ASSIGNED, actor, at, to_user=getattr(to_user, "username", ""))
    return dossier


@transaction.atomic
def dossier_send_back(
    *, dossier: Dossier, to_step: int, reason: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Send the dossier back to an earlier step, with a reason (the clock keeps running)."""
    at = _now(at)
    reason = _text(reason, "reason", "lý do chuyển lại")
    if not 1 <= to_step < dossier.step_order:
        raise _error(
            f"Chỉ chuyển lại về một bước trước bước hiện tại ({dossier.step_order}).",
            "bad_step",
            "to_step",
        )
    step = dossier.version.steps.get(order=to_step)
    _move(dossier, Status.PROCESSING)
    from_unit, from_step = dossier.current_unit, dossier.step_order
    dossier.step_order = to_step
    dossier.current_unit = step_unit(step, dossier)
    dossier.assignee = None
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(
        dossier,
        E.SENT_BACK,
        actor,
        at,
        from_step=from_step,
        from_unit=from_unit.code,
        to_unit=dossier.current_unit.code,
        reason=reason,
    )
    return dossier


class SecondSupplementWarning(ValidationError):
    """A second supplement request: the officer must acknowledge the dossier counts as late."""


@transaction.atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    reason: str,
    documents: Iterable[str] = (),
    acknowledge_late: bool = False,
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Supplement:
    """Ask the applicant to supplement the dossier (form 02): the clock pauses.

    From the second request on the dossier counts as late (Decision 766); the officer must
    say so with ``acknowledge_late``.
    """
    at = _now(at)
    reason = _text(reason, "reason", "nội dung cần bổ sung")
    allowed = int(_rule("supplements_before_late", "1"))
    if dossier.supplement_count >= allowed and not acknowledge_late:
        raise SecondSupplementWarning(
            f"Hồ sơ đã được yêu cầu bổ sung {dossier.supplement_count} lần: yêu cầu thêm lần nữa, "
            "hồ sơ sẽ bị tính là trễ hạn. Xác nhận nếu vẫn yêu cầu.",
            code="second_supplement",
        )
    known = {d["code"] for d in dossier.version.documents}
    wanted = [code for code in documents if code]
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise _error(
            f"Giấy tờ không thuộc thủ tục: {', '.join(unknown)}.", "unknown_document", "documents"
        )
    _move(dossier, Status.SUPPLEMENT)
    dossier.paused_at = at
    dossier.supplement_count += 1
    dossier.updated_by = acting_user(actor)
    dossier.save()
    supplement = Supplement.objects.create(
        dossier=dossier,
        requested_at=at,
        requested_by=acting_user(actor),
        reason=reason,
        documents=wanted,
    )
    _event(
        dossier,
        E.SUPPLEMENT_REQUESTED,
        actor,
        at,
        reason=reason,
        documents=wanted,
        count=dossier.supplement_count,
    )
    return supplement


@transaction.atomic
def dossier_resume(
    *,
    dossier: Dossier,
    documents: Iterable[str] = (),
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant brought what was asked: the clock runs again and the due time and the
    appointment move later by the office time of the pause."""
    at = _now(at)
    supplement = (
        dossier.supplements.filter(resumed_at__isnull=True).order_by("-requested_at").first()
    )
    if dossier.status != Status.SUPPLEMENT or supplement is None or dossier.paused_at is None:
        raise _error("Hồ sơ không chờ bổ sung.", "transition", "status")
    if at < dossier.paused_at:
        raise _error("Thời điểm nhận bổ sung trước thời điểm yêu cầu.", "bad_date", "at")
    assert dossier.due_at is not None and dossier.appointment_at is not None  # noqa: S101
    if dossier.version.time_unit == TimeUnit.CALENDAR_DAYS:
        pause = at - dossier.paused_at
        if pause:
            dossier.due_at += pause
            dossier.appointment_at += pause
    else:
        calendar = calendar_for(dossier.unit, timezone.localdate(at))
        pause = calendar.working_hours_between(dossier.paused_at, at)
        if pause:
            dossier.due_at = calendar.add_working_hours(dossier.due_at, pause)
            dossier.appointment_at = calendar.add_working_hours(dossier.appointment_at, pause)
    hours = pause.total_seconds() / 3600
    dossier.paused_hours += hours
    dossier.paused_at = None
    dossier.status = Status.PROCESSING
    dossier.updated_by = acting_user(actor)
    for code in documents:
        dossier.documents.filter(code=code).update(provided=True)
    dossier.save()
    supplement.resumed_at = at
    supplement.paused_hours = hours
    supplement.save(update_fields=["resumed_at", "paused_hours"])
    _event(
        dossier, E.RESUMED, actor, at, paused_hours=round(hours, 2), due=dossier.due_at.isoformat()
    )
    return dossier


@transaction.atomic
def dossier_request_payment(
    *,
    dossier: Dossier,
    amount: int,
    note: str = "",
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Wait for the applicant to pay fees or financial obligations (status 6)."""
    at = _now(at)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _error("Số tiền phải là số nguyên dương (đồng).", "amount", "amount")
    _move(dossier, Status.AWAITING_PAYMENT)
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(
        dossier,
        E.PAYMENT_REQUESTED,
        actor,
        at,
        amount=amount,
        note=_text(note, "note", "ghi chú", required=False),
    )
    return dossier


@transaction.atomic
def dossier_record_payment(
    *, dossier: Dossier, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    at = _now(at)
    if dossier.status != Status.AWAITING_PAYMENT:
        raise _error("Hồ sơ không chờ nộp phí, nghĩa vụ tài chính.", "transition", "status")
    _move(dossier, Status.PROCESSING)
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(dossier, E.PAID, actor, at)
    return dossier


@transaction.atomic
def dossier_finish(
    *,
    dossier: Dossier,
    result_note: str = "",
    electronic: bool = False,
    result_file: UploadedFile | None = None,
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The result is ready (status 9): the dossier goes to the desk's return step.

    An electronic result (a signed PDF or a picture of it) is kept with the dossier and makes
    the result electronic.
    """
    at = _now(at)
    if result_file is not None:
        check_attachment(result_file)
    _move(dossier, Status.DONE)
    steps = steps_of(dossier.version)
    from_unit, from_step = dossier.current_unit, dossier.step_order
    dossier.step_order = steps[-1].order
    dossier.current_unit = dossier.unit
    dossier.finished_at = at
    if dossier.starts_at is not None:
        spent = calendar_for(dossier.unit, timezone.localdate(at)).working_hours_between(
            dossier.starts_at, at
        )
        dossier.handling_hours = max(spent.total_seconds() / 3600 - dossier.paused_hours, 0.0)
    dossier.handled_by = acting_user(actor)
    dossier.result_note = _text(result_note, "result_note", "kết quả", required=False)
    dossier.result_electronic = electronic or result_file is not None
    if result_file is not None:
        dossier.result_file.save(result_file.name or "ket-qua.pdf", result_file, save=False)
    dossier.assignee = None
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(
        dossier,
        E.FINISHED,
        actor,
        at,
        from_step=from_step,
        from_unit=from_unit.code,
        to_unit=dossier.unit.code,
        late=bool(dossier.due_at and at > dossier.due_at),
    )
    return dossier


@transaction.atomic
def dossier_return(
    *, dossier: Dossier, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """The result is handed to the applicant (status 10)."""
    at = _now(at)
    _move(dossier, Status.RETURNED)
    dossier.returned_at = at
    dossier.closed_at = at
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(dossier, E.RETURNED, actor, at)
    return dossier


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, reason: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Stop handling the dossier (form 05), with the reason given to the applicant."""
    at = _now(at)
    reason = _text(reason, "reason", "lý do dừng xử lý")
    _move(dossier, Status.STOPPED)
    dossier.reason = reason
    dossier.closed_at = at
    dossier.paused_at = None
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(dossier, E.STOPPED, actor, at, reason=reason)
    return dossier


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, reason: str = "", actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """The applicant withdraws the dossier."""
    at = _now(at)
    reason = _text(reason, "reason", "lý do rút hồ sơ", required=False)
    _move(dossier, Status.WITHDRAWN)
    dossier.reason = reason
    dossier.closed_at = at
    dossier.paused_at = None
    dossier.updated_by = acting_user(actor)
    dossier.save()
    _event(dossier, E.WITHDRAWN, actor, at, reason=reason)
    return dossier


@transaction.atomic
def dossier_mark_complaint(
    *, dossier: Dossier, note: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Record that the applicant complained about this dossier (counts against satisfaction)."""
    at = _now(at)
    note = _text(note, "note", "nội dung phản ánh")
    dossier.complaint = True
    dossier.updated_by = acting_user(actor)
    dossier.save(update_fields=["complaint", "updated_by", "updated_at"])
    _event(dossier, E.COMPLAINT, actor, at, note=note)
    return dossier


# ---------------------------------------------------------------------------------------
# Apologies (form 04)


class Sender(Protocol):
    def __call__(self, *, phone: str, text: str) -> None: ...


def console_sms(*, phone: str, text: str) -> None:
    """The development SMS sender: prints the message."""
    print(f"[SMS tới {phone}] {text}")  # noqa: T201


def sms_sender() -> Sender:
    """The SMS sender named by ``GANDAN_SMS_SENDER`` (a dotted path), else the console."""
    path = getattr(settings, "GANDAN_SMS_SENDER", "") or "gandan.onestop.services.console_sms"
    module, _, name = path.rpartition(".")
    sender: Sender = getattr(importlib.import_module(module), name)
    return sender


@transaction.atomic
def apology_draft(
    *,
    dossier: Dossier,
    reason: str,
    new_appointment_at: dt.datetime | None,
    actor: Any = None,
    at: dt.datetime | None = None,
) -> Apology:
    """Draft an apology and new appointment for a dossier that will be late."""
    at = _now(at)
    reason = _text(reason, "reason", "lý do chậm")
    if new_appointment_at is None:
        raise _error("Cần nhập thời điểm hẹn lại.", "required", "new_appointment_at")
    if not dossier.is_open:
        raise _error("Chỉ xin lỗi, hẹn lại cho hồ sơ đang giải quyết.", "transition", "status")
    if timezone.is_naive(new_appointment_at):
        raise _error("Thời điểm hẹn lại phải kèm múi giờ.", "naive_datetime", "new_appointment_at")
    current = dossier.appointment_at or dossier.due_at
    if current is not None and new_appointment_at <= current:
        raise _error(
            f"Ngày hẹn lại phải sau ngày hẹn hiện tại ({timezone.localtime(current):%H:%M %d/%m/%Y}).",
            "appointment_not_later",
            "new_appointment_at",
        )
    if dossier.apologies.exclude(status=ApologyStatus.SENT).exists():
        raise _error("Hồ sơ đã có một thư xin lỗi chưa gửi.", "apology_pending", "reason")
    apology = Apology.objects.create(
        dossier=dossier,
        status=ApologyStatus.DRAFT,
        reason=reason,
        new_appointment_at=new_appointment_at,
        drafted_at=at,
        drafted_by=acting_user(actor),
    )
    _event(
        dossier,
        E.APOLOGY_DRAFTED,
        actor,
        at,
        apology=apology.pk,
        new_appointment=new_appointment_at.isoformat(),
    )
    return apology


@transaction.atomic
def apology_approve(
    *, apology: Apology, actor: Any = None, at: dt.datetime | None = None
) -> Apology:
    """The leader approves the apology (callers check the role with ``may_approve``)."""
    at = _now(at)
    if apology.status != ApologyStatus.DRAFT:
        raise _error("Thư xin lỗi không ở trạng thái dự thảo.", "transition", "status")
    apology.status = ApologyStatus.APPROVED
    apology.approved_at = at
    apology.approved_by = acting_user(actor)
    apology.save()
    _event(apology.dossier, E.APOLOGY_APPROVED, actor, at, apology=apology.pk)
    return apology


def apology_text(apology: Apology) -> str:
    dossier = apology.dossier
    return (
        f"{dossier.unit.name} xin lỗi ông/bà {dossier.applicant_name}: hồ sơ {dossier.code} "
        f"({dossier.version.procedure.name}) chưa có kết quả đúng hẹn. Lý do: {apology.reason} "
        f"Hẹn trả kết quả mới: {timezone.localtime(apology.new_appointment_at):%H:%M ngày %d/%m/%Y}."
    )


@transaction.atomic
def apology_send(*, apology: Apology, actor: Any = None, at: dt.datetime | None = None) -> Apology:
    """Send an approved apology (email and/or SMS, or handed over at the desk) and move the
    appointment. Sent after the due time, it is recorded as late."""
    at = _now(at)
    if apology.status != ApologyStatus.APPROVED:
        raise _error(
            "Thư xin lỗi phải được lãnh đạo duyệt trước khi gửi.", "not_approved", "status"
        )
    dossier = apology.dossier
    text = apology_text(apology)
    via = []
    if dossier.applicant_email:
        send_mail(
            f"Xin lỗi và hẹn lại: hồ sơ {dossier.code}",
            text,
            None,
            [dossier.applicant_email],
        )
        via.append("email")
    if dossier.applicant_phone:
        sms_sender()(phone=dossier.applicant_phone, text=text)
        via.append("sms")
    if not via:
        via.append("paper")
    apology.status = ApologyStatus.SENT
    apology.sent_at = at
    apology.sent_via = ",".join(via)
    apology.sent_late = bool(dossier.due_at and at > dossier.due_at)
    apology.save()
    dossier.appointment_at = apology.new_appointment_at
    dossier.save(update_fields=["appointment_at", "updated_at"])
    _event(
        dossier,
        E.APOLOGY_SENT,
        actor,
        at,
        apology=apology.pk,
        via=apology.sent_via,
        late=apology.sent_late,
    )
    return apology


# ---------------------------------------------------------------------------------------
# Rating


@transaction.atomic
def rating_record(
    *,
    dossier: Dossier,
    scores: dict[str, int],
    via: str,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Rating:
    """The applicant's rating of a returned dossier: each of the 9 criteria from 1 to 5."""
    at = _now(at)
    if dossier.status != Status.RETURNED:
        raise _error("Chỉ đánh giá hồ sơ đã trả kết quả.", "transition", "status")
    if Rating.objects.filter(dossier=dossier).exists():
        raise _error("Hồ sơ này đã được đánh giá.", "already_rated", "scores")
    if via not in ("kiosk", "link"):
        raise _error("Hình thức đánh giá không hợp lệ.", "via", "via")
    clean: dict[str, int] = {}
    for code, label in RATING_CRITERIA:
        value = scores.get(code)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise _error(f"Tiêu chí “{label}”: chọn mức từ 1 đến 5.", "score", code)
        clean[code] = value
    extra = set(scores) - set(clean)
    if extra:
        raise _error(f"Tiêu chí không có: {', '.join(sorted(extra))}.", "score", "scores")
    rating = Rating.objects.create(
        dossier=dossier,
        rated_at=at,
        via=via,
        scores=clean,
        average=sum(clean.values()) / len(clean),
        comment=_text(comment, "comment", "ý kiến", required=False),
    )
    _event(dossier, E.RATED, None, at, average=round(rating.average, 2), via=via)
    return rating


# ---------------------------------------------------------------------------------------
# The desk's actions: one dispatcher for the screen and the API


def _next_step(dossier: Dossier) -> ProcedureStep | None:
    steps = steps_of(dossier.version)
    return steps[dossier.step_order] if dossier.step_order < len(steps) - 1 else None


def _to(dossier: Dossier, status: Status) -> bool:
    return status in TRANSITIONS.get(dossier.status, frozenset())


_HANDLED = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT)

# When each action fits the dossier's state (who may act is ``access.may_handle_dossier``).
_ALLOWED: dict[DossierAction, Callable[[Dossier], bool]] = {
    DossierAction.ACCEPT: lambda d: d.status == Status.REGISTERED and _to(d, Status.RECEIVED),
    DossierAction.REFUSE: lambda d: _to(d, Status.REFUSED),
    DossierAction.FORWARD: lambda d: (
        d.status in (Status.RECEIVED, Status.PROCESSING) and _next_step(d) is not None
    ),
    DossierAction.ASSIGN: lambda d: d.status in _HANDLED,
    DossierAction.SEND_BACK: lambda d: d.status == Status.PROCESSING and d.step_order > 1,
    DossierAction.REQUEST_SUPPLEMENT: lambda d: _to(d, Status.SUPPLEMENT),
    DossierAction.RESUME: lambda d: d.status == Status.SUPPLEMENT,
    DossierAction.REQUEST_PAYMENT: lambda d: _to(d, Status.AWAITING_PAYMENT),
    DossierAction.RECORD_PAYMENT: lambda d: d.status == Status.AWAITING_PAYMENT,
    DossierAction.FINISH: lambda d: _to(d, Status.DONE),
    DossierAction.RETURN: lambda d: _to(d, Status.RETURNED),
    DossierAction.APOLOGY: lambda d: (
        d.is_open and not d.apologies.exclude(status=ApologyStatus.SENT).exists()
    ),
    DossierAction.STOP: lambda d: _to(d, Status.STOPPED),
    DossierAction.WITHDRAW: lambda d: _to(d, Status.WITHDRAWN),
    DossierAction.COMPLAINT: lambda d: d.status != Status.REGISTERED,
}


def action_fits(dossier: Dossier, action: DossierAction) -> bool:
    """Whether the dossier's status (and step, and apologies) lets ``action`` be taken now."""
    return _ALLOWED[action](dossier)


def check_action(dossier: Dossier, action: str) -> DossierAction:
    """``action`` as a member of the vocabulary, if the dossier's state allows it now."""
    try:
        chosen = DossierAction(action)
    except ValueError:
        raise _error(f"Không có thao tác “{action}”.", "unknown_action", "action") from None
    if not action_fits(dossier, chosen):
        raise _error(
            f"Hồ sơ đang ở trạng thái “{Status(dossier.status).label}”: "
            f"không thể {chosen.label.lower()}.",
            "action_not_available",
            "action",
        )
    return chosen


# Each action's service and the inputs it takes from ``data`` (absent ones keep its default).
_RUN: dict[DossierAction, tuple[Callable[..., Any], tuple[str, ...]]] = {
    DossierAction.ACCEPT: (dossier_accept, ()),
    DossierAction.REFUSE: (dossier_refuse, ("reason",)),
    DossierAction.FORWARD: (dossier_forward, ("to_unit", "to_user", "note")),
    DossierAction.ASSIGN: (dossier_assign, ("to_user",)),
    DossierAction.SEND_BACK: (dossier_send_back, ("to_step", "reason")),
    DossierAction.REQUEST_SUPPLEMENT: (
        dossier_request_supplement,
        ("reason", "documents", "acknowledge_late"),
    ),
    DossierAction.RESUME: (dossier_resume, ("documents",)),
    DossierAction.REQUEST_PAYMENT: (dossier_request_payment, ("amount", "note")),
    DossierAction.RECORD_PAYMENT: (dossier_record_payment, ()),
    DossierAction.FINISH: (dossier_finish, ("result_note", "electronic", "result_file")),
    DossierAction.RETURN: (dossier_return, ()),
    DossierAction.APOLOGY: (apology_draft, ("reason", "new_appointment_at")),
    DossierAction.STOP: (dossier_stop, ("reason",)),
    DossierAction.WITHDRAW: (dossier_withdraw, ("reason",)),
    DossierAction.COMPLAINT: (dossier_mark_complaint, ("note",)),
}


def dossier_act(*, dossier: Dossier, action: str, data: dict[str, Any], actor: Any) -> Any:
    """Take ``action`` on ``dossier`` with the parsed inputs in ``data``: the one entry of the
    desk's dossier page and of ``POST /api/v1/dossiers/{code}/transitions/``.

    The caller has fetched the dossier for writing (``access_dossier(..., for_write=True)``).
    An action the dossier's state does not allow is refused (code ``action_not_available``)
    before anything is read from ``data``; the service's own refusals follow. Returns what
    the service returns (the dossier, or the supplement request or apology it made).
    """
    chosen = check_action(dossier, action)
    service, inputs = _RUN[chosen]
    return service(dossier=dossier, actor=actor, **{k: data[k] for k in inputs if k in data})

"""The workflow of a received dossier: steps, assignment, supplements, payment, result,
return, stop, withdrawal and complaints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.calendar import TimeUnit
from gandan.geo.models import Unit
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    Dossier,
    Status,
    Supplement,
)
from gandan.onestop.services._base import (
    _close,
    _error,
    _event,
    _move,
    _now,
    _rule,
    _save,
    _text,
)
from gandan.onestop.services.catalogue import (
    calendar_for,
    step_unit,
    steps_of,
)
from gandan.onestop.services.receipt import (
    check_attachment,
)


def _assignee_in(user: Any, unit: Unit) -> None:
    if user is None:
        return
    from gandan.accounts.access import user_covers_unit

    if not user_covers_unit(user, unit, for_write=True):
        raise _error(
            f"Người được giao không làm việc tại {unit.name}.", "assignee_outside_unit", "to_user"
        )


def _step_to(
    dossier: Dossier,
    kind: E,
    actor: Any,
    at: dt.datetime,
    *,
    step: int,
    unit: Unit,
    assignee: Any,
    **data: Any,
) -> Dossier:
    """Put the dossier at step ``step``, held by ``unit`` and ``assignee``; save it and record
    ``kind`` with the step and unit it left."""
    from_unit, from_step = dossier.current_unit, dossier.step_order
    dossier.step_order = step
    dossier.current_unit = unit
    dossier.assignee = assignee
    return _save(
        dossier,
        kind,
        actor,
        at,
        from_step=from_step,
        from_unit=from_unit.code,
        to_unit=unit.code,
        **data,
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
    kind = E.TRANSFERRED if target.pk != dossier.current_unit.pk else E.FORWARDED
    return _step_to(
        dossier,
        kind,
        actor,
        at,
        step=step.order,
        unit=target,
        assignee=to_user,
        to_user=getattr(to_user, "username", ""),
        note=note,
    )


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
    return _save(
        dossier,
        E.ASSIGNED,
        actor,
        at,
        to_user=getattr(to_user, "username", ""),
        update_fields=["assignee", "updated_by", "updated_at"],
    )


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
    return _step_to(
        dossier,
        E.SENT_BACK,
        actor,
        at,
        step=to_step,
        unit=step_unit(step, dossier),
        assignee=None,
        reason=reason,
    )


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
    return _save(
        dossier,
        E.PAYMENT_REQUESTED,
        actor,
        at,
        amount=amount,
        note=_text(note, "note", "ghi chú", required=False),
    )


@transaction.atomic
def dossier_record_payment(
    *, dossier: Dossier, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    at = _now(at)
    if dossier.status != Status.AWAITING_PAYMENT:
        raise _error("Hồ sơ không chờ nộp phí, nghĩa vụ tài chính.", "transition", "status")
    _move(dossier, Status.PROCESSING)
    return _save(dossier, E.PAID, actor, at)


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
    result = check_attachment(result_file) if result_file is not None else None
    _move(dossier, Status.DONE)
    dossier.finished_at = at
    if dossier.starts_at is not None:
        spent = calendar_for(dossier.unit, timezone.localdate(at)).working_hours_between(
            dossier.starts_at, at
        )
        dossier.handling_hours = max(spent.total_seconds() / 3600 - dossier.paused_hours, 0.0)
    dossier.handled_by = acting_user(actor)
    dossier.result_note = _text(result_note, "result_note", "kết quả", required=False)
    dossier.result_electronic = electronic or result is not None
    if result is not None:
        dossier.result_file.save(result.content.name, result.content, save=False)
    return _step_to(
        dossier,
        E.FINISHED,
        actor,
        at,
        step=steps_of(dossier.version)[-1].order,
        unit=dossier.unit,
        assignee=None,
        late=bool(dossier.due_at and at > dossier.due_at),
    )


@transaction.atomic
def dossier_return(
    *, dossier: Dossier, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """The result is handed to the applicant (status 10)."""
    at = _now(at)
    _move(dossier, Status.RETURNED)
    dossier.returned_at = at
    dossier.closed_at = at
    return _save(dossier, E.RETURNED, actor, at)


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, reason: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Stop handling the dossier (form 05), with the reason given to the applicant."""
    return _close(dossier, Status.STOPPED, reason, actor, at)


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, reason: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """The applicant withdraws the dossier, with the reason he gives (recorded on the file)."""
    return _close(dossier, Status.WITHDRAWN, reason, actor, at)


@transaction.atomic
def dossier_mark_complaint(
    *, dossier: Dossier, note: str, actor: Any = None, at: dt.datetime | None = None
) -> Dossier:
    """Record that the applicant complained about this dossier (counts against satisfaction)."""
    at = _now(at)
    note = _text(note, "note", "nội dung phản ánh")
    dossier.complaint = True
    return _save(
        dossier,
        E.COMPLAINT,
        actor,
        at,
        note=note,
        update_fields=["complaint", "updated_by", "updated_at"],
    )

"""What every one-stop service shares: the national transitions, the refusal, the clock, the
text checks, the event and the desk's constants (``OnestopRule``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.onestop.events import OnestopEvent, dossier_event
from gandan.onestop.models import (
    Dossier,
    Status,
)

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


def _save(
    dossier: Dossier,
    kind: OnestopEvent,
    actor: Any,
    at: dt.datetime,
    *,
    update_fields: list[str] | None = None,
    **data: Any,
) -> Dossier:
    """Save the dossier as changed by ``actor`` and record ``kind`` with ``data``."""
    dossier.updated_by = acting_user(actor)
    dossier.save(update_fields=update_fields)
    _event(dossier, kind, actor, at, **data)
    return dossier


def _rule(code: str, default: str) -> str:
    from gandan.onestop.models import OnestopRule

    row = OnestopRule.objects.filter(code=code).values_list("value", flat=True).first()
    return row if row is not None else default


# The statuses that close a dossier with a reason: their event and how messages name the reason.
_CLOSINGS: dict[int, tuple[OnestopEvent, str]] = {
    Status.REFUSED: (OnestopEvent.REFUSED, "lý do từ chối"),
    Status.STOPPED: (OnestopEvent.STOPPED, "lý do dừng xử lý"),
    Status.WITHDRAWN: (OnestopEvent.WITHDRAWN, "lý do rút hồ sơ"),
}


def _close(dossier: Dossier, to: int, reason: str, actor: Any, at: dt.datetime | None) -> Dossier:
    """End the dossier in status ``to`` (refused, stopped, withdrawn) with the reason given,
    which is required."""
    kind, label = _CLOSINGS[to]
    at = _now(at)
    reason = _text(reason, "reason", label)
    _move(dossier, to)
    dossier.reason = reason
    dossier.closed_at = at
    dossier.paused_at = None
    return _save(dossier, kind, actor, at, reason=reason)

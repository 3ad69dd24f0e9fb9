"""Reads of one dossier: its events, the tracking sheet (form 06), the early warnings, the
public look-up and timeline, and the actions it offers now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gandan.core.models import Event
from gandan.geo.models import Unit
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    Dossier,
    DossierAction,
    Status,
    via_text,
)
from gandan.onestop.selectors.catalogue import (
    HOURS_PER_DAY,
)


def dossier_events(dossier: Dossier) -> QuerySet[Event]:
    return Event.objects.filter(
        subject_type=Dossier._meta.label_lower, subject_id=str(dossier.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class SheetRow:
    """One row of the tracking sheet (form 06): a step from hand-over to hand-over."""

    order: int
    step: str
    unit: str
    handed_by: str
    received_by: str
    started: dt.datetime
    finished: dt.datetime | None
    allowance_hours: float
    used_hours: float | None
    on_time: bool | None


HAND_OVERS = {E.RECEIVED, E.FORWARDED, E.TRANSFERRED, E.SENT_BACK, E.FINISHED, E.RETURNED}


def tracking_sheet(dossier: Dossier) -> list[SheetRow]:
    """Form 06, built from the dossier's events: who handed it to whom, when, and the office
    time used at each step against the step's share of the time limit."""
    from gandan.onestop.services import calendar_for

    if dossier.starts_at is None or dossier.due_at is None:
        return []
    steps = {step.order: step for step in dossier.version.steps.all()}
    calendar = calendar_for(dossier.unit, timezone.localdate(dossier.starts_at))
    # The allowance is a share of the time limit as it stood on receipt (pauses excluded).
    total = calendar.working_hours_between(dossier.starts_at, dossier.due_at)
    total_hours = total.total_seconds() / 3600 - dossier.paused_hours
    units = {u.code: u.name for u in Unit.objects.filter(code__in=_codes(dossier))}
    events = [e for e in dossier_events(dossier) if e.kind in HAND_OVERS]
    rows: list[SheetRow] = []
    pauses = list(dossier.supplements.all())
    for index, event in enumerate(events):
        kind = event.kind
        if kind == E.RETURNED:
            continue
        order = event.data.get("step") or 1
        step = steps.get(order)
        started = dossier.starts_at if kind == E.RECEIVED else event.occurred_at
        following = events[index + 1] if index + 1 < len(events) else None
        finished = following.occurred_at if following else None
        used = None
        if finished is not None:
            spent = calendar.working_hours_between(started, finished)
            waited = sum(
                (
                    calendar.working_hours_between(
                        max(p.requested_at, started), min(p.resumed_at or finished, finished)
                    )
                    for p in pauses
                    if p.requested_at < finished and (p.resumed_at or finished) > started
                ),
                dt.timedelta(0),
            )
            used = max((spent - waited).total_seconds() / 3600, 0.0)
        allowance = total_hours * (step.share_percent if step else 0) / 100
        actor = event.actor
        rows.append(
            SheetRow(
                order=order,
                step=step.name if step else "",
                unit=units.get(event.data.get("to_unit", ""), dossier.unit.name),
                handed_by=(actor.get_full_name() or actor.get_username()) if actor else "",
                received_by=event.data.get("to_user", "")
                or (
                    (following.actor.get_full_name() or following.actor.get_username())
                    if following and following.actor
                    else ""
                ),
                started=started,
                finished=finished,
                allowance_hours=round(allowance, 2),
                used_hours=None if used is None else round(used, 2),
                on_time=None if used is None else used <= allowance + 1e-9,
            )
        )
    return rows


def _codes(dossier: Dossier) -> set[str]:
    codes = {dossier.unit.code}
    for data in dossier_events(dossier).values_list("data", flat=True):
        for key in ("to_unit", "from_unit"):
            if data.get(key):
                codes.add(data[key])
    return codes


def warning_list(units: Any, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers of ``units`` due within the warning period (1 working day) or overdue,
    soonest first."""
    from gandan.core.calendar import WorkingCalendar
    from gandan.onestop.services import _rule

    now = now or timezone.now()
    days = int(_rule("warning_working_days", "1"))
    horizon = WorkingCalendar().add_working_hours(now, dt.timedelta(hours=HOURS_PER_DAY * days))
    return (
        Dossier.objects.filter(
            current_unit__in=units,
            status__in=[Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT],
        )
        .filter(due_at__lte=horizon)
        .select_related("version__procedure", "current_unit", "assignee")
        .order_by("due_at")
    )


def dossier_lookup(code: str, digits: str) -> Dossier | None:
    """The dossier with ``code`` whose applicant's ID or phone ends in ``digits``; else None.

    A wrong code and wrong digits give the same answer, so the look-up does not reveal
    whether a code exists.
    """
    from gandan.onestop.services import lookup_key

    code = (code or "").strip().upper()
    digits = (digits or "").strip()
    if len(digits) != 4 or not digits.isdigit() or not code or len(code) > 32:
        lookup_key("-", "0000")  # same work for a malformed request
        return None
    key = lookup_key(code, digits)
    return (
        Dossier.objects.filter(code=code)
        .filter(Q(lookup_id_key=key) | Q(lookup_phone_key=key))
        .select_related("unit", "version__procedure")
        .first()
    )


# How the public look-up words the events an applicant sees (the others are not shown).
PUBLIC_EVENTS = {
    E.REGISTERED: "Đã nộp hồ sơ trực tuyến",
    E.RECEIVED: "Bộ phận một cửa đã tiếp nhận hồ sơ",
    E.REFUSED: "Hồ sơ không được tiếp nhận",
    E.FORWARDED: "Hồ sơ được chuyển bước xử lý",
    E.TRANSFERRED: "Hồ sơ được chuyển cơ quan khác xử lý (liên thông)",
    E.SENT_BACK: "Hồ sơ được chuyển lại bước trước để xử lý lại",
    E.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ",
    E.RESUMED: "Đã nhận hồ sơ bổ sung, tiếp tục xử lý",
    E.PAYMENT_REQUESTED: "Chờ nộp phí, nghĩa vụ tài chính",
    E.PAID: "Đã nộp phí, nghĩa vụ tài chính",
    E.APOLOGY_SENT: "Cơ quan xin lỗi và hẹn lại ngày trả kết quả",
    E.FINISHED: "Đã có kết quả, chờ trả",
    E.RETURNED: "Đã trả kết quả",
    E.STOPPED: "Dừng xử lý hồ sơ",
    E.WITHDRAWN: "Công dân rút hồ sơ",
}


def public_timeline(dossier: Dossier) -> list[dict[str, Any]]:
    """The plain-language timeline shown to the applicant: what happened and when, with the
    reason of a supplement request, refusal or stop — nothing about who handled it."""
    rows = []
    for event in dossier_events(dossier):
        if event.kind not in PUBLIC_EVENTS:
            continue
        reason = (
            event.data.get("reason", "")
            if event.kind in (E.REFUSED, E.SUPPLEMENT_REQUESTED, E.STOPPED)
            else ""
        )
        rows.append(
            {"at": event.occurred_at, "what": PUBLIC_EVENTS[E(event.kind)], "reason": reason}
        )
    return rows


# ---------------------------------------------------------------------------------------
# The actions a dossier offers


def actions_available(dossier: Dossier, user: Any) -> list[DossierAction]:
    """The actions ``user`` may take on ``dossier`` now, in the desk's order: none unless the
    user's unit holds it (``access.may_handle_dossier``), then those its state allows
    (``services.action_fits``) and the user's role may take (``access.may_take_action``: the
    leader's step is passed by the leader) — the rules ``services.dossier_act`` enforces."""
    from gandan.onestop.access import STEP_PASSING_ACTIONS, may_handle_dossier, may_pass_step
    from gandan.onestop.services import action_fits

    if not may_handle_dossier(user, dossier):
        return []
    passes = may_pass_step(user, dossier)
    return [
        action
        for action in DossierAction
        if action_fits(dossier, action) and (passes or action not in STEP_PASSING_ACTIONS)
    ]


def unit_staff(unit: Unit) -> QuerySet[Any]:
    """People who may be handed a dossier in ``unit`` today (its writing roles)."""
    from django.contrib.auth import get_user_model

    from gandan.accounts.models import WRITE_ROLES, Membership, Role

    roles = [r for r in WRITE_ROLES if r != Role.VILLAGE_HEAD]
    members = Membership.objects.valid_on(timezone.localdate()).filter(unit=unit, role__in=roles)
    staff: QuerySet[Any] = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )
    return staff


def staff_member(unit: Unit, username: str) -> Any:
    """The person of :func:`unit_staff` with ``username``, or None."""
    return unit_staff(unit).filter(username=username).first()


def unit_today(code: str) -> Unit | None:
    """The unit with ``code`` in force today (the highest level if a code is shared)."""
    from gandan.core.models import valid_on_q

    unit: Unit | None = (
        Unit.objects.filter(valid_on_q(timezone.localdate()), code=code).order_by("level").first()
    )
    return unit


# The staff timeline


def _local(value: Any) -> str:
    try:
        return f"{timezone.localtime(dt.datetime.fromisoformat(str(value))):%H:%M %d/%m/%Y}"
    except ValueError:
        return str(value)


def _event_text(event: Event, units: dict[str, str], steps: dict[int, str]) -> str:
    data = event.data or {}
    parts = []
    if data.get("to_unit") and event.kind != E.RECEIVED:
        parts.append(f"đến {units.get(data['to_unit'], data['to_unit'])}")
    if data.get("step") and event.kind in (E.FORWARDED, E.TRANSFERRED, E.SENT_BACK):
        parts.append(f"bước {data['step']}. {steps.get(data['step'], '')}".strip())
    if data.get("to_user"):
        parts.append(f"giao cho {data['to_user']}")
    if data.get("due"):
        parts.append(f"hạn {_local(data['due'])}")
    if data.get("new_appointment"):
        parts.append(f"hẹn lại {_local(data['new_appointment'])}")
    if data.get("amount"):
        parts.append(f"số tiền {data['amount']:,} đồng".replace(",", "."))
    if data.get("via"):
        parts.append("qua " + via_text(str(data["via"])))
    if data.get("late"):
        parts.append("trễ hạn")
    for key in ("reason", "note"):
        if data.get(key):
            parts.append(f"{'Lý do' if key == 'reason' else 'Ghi chú'}: {data[key]}")
    return "; ".join(parts)


def desk_timeline(dossier: Dossier) -> list[dict[str, Any]]:
    """The staff timeline of a dossier: each event with its label and what it carried."""
    events = list(dossier_events(dossier))
    codes = {e.data.get("to_unit") for e in events if isinstance(e.data, dict)} - {None}
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    steps = {step.order: step.name for step in dossier.version.steps.all()}
    return [
        {
            "event": e,
            "label": e.label,
            "text": _event_text(e, units, steps),
        }
        for e in events
    ]

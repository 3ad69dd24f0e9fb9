"""Reads of the one-stop desk: Decision 766 metrics, the tracking sheet, the look-up.

Metrics for a period [``start``, ``end``] (whole local days):
- *received*: dossiers received in the period (refused and not-yet-accepted ones excluded);
- *finished*: dossiers whose result was ready in the period;
- *handled*: finished in the period, plus dossiers still being handled at its end;
- *on time*: handled dossiers whose end (the result, or the period's end if still open) is at
  or before the legal due time — supplement pauses excluded, since they move the due time —
  and with at most one supplement request; *late* = handled − on time;
- *online rate* = online receipts / receipts; *digitisation rate* = finished dossiers with
  digitised inputs and an electronic result / finished; *reuse rate* = receipts reusing a
  stored document / receipts; *average days* = mean office time from the clock's start to
  the result, pauses excluded, in 8-hour days; *satisfaction* = 100 − (late % + complaint %),
  complaints counted over handled dossiers.
Every figure is one SQL aggregate (``GROUP BY`` unit, procedure or officer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from gandan.core import statements
from gandan.core.models import Event
from gandan.core.numbers import percent
from gandan.geo.models import Level, Unit
from gandan.onestop.events import OnestopEvent as E
from gandan.onestop.models import (
    CLOSED_STATUSES,
    Apology,
    ApologyStatus,
    Channel,
    Dossier,
    DossierAction,
    Procedure,
    ProcedureVersion,
    Rating,
    Status,
)

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_DAY = 8.0


# The version in force read with a procedure: (day, version), kept on the instance.
_IN_FORCE = "_version_in_force"
# ``ProcedureVersion.objects.in_force(on).filter(procedure__code=code)
# .select_related("procedure").order_by("-valid_from").first()`` written out: every receipt
# asks it, and the ORM takes longer to write the SQL than the database to answer it.
_WITH_VERSION_SQL = f"""
    SELECT {statements.columns(ProcedureVersion, "v")}, {statements.columns(Procedure, "p")}
    FROM {ProcedureVersion._meta.db_table} v
    JOIN {Procedure._meta.db_table} p ON p.id = v.procedure_id
    WHERE p.code = %s
      AND (v.valid_from IS NULL OR v.valid_from <= %s) AND (v.valid_to IS NULL OR v.valid_to >= %s)
    ORDER BY v.valid_from DESC
    LIMIT 1
"""  # noqa: S608 - table and column names from the models, values as parameters


def procedure_with_version(code: str, on: dt.date) -> Procedure | None:
    """The procedure with ``code``, read in one (prepared) query with its version in force on
    ``on`` (which :func:`version_in_force` then answers without a query); ``None`` if no such
    code.
    """
    found = statements.fetch(_WITH_VERSION_SQL, [code, on, on], ProcedureVersion, Procedure)
    if not found:  # none in force: the procedure alone, if it exists
        return Procedure.objects.filter(code=code).first()
    version: ProcedureVersion = found[0][0]
    procedure: Procedure = found[0][1]
    version.procedure = procedure
    setattr(procedure, _IN_FORCE, (on, version))
    return procedure


def version_in_force(procedure: Procedure, on: dt.date) -> ProcedureVersion | None:
    """The version of ``procedure`` in force on ``on``, the latest to start if several."""
    remembered = procedure.__dict__.get(_IN_FORCE)
    if remembered is not None and remembered[0] == on:
        version: ProcedureVersion = remembered[1]
        return version
    return procedure.versions.in_force(on).order_by("-valid_from").first()


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in Việt Nam's time."""
    if end < start:
        raise ValueError(f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.")
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=LOCAL),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL),
    )


def _rate(part: int, whole: int) -> float | None:
    """A percentage with two decimals; None when there is nothing to divide by."""
    return percent(part, whole, decimals=2) if whole else None


def _aggregates(begin: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    cut = min(end, now)
    received = Q(received_at__gte=begin, received_at__lt=end)
    finished = Q(finished_at__gte=begin, finished_at__lt=end)
    open_at_end = (
        Q(received_at__lt=end)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
        & ~(Q(status__in=CLOSED_STATUSES) & Q(closed_at__lt=end) & Q(finished_at__isnull=True))
    )
    handled = finished | open_at_end
    in_time = Q(supplement_count__lte=1)
    on_time = in_time & (
        (finished & Q(finished_at__lte=F("due_at"))) | (open_at_end & Q(due_at__gte=cut))
    )
    return {
        "received": Count("pk", filter=received),
        "online": Count("pk", filter=received & Q(channel=Channel.ONLINE)),
        "reused": Count("pk", filter=received & Q(reused=True)),
        "finished": Count("pk", filter=finished),
        "digitised": Count("pk", filter=finished & Q(digitised=True, result_electronic=True)),
        "handled": Count("pk", filter=handled),
        "on_time": Count("pk", filter=on_time),
        "complaints": Count("pk", filter=handled & Q(complaint=True)),
        "open": Count("pk", filter=open_at_end),
        "hours": Sum("handling_hours", filter=finished),
    }


def _scope(qs: QuerySet[Dossier], begin: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    # Only dossiers that can count: received before the end and, at the start, finished since
    # or not finished and not closed before it (stopped or withdrawn earlier). Written as two
    # branches each along its own index (``dossier_finished``; the partial
    # ``dossier_unfinished``), so that a period's report reads the dossiers of its period and
    # those still open, not every dossier the province ever received.
    return qs.filter(received_at__lt=end).filter(
        Q(finished_at__gte=begin)
        | Q(finished_at__isnull=True) & (Q(closed_at__isnull=True) | Q(closed_at__gte=begin))
    )


@dataclass
class Figures:
    received: int = 0
    online: int = 0
    reused: int = 0
    finished: int = 0
    digitised: int = 0
    handled: int = 0
    on_time: int = 0
    complaints: int = 0
    open: int = 0
    hours: float = 0.0

    def add(self, row: dict[str, Any]) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    def as_dict(self) -> dict[str, Any]:
        late = self.handled - self.on_time
        late_rate = _rate(late, self.handled)
        complaint_rate = _rate(self.complaints, self.handled)
        satisfaction = None
        if self.handled:
            satisfaction = round(
                max(100.0 - float(late_rate or 0) - float(complaint_rate or 0), 0.0), 2
            )
        return {
            "received": self.received,
            "finished": self.finished,
            "handled": self.handled,
            "open": self.open,
            "on_time": self.on_time,
            "on_time_rate": _rate(self.on_time, self.handled),
            "late": late,
            "late_rate": late_rate,
            "online": self.online,
            "online_rate": _rate(self.online, self.received),
            "digitised": self.digitised,
            "digitisation_rate": _rate(self.digitised, self.finished),
            "reused": self.reused,
            "reuse_rate": _rate(self.reused, self.received),
            "average_days": round(self.hours / self.finished / HOURS_PER_DAY, 2)
            if self.finished
            else None,
            "complaints": self.complaints,
            "complaint_rate": complaint_rate,
            "satisfaction": satisfaction,
        }


def _grouped(
    qs: QuerySet[Dossier], key: str, begin: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[Any, Figures]:
    rows = _scope(qs, begin, end).values(key).annotate(**_aggregates(begin, end, now)).order_by()
    found: dict[Any, Figures] = {}
    for row in rows:
        figures = found.setdefault(row[key], Figures())
        figures.add(row)
    return found


def children_of(unit: Unit, on: dt.date) -> QuerySet[Unit]:
    qs = Unit.objects.filter(valid_from__lte=on) | Unit.objects.filter(valid_from__isnull=True)
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if unit.level == Level.PROVINCE:
        return qs.filter(province_code=unit.province_code, level=Level.COMMUNE).order_by("name")
    return qs.filter(pk=unit.pk)


def onestop_report(
    *, unit: Unit, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The Decision 766 figures of ``unit`` (a province or a commune) for the period, with
    one row per commune of a province (sorted by name), ratings and the rank by on-time rate."""
    now = now or timezone.now()
    begin, stop = period_bounds(start, end)
    base = Dossier.objects.filter(province_code=unit.province_code)
    if unit.level != Level.PROVINCE:
        base = base.filter(unit=unit)
    by_unit = _grouped(base, "unit_id", begin, stop, now)
    total = Figures()
    for figures in by_unit.values():
        total.add(figures.__dict__)
    ratings = _ratings(unit, begin, stop)
    rows = []
    for child in children_of(unit, min(end, timezone.localdate(now))):
        figures = by_unit.get(child.pk, Figures())
        rows.append(
            {
                "unit": child.code,
                "name": child.name,
                **figures.as_dict(),
                "rating": ratings["by_unit"].get(child.pk),
            }
        )
    ranked = sorted(
        (row for row in rows if row["handled"]),
        key=lambda row: (-(row["on_time_rate"] or 0), -(row["satisfaction"] or 0), row["name"]),
    )
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank
    return {
        "unit": unit.code,
        "name": unit.name,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **total.as_dict(),
        "rating": ratings["total"],
        "by_unit": rows,
    }


def _ratings(unit: Unit, begin: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    # One pass, joined to the dossiers (not ``dossier IN (subquery)``, which SQLite and
    # PostgreSQL evaluate over every dossier of the scope), summed by unit; the total is the
    # sum of the units' sums, so the average is the same as one AVG over all the ratings.
    qs = Rating.objects.filter(
        dossier__province_code=unit.province_code, rated_at__gte=begin, rated_at__lt=end
    )
    if unit.level != Level.PROVINCE:
        qs = qs.filter(dossier__unit=unit)
    rows = list(
        qs.values("dossier__unit_id").annotate(count=Count("pk"), points=Sum("average")).order_by()
    )
    by_unit = {
        row["dossier__unit_id"]: {
            "count": row["count"],
            "average": round(row["points"] / row["count"], 2),
        }
        for row in rows
    }
    count = sum(row["count"] for row in rows)
    points = sum(row["points"] for row in rows)
    return {
        "total": {"count": count, "average": round(points / count, 2)} if count else None,
        "by_unit": by_unit,
    }


def onestop_breakdown(
    *, unit: Unit, start: dt.date, end: dt.date, by: str, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """The same figures by procedure (``by="procedure"``) or by officer (``by="officer"``)."""
    now = now or timezone.now()
    begin, stop = period_bounds(start, end)
    base = Dossier.objects.filter(province_code=unit.province_code)
    if unit.level != Level.PROVINCE:
        base = base.filter(unit=unit)
    if by == "procedure":
        key, names = "version__procedure_id", _procedure_names
    elif by == "officer":
        key, names = "handled_by_id", _officer_names
    else:
        raise ValueError(f"Không có cách chia theo {by!r}.")
    grouped = _grouped(base, key, begin, stop, now)
    labels = names([k for k in grouped if k is not None])
    rows = [
        {"key": k, "name": labels.get(k, "(chưa có kết quả)"), **figures.as_dict()}
        for k, figures in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row["handled"], row["name"]))


def _procedure_names(keys: list[Any]) -> dict[Any, str]:
    from gandan.onestop.models import Procedure

    return {p.pk: f"{p.code} {p.name}" for p in Procedure.objects.filter(pk__in=keys)}


def _officer_names(keys: list[Any]) -> dict[Any, str]:
    from django.contrib.auth import get_user_model

    return {
        u.pk: (u.get_full_name() or u.get_username())
        for u in get_user_model().objects.filter(pk__in=keys)
    }


# ---------------------------------------------------------------------------------------
# One dossier


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
    (``services.action_fits``, the same rule ``services.dossier_act`` enforces)."""
    from gandan.onestop.access import may_handle_dossier
    from gandan.onestop.services import action_fits

    if not may_handle_dossier(user, dossier):
        return []
    return [action for action in DossierAction if action_fits(dossier, action)]


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


def unit_today(code: str) -> Unit | None:
    """The unit with ``code`` in force today (the highest level if a code is shared)."""
    from gandan.core.models import valid_on_q

    unit: Unit | None = (
        Unit.objects.filter(valid_on_q(timezone.localdate()), code=code).order_by("level").first()
    )
    return unit


# ---------------------------------------------------------------------------------------
# The printable forms a dossier has


def dossier_forms(dossier: Dossier) -> list[str]:
    """The numbers of the one-stop forms (01–06) that fit ``dossier`` now: the desk links
    exactly these, and ``pdf.form_context`` prints no other."""

    fits = {
        "01": dossier.received_at is not None,
        "02": dossier.supplement_count > 0 and dossier.supplements.exists(),
        "03": dossier.status == Status.REFUSED,
        # A draft is not printed: only an apology the leader approved (sent or not).
        "04": dossier.apologies.filter(
            status__in=[ApologyStatus.APPROVED, ApologyStatus.SENT]
        ).exists(),
        "05": dossier.status == Status.STOPPED,
        "06": dossier.starts_at is not None and dossier.due_at is not None,
    }
    return [number for number, fit in fits.items() if fit]


# ---------------------------------------------------------------------------------------
# The dossier list (desk and API)


def dossier_list(user: Any, params: Any) -> Any:
    """The dossiers in ``user``'s scope that ``params`` select (a ``DossierFilter``: its
    ``form`` for the screen, its ``qs`` for the rows), newest first."""
    from gandan.onestop.access import dossiers_in_scope
    from gandan.onestop.filters import DossierFilter

    found = (
        dossiers_in_scope(user)
        .select_related("version__procedure", "current_unit", "unit", "assignee")
        .order_by("-submitted_at", "-id")
    )
    return DossierFilter(params, queryset=found)


def status_counts(user: Any) -> dict[int, int]:
    """How many dossiers of ``user``'s scope are in each status."""
    from gandan.onestop.access import dossiers_in_scope

    return dict(
        dossiers_in_scope(user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )


def receiving_units(user: Any) -> list[Unit]:
    """The communes the user receives dossiers for (a writing role there)."""
    from gandan.accounts.access import units_in_scope

    return list(
        units_in_scope(user, for_write=True)
        .valid_on(timezone.localdate())
        .filter(level=Level.COMMUNE)
        .order_by("name")
    )


def unit_names(codes: Any) -> dict[str, str]:
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def commune_procedures() -> list[Procedure]:
    """The commune-level procedures, by field and name (the counter's choice)."""
    return list(Procedure.objects.filter(level="commune").order_by("field", "name"))


def version_today(procedure: Procedure) -> ProcedureVersion | None:
    version: ProcedureVersion | None = (
        procedure.versions.in_force(timezone.localdate()).order_by("-valid_from").first()
    )
    return version


def due_soon(dossier: Dossier, *, now: dt.datetime) -> bool:
    """Whether an open dossier is on its unit's early-warning list."""
    return (
        dossier.is_open
        and warning_list(Unit.objects.filter(pk=dossier.current_unit_id), now=now)
        .filter(pk=dossier.pk)
        .exists()
    )


def apologies_pending(user: Any) -> list[Apology]:
    """Apologies of the user's dossiers waiting for approval or approved and not yet sent."""
    from gandan.onestop.access import dossiers_in_scope

    return list(
        Apology.objects.filter(
            dossier__in=dossiers_in_scope(user).values("pk"),
            status__in=[ApologyStatus.DRAFT, ApologyStatus.APPROVED],
        )
        .select_related("dossier__version__procedure", "dossier__unit", "drafted_by", "approved_by")
        .order_by("new_appointment_at", "pk")
    )


def desk_warnings(user: Any, *, now: dt.datetime) -> QuerySet[Dossier]:
    """The early-warning list of the units in ``user``'s scope."""
    from gandan.accounts.access import units_in_scope

    return warning_list(units_in_scope(user).values("pk"), now=now)


def dossier_apologies(dossier: Dossier) -> list[Apology]:
    return list(
        dossier.apologies.select_related("drafted_by", "approved_by").order_by("drafted_at")
    )


def dossier_supplements(dossier: Dossier) -> list[Any]:
    return list(dossier.supplements.order_by("requested_at"))


# ---------------------------------------------------------------------------------------
# Small reads of the public pages and the dashboard


def home_communes() -> QuerySet[Unit]:
    """The communes of the province served, today, by name (online filing's choice)."""
    from gandan.core.models import valid_on_q
    from gandan.geo.province import home_code

    return Unit.objects.filter(
        valid_on_q(timezone.localdate()), province_code=home_code(), level=Level.COMMUNE
    ).order_by("name")


def online_versions() -> QuerySet[ProcedureVersion]:
    """The procedure versions in force today that take dossiers online."""
    from gandan.onestop.models import OnlineLevel

    return (
        ProcedureVersion.objects.in_force(timezone.localdate())
        .exclude(online=OnlineLevel.NONE)
        .select_related("procedure")
        .order_by("procedure__field", "procedure__name", F("valid_from").desc())
    )


def online_version(code: str) -> ProcedureVersion | None:
    """The version in force today of the procedure ``code``, if it takes dossiers online."""
    version: ProcedureVersion | None = online_versions().filter(procedure__code=code).first()
    return version


def communes_named(province_code: str, codes: list[str], *, on: dt.date) -> QuerySet[Unit]:
    return (
        Unit.objects.valid_on(on)
        .filter(province_code=province_code, level=Level.COMMUNE, code__in=codes)
        .order_by("code")
    )


def picker_units(user: Any, province_code: str, *, on: dt.date) -> QuerySet[Unit]:
    """The province and communes of ``user``'s scope in ``province_code`` on ``on``."""
    from gandan.accounts.access import units_in_scope

    found: QuerySet[Unit] = (
        units_in_scope(user)
        .valid_on(on)
        .filter(province_code=province_code, level__in=[Level.PROVINCE, Level.COMMUNE])
        .only("code", "name", "level")
    )
    return found


def current_step_name(dossier: Dossier) -> str:
    step = dossier.version.steps.filter(order=dossier.step_order).first()
    return step.name if step is not None else ""


def dossier_by_pk(pk: int) -> Dossier | None:
    """A dossier by its id, unscoped: for a signed rating link, whose signature is the check."""
    return Dossier.objects.select_related("unit", "version__procedure").filter(pk=pk).first()


def dossier_document(dossier: Dossier, pk: int) -> Any:
    return dossier.documents.filter(pk=pk).first()


def is_rated(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier).exists()

"""Reads for citizen reports: public lists, nearby open reports, statistics (in SQL)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from gandan.core.calendar import WorkingCalendar
from gandan.core.models import Event
from gandan.core.numbers import percent
from gandan.feedback.access import reports_in_scope
from gandan.feedback.events import PUBLIC_REPORT_EVENTS, ReportEvent
from gandan.feedback.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    Category,
    Report,
    ReportQuerySet,
    Status,
    overdue_q,
)
from gandan.feedback.services import distance_m
from gandan.geo.models import Unit

DUPLICATE_RADIUS_M = 50.0
_DEGREES_PER_M = 1 / 111_320  # one metre in degrees of latitude


def public_reports() -> ReportQuerySet:
    """What the public may list: every report but merged duplicates, newest first, with the joins used."""
    return (
        Report.objects.public().select_related("category", "unit").order_by("-received_at", "-id")
    )


def units_below(unit: Unit) -> Any:
    """Ids of ``unit`` and every unit under it (any date): reports routed to any of them."""
    return Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit)).values("pk")


def nearby_open(
    category_id: int, latitude: float, longitude: float, *, radius_m: float = DUPLICATE_RADIUS_M
) -> list[Report]:
    """Open reports of the same category within ``radius_m`` of a point, nearest first.

    A bounding box on the indexed (category, latitude, longitude) narrows the search; the exact
    distance is then computed for the few candidates.
    """
    dlat = radius_m * _DEGREES_PER_M
    dlon = dlat / max(0.2, abs(math.cos(math.radians(latitude))))
    candidates = (
        Report.objects.public()
        .open()
        .filter(
            category_id=category_id,
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlon, longitude + dlon),
        )
    )
    found = [
        (distance_m(latitude, longitude, r.latitude or 0, r.longitude or 0), r)
        for r in candidates[:50]
    ]
    return [r for d, r in sorted(found, key=lambda pair: pair[0]) if d <= radius_m]


def statistics(
    unit: Unit | None, date_from: dt.date, date_to: dt.date, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Received, answered, answered on time and satisfaction, for reports received in the period.

    ``open`` and ``overdue`` are the reports' state at ``now`` (default: the present), overdue
    as the staff queue and the API mean it (:func:`~gandan.feedback.models.overdue_q`).
    Grouped in the database by category and by handling unit.
    """
    now = now or timezone.now()
    qs = Report.objects.public().filter(
        received_at__date__gte=date_from, received_at__date__lte=date_to
    )
    if unit is not None:
        qs = qs.filter(unit_id__in=units_below(unit))
    measures = {
        "received": Count("id"),
        "answered": Count("id", filter=Q(status__in=ANSWERED_STATUSES)),
        "on_time": Count(
            "id", filter=Q(status__in=ANSWERED_STATUSES, answered_at__lte=F("due_at"))
        ),
        "open": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "overdue": Count("id", filter=overdue_q(now)),
        "rated": Count("id", filter=Q(satisfied__isnull=False)),
        "satisfied": Count("id", filter=Q(satisfied=True)),
    }

    def shape(row: dict[str, Any]) -> dict[str, Any]:
        return {
            **{key: row[key] for key in measures},
            "on_time_rate": percent(row["on_time"], row["answered"]),
            "satisfaction_rate": percent(row["satisfied"], row["rated"]),
        }

    total = qs.aggregate(**measures)
    by_category = [
        {"code": row["category__code"], "name": row["category__name"], **shape(row)}
        for row in qs.values("category__code", "category__name")
        .annotate(**measures)
        .order_by("category__name")
    ]
    by_unit = [
        {"code": row["unit__code"], "name": row["unit__name"], **shape(row)}
        for row in qs.values("unit__code", "unit__name").annotate(**measures).order_by("unit__name")
    ]
    return {**shape(total), "by_category": by_category, "by_unit": by_unit}


# --- Follow-up of meetings ---------------------------------------------------------------------


def task_counts(tasks: Any, as_of: dt.date) -> dict[str, int]:
    """Assigned, answered (on time / late), open (of which late) — one aggregate query."""
    from gandan.feedback.models import TASK_OPEN

    answered = ~Q(status__in=TASK_OPEN)
    counts: dict[str, int] = tasks.aggregate(
        assigned=Count("id"),
        answered=Count("id", filter=answered),
        answered_on_time=Count("id", filter=answered & Q(answered_on__lte=F("deadline"))),
        answered_late=Count("id", filter=answered & Q(answered_on__gt=F("deadline"))),
        in_progress=Count("id", filter=Q(status__in=TASK_OPEN, deadline__gte=as_of)),
        late_open=Count("id", filter=Q(status__in=TASK_OPEN, deadline__lt=as_of)),
        accepted=Count("id", filter=Q(status="accepted")),
    )
    return counts


def followup(unit: Unit | None, as_of: dt.date) -> dict[str, Any]:
    """Per agency and per meeting: how the follow-up tasks stand on ``as_of``."""
    from gandan.feedback.models import TASK_OPEN, Meeting, Task

    tasks = Task.objects.filter(assigned_on__lte=as_of)
    meetings = Meeting.objects.filter(held_on__lte=as_of)
    if unit is not None:
        tasks = tasks.filter(province_code=unit.province_code)
        meetings = meetings.filter(host_unit_id__in=units_below(unit)) | meetings.filter(
            province_code=unit.province_code
        )
    answered = ~Q(status__in=TASK_OPEN)
    by_agency = [
        {
            "agency": row["lead__name"],
            **{k: row[k] for k in row if k != "lead__name"},
            "on_time_rate": percent(row["answered_on_time"], row["answered"]),
        }
        for row in tasks.values("lead__name")
        .annotate(
            assigned=Count("id"),
            answered=Count("id", filter=answered),
            answered_on_time=Count("id", filter=answered & Q(answered_on__lte=F("deadline"))),
            late=Count(
                "id",
                filter=(answered & Q(answered_on__gt=F("deadline")))
                | Q(status__in=TASK_OPEN, deadline__lt=as_of),
            ),
            open=Count("id", filter=Q(status__in=TASK_OPEN)),
        )
        .order_by("lead__name")
    ]
    by_meeting = []
    for meeting in meetings.distinct().order_by("-held_on"):
        counts = task_counts(tasks.filter(opinion__meeting=meeting), as_of)
        opinions = meeting.opinions.count()
        by_meeting.append(
            {
                "meeting": meeting.title,
                "held_on": meeting.held_on.isoformat(),
                "opinions": opinions,
                **counts,
                "summary": (
                    f"{opinions} ý kiến: {counts['answered']} đã trả lời, {counts['in_progress']} đang thực hiện, "
                    f"{counts['late_open']} quá hạn"
                ),
            }
        )
    return {"by_agency": by_agency, "by_meeting": by_meeting, **task_counts(tasks, as_of)}


# --- The staff queue ------------------------------------------------------------------------------

# "Due soon": at most one working day of office time left.
DUE_SOON = dt.timedelta(hours=8)


def staff_reports(
    user: Any,
    *,
    now: dt.datetime,
    status: str = "",
    category: Category | None = None,
    unit_code: str = "",
    overdue: bool = False,
) -> ReportQuerySet:
    """The reports in the user's scope, filtered, soonest due first.

    ``status`` is a status value, ``"open"`` for every open status, or empty for all;
    ``unit_code`` keeps reports handled by that unit or a unit under it.
    """
    found = reports_in_scope(user).select_related("category", "unit")
    if status == "open":
        found = found.open()
    elif status in Status.values:
        found = found.filter(status=status)
    if category is not None:
        found = found.filter(category=category)
    if unit_code:
        found = found.filter(
            Q(unit__code=unit_code)
            | Q(unit__parent__code=unit_code)
            | Q(unit__parent__parent__code=unit_code)
        )
    if overdue:
        found = found.overdue(now=now)
    return found.order_by("due_at", "id")


def is_due_soon(report: Report, now: dt.datetime, calendar: WorkingCalendar) -> bool:
    """Open, not yet overdue, and due within one working day of office time."""
    if not report.is_open or report.is_overdue(now):
        return False
    return calendar.working_hours_between(now, report.due_at) <= DUE_SOON


def report_events(report: Report) -> Any:
    """Every event of a report, oldest first, with who did it: the staff page's and the API's."""
    return Event.objects.filter(
        subject_type=report._meta.label_lower, subject_id=str(report.pk)
    ).select_related("actor")


# --- The public timeline of a report --------------------------------------------------------------


def report_timeline(report: Report) -> list[dict[str, Any]]:
    """The public steps of a report, oldest first: what happened and when, never by whom."""
    steps = []
    events = Event.objects.filter(
        subject_type="feedback.report", subject_id=str(report.pk), kind__in=PUBLIC_REPORT_EVENTS
    ).only("occurred_at", "kind", "data")
    for event in events:
        label = event.label
        status = (event.data or {}).get("status")
        status_label = Status(status).label if status in Status.values else ""
        if event.kind == ReportEvent.STATUS:
            label = status_label or label
        elif event.kind == ReportEvent.ANSWERED and status_label:
            label = f"{label}: {status_label.lower()}"
        steps.append({"at": event.occurred_at, "label": label, "kind": event.kind})
    return steps

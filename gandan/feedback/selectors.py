"""Reads for citizen reports: public lists, nearby open reports, statistics (in SQL)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from gandan.accounts.access import units_in_scope
from gandan.core.calendar import WorkingCalendar
from gandan.core.models import Event
from gandan.core.numbers import percent
from gandan.feedback.access import reports_in_scope, tasks_in_scope
from gandan.feedback.events import PUBLIC_REPORT_EVENTS, ReportEvent
from gandan.feedback.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    TASK_OPEN,
    Category,
    Meeting,
    Moderation,
    Opinion,
    Photo,
    Report,
    ReportQuerySet,
    Status,
    Task,
    overdue_q,
)
from gandan.feedback.services import distance_m
from gandan.geo.models import Level, Unit
from gandan.geo.province import home_unit
from gandan.geo.selectors import UnitNotFound, descendants

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


# --- What the public pages and Open311 list -------------------------------------------------------


def active_categories() -> Any:
    """The categories still receiving reports, in the order the form and Open311 show them."""
    return Category.objects.filter(active=True).order_by("order", "code")


def active_category(code: str) -> Category | None:
    found: Category | None = active_categories().filter(code=code).first()
    return found


def home_communes(on: dt.date) -> list[Unit]:
    """The home province's communes on ``on``, by name (none before the units are loaded)."""
    try:
        province = home_unit(as_of=on)
    except UnitNotFound:
        return []
    return list(descendants(province, as_of=on).filter(level=Level.COMMUNE).order_by("search_name"))


def units_with_reports() -> Any:
    """Every unit some report went to, provinces first, then by name."""
    return Unit.objects.filter(pk__in=Report.objects.values("unit_id")).order_by(
        "level", "search_name"
    )


def public_reports_filtered(
    *,
    unit_code: str = "",
    categories: Any = None,
    state: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> ReportQuerySet:
    """The public list (page and Open311) narrowed by handling unit, categories (objects or
    codes), ``state`` ("open", "closed" or "" for both) and reception time."""
    reports = public_reports()
    if unit_code:
        reports = reports.filter(unit__code=unit_code)
    if categories:
        codes = [c.code if isinstance(c, Category) else c for c in categories]
        reports = reports.filter(category__code__in=codes)
    if state == "open":
        reports = reports.open()
    elif state == "closed":
        reports = reports.exclude(status__in=OPEN_STATUSES)
    if since is not None:
        reports = reports.filter(received_at__gte=since)
    if until is not None:
        reports = reports.filter(received_at__lte=until)
    return reports


def report_by_code(code: str) -> Report | None:
    """Any report, merged duplicates too (their page sends the reader to the original)."""
    found: Report | None = (
        Report.objects.select_related("category", "unit", "duplicate_of").filter(code=code).first()
    )
    return found


def reports_by_codes(codes: list[str]) -> ReportQuerySet:
    """Reports asked for by code: merged duplicates too, so a client can follow what it sent."""
    return Report.objects.filter(code__in=codes).order_by("-received_at", "-id")


def public_photos(report: Report) -> list[Photo]:
    """The photos moderation has not redacted, in the order they were sent."""
    return list(report.photos.filter(redacted=False).order_by("pk"))


def public_photo(photo_id: int) -> Photo | None:
    found: Photo | None = Photo.objects.filter(pk=photo_id, redacted=False).first()
    return found


def first_public_photo() -> Subquery:
    """The id of a report's first photo that moderation has not redacted (NULL if none)."""
    photos = Photo.objects.filter(report=OuterRef("pk"), redacted=False).order_by("pk")
    return Subquery(photos.values("pk")[:1])


# --- What the staff pages show beside a report ----------------------------------------------------


@dataclass(frozen=True)
class ReportExtras:
    photos: list[Photo]
    moderations: list[Moderation]
    duplicates: list[Report]


def report_extras(report: Report) -> ReportExtras:
    """Every photo (redacted too), the moderation history and the reports merged into it."""
    return ReportExtras(
        photos=list(report.photos.order_by("pk")),
        moderations=list(report.moderations.select_related("by")),
        duplicates=list(report.duplicates.order_by("received_at")),
    )


def entry_communes(user: Any, on: dt.date) -> list[Unit]:
    """The communes (with a centre) where the user may enter a report received by phone."""
    return list(
        units_in_scope(user, for_write=True)
        .valid_on(on)
        .filter(level=Level.COMMUNE, latitude__isnull=False)
        .order_by("name")
    )


# --- Meetings and tasks ---------------------------------------------------------------------------


def meetings() -> Any:
    """Every meeting, newest first, with its opinions and their tasks (the API's list)."""
    return (
        Meeting.objects.select_related("host_unit")
        .prefetch_related("opinions__tasks__lead")
        .order_by("-held_on")
    )


def meeting_rows(today: dt.date, *, limit: int = 100) -> list[dict[str, Any]]:
    """The latest meetings with how their follow-up stands today."""
    return [
        {
            "meeting": m,
            **task_counts(Task.objects.filter(opinion__meeting=m), today),
            "opinions": m.opinions.count(),
        }
        for m in Meeting.objects.select_related("host_unit").order_by("-held_on")[:limit]
    ]


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    opinions: list[Opinion]
    counts: dict[str, int]


def meeting_page(meeting_id: int, today: dt.date) -> MeetingPage | None:
    """One meeting, its opinions in order with their tasks, and how the follow-up stands."""
    meeting = Meeting.objects.select_related("host_unit").filter(pk=meeting_id).first()
    if meeting is None:
        return None
    opinions = list(
        meeting.opinions.select_related("author_unit")
        .prefetch_related("tasks__lead")
        .order_by("number")
    )
    counts = task_counts(Task.objects.filter(opinion__meeting=meeting), today)
    return MeetingPage(meeting, opinions, counts)


def tasks_of(user: Any) -> Any:
    """The tasks in the user's scope, soonest deadline first (the API's list)."""
    return tasks_in_scope(user).select_related("lead", "opinion").order_by("deadline", "id")


def open_tasks_by_urgency(user: Any, today: dt.date) -> dict[str, list[Task]]:
    """The open tasks in the user's scope: overdue, due within a week, later."""
    tasks = tasks_in_scope(user).filter(status__in=TASK_OPEN)
    week = today + dt.timedelta(days=7)
    found = list(tasks.select_related("lead", "opinion__meeting").order_by("deadline"))
    return {
        "overdue": [t for t in found if t.deadline < today],
        "soon": [t for t in found if today <= t.deadline <= week],
        "later": [t for t in found if t.deadline > week],
    }


def task_notes(task: Task) -> Any:
    return task.notes.select_related("by")

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

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from gandan.core.figures import Kept, computed_now, kept
from gandan.core.numbers import percent
from gandan.geo.models import Level, Unit
from gandan.onestop.models import (
    CLOSED_STATUSES,
    Channel,
    Dossier,
    Procedure,
    Rating,
)
from gandan.onestop.selectors.catalogue import (
    HOURS_PER_DAY,
    period_bounds,
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

    return {p.pk: f"{p.code} {p.name}" for p in Procedure.objects.filter(pk__in=keys)}


def _officer_names(keys: list[Any]) -> dict[Any, str]:
    from django.contrib.auth import get_user_model

    return {
        u.pk: (u.get_full_name() or u.get_username())
        for u in get_user_model().objects.filter(pk__in=keys)
    }


# --- Kept figures ------------------------------------------------------------------------------


def onestop_report_by_id(unit_id: int, start: str, end: str) -> dict[str, Any]:
    """:func:`onestop_report` with JSON parameters, as :func:`onestop_figures` keeps it."""
    return onestop_report(
        unit=Unit.objects.get(pk=unit_id),
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
    )


def onestop_figures(*, unit: Unit, start: dt.date, end: dt.date) -> Kept:
    """The Decision 766 report the dashboard, its downloads and the API show, with when it was
    computed: a commune's on each request; a province's — every dossier of its period — kept
    (``core.figures``)."""
    if unit.level != Level.PROVINCE:
        return computed_now(onestop_report(unit=unit, start=start, end=end))
    return kept(onestop_report_by_id, unit_id=unit.pk, start=start.isoformat(), end=end.isoformat())

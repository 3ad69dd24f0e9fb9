"""What the one-stop dashboard adds to the Decision 766 report: receipts week by week, and the
charts and map that lay the report out.

The figures themselves come from :func:`gandan.onestop.selectors.onestop_report` and
:func:`~gandan.onestop.selectors.onestop_breakdown` (the same functions behind ``gandan report
onestop`` and ``/api/v1/reports/onestop/``). The weekly series is one SQL aggregate grouped by
the week (Monday) of receipt in Việt Nam's time, counted on the same dossiers as the report's
*received*, so its weeks add up to that figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from gandan.core import charts
from gandan.core.figures import kept
from gandan.geo.maps import UnitMap
from gandan.geo.models import Level, Unit
from gandan.onestop.models import Channel, Dossier
from gandan.onestop.selectors import LOCAL, onestop_breakdown, period_bounds

ON_TIME = "Đúng hạn"
LATE = "Trễ hạn"
ON_TIME_FILL = "#1e7b34"
LATE_FILL = "#b3261e"
CHANNELS = [
    (Channel.ONLINE, "Trực tuyến"),
    (Channel.COUNTER, "Trực tiếp tại quầy"),
    (Channel.POST, "Bưu chính công ích"),
]
LOW_ON_TIME = 80.0  # a commune below this is marked in the ranking
CHANNEL_FILLS = {"Trực tuyến": "#0b5cad", "Trực tiếp tại quầy": "#8a4f00"}


@dataclass(frozen=True)
class Week:
    """Receipts of one week (Monday to Sunday), cut to the period at both ends."""

    monday: dt.date
    first: dt.date  # the first day of the week inside the period
    last: dt.date  # the last day of the week inside the period
    by_channel: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())

    @property
    def label(self) -> str:
        return f"{self.first:%d/%m}–{self.last:%d/%m}"


def _dossiers_of(unit: Unit) -> Any:
    # The report's own base: a province counts every dossier of its province code.
    base = Dossier.objects.filter(province_code=unit.province_code)
    if unit.level != Level.PROVINCE:
        base = base.filter(unit=unit)
    return base


def weekly_receipts(*, unit: Unit, start: dt.date, end: dt.date) -> list[Week]:
    """Dossiers received in [start, end] per week and channel, every week listed (zeros too).

    One ``GROUP BY`` on the week of ``received_at`` in local time (``TruncWeek`` works on
    SQLite and PostgreSQL alike); the Python loop only runs over the period's weeks.
    """
    begin, stop = period_bounds(start, end)
    rows = (
        _dossiers_of(unit)
        .filter(received_at__gte=begin, received_at__lt=stop)
        .annotate(week=TruncWeek("received_at", tzinfo=LOCAL))
        .values("week")
        .annotate(
            **{
                f"channel_{value}": Count("pk", filter=Q(channel=value))
                for value, _label in CHANNELS
            }
        )
        .order_by("week")
    )
    counted: dict[dt.date, dict[int, int]] = {}
    for row in rows:
        week = row["week"]
        day = (timezone.localtime(week, LOCAL) if timezone.is_aware(week) else week).date()
        counted[day] = {value: row[f"channel_{value}"] for value, _label in CHANNELS}
    weeks = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        weeks.append(
            Week(
                monday=monday,
                first=max(monday, start),
                last=min(monday + dt.timedelta(days=6), end),
                by_channel=counted.get(monday, dict.fromkeys((v for v, _l in CHANNELS), 0)),
            )
        )
        monday += dt.timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class DashboardExtras:
    """What the dashboard shows beside the report: receipts by week, figures by procedure and
    (when asked) by officer."""

    weeks: list[Week]
    by_procedure: list[dict[str, Any]]
    by_officer: list[dict[str, Any]] | None


def dashboard_extras_by_id(unit_id: int, start: str, end: str, officers: bool) -> dict[str, Any]:
    """:class:`DashboardExtras` as JSON, as :func:`dashboard_extras` keeps it for a province."""
    unit = Unit.objects.get(pk=unit_id)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return {
        "weeks": [
            {
                "monday": week.monday,
                "first": week.first,
                "last": week.last,
                "by_channel": list(week.by_channel.items()),
            }
            for week in weekly_receipts(unit=unit, start=first, end=last)
        ],
        "by_procedure": onestop_breakdown(unit=unit, start=first, end=last, by="procedure"),
        "by_officer": onestop_breakdown(unit=unit, start=first, end=last, by="officer")
        if officers
        else None,
    }


def dashboard_extras(
    *, unit: Unit, start: dt.date, end: dt.date, officers: bool
) -> DashboardExtras:
    """:class:`DashboardExtras` of the period: kept for a province, as the report
    (:func:`~gandan.onestop.selectors.onestop_figures`); a commune's computed on each request."""
    params: dict[str, Any] = {
        "unit_id": unit.pk,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "officers": officers,
    }
    if unit.level == Level.PROVINCE:
        data = kept(dashboard_extras_by_id, **params).value
    else:
        data = dashboard_extras_by_id(**params)
    weeks = [
        Week(
            monday=dt.date.fromisoformat(str(w["monday"])),
            first=dt.date.fromisoformat(str(w["first"])),
            last=dt.date.fromisoformat(str(w["last"])),
            by_channel={int(channel): int(n) for channel, n in w["by_channel"]},
        )
        for w in data["weeks"]
    ]
    return DashboardExtras(weeks, data["by_procedure"], data["by_officer"])


# --- Charts ------------------------------------------------------------------------------------


def weekly_chart(weeks: Sequence[Week]) -> charts.Chart:
    return charts.stacked_bar_chart(
        {
            week.label: {label: week.by_channel.get(value, 0) for value, label in CHANNELS}
            for week in weeks
        },
        segments=[label for _value, label in CHANNELS],
        title="Hồ sơ tiếp nhận theo tuần, trực tuyến và trực tiếp",
        segment_header="Hình thức nộp",
        label_header="Tuần",
        unit="hồ sơ",
        percent=False,
        table_by_row=True,
        colours=CHANNEL_FILLS,
    )


def on_time_chart(report: Mapping[str, Any]) -> charts.Chart:
    """One bar, the handled dossiers split into on time and late."""
    rows = (
        {"Đã và đang giải quyết": {ON_TIME: report["on_time"], LATE: report["late"]}}
        if report["handled"]
        else {}
    )
    return charts.stacked_bar_chart(
        rows,
        segments=[ON_TIME, LATE],
        title="Hồ sơ đúng hạn và trễ hạn",
        segment_header="Kết quả",
        unit="hồ sơ",
        colours={ON_TIME: ON_TIME_FILL, LATE: LATE_FILL},
    )


def ranking_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The province's communes with a rank (those with handled dossiers), best first."""
    return sorted((row for row in report["by_unit"] if "rank" in row), key=lambda r: r["rank"])


def ranking_chart(report: Mapping[str, Any]) -> charts.Chart:
    ranked = ranking_rows(report)
    return charts.bar_chart(
        {f"{row['rank']}. {row['name']}": row["on_time_rate"] or 0 for row in ranked},
        title="Xếp hạng xã, phường theo tỉ lệ hồ sơ đúng hạn",
        label_header="Hạng, xã, phường",
        value_header="Tỉ lệ đúng hạn (%)",
        unit="%",
        max_value=100,
        warnings=[
            f"{row['rank']}. {row['name']}"
            for row in ranked
            if row["on_time_rate"] is not None and row["on_time_rate"] < LOW_ON_TIME
        ],
    )


# --- The map -----------------------------------------------------------------------------------

# Worse to better, ColorBrewer RdYlGn: the lower the on-time rate, the redder the dot.
ON_TIME_CLASSES: list[tuple[float, float, str, str]] = [
    (0.0, 50.0, "#d7191c", "dưới 50 %"),
    (50.0, 80.0, "#fdae61", "từ 50 % đến dưới 80 %"),
    (80.0, 95.0, "#a6d96a", "từ 80 % đến dưới 95 %"),
    (95.0, 100.0, "#66bd63", "từ 95 % đến dưới 100 %"),
    (100.0, 100.0, "#1a9641", "100 %"),
]


def _class_of(rate: float) -> int:
    for index, (low, high, _fill, _label) in enumerate(ON_TIME_CLASSES):
        if low <= rate < high or rate == high == 100.0:
            return index
    return len(ON_TIME_CLASSES) - 1


def on_time_map(
    drawn: UnitMap, rows: Mapping[str, Mapping[str, Any]], *, url: Callable[[Unit], str]
) -> charts.DotMap:
    """The units of ``drawn`` as dots coloured by the on-time rate of their row (by unit code)."""
    tally = [0] * len(ON_TIME_CLASSES)
    empty = 0
    dots = []
    for point in drawn.points:
        row = rows.get(point.unit.code)
        if row is None or not row["handled"] or row["on_time_rate"] is None:
            empty += 1
            fill = charts.EMPTY_FILL
            detail = "chưa có hồ sơ giải quyết trong kỳ"
        else:
            index = _class_of(float(row["on_time_rate"]))
            tally[index] += 1
            fill = ON_TIME_CLASSES[index][2]
            rank = f", hạng {row['rank']}" if "rank" in row else ""
            detail = (
                f"{percent_text(row['on_time_rate'])} đúng hạn "
                f"({charts.number(row['on_time'])}/{charts.number(row['handled'])} hồ sơ{rank})"
            )
        dots.append(
            charts.Dot.at(
                point.x,
                point.y,
                fill=fill,
                title=f"{point.unit.name}: {detail}",
                label=point.unit.short_name or point.unit.name,
                url=url(point.unit),
            )
        )
    legend = [
        charts.MapClass(label.capitalize(), fill, count)
        for (_low, _high, fill, label), count in zip(ON_TIME_CLASSES, tally, strict=True)
    ]
    if empty:
        legend.append(charts.MapClass("Chưa có hồ sơ giải quyết", charts.EMPTY_FILL, empty))
    return charts.dot_map(
        width=drawn.width,
        height=drawn.height,
        missing=drawn.missing,
        dots=dots,
        legend=legend,
        description=(
            f"Bản đồ {len(dots)} đơn vị, mỗi chấm tô màu theo tỉ lệ hồ sơ giải quyết đúng hạn."
        ),
    )


def percent_text(value: float | None) -> str:
    """A rate as people read it: 16,67 %, 50 %; a dash when there was nothing to divide."""
    if value is None:
        return "—"
    return f"{charts.number(value, 0 if float(value).is_integer() else 2)}\u00a0%"

"""Bar charts drawn on the server as SVG, without JavaScript.

The functions here turn label → value data into a :class:`Chart`: the geometry of every bar,
ready for ``core/_bar_chart.html`` to draw, and the same numbers as a table to show beside
the chart. Bars are laid out in percent of the chart's width and in pixels down the page,
so the SVG fills a phone or a desktop column while its text keeps its size.

Numbers that go into SVG attributes are formatted here with ``f"{x:.2f}"``, never through
Django's localisation (Vietnamese writes 12,5 and an SVG reader would not understand it);
numbers shown to people are formatted for the active language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import formats

# Colours dark enough for white text on them (contrast ≥ 4.5:1), in the order series get them.
PALETTE = [
    "#0b5cad",
    "#b3261e",
    "#1e7b34",
    "#8a4f00",
    "#6a1b9a",
    "#00695c",
    "#4e5a65",
    "#ad1457",
    "#283593",
]
WARNING_FILL = "#b3261e"
TARGET_FILL = "#1b1f24"
TRACK_FILL = "#eef1f4"

PLOT_PCT = 82.0  # the longest bar; the rest of the width holds its value
LABEL_HEIGHT = 18  # a row's label sits on its own line above its bars
BAR_HEIGHT = 16
BAR_GAP = 3
ROW_GAP = 10
AXIS_HEIGHT = 18
FONT_SIZE = 13
MIN_LABELLED_SEGMENT_PCT = (
    8.0  # narrower segments of a stacked bar show their value in <title> only
)

Number = int | float


def number(value: Number | None, decimals: int | None = None) -> str:
    """A number as the rest of the site writes it in the active language (Vietnamese: 59,4)."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if isinstance(value, int) or float(value).is_integer() else 1
    return str(formats.number_format(value, decimals, use_l10n=True, force_grouping=True))


def svg(value: float) -> str:
    """A coordinate for an SVG attribute: always a decimal point, never a locale's comma."""
    return f"{value:.2f}"


@dataclass(frozen=True)
class Bar:
    """One rectangle (a bar, or a segment of a stacked bar) and the text drawn with it."""

    x: str  # percent of the chart's width
    width: str  # percent of the chart's width
    y: str  # pixels
    height: str  # pixels
    fill: str
    title: str  # read by screen readers and shown on hover
    text: str = ""
    text_x: str = ""  # percent
    text_y: str = ""  # pixels
    text_anchor: str = "start"
    text_fill: str = "#1b1f24"
    text_dx: str = "0"  # pixels: the gap between a bar's end and its value


@dataclass(frozen=True)
class Label:
    text: str
    y: str  # pixels, the baseline
    warning: bool = False


@dataclass(frozen=True)
class Marker:
    """A thin vertical line across a bar: a target such as a quota."""

    x: str  # percent
    y1: str  # pixels
    y2: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: str  # percent
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str
    marker: bool = False  # drawn as a line, not a square


@dataclass(frozen=True)
class Table:
    """The chart's numbers as a table: ``rows`` are (header cell, data cells, highlighted)."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str], bool]]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # the SVG's aria-label: what the chart shows, in one sentence
    height: str  # pixels
    labels: list[Label]
    bars: list[Bar]
    table: Table
    legend: list[LegendItem] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    axis_y: str = ""
    empty: bool = False
    font_size: int = FONT_SIZE


def _scale(values: Sequence[Number | None], max_value: Number | None) -> float:
    largest = max([float(v) for v in values if v is not None] + [float(max_value or 0)])
    return largest if largest > 0 else 1.0


def value_bar(
    *,
    value: Number,
    scale: float,
    top: int,
    fill: str,
    title: str,
    text: str,
    start: Number = 0,
) -> Bar:
    """A horizontal bar of length ``value`` from ``start`` (both on ``scale``), at ``top``, with
    ``text`` written after its end."""
    x = PLOT_PCT * float(start) / scale
    width = PLOT_PCT * float(value) / scale
    return Bar(
        x=svg(x),
        width=svg(width),
        y=svg(top),
        height=svg(BAR_HEIGHT),
        fill=fill,
        title=title,
        text=text,
        text_x=svg(x + width),
        text_y=svg(top + BAR_HEIGHT - 4),
        text_dx="4",
    )


def bar_chart(
    values: Mapping[str, Number],
    *,
    title: str,
    label_header: str,
    value_header: str,
    unit: str = "",
    targets: Mapping[str, Number | None] | None = None,
    target_header: str = "",
    no_target_text: str = "",
    warnings: Sequence[str] = (),
    max_value: Number | None = None,
) -> Chart:
    """One bar per label; with ``targets``, a marker per bar (a quota, a cap) and over-target bars in red.

    ``warnings`` names rows to highlight (their label is drawn in red and their table row marked).
    """
    targets = targets or {}
    scale = _scale(list(values.values()) + list(targets.values()), max_value)
    labels: list[Label] = []
    bars: list[Bar] = []
    markers: list[Marker] = []
    rows: list[tuple[str, list[str], bool]] = []
    top = 0
    suffix = f"\u00a0{unit}" if unit else ""  # no line break before the unit
    for label, value in values.items():
        target = targets.get(label)
        over = target is not None and value > target
        warn = label in warnings or over
        labels.append(Label(text=label, y=svg(top + LABEL_HEIGHT - 5), warning=warn))
        bar_top = top + LABEL_HEIGHT
        target_text = (
            f"; {target_header.lower()} {number(target)}"
            if target is not None
            else (f"; {no_target_text.lower()}" if targets and no_target_text else "")
        )
        bars.append(
            value_bar(
                value=value,
                scale=scale,
                top=bar_top,
                fill=WARNING_FILL if over else PALETTE[0],
                title=f"{label}: {number(value)}{suffix}{target_text}",
                text=number(value),
            )
        )
        if target is not None:
            markers.append(
                Marker(
                    x=svg(PLOT_PCT * float(target) / scale),
                    y1=svg(bar_top - 3),
                    y2=svg(bar_top + BAR_HEIGHT + 3),
                    title=f"{label}: {target_header.lower()} {number(target)}",
                )
            )
        cells = [number(value)]
        if targets:
            cells.append(number(target) if target is not None else no_target_text)
        rows.append((label, cells, warn))
        top = bar_top + BAR_HEIGHT + ROW_GAP
    columns = [label_header, value_header] + ([target_header] if targets else [])
    legend = (
        [LegendItem(value_header, PALETTE[0]), LegendItem(target_header, TARGET_FILL, marker=True)]
        if markers
        else []
    )
    return Chart(
        title=title,
        description=f"Biểu đồ thanh: {title}, {len(values)} dòng.",
        height=svg(max(top, 1)),
        labels=labels,
        bars=bars,
        markers=markers,
        legend=legend,
        table=Table(caption=title, columns=columns, rows=rows),
        empty=not values,
    )


def grouped_bar_chart(
    rows: Mapping[str, Mapping[str, Number | None]],
    *,
    series: Sequence[tuple[str, str]],
    title: str,
    label_header: str,
    unit: str = "",
    max_value: Number | None = None,
    decimals: int | None = None,
    notes: Mapping[str, Mapping[str, str]] | None = None,
) -> Chart:
    """For each row label, one bar per series (``series``: key, label), on one scale.

    ``notes`` (row → series → text) adds a remark after a value in the table, such as the count
    behind a percentage.
    """
    scale = _scale([v for row in rows.values() for v in row.values()], max_value)
    suffix = f"\u00a0{unit}" if unit else ""  # no line break before the unit
    labels: list[Label] = []
    bars: list[Bar] = []
    table_rows: list[tuple[str, list[str], bool]] = []
    top = 0
    for label, row in rows.items():
        labels.append(Label(text=label, y=svg(top + LABEL_HEIGHT - 5)))
        top += LABEL_HEIGHT
        cells = []
        for index, (key, series_label) in enumerate(series):
            value = row.get(key)
            shown = number(value, decimals)
            note = (notes or {}).get(label, {}).get(key, "")
            cell = f"{shown}{suffix}" if value is not None else ""
            cells.append(f"{cell} ({note})" if cell and note else cell)
            if value is not None:
                bars.append(
                    value_bar(
                        value=value,
                        scale=scale,
                        top=top,
                        fill=PALETTE[index % len(PALETTE)],
                        title=f"{label} — {series_label}: {shown}{suffix}",
                        text=f"{shown}{suffix}",
                    )
                )
            top += BAR_HEIGHT + BAR_GAP
        table_rows.append((label, cells, False))
        top += ROW_GAP - BAR_GAP
    return Chart(
        title=title,
        description=f"Biểu đồ thanh nhóm: {title}, {len(rows)} nhóm × {len(series)} chuỗi.",
        height=svg(max(top, 1)),
        labels=labels,
        bars=bars,
        legend=[
            LegendItem(series_label, PALETTE[index % len(PALETTE)])
            for index, (_key, series_label) in enumerate(series)
        ],
        table=Table(
            caption=title,
            columns=[label_header] + [series_label for _key, series_label in series],
            rows=table_rows,
        ),
        empty=not rows,
    )


def stacked_bar_chart(
    rows: Mapping[str, Mapping[str, Number]],
    *,
    segments: Sequence[str],
    title: str,
    segment_header: str,
    label_header: str = "",
    unit: str = "",
    percent: bool = True,
    warnings: Sequence[str] = (),
    table_by_row: bool = False,
    colours: Mapping[str, str] | None = None,
) -> Chart:
    """One bar per row, cut into ``segments`` (in that order; others follow, largest first).

    With ``percent`` every bar spans the full width, so groups of different sizes compare by
    their make-up; otherwise bar lengths follow the row totals. The table lists segments down
    and rows across, so that it stays narrow on a phone (``table_by_row``: rows down, for many
    rows and few segments). ``colours`` overrides the palette for segments whose colour carries
    a meaning (red for a failing grade).
    """
    present = {key for row in rows.values() for key, value in row.items() if value}
    extra = sorted(
        present - set(segments),
        key=lambda key: (-sum(float(row.get(key, 0)) for row in rows.values()), key),
    )
    order = [key for key in segments if key in present] + extra
    fills = {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(order)} | {
        key: colour for key, colour in (colours or {}).items() if key in present
    }
    totals = {label: sum(float(v) for v in row.values()) for label, row in rows.items()}
    scale = _scale(list(totals.values()), None)
    width_pct = 100.0 if percent else PLOT_PCT
    suffix = f"\u00a0{unit}" if unit else ""  # no line break before the unit
    labels: list[Label] = []
    bars: list[Bar] = []
    top = AXIS_HEIGHT if percent else 0
    for label, row in rows.items():
        labels.append(Label(text=label, y=svg(top + LABEL_HEIGHT - 5), warning=label in warnings))
        top += LABEL_HEIGHT
        total = totals[label]
        length = width_pct if percent else PLOT_PCT * total / scale
        x = 0.0
        for key in order:
            value = row.get(key, 0)
            if not value or not total:
                continue
            width = length * float(value) / total
            bars.append(
                Bar(
                    x=svg(x),
                    width=svg(width),
                    y=svg(top),
                    height=svg(BAR_HEIGHT),
                    fill=fills[key],
                    title=f"{label} — {key}: {number(value)}{suffix}",
                    text=number(value) if width >= MIN_LABELLED_SEGMENT_PCT else "",
                    text_x=svg(x + width / 2),
                    text_y=svg(top + BAR_HEIGHT - 4),
                    text_anchor="middle",
                    text_fill="#fff",
                )
            )
            x += width
        top += BAR_HEIGHT + ROW_GAP
    ticks = (
        [
            Tick(
                x=svg(p),
                label=f"{p} %",
                anchor="start" if p == 0 else "end" if p == 100 else "middle",
            )
            for p in (0, 25, 50, 75, 100)
        ]
        if percent
        else []
    )
    if table_by_row:
        table = Table(
            caption=title,
            columns=[label_header, *order],
            rows=[
                (label, [number(row.get(key, 0)) for key in order], label in warnings)
                for label, row in rows.items()
            ],
        )
    else:
        table = Table(
            caption=title,
            columns=[segment_header, *rows.keys()],
            rows=[
                (key, [number(row.get(key, 0)) for row in rows.values()], False) for key in order
            ],
        )
    return Chart(
        title=title,
        description=(
            f"Biểu đồ thanh chồng{' theo tỉ lệ phần trăm' if percent else ''}: {title}, "
            f"{len(rows)} thanh, {len(order)} phần."
        ),
        height=svg(max(top, 1)),
        labels=labels,
        bars=bars,
        ticks=ticks,
        axis_y=svg(AXIS_HEIGHT - 6),
        legend=[LegendItem(key, fills[key]) for key in order],
        table=table,
        empty=not order,
    )


# Unit maps: the units of a scope as dots at their centres (``geo.maps.unit_map`` places
# them), coloured by one rate; ``core/_dot_map.html`` draws them with their legend.

EMPTY_FILL = "#c4c9cf"  # a unit with nothing to count


@dataclass(frozen=True)
class MapClass:
    """One entry of a map's legend: a class of the rate, its colour, how many units are in it."""

    label: str
    fill: str
    count: int


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    fill: str
    title: str  # the unit and its figure, read on hover and by screen readers
    label: str
    url: str

    @classmethod
    def at(cls, x: float, y: float, *, fill: str, title: str, label: str, url: str) -> Dot:
        return cls(x=svg(x), y=svg(y), fill=fill, title=title, label=label, url=url)


@dataclass(frozen=True)
class DotMap:
    width: int
    height: int
    radius: str
    labelled: bool
    dots: list[Dot]
    legend: list[MapClass]
    missing: int  # units without coordinates, not drawn
    description: str


def dot_map(
    *,
    width: int,
    height: int,
    missing: int,
    dots: list[Dot],
    legend: list[MapClass],
    description: str,
) -> DotMap:
    """A map of ``dots``: small and unlabelled when there are many (a province's 100 or more
    communes), larger with their names when there are few."""
    many = len(dots) > 60
    return DotMap(
        width=width,
        height=height,
        radius="4.5" if many else "8",
        labelled=not many,
        dots=dots,
        legend=legend,
        missing=missing,
        description=description,
    )

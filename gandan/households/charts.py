"""The shapes of the poverty report that gandan.core.charts does not draw: a waterfall of a list's
transitions, and the classes of the map of communes coloured by their poor-household rate (a
``core.charts.DotMap``, drawn by ``core/_dot_map.html``).

The waterfall is a :class:`gandan.core.charts.Chart`, so ``core/_bar_chart.html`` draws it and
its table like every other chart. Coordinates go into SVG attributes with a decimal point
(never through Django's localisation); numbers shown to people use the active language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gandan.core.charts import (
    BAR_HEIGHT,
    EMPTY_FILL,
    LABEL_HEIGHT,
    PALETTE,
    ROW_GAP,
    Bar,
    Chart,
    Dot,
    DotMap,
    Label,
    LegendItem,
    MapClass,
    Table,
    dot_map,
    number,
    svg,
    value_bar,
)
from gandan.geo.maps import UnitMap
from gandan.geo.models import Unit

MINUS = "\u2212"  # a real minus sign, as print writes it

# What a step does to the list, and the colour that says so.
TOTAL = "total"  # the list at the start or at the end
OUT = "out"  # households that left the list for good reasons: escaped
IN = "in"  # households that came onto the list: fell back, newly poor
MOVE = "move"  # moved in or out, dissolved: the list changes, the households' lives need not
STEP_COLOURS = {TOTAL: PALETTE[0], OUT: "#1e7b34", IN: "#b3261e", MOVE: "#4e5a65"}


def signed(value: int) -> str:
    """A change as people write it: +3, −5, 0."""
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"{MINUS}{number(-value)}"
    return "0"


@dataclass(frozen=True)
class Step:
    """One row of a waterfall: a total (drawn from zero) or a change (drawn from the running total)."""

    label: str
    value: int  # a total, or a signed change
    kind: str  # TOTAL, OUT, IN or MOVE


def waterfall_chart(
    steps: Sequence[Step],
    *,
    title: str,
    unit: str,
    legend: Sequence[tuple[str, str]],
    value_header: str = "Số hộ",
    running_header: str = "Sau biến động",
) -> Chart:
    """A horizontal waterfall: each change is drawn from the running total to its new value.

    ``legend`` is (kind, label) for the kinds to explain. The table beside the chart lists each
    step with its signed value and the running total after it.
    """
    running = 0
    ends: list[int] = []
    for step in steps:
        running = step.value if step.kind == TOTAL else running + step.value
        ends.append(running)
    scale = float(max([*ends, *(s.value for s in steps if s.kind == TOTAL), 0]) or 1)
    suffix = f"\u00a0{unit}" if unit else ""
    labels: list[Label] = []
    bars: list[Bar] = []
    rows: list[tuple[str, list[str], bool]] = []
    top = 0
    before = 0
    for step, after in zip(steps, ends, strict=True):
        labels.append(Label(text=step.label, y=svg(top + LABEL_HEIGHT - 5)))
        bar_top = top + LABEL_HEIGHT
        low, high = (0, step.value) if step.kind == TOTAL else sorted((before, after))
        shown = number(step.value) if step.kind == TOTAL else signed(step.value)
        bars.append(
            value_bar(
                value=high - low,
                start=low,
                scale=scale,
                top=bar_top,
                fill=STEP_COLOURS[step.kind],
                title=f"{step.label}: {shown}{suffix}",
                text=shown,
            )
        )
        rows.append((step.label, [shown, number(after)], False))
        top = bar_top + BAR_HEIGHT + ROW_GAP
        before = after
    return Chart(
        title=title,
        description=f"Biểu đồ thác nước: {title}, {len(steps)} dòng.",
        height=svg(max(top, 1)),
        labels=labels,
        bars=bars,
        legend=[LegendItem(label, STEP_COLOURS[kind]) for kind, label in legend],
        table=Table(caption=title, columns=["Chỉ tiêu", value_header, running_header], rows=rows),
        empty=not steps,
    )


# --- The map -------------------------------------------------------------------------------------

# Light to dark as the rate rises (ColorBrewer YlOrRd), readable in grey too.
RATE_FILLS = ["#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]
ZERO_FILL = "#ffffcc"  # households, none poor
NICE_STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25]


def rate_step(largest: float, classes: int = len(RATE_FILLS)) -> float:
    """The smallest round class width that covers ``largest`` in ``classes`` classes."""
    wanted = largest / classes
    for step in NICE_STEPS:
        if step >= wanted:
            return float(step)
    magnitude = 10 ** math.ceil(math.log10(wanted))
    return float(magnitude)


def _percent(value: float) -> str:
    return f"{number(value, 2 if value % 1 else 0)}\u00a0%"


def rate_map(
    unit_map: UnitMap,
    rows: Mapping[str, Mapping[str, Any]],
    *,
    url: Callable[[Unit], str],
) -> DotMap:
    """The units of ``unit_map`` as dots coloured by ``poor_rate`` of their row (by unit code).

    Classes are round widths from zero up to the largest rate; a unit with households but no
    poor household, and one without households, get their own colours.
    """
    rates = [
        float(rows[p.unit.code]["poor_rate"])
        for p in unit_map.points
        if p.unit.code in rows and rows[p.unit.code]["households"]
    ]
    largest = max(rates, default=0.0)
    step = rate_step(largest) if largest > 0 else 1.0
    count = min(len(RATE_FILLS), max(1, math.ceil(largest / step)))
    classes = [(i * step, (i + 1) * step) for i in range(count)]
    tally = {"zero": 0, "empty": 0} | {str(i): 0 for i in range(count)}

    def class_of(row: Mapping[str, Any] | None) -> str:
        if row is None or not row["households"]:
            return "empty"
        rate = float(row["poor_rate"])
        if rate == 0:
            return "zero"
        for index, (_low, high) in enumerate(classes):
            if rate <= high:
                return str(index)
        return str(count - 1)

    fills = {"zero": ZERO_FILL, "empty": EMPTY_FILL} | {str(i): RATE_FILLS[i] for i in range(count)}
    dots = []
    for point in unit_map.points:
        row = rows.get(point.unit.code)
        key = class_of(row)
        tally[key] += 1
        if row is None or not row["households"]:
            detail = "chưa có số liệu hộ"
        else:
            detail = (
                f"{_percent(float(row['poor_rate']))} hộ nghèo "
                f"({number(row['poor'])}/{number(row['households'])} hộ)"
            )
        dots.append(
            Dot.at(
                point.x,
                point.y,
                fill=fills[key],
                title=f"{point.unit.name}: {detail}",
                label=point.unit.short_name or point.unit.name,
                url=url(point.unit),
            )
        )
    legend = [
        MapClass(
            f"trên {number(low, 2 if low % 1 else 0)} đến {_percent(high)}",
            fills[str(i)],
            tally[str(i)],
        )
        for i, (low, high) in enumerate(classes)
        if largest > 0
    ]
    legend = [
        MapClass("Không có hộ nghèo (0 %)", ZERO_FILL, tally["zero"]),
        *legend,
        MapClass("Chưa có số liệu hộ", EMPTY_FILL, tally["empty"]),
    ]
    return dot_map(
        width=unit_map.width,
        height=unit_map.height,
        missing=unit_map.missing,
        dots=dots,
        # Every class of the scale, so that it reads as one; the two special ones where present.
        legend=[item for item in legend if item.count or item.fill in RATE_FILLS],
        description=(
            f"Bản đồ {len(dots)} đơn vị, mỗi chấm tô màu theo tỉ lệ hộ nghèo; "
            f"cao nhất {_percent(largest)}."
        ),
    )

"""The poverty report screens: what a provincial leader and a commune official look at.

``/households/`` shows one unit's report of one review year — the headline, the transitions
of the poor and near-poor lists, the trend, the map by commune, the breakdowns and the table
by commune or village; ``/households/export/`` gives the same report as Excel (in the layout of
the province's summary form), CSV or JSON. Every number comes from
:func:`gandan.households.selectors.poverty_report`, the function behind ``gandan report
poverty`` and ``/api/v1/reports/poverty/``. The views only choose the unit, the year and the
date, check the scope, and lay the report out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gandan.accounts.access import access_unit_for_staff, current_memberships
from gandan.core import charts
from gandan.core.forms import date_field, year_field
from gandan.geo import selectors as geo
from gandan.geo.maps import unit_map
from gandan.geo.models import Unit
from gandan.geo.province import home_code
from gandan.households import selectors
from gandan.households.charts import IN, MOVE, OUT, TOTAL, Step, rate_map, waterfall_chart
from gandan.households.exports import (
    CHILD_TITLES,
    breakdown_rows,
    day_line,
    poverty_csv,
    poverty_workbook,
)
from gandan.households.models import ReviewStatus, review_date
from gandan.households.selectors import places

MAX_PICKER_UNITS = 400  # a province has at most a few hundred communes
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = [("xlsx", "Excel (.xlsx)"), ("csv", "CSV"), ("json", "JSON")]

# The flows of each list, in the order of the identity end = start − … + …, with their kind.
POOR_FLOWS: list[tuple[str, str, str, int]] = [
    ("escaped", "Thoát nghèo", OUT, -1),
    ("left", "Xóa hộ, không còn trong sổ", MOVE, -1),
    ("moved_out", "Chuyển đi nơi khác", MOVE, -1),
    ("fell_back", "Tái nghèo", IN, 1),
    ("newly_poor", "Nghèo phát sinh", IN, 1),
    ("moved_in", "Chuyển đến", MOVE, 1),
]
NEAR_POOR_FLOWS: list[tuple[str, str, str, int]] = [
    ("near_poor_escaped", "Thoát cận nghèo (kể cả sang hộ nghèo)", OUT, -1),
    ("near_poor_left", "Xóa hộ, không còn trong sổ", MOVE, -1),
    ("near_poor_moved_out", "Chuyển đi nơi khác", MOVE, -1),
    ("near_poor_fell_back", "Tái cận nghèo", IN, 1),
    ("newly_near_poor", "Cận nghèo phát sinh", IN, 1),
    ("near_poor_moved_in", "Chuyển đến", MOVE, 1),
]


class ReportForm(forms.Form):
    unit = forms.CharField(label="Đơn vị", required=False, max_length=8)
    year = year_field("Năm rà soát")
    as_of = date_field("Tính theo ngày", required=False)


class ExportForm(ReportForm):
    format = forms.ChoiceField(
        label="Định dạng",
        required=False,
        choices=EXPORT_FORMATS,
        error_messages={"invalid_choice": "Định dạng không hỗ trợ: chọn xlsx, csv hoặc json."},
    )


@dataclass
class Shown:
    """What a screen or a download is about, once the parameters are read and the scope checked."""

    unit: Unit | None
    year: int
    as_of: dt.date | None  # a later (or earlier) date than the review day, or None
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    report: dict[str, Any] | None = None
    computed_at: dt.datetime | None = None  # when the figures were computed
    kept: bool = False  # a province's figures, kept (core.figures): the page says when computed
    refreshing: bool = False  # kept figures older than their age, being computed again

    @property
    def day(self) -> dt.date:
        """The day units and records are taken on."""
        return self.as_of or review_date(self.year)

    def query(self, **extra: str) -> str:
        params = {"unit": self.unit.code if self.unit else "", "year": str(self.year)}
        if self.as_of is not None:
            params["as_of"] = self.as_of.isoformat()
        return urlencode(params | extra)


def _default_year(today: dt.date) -> int:
    years = selectors.years_with_data()
    if years:
        return years[-1]
    return today.year if today >= review_date(today.year) else today.year - 1


def _clamped(today: dt.date, unit: Unit) -> dt.date:
    """Today, moved into the unit's period of validity."""
    if unit.valid_to is not None and today > unit.valid_to:
        return unit.valid_to
    if unit.valid_from is not None and today < unit.valid_from:
        return unit.valid_from
    return today


def _newer_than(unit: Unit, day: dt.date) -> bool:
    return unit.valid_from is not None and unit.valid_from > day


def _resolve(request: HttpRequest, form: ReportForm) -> Shown:
    """Read the unit, the year and the date; 404 for a unit unknown or outside the user's scope.

    A year asked for without a date is counted on its review day. If the unit did not exist
    then (a commune formed by the 2025 reform asked about 2024), the year is counted as of
    today under today's units, and the page says so. Malformed input is not a 404: the page
    shows the defaults with the error above them.
    """
    form.is_valid()
    data = form.cleaned_data
    today = timezone.localdate()
    errors = [str(e) for name in ("year", "as_of") for e in form.errors.get(name, [])]
    year: int = data.get("year") or _default_year(today)
    as_of: dt.date | None = data.get("as_of")
    if as_of is not None and as_of < dt.date(year, 1, 1):
        errors.append(
            f"Ngày {as_of:%d/%m/%Y} trước năm {year}: đang hiển thị số liệu chốt ngày "
            f"{review_date(year):%d/%m/%Y}."
        )
        as_of = None
    shown = Shown(unit=None, year=year, as_of=as_of, errors=errors)
    typed = (data.get("unit") or "").strip()
    if typed:
        unit = _unit_for_code(typed, shown, today)
    else:
        memberships = current_memberships(request.user)
        if memberships:
            unit = memberships[0].unit
        else:
            # Users without a role (superusers) see the province this installation serves.
            unit = _unit_for_code(home_code(), shown, today)
        if not unit.is_valid_on(shown.day):
            if as_of is not None or not _newer_than(unit, shown.day):
                shown.errors.append(
                    f"{unit.name} (mã {unit.code}) chưa có hoặc không còn vào ngày "
                    f"{shown.day:%d/%m/%Y}: hãy chọn một đơn vị có vào ngày đó."
                )
                return shown
            _count_later(shown, unit, today)
    shown.unit = access_unit_for_staff(request.user, unit.pk)
    if selectors.standard_or_none(year) is None:
        shown.errors.append(f"Không có chuẩn nghèo áp dụng cho kỳ rà soát năm {year}.")
        return shown
    figures = selectors.poverty_figures(shown.unit, year, as_of=shown.as_of)
    shown.report = figures.value
    shown.computed_at, shown.refreshing = figures.computed_at, figures.refreshing
    shown.kept = figures.kept
    return shown


def _unit_for_code(code: str, shown: Shown, today: dt.date) -> Unit:
    try:
        return geo.unit_by_code(code, as_of=shown.day)
    except geo.UnitNotFound as error:
        if shown.as_of is None:
            try:
                newer = geo.unit_by_code(code)
            except geo.UnitNotFound:
                newer = None
            if newer is not None and _newer_than(newer, shown.day):
                _count_later(shown, newer, today)
                return newer
        raise Http404(str(error)) from None


def _count_later(shown: Shown, unit: Unit, today: dt.date) -> None:
    """Count the year under the units of a later day, on which ``unit`` exists."""
    shown.as_of = _clamped(today, unit)
    shown.notices.append(
        f"{unit.name} chưa có vào ngày chốt số liệu năm {shown.year} "
        f"({review_date(shown.year):%d/%m/%Y}): số liệu được tính theo đơn vị hành chính "
        f"ngày {shown.as_of:%d/%m/%Y}, hộ của các xã, phường cũ được tính vào đơn vị kế thừa."
    )


# --- The screen --------------------------------------------------------------------------------


def _flow_steps(
    report: Mapping[str, Any],
    start_key: str,
    end_key: str,
    flows: Sequence[tuple[str, str, str, int]],
    year: int,
) -> list[Step]:
    return [
        Step(f"Đầu kỳ (cuối năm {year - 1})", int(report[start_key]), TOTAL),
        *(Step(label, sign * int(report[key]), kind) for key, label, kind, sign in flows),
        Step(f"Cuối kỳ (cuối năm {year})", int(report[end_key]), TOTAL),
    ]


def _flow_charts(report: Mapping[str, Any], year: int) -> dict[str, Any]:
    charts = {}
    for key, flows, noun, out, back in (
        ("poor", POOR_FLOWS, "hộ nghèo", "Thoát nghèo", "Tái nghèo"),
        ("near_poor", NEAR_POOR_FLOWS, "hộ cận nghèo", "Thoát cận nghèo", "Tái cận nghèo"),
    ):
        charts[f"{key}_chart"] = waterfall_chart(
            _flow_steps(report, f"{key}_start", key, flows, year),
            title=f"Biến động {noun} năm {year}",
            unit="hộ",
            legend=[
                (TOTAL, "Đầu kỳ, cuối kỳ"),
                (OUT, out),
                (IN, f"{back}, phát sinh"),
                (MOVE, "Chuyển đi, chuyển đến, xóa hộ"),
            ],
        )
    return charts


def _trend(shown: Shown) -> dict[str, Any]:
    """Rates of every year with data, counted under the units the report is counted under.

    Years after the report's are left out where the unit no longer existed on their review day
    (a legacy commune's later years would read as zeros).
    """
    unit = shown.unit
    assert unit is not None  # noqa: S101 - only called with a report
    years = [
        y
        for y in selectors.years_with_data()
        if y <= shown.year or unit.is_valid_on(review_date(y))
    ]
    rows = selectors.poverty_trend_figures(unit, years, as_of=shown.day).value
    chart = charts.grouped_bar_chart(
        {
            str(row["year"]): {
                "poor_rate": row["poor_rate"],
                "near_poor_rate": row["near_poor_rate"],
            }
            for row in rows
        },
        series=[("poor_rate", "Tỉ lệ hộ nghèo"), ("near_poor_rate", "Tỉ lệ hộ cận nghèo")],
        title="Tỉ lệ hộ nghèo, hộ cận nghèo qua các năm",
        label_header="Năm",
        unit="%",
        decimals=2,
        notes={
            str(row["year"]): {
                "poor_rate": f"{charts.number(row['poor'])}/{charts.number(row['households'])} hộ",
                "near_poor_rate": f"{charts.number(row['near_poor'])} hộ",
            }
            for row in rows
        },
    )
    # The standards behind the years: a change of standard moves the rates by itself.
    standards: list[dict[str, Any]] = []
    for row in rows:
        standard = selectors.standard_or_none(row["year"])
        label = standard.legal_basis if standard else "không có chuẩn"
        if standards and standards[-1]["label"] == label:
            standards[-1]["last"] = row["year"]
        else:
            standards.append({"label": label, "first": row["year"], "last": row["year"]})
    return {"trend": rows, "trend_chart": chart, "trend_standards": standards}


def _report_url(shown: Shown, code: str) -> str:
    params = {"unit": code, "year": str(shown.year)}
    if shown.as_of is not None:
        params["as_of"] = shown.as_of.isoformat()
    return f"{reverse('households:report')}?{urlencode(params)}"


def _map(shown: Shown, report: Mapping[str, Any]) -> Any:
    """The children of the unit that are units (not villages), coloured by their rate."""
    rows = {row["unit"]: row for row in report["by_unit"] if row["level"] != "hamlet"}
    if not rows or shown.unit is None:
        return None
    on = dt.date.fromisoformat(report["as_of"])
    drawn = unit_map(places.child_units(shown.unit, on, list(rows)))
    if drawn is None:
        return None
    return rate_map(drawn, rows, url=lambda unit: _report_url(shown, unit.code))


def _progress(shown: Shown, report: Mapping[str, Any]) -> dict[str, Any] | None:
    """How many communes are at each step of the year's review, while not all have decided.

    Shown for a year whose review has begun somewhere (or is the current one) and has not
    ended everywhere; a year counted under a later day's units is history, not progress.
    """
    unit = shown.unit
    if unit is None or not unit.is_valid_on(review_date(shown.year)):
        return None
    expected = places.communes_count(unit, review_date(shown.year))
    counts: Mapping[str, int] = report["review"]
    opened = sum(counts.values())
    decided = counts.get(ReviewStatus.DECIDED, 0)
    current = shown.year >= timezone.localdate().year
    if decided >= expected or not (opened or current):
        return None
    steps = [
        {"number": index, "label": str(label), "count": counts.get(value, 0)}
        for index, (value, label) in enumerate(ReviewStatus.choices, start=1)
    ]
    return {
        "steps": steps,
        "expected": expected,
        "decided": decided,
        "not_opened": max(expected - opened, 0),
    }


def _unit_rows(shown: Shown, report: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {**row, "url": _report_url(shown, row["unit"]) if row["level"] != "hamlet" else ""}
        for row in report["by_unit"]
    ]


def _picker_units(user: Any, shown: Shown) -> list[Unit]:
    """Units of the user's scope that existed on the day shown, in the shown unit's province."""
    picked = places.picker_units(user, shown.unit, shown.day, MAX_PICKER_UNITS)
    if shown.unit is not None and shown.unit.pk not in {u.pk for u in picked}:
        picked.insert(0, shown.unit)
    return picked


def _day_note(shown: Shown) -> str:
    if shown.as_of is None:
        return ""
    day = review_date(shown.year)
    if shown.as_of > day:
        return (
            f"Số liệu năm {shown.year} tính theo đơn vị hành chính và hồ sơ ngày "
            f"{shown.as_of:%d/%m/%Y}: hộ của các xã, phường đã sáp nhập được tính vào đơn vị "
            f"kế thừa; các đính chính ghi nhận đến ngày đó được tính."
        )
    if shown.as_of < day:
        return (
            f"Số liệu tạm tính đến ngày {shown.as_of:%d/%m/%Y}, trước ngày chốt "
            f"{day:%d/%m/%Y} của kỳ rà soát năm {shown.year}."
        )
    return ""


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Báo cáo hộ nghèo, hộ cận nghèo của một đơn vị trong một kỳ rà soát."""
    form = ReportForm(request.GET)
    shown = _resolve(request, form)
    context: dict[str, Any] = {
        "shown": shown,
        "unit": shown.unit,
        "year": shown.year,
        "as_of": shown.as_of,
        "report": shown.report,
        "errors": shown.errors,
        "notices": shown.notices,
        "years": sorted(set(selectors.years_with_data()) | {shown.year}, reverse=True),
        "picker_units": _picker_units(request.user, shown),
    }
    figures = shown.report
    if figures is not None:
        child_level = figures["by_unit"][0]["level"] if figures["by_unit"] else "hamlet"
        child_title = CHILD_TITLES.get(child_level, "Đơn vị")
        context.update(
            {
                "day_note": _day_note(shown),
                "day_line": day_line(shown.year, dt.date.fromisoformat(figures["as_of"])),
                "downloads": [
                    (f"{reverse('households:report_export')}?{shown.query(format=fmt)}", label)
                    for fmt, label in EXPORT_FORMATS
                ],
                "breakdown": breakdown_rows(figures),
                "unit_rows": _unit_rows(shown, figures),
                "child_title": child_title,
                "map": _map(shown, figures),
                "map_heading": f"Bản đồ tỉ lệ hộ nghèo theo {child_title.lower()}",
                "progress": _progress(shown, figures),
                **_flow_charts(figures, shown.year),
                **_trend(shown),
            }
        )
    return render(request, "households/report.html", context)


# --- Downloads ---------------------------------------------------------------------------------


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    """The report shown on the screen, as Excel, CSV or JSON."""
    form = ExportForm(request.GET)
    shown = _resolve(request, form)
    if shown.report is None or shown.errors or form.errors:
        # A download is taken as asked, or not at all: no silent defaults as on the screen.
        messages = [str(e) for errors in form.errors.values() for e in errors]
        message = " ".join(dict.fromkeys([*shown.errors, *messages]))
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    fmt = form.cleaned_data.get("format") or "xlsx"
    assert shown.unit is not None  # noqa: S101 - a report has a unit
    name = f"ho-ngheo-{shown.unit.code}-{shown.year}"
    if shown.as_of is not None:
        name += f"-ngay-{shown.as_of.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(poverty_csv(shown.report), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        assert shown.computed_at is not None  # noqa: S101 - set with the report
        data = {**shown.report, "computed_at": shown.computed_at.isoformat()}  # as the API's
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
        response = HttpResponse(content.encode(), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(poverty_workbook(shown.report), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response

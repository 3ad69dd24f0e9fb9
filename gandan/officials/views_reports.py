"""Screens of the officials reports: statistics, standards, staffing, Party heads, evaluations.

Every number on these screens comes from :func:`gandan.reports.registry.run_report`, the same
function the CLI (``gandan report``) and the API (``/api/v1/reports/<name>/``) call, so the
three always agree. The views only choose the unit and the date, check the scope, and turn
the report into charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gandan.core import charts
from gandan.core.forms import date_field, year_field
from gandan.officials.access import access_report_unit, default_unit_code
from gandan.officials.models import Category, Education, Grade, Politics, Sex
from gandan.officials.selectors import AGE_BANDS, report_units
from gandan.reports.registry import ReportError, build_request, run_report

CATEGORY_LABELS = {
    Category.CADRE: "Cán bộ",
    Category.CIVIL_SERVANT: "Công chức",
    Category.PART_TIME_COMMUNE: "Không chuyên trách cấp xã",
    Category.PART_TIME_HAMLET: "Không chuyên trách ở thôn, tổ dân phố",
}
LOCAL = "Người địa phương"
NON_LOCAL = "Không phải người địa phương"
# The breakdowns of the statistics report: key, title, the order of their labels.
BREAKDOWNS: list[tuple[str, str, list[str]]] = [
    ("by_education", "Trình độ chuyên môn", [str(label) for _v, label in Education.choices]),
    ("by_politics", "Lý luận chính trị", [str(label) for _v, label in Politics.choices]),
    ("by_age", "Độ tuổi", [label for _low, _high, label in AGE_BANDS] + ["Không rõ"]),
    ("by_sex", "Giới tính", [str(label) for _v, label in Sex.choices]),
    ("by_ethnicity", "Dân tộc", ["Kinh"]),
    ("by_origin", "Nguồn gốc", [LOCAL, NON_LOCAL]),
]
GRADE_LABELS = {
    Grade.EXCELLENT: "Xuất sắc",
    Grade.GOOD: "Tốt",
    Grade.COMPLETED: "Hoàn thành",
    Grade.NOT_COMPLETED: "Không hoàn thành",
}
# Colours that read as the grades do: greens for the good ones, red for a failure.
GRADE_COLOURS = {
    "Xuất sắc": "#1b5e20",
    "Tốt": "#0b5cad",
    "Hoàn thành": "#8a4f00",
    "Không hoàn thành": "#b3261e",
}
TABS = [
    ("statistics", "Thống kê"),
    ("standards", "Chưa đạt chuẩn"),
    ("staffing", "Định mức"),
    ("leaders", "Bí thư, nhiệm kỳ"),
    ("evaluations", "Đánh giá"),
]


class ReportForm(forms.Form):
    unit = forms.CharField(label="Mã đơn vị", required=False, max_length=8)
    as_of = date_field("Vào ngày", required=False, instead="Đang hiển thị số liệu hôm nay.")
    year = year_field("Năm đánh giá")


def _report_view(
    name: str,
    template: str,
    figures: Callable[[Mapping[str, Any]], dict[str, Any]],
    *,
    by_year: bool = False,
) -> Callable[[HttpRequest], HttpResponse]:
    """One report screen: the shared head of :func:`_report_screen`, then what ``figures``
    makes of the report (charts, rows) when there is one."""

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        context = _report_screen(request, name, by_year=by_year)
        if context["report"] is not None:
            context.update(figures(context["report"]))
        return render(request, template, context)

    return view


def _report_screen(request: HttpRequest, name: str, *, by_year: bool = False) -> dict[str, Any]:
    """Read the unit and date (or year), check the scope, run the report: the shared context.

    An unknown unit code, or one outside the user's scope, is a 404. A malformed date or year
    is not: the page shows today's (last year's) figures with the error above them.
    """
    form = ReportForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    today = timezone.localdate()
    errors = [str(e) for e in form.errors.get("year" if by_year else "as_of", [])]
    typed_code = (data.get("unit") or "").strip()
    code = typed_code or default_unit_code(request.user)
    year = (data.get("year") or today.year - 1) if by_year else None
    as_of: dt.date = data.get("as_of") or today
    try:
        report_request = build_request(
            unit_code=code,
            as_of=None if by_year else as_of.isoformat(),
            year=year,
        )
    except ReportError as error:
        if error.field != "unit":
            raise
        if typed_code:
            raise Http404(error.message) from None
        # The user's own unit did not exist then (a commune formed in 2025 asked about 2018):
        # show the form and the units that did, rather than a dead end.
        report_request = None
        errors.append(
            f"Đơn vị mã {code} của bạn chưa có vào ngày {as_of:%d/%m/%Y}: "
            "hãy chọn một đơn vị có vào ngày đó."
        )
    report = None
    unit = None
    if report_request is not None and report_request.unit is not None:
        unit = access_report_unit(request.user, report_request.unit.pk)
        as_of = report_request.as_of
        report = run_report(name, report_request)
    params = {"unit": unit.code if unit else code}
    params.update({"year": str(year)} if by_year else {"as_of": as_of.isoformat()})
    return {
        "form": form,
        "errors": errors,
        "unit": unit,
        "as_of": as_of,
        "year": year,
        "report": report,
        "json_url": f"{reverse('api:report', args=[name])}?{urlencode(params)}",
        "tabs": _tabs(request, unit.code if unit else code, as_of, by_year=by_year),
        "quick_units": report_units(request.user, as_of, unit),
    }


def _tabs(
    request: HttpRequest, code: str, as_of: dt.date, *, by_year: bool
) -> list[dict[str, Any]]:
    """The five screens, each keeping the unit and the moment being looked at."""
    current = request.resolver_match.url_name if request.resolver_match else ""
    tabs = []
    for url_name, label in TABS:
        if url_name == "evaluations":
            query = {"unit": code, "year": str(as_of.year if by_year else as_of.year - 1)}
        else:
            query = {"unit": code, "as_of": as_of.isoformat()}
        tabs.append(
            {
                "label": label,
                "url": f"{reverse(f'officials:{url_name}')}?{urlencode(query)}",
                "current": url_name == current,
            }
        )
    return tabs


def _ordered(counts: Mapping[str, int], order: Sequence[str]) -> dict[str, int]:
    known = {label: counts[label] for label in order if label in counts}
    rest = sorted((item for item in counts.items() if item[0] not in known), key=lambda i: -i[1])
    return {**known, **dict(rest)}


def _unique_names(rows: Sequence[Mapping[str, Any]], key: str = "name") -> list[str]:
    """Row labels for a chart: a commune's name, with its code where two share a name."""
    names = [str(row[key]) for row in rows]
    return [
        f"{name} ({row['code']})" if names.count(name) > 1 and "code" in row else name
        for name, row in zip(names, rows, strict=True)
    ]


# --- 1. Statistics ---------------------------------------------------------------------------


def _statistics(report: Mapping[str, Any]) -> dict[str, Any]:
    """Thống kê cán bộ, công chức: counts, qualification rates and breakdowns on a date."""
    groups = {"cadre": report["cadres"], "civil_servant": report["civil_servants"]}
    indicators = [
        ("Đại học trở lên", "university_pct", "university"),
        ("Cao đẳng", "college_pct", "college"),
        (
            "Lý luận chính trị trung cấp trở lên",
            "politics_intermediate_plus_pct",
            "politics_intermediate_plus",
        ),
    ]
    levels = charts.grouped_bar_chart(
        {label: {k: g[pct] for k, g in groups.items()} for label, pct, _n in indicators},
        series=[("cadre", "Cán bộ"), ("civil_servant", "Công chức")],
        title="Tỉ lệ đạt trình độ",
        label_header="Chỉ tiêu",
        unit="%",
        max_value=100,
        decimals=1,
    )
    breakdowns = []
    for key, title, order in BREAKDOWNS:
        by_category = report.get(key, {})
        rows = {
            CATEGORY_LABELS.get(category, category): _ordered(by_category[category], order)
            for category in CATEGORY_LABELS
            if by_category.get(category)
        }
        breakdowns.append(
            charts.stacked_bar_chart(
                rows, segments=order, title=f"Theo {title.lower()}", segment_header=title
            )
        )
    return {
        "levels": [
            ("cadres", "Cán bộ", report["cadres"]),
            ("civil-servants", "Công chức", report["civil_servants"]),
        ],
        "levels_chart": levels,
        "breakdown_charts": breakdowns,
    }


statistics = _report_view("officials", "officials/statistics.html", _statistics)


# --- 2. Standards ----------------------------------------------------------------------------


def _standards(report: Mapping[str, Any]) -> dict[str, Any]:
    """The officials below the standard of the post they hold, what they lack, and by when."""
    # Most people fall under the same few legal texts: list each once, refer to it by number.
    sources = list(dict.fromkeys(row["source"] for row in report["below_standard"]))
    rows = [
        {
            **row,
            "deadline_date": dt.date.fromisoformat(row["deadline"]) if row["deadline"] else None,
            "source_number": sources.index(row["source"]) + 1,
        }
        for row in report["below_standard"]
    ]
    return {"sources": sources, "rows": rows}


standards = _report_view("officials_standards", "officials/standards.html", _standards)


# --- 3. Staffing -----------------------------------------------------------------------------


def _staffing(report: Mapping[str, Any]) -> dict[str, Any]:
    """Quota, people in post, vacancies and excess, per commune and group."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in report["communes"]:
        groups.setdefault(row["group_name"], []).append(row)
    sections = []
    for group_name, rows in groups.items():
        names = _unique_names(rows)
        chart = charts.bar_chart(
            {name: row["filled"] for name, row in zip(names, rows, strict=True)},
            title=f"{group_name}: đã bố trí so với định mức",
            label_header="Xã, phường",
            value_header="Đã bố trí",
            unit="người",
            targets={name: row["quota"] for name, row in zip(names, rows, strict=True)},
            target_header="Định mức",
            no_target_text="Không có định mức",
        )
        sections.append(
            {
                "name": group_name,
                "rows": rows,
                "chart": chart,
                "without_quota": all(row["quota"] is None for row in rows),
            }
        )
    return {"sections": sections}


staffing = _report_view("officials_staffing", "officials/staffing.html", _staffing)


# --- 4. Leaders ------------------------------------------------------------------------------


def _leaders(report: Mapping[str, Any]) -> dict[str, Any]:
    """Heads of commune Party committees, local or not, and long tenures in one post."""
    origin_chart = charts.bar_chart(
        {LOCAL: report["local"], NON_LOCAL: report["non_local"]},
        title="Bí thư cấp ủy cấp xã: người địa phương và không phải người địa phương",
        label_header="Nguồn gốc",
        value_header="Số người",
        unit="người",
    )
    return {"origin_chart": origin_chart}


leaders = _report_view("officials_leaders", "officials/leaders.html", _leaders)


# --- 5. Evaluations --------------------------------------------------------------------------


def _evaluations(report: Mapping[str, Any]) -> dict[str, Any]:
    """Grades given in a year, per commune, and the communes over the "excellent" cap."""
    rows = report["communes"]
    names = _unique_names(rows, key="unit__name")
    grades_chart = charts.stacked_bar_chart(
        {
            name: {GRADE_LABELS[grade]: row[grade] for grade in GRADE_LABELS}
            for name, row in zip(names, rows, strict=True)
        },
        segments=list(GRADE_LABELS.values()),
        title=f"Kết quả xếp loại năm {report['year']}",
        segment_header="Xếp loại",
        label_header="Xã, phường",
        unit="người",
        percent=False,
        colours=GRADE_COLOURS,
        warnings=[name for name, row in zip(names, rows, strict=True) if row["over_cap"]],
    )
    return {
        "rows": rows,
        "over_cap": [row for row in rows if row["over_cap"]],
        "grades_chart": grades_chart,
    }


evaluations = _report_view(
    "officials_evaluations", "officials/evaluations.html", _evaluations, by_year=True
)

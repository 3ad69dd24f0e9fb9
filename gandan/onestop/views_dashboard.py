"""The one-stop desk dashboard: the Decision 766 figures of a province or commune for a period.

``/onestop/dashboard/`` shows one unit's figures for a period (this month, the last 30 or 90
days, this year, or chosen dates): headline tiles with the formula behind each, on-time and
late dossiers, receipts per week by channel, for a province the ranking of its communes and a
map of their on-time rates, and tables by commune, procedure and officer.
``/onestop/dashboard/export/`` gives the same report as CSV or Excel. Every figure comes from
:func:`gandan.onestop.selectors.onestop_report` / ``onestop_breakdown`` — the functions behind
``gandan report onestop`` and ``/api/v1/reports/onestop/``; the views choose the unit and the
period, check the scope and lay the report out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from gandan.accounts.access import access_unit_for_staff, current_memberships
from gandan.core import charts
from gandan.core.forms import date_field
from gandan.geo.maps import unit_map
from gandan.geo.models import Level, Unit
from gandan.geo.province import home_unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.onestop import dashboard, selectors
from gandan.onestop.selectors import communes_named, picker_units
from gandan.reports.formats import render as render_report
from gandan.reports.registry import ReportRequest, run_report

PRESETS = [
    ("month", "Tháng này"),
    ("30", "30 ngày qua"),
    ("90", "90 ngày qua"),
    ("year", "Năm nay"),
]
DEFAULT_PRESET = "30"
EXPORT_FORMATS = [("csv", "CSV"), ("xlsx", "Excel (.xlsx)")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


class DashboardForm(forms.Form):
    unit = forms.CharField(label="Đơn vị", required=False, max_length=8)
    preset = forms.ChoiceField(
        label="Khoảng thời gian",
        required=False,
        choices=PRESETS,
        error_messages={
            "invalid_choice": "Khoảng thời gian không hợp lệ: chọn tháng này, 30 ngày qua, "
            "90 ngày qua hoặc năm nay."
        },
    )
    officers = forms.BooleanField(label="Theo người giải quyết", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" as in the API and ``gandan report``, so one query string serves all.
        for name, label in (("from", "Từ ngày"), ("to", "Đến ngày")):
            self.fields[name] = date_field(label, required=False)


class ExportForm(DashboardForm):
    format = forms.ChoiceField(
        label="Định dạng",
        required=False,
        choices=EXPORT_FORMATS,
        error_messages={"invalid_choice": "Định dạng không hỗ trợ: chọn csv hoặc xlsx."},
    )


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if preset == "month":
        return today.replace(day=1), today
    if preset == "year":
        return dt.date(today.year, 1, 1), today
    return today - dt.timedelta(days=int(preset) - 1), today


@dataclass
class Shown:
    """What the screen or a download is about, once the parameters are read and checked."""

    unit: Unit
    start: dt.date | None
    end: dt.date | None
    preset: str = ""
    officers: bool = False
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def params(self, **extra: str) -> dict[str, str]:
        params = {"unit": self.unit.code}
        if self.start is not None and self.end is not None:
            params |= {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return params | extra

    def query(self, **extra: str) -> str:
        return urlencode(self.params(**extra))


def _period(form: DashboardForm, today: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    """The period asked for; (None, None) after a bad input (the form then holds the error)."""
    data = form.cleaned_data
    if any(name in form.errors for name in ("preset", "from", "to")):
        return None, None, ""
    start, end = data.get("from"), data.get("to")
    if start is None and end is None:
        preset = data.get("preset") or DEFAULT_PRESET
        start, end = preset_period(preset, today)
        return start, end, preset
    end = end or today
    start = start or end - dt.timedelta(days=29)
    for name, day in (("from", start), ("to", end)):
        if day > today:
            form.add_error(name, f"Ngày {day:%d/%m/%Y} ở tương lai: chưa có số liệu.")
    if start > end:
        form.add_error(
            "from", f"Từ ngày {start:%d/%m/%Y} sau đến ngày {end:%d/%m/%Y}: hãy chọn lại."
        )
    if form.errors:
        return None, None, ""
    preset = next((p for p, _l in PRESETS if preset_period(p, today) == (start, end)), "")
    return start, end, preset


def _top_unit(user: Any) -> Unit:
    """The highest unit among the user's roles today (a province leader: the province)."""
    units = [m.unit for m in current_memberships(user) if m.unit.level in RANK]
    if units:
        return min(units, key=lambda u: (RANK[Level(u.level)], u.code))
    try:
        return home_unit()  # a superuser without a role: the province served
    except UnitNotFound:
        raise Http404("Không tìm thấy đơn vị.") from None


def _valid_during(unit: Unit, start: dt.date, end: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= start) and (
        unit.valid_to is None or unit.valid_to >= end
    )


def _validity(unit: Unit) -> str:
    if unit.valid_from and unit.valid_to:
        return f"từ {unit.valid_from:%d/%m/%Y} đến {unit.valid_to:%d/%m/%Y}"
    if unit.valid_from:
        return f"từ {unit.valid_from:%d/%m/%Y}"
    return f"đến {unit.valid_to:%d/%m/%Y}" if unit.valid_to else ""


def _resolve(request: HttpRequest, form: DashboardForm) -> Shown:
    """Read the unit and the period; 404 for a unit unknown or outside the user's scope.

    A bad date (malformed, in the future, or a start after the end) is shown as an error and
    nothing is computed.
    """
    form.is_valid()
    today = timezone.localdate()
    start, end, preset = _period(form, today)
    code = (form.cleaned_data.get("unit") or "").strip()
    on = end or today
    if code:
        try:
            unit = unit_by_code(code, as_of=on)
        except UnitNotFound:
            try:  # a unit formed (or dissolved) by the 2025 reform, asked about another time
                unit = unit_by_code(code)
            except UnitNotFound:
                raise Http404("Không tìm thấy đơn vị.") from None
    else:
        unit = _top_unit(request.user)
    shown = Shown(
        unit=access_unit_for_staff(request.user, unit.pk),
        start=start,
        end=end,
        preset=preset,
        officers=bool(form.cleaned_data.get("officers")),
        errors=[str(e) for errors in form.errors.values() for e in errors],
    )
    if start is not None and end is not None and not _valid_during(shown.unit, start, end):
        shown.notices.append(
            f"{shown.unit.name} (mã {shown.unit.code}) có hiệu lực "
            f"{_validity(shown.unit)}: ngoài thời gian đó đơn vị không tiếp nhận hồ sơ nào; "
            "hồ sơ của các đơn vị cũ, mới được tính cho chính các đơn vị đó."
        )
    if shown.unit.level not in (Level.PROVINCE, Level.COMMUNE):
        shown.errors.append(
            f"{shown.unit.name} không phải tỉnh hay xã, phường: chỉ số một cửa tính cho một "
            "tỉnh hoặc một xã, phường; hãy chọn đơn vị khác."
        )
    return shown


# --- The screen --------------------------------------------------------------------------------


def _decimal(value: float | None) -> str:
    return "—" if value is None else charts.number(value, 0 if float(value).is_integer() else 2)


def _tiles(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The headline figures, each with its formula in one line and in plain words."""
    pct = dashboard.percent_text
    n = charts.number
    rating = report["rating"]
    return [
        {
            "key": "received",
            "formula": "hồ sơ tiếp nhận trong kỳ",
            "label": "Hồ sơ tiếp nhận",
            "value": report["received"],
            "text": n(report["received"]),
            "sub": f"trực tuyến {n(report['online'])}",
            "help": "Hồ sơ được bộ phận một cửa tiếp nhận trong kỳ (không tính hồ sơ bị từ "
            "chối tiếp nhận hay nộp trực tuyến mà chưa được tiếp nhận).",
        },
        {
            "key": "finished",
            "formula": "hồ sơ có kết quả trong kỳ",
            "label": "Đã có kết quả",
            "value": report["finished"],
            "text": n(report["finished"]),
            "sub": "",
            "help": "Hồ sơ có kết quả giải quyết trong kỳ, kể cả hồ sơ tiếp nhận từ kỳ trước.",
        },
        {
            "key": "handled",
            "formula": "= có kết quả + đang giải quyết cuối kỳ",
            "label": "Đã và đang giải quyết",
            "value": report["handled"],
            "text": n(report["handled"]),
            "sub": "",
            "help": "Hồ sơ có kết quả trong kỳ cộng hồ sơ còn đang giải quyết vào cuối kỳ: "
            "mẫu số của tỉ lệ đúng hạn.",
        },
        {
            "key": "open",
            "formula": "đã tiếp nhận, chưa có kết quả vào cuối kỳ",
            "label": "Đang giải quyết cuối kỳ",
            "value": report["open"],
            "text": n(report["open"]),
            "sub": "",
            "help": "Hồ sơ đã tiếp nhận, chưa có kết quả và chưa bị dừng, rút vào cuối kỳ.",
        },
        {
            "key": "on_time_rate",
            "formula": "= đúng hạn ÷ đã và đang giải quyết",
            "label": "Tỉ lệ đúng hạn",
            "value": report["on_time_rate"],
            "text": pct(report["on_time_rate"]),
            "sub": f"{n(report['on_time'])}/{n(report['handled'])} hồ sơ",
            "help": "Hồ sơ có kết quả trước hạn (hoặc đang giải quyết mà chưa quá hạn) và bị "
            "yêu cầu bổ sung không quá một lần, chia cho số hồ sơ đã và đang giải quyết. Thời "
            "gian chờ bổ sung không tính vào hạn.",
        },
        {
            "key": "late",
            "formula": "= đã và đang giải quyết − đúng hạn",
            "label": "Trễ hạn",
            "value": report["late"],
            "text": n(report["late"]),
            "sub": f"{pct(report['late_rate'])} số hồ sơ giải quyết",
            "help": "Hồ sơ đã và đang giải quyết trừ hồ sơ đúng hạn; hồ sơ bị yêu cầu bổ sung "
            "lần thứ hai tính là trễ hạn.",
        },
        {
            "key": "online_rate",
            "formula": "= nộp trực tuyến ÷ tiếp nhận",
            "label": "Tỉ lệ trực tuyến",
            "value": report["online_rate"],
            "text": pct(report["online_rate"]),
            "sub": f"{n(report['online'])}/{n(report['received'])} hồ sơ",
            "help": "Hồ sơ nộp trực tuyến chia cho số hồ sơ tiếp nhận trong kỳ (đạt điểm tối "
            "đa khi từ 50 % trở lên).",
        },
        {
            "key": "digitisation_rate",
            "formula": "= số hóa, trả kết quả điện tử ÷ có kết quả",
            "label": "Tỉ lệ số hóa",
            "value": report["digitisation_rate"],
            "text": pct(report["digitisation_rate"]),
            "sub": "",
            "help": "Hồ sơ có kết quả trong kỳ mà thành phần hồ sơ đã số hóa và kết quả là bản "
            "điện tử, chia cho số hồ sơ có kết quả (đạt điểm tối đa khi từ 80 % trở lên).",
        },
        {
            "key": "reuse_rate",
            "formula": "= dùng lại giấy tờ đã số hóa ÷ tiếp nhận",
            "label": "Tỉ lệ tái sử dụng dữ liệu",
            "value": report["reuse_rate"],
            "text": pct(report["reuse_rate"]),
            "sub": "",
            "help": "Hồ sơ tiếp nhận có dùng lại ít nhất một giấy tờ đã số hóa, chia cho số hồ "
            "sơ tiếp nhận trong kỳ.",
        },
        {
            "key": "average_days",
            "formula": "giờ làm việc đến khi có kết quả ÷ 8, trung bình",
            "label": "Thời gian giải quyết trung bình",
            "value": report["average_days"],
            "text": _decimal(report["average_days"]),
            "sub": "ngày làm việc",
            "help": "Thời gian làm việc từ lúc bắt đầu tính hạn đến khi có kết quả, trung bình "
            "trên hồ sơ có kết quả trong kỳ, không tính thời gian chờ bổ sung; 8 giờ làm việc "
            "là một ngày.",
        },
        {
            "key": "satisfaction",
            "formula": "= 100 % − tỉ lệ trễ hạn − tỉ lệ có phản ánh",
            "label": "Mức độ hài lòng",
            "value": report["satisfaction"],
            "text": pct(report["satisfaction"]),
            "sub": f"{n(report['complaints'])} hồ sơ có phản ánh",
            "help": "100 % trừ tỉ lệ trễ hạn và tỉ lệ hồ sơ có phản ánh, kiến nghị (trên số hồ "
            "sơ đã và đang giải quyết); đạt điểm tối đa khi từ 90 % trở lên.",
        },
        {
            "key": "rating",
            "formula": "trung bình 9 tiêu chí, thang điểm 1–5",
            "label": "Điểm đánh giá của người dân",
            "value": rating["average"] if rating else None,
            "text": f"{_decimal(rating['average'])}/5" if rating else "—",
            "sub": f"{n(rating['count'])} phiếu" if rating else "chưa có phiếu",
            "help": "Trung bình điểm 9 tiêu chí (từ 1 đến 5) của các phiếu đánh giá nhận trong kỳ.",
        },
    ]


def _dashboard_url(shown: Shown, code: str) -> str:
    return f"{reverse('onestop:dashboard')}?{urlencode(shown.params(unit=code))}"


def _unit_rows(shown: Shown, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every commune: ranked ones by rank, then the others by name."""
    rows = sorted(
        report["by_unit"],
        key=lambda row: (row.get("rank") or len(report["by_unit"]) + 1, row["name"]),
    )
    return [{**row, "url": _dashboard_url(shown, row["unit"])} for row in rows]


def _map(shown: Shown, report: dict[str, Any]) -> Any:
    rows = {row["unit"]: row for row in report["by_unit"]}
    assert shown.end is not None  # noqa: S101 - only called with a report
    on = min(shown.end, timezone.localdate())
    drawn = unit_map(communes_named(shown.unit.province_code, list(rows), on=on))
    if drawn is None:
        return None
    return dashboard.on_time_map(drawn, rows, url=lambda unit: _dashboard_url(shown, unit.code))


def _picker_units(user: Any, shown: Shown) -> list[Unit]:
    """The province and communes of the user's scope, in the shown unit's province."""
    on = shown.end or timezone.localdate()
    units = picker_units(user, shown.unit.province_code, on=on)
    picked = sorted(units, key=lambda u: (RANK[Level(u.level)], u.name))
    if shown.unit.pk not in {u.pk for u in picked}:
        picked.insert(0, shown.unit)
    return picked


def _presets(shown: Shown) -> list[dict[str, Any]]:
    base = reverse("onestop:dashboard")
    return [
        {
            "value": value,
            "label": label,
            "url": f"{base}?{urlencode({'unit': shown.unit.code, 'preset': value})}",
            "current": value == shown.preset,
        }
        for value, label in PRESETS
    ]


@require_GET
@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Chỉ số chất lượng phục vụ (Quyết định 766) của một tỉnh hoặc một xã, phường."""
    form = DashboardForm(request.GET)
    shown = _resolve(request, form)
    context: dict[str, Any] = {
        "shown": shown,
        "unit": shown.unit,
        "errors": shown.errors,
        "presets": _presets(shown),
        "picker_units": _picker_units(request.user, shown),
        "report": None,
    }
    if shown.errors or shown.start is None or shown.end is None:
        return render(request, "onestop/dashboard.html", context, status=400)
    figures = selectors.onestop_figures(unit=shown.unit, start=shown.start, end=shown.end)
    report = figures.value
    province = shown.unit.level == Level.PROVINCE
    show_officers = not province or shown.officers
    extras = dashboard.dashboard_extras(
        unit=shown.unit, start=shown.start, end=shown.end, officers=show_officers
    )
    weeks = extras.weeks
    context.update(
        {
            "report": report,
            "computed_at": figures.computed_at if figures.kept else None,
            "refreshing": figures.refreshing,
            "province": province,
            "tiles": _tiles(report),
            "on_time_chart": dashboard.on_time_chart(report),
            "weeks": weeks,
            "weekly_chart": dashboard.weekly_chart(weeks),
            "weekly_total": sum(week.total for week in weeks),
            "by_procedure": extras.by_procedure,
            "show_officers": show_officers,
            "by_officer": extras.by_officer,
            "officers_url": f"{reverse('onestop:dashboard')}?{shown.query(officers='1')}",
            "api_url": f"{reverse('api:report', args=['onestop'])}?{shown.query()}",
            "downloads": [
                (f"{reverse('onestop:dashboard_export')}?{shown.query(format=fmt)}", label)
                for fmt, label in EXPORT_FORMATS
            ],
        }
    )
    if province:
        ranked = dashboard.ranking_rows(report)
        context.update(
            {
                "ranking_chart": dashboard.ranking_chart(report),
                "unranked": len(report["by_unit"]) - len(ranked),
                "low_on_time": dashboard.LOW_ON_TIME,
                "unit_rows": _unit_rows(shown, report),
                "map": _map(shown, report),
            }
        )
    return render(request, "onestop/dashboard.html", context)


# --- Downloads ---------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The report on the screen as CSV or Excel, written by the report registry's formats."""
    form = ExportForm(request.GET)
    shown = _resolve(request, form)
    if shown.errors or shown.start is None or shown.end is None:
        # A download is taken as asked, or not at all.
        message = " ".join(dict.fromkeys(shown.errors))
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    fmt = form.cleaned_data.get("format") or "xlsx"
    data = run_report(
        "onestop",
        ReportRequest(unit=shown.unit, as_of=shown.end, date_from=shown.start, date_to=shown.end),
    )
    content = render_report(data, fmt, name="onestop")
    kind = XLSX_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=kind)
    name = f"mot-cua-766-{shown.unit.code}-{shown.start.isoformat()}-{shown.end.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response

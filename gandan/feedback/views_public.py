"""Public pages of citizen reports: the list and its map, one report, the form (with the
duplicate suggestion), the reporter's private page (rate, reopen), photos and statistics.

Nobody signs in here. The reporter's name, email and phone never reach these pages; the
reporter's secret token (``?t=``) opens their own page. Text hidden by moderation and
redacted photos are not shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandan.core import charts
from gandan.core.paging import page_of
from gandan.core.ratelimit import Limit
from gandan.core.uploads import file_response
from gandan.feedback import selectors, services
from gandan.feedback.access import access_report_for_reporter
from gandan.feedback.forms import (
    ListFilterForm,
    NearbyForm,
    ReopenForm,
    ReportForm,
    add_submit_errors,
    report_fields,
)
from gandan.feedback.models import HIDDEN_TEXT, Category, Channel, Report
from gandan.feedback.selectors import report_timeline
from gandan.feedback.services.checks import PICTURES
from gandan.geo.maps import Projection, projection
from gandan.geo.models import Level, Unit
from gandan.geo.province import home_code, home_name
from gandan.reports.registry import ReportError, build_request, run_report

# Five reports per client address per ten minutes (refused forms do not count).
SUBMIT_LIMIT = Limit("feedback_submit", count=5, window_s=10 * 60)
ANSWERED = "Đã trả lời"
STILL_OPEN = "Đang xử lý"


# --- Maps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    css: str
    title: str
    label: str = ""
    href: str = ""
    anchor: str = "start"  # labels near the right edge go to the dot's left

    @property
    def label_dx(self) -> str:
        return "-6" if self.anchor == "end" else "6"


@dataclass(frozen=True)
class ReportMap:
    projection: Projection
    places: list[Dot]  # the communes, for orientation
    reports: list[Dot]
    unplaced: int  # reports without a position, not drawn


def _commune_dots(communes: list[Unit], proj: Projection) -> list[Dot]:
    return [
        Dot(
            x=proj.x(u.longitude),
            y=proj.y(u.latitude),
            css="place",
            title=u.name,
            label=u.short_name,
            anchor="end" if float(proj.x(u.longitude)) > proj.width * 0.8 else "start",
        )
        for u in communes
        if u.latitude is not None and u.longitude is not None
    ]


def _report_map(reports: list[Report], communes: list[Unit]) -> ReportMap | None:
    placed = [r for r in reports if r.latitude is not None and r.longitude is not None]
    points = [(u.latitude, u.longitude) for u in communes if u.latitude and u.longitude]
    proj = projection(points + [(r.latitude or 0, r.longitude or 0) for r in placed])
    if proj is None:
        return None
    return ReportMap(
        projection=proj,
        places=_commune_dots(communes, proj),
        reports=[
            Dot(
                x=proj.x(r.longitude or 0),
                y=proj.y(r.latitude or 0),
                css="open" if r.is_open else "closed",
                title=f"{r.code}: {HIDDEN_TEXT if r.text_hidden else r.title} — "
                f"{r.get_status_display()}",
                href=reverse("feedback:detail", args=[r.code]),
            )
            for r in placed
        ],
        unplaced=len(reports) - len(placed),
    )


# --- Helpers ----------------------------------------------------------------------------


def _in_sentence(name: str) -> str:
    """ "Thành phố Huế" as it reads inside a sentence: "thành phố Huế"."""
    return name[:1].lower() + name[1:]


def _reporter_url(report: Report) -> str:
    return f"{reverse('feedback:reporter', args=[report.code])}?{urlencode({'t': report.reporter_token})}"


def _unit_choices(communes: list[Unit]) -> list[Any]:
    """Current communes of the home province first, then every other unit reports went to."""
    home = [(u.code, u.name) for u in communes]
    codes = {code for code, _name in home}
    others: dict[str, str] = {}
    for unit in selectors.units_with_reports():
        if unit.code not in codes and unit.code not in others:
            others[unit.code] = (
                f"{unit.name} (sở, ngành)" if unit.level == Level.PROVINCE else unit.name
            )
    groups: list[Any] = []
    if home:
        groups.append((f"Xã, phường của {_in_sentence(home_name())}", home))
    if others:
        groups.append(("Đơn vị khác", list(others.items())))
    return groups


# --- Pages ------------------------------------------------------------------------------


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Every public report, newest first, filtered by commune, category and status, with a map."""
    today = timezone.localdate()
    communes = selectors.home_communes(today)
    form = ListFilterForm(request.GET, units=_unit_choices(communes))
    form.is_valid()  # invalid filters are dropped and their errors shown
    chosen = form.cleaned_data
    category = chosen.get("category")
    reports = selectors.public_reports_filtered(
        unit_code=chosen.get("unit") or "",
        categories=[category] if category else None,
        state=chosen.get("status") or "",
    )
    page = page_of(reports, request.GET.get("page"))
    shown = list(page.object_list)
    return render(
        request,
        "feedback/public_list.html",
        {
            "form": form,
            "page": page,
            "reports": shown,
            "map": _report_map(shown, communes),
            "hidden_text": HIDDEN_TEXT,
        },
    )


@require_GET
def report_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One report: its public fields, photos, steps, answer and followers."""
    report = selectors.report_by_code(code)
    if report is None:
        raise Http404("Không tìm thấy phản ánh.")
    if report.duplicate_of is not None:
        # Merged into another report: that one carries the handling and the answer.
        return redirect("feedback:detail", code=report.duplicate_of.code)
    return render(
        request,
        "feedback/public_detail.html",
        {
            "report": report,
            "photos": selectors.public_photos(report),
            "timeline": report_timeline(report),
            "hidden_text": HIDDEN_TEXT,
            "map": _report_map([report], selectors.home_communes(timezone.localdate())),
        },
    )


@require_POST
def report_follow(request: HttpRequest, code: str) -> HttpResponse:
    """“Tôi cũng gặp vấn đề này”: one more resident follows an open report."""
    report = get_object_or_404(selectors.public_reports(), code=code)
    try:
        services.report_follow(report=report)
    except ValidationError as error:
        text = " ".join(error.messages)
        ok = False
    else:
        text = "Đã ghi nhận: bạn cùng theo dõi phản ánh này."
        ok = True
    if getattr(request, "htmx", False):
        return HttpResponse(
            format_html(
                '<p class="{}" role="status">{} <a href="{}">Xem phản ánh {}</a></p>',
                "notice" if ok else "error",
                text,
                reverse("feedback:detail", args=[report.code]),
                report.code,
            )
        )
    (messages.success if ok else messages.error)(request, text)
    return redirect("feedback:detail", code=report.code)


def _submit_context(form: ReportForm, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    communes = selectors.home_communes(today)
    proj = projection([(u.latitude, u.longitude) for u in communes if u.latitude and u.longitude])
    categories = list(selectors.active_categories())
    groups: dict[str, list[Category]] = {}
    for category in categories:
        groups.setdefault(category.group, []).append(category)
    chosen = form["category"].value() or ""
    marker = None
    if proj is not None and form.is_bound and not form.errors.get("latitude"):
        lat, lon = form.data.get("latitude", ""), form.data.get("longitude", "")
        try:
            marker = (proj.x(float(lon.replace(",", "."))), proj.y(float(lat.replace(",", "."))))
        except ValueError:
            marker = None
    return {
        "form": form,
        "category_groups": groups,
        "chosen_category": chosen,
        "chosen_hint": next((c.hint for c in categories if c.code == chosen), ""),
        "proj": proj,
        "places": _commune_dots(communes, proj) if proj else [],
        "province_name": _in_sentence(home_name()),
        "marker": marker,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The form. Suggests open reports of the same category nearby before saving a new one."""
    if request.method != "POST":
        return render(request, "feedback/submit.html", _submit_context(ReportForm()))
    if SUBMIT_LIMIT.exceeded(request):
        return render(
            request, "feedback/submit.html", _submit_context(ReportForm(), limited=True), status=429
        )
    form = ReportForm(request.POST, request.FILES)
    photos = request.FILES.getlist("photos")
    if form.is_valid():
        data = form.cleaned_data
        nearby: list[Report] = []
        if (
            not data["confirm_new"]
            and data["latitude"] is not None
            and data["longitude"] is not None
        ):
            nearby = selectors.nearby_open(data["category"].pk, data["latitude"], data["longitude"])
        if nearby:
            return render(
                request,
                "feedback/submit.html",
                _submit_context(form, nearby=nearby, photos_dropped=bool(photos)),
            )
        try:
            report = services.report_submit(
                **report_fields(data), photos=photos, channel=Channel.WEB, actor=request.user
            )
        except ValidationError as error:
            add_submit_errors(form, error)
        else:
            SUBMIT_LIMIT.hit(request)
            target = reverse("feedback:submitted", args=[report.code])
            return redirect(f"{target}?{urlencode({'t': report.reporter_token})}")
    return render(
        request,
        "feedback/submit.html",
        _submit_context(form, photos_dropped=bool(photos)),
        status=400,
    )


@require_GET
def report_nearby(request: HttpRequest) -> HttpResponse:
    """A fragment for the form (htmx): open reports of the chosen category within 50 m."""
    form = NearbyForm(request.GET)
    nearby: list[Report] = []
    if form.is_valid():
        data = form.cleaned_data
        nearby = selectors.nearby_open(data["category"].pk, data["latitude"], data["longitude"])
    return render(
        request,
        "feedback/_report_card.html",
        {"cards": nearby, "nearby": True, "hidden_text": HIDDEN_TEXT},
    )


@never_cache
@require_GET
def report_submitted(request: HttpRequest, code: str) -> HttpResponse:
    """Right after sending: the tracking code and the private link to keep."""
    report = access_report_for_reporter(code, request.GET.get("t", ""))
    return render(
        request,
        "feedback/submitted.html",
        {
            "report": report,
            "private_url": request.build_absolute_uri(_reporter_url(report)),
            "public_url": request.build_absolute_uri(
                reverse("feedback:detail", args=[report.code])
            ),
        },
    )


def _reporter_page(
    request: HttpRequest,
    report: Report,
    token: str,
    *,
    errors: list[str] | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    answered = report.answered_at is not None and not report.is_open
    return render(
        request,
        "feedback/reporter.html",
        {
            "report": report,
            "token": token,
            "errors": errors or [],
            "answered": answered,
            "can_rate": answered and report.rated_at is None,
            "can_reopen": answered and report.satisfied is False and report.reopened < 1,
            "reopen_form": reopen_form or ReopenForm(),
            "photos": selectors.public_photos(report),
            "timeline": report_timeline(report),
            "hidden_text": HIDDEN_TEXT,
        },
        status=status,
    )


@never_cache
@require_GET
def reporter_page(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter's own page, opened by the secret link: status, answer, rating, reopening."""
    token = request.GET.get("t", "")
    return _reporter_page(request, access_report_for_reporter(code, token), token)


@never_cache
@require_POST
def reporter_rate(request: HttpRequest, code: str) -> HttpResponse:
    token = request.POST.get("t", "")
    report = access_report_for_reporter(code, token)
    choice = request.POST.get("satisfied")
    if choice not in ("yes", "no"):
        return _reporter_page(
            request, report, token, errors=["Hãy chọn “Hài lòng” hoặc “Chưa hài lòng”."], status=400
        )
    try:
        services.report_rate(report=report, token=token, satisfied=choice == "yes")
    except ValidationError as error:
        return _reporter_page(request, report, token, errors=error.messages, status=400)
    messages.success(
        request,
        "Cảm ơn bạn đã đánh giá."
        if choice == "yes"
        else "Cảm ơn bạn đã đánh giá. Bạn có thể mở lại phản ánh (một lần) nếu vấn đề chưa được giải quyết.",
    )
    return redirect(_reporter_url(report))


@never_cache
@require_POST
def reporter_reopen(request: HttpRequest, code: str) -> HttpResponse:
    token = request.POST.get("t", "")
    report = access_report_for_reporter(code, token)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _reporter_page(request, report, token, reopen_form=form, status=400)
    try:
        services.report_reopen(report=report, token=token, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _reporter_page(
            request, report, token, errors=error.messages, reopen_form=form, status=400
        )
    messages.success(
        request, "Đã mở lại phản ánh. Đơn vị xử lý sẽ xem xét lại và trả lời trong thời hạn mới."
    )
    return redirect(_reporter_url(report))


@require_GET
def report_photo(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    """A report's photo, unless moderation redacted it. Only JPEG, PNG and WebP are served."""
    photo = selectors.public_photo(photo_id)
    if photo is None:
        raise Http404("Không tìm thấy ảnh.")
    response = file_response(photo.image, download_name=f"anh-{photo.pk}", only=PICTURES)
    # Revalidate every time: a photo redacted later must stop being served at once.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Received, answered, on time and satisfaction for a period, by category and commune."""
    today = timezone.localdate()
    unit_code = (request.GET.get("unit") or home_code()).strip()
    date_to = (request.GET.get("to") or "").strip()
    date_from = (request.GET.get("from") or "").strip()
    report: dict[str, Any] | None = None
    errors: list[str] = []
    try:
        report = run_report(
            "feedback",
            build_request(
                unit_code=unit_code,
                as_of=date_to or None,  # the unit as it was at the end of the period
                date_from=date_from or None,
                date_to=date_to or None,
            ),
        )
    except ReportError as error:
        errors.append(error.message)
    units = [(home_code(), f"Toàn {_in_sentence(home_name())}")]
    units += [(u.code, u.name) for u in selectors.home_communes(today)]
    if report and report["unit"] and report["unit"]["code"] not in {c for c, _n in units}:
        units.append((report["unit"]["code"], report["unit"]["name"]))
    return render(
        request,
        "feedback/stats.html",
        {
            "report": report,
            "errors": errors,
            "units": units,
            "unit_code": unit_code,
            "date_from": report["from"] if report else date_from,
            "date_to": report["to"] if report else date_to,
            "period": (dt.date.fromisoformat(report["from"]), dt.date.fromisoformat(report["to"]))
            if report
            else None,
            "charts": _stats_charts(report) if report else {},
            "category_rows": _by_received(report["by_category"]) if report else [],
            "unit_rows": _by_received(report["by_unit"]) if report else [],
        },
        status=400 if errors else 200,
    )


def _by_received(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: (-row["received"], row["name"]))


def _stats_charts(report: dict[str, Any]) -> dict[str, charts.Chart]:
    """Two charts: per category and per handling unit, a bar as long as the reports received,
    split into answered and still open (received = answered + open: duplicates are not counted)."""
    colours = {ANSWERED: "#1e7b34", STILL_OPEN: "#8a4f00"}

    def rows(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
        return {
            row["name"]: {ANSWERED: row["answered"], STILL_OPEN: row["open"]}
            for row in _by_received(items)
        }

    return {
        name: charts.stacked_bar_chart(
            rows(report[key]),
            segments=[ANSWERED, STILL_OPEN],
            title=title,
            segment_header="Tình trạng",
            label_header=header,
            percent=False,
            colours=colours,
        )
        for name, key, title, header in (
            ("category", "by_category", "Phản ánh theo lĩnh vực", "Lĩnh vực"),
            ("unit", "by_unit", "Phản ánh theo đơn vị xử lý", "Đơn vị"),
        )
    }

"""Screens of the household registry: the list, one household with its history, and the forms
that register, move and dissolve a household or add a member.

Every write goes through :mod:`gandan.households.services`; a ValidationError is shown on the
form and nothing is changed. Members' citizen IDs are masked unless the reader handles personal
data for the household's commune (province specialist, commune leader), and then only on request
("xem đầy đủ"), which is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gandan.core.crypto import mask_citizen_id
from gandan.core.forms import add_service_errors
from gandan.core.models import Event
from gandan.core.paging import page_of
from gandan.core.services import access_log_record
from gandan.geo.models import Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.households import services
from gandan.households.access import (
    access_household,
    access_household_for_write,
    may_see_full_citizen_ids,
    may_write_commune_wide,
    may_write_household,
)
from gandan.households.filters import HouseholdFilter
from gandan.households.forms import (
    HouseholdCreateForm,
    HouseholdDissolveForm,
    HouseholdMoveForm,
    MemberAddForm,
)
from gandan.households.models import Assessment, Household, Member, standing_label
from gandan.households.selectors import registry as selectors
from gandan.households.services.common import lists_year

__all__ = ["lists_year", "timeline"]


def _today() -> dt.date:
    return timezone.localdate()


# --- Timelines ---------------------------------------------------------------------------------


def _day(value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _event_text(event: Event, hamlets: dict[int, str]) -> str:
    """What an event's data says, in words."""
    data = event.data or {}
    kind = event.kind
    if kind == "household.formed":
        return f"tại đơn vị mã {data.get('unit', '?')}"
    if kind == "household.moved":
        return f"từ mã {data.get('from') or '—'} đến mã {data.get('to', '?')}, từ ngày {_day(data.get('on', ''))}"
    if kind == "household.dissolved":
        return f"ngày {_day(data.get('on', ''))}: {data.get('reason', '')}"
    if kind == "household.split":
        return f"hộ mới {data.get('new', '')}, {data.get('members', 0)} người"
    if kind == "household.assessed":
        standing = data.get("standing")
        return f"năm {data.get('year', '?')}: {standing_label(standing) if standing else ''}"
    if kind == "household.assessment_corrected":
        return (
            f"năm {data.get('year', '?')}: {standing_label(data['from'])} → "
            f"{standing_label(data['to'])} từ ngày {_day(data.get('on', ''))}; {data.get('reason', '')}"
            if data.get("from") and data.get("to")
            else ""
        )
    if kind == "review.opened":
        return f"{data.get('households', 0)} hộ trong danh sách"
    if kind == "review.request_added":
        return f"hộ {data.get('household', '')}"
    if kind == "review.surveys_recorded":
        return f"{data.get('surveys', 0)} phiếu"
    if kind in ("review.meeting_adopted", "review.meeting_sent_back"):
        name = hamlets.get(data.get("hamlet") or 0, "")
        return (
            f"{name}, lần {data.get('round', 1)}: {data.get('agree', 0)}/{data.get('present', 0)} "
            "người dự họp đồng ý"
        )
    if kind == "review.posting":
        return f"từ {_day(data.get('posting_from', ''))} đến hết {_day(data.get('posting_to', ''))}"
    if kind == "review.decided":
        return f"quyết định số {data.get('decision', '')} ngày {_day(data.get('on', ''))}"
    if kind == "review_request.received":
        return f"hộ {data.get('household', '')}, hạn {_day(data.get('due_on', ''))}"
    if kind in ("review_request.decided", "review_request.refused"):
        late = "trễ hạn" if data.get("late") else "đúng hạn"
        standing = data.get("standing")
        return f"ngày {_day(data.get('on', ''))}, {late}" + (
            f": {standing_label(standing)}" if standing else ""
        )
    return ""


def timeline(subjects: list[Any]) -> list[dict[str, Any]]:
    """The events of ``subjects`` (model instances), oldest first, with labels in words."""
    events, hamlets = selectors.household_events(subjects)
    return [{"event": e, "label": e.label, "text": _event_text(e, hamlets)} for e in events]


# --- The list ----------------------------------------------------------------------------------


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    """Households in the user's units, searchable and filtered by place and standing."""
    found = HouseholdFilter(request.GET, request=request)
    rows = found.qs  # a bad field is reported and ignored; the others still apply
    for error in found.not_found.values():
        found.form.add_error(None, error)
    places = selectors.list_places(request.user, found.today, found.unit_found)
    page: Page[Household] = page_of(
        selectors.registry_rows(rows, found.year), request.GET.get("page")
    )
    context = {
        "form": found.form,
        "communes": places.communes,
        "unit": found.unit_found,
        "villages_of": places.villages_of,
        "hamlets": places.hamlets,
        "hamlet": found.hamlet_found,
        "page": page,
        "year": found.year,
        "can_create": selectors.write_places(request.user, found.today).any,
    }
    return render(request, "households/registry_list.html", context)


# --- One household -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    member: Member
    citizen_id: str
    current: bool


@dataclass(frozen=True)
class YearRow:
    year: int
    current: Assessment | None
    explanation: str
    history: list[Assessment]  # every row of the year, oldest first (superseded ones too)


def _years(household: Household) -> list[YearRow]:
    by_year: dict[int, list[Assessment]] = {}
    for row in selectors.household_results(household):
        by_year.setdefault(row.year, []).append(row)
    result = []
    for year, history in by_year.items():
        current = next((a for a in history if a.superseded_on is None), None)
        result.append(
            YearRow(
                year=year,
                current=current,
                explanation=services.explain(current) if current else "",
                history=history,
            )
        )
    return result


@login_required
@require_GET
def household(request: HttpRequest, pk: int) -> HttpResponse:
    """One household: places over time, members, results by year, corrections, requests, events."""
    found = access_household(request.user, pk)
    today = _today()
    full_allowed = may_see_full_citizen_ids(request.user, found)
    show_full = full_allowed and request.GET.get("full") == "1"
    if request.GET.get("full") == "1" and not full_allowed:
        messages.warning(
            request,
            "Vai trò của bạn không được xem đầy đủ số định danh cá nhân của hộ này; "
            "số vẫn được che.",
        )
    members = selectors.household_members(found)
    if show_full and any(m.citizen_id for m in members):
        access_log_record(
            user=request.user,
            subject=found,
            what="household_members",
            province_code=found.province_code,
        )
    rows = [
        MemberRow(
            member=m,
            citizen_id=(m.citizen_id if show_full else mask_citizen_id(m.citizen_id)),
            current=m.is_valid_on(today),
        )
        for m in members
    ]
    years = _years(found)
    corrections = [
        a for year in years for a in year.history if a.corrects_id is not None
    ]  # newest year first
    superseded = {a.pk: a for year in years for a in year.history}
    context = {
        "household": found,
        "today": today,
        "placements": selectors.household_placements(found),
        "current_place": services.placement_on(found, today),
        "members": rows,
        "full_allowed": full_allowed,
        "show_full": show_full,
        "years": years,
        "lists_year": selectors.lists_year(today),
        "corrections": [(a, superseded.get(a.corrects_id or 0)) for a in corrections],
        "requests": selectors.household_requests(found),
        "timeline": timeline([found]),
        "can_write": may_write_household(request.user, found, today),
    }
    return render(request, "households/household.html", context)


# --- Writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormPage:
    """What the one form template shows around a form."""

    title: str
    submit: str
    household: Household | None = None
    note: str = ""

    def render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title,
            "submit": self.submit,
            "household": self.household,
            "note": self.note,
        }
        return render(request, "households/household_form.html", context, status=status)

    def handle(
        self,
        request: HttpRequest,
        form: forms.Form,
        write: Callable[[dict[str, Any]], Any],
        done: Callable[[Any], str],
    ) -> HttpResponse:
        """Show the form; on a valid POST call ``write(cleaned_data)`` (one service). A
        ValidationError is shown on the form (400); otherwise ``done(result)`` is the message
        and the household's page follows."""
        if request.method != "POST":
            return self.render(request, form)
        if not form.is_valid():
            return self.render(request, form, 400)
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(request, form, 400)
        messages.success(request, done(result))
        household = self.household or result
        return redirect("households:household", pk=household.pk)


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    """Register a new household in a commune (a village head: in his village)."""
    today = _today()
    places = selectors.write_places(request.user, today)
    if not places.any:
        raise PermissionDenied("Vai trò của bạn không được đăng ký hộ mới.")
    form = HouseholdCreateForm(request.POST if request.method == "POST" else None)
    form.set_places(units=places.units, hamlets=places.hamlets, commune_wide=places.commune_wide)
    page = FormPage("Đăng ký hộ mới", "Đăng ký hộ")
    return page.handle(
        request,
        form,
        lambda data: services.household_create(
            code=data["code"],
            unit=data["unit"],
            head_name=data["head_name"],
            hamlet=data["hamlet"],
            area=data["area"] or None,
            ethnic_minority=data["ethnic_minority"],
            farming=data["farming"],
            formed_on=data["formed_on"],
            actor=request.user,
        ),
        lambda created: f"Đã đăng ký hộ {created.code} — {created.head_name}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The household is registered at a new place from a date (its old place ends the day before)."""
    today = _today()
    found = access_household_for_write(request.user, pk, today)
    places = selectors.write_places(request.user, today)
    place = services.placement_on(found, today)
    initial = {"on": today, "unit": place.unit.code if place else ""}
    form = HouseholdMoveForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        hamlets=places.hamlets,
    )
    page = FormPage("Chuyển nơi cư trú", "Chuyển", found)
    # A village head moves households only between villages of his own.
    village_head_only = not may_write_commune_wide(request.user, found, today)

    def move(data: dict[str, Any]) -> Unit:
        try:
            unit = unit_by_code(data["unit"], as_of=data["on"])
        except UnitNotFound as error:
            raise ValidationError({"unit": str(error)}) from None
        if data["hamlet"] is None and village_head_only:
            raise ValidationError(
                {
                    "hamlet": "Trưởng thôn, tổ trưởng chỉ chuyển hộ đến thôn, tổ trong phạm vi của mình."
                }
            )
        services.household_move(
            household=found,
            unit=unit,
            hamlet=data["hamlet"],
            on=data["on"],
            area=data["area"] or None,
            actor=request.user,
        )
        return unit

    return page.handle(
        request,
        form,
        move,
        lambda unit: (
            f"Đã chuyển hộ {found.code} đến {unit.name} từ ngày {form.cleaned_data['on']:%d/%m/%Y}."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The household ends: its place and its members end on that day."""
    today = _today()
    found = access_household_for_write(request.user, pk, today)
    form = HouseholdDissolveForm(
        request.POST if request.method == "POST" else None, initial={"on": today}
    )
    page = FormPage(
        "Xóa hộ",
        "Xóa hộ",
        found,
        "Hộ đã xóa vẫn được giữ trong sổ cùng toàn bộ lịch sử; chỉ không còn cư trú từ ngày xóa.",
    )

    def dissolve(data: dict[str, Any]) -> Household:
        try:
            services.household_dissolve(
                household=found, on=data["on"], reason=data["reason"], actor=request.user
            )
        except ValidationError:
            found.refresh_from_db()
            raise
        return found

    return page.handle(
        request,
        form,
        dissolve,
        lambda _: f"Đã xóa hộ {found.code} từ ngày {form.cleaned_data['on']:%d/%m/%Y}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A person joins the household."""
    found = access_household_for_write(request.user, pk, _today())
    form = MemberAddForm(request.POST if request.method == "POST" else None)
    page = FormPage(
        "Thêm thành viên",
        "Thêm thành viên",
        found,
        "Số định danh cá nhân được mã hóa khi lưu và được che khi hiển thị.",
    )
    return page.handle(
        request,
        form,
        lambda data: services.member_add(
            household=found,
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            sex=data["sex"],
            relation=data["relation"],
            citizen_id=data["citizen_id"],
            on=data["on"],
            actor=request.user,
        ),
        lambda member: f"Đã thêm {member.full_name} vào hộ {found.code}.",
    )

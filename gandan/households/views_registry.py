"""Screens of the household registry: the list, one household with its history, and the forms
that register, move and dissolve a household or add a member.

Every write goes through :mod:`gandan.households.services`; a ValidationError is shown on the
form and nothing is changed. Members' citizen IDs are masked unless the reader handles personal
data for the household's commune (province specialist, commune leader), and then only on request
("xem đầy đủ"), which is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gandan.accounts.access import (
    hamlets_in_scope,
    units_in_scope,
)
from gandan.core.crypto import mask_citizen_id
from gandan.core.models import Event
from gandan.core.services import access_log_record
from gandan.geo.models import Hamlet, Level, Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.households import services
from gandan.households.access import (
    access_household,
    households_in_scope,
    may_see_full_citizen_ids,
)
from gandan.households.forms import (
    HouseholdCreateForm,
    HouseholdDissolveForm,
    HouseholdFilterForm,
    HouseholdMoveForm,
    MemberAddForm,
    add_service_errors,
)
from gandan.households.models import (
    Assessment,
    Household,
    Member,
    Placement,
    ReviewRequest,
    Standing,
    review_date,
    standing_label,
)

PAGE_SIZE = 50
# Roles that handle personal data of the households of their units (as for personnel files).


def _today() -> dt.date:
    return timezone.localdate()


def lists_year(on: dt.date) -> int:
    """The review year whose lists are in force on ``on`` (the last periodic review before it)."""
    return on.year if on >= review_date(on.year) else on.year - 1


# --- Who may do what (beyond the read scope of households.access) ------------------------------


@dataclass(frozen=True)
class WritePlaces:
    """Where the user may register households today: communes, villages, commune-wide ids."""

    units: list[Unit]
    hamlets: list[Hamlet]
    commune_wide: set[int]

    @property
    def any(self) -> bool:
        return bool(self.units)


def write_places(user: Any, on: dt.date) -> WritePlaces:
    communes = list(units_in_scope(user, for_write=True).valid_on(on).filter(level=Level.COMMUNE))
    hamlets = list(
        hamlets_in_scope(user, for_write=True)
        .valid_on(on)
        .active()
        .select_related("commune")
        .order_by("commune__name", "name")
    )
    units = {u.pk: u for u in communes}
    for hamlet in hamlets:
        if hamlet.commune.is_valid_on(on):
            units.setdefault(hamlet.commune_id, hamlet.commune)
    return WritePlaces(
        units=sorted(units.values(), key=lambda u: u.name),
        hamlets=[h for h in hamlets if h.commune_id in units],
        commune_wide={u.pk for u in communes},
    )


def household_for_write(user: Any, household_id: int, on: dt.date) -> Household:
    """The household if the user may change it today: registered in a commune he writes for,
    or (a village head) in his own village. 404 otherwise, as for a missing household."""
    household = access_household(user, household_id)
    if households_in_scope(user, for_write=True, on=on).filter(pk=household.pk).exists():
        return household
    place = services.placement_on(household, on)
    if (
        place is not None
        and place.hamlet_id is not None
        and hamlets_in_scope(user, for_write=True).filter(pk=place.hamlet_id).exists()
    ):
        return household
    raise Http404("Không tìm thấy hộ.")


def _may_write(user: Any, household: Household, on: dt.date) -> bool:
    try:
        household_for_write(user, household.pk, on)
    except Http404:
        return False
    return True


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
    condition = Q(pk__in=[])
    for subject in subjects:
        condition |= Q(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
    events = list(Event.objects.filter(condition).select_related("actor"))
    hamlet_ids = {e.data.get("hamlet") for e in events if isinstance(e.data, dict)}
    hamlets = dict(
        Hamlet.objects.filter(pk__in=[h for h in hamlet_ids if isinstance(h, int)]).values_list(
            "pk", "name"
        )
    )
    return [
        {
            "event": e,
            "label": e.label,
            "text": _event_text(e, hamlets),
        }
        for e in events
    ]


# --- The list ----------------------------------------------------------------------------------


def _filtered_households(
    user: Any, data: dict[str, Any], on: dt.date, unit: Unit | None, hamlet: Hamlet | None
) -> QuerySet[Household]:
    year = lists_year(on)
    found = households_in_scope(user)
    if not data.get("dissolved"):
        found = found.filter(dissolved_on__isnull=True)
    q = (data.get("q") or "").strip()
    if q:
        found = found.filter(Q(code__icontains=q) | Q(head_name__icontains=q))
    if unit is not None or hamlet is not None:
        # Where a household lives today; a dissolved one, where it last lived.
        placed = Placement.objects.filter(
            Q(pk__in=Placement.objects.valid_on(on).values("pk"))
            | Q(household__dissolved_on__isnull=False, valid_to=F("household__dissolved_on"))
        )
        placed = placed.filter(hamlet=hamlet) if hamlet is not None else placed.filter(unit=unit)
        found = found.filter(pk__in=placed.values("household_id"))
    listed = Assessment.objects.recorded_on(on).filter(year=year)
    standing = data.get("standing") or ""
    if standing in (Standing.POOR, Standing.NEAR_POOR):
        found = found.filter(pk__in=listed.filter(standing=standing).values("household_id"))
    elif standing == "other":
        found = found.exclude(
            pk__in=listed.filter(standing__in=[Standing.POOR, Standing.NEAR_POOR]).values(
                "household_id"
            )
        )
    here = Placement.objects.filter(household=OuterRef("pk")).order_by(
        F("valid_from").desc(nulls_last=True), "-pk"
    )
    annotated: QuerySet[Household] = found.annotate(
        standing=Subquery(
            listed.filter(household=OuterRef("pk")).order_by("-recorded_on").values("standing")[:1]
        ),
        unit_name=Subquery(here.values("unit__name")[:1]),
        hamlet_name=Subquery(here.values("hamlet__name")[:1]),
    ).order_by("code")
    return annotated


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    """Households in the user's units, searchable and filtered by place and standing."""
    form = HouseholdFilterForm(request.GET)
    form.is_valid()  # a bad field is reported and ignored; the others still apply
    data = form.cleaned_data
    today = _today()
    communes = list(
        units_in_scope(request.user).valid_on(today).filter(level=Level.COMMUNE).order_by("name")
    )
    unit_code = (data.get("unit") or "").strip()
    unit = next((c for c in communes if c.code == unit_code), None)
    if unit_code and unit is None:
        form.add_error(None, f"Không có xã, phường mã {unit_code!r} trong phạm vi của bạn.")
    # With a single commune its villages are offered without choosing it first.
    villages_of = unit or (communes[0] if len(communes) == 1 else None)
    hamlets = (
        list(
            hamlets_in_scope(request.user)
            .valid_on(today)
            .filter(commune=villages_of)
            .order_by("name")
        )
        if villages_of is not None
        else []
    )
    hamlet = next((h for h in hamlets if h.pk == data.get("hamlet")), None)
    if data.get("hamlet") and hamlet is None:
        form.add_error(None, "Thôn, tổ dân phố không thuộc xã, phường đã chọn; đang hiện cả xã.")
    found = _filtered_households(request.user, data, today, unit, hamlet)
    page: Page[Household] = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "communes": communes,
        "unit": unit,
        "villages_of": villages_of,
        "hamlets": hamlets,
        "hamlet": hamlet,
        "page": page,
        "year": lists_year(today),
        "can_create": write_places(request.user, today).any,
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
    rows = list(
        Assessment.objects.filter(household=household)
        .select_related("standard", "review", "unit", "hamlet")
        .order_by("-year", "recorded_on", "pk")
    )
    by_year: dict[int, list[Assessment]] = {}
    for row in rows:
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
    members = list(found.members.order_by("valid_to", "birth_date", "pk"))
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
        "placements": list(
            found.placements.select_related("unit", "hamlet").order_by("valid_from", "pk")
        ),
        "current_place": services.placement_on(found, today),
        "members": rows,
        "full_allowed": full_allowed,
        "show_full": show_full,
        "years": years,
        "lists_year": lists_year(today),
        "corrections": [(a, superseded.get(a.corrects_id or 0)) for a in corrections],
        "requests": list(
            ReviewRequest.objects.filter(household=found).order_by("-received_on", "-pk")
        ),
        "timeline": timeline([found]),
        "can_write": found.dissolved_on is None and _may_write(request.user, found, today),
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


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    """Register a new household in a commune (a village head: in his village)."""
    today = _today()
    places = write_places(request.user, today)
    if not places.any:
        raise PermissionDenied("Vai trò của bạn không được đăng ký hộ mới.")
    form = HouseholdCreateForm(request.POST if request.method == "POST" else None)
    form.set_places(units=places.units, hamlets=places.hamlets, commune_wide=places.commune_wide)
    page = FormPage("Đăng ký hộ mới", "Đăng ký hộ")
    if request.method != "POST":
        return page.render(request, form)
    if not form.is_valid():
        return page.render(request, form, 400)
    data = form.cleaned_data
    try:
        created = services.household_create(
            code=data["code"],
            unit=data["unit"],
            head_name=data["head_name"],
            hamlet=data["hamlet"],
            area=data["area"] or None,
            ethnic_minority=data["ethnic_minority"],
            farming=data["farming"],
            formed_on=data["formed_on"],
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return page.render(request, form, 400)
    messages.success(request, f"Đã đăng ký hộ {created.code} — {created.head_name}.")
    return redirect("households:household", pk=created.pk)


@login_required
@require_http_methods(["GET", "POST"])
def household_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The household is registered at a new place from a date (its old place ends the day before)."""
    today = _today()
    found = household_for_write(request.user, pk, today)
    places = write_places(request.user, today)
    place = services.placement_on(found, today)
    initial = {"on": today, "unit": place.unit.code if place else ""}
    form = HouseholdMoveForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        hamlets=places.hamlets,
    )
    page = FormPage("Chuyển nơi cư trú", "Chuyển", found)
    if request.method != "POST":
        return page.render(request, form)
    if not form.is_valid():
        return page.render(request, form, 400)
    data = form.cleaned_data
    hamlet = data["hamlet"]
    try:
        unit = unit_by_code(data["unit"], as_of=data["on"])
    except UnitNotFound as error:
        form.add_error("unit", str(error))
        return page.render(request, form, 400)
    # A village head moves households only between villages of his own.
    village_head_only = (
        not households_in_scope(request.user, for_write=True, on=today).filter(pk=found.pk).exists()
    )
    if hamlet is None and village_head_only:
        form.add_error(
            "hamlet", "Trưởng thôn, tổ trưởng chỉ chuyển hộ đến thôn, tổ trong phạm vi của mình."
        )
        return page.render(request, form, 400)
    try:
        services.household_move(
            household=found,
            unit=unit,
            hamlet=hamlet,
            on=data["on"],
            area=data["area"] or None,
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return page.render(request, form, 400)
    messages.success(
        request, f"Đã chuyển hộ {found.code} đến {unit.name} từ ngày {data['on']:%d/%m/%Y}."
    )
    return redirect("households:household", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def household_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The household ends: its place and its members end on that day."""
    today = _today()
    found = household_for_write(request.user, pk, today)
    form = HouseholdDissolveForm(
        request.POST if request.method == "POST" else None, initial={"on": today}
    )
    page = FormPage(
        "Xóa hộ",
        "Xóa hộ",
        found,
        "Hộ đã xóa vẫn được giữ trong sổ cùng toàn bộ lịch sử; chỉ không còn cư trú từ ngày xóa.",
    )
    if request.method != "POST":
        return page.render(request, form)
    if not form.is_valid():
        return page.render(request, form, 400)
    try:
        services.household_dissolve(
            household=found,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        found.refresh_from_db()
        return page.render(request, form, 400)
    messages.success(request, f"Đã xóa hộ {found.code} từ ngày {form.cleaned_data['on']:%d/%m/%Y}.")
    return redirect("households:household", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A person joins the household."""
    found = household_for_write(request.user, pk, _today())
    form = MemberAddForm(request.POST if request.method == "POST" else None)
    page = FormPage(
        "Thêm thành viên",
        "Thêm thành viên",
        found,
        "Số định danh cá nhân được mã hóa khi lưu và được che khi hiển thị.",
    )
    if request.method != "POST":
        return page.render(request, form)
    if not form.is_valid():
        return page.render(request, form, 400)
    data = form.cleaned_data
    try:
        member = services.member_add(
            household=found,
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            sex=data["sex"],
            relation=data["relation"],
            citizen_id=data["citizen_id"],
            on=data["on"],
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return page.render(request, form, 400)
    messages.success(request, f"Đã thêm {member.full_name} vào hộ {found.code}.")
    return redirect("households:household", pk=found.pk)

"""Screens for the people of the registry: who holds a post on a date, and each personnel file.

Every view of a full personnel file (page, PDF, API) writes an access-log row: the file holds
personal data that only the people who manage it may read, and they must be able to show who did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gandan.accounts.access import current_memberships, units_in_scope
from gandan.core.crypto import mask_citizen_id
from gandan.core.services import access_log_record
from gandan.core.text import fold
from gandan.geo.models import Level, Unit
from gandan.officials import pdf
from gandan.officials.access import (
    FULL_ID_ROLES,
    access_official,
    can_see_full_citizen_id,
    officials_in_scope,
    units_in_scope_for_roles,
)
from gandan.officials.models import (
    Category,
    Evaluation,
    Official,
    OfficialQuerySet,
    Posting,
    PostingKind,
    Qualification,
    QualificationKind,
    Record,
    Relative,
    Rotation,
)
from gandan.officials.selectors import communes_under

PAGE_SIZE = 50

# --- Reads shared by the screens, the PDF and the API ----------------------------------------


def people_on(
    user: Any,
    *,
    as_of: dt.date,
    q: str = "",
    category: str = "",
    unit: Unit | None = None,
) -> OfficialQuerySet:
    """People in the user's scope who hold a post there on ``as_of``, by folded name.

    Each person carries ``posts``: the posts they hold on that day in the scope (and in
    ``unit`` and ``category`` when given), with position, commune and hamlet — the one place
    this query family is joined and prefetched.
    """
    held = Posting.objects.valid_on(as_of).filter(unit__in=units_in_scope(user).values("pk"))
    if unit is not None:
        held = held.filter(unit_id__in=communes_under(unit, as_of))
    if category:
        held = held.filter(position__category=category)
    people = officials_in_scope(user).filter(pk__in=held.values("official_id"))
    if q.strip():
        people = people.filter(search_name__contains=fold(q))
    return people.prefetch_related(
        Prefetch(
            "postings",
            queryset=held.select_related("position", "unit", "hamlet").order_by(
                "position__order", "valid_from"
            ),
            to_attr="posts",
        )
    ).order_by("search_name", "pk")


def full_id_official_ids(user: Any, official_ids: list[int]) -> set[int]:
    """Which of these people the user may see the full citizen ID of, in a fixed number of queries.

    The same rule as :func:`gandan.officials.access.can_see_full_citizen_id`, for a page of people.
    """
    if not official_ids:
        return set()
    if getattr(user, "is_superuser", False):
        return set(official_ids)
    if not {m.role for m in current_memberships(user)} & FULL_ID_ROLES:
        return set()
    return set(
        Posting.objects.filter(
            official_id__in=official_ids, unit__in=units_in_scope_for_roles(user, FULL_ID_ROLES)
        ).values_list("official_id", flat=True)
    )


def shown_citizen_id(official: Official, full: bool) -> str:
    return official.citizen_id if full else mask_citizen_id(official.citizen_id)


_KIND_ORDER = {kind: index for index, kind in enumerate(QualificationKind.values)}


@dataclass(frozen=True)
class PersonnelFile:
    """The groups of the electronic personnel file (Decree 27/2026), for one person."""

    official: Official
    as_of: dt.date
    citizen_id: str  # masked unless the reader may see it in full
    citizen_id_full: bool
    relatives: list[Relative]  # (2) family
    postings: list[Posting]  # (3) work history, newest first
    appointments: list[Posting]  # (4) appointments, newest first…
    rotations: list[Rotation]  # … and rotations
    qualifications: list[Qualification]  # (5) training and political theory
    current_postings: list[Posting]  # (6) posts and pay on ``as_of``
    evaluations: list[Evaluation]  # (7) yearly grades, newest first
    records: list[Record]  # (8) awards and discipline, newest first

    @property
    def age(self) -> int:
        return self.official.age_on(self.as_of)


def personnel_file(official: Official, *, user: Any, as_of: dt.date) -> PersonnelFile:
    full = can_see_full_citizen_id(user, official)
    postings = list(
        official.postings.select_related("position", "unit", "unit__parent", "hamlet").order_by(
            F("valid_from").desc(nulls_last=True), "position__order"
        )
    )
    qualifications = sorted(
        official.qualifications.all(), key=lambda q: (_KIND_ORDER.get(q.kind, 99), q.awarded_on)
    )
    return PersonnelFile(
        official=official,
        as_of=as_of,
        citizen_id=shown_citizen_id(official, full),
        citizen_id_full=full,
        relatives=list(official.relatives.order_by("pk")),
        postings=postings,
        appointments=[p for p in postings if p.kind == PostingKind.APPOINTED],
        rotations=list(
            official.rotations.select_related("from_unit", "to_unit", "posting__position").order_by(
                "-start"
            )
        ),
        qualifications=qualifications,
        current_postings=sorted(
            (p for p in postings if p.is_valid_on(as_of)), key=lambda p: p.position.order
        ),
        evaluations=list(official.evaluations.select_related("unit").order_by("-year")),
        records=list(official.records.order_by("-decided_on", "-pk")),
    )


# --- Screens -----------------------------------------------------------------------------------


class PeopleFilterForm(forms.Form):
    as_of = forms.DateField(
        label="Vào ngày",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "invalid": "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025. "
            "Danh sách dưới đây tính đến hôm nay."
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Nhóm",
        required=False,
        choices=[("", "Tất cả các nhóm"), *Category.choices],
        error_messages={"invalid_choice": "Nhóm không hợp lệ; đang hiện tất cả các nhóm."},
    )
    unit = forms.CharField(label="Xã, phường", required=False, max_length=10)


@dataclass(frozen=True)
class PersonRow:
    official: Official
    citizen_id: str
    citizen_id_full: bool


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Who holds a post in the user's communes on a date, 50 a page."""
    form = PeopleFilterForm(request.GET)
    form.is_valid()  # a bad field is reported and ignored; the others still apply
    data = form.cleaned_data
    as_of = data.get("as_of") or timezone.localdate()
    communes = list(
        units_in_scope(request.user).valid_on(as_of).filter(level=Level.COMMUNE).order_by("name")
    )
    unit_code = (data.get("unit") or "").strip()
    unit = next((c for c in communes if c.code == unit_code), None)
    if unit_code and unit is None:
        form.add_error(
            None,
            f"Không có xã, phường mã {unit_code!r} trong phạm vi của bạn vào ngày "
            f"{as_of:%d/%m/%Y}; đang hiện tất cả.",
        )
    found = people_on(
        request.user,
        as_of=as_of,
        q=data.get("q") or "",
        category=data.get("category") or "",
        unit=unit,
    )
    page: Page[Official] = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    officials = list(page.object_list)
    full = full_id_official_ids(request.user, [o.pk for o in officials])
    rows = [PersonRow(o, shown_citizen_id(o, o.pk in full), o.pk in full) for o in officials]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "as_of": as_of,
        "communes": communes,
        "unit": unit,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "officials/people.html", context)


@login_required
@require_GET
def file(request: HttpRequest, official_id: int) -> HttpResponse:
    """The whole personnel file of one person in the user's scope; each view is logged."""
    official = access_official(request.user, official_id)
    record = personnel_file(official, user=request.user, as_of=timezone.localdate())
    access_log_record(
        user=request.user,
        subject=official,
        what="personnel_file",
        province_code=official.province_code,
    )
    return render(request, "officials/file.html", {"file": record})


@login_required
@require_GET
def file_pdf(request: HttpRequest, official_id: int) -> HttpResponse:
    """The personnel file as a printable A4 PDF; logged once it is made."""
    official = access_official(request.user, official_id)
    record = personnel_file(official, user=request.user, as_of=timezone.localdate())
    try:
        content = pdf.personnel_file_pdf(record, printed_by=request.user)
    except pdf.PdfUnavailable:
        return render(
            request,
            "officials/file.html",
            {"pdf_unavailable": True, "official_id": official.pk},
            status=503,
        )
    access_log_record(
        user=request.user,
        subject=official,
        what="personnel_file_pdf",
        province_code=official.province_code,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ho-so-{official.pk}.pdf"'
    return response

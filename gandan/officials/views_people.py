"""Screens for the people of the registry: who holds a post on a date, and each personnel file.

Every view of a full personnel file (page, PDF, API) writes an access-log row: the file holds
personal data that only the people who manage it may read, and they must be able to show who did.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gandan.accounts.access import units_in_scope
from gandan.core.services import access_log_record
from gandan.geo.models import Level
from gandan.officials import pdf
from gandan.officials.access import (
    access_official,
    full_id_official_ids,
)
from gandan.officials.models import (
    Category,
    Official,
)
from gandan.officials.selectors import people_on, personnel_file, shown_citizen_id

PAGE_SIZE = 50

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

"""Screens for the people of the registry: who holds a post on a date, and each personnel file.

Every view of a full personnel file (page, PDF, API) writes an access-log row: the file holds
personal data that only the people who manage it may read, and they must be able to show who did.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gandan.core.paging import page_of
from gandan.officials import pdf
from gandan.officials.access import access_official
from gandan.officials.filters import PeopleFilter
from gandan.officials.models import Official
from gandan.officials.selectors import communes_on, people_rows, personnel_file
from gandan.officials.services import personnel_file_read

# --- Screens -----------------------------------------------------------------------------------


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Who holds a post in the user's communes on a date, 50 a page.

    A bad field is reported and ignored; the others still apply.
    """
    found = PeopleFilter(request.GET, user=request.user)
    page: Page[Official] = page_of(found.qs, request.GET.get("page"))
    as_of = found.day()
    context = {
        "form": found.form,
        "as_of": as_of,
        "communes": communes_on(request.user, as_of),
        "unit": found.unit_found(),
        "page": page,
        "rows": people_rows(request.user, list(page.object_list)),
    }
    return render(request, "officials/people.html", context)


@login_required
@require_GET
def file(request: HttpRequest, official_id: int) -> HttpResponse:
    """The whole personnel file of one person in the user's scope; each view is logged."""
    official = access_official(request.user, official_id)
    record = personnel_file(official, user=request.user, as_of=timezone.localdate())
    personnel_file_read(user=request.user, official=official, channel="personnel_file")
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
    personnel_file_read(user=request.user, official=official, channel="personnel_file_pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ho-so-{official.pk}.pdf"'
    return response

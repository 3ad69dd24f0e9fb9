"""The screen to import households' yearly review results from a spreadsheet."""

from __future__ import annotations

from typing import IO, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gandan.core.imports import run_import
from gandan.households.access import may_import_households
from gandan.households.forms_import import MAX_UPLOAD_MB, ImportForm
from gandan.households.imports import AREAS, COLUMNS, MAX_MEMBERS
from gandan.households.selectors import places

TEMPLATE = "households/import.html"
MAX_LISTED = 60  # communes listed with their villages' codes on the page


def _page(request: HttpRequest, form: ImportForm, **context: Any) -> dict[str, Any]:
    communes = places.communes_to_write(request.user, timezone.localdate(), MAX_LISTED)
    return {
        "form": form,
        "columns": COLUMNS,
        "areas": sorted(set(AREAS.values())),
        "max_members": MAX_MEMBERS,
        "max_mb": MAX_UPLOAD_MB,
        "standards": places.standards(),
        "communes": communes[:MAX_LISTED],
        "more_communes": len(communes) > MAX_LISTED,
        **context,
    }


@login_required
@require_http_methods(["GET", "POST"])
def household_import(request: HttpRequest) -> HttpResponse:
    """Upload a year's (or several years') review results; all rows are saved, or none."""
    if not may_import_households(request.user):
        raise Http404("Không tìm thấy trang.")
    if request.method != "POST":
        return render(request, TEMPLATE, _page(request, ImportForm()))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, _page(request, form), status=400)
    upload: UploadedFile = form.cleaned_data["file"]
    report = run_import(
        "households",
        cast("IO[bytes]", upload.file),  # a received upload always has its file
        filename=upload.name,
        dry_run=form.cleaned_data["dry_run"],
        user=request.user,
    )
    if report.ok and not report.dry_run:
        messages.success(request, report.summary())
        return redirect("households:import")
    return render(
        request,
        TEMPLATE,
        _page(request, ImportForm(), report=report, filename=upload.name),
        status=200 if report.ok else 400,
    )

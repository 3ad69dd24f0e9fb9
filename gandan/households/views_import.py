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

from gandan.accounts.access import hamlets_in_scope, units_in_scope
from gandan.core.imports import run_import
from gandan.geo.models import Level
from gandan.households.forms_import import MAX_UPLOAD_MB, ImportForm
from gandan.households.imports import AREAS, COLUMNS, MAX_MEMBERS
from gandan.households.models import PovertyStandard

TEMPLATE = "households/import.html"
MAX_LISTED = 60  # communes listed with their villages' codes on the page


def _page(request: HttpRequest, form: ImportForm, **context: Any) -> dict[str, Any]:
    today = timezone.localdate()
    communes = list(
        units_in_scope(request.user, for_write=True)
        .valid_on(today)
        .filter(level=Level.COMMUNE)
        .order_by("name")
        .only("pk", "code", "name")[: MAX_LISTED + 1]
    )
    villages: dict[int, list[Any]] = {}
    shown = communes[:MAX_LISTED]
    for hamlet in (
        hamlets_in_scope(request.user, for_write=True)
        .valid_on(today)
        .filter(commune__in=[c.pk for c in shown])
        .order_by("name")
        .only("pk", "name", "commune_id")
    ):
        villages.setdefault(hamlet.commune_id, []).append(hamlet)
    return {
        "form": form,
        "columns": COLUMNS,
        "areas": sorted(set(AREAS.values())),
        "max_members": MAX_MEMBERS,
        "max_mb": MAX_UPLOAD_MB,
        "standards": PovertyStandard.objects.prefetch_related("indicators").order_by("first_year"),
        "communes": [(commune, villages.get(commune.pk, [])) for commune in shown],
        "more_communes": len(communes) > MAX_LISTED,
        **context,
    }


@login_required
@require_http_methods(["GET", "POST"])
def household_import(request: HttpRequest) -> HttpResponse:
    """Upload a year's (or several years') review results; all rows are saved, or none."""
    if not units_in_scope(request.user, for_write=True).exists():
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

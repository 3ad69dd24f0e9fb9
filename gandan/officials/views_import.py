"""Screens to import officials from a spreadsheet and to export them in the same layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gandan.accounts.access import access_unit_for_staff, current_memberships, units_in_scope
from gandan.core.imports import FORMATS, run_import
from gandan.geo.models import Level
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.officials.imports import COLUMNS, export_officials

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh sách (.xlsx hoặc .csv)",
        error_messages={
            "required": "Hãy chọn tệp để nhập.",
            "empty": "Tệp trống.",
            "invalid": "Không nhận được tệp: hãy chọn lại.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label="Chỉ kiểm tra (không lưu)", required=False)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Tệp quá lớn ({(upload.size or 0) / 1024 / 1024:.1f} MB): tối đa 10 MB. "
                "Hãy chia danh sách thành nhiều tệp nhỏ hơn."
            )
        if Path(upload.name or "").suffix.lower() not in FORMATS:
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return upload


class ExportForm(forms.Form):
    unit = forms.CharField(label="Mã đơn vị", max_length=8)
    as_of = forms.DateField(
        label="Vào ngày",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _page(request: HttpRequest, form: ImportForm, **context: Any) -> dict[str, Any]:
    today = timezone.localdate()
    memberships = current_memberships(request.user)
    scope = units_in_scope(request.user).valid_on(today)
    return {
        "form": form,
        "columns": COLUMNS,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "export_form": ExportForm(
            initial={"unit": memberships[0].unit.code if memberships else "", "as_of": today}
        ),
        "export_units": scope.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
        .order_by("level", "name")
        .only("code", "name")[:300],
        **context,
    }


@login_required
@require_http_methods(["GET", "POST"])
def official_import(request: HttpRequest) -> HttpResponse:
    """Upload a list of officials (one row per posting); all rows are saved, or none."""
    if not units_in_scope(request.user, for_write=True).exists():
        raise Http404("Không tìm thấy trang.")
    if request.method != "POST":
        return render(request, "officials/import.html", _page(request, ImportForm()))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "officials/import.html", _page(request, form), status=400)
    upload: UploadedFile = form.cleaned_data["file"]
    report = run_import(
        "officials",
        cast("IO[bytes]", upload.file),  # a received upload always has its file
        filename=upload.name,
        dry_run=form.cleaned_data["dry_run"],
        user=request.user,
    )
    if report.ok and not report.dry_run:
        messages.success(request, report.summary())
        return redirect("officials:import")
    return render(
        request,
        "officials/import.html",
        _page(request, ImportForm(), report=report, filename=upload.name),
        status=200 if report.ok else 400,
    )


@login_required
@require_GET
def official_export(request: HttpRequest) -> HttpResponse:
    """The postings valid on a date in a unit in scope, as .xlsx in the import layout."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "Cần mã đơn vị (unit) và ngày hợp lệ (as_of, dạng yyyy-mm-dd).",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    as_of: dt.date = form.cleaned_data["as_of"] or timezone.localdate()
    try:
        found = unit_by_code(form.cleaned_data["unit"], as_of=as_of)
    except UnitNotFound:
        raise Http404("Không tìm thấy đơn vị.") from None
    unit = access_unit_for_staff(request.user, found.pk)
    response = HttpResponse(export_officials(unit, as_of, user=request.user), XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="can-bo-{unit.code}-{as_of.isoformat()}.xlsx"'
    )
    return response

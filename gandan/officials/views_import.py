"""Screens to import officials from a spreadsheet and to export them in the same layout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from gandan.accounts.access import (
    access_unit_for_staff,
    current_memberships,
    may_write_somewhere,
)
from gandan.core.forms import date_field
from gandan.core.import_screen import ImportScreen, import_view
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.officials import selectors
from gandan.officials.imports import COLUMNS, export_officials

MAX_UPLOAD_MB = 10
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportForm(forms.Form):
    unit = forms.CharField(label="Mã đơn vị", max_length=8)
    as_of = date_field("Vào ngày", required=False)


def _page(request: HttpRequest) -> dict[str, Any]:
    """The file layout, and the export form beside the upload (same layout both ways)."""
    today = timezone.localdate()
    memberships = current_memberships(request.user)
    return {
        "columns": COLUMNS,
        "export_form": ExportForm(
            initial={"unit": memberships[0].unit.code if memberships else "", "as_of": today}
        ),
        "export_units": selectors.export_units(request.user, on=today),
    }


SCREEN = ImportScreen(
    kind="officials",
    template="officials/import.html",
    title="Nhập danh sách cán bộ, công chức",
    url_name="officials:import",
    file_label="Tệp danh sách (.xlsx hoặc .csv)",
    max_mb=MAX_UPLOAD_MB,
    too_big_hint="Hãy chia danh sách thành nhiều tệp nhỏ hơn.",
    may_import=may_write_somewhere,
    page=_page,
)
official_import = import_view(SCREEN)


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

"""The printable one-stop forms (01–06 of Circular 03/2025/TT-VPCP) for staff.

A form is printed for a dossier in the user's read scope (404 elsewhere, as for a missing
dossier) and only when the dossier's state calls for it (404 with the reason otherwise).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gandan.onestop import pdf
from gandan.onestop.access import access_dossier
from gandan.onestop.models import Dossier
from gandan.onestop.views_public import lookup_link


def lookup_url(request: HttpRequest, dossier: Dossier) -> str:
    """The absolute address of the public look-up with the dossier's code filled in."""
    return request.build_absolute_uri(lookup_link(dossier.code))


@login_required
@require_GET
def form_pdf(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    """Form ``form`` ("01" … "06") of the dossier as an inline A4 PDF."""
    dossier = access_dossier(request.user, pk)
    try:
        content = pdf.form_pdf(
            dossier, form, lookup_url=lookup_url(request, dossier), printed_by=request.user
        )
    except pdf.FormNotApplicable as error:
        return render(
            request,
            "onestop/pdf_error.html",
            {"dossier": dossier, "title": "Không in được mẫu phiếu này", "message": str(error)},
            status=404,
        )
    except pdf.PdfUnavailable:
        return render(
            request,
            "onestop/pdf_error.html",
            {
                "dossier": dossier,
                "title": "Chưa tạo được bản PDF",
                "message": "Máy chủ chưa có thư viện tạo PDF (WeasyPrint và Pango). "
                "Hãy báo quản trị hệ thống; các chức năng khác vẫn dùng bình thường.",
            },
            status=503,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{form}-{dossier.code}.pdf"'
    return response

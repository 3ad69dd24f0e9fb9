"""The dossier's files for staff: each document's attachment and the electronic result.

Served through the dossier's scope (404 outside it, as for a missing file), never from a public
media address, typed by their bytes (gandan.core.uploads.file_response: inline only for a PDF
or a picture); each download is personal data and is logged.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from gandan.core.services import access_log_record
from gandan.core.uploads import file_response
from gandan.onestop.access import access_dossier
from gandan.onestop.models import Dossier
from gandan.onestop.selectors import dossier_document


def _send(request: HttpRequest, dossier: Dossier, file: FieldFile, what: str) -> FileResponse:
    response = file_response(file)
    access_log_record(
        user=request.user, subject=dossier, what=what, province_code=dossier.province_code
    )
    return response


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, document: int) -> FileResponse:
    """The attachment of one document of the dossier."""
    dossier = access_dossier(request.user, pk)
    found = dossier_document(dossier, document)
    if found is None:
        raise Http404("Không có giấy tờ này.")
    return _send(request, dossier, found.file, f"tệp giấy tờ: {found.name}")


@login_required
@require_GET
def result_file(request: HttpRequest, pk: int) -> FileResponse:
    """The electronic result."""
    dossier = access_dossier(request.user, pk)
    return _send(request, dossier, dossier.result_file, "tệp kết quả")

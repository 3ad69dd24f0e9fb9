"""Rows of the persona × URL matrix for the dossier's files (attachments, electronic result)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import RECORD_OF_A, Row
from gandan.onestop import services
from gandan.onestop.models import Dossier
from gandan.onestop.tests.factories import APPLICANT, MARITAL, procedure, required


@kept_on_personas
def filed_dossier_of_a(personas: Personas) -> Dossier:
    """A dossier of commune A with an attached form and an electronic result."""
    found = services.dossier_receive(
        unit=personas.commune_a,
        procedure=procedure(MARITAL),
        applicant=APPLICANT,
        documents=required(MARITAL),
        attachments={"to_khai": SimpleUploadedFile("to_khai.pdf", b"%PDF-1.4 form")},
    )
    services.dossier_finish(
        dossier=found, result_file=SimpleUploadedFile("ket_qua.pdf", b"%PDF-1.4 result")
    )
    return found


def _document(personas: Personas) -> str:
    dossier = filed_dossier_of_a(personas)
    document = dossier.documents.get(code="to_khai")
    return f"/onestop/{dossier.pk}/files/{document.pk}/"


URLS: dict[str, Row] = {
    "onestop/<int:pk>/files/<int:document>/": Row(_document, RECORD_OF_A),
    "onestop/<int:pk>/result/": Row(
        lambda p: f"/onestop/{filed_dossier_of_a(p).pk}/result/", RECORD_OF_A
    ),
}

"""Rows of the persona × URL matrix for the dossier's files (attachments, electronic result)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.testing.personas import Personas
from gandan.core.testing.url_matrix import RECORD_OF_A, Row
from gandan.onestop import services
from gandan.onestop.models import Dossier
from gandan.onestop.tests.factories import APPLICANT, MARITAL, procedure, required

READERS_OF_A = RECORD_OF_A


def filed_dossier_of_a(personas: Personas) -> Dossier:
    """A dossier of commune A with an attached form and an electronic result."""
    found: Dossier | None = getattr(personas, "_filed_dossier_a", None)
    if found is None:
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
        personas._filed_dossier_a = found  # type: ignore[attr-defined]
    return found


def _document(personas: Personas) -> str:
    dossier = filed_dossier_of_a(personas)
    document = dossier.documents.get(code="to_khai")
    return f"/onestop/{dossier.pk}/files/{document.pk}/"


URLS: dict[str, Row] = {
    "onestop/<int:pk>/files/<int:document>/": Row(_document, READERS_OF_A),
    "onestop/<int:pk>/result/": Row(
        lambda p: f"/onestop/{filed_dossier_of_a(p).pk}/result/", READERS_OF_A
    ),
}

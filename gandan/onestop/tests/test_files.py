"""The dossier's files: the electronic result kept on finishing, downloads scoped and logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.models import AccessLog
from gandan.onestop import services
from gandan.onestop.models import Dossier
from gandan.onestop.tests.factories import MARITAL, receive
from gandan.onestop.tests.url_matrix_files import filed_dossier_of_a

pytestmark = pytest.mark.django_db


def test_an_electronic_result_is_kept_and_makes_the_result_electronic(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = filed_dossier_of_a(personas)
    assert dossier.result_electronic and dossier.result_file.name.endswith(".pdf")


def test_a_result_that_is_not_a_document_is_refused_and_nothing_changes(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL)
    with pytest.raises(ValidationError):
        services.dossier_finish(dossier=dossier, result_file=SimpleUploadedFile("x.pdf", b"MZ exe"))
    assert Dossier.objects.get(pk=dossier.pk).finished_at is None


def test_staff_of_the_unit_download_the_files_and_each_download_is_logged(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = filed_dossier_of_a(personas)
    document = dossier.documents.get(code="to_khai")
    assert (
        personas.client("viewer_a").get(f"/onestop/{dossier.pk}/files/{document.pk}/").status_code
        == 404
    )
    response = personas.client("leader").get(f"/onestop/{dossier.pk}/files/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 form"
    assert response["Content-Type"] == "application/pdf"
    result = personas.client("official_a").get(f"/onestop/{dossier.pk}/result/")
    assert b"".join(result.streaming_content) == b"%PDF-1.4 result"
    logged = AccessLog.objects.filter(subject_id=str(dossier.pk)).values_list(
        "user__username", flat=True
    )
    assert sorted(logged) == ["leader", "official_a"]
    assert personas.client("official_b").get(f"/onestop/{dossier.pk}/result/").status_code == 404
    page = personas.client("official_a").get(f"/onestop/{dossier.pk}/").content.decode()
    assert f"/onestop/{dossier.pk}/result/" in page and f"/files/{document.pk}/" in page

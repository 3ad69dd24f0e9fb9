"""The personnel file as a printable PDF: made by WeasyPrint, logged, and refused outside the scope."""

from __future__ import annotations

import builtins
import io
from unittest import mock

import pytest
from django.utils import timezone

from gandan.core.crypto import mask_citizen_id
from gandan.core.models import AccessLog
from gandan.officials import pdf
from gandan.officials.selectors import personnel_file
from gandan.officials.tests.url_matrix_people import official_of_a

pytestmark = pytest.mark.django_db


def test_the_pdf_is_an_inline_a4_document_and_its_printing_is_logged(personas):
    person = official_of_a(personas)
    response = personas.client("official_a").get(f"/officials/{person.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="ho-so-{person.pk}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000
    row = AccessLog.objects.get()
    assert (row.user, row.subject_id, row.what) == (
        personas.official_a,
        str(person.pk),
        "personnel_file_pdf",
    )
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is not a dependency: the checks above must do
        return
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "SƠ YẾU LÝ LỊCH" in text
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4, in points


def test_the_pdf_follows_the_official_layout(personas):
    person = official_of_a(personas)
    record = personnel_file(person, user=personas.official_a, as_of=timezone.localdate())
    with mock.patch("weasyprint.HTML") as html:
        html.return_value.write_pdf.return_value = b"%PDF-fake"
        assert pdf.personnel_file_pdf(record, printed_by=personas.official_a) == b"%PDF-fake"
    source = html.call_args.kwargs["string"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in source
    assert "Độc lập - Tự do - Hạnh phúc" in source
    assert "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC" in source
    assert 'font-family: "Liberation Serif", "DejaVu Serif", serif' in source
    assert "font-size: 13pt" in source and "size: A4" in source
    assert "NGUYỄN VĂN AN" in source
    assert mask_citizen_id(person.citizen_id) in source  # an officer's print is masked too
    assert person.citizen_id not in source


def test_without_weasyprints_system_libraries_the_pdf_is_a_503_in_vietnamese(personas):
    person = official_of_a(personas)
    real_import = builtins.__import__

    def missing_pango(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    with mock.patch("builtins.__import__", side_effect=missing_pango):
        response = personas.client("official_a").get(f"/officials/{person.pk}/pdf/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Chưa tạo được bản PDF" in page
    assert f'href="/officials/{person.pk}/"' in page
    assert not AccessLog.objects.exists()  # nothing of the file was shown

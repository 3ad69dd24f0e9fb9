"""Online filing on the portal: a registered dossier waiting for the desk, bad input, the limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gandan.onestop.models import Channel, Dossier, Status
from gandan.onestop.tests.factories import BIRTH, MARITAL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limit() -> None:
    cache.clear()


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 scanned form", content_type="application/pdf")


def form(personas, **extra):  # type: ignore[no-untyped-def]
    return {
        "commune": personas.commune_a.code,
        "procedure": MARITAL,
        "name": "Hoàng Thị Thu",
        "citizen_id": "046190009876",
        "phone": "0914555666",
        **extra,
    }


def test_the_first_step_lists_only_procedures_offered_online(personas) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/dossiers/file/").content.decode()
    assert MARITAL in page and BIRTH in page
    assert "2.000908" not in page  # certification of copies: at the desk only


def test_a_filed_dossier_is_registered_and_waits_for_the_desk(personas) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/dossiers/file/", form(personas, doc_to_khai=pdf("to_khai.pdf")))
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel, dossier.unit) == (
        Status.REGISTERED,
        Channel.ONLINE,
        personas.commune_a,
    )
    assert dossier.code in response.content.decode()
    assert dossier.digitised and dossier.documents.get(code="to_khai").file
    assert dossier.due_at is None  # the clock starts when the desk receives it


def test_a_missing_required_document_or_a_bad_file_saves_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    missing = Client().post("/dossiers/file/", form(personas))
    assert missing.status_code == 400 and "thiếu giấy tờ bắt buộc" in missing.content.decode()
    fake = SimpleUploadedFile("to_khai.pdf", b"MZ not a document", content_type="application/pdf")
    bad = Client().post("/dossiers/file/", form(personas, doc_to_khai=fake))
    assert (
        bad.status_code == 400 and "không phải PDF, ảnh JPEG hoặc ảnh PNG" in bad.content.decode()
    )
    no_contact = Client().post(
        "/dossiers/file/", form(personas, citizen_id="", phone="", doc_to_khai=pdf("a.pdf"))
    )
    assert no_contact.status_code == 400
    assert not Dossier.objects.exists()


def test_an_address_may_file_only_a_few_dossiers_in_ten_minutes(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(5):
        assert (
            client.post("/dossiers/file/", form(personas, doc_to_khai=pdf("t.pdf"))).status_code
            == 200
        )
    refused = client.post("/dossiers/file/", form(personas, doc_to_khai=pdf("t.pdf")))
    assert refused.status_code == 429 and Dossier.objects.count() == 5


def test_a_page_disguised_as_a_pdf_reaches_the_officer_as_a_pdf_never_as_a_page(personas) -> None:  # type: ignore[no-untyped-def]
    script = b"%PDF-1.4\n<html><script>fetch('/accounts/')</script></html>"
    disguised = SimpleUploadedFile("to_khai.html", script, content_type="text/html")
    assert (
        Client().post("/dossiers/file/", form(personas, doc_to_khai=disguised)).status_code == 200
    )
    document = Dossier.objects.get().documents.get(code="to_khai")
    assert document.file.name.endswith(".pdf") and "to_khai.html" not in document.file.name
    url = f"/onestop/{document.dossier_id}/files/{document.pk}/"
    response = personas.client("official_a").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert ".html" not in response["Content-Disposition"]

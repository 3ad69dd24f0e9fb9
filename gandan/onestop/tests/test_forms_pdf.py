"""The one-stop forms 01–06 as PDFs: printed, read back, refused when they do not fit."""

from __future__ import annotations

import builtins
import datetime as dt
import io
import re
from typing import Any
from unittest import mock

import pytest
import segno
from django.utils import timezone
from pypdf import PdfReader

from gandan.onestop import services
from gandan.onestop.models import Channel, Dossier
from gandan.onestop.pdf import LOOKUP_HINT
from gandan.onestop.selectors import tracking_sheet
from gandan.onestop.tests.factories import APPLICANT, LAND, MARITAL, at, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("march_20", "fast_passwords")]

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def day(moment: dt.datetime | None) -> str:
    assert moment is not None
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def received(personas: Any) -> Dossier:
    return receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8), actor=personas.official_a)


def with_supplement(personas: Any) -> Dossier:
    dossier = receive(personas.commune_a, LAND, when=at(2026, 3, 2, 8), actor=personas.official_a)
    services.dossier_request_supplement(
        dossier=dossier,
        reason="Bản đồ thửa đất chưa có xác nhận của tổ dân phố",
        documents=[dossier.version.documents[0]["code"]],
        actor=personas.official_a,
        at=at(2026, 3, 3, 9),
    )
    return dossier


def refused(personas: Any) -> Dossier:
    dossier = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 2, 20))
    services.dossier_refuse(
        dossier=dossier,
        reason="Ảnh tờ khai không đọc được",
        actor=personas.official_a,
        at=at(2026, 3, 3, 8),
    )
    return dossier


def apologised(personas: Any) -> Dossier:
    dossier = received(personas)
    apology = services.apology_draft(
        dossier=dossier,
        reason="Chờ xác minh thông tin hộ tịch tại nơi cư trú trước đây",
        new_appointment_at=at(2026, 3, 12, 16),
        actor=personas.official_a,
        at=at(2026, 3, 4, 9),
    )
    services.apology_approve(apology=apology, actor=personas.official_a, at=at(2026, 3, 4, 10))
    services.apology_send(apology=apology, actor=personas.official_a, at=at(2026, 3, 4, 11))
    return dossier


def stopped(personas: Any) -> Dossier:
    dossier = received(personas)
    services.dossier_stop(
        dossier=dossier,
        reason="Người nộp đã được cấp giấy chứng nhận ở nơi khác",
        actor=personas.official_a,
        at=at(2026, 3, 3, 9),
    )
    return dossier


def tracked(personas: Any) -> Dossier:
    dossier = received(personas)
    services.dossier_forward(dossier=dossier, to_user=personas.official_a, at=at(2026, 3, 2, 9))
    services.dossier_forward(dossier=dossier, actor=personas.official_a, at=at(2026, 3, 3, 9))
    return dossier


def get_pdf(personas: Any, dossier: Dossier, form: str, persona: str = "official_a") -> Any:
    return personas.client(persona).get(f"/onestop/{dossier.pk}/forms/{form}.pdf")


def text_of(content: bytes) -> str:
    """The text of every page, with line breaks (where the layout wrapped) as spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# The "due" each form must print: the legal due date, except on a refusal (never received,
# so no due date: it prints the day the dossier was filed).
CASES: dict[str, tuple[Any, Any, str]] = {
    "01": (received, lambda d: d.due_at, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "02": (with_supplement, lambda d: d.due_at, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "03": (refused, lambda d: d.submitted_at, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "04": (apologised, lambda d: d.due_at, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "05": (stopped, lambda d: d.due_at, "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ"),
    "06": (tracked, lambda d: d.due_at, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}


@pytest.mark.parametrize("form", sorted(CASES))
def test_each_form_prints_the_motto_the_code_and_the_due_date(personas, form) -> None:  # type: ignore[no-untyped-def]
    make, due, title = CASES[form]
    dossier = make(personas)
    dossier.refresh_from_db()
    response = get_pdf(personas, dossier, form)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="mau-{form}-{dossier.code}.pdf"'
    text = text_of(response.content)
    for line in MOTTO:
        assert line in text
    assert title in text
    assert dossier.code in text
    assert day(due(dossier)) in text
    assert "BỘ PHẬN MỘT CỬA" in text
    assert f"UBND {personas.commune_a.name}".upper() in text
    reader = PdfReader(io.BytesIO(response.content))
    size = sorted(
        round(float(v)) for v in (reader.pages[0].mediabox.width, reader.pages[0].mediabox.height)
    )
    assert size == [595, 842]  # A4 in points (form 06 is landscape)


def test_each_form_prints_what_is_particular_to_it(personas) -> None:  # type: ignore[no-untyped-def]
    supplement = with_supplement(personas)
    text = text_of(get_pdf(personas, supplement, "02").content)
    assert "Bản đồ thửa đất chưa có xác nhận của tổ dân phố" in text
    assert supplement.version.documents[0]["name"][:20] in text
    assert "Ảnh tờ khai không đọc được" in text_of(
        get_pdf(personas, refused(personas), "03").content
    )
    apology = apologised(personas)
    text = text_of(get_pdf(personas, apology, "04").content)
    assert "Chờ xác minh thông tin hộ tịch" in text
    assert "12/03/2026" in text  # the new appointment
    assert "Người nộp đã được cấp giấy chứng nhận ở nơi khác" in text_of(
        get_pdf(personas, stopped(personas), "05").content
    )
    dossier = tracked(personas)
    text = text_of(get_pdf(personas, dossier, "06").content)
    rows = tracking_sheet(dossier)
    assert len(rows) == 3
    for row in rows:
        assert row.step[:20] in text
    assert "Đúng hạn" in text and "đang xử lý" in text


def test_the_receipt_lists_the_documents_times_fee_and_officer_but_not_the_citizen_id(
    personas: Any,
) -> None:
    dossier = received(personas)
    text = text_of(get_pdf(personas, dossier, "01").content)
    for document in dossier.documents.all():
        assert document.name[:25] in text
    assert "08 giờ 00 phút, ngày 02/03/2026" in text  # received
    appointment = timezone.localtime(dossier.appointment_at)
    assert f"{appointment:%H} giờ {appointment:%M} phút, ngày {appointment:%d/%m/%Y}" in text
    assert dossier.version.procedure.name in text
    assert "Trực tiếp" in text
    assert personas.official_a.get_username() in text  # the receiving officer
    assert APPLICANT.name in text
    assert APPLICANT.citizen_id not in text and APPLICANT.phone not in text


def qr_modules(content: bytes) -> list[list[bool]]:
    """The QR drawn in the PDF, read back from its vector path: one stroke per run of dark
    modules on a row (``m x y+0.5`` … ``l x2 y+0.5``, in module units)."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    contents = page.get_contents()
    assert contents is not None
    operations = contents.operations
    start = next(
        i
        for i, (args, op) in enumerate(operations)
        if op == b"m" and [float(a) for a in args] == [0.0, 0.5]
    )
    runs: list[tuple[float, float, float]] = []
    pen: tuple[float, float] = (0.0, 0.0)
    for args, op in operations[start:]:
        if op == b"m":
            pen = (float(args[0]), float(args[1]))
        elif op == b"l":
            runs.append((pen[0], float(args[0]), float(args[1])))
        else:
            break
    size = int(max(x2 for _x1, x2, _y in runs))
    grid = [[False] * size for _ in range(size)]
    for x1, x2, y in runs:
        for x in range(int(x1), int(x2)):
            grid[int(y - 0.5)][x] = True
    return grid


def test_the_receipt_has_a_qr_code_of_the_public_lookup_with_the_dossier_code(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = received(personas)
    response = get_pdf(personas, dossier, "01")
    url = f"http://testserver/dossiers/lookup/?code={dossier.code}"
    expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    assert qr_modules(response.content) == expected
    text = text_of(response.content)
    assert LOOKUP_HINT in text
    assert url in text.replace(" ", "")  # the address wraps anywhere under the code
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


@pytest.mark.parametrize(
    ("make", "form", "why"),
    [
        (received, "04", "chưa có thư xin lỗi"),
        (received, "02", "chưa có yêu cầu bổ sung"),
        (received, "03", "không bị từ chối"),
        (received, "05", "không ở trạng thái dừng"),
        (refused, "01", "chưa được tiếp nhận"),
        (refused, "06", "chưa được tiếp nhận"),
        (received, "07", "Không có mẫu phiếu số"),
    ],
)
def test_a_form_that_does_not_fit_the_dossier_is_a_404_saying_why(
    personas: Any, make: Any, form: str, why: str
) -> None:
    response = get_pdf(personas, make(personas), form)
    assert response.status_code == 404
    assert why in response.content.decode()


def test_a_draft_apology_is_not_printed(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = received(personas)
    services.apology_draft(
        dossier=dossier,
        reason="Chờ xác minh",
        new_appointment_at=at(2026, 3, 12, 16),
        at=at(2026, 3, 4, 9),
    )
    assert get_pdf(personas, dossier, "04").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("official_a", 200), ("viewer_a", 404), ("leader", 200), ("official_b", 404)],
)
def test_only_staff_with_the_dossier_in_scope_print_it(personas, persona, status) -> None:  # type: ignore[no-untyped-def]
    assert get_pdf(personas, received(personas), "01", persona).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login_page(personas) -> None:  # type: ignore[no-untyped-def]
    response = get_pdf(personas, received(personas), "01", "anonymous")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_without_weasyprints_system_libraries_the_form_is_a_503_in_vietnamese(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = received(personas)
    real_import = builtins.__import__

    def missing_pango(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    with mock.patch("builtins.__import__", side_effect=missing_pango):
        response = get_pdf(personas, dossier, "01")
    assert response.status_code == 503
    assert "Chưa tạo được bản PDF" in response.content.decode()


def form_links(personas: Any, dossier: Dossier) -> dict[str, str]:
    html = personas.client("official_a").get(f"/onestop/{dossier.pk}/").content.decode()
    return {
        number: href for href, number in re.findall(r'<a href="([^"]+)" id="form-(\d\d)"', html)
    }


def test_a_draft_only_apology_has_no_form_04_link_and_an_approved_one_has_a_working_one(
    personas: Any,
) -> None:
    dossier = received(personas)
    apology = services.apology_draft(
        dossier=dossier,
        reason="Chờ xác minh",
        new_appointment_at=at(2026, 3, 12, 16),
        at=at(2026, 3, 4, 9),
    )
    assert "04" not in form_links(personas, dossier)
    services.apology_approve(apology=apology, actor=personas.official_a, at=at(2026, 3, 4, 10))
    link = form_links(personas, dossier)["04"]
    response = personas.client("official_a").get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_refused_dossier_links_form_03_and_its_pdf_answers(personas: Any) -> None:
    dossier = refused(personas)
    links = form_links(personas, dossier)
    assert set(links) == {"03"}
    response = personas.client("official_a").get(links["03"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("make", [received, with_supplement, refused, apologised, stopped, tracked])
def test_every_linked_form_prints_and_no_other_does(personas: Any, make: Any) -> None:
    dossier = make(personas)
    links = form_links(personas, dossier)
    for number in ("01", "02", "03", "04", "05", "06"):
        status = get_pdf(personas, dossier, number).status_code
        assert status == (200 if number in links else 404), number

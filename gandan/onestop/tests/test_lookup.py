"""The citizen's look-up: what a match shows, what it never shows, and that a miss tells nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from gandan.onestop import services
from gandan.onestop.models import Channel, Dossier
from gandan.onestop.tests.factories import APPLICANT, LAND, MARITAL, at, receive
from gandan.onestop.views_public import LOOKUP_LIMIT, NOT_FOUND, TOO_MANY

pytestmark = pytest.mark.django_db

ID_DIGITS = APPLICANT.citizen_id[-4:]
PHONE_DIGITS = APPLICANT.phone[-4:]


@pytest.fixture(autouse=True)
def _frozen_time():  # type: ignore[no-untyped-def]
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def look_up(code: str, digits: str, *, client: Client | None = None, **extra: Any) -> Any:
    return (client or Client()).post("/dossiers/lookup/", {"code": code, "digits": digits}, **extra)


def waiting_for_supplement(personas: Any) -> Dossier:
    dossier = receive(personas.commune_a, LAND, when=at(2026, 3, 2, 8), actor=personas.official_a)
    services.dossier_forward(dossier=dossier, to_user=personas.official_a, at=at(2026, 3, 2, 9))
    services.dossier_request_supplement(
        dossier=dossier,
        reason="Thiếu sơ đồ thửa đất có xác nhận của tổ dân phố",
        documents=[dossier.version.documents[0]["code"]],
        actor=personas.official_a,
        at=at(2026, 3, 3, 9),
    )
    dossier.refresh_from_db()
    return dossier


def test_a_match_shows_the_status_step_appointment_and_timeline_in_plain_words(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = waiting_for_supplement(personas)
    response = look_up(dossier.code.lower(), ID_DIGITS)  # the code in any case
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="lookup-result"' in page and NOT_FOUND not in page
    assert dossier.version.procedure.name in page
    assert personas.commune_a.name in page
    assert "Cần bổ sung hồ sơ" in page  # the status in words
    step = dossier.version.steps.get(order=dossier.step_order)
    assert f"<dd>{step.name}</dd>" in page
    assert "02/03/2026" in page  # received
    assert f"{dossier.appointment_at:%d/%m/%Y}" in page
    assert "Bộ phận một cửa đã tiếp nhận hồ sơ" in page
    assert "Yêu cầu bổ sung hồ sơ" in page
    assert "Lý do: Thiếu sơ đồ thửa đất có xác nhận của tổ dân phố" in page


def test_a_match_shows_nothing_about_people_or_documents(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = waiting_for_supplement(personas)
    page = look_up(dossier.code, PHONE_DIGITS).content.decode()  # the phone's digits work too
    assert 'id="lookup-result"' in page
    for secret in (
        APPLICANT.name,
        APPLICANT.citizen_id,
        APPLICANT.phone,
        APPLICANT.email,
        personas.official_a.get_username(),
        *(document.name for document in dossier.documents.all()),
    ):
        assert secret not in page, secret
    assert ID_DIGITS not in re.sub(r"\d{2}/\d{2}/\d{4}|\d{5}-\d{6}-\d{4}", "", page)


def test_a_refusal_shows_its_reason_and_no_appointment(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 2, 20))
    services.dossier_refuse(
        dossier=dossier, reason="Ảnh tờ khai không đọc được", at=at(2026, 3, 3, 8)
    )
    page = look_up(dossier.code, ID_DIGITS).content.decode()
    assert "Hồ sơ không được tiếp nhận" in page
    assert "Lý do: Ảnh tờ khai không đọc được" in page
    assert "Hẹn trả kết quả" not in page


def _without_echo(body: bytes, code: str) -> bytes:
    # The code the visitor typed comes back in the form, and every page carries a fresh
    # CSRF token: everything else must be the same byte for byte.
    body = body.replace(code.encode(), b"<CODE>")
    return re.sub(rb"[A-Za-z0-9]{64}", b"<CSRF>", body)


def test_a_wrong_code_and_wrong_digits_get_exactly_the_same_answer(personas) -> None:  # type: ignore[no-untyped-def]
    receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))  # -0001 is the form's example
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 9))
    wrong_code = dossier.code[:-4] + "0099"
    by_code = look_up(wrong_code, ID_DIGITS)
    by_digits = look_up(dossier.code, "0000")
    assert by_code.status_code == by_digits.status_code == 200
    assert NOT_FOUND in by_code.content.decode()
    assert _without_echo(by_code.content, wrong_code) == _without_echo(
        by_digits.content, dossier.code
    )
    assert "0000" not in by_digits.content.decode()  # the digits are never echoed


def test_the_qr_code_lands_on_the_form_with_the_code_filled_in(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    response = Client().get(f"/dossiers/lookup/?code={dossier.code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{dossier.code}"' in page
    assert 'id="lookup-result"' not in page and NOT_FOUND not in page


def test_malformed_digits_get_a_vietnamese_message(personas) -> None:  # type: ignore[no-untyped-def]
    response = look_up("19789-260302-0001", "12a")
    assert response.status_code == 400
    assert "Nhập đúng 4 chữ số" in response.content.decode()


def test_after_ten_attempts_a_minute_the_address_must_wait(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    for _ in range(LOOKUP_LIMIT):
        assert look_up(dossier.code, "0000").status_code == 200
    blocked = look_up(dossier.code, ID_DIGITS)  # even the right digits
    assert blocked.status_code == 429
    page = blocked.content.decode()
    assert TOO_MANY in page and 'id="lookup-result"' not in page
    other = look_up(dossier.code, ID_DIGITS, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 200 and 'id="lookup-result"' in other.content.decode()
    with time_machine.travel(at(2026, 3, 20, 9, 2), tick=False):  # a minute later
        assert look_up(dossier.code, ID_DIGITS).status_code == 200

"""The dossier's workflow: every status change, its event, and what the workflow refuses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.core.models import Event
from gandan.onestop import services
from gandan.onestop.models import ApologyStatus, Channel, Dossier, Status
from gandan.onestop.selectors import dossier_events, tracking_sheet
from gandan.onestop.tests.factories import (
    APPLICANT,
    BIRTH,
    LAND,
    MARITAL,
    RATING_CODES,
    at,
    procedure,
    receive,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():  # type: ignore[no-untyped-def]
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        yield


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors if e.code}


def kinds(dossier: Dossier) -> list[str]:
    return [e.kind.removeprefix("onestop.") for e in dossier_events(dossier)]


def test_a_counter_dossier_goes_from_receipt_to_return_with_an_event_per_step(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(
        personas.commune_a, MARITAL, when=at(2026, 3, 2, 8), actor=personas.official_a
    )
    assert dossier.status == Status.RECEIVED
    assert dossier.code == f"{personas.commune_a.code}-260302-0001"
    services.dossier_forward(dossier=dossier, to_user=personas.official_a, at=at(2026, 3, 2, 9))
    assert (dossier.status, dossier.step_order) == (Status.PROCESSING, 2)
    services.dossier_forward(dossier=dossier, at=at(2026, 3, 3, 9))
    assert dossier.step_order == 3
    services.dossier_finish(
        dossier=dossier,
        result_note="Đã cấp",
        electronic=True,
        at=at(2026, 3, 4, 9),
        actor=personas.official_a,
    )
    assert (dossier.status, dossier.step_order) == (Status.DONE, 4)
    assert dossier.handling_hours == 17  # Mon 8:00–17:00 (7 h), Tue (8 h), Wed 7:00–9:00 (2 h)
    services.dossier_return(dossier=dossier, at=at(2026, 3, 4, 10))
    assert dossier.status == Status.RETURNED
    assert kinds(dossier) == ["received", "forwarded", "forwarded", "finished", "returned"]
    assert all(e.province_code == "46" for e in dossier_events(dossier))


def test_codes_run_per_unit_and_per_day(personas) -> None:  # type: ignore[no-untyped-def]
    first = receive(personas.commune_a, when=at(2026, 3, 2, 8))
    second = receive(personas.commune_a, when=at(2026, 3, 2, 9))
    other = receive(personas.commune_b, when=at(2026, 3, 2, 9))
    next_day = receive(personas.commune_a, when=at(2026, 3, 3, 9))
    assert [first.code[-4:], second.code[-4:], other.code[-4:], next_day.code[-4:]] == [
        "0001",
        "0002",
        "0001",
        "0001",
    ]
    assert next_day.code.startswith(f"{personas.commune_a.code}-260303-")


def test_an_online_dossier_waits_for_the_desk_and_may_be_refused_only_with_a_reason(
    personas,
) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 2, 20))
    assert dossier.status == Status.REGISTERED and dossier.due_at is None
    with pytest.raises(ValidationError):
        services.dossier_refuse(dossier=dossier, reason="  ")
    services.dossier_accept(dossier=dossier, at=at(2026, 3, 3, 8))
    assert dossier.starts_at == at(2026, 3, 3, 8)
    online = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 2, 21))
    services.dossier_refuse(dossier=online, reason="Ảnh tờ khai không đọc được")
    assert online.status == Status.REFUSED
    assert kinds(online) == ["registered", "refused"]


def test_an_inter_agency_step_goes_to_the_province_and_nowhere_else(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, LAND, when=at(2026, 3, 2, 8))
    services.dossier_forward(dossier=dossier, at=at(2026, 3, 2, 9))  # to the land officer
    with pytest.raises(ValidationError) as error:
        services.dossier_forward(dossier=dossier, to_unit=personas.commune_b)
    assert error.value.error_dict["to_unit"][0].code == "outside_path"
    assert Dossier.objects.get(pk=dossier.pk).step_order == 2  # nothing changed
    services.dossier_forward(dossier=dossier, to_unit=personas.province, at=at(2026, 3, 4, 9))
    assert dossier.current_unit == personas.province
    assert kinds(dossier)[-1] == "transferred"
    services.dossier_send_back(
        dossier=dossier, to_step=2, reason="Thiếu chữ ký xác nhận của thôn", at=at(2026, 3, 5, 9)
    )
    assert (dossier.step_order, dossier.current_unit) == (2, personas.commune_a)
    services.dossier_forward(dossier=dossier, to_unit=personas.province, at=at(2026, 3, 6, 9))
    services.dossier_forward(dossier=dossier, at=at(2026, 3, 10, 9))
    services.dossier_finish(dossier=dossier, at=at(2026, 3, 11, 9))
    sheet = tracking_sheet(dossier)
    assert [row.order for row in sheet] == [1, 2, 3, 2, 3, 4, 5]
    assert [row.unit for row in sheet][2] == personas.province.name
    # Step 3 (the land office, 40 % of 20 days = 64 hours) took 16 office hours the first time.
    assert sheet[2].used_hours == 8 and sheet[2].allowance_hours == 64 and sheet[2].on_time
    assert sheet[-1].finished is None  # waiting for return


def test_the_workflow_refuses_a_status_change_it_does_not_allow(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL)
    with pytest.raises(ValidationError) as error:
        services.dossier_return(dossier=dossier)
    assert error.value.error_dict["status"][0].code == "transition"
    services.dossier_withdraw(dossier=dossier, reason="Không cần nữa")
    for change in (
        lambda: services.dossier_forward(dossier=dossier),
        lambda: services.dossier_finish(dossier=dossier),
        lambda: services.dossier_stop(dossier=dossier, reason="x"),
    ):
        with pytest.raises(ValidationError):
            change()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN


def test_a_second_supplement_request_warns_that_the_dossier_will_count_as_late(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, LAND, when=at(2026, 3, 2, 8))
    services.dossier_request_supplement(dossier=dossier, reason="Thiếu sơ đồ", at=at(2026, 3, 2, 9))
    services.dossier_resume(dossier=dossier, at=at(2026, 3, 3, 9))
    with pytest.raises(services.SecondSupplementWarning):
        services.dossier_request_supplement(dossier=dossier, reason="Thiếu giấy tờ nguồn gốc")
    assert Dossier.objects.get(pk=dossier.pk).supplement_count == 1
    services.dossier_request_supplement(
        dossier=dossier,
        reason="Thiếu giấy tờ nguồn gốc",
        acknowledge_late=True,
        at=at(2026, 3, 4, 9),
    )
    assert dossier.supplement_count == 2
    assert dossier.is_late(at(2026, 3, 4, 9))  # counts as late whatever the time
    services.dossier_stop(dossier=dossier, reason="Công dân không bổ sung hồ sơ")
    assert kinds(dossier)[-1] == "stopped"


def test_bad_input_changes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    before = (Dossier.objects.count(), Event.objects.count())
    cases = {
        "procedure_not_offered": dict(unit=personas.province),
        "missing_documents": dict(documents=[]),
        "unknown_document": dict(documents=[*["to_khai"], "giay_phep_lai_xe"]),
        "future_date": dict(when=at(2026, 4, 1)),
        "citizen_id": dict(applicant=services.Applicant(name="A", citizen_id="123")),
        "contact_required": dict(applicant=services.Applicant(name="A")),
    }
    for code, change in cases.items():
        unit = change.pop("unit", personas.commune_a)
        with pytest.raises(ValidationError) as error:
            receive(unit, MARITAL, **change)
        assert code in codes(error.value), code
    big = SimpleUploadedFile("to_khai.pdf", b"%PDF-1.4" + b"0" * (11 * 1024 * 1024))
    fake = SimpleUploadedFile("to_khai.pdf", b"MZ\x90\x00 not a pdf")
    for upload, code in ((big, "upload_too_large"), (fake, "upload_type")):
        with pytest.raises(ValidationError) as error:
            receive(personas.commune_a, MARITAL, attachments={"to_khai": upload})
        assert code in codes(error.value)
    assert (Dossier.objects.count(), Event.objects.count()) == before


def test_an_attachment_is_stored_and_marks_the_document_digitised(personas) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("to_khai.pdf", b"%PDF-1.4 to khai")
    dossier = receive(personas.commune_a, MARITAL, attachments={"to_khai": upload})
    document = dossier.documents.get(code="to_khai")
    assert document.digitised and document.file.name.endswith(".pdf")


def test_an_idempotency_key_never_makes_a_second_dossier(personas) -> None:  # type: ignore[no-untyped-def]
    first = receive(personas.commune_a, MARITAL, actor=personas.official_a, idempotency_key="k-1")
    again = receive(personas.commune_a, MARITAL, actor=personas.official_a, idempotency_key="k-1")
    assert first.pk == again.pk
    assert Dossier.objects.filter(idempotency_key="k-1").count() == 1


def test_a_late_dossier_gets_an_apology_drafted_approved_and_sent_before_the_due_time(
    personas, capsys
) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    due = dossier.due_at
    assert due is not None
    with pytest.raises(ValidationError):
        services.apology_draft(
            dossier=dossier, reason="Chờ xác minh", new_appointment_at=due - dt.timedelta(hours=1)
        )
    apology = services.apology_draft(
        dossier=dossier,
        reason="Cần xác minh tại nơi cư trú trước.",
        new_appointment_at=at(2026, 3, 10, 17),
        at=at(2026, 3, 4, 9),
    )
    with pytest.raises(ValidationError):
        services.apology_send(apology=apology)  # not approved yet
    services.apology_approve(apology=apology, actor=personas.leader, at=at(2026, 3, 4, 10))
    services.apology_send(apology=apology, at=at(2026, 3, 4, 11))
    assert apology.status == ApologyStatus.SENT and not apology.sent_late
    assert apology.sent_via == "email,sms"
    assert dossier.appointment_at == at(2026, 3, 10, 17)
    assert dossier.due_at == due  # the legal due time does not move: the dossier is still late
    assert mail.outbox[-1].to == [APPLICANT.email] and dossier.code in mail.outbox[-1].body
    assert "[SMS tới 0905123456]" in capsys.readouterr().out
    assert kinds(dossier)[-3:] == ["apology_drafted", "apology_approved", "apology_sent"]


def test_an_apology_sent_after_the_due_time_is_recorded_as_late(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    apology = services.apology_draft(
        dossier=dossier,
        reason="Quá tải",
        new_appointment_at=at(2026, 3, 12, 17),
        at=at(2026, 3, 9, 9),
    )
    services.apology_approve(apology=apology, at=at(2026, 3, 9, 10))
    services.apology_send(apology=apology, at=at(2026, 3, 9, 11))
    assert apology.sent_late


def test_a_returned_dossier_is_rated_once_on_nine_criteria(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, BIRTH, when=at(2026, 3, 2, 8))
    with pytest.raises(ValidationError):
        services.rating_record(dossier=dossier, scores={}, via="kiosk")
    services.dossier_finish(dossier=dossier, at=at(2026, 3, 2, 10))
    services.dossier_return(dossier=dossier, at=at(2026, 3, 2, 11))
    scores = dict.fromkeys(RATING_CODES, 5)
    with pytest.raises(ValidationError):
        services.rating_record(dossier=dossier, scores={**scores, "visits": 6}, via="kiosk")
    rating = services.rating_record(dossier=dossier, scores={**scores, "visits": 2}, via="kiosk")
    assert rating.average == pytest.approx((8 * 5 + 2) / 9)
    with pytest.raises(ValidationError):
        services.rating_record(dossier=dossier, scores=scores, via="link")


def test_procedures_carry_their_legal_basis_and_time_limit(db) -> None:  # type: ignore[no-untyped-def]
    version = procedure(BIRTH).versions.get()
    assert version.time_limit_label == "Trong ngày (nhận sau 15:00 tính từ ngày làm việc tiếp theo)"
    assert "Luật Hộ tịch" in version.legal_basis
    assert sum(step.share_percent for step in version.steps.all()) == 100


def test_a_dossier_is_assigned_within_the_unit_that_holds_it(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    with pytest.raises(ValidationError) as error:
        services.dossier_assign(dossier=dossier, to_user=personas.official_b)
    assert codes(error.value) == {"assignee_outside_unit"}
    services.dossier_assign(dossier=dossier, to_user=personas.official_a, at=at(2026, 3, 2, 9))
    assert dossier.assignee == personas.official_a and dossier.step_order == 1
    assert kinds(dossier)[-1] == "assigned"

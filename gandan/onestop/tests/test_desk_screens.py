"""The desk screens through HTTP, as each persona: the list with its warnings, the counter
receipt, one dossier and every action on it, apologies and who may approve them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core.models import AccessLog
from gandan.core.testing.personas import PASSWORD
from gandan.onestop import services
from gandan.onestop.models import ApologyStatus, Channel, Dossier, Status
from gandan.onestop.selectors import dossier_events
from gandan.onestop.tests.factories import (
    APPLICANT,
    LAND,
    MARITAL,
    at,
    procedure,
    receive,
)
from gandan.onestop.tests.url_matrix_desk import receive_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("march_20", "fast_passwords")]


def kinds(dossier: Dossier) -> list[str]:
    return [e.kind.removeprefix("onestop.") for e in dossier_events(dossier)]


def page(response: Any) -> str:
    return response.content.decode()


def act(client: Any, dossier: Dossier, action: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"/onestop/{dossier.pk}/act/{action}/", data or {})


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


# --- The list --------------------------------------------------------------------------------


def test_the_list_warns_of_overdue_dossiers_in_red_and_counts_by_status(personas) -> None:  # type: ignore[no-untyped-def]
    overdue = receive(personas.commune_a, MARITAL, when=at(2026, 3, 16, 8))  # due Thu 19 Mar
    calm = receive(personas.commune_a, LAND, when=at(2026, 3, 19, 8))  # 20 working days
    other = receive(personas.commune_b, MARITAL, when=at(2026, 3, 16, 8))
    html = page(personas.client("official_a").get("/onestop/"))
    warnings = html.split('id="warnings"')[1].split("</section>")[0]
    assert overdue.code in warnings and 'class="overdue"' in warnings and "Quá hạn" in warnings
    assert calm.code not in warnings
    assert other.code not in html  # commune B's dossier, nowhere
    assert "Đã tiếp nhận: 2" in html
    listed = html.split('id="dossiers"')[1]
    assert listed.index(calm.code) < listed.index(overdue.code)  # newest first


def test_the_list_filters_by_code_name_status_procedure_channel_and_date(personas) -> None:  # type: ignore[no-untyped-def]
    first = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    second = receive(
        personas.commune_a,
        LAND,
        when=at(2026, 3, 10, 8),
        applicant=services.Applicant(name="Hồ Văn Khánh", phone="0905000111"),
    )
    online = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 11, 8))
    client = personas.client("leader")

    def codes(query: str) -> set[str]:
        html = page(client.get(f"/onestop/?{query}"))
        return set(re.findall(r"\d+-\d{6}-\d{4}", html.split('id="dossier-count"')[1]))

    assert codes("q=Khánh") == {second.code}
    assert codes(f"q={first.code}") == {first.code}
    assert codes(f"status={Status.REGISTERED}") == {online.code}
    assert codes(f"procedure={procedure(LAND).pk}") == {second.code}
    assert codes(f"channel={Channel.ONLINE}") == {online.code}
    assert codes("received_from=2026-03-05&received_to=2026-03-31") == {second.code}
    html = page(client.get("/onestop/?status=99"))
    assert "Trạng thái không hợp lệ; đang hiện tất cả." in html


def test_the_list_finds_a_name_typed_without_diacritics_or_in_capitals(personas) -> None:  # type: ignore[no-untyped-def]
    hoa = receive(
        personas.commune_a,
        MARITAL,
        applicant=services.Applicant(name="Nguyễn Thị Hoà", phone="0905000222"),
    )
    dung = receive(
        personas.commune_a,
        MARITAL,
        applicant=services.Applicant(name="Đặng Văn Dũng", phone="0905000333"),
    )
    client = personas.client("leader")

    def codes(query: str) -> set[str]:
        html = page(client.get("/onestop/", {"q": query}))
        return set(re.findall(r"\d+-\d{6}-\d{4}", html.split('id="dossier-count"')[1]))

    assert codes("nguyen thi hoa") == {hoa.code}
    assert codes("NGUYỄN  Thị") == {hoa.code}
    assert codes("dang van dung") == codes("Đặng") == {dung.code}
    assert codes("dung") == {dung.code}
    assert codes("Nguyễn Văn") == set()


def test_the_migration_folds_the_names_of_dossiers_received_before_it(personas) -> None:  # type: ignore[no-untyped-def]
    from importlib import import_module

    from django.apps import apps

    migration = import_module("gandan.onestop.migrations.0003_dossier_applicant_search_name")
    dossier = receive(
        personas.commune_a,
        MARITAL,
        applicant=services.Applicant(name="Lê Thị Ánh Tuyết", phone="0905000444"),
    )
    Dossier.objects.filter(pk=dossier.pk).update(applicant_search_name="")
    migration.fill(apps, None)
    assert fresh(dossier).applicant_search_name == "le thi anh tuyet"


# --- Counter receipt -------------------------------------------------------------------------


def receipt(personas: Any, **changes: Any) -> dict[str, Any]:
    """The URL matrix's counter receipt with the optional fields filled in, and ``changes``."""
    return {
        **receive_data(personas),
        "applicant_email": "an@example.vn",
        "applicant_address": "12 Lê Lợi, Thuận Hóa",
        "digitised": "on",
        **changes,
    }


def test_the_receipt_form_shows_the_procedures_time_limit_fee_and_documents(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    html = page(client.get("/onestop/receive/"))
    assert '<optgroup label="Hộ tịch">' in html and '<optgroup label="Đất đai">' in html
    html = page(client.get(f"/onestop/receive/?procedure={procedure(MARITAL).pk}"))
    assert "3 ngày làm việc" in html and "3.000 đồng" in html
    assert "Tờ khai" in html and 'name="file_to_khai"' in html
    assert personas.commune_a.name in html


def test_a_counter_receipt_creates_the_dossier_and_shows_its_code_and_due_time(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    scan = SimpleUploadedFile("to_khai.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/onestop/receive/", {**receipt(personas), "file_to_khai": scan})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/onestop/{dossier.pk}/"
    assert dossier.status == Status.RECEIVED and dossier.created_by == personas.official_a
    assert dossier.documents.get(code="to_khai").file.name.endswith(".pdf")
    assert kinds(dossier) == ["received"]
    html = page(client.get(response["Location"]))
    assert dossier.code in html and "Đã tiếp nhận" in html
    assert f"{dossier.due_at.astimezone(at(2026, 1, 1).tzinfo):%H:%M %d/%m/%Y}" in html
    assert "Mẫu 01" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"applicant_id": "04609000567"}, "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ({"documents": []}, "Hồ sơ thiếu giấy tờ bắt buộc"),
        ({"applicant_name": ""}, "Cần nhập họ tên người nộp."),
        (
            {"applicant_id": "", "applicant_phone": ""},
            "Cần số định danh cá nhân hoặc số điện thoại",
        ),
    ],
)
def test_a_bad_receipt_says_why_in_vietnamese_and_saves_nothing(personas, changes, message) -> None:  # type: ignore[no-untyped-def]
    response = personas.client("official_a").post("/onestop/receive/", receipt(personas, **changes))
    assert response.status_code == 400
    assert message in page(response)
    assert not Dossier.objects.exists()


def test_an_attachment_that_is_not_a_pdf_or_picture_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    fake = SimpleUploadedFile("to_khai.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = personas.client("official_a").post(
        "/onestop/receive/", {**receipt(personas), "file_to_khai": fake}
    )
    assert response.status_code == 400
    assert "không phải PDF, ảnh JPEG hoặc ảnh PNG" in page(response)
    assert not Dossier.objects.exists()


def test_a_repeated_receipt_post_makes_one_dossier(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    data = receipt(personas, idempotency_key="k-123")
    first = client.post("/onestop/receive/", data)
    second = client.post("/onestop/receive/", data)
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1


# --- One dossier -----------------------------------------------------------------------------


def test_the_applicant_is_masked_and_only_a_leader_sees_it_in_full_with_a_log(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL)
    html = page(personas.client("official_a").get(f"/onestop/{dossier.pk}/"))
    assert "046•••••1234" in html and APPLICANT.citizen_id not in html
    assert "090•••3456" in html and APPLICANT.phone not in html
    assert 'id="show-full"' not in html
    html = page(personas.client("official_a").get(f"/onestop/{dossier.pk}/?full=1"))
    assert APPLICANT.citizen_id not in html and not AccessLog.objects.exists()
    chair = membership_grant(
        username="chutich_a", role=Role.COMMUNE_LEADER, unit=personas.commune_a, password=PASSWORD
    ).user
    client = personas.client("official_a")
    client.force_login(chair)
    assert 'id="show-full"' in page(client.get(f"/onestop/{dossier.pk}/"))
    assert not AccessLog.objects.exists()
    html = page(client.get(f"/onestop/{dossier.pk}/?full=1"))
    assert APPLICANT.citizen_id in html and APPLICANT.phone in html
    log = AccessLog.objects.get()
    assert (log.user, log.subject_id, log.what) == (chair, str(dossier.pk), "dossier_applicant")


def test_another_communes_official_gets_404_for_reading_and_acting(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL)
    client = personas.client("official_b")
    assert client.get(f"/onestop/{dossier.pk}/").status_code == 404
    for action in ("forward", "stop", "finish", "withdraw"):
        assert (
            act(
                client, dossier, action, {"reason": "x", "to_unit": personas.commune_a.pk}
            ).status_code
            == 404
        )
    assert fresh(dossier).status == Status.RECEIVED and kinds(dossier) == ["received"]


def test_a_reading_leader_sees_the_dossier_but_no_action_and_a_viewer_not_even_that(
    personas,
) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL)
    client = personas.client("leader")
    html = page(client.get(f"/onestop/{dossier.pk}/"))
    assert dossier.code in html and 'id="actions"' not in html
    assert act(client, dossier, "forward", {"to_unit": personas.commune_a.pk}).status_code == 404
    viewer = personas.client("viewer_a")
    assert viewer.get(f"/onestop/{dossier.pk}/").status_code == 404  # figures only
    assert dossier.code not in page(viewer.get("/onestop/"))
    assert act(viewer, dossier, "forward", {"to_unit": personas.commune_a.pk}).status_code == 404
    assert kinds(dossier) == ["received"]


def test_only_the_actions_the_status_allows_are_offered(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    received = receive(personas.commune_a, MARITAL)
    html = page(client.get(f"/onestop/{received.pk}/"))
    for shown in ("forward", "request_supplement", "stop", "withdraw", "apology"):
        assert f'id="act-{shown}"' in html, shown
    # The result is recorded after examining and signing, not at the desk's first step.
    for hidden in ("accept", "refuse", "resume", "return", "record_payment", "send_back", "finish"):
        assert f'id="act-{hidden}"' not in html, hidden
    online = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE)
    html = page(client.get(f"/onestop/{online.pk}/"))
    assert (
        'id="act-accept"' in html and 'id="act-refuse"' in html and 'id="act-forward"' not in html
    )
    response = act(client, received, "return")
    assert response.status_code == 400 and "không thể trả kết quả" in page(response)
    assert act(client, received, "no-such-thing").status_code == 404


def _commune_leader(personas):  # type: ignore[no-untyped-def]
    user = membership_grant(
        username="chu_tich_a", role=Role.COMMUNE_LEADER, unit=personas.commune_a, password=PASSWORD
    ).user
    client = personas.client("anonymous")
    client.force_login(user)
    return client


def test_a_dossier_goes_from_receipt_to_return_through_the_action_forms(personas, capsys) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 19, 8))
    a = personas.commune_a.pk

    def ok(action: str, data: dict[str, Any] | None = None) -> None:
        response = act(client, dossier, action, data)
        assert response.status_code == 302, (action, page(response)[:0])
        assert response["Location"] == f"/onestop/{dossier.pk}/"

    ok("assign", {"to_user": personas.official_a.pk})
    assert (fresh(dossier).assignee, fresh(dossier).step_order) == (personas.official_a, 1)
    ok("forward", {"to_unit": a, "to_user": personas.official_a.pk, "note": "Kiểm tra giúp"})
    assert fresh(dossier).assignee == personas.official_a
    ok("send_back", {"to_step": 1, "reason": "Thiếu chữ ký người nộp"})
    assert fresh(dossier).step_order == 1
    ok("forward", {"to_unit": a})
    ok("request_supplement", {"reason": "Bổ sung bản án ly hôn", "documents": ["ban_an_ly_hon"]})
    assert fresh(dossier).status == Status.SUPPLEMENT
    ok("resume", {"documents": ["ban_an_ly_hon"]})
    # A second request: the warning and its confirmation box, nothing saved until confirmed.
    response = act(client, dossier, "request_supplement", {"reason": "Bổ sung giấy tờ khác"})
    assert response.status_code == 400
    html = page(response)
    assert 'id="supplement-warning"' in html and "sẽ bị tính là trễ hạn" in html
    assert 'name="acknowledge_late"' in html
    assert fresh(dossier).supplement_count == 1
    ok("request_supplement", {"reason": "Bổ sung giấy tờ khác", "acknowledge_late": "on"})
    assert fresh(dossier).supplement_count == 2
    ok("resume")
    ok("request_payment", {"amount": 3000, "note": "Lệ phí"})
    assert fresh(dossier).status == Status.AWAITING_PAYMENT
    ok("record_payment")
    ok("forward", {"to_unit": a})
    # The leader's step ("Chủ tịch UBND ký"): the officer may not pass it, the leader does.
    assert 'id="act-finish"' not in page(client.get(f"/onestop/{dossier.pk}/"))
    refused = act(client, dossier, "finish", {"result_note": "Tự ký"})
    assert refused.status_code == 400 and "Lãnh đạo UBND" in page(refused)
    leader = _commune_leader(personas)
    response = act(
        leader, dossier, "finish", {"result_note": "Đã cấp giấy xác nhận", "electronic": "on"}
    )
    assert response.status_code == 302
    assert fresh(dossier).result_electronic and fresh(dossier).handled_by.username == "chu_tich_a"
    ok("return")
    ok("complaint", {"note": "Phải đi lại hai lần"})
    assert fresh(dossier).status == Status.RETURNED and fresh(dossier).complaint
    assert kinds(dossier) == [
        "received", "assigned", "forwarded", "sent_back", "forwarded", "supplement_requested", "resumed",
        "supplement_requested", "resumed", "payment_requested", "paid", "forwarded", "finished",
        "returned", "complaint",
    ]  # fmt: skip
    html = page(client.get(f"/onestop/{dossier.pk}/"))
    assert "Đã trả kết quả" in html and 'id="tracking-sheet"' in html
    assert "Thiếu chữ ký người nộp" in html  # the timeline keeps the reason


def test_a_bad_action_says_why_and_changes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    dossier = receive(personas.commune_a, MARITAL)
    response = act(client, dossier, "request_supplement", {"reason": "  "})
    assert response.status_code == 400 and "Cần nhập nội dung cần bổ sung." in page(response)
    response = act(client, dossier, "stop", {"reason": ""})
    assert response.status_code == 400 and "Cần nhập lý do." in page(response)
    response = act(client, dossier, "request_payment", {"amount": "0"})  # not from RECEIVED
    assert response.status_code == 400
    assert fresh(dossier).status == Status.RECEIVED and kinds(dossier) == ["received"]


def test_an_inter_agency_step_is_offered_to_the_province_and_nowhere_else(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    dossier = receive(personas.commune_a, LAND)
    act(client, dossier, "forward", {"to_unit": personas.commune_a.pk})
    html = page(client.get(f"/onestop/{dossier.pk}/"))
    assert "liên thông" in html and personas.province.name in html
    response = act(client, dossier, "forward", {"to_unit": personas.commune_a.pk})
    assert response.status_code == 400
    assert f"do {personas.province.name} thực hiện" in page(response)
    assert fresh(dossier).step_order == 2
    assert act(client, dossier, "forward", {"to_unit": personas.province.pk}).status_code == 302
    assert fresh(dossier).current_unit == personas.province and kinds(dossier)[-1] == "transferred"
    # Now the province holds it: the commune reads it but no longer acts on it.
    assert client.get(f"/onestop/{dossier.pk}/").status_code == 200
    assert act(client, dossier, "finish").status_code == 404


def test_online_dossiers_are_accepted_or_refused_with_a_reason(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    first = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE)
    assert act(client, first, "accept").status_code == 302
    assert fresh(first).status == Status.RECEIVED and fresh(first).due_at is not None
    second = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE)
    assert act(client, second, "refuse", {"reason": ""}).status_code == 400
    assert act(client, second, "refuse", {"reason": "Ảnh tờ khai mờ"}).status_code == 302
    assert fresh(second).status == Status.REFUSED and fresh(second).reason == "Ảnh tờ khai mờ"


def test_stop_and_withdraw_close_the_dossier_with_their_reason(personas) -> None:  # type: ignore[no-untyped-def]
    client = personas.client("official_a")
    stopped = receive(personas.commune_a, MARITAL)
    assert act(client, stopped, "stop", {"reason": "Người nộp đã mất"}).status_code == 302
    withdrawn = receive(personas.commune_a, MARITAL)
    assert act(client, withdrawn, "withdraw", {"reason": "Đã nộp ở nơi khác"}).status_code == 302
    assert (fresh(stopped).status, fresh(withdrawn).status) == (Status.STOPPED, Status.WITHDRAWN)
    assert kinds(stopped)[-1] == "stopped" and kinds(withdrawn)[-1] == "withdrawn"


# --- Apologies -------------------------------------------------------------------------------


def test_an_apology_is_drafted_approved_only_by_a_leader_and_sent(personas, capsys) -> None:  # type: ignore[no-untyped-def]
    official = personas.client("official_a")
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 18, 8))
    response = act(
        official,
        dossier,
        "apology",
        {"reason": "Chờ xác minh", "new_appointment_at": "2026-03-02T08:00"},
    )
    assert response.status_code == 400 and "Ngày hẹn lại phải sau ngày hẹn hiện tại" in page(
        response
    )
    assert not dossier.apologies.exists()
    response = act(
        official,
        dossier,
        "apology",
        {"reason": "Chờ xác minh", "new_appointment_at": "2026-03-27T16:00"},
    )
    assert response.status_code == 302
    apology = dossier.apologies.get()
    assert apology.status == ApologyStatus.DRAFT
    html = page(official.get(f"/onestop/{dossier.pk}/"))
    assert f"/onestop/apologies/{apology.pk}/approve/" not in html
    assert official.post(f"/onestop/apologies/{apology.pk}/approve/").status_code == 403
    assert (
        personas.client("official_b").post(f"/onestop/apologies/{apology.pk}/approve/").status_code
        == 404
    )
    leader = personas.client("leader")
    listed = page(leader.get("/onestop/apologies/"))
    assert dossier.code in listed.split('id="drafts"')[1]
    assert f"/onestop/apologies/{apology.pk}/approve/" in listed
    assert (
        leader.post(f"/onestop/apologies/{apology.pk}/approve/", {"back": "apologies"})["Location"]
        == "/onestop/apologies/"
    )
    apology.refresh_from_db()
    assert apology.status == ApologyStatus.APPROVED and apology.approved_by == personas.leader
    assert leader.post(f"/onestop/apologies/{apology.pk}/send/").status_code == 404  # not a writer
    assert official.post(f"/onestop/apologies/{apology.pk}/send/").status_code == 302
    apology.refresh_from_db()
    assert apology.status == ApologyStatus.SENT
    assert fresh(dossier).appointment_at == at(2026, 3, 27, 16)
    assert kinds(dossier)[-3:] == ["apology_drafted", "apology_approved", "apology_sent"]
    assert "Không có thư nào." in page(official.get("/onestop/apologies/"))
    # How it was sent, in words: never the raw channel codes.
    shown = page(official.get(f"/onestop/{dossier.pk}/"))
    assert f"qua {apology.sent_via_text}" in shown
    assert apology.sent_via not in shown and "(sms)" not in shown

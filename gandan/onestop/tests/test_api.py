"""``/api/v1/dossiers/`` and ``/api/v1/procedures/``: receipt with an idempotency key,
transitions, machine-readable refusals and scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from gandan.accounts.services import token_renew
from gandan.onestop.models import Dossier, Status
from gandan.onestop.selectors import procedure_with_version, version_in_force
from gandan.onestop.tests.factories import LAND, MARITAL, at, procedure, required
from gandan.onestop.tests.url_matrix_api import dossier_of_a, receive_data

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:  # type: ignore[no-untyped-def]
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_retried_receipt_with_the_same_idempotency_key_makes_one_dossier(personas) -> None:  # type: ignore[no-untyped-def]
    api = client(personas.official_a)
    first = api.post(
        "/api/v1/dossiers/", receive_data(personas), format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    again = api.post(
        "/api/v1/dossiers/", receive_data(personas), format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.filter(idempotency_key="abc-1").count() == 1
    other = api.post(
        "/api/v1/dossiers/", receive_data(personas), format="json", HTTP_IDEMPOTENCY_KEY="abc-2"
    )
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]
    body = first.json()
    assert body["status"] == Status.RECEIVED and body["due_at"]
    assert body["applicant_id"] == "046•••••4321"  # masked


def test_a_dossier_moves_through_its_steps_by_transitions(personas) -> None:  # type: ignore[no-untyped-def]
    api = client(personas.official_a)
    code = api.post(
        "/api/v1/dossiers/",
        {**receive_data(personas), "procedure": LAND, "documents": required(LAND)},
        format="json",
    ).json()["code"]
    url = f"/api/v1/dossiers/{code}/transitions/"
    assert api.post(url, {"action": "forward"}, format="json").json()["step_order"] == 2
    wrong = api.post(url, {"action": "forward", "to_unit": personas.commune_b.code}, format="json")
    assert wrong.status_code == 400 and wrong.json()["field_codes"] == {"to_unit": ["outside_path"]}
    moved = api.post(url, {"action": "forward", "to_unit": personas.province.code}, format="json")
    assert moved.json()["current_unit"] == personas.province.code
    # The province holds it now: commune A can read it but not move it.
    assert api.get(f"/api/v1/dossiers/{code}/").status_code == 200
    assert api.post(url, {"action": "finish"}, format="json").status_code == 404
    leader = client(personas.leader)
    assert (
        leader.post(url, {"action": "finish"}, format="json").status_code == 404
    )  # read-only role


def test_refusals_are_machine_readable_and_change_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    api = client(personas.official_a)
    before = Dossier.objects.count()
    missing = api.post(
        "/api/v1/dossiers/", {**receive_data(personas), "documents": []}, format="json"
    )
    assert missing.status_code == 400 and "documents" in missing.json()["fields"]
    assert missing.json()["field_codes"]["documents"] == ["missing_documents"]
    unknown = api.post(
        "/api/v1/dossiers/", {**receive_data(personas), "procedure": "9.999999"}, format="json"
    )
    assert unknown.status_code == 400 and "procedure" in unknown.json()["fields"]
    future = api.post(
        "/api/v1/dossiers/",
        {**receive_data(personas), "received_at": "2099-01-01T08:00:00+07:00"},
        format="json",
    )
    assert future.status_code == 400 and future.json()["field_codes"]["at"] == ["future_date"]
    dossier = dossier_of_a(personas)
    returned = api.post(
        f"/api/v1/dossiers/{dossier.code}/transitions/", {"action": "return"}, format="json"
    )
    assert returned.status_code == 400 and returned.json()["field_codes"] == {
        "action": ["action_not_available"]
    }
    assert Dossier.objects.count() == before + 1  # only the fixture's dossier


def test_commune_b_sees_nothing_of_commune_a(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = dossier_of_a(personas)
    api = client(personas.official_b)
    assert api.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    assert api.get("/api/v1/dossiers/").json()["results"] == []
    refused = api.post("/api/v1/dossiers/", receive_data(personas), format="json")
    assert refused.status_code == 404


def test_the_catalogue_is_public_with_steps_and_legal_basis(db) -> None:  # type: ignore[no-untyped-def]
    body = APIClient().get(f"/api/v1/procedures/{MARITAL}/").json()
    assert body["time_limit_label"] == "3 ngày làm việc"
    assert [step["share_percent"] for step in body["steps"]] == [10, 60, 20, 10]
    assert "Nghị định 123/2015" in body["legal_source"]


def test_a_receipt_takes_the_version_in_force_on_the_day_it_is_received(personas) -> None:  # type: ignore[no-untyped-def]
    old = procedure(MARITAL).versions.get()
    old.valid_to = dt.date(2026, 3, 9)
    old.save()
    new = procedure(MARITAL).versions.get()
    new.pk, new.valid_from, new.valid_to, new.time_limit = None, dt.date(2026, 3, 10), None, 7
    new.save()
    api = client(personas.official_a)
    for day, version in ((5, old), (9, old), (10, new), (12, new)):
        with time_machine.travel(at(2026, 3, day, 10), tick=False):
            answer = api.post(
                "/api/v1/dossiers/",
                {**receive_data(personas), "received_at": f"2026-03-{day:02d}T09:00:00+07:00"},
                format="json",
            )
        assert answer.status_code == 201, answer.json()
        assert Dossier.objects.get(code=answer.json()["code"]).version_id == version.pk, day
    # The version read with the procedure answers only for its own day.
    found = procedure_with_version(MARITAL, dt.date(2026, 3, 5))
    assert found is not None
    assert version_in_force(found, dt.date(2026, 3, 5)) == old
    assert version_in_force(found, dt.date(2026, 3, 12)) == new
    new.valid_to = dt.date(2026, 3, 20)
    new.save()
    with time_machine.travel(at(2026, 3, 23, 10), tick=False):
        late = api.post(
            "/api/v1/dossiers/",
            {**receive_data(personas), "received_at": "2026-03-23T09:00:00+07:00"},
            format="json",
        )
    assert late.status_code == 400
    assert late.json()["field_codes"] == {"procedure": ["procedure_not_in_force"]}


def test_a_receipt_keeps_an_earlier_hour_of_today_but_not_of_an_earlier_day(personas) -> None:  # type: ignore[no-untyped-def]
    api = client(personas.official_a)
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        earlier_today = api.post(
            "/api/v1/dossiers/",
            {**receive_data(personas), "received_at": "2026-03-20T00:00:00+07:00"},
            format="json",
        )
        yesterday = api.post(
            "/api/v1/dossiers/",
            {**receive_data(personas), "received_at": "2026-03-19T23:59:59+07:00"},
            format="json",
        )
    assert earlier_today.status_code == 201, earlier_today.json()
    assert earlier_today.json()["received_at"].startswith("2026-03-20T00:00:00")
    assert yesterday.status_code == 400
    body = yesterday.json()
    assert body["field_codes"] == {"received_at": ["received_before_today"]}
    assert "trong hôm nay" in body["fields"]["received_at"][0]


def test_a_withdrawal_needs_the_applicants_reason(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = dossier_of_a(personas)
    url = f"/api/v1/dossiers/{dossier.code}/transitions/"
    api = client(personas.official_a)
    empty = api.post(url, {"action": "withdraw", "reason": "  "}, format="json")
    assert empty.status_code == 400
    assert empty.json()["field_codes"] == {"reason": ["required"]}
    assert empty.json()["fields"]["reason"] == ["Cần nhập lý do rút hồ sơ."]
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED
    given = api.post(url, {"action": "withdraw", "reason": "Đã nộp ở nơi khác"}, format="json")
    assert given.status_code == 200 and given.json()["status"] == Status.WITHDRAWN
    assert given.json()["reason"] == "Đã nộp ở nơi khác"


def test_a_receipt_by_token_costs_nine_statements_and_its_transaction(
    personas, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # The token with its user, the user's other tokens (django-rest-knox deletes the expired
    # ones), the unit in scope (the user's roles and their lineage in one
    # statement), the version in force with its procedure, the office hours, the day's number,
    # the dossier, its documents, its event; the transaction is a savepoint here (the test's
    # own transaction holds it). More is a regression.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_renew(user=personas.official_a)}")
    data = receive_data(personas)
    with django_assert_num_queries(9 + 2):
        answer = api.post("/api/v1/dossiers/", data, format="json", HTTP_IDEMPOTENCY_KEY="q-1")
    assert answer.status_code == 201


def test_only_the_commune_leader_passes_the_leaders_step(personas) -> None:  # type: ignore[no-untyped-def]
    from gandan.accounts.models import Role
    from gandan.accounts.services import membership_grant

    officer = client(personas.official_a)
    code = officer.post("/api/v1/dossiers/", receive_data(personas), format="json").json()["code"]
    url = f"/api/v1/dossiers/{code}/transitions/"

    def offered(api: APIClient) -> list[str]:
        return [a["action"] for a in api.get(url).json()]

    assert "finish" not in offered(officer)  # not while examining and signing are to come
    assert officer.post(url, {"action": "finish"}, format="json").json()["field_codes"] == {
        "action": ["action_not_available"]
    }
    while officer.get(f"/api/v1/dossiers/{code}/").json()["step_order"] < 3:
        assert officer.post(url, {"action": "forward"}, format="json").status_code == 200
    # Step 3 is "Chủ tịch UBND ký": the officer may not sign it off, nor record the result.
    assert "finish" not in offered(officer) and "forward" not in offered(officer)
    refused = officer.post(url, {"action": "finish"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["field_codes"] == {"action": ["step_role"]}
    assert Dossier.objects.get(code=code).status != Status.DONE
    chair = membership_grant(
        username="chu_tich_a", role=Role.COMMUNE_LEADER, unit=personas.commune_a
    ).user
    assert "finish" in offered(client(chair))
    done = client(chair).post(url, {"action": "finish"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == Status.DONE

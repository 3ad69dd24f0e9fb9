"""The desk's dossier page and ``/api/v1/dossiers/{code}/transitions/`` offer and take the
same actions: both go through ``selectors.actions_available`` and ``services.dossier_act``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from gandan.onestop import services
from gandan.onestop.models import Channel, Dossier, Status
from gandan.onestop.tests.factories import LAND, MARITAL, at, receive

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def desk_offers(personas: Any, dossier: Dossier) -> set[str]:
    html = personas.client("official_a").get(f"/onestop/{dossier.pk}/").content.decode()
    return set(re.findall(r'id="act-([a-z_]+)"', html))


def api_offers(personas: Any, dossier: Dossier) -> set[str]:
    answer = api_for(personas.official_a).get(f"/api/v1/dossiers/{dossier.code}/transitions/")
    assert answer.status_code == 200
    return {row["action"] for row in answer.json()}


def waiting_for_supplement(personas: Any) -> Dossier:
    dossier = receive(personas.commune_a, LAND, when=at(2026, 3, 2, 8))
    services.dossier_forward(dossier=dossier, at=at(2026, 3, 2, 9))
    services.dossier_request_supplement(
        dossier=dossier, reason="Thiếu sơ đồ", at=at(2026, 3, 2, 10)
    )
    return dossier


def test_the_api_refuses_an_action_the_desk_does_not_offer_for_the_status(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = waiting_for_supplement(personas)
    assert "forward" not in desk_offers(personas, dossier)
    for action in ("forward", "send_back"):
        answer = api_for(personas.official_a).post(
            f"/api/v1/dossiers/{dossier.code}/transitions/",
            {"action": action, "to_step": 1, "reason": "Làm lại"},
            format="json",
        )
        assert answer.status_code == 400, action
        assert answer.json()["field_codes"] == {"action": ["action_not_available"]}
        assert "Yêu cầu bổ sung" in answer.json()["fields"]["action"][0]
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.step_order, fresh.paused_at) == (
        Status.SUPPLEMENT,
        dossier.step_order,
        dossier.paused_at,
    )


def test_the_api_takes_the_actions_the_desk_offers_that_it_did_not_know(personas) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    url = f"/api/v1/dossiers/{dossier.code}/transitions/"
    api = api_for(personas.official_a)
    assigned = api.post(
        url, {"action": "assign", "to_user": personas.official_a.username}, format="json"
    )
    assert assigned.status_code == 200, assigned.json()
    assert Dossier.objects.get(pk=dossier.pk).assignee == personas.official_a
    stranger = api.post(
        url, {"action": "assign", "to_user": personas.official_b.username}, format="json"
    )
    assert stranger.status_code == 400 and "to_user" in stranger.json()["fields"]
    noted = api.post(url, {"action": "complaint", "note": "Chờ lâu"}, format="json")
    assert noted.status_code == 200 and Dossier.objects.get(pk=dossier.pk).complaint
    apology = api.post(
        url,
        {
            "action": "apology",
            "reason": "Chờ xác minh",
            "new_appointment_at": "2026-03-20T09:00:00+07:00",
        },
        format="json",
    )
    assert apology.status_code == 200, apology.json()
    assert dossier.apologies.count() == 1
    # The desk's form and the API use one name for the supplement request.
    response = personas.client("official_a").post(
        f"/onestop/{dossier.pk}/act/request_supplement/", {"reason": "Thiếu giấy tờ"}
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT


def test_the_desk_and_the_api_offer_the_same_actions_in_every_state(personas) -> None:  # type: ignore[no-untyped-def]
    received = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    online = receive(personas.commune_a, MARITAL, channel=Channel.ONLINE)
    supplement = waiting_for_supplement(personas)
    done = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8))
    services.dossier_finish(dossier=done, at=at(2026, 3, 3, 9))
    for dossier in (received, online, supplement, done):
        offered = desk_offers(personas, dossier)
        assert offered and offered == api_offers(personas, dossier), dossier.get_status_display()
    leader = api_for(personas.leader).get(f"/api/v1/dossiers/{received.code}/transitions/")
    assert leader.status_code == 200 and leader.json() == []  # reads, takes no action
    viewer = api_for(personas.viewer_a).get(f"/api/v1/dossiers/{received.code}/transitions/")
    assert viewer.status_code == 404  # a viewer reads the desk's figures, not its dossiers

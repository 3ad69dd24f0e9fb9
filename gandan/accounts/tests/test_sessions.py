"""A signed-in session ends after 30 idle minutes, and 12 hours after signing in."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gandan.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in_at(start):
    client = Client()
    with time_machine.travel(start, tick=False):
        assert client.post("/accounts/login/", {"username": "official_a", "password": PASSWORD})
    return client


def _staff(client, start, minutes):
    with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
        return client.get("/staff/")


def test_an_idle_session_ends_after_30_minutes(personas):
    start = timezone.now()
    client = _signed_in_at(start)
    assert _staff(client, start, 29).status_code == 200
    # Each request moves the idle limit on.
    assert _staff(client, start, 58).status_code == 200
    response = _staff(client, start, 58 + 31)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/"
    page = client.get(response["Location"]).content.decode()
    assert "không thao tác trong 30 phút" in page
    assert "_auth_user_id" not in client.session


def test_a_busy_session_ends_12_hours_after_signing_in(personas):
    start = timezone.now()
    client = _signed_in_at(start)
    for minutes in range(20, 12 * 60, 20):
        assert _staff(client, start, minutes).status_code == 200
    response = _staff(client, start, 12 * 60 + 5)
    assert response.status_code == 302
    assert "sau 12 giờ" in client.get(response["Location"]).content.decode()


def test_the_limits_are_settings(personas, settings):
    settings.GANDAN_SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    client = _signed_in_at(start)
    assert _staff(client, start, 4).status_code == 200
    assert _staff(client, start, 10).status_code == 302


def test_the_session_cookie_lasts_no_longer_than_the_session(personas, settings):
    response = Client().post("/accounts/login/", {"username": "official_a", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 12 * 3600


def test_an_api_call_with_an_expired_session_is_unauthenticated(personas):
    start = timezone.now()
    client = _signed_in_at(start)
    with time_machine.travel(start + dt.timedelta(minutes=45), tick=False):
        response = client.get("/api/v1/dossiers/")
    assert response.status_code == 401

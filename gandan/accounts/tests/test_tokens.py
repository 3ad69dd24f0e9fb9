"""API tokens: stored as digests, shown once, expiring, revocable, from the header only."""

import datetime as dt
import importlib
import io
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from gandan.accounts.services import token_issue, token_renew, token_revoke
from gandan.core.models import Event

pytestmark = pytest.mark.django_db

URL = "/api/v1/units/?level=province"
PRIVATE = "/api/v1/dossiers/"  # for signed-in callers only


def _get(key, url=URL, **extra):
    return Client().get(url, HTTP_AUTHORIZATION=f"Token {key}", **extra)


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_the_database_keeps_a_digest_never_the_token(personas):
    key = token_issue(user=personas.official_a)
    row = AuthToken.objects.get(user=personas.official_a)
    assert key not in row.digest
    assert len(row.digest) == 128  # SHA-512, hexadecimal
    assert row.token_key == key[:15]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        stored = " ".join(str(value) for found in cursor.fetchall() for value in found)
    assert key not in stored
    assert _get(key).status_code == 200


def test_a_token_expires_after_its_days(personas, settings):
    key = token_issue(user=personas.official_a, days=2)
    now = timezone.now()
    with time_machine.travel(now + dt.timedelta(days=1, hours=23), tick=False):
        assert _get(key).status_code == 200
    with time_machine.travel(now + dt.timedelta(days=2, minutes=1), tick=False):
        response = _get(key)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(user=personas.official_a).exists()


def test_the_default_lifetime_is_the_installations(personas):
    token_issue(user=personas.official_a)
    row = AuthToken.objects.get(user=personas.official_a)
    assert dt.timedelta(days=89) < row.expiry - timezone.now() <= dt.timedelta(days=90)


def test_a_lifetime_out_of_range_is_refused(personas):
    with pytest.raises(CommandError, match="từ 1 đến 3650 ngày"):
        _command("official_a", "--days", "0")
    assert not AuthToken.objects.exists()


def test_one_token_revoked_leaves_the_others_working(personas):
    first = token_issue(user=personas.official_a)
    second = token_issue(user=personas.official_a)
    assert token_revoke(user=personas.official_a, token_key=first[:15]) == 1
    assert _get(first).status_code == 401
    assert _get(second).status_code == 200
    event = Event.objects.filter(kind="token.revoked").get()
    assert event.data == {"tokens": [first[:15]]}


def test_renewing_revokes_every_earlier_token(personas):
    first = token_issue(user=personas.official_a)
    second = token_issue(user=personas.official_a)
    third = token_renew(user=personas.official_a)
    assert [_get(key).status_code for key in (first, second, third)] == [401, 401, 200]


def test_the_command_lists_and_revokes_without_printing_a_token(personas):
    key, told = _command("official_a", "--days", "30")
    assert "chỉ in ra lần này" in told
    listed, _ = _command("official_a", "--list")
    assert listed.startswith(key[:15] + "…")
    assert key not in listed
    _, told = _command("official_a", "--revoke")
    assert told == "Đã thu hồi 1 mã truy cập của official_a."
    assert _get(key).status_code == 401


def test_keep_adds_a_token_beside_the_others(personas):
    first, _ = _command("official_a")
    second, _ = _command("official_a", "--keep")
    assert _get(first).status_code == 200
    assert _get(second).status_code == 200


@pytest.mark.parametrize("where", ["token", "api_key", "auth_token"])
def test_a_token_in_the_address_is_not_taken(personas, where):
    key = token_issue(user=personas.official_a)
    response = Client().get(f"{PRIVATE}?{where}={key}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unauthenticated_call_is_told_how_to_authenticate_in_vietnamese(db):
    response = Client().get(PRIVATE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "detail": response.json()["detail"],
    }
    assert "xác thực" in response.json()["detail"].lower()


def test_a_deactivated_users_token_stops_working(personas):
    key = token_issue(user=personas.official_a)
    personas.official_a.is_active = False
    personas.official_a.save(update_fields=["is_active"])
    assert _get(key).status_code == 401


def test_issuing_and_revoking_are_recorded(personas):
    key = token_issue(user=personas.official_a, days=5)
    event = Event.objects.filter(kind="token.issued").get()
    assert event.data["token"] == key[:15]
    assert key not in str(event.data)


def test_the_migration_turns_plain_tokens_into_digests(personas):
    from django.apps import apps

    migration = importlib.import_module("gandan.accounts.migrations.0003_tokens_hashed")
    plain = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # a DRF token: 40 hexadecimal digits
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id) VALUES (%s, %s)",
            [plain, personas.official_a.pk],
        )
    migration.move_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    row = AuthToken.objects.get(user=personas.official_a)
    assert plain not in row.digest
    assert _get(plain, PRIVATE).status_code == 200

"""Signing in and out: the Vietnamese form, the staff page, and the lock after 5 failures."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gandan.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "not-the-password"


def _post_login(client, username, password, **extra):
    """Lower-case keywords are form fields, upper-case ones the request's META."""
    meta = {key: value for key, value in extra.items() if key.isupper()}
    fields = {key: value for key, value in extra.items() if not key.isupper()}
    return client.post(LOGIN, {"username": username, "password": password, **fields}, **meta)


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_the_login_page_is_in_vietnamese(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert text in html


def test_the_right_password_signs_in_and_leads_to_the_staff_page(personas):
    client = Client()
    response = _post_login(client, "official_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert _signed_in(client)
    page = client.get("/staff/").content.decode()
    assert "Xin chào, official_a" in page
    assert "Công chức xã, phường" in page
    assert "Phường Thuận Hóa" in page


@pytest.mark.parametrize(
    ("persona", "role", "unit"),
    [
        ("official_a", "Công chức xã, phường", "Phường Thuận Hóa"),
        ("viewer_a", "Người xem (chỉ đọc)", "Phường Thuận Hóa"),
        ("official_b", "Công chức xã, phường", "Phường Vỹ Dạ"),
        ("leader", "Lãnh đạo tỉnh, thành phố", "Thành phố Huế"),
    ],
)
def test_the_staff_page_shows_the_personas_role_and_unit(personas, persona, role, unit):
    response = personas.client(persona).get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<strong>{role}</strong>" in page
    assert unit in page


def test_the_staff_page_counts_the_communes_in_scope_today(personas):
    page = personas.client("leader").get("/staff/").content.decode()
    assert "gồm <strong>40</strong> xã, phường, đặc khu" in page
    page = personas.client("official_a").get("/staff/").content.decode()
    assert "gồm <strong>1</strong> xã, phường, đặc khu" in page


def test_a_wrong_password_shows_the_vietnamese_error(personas):
    client = Client()
    response = _post_login(client, "official_a", WRONG)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not _signed_in(client)


def test_an_unknown_username_shows_the_same_error(personas):
    response = _post_login(Client(), "nobody_here", PASSWORD)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def _fail(client, times, username="official_a"):
    return [_post_login(client, username, WRONG).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_login_even_against_the_right_password(personas):
    client = Client()
    # The first four failures show the form again; the fifth reaches the limit.
    assert _fail(client, 4) == [200, 200, 200, 200]
    fifth = _post_login(client, "official_a", WRONG)
    assert fifth.status_code == 429
    sixth = _post_login(client, "official_a", PASSWORD)
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "15 phút" in page
    assert not _signed_in(client)
    # A fresh client is refused too, from this address and from any other.
    assert _post_login(Client(), "official_a", PASSWORD).status_code == 429
    assert _post_login(Client(), "official_a", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_the_lock_of_one_account_leaves_the_others_alone_elsewhere(personas):
    _fail(Client(), 5)
    response = _post_login(Client(), "official_b", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_guesses_spread_over_addresses_still_lock_the_account(personas):
    codes = [
        _post_login(Client(), "official_a", WRONG, REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(1, 6)
    ]
    assert codes == [200, 200, 200, 200, 429]
    right = _post_login(Client(), "official_a", PASSWORD, REMOTE_ADDR="10.0.0.77")
    assert right.status_code == 429


def test_guesses_spread_over_accounts_lock_the_address(personas):
    names = ["official_a", "official_b", "viewer_a", "leader", "nobody"]
    codes = [_post_login(Client(), name, WRONG).status_code for name in names]
    assert codes == [200, 200, 200, 200, 429]
    assert _post_login(Client(), "official_b", PASSWORD).status_code == 429
    # Another address signs in to the same accounts.
    assert _post_login(Client(), "official_b", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def _behind_proxy(client_address, username, password):
    return _post_login(
        Client(),
        username,
        password,
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR=f"{client_address}, 192.0.2.9",
    )


def test_behind_trusted_proxies_each_client_is_counted_apart(personas, settings):
    settings.GANDAN_TRUSTED_PROXIES = ["192.0.2.0/28"]
    assert [_behind_proxy("203.0.113.5", "nobody", WRONG).status_code for _ in range(5)][-1] == 429
    # The proxy's other clients are not locked out with the one who guessed.
    assert _behind_proxy("203.0.113.6", "official_a", PASSWORD).status_code == 302


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(personas):
    # A client that names a new address in each request is still one address.
    codes = [
        _post_login(Client(), "nobody", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert codes[-1] == 429


def _at(start, minutes):
    return time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False)


def test_the_lock_lifts_15_minutes_after_the_last_attempt(personas):
    start = timezone.now()
    with _at(start, 0):
        _fail(Client(), 5)
    with _at(start, 16):
        client = Client()
        response = _post_login(client, "official_a", PASSWORD)
        assert response.status_code == 302
        assert _signed_in(client)


def test_trying_again_while_locked_restarts_the_15_minutes(personas):
    start = timezone.now()
    with _at(start, 0):
        _fail(Client(), 5)
    with _at(start, 10):
        assert _post_login(Client(), "official_a", PASSWORD).status_code == 429
    with _at(start, 16):
        assert _post_login(Client(), "official_a", PASSWORD).status_code == 429
    with _at(start, 32):
        assert _post_login(Client(), "official_a", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(personas):
    client = Client()
    _fail(client, 4)
    assert _post_login(client, "official_a", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert _fail(client, 4) == [200, 200, 200, 200]
    assert _post_login(client, "official_a", PASSWORD).status_code == 302


def test_the_staff_page_sends_visitors_to_the_login_page(db):
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/"


def test_login_follows_a_local_next_and_ignores_a_foreign_one(personas):
    response = _post_login(Client(), "official_a", PASSWORD, next="/units/")
    assert response["Location"] == "/units/"
    response = _post_login(Client(), "official_a", PASSWORD, next="https://example.com/")
    assert response["Location"] == "/staff/"


def test_logout_works_by_post_and_not_by_get(personas):
    client = Client()
    _post_login(client, "official_a", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not _signed_in(client)
    assert client.get("/staff/").status_code == 302


def test_a_deactivated_account_cannot_sign_in(personas):
    personas.official_a.is_active = False
    personas.official_a.save(update_fields=["is_active"])
    client = Client()
    response = _post_login(client, "official_a", PASSWORD)
    assert response.status_code == 200
    assert not _signed_in(client)

"""Changing one's password, and resetting it through a link sent by e-mail."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from gandan.accounts.models import User
from gandan.core.models import Event
from gandan.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Song-Huong-chay-qua-Hue-2027"
ENGLISH = ("Old password", "New password", "Email", "Password reset", "Change my password")


def _password_is(username, password):
    return User.objects.get(username=username).check_password(password)


def _vietnamese(response):
    page = response.content.decode()
    for word in ENGLISH:
        assert word not in page
    return page


def test_the_account_page_shows_roles_and_offers_a_password_change(personas):
    page = _vietnamese(personas.client("official_a").get("/accounts/"))
    assert "Tài khoản của tôi" in page
    assert "Công chức xã, phường" in page
    assert "/accounts/password/" in page


def test_the_account_page_is_for_signed_in_users(db):
    response = Client().get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_changing_the_password_keeps_this_session_and_ends_the_others(personas):
    here, elsewhere = personas.client("official_a"), personas.client("official_a")
    form = _vietnamese(here.get("/accounts/password/"))
    assert "Mật khẩu cũ" in form
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert here.get("/accounts/").status_code == 200
    assert elsewhere.get("/accounts/").status_code == 302
    assert _password_is("official_a", NEW)
    assert Event.objects.filter(kind="user.password_changed").count() == 1


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("sai-mat-khau", NEW, "Mật khẩu cũ"),
        (PASSWORD, "12345678901234", "toàn là số"),
        (PASSWORD, "ngan", "quá ngắn"),
    ],
)
def test_a_bad_change_is_refused_in_vietnamese_and_changes_nothing(personas, old, new, words):
    client = personas.client("official_a")
    response = client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert words in _vietnamese(response)
    assert _password_is("official_a", PASSWORD)
    assert not Event.objects.filter(kind="user.password_changed").exists()


def _request_reset(email, **extra):
    return Client().post("/accounts/password/reset/", {"email": email}, **extra)


def _link_in(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def test_a_reset_link_sets_a_new_password_once(personas):
    personas.official_a.email = "official_a@thuanhoa.hue.gov.vn"
    personas.official_a.save(update_fields=["email"])
    response = _request_reset("official_a@thuanhoa.hue.gov.vn")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["official_a@thuanhoa.hue.gov.vn"]
    assert "đặt lại mật khẩu" in message.subject
    client = Client()
    form = client.get(_link_in(message), follow=True)
    assert "Đặt mật khẩu mới" in _vietnamese(form)
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/done/"
    assert _password_is("official_a", NEW)
    assert Event.objects.filter(kind="user.password_reset").count() == 1
    again = Client().get(_link_in(message), follow=True)
    assert "không còn hiệu lực" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(personas):
    response = _request_reset("nobody@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_reset_requests_are_limited_per_address(personas):
    codes = [_request_reset(f"x{n}@example.com").status_code for n in range(6)]
    assert codes == [302] * 5 + [429]
    assert "quá nhiều lần" in _request_reset("y@example.com").content.decode()


def test_a_reset_lifts_the_lock_of_the_guesses_before(personas):
    personas.official_a.email = "a@example.com"
    personas.official_a.save(update_fields=["email"])
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "official_a", "password": "sai"})
    assert AccessAttempt.objects.filter(username="official_a").exists()
    _request_reset("a@example.com", REMOTE_ADDR="10.1.1.1")
    client = Client()
    form = client.get(_link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert not AccessAttempt.objects.filter(username="official_a").exists()
    response = Client().post(
        "/accounts/login/",
        {"username": "official_a", "password": NEW},
        REMOTE_ADDR="10.2.2.2",
    )
    assert response.status_code == 302


def test_the_login_page_links_to_the_reset(db):
    assert "/accounts/password/reset/" in Client().get("/accounts/login/").content.decode()

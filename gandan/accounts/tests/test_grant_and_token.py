"""``gandan grant`` and ``gandan token``: accounts and API tokens from the command line."""

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from gandan.accounts.models import Membership, Role, User
from gandan.geo.models import HamletKind
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import hamlet_create

pytestmark = pytest.mark.django_db

STRONG = "Hoa-sen-tren-song-Huong-2026"
PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def _grant(*args, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("grant", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fast_passwords(settings):
    # For the token tests: the personas' passwords need not cost an argon2 hash each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _unit(code):
    return unit_by_code(code, as_of=timezone.localdate())


def _counts():
    return User.objects.count(), Membership.objects.count()


def _token(username):
    out = io.StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


# --- grant ------------------------------------------------------------------------------


def test_grant_creates_the_user_and_the_membership(db):
    output = _grant("chutich_thuanhoa", "commune_leader", "19789", "--full-name", "Nguyễn Văn An")
    user = User.objects.get(username="chutich_thuanhoa")
    membership = user.memberships.get()
    assert membership.role == Role.COMMUNE_LEADER
    assert membership.unit.code == "19789"
    assert membership.unit.name == "Phường Thuận Hóa"  # the current unit, not legacy Phú Nhuận
    assert membership.unit.valid_to is None
    assert (user.last_name, user.first_name) == ("Nguyễn Văn", "An")
    assert not user.has_usable_password()
    assert "Đã giao vai trò Lãnh đạo xã, phường tại Phường Thuận Hóa" in output


def test_grant_reads_the_password_from_stdin_and_hashes_it_with_argon2(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    _grant(
        "congchuc_thuanhoa",
        "commune_officer",
        "19789",
        "--password-stdin",
        stdin=STRONG + "\n",
        monkeypatch=monkeypatch,
    )
    user = User.objects.get(username="congchuc_thuanhoa")
    assert user.password.startswith("argon2")
    assert STRONG not in user.password
    assert user.check_password(STRONG)  # the newline is not part of the password
    assert not user.check_password(STRONG + "\n")
    assert check_password(STRONG, user.password)


def test_grant_gives_a_village_head_his_hamlet(db):
    hamlet = hamlet_create(commune=_unit("19789"), name="Tổ dân phố 3", kind=HamletKind.TO_DAN_PHO)
    _grant("totruong_3", "village_head", "19789", "--hamlet", "Tổ dân phố 3")
    membership = Membership.objects.get(user__username="totruong_3")
    assert membership.hamlet == hamlet


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        pytest.param(
            ("x_user", "chu_tich", "19789"), None, "Vai trò không tồn tại", id="unknown-role"
        ),
        pytest.param(
            ("x_user", "commune_officer", "99999"),
            None,
            "Không tìm thấy đơn vị hành chính có mã '99999'",
            id="unknown-unit-code",
        ),
        pytest.param(
            ("x_user", "commune_officer", "19789", "--password-stdin"),
            "123\n",
            "Mật khẩu",
            id="weak-password",
        ),
        pytest.param(
            ("x_user", "commune_officer", "19789", "--password-stdin"),
            "\n",
            "Không đọc được mật khẩu",
            id="empty-password",
        ),
        pytest.param(
            ("x_user", "province_leader", "19789"),
            None,
            "Vai trò cấp tỉnh phải gắn với một tỉnh",
            id="province-role-at-a-commune",
        ),
        pytest.param(
            ("x_user", "commune_officer", "46"),
            None,
            "Vai trò cấp xã phải gắn với một xã, phường",
            id="commune-role-at-a-province",
        ),
        pytest.param(
            ("x_user", "village_head", "19789"),
            None,
            "Trưởng thôn phải gắn với một thôn",
            id="village-head-without-hamlet",
        ),
        pytest.param(
            ("x_user", "village_head", "19789", "--hamlet", "Thôn Không Có"),
            None,
            "không có thôn, tổ dân phố tên",
            id="unknown-hamlet",
        ),
    ],
)
def test_grant_refuses_bad_input_in_vietnamese_and_writes_nothing(
    db, monkeypatch, args, stdin, message
):
    before = _counts()
    with pytest.raises(CommandError, match=message):
        _grant(*args, stdin=stdin, monkeypatch=monkeypatch)
    assert _counts() == before
    assert not User.objects.filter(username="x_user").exists()


def test_a_too_short_password_is_refused_in_vietnamese(db, monkeypatch):
    # Six characters, neither common nor numeric: only the minimum length is broken.
    with pytest.raises(CommandError) as caught:
        _grant(
            "x_user",
            "commune_officer",
            "19789",
            "--password-stdin",
            stdin="Xk9#qz\n",
            monkeypatch=monkeypatch,
        )
    message = str(caught.value)
    assert "8" in message
    assert "This password" not in message, message
    assert "Mật khẩu" in message, message
    assert not User.objects.filter(username="x_user").exists()


def test_a_weak_password_for_an_existing_user_changes_nothing(db, monkeypatch):
    _grant(
        "congchuc",
        "commune_officer",
        "19789",
        "--password-stdin",
        stdin=STRONG + "\n",
        monkeypatch=monkeypatch,
    )
    user = User.objects.get(username="congchuc")
    before, password = _counts(), user.password
    with pytest.raises(CommandError, match="Mật khẩu"):
        _grant(
            "congchuc",
            "viewer",
            "19777",
            "--password-stdin",
            stdin="12345678\n",
            monkeypatch=monkeypatch,
        )
    user.refresh_from_db()
    assert _counts() == before
    assert user.password == password


def test_granting_twice_adds_a_membership_to_the_same_user(db):
    _grant("chuyenvien", "commune_officer", "19789")
    before_users = User.objects.count()
    _grant("chuyenvien", "viewer", "19777")
    assert User.objects.count() == before_users
    user = User.objects.get(username="chuyenvien")
    assert sorted(user.memberships.values_list("role", "unit__code")) == [
        ("commune_officer", "19789"),
        ("viewer", "19777"),
    ]


# --- token ------------------------------------------------------------------------------


@pytest.mark.usefixtures("fast_passwords")
def test_token_prints_a_prefixed_random_key(personas):
    key = _token("official_a")
    assert key.startswith("gd_")
    assert len(key) == 67
    assert key[3:].isalnum()


@pytest.mark.usefixtures("fast_passwords")
def test_a_new_token_replaces_the_old_one(personas):
    first = _token("official_a")
    second = _token("official_a")
    assert first != second
    client = Client()
    old = client.get("/api/v1/units/?level=province", HTTP_AUTHORIZATION=f"Token {first}")
    assert old.status_code == 401
    assert old.json()["code"] == "authentication_failed"
    new = client.get("/api/v1/units/?level=province", HTTP_AUTHORIZATION=f"Token {second}")
    assert new.status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/reports/units/?unit=46", "/api/v1/units/", "/api/v1/units/?parent=46"]
)
@pytest.mark.usefixtures("fast_passwords")
def test_a_token_opens_the_api(personas, url):
    key = _token("leader")
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.usefixtures("fast_passwords")
def test_a_token_authenticates_as_its_user(personas):
    # The API root lists the endpoints to signed-in callers only (DRF's default permission).
    assert Client().get("/api/v1/").status_code == 401
    key = _token("official_a")
    assert Client().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


@pytest.mark.usefixtures("fast_passwords")
def test_a_made_up_token_is_refused(personas):
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "authentication_failed"


def test_token_for_an_unknown_user_fails_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không có người dùng đang hoạt động tên 'nobody'"):
        _token("nobody")


@pytest.mark.usefixtures("fast_passwords")
def test_token_for_a_deactivated_user_fails(personas):
    User.objects.filter(username="official_a").update(is_active=False)
    with pytest.raises(CommandError, match="Không có người dùng"):
        _token("official_a")

"""The main menu: the public entrance for residents, each signed-in person's modules by role —
every link answers, the page being read is marked once — and the 403 pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core.testing.personas import PASSWORD, Personas

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def menu(client: Client, path: str = "/") -> list[tuple[str, bool, str]]:
    """The menu's entries on ``path``: (address, marked as the current page, label)."""
    page = client.get(path)
    assert page.status_code == 200, path
    found = NAV.search(page.content.decode())
    assert found is not None
    return [(url, bool(current), label) for url, current, label in LINK.findall(found.group(1))]


def village_head(personas: Personas) -> Client:
    user = membership_grant(
        username="head_a",
        role=Role.VILLAGE_HEAD,
        unit=personas.commune_a,
        hamlet=personas.hamlet_a,
        password=PASSWORD,
    ).user
    client = Client()
    client.force_login(user)
    return client


def clients(personas: Personas) -> dict[str, Client]:
    names = ["official_a", "viewer_a", "official_b", "leader", "anonymous"]
    return {**{n: personas.client(n) for n in names}, "village_head": village_head(personas)}


def test_every_link_of_each_persons_menu_opens(personas):
    for name, client in clients(personas).items():
        entries = menu(client)
        assert entries, name
        for url, _current, label in entries:
            answer = client.get(url)
            assert answer.status_code == 200, (name, label, url, answer.status_code)


def test_the_menu_follows_the_role(personas):
    labels = {name: {label for _u, _c, label in menu(c)} for name, c in clients(personas).items()}
    assert "Tiếp nhận hồ sơ" in labels["official_a"]
    assert "Nhập kết quả rà soát" in labels["official_a"]
    for reader in ("leader", "viewer_a", "village_head"):
        assert "Tiếp nhận hồ sơ" not in labels[reader], reader
        assert "Nhập kết quả rà soát" not in labels[reader], reader
    assert "Hộ gia đình" not in labels["viewer_a"]  # figures only
    assert "Hộ gia đình" in labels["village_head"]
    assert "Xử lý phản ánh" in labels["official_a"]  # the feedback queue


def test_residents_find_the_dossier_services_and_the_api_is_in_the_footer(personas):
    client = personas.client("anonymous")
    urls = {url for url, _c, _l in menu(client)}
    assert {"/dossiers/procedures/", "/dossiers/file/", "/dossiers/lookup/"} <= urls
    assert "/api/v1/docs/" not in urls
    home = client.get("/").content.decode()
    for url in ("/dossiers/procedures/", "/dossiers/file/", "/dossiers/lookup/", "/meetings/"):
        assert f'href="{url}"' in home, url
    assert 'href="/api/v1/docs/"' in home.split('<footer class="footer">')[1]


def test_the_page_being_read_is_marked_once(personas):
    client = personas.client("official_a")
    for path, label in [
        ("/households/registry/", "Hộ gia đình"),
        ("/households/", "Số liệu hộ nghèo, cận nghèo"),
        ("/households/reviews/", "Rà soát hộ nghèo"),
        ("/onestop/dashboard/", "Chỉ số Quyết định 766"),
        ("/onestop/", "Hồ sơ"),
    ]:
        marked = [entry_label for _u, current, entry_label in menu(client, path) if current]
        assert marked == [label], (path, marked)


def test_the_403_page_says_what_was_refused_the_roles_held_and_whom_to_ask(personas):
    page = personas.client("leader").get("/onestop/receive/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "Vai trò của bạn không tiếp nhận hồ sơ." in text
    assert "Lãnh đạo tỉnh, thành phố" in text  # the role held
    assert "đề nghị lãnh đạo đơn vị giao vai trò" in text
    assert "tải lại trang rồi thử lại" not in text.lower()


def test_a_form_refused_for_its_token_says_to_reload(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.official_a)
    page = client.post("/onestop/receive/", {})
    assert page.status_code == 403
    text = page.content.decode()
    assert "Biểu mẫu đã hết hạn" in text
    assert "tải lại trang" in text

"""The interface speaks Vietnamese only: pages, forms and the API's errors, whatever the browser asks."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "gandan" / "locale" / "vi" / "LC_MESSAGES"


def test_there_is_one_language_and_no_negotiation():
    assert [code for code, _name in settings.LANGUAGES] == ["vi"]
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE


@pytest.mark.parametrize("accept", ["", "en", "en-US,en;q=0.9", "fr"])
def test_the_apis_errors_are_vietnamese_whatever_the_client_asks(client, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    anonymous = client.get("/api/v1/dossiers/", **headers)
    assert anonymous.json() == {
        "code": "not_authenticated",
        "detail": "Chưa cung cấp thông tin xác thực (cần đăng nhập hoặc mã truy cập).",
    }
    wrong = client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION="Token 0000", **headers)
    assert wrong.json()["detail"] == "Mã truy cập không hợp lệ."
    bad_date = client.get("/api/v1/units/?as_of=31-12-2025", **headers)
    assert bad_date.json()["fields"]["as_of"] == ["Nhập một ngày hợp lệ."]


def test_a_forms_errors_are_vietnamese(client):
    page = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert "Trường này là bắt buộc." in page
    assert "This field is required" not in page


def _po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr (the first plural form) of a .po file: enough of the format for ours."""
    text = path.read_text(encoding="utf-8")

    def unquote(block: str) -> str:
        return "".join(
            bytes(part, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            for part in re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        )

    entries = {}
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr and unquote(msgid.group(1)):
            entries[unquote(msgid.group(1))] = unquote(msgstr.group(1))
    return entries


def test_the_compiled_catalogue_says_what_the_po_file_says():
    # django.mo is committed (no gettext tools needed to install); it must match django.po.
    entries = _po_entries(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert len(entries) > 100
    for msgid, msgstr in entries.items():
        assert msgstr, msgid
        assert catalogue.gettext(msgid) == msgstr, msgid

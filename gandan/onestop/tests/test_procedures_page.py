"""The public catalogue of procedures (/dossiers/procedures/): what to bring, how long, how much,
where to file, and the way to online filing with the procedure already chosen."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gandan.onestop.models import ProcedureVersion
from gandan.onestop.tests.factories import BIRTH, MARITAL, procedure

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_each_procedure_with_documents_time_fee_and_place(personas) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/dossiers/procedures/").content.decode()
    birth = procedure(BIRTH)
    version = birth.versions.order_by("-valid_from").first()
    assert isinstance(version, ProcedureVersion)
    assert birth.name in page
    assert version.time_limit_label in page
    for document in version.documents:
        assert document["name"] in page
    assert "Nơi nộp" in page and version.agency in page
    assert f'href="/dossiers/file/?procedure={BIRTH}"' in page  # offered online


def test_a_search_without_diacritics_finds_the_procedure(personas) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/dossiers/procedures/", {"q": "khai sinh"}).content.decode()
    assert procedure(BIRTH).name in page
    assert procedure(MARITAL).name not in page
    nothing = Client().get("/dossiers/procedures/", {"q": "không có thủ tục này"})
    assert "Không tìm thấy thủ tục nào" in nothing.content.decode()


def test_filing_from_the_catalogue_starts_with_the_procedure_chosen(personas) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/dossiers/file/", {"procedure": BIRTH}).content.decode()
    assert re.search(rf'<option value="{re.escape(BIRTH)}"[^>]*selected', page)
    assert "errorlist" not in page  # the commune is still to be chosen, not an error

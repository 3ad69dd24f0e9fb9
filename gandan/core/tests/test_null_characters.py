"""A NUL character (PostgreSQL cannot store it) anywhere in a request is a 400, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gandan.core.testing.personas import Personas
from gandan.core.validators import check_email

NUL = "a\x00b"


def test_a_nul_in_an_api_query_is_a_400_naming_the_field(personas: Personas) -> None:
    response = personas.client("official_a").get("/api/v1/feedback/reports/", {"q": NUL})
    assert response.status_code == 400
    body = response.json()
    assert body["field_codes"] == {"q": ["null_characters"]}
    assert "Không được chứa ký tự NUL" in body["fields"]["q"][0]


def test_a_nul_in_an_api_path_is_a_400(personas: Personas) -> None:
    response = personas.client("official_a").get("/api/v1/dossiers/a%00b/")
    assert response.status_code == 400
    assert response.json()["field_codes"] == {"path": ["null_characters"]}


def test_a_nul_in_a_query_parameter_read_by_the_view_itself_is_a_400(personas: Personas) -> None:
    response = Client().get("/api/v1/reports/units/", {"unit": NUL})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_in_a_page_address_is_the_400_page() -> None:
    response = Client().get("/units/code/a%00b/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_posted_form_is_the_400_page() -> None:
    response = Client().post("/dossiers/lookup/", {"code": NUL, "contact": NUL})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "value",
    ["a" * 245 + "@example.vn", "khong-phai-email", "a@b@example.vn"],
)
def test_an_email_longer_than_254_characters_or_malformed_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_email(value, field="applicant_email")
    assert refused.value.error_dict["applicant_email"][0].code == "email"


def test_an_email_is_kept_trimmed_and_an_empty_one_is_none() -> None:
    assert check_email(" dan@example.vn ") == "dan@example.vn"
    assert check_email("") == ""

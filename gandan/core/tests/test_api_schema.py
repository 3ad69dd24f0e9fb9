"""The API's pages and its schema: what the fuzz (test_api_fuzz.py) found, held by plain tests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from gandan.core.testing.personas import Personas
from gandan.onestop.tests.url_matrix_api import dossier_of_a

HUGE = 10**20  # more rows than a database can address


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return dict(SchemaGenerator().get_schema(request=None, public=True))


def _parameter(schema: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    found = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return dict(found[0]["schema"])


@pytest.mark.django_db
def test_a_huge_limit_gives_a_page_of_at_most_500_rows() -> None:
    response = Client().get("/api/v1/units/", {"limit": HUGE})
    assert response.status_code == 200
    page = response.json()
    assert len(page["results"]) == 500
    assert "limit=500" in page["next"]


@pytest.mark.django_db
def test_a_huge_offset_gives_an_empty_page() -> None:
    response = Client().get("/api/v1/units/", {"limit": 10, "offset": HUGE})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_every_list_declares_its_largest_page(schema: dict[str, Any]) -> None:
    lists = [
        path
        for path, operations in schema["paths"].items()
        if any(p["name"] == "limit" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert "/api/v1/dossiers/" in lists
    for path in lists:
        assert _parameter(schema, path, "limit")["maximum"] == 500, path


def test_the_actions_offered_on_a_dossier_are_a_plain_list(schema: dict[str, Any]) -> None:
    get = schema["paths"]["/api/v1/dossiers/{code}/transitions/"]["get"]
    answer = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array"
    assert not any(p["name"] in ("limit", "offset") for p in get.get("parameters", []))


def test_the_actions_offered_on_a_dossier_are_answered_as_a_list(personas: Personas) -> None:
    dossier = dossier_of_a(personas)
    response = personas.client("official_a").get(f"/api/v1/dossiers/{dossier.code}/transitions/")
    assert response.status_code == 200
    assert {"action": "forward", "label": "Chuyển bước tiếp theo"} in response.json()


def test_a_cut_off_hour_is_a_local_time_in_the_schema(schema: dict[str, Any]) -> None:
    # OpenAPI's "time" format is RFC 3339's full time, with an offset: not what is sent.
    cutoff = schema["components"]["schemas"]["Procedure"]["properties"]["cutoff"]
    assert "format" not in cutoff
    assert cutoff["nullable"] is True
    assert re.match(cutoff["pattern"], "15:00:00")


@pytest.mark.django_db
def test_the_cut_off_hours_sent_match_the_schema(schema: dict[str, Any]) -> None:
    pattern = schema["components"]["schemas"]["Procedure"]["properties"]["cutoff"]["pattern"]
    procedures = Client().get("/api/v1/procedures/", {"limit": 500}).json()["results"]
    cutoffs = [p["cutoff"] for p in procedures if p["cutoff"] is not None]
    assert cutoffs
    assert all(re.match(pattern, value) for value in cutoffs)


def test_a_units_parent_may_be_null_in_the_schema(schema: dict[str, Any]) -> None:
    for name in ("Unit", "UnitDetail"):
        assert schema["components"]["schemas"][name]["properties"]["parent"]["nullable"] is True


@pytest.mark.django_db
def test_a_province_is_listed_without_a_parent() -> None:
    units = Client().get("/api/v1/units/", {"level": "province"}).json()["results"]
    assert units
    assert all(unit["parent"] is None for unit in units)


def test_the_schema_is_generated_once_per_process(client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from gandan.core.schema import SchemaView

    monkeypatch.setattr(SchemaView, "_generated", {})
    calls = []
    generate = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    first = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    second = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(calls) == 1

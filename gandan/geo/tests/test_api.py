"""``/api/v1/units/``: filters, dates, lineage, errors a program can read."""

import pytest

from gandan.geo import selectors

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    return response, response.json()


def test_it_lists_hue_communes_on_a_date(client):
    response, data = get(client, "/api/v1/units/", parent="46", as_of="2025-07-01", limit=100)
    assert response.status_code == 200
    assert data["count"] == 40
    assert {row["type"] for row in data["results"]} == {"xa", "phuong"}


def test_it_lists_hue_districts_before_the_reform(client):
    _response, data = get(
        client, "/api/v1/units/", parent="46", as_of="2025-06-30", level="district"
    )
    assert data["count"] == 9


def test_it_filters_by_level_and_type_for_today_by_default(client):
    _response, data = get(client, "/api/v1/units/", level="province")
    assert data["count"] == 34
    _response, data = get(client, "/api/v1/units/", type="dac_khu")
    assert data["count"] == 13


def test_it_searches_without_diacritics(client):
    _response, data = get(client, "/api/v1/units/", q="thuan hoa", as_of="2025-07-01")
    assert "Phường Thuận Hóa" in [row["name"] for row in data["results"]]


def test_its_detail_shows_lineage_both_ways(client):
    thuan_hoa = selectors.unit_by_code("19789", as_of=selectors.dt.date(2025, 7, 1))
    _response, data = get(client, f"/api/v1/units/{thuan_hoa.pk}/")
    assert data["code"] == "19789"
    assert data["valid_from"] == "2025-07-01"
    assert len(data["predecessors"]) >= 2
    legacy_id = data["predecessors"][0]["predecessor"]["id"]
    _response, legacy = get(client, f"/api/v1/units/{legacy_id}/")
    assert thuan_hoa.pk in [link["successor"]["id"] for link in legacy["successors"]]


def test_a_malformed_date_is_a_400_naming_the_field(client):
    response, data = get(client, "/api/v1/units/", as_of="30/02/2025")
    assert response.status_code == 400
    assert data["code"] == "invalid"
    assert "as_of" in data["fields"]


def test_an_unknown_parent_is_a_400_naming_the_field(client):
    response, data = get(client, "/api/v1/units/", parent="99999")
    assert response.status_code == 400
    assert "parent" in data["fields"]
    assert "99999" in data["fields"]["parent"][0]


def test_an_unknown_level_is_a_400(client):
    response, data = get(client, "/api/v1/units/", level="village")
    assert response.status_code == 400
    assert "level" in data["fields"]


def test_a_missing_unit_is_a_404(client):
    response = client.get("/api/v1/units/999999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_schema_describes_the_units_endpoint(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/units/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]}
    assert {"level", "type", "parent", "as_of", "q"} <= names


def test_the_units_report_is_served_with_the_cli_numbers(client):
    response, data = get(client, "/api/v1/reports/units/", unit="46", as_of="2025-06-30")
    assert response.status_code == 200
    assert data["by_level"] == {"district": 9, "commune": 133}
    response, data = get(client, "/api/v1/reports/units/", unit="46", as_of="2025-13-01")
    assert response.status_code == 400
    assert "as_of" in data["fields"]
    response, data = get(client, "/api/v1/reports/nothing/")
    assert response.status_code == 404

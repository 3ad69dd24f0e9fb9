"""A report that is not public answers only within the caller's scope."""

import pytest

from gandan.reports import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def units_report_not_public(monkeypatch):
    monkeypatch.setattr(api, "PUBLIC_REPORTS", set())


def test_a_private_report_needs_a_login(personas, units_report_not_public):
    response = personas.client("anonymous").get("/api/v1/reports/units/", {"unit": "19789"})
    assert response.status_code == 401


def test_a_private_report_answers_within_scope_and_404_outside(personas, units_report_not_public):
    url = "/api/v1/reports/units/"
    assert personas.client("official_a").get(url, {"unit": "19789"}).status_code == 200
    assert personas.client("official_b").get(url, {"unit": "19789"}).status_code == 404
    assert personas.client("leader").get(url, {"unit": "19789"}).status_code == 200
    assert personas.client("leader").get(url, {"unit": "48"}).status_code == 404
    # The whole country is for nobody but a superuser.
    assert personas.client("leader").get(url).status_code == 404

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


def test_a_report_on_a_past_date_is_read_with_the_callers_current_roles(
    personas, units_report_not_public, client
):
    # Thuận Hóa was formed on 1 July 2025: an officer appointed then reads the figures of the
    # communes it came from, as the report screens let them, though no role of theirs existed
    # in 2018.
    import datetime as dt

    from gandan.accounts.models import Role
    from gandan.accounts.services import membership_grant
    from gandan.geo.selectors import predecessors

    earlier = predecessors(personas.commune_a)[0].predecessor
    membership = membership_grant(
        username="congchuc.moi",
        role=Role.COMMUNE_OFFICER,
        unit=personas.commune_a,
        valid_from=dt.date(2025, 7, 1),
    )
    client.force_login(membership.user)
    asked = {"unit": earlier.code, "as_of": "2018-06-30"}
    assert client.get("/api/v1/reports/units/", asked).status_code == 200
    assert personas.client("official_b").get("/api/v1/reports/units/", asked).status_code == 404

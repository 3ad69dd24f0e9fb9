"""``/api/v1/officials/``: scoped lists and personnel files, masked IDs, logged reads, tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gandan.accounts.services import membership_grant, token_renew
from gandan.core.crypto import mask_citizen_id
from gandan.core.models import AccessLog
from gandan.core.testing.personas import PASSWORD
from gandan.officials.models import Grade
from gandan.officials.services import evaluation_record
from gandan.officials.tests.url_matrix_people import official_in, official_of_a

pytestmark = pytest.mark.django_db

AN_ID = "046090001234"
GROUPS = {
    "identity",
    "family",
    "work_history",
    "appointments",
    "rotations",
    "qualifications",
    "current_posts",
    "evaluations",
    "records",
}


@pytest.fixture
def two_communes(personas):
    a = official_of_a(personas)
    b = official_in(personas.commune_b, full_name="Trần Thị Bình", citizen_id="046085000002")
    return a, b


def commune_leader_of_a(personas):
    return membership_grant(
        username="leader_a", role="commune_leader", unit=personas.commune_a, password=PASSWORD
    ).user


def names(response):
    assert response.status_code == 200, response.content
    return [row["full_name"] for row in response.json()["results"]]


# --- Who may ask -----------------------------------------------------------------------------------


def test_anonymous_callers_get_401_from_the_list_and_the_file(personas, two_communes):
    client = personas.client("anonymous")
    assert client.get("/api/v1/officials/").status_code == 401
    response = client.get(f"/api/v1/officials/{two_communes[0].pk}/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_works_in_place_of_a_session(personas, two_communes):
    key = token_renew(user=personas.official_a)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert names(client.get("/api/v1/officials/")) == ["Nguyễn Văn An"]
    assert client.get(f"/api/v1/officials/{two_communes[0].pk}/").status_code == 200
    bad = Client(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert bad.get("/api/v1/officials/").status_code == 401


# --- Scope -------------------------------------------------------------------------------------------


def test_the_list_holds_only_the_people_of_the_callers_communes(personas, two_communes):
    assert names(personas.client("official_a").get("/api/v1/officials/")) == ["Nguyễn Văn An"]
    assert names(personas.client("official_b").get("/api/v1/officials/")) == ["Trần Thị Bình"]
    assert names(personas.client("leader").get("/api/v1/officials/")) == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]


def test_another_communes_file_is_a_404_and_is_not_logged(personas, two_communes):
    response = personas.client("official_b").get(f"/api/v1/officials/{two_communes[0].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not AccessLog.objects.exists()


def test_a_missing_file_is_the_same_404(personas):
    response = personas.client("leader").get("/api/v1/officials/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_unit_outside_the_scope_is_a_404(personas, two_communes):
    response = personas.client("official_b").get("/api/v1/officials/", {"unit": "19789"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "19789" in response.json()["detail"]


def test_an_unknown_unit_is_the_same_404(personas):
    response = personas.client("leader").get("/api/v1/officials/", {"unit": "99999"})
    assert response.status_code == 404


def test_a_province_leader_narrows_the_list_to_one_commune(personas, two_communes):
    client = personas.client("leader")
    assert names(client.get("/api/v1/officials/", {"unit": "19777"})) == ["Trần Thị Bình"]
    assert len(names(client.get("/api/v1/officials/", {"unit": "46"}))) == 2


# --- Filters -----------------------------------------------------------------------------------------


def test_the_list_filters_by_name_category_and_date(personas, two_communes):
    official_in(
        personas.commune_a,
        full_name="Lê Văn Cường",
        citizen_id="046085000003",
        position="committee_chair",
        since=dt.date(2026, 1, 1),
    )
    client = personas.client("official_a")
    assert names(client.get("/api/v1/officials/", {"q": "cuong"})) == ["Lê Văn Cường"]
    assert names(client.get("/api/v1/officials/", {"category": "cadre"})) == ["Lê Văn Cường"]
    assert names(client.get("/api/v1/officials/", {"as_of": "2025-12-31"})) == ["Nguyễn Văn An"]


def test_the_api_reads_a_date_typed_day_first_as_the_screen_does(personas):
    official_in(personas.commune_a, since=dt.date(2026, 1, 1))
    client = personas.client("official_a")
    assert names(client.get("/api/v1/officials/", {"as_of": "31/12/2025"})) == []
    assert names(client.get("/api/v1/officials/", {"as_of": "02/01/2026"})) == ["Nguyễn Văn An"]


def test_malformed_parameters_are_a_400_naming_the_fields(personas):
    response = personas.client("official_a").get(
        "/api/v1/officials/", {"as_of": "31/02/2026", "category": "boss"}
    )
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert set(data["fields"]) == {"as_of", "category"}


def test_the_list_costs_the_same_queries_for_one_person_or_a_hundred(
    personas, django_assert_max_num_queries
):
    client = personas.client("leader")
    official_of_a(personas)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/officials/")
    for n in range(30):
        official_in(personas.commune_b, full_name=f"Trần Thị {n:02d}", citizen_id=f"0460850{n:05d}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(names(client.get("/api/v1/officials/"))) == 31


# --- Masking -----------------------------------------------------------------------------------------


def test_a_viewer_reads_figures_not_personnel_files(personas, two_communes):
    client = personas.client("viewer_a")
    assert client.get("/api/v1/officials/").json()["results"] == []
    assert client.get(f"/api/v1/officials/{two_communes[0].pk}/").status_code == 404
    officer = personas.client("official_a")
    row = officer.get("/api/v1/officials/").json()["results"][0]
    assert (row["citizen_id"], row["citizen_id_masked"]) == (mask_citizen_id(AN_ID), True)
    identity = officer.get(f"/api/v1/officials/{two_communes[0].pk}/").json()["identity"]
    assert (identity["citizen_id"], identity["citizen_id_masked"]) == (mask_citizen_id(AN_ID), True)


def test_a_commune_leader_gets_the_full_citizen_id_on_the_persons_file_only_and_logged(
    personas, two_communes
):
    from gandan.core.models import AccessLog

    client = Client()
    client.force_login(commune_leader_of_a(personas))
    listed = client.get("/api/v1/officials/?limit=5000").json()
    assert len(listed["results"]) <= 500  # page sizes are capped
    row = listed["results"][0]
    assert (row["citizen_id"], row["citizen_id_masked"]) == (mask_citizen_id(AN_ID), True)
    assert not AccessLog.objects.exists()  # a list shows no full ID, so logs none
    identity = client.get(f"/api/v1/officials/{two_communes[0].pk}/").json()["identity"]
    assert identity["citizen_id"] == AN_ID
    assert AccessLog.objects.filter(subject_id=str(two_communes[0].pk)).exists()
    assert client.get(f"/api/v1/officials/{two_communes[1].pk}/").status_code == 404


# --- The file ----------------------------------------------------------------------------------------


def test_the_file_holds_every_group_and_each_read_is_logged(personas, two_communes):
    person = two_communes[0]
    evaluation_record(official=person, unit=personas.commune_a, year=2025, grade=Grade.GOOD)
    client = personas.client("official_a")
    data = client.get(f"/api/v1/officials/{person.pk}/").json()
    client.get(f"/api/v1/officials/{person.pk}.json")
    assert GROUPS <= set(data)
    assert data["identity"]["full_name"] == "Nguyễn Văn An"
    assert data["identity"]["birth_date"] == "1990-05-17"
    assert data["current_posts"][0]["unit"]["code"] == "19789"
    assert data["current_posts"][0]["salary_grade"] == "Chuyên viên, bậc 3/9"
    assert data["evaluations"][0]["grade"] == "good"
    assert "Nghị định 90/2020" in data["evaluations"][0]["explanation"]
    rows = AccessLog.objects.filter(what="personnel_file_api")
    assert rows.count() == 2
    assert {(r.user_id, r.subject_id) for r in rows} == {(personas.official_a.pk, str(person.pk))}


def test_the_schema_documents_the_officials_endpoints(personas):
    schema = personas.client("anonymous").get("/api/v1/schema/?format=json").json()
    assert "/api/v1/officials/" in schema["paths"]
    listing = schema["paths"]["/api/v1/officials/"]["get"]
    assert listing["tags"] == ["Cán bộ, công chức"]
    assert {"as_of", "unit", "category", "q"} <= {p["name"] for p in listing["parameters"]}

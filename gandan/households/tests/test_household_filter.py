"""The registry screen and ``/api/v1/households/`` filter households through one FilterSet:
the same query finds the same households on both."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404

from gandan.geo.models import HamletKind
from gandan.geo.services import hamlet_create
from gandan.households import services
from gandan.households.access import access_unit_for_lists
from gandan.households.tests.factories import assess, household

pytestmark = pytest.mark.django_db

# 1 March 2027: the lists in force are those of the 2026 review.
SPRING_2027 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ROW = re.compile(r'<td><a href="/households/registry/\d+/">([^<]+)</a></td>')


@pytest.fixture(autouse=True)
def _spring(time_machine):
    time_machine.move_to(SPRING_2027, tick=False)


@pytest.fixture
def registry(personas):
    """Households of commune A in two villages, one of B, one dissolved, with 2026 results."""
    village_2 = hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 2", kind=HamletKind.TO_DAN_PHO
    )
    poor = household(
        personas.commune_a, hamlet=personas.hamlet_a, code="FA-01", head_name="Lê Văn Tám"
    )
    near = household(personas.commune_a, hamlet=village_2, code="FA-02", head_name="Trần Thị Hoa")
    never = household(personas.commune_a, hamlet=village_2, code="FA-03", head_name="Hồ Văn Tâm")
    gone = household(personas.commune_a, hamlet=personas.hamlet_a, code="FA-04")
    other = household(personas.commune_b, hamlet=personas.hamlet_b, code="FB-01")
    assess(poor, 2026, "poor")
    assess(near, 2026, "near_poor")
    assess(gone, 2026, "poor")
    assess(other, 2026, "not_poor")
    services.household_dissolve(household=gone, on=dt.date(2027, 1, 10), reason="Nhập hộ khác")
    del never
    return {"village_2": village_2}


def screen_codes(client, query):
    response = client.get("/households/registry/", query)
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def api_codes(client, query):
    response = client.get("/api/v1/households/", query)
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_the_screen_and_the_api_find_the_same_households_for_the_same_query(personas, registry):
    leader = personas.client("leader")
    a = personas.commune_a.code
    queries = [
        ({}, ["FA-01", "FA-02", "FA-03", "FB-01"]),
        ({"q": "văn tâm"}, ["FA-03"]),  # by the head's name too
        ({"q": "fa-0"}, ["FA-01", "FA-02", "FA-03"]),
        ({"unit": a}, ["FA-01", "FA-02", "FA-03"]),
        ({"unit": a, "hamlet": registry["village_2"].pk}, ["FA-02", "FA-03"]),
        ({"standing": "poor"}, ["FA-01"]),  # the lists in force: 2026's
        ({"standing": "other"}, ["FA-03", "FB-01"]),
        ({"unit": a, "standing": "near_poor"}, ["FA-02"]),
        ({"dissolved": "on"}, ["FA-01", "FA-02", "FA-03", "FA-04", "FB-01"]),
        ({"dissolved": "on", "standing": "poor"}, ["FA-01", "FA-04"]),
    ]
    for query, expected in queries:
        assert screen_codes(leader, query) == expected, query
        assert api_codes(leader, query) == expected, query


def test_the_api_hides_dissolved_households_unless_asked_as_the_screen_does(personas, registry):
    client = personas.client("official_a")
    assert "FA-04" not in api_codes(client, {})
    assert "FA-04" in api_codes(client, {"dissolved": "true"})


def test_the_api_searches_by_the_heads_name_as_the_screen_does(personas, registry):
    assert api_codes(personas.client("official_a"), {"q": "Trần Thị"}) == ["FA-02"]


def test_a_village_of_another_commune_is_refused_on_both(personas, registry):
    client = personas.client("leader")
    query = {"unit": personas.commune_b.code, "hamlet": registry["village_2"].pk}
    assert client.get("/api/v1/households/", query).status_code == 404
    shown = client.get("/households/registry/", query).content.decode()
    assert "Không tìm thấy thôn, tổ dân phố trong phạm vi của bạn" in shown


def test_a_unit_that_narrows_a_list_is_reached_only_within_the_current_scope(personas):
    assert access_unit_for_lists(personas.official_a, "19789") == personas.commune_a
    for code in ("19777", "99999"):  # another commune; no such unit
        with pytest.raises(Http404, match="trong phạm vi của bạn"):
            access_unit_for_lists(personas.official_a, code)

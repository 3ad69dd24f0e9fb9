"""``/api/v1/households/`` and ``/api/v1/poverty/``: scope, filters, masked IDs, the standards,
the reviews, the writes through the services (refused with the error shape, changing nothing),
and the poverty report of ``/api/v1/reports/poverty/``."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gandan.accounts.services import membership_grant, token_renew
from gandan.core.crypto import mask_citizen_id
from gandan.core.models import AccessLog, Event
from gandan.core.testing.personas import PASSWORD
from gandan.geo.models import HamletKind
from gandan.geo.services import hamlet_create
from gandan.households import services
from gandan.households.models import (
    Assessment,
    FrozenReport,
    PovertyStandard,
    ReviewRequest,
    ReviewStatus,
    VillageMeeting,
)
from gandan.households.tests.factories import (
    NEAR_POOR,
    NOT_POOR,
    assess,
    household,
    post_and_decide,
    village_meeting,
)
from gandan.households.tests.helpers import HUE, REPORT_KEYS
from gandan.households.tests.helpers import signed_in as client_of
from gandan.households.tests.url_matrix_api import (
    household_of_a,
    meeting_data,
    request_data,
    review_of_a,
    survey_data,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=HUE)  # a Monday, during the 2026 review
AN_ID = "046090001234"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def grant(personas, username, role, unit, **extra):
    return membership_grant(
        username=username, role=role, unit=unit, password=PASSWORD, **extra
    ).user


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def changes():
    """What a refused write must leave as it was."""
    return (
        Assessment.objects.count(),
        VillageMeeting.objects.count(),
        ReviewRequest.objects.count(),
        Event.objects.count(),
        list(Assessment.objects.values_list("pk", "standing", "income_per_capita")),
    )


def assert_refused(response, *fields):
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "invalid"
    assert data["detail"]
    assert set(data["fields"]) == set(fields), data
    for messages in data["fields"].values():
        assert all(isinstance(m, str) and m for m in messages)
    return data


@pytest.fixture
def two_communes(personas):
    a = household_of_a(personas)  # HA0001, in hamlet_a
    b = household(personas.commune_b, hamlet=personas.hamlet_b, code="HB0001")
    return a, b


# --- Who may ask --------------------------------------------------------------------------------


def test_anonymous_callers_get_401_from_the_scoped_endpoints(personas, two_communes):
    client = personas.client("anonymous")
    for url in (
        "/api/v1/households/",
        f"/api/v1/households/{two_communes[0].pk}/",
        "/api/v1/poverty/reviews/",
        "/api/v1/poverty/requests/",
    ):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


def test_a_token_works_in_place_of_a_session(personas, two_communes):
    client = Client(HTTP_AUTHORIZATION=f"Token {token_renew(user=personas.official_a)}")
    assert codes(client.get("/api/v1/households/")) == ["HA0001"]
    assert client.get(f"/api/v1/households/{two_communes[0].pk}/").status_code == 200
    bad = Client(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert bad.get("/api/v1/households/").status_code == 401


# --- The list of households -------------------------------------------------------------------


def test_the_list_holds_only_the_households_of_the_callers_communes(personas, two_communes):
    assert codes(personas.client("official_a").get("/api/v1/households/")) == ["HA0001"]
    assert codes(personas.client("viewer_a").get("/api/v1/households/")) == []  # figures only
    assert codes(personas.client("official_b").get("/api/v1/households/")) == ["HB0001"]
    assert codes(personas.client("leader").get("/api/v1/households/")) == ["HA0001", "HB0001"]


def test_a_household_that_moved_stays_in_the_history_of_the_commune_it_left(personas, two_communes):
    moved = household(personas.commune_a, code="HA0002")
    assess(moved, 2025, "poor")
    services.household_move(
        household=moved, unit=personas.commune_b, hamlet=personas.hamlet_b, on=dt.date(2026, 6, 1)
    )
    official_a = personas.client("official_a")
    # The registry as it stands lists it where it lives now; the commune it left keeps its
    # file and its year's results.
    assert codes(official_a.get("/api/v1/households/")) == ["HA0001"]
    assert codes(official_a.get("/api/v1/households/", {"year": 2025})) == ["HA0002"]
    assert official_a.get(f"/api/v1/households/{moved.pk}/").status_code == 200
    client = personas.client("official_b")
    row = client.get("/api/v1/households/", {"q": "ha0002"}).json()["results"][0]
    assert row["place"]["unit"]["code"] == "19777"
    assert row["place"]["hamlet"]["id"] == personas.hamlet_b.pk
    # Registered in A on the review day of 2025, in B on today's.
    assert codes(client.get("/api/v1/households/", {"unit": "19777"})) == ["HA0002", "HB0001"]
    leader = personas.client("leader")
    assert codes(leader.get("/api/v1/households/", {"unit": "19789"})) == ["HA0001"]


def test_the_list_filters_by_unit_hamlet_year_standing_and_code(personas, two_communes):
    a, b = two_communes
    other_hamlet = hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 2", kind=HamletKind.TO_DAN_PHO
    )
    near = household(personas.commune_a, hamlet=other_hamlet, code="HA0002")
    never = household(personas.commune_a, hamlet=other_hamlet, code="XA0003")
    assess(a, 2026, "poor")
    assess(near, 2026, "near_poor")
    assess(near, 2025, "poor")
    assess(b, 2026, "poor")
    leader = personas.client("leader")
    assert codes(leader.get("/api/v1/households/", {"unit": "19789"})) == [
        "HA0001",
        "HA0002",
        "XA0003",
    ]
    assert codes(leader.get("/api/v1/households/", {"unit": "46", "year": 2026})) == [
        "HA0001",
        "HA0002",
        "HB0001",
    ]
    assert codes(leader.get("/api/v1/households/", {"hamlet": other_hamlet.pk})) == [
        "HA0002",
        "XA0003",
    ]
    assert codes(leader.get("/api/v1/households/", {"year": 2026, "standing": "poor"})) == [
        "HA0001",
        "HB0001",
    ]
    assert codes(leader.get("/api/v1/households/", {"year": 2025, "standing": "poor"})) == [
        "HA0002"
    ]
    assert codes(leader.get("/api/v1/households/", {"q": " ha00 "})) == [
        "HA0001",
        "HA0002",
    ]
    assert never.code not in codes(leader.get("/api/v1/households/", {"year": 2026}))


def test_each_row_shows_the_place_and_the_result_of_the_year_asked_or_the_latest(
    personas, two_communes
):
    a, _ = two_communes
    assess(a, 2025, "poor")
    assess(a, 2026, "near_poor")
    client = personas.client("official_a")
    row = client.get("/api/v1/households/").json()["results"][0]
    assert row["place"]["unit"]["code"] == "19789"
    assert row["place"]["hamlet"] == {
        "id": personas.hamlet_a.pk,
        "name": "Tổ dân phố 1",
        "kind": HamletKind.TO_DAN_PHO,
    }
    assert row["place"]["area"] == "rural"
    assert (row["assessment"]["year"], row["assessment"]["standing"]) == (2026, "near_poor")
    assert row["assessment"]["standing_display"] == "Hộ cận nghèo"
    row = client.get("/api/v1/households/", {"year": 2025}).json()["results"][0]
    assert (row["assessment"]["year"], row["assessment"]["standing"]) == (2025, "poor")


def test_a_unit_or_a_hamlet_outside_the_scope_is_a_404(personas, two_communes):
    client = personas.client("official_b")
    response = client.get("/api/v1/households/", {"unit": "19789"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "19789" in response.json()["detail"]
    assert client.get("/api/v1/households/", {"unit": "99999"}).status_code == 404
    response = client.get("/api/v1/households/", {"hamlet": personas.hamlet_a.pk})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_malformed_filters_are_a_400_naming_the_fields(personas):
    client = personas.client("official_a")
    data = assert_refused(
        client.get("/api/v1/households/", {"year": "hai nghìn", "hamlet": "x"}), "year", "hamlet"
    )
    assert data["code"] == "invalid"
    assert_refused(
        client.get("/api/v1/households/", {"year": 2026, "standing": "rich"}), "standing"
    )


def test_the_list_costs_the_same_queries_for_one_household_or_thirty(
    personas, django_assert_max_num_queries
):
    client = personas.client("leader")
    first = household(personas.commune_a, hamlet=personas.hamlet_a)
    assess(first, 2026, "poor")
    with CaptureQueriesContext(connection) as one:
        assert len(codes(client.get("/api/v1/households/"))) == 1
    for n in range(30):
        extra = household(personas.commune_b, hamlet=personas.hamlet_b, code=f"HB{n:04d}")
        assess(extra, 2026, "near_poor")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(codes(client.get("/api/v1/households/"))) == 31


# --- One household ------------------------------------------------------------------------------


@pytest.fixture
def with_members(two_communes):
    a, _ = two_communes
    services.member_add(
        household=a,
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1990, 5, 17),
        sex="male",
        relation="head",
        citizen_id=AN_ID,
    )
    services.member_add(
        household=a,
        full_name="Nguyễn Thị Bé",
        birth_date=dt.date(2019, 1, 9),
        sex="female",
        relation="child",
    )
    return a


def test_the_household_shows_places_members_and_results_by_year(personas, with_members):
    a = with_members
    first = assess(a, 2025, "poor")
    assess(a, 2026, "near_poor")
    corrected = services.assessment_correct(
        assessment=first,
        survey=NOT_POOR,
        on=dt.date(2026, 2, 10),
        reason="Rà soát thường xuyên: hộ có thu nhập mới",
    )
    data = personas.client("official_a").get(f"/api/v1/households/{a.pk}/").json()
    assert (data["code"], data["head_name"], data["province_code"]) == (
        "HA0001",
        "Nguyễn Văn An",
        "46",
    )
    assert [(p["unit"]["code"], p["hamlet"]["id"], p["reason"]) for p in data["places"]] == [
        ("19789", personas.hamlet_a.pk, "formed")
    ]
    assert [m["full_name"] for m in data["members"]] == ["Nguyễn Văn An", "Nguyễn Thị Bé"]
    assert [(r["year"], r["standing"], r["current"]) for r in data["assessments"]] == [
        (2026, "near_poor", True),
        (2025, "not_poor", True),
        (2025, "poor", False),
    ]
    newest_2025 = data["assessments"][1]
    assert newest_2025["id"] == corrected.pk
    assert newest_2025["corrects"] == first.pk
    assert newest_2025["recorded_on"] == "2026-02-10"
    old = data["assessments"][2]
    assert old["superseded_on"] == "2026-02-10"
    assert old["deprived"] == ["water", "latrine", "telecom"]
    assert old["deprivation_count"] == 3
    assert old["legal_basis"] == "Nghị định 07/2021/NĐ-CP"
    assert old["explanation"] == services.explain(first)
    assert "hộ nghèo" in old["explanation"]
    assert "Nguồn nước sinh hoạt".lower() in old["explanation"]


def test_an_officer_and_a_viewer_get_the_citizen_ids_masked_even_when_asking(
    personas, with_members
):
    viewer = personas.client("viewer_a")
    assert viewer.get(f"/api/v1/households/{with_members.pk}/").status_code == 404  # figures only
    for name in ("official_a", "leader"):
        client = personas.client(name)
        for params in ({}, {"full": "true"}):
            data = client.get(f"/api/v1/households/{with_members.pk}/", params).json()
            assert data["citizen_ids_masked"] is True
            assert data["may_see_full_citizen_ids"] is False
            assert data["members"][0]["citizen_id"] == mask_citizen_id(AN_ID)
            assert data["members"][1]["citizen_id"] == ""
            assert AN_ID not in str(data)
    assert not AccessLog.objects.exists()


def test_a_commune_leader_sees_the_full_ids_when_asking_and_each_read_is_logged(
    personas, with_members, two_communes
):
    chair = grant(personas, "leader_a", "commune_leader", personas.commune_a)
    leader_a = client_of(chair)
    url = f"/api/v1/households/{with_members.pk}/"
    data = leader_a.get(url).json()
    assert (data["citizen_ids_masked"], data["may_see_full_citizen_ids"]) == (True, True)
    assert data["members"][0]["citizen_id"] == mask_citizen_id(AN_ID)
    assert not AccessLog.objects.exists()
    data = leader_a.get(url, {"full": "true"}).json()
    assert data["citizen_ids_masked"] is False
    assert data["members"][0]["citizen_id"] == AN_ID
    log = AccessLog.objects.get()
    assert (log.user, log.subject_type, log.subject_id, log.what, log.province_code) == (
        chair,
        "households.household",
        str(with_members.pk),
        "household_members_api",
        "46",
    )
    assert leader_a.get(f"/api/v1/households/{two_communes[1].pk}/").status_code == 404
    leader_b = client_of(grant(personas, "leader_b", "commune_leader", personas.commune_b))
    assert leader_b.get(url, {"full": "true"}).status_code == 404
    assert AccessLog.objects.count() == 1
    assert_refused(leader_a.get(url, {"full": "nhiều"}), "full")


def test_a_provincial_specialist_may_ask_for_the_full_ids_too(personas, with_members):
    specialist = client_of(grant(personas, "specialist", "province_specialist", personas.province))
    data = specialist.get(f"/api/v1/households/{with_members.pk}.json?full=1").json()
    assert data["members"][0]["citizen_id"] == AN_ID
    assert AccessLog.objects.filter(what="household_members_api").count() == 1


def test_a_household_without_citizen_ids_is_shown_in_full_without_a_log(personas, two_communes):
    leader_a = client_of(grant(personas, "leader_a", "commune_leader", personas.commune_a))
    services.member_add(
        household=two_communes[0],
        full_name="Nguyễn Thị Bé",
        birth_date=dt.date(2019, 1, 9),
        sex="female",
        relation="child",
    )
    data = leader_a.get(f"/api/v1/households/{two_communes[0].pk}/?full=true").json()
    assert data["citizen_ids_masked"] is False
    assert data["members"][0]["citizen_id"] == ""
    assert not AccessLog.objects.exists()


def test_another_communes_household_is_a_404_like_a_missing_one(personas, two_communes):
    client = personas.client("official_b")
    response = client.get(f"/api/v1/households/{two_communes[0].pk}/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Không tìm thấy hộ."}
    missing = personas.client("leader").get("/api/v1/households/999999/")
    assert missing.json() == response.json()


# --- Poverty standards (public) -----------------------------------------------------------------


def test_anyone_reads_the_standards_with_their_lines_and_indicators(personas):
    data = personas.client("anonymous").get("/api/v1/poverty/standards/").json()
    rows = data["results"]
    assert data["count"] == PovertyStandard.objects.count() == 3
    assert [r["code"] for r in rows] == ["qd-59-2015", "nd-07-2021", "nd-351-2025"]
    old, current, new = rows
    assert old["lines"]["rural"] == {"lower": 700_000, "upper": 1_000_000, "average": 1_500_000}
    assert current["lines"]["urban"] == {"lower": None, "upper": 2_000_000, "average": 3_000_000}
    assert (current["first_year"], current["last_year"], current["period"]) == (
        2021,
        2025,
        "2022–2025 (và năm 2026)",
    )
    assert current["deprivation_threshold"] == 3
    assert [i["code"] for i in current["indicators"]][:2] == ["employment", "dependants"]
    assert len(current["indicators"]) == 12
    assert current["indicators"][0] == {
        "code": "employment",
        "dimension": "Việc làm",
        "name": "Việc làm",
        "order": 1,
    }
    assert (old["provisional"], current["provisional"], new["provisional"]) == (False, False, True)
    assert "Nghị định 351/2025/NĐ-CP" in new["source"]


def test_one_standard_by_its_code_and_an_unknown_code_is_a_404(personas):
    client = personas.client("anonymous")
    data = client.get("/api/v1/poverty/standards/nd-351-2025/").json()
    standard = PovertyStandard.objects.get(code="nd-351-2025")
    assert data["lines"]["rural"]["upper"] == standard.rural_upper_line
    assert data["lines"]["urban"]["upper"] == standard.urban_upper_line
    assert len(data["indicators"]) == standard.indicators.count()
    response = client.get("/api/v1/poverty/standards/nd-99-2099/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- Reviews ------------------------------------------------------------------------------------


def test_the_reviews_are_scoped_and_filtered_by_year_and_unit(personas):
    review_a = review_of_a(personas)
    listed_b = household(personas.commune_b, hamlet=personas.hamlet_b)
    review_b = services.review_open(
        unit=personas.commune_b, year=2026, on=dt.date(2026, 9, 2), requests=[listed_b]
    )

    def ids(client, **params):
        response = client.get("/api/v1/poverty/reviews/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(personas.client("official_a")) == [review_a.pk]
    assert ids(personas.client("viewer_a")) == [review_a.pk]
    assert ids(personas.client("official_b")) == [review_b.pk]
    leader = personas.client("leader")
    assert ids(leader) == [review_b.pk, review_a.pk]  # by commune code: 19777, 19789
    assert ids(leader, unit="19789") == [review_a.pk]
    assert ids(leader, unit="46", year=2026) == [review_b.pk, review_a.pk]
    assert ids(leader, year=2025) == []
    assert ids(leader, status="listing") == [review_b.pk]
    row = leader.get("/api/v1/poverty/reviews/", {"unit": "19789"}).json()["results"][0]
    assert (row["year"], row["standard"], row["status"], row["households"]) == (
        2026,
        "nd-351-2025",
        "surveying",
        1,
    )
    assert row["unit"]["code"] == "19789"
    response = personas.client("official_b").get("/api/v1/poverty/reviews/", {"unit": "19789"})
    assert response.status_code == 404
    assert_refused(leader.get("/api/v1/poverty/reviews/", {"status": "done"}), "status")


def test_the_reviews_screen_and_the_api_list_the_same_reviews_for_the_same_year(personas):
    review_of_a(personas)
    listed_b = household(personas.commune_b, hamlet=personas.hamlet_b)
    services.review_open(
        unit=personas.commune_b, year=2026, on=dt.date(2026, 9, 2), requests=[listed_b]
    )
    for name in ("official_a", "viewer_a", "official_b", "leader"):
        client = personas.client(name)
        for year in (2025, 2026):
            api = client.get("/api/v1/poverty/reviews/", {"year": year}).json()["results"]
            screen = client.get("/households/reviews/", {"year": year}).context["reviews"]
            assert sorted(row["id"] for row in api) == sorted(row.review.pk for row in screen), (
                name,
                year,
            )


def test_a_review_shows_its_steps_counts_and_villages(personas):
    review = review_of_a(personas)
    waiting = household(personas.commune_a, hamlet=personas.hamlet_a, code="HA0009")
    services.review_request_add(review=review, household=waiting)
    data = personas.client("viewer_a").get(f"/api/v1/poverty/reviews/{review.pk}/").json()
    assert [(s["status"], s["state"]) for s in data["steps"]] == [
        ("listing", "done"),
        ("surveying", "current"),
        ("meetings", "todo"),
        ("posting", "todo"),
        ("decided", "todo"),
    ]
    assert data["steps"][1]["name"] == "Khảo sát, chấm điểm"
    assert data["counts"] == {
        "listed": 2,
        "listed_poor": 0,
        "listed_near_poor": 0,
        "listed_on_request": 2,
        "surveyed": 1,
        "unsurveyed": 1,
        "standings": {"poor": 1, "near_poor": 0, "average": 0, "not_poor": 0},
    }
    assert data["hamlets"] == [
        {
            "id": personas.hamlet_a.pk,
            "name": "Tổ dân phố 1",
            "households": 2,
            "rounds": 0,
            "adopted": False,
        }
    ]
    assert data["meetings"] == []
    assert data["frozen_report"] is None
    assert data["posting_from"] is None and data["decided_on"] is None


def test_the_review_screens_and_the_api_show_the_same_steps_counts_and_actions(personas):
    """A listed household surveyed outside the review (here: recorded directly for the year) is
    surveyed for the services, so the reviews screen counts it as the API and the review page
    do; the steps and the actions open to the official are the same on both sides."""
    review = review_of_a(personas)
    outside = household(personas.commune_a, hamlet=personas.hamlet_a, code="HA0009")
    services.review_request_add(review=review, household=outside)
    assess(outside, 2026, "near_poor")
    client = personas.client("official_a")
    api = client.get(f"/api/v1/poverty/reviews/{review.pk}/").json()
    assert (api["counts"]["listed"], api["counts"]["surveyed"]) == (2, 2)
    assert api["counts"]["standings"]["near_poor"] == 1
    screen = client.get("/households/reviews/", {"year": 2026}).context
    row = screen["reviews"][0]
    assert (row.counts.listed, row.counts.surveyed) == (2, 2)
    assert (row.counts.poor, row.counts.near_poor) == (1, 1)
    page = client.get(f"/households/reviews/{review.pk}/").context
    assert (page["listed"], page["surveyed"]) == (2, 2)
    assert [(s.status, s.state) for s in page["steps"]] == [
        (s["status"], s["state"]) for s in api["steps"]
    ]
    assert sorted(page["forms"]) == sorted(a for a in api["actions"] if a != "survey")
    assert "survey" in api["actions"]
    viewer = personas.client("viewer_a").get(f"/api/v1/poverty/reviews/{review.pk}/").json()
    assert viewer["actions"] == []


def test_a_decided_review_carries_the_report_frozen_at_the_decision(personas):
    review = review_of_a(personas)
    # 10 of 20 present is exactly half: the list is sent back.
    village_meeting(review, personas.hamlet_a, dt.date(2026, 10, 5), agree=10)
    village_meeting(review, personas.hamlet_a, dt.date(2026, 10, 9), agree=11)
    post_and_decide(
        review,
        posting_from=dt.date(2026, 10, 12),
        decided_on=dt.date(2026, 10, 20),
        decision_number="215/QĐ-UBND",
    )
    data = personas.client("official_a").get(f"/api/v1/poverty/reviews/{review.pk}/").json()
    assert data["status"] == "decided"
    assert {s["state"] for s in data["steps"]} == {"done"}
    assert (data["posting_from"], data["posting_to"]) == ("2026-10-12", "2026-10-14")
    assert (data["decision_number"], data["decided_on"]) == ("215/QĐ-UBND", "2026-10-20")
    assert [(m["round"], m["accepted"], m["agree"]) for m in data["meetings"]] == [
        (1, False, 10),
        (2, True, 11),
    ]
    assert data["hamlets"][0]["rounds"] == 2 and data["hamlets"][0]["adopted"] is True
    frozen = FrozenReport.objects.get(review=review)
    assert data["frozen_report"]["data"] == frozen.data
    assert data["frozen_report"]["data"]["poor"] == 1
    assert data["frozen_report"]["data"]["unit"]["code"] == "19789"


def test_another_communes_review_is_a_404(personas):
    review = review_of_a(personas)
    response = personas.client("official_b").get(f"/api/v1/poverty/reviews/{review.pk}/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Không tìm thấy đợt rà soát."}


# --- Writing a survey ---------------------------------------------------------------------------


def surveys_url(review):
    return f"/api/v1/poverty/reviews/{review.pk}/surveys/"


def test_an_officer_records_a_survey_and_gets_the_classification(personas):
    review = review_of_a(personas)
    listed = household_of_a(personas)
    response = post(personas.client("official_a"), surveys_url(review), survey_data(personas))
    assert response.status_code == 201, response.content
    data = response.json()
    # 1.800.000 ≤ 2.200.000 (rural line of 351/2025) with 3 deprivations: poor.
    assert (data["year"], data["standing"], data["review"]) == (2026, "poor", review.pk)
    assert data["deprived"] == ["water", "latrine", "telecom"]
    assert (data["income_per_capita"], data["members"], data["b1_score"]) == (1_800_000, 4, 110)
    assert data["explanation"] == (
        "nông thôn, thu nhập 1.800.000 ≤ 2.200.000, thiếu hụt 3/12 chỉ số: nguồn nước sinh "
        "hoạt, nhà tiêu hợp vệ sinh, sử dụng dịch vụ viễn thông (≥ 3) → hộ nghèo theo "
        "Nghị định 351/2025/NĐ-CP"
    )
    current = Assessment.objects.current().get(household=listed, year=2026)
    assert current.pk == data["id"]
    assert current.created_by == personas.official_a
    assert Event.objects.filter(kind="household.assessed", actor=personas.official_a).exists()


def test_a_household_that_is_not_on_the_list_is_refused_without_a_change(personas, two_communes):
    review = review_of_a(personas)
    not_listed = household(personas.commune_a, hamlet=personas.hamlet_a, code="HA0005")
    before = changes()
    for code in ("HA0099", two_communes[1].code, not_listed.code):
        response = post(
            personas.client("official_a"),
            surveys_url(review),
            {**survey_data(personas), "household": code},
        )
        assert_refused(response, "household")
    assert changes() == before


def test_an_unknown_indicator_is_refused_by_the_service_without_a_change(personas):
    review = review_of_a(personas)
    before = changes()
    response = post(
        personas.client("official_a"),
        surveys_url(review),
        {**survey_data(personas), "deprived": ["water", "waste"]},
    )
    data = assert_refused(response, "deprived")
    assert "waste" in data["fields"]["deprived"][0]
    response = post(
        personas.client("official_a"),
        surveys_url(review),
        {**survey_data(personas), "income_per_capita": -1},
    )
    assert_refused(response, "income_per_capita")
    assert changes() == before


def test_missing_or_malformed_answers_are_a_400_naming_the_fields(personas):
    review = review_of_a(personas)
    before = changes()
    response = post(
        personas.client("official_a"),
        surveys_url(review),
        {"household": household_of_a(personas).code, "members": "bốn", "deprived": "water"},
    )
    assert_refused(response, "income_per_capita", "members", "deprived")
    assert changes() == before


def test_a_decided_review_refuses_every_write_without_a_change(personas):
    review = review_of_a(personas)
    village_meeting(review, personas.hamlet_a, dt.date(2026, 10, 5))
    post_and_decide(
        review,
        posting_from=dt.date(2026, 10, 12),
        decided_on=dt.date(2026, 10, 20),
        decision_number="1/QĐ",
    )
    before = changes()
    client = personas.client("official_a")
    data = assert_refused(
        post(client, surveys_url(review), survey_data(personas)), "non_field_errors"
    )
    assert "đã khóa" in data["fields"]["non_field_errors"][0]
    response = post(
        client, f"/api/v1/poverty/reviews/{review.pk}/meetings/", meeting_data(personas)
    )
    assert_refused(response, "non_field_errors")
    assert changes() == before


@pytest.mark.parametrize("name", ["viewer_a", "leader", "official_b"])
def test_roles_that_do_not_write_for_the_commune_get_a_404_and_change_nothing(personas, name):
    review = review_of_a(personas)
    before = changes()
    client = personas.client(name)
    response = post(client, surveys_url(review), survey_data(personas))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = post(
        client, f"/api/v1/poverty/reviews/{review.pk}/meetings/", meeting_data(personas)
    )
    assert response.status_code == 404
    assert changes() == before


def test_a_village_head_writes_for_his_own_village_only(personas):
    review = review_of_a(personas)
    head_a = client_of(
        grant(personas, "head_a", "village_head", personas.commune_a, hamlet=personas.hamlet_a)
    )
    response = post(head_a, surveys_url(review), survey_data(personas))
    assert response.status_code == 201, response.content

    second = hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 2", kind=HamletKind.TO_DAN_PHO
    )
    head_2 = client_of(grant(personas, "head_2", "village_head", personas.commune_a, hamlet=second))
    head_b = client_of(
        grant(personas, "head_b", "village_head", personas.commune_b, hamlet=personas.hamlet_b)
    )
    before = changes()
    assert_refused(post(head_2, surveys_url(review), survey_data(personas)), "household")
    response = post(
        head_2, f"/api/v1/poverty/reviews/{review.pk}/meetings/", meeting_data(personas)
    )
    assert_refused(response, "hamlet")
    assert post(head_b, surveys_url(review), survey_data(personas)).status_code == 404
    assert changes() == before

    response = post(
        head_a, f"/api/v1/poverty/reviews/{review.pk}/meetings/", meeting_data(personas)
    )
    assert response.status_code == 201, response.content


# --- Writing a village meeting ------------------------------------------------------------------


def meetings_url(review):
    return f"/api/v1/poverty/reviews/{review.pk}/meetings/"


def test_a_meeting_without_a_majority_is_sent_back_and_the_village_meets_again(personas):
    review = review_of_a(personas)
    client = personas.client("official_a")
    response = post(client, meetings_url(review), {**meeting_data(personas), "agree": 20})
    assert response.status_code == 201, response.content
    first = response.json()
    assert (first["round"], first["accepted"], first["present"], first["agree"]) == (
        1,
        False,
        40,
        20,
    )
    assert first["hamlet"]["id"] == personas.hamlet_a.pk
    response = post(client, meetings_url(review), meeting_data(personas))
    assert (response.json()["round"], response.json()["accepted"]) == (2, True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.MEETINGS
    before = changes()
    response = post(client, meetings_url(review), meeting_data(personas))
    assert_refused(response, "non_field_errors")  # already adopted
    assert changes() == before


def test_bad_meeting_figures_and_foreign_villages_are_refused_without_a_change(personas):
    review = review_of_a(personas)
    client = personas.client("official_a")
    before = changes()
    assert_refused(
        post(client, meetings_url(review), {**meeting_data(personas), "agree": 41}), "agree"
    )
    assert_refused(
        post(client, meetings_url(review), {**meeting_data(personas), "chaired_by": "  "}),
        "chaired_by",
    )
    assert_refused(
        post(
            client, meetings_url(review), {**meeting_data(personas), "hamlet": personas.hamlet_b.pk}
        ),
        "hamlet",
    )
    assert_refused(
        post(client, meetings_url(review), {**meeting_data(personas), "held_on": "05/10/2026"}),
        "held_on",
    )
    unsurveyed = household(personas.commune_a, hamlet=personas.hamlet_a, code="HA0009")
    services.review_request_add(review=review, household=unsurveyed)
    before = changes()
    data = assert_refused(
        post(client, meetings_url(review), meeting_data(personas)), "non_field_errors"
    )
    assert "chưa có phiếu khảo sát" in data["fields"]["non_field_errors"][0]
    assert changes() == before


# --- Receiving a request for a regular review ---------------------------------------------------


def test_an_officer_receives_a_request_with_its_legal_due_date(personas):
    client = personas.client("official_a")
    response = post(client, "/api/v1/poverty/requests/", request_data(personas))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["household"] == "HA0001"
    assert data["unit"]["code"] == "19789"
    # Received on Monday 2 November 2026; 15 working days later.
    assert (data["received_on"], data["due_on"]) == ("2026-11-02", "2026-11-23")
    assert (data["status"], data["asks"], data["late"]) == ("pending", "leave", False)
    assert data["asks_display"] == "Công nhận thoát nghèo, thoát cận nghèo"
    request = ReviewRequest.objects.get()
    assert request.created_by == personas.official_a
    listed = client.get("/api/v1/poverty/requests/", {"status": "pending"}).json()["results"]
    assert [r["id"] for r in listed] == [request.pk]
    assert personas.client("official_b").get("/api/v1/poverty/requests/").json()["count"] == 0
    assert personas.client("viewer_a").get("/api/v1/poverty/requests/").json()["count"] == 1


def test_a_request_given_a_date_counts_from_that_date(personas):
    client = personas.client("official_a")
    response = post(
        client,
        "/api/v1/poverty/requests/",
        {**request_data(personas), "received_on": "2026-09-01"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    # Received on 1 September 2026, in the National Day holiday (1–2 September): the clock
    # counts from the 3rd.
    assert data["due_on"] == "2026-09-23"
    assert data["late"] is True


def test_a_bad_request_is_refused_without_a_change(personas, two_communes):
    household_of_a(personas)
    client = personas.client("official_a")
    before = changes()
    assert_refused(
        post(client, "/api/v1/poverty/requests/", {**request_data(personas), "reason": " "}),
        "reason",
    )
    assert_refused(
        post(client, "/api/v1/poverty/requests/", {**request_data(personas), "asks": "more"}),
        "asks",
    )
    response = post(
        client, "/api/v1/poverty/requests/", {**request_data(personas), "household": "HB0001"}
    )
    data = assert_refused(response, "household")
    assert "HB0001" in data["fields"]["household"][0]
    assert changes() == before


def test_only_roles_that_write_receive_requests(personas):
    household_of_a(personas)
    before = changes()
    for name in ("viewer_a", "leader"):
        response = post(personas.client(name), "/api/v1/poverty/requests/", request_data(personas))
        assert response.status_code == 404
    response = post(
        personas.client("anonymous"), "/api/v1/poverty/requests/", request_data(personas)
    )
    assert response.status_code == 401
    assert changes() == before


# --- The poverty report (gandan/reports) ----------------------------------------------------------


@pytest.fixture
def a_year_in_commune_a(personas):
    poor = household(personas.commune_a, hamlet=personas.hamlet_a, code="HA0001")
    assess(poor, 2026, "poor")
    for code in ("HA0002", "HA0003"):
        assess(
            household(personas.commune_a, hamlet=personas.hamlet_a, code=code), 2026, "near_poor"
        )
    return poor


def test_the_poverty_report_has_every_key_and_rates_with_two_decimals(
    personas, a_year_in_commune_a
):
    response = personas.client("official_a").get(
        "/api/v1/reports/poverty/", {"unit": "19789", "year": 2026}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == REPORT_KEYS
    assert (data["year"], data["as_of"]) == (2026, "2026-12-14")
    assert data["unit"]["code"] == "19789"
    assert data["standard"]["code"] == "nd-351-2025"
    assert (data["households"], data["poor"], data["near_poor"]) == (3, 1, 2)
    assert (data["poor_rate"], data["near_poor_rate"]) == (33.33, 66.67)
    rural = data["breakdown"]["rural"]
    assert (rural["households"], rural["poor_rate"], rural["near_poor_rate"]) == (3, 33.33, 66.67)
    hamlet = next(row for row in data["by_unit"] if row["unit"] == str(personas.hamlet_a.pk))
    assert (hamlet["level"], hamlet["poor"], hamlet["poor_rate"]) == ("hamlet", 1, 33.33)
    assert set(
        REPORT_KEYS - {"computed_at", "unit", "year", "as_of", "standard", "review", "by_unit"}
    ) <= set(hamlet)


def test_the_poverty_report_as_of_a_date_reads_the_records_as_they_stood(personas):
    poor = household(personas.commune_a, code="HA0001")
    first = assess(poor, 2025, "poor")
    services.assessment_correct(
        assessment=first, survey=NEAR_POOR, on=dt.date(2026, 2, 10), reason="Đính chính số liệu"
    )
    household(personas.commune_a, code="HA0002")
    client = personas.client("official_a")

    def report(as_of):
        response = client.get(
            "/api/v1/reports/poverty/", {"unit": "19789", "year": 2025, "as_of": as_of}
        )
        assert response.status_code == 200, response.content
        return response.json()

    before, after = report("2026-02-01"), report("2026-03-01")
    assert (before["as_of"], before["poor"], before["near_poor"], before["poor_rate"]) == (
        "2026-02-01",
        1,
        0,
        50.0,
    )
    assert (after["poor"], after["near_poor"], after["near_poor_rate"]) == (0, 1, 50.0)


def test_the_poverty_report_is_scoped_and_needs_a_signed_in_user(personas, a_year_in_commune_a):
    params = {"unit": "19789", "year": 2026}
    response = personas.client("official_b").get("/api/v1/reports/poverty/", params)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "unit" in response.json()["fields"]
    response = personas.client("anonymous").get("/api/v1/reports/poverty/", params)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert personas.client("leader").get("/api/v1/reports/poverty/", params).status_code == 200


# --- The schema -----------------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints_under_vietnamese_tags(personas):
    schema = personas.client("anonymous").get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert paths["/api/v1/households/"]["get"]["tags"] == ["Hộ gia đình"]
    assert {"unit", "hamlet", "year", "standing", "q"} <= {
        p["name"] for p in paths["/api/v1/households/"]["get"]["parameters"]
    }
    assert paths["/api/v1/poverty/standards/"]["get"]["tags"] == ["Chuẩn nghèo"]
    for path, method in (
        ("/api/v1/poverty/reviews/", "get"),
        ("/api/v1/poverty/reviews/{id}/surveys/", "post"),
        ("/api/v1/poverty/reviews/{id}/meetings/", "post"),
        ("/api/v1/poverty/requests/", "post"),
    ):
        assert paths[path][method]["tags"] == ["Rà soát hộ nghèo, hộ cận nghèo"], path


@pytest.mark.parametrize("persona", ["official_a", "viewer_a", "official_b", "leader", "anonymous"])
@pytest.mark.parametrize("for_write", [False, True])
def test_the_lookup_and_the_list_scope_hold_the_same_households(
    personas, two_communes, persona, for_write
):
    # One rule in two forms: placements gathered first (IN, or = ANY(ARRAY(…)) on PostgreSQL: a
    # commune's lists) and each household probed (EXISTS, a province's lists and every look-up).
    from gandan.households.access import (
        _placements_in_scope,
        household_lookup,
        households_in_scope,
    )
    from gandan.households.models import Household

    user = personas.user(persona)
    placements = _placements_in_scope(user, for_write=for_write, on=None)
    gathered = Household.objects.filter(pk__in=placements.values("household_id"))
    listed = set(households_in_scope(user, for_write=for_write).values_list("pk", flat=True))
    found = set(household_lookup(user, for_write=for_write).values_list("pk", flat=True))
    assert listed == found == set(gathered.values_list("pk", flat=True))
    a, b = two_communes
    # The province leader reads every household and writes none; a viewer reads figures only.
    assert (a.pk in found) == (persona == "official_a" or (persona == "leader" and not for_write))
    assert (b.pk in found) == (persona == "official_b" or (persona == "leader" and not for_write))


def test_a_list_past_the_count_cap_says_more_than_on_the_screen_and_in_the_api(
    personas, monkeypatch
):
    from gandan.core import paging
    from gandan.geo import selectors as geo

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    commune = geo.unit_by_code("19789", as_of=dt.date(2026, 3, 2))
    for _ in range(9):
        household(commune)
    client = personas.client("official_a")
    page = client.get("/households/registry/")
    assert "Hơn 5 hộ" in page.content.decode()
    body = client.get("/api/v1/households/", {"limit": 2}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (7, True, 2)
    assert body["next"]
    last = client.get("/api/v1/households/", {"limit": 2, "offset": 8}).json()
    assert (last["count"], last["count_capped"], last["next"]) == (9, False, None)

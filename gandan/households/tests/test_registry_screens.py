"""The registry screens through HTTP: the list, one household, and the forms that change it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape

from gandan.core.crypto import mask_citizen_id
from gandan.core.models import AccessLog, Event
from gandan.geo.models import HamletKind
from gandan.geo.services import hamlet_create
from gandan.households import services
from gandan.households.models import Household, Member, Placement
from gandan.households.tests.factories import NEAR_POOR, assess, household
from gandan.households.tests.helpers import HUE, grant, signed_in
from gandan.households.tests.url_matrix_registry import CITIZEN_ID, registry_household_of_a

pytestmark = pytest.mark.django_db

# 1 March 2027: the lists in force are those of the 2026 review.
SPRING_2027 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=HUE)


@pytest.fixture
def spring(time_machine):
    time_machine.move_to(SPRING_2027, tick=False)


def page(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def url_of(found, suffix=""):
    return f"/households/registry/{found.pk}/{suffix}"


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_the_communes_households_and_hides_another_communes(personas, spring):
    a = registry_household_of_a(personas)
    b = household(personas.commune_b, hamlet=personas.hamlet_b, head_name="Trần Thị Bé")
    shown = page(personas.client("official_a"), "/households/registry/")
    assert a.code in shown and "Lê Văn Tám" in shown
    assert b.code not in shown and "Trần Thị Bé" not in shown
    shown_b = page(personas.client("official_b"), "/households/registry/")
    assert b.code in shown_b and a.code not in shown_b


def test_the_list_searches_by_code_and_by_head_name(personas, spring):
    registry_household_of_a(personas)
    household(personas.commune_a, code="RA-0777", head_name="Phạm Thị Nụ")
    client = personas.client("official_a")
    by_code = page(client, "/households/registry/", q="0777")
    assert "Phạm Thị Nụ" in by_code and "Lê Văn Tám" not in by_code
    by_name = page(client, "/households/registry/", q="Văn Tám")
    assert "RA-0001" in by_name and "RA-0777" not in by_name
    assert "1 hộ." in by_name


def test_the_list_filters_by_village_and_by_the_standing_in_force(personas, spring):
    other_village = hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 2", kind=HamletKind.TO_DAN_PHO
    )
    poor = household(personas.commune_a, hamlet=personas.hamlet_a, code="RA-0011")
    near = household(personas.commune_a, hamlet=other_village, code="RA-0012")
    neither = household(personas.commune_a, hamlet=other_village, code="RA-0013")
    assess(poor, 2026, "poor")
    assess(near, 2026, "near_poor")
    assess(neither, 2025, "poor")  # poor in 2025, not on the 2026 lists
    client = personas.client("leader")  # the whole province: pick the commune first
    unit = personas.commune_a.code

    in_village = page(client, "/households/registry/", unit=unit, hamlet=other_village.pk)
    assert "RA-0012" in in_village and "RA-0013" in in_village and "RA-0011" not in in_village

    only_poor = page(client, "/households/registry/", unit=unit, standing="poor")
    assert "RA-0011" in only_poor and "RA-0012" not in only_poor and "RA-0013" not in only_poor
    assert "Hộ nghèo" in only_poor

    only_near = page(client, "/households/registry/", unit=unit, standing="near_poor")
    assert "RA-0012" in only_near and "RA-0011" not in only_near

    others = page(client, "/households/registry/", unit=unit, standing="other")
    assert "RA-0013" in others and "RA-0011" not in others and "RA-0012" not in others
    assert "Diện hộ (2026)" in others


def test_the_list_is_paginated_by_fifty(personas, spring):
    for n in range(51):
        household(personas.commune_a, code=f"RA-P{n:03d}")
    client = personas.client("official_a")
    first = page(client, "/households/registry/")
    assert "51 hộ, trang 1/2." in first
    assert "RA-P049" in first and "RA-P050" not in first
    second = page(client, "/households/registry/", page=2)
    assert "RA-P050" in second and "RA-P000" not in second
    searched = page(client, "/households/registry/", q="RA-P")
    assert 'href="?q=RA-P&amp;page=2" rel="next"' in searched


# --- One household -----------------------------------------------------------------------------


def test_another_commune_gets_404_on_the_household(personas, spring):
    found = registry_household_of_a(personas)
    assert personas.client("official_b").get(url_of(found)).status_code == 404
    for suffix in ("move/", "dissolve/", "members/new/"):
        assert personas.client("official_b").get(url_of(found, suffix)).status_code == 404


def test_the_household_page_shows_places_results_corrections_requests_and_events(personas, spring):
    found = registry_household_of_a(personas)
    services.household_move(
        household=found, unit=personas.commune_b, hamlet=personas.hamlet_b, on=dt.date(2026, 5, 4)
    )
    first = assess(found, 2025, "poor")
    assert first.unit_id == personas.commune_a.pk
    services.assessment_correct(
        assessment=first,
        survey=NEAR_POOR,
        on=dt.date(2026, 2, 10),
        reason="Nhập sai thu nhập",
    )
    services.request_receive(
        household=found,
        received_on=dt.date(2026, 6, 1),
        asks="leave",
        reason="Đã có việc làm ổn định",
    )
    shown = page(personas.client("official_a"), url_of(found))  # A keeps the history
    # Places over time: A until 3 May 2026, then B.
    assert "Phường Thuận Hóa" in shown and "Phường Vỹ Dạ" in shown
    assert "03/05/2026" in shown and "04/05/2026" in shown
    assert "Chuyển đến" in shown
    # The 2025 result now in force, with its explanation in words, and the correction.
    assert "Hộ cận nghèo" in shown
    assert escape(services.explain(found.assessments.get(superseded_on__isnull=True))) in shown
    assert "từ ngày 10/02/2026" in shown and "Nhập sai thu nhập" in shown
    assert "Hộ nghèo → <strong>Hộ cận nghèo</strong>" in shown
    # The request and the timeline.
    assert "Công nhận thoát nghèo, thoát cận nghèo" in shown
    for label in ("Lập hộ", "Thêm thành viên", "Chuyển nơi cư trú", "Đính chính kết quả rà soát"):
        assert label in shown


def test_members_citizen_ids_are_masked_for_officers_and_viewers(personas, spring):
    found = registry_household_of_a(personas)
    page(personas.client("viewer_a"), url_of(found), status=404)  # a viewer reads figures only
    for name in ("official_a", "leader"):
        shown = page(personas.client(name), url_of(found))
        assert mask_citizen_id(CITIZEN_ID) in shown
        assert CITIZEN_ID not in shown
        assert "Xem đầy đủ số định danh" not in shown
        asked = page(personas.client(name), url_of(found), full="1")
        assert CITIZEN_ID not in asked
        assert "không được xem đầy đủ" in asked
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("role", "unit_name"),
    [("commune_leader", "commune_a"), ("province_specialist", "province")],
)
def test_a_commune_leader_or_province_specialist_sees_the_full_id_and_it_is_logged(
    personas, spring, role, unit_name
):
    found = registry_household_of_a(personas)
    user = grant(personas, f"full_{role}", role, unit=getattr(personas, unit_name))
    client = signed_in(user)
    masked = page(client, url_of(found))
    assert CITIZEN_ID not in masked and "Xem đầy đủ số định danh" in masked
    assert not AccessLog.objects.exists()  # the masked page is not logged

    full = page(client, url_of(found), full="1")
    assert CITIZEN_ID in full
    log = AccessLog.objects.get()
    assert (log.user, log.subject_type, log.subject_id, log.what) == (
        user,
        "households.household",
        str(found.pk),
        "household_members",
    )


def test_a_commune_leader_of_b_sees_neither_the_household_nor_the_id(personas, spring):
    found = registry_household_of_a(personas)
    user = grant(personas, "leader_b", "commune_leader", unit=personas.commune_b)
    assert signed_in(user).get(url_of(found), {"full": "1"}).status_code == 404
    assert not AccessLog.objects.exists()


# --- Registering -------------------------------------------------------------------------------


def test_an_official_registers_a_household(personas, spring):
    client = personas.client("official_a")
    assert "Đăng ký hộ mới" in page(client, "/households/registry/")
    response = client.post(
        "/households/registry/new/",
        {
            "code": "RA-0200",
            "head_name": "  Hồ   Thị  Xuân ",
            "unit": personas.commune_a.pk,
            "hamlet": personas.hamlet_a.pk,
            "ethnic_minority": "on",
            "formed_on": "2027-02-01",
        },
    )
    created = Household.objects.get(code="RA-0200")
    assert response.status_code == 302 and response["Location"] == url_of(created)
    assert created.head_name == "Hồ Thị Xuân" and created.ethnic_minority
    assert created.created_by == personas.official_a
    place = created.placements.get()
    assert (place.unit, place.hamlet, place.valid_from) == (
        personas.commune_a,
        personas.hamlet_a,
        dt.date(2027, 2, 1),
    )
    assert Event.objects.filter(kind="household.formed", subject_id=str(created.pk)).exists()


def test_a_duplicate_code_is_refused_on_the_form_and_nothing_changes(personas, spring):
    registry_household_of_a(personas)
    before = (Household.objects.count(), Placement.objects.count(), Event.objects.count())
    response = personas.client("official_a").post(
        "/households/registry/new/",
        {"code": "RA-0001", "head_name": "Ai Đó", "unit": personas.commune_a.pk},
    )
    assert response.status_code == 400
    assert "Mã hộ RA-0001 đã có trong tỉnh." in response.content.decode()
    assert (Household.objects.count(), Placement.objects.count(), Event.objects.count()) == before


def test_viewers_and_the_province_leader_may_not_register(personas, spring):
    for name in ("viewer_a", "leader"):
        client = personas.client(name)
        assert "Đăng ký hộ mới" not in page(client, "/households/registry/")
        response = client.post(
            "/households/registry/new/",
            {"code": "RA-0300", "head_name": "Ai Đó", "unit": personas.commune_a.pk},
        )
        assert response.status_code == 403
    assert not Household.objects.filter(code="RA-0300").exists()


def test_official_b_cannot_register_a_household_in_commune_a(personas, spring):
    response = personas.client("official_b").post(
        "/households/registry/new/",
        {"code": "RA-0301", "head_name": "Ai Đó", "unit": personas.commune_a.pk},
    )
    assert response.status_code == 400
    assert not Household.objects.filter(code="RA-0301").exists()


# --- A village head, only within his village ---------------------------------------------------


@pytest.fixture
def village_head(personas):
    return grant(personas, "truongthon_a", "village_head", hamlet=personas.hamlet_a)


@pytest.fixture
def other_village(personas):
    return hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 3", kind=HamletKind.TO_DAN_PHO
    )


def test_a_village_head_registers_a_household_in_his_village_only(
    personas, spring, village_head, other_village
):
    client = signed_in(village_head)
    form = page(client, "/households/registry/new/")
    assert "Tổ dân phố 1" in form and "Tổ dân phố 3" not in form
    ok = client.post(
        "/households/registry/new/",
        {
            "code": "RA-0400",
            "head_name": "Mai Văn Lộc",
            "unit": personas.commune_a.pk,
            "hamlet": personas.hamlet_a.pk,
        },
    )
    assert ok.status_code == 302
    no_village = client.post(
        "/households/registry/new/",
        {"code": "RA-0401", "head_name": "Mai Văn Lộc", "unit": personas.commune_a.pk},
    )
    assert no_village.status_code == 400
    assert "chỉ đăng ký hộ trong thôn, tổ của mình" in no_village.content.decode()
    other = client.post(
        "/households/registry/new/",
        {
            "code": "RA-0402",
            "head_name": "Mai Văn Lộc",
            "unit": personas.commune_a.pk,
            "hamlet": other_village.pk,
        },
    )
    assert other.status_code == 400
    assert list(
        Household.objects.filter(code__startswith="RA-04").values_list("code", flat=True)
    ) == ["RA-0400"]


def test_a_village_head_changes_households_of_his_village_and_sees_no_other(
    personas, spring, village_head, other_village
):
    mine = registry_household_of_a(personas)
    theirs = household(personas.commune_a, hamlet=other_village, code="RA-0500")
    client = signed_in(village_head)
    assert "Thêm thành viên" in page(client, url_of(mine))
    page(client, url_of(theirs), status=404)  # another village's household: not his to read
    listed = page(client, "/households/registry/")
    assert mine.code in listed and theirs.code not in listed
    assert client.get(url_of(theirs, "members/new/")).status_code == 404
    response = client.post(
        url_of(mine, "members/new/"),
        {
            "full_name": "Lê Thị Hoa",
            "birth_date": "2012-09-05",
            "sex": "female",
            "relation": "child",
        },
    )
    assert response.status_code == 302
    assert mine.members.filter(full_name="Lê Thị Hoa").exists()
    refused = client.post(url_of(theirs, "dissolve/"), {"on": "2027-02-01", "reason": "Chuyển đi"})
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.dissolved_on is None


# --- Moving, dissolving, adding a member -------------------------------------------------------


def test_an_official_moves_a_household_to_another_commune(personas, spring):
    found = registry_household_of_a(personas)
    client = personas.client("official_a")
    response = client.post(
        url_of(found, "move/"), {"unit": personas.commune_b.code, "on": "2027-01-05"}
    )
    assert response.status_code == 302
    old, new = found.placements.order_by("pk")
    assert old.valid_to == dt.date(2027, 1, 4)
    assert (new.unit, new.valid_from) == (personas.commune_b, dt.date(2027, 1, 5))
    # A still reads the history but no longer changes it; B now does.
    assert "Chuyển nơi cư trú" not in page(client, url_of(found)).split("s-places")[0]
    assert client.get(url_of(found, "move/")).status_code == 404
    assert personas.client("official_b").get(url_of(found, "move/")).status_code == 200


def test_a_move_to_an_unknown_commune_is_shown_on_the_form(personas, spring):
    found = registry_household_of_a(personas)
    response = personas.client("official_a").post(
        url_of(found, "move/"), {"unit": "99999", "on": "2027-01-05"}
    )
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị hành chính có mã &#x27;99999&#x27;" in response.content.decode()
    assert found.placements.count() == 1


def test_a_move_before_the_current_place_began_is_refused(personas, spring):
    found = household(personas.commune_a, code="RA-0600", formed_on=dt.date(2026, 6, 1))
    response = personas.client("official_a").post(
        url_of(found, "move/"), {"unit": personas.commune_b.code, "on": "2026-06-01"}
    )
    assert response.status_code == 400
    assert "Ngày chuyển phải sau ngày bắt đầu ở nơi hiện tại." in response.content.decode()
    assert found.placements.get().valid_to is None


def test_dissolving_needs_a_reason_then_ends_the_household(personas, spring):
    found = registry_household_of_a(personas)
    client = personas.client("official_a")
    empty = client.post(url_of(found, "dissolve/"), {"on": "2027-02-01", "reason": "   "})
    assert empty.status_code == 400
    found.refresh_from_db()
    assert found.dissolved_on is None

    done = client.post(
        url_of(found, "dissolve/"), {"on": "2027-02-01", "reason": "Nhập vào hộ con trai"}
    )
    assert done.status_code == 302
    found.refresh_from_db()
    assert found.dissolved_on == dt.date(2027, 2, 1)
    assert found.members.get().valid_to == dt.date(2027, 2, 1)
    shown = page(client, url_of(found))
    assert "Nhập vào hộ con trai" in shown and "Xóa hộ" in shown
    # Gone from the default list, back with "hiện cả hộ đã xóa".
    assert "RA-0001" not in page(client, "/households/registry/")
    assert "RA-0001" in page(client, "/households/registry/", dissolved="on")


NEW_MEMBER = {
    "full_name": "Lê Thị Hoa",
    "birth_date": "2012-09-05",
    "sex": "female",
    "relation": "child",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"citizen_id": "0463"},
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
            id="short-citizen-id",
        ),
        pytest.param(
            {"citizen_id": "099312000777"},
            "Mã nơi đăng ký khai sinh 099 không hợp lệ (001–096).",
            id="no-real-birth-place",
        ),
        pytest.param(
            {"citizen_id": "０４６３１２０００７７７"},
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
            id="full-width-digits",
        ),
        pytest.param(
            {"birth_date": "2027-05-05", "on": "2027-01-01"},
            "Ngày sinh không thể sau ngày vào hộ.",
            id="born-after-joining",
        ),
    ],
)
def test_a_bad_member_is_refused_with_the_reason_and_nothing_is_added(
    personas, spring, changes, message
):
    found = registry_household_of_a(personas)
    before = Member.objects.count()
    response = personas.client("official_a").post(
        url_of(found, "members/new/"), NEW_MEMBER | changes
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Member.objects.count() == before

"""The people screens: who holds a post on a date, and each person's personnel file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gandan.accounts.services import membership_grant
from gandan.core.crypto import mask_citizen_id
from gandan.core.models import AccessLog
from gandan.core.testing.personas import PASSWORD
from gandan.officials.access import may_see_full_citizen_id, may_see_full_citizen_ids
from gandan.officials.models import (
    Education,
    Grade,
    Politics,
    Position,
    PostingKind,
    QualificationKind,
    Record,
    RecordKind,
    Relative,
)
from gandan.officials.services import (
    evaluation_record,
    posting_start,
    qualification_add,
    rotation_start,
)
from gandan.officials.tests.url_matrix_people import REFORM, official_in, official_of_a

pytestmark = pytest.mark.django_db

AN_ID = "046090001234"


def commune_leader_of_a(personas):
    return membership_grant(
        username="leader_a", role="commune_leader", unit=personas.commune_a, password=PASSWORD
    ).user


def page_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_a_communes_people_with_their_citizen_id_masked(personas):
    official_of_a(personas)
    page = page_of(personas.client("official_a"), "/officials/people/")
    assert "Nguyễn Văn An" in page
    assert "1990" in page
    assert "Công chức Văn phòng HĐND và UBND" in page
    assert "Phường Thuận Hóa" in page
    assert mask_citizen_id(AN_ID) in page
    assert AN_ID not in page


def test_the_list_hides_another_communes_people(personas):
    official_of_a(personas)
    official_in(personas.commune_b, full_name="Trần Thị Bình", citizen_id="046085000002")
    page = page_of(personas.client("official_b"), "/officials/people/")
    assert "Trần Thị Bình" in page
    assert "Nguyễn Văn An" not in page


def test_a_province_leader_sees_every_commune_and_filters_by_one(personas):
    official_of_a(personas)
    official_in(personas.commune_b, full_name="Trần Thị Bình", citizen_id="046085000002")
    client = personas.client("leader")
    page = page_of(client, "/officials/people/")
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    page = page_of(client, "/officials/people/", unit=personas.commune_b.code)
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_a_commune_outside_the_scope_is_refused_and_ignored(personas):
    official_of_a(personas)
    page = page_of(
        personas.client("official_a"), "/officials/people/", unit=personas.commune_b.code
    )
    assert "trong phạm vi của bạn" in page
    assert "Nguyễn Văn An" in page


def test_even_a_commune_leader_reads_masked_ids_in_the_list(personas):
    official_of_a(personas)
    client = personas.client("official_a")
    client.force_login(commune_leader_of_a(personas))
    page = page_of(client, "/officials/people/")
    assert AN_ID not in page and mask_citizen_id(AN_ID) in page  # full: on the file only
    assert not AccessLog.objects.exists()


def test_the_search_ignores_diacritics_and_case(personas):
    official_of_a(personas)
    official_in(personas.commune_a, full_name="Trần Thị Bình", citizen_id="046085000002")
    page = page_of(personas.client("official_a"), "/officials/people/", q="NGUYEN van   an")
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page


def test_the_category_filter_keeps_one_group(personas):
    official_of_a(personas)  # a civil servant
    official_in(
        personas.commune_a,
        full_name="Lê Văn Cường",
        citizen_id="046085000003",
        position="committee_chair",
    )
    page = page_of(personas.client("official_a"), "/officials/people/", category="cadre")
    assert "Lê Văn Cường" in page and "Nguyễn Văn An" not in page


def test_the_list_is_as_of_a_date(personas):
    official_in(personas.commune_a, since=dt.date(2026, 1, 1))
    client = personas.client("official_a")
    assert "Nguyễn Văn An" not in page_of(client, "/officials/people/", as_of="2025-12-31")
    assert "Nguyễn Văn An" in page_of(client, "/officials/people/", as_of="02/01/2026")


def test_a_malformed_date_is_explained_and_today_is_used(personas):
    official_of_a(personas)
    page = page_of(personas.client("official_a"), "/officials/people/", as_of="31/02/2026")
    assert "Ngày không hợp lệ" in page
    assert timezone.localdate().strftime("%d/%m/%Y") in page
    assert "Nguyễn Văn An" in page


def test_anonymous_visitors_are_sent_to_sign_in(personas):
    response = personas.client("anonymous").get("/officials/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _many(personas, count):
    for n in range(count):
        official_in(
            personas.commune_a,
            full_name=f"Nguyễn Văn Số {n:02d}",
            citizen_id=f"0460900{n:05d}",
        )


def test_the_list_pages_fifty_people_at_a_time(personas):
    _many(personas, 51)
    client = personas.client("official_a")
    first = page_of(client, "/officials/people/", q="nguyen")
    assert "51 người" in first
    assert first.count('href="/officials/') >= 50
    assert "Nguyễn Văn Số 49" in first and "Nguyễn Văn Số 50" not in first
    assert "q=nguyen&amp;page=2" in first
    second = page_of(client, "/officials/people/", q="nguyen", page=2)
    assert "Nguyễn Văn Số 50" in second and "Nguyễn Văn Số 00" not in second


def test_the_list_costs_the_same_queries_for_one_person_or_a_full_page(
    personas, django_assert_max_num_queries
):
    client = personas.client("leader")
    _many(personas, 1)
    with CaptureQueriesContext(connection) as one:
        page_of(client, "/officials/people/")
    for n in range(55):
        official_in(personas.commune_b, full_name=f"Trần Thị {n:02d}", citizen_id=f"0460850{n:05d}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = page_of(client, "/officials/people/")
    assert "56 người" in page


def test_the_page_rule_for_full_ids_agrees_with_the_single_person_rule(personas):
    a = official_of_a(personas)
    b = official_in(personas.commune_b, full_name="Trần Thị Bình", citizen_id="046085000002")
    leader_a = commune_leader_of_a(personas)
    for user in (leader_a, personas.official_a, personas.viewer_a, personas.leader):
        expected = {o.pk for o in (a, b) if may_see_full_citizen_id(user, o)}
        assert may_see_full_citizen_ids(user, [a.pk, b.pk]) == expected
    assert may_see_full_citizen_ids(leader_a, [a.pk, b.pk]) == {a.pk}


# --- The personnel file --------------------------------------------------------------------------


@pytest.fixture
def full_file(personas):
    """A person with something in every group of the file."""
    person = official_of_a(personas)
    legacy_ward = personas.commune_a.predecessor_links.first().predecessor
    posting_start(
        official=person,
        position=Position.objects.get(code="office_statistics", valid_from=None),
        unit=legacy_ward,
        kind=PostingKind.RECRUITED,
        valid_from=dt.date(2015, 3, 1),
    )
    qualification_add(
        official=person,
        kind=QualificationKind.EDUCATION,
        level=Education.UNIVERSITY,
        awarded_on=dt.date(2012, 6, 30),
        field="Luật",
        institution="Trường Đại học Luật, Đại học Huế",
    )
    qualification_add(
        official=person,
        kind=QualificationKind.POLITICS,
        level=Politics.INTERMEDIATE,
        awarded_on=dt.date(2019, 12, 1),
    )
    posting_start(
        official=person,
        position=Position.objects.get(code="committee_vice_chair", valid_from=REFORM),
        unit=personas.commune_a,
        kind=PostingKind.APPOINTED,
        valid_from=dt.date(2026, 2, 1),
        salary_grade="Chuyên viên chính, bậc 2/8",
    )
    evaluation_record(official=person, unit=personas.commune_a, year=2025, grade=Grade.GOOD)
    Relative.objects.create(
        official=person, relation="Mẹ", full_name="Phạm Thị Lan", birth_year=1962
    )
    Record.objects.create(
        official=person,
        kind=RecordKind.AWARD,
        decided_on=dt.date(2024, 12, 20),
        text="Giấy khen của Chủ tịch UBND thành phố",
    )
    return person


def test_the_file_shows_every_group_of_the_personnel_file(personas, full_file):
    page = page_of(personas.client("official_a"), f"/officials/{full_file.pk}/")
    for heading in (
        "Thông tin cá nhân",
        "Quan hệ gia đình",
        "Quá trình công tác",
        "Bổ nhiệm, luân chuyển",
        "Đào tạo, bồi dưỡng và lý luận chính trị",
        "Chức danh và lương hiện nay",
        "Đánh giá, xếp loại hằng năm",
        "Khen thưởng, kỷ luật",
    ):
        assert heading in page, heading
    assert "17/05/1990" in page and "Kinh" in page
    assert "Phạm Thị Lan" in page
    assert "Đại học" in page and "Trung cấp" in page  # level labels, not codes
    assert "Chuyên viên, bậc 3/9" in page
    assert "Hoàn thành tốt nhiệm vụ" in page and "Nghị định 90/2020" in page  # the explanation
    assert "Giấy khen của Chủ tịch UBND thành phố" in page
    assert "Phó Chủ tịch Ủy ban nhân dân" in page  # appointed
    assert "Chưa có thông tin" not in page


def test_a_rotation_shows_in_the_file_and_opens_it_to_both_communes(personas):
    person = official_of_a(personas)
    rotation_start(
        official=person,
        to_unit=personas.commune_b,
        position=Position.objects.get(code="committee_vice_chair", valid_from=REFORM),
        start=dt.date(2026, 1, 1),
        planned_end=dt.date(2029, 1, 1),
    )
    for persona in ("official_a", "official_b"):
        page = page_of(personas.client(persona), f"/officials/{person.pk}/")
        assert "Luân chuyển" in page
        assert "01/01/2029" in page and "Phường Vỹ Dạ" in page
        assert "31/12/2025" in page  # the post in A ended the day before


def test_the_work_history_is_newest_first(personas, full_file):
    page = page_of(personas.client("official_a"), f"/officials/{full_file.pk}/")
    history = page[page.index("Quá trình công tác") : page.index("Bổ nhiệm, luân chuyển")]
    assert history.index("01/02/2026") < history.index("01/07/2025") < history.index("01/03/2015")
    assert "30/06/2025" in page  # the legacy posting ended with its ward


def test_an_empty_file_says_so_in_each_group(personas):
    page = page_of(personas.client("official_a"), f"/officials/{official_of_a(personas).pk}/")
    # Family, rotations, training, grades, awards: five empty groups, each saying so.
    assert page.count("Chưa có thông tin") == 5


def test_the_file_masks_the_citizen_id_unless_the_role_manages_it(personas):
    person = official_of_a(personas)
    assert personas.client("viewer_a").get(f"/officials/{person.pk}/").status_code == 404
    page = page_of(personas.client("official_a"), f"/officials/{person.pk}/")
    assert mask_citizen_id(AN_ID) in page and AN_ID not in page
    client = personas.client("anonymous")
    client.force_login(commune_leader_of_a(personas))
    assert AN_ID in page_of(client, f"/officials/{person.pk}/")


def test_every_view_of_a_file_is_logged_with_who_and_which_file(personas):
    person = official_of_a(personas)
    client = personas.client("official_a")
    page_of(client, f"/officials/{person.pk}/")
    page_of(client, f"/officials/{person.pk}/")
    rows = AccessLog.objects.filter(what="personnel_file")
    assert rows.count() == 2
    assert {(r.user_id, r.subject_type, r.subject_id, r.province_code) for r in rows} == {
        (personas.official_a.pk, "officials.official", str(person.pk), "46")
    }


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_another_communes_official_gets_a_404_and_leaves_no_log_row(personas, suffix):
    person = official_of_a(personas)
    response = personas.client("official_b").get(f"/officials/{person.pk}/{suffix}")
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_the_screens_link_list_to_file_to_pdf(personas):
    person = official_of_a(personas)
    client = personas.client("official_a")
    assert f'href="/officials/{person.pk}/"' in page_of(client, "/officials/people/")
    page = page_of(client, f"/officials/{person.pk}/")
    assert f'href="/officials/{person.pk}/pdf/"' in page
    assert 'href="/officials/people/"' in page


def test_the_screen_narrows_the_list_to_a_province_by_its_code_as_the_api_does(personas):
    official_of_a(personas)
    official_in(personas.commune_b, full_name="Trần Thị Bình", citizen_id="046085000002")
    page = page_of(personas.client("leader"), "/officials/people/", unit="46")
    assert 'role="alert"' not in page
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page

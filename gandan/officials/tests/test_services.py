"""Writes of the officials registry: what they accept, what they refuse, and that refusals change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gandan.core.models import Event
from gandan.geo import selectors as geo
from gandan.officials import services
from gandan.officials.models import Education, Grade, Official, Posting, PostingKind, Qualification
from gandan.officials.tests.factories import official, position

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
OLD = dt.date(2018, 6, 30)


def test_the_citizen_id_is_encrypted_at_rest_and_unique(thuan_hoa):
    from django.db import connection

    person = official(name="Trần Thị Bình", sex="female")
    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_id FROM officials_official WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert person.citizen_id not in stored
    assert Official.objects.get(pk=person.pk).citizen_id == person.citizen_id
    with pytest.raises(ValidationError, match="đã có trong hệ thống"):
        services.official_create(
            full_name="Ai Đó",
            birth_date=dt.date(1990, 1, 1),
            sex="male",
            citizen_id=person.citizen_id,
            province_code="46",
        )


@pytest.mark.parametrize("bad", ["12345", "04608000000A", "000123456789", "0460800000001"])
def test_a_malformed_citizen_id_is_refused_and_nothing_saved(bad):
    with pytest.raises(ValidationError) as error:
        services.official_create(
            full_name="Lê Văn C",
            birth_date=dt.date(1985, 1, 1),
            sex="male",
            citizen_id=bad,
            province_code="46",
        )
    assert "citizen_id" in error.value.message_dict
    assert not Official.objects.exists()


def test_an_unknown_qualification_code_is_refused():
    person = official()
    with pytest.raises(ValidationError, match="không có trong danh mục"):
        services.qualification_add(
            official=person, kind="education", level=9, awarded_on=dt.date(2005, 1, 1)
        )
    with pytest.raises(ValidationError, match="Loại trình độ"):
        services.qualification_add(
            official=person, kind="tiếng lóng", level=1, awarded_on=dt.date(2005, 1, 1)
        )
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    ("code", "kind", "valid_from", "valid_to", "message"),
    [
        pytest.param(
            "office_staff",
            PostingKind.RECRUITED,
            TODAY,
            TODAY - dt.timedelta(days=1),
            "sau ngày bắt đầu",
            id="dates-in-the-wrong-order",
        ),
        pytest.param(
            "committee_chair",
            PostingKind.ELECTED,
            OLD,
            None,
            "không tồn tại vào ngày 30/06/2018",
            id="unit-that-did-not-exist-that-day",
        ),
    ],
)
def test_a_posting_its_dates_do_not_allow_is_refused(
    thuan_hoa, code, kind, valid_from, valid_to, message
):
    person = official()
    with pytest.raises(ValidationError, match=message):
        services.posting_start(
            official=person,
            position=position(code, valid_from),
            unit=thuan_hoa,
            kind=kind,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    assert not Posting.objects.exists()


def test_a_single_holder_position_cannot_have_two_holders_at_once(thuan_hoa):
    chair = position("committee_chair", TODAY)
    first, second = official(name="Người Thứ Nhất"), official(name="Người Thứ Hai")
    services.posting_start(
        official=first,
        position=chair,
        unit=thuan_hoa,
        kind=PostingKind.ELECTED,
        valid_from=dt.date(2025, 7, 1),
    )
    with pytest.raises(ValidationError, match="chỉ có một người giữ; Người Thứ Nhất"):
        services.posting_start(
            official=second,
            position=chair,
            unit=thuan_hoa,
            kind=PostingKind.ELECTED,
            valid_from=TODAY,
        )
    assert Posting.objects.count() == 1
    # Once the first holder's post ends, the second may take it.
    services.posting_end(posting=Posting.objects.get(), valid_to=TODAY - dt.timedelta(days=1))
    services.posting_start(
        official=second, position=chair, unit=thuan_hoa, kind=PostingKind.ELECTED, valid_from=TODAY
    )
    assert Posting.objects.count() == 2


def test_a_posting_is_closed_at_the_end_of_its_unit():
    legacy = geo.unit_by_code("19789", as_of=OLD)
    person = official()
    posting = services.posting_start(
        official=person,
        position=position("committee_chair", OLD),
        unit=legacy,
        kind=PostingKind.ELECTED,
        valid_from=dt.date(2016, 7, 1),
    )
    assert posting.valid_to == dt.date(2025, 6, 30)
    assert Event.objects.filter(kind="posting.started", subject_id=str(posting.pk)).exists()


def test_history_answers_who_held_what_where_on_a_date(thuan_hoa):
    from gandan.officials.selectors import postings_on

    legacy = geo.unit_by_code("19789", as_of=OLD)
    person = official()
    services.posting_start(
        official=person,
        position=position("committee_chair", OLD),
        unit=legacy,
        kind=PostingKind.ELECTED,
        valid_from=dt.date(2016, 7, 1),
    )
    services.posting_start(
        official=person,
        position=position("committee_chair", TODAY),
        unit=thuan_hoa,
        kind=PostingKind.ELECTED,
        valid_from=dt.date(2025, 7, 1),
    )
    hue_then = geo.unit_by_code("46", as_of=OLD)
    hue_now = geo.unit_by_code("46", as_of=TODAY)
    assert [p.unit for p in postings_on(hue_then, OLD)] == [legacy]
    assert [p.unit for p in postings_on(hue_now, TODAY)] == [thuan_hoa]


def test_a_rotation_must_last_36_months_and_ends_the_current_post(thuan_hoa):
    vy_da = geo.unit_by_code("19777", as_of=TODAY)
    person = official(home=thuan_hoa)
    services.posting_start(
        official=person,
        position=position("party_deputy", TODAY),
        unit=thuan_hoa,
        kind=PostingKind.ELECTED,
        valid_from=dt.date(2025, 7, 1),
    )
    with pytest.raises(ValidationError, match="tối thiểu 36 tháng"):
        services.rotation_start(
            official=person,
            to_unit=vy_da,
            position=position("party_secretary", TODAY),
            start=TODAY,
            planned_end=dt.date(2028, 1, 1),
        )
    assert Posting.objects.count() == 1
    rotation = services.rotation_start(
        official=person,
        to_unit=vy_da,
        position=position("party_secretary", TODAY),
        start=TODAY,
        planned_end=dt.date(2029, 3, 2),
    )
    assert rotation.from_unit == thuan_hoa
    assert rotation.posting.kind == PostingKind.ROTATED_IN
    assert Posting.objects.get(unit=thuan_hoa).valid_to == TODAY - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("general", "task", "disciplined", "grade"),
    [
        (30, 60, False, Grade.EXCELLENT),  # 90: the floor of excellent
        (29, 60, False, Grade.GOOD),  # 89
        (20, 50, False, Grade.GOOD),  # 70
        (20, 49, False, Grade.COMPLETED),  # 69
        (20, 30, False, Grade.COMPLETED),  # 50
        (20, 29, False, Grade.NOT_COMPLETED),  # 49
        (30, 70, True, Grade.NOT_COMPLETED),  # disciplined
    ],
)
def test_the_100_point_scale_from_2026_sets_the_grade(thuan_hoa, general, task, disciplined, grade):
    evaluation = services.evaluation_record(
        official=official(),
        unit=thuan_hoa,
        year=2026,
        general_score=general,
        task_score=task,
        disciplined=disciplined,
    )
    assert evaluation.grade == grade
    assert "Nghị định 335/2025" in evaluation.explanation


def test_before_2026_a_grade_is_given_and_scores_are_out_of_range_refused(thuan_hoa):
    person = official()
    evaluation = services.evaluation_record(
        official=person, unit=thuan_hoa, year=2025, grade=Grade.GOOD
    )
    assert "Nghị định 90/2020" in evaluation.explanation
    with pytest.raises(ValidationError):
        services.evaluation_record(
            official=person, unit=thuan_hoa, year=2025, grade=Grade.GOOD
        )  # twice
    with pytest.raises(ValidationError, match="từ 0 đến 30"):
        services.evaluation_record(
            official=official(name="B"), unit=thuan_hoa, year=2026, general_score=31, task_score=60
        )
    with pytest.raises(ValidationError, match="phải chấm điểm"):
        services.evaluation_record(
            official=official(name="C"), unit=thuan_hoa, year=2026, grade=Grade.GOOD
        )


def test_education_rules_use_the_highest_level_held_on_the_date():
    person = official(education=(Education.COLLEGE, dt.date(2005, 6, 1)))
    services.qualification_add(
        official=person,
        kind="education",
        level=Education.UNIVERSITY,
        awarded_on=dt.date(2021, 6, 1),
    )
    assert Qualification.objects.filter(official=person).count() == 2


def test_relatives_and_records_are_checked_and_kept():
    person = official()
    services.relative_add(official=person, relation="Vợ", full_name="Lê Thị Hoa", birth_year=1982)
    services.record_add(
        official=person, kind="award", decided_on=dt.date(2024, 12, 20), text="Giấy khen"
    )
    with pytest.raises(ValidationError):
        services.record_add(
            official=person, kind="lời khen", decided_on=dt.date(2024, 12, 20), text="?"
        )
    with pytest.raises(ValidationError):
        services.relative_add(official=person, relation="Con", full_name="A", birth_year=1800)
    assert person.relatives.count() == 1 and person.records.count() == 1


def test_every_kind_the_registry_writes_is_declared_with_a_vietnamese_label():
    from gandan.core.events import is_declared, label_of
    from gandan.officials.events import RECORD_EVENTS, OfficialEvent
    from gandan.officials.models import RecordKind

    assert set(RECORD_EVENTS) == set(RecordKind.values)
    for kind in OfficialEvent.values:
        assert is_declared(kind)
        assert label_of(kind) != kind

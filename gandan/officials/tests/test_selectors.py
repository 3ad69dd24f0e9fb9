"""Statistics, standards, staffing, Party heads and the evaluation cap, on hand-made cases."""

import datetime as dt

import pytest

from gandan.core.numbers import percent
from gandan.geo import selectors as geo
from gandan.geo.models import UnitClassification
from gandan.officials import selectors, services
from gandan.officials.models import Education, Grade, Politics, PostingKind
from gandan.officials.tests.factories import official, position

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
OLD = dt.date(2018, 6, 30)


def hold(person, code, unit, start, **kwargs):
    return services.posting_start(
        official=person,
        position=position(code, start),
        unit=unit,
        kind=PostingKind.ELECTED,
        valid_from=start,
        **kwargs,
    )


def test_statistics_count_degrees_held_on_the_date_and_round_half_up(thuan_hoa):
    start = dt.date(2025, 7, 1)
    a = official(
        name="A",
        education=(Education.UNIVERSITY, dt.date(2004, 1, 1)),
        politics=(Politics.INTERMEDIATE, dt.date(2010, 1, 1)),
    )
    b = official(name="B", education=(Education.COLLEGE, dt.date(2004, 1, 1)))
    c = official(
        name="C", education=(Education.MASTER, dt.date(2026, 6, 1))
    )  # degree after the date
    hold(a, "committee_chair", thuan_hoa, start)
    hold(b, "committee_vice_chair", thuan_hoa, start)
    hold(c, "committee_vice_chair", thuan_hoa, start)
    stats = selectors.statistics(geo.unit_by_code("46", as_of=TODAY), TODAY)
    assert stats["cadres"]["count"] == 3
    assert stats["cadres"]["university"] == 1
    assert stats["cadres"]["university_pct"] == 33.3
    assert stats["cadres"]["college_pct"] == 33.3
    assert stats["cadres"]["politics_intermediate_plus_pct"] == 33.3
    later = selectors.statistics(thuan_hoa, dt.date(2026, 7, 1))
    assert later["cadres"]["university"] == 2  # C's master's degree counts from its date
    assert stats["by_sex"]["cadre"] == {"Nam": 3}
    assert percent(2, 3) == 66.7 and percent(1, 8) == 12.5 and percent(0, 0) == 0.0


def test_statistics_of_commune_b_do_not_count_commune_a(thuan_hoa):
    hold(official(), "committee_chair", thuan_hoa, dt.date(2025, 7, 1))
    vy_da = geo.unit_by_code("19777", as_of=TODAY)
    assert selectors.statistics(vy_da, TODAY)["cadres"]["count"] == 0


def test_the_standards_check_lists_what_is_missing_and_the_deadline():
    legacy = geo.unit_by_code("19789", as_of=OLD)
    day = dt.date(2024, 1, 1)
    ok = official(
        name="Đạt Chuẩn",
        education=(Education.UNIVERSITY, dt.date(2004, 1, 1)),
        politics=(Politics.INTERMEDIATE, dt.date(2010, 1, 1)),
    )
    short = official(name="Chưa Đạt", education=(Education.COLLEGE, dt.date(2004, 1, 1)))
    hold(ok, "committee_chair", legacy, dt.date(2021, 7, 1))
    hold(short, "committee_vice_chair", legacy, dt.date(2021, 7, 1))
    gaps = selectors.standards_gaps(legacy, day)
    assert [g.posting.official.full_name for g in gaps] == ["Chưa Đạt"]
    assert gaps[0].deadline == dt.date(2028, 8, 1)
    assert any("cần đại học, có cao đẳng" in m for m in gaps[0].missing)
    assert any("lý luận chính trị" in m for m in gaps[0].missing)
    assert "Nghị định 33/2023" in gaps[0].source


def test_a_leader_first_appointed_too_close_to_retirement_is_flagged(thuan_hoa):
    # A man born in 1965 retires in 2026/27 under Decree 135/2020: not a full 60-month term from 2025.
    old_hand = official(
        name="Sắp Nghỉ Hưu",
        birth_date=dt.date(1965, 3, 1),
        education=(Education.UNIVERSITY, dt.date(1990, 1, 1)),
        politics=(Politics.ADVANCED, dt.date(2000, 1, 1)),
    )
    hold(old_hand, "committee_chair", thuan_hoa, dt.date(2025, 7, 1))
    gaps = selectors.standards_gaps(thuan_hoa, TODAY)
    assert any("60 tháng" in m for m in gaps[0].missing)
    assert selectors.retirement_date(dt.date(1965, 3, 1), "male") == dt.date(
        2026, 9, 1
    )  # 61 years 6 months


def test_staffing_compares_filled_posts_with_the_quota_of_the_class():
    legacy = geo.unit_by_code("19789", as_of=OLD)
    UnitClassification.objects.create(
        unit=legacy, classification="III", source="test", valid_to=dt.date(2025, 6, 30)
    )
    day = dt.date(2024, 1, 1)
    for index in range(3):
        hold(official(name=f"Người {index}"), "committee_vice_chair", legacy, dt.date(2021, 7, 1))
    rows = {r.group: r for r in selectors.staffing(legacy, day)}
    assert legacy.type == "phuong"
    assert rows["cbcc"].quota == 19  # ward, class III, Decree 33/2023
    assert (rows["cbcc"].filled, rows["cbcc"].vacant, rows["cbcc"].over) == (3, 16, 0)
    assert rows["part_time_commune"].quota == 10


def test_party_heads_local_or_not_and_more_than_two_terms():
    legacy = geo.unit_by_code("19789", as_of=OLD)
    current = geo.unit_by_code("19789", as_of=TODAY)
    local = official(name="Người Địa Phương", home=legacy)
    hold(local, "party_secretary", legacy, dt.date(2010, 7, 1))
    hold(local, "party_secretary", current, dt.date(2025, 7, 1))
    heads = selectors.party_heads(current, TODAY)
    assert heads[0]["local"] is True  # home commune is a predecessor of the current one
    assert heads[0]["tenure_months"] > 120
    assert [
        item["posting"].official.full_name for item in selectors.long_tenure(current, TODAY)
    ] == ["Người Địa Phương"]


def test_the_excellent_cap_is_checked_per_commune(thuan_hoa):
    people = [official(name=f"P{i}") for i in range(6)]
    grades = [Grade.EXCELLENT, Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.COMPLETED]
    for person, grade in zip(people, grades, strict=True):
        services.evaluation_record(official=person, unit=thuan_hoa, year=2025, grade=grade)
    row = selectors.evaluation_summary(thuan_hoa, 2025)[0]
    assert (row["excellent"], row["good"], row["excellent_allowed"]) == (2, 3, 1)  # 20 % of 5
    assert row["over_cap"] is True


def test_village_paid_titles_are_capped_per_village(thuan_hoa):
    from gandan.geo.services import hamlet_create

    first = hamlet_create(commune=thuan_hoa, name="Tổ dân phố 1", kind="to_dan_pho")
    hamlet_create(commune=thuan_hoa, name="Tổ dân phố 2", kind="to_dan_pho")
    start = dt.date(2025, 7, 1)
    for code in ["hamlet_party_secretary", "hamlet_head", "hamlet_front_head"]:
        hold(official(name=code), code, thuan_hoa, start, hamlet=first)
    rows = {r.group: r for r in selectors.staffing(thuan_hoa, TODAY)}
    village = rows["hamlet_paid_titles"]
    assert (village.quota, village.filled, village.vacant, village.over) == (6, 3, 3, 0)

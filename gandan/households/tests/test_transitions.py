"""Transitions computed from small hand-made histories: every flow, the identity that ties
them, moves, a household that left, and a year counted under the units of a later date."""

import datetime as dt

import pytest

from gandan.geo import selectors as geo
from gandan.geo.models import Lineage
from gandan.households import selectors, services
from gandan.households.tests.factories import assess, history, household

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def a():
    return geo.unit_by_code("19789", as_of=TODAY)


@pytest.fixture
def b():
    return geo.unit_by_code("19777", as_of=TODAY)


def flows(report):
    return {
        k: report[k] for k in ("poor_start", "escaped", "left", "fell_back", "newly_poor", "poor")
    }


def identity_holds(report):
    return report["poor"] == (
        report["poor_start"]
        - report["escaped"]
        - report["left"]
        - report["moved_out"]
        + report["fell_back"]
        + report["newly_poor"]
        + report["moved_in"]
    ) and report["near_poor"] == (
        report["near_poor_start"]
        - report["near_poor_escaped"]
        - report["near_poor_left"]
        - report["near_poor_moved_out"]
        + report["near_poor_fell_back"]
        + report["newly_near_poor"]
        + report["near_poor_moved_in"]
    )


def test_each_flow_of_the_poor_list(a):
    stays = household(a)
    history(stays, {2025: "poor", 2026: "poor", 2027: "poor"})
    escapes = household(a)
    history(escapes, {2026: "poor", 2027: "not_poor"})
    escapes_silently = household(a)  # not surveyed again: not on the list at the end
    history(escapes_silently, {2026: "poor"})
    falls_back_after_two_years = household(a)
    history(falls_back_after_two_years, {2025: "poor", 2026: "near_poor", 2027: "poor"})
    new = household(a)
    history(new, {2026: "near_poor", 2027: "poor"})
    leaves = household(a)
    history(leaves, {2026: "poor"})
    services.household_dissolve(
        household=leaves, on=dt.date(2027, 5, 1), reason="Cả hộ chuyển đi nước ngoài"
    )
    household(a)  # never poor, counted in the households only

    report = selectors.poverty_report(a, 2027)
    assert flows(report) == {
        "poor_start": 4,  # stays, escapes, escapes_silently, leaves
        "escaped": 2,
        "left": 1,
        "fell_back": 1,
        "newly_poor": 1,
        "poor": 3,
    }
    assert report["households"] == 6  # the one that left is no longer registered
    assert report["poor_rate"] == 50.0
    assert identity_holds(report)
    # The near-poor list: the falling-back household left it for the poor list, the new one too.
    assert report["near_poor_start"] == 2 and report["near_poor_escaped"] == 2
    assert report["near_poor"] == 0


def test_fell_back_needs_an_earlier_review_and_never_counts_the_year_before(a):
    twice = household(a)
    history(twice, {2025: "poor", 2026: "not_poor", 2027: "poor"})
    report = selectors.poverty_report(a, 2027)
    assert (report["fell_back"], report["newly_poor"], report["poor_start"]) == (1, 0, 0)
    report_2026 = selectors.poverty_report(a, 2026)
    assert (report_2026["poor_start"], report_2026["escaped"]) == (1, 1)


def test_a_poor_household_that_moves_is_counted_out_of_one_commune_and_into_the_other(a, b):
    mover = household(a)
    history(mover, {2026: "poor"})
    services.household_move(household=mover, unit=b, on=dt.date(2027, 3, 1))
    assess(mover, 2027, "poor")
    in_a = selectors.poverty_report(a, 2027)
    in_b = selectors.poverty_report(b, 2027)
    assert (in_a["poor_start"], in_a["moved_out"], in_a["poor"], in_a["left"]) == (1, 1, 0, 0)
    assert (in_b["poor_start"], in_b["moved_in"], in_b["poor"], in_b["newly_poor"]) == (0, 1, 1, 0)
    province = selectors.poverty_report(a.parent, 2027)
    assert (
        province["poor_start"],
        province["poor"],
        province["moved_in"],
        province["moved_out"],
    ) == (1, 1, 0, 0)
    assert identity_holds(in_a) and identity_holds(in_b) and identity_holds(province)


def test_the_province_report_lists_its_communes_and_a_commune_its_villages(a, b, personas):
    h1 = household(a, hamlet=personas.hamlet_a)
    history(h1, {2026: "poor"})
    h2 = household(b, hamlet=personas.hamlet_b)
    history(h2, {2026: "near_poor"})
    household(b, hamlet=personas.hamlet_b)
    province = selectors.poverty_report(a.parent, 2026)
    rows = {row["unit"]: row for row in province["by_unit"]}
    assert len(rows) == 40  # Huế's communes as of the year
    assert (rows["19789"]["poor"], rows["19777"]["near_poor"], rows["19777"]["households"]) == (
        1,
        1,
        2,
    )
    assert (province["households"], province["poor"], province["near_poor"]) == (3, 1, 1)
    assert rows["19777"]["near_poor_rate"] == 50.0
    village = selectors.poverty_report(b, 2026)["by_unit"]
    assert [(row["name"], row["households"], row["near_poor"]) for row in village] == [
        ("Tổ dân phố 1", 2, 1)
    ]


def test_urban_rural_and_ethnic_minority_breakdowns(a):
    history(household(a, area="urban"), {2026: "poor"})
    history(household(a, area="rural", ethnic_minority=True), {2026: "poor"})
    history(household(a, area="rural", ethnic_minority=True), {2026: "near_poor"})
    household(a, area="urban")
    report = selectors.poverty_report(a, 2026)
    assert report["breakdown"]["urban"] == {
        "households": 2,
        "poor": 1,
        "poor_rate": 50.0,
        "near_poor": 0,
        "near_poor_rate": 0.0,
    }
    assert report["breakdown"]["rural"]["poor"] == 1
    assert report["breakdown"]["ethnic_minority"] == {
        "households": 2,
        "poor": 1,
        "poor_rate": 50.0,
        "near_poor": 1,
        "near_poor_rate": 50.0,
    }


def test_a_legacy_year_reported_as_of_a_later_date_counts_under_the_successor(a):
    link = (
        Lineage.objects.filter(successor=a, is_primary=True).select_related("predecessor").first()
    )
    legacy = link.predecessor
    old = household(legacy)
    history(old, {2023: "poor", 2024: "poor"})
    as_then = selectors.poverty_report(legacy.parent.parent or legacy.parent, 2024)
    assert legacy.code in {row["unit"] for row in as_then["by_unit"]} or as_then["poor"] == 1
    province_now = geo.unit_by_code("46", as_of=TODAY)
    later = selectors.poverty_report(province_now, 2024, as_of=TODAY)
    rows = {row["unit"]: row for row in later["by_unit"]}
    assert rows["19789"]["poor"] == 1 and rows["19789"]["poor_start"] == 1
    assert selectors.poverty_report(a, 2024, as_of=TODAY)["poor"] == 1


def test_the_report_leaves_the_callers_planner_settings_as_they_were(a, b):
    """The pair query turns PostgreSQL's nested loops off and raises work_mem for itself only
    (see _pair_rows): inside a caller's transaction — as in the chair's decision, which
    freezes the report — both settings must be back to what they were once the report is
    made, and the moves still paired; a larger work_mem of the caller's is never lowered."""
    from django.db import connection, transaction

    mover = household(a)
    history(mover, {2026: "poor"})
    services.household_move(household=mover, unit=b, on=dt.date(2027, 3, 1))
    assess(mover, 2027, "poor")
    postgres = connection.vendor == "postgresql"

    def settings(cursor):
        cursor.execute("SELECT current_setting('enable_nestloop'), current_setting('work_mem')")
        return cursor.fetchone()

    seen = []

    def watch(execute, sql, params, many, context):
        if postgres and "pairs AS" in sql:
            with connection.cursor() as cursor:
                seen.append(settings(cursor))
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.cursor() as cursor, connection.execute_wrapper(watch):
        if postgres:
            cursor.execute("SET LOCAL enable_nestloop = on")
            cursor.execute("SET LOCAL work_mem = '4MB'")
        in_b = selectors.poverty_report(b, 2027)
        if postgres:
            assert seen[-1] == ("off", selectors.PAIR_WORK_MEM)
            assert settings(cursor) == ("on", "4MB")
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute("SET LOCAL work_mem = '1GB'")
            selectors.poverty_report(b, 2027)
            assert seen[-1] == ("off", "1GB")
            assert settings(cursor) == ("off", "1GB")
    assert (in_b["moved_in"], in_b["poor"]) == (1, 1)


def test_years_with_data_lists_each_year_once_oldest_first(a, b):
    assert selectors.years_with_data() == []
    history(household(a), {2019: "poor", 2021: "near_poor", 2020: "not_poor"})
    history(household(b), {2021: "poor", 2017: "poor"})
    assert selectors.years_with_data() == [2017, 2019, 2020, 2021]

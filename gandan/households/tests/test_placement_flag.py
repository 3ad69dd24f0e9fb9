"""Registrations carry their household's ethnic-minority flag, which the poverty report counts
from them: every way a registration is made, or the flag changed, keeps the two in step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import OuterRef, Subquery

from gandan.geo.selectors import unit_by_code
from gandan.households import selectors, services
from gandan.households.models import Household, Placement
from gandan.households.tests.factories import household, split_off
from gandan.households.tests.import_rows import row, run

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def unit(code: str, on: dt.date = TODAY):
    return unit_by_code(code, as_of=on)


def flags(code: str) -> list[bool]:
    return list(
        Placement.objects.filter(household__code=code)
        .order_by("pk")
        .values_list("ethnic_minority", flat=True)
    )


def in_step() -> bool:
    """Every registration has its household's flag."""
    flag = Subquery(Household.objects.filter(pk=OuterRef("household_id")).values("ethnic_minority"))
    return not Placement.objects.exclude(ethnic_minority=flag).exists()


def test_a_new_household_and_its_moves_carry_its_flag():
    created = household(unit("19789"), code="H001", ethnic_minority=True)
    services.household_move(household=created, unit=unit("19777"), on=dt.date(2026, 1, 5))
    household(unit("19789"), code="H002")
    assert flags("H001") == [True, True]
    assert flags("H002") == [False]
    assert in_step()


def test_a_split_household_takes_the_flag_of_the_household_it_left():
    origin = household(unit("19789"), code="H001", ethnic_minority=True)
    split_off(origin, "H002", dt.date(2026, 2, 1))
    assert flags("H002") == [True]


def test_the_reform_carries_the_flag_to_the_successor():
    legacy = unit("19786", dt.date(2024, 6, 1))
    household(legacy, code="H001", ethnic_minority=True)
    household(legacy, code="H002")
    assert services.households_carry_over() == 2
    assert flags("H001") == [True, True] and flags("H002") == [False, False]


def test_an_import_registers_new_households_with_the_flag_of_their_latest_row():
    report = run(
        [
            row(year="2024", commune_code="19786", ethnic_minority="1"),
            row(household_code="H002", year="2025", ethnic_minority="1"),
            row(household_code="H002", year="2026", ethnic_minority="0"),
        ]
    )
    assert report.ok, report.lines()
    assert flags("H001") == [True, True]  # the legacy ward, then the reform's successor
    assert flags("H002") == [False]
    assert in_step()


def test_an_import_that_changes_a_registered_households_flag_changes_its_registrations():
    registered = household(unit("19789"), code="H001")
    services.household_move(household=registered, unit=unit("19777"), on=dt.date(2026, 1, 5))
    report = run([row(year="2026", commune_code="19777", ethnic_minority="1")])
    assert report.ok, report.lines()
    assert Household.objects.get(code="H001").ethnic_minority is True
    assert flags("H001") == [True, True]
    # The report counts it from its registration in the commune.
    breakdown = selectors.poverty_report(unit("19777"), 2026, as_of=TODAY)["breakdown"]
    assert breakdown["ethnic_minority"]["households"] == 1

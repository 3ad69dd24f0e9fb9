"""A household keeps the commune of its latest registration (``Household.commune``), which a
commune's list reads a page at a time: every way a registration is made keeps the two in step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import OuterRef, Subquery

from gandan.geo.selectors import unit_by_code
from gandan.households import services
from gandan.households.models import LATEST_FIRST, Household, Placement
from gandan.households.tests.factories import household, split_off
from gandan.households.tests.import_rows import row, run

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def unit(code: str, on: dt.date = TODAY):
    return unit_by_code(code, as_of=on)


def commune_of(code: str) -> str | None:
    return Household.objects.filter(code=code).values_list("commune__code", flat=True).get()


def in_step() -> bool:
    """Every household's commune is that of its latest registration."""
    latest = Placement.objects.filter(household=OuterRef("pk")).order_by(*LATEST_FIRST)
    place = Subquery(latest.values("unit_id")[:1])
    return not Household.objects.annotate(place=place).exclude(commune_id=place).exists()


def test_a_household_follows_its_moves_and_keeps_its_last_commune_when_dissolved():
    created = household(unit("19789"), code="H001")
    assert created.commune_id == unit("19789").pk
    assert commune_of("H001") == "19789"
    services.household_move(household=created, unit=unit("19777"), on=dt.date(2026, 1, 5))
    assert commune_of("H001") == "19777"
    services.household_dissolve(household=created, on=dt.date(2026, 2, 1), reason="Chuyển đi")
    assert commune_of("H001") == "19777"
    assert in_step()


def test_a_split_household_lives_where_it_was_split_off():
    origin = household(unit("19789"), code="H001")
    split_off(origin, "H002", dt.date(2026, 2, 1))
    assert commune_of("H002") == "19789"
    assert in_step()


def test_the_reform_moves_households_to_the_successor():
    legacy = unit("19786", dt.date(2024, 6, 1))
    household(legacy, code="H001")
    assert commune_of("H001") == "19786"
    assert services.households_carry_over() == 1
    assert commune_of("H001") == "19789"  # Phú Hội became part of Thuận Hóa on 1 July 2025
    assert in_step()


def test_an_import_places_new_and_registered_households():
    registered = household(unit("19789"), code="H002")
    report = run(
        [
            row(year="2024", commune_code="19786"),
            row(household_code="H002", year="2026", commune_code="19777"),
        ]
    )
    assert report.ok, report.lines()
    assert commune_of("H001") == "19789"  # carried over from Phú Hội to Thuận Hóa
    assert commune_of("H002") == "19777"
    registered.refresh_from_db()
    assert registered.commune is not None and registered.commune.code == "19777"
    assert in_step()


def test_settling_again_changes_nothing_and_repairs_a_household_out_of_step():
    created = household(unit("19789"), code="H001")
    Household.objects.filter(pk=created.pk).update(commune=None)
    assert not in_step()
    assert services.households_place_settle() == Household.objects.count()
    assert commune_of("H001") == "19789"
    assert in_step()

"""What the household registry shows: the filtered list (through
:class:`gandan.households.filters.HouseholdFilter`, as the API), one household's file and its
history, and the places a user may pick from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from gandan.accounts.access import hamlets_in_scope, units_in_scope
from gandan.core.models import Event
from gandan.geo.models import Hamlet, Level, Unit
from gandan.households.models import (
    Assessment,
    Household,
    Member,
    Placement,
    ReviewRequest,
)
from gandan.households.services.common import lists_year

__all__ = [
    "ListPlaces",
    "WritePlaces",
    "household_assessments_of",
    "HouseholdRecord",
    "household_events",
    "household_members",
    "household_placements",
    "household_places_on",
    "household_record",
    "household_requests",
    "household_results",
    "list_places",
    "lists_year",
    "registry_rows",
    "write_places",
]


def registry_rows(households: QuerySet[Household], year: int) -> QuerySet[Household]:
    """The list's rows with the standing of ``year`` and where each household lives now (or
    last lived): ``standing``, ``unit_name`` and ``hamlet_name``."""
    here = Placement.objects.filter(household=OuterRef("pk")).order_by(
        F("valid_from").desc(nulls_last=True), "-pk"
    )
    results = Assessment.objects.current().filter(year=year, household=OuterRef("pk"))
    return households.annotate(
        standing=Subquery(results.order_by("-recorded_on").values("standing")[:1]),
        unit_name=Subquery(here.values("unit__name")[:1]),
        hamlet_name=Subquery(here.values("hamlet__name")[:1]),
    )


@dataclass(frozen=True)
class ListPlaces:
    """The communes and villages the list offers to choose from."""

    communes: list[Unit]
    villages_of: Unit | None  # the commune whose villages are offered
    hamlets: list[Hamlet]


def list_places(user: Any, on: dt.date, unit: Unit | None) -> ListPlaces:
    """The user's communes; the villages of the chosen one (or of the only one)."""
    communes = list(units_in_scope(user).valid_on(on).filter(level=Level.COMMUNE).order_by("name"))
    villages_of = unit or (communes[0] if len(communes) == 1 else None)
    hamlets = (
        list(hamlets_in_scope(user).valid_on(on).filter(commune=villages_of).order_by("name"))
        if villages_of is not None
        else []
    )
    return ListPlaces(communes=communes, villages_of=villages_of, hamlets=hamlets)


@dataclass(frozen=True)
class WritePlaces:
    """Where the user may register households today: communes, villages, commune-wide ids."""

    units: list[Unit]
    hamlets: list[Hamlet]
    commune_wide: set[int]

    @property
    def any(self) -> bool:
        return bool(self.units)


def write_places(user: Any, on: dt.date) -> WritePlaces:
    communes = list(units_in_scope(user, for_write=True).valid_on(on).filter(level=Level.COMMUNE))
    hamlets = list(
        hamlets_in_scope(user, for_write=True)
        .valid_on(on)
        .active()
        .select_related("commune")
        .order_by("commune__name", "name")
    )
    units = {u.pk: u for u in communes}
    for hamlet in hamlets:
        if hamlet.commune.is_valid_on(on):
            units.setdefault(hamlet.commune_id, hamlet.commune)
    return WritePlaces(
        units=sorted(units.values(), key=lambda u: u.name),
        hamlets=[h for h in hamlets if h.commune_id in units],
        commune_wide={u.pk for u in communes},
    )


# --- One household ------------------------------------------------------------------------------


def household_places_on(household_ids: list[int], on: dt.date) -> dict[int, Placement]:
    """Each household's place on ``on``, else its last place."""
    found: dict[int, Placement] = {}
    rows = (
        Placement.objects.filter(household_id__in=household_ids)
        .select_related("unit", "hamlet")
        .order_by("household_id", F("valid_from").asc(nulls_first=True), "pk")
    )
    for place in rows:
        current = found.get(place.household_id)
        if current is None or not current.is_valid_on(on):
            found[place.household_id] = place
    return found


def household_assessments_of(household_ids: list[int], year: int | None) -> dict[int, Assessment]:
    """Each household's current result of ``year``, or of its latest year."""
    rows = Assessment.objects.current().filter(household_id__in=household_ids)
    if year is not None:
        rows = rows.filter(year=year)
    return {row.household_id: row for row in rows.order_by("household_id", "year")}


@dataclass(frozen=True)
class HouseholdRecord:
    """A household's places and members, oldest first, and its results, latest year first
    (each year's current result first): what the API's household shows."""

    places: list[Placement]
    members: list[Member]
    assessments: list[Assessment]


def household_record(household: Household) -> HouseholdRecord:
    return HouseholdRecord(
        places=list(
            household.placements.select_related("unit", "hamlet").order_by(
                F("valid_from").asc(nulls_first=True), "pk"
            )
        ),
        members=list(
            household.members.order_by(F("valid_from").asc(nulls_first=True), "birth_date", "pk")
        ),
        assessments=list(
            household.assessments.select_related("standard", "unit", "hamlet").order_by(
                "-year", F("superseded_on").desc(nulls_first=True), "-recorded_on", "-pk"
            )
        ),
    )


def household_members(household: Household) -> list[Member]:
    return list(household.members.order_by("valid_to", "birth_date", "pk"))


def household_placements(household: Household) -> list[Placement]:
    return list(household.placements.select_related("unit", "hamlet").order_by("valid_from", "pk"))


def household_results(household: Household) -> list[Assessment]:
    """Every result of the household, latest year first, each year's rows oldest first."""
    return list(
        Assessment.objects.filter(household=household)
        .select_related("standard", "review", "unit", "hamlet")
        .order_by("-year", "recorded_on", "pk")
    )


def household_requests(household: Household) -> list[ReviewRequest]:
    return list(ReviewRequest.objects.filter(household=household).order_by("-received_on", "-pk"))


def household_events(subjects: list[Any]) -> tuple[list[Event], dict[int, str]]:
    """The events of ``subjects`` (model instances), oldest first, and the names of the
    villages their data names."""
    condition = Q(pk__in=[])
    for subject in subjects:
        condition |= Q(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
    events = list(Event.objects.filter(condition).select_related("actor"))
    hamlet_ids = {e.data.get("hamlet") for e in events if isinstance(e.data, dict)}
    hamlets = dict(
        Hamlet.objects.filter(pk__in=[h for h in hamlet_ids if isinstance(h, int)]).values_list(
            "pk", "name"
        )
    )
    return events, hamlets

"""Import of households' yearly review results: one row per household per review year.

Columns (the header row must name exactly these, in any order; ``docs/import-households.md``
explains each with examples)::

    household_code, commune_code, hamlet_code, year, area, income_per_capita, deprived,
    ethnic_minority, members, head_name

- ``household_code``: the household's code, unique in the province (at most 32 characters).
  A code already registered is that household; a new code creates the household.
- ``commune_code``: a commune (xã, phường, đặc khu) that exists on the review date of ``year``
  (14 December, :func:`~gandan.households.models.review_date`): a legacy code for 2024 and
  before, a current one from 2025. On the upload screen it must be in the user's scope.
- ``hamlet_code``: optional; the id of a village or residential group of that commune on that
  date (villages have no official code: the id is the number shown on the unit's page).
- ``year``: the review year; a poverty standard must apply to it. A year already decided in
  the commune (its review has the chair's decision) is locked: its rows are refused.
- ``area``: ``urban`` or ``rural`` (or ``thành thị`` / ``nông thôn``).
- ``income_per_capita``: monthly income per person in đồng, a whole number ≥ 0
  (``1500000`` or ``1.500.000``).
- ``deprived``: the codes of the indicators the household lacks, separated by ``;``, from
  that year's standard (empty: none).
- ``ethnic_minority``: ``1`` for an ethnic-minority household, ``0`` (or empty) otherwise.
- ``members``: the number of members, 1–99.
- ``head_name``: the head of household.

Rules (each tested in ``tests/test_import.py``):

- a household has at most one row per year in the file, and none for a year it already has a
  current result for in the database (corrections are dated, through the review screens);
- the household's registration follows the rows, year by year in increasing order: a row in
  another commune (or another village of the same commune) is a move from 1 January of its
  year (or the day after the registration it replaces began, or the commune's first day,
  whichever is latest) — or, across the 2025 reform, from a legacy commune to one it became
  part of, a registration "reform" from the new commune's first day. A household whose
  registration ends with its legacy commune on 30 June 2025 is carried over to the commune
  that took it over, as ``households_carry_over`` does;
- an existing registration is changed only where the user may write, never in a year before
  the household's latest result already recorded, and never on the review day of a year
  decided in the commune it leaves or joins.

The importer takes the batch path of :mod:`gandan.core.imports`: rows are checked against
caches (units by code and year, villages per commune, the province's household codes, the
results of the years in the file), then written 2,000 at a time with ``bulk_create``; the
import writes one summary event (``households.imported``) per province.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Max
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.imports import Figure, Row, bulk_insert
from gandan.core.services import event_record
from gandan.geo.models import Level, Unit
from gandan.households.events import HouseholdEvent
from gandan.households.imports.checking import RowChecks
from gandan.households.imports.registration import Registration
from gandan.households.imports.rows import (
    AREAS,
    COLUMNS,
    MAX_MEMBERS,
    HouseholdRow,
    Plan,
    fingerprint_of,
    unpack,
)
from gandan.households.models import (
    Assessment,
    Household,
    Placement,
    Standing,
    review_date,
)
from gandan.households.services import Survey, build_assessment, households_place_settle


class HouseholdsImporter(RowChecks, Registration):
    """Households' yearly review results, checked row by row, written in batches."""

    # --- writing ----------------------------------------------------------------------------

    def write(self, row: Row, parsed: HouseholdRow) -> None:
        self.write_batch([(row, parsed)])

    def write_batch(self, rows: list[tuple[Row, HouseholdRow]]) -> None:
        actor = self.context.actor
        user = acting_user(actor)
        # Households met for the first time: created (new codes) or read (registered ones).
        new: list[tuple[Plan, HouseholdRow]] = []
        known: dict[int, tuple[Plan, HouseholdRow]] = {}
        for _row, parsed in rows:
            plan = self._plans[parsed.province][parsed.code]
            if plan.household_id is not None:
                continue
            plan.household_id = -1  # being settled in this chunk
            household_id = self._province_codes(parsed.province).get(parsed.code)
            if household_id is None:
                new.append((plan, parsed))
            else:
                known[household_id] = (plan, parsed)
        self._create(new, user)
        placements: list[Placement] = []
        changed: list[Placement] = []
        # Each household's ethnic-minority flag as it stands before this chunk's updates
        # (placements carry it; ``_assess`` brings them in step when a row changes it).
        ethnic: dict[int, bool] = {}
        for plan, parsed in new:
            if fingerprint_of(parsed.head_name, parsed.ethnic_minority) != plan.last_fp:
                plan.update_row = unpack(plan.years[-1])[1]
            placements.extend(self._settle(plan, [], dissolved_on=None, latest=None))
            if plan.household_id:
                ethnic[plan.household_id] = parsed.ethnic_minority
        if known:
            self._settle_known(known, placements, changed, ethnic)
        for placement in placements:
            placement.ethnic_minority = ethnic[placement.household_id]
        bulk_insert(Placement, placements)
        for placement in placements:
            self._count_registration(placement)
        if changed:
            Placement.objects.bulk_update(
                changed, ["unit", "hamlet", "area", "reason", "valid_to", "province_code"]
            )
        households_place_settle(p.household_id for p in (*placements, *changed))
        self._assess(rows, user)

    def _create(self, new: list[tuple[Plan, HouseholdRow]], user: Any) -> None:
        """Create the new households of a chunk and note their ids in their plans."""
        if not new:
            return
        bulk_insert(
            Household,
            [
                Household(
                    code=parsed.code,
                    province_code=parsed.province,
                    head_name=parsed.head_name,
                    ethnic_minority=parsed.ethnic_minority,
                    created_by=user,
                    updated_by=user,
                )
                for _plan, parsed in new
            ],
        )
        by_province: dict[str, dict[str, Plan]] = {}
        for plan, parsed in new:
            by_province.setdefault(parsed.province, {})[parsed.code] = plan
        for province, plans in by_province.items():
            for code, pk in Household.objects.filter(
                province_code=province, code__in=list(plans)
            ).values_list("code", "pk"):
                plans[code].household_id = pk
        self.count("households", len(new))

    def _settle_known(
        self,
        known: dict[int, tuple[Plan, HouseholdRow]],
        placements: list[Placement],
        changed: list[Placement],
        ethnic: dict[int, bool],
    ) -> None:
        """Settle households already registered: their registrations and latest results."""
        ids = list(known)
        registered: dict[int, list[Placement]] = {pk: [] for pk in ids}
        for placement in Placement.objects.filter(household_id__in=ids).order_by(
            "household_id", F("valid_from").asc(nulls_first=True)
        ):
            registered[placement.household_id].append(placement)
        latest = dict(
            Assessment.objects.current()
            .filter(household_id__in=ids)
            .values("household_id")
            .annotate(last=Max("year"))
            .values_list("household_id", "last")
        )
        for pk, dissolved_on, farming, head, flag in Household.objects.filter(
            pk__in=ids
        ).values_list("pk", "dissolved_on", "farming", "head_name", "ethnic_minority"):
            plan, _parsed = known[pk]
            plan.household_id = pk
            plan.farming = farming
            ethnic[pk] = flag
            last_year = latest.get(pk)
            # The registry keeps the head and ethnicity of the latest year it knows of.
            last_row = unpack(plan.years[-1])
            if (last_year is None or last_row[0] >= last_year) and plan.last_fp != (
                fingerprint_of(head, flag)
            ):
                plan.update_row = last_row[1]
            before = {p.pk: (p.unit_id, p.hamlet_id, p.valid_to) for p in registered[pk]}
            placements.extend(
                self._settle(plan, registered[pk], dissolved_on=dissolved_on, latest=last_year)
            )
            if not plan.household_id:
                continue  # rejected: nothing of it is written
            for placement in registered[pk]:
                if placement.pk is None:
                    continue
                was = before[placement.pk]
                if was != (placement.unit_id, placement.hamlet_id, placement.valid_to):
                    changed.append(placement)
                if was[:2] != (placement.unit_id, placement.hamlet_id):
                    self._count_registration(placement)  # the reform's commune corrected

    def _assess(self, rows: list[tuple[Row, HouseholdRow]], user: Any) -> None:
        assessments: list[Assessment] = []
        renamed: list[Household] = []
        now = timezone.now()
        # build_assessment reads the household's province, farming and ethnicity, and keeps its
        # id: one object re-aimed at each row's household spares a model instance per row.
        household = Household()
        for row, parsed in rows:
            plan = self._plans[parsed.province][parsed.code]
            if not plan.household_id or plan.household_id < 0:
                continue  # the household was rejected
            hamlet_id = next(
                entry[3] for entry in map(unpack, plan.years) if entry[0] == parsed.year
            )
            household.pk = plan.household_id
            household.province_code = parsed.province
            household.farming = plan.farming
            household.ethnic_minority = parsed.ethnic_minority
            assessment = build_assessment(
                household=household,
                year=parsed.year,
                rules=self._rules[parsed.year],
                survey=Survey(
                    income_per_capita=parsed.income,
                    deprived=parsed.deprived,
                    members=parsed.members,
                ),
                unit=self._unit_by_id[parsed.unit_id],
                hamlet=None,
                area=parsed.area,
                recorded_on=min(self._today, review_date(parsed.year)),
                actor=user,
            )
            assessment.hamlet_id = hamlet_id
            assessments.append(assessment)
            self._tally[(parsed.year, assessment.standing)] += 1
            if row.number == plan.update_row:
                renamed.append(
                    Household(
                        pk=plan.household_id,
                        head_name=parsed.head_name,
                        ethnic_minority=parsed.ethnic_minority,
                        updated_by=user,
                        updated_at=now,
                    )
                )
        bulk_insert(Assessment, assessments)
        self.count("assessments", len(assessments))
        if renamed:
            Household.objects.bulk_update(
                renamed, ["head_name", "ethnic_minority", "updated_by", "updated_at"]
            )
            self.count("households_updated", len(renamed))
            # Their registrations carry the flag too (see ``Placement.ethnic_minority``).
            for flag in (True, False):
                ids = [h.pk for h in renamed if h.ethnic_minority is flag]
                if ids:
                    Placement.objects.filter(household_id__in=ids, ethnic_minority=not flag).update(
                        ethnic_minority=flag
                    )

    # --- the end ------------------------------------------------------------------------------

    def finish(self) -> None:
        years = sorted({year for year, _standing in self._tally})
        data = {
            "rows": sum(self._tally.values()),
            "years": {
                str(year): {
                    "rows": sum(n for (y, _s), n in self._tally.items() if y == year),
                    "poor": self._tally[(year, Standing.POOR)],
                    "near_poor": self._tally[(year, Standing.NEAR_POOR)],
                }
                for year in years
            },
            **{key: self.counts[key] for key in self.counter_labels},
        }
        for province in sorted(self._plans):
            unit = (
                Unit.objects.filter(level=Level.PROVINCE, code=province)
                .order_by(F("valid_from").desc(nulls_last=True))
                .first()
            )
            if unit is not None:
                event_record(
                    kind=HouseholdEvent.IMPORTED,
                    subject=unit,
                    actor=self.context.actor,
                    province_code=province,
                    data=data,
                )

    def figures(self) -> list[Figure]:
        figures = []
        for year in sorted({year for year, _standing in self._tally}):
            rows = sum(n for (y, _s), n in self._tally.items() if y == year)
            figures.append(
                Figure(
                    label=f"Năm {year}",
                    values=(
                        ("hộ", rows),
                        ("hộ nghèo", self._tally[(year, Standing.POOR)]),
                        ("hộ cận nghèo", self._tally[(year, Standing.NEAR_POOR)]),
                    ),
                )
            )
        return figures


IMPORTERS = {"households": HouseholdsImporter}

__all__ = ["AREAS", "COLUMNS", "IMPORTERS", "MAX_MEMBERS", "HouseholdRow", "HouseholdsImporter"]

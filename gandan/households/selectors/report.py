"""Reads with business meaning: the poverty report with its transitions, lists, trends.

The report is two SQL queries (households registered; the poor and near-poor of the year and
the year before, paired per household) whose small grouped results are rolled up here into the
unit's children — communes of a province, or villages of a commune. Units are taken as they
stood on ``as_of``: a year before the 2025 reform reported as of a later date counts each
legacy commune under its (primary) successor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from gandan.core.figures import Kept, computed_now, kept
from gandan.core.numbers import percent
from gandan.geo.models import Level, Unit
from gandan.households.models import (
    Assessment,
    Placement,
    PovertyStandard,
    Review,
    ReviewStatus,
    Standing,
    review_date,
)
from gandan.households.selectors.scope import NO_HAMLET, Scope, scope_for

LISTS = (Standing.POOR.value, Standing.NEAR_POOR.value)


# --- Counting ----------------------------------------------------------------------------------

FLOW_KEYS = ("start", "escaped", "left", "moved_out", "fell_back", "newly", "moved_in")


@dataclass
class Tally:
    households: int = 0
    urban: int = 0
    rural: int = 0
    ethnic_minority: int = 0
    lists: dict[str, dict[str, int]] = field(
        default_factory=lambda: {name: defaultdict(int) for name in LISTS}
    )

    def count(self, standing: str, area: str, ethnic: bool, n: int) -> None:
        lst = self.lists[standing]
        lst["total"] += n
        lst[area] += n
        if ethnic:
            lst["ethnic_minority"] += n

    def as_dict(self) -> dict[str, Any]:
        poor, near = self.lists[Standing.POOR], self.lists[Standing.NEAR_POOR]
        return {
            "households": self.households,
            "poor": poor["total"],
            "poor_rate": percent(poor["total"], self.households, 2),
            "near_poor": near["total"],
            "near_poor_rate": percent(near["total"], self.households, 2),
            "poor_start": poor["start"],
            "escaped": poor["escaped"],
            "left": poor["left"],
            "fell_back": poor["fell_back"],
            "newly_poor": poor["newly"],
            "moved_in": poor["moved_in"],
            "moved_out": poor["moved_out"],
            "near_poor_start": near["start"],
            "near_poor_escaped": near["escaped"],
            "near_poor_left": near["left"],
            "near_poor_fell_back": near["fell_back"],
            "newly_near_poor": near["newly"],
            "near_poor_moved_in": near["moved_in"],
            "near_poor_moved_out": near["moved_out"],
            "breakdown": {
                group: {
                    "households": getattr(self, group),
                    "poor": poor[group],
                    "poor_rate": percent(poor[group], getattr(self, group), 2),
                    "near_poor": near[group],
                    "near_poor_rate": percent(near[group], getattr(self, group), 2),
                }
                for group in ("urban", "rural", "ethnic_minority")
            },
        }


def _in_list(column: str, ids: list[int] | None) -> tuple[str, list[int]]:
    if ids is None:
        return "1 = 1", []  # the whole country
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _household_rows(scope: Scope, on: dt.date) -> list[tuple[Any, ...]]:
    """(commune, village, area, ethnic minority, households) registered on ``on``.

    One read of the placements' covering index (``placement_count_cover``), grouped first by
    all its columns in its own order — a stream, no sort of every placement, which at five
    times the data spilled to disk on SQLite — then the few groups by what the report needs;
    villages only when the report lists them.
    """
    where, params = _in_list("p.unit_id", scope.commune_ids)
    group = "unit_id, hamlet_id" if scope.by_hamlet else "unit_id"
    hamlet = "hamlet_id" if scope.by_hamlet else "NULL"
    sql = f"""
        SELECT unit_id, {hamlet}, area, ethnic_minority, SUM(n)
        FROM (
            SELECT p.unit_id, p.hamlet_id, p.area, p.ethnic_minority, COUNT(*) AS n
            FROM households_placement p
            WHERE (p.valid_from IS NULL OR p.valid_from <= %s)
              AND (p.valid_to IS NULL OR p.valid_to >= %s) AND {where}
            GROUP BY p.unit_id, p.valid_from, p.valid_to, p.hamlet_id, p.area, p.ethnic_minority
        ) groups
        GROUP BY {group}, area, ethnic_minority
    """  # noqa: S608 - only placeholders are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, on, *params])
        return [(*row[:4], int(row[4])) for row in cursor.fetchall()]


# PostgreSQL's work_mem for the pair query (see _pair_rows).
PAIR_WORK_MEM = "64MB"


def _pair_rows(scope: Scope, year: int, as_of: dt.date, on: dt.date) -> list[tuple[Any, ...]]:
    """The year's and the previous year's poor and near-poor, paired per household and grouped.

    Rows: (previous standing, commune, village; this year's standing, commune, village, area,
    ethnic minority; the commune and village where a household that dropped off every list is
    registered on ``on``; whether it was on this year's list in an earlier review; households).
    Villages are read only when the report lists them; where a household is registered is
    looked up (by household) only for those who dropped off every list.
    """
    where, ids = _in_list("unit_id", scope.commune_ids)
    recorded = "recorded_on <= %s AND (superseded_on IS NULL OR superseded_on > %s)"
    listed = f"year IN (%s, %s) AND standing IN ('poor', 'near_poor') AND {recorded}"
    columns = "household_id, year, standing, unit_id, hamlet_id, area, ethnic_minority"
    previous = year - 1
    hamlets = scope.by_hamlet

    def registered(column: str) -> str:
        # A household has one registration on a day (MAX only makes that a single value).
        return f"""CASE WHEN ps IS NOT NULL AND cs IS NULL THEN (
                       SELECT MAX(r.{column}) FROM households_placement r
                       WHERE r.household_id = pairs.household_id
                         AND (r.valid_from IS NULL OR r.valid_from <= %s)
                         AND (r.valid_to IS NULL OR r.valid_to >= %s)) END"""  # noqa: S608

    village = "MAX(CASE WHEN year = %s THEN hamlet_id END)"
    ph, ch = (village, village) if hamlets else ("NULL", "NULL")
    rh = registered("hamlet_id") if hamlets else "NULL"
    sql = f"""
        WITH rows AS (
            -- The unit's rows, and the other rows of its households (those who moved in or
            -- out), read apart: the unit's own rows are read once, not again to pair them.
            SELECT {columns} FROM households_assessment WHERE {listed} AND {where}
            UNION ALL
            SELECT {columns} FROM households_assessment
            WHERE {listed} AND NOT ({where}) AND household_id IN (
                SELECT household_id FROM households_assessment WHERE {listed} AND {where})
        ), pairs AS (
            SELECT household_id,
                   MAX(CASE WHEN year = %s THEN standing END) AS ps,
                   MAX(CASE WHEN year = %s THEN unit_id END) AS pu,
                   {ph} AS ph,
                   MAX(CASE WHEN year = %s THEN standing END) AS cs,
                   MAX(CASE WHEN year = %s THEN unit_id END) AS cu,
                   {ch} AS ch,
                   MAX(CASE WHEN year = %s THEN area END) AS ca,
                   MAX(CASE WHEN year = %s AND ethnic_minority THEN 1 ELSE 0 END) AS ce
            FROM rows
            GROUP BY household_id
        ), flows AS MATERIALIZED (
            SELECT ps, pu, ph, cs, cu, ch, ca, ce,
                   {registered("unit_id")} AS ru,
                   {rh} AS rh,
                   CASE WHEN cs IS NOT NULL AND (ps IS NULL OR ps <> cs) AND EXISTS (
                       SELECT 1 FROM households_assessment e
                       WHERE e.household_id = pairs.household_id AND e.year < %s
                         AND e.standing = pairs.cs AND e.recorded_on <= %s
                         AND (e.superseded_on IS NULL OR e.superseded_on > %s)
                   ) THEN 1 ELSE 0 END AS earlier
            FROM pairs
        )
        SELECT ps, pu, ph, cs, cu, ch, ca, ce, ru, rh, earlier, COUNT(*)
        FROM flows
        GROUP BY ps, pu, ph, cs, cu, ch, ca, ce, ru, rh, earlier
    """  # noqa: S608 - only placeholders are interpolated
    listed_params = [year, previous, as_of, as_of]
    params: list[Any] = [*listed_params, *ids, *listed_params, *ids, *listed_params, *ids]
    params += [previous, previous]
    if hamlets:
        params.append(previous)
    params += [year, year]
    if hamlets:
        params.append(year)
    params += [year, year, on, on]
    if hamlets:
        params += [on, on]
    params += [previous, as_of, as_of]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two settings for this query alone, put back after it (a local setting outlives
            # a savepoint: it would hold to the end of a caller's transaction):
            # - its one join (a household's rows outside the unit) must be a hash or merge
            #   join: with the statistics of before a year's lists were entered, the planner
            #   took both sides for one row and chose a nested loop that rescanned the year's
            #   rows for every row — minutes instead of a second;
            # - grouping by household needs memory in proportion to the households on the two
            #   lists (≈ 310 bytes each: 13 MB for Huế's 42,000, 65 MB at five times that),
            #   which the planner cannot foresee (it guesses 200 groups) — with the default
            #   4 MB the grouping spilled to disk at both scales. At least PAIR_WORK_MEM (hash
            #   tables may take twice work_mem), never less than the server's own setting.
            cursor.execute(
                "SELECT current_setting('enable_nestloop'), current_setting('work_mem'), "
                "set_config('enable_nestloop', 'off', true), set_config('work_mem', CASE "
                "WHEN pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s) THEN %s "
                "ELSE current_setting('work_mem') END, true)",
                [PAIR_WORK_MEM, PAIR_WORK_MEM],
            )
            nestloop, work_mem = cursor.fetchone()[:2]
            cursor.execute(sql, params)
            rows = list(cursor.fetchall())
            cursor.execute(
                "SELECT set_config('enable_nestloop', %s, true), set_config('work_mem', %s, true)",
                [nestloop, work_mem],
            )
            return rows
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _tally(scope: Scope, year: int, as_of: dt.date) -> tuple[Tally, dict[int, Tally]]:
    on = min(review_date(year), as_of)
    total = Tally()
    by_key: dict[int, Tally] = defaultdict(Tally)
    for unit_id, hamlet_id, area, ethnic, n in _household_rows(scope, on):
        key = scope.key(unit_id, hamlet_id)
        if key is None:
            continue
        for tally in (total, by_key[key]):
            tally.households += n
            if area == "urban":
                tally.urban += n
            else:
                tally.rural += n
            if ethnic:
                tally.ethnic_minority += n
    for ps, pu, ph, cs, cu, ch, ca, ce, ru, rh, earlier, n in _pair_rows(scope, year, as_of, on):
        before = scope.key(pu, ph) if ps else None
        after = scope.key(cu, ch) if cs else None
        registered = scope.key(ru, rh) if ru is not None else None
        _flows(
            total,
            ps,
            cs,
            before is not None,
            after is not None,
            ru,
            registered is not None,
            earlier,
            ca,
            ce,
            n,
        )
        keys = {k for k in (before, after, registered) if k is not None}
        for key in keys:
            _flows(
                by_key[key],
                ps,
                cs,
                before == key,
                after == key,
                ru,
                registered == key,
                earlier,
                ca,
                ce,
                n,
            )
    return total, by_key


def _flows(
    tally: Tally,
    ps: str | None,
    cs: str | None,
    was_here: bool,
    is_here: bool,
    registered_anywhere: Any,
    registered_here: bool,
    earlier: int,
    area: str | None,
    ethnic: Any,
    n: int,
) -> None:
    """Count one group of households in the lists' flows of ``tally``.

    For each list L: ``start`` = on L here in Y−1, and then exactly one of: still on L here;
    ``escaped`` (still registered here, not on L); ``left`` (registered nowhere any more);
    ``moved_out`` (on L or registered elsewhere). On L here in Y without being at the start:
    ``moved_in`` (on L elsewhere in Y−1), ``fell_back`` (on L in an earlier review) or
    ``newly`` (never on L before).
    """
    if is_here and cs is not None:
        tally.count(cs, area or "rural", bool(ethnic), n)
    for name in LISTS:
        flows = tally.lists[name]
        started = ps == name and was_here
        ends = cs == name and is_here
        if started:
            flows["start"] += n
            if ends:
                continue
            if cs == name:
                flows["moved_out"] += n
            elif cs is not None:
                flows["escaped" if is_here else "moved_out"] += n
            elif registered_here:
                flows["escaped"] += n
            elif registered_anywhere is None:
                flows["left"] += n
            else:
                flows["moved_out"] += n
        elif ends:
            if ps == name:
                flows["moved_in"] += n
            elif earlier:
                flows["fell_back"] += n
            else:
                flows["newly"] += n


def households_on_lists(unit: Unit, year: int, on: dt.date) -> list[tuple[int, int | None, str]]:
    """(household, hamlet on ``on``, standing) of the households living in ``unit`` on ``on``
    who were poor or near-poor in the review of ``year``."""
    placed = Placement.objects.valid_on(on).filter(unit=unit)
    hamlet_of = dict(placed.values_list("household_id", "hamlet_id"))
    rows = (
        Assessment.objects.recorded_on(on)
        .filter(year=year, standing__in=LISTS, household_id__in=placed.values("household_id"))
        .values_list("household_id", "standing")
    )
    return [(household, hamlet_of.get(household), standing) for household, standing in rows]


def _unit_json(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"code": unit.code, "name": unit.name, "level": unit.level}


def standard_or_none(year: int) -> PovertyStandard | None:
    return PovertyStandard.objects.filter(first_year__lte=year, last_year__gte=year).first()


def _standard_json(year: int) -> dict[str, Any] | None:
    standard = PovertyStandard.objects.filter(first_year__lte=year, last_year__gte=year).first()
    if standard is None:
        return None
    return {
        "code": standard.code,
        "name": standard.name,
        "legal_basis": standard.legal_basis,
        "period": standard.period,
        "provisional": standard.provisional,
    }


def review_progress(scope: Scope, year: int) -> dict[str, int]:
    """How many communes of the report are at each step of the year's periodic review."""
    counts = dict.fromkeys(ReviewStatus.values, 0)
    reviews = Review.objects.filter(year=year)
    if scope.commune_ids is not None:
        reviews = reviews.filter(unit_id__in=scope.commune_ids)
    for status in reviews.values_list("status", flat=True):
        counts[status] += 1
    return counts


def poverty_report(unit: Unit | None, year: int, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The poverty report of ``unit`` (None: the country) for the review of ``year``."""
    as_of = as_of or review_date(year)
    scope = scope_for(unit, as_of)
    total, by_key = _tally(scope, year, as_of)
    rows = []
    ordered = sorted(
        scope.children.items(),
        key=lambda item: (getattr(item[1], "code", ""), item[1].name, item[0]),
    )
    for key, child in ordered:
        tally = by_key.get(key, Tally())
        rows.append(
            {
                "unit": child.code if isinstance(child, Unit) else str(child.pk),
                "name": child.name,
                "level": child.level if isinstance(child, Unit) else "hamlet",
                **tally.as_dict(),
            }
        )
    if NO_HAMLET in by_key and scope.by_hamlet:
        rows.append(
            {
                "unit": "",
                "name": "Chưa gắn thôn, tổ dân phố",
                "level": "hamlet",
                **by_key[NO_HAMLET].as_dict(),
            }
        )
    return {
        "unit": _unit_json(unit),
        "year": year,
        "as_of": as_of.isoformat(),
        "standard": _standard_json(year),
        **total.as_dict(),
        "review": review_progress(scope, year),
        "by_unit": rows,
    }


def poverty_trend(
    unit: Unit | None, years: Iterable[int], *, as_of: dt.date
) -> list[dict[str, Any]]:
    """Households, poor and near-poor per year, all counted under the units of ``as_of``.

    Two queries whatever the number of years: the lists grouped by year, and one pass over
    the placements counting, for each year, those valid on its review day.
    """
    wanted = sorted(set(years) & set(years_with_data()))
    if not wanted:
        return []
    scope = scope_for(unit, as_of)
    where, params = _in_list("unit_id", scope.commune_ids)
    marks = ", ".join(["%s"] * len(wanted))
    lists_sql = f"""
        SELECT year, standing, COUNT(*) FROM households_assessment
        WHERE year IN ({marks}) AND standing IN ('poor', 'near_poor')
          AND recorded_on <= %s AND (superseded_on IS NULL OR superseded_on > %s) AND {where}
        GROUP BY year, standing
    """  # noqa: S608 - only placeholders are interpolated
    days = [min(review_date(year), as_of) for year in wanted]
    # Placements grouped by their period: a few thousand distinct periods, however many rows.
    periods_sql = f"""
        SELECT valid_from, valid_to, COUNT(*) FROM households_placement
        WHERE {where} GROUP BY valid_from, valid_to
    """  # noqa: S608 - only placeholders are interpolated
    counts: dict[tuple[int, str], int] = {}
    totals = [0] * len(days)
    with connection.cursor() as cursor:
        cursor.execute(lists_sql, [*wanted, as_of, as_of, *params])
        for year, standing, n in cursor.fetchall():
            counts[(year, standing)] = n
        cursor.execute(periods_sql, params)
        for start, end, n in cursor.fetchall():
            start, end = _as_date(start), _as_date(end)
            for index, day in enumerate(days):
                if (start is None or start <= day) and (end is None or end >= day):
                    totals[index] += n
    result = []
    for year, households in zip(wanted, totals, strict=True):
        households = int(households or 0)
        poor = counts.get((year, Standing.POOR), 0)
        near = counts.get((year, Standing.NEAR_POOR), 0)
        result.append(
            {
                "year": year,
                "households": households,
                "poor": poor,
                "poor_rate": percent(poor, households, 2),
                "near_poor": near,
                "near_poor_rate": percent(near, households, 2),
            }
        )
    return result


def _as_date(value: Any) -> dt.date | None:
    """SQLite returns dates from raw SQL as text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# The distinct years, one index seek each (``assessment_report_cover`` leads with the year)
# rather than a read of every result: a dozen years among hundreds of thousands of rows.
YEARS_SQL = """
    WITH RECURSIVE years(year) AS (
        SELECT MIN(year) FROM households_assessment
        UNION ALL
        SELECT (SELECT MIN(a.year) FROM households_assessment a WHERE a.year > years.year)
        FROM years WHERE years.year IS NOT NULL
    )
    SELECT year FROM years WHERE year IS NOT NULL
"""


def years_with_data() -> list[int]:
    """The review years with results recorded, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(YEARS_SQL)
        return [int(year) for (year,) in cursor.fetchall()]


# --- Kept figures ------------------------------------------------------------------------------


def _reads_a_province(unit: Unit | None) -> bool:
    return unit is None or unit.level != Level.COMMUNE


def _unit_or_none(unit_id: int | None) -> Unit | None:
    return None if unit_id is None else Unit.objects.get(pk=unit_id)


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def poverty_report_by_id(unit_id: int | None, year: int, as_of: str | None) -> dict[str, Any]:
    """:func:`poverty_report` with JSON parameters, as :func:`poverty_figures` keeps it."""
    return poverty_report(_unit_or_none(unit_id), year, as_of=_day(as_of))


def poverty_trend_by_id(unit_id: int | None, years: list[int], as_of: str) -> list[dict[str, Any]]:
    """:func:`poverty_trend` with JSON parameters, as :func:`poverty_trend_figures` keeps it."""
    return poverty_trend(_unit_or_none(unit_id), years, as_of=dt.date.fromisoformat(as_of))


def poverty_figures(unit: Unit | None, year: int, *, as_of: dt.date | None = None) -> Kept:
    """The poverty report the screen, its downloads and the API show, with when it was computed.

    A commune's is computed on each request (hundredths of a second, and its officers expect
    their own entries at once); a province's or a district's — the pair query over the whole
    province, about a second — is kept (``core.figures``).
    """
    if not _reads_a_province(unit):
        return computed_now(poverty_report(unit, year, as_of=as_of))
    return kept(
        poverty_report_by_id,
        unit_id=unit.pk if unit else None,
        year=year,
        as_of=as_of.isoformat() if as_of else None,
    )


def poverty_trend_figures(unit: Unit | None, years: Iterable[int], *, as_of: dt.date) -> Kept:
    """:func:`poverty_trend` as the screen shows it: kept for a province, as
    :func:`poverty_figures` (a pass over every placement and every year's lists)."""
    wanted = sorted(set(years))
    if not _reads_a_province(unit):
        return computed_now(poverty_trend(unit, wanted, as_of=as_of))
    return kept(
        poverty_trend_by_id,
        unit_id=unit.pk if unit else None,
        years=wanted,
        as_of=as_of.isoformat(),
    )

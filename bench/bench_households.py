"""Households: the province's poverty report at demo scale and 5×, a year's reclassification,
and the households import — each against a hand-written baseline in the same run.

``households`` generates Huế's households and the lists of 2015–2024 with the demo's own
generator (``gandan.households.demo._history`` after the villages) into a throw-away database
of the configured engine, analyses it (and on PostgreSQL vacuums it), then:

1. raises a line of the 2016–2020 standard and times ``assessments_reclassify(year=2017)``
   beside :data:`RECLASSIFY_SQL`, the same reclassification as one ``UPDATE … CASE`` (rolled
   back), checking that both would change the same rows; the line is then put back and the
   year reclassified again, which must give the report of before back;
2. copies the database (PostgreSQL: ``CREATE DATABASE … TEMPLATE``; SQLite: the backup API) and
   in the copy copies every household with its placements and assessments four times (new ids
   and codes, the same communes and villages): 5× the data;
3. times ``poverty_report(Huế, year)`` for 2017 and 2024 at 1× and 5× beside
   :func:`report_by_hand`, one statement written by hand (:data:`REPORT_SQL`, plus the
   standard's row) that gives the same report — every figure of the province and of each of
   its districts or communes, the review's progress and the standard — after checking that
   both are equal, value for value; and beside :data:`HEADLINE_SQL`, the earlier baseline with
   the province's headline figures only (households, poor, near-poor, the five flows of the
   poor). One worker process holds each database; both scales are timed in turn, in rounds
   (each call once to warm up, then twice), so that the growth from 1× to 5× is measured under
   the same load, like the ratios: the growth is the median of the rounds' 5×/1× (each round's
   two scales timed seconds apart), shown beside the ratio of the medians over all rounds.
   On PostgreSQL the hand-written statement runs with the ``work_mem`` the report gives its
   pair query (``selectors.PAIR_WORK_MEM``).

On PostgreSQL the session runs with ``jit = off`` for every side: with the server's default
(``jit = on``) compiling the plan of the headline query alone cost about a second, more than
running it; the report is also timed with ``jit = on``, alternating with ``jit = off``, to show
what JIT costs it.

``households_import`` writes a 300,000-row xlsx with ``bench/households_file.py``, reads it
with openpyxl's read-only mode (the floor: reading and nothing else), then runs
``gandan import households FILE`` in a child process for its time and peak memory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bench.common import Result, run_in_fresh_database

# The earlier baseline: the province's headline figures of a review year only.
# ``was_poor_here``: poor in the province last year; ``now``/``now_here``: this year's list and
# whether its commune is in the province. Escaped: still here and off the poor list; left: off
# every list and registered nowhere on the review day; fell back: poor now, not last year, but
# in an earlier year; newly poor: never before.
HEADLINE_SQL = """
WITH communes AS (
  SELECT u.id FROM geo_unit u JOIN geo_unit d ON d.id = u.parent_id
  WHERE u.level = 'commune' AND (u.parent_id = %(province)s OR d.parent_id = %(province)s)
    AND (u.valid_from IS NULL OR u.valid_from <= %(day)s)
    AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
), pairs AS (
  SELECT household_id,
    MAX(CASE WHEN year = %(previous)s AND standing = 'poor' THEN 1 ELSE 0 END) AS was_poor,
    MAX(CASE WHEN year = %(previous)s AND standing = 'poor'
              AND unit_id IN (SELECT id FROM communes) THEN 1 ELSE 0 END) AS was_poor_here,
    MAX(CASE WHEN year = %(year)s THEN standing END) AS now,
    MAX(CASE WHEN year = %(year)s AND unit_id IN (SELECT id FROM communes)
             THEN 1 ELSE 0 END) AS now_here
  FROM households_assessment
  WHERE year IN (%(year)s, %(previous)s) AND standing IN ('poor', 'near_poor')
    AND recorded_on <= %(day)s AND (superseded_on IS NULL OR superseded_on > %(day)s)
  GROUP BY household_id
), flows AS (
  SELECT was_poor, was_poor_here, now, now_here,
    CASE WHEN was_poor_here = 1 AND now IS NULL THEN (
      SELECT MAX(CASE WHEN r.unit_id IN (SELECT id FROM communes) THEN 1 ELSE 0 END)
      FROM households_placement r
      WHERE r.household_id = pairs.household_id
        AND (r.valid_from IS NULL OR r.valid_from <= %(day)s)
        AND (r.valid_to IS NULL OR r.valid_to >= %(day)s)
    ) END AS registered_here,
    CASE WHEN now_here = 1 AND now = 'poor' AND was_poor = 0 AND EXISTS (
      SELECT 1 FROM households_assessment e
      WHERE e.household_id = pairs.household_id AND e.year < %(previous)s
        AND e.standing = 'poor' AND e.recorded_on <= %(day)s
        AND (e.superseded_on IS NULL OR e.superseded_on > %(day)s)
    ) THEN 1 ELSE 0 END AS poor_before
  FROM pairs
)
SELECT
  (SELECT COUNT(*) FROM households_placement p
   WHERE p.unit_id IN (SELECT id FROM communes)
     AND (p.valid_from IS NULL OR p.valid_from <= %(day)s)
     AND (p.valid_to IS NULL OR p.valid_to >= %(day)s)),
  SUM(CASE WHEN now_here = 1 AND now = 'poor' THEN 1 ELSE 0 END),
  SUM(CASE WHEN now_here = 1 AND now = 'near_poor' THEN 1 ELSE 0 END),
  SUM(was_poor_here),
  SUM(CASE WHEN was_poor_here = 1 AND (now = 'near_poor' AND now_here = 1 OR registered_here = 1)
           THEN 1 ELSE 0 END),
  SUM(CASE WHEN was_poor_here = 1 AND now IS NULL AND registered_here IS NULL THEN 1 ELSE 0 END),
  SUM(poor_before),
  SUM(CASE WHEN now_here = 1 AND now = 'poor' AND was_poor = 0 AND poor_before = 0
           THEN 1 ELSE 0 END)
FROM flows
"""
HEADLINE_KEYS = (
    "households",
    "poor",
    "near_poor",
    "poor_start",
    "escaped",
    "left",
    "fell_back",
    "newly_poor",
)


def _list_flows(name: str, listed: str, other: str) -> list[str]:
    """The columns of one list (``listed``; ``other`` is the other list) in :data:`REPORT_SQL`.

    ``k`` is the row being counted (a district or commune; 0 for the province), ``b`` the row
    the household was on last year's list in, ``a`` the row of this year's list (-9: not on
    it here), ``r`` for those off every list the row where they are registered on the review
    day (-2: outside the province, -1: nowhere); ``ps``/``cs`` the standings ('' for none).
    """
    return [
        f"SUM(n) FILTER (WHERE a = k AND cs = {listed}) AS {name}",
        f"SUM(n) FILTER (WHERE a = k AND cs = {listed} AND ca = 'urban') AS {name}_urban",
        f"SUM(n) FILTER (WHERE a = k AND cs = {listed} AND ce = 1) AS {name}_ethnic",
        f"SUM(n) FILTER (WHERE b = k AND ps = {listed}) AS {name}_start",
        f"SUM(n) FILTER (WHERE b = k AND ps = {listed}"
        f" AND (cs = {other} AND a = k OR cs = '' AND r = k)) AS {name}_escaped",
        f"SUM(n) FILTER (WHERE b = k AND ps = {listed} AND cs = '' AND r = -1) AS {name}_left",
        f"SUM(n) FILTER (WHERE b = k AND ps = {listed} AND (cs <> '' AND a <> k"
        f" OR cs = '' AND r <> k AND r <> -1)) AS {name}_moved_out",
        f"SUM(n) FILTER (WHERE a = k AND cs = {listed} AND ps = {listed} AND b <> k)"
        f" AS {name}_moved_in",
        f"SUM(n) FILTER (WHERE a = k AND cs = {listed} AND ps <> {listed} AND earlier = 1)"
        f" AS {name}_fell_back",
        f"SUM(n) FILTER (WHERE a = k AND cs = {listed} AND ps <> {listed} AND earlier = 0)"
        f" AS {name}_newly",
    ]


_FLOW_COLUMNS = _list_flows("poor", "'poor'", "'near_poor'") + _list_flows(
    "near", "'near_poor'", "'poor'"
)
FLOW_NAMES = [column.rsplit(" AS ", 1)[1] for column in _FLOW_COLUMNS]
REVIEW_STEPS = ("listing", "surveying", "meetings", "posting", "decided")

# The whole report of a province (its districts, or its communes after the 2025 reform) in one
# statement, as a person would write it for the same output. The units: the communes standing
# on the day under the row they count in, and the communes of the era before (one reform back:
# all the lineage there is) under the commune that took them over. Households registered on
# the review day; the two years' lists paired per household, restricted to households on a
# list in the province either year; the registration looked up for those who dropped off every
# list, the earlier reviews for those who came onto one; then each household counted in the
# rows it left and joined and in the province's total.
REPORT_SQL = f"""
WITH units (id, k) AS (
  SELECT u.id, CASE WHEN u.parent_id = %(unit)s THEN u.id ELSE u.parent_id END
  FROM geo_unit u
  WHERE u.level = 'commune'
    AND u.parent_id IN (SELECT id FROM geo_unit WHERE id = %(unit)s OR parent_id = %(unit)s)
    AND (u.valid_from IS NULL OR u.valid_from <= %(as_of)s)
    AND (u.valid_to IS NULL OR u.valid_to >= %(as_of)s)
), communes (id, k) AS (
  SELECT id, k FROM units
  UNION
  SELECT l.predecessor_id, c.k FROM geo_lineage l JOIN units c ON c.id = l.successor_id
  WHERE l.is_primary
), registered AS (
  SELECT c.k, x.area, x.ethnic_minority, x.n FROM (
    SELECT p.unit_id, p.area, p.ethnic_minority, COUNT(*) AS n
    FROM households_placement p
    WHERE (p.valid_from IS NULL OR p.valid_from <= %(day)s)
      AND (p.valid_to IS NULL OR p.valid_to >= %(day)s)
      AND p.unit_id IN (SELECT id FROM communes)
    GROUP BY p.unit_id, p.area, p.ethnic_minority
  ) x JOIN communes c ON c.id = x.unit_id
), listed AS (
  SELECT household_id, year, standing, unit_id, area, ethnic_minority
  FROM households_assessment
  WHERE year IN (%(year)s, %(previous)s) AND standing IN ('poor', 'near_poor')
    AND recorded_on <= %(as_of)s AND (superseded_on IS NULL OR superseded_on > %(as_of)s)
    AND unit_id IN (SELECT id FROM communes)
  UNION ALL
  SELECT household_id, year, standing, unit_id, area, ethnic_minority
  FROM households_assessment
  WHERE year IN (%(year)s, %(previous)s) AND standing IN ('poor', 'near_poor')
    AND recorded_on <= %(as_of)s AND (superseded_on IS NULL OR superseded_on > %(as_of)s)
    AND unit_id NOT IN (SELECT id FROM communes) AND household_id IN (
      SELECT household_id FROM households_assessment
      WHERE year IN (%(year)s, %(previous)s) AND standing IN ('poor', 'near_poor')
        AND recorded_on <= %(as_of)s
        AND (superseded_on IS NULL OR superseded_on > %(as_of)s)
        AND unit_id IN (SELECT id FROM communes))
), pairs AS (
  SELECT household_id,
    COALESCE(MAX(CASE WHEN year = %(previous)s THEN standing END), '') AS ps,
    MAX(CASE WHEN year = %(previous)s THEN unit_id END) AS pu,
    COALESCE(MAX(CASE WHEN year = %(year)s THEN standing END), '') AS cs,
    MAX(CASE WHEN year = %(year)s THEN unit_id END) AS cu,
    MAX(CASE WHEN year = %(year)s THEN area END) AS ca,
    MAX(CASE WHEN year = %(year)s AND ethnic_minority THEN 1 ELSE 0 END) AS ce
  FROM listed GROUP BY household_id
), looked AS MATERIALIZED (
  SELECT ps, pu, cs, cu, ca, ce,
    CASE WHEN ps <> '' AND cs = '' THEN 1 ELSE 0 END AS looked,
    CASE WHEN ps <> '' AND cs = '' THEN (
      SELECT MAX(r.unit_id) FROM households_placement r
      WHERE r.household_id = pairs.household_id
        AND (r.valid_from IS NULL OR r.valid_from <= %(day)s)
        AND (r.valid_to IS NULL OR r.valid_to >= %(day)s)
    ) END AS ru,
    CASE WHEN cs <> '' AND ps <> cs AND EXISTS (
      SELECT 1 FROM households_assessment e
      WHERE e.household_id = pairs.household_id AND e.year < %(previous)s
        AND e.standing = pairs.cs AND e.recorded_on <= %(as_of)s
        AND (e.superseded_on IS NULL OR e.superseded_on > %(as_of)s)
    ) THEN 1 ELSE 0 END AS earlier
  FROM pairs
), keyed AS (
  SELECT ps, cs, ca, ce, COALESCE(was.k, -9) AS b, COALESCE(now.k, -9) AS a,
    CASE WHEN looked = 0 THEN -3 WHEN ru IS NULL THEN -1 ELSE COALESCE(reg.k, -2) END AS r,
    earlier, COUNT(*) AS n
  FROM looked
  LEFT JOIN communes was ON was.id = looked.pu AND looked.ps <> ''
  LEFT JOIN communes now ON now.id = looked.cu AND looked.cs <> ''
  LEFT JOIN communes reg ON reg.id = looked.ru
  WHERE was.k IS NOT NULL OR now.k IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
), levels AS (
  SELECT b AS k, ps, cs, ca, ce, b, a, r, earlier, n FROM keyed WHERE b > 0
  UNION ALL
  SELECT a, ps, cs, ca, ce, b, a, r, earlier, n FROM keyed WHERE a > 0 AND a <> b
  UNION ALL
  SELECT 0, ps, cs, ca, ce, CASE WHEN b > 0 THEN 0 ELSE b END,
    CASE WHEN a > 0 THEN 0 ELSE a END, CASE WHEN r > 0 THEN 0 ELSE r END, earlier, n
  FROM keyed
), flows AS (
  SELECT k,
    {", ".join(_FLOW_COLUMNS)}
  FROM levels GROUP BY k
), totals AS (
  SELECT k, SUM(n) AS households, SUM(CASE WHEN area = 'urban' THEN n ELSE 0 END) AS urban,
    SUM(CASE WHEN ethnic_minority THEN n ELSE 0 END) AS ethnic
  FROM registered GROUP BY k
  UNION ALL
  SELECT 0, SUM(n), SUM(CASE WHEN area = 'urban' THEN n ELSE 0 END),
    SUM(CASE WHEN ethnic_minority THEN n ELSE 0 END)
  FROM registered
), review AS (
  SELECT {", ".join(f"COUNT(*) FILTER (WHERE status = '{s}') AS {s}" for s in REVIEW_STEPS)}
  FROM households_review WHERE year = %(year)s AND unit_id IN (SELECT id FROM communes)
), rows (k, code, name, level) AS (
  SELECT id, code, name, level FROM geo_unit
  WHERE parent_id = %(unit)s
    AND (valid_from IS NULL OR valid_from <= %(as_of)s)
    AND (valid_to IS NULL OR valid_to >= %(as_of)s)
  UNION ALL
  SELECT 0, NULL, NULL, NULL
)
SELECT rows.code, rows.name, rows.level, COALESCE(t.households, 0), COALESCE(t.urban, 0),
  COALESCE(t.ethnic, 0), {", ".join(f"COALESCE(f.{c}, 0)" for c in FLOW_NAMES)},
  {", ".join(f"review.{s}" for s in REVIEW_STEPS)}
FROM rows CROSS JOIN review
LEFT JOIN totals t ON t.k = rows.k
LEFT JOIN flows f ON f.k = rows.k
ORDER BY rows.k <> 0, rows.code, rows.name, rows.k
"""  # noqa: S608 - only the column lists above are interpolated
STANDARD_SQL = """
SELECT code, name, legal_basis, period, provisional FROM households_povertystandard
WHERE first_year <= %(year)s AND last_year >= %(year)s ORDER BY first_year LIMIT 1
"""


def _figures(households: int, urban: int, ethnic: int, f: dict[str, int]) -> dict[str, Any]:
    from gandan.core.numbers import percent

    groups = {
        "urban": (urban, f["poor_urban"], f["near_urban"]),
        "rural": (households - urban, f["poor"] - f["poor_urban"], f["near"] - f["near_urban"]),
        "ethnic_minority": (ethnic, f["poor_ethnic"], f["near_ethnic"]),
    }
    return {
        "households": households,
        "poor": f["poor"],
        "poor_rate": percent(f["poor"], households, 2),
        "near_poor": f["near"],
        "near_poor_rate": percent(f["near"], households, 2),
        "poor_start": f["poor_start"],
        "escaped": f["poor_escaped"],
        "left": f["poor_left"],
        "fell_back": f["poor_fell_back"],
        "newly_poor": f["poor_newly"],
        "moved_in": f["poor_moved_in"],
        "moved_out": f["poor_moved_out"],
        "near_poor_start": f["near_start"],
        "near_poor_escaped": f["near_escaped"],
        "near_poor_left": f["near_left"],
        "near_poor_fell_back": f["near_fell_back"],
        "newly_near_poor": f["near_newly"],
        "near_poor_moved_in": f["near_moved_in"],
        "near_poor_moved_out": f["near_moved_out"],
        "breakdown": {
            group: {
                "households": h,
                "poor": p,
                "poor_rate": percent(p, h, 2),
                "near_poor": n,
                "near_poor_rate": percent(n, h, 2),
            }
            for group, (h, p, n) in groups.items()
        },
    }


def report_by_hand(unit: Any, year: int, as_of: dt.date) -> dict[str, Any]:
    """The province report of ``unit`` for ``year`` from :data:`REPORT_SQL` and the standard's
    row, shaped as ``poverty_report`` returns it (rates with the same rounding)."""
    from django.db import connection, transaction

    from gandan.households.selectors import PAIR_WORK_MEM

    day = min(dt.date(year, 12, 14), as_of)
    params = {"unit": unit.pk, "year": year, "previous": year - 1, "as_of": as_of, "day": day}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The memory the report gives its pair query, for this transaction: a fair baseline.
            cursor.execute("SELECT set_config('work_mem', %s, true)", [PAIR_WORK_MEM])
        cursor.execute(REPORT_SQL, params)
        rows = cursor.fetchall()
        cursor.execute(STANDARD_SQL, params)
        standard = cursor.fetchone()
    by_unit: list[dict[str, Any]] = []
    total: dict[str, Any] = {}
    review: dict[str, int] = {}
    for code, name, level, *values in rows:
        households, urban, ethnic, *rest = (int(v) for v in values)
        figures = _figures(households, urban, ethnic, dict(zip(FLOW_NAMES, rest, strict=False)))
        if code is None:
            total = figures
            review = dict(zip(REVIEW_STEPS, rest[len(FLOW_NAMES) :], strict=True))
        else:
            by_unit.append({"unit": code, "name": name, "level": level, **figures})
    return {
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level},
        "year": year,
        "as_of": as_of.isoformat(),
        "standard": None
        if standard is None
        else {
            **dict(zip(("code", "name", "legal_basis", "period"), standard[:4], strict=True)),
            "provisional": bool(standard[4]),
        },
        **total,
        "review": review,
        "by_unit": by_unit,
    }


# A year's reclassification by hand: the standard's lines per area in one CASE, writing only
# the rows whose standing changes.
_STANDING = """CASE
    WHEN income_per_capita <= CASE WHEN area = 'urban' THEN CAST(%(urban_lower)s AS integer)
                                   ELSE CAST(%(rural_lower)s AS integer) END THEN 'poor'
    WHEN income_per_capita <= CASE WHEN area = 'urban' THEN CAST(%(urban_upper)s AS integer)
                                   ELSE CAST(%(rural_upper)s AS integer) END
      THEN CASE WHEN deprivation_count >= %(threshold)s THEN 'poor' ELSE 'near_poor' END
    WHEN farming AND income_per_capita <= CASE WHEN area = 'urban'
                                               THEN CAST(%(urban_average)s AS integer)
                                               ELSE CAST(%(rural_average)s AS integer) END
      THEN 'average'
    ELSE 'not_poor' END"""
RECLASSIFY_SQL = f"""
UPDATE households_assessment SET standing = {_STANDING}, standard_id = %(standard)s
WHERE year = %(year)s AND province_code = %(province_code)s AND superseded_on IS NULL
  AND (standing <> {_STANDING} OR standard_id <> %(standard)s)
"""  # noqa: S608 - no values are interpolated, only the CASE above

# A worker holds one database (1× or 5×) and runs, on each line of its input, one timed call:
# the report, the same report by hand, the headline query, or the report with JIT on or off.
# The parent alternates the calls of both workers, so that a change in the machine's load
# falls on 1× and 5× alike.
_WORKER = r"""
import json, sys, time, django
django.setup()
from django.db import connection
from bench.bench_households import HEADLINE_KEYS, HEADLINE_SQL, report_by_hand
from gandan.geo.selectors import unit_by_code
from gandan.households import selectors
from gandan.households.models import review_date

def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None

postgres = connection.vendor == "postgresql"
if postgres:
    execute("SET jit = off")  # see the module docstring
for line in sys.stdin:
    command = json.loads(line)
    year = command["year"]
    day = review_date(year)
    province = unit_by_code("46", as_of=day)
    params = {"province": province.pk, "day": day, "year": year, "previous": year - 1}
    calls = {
        "report": lambda: selectors.poverty_report(province, year),
        "by_hand": lambda: report_by_hand(province, year, day),
        "headline": lambda: dict(zip(HEADLINE_KEYS, (int(x or 0) for x in execute(HEADLINE_SQL, params)[0]))),
    }
    if command["do"] == "check":
        data = calls["report"]()
        assert data == calls["by_hand"](), year  # the same report, value for value
        figures = {key: data[key] for key in HEADLINE_KEYS}
        assert figures == calls["headline"](), (year, figures)
        print(json.dumps({"figures": figures, "children": len(data["by_unit"])}), flush=True)
        continue
    if "jit" in command:
        execute(f"SET jit = {command['jit']}")
    started = time.perf_counter()
    calls[command["do"]]()
    taken = (time.perf_counter() - started) * 1000
    if "jit" in command:
        execute("SET jit = off")
    print(json.dumps({"ms": taken}), flush=True)
"""

# Every household copied four times with its placements and assessments (new ids and codes).
_COPY = r"""
import json, sys, time, django
django.setup()
from django.db import connection, transaction
from django.db.models import Max
from gandan.households.models import Assessment, Household, Placement

def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)

assert not Household.objects.exclude(split_from=None).exists()
assert not Assessment.objects.exclude(corrects=None).exists()
top = Household.objects.aggregate(top=Max("pk"))["top"]
counts_1 = {m.__name__: m.objects.count() for m in (Household, Placement, Assessment)}

def columns(model):
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]

started = time.perf_counter()
with transaction.atomic():
    for copy in range(2, 6):
        suffix = f"~{copy}"
        names = columns(Household)
        select = ", ".join("code || %s" if c == "code" else c for c in names)
        execute(f"INSERT INTO households_household ({', '.join(names)}) SELECT {select} "
                f"FROM households_household WHERE id <= %s", [suffix, top])
        for model in (Placement, Assessment):
            table, names = model._meta.db_table, columns(model)
            select = ", ".join("n.id" if c == "household_id" else f"t.{c}" for c in names)
            execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM {table} t "
                    "JOIN households_household o ON o.id = t.household_id "
                    "JOIN households_household n ON n.province_code = o.province_code AND n.code = o.code || %s "
                    "WHERE o.id <= %s", [suffix, top])
copied = time.perf_counter() - started
counts_5 = {m.__name__: m.objects.count() for m in (Household, Placement, Assessment)}
assert all(counts_5[k] == 5 * counts_1[k] for k in counts_1), (counts_1, counts_5)
execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
print(json.dumps({"copied_s": copied, "counts_1": counts_1, "counts_5": counts_5}))
"""

_SCRIPT = r"""
import json, os, shutil, sqlite3, statistics, subprocess, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
from bench.bench_households import _COPY, _WORKER, HEADLINE_KEYS, RECLASSIFY_SQL
from gandan.core.demo import DemoContext
from gandan.core.rules import load_all
from gandan.geo.demo import STAGES as GEO_STAGES
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import units_load
from gandan.households import demo, selectors, services
from gandan.households.models import Assessment, PovertyStandard, review_date
from tqdm import tqdm

repeat, years = int(sys.argv[1]), (2017, 2024)
postgres = connection.vendor == "postgresql"
units_load(); load_all()
ctx = DemoContext(scale=1.0, seed=46, out=sys.stderr)
GEO_STAGES[1].run(ctx, tqdm(disable=True))  # the villages of Huế
started = time.perf_counter(); demo._history(ctx, tqdm(disable=True)); generated = time.perf_counter() - started

def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount

# PostgreSQL: VACUUM too, as autovacuum would after a bulk load: until the visibility map is
# set, the covering indexes cannot answer without visiting the table.
execute("VACUUM ANALYZE" if postgres else "ANALYZE")
if postgres:
    execute("SET jit = off")  # see the module docstring
one_2017 = selectors.poverty_report(unit_by_code("46", as_of=review_date(2017)), 2017)

# Reclassification of 2017 after raising the rural income line of its standard by 10 %.
standard = PovertyStandard.objects.get(first_year__lte=2017, last_year__gte=2017)
line = standard.rural_upper_line
rows_2017 = Assessment.objects.filter(year=2017, province_code="46", superseded_on=None).count()

def by_hand():
    s = PovertyStandard.objects.get(pk=standard.pk)
    params = {"urban_lower": s.urban_lower_line, "rural_lower": s.rural_lower_line,
              "urban_upper": s.urban_upper_line, "rural_upper": s.rural_upper_line,
              "urban_average": s.urban_average_line, "rural_average": s.rural_average_line,
              "threshold": s.deprivation_threshold, "standard": s.pk, "year": 2017, "province_code": "46"}
    with transaction.atomic():
        t = time.perf_counter(); changed = execute(RECLASSIFY_SQL, params); taken = time.perf_counter() - t
        transaction.set_rollback(True)
    return changed, taken

def reclassify():
    t = time.perf_counter()
    counts = services.assessments_reclassify(year=2017, province_code="46")
    return counts, time.perf_counter() - t

PovertyStandard.objects.filter(pk=standard.pk).update(rural_upper_line=line * 11 // 10)
hand_changed, hand_s = by_hand()
counts, reclassify_s = reclassify()
assert counts["updated"] == hand_changed > 0, (counts, hand_changed)
changed_report = {k: selectors.poverty_report(unit_by_code("46", as_of=review_date(2017)), 2017)[k] for k in HEADLINE_KEYS}
PovertyStandard.objects.filter(pk=standard.pk).update(rural_upper_line=line)
back, back_s = reclassify()
assert back["updated"] == counts["updated"], (back, counts)
restored = selectors.poverty_report(unit_by_code("46", as_of=review_date(2017)), 2017)
assert restored == one_2017, "the reclassification back gives the report of before"
execute("VACUUM ANALYZE" if postgres else "ANALYZE")

# 5×: a copy of this database, every household then copied four times.
settings = connection.settings_dict
connection.close()
env_5 = dict(os.environ)
if postgres:
    import psycopg
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    five_name = settings["NAME"] + "_5x"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{five_name}"')
        for attempt in range(30):  # autovacuum may still be in the template for a moment
            try:
                admin.execute(f'CREATE DATABASE "{five_name}" TEMPLATE "{settings["NAME"]}"')
                break
            except psycopg.errors.ObjectInUse:
                time.sleep(1)
    env_5["DATABASE_URL"] = f"{base}/{five_name}"
else:
    five_dir = os.path.join(os.environ["GANDAN_VAR_DIR"], "five")
    os.makedirs(five_dir)
    source = sqlite3.connect(settings["NAME"]); target = sqlite3.connect(os.path.join(five_dir, "gandan.sqlite3"))
    source.backup(target); target.close(); source.close()
    env_5["GANDAN_VAR_DIR"] = five_dir

def run(script, env):
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])

class Worker:
    def __init__(self, env):
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER], env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    def __call__(self, **command):
        self.process.stdin.write(json.dumps(command) + "\n"); self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, "the worker failed"
        return json.loads(answer)
    def close(self):
        self.process.stdin.close(); self.process.wait()

def alternate(calls, rounds):
    # Rounds in which each database in turn runs every call once to warm up (not counted),
    # then twice more in rotating order: a change in the machine's load falls on every call and
    # on both scales, and neither scale is timed right after the other evicted its pages.
    # Returns each call's median and its samples round by round (for the paired growth).
    samples = {key: [[] for _ in range(rounds)] for key in calls}
    by_worker = {}
    for key, (worker, command) in calls.items():
        by_worker.setdefault(worker, []).append(key)
    for round in range(rounds):
        for worker, keys in by_worker.items():
            for key in keys:
                worker(**calls[key][1])
            for turn in range(2):
                shift = (2 * round + turn) % len(keys)
                for key in keys[shift:] + keys[:shift]:
                    samples[key][round].append(worker(**calls[key][1])["ms"])
    medians = {key: statistics.median(t for r in taken for t in r) for key, taken in samples.items()}
    return medians, samples

def paired(samples, five, one):
    # The growth round by round: the 5× call's time over the 1× call's in the same round, the
    # two timed a few seconds apart, so that a drift of the machine's load between rounds
    # (this machine's times move by ±30 % from one minute to the next) cancels out.
    return [statistics.mean(f) / statistics.mean(o) for f, o in zip(samples[five], samples[one])]

try:
    copy = run(_COPY, env_5)
    workers = {"1×": Worker(os.environ), "5×": Worker(env_5)}
    out = {"1×": {}, "5×": {}}
    try:
        for scale, worker in workers.items():
            for year in years:
                out[scale][str(year)] = worker(do="check", year=year)
        for year in years:
            one_f, five_f = out["1×"][str(year)]["figures"], out["5×"][str(year)]["figures"]
            assert all(five_f[k] == 5 * one_f[k] for k in HEADLINE_KEYS), (year, one_f, five_f)
            calls = {(scale, do): (worker, {"do": do, "year": year})
                     for scale, worker in workers.items() for do in ("report", "by_hand", "headline")}
            medians, samples = alternate(calls, max(3, repeat // 10))
            for (scale, do), ms in medians.items():
                out[scale][str(year)][do] = ms
            for do in ("report", "by_hand"):
                out["5×"][str(year)][do + "_growth"] = paired(samples, ("5×", do), ("1×", do))
        if postgres:
            calls = {(scale, jit): (worker, {"do": "report", "year": 2017, "jit": jit})
                     for scale, worker in workers.items() for jit in ("off", "on")}
            for (scale, jit), ms in alternate(calls, max(3, repeat // 10))[0].items():
                out[scale]["jit_" + jit] = ms
    finally:
        for worker in workers.values():
            worker.close()
finally:
    if postgres:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{five_name}" WITH (FORCE)')

print(json.dumps({"vendor": connection.vendor, "generated_s": generated, **copy, "scales": out,
  "reclassify": {"rows": rows_2017, "counts": counts, "seconds": reclassify_s, "back_seconds": back_s,
                 "by_hand_seconds": hand_s, "line": [line, line * 11 // 10], "changed_report": changed_report}}))
"""


def bench_households_report(repeat: int) -> list[Result]:
    import statistics

    f = run_in_fresh_database(_SCRIPT, str(repeat), label="households")
    vendor, scales = f["vendor"], f["scales"]
    one = scales["1×"]
    households = f"{one['2017']['figures']['households']:,}"
    results = []
    for scale, data in scales.items():
        for year in ("2017", "2024"):
            figures = data[year]["figures"]
            name = (
                f"poverty report Huế {year}, {scale} demo "
                f"({figures['households']:,} households, {figures['poor']:,} poor), {vendor}"
            )
            note = "target ≤ 1.5×"
            if scale == "5×":
                growth = data[year]["report"] / one[year]["report"]
                by_hand = data[year]["by_hand"] / one[year]["by_hand"]
                rounds = data[year]["report_growth"]
                rounds_by_hand = data[year]["by_hand_growth"]
                note += (
                    f"; 5× data → {statistics.median(rounds):.1f}× time, median of the rounds' "
                    f"5×/1× ({', '.join(f'{x:.1f}' for x in rounds)}; target ≤ 5×; the "
                    f"hand-written statement {statistics.median(rounds_by_hand):.1f}×: "
                    f"{', '.join(f'{x:.1f}' for x in rounds_by_hand)}); medians over all "
                    f"rounds {growth:.1f}× ({by_hand:.1f}× by hand)"
                )
            results.append(
                Result(
                    name,
                    data[year]["report"],
                    data[year]["by_hand"],
                    "one hand-written SQL statement, the same report (checked equal)",
                    note,
                )
            )
            results.append(
                Result(
                    f"{name}: headline only",
                    data[year]["report"],
                    data[year]["headline"],
                    "hand-written SQL for the headline figures only (the earlier baseline)",
                    "the report also gives the near-poor's flows, moves, breakdowns and "
                    f"{data[year]['children']} rows",
                )
            )
        if "jit_on" in data:
            results.append(
                Result(
                    f"poverty report Huế 2017, {scale} demo, jit = on",
                    data["jit_on"],
                    data["jit_off"],
                    "the same report with jit = off, runs alternating",
                    "cost of PostgreSQL's JIT compilation",
                )
            )
    r = f["reclassify"]
    rows, seconds = r["rows"], r["seconds"]
    results.append(
        Result(
            f"reclassify 2017 ({rows:,} assessments, {r['counts']['updated']:,} change), {vendor}",
            seconds * 1000,
            r["by_hand_seconds"] * 1000,
            "one UPDATE … CASE by hand (rolled back)",
            f"{rows / seconds:,.0f} rows/s; back again {r['back_seconds']:.1f} s; "
            f"demo generated in {f['generated_s']:.0f} s ({households} households in 2017), "
            f"copied to 5× in {f['copied_s']:.0f} s",
        )
    )
    return results


_IMPORT_SCRIPT = r"""
import json, os, resource, subprocess, sys, tempfile, time, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from openpyxl import load_workbook
from bench.households_file import write_households_file
from gandan.core.rules import load_all
from gandan.geo.services import units_load
from gandan.households.models import Assessment, Household

rows = int(sys.argv[1])
units_load(); load_all()
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, f"ho-{rows}.xlsx")
    started = time.perf_counter(); write_households_file(path, rows); written = time.perf_counter() - started

    def read():
        # The floor: openpyxl's read-only mode reading every cell's value, nothing else.
        t = time.perf_counter()
        book = load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        assert n == rows + 1, n
        return time.perf_counter() - t

    before = read()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gandan.cli", "import", "households", path, "-v", "1"],
                          capture_output=True, text=True, check=False)
    imported = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    after = read()
    size = os.path.getsize(path)
print(json.dumps({"vendor": connection.vendor, "rows": rows, "households": Household.objects.count(),
  "assessments": Assessment.objects.count(), "written_s": written, "read_s": [before, after],
  "import_s": imported, "peak_mib": peak_kib / 1024, "size_mib": size / 2**20,
  "summary": done.stdout.strip().splitlines()[:12]}))
"""


def bench_households_import(repeat: int) -> list[Result]:
    f = run_in_fresh_database(_IMPORT_SCRIPT, "300000", label="households_import")
    rows, read_s = f["rows"], sum(f["read_s"]) / len(f["read_s"])
    assert f["assessments"] == rows, f  # one result per row, nothing refused
    import_s = f["import_s"]
    return [
        Result(
            f"import households, {rows:,}-row xlsx ({f['size_mib']:.0f} MiB, "
            f"{f['households']:,} households), {f['vendor']}",
            import_s * 1000,
            read_s * 1000,
            "openpyxl read-only reading the same file, nothing else",
            f"{rows / import_s:,.0f} rows/s = {read_s / import_s:.0%} of reading speed "
            f"(target ≥ 25 %); peak memory {f['peak_mib']:.0f} MiB (target ≤ 500 MB)",
        )
    ]


BENCHMARKS = {"households": bench_households_report, "households_import": bench_households_import}

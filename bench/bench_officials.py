"""Officials statistics at demo scale and at 10× demo scale, against hand-written SQL.

Each scale is generated into its own throw-away database (the configured engine; run with
``DATABASE_URL=postgres://…`` for the PostgreSQL figures) by the demo's own generator, then
the province report is timed beside one hand-written SQL query computing the same headline
table (people, degree or higher, college, intermediate political theory or higher, per
category) on the same data.
"""

from __future__ import annotations

from bench.common import Result, run_in_fresh_database

_SCRIPT = r"""
import datetime as dt, json, statistics, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from gandan.core.demo import DemoContext
from gandan.core.rules import load_all
from gandan.geo.demo import _hamlets
from gandan.geo.services import units_load
from gandan.geo.selectors import unit_by_code
from gandan.officials import demo, selectors
from tqdm import tqdm

scale, repeat = float(sys.argv[1]), int(sys.argv[2])
units_load(); load_all()
ctx = DemoContext(scale=1.0, seed=46, out=sys.stderr)
_hamlets(ctx, tqdm(disable=True))
ctx.scale = scale  # people scale beyond the demo: the same generator, more of them
started = time.perf_counter(); demo._legacy_2018(ctx, tqdm(disable=True)); generated = time.perf_counter() - started
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
day = dt.date(2018, 6, 30)
hue = unit_by_code("46", as_of=day)
SQL = '''
WITH communes AS (
  SELECT u.id FROM geo_unit u LEFT JOIN geo_unit d ON d.id = u.parent_id
  WHERE u.level = 'commune' AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)
    AND (u.id = %s OR u.parent_id = %s OR d.parent_id = %s)
), people AS (
  SELECT DISTINCT ps.official_id, pos.category FROM officials_posting ps
  JOIN officials_position pos ON pos.id = ps.position_id
  WHERE ps.unit_id IN (SELECT id FROM communes)
    AND (ps.valid_from IS NULL OR ps.valid_from <= %s) AND (ps.valid_to IS NULL OR ps.valid_to >= %s)
), levels AS (
  SELECT official_id, MAX(CASE WHEN kind = 'education' THEN level ELSE 0 END) AS edu,
         MAX(CASE WHEN kind = 'politics' THEN level ELSE 0 END) AS pol
  FROM officials_qualification WHERE awarded_on <= %s GROUP BY official_id
)
SELECT p.category, COUNT(*), SUM(CASE WHEN l.edu >= 4 THEN 1 ELSE 0 END), SUM(CASE WHEN l.edu = 3 THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.pol >= 2 THEN 1 ELSE 0 END)
FROM people p LEFT JOIN levels l ON l.official_id = p.official_id GROUP BY p.category
'''
def raw():
    with connection.cursor() as cursor:
        cursor.execute(SQL, [day, day, hue.pk, hue.pk, hue.pk, day, day, day])
        return {row[0]: row[1:] for row in cursor.fetchall()}
def headline():
    return {k: (v["count"], v["university"], v["college"], v["politics"]) for k, v in selectors.headline_counts(hue, day).items()}
assert headline() == {k: tuple(int(x) for x in v) for k, v in raw().items()}, (headline(), raw())
def timed(f):
    f(); samples = []
    for _ in range(repeat):
        t = time.perf_counter(); f(); samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)
from gandan.officials.models import Posting
print(json.dumps({"postings": Posting.objects.count(), "generated_s": generated, "headline": timed(headline),
                  "raw": timed(raw), "full": timed(lambda: selectors.statistics(hue, day)), "vendor": connection.vendor}))
"""


def _run(scale: float, repeat: int) -> dict[str, float]:
    return run_in_fresh_database(
        _SCRIPT, str(scale), str(repeat), label=f"officials_{int(scale * 10)}"
    )


def bench_officials_statistics(repeat: int) -> list[Result]:
    results = []
    for scale in (1.0, 10.0):
        f = _run(scale, max(5, repeat // 5))
        label = f"officials headline, Huế 2018, {scale:g}× demo ({f['postings']:,.0f} postings, {f['vendor']})"
        results.append(
            Result(
                label,
                f["headline"],
                f["raw"],
                "one hand-written SQL query, same table",
                "target ≤ 1.5×",
            )
        )
        results.append(
            Result(
                f"officials full report (7 groupings), {scale:g}× demo",
                f["full"],
                f["raw"],
                "the headline SQL (one of 7 groupings)",
            )
        )
    return results


BENCHMARKS = {"officials": bench_officials_statistics}

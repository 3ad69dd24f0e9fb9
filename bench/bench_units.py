"""Benchmarks of the unit registry, each against a hand-written baseline on the same data.

- ``load_units``: a full load of both structures into a fresh SQLite database, against
  inserting the same rows with plain ``executemany`` into a bare table (the floor).
- unit search: the ORM query behind the search box, against the same ``LIKE`` in raw SQL.
- unit counts: a province's descendants by level and type, against a hand-written GROUP BY.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import connection

from bench.common import Result, median_ms
from gandan.core.text import fold
from gandan.geo import selectors
from gandan.geo.models import Unit
from gandan.geo.services import units_load

AFTER = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 6, 30)

_LOAD_SCRIPT = r"""
import json, sqlite3, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from gandan.geo import sources
from gandan.geo.services import units_load
started = time.perf_counter(); units_load(); load = time.perf_counter() - started
started = time.perf_counter(); units_load(); again = time.perf_counter() - started
# Baseline: the same source rows inserted by hand into a bare table, no checks, no lineage logic.
started = time.perf_counter()
rows = sources.legacy_units() + sources.current_units(); links = sources.lineage_links()
db = sqlite3.connect(":memory:")
db.execute("create table u (level, code, name, short_name, type, parent, province, lat, lon, area, vf, vt, src, sn)")
db.executemany("insert into u values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
    (r.level, r.code, r.name, r.short_name, r.type, r.parent_code, r.province_code, r.latitude, r.longitude,
     r.area_km2, str(r.valid_from), str(r.valid_to), r.source, r.name.lower()) for r in rows])
db.execute("create table l (p, s, prim, src)")
db.executemany("insert into l values (?,?,?,?)", [(str(k.predecessor), str(k.successor), k.is_primary, k.source) for k in links])
db.commit(); baseline = time.perf_counter() - started
print(json.dumps({"load": load, "again": again, "baseline": baseline}))
"""


def bench_load_units(repeat: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"GANDAN_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "gandan.settings"})
        output = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _LOAD_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return [
        Result(
            "load_units, empty SQLite database (s→ms)",
            figures["load"] * 1000,
            figures["baseline"] * 1000,
            "executemany into bare tables",
            "target < 60 s",
        ),
        Result(
            "load_units, second run (nothing to change)",
            figures["again"] * 1000,
            figures["baseline"] * 1000,
            "executemany into bare tables",
        ),
    ]


def bench_search(repeat: int) -> list[Result]:
    units_load()
    results = []
    table = Unit._meta.db_table
    for query in ["thuan hoa", "phu", "con dao"]:
        folded = fold(query)

        def orm(q: str = query) -> None:
            selectors.search_units(q, as_of=AFTER)

        def raw(q: str = folded) -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT u.id, u.name, p.name, pp.name FROM {table} u"  # noqa: S608 - table name is ours
                    f" LEFT JOIN {table} p ON p.id = u.parent_id LEFT JOIN {table} pp ON pp.id = p.parent_id"
                    " WHERE u.search_name LIKE %s AND (u.valid_from IS NULL OR u.valid_from <= %s)"
                    " AND (u.valid_to IS NULL OR u.valid_to >= %s)"
                    " ORDER BY u.level, u.search_name, u.valid_from DESC LIMIT 30",
                    [f"%{q}%", AFTER, AFTER],
                )
                cursor.fetchall()

        results.append(
            Result(
                f"unit search {query!r}",
                median_ms(orm, repeat=repeat),
                median_ms(raw, repeat=repeat),
                "raw SQL LIKE with the same joins",
            )
        )
    return results


def bench_counts(repeat: int) -> list[Result]:
    units_load()
    hue = selectors.unit_by_code("46", as_of=BEFORE)
    table = Unit._meta.db_table

    def orm() -> None:
        selectors.unit_counts(hue, as_of=BEFORE)

    def raw() -> None:
        with connection.cursor() as cursor:
            for column in ("level", "type"):
                cursor.execute(
                    f"SELECT u.{column}, COUNT(*) FROM {table} u LEFT JOIN {table} p ON p.id = u.parent_id"  # noqa: S608
                    " WHERE (u.parent_id = %s OR p.parent_id = %s)"
                    " AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)"
                    f" GROUP BY u.{column}",
                    [hue.pk, hue.pk, BEFORE, BEFORE],
                )
                cursor.fetchall()

    return [
        Result(
            "unit counts of Huế on 2025-06-30",
            median_ms(orm, repeat=repeat),
            median_ms(raw, repeat=repeat),
            "raw SQL GROUP BY (units only, without hamlets)",
        )
    ]


BENCHMARKS = {"load_units": bench_load_units, "search": bench_search, "counts": bench_counts}

"""Page times: every route of the URL × persona matrix, at the scale of the loaded demo.

``gandan bench --only pages`` runs on the configured database, which must hold the demo
(``gandan demo``; the full Huế demo is the yardstick). The matrix's personas are the demo's own
accounts: ``official_a`` congchuc.thuanhoa (Phường Thuận Hóa), ``viewer_a`` xem.thuanhoa,
``official_b`` congchuc.vyda (Phường Vỹ Dạ), ``leader`` lanhdao.hue. For each route and each
persona the matrix expects a 200 from, the page is requested through Django's test client once
to warm up and then ``min(--repeat, 5)`` times; the server time's median and p95 stand beside
``/healthz`` timed the same way in the same run. A route over its budget fails the benchmark
(the command exits non-zero), not the test suite.

Budgets (2 cores, idle): an export or a PDF 2 s; a record's own page and the desk's list
200 ms; every other page and API list 500 ms (docs/performance.md).

Besides the matrix's rows, the province leader opens the province-wide screens with no unit
chosen (``PROVINCE_WIDE``), and an officer of the commune whose households come last in code
order — an account made for the run — opens that commune's lists (``LATE_COMMUNE_PAGES``).

``gandan bench --only pages_scaled`` times the heaviest of these pages (``HEAVY_ROUTES``) on
the loaded demo and on a throw-away copy of it holding ``SCALE`` × its households and dossiers
(:func:`scale_up`), figures computed on every request; a page passes within its budget or when
its time grows no faster than the data.

Everything runs inside one transaction that is rolled back: the rows some matrix rows create
for their address (a dossier of commune A, a report…) never stay. On SQLite that transaction
holds the write lock for the run: stop the server first.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.common import Result

PERSONA_ACCOUNTS = {
    "official_a": "congchuc.thuanhoa",
    "viewer_a": "xem.thuanhoa",
    "official_b": "congchuc.vyda",
    "leader": "lanhdao.hue",
}
SLOW_MS = 2000  # exports and PDFs
RECORD_MS = 200  # a record's own page, the desk's list
PAGE_MS = 500  # every other page and API list
DESK_LIST = "onestop/"
# The province leader's own view of the province-wide screens (the matrix asks for commune A):
# (label, persona, address), timed and budgeted as the matrix's rows.
PROVINCE_WIDE = [
    ("households/ (tỉnh)", "leader", "/households/"),
    ("households/export/ (tỉnh)", "leader", "/households/export/?format=xlsx"),
    ("onestop/dashboard/ (tỉnh)", "leader", "/onestop/dashboard/"),
    ("onestop/dashboard/export/ (tỉnh)", "leader", "/onestop/dashboard/export/?format=csv"),
]

# An officer of the commune whose households come last in code order, made for the run and
# rolled back with it: a commune's lists read its households in code order, household codes
# begin with the commune's code, and the matrix's commune A comes early in that order.
LATE_COMMUNE = "late_commune"
LATE_COMMUNE_PAGES = [
    ("households/registry/ (xã cuối mã)", "/households/registry/"),
    ("api/v1/households/ (xã cuối mã)", "/api/v1/households/"),
]

# The screens whose cost grows with the population — the lists and reports over households,
# their assessments and reviews, and dossiers — timed again on SCALE × the demo
# (``pages_scaled``). A record's own page or a form does not grow with the data.
SCALE = 5
HEAVY_ROUTES = frozenset(
    {
        "households/",
        "households/export/",
        "households/registry/",
        "households/reviews/",
        "households/reviews/<int:pk>/",
        "households/requests/",
        r"api/v1/^households/$",
        r"api/v1/^households\.(?P<format>[a-z0-9]+)/?$",
        r"api/v1/^poverty/reviews/$",
        r"api/v1/^poverty/reviews/(?P<pk>\d+)/surveys/$",
        r"api/v1/^poverty/reviews/(?P<pk>\d+)/meetings/$",
        "onestop/",
        "onestop/dashboard/",
        "onestop/dashboard/export/",
        "onestop/apologies/",
        r"api/v1/^dossiers/$",
        r"api/v1/^dossiers\.(?P<format>[a-z0-9]+)/?$",
        "api/v1/reports/<str:name>/",
    }
)


class _Rollback(Exception):
    pass


def budget_ms(route: str, url: str, expected: dict[str, Any]) -> int:
    """An export or PDF; a personal record's own page (the matrix's record rows) or the desk's
    list; any other page."""
    from gandan.core.testing.url_matrix import RECORD_OF_A, RECORD_OF_A_API

    lowered = f"{route} {url}".lower()
    if any(word in lowered for word in ("export", "pdf", "xlsx", "csv", "format=")):
        return SLOW_MS
    if route == DESK_LIST or expected in (RECORD_OF_A, RECORD_OF_A_API):
        return RECORD_MS
    return PAGE_MS


def _personas() -> Any:
    from django.utils import timezone

    from gandan.accounts.models import User
    from gandan.core.testing.personas import COMMUNE_A, COMMUNE_B, PROVINCE, Personas
    from gandan.geo.models import Hamlet
    from gandan.geo.selectors import unit_by_code

    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=PERSONA_ACCOUNTS.values())}
    missing = sorted(set(PERSONA_ACCOUNTS.values()) - set(users))
    if missing:
        raise RuntimeError(
            f"the demo's accounts {', '.join(missing)} are missing: load the demo first "
            "(gandan demo)"
        )
    commune_a, commune_b = (
        unit_by_code(COMMUNE_A, as_of=today),
        unit_by_code(COMMUNE_B, as_of=today),
    )

    def first_hamlet(unit: Any) -> Any:
        return Hamlet.objects.valid_on(today).filter(commune=unit).order_by("pk").first()

    return Personas(
        commune_a=commune_a,
        commune_b=commune_b,
        province=unit_by_code(PROVINCE, as_of=today),
        hamlet_a=first_hamlet(commune_a),
        hamlet_b=first_hamlet(commune_b),
        **{name: users[username] for name, username in PERSONA_ACCOUNTS.items()},
    )


def late_commune_officer() -> Any:
    """A commune officer (a new account) of the commune where the household last in code order
    is registered now."""
    from gandan.accounts.models import Role
    from gandan.accounts.services import membership_grant
    from gandan.households.models import Placement

    last = (
        Placement.objects.filter(valid_to=None, household__dissolved_on=None)
        .select_related("unit")
        .order_by("-household__code")
        .first()
    )
    if last is None:
        raise RuntimeError("no household is registered anywhere: load the demo first")
    return membership_grant(
        username="bench.late_commune", role=Role.COMMUNE_OFFICER, unit=last.unit
    ).user


def _times(client: Any, url: str, repeat: int) -> tuple[int, list[float]]:
    client.get(url)  # warm: templates, caches, the connection
    # The benchmark's process holds far more than a server's worker (the whole matrix, every
    # persona's client, one long transaction): a full garbage collection in it took about
    # 200 ms and fell on whichever page was being timed (none with collection off: measured).
    # Collected and frozen before each page, a page's samples pay for its own garbage only.
    gc.collect()
    gc.freeze()
    samples = []
    status = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return status, samples


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_pages(repeat: int, *, heavy_only: bool = False) -> list[dict[str, Any]]:
    """Each (route, persona) the matrix opens with a 200 (``heavy_only``: of :data:`HEAVY_ROUTES`):
    its URL, status and times; the first entry is ``/healthz``."""
    from django.conf import settings
    from django.db import transaction
    from django.test import Client, override_settings

    from gandan.core.testing.url_matrix import all_rows

    rows = all_rows()
    measured: list[dict[str, Any]] = []
    addresses: list[tuple[str, str, str, dict[str, Any]]] = []  # route, persona, url, expected
    try:
        # Django's test client names its host "testserver".
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts), transaction.atomic():
            personas = _personas()
            clients = {name: personas.client(name) for name in (*PERSONA_ACCOUNTS, "anonymous")}
            _, floor = _times(Client(), "/healthz", max(repeat, 5))
            measured.append(
                {
                    "route": "healthz",
                    "persona": "anonymous",
                    "url": "/healthz",
                    "status": 200,
                    "samples": floor,
                }
            )
            for route, row in rows.items():
                for persona, expected in row.get.items():
                    if expected != 200 or route == "healthz":
                        continue
                    if heavy_only and route not in HEAVY_ROUTES:
                        continue
                    try:
                        url = row.url(personas)
                    except Exception as error:  # noqa: BLE001 - reported, the run goes on
                        measured.append(
                            {
                                "route": route,
                                "persona": persona,
                                "url": "",
                                "status": 0,
                                "samples": [],
                                "error": repr(error),
                            }
                        )
                        continue
                    addresses.append((route, persona, url, row.get))
            addresses += [(route, persona, url, {}) for route, persona, url in PROVINCE_WIDE]
            clients[LATE_COMMUNE] = Client()
            clients[LATE_COMMUNE].force_login(late_commune_officer())
            addresses += [(route, LATE_COMMUNE, url, {}) for route, url in LATE_COMMUNE_PAGES]
            for route, persona, url, expected in addresses:
                status, samples = _times(clients[persona], url, repeat)
                measured.append(
                    {
                        "route": route,
                        "persona": persona,
                        "url": url,
                        "status": status,
                        "samples": samples,
                        "budget": budget_ms(route, url, expected),
                    }
                )
            raise _Rollback
    except _Rollback:
        pass
    finally:
        gc.unfreeze()
    return measured


def bench_pages(repeat: int) -> list[Result]:
    from django.core.management import call_command

    repeat = max(3, min(repeat, 5))
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files
    measured = measure_pages(repeat)
    floor = statistics.median(measured[0]["samples"])
    results = []
    for m in measured[1:]:
        if not m["samples"]:
            results.append(
                Result(
                    f"{m['route']} as {m['persona']}",
                    0.0,
                    floor,
                    "/healthz",
                    f"no address could be built: {m['error']}",
                    failed=True,
                )
            )
            continue
        budget = m["budget"]
        p95, median = _p95(m["samples"]), statistics.median(m["samples"])
        over = p95 > budget or m["status"] != 200
        note = f"median {median:.0f} ms, p95 {p95:.0f} ms, budget {budget} ms"
        if m["status"] != 200:
            note += f"; answered {m['status']}"
        if over:
            note += "; OVER"
        results.append(
            Result(
                f"GET {m['url']} as {m['persona']}",
                p95,
                floor,
                "/healthz, same run (median)",
                note,
                failed=over,
            )
        )
    results.sort(key=lambda r: r.gandan_ms, reverse=True)
    return results


def scale_up(factor: int) -> dict[str, int]:
    """Make the configured database hold ``factor`` × its households and dossiers.

    Every household is copied ``factor - 1`` times into the same village, its code suffixed
    ``~k``, with its placements, members, places on review lists and assessments; every dossier
    likewise into the same desk and the same days (so a day's desk and a quarter's report see
    ``factor`` × the work), with its rating. Events, documents and other records a list does not
    read stay single. Then the planner's statistics are gathered again. Returns the row counts.
    """
    from django.db import connection, transaction
    from django.db.models import Max

    from gandan.households.models import Assessment, Household, Member, Placement, ReviewEntry
    from gandan.onestop.models import Dossier, Rating

    def execute(sql: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def columns(model: Any) -> list[str]:
        return [f.column for f in model._meta.concrete_fields if not f.primary_key]

    def copy_children(
        parent: Any, children: tuple[Any, ...], fk: str, top: int, suffix: str
    ) -> None:
        # Each child row again, pointing at its parent's copy (the same code with ``suffix``).
        table = parent._meta.db_table
        for model in children:
            names = columns(model)
            select = ", ".join("n.id" if c == fk else f"t.{c}" for c in names)
            execute(
                f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT {select} "
                f"FROM {model._meta.db_table} t JOIN {table} o ON o.id = t.{fk} "
                f"JOIN {table} n ON n.code = o.code || %s WHERE o.id <= %s",
                [suffix, top],
            )

    households = (Placement, Member, ReviewEntry, Assessment)
    dossiers = (Rating,)
    top_household = Household.objects.aggregate(top=Max("pk"))["top"] or 0
    top_dossier = Dossier.objects.aggregate(top=Max("pk"))["top"] or 0
    with transaction.atomic():
        for k in range(2, factor + 1):
            suffix = f"~{k}"
            names = columns(Household)
            select = ", ".join("code || %s" if c == "code" else c for c in names)
            execute(
                f"INSERT INTO households_household ({', '.join(names)}) SELECT {select} "
                "FROM households_household WHERE id <= %s",
                [suffix, top_household],
            )
            copy_children(Household, households, "household_id", top_household, suffix)
            names = columns(Dossier)
            keyed = {
                "code": "code || %s",
                "idempotency_key": "CASE WHEN idempotency_key = '' THEN '' ELSE idempotency_key || %s END",
            }
            select = ", ".join(keyed.get(c, c) for c in names)
            execute(
                f"INSERT INTO onestop_dossier ({', '.join(names)}) SELECT {select} "
                "FROM onestop_dossier WHERE id <= %s",
                [suffix, suffix, top_dossier],
            )
            copy_children(Dossier, dossiers, "dossier_id", top_dossier, suffix)
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:  # PostgreSQL vacuums outside a transaction only
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return {m.__name__: m.objects.count() for m in (Household, Assessment, Dossier, Rating)}


def _copy_of_database(folder: str) -> tuple[str, Callable[[], None]]:
    """A copy of the configured database (SQLite: a file in ``folder``; PostgreSQL: a new
    database from it as template): its URL and how to drop it."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    connection.close()  # PostgreSQL copies a template nobody is connected to
    if connection.vendor == "postgresql":
        import psycopg

        url = os.environ["DATABASE_URL"]
        base, name = url.rsplit("/", 1)
        copy = f"{name}_x{SCALE}_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')

        def drop() -> None:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

        return f"{base}/{copy}", drop
    path = os.path.join(folder, "gandan.sqlite3")
    with sqlite3.connect(database["NAME"]) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return f"sqlite:///{path}", lambda: None


_SCALED = """
import json, sys, django
django.setup()
from bench.bench_pages import SCALE, measure_pages, scale_up
counts = scale_up(SCALE)
print(json.dumps({"counts": counts, "measured": measure_pages(int(sys.argv[1]), heavy_only=True)}))
"""


def bench_pages_scaled(repeat: int) -> list[Result]:
    """The heaviest screens (:data:`HEAVY_ROUTES`) on the loaded demo and on a copy of it holding
    :data:`SCALE` × its households and dossiers, figures computed on every request (none kept).
    A page passes at 5× within its budget, or when its time grows no faster than the data."""
    import subprocess
    import sys
    import tempfile

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    repeat = max(3, min(repeat, 5))
    call_command("collectstatic", interactive=False, verbosity=0)
    with override_settings(GANDAN_FIGURES_MAX_AGE=0):
        one = measure_pages(repeat, heavy_only=True)
    with tempfile.TemporaryDirectory() as folder:
        url, drop = _copy_of_database(folder)
        try:
            env = dict(
                os.environ,
                DATABASE_URL=url,
                GANDAN_FIGURES_MAX_AGE="0",
                DJANGO_SETTINGS_MODULE="gandan.settings",
            )
            process = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", _SCALED, str(repeat)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                cwd=settings.BASE_DIR,
            )
        finally:
            drop()
    if process.returncode:
        raise RuntimeError(f"pages_scaled failed:\n{process.stderr[-3000:]}")
    scaled = json.loads(process.stdout.strip().splitlines()[-1])
    counts = ", ".join(f"{name} {n:,}" for name, n in scaled["counts"].items())
    at_one = {(m["route"], m["persona"]): m for m in one[1:]}
    results = []
    for m in scaled["measured"][1:]:
        base = at_one.get((m["route"], m["persona"]))
        if not m["samples"] or not base or not base["samples"]:
            results.append(
                Result(
                    f"{m['route']} as {m['persona']} ×{SCALE}",
                    0.0,
                    0.0,
                    "",
                    "not timed",
                    failed=True,
                )
            )
            continue
        p95, p95_one = _p95(m["samples"]), _p95(base["samples"])
        growth = p95 / p95_one if p95_one else float("inf")
        within = p95 <= m["budget"] or growth <= SCALE
        note = (
            f"p95 {p95_one:.0f} → {p95:.0f} ms (×{growth:.1f} for ×{SCALE} the data), "
            f"budget {m['budget']} ms"
        )
        if m["status"] != 200:
            note += f"; answered {m['status']}"
        failed = not within or m["status"] != 200
        if failed:
            note += "; OVER"
        results.append(
            Result(
                f"GET {m['url']} as {m['persona']} ×{SCALE}",
                p95,
                p95_one,
                f"same page at 1×, same run ({counts} at ×{SCALE}; "
                f"/healthz {statistics.median(scaled['measured'][0]['samples']):.2f} ms)",
                note,
                failed=failed,
            )
        )
    results.sort(key=lambda r: r.gandan_ms, reverse=True)
    connection.close()
    return results


BENCHMARKS = {"pages": bench_pages, "pages_scaled": bench_pages_scaled}

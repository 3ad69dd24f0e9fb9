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

Everything runs inside one transaction that is rolled back: the rows some matrix rows create
for their address (a dossier of commune A, a report…) never stay. On SQLite that transaction
holds the write lock for the run: stop the server first.
"""

from __future__ import annotations

import statistics
import time
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


def _times(client: Any, url: str, repeat: int) -> tuple[int, list[float]]:
    client.get(url)  # warm: templates, caches, the connection
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


def measure_pages(repeat: int) -> list[dict[str, Any]]:
    """Each (route, persona) the matrix opens with a 200: its URL, status and times."""
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


BENCHMARKS = {"pages": bench_pages}

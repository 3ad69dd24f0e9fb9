"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Result:
    name: str
    gandan_ms: float
    baseline_ms: float
    baseline: str
    note: str = ""
    failed: bool = False  # over its target: the benchmark command exits non-zero

    @property
    def ratio(self) -> float:
        return self.gandan_ms / self.baseline_ms if self.baseline_ms else float("nan")


def median_ms(function: Callable[[], Any], *, repeat: int) -> float:
    function()  # warm caches and connections once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run_in_fresh_database(script: str, *args: str, label: str) -> dict[str, Any]:
    """Run ``script`` in a new interpreter on a throw-away database and return its last line as JSON.

    SQLite: a new file in a temporary folder. PostgreSQL (``DATABASE_URL=postgres://…``): a new
    database on the same server, dropped afterwards.
    """
    import json
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GANDAN_VAR_DIR=tmp, DJANGO_SETTINGS_MODULE="gandan.settings")
        database = os.environ.get("DATABASE_URL", "")
        created = None
        base = database.rsplit("/", 1)[0]
        if database.startswith("postgres"):
            import psycopg

            created = f"gandan_bench_{label}_{os.getpid()}"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{created}"')
                conn.execute(f'CREATE DATABASE "{created}"')
            env["DATABASE_URL"] = f"{base}/{created}"
        try:
            process = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", script, *args],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                cwd=Path(__file__).resolve().parent.parent,
            )
        finally:
            if created:
                import psycopg

                with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
    if process.returncode:
        raise RuntimeError(f"benchmark {label} failed:\n{process.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    return figures

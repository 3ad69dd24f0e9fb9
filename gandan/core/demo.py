"""The demo generator's frame: stages contributed by each app, run in order with a progress bar each.

An app contributes ``gandan/<app>/demo.py`` with ``STAGES``: a list of :class:`Stage`. Stages
create records through the same services that real use goes through; figures shown on
screen are then computed from those records.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.db import connection
from tqdm import tqdm

from gandan.core.figures import figures_forget

# Apps in the order their stages must run (units before the people who live in them).
DEMO_APPS = [
    "gandan.geo",
    "gandan.accounts",
    "gandan.officials",
    "gandan.feedback",
    "gandan.households",
    "gandan.onestop",
]
DEMO_PASSWORD = "gandan-hue-2026"  # noqa: S105 - the demo's published password, printed with the logins
PROVINCE_CODE = "46"  # Huế


@dataclass
class DemoContext:
    scale: float
    seed: int
    out: Any  # a text stream or Django's OutputWrapper
    rng: random.Random = field(init=False)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, unit)
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data, not security

    def scaled(self, n: int) -> int:
        return max(0, round(n * self.scale))


@dataclass(frozen=True)
class Stage:
    title: str
    run: Callable[[DemoContext, tqdm[Any]], str]  # returns a one-line summary


def stages() -> list[Stage]:
    result: list[Stage] = []
    for app in DEMO_APPS:
        result.extend(import_module(f"{app}.demo").STAGES)
    result.extend(import_module("gandan.feedback.demo_followup").STAGES)
    return result


def run_demo(
    *, scale: float, seed: int, out: Any, show_progress: bool = True, verbosity: int = 1
) -> DemoContext:
    ctx = DemoContext(scale=scale, seed=seed, out=out)
    all_stages = stages()
    for number, stage in enumerate(all_stages, start=1):
        with tqdm(
            desc=f"[{number}/{len(all_stages)}] {stage.title}",
            file=sys.stderr,
            disable=not show_progress,
            leave=True,
            dynamic_ncols=True,
            unit=" bản ghi",
        ) as bar:
            summary = stage.run(ctx, bar)
        if show_progress or verbosity >= 1:
            out.write(f"    → {summary}")
        out.flush()
    # Fresh bulk loads leave the planner without statistics; PostgreSQL would pick nested
    # loops over thousands of rows until autovacuum catches up. VACUUM also sets the visibility
    # map, without which the reports' covering indexes still visit the table for every row
    # (it cannot run inside a transaction: there, statistics only).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    # Figures kept from data loaded before are not the demo's.
    figures_forget()
    return ctx

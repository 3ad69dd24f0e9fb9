"""Law as data: loading versioned rule fixtures into tables.

Each app that has rules keeps JSON files in ``gandan/<app>/rules/`` and a ``rules.py`` with
``load(*, say) -> RulesSummary``. A fixture row names the legal text it comes from (``source``)
and its effective period; ``gandan load_rules`` brings the tables in line with the files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module, resources
from typing import Any

from django.db import models, transaction

RULE_APPS = ["gandan.officials", "gandan.feedback", "gandan.households", "gandan.onestop"]


@dataclass
class RulesSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def read_fixture(app: str, name: str) -> dict[str, Any]:
    path = resources.files(app) / "rules" / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def upsert(
    model: type[models.Model],
    key: tuple[str, ...],
    rows: Iterable[dict[str, Any]],
    summary: RulesSummary,
    label: str,
) -> dict[tuple[Any, ...], models.Model]:
    """Create or update ``rows`` of ``model`` identified by the ``key`` fields; returns them by key."""
    found: dict[tuple[Any, ...], models.Model] = {}
    for row in rows:
        lookup = {name: row[name] for name in key}
        values = {name: value for name, value in row.items() if name not in key}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            summary.created[label] += 1
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            summary.updated[label] += 1
        else:
            summary.unchanged[label] += 1
        found[tuple(row[name] for name in key)] = obj
    return found


@transaction.atomic
def load_all(*, dry_run: bool = False, say: Callable[[str], None] | None = None) -> RulesSummary:
    summary = RulesSummary()
    for app in RULE_APPS:
        import_module(f"{app}.rules").load(summary=summary, say=say or (lambda _m: None))
    if dry_run:
        transaction.set_rollback(True)
    return summary

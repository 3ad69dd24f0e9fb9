"""Figures kept per report, unit and period, with the time they were computed.

A figure that reads a whole province — the poverty report and its ten-year trend for a province,
the province's Decision 766 dashboard — costs a second or more each time. It is computed once and
kept (``core.models.KeptFigures``) under its function and parameters. A request then:

- finds nothing kept: computes it, keeps it and answers with it;
- finds it younger than :func:`max_age` (``GANDAN_FIGURES_MAX_AGE`` minutes, 10 by default):
  answers with it;
- finds it older: answers with it and asks a background task to compute it again — once, until
  that task has run — so nobody waits for the whole province again.

Every answer carries ``computed_at``; the screens say "Số liệu được tính lúc …" and the API
gives it. Parameters and values are JSON: the first answer is read back from JSON as later ones
are. ``GANDAN_FIGURES_MAX_AGE=0`` keeps nothing: every request computes (the test suite's
setting, but for the tests of keeping itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from gandan.core.models import KeptFigures

# A refresh asked for and not done within this time (a stopped worker) is asked for again.
REFRESH_PATIENCE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Kept:
    value: Any
    computed_at: dt.datetime
    refreshing: bool = False  # older than their age: a background task computes them again
    kept: bool = True  # read from (or just written to) the store; False: computed for this request


def computed_now(value: Any) -> Kept:
    """Figures computed for this request, not kept (a commune's, or with keeping off)."""
    return Kept(value, timezone.now(), kept=False)


def max_age() -> dt.timedelta:
    return dt.timedelta(minutes=settings.GANDAN_FIGURES_MAX_AGE)


def source_of(compute: Callable[..., Any]) -> str:
    return f"{compute.__module__}.{compute.__qualname__}"


def _key(source: str, params: dict[str, Any]) -> str:
    text = json.dumps([source, params], sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def kept(compute: Callable[..., Any], **params: Any) -> Kept:
    """``compute(**params)``, kept: see the module's description. ``compute`` is a module-level
    function whose parameters and result are JSON."""
    params = _as_json(params)
    if max_age() <= dt.timedelta(0):  # keeping is off: computed on every request
        value, _seconds = _compute(compute, params)
        return computed_now(value)
    source = source_of(compute)
    key = _key(source, params)
    row = KeptFigures.objects.filter(key=key).first()
    if row is None:
        return _compute_and_keep(key, source, compute, params)
    now = timezone.now()
    if now - row.computed_at <= max_age():
        return Kept(row.value, row.computed_at, refreshing=False)
    asked = row.refresh_asked_at
    if asked is None or now - asked > REFRESH_PATIENCE:
        # Only the request that marks the row asks: the others see it marked.
        if KeptFigures.objects.filter(pk=row.pk, refresh_asked_at=asked).update(
            refresh_asked_at=now
        ):
            _ask_refresh(key)
            row.refresh_from_db()
            if now - row.computed_at <= max_age():  # refreshed on the spot (no worker)
                return Kept(row.value, row.computed_at, refreshing=False)
    return Kept(row.value, row.computed_at, refreshing=True)


def _compute(compute: Callable[..., Any], params: dict[str, Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = _as_json(compute(**params))
    return value, time.perf_counter() - started


def _compute_and_keep(
    key: str, source: str, compute: Callable[..., Any], params: dict[str, Any]
) -> Kept:
    value, seconds = _compute(compute, params)
    now = timezone.now()
    try:
        with transaction.atomic():
            KeptFigures.objects.create(
                key=key,
                source=source,
                params=params,
                value=value,
                computed_at=now,
                seconds=seconds,
            )
    except IntegrityError:
        pass  # another request kept the same figures meanwhile: they are as fresh as these
    return Kept(value, now, refreshing=False)


def _ask_refresh(key: str) -> None:
    from gandan.core.tasks import figures_refresh

    figures_refresh.enqueue(key)


def figures_refresh_now(key: str) -> bool:
    """Compute the kept figures ``key`` again (the background task's work); False if gone."""
    row = KeptFigures.objects.filter(key=key).first()
    if row is None:
        return False
    value, seconds = _compute(import_string(row.source), row.params)
    KeptFigures.objects.filter(pk=row.pk).update(
        value=value, computed_at=timezone.now(), seconds=seconds, refresh_asked_at=None
    )
    return True


def figures_forget(compute: Callable[..., Any] | None = None) -> int:
    """Drop the kept figures of ``compute`` (all when None), to be computed at the next request:
    after a change that must show at once, such as a review decided."""
    rows = KeptFigures.objects.all()
    if compute is not None:
        rows = rows.filter(source=source_of(compute))
    deleted, _ = rows.delete()
    return deleted

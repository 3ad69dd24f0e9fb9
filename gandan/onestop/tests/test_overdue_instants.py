"""Overdue dossiers in Python and in SQL agree for rows written in bulk (the demo), by the
services and by the hot statements, on both databases; no instant is stored with an offset on
SQLite (decision 0002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from importlib import import_module
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from gandan.core.demo import DemoContext
from gandan.geo.models import Unit
from gandan.onestop import demo
from gandan.onestop.models import OPEN_STATUSES, Dossier, Status
from gandan.onestop.selectors import warning_list
from gandan.onestop.tests.factories import MARITAL, receive

pytestmark = pytest.mark.django_db

WITH_OFFSET = import_module("gandan.core.migrations.0004_instants_in_utc").WITH_OFFSET


class Bar:
    def reset(self, total: int) -> None: ...

    def update(self, n: int) -> None: ...


def with_offset() -> dict[str, int]:
    """Values carrying an offset, by ``table.column``, over every ``DateTimeField``."""
    found = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.proxy:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.DateTimeField):
                    table, column = model._meta.db_table, field.column
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE {column} {WITH_OFFSET}"  # noqa: S608 - names from the models
                    )
                    if n := cursor.fetchone()[0]:
                        found[f"{table}.{column}"] = n
    return found


@pytest.fixture(scope="module")
def dossiers(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The one-stop demo at a small scale (bulk rows) and dossiers received through the
    services (ORM and hot-statement rows), generated once for the module inside a transaction
    rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo._dossiers(DemoContext(scale=0.005, seed=11, out=StringIO()), Bar())  # type: ignore[arg-type]
        unit = Dossier.objects.values_list("current_unit", flat=True).first()
        now = timezone.now()
        for hours in (1, 3, 6):  # due within the hours the offset used to shift
            receive(
                Unit.objects.get(pk=unit), MARITAL, when=now - dt.timedelta(days=7, hours=hours)
            )
        yield
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite stores instants as text")
def test_no_instant_carries_an_offset_after_the_demo(dossiers: None) -> None:
    assert Dossier.objects.exists()
    assert with_offset() == {}


def test_overdue_dossiers_are_the_same_in_python_and_in_sql(dossiers: None) -> None:
    open_dossiers = list(Dossier.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False))
    units = Unit.objects.filter(pk__in={d.current_unit_id for d in open_dossiers})
    # Instants just after some dossiers' due time, where stored offsets once hid them.
    warned = {d.pk for d in open_dossiers if d.status != Status.SUPPLEMENT}  # paused: not warned
    cuts = sorted({d.due_at + dt.timedelta(hours=h) for d in open_dossiers[:12] for h in (1, 6)})
    assert cuts
    for now in cuts:
        overdue = {d.pk for d in open_dossiers if d.due_at < now}
        in_sql = Dossier.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        assert set(in_sql.values_list("pk", flat=True)) == overdue, now
        listed = {d.pk for d in warning_list(units, now=now) if d.due_at < now}
        assert listed == {d.pk for d in open_dossiers if d.due_at < now and d.pk in warned}, now

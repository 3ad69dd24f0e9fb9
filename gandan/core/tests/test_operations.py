"""Autovacuum storage parameters of the tables that grow in bursts (PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.state import ProjectState

from gandan.core.operations import AutovacuumSettings

pytestmark = pytest.mark.django_db

EXPECTED = {
    "autovacuum_analyze_scale_factor": "0.01",
    "autovacuum_analyze_threshold": "1000",
    "autovacuum_vacuum_insert_scale_factor": "0.02",
}


def reloptions(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        found = cursor.fetchone()[0] or []
    return dict(option.split("=", 1) for option in found)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite has no storage parameters; CI runs this file on both",
)
@pytest.mark.parametrize(
    "table", ["households_assessment", "households_placement", "onestop_dossier"]
)
def test_the_migrations_set_the_tables_autovacuum_parameters(table: str) -> None:
    assert reloptions(table) == EXPECTED


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite has no storage parameters; CI runs this file on both",
)
def test_the_operation_is_undone_by_reset() -> None:
    from django.apps import apps

    state = ProjectState.from_apps(apps)
    operation = AutovacuumSettings("dossier", **{k: float(v) for k, v in EXPECTED.items()})
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("onestop", editor, state, state)
    assert reloptions("onestop_dossier") == {}


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="SQLite only: on PostgreSQL the tests above check what the operation sets",
)
def test_the_operation_does_nothing_on_sqlite() -> None:
    from types import SimpleNamespace

    from django.apps import apps

    executed: list[str] = []
    editor = SimpleNamespace(connection=connection, execute=executed.append, quote_name=str)
    state = ProjectState.from_apps(apps)
    operation = AutovacuumSettings("dossier", autovacuum_analyze_scale_factor=0.01)
    operation.database_forwards("onestop", editor, state, state)
    operation.database_backwards("onestop", editor, state, state)
    assert executed == []
    assert operation.deconstruct() == (
        "AutovacuumSettings",
        ["dossier"],
        {"autovacuum_analyze_scale_factor": 0.01},
    )

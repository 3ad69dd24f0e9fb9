"""Instants stored one way on SQLite: UTC text without an offset, as Django writes them.

Rows written in bulk with the ``sqlite3`` module's own adapter hold the local time with its
offset (``2025-06-02 08:00:00+07:00``) where Django writes ``2025-06-02 01:00:00``; compared
as text, the two are 7 hours apart (decision 0002). This rewrites every such value of every
``DateTimeField`` column into Django's text: SQLite's ``datetime()`` applies the offset, and
the fraction of a second, which Django writes (as microseconds) only when there is one, is
kept as it was written. On PostgreSQL ``timestamptz`` is unambiguous: nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import migrations, models

# A value ending in an offset: ``…+07:00`` or ``…-03:30`` (Django's own text ends in seconds
# or microseconds, never so).
WITH_OFFSET = "GLOB '*[+-][0-9][0-9]:[0-9][0-9]'"


def utc_text(column: str) -> str:
    """SQL for ``column``'s value (``YYYY-MM-DD[ T]HH:MM:SS[.ffffff]±HH:MM``) as UTC text."""
    return (
        f"datetime(substr({column}, 1, 19) || substr({column}, -6))"
        f" || substr({column}, 20, length({column}) - 25)"
    )


def rewrite_offsets(connection: Any, models_: Iterable[type[models.Model]]) -> int:
    """Rewrite the offset-carrying instants of ``models_``' tables on SQLite, one ``UPDATE``
    (one pass over the table) each. Returns the number of rows changed."""
    if connection.vendor != "sqlite":
        return 0
    quote = connection.ops.quote_name
    changed = 0
    with connection.cursor() as cursor:
        for model in models_:
            opts = model._meta
            if opts.proxy or not opts.managed:
                continue
            columns = [
                quote(f.column)
                for f in opts.concrete_fields
                if isinstance(f, models.DateTimeField)
            ]
            if not columns:
                continue
            sets = ", ".join(
                f"{c} = CASE WHEN {c} {WITH_OFFSET} THEN {utc_text(c)} ELSE {c} END"
                for c in columns
            )
            where = " OR ".join(f"{c} {WITH_OFFSET}" for c in columns)
            cursor.execute(f"UPDATE {quote(opts.db_table)} SET {sets} WHERE {where}")  # noqa: S608 - names from the models
            changed += cursor.rowcount
    return changed


def forwards(apps: Any, schema_editor: Any) -> None:
    rewrite_offsets(schema_editor.connection, apps.get_models())


class Migration(migrations.Migration):
    # Every app with DateTimeFields, at its latest migration: all their tables exist.
    dependencies = [
        ("core", "0003_job"),
        ("geo", "0003_unit_code_index"),
        ("accounts", "0002_initial"),
        ("officials", "0001_initial"),
        ("feedback", "0002_agency_meeting_opinion_task_tasknote_and_more"),
        ("households", "0005_autovacuum"),
        ("onestop", "0006_report_branches"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]

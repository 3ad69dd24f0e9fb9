"""Instants stored one way (decision 0002): rows written in bulk, by the hot statements and by
the ORM hold the same value for the same instant, so SQL comparisons agree with Python's; the
migration rewrites instants stored with an offset on SQLite."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from gandan.core import bulk, statements
from gandan.core.bulk import insert_rows
from gandan.core.models import Event
from gandan.households.models import Household

pytestmark = pytest.mark.django_db

migration = import_module("gandan.core.migrations.0004_instants_in_utc")

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
AT = dt.datetime(2025, 6, 2, 8, 0, tzinfo=LOCAL)  # 01:00 UTC
EVENT_FIELDS = ["occurred_at", "kind", "subject_type", "subject_id", "province_code", "data"]

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite stores instants as text; PostgreSQL's timestamptz has no text to check",
)


def event_row(at: dt.datetime, subject: str) -> tuple[Any, ...]:
    return (at, "received", "core.test", subject, "46", "{}")


def stored(table: str, column: str) -> list[str]:
    """The text SQLite holds in ``column``, in insertion order."""
    with connection.cursor() as cursor:
        # As text: a raw cursor would parse the column's declared type into a datetime.
        cursor.execute(f"SELECT CAST({column} AS TEXT) FROM {table} ORDER BY id")  # noqa: S608 - test names
        return [row[0] for row in cursor.fetchall()]


def test_a_bulk_row_holds_the_instant_an_orm_row_holds() -> None:
    Event.objects.create(
        occurred_at=AT, kind="received", subject_type="core.test", subject_id="orm"
    )
    insert_rows(Event, EVENT_FIELDS, [event_row(AT, "bulk")])
    assert Event.objects.filter(occurred_at=AT).count() == 2
    assert not Event.objects.filter(occurred_at__gt=AT).exists()
    assert not Event.objects.filter(occurred_at__lt=AT).exists()
    if connection.vendor == "sqlite":
        assert stored("core_event", "occurred_at") == ["2025-06-02 01:00:00"] * 2


@sqlite_only
def test_bulk_rows_store_utc_text_with_microseconds_as_django_writes_them() -> None:
    fine = AT.replace(microsecond=250_000)
    insert_rows(Event, EVENT_FIELDS, [event_row(fine, "a"), event_row(AT.astimezone(dt.UTC), "b")])
    Event.objects.create(
        occurred_at=fine, kind="received", subject_type="core.test", subject_id="c"
    )
    assert stored("core_event", "occurred_at") == [
        "2025-06-02 01:00:00.250000",
        "2025-06-02 01:00:00",
        "2025-06-02 01:00:00.250000",
    ]


@sqlite_only
@pytest.mark.parametrize(
    "value",
    [
        AT,
        AT.replace(microsecond=250_000),
        AT.replace(microsecond=7),
        dt.datetime(2025, 1, 1, 3, 30, tzinfo=LOCAL),  # the day before in UTC
        dt.datetime(2025, 6, 1, 21, 30, 0, 999_999, tzinfo=ZoneInfo("America/St_Johns")),
        dt.datetime(2025, 6, 2, 1, 0, tzinfo=dt.UTC),
        AT.replace(tzinfo=None),  # naive: Django's adapter writes it as it is
        None,
    ],
)
def test_bulk_instants_are_the_text_of_djangos_adapter(value: dt.datetime | None) -> None:
    assert bulk._sqlite_instant(value) == connection.ops.adapt_datetimefield_value(value)


@sqlite_only
def test_the_creation_stamps_of_bulk_rows_are_utc_text() -> None:
    before = timezone.now()
    fields = ["code", "province_code", "head_name", "ethnic_minority", "farming"]
    insert_rows(Household, [*fields, "dissolution_reason"], [("46x1", "46", "Lê An", 0, 0, "")])
    [created] = stored("households_household", "created_at")
    assert created == stored("households_household", "updated_at")[0]
    assert dt.datetime.fromisoformat(created).tzinfo is None  # no offset
    assert Household.objects.filter(created_at__gte=before, updated_at__gte=before).count() == 1


def test_a_hot_statement_compares_a_datetime_parameter_as_the_orm_does() -> None:
    Event.objects.create(occurred_at=AT, kind="received", subject_type="core.test", subject_id="1")
    sql = f"SELECT {statements.columns(Event, 'e')} FROM core_event e WHERE e.occurred_at >= %s"  # noqa: S608 - names from the model
    assert len(statements.fetch(sql, [AT], Event)) == 1  # the same instant, written in +07:00
    assert statements.fetch(sql, [AT + dt.timedelta(seconds=1)], Event) == []


@sqlite_only
def test_the_migration_rewrites_offset_instants_into_djangos_utc_text() -> None:
    written = [
        "2025-06-02 08:00:00+07:00",
        "2025-06-02 08:00:00.123456+07:00",
        "2025-01-01T03:30:00+07:00",  # the day before in UTC, 'T' as isoformat() writes it
        "2025-06-01 21:30:00-03:30",
        "2025-06-02 01:00:00+00:00",
        "2025-06-02 01:00:00",  # Django's own: left as it is
        "2025-06-02 01:00:00.500000",
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO core_event (occurred_at, kind, subject_type, subject_id, "
            "province_code, data) VALUES (%s, 'received', 'core.test', '1', '46', '{}')",
            [(text,) for text in written],
        )
    assert migration.rewrite_offsets(connection, [Event, Household]) == 5
    assert stored("core_event", "occurred_at") == [
        "2025-06-02 01:00:00",
        "2025-06-02 01:00:00.123456",
        "2024-12-31 20:30:00",
        "2025-06-02 01:00:00",
        "2025-06-02 01:00:00",
        "2025-06-02 01:00:00",
        "2025-06-02 01:00:00.500000",
    ]
    assert Event.objects.filter(occurred_at=AT).count() == 4
    assert migration.rewrite_offsets(connection, [Event]) == 0  # nothing left to rewrite


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's side of the rule"
)


@postgres_only
def test_no_writer_depends_on_postgresqls_session_time_zone() -> None:
    with connection.cursor() as cursor:  # until the test's transaction is rolled back
        cursor.execute("SET LOCAL TIME ZONE 'America/St_Johns'")
    insert_rows(Event, EVENT_FIELDS, [event_row(AT, "bulk")])
    Event.objects.create(
        occurred_at=AT, kind="received", subject_type="core.test", subject_id="orm"
    )
    sql = f"SELECT {statements.columns(Event, 'e')} FROM core_event e WHERE e.occurred_at = %s"  # noqa: S608 - names from the model
    assert len(statements.fetch(sql, [AT], Event)) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT occurred_at AT TIME ZONE 'UTC' FROM core_event")
        assert cursor.fetchall() == [(dt.datetime(2025, 6, 2, 1, 0),)]  # noqa: DTZ001 - UTC, as the database gives it


@postgres_only
def test_the_migration_leaves_postgresql_alone() -> None:
    Event.objects.create(occurred_at=AT, kind="received", subject_type="core.test", subject_id="1")
    assert migration.rewrite_offsets(connection, [Event]) == 0
    assert Event.objects.get().occurred_at == AT

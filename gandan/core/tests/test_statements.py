"""Hot statements (core.statements): the same instances and rows as the ORM's, prepared on
PostgreSQL only when asked, errors and query logs as Django's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from gandan.core import statements
from gandan.core.models import Event
from gandan.onestop.models import Dossier, ProcedureVersion
from gandan.onestop.tests.factories import MARITAL, at, receive

pytestmark = pytest.mark.django_db
# The statements below are built from the models' own column names (S608 does not apply).
EVENTS_BY_KIND = f"SELECT {statements.columns(Event, 'e')} FROM core_event e WHERE e.kind = %s"  # noqa: S608
EVENTS_BY_SUBJECT = (
    f"SELECT {statements.columns(Event, 'e')} FROM core_event e WHERE e.subject_id = %s"  # noqa: S608
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: on SQLite cursor() is Django's own and nothing is prepared "
    "(sqlite3 keeps compiled statements itself); CI runs this file on both",
)


def values(obj: models.Model, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in without
    }


def test_fetch_builds_the_instances_the_orm_builds(personas) -> None:  # type: ignore[no-untyped-def]
    # Datetimes, dates, booleans, floats, encrypted text and JSON, on both databases.
    dossier = receive(
        personas.commune_a, MARITAL, when=at(2026, 3, 2, 8), actor=personas.official_a
    )
    sql = (
        f"SELECT {statements.columns(Dossier, 'd')}, {statements.columns(ProcedureVersion, 'v')} "  # noqa: S608
        "FROM onestop_dossier d JOIN onestop_procedureversion v ON v.id = d.version_id "
        "WHERE d.code = %s"
    )
    [(fetched, version)] = statements.fetch(sql, [dossier.code], Dossier, ProcedureVersion)
    expected = Dossier.objects.get(pk=dossier.pk)
    assert values(fetched) == values(expected)
    assert fetched.applicant_id == "046190001234"  # decrypted, as the ORM does
    assert values(version) == values(ProcedureVersion.objects.get(pk=dossier.version_id))
    assert isinstance(version.documents, list) and version.documents
    assert not fetched._state.adding and fetched._state.db == "default"
    assert statements.fetch(sql, ["no-such-code"], Dossier, ProcedureVersion) == []


def test_insert_writes_the_row_that_save_writes(personas) -> None:  # type: ignore[no-untyped-def]
    model = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8), actor=personas.official_a)
    copies = []
    for code in ("A-COPY", "B-COPY"):
        copy = Dossier(**values(model, without=("id",)))
        copy.code = code
        copy.applicant_name = "Lê Văn Đức"
        copy.applicant_search_name = ""  # filled when written, by either way
        copies.append(copy)
    with transaction.atomic():
        copies[0].save()
        statements.insert([copies[1]])
    assert copies[1].pk is not None and not copies[1]._state.adding
    saved, inserted = (Dossier.objects.get(pk=c.pk) for c in copies)
    stamps = ("id", "code", "updated_at")
    assert values(inserted, without=stamps) == values(saved, without=stamps)
    assert inserted.applicant_search_name == "le van duc"
    assert inserted.applicant_id == model.applicant_id  # encrypted on the way in
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_id FROM onestop_dossier WHERE id = %s", [inserted.pk])
        assert cursor.fetchone()[0] not in ("", model.applicant_id)


def test_insert_writes_several_rows_in_one_statement(personas) -> None:  # type: ignore[no-untyped-def]
    events = [
        Event(kind="test.one", subject_type="x", subject_id=str(n), data={"n": n}) for n in range(3)
    ]
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        statements.insert(events)
    assert len([q for q in queries.captured_queries if q["sql"].startswith("INSERT")]) == 1
    assert [e.pk for e in events] == sorted(e.pk for e in events)
    assert [Event.objects.get(pk=e.pk).data for e in events] == [{"n": 0}, {"n": 1}, {"n": 2}]
    statements.insert([])  # nothing to write, no statement


def test_a_refused_insert_is_djangos_integrity_error_and_writes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    model = receive(personas.commune_a, MARITAL, when=at(2026, 3, 2, 8), actor=personas.official_a)
    twin = Dossier(**values(model, without=("id",)))  # the same code: unique
    before = Dossier.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        statements.insert([twin])
    assert Dossier.objects.count() == before
    assert twin.pk is None and twin._state.adding


def test_statements_are_logged_where_django_logs_queries(personas) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        statements.fetch(EVENTS_BY_KIND, ["none"], Event)
    assert len(queries.captured_queries) == 1
    logged = queries.captured_queries[0]["sql"]
    assert "core_event" in logged and "'none'" in logged  # with its parameters


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@postgres_only
def test_only_statements_sent_through_it_are_prepared_once_per_connection(personas) -> None:  # type: ignore[no-untyped-def]
    before = prepared()
    for _ in range(3):
        statements.fetch(EVENTS_BY_KIND, ["none"], Event)
    for _ in range(8):  # the ORM's queries are bound on the client and never prepared
        list(Event.objects.filter(kind="none"))
    added = [s for s in prepared() if s not in before]
    assert len(added) == 1 and "core_event" in added[0]
    with connection.cursor() as cursor:  # planned once, not again when estimates waver
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


@postgres_only
def test_nothing_is_prepared_when_the_settings_turn_it_off(personas) -> None:  # type: ignore[no-untyped-def]
    # GANDAN_DB_PREPARE=0 (a pooler in transaction mode) leaves the threshold at None.
    connection.ensure_connection()
    raw = connection.connection
    kept = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        before = prepared()
        assert statements.fetch(EVENTS_BY_SUBJECT, ["none"], Event) == []
        assert prepared() == before
    finally:
        raw.prepare_threshold = kept

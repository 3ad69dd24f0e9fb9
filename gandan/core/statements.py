"""Hot statements: SQL written once, planned once per connection, rows made into instances
and instances into rows without the ORM's query machinery (decision 0009).

A receipt through the API runs the same handful of small statements all day: it reads the
unit in the user's scope (``accounts.access.access_unit_by_code``), the procedure with its
version in force (``onestop.selectors.procedure_with_version``) and the unit's office hours
(``onestop.services.calendar_for``), then writes the dossier, its documents and its event
(``core.services.event_record``, which every app's events go through). For them the cost is
not the database's work: PostgreSQL spends more time *planning* them than running them (the
scope's recursive query: 0.9 ms to plan, 0.1 ms to run), and Django more time composing the
SQL than PostgreSQL takes to answer. Everything else goes through the ORM.

- :func:`cursor` gives a cursor whose statements are prepared on PostgreSQL — parsed and
  planned at their first use on a connection, then only executed. Django keeps psycopg's
  automatic preparation off for every other query (so that connection poolers in
  transaction mode keep working; see docs/decisions/0009); only statements sent through
  this cursor are prepared. On SQLite it is Django's cursor: Python's ``sqlite3`` already
  keeps compiled statements by their text.
- :func:`fetch` runs a ``SELECT`` of whole rows of one or more models (:func:`columns`) and
  builds the instances as the ORM does (``from_db``, with the same value converters).
- :func:`insert` writes new instances with one ``INSERT … RETURNING`` per call, running the
  same per-field preparation as ``save()`` (``pre_save``: ``auto_now``; ``get_db_prep_save``:
  encryption, JSON). It sends no ``pre_save``/``post_save`` signals (gandan uses none: STYLE
  point 5) and does not check related instances for being saved.

Both go through Django's cursor wrapper, so errors are Django's (``IntegrityError``), and
queries are logged where Django logs them (tests, ``DEBUG``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.utils import CursorWrapper

M = TypeVar("M", bound=models.Model)


@cache
def _cursor_class() -> type:
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )
    from psycopg import ClientCursor

    class Sent:
        """What Django's query log reads of a statement (``cursor._query.query``): psycopg
        keeps no text of a prepared execution. Composed only when read (tests, DEBUG)."""

        def __init__(self, connection: Any, sql: str, params: Any) -> None:
            # The connection, not the cursor: a cursor holding its own log entry would be a
            # reference cycle, freed (with its results) only by the garbage collector.
            self.connection, self.sql, self.params = connection, sql, params

        @property
        def query(self) -> bytes:
            text = ClientCursor(self.connection).mogrify(self.sql, self.params)
            return text.encode()

    class PreparedCursor(ServerBindingCursor):  # type: ignore[misc]
        """psycopg's server-side binding cursor, preparing every statement it executes."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs["prepare"] = True
            result = super().execute(query, params, **kwargs)
            self._query = Sent(self.connection, query, params)
            return result

    return PreparedCursor


@contextmanager
def cursor() -> Iterator[CursorWrapper]:
    """Django's cursor, preparing its statements on PostgreSQL (see the module's text)."""
    db = _db()
    if db.vendor != "postgresql":
        with db.cursor() as plain:
            yield plain
        return
    db.ensure_connection()
    with db.wrap_database_errors:
        wrapped = db._prepare_cursor(_cursor_class()(db.connection))
    with wrapped:
        yield wrapped


def _db() -> Any:
    # The wrapper itself: every attribute read through ``django.db.connection`` looks the
    # wrapper up again (a context-local read), which adds up over thirty fields.
    return connections[DEFAULT_DB_ALIAS]


@cache
def columns(model: type[models.Model], alias: str) -> str:
    """``alias.col, alias.col, …`` of every concrete field of ``model``, in :func:`fetch`'s order."""
    quote = _db().ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in _fields(model))


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    return tuple(model._meta.concrete_fields)


@cache
def _converters(model: type[models.Model], vendor: str) -> list[tuple[int, list[Any], Any]]:
    # The ORM's own: the backend's converters, then the field's (compiler.get_converters).
    db = _db()
    found = []
    for i, field in enumerate(_fields(model)):
        col = field.get_col(model._meta.db_table)
        converters = db.ops.get_db_converters(col) + col.get_db_converters(db)
        if converters:
            found.append((i, converters, col))
    return found


def fetch(sql: str, params: Sequence[Any], *models_: type[models.Model]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (a prepared statement on PostgreSQL) and make each row into one instance of
    each of ``models_``, in order: the row must hold :func:`columns` of each, one after the
    other. Returns a tuple of instances per row.

    Datetime parameters are sent as the ORM sends them (on SQLite: UTC text without an
    offset, the way the column stores them; decision 0002), so comparisons agree with the ORM's.
    """
    db = _db()
    if db.vendor != "postgresql":
        params = [
            db.ops.adapt_datetimefield_value(p) if isinstance(p, dt.datetime) else p for p in params
        ]
    with cursor() as c:
        c.execute(sql, params)
        rows = c.fetchall()
    found = []
    for row in rows:
        start = 0
        made = []
        for model in models_:
            fields = _fields(model)
            values = list(row[start : start + len(fields)])
            for i, converters, col in _converters(model, db.vendor):
                for converter in converters:
                    values[i] = converter(values[i], col, db)
            made.append(model.from_db(db.alias, _attnames(model), values))
            start += len(fields)
        found.append(tuple(made))
    return found


def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in _fields(model)]


@cache
def _insert_sql(model: type[models.Model], rows: int, vendor: str) -> tuple[str, tuple[Any, ...]]:
    db = _db()
    opts = model._meta
    if opts.parents:
        raise ValueError(f"{opts.label}: insert() does not write inherited models")
    fields = tuple(f for f in opts.concrete_fields if f is not opts.auto_field)
    quote = db.ops.quote_name
    row = f"({', '.join(['%s'] * len(fields))})"
    returning = ", ".join(quote(f.column) for f in opts.db_returning_fields)
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - names from the model
        f"VALUES {', '.join([row] * rows)} RETURNING {returning}"
    )
    return sql, fields


def insert(objs: Sequence[M]) -> None:
    """Insert new instances of one model in one statement and set what the database returns
    (the primary key) on them, as ``save()`` would for a new instance."""
    if not objs:
        return
    model = type(objs[0])
    db = _db()
    sql, fields = _insert_sql(model, len(objs), db.vendor)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection=db)
        for obj in objs
        for field in fields
    ]
    with cursor() as c:
        c.execute(sql, params)
        returned = c.fetchall()
    returning = model._meta.db_returning_fields
    for obj, values in zip(objs, returned, strict=True):
        for field, value in zip(returning, values, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = db.alias

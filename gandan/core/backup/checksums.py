"""Row checksums of the tables: the same figure for the same rows on SQLite and PostgreSQL.

For each table, the rows are read in primary-key order (text keys by code point: ``COLLATE
"C"`` on PostgreSQL, SQLite's default binary order) and each value is written in one
canonical form before hashing, so that what each database hands back for the same stored
value hashes alike:

- numbers (integers, floats, decimals) as their shortest plain decimal: SQLite keeps a
  ``DecimalField`` as a number (12.5, or 12 for 12.0000), PostgreSQL as ``Decimal("12.5000")``;
- datetimes in UTC without an offset, to the microsecond: SQLite returns them naive in UTC,
  PostgreSQL aware;
- JSON columns by meaning (keys sorted, no spaces): PostgreSQL's ``jsonb`` reorders keys;
- UUIDs as 32 hex digits (SQLite stores them so), durations as microseconds (likewise),
  binary values (and so encrypted bytes) in hex, booleans as booleans, NULL as null.

The columns are hashed in name order, after a first line naming them, so a table whose
columns differ never matches. What to read (key columns, JSON columns) is decided once, at
backup, and kept in the manifest; a restore reads the tables exactly as the backup did, even
when its own models have moved on since.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.migrations.recorder import MigrationRecorder

# Rows fetched at a time: memory stays flat whatever the size of a table.
FETCH = 2000

# Field types whose column holds text, ordered differently by each database unless told.
_TEXT_TYPES = frozenset(
    {"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField"}
)


@dataclass(frozen=True)
class TablePlan:
    """How to read one table: its key columns (the order of its rows) and its JSON columns."""

    table: str
    key: tuple[str, ...]
    text_key: tuple[str, ...] = ()
    json: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"key": list(self.key), "text_key": list(self.text_key), "json": list(self.json)}

    @classmethod
    def from_dict(cls, table: str, data: dict[str, Any]) -> TablePlan:
        return cls(
            table=table,
            key=tuple(data["key"]),
            text_key=tuple(data.get("text_key", ())),
            json=tuple(data.get("json", ())),
        )


@dataclass(frozen=True)
class TableSum:
    """A table's number of rows and the SHA-256 of its rows in canonical form."""

    rows: int
    sha256: str


def _type_of(field: models.Field[Any, Any]) -> str:
    # A foreign key's column holds what the key it points to holds.
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field  # type: ignore[attr-defined]
    return field.get_internal_type()


def table_plans(existing: Collection[str]) -> list[TablePlan]:
    """The plan of every table of an installed model (and ``django_migrations``) found among
    ``existing``, by table name."""
    found: dict[str, TablePlan] = {}
    candidates: list[type[models.Model]] = [
        *apps.get_models(include_auto_created=True),
        MigrationRecorder.Migration,
    ]
    for model in candidates:
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped or meta.db_table not in existing:
            continue
        if meta.db_table in found:
            continue
        key_fields = list(meta.pk_fields)
        found[meta.db_table] = TablePlan(
            table=meta.db_table,
            key=tuple(f.column for f in key_fields),
            text_key=tuple(f.column for f in key_fields if _type_of(f) in _TEXT_TYPES),
            json=tuple(f.column for f in meta.local_concrete_fields if _type_of(f) == "JSONField"),
        )
    return [found[name] for name in sorted(found)]


def _number(value: decimal.Decimal) -> str:
    if not value.is_finite():
        return str(value)
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _json(value: Any) -> str:
    if isinstance(value, str | bytes | bytearray):
        try:
            value = json.loads(value)
        except ValueError:
            # Not JSON after all: hashed as the text it is, so that both sides still agree.
            return value if isinstance(value, str) else bytes(value).hex()
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _datetime(value: dt.datetime) -> str:
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(sep="T", timespec="microseconds")


def _microseconds(value: dt.timedelta) -> str:
    return str((value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds)


def _same(value: Any) -> Any:
    return value


# By exact type, the common case: one dictionary look-up a value.
_BY_TYPE: dict[type, Callable[[Any], Any]] = {
    str: _same,
    type(None): _same,
    bool: _same,
    int: str,
    float: lambda value: _number(decimal.Decimal(repr(value))),
    decimal.Decimal: _number,
    dt.datetime: _datetime,
    dt.date: dt.date.isoformat,
    dt.time: lambda value: value.isoformat(timespec="microseconds"),
    dt.timedelta: _microseconds,
    uuid.UUID: lambda value: value.hex,
    bytes: bytes.hex,
    bytearray: bytearray.hex,
    memoryview: lambda value: value.tobytes().hex(),
    dict: _json,
    list: _json,
}
# Subclasses of these (str enums, Django's SafeString…) take the slower path.
_BY_CLASS: list[tuple[type | tuple[type, ...], Callable[[Any], Any]]] = [
    (bool, _same),
    (str, str),
    (int, lambda value: str(int(value))),
    (float, _BY_TYPE[float]),
    (decimal.Decimal, _number),
    (dt.datetime, _datetime),
    (dt.date, lambda value: dt.date.isoformat(value)),
    (dt.time, _BY_TYPE[dt.time]),
    (dt.timedelta, _microseconds),
    (uuid.UUID, _BY_TYPE[uuid.UUID]),
    ((bytes, bytearray, memoryview), lambda value: bytes(value).hex()),
    ((dict, list), _json),
]


def canonical(value: Any, *, is_json: bool = False) -> Any:
    """``value`` as hashed: None, a boolean or a string."""
    if is_json and value is not None:
        return _json(value)
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    for kind, by_class in _BY_CLASS:
        if isinstance(value, kind):
            return by_class(value)
    return str(value)


def quote(name: str) -> str:
    """An identifier quoted for both SQLite and PostgreSQL."""
    return '"' + name.replace('"', '""') + '"'


# Reads rows of one SELECT, a batch at a time: (sql) -> rows.
RowReader = Callable[[str], Iterator[Sequence[Any]]]
# The column names of a table: (table) -> names.
ColumnReader = Callable[[str], list[str]]


def table_sum(
    plan: TablePlan, *, columns_of: ColumnReader, rows_of: RowReader, vendor: str
) -> TableSum:
    columns = sorted(columns_of(plan.table))
    json_at = {index for index, name in enumerate(columns) if name in plan.json}

    def order(column: str) -> str:
        if vendor == "postgresql" and column in plan.text_key:
            return f'{quote(column)} COLLATE "C"'
        return quote(column)

    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(plan.table)} "  # noqa: S608 - identifiers from the schema, quoted
        f"ORDER BY {', '.join(order(c) for c in plan.key)}"
    )
    digest = hashlib.sha256()
    digest.update(json.dumps(columns).encode() + b"\n")
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    by_type = _BY_TYPE.get
    for row in rows_of(sql):
        line = [
            convert(value) if (convert := by_type(type(value))) else canonical(value)
            for value in row
        ]
        for index in json_at:
            line[index] = canonical(row[index], is_json=True)
        digest.update(dumps(line).encode())
        digest.update(b"\n")
        count += 1
    return TableSum(rows=count, sha256=digest.hexdigest())


def latest_migrations(applied: Iterator[Sequence[Any]]) -> dict[str, str]:
    """The latest applied migration of each app, from ``(app, name)`` rows."""
    latest: dict[str, str] = {}
    for app, name in applied:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))

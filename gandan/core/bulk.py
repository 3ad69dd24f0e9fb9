"""Inserting many rows at once without building a model instance per row.

Django's ``bulk_create`` prepares every value of every instance in Python, which costs tens of
microseconds a row: fine for thousands, slow for the demo's and imports' hundreds of thousands.
:func:`insert_rows` sends plain tuples with ``executemany`` instead. Values must already be what
the column stores (no field conversions run: not for encrypted fields).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, attribute names like ``unit_id``).

    ``created_at`` and ``updated_at`` are filled with the current time when the model has them
    and ``fields`` does not. Returns the number of rows inserted.
    """
    opts = model._meta
    column_of = {f.attname: f.column for f in opts.concrete_fields}
    names = list(fields)
    stamps = [
        name for name in ("created_at", "updated_at") if name in column_of and name not in names
    ]
    unknown = [name for name in names if name not in column_of]
    if unknown:
        raise ValueError(f"{opts.label} has no column for {', '.join(unknown)}")
    now = timezone.now()
    columns = [column_of[name] for name in names + stamps]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    extra = (now,) * len(stamps)
    total = 0
    iterator = iter(rows)
    # One transaction: outside one, SQLite would commit (and sync to disk) after every row.
    with transaction.atomic(), connection.cursor() as cursor:
        while batch := [(*row, *extra) for row in islice(iterator, batch_size)]:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total

"""``insert_rows`` and ``write_rows``: plain tuples into a table (COPY on PostgreSQL,
executemany on SQLite), read back through the ORM; a refused row writes nothing."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, connection, transaction

from gandan.core.bulk import insert_rows, write_rows
from gandan.core.models import Event

pytestmark = pytest.mark.django_db

AT = dt.datetime(2025, 7, 1, 7, 30, tzinfo=dt.UTC)
FIELDS = ["occurred_at", "kind", "actor_id", "subject_type", "subject_id", "province_code", "data"]


def rows(n: int) -> list[tuple[object, ...]]:
    # Text that COPY's text format must escape (tab, newline, backslash), JSON given as text,
    # None for a nullable foreign key.
    return [
        (
            AT + dt.timedelta(minutes=i),
            "received",
            None,
            "onestop\tdossier\n\\N",  # COPY's separators and its NULL marker, as text
            str(i),
            "46",
            json.dumps({"note": f"Nguyễn\tThị\nHoa \\ số {i}", "due": None}, ensure_ascii=False),
        )
        for i in range(n)
    ]


def test_insert_rows_writes_every_row_as_given():
    assert insert_rows(Event, FIELDS, rows(12), batch_size=5) == 12
    events = list(Event.objects.order_by("occurred_at"))
    assert [e.subject_id for e in events] == [str(i) for i in range(12)]
    assert events[3].occurred_at == AT + dt.timedelta(minutes=3)
    assert events[3].data == {"note": "Nguyễn\tThị\nHoa \\ số 3", "due": None}
    assert events[0].actor_id is None and events[0].province_code == "46"
    assert events[0].subject_type == "onestop\tdossier\n\\N"


def test_insert_rows_of_nothing_writes_nothing():
    assert insert_rows(Event, FIELDS, []) == 0
    assert not Event.objects.exists()


def test_a_refused_row_is_djangos_integrity_error_and_writes_nothing():
    good = rows(3)
    bad = (*good[0][:1], None, *good[0][2:])  # kind is NOT NULL
    with pytest.raises(IntegrityError):
        insert_rows(Event, FIELDS, [*good, bad])
    assert not Event.objects.exists()


def test_write_rows_takes_columns_as_the_table_names_them():
    columns = [Event._meta.get_field(name).column for name in FIELDS]
    with transaction.atomic():
        assert write_rows(connection, Event._meta.db_table, columns, rows(2)) == 2
    assert Event.objects.count() == 2


def test_unknown_field_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="no column for colour"):
        insert_rows(Event, [*FIELDS, "colour"], [])

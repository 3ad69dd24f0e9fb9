"""The batch path of the import framework: one reading of the file, chunks written in one
transaction, rejections by row number, all or nothing, figures; and ``bulk_insert``."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import DatabaseError
from django.utils import timezone

from gandan.core import imports
from gandan.core.imports import Figure, ImportContext, Row, TableImporter, bulk_insert
from gandan.core.models import Event

pytestmark = pytest.mark.django_db


class Notes(TableImporter[tuple[str, int]]):
    """Made-up rows "name, number", each written as an event; odd rules to test the path."""

    kind = "notes"
    label = "ghi chú"
    columns = ("name", "number")
    counter_labels = {"notes": "ghi chú"}
    batch_size = 2
    instances: list[Notes] = []

    def __init__(self, context: ImportContext) -> None:
        super().__init__(context)
        self.seen: dict[str, int] = {}
        self.chunks: list[list[int]] = []
        self.finished = 0
        Notes.instances.append(self)

    def parse(self, row: Row) -> tuple[str, int] | None:
        name = row.required("name")
        text = row.text("number")
        if not text.lstrip("-").isdigit():
            row.error("number", "phải là số")
            return None
        return (name, int(text)) if not row.errors else None

    def check_across(self, row: Row, parsed: tuple[str, int]) -> None:
        first = self.seen.setdefault(parsed[0], row.number)
        if first != row.number:
            row.error("name", f"trùng với dòng {first}")

    def write(self, row: Row, parsed: tuple[str, int]) -> None:
        raise AssertionError("the batch path never writes row by row")

    def write_batch(self, rows: list[tuple[Row, tuple[str, int]]]) -> None:
        self.chunks.append([row.number for row, _ in rows])
        for row, (_name, number) in rows:
            if number == 13:
                row.error("number", "số xui")
            if number == 99:  # contradicts the first row of the file, wherever it is
                self.reject(2, "name", "", "mâu thuẫn với dòng sau")
            if number == 666:
                raise DatabaseError("boom")
        bulk_insert(
            Event,
            [
                Event(kind="note", subject_type="note", subject_id=name, data={"n": number})
                for _row, (name, number) in rows
            ],
        )
        self.count("notes", len(rows))

    def finish(self) -> None:
        self.finished += 1

    def figures(self) -> list[Figure]:
        return [Figure("Tổng", (("ghi chú", sum(self.counts.values())),))]


@pytest.fixture(autouse=True)
def notes(monkeypatch):
    Notes.instances = []
    monkeypatch.setattr(imports, "get_importer", lambda kind: Notes)
    return Notes


def csv_file(*lines: str) -> BytesIO:
    return BytesIO(("name,number\n" + "\n".join(lines) + "\n").encode())


def run(*lines: str, **options):
    return imports.run_import("notes", csv_file(*lines), filename="ghi-chu.csv", **options)


def notes_saved() -> list[tuple[str, int]]:
    return [(e.subject_id, e.data["n"]) for e in Event.objects.filter(kind="note").order_by("pk")]


def test_rows_are_written_in_chunks_by_the_importer_that_checked_them(monkeypatch):
    readings = []
    real = imports.read_rows
    monkeypatch.setattr(imports, "read_rows", lambda *a: readings.append(1) or real(*a))
    report = run("an,1", "binh,2", "cuong,3", "dung,4", "em,5")
    assert report.ok, report.lines()
    assert len(readings) == 1  # the second step reads the rows kept aside, not the file
    assert len(Notes.instances) == 1
    importer = Notes.instances[0]
    assert importer.chunks == [[2, 3], [4, 5], [6]]
    assert importer.finished == 1
    assert notes_saved() == [("an", 1), ("binh", 2), ("cuong", 3), ("dung", 4), ("em", 5)]
    assert report.created == {"notes": 5}
    assert [str(f) for f in report.figures] == ["Tổng: 5 ghi chú"]
    assert report.summary() == "Đã nhập 5 dòng. Đã tạo: 5 ghi chú. Số liệu: Tổng: 5 ghi chú."


def test_a_row_rejected_while_writing_saves_nothing_and_is_reported():
    report = run("an,1", "binh,13", "cuong,3")
    assert not report.ok
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(3, "number", "số xui")]
    assert report.rows_ok == 2
    assert notes_saved() == []
    assert Notes.instances[0].finished == 0
    assert report.figures == [] and report.created == {}


def test_a_row_of_an_earlier_chunk_is_rejected_by_number_and_errors_come_in_row_order():
    report = run("an,1", "binh,2", "cuong,99", "dung,-1", "em,13")
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "name", "mâu thuẫn với dòng sau"),
        (6, "number", "số xui"),
    ]
    assert report.rows_ok == 3
    assert notes_saved() == []


def test_errors_of_the_first_reading_are_all_reported_and_nothing_is_saved():
    report = run("an,1", "an,2", "binh,x", "cuong,13")
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "name", "trùng với dòng 2"),
        (4, "number", "phải là số"),
        (5, "number", "số xui"),  # the good rows are still written to find these
    ]
    assert "Tệp có 3 lỗi ở 3 trên 4 dòng dữ liệu: không có gì được lưu." in report.summary()
    assert notes_saved() == []


def test_a_dry_run_reports_the_same_and_saves_nothing():
    report = run("an,1", "binh,2", "cuong,3", dry_run=True)
    assert report.ok
    assert report.would_create == {"notes": 3} and report.created == {}
    assert [str(f) for f in report.figures] == ["Tổng: 3 ghi chú"]
    assert "(Chỉ kiểm tra: chưa lưu gì.)" in report.summary()
    assert Notes.instances[0].finished == 1  # inside the transaction that is rolled back
    assert notes_saved() == []


def test_a_chunk_the_database_refuses_is_reported_and_the_next_ones_are_not_tried():
    report = run("an,1", "binh,666", "cuong,3", "dung,4", "em,5")
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "", "không ghi được vào cơ sở dữ liệu"),
        (3, "", "không ghi được vào cơ sở dữ liệu"),
    ]
    assert Notes.instances[0].chunks == [[2, 3]]
    assert notes_saved() == []


def test_a_file_with_only_a_header_is_refused():
    report = imports.run_import("notes", BytesIO(b"name,number\n"), filename="ghi-chu.csv")
    assert [e.reason for e in report.errors] == [
        "tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào"
    ]


def test_bulk_insert_writes_every_field_as_the_orm_would():
    when = dt.datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_current_timezone())
    count = bulk_insert(
        Event,
        [
            Event(kind="a", subject_type="x", subject_id="1", data={"ý": [1, 2]}, occurred_at=when),
            Event(kind="b", subject_type="x", subject_id="2", province_code="46"),
        ],
    )
    assert count == 2
    first, second = Event.objects.filter(subject_type="x").order_by("subject_id")
    assert (first.kind, first.data, first.occurred_at) == ("a", {"ý": [1, 2]}, when)
    assert (second.province_code, second.data, second.actor) == ("46", {}, None)
    assert bulk_insert(Event, []) == 0

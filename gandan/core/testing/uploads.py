"""Spreadsheets to upload in tests of the import screens: a header row of ``columns``, then
one row per dict (missing columns left empty)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO, StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx_upload(
    columns: Sequence[str], rows: Iterable[Mapping[str, object]], name: str = "tep.xlsx"
) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.append(list(columns))
    for values in rows:
        sheet.append([values.get(column, "") for column in columns])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(
    columns: Sequence[str], rows: Iterable[Mapping[str, object]], name: str = "tep.csv"
) -> SimpleUploadedFile:
    text = StringIO()
    writer = csv.DictWriter(text, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"))

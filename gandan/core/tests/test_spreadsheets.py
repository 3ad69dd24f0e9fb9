"""One way to write CSV and .xlsx: a formula-like text stays a text; imports refuse one."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from gandan.core.spreadsheets import append, csv_bytes, put, refused_in_import

DANGEROUS = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


def test_csv_gives_formula_like_texts_an_apostrophe_and_keeps_the_rest() -> None:
    data = csv_bytes([["tên", "số"], *([text, 5] for text in DANGEROUS), ["Tổ 1", -3]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:-1]] == ["'" + text for text in DANGEROUS]
    assert rows[-1] == ["Tổ 1", "-3"]  # a number is a number


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_stores_formula_like_texts_as_strings(write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("a") if write_only else book.active
    for text in DANGEROUS:
        append(sheet, [text, 1])
    if not write_only:
        put(sheet, 20, 1, "=2*2")
    out = io.BytesIO()
    book.save(out)
    cells = [c for row in load_workbook(out).worksheets[0].iter_rows() for c in row if c.value]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert {c.value for c in texts} >= set(DANGEROUS)
    assert all(c.data_type == "s" for c in texts)


def test_an_import_refuses_formulas_but_not_signed_numbers_or_phone_numbers() -> None:
    assert all(refused_in_import(text) for text in DANGEROUS)
    for fine in ("+84 912 345 678", "-12.5", "Tổ dân phố 1", "", None, 7):
        assert not refused_in_import(fine)

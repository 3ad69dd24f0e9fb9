"""Spreadsheets people open in Excel or LibreOffice: one way to write a value into CSV or .xlsx.

A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a
spreadsheet program: a village name ``=HYPERLINK("http://…","Bấm vào đây")`` typed by anyone
who may rename a village would become a live link, or worse, in every export that shows it.
Every export writes through this module, which keeps such a text a text:

- CSV (``csv_bytes``): the text gets a leading apostrophe, which the programs show as the
  start of a text and do not evaluate; the file has a BOM so that Excel reads Vietnamese.
- .xlsx (``cell_for``, ``put``): the cell is stored as a string, never as a formula.

Numbers, dates and empty cells pass unchanged. Imports refuse such texts instead
(``gandan.core.imports.reading``), so that what is exported was never a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A sign then digits: a negative figure, an international phone number (+84 912 345 678).
_SIGNED_NUMBER = re.compile(r"[+-][\d .,()]*\d")


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet program could take this value as a formula (exports neutralise)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def refused_in_import(value: Any) -> bool:
    """A formula-like text an import refuses: anything but a signed number or phone number."""
    return formula_like(value) and not _SIGNED_NUMBER.fullmatch(value.strip())


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as CSV (UTF-8 with a BOM), formula-like texts neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["'" + value if formula_like(value) else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def cell_for(sheet: Any, value: Any) -> Any:
    """What to ``sheet.append``: the value itself, or a text cell for a formula-like text.

    Works for ordinary and write-only sheets alike."""
    if not formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def append(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append`` with every formula-like text kept a text."""
    sheet.append([cell_for(sheet, value) for value in values])


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``sheet.cell(row, column, value)`` with a formula-like text kept a text."""
    cell: Cell = sheet.cell(row=row, column=column, value=value)
    if formula_like(value):
        cell.data_type = "s"
    return cell

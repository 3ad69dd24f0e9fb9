"""One data row of a file and its cells as a person reads them (text, dates)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from gandan.core.imports.report import RowError
from gandan.core.text import fold

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def cell_text(value: Any) -> str:
    """A cell as the text a person would read: numbers without ``.0``, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value:%d/%m/%Y}"
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value).split())


def parse_date(value: Any) -> dt.date:
    """A date from a spreadsheet date cell, ``dd/mm/yyyy`` or ``yyyy-mm-dd``; ValueError if none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    found = _DMY.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
    else:
        found = _ISO.match(text)
        if not found:
            raise ValueError("ngày không hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd)")
        year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("ngày không hợp lệ") from None


@dataclass
class Row:
    """One data row: raw cells by column, and the errors found in it."""

    number: int
    cells: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    def raw(self, column: str) -> Any:
        return self.cells.get(column)

    def text(self, column: str) -> str:
        return cell_text(self.cells.get(column))

    def error(self, column: str, reason: str, value: str | None = None) -> None:
        shown = self.text(column) if value is None else value
        if len(shown) > 100:
            shown = shown[:99] + "…"
        self.errors.append(RowError(self.number, column, shown, reason))

    def required(self, column: str) -> str:
        text = self.text(column)
        if not text:
            self.error(column, "không được để trống")
        return text

    def choice(self, column: str, choices: Mapping[str, str], reason: str) -> str | None:
        """The value a required cell names, found by its folded text in ``choices``; None, with
        ``reason`` as the row's error, if it names none."""
        text = self.required(column)
        if not text:
            return None
        value = choices.get(fold(text))
        if value is None:
            self.error(column, reason)
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        if not self.text(column):
            if required:
                self.error(column, "không được để trống")
            return None
        try:
            return parse_date(self.raw(column))
        except ValueError as error:
            self.error(column, str(error))
            return None


@contextmanager
def columns(mapping: dict[str, str]) -> Iterator[None]:
    """Rename the keys of a service's ``ValidationError`` to the file's column names."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed = {mapping.get(key, key): value for key, value in error.message_dict.items()}
        raise ValidationError(renamed) from error

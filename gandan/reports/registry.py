"""Every report, by name: the CLI (``gandan report``), the API and the screens call the same function.

A report takes a :class:`ReportRequest` and returns a JSON-ready dict. Apps add theirs to
``REPORTS`` in their ``reports.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.utils import timezone

from gandan.geo.models import Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code

REPORT_MODULES = [
    "gandan.geo.reports",
    "gandan.officials.reports",
    "gandan.feedback.reports",
    "gandan.households.reports",
    "gandan.onestop.reports",
]


class ReportError(Exception):
    """Bad input for a report: the message is for people, ``field`` for programs."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ReportRequest:
    unit: Unit | None  # None: the whole country
    as_of: dt.date
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    as_of_given: bool = False  # a year "as of" a later date: counted under that date's units


ReportFunction = Callable[[ReportRequest], dict[str, Any]]


def reports() -> dict[str, ReportFunction]:
    found: dict[str, ReportFunction] = {}
    for module in REPORT_MODULES:
        found.update(import_module(module).REPORTS)
    return found


def layouts() -> dict[str, dict[str, Callable[[dict[str, Any]], bytes]]]:
    """Reports that lay out csv or xlsx themselves: ``LAYOUTS = {name: {fmt: function}}``."""
    found: dict[str, dict[str, Callable[[dict[str, Any]], bytes]]] = {}
    for module in REPORT_MODULES:
        found.update(getattr(import_module(module), "LAYOUTS", {}))
    return found


def parse_date(value: str | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportError(
            field, f"Ngày không hợp lệ: {value!r} (cần dạng YYYY-MM-DD, ví dụ 2025-07-01)."
        ) from None


def build_request(
    *,
    unit_code: str | None,
    as_of: str | None = None,
    year: str | int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> ReportRequest:
    """Check a report's parameters as people type them; raise :class:`ReportError` on bad input."""
    parsed_as_of = parse_date(as_of, "as_of")
    parsed_year: int | None = None
    if year not in (None, ""):
        try:
            parsed_year = int(str(year))
        except ValueError:
            raise ReportError("year", f"Năm không hợp lệ: {year!r}.") from None
        if not 1945 <= parsed_year <= 2100:
            raise ReportError("year", f"Năm không hợp lệ: {parsed_year}.")
        today = timezone.localdate()
        if parsed_as_of is None:
            parsed_as_of = (
                min(dt.date(parsed_year, 12, 31), today)
                if parsed_year <= today.year
                else dt.date(parsed_year, 12, 31)
            )
        elif parsed_as_of < dt.date(parsed_year, 1, 1):
            raise ReportError(
                "as_of", f"Ngày {parsed_as_of:%d/%m/%Y} trước năm {parsed_year}: không có số liệu."
            )
    when = parsed_as_of or timezone.localdate()
    unit = None
    if unit_code:
        try:
            unit = unit_by_code(unit_code, as_of=when)
        except UnitNotFound as error:
            raise ReportError("unit", str(error)) from None
    return ReportRequest(
        unit=unit,
        as_of=when,
        year=parsed_year,
        date_from=parse_date(date_from, "from"),
        date_to=parse_date(date_to, "to"),
        as_of_given=as_of not in (None, ""),
    )


def run_report(name: str, request: ReportRequest) -> dict[str, Any]:
    available = reports()
    if name not in available:
        raise ReportError(
            "name", f"Không có báo cáo {name!r}. Các báo cáo: {', '.join(sorted(available))}."
        )
    return available[name](request)

"""Rows of the households import file for the import tests: a good row and files made of rows."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO
from typing import Any

from gandan.core.imports import run_import
from gandan.households.imports import COLUMNS

GOOD = {
    "household_code": "H001",
    "commune_code": "19789",
    "hamlet_code": "",
    "year": "2025",
    "area": "urban",
    "income_per_capita": "1200000",
    "deprived": "water;latrine;telecom",
    "ethnic_minority": "0",
    "members": "4",
    "head_name": "Nguyễn Văn An",
}


def row(**changes: str) -> dict[str, str]:
    """The good row (household H001 of commune 19789, 2025) with ``changes``."""
    return {**GOOD, **changes}


def as_csv(rows: list[dict[str, str]], delimiter: str = ",") -> BytesIO:
    text = StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return BytesIO(text.getvalue().encode("utf-8"))


def run(rows: list[dict[str, str]], **options: Any) -> Any:
    """Import ``rows`` as a .csv file through the households importer."""
    return run_import("households", as_csv(rows), filename="ho.csv", **options)

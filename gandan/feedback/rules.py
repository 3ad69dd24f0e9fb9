"""Load feedback rules (case types with their legal clocks, categories) from ``gandan/feedback/rules/``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gandan.core.rules import RulesSummary, read_fixture, upsert
from gandan.feedback.models import CaseType, Category

APP = "gandan.feedback"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load(*, summary: RulesSummary, say: Callable[[str], None]) -> None:
    case_types: list[dict[str, Any]] = [
        {**row, "valid_from": _date(row["valid_from"]), "valid_to": _date(row["valid_to"])}
        for row in read_fixture(APP, "case_types.json")["case_types"]
    ]
    upsert(CaseType, ("code", "valid_from"), case_types, summary, "loại vụ việc")
    categories = read_fixture(APP, "categories.json")["categories"]
    upsert(Category, ("code",), categories, summary, "lĩnh vực phản ánh")
    say(f"phản ánh: {len(case_types)} loại vụ việc, {len(categories)} lĩnh vực")

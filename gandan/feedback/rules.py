"""Feedback rules from ``gandan/feedback/rules/``: case types with their legal clocks and
categories (loaded into the database), and the answer templates (read once from the file)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from gandan.core.rules import RulesSummary, read_fixture, upsert
from gandan.feedback.models import ANSWERED_STATUSES, CaseType, Category

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


@functools.cache
def answer_templates() -> dict[str, list[tuple[str, str]]]:
    """Starting points for the public answer, per final status: (title, text) pairs."""
    rows = read_fixture(APP, "answers.json")["answer_templates"]
    found = {status: [(t["title"], t["text"]) for t in rows[status]] for status in rows}
    unknown = set(found) - set(ANSWERED_STATUSES)
    if unknown:
        raise ValueError(f"answers.json: không phải trạng thái trả lời: {sorted(unknown)}")
    return found

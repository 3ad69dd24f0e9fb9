"""Load the officials' rules from ``gandan/officials/rules/*.json``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gandan.core.rules import RulesSummary, read_fixture, upsert
from gandan.officials.models import (
    EvaluationScheme,
    Position,
    PositionStandard,
    Quota,
    RetirementAge,
)

APP = "gandan.officials"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "valid_from": _date(row.get("valid_from")),
        "valid_to": _date(row.get("valid_to")),
    }


def load(*, summary: RulesSummary, say: Callable[[str], None]) -> None:
    positions = []
    for period in read_fixture(APP, "positions.json")["periods"]:
        for row in period["positions"]:
            positions.append(
                _dated(
                    {
                        "level": "commune",
                        "single_holder": False,
                        "is_party_head": False,
                        "order": 100,
                        **row,
                        "valid_from": period["valid_from"],
                        "valid_to": period["valid_to"],
                        "source": period["source"],
                    }
                )
            )
    upsert(Position, ("code", "valid_from"), positions, summary, "chức danh")
    standards = [
        {**_dated(row), "deadline": _date(row.get("deadline"))}
        for row in read_fixture(APP, "standards.json")["standards"]
    ]
    upsert(PositionStandard, ("position_code", "valid_from"), standards, summary, "tiêu chuẩn")
    quotas = [_dated(row) for row in read_fixture(APP, "quotas.json")["quotas"]]
    upsert(
        Quota, ("group", "unit_type", "classification", "valid_from"), quotas, summary, "định mức"
    )
    upsert(
        EvaluationScheme,
        ("first_year",),
        read_fixture(APP, "evaluation.json")["schemes"],
        summary,
        "thang đánh giá",
    )
    upsert(
        RetirementAge,
        ("sex", "year"),
        read_fixture(APP, "retirement.json")["retirement"],
        summary,
        "tuổi nghỉ hưu",
    )
    say(
        f"cán bộ, công chức: {len(positions)} chức danh, {len(standards)} tiêu chuẩn, {len(quotas)} định mức"
    )

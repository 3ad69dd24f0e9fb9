"""Load the poverty standards and the review's procedure constants from ``rules/*.json``."""

from __future__ import annotations

from collections.abc import Callable

from gandan.core.rules import RulesSummary, read_fixture, upsert
from gandan.households.models import Indicator, PovertyStandard, ReviewRule

APP = "gandan.households"


def load(*, summary: RulesSummary, say: Callable[[str], None]) -> None:
    rows = read_fixture(APP, "standards.json")["standards"]
    standards = upsert(
        PovertyStandard,
        ("code",),
        [{key: value for key, value in row.items() if key != "indicators"} for row in rows],
        summary,
        "chuẩn nghèo",
    )
    indicators = []
    for row in rows:
        standard = standards[(row["code"],)]
        assert isinstance(standard, PovertyStandard)  # noqa: S101 - upsert returns its model
        for order, (code, dimension, name) in enumerate(row["indicators"], start=1):
            indicators.append(
                {
                    "standard": standard,
                    "code": code,
                    "dimension": dimension,
                    "name": name,
                    "order": order,
                }
            )
        known = [code for code, _d, _n in row["indicators"]]
        Indicator.objects.filter(standard=standard).exclude(code__in=known).delete()
    upsert(Indicator, ("standard", "code"), indicators, summary, "chỉ số thiếu hụt")
    review_rules = read_fixture(APP, "review.json")["rules"]
    upsert(ReviewRule, ("code",), review_rules, summary, "quy định rà soát")
    say(
        f"hộ nghèo: {len(rows)} chuẩn nghèo, {len(indicators)} chỉ số, {len(review_rules)} quy định rà soát"
    )

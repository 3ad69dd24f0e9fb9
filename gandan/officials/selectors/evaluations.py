"""Yearly evaluation grades per commune and the cap on "excellent"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from gandan.geo.models import Unit
from gandan.officials.models import Evaluation, EvaluationScheme, Grade
from gandan.officials.selectors.common import communes_under


def evaluation_summary(unit: Unit | None, year: int) -> list[dict[str, Any]]:
    """Per commune: grades given in ``year`` and whether "excellent" stays within the cap."""
    scheme = EvaluationScheme.objects.filter(first_year__lte=year).order_by("-first_year").first()
    cap = scheme.excellent_cap_pct if scheme else 20
    as_of = dt.date(year, 12, 31)
    qs = Evaluation.objects.filter(year=year)
    if unit is not None:
        qs = qs.filter(unit_id__in=communes_under(unit, as_of))
    rows = (
        qs.values("unit_id", "unit__name")
        .annotate(
            graded=Count("id"),
            excellent=Count("id", filter=Q(grade=Grade.EXCELLENT)),
            good=Count("id", filter=Q(grade=Grade.GOOD)),
            completed=Count("id", filter=Q(grade=Grade.COMPLETED)),
            not_completed=Count("id", filter=Q(grade=Grade.NOT_COMPLETED)),
        )
        .order_by("unit__name")
    )
    result = []
    for row in rows:
        good_or_above = row["excellent"] + row["good"]
        allowed = int(Decimal(good_or_above * cap) / 100)
        result.append(
            {
                **row,
                "cap_pct": cap,
                "excellent_allowed": allowed,
                "over_cap": row["excellent"] > allowed,
            }
        )
    return result

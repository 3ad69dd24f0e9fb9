"""Heads of commune Party committees, local or not, and long tenures in one post."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from gandan.geo.models import Lineage, Unit
from gandan.officials.models import Category, Posting
from gandan.officials.selectors.common import TERM_MONTHS, _local, postings_on


def party_heads(unit: Unit | None, as_of: dt.date) -> list[dict[str, Any]]:
    """Heads of commune Party committees on ``as_of``, local or not, with their tenure in the post."""
    postings = (
        postings_on(unit, as_of)
        .filter(position__is_party_head=True)
        .annotate(
            local=Case(When(_local(), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .select_related("official", "unit", "official__home_unit")
        .order_by("unit__name")
    )
    result = []
    for posting in postings:
        months = tenure_months(posting, as_of)
        result.append(
            {
                "posting": posting,
                "local": bool(posting.local),
                "tenure_months": months,
                "more_than_two_terms": months > 2 * TERM_MONTHS,
            }
        )
    return result


def tenure_months(posting: Posting, as_of: dt.date) -> int:
    """Months in the same post at the same commune (or the one it came from), without a break."""
    chain = Posting.objects.filter(
        official_id=posting.official_id, position__code=posting.position.code
    ).order_by("-valid_from")
    units = {posting.unit_id} | set(
        Lineage.objects.filter(successor_id=posting.unit_id).values_list(
            "predecessor_id", flat=True
        )
    )
    start = posting.valid_from or as_of
    for earlier in chain:
        if (
            earlier.valid_from is None
            or earlier.valid_from >= start
            or earlier.unit_id not in units
        ):
            continue
        if earlier.valid_to is not None and (start - earlier.valid_to).days <= 1:
            start = earlier.valid_from
    return (as_of.year - start.year) * 12 + as_of.month - start.month


def long_tenure(unit: Unit | None, as_of: dt.date) -> list[dict[str, Any]]:
    """Leaders who have held the same post for more than two consecutive terms."""
    postings = (
        postings_on(unit, as_of)
        .filter(position__category=Category.CADRE, position__single_holder=True)
        .select_related("official", "unit", "position")
    )
    flagged = []
    for posting in postings:
        months = tenure_months(posting, as_of)
        if months > 2 * TERM_MONTHS:
            flagged.append({"posting": posting, "tenure_months": months})
    return flagged

"""What the officials reads share: the communes under a unit, the postings held on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from gandan.core.models import valid_on_q
from gandan.geo.models import Level, Lineage, Unit
from gandan.officials.models import Posting, Qualification

AGE_BANDS = [
    (0, 30, "Dưới 30"),
    (30, 40, "30–39"),
    (40, 50, "40–49"),
    (50, 60, "50–59"),
    (60, 200, "Từ 60"),
]
# Whole terms of office: heading the same post for more than two in a row is flagged (Regulation 65-QĐ/TW).
TERM_MONTHS = 60


def communes_under(unit: Unit | None, as_of: dt.date) -> Any:
    """Ids of the communes valid on ``as_of`` at or below ``unit`` (the whole country for ``None``)."""
    qs = Unit.objects.valid_on(as_of).filter(level=Level.COMMUNE)
    if unit is not None:
        qs = qs.filter(Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit))
    return qs.values("pk")


def postings_on(unit: Unit | None, as_of: dt.date) -> Any:
    """Postings held on ``as_of`` in the communes at or below ``unit``."""
    return Posting.objects.filter(valid_on_q(as_of), unit_id__in=communes_under(unit, as_of))


def _highest(kind: str, as_of: dt.date) -> Any:
    """The highest level of a kind of qualification held on ``as_of`` (0 if none)."""
    return Coalesce(
        Subquery(
            Qualification.objects.filter(
                official_id=OuterRef("official_id"), kind=kind, awarded_on__lte=as_of
            )
            .order_by("-level")
            .values("level")[:1]
        ),
        Value(0),
    )


def _local() -> Any:
    """True when the official's home commune is the posting's commune, or one it came from or became."""
    linked = Lineage.objects.filter(
        Q(predecessor_id=OuterRef("official__home_unit_id"), successor_id=OuterRef("unit_id"))
        | Q(successor_id=OuterRef("official__home_unit_id"), predecessor_id=OuterRef("unit_id"))
    )
    return Q(official__home_unit_id=F("unit_id")) | Exists(linked)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
    except OverflowError:
        return dt.date.min

"""Numbers as reports show them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole`` with one decimal, rounded half up as people round (0 for 0 of 0)."""
    if not whole:
        return 0.0
    return float(
        (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    )

"""Numbers as reports show them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int, decimals: int = 1) -> float:
    """``part`` as a percentage of ``whole``, rounded half up as people round (0 for 0 of 0)."""
    if not whole:
        return 0.0
    step = Decimal(1).scaleb(-decimals)
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(step, rounding=ROUND_HALF_UP))

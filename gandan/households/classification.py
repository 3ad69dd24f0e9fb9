"""Classifying a household under a poverty standard, with the reason in words.

Pure functions over a :class:`StandardRules` snapshot, so that classifying a whole year does not
query the database per household.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gandan.households.models import Area, PovertyStandard, Standing


@dataclass(frozen=True)
class StandardRules:
    """A standard as plain values: what classification needs, nothing else."""

    pk: int
    code: str
    legal_basis: str
    threshold: int
    lines: dict[str, tuple[int | None, int, int | None]]  # area → (lower, upper, average)
    indicators: tuple[str, ...]
    indicator_names: dict[str, str]

    @classmethod
    def of(cls, standard: PovertyStandard) -> StandardRules:
        indicators = list(standard.indicators.order_by("order"))
        return cls(
            pk=standard.pk,
            code=standard.code,
            legal_basis=standard.legal_basis,
            threshold=standard.deprivation_threshold,
            lines={area: standard.lines(area) for area in Area.values},
            indicators=tuple(i.code for i in indicators),
            indicator_names={i.code: i.name for i in indicators},
        )

    def unknown(self, codes: Iterable[str]) -> list[str]:
        return [code for code in codes if code not in self.indicators]


@dataclass(frozen=True)
class Result:
    standing: str
    explanation: str


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def classify(
    rules: StandardRules, *, area: str, income: int, deprived: Iterable[str], farming: bool = False
) -> Result:
    """The household's standing and why, e.g. "nông thôn, thu nhập 1.200.000 ≤ 1.500.000, …"."""
    codes = sorted(
        set(deprived), key=lambda c: rules.indicators.index(c) if c in rules.indicators else 99
    )
    lower, upper, average = rules.lines[area]
    count = len(codes)
    place = str(Area(area).label).lower()
    lacking = f"thiếu hụt {count}/{len(rules.indicators)} chỉ số"
    if codes:
        lacking += ": " + ", ".join(rules.indicator_names.get(c, c).lower() for c in codes)
    if lower is not None and income <= lower:
        standing = Standing.POOR
        reason = f"thu nhập {_money(income)} ≤ {_money(lower)}"
    elif income <= upper:
        band = f"{_money(lower)} < " if lower is not None else ""
        reason = f"thu nhập {band}{_money(income)} ≤ {_money(upper)}, {lacking}"
        if count >= rules.threshold:
            standing = Standing.POOR
            reason += f" (≥ {rules.threshold})"
        else:
            standing = Standing.NEAR_POOR
            reason += f" (< {rules.threshold})"
    elif farming and average is not None and income <= average:
        standing = Standing.AVERAGE
        reason = (
            f"hộ nông, lâm, ngư, diêm nghiệp, thu nhập {_money(upper)} < {_money(income)} ≤ "
            f"{_money(average)}"
        )
    else:
        standing = Standing.NOT_POOR
        reason = f"thu nhập {_money(income)} > {_money(upper)}"
    return Result(
        standing=standing.value,
        explanation=f"{place}, {reason} → {str(standing.label).lower()} theo {rules.legal_basis}",
    )

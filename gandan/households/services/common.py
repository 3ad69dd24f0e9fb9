"""Standards, rules and the places a household may be registered in, shared by every use case."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from gandan.geo.models import Hamlet, Level, Unit
from gandan.households.classification import StandardRules
from gandan.households.models import (
    Area,
    PovertyStandard,
    ReviewRule,
    review_date,
)


def today() -> dt.date:
    return timezone.localdate()


def lists_year(on: dt.date) -> int:
    """The review year whose lists are in force on ``on`` (the last periodic review before it)."""
    return on.year if on >= review_date(on.year) else on.year - 1


# --- Standards ---------------------------------------------------------------------------------


def standard_for_year(year: int) -> PovertyStandard:
    """The standard used in the periodic review of ``year``; ValidationError if none is loaded."""
    standard = PovertyStandard.objects.filter(first_year__lte=year, last_year__gte=year).first()
    if standard is None:
        raise ValidationError({"year": f"Không có chuẩn nghèo áp dụng cho kỳ rà soát năm {year}."})
    return standard


def rules_for_year(year: int) -> StandardRules:
    standard = standard_for_year(year)
    return StandardRules.of(standard)


def review_rule(code: str) -> int:
    rule = ReviewRule.objects.filter(code=code).first()
    if rule is None:
        raise ValidationError(f"Chưa nạp quy định rà soát {code!r}: chạy `gandan load_rules`.")
    return rule.value


def check_place(unit: Unit, hamlet: Hamlet | None, on: dt.date) -> None:
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": f"{unit.name} không phải đơn vị cấp xã."})
    if not unit.is_valid_on(on):
        raise ValidationError(
            {"unit": f"{unit.name} (mã {unit.code}) không tồn tại vào ngày {on:%d/%m/%Y}."}
        )
    if hamlet is not None:
        if hamlet.commune_id != unit.pk:
            raise ValidationError({"hamlet": f"{hamlet.name} không thuộc {unit.name}."})
        if not hamlet.is_valid_on(on):
            raise ValidationError(
                {"hamlet": f"{hamlet.name} không tồn tại vào ngày {on:%d/%m/%Y}."}
            )


def area_of(hamlet: Hamlet | None, unit: Unit) -> str:
    if hamlet is not None:
        return Area.URBAN if hamlet.is_urban else Area.RURAL
    return Area.RURAL if unit.type == "xa" else Area.URBAN

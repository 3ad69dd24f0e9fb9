"""Units a households screen offers or draws: the report's unit picker and map, the provinces
where a reclassification may start."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gandan.accounts.access import hamlets_in_scope, units_in_scope
from gandan.core.jobs import provinces_to_start
from gandan.geo import selectors as geo
from gandan.geo.models import Hamlet, Level, Unit
from gandan.households.models import PovertyStandard

__all__ = [
    "child_units",
    "communes_count",
    "communes_to_write",
    "picker_units",
    "start_provinces",
    "standards",
]


def picker_units(user: Any, unit: Unit | None, on: dt.date, limit: int) -> list[Unit]:
    """Provinces, districts and communes of the user's scope that existed on ``on`` — in
    ``unit``'s province when given — by level then name, at most ``limit``."""
    units = units_in_scope(user).valid_on(on)
    if unit is not None:
        province = unit
        while province.parent is not None:
            province = province.parent
        units = units.descendants_of([province.pk])
    rank = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    return sorted(
        units.filter(level__in=list(rank)).only("code", "name", "level")[:limit],
        key=lambda u: (rank[Level(u.level)], u.name),
    )


def child_units(unit: Unit, on: dt.date, codes: list[str]) -> Any:
    """The units directly under ``unit`` on ``on`` whose codes are ``codes``, by code."""
    return Unit.objects.valid_on(on).filter(parent=unit, code__in=codes).order_by("code")


def communes_count(unit: Unit, on: dt.date) -> int:
    """How many communes ``unit`` holds on ``on`` (1 for a commune)."""
    if unit.level == Level.COMMUNE:
        return 1
    return int(geo.descendants(unit, as_of=on).filter(level=Level.COMMUNE).count())


def start_provinces(user: Any) -> list[Unit]:
    """The current provinces where the user may start a job."""
    codes = provinces_to_start(user)
    if codes == set():
        return []
    provinces = Unit.objects.filter(level=Level.PROVINCE).valid_on(timezone.localdate())
    if codes is not None:
        provinces = provinces.filter(province_code__in=codes)
    return list(provinces.order_by("name"))


def communes_to_write(user: Any, on: dt.date, limit: int) -> list[tuple[Unit, list[Hamlet]]]:
    """The communes the user writes for on ``on`` (at most ``limit + 1``, so a caller knows
    there are more), with the villages of the first ``limit`` of them he writes for."""
    communes = list(
        units_in_scope(user, for_write=True)
        .valid_on(on)
        .filter(level=Level.COMMUNE)
        .order_by("name")
        .only("pk", "code", "name")[: limit + 1]
    )
    villages: dict[int, list[Hamlet]] = {}
    for hamlet in (
        hamlets_in_scope(user, for_write=True)
        .valid_on(on)
        .filter(commune__in=[c.pk for c in communes[:limit]])
        .order_by("name")
        .only("pk", "name", "commune_id")
    ):
        villages.setdefault(hamlet.commune_id, []).append(hamlet)
    return [(commune, villages.get(commune.pk, [])) for commune in communes]


def standards() -> Any:
    """The loaded poverty standards with their indicators, oldest first."""
    return PovertyStandard.objects.prefetch_related("indicators").order_by("first_year")

"""Reads with business meaning for administrative units and hamlets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404

from gandan.core.calendar import DEFAULT_OFFICE_HOURS
from gandan.core.calendar import OfficeHours as CalendarHours
from gandan.core.models import valid_on_q
from gandan.geo.models import (
    URBAN_HAMLET_KINDS,
    Hamlet,
    HamletKind,
    Level,
    Lineage,
    Unit,
    UnitQuerySet,
    UnitType,
)


class UnitNotFound(Exception):
    """No unit has this code on this date."""

    def __init__(self, code: str, as_of: dt.date | None = None) -> None:
        self.code = code
        self.as_of = as_of
        when = f" vào ngày {as_of:%d/%m/%Y}" if as_of else ""
        super().__init__(f"Không tìm thấy đơn vị hành chính có mã {code!r}{when}.")


def unit_by_code(code: str, *, as_of: dt.date | None = None) -> Unit:
    """The unit with this official code valid on ``as_of``, else the most recent one.

    A code can be both a province and a commune code (two digits never are five), and the
    same commune code can name a legacy and a current unit: the date decides.
    """
    code = code.strip()
    candidates = Unit.objects.filter(code=code)
    if as_of is not None:
        found = candidates.filter(valid_on_q(as_of)).order_by("level").first()
        if found is None:
            raise UnitNotFound(code, as_of)
        return found
    found = candidates.order_by(F("valid_from").desc(nulls_last=True)).first()
    if found is None:
        raise UnitNotFound(code)
    return found


def units_listed() -> UnitQuerySet:
    """Every unit of every date with its parent, by level, province and code (the API's list)."""
    return Unit.objects.select_related("parent").order_by(
        "level", "province_code", "code", "valid_from"
    )


def units_with_parent_code(units: UnitQuerySet, code: str) -> UnitQuerySet:
    """Those of ``units`` whose parent has this code (on any date); :class:`UnitNotFound` if no
    unit ever had it."""
    parents = Unit.objects.filter(code=code.strip())
    if not parents.exists():
        raise UnitNotFound(code.strip())
    return units.filter(parent__in=parents)


def unit_by_id(unit_id: int) -> Unit:
    """A unit by its key, with its parent and grandparent; 404 if there is none (units are public)."""
    try:
        return Unit.objects.select_related("parent", "parent__parent").get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404("Không tìm thấy đơn vị hành chính.") from None


def communes_of(unit: Unit, *, as_of: dt.date) -> UnitQuerySet:
    """The communes under ``unit`` valid on ``as_of`` (the commune itself for a commune)."""
    if unit.level == Level.COMMUNE:
        return Unit.objects.filter(pk=unit.pk)
    return descendants(unit, as_of=as_of).filter(level=Level.COMMUNE).order_by("code")


def children(unit: Unit | None, *, as_of: dt.date) -> UnitQuerySet:
    """Direct children valid on ``as_of`` (provinces when ``unit`` is None)."""
    qs = Unit.objects.valid_on(as_of)
    return qs.filter(parent=unit) if unit is not None else qs.filter(level=Level.PROVINCE)


def descendants(unit: Unit, *, as_of: dt.date) -> UnitQuerySet:
    """Every unit below ``unit`` valid on ``as_of`` (not the unit itself)."""
    return Unit.objects.valid_on(as_of).filter(Q(parent=unit) | Q(parent__parent=unit))


def predecessors(unit: Unit) -> list[Lineage]:
    return list(
        unit.predecessor_links.select_related("predecessor", "predecessor__parent").order_by(
            "predecessor__code"
        )
    )


def successors(unit: Unit) -> list[Lineage]:
    return list(
        unit.successor_links.select_related("successor", "successor__parent").order_by(
            "successor__code"
        )
    )


def hamlets_under(unit: Unit, *, as_of: dt.date) -> Any:
    """Hamlets valid on ``as_of`` in ``unit`` or any commune below it."""
    communes = Unit.objects.valid_on(as_of).filter(
        Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit)
    )
    return Hamlet.objects.active().valid_on(as_of).filter(commune__in=communes.values("pk"))


def commune_hamlets(commune: Unit, *, as_of: dt.date) -> Any:
    """A commune's villages on ``as_of``, grouped by the former commune they came from."""
    return (
        hamlets_under(commune, as_of=as_of)
        .select_related("previous__commune")
        .order_by("previous__commune__name", "name")
    )


@dataclass(frozen=True)
class UnitCounts:
    by_level: dict[str, int]
    by_type: dict[str, int]
    hamlets_by_kind: dict[str, int]

    @property
    def type_rows(self) -> list[tuple[str, int]]:
        return [(str(UnitType(t).label), n) for t, n in self.by_type.items()]

    @property
    def thon(self) -> int:
        return sum(n for kind, n in self.hamlets_by_kind.items() if kind not in URBAN_HAMLET_KINDS)

    @property
    def to_dan_pho(self) -> int:
        return sum(n for kind, n in self.hamlets_by_kind.items() if kind in URBAN_HAMLET_KINDS)


def unit_counts(unit: Unit | None, *, as_of: dt.date) -> UnitCounts:
    """Counts of descendants by level and type, and of hamlets by kind, on ``as_of``.

    ``unit=None`` counts the whole country. Grouping runs in the database.
    """
    if unit is None:
        units = Unit.objects.valid_on(as_of)
        hamlets = Hamlet.objects.active().valid_on(as_of)
    else:
        units = descendants(unit, as_of=as_of)
        hamlets = hamlets_under(unit, as_of=as_of)
    by_level = {
        row["level"]: row["n"] for row in units.values("level").annotate(n=Count("id")).order_by()
    }
    by_type = {
        row["type"]: row["n"] for row in units.values("type").annotate(n=Count("id")).order_by()
    }
    by_kind = {
        row["kind"]: row["n"] for row in hamlets.values("kind").annotate(n=Count("id")).order_by()
    }
    return UnitCounts(
        by_level={level: by_level.get(level, 0) for level in Level.values if level in by_level},
        by_type={t: by_type[t] for t in UnitType.values if t in by_type},
        hamlets_by_kind={k: by_kind[k] for k in HamletKind.values if k in by_kind},
    )


def ancestors(unit: Unit) -> list[Unit]:
    """From the province down to the unit's parent."""
    chain: list[Unit] = []
    current = unit.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def search_units(query: str, *, as_of: dt.date | None = None, limit: int = 30) -> list[Unit]:
    """Units whose name contains ``query``, ignoring diacritics and case; provinces first."""
    qs = Unit.objects.search(query).select_related("parent", "parent__parent")
    if as_of is not None:
        qs = qs.valid_on(as_of)
    return list(qs.order_by("level", "search_name", "-valid_from")[:limit])


def office_hours_for_unit_code(code: str, on: dt.date) -> CalendarHours:
    """The office hours of unit ``code`` on ``on``: its own, or the default."""
    unit = unit_by_code(code, as_of=on)
    row = unit.office_hours.filter(valid_on_q(on)).order_by("-valid_from").first()
    if row is None:
        return DEFAULT_OFFICE_HOURS
    return CalendarHours(
        periods=(
            (row.morning_opens, row.morning_closes),
            (row.afternoon_opens, row.afternoon_closes),
        )
    )

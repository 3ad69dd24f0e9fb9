"""Units as they stood on a date: the communes (and villages) a poverty report counts, and
the legacy communes counted under their successors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gandan.geo.models import Hamlet, Level, Lineage, Unit

NO_HAMLET = 0  # key of households not attached to a village


@dataclass
class Scope:
    """Which commune rows count under the report's unit, and under which child each counts."""

    unit: Unit | None
    as_of: dt.date
    by_hamlet: bool  # a commune's report lists its villages
    commune_key: dict[int, int] = field(default_factory=dict)  # commune id → child id
    hamlet_key: dict[int, int] = field(default_factory=dict)  # hamlet id → current hamlet id
    children: dict[int, Any] = field(default_factory=dict)  # key → Unit or Hamlet

    def key(self, commune_id: int | None, hamlet_id: int | None) -> int | None:
        """The child a record counts under, or None if it is outside the unit."""
        if commune_id is None or commune_id not in self.commune_key:
            return None
        if not self.by_hamlet:
            return self.commune_key[commune_id]
        if hamlet_id is None:
            return NO_HAMLET
        return self.hamlet_key.get(hamlet_id, NO_HAMLET)

    @property
    def commune_ids(self) -> list[int] | None:
        """The communes to read, None for every one (the country)."""
        return None if self.unit is None else list(self.commune_key)


def _predecessors(communes: Iterable[int]) -> dict[int, int]:
    """Legacy commune → the commune it counts under, for every commune whose line of (primary)
    successors leads to one of ``communes``.

    Read era by era from ``communes`` backwards: one query per reform, for the edges of the units
    that became (part of) the frontier, not every edge in the country.
    """
    key_of: dict[int, int] = {}
    known = set(communes)
    frontier = set(known)
    while frontier:
        into = Lineage.objects.filter(successor_id__in=frontier).values("predecessor_id")
        # Every edge of those predecessors: a divided commune counts under its primary successor
        # only (or, where no edge says which, the lowest id, so that the answer is stable).
        edges = Lineage.objects.filter(predecessor_id__in=into).order_by(
            "predecessor_id", "-is_primary", "successor_id"
        )
        successor: dict[int, int] = {}
        for predecessor, new in edges.values_list("predecessor_id", "successor_id"):
            successor.setdefault(predecessor, new)
        found: set[int] = set()
        for old, new in successor.items():
            if new in frontier and old not in known:
                key_of[old] = new
                found.add(old)
        known |= found
        frontier = found
    return key_of


def scope_for(unit: Unit | None, as_of: dt.date) -> Scope:
    by_hamlet = unit is not None and unit.level == Level.COMMUNE
    scope = Scope(unit=unit, as_of=as_of, by_hamlet=by_hamlet)
    top_of: dict[int, int] = {}
    if unit is None:
        units = Unit.objects.valid_on(as_of)
        scope.children = {u.pk: u for u in units.filter(level=Level.PROVINCE)}
        above = {
            pk: (parent, level)
            for pk, parent, level in Unit.objects.exclude(level=Level.COMMUNE).values_list(
                "pk", "parent_id", "level"
            )
        }
        for commune, parent in units.filter(level=Level.COMMUNE).values_list("pk", "parent_id"):
            while parent is not None and above[parent][1] != Level.PROVINCE:
                parent = above[parent][0]
            if parent is not None:
                top_of[commune] = parent
    elif by_hamlet:
        top_of = {unit.pk: unit.pk}
    else:
        units = Unit.objects.valid_on(as_of)
        scope.children = {u.pk: u for u in units.filter(parent=unit)}
        below = [unit.pk, *Unit.objects.filter(parent=unit).values_list("pk", flat=True)]
        for commune, parent in units.filter(parent_id__in=below, level=Level.COMMUNE).values_list(
            "pk", "parent_id"
        ):
            top_of[commune] = commune if parent == unit.pk else parent
    # Commune rows of other eras count under the commune that stands for them on ``as_of``.
    key_of: dict[int, int] = dict(top_of)
    for old, new in _predecessors(top_of).items():
        key_of[old] = key_of[new]
    # A unit may also be older than ``as_of``'s structure (a legacy commune reported as of a
    # date after the reform keeps its own rows).
    scope.commune_key = key_of
    if by_hamlet:
        assert unit is not None  # noqa: S101 - by_hamlet implies a unit
        hamlets = list(
            Hamlet.objects.filter(commune_id__in=list(key_of)).values_list(
                "pk", "previous_id", "valid_from", "valid_to"
            )
        )
        nxt = {previous: pk for pk, previous, _f, _t in hamlets if previous}
        valid = {
            pk
            for pk, _p, start, end in hamlets
            if (start is None or start <= as_of) and (end is None or end >= as_of)
        }
        for pk, _p, _f, _t in hamlets:
            current_pk = pk
            while current_pk not in valid and current_pk in nxt:
                current_pk = nxt[current_pk]
            scope.hamlet_key[pk] = current_pk
        scope.children = {
            h.pk: h for h in Hamlet.objects.filter(pk__in=set(scope.hamlet_key.values()))
        }
    return scope

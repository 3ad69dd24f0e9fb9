"""Where a household of the file is registered: moves, the 2025 reform, carrying over."""

from __future__ import annotations

import datetime as dt

from gandan.geo.models import REFORM_DATE, Hamlet, Lineage, Unit
from gandan.households.imports.base import ImporterBase
from gandan.households.imports.rows import (
    BEFORE_REFORM,
    DAY,
    Plan,
    day_text,
    first_after,
    insert_placement,
    last_before,
    min_date,
    pack,
    unpack,
    valid_on,
)
from gandan.households.models import (
    Placement,
    PlacementReason,
    review_date,
)


def _first_day(january: dt.date, after: dt.date | None, unit: Unit) -> dt.date:
    """The first day, in the year that begins on ``january``, of a registration in ``unit`` that
    starts after the day ``after`` (if any)."""
    return max(january, after + DAY if after is not None else january, unit.valid_from or january)


def _last_day(following: Placement | None, unit: Unit) -> dt.date | None:
    """The last day of a registration in ``unit`` that ends before ``following`` (if any) starts."""
    return min_date(
        following.valid_from - DAY if following and following.valid_from else None, unit.valid_to
    )


class Registration(ImporterBase):
    """Where each household of the file is registered, year by year."""

    # --- where a household is registered --------------------------------------------------

    def _count_registration(self, placement: Placement) -> None:
        if placement.reason == PlacementReason.MOVED:
            self.count("moves")
        elif placement.reason == PlacementReason.REFORM:
            self.count("reform")

    def _settle(
        self,
        plan: Plan,
        placements: list[Placement],
        *,
        dissolved_on: dt.date | None,
        latest: int | None,
    ) -> list[Placement]:
        """Make the household's registrations agree with its rows, year by year (see the module
        docstring); ``placements`` (its registrations, in order) are changed in place. Returns the
        new registrations to create, or none if a row was rejected."""
        household_id = plan.household_id
        assert household_id is not None and household_id > 0  # noqa: S101 - set by the caller
        years = []
        for year, number, unit_id, hamlet_id, area in map(unpack, plan.years):
            reason = self._place(
                placements,
                household_id=household_id,
                year=year,
                unit=self._unit_by_id[unit_id],
                hamlet_id=hamlet_id,
                area=area,
                dissolved_on=dissolved_on,
                latest=latest,
            )
            if reason is not None:
                self.reject(number, "commune_code", self._unit_by_id[unit_id].code, reason)
                plan.household_id = 0
                return []
            if hamlet_id is None:
                current = valid_on(placements, review_date(year))
                if current is not None and current.unit_id == unit_id:
                    hamlet_id = current.hamlet_id
            years.append((year, number, unit_id, hamlet_id, area))
        plan.years = tuple(map(pack, years))
        return [p for p in placements if p.pk is None]

    def _place(
        self,
        placements: list[Placement],
        *,
        household_id: int,
        year: int,
        unit: Unit,
        hamlet_id: int | None,
        area: str,
        dissolved_on: dt.date | None,
        latest: int | None,
    ) -> str | None:
        """Register the household at ``unit`` (and village) on the review day of ``year`` if it is
        not already; a Vietnamese reason if that may not be done."""
        day = review_date(year)
        january = dt.date(year, 1, 1)
        current = valid_on(placements, day)
        if current is None:
            if dissolved_on is not None and dissolved_on < day:
                return f"hộ đã bị xóa từ ngày {day_text(dissolved_on)}, không có kết quả năm {year}"
            previous = last_before(placements, day)
            if previous is not None and self._carry_over(placements, previous, household_id):
                current = valid_on(placements, day)
        if current is None:
            period = self._new_period(placements, year, unit)
            self._register(placements, household_id, unit, hamlet_id, area, *period)
            return None
        if current.unit_id == unit.pk and hamlet_id in (None, current.hamlet_id):
            return None
        if current.pk is not None:
            refusal = self._may_change(current, unit, year, latest)
            if refusal:
                return refusal
        starts = current.valid_from
        if (
            current.reason == PlacementReason.REFORM
            and starts is not None
            and starts >= january
            and (unit.valid_from is None or unit.valid_from <= starts)
        ):
            # The commune the reform carried it to is corrected: it went to the row's commune.
            previous = last_before(placements, starts)
            reform = previous is not None and (previous.unit_id, unit.pk) in self._reform()[0]
            locked = self._locked_between(current, unit, starts, current.valid_to)
            if locked:
                return locked
            current.unit_id = unit.pk
            current.hamlet_id = hamlet_id
            current.area = area
            current.province_code = unit.province_code
            current.reason = PlacementReason.REFORM if reform else PlacementReason.MOVED
            current.valid_to = min_date(current.valid_to, unit.valid_to)
            return None
        on = _first_day(january, starts, unit)
        if on > day:
            return (
                f"hộ đăng ký tại {self._unit_name(current.unit_id)} từ ngày {day_text(day)}: "
                f"không ghi được nơi khác cho năm {year}"
            )
        ends = min_date(current.valid_to, unit.valid_to)
        locked = self._locked_between(current, unit, on, current.valid_to)
        if locked:
            return locked
        current.valid_to = on - DAY
        self._register(
            placements,
            household_id,
            unit,
            hamlet_id,
            area,
            PlacementReason.MOVED,
            on,
            ends,
            repoint=True,
        )
        return None

    def _new_period(
        self, placements: list[Placement], year: int, unit: Unit
    ) -> tuple[str, dt.date, dt.date | None]:
        """Why, from when and until when the household is registered in ``unit`` where it had no
        registration on the review day of ``year`` (a new household, or one whose earlier
        registration ended)."""
        day = review_date(year)
        january = dt.date(year, 1, 1)
        previous = last_before(placements, day)
        following = first_after(placements, day)
        reform = (
            previous is not None
            and previous.valid_to is not None
            and previous.valid_to + DAY == unit.valid_from
            and (previous.unit_id, unit.pk) in self._reform()[0]
        )
        if reform:
            assert unit.valid_from is not None  # noqa: S101 - checked just above
            starts = unit.valid_from
        else:
            starts = _first_day(january, previous.valid_to if previous else None, unit)
        ends = _last_day(following, unit)
        if previous is None:
            return PlacementReason.IMPORTED, starts, ends
        return (PlacementReason.REFORM if reform else PlacementReason.MOVED), starts, ends

    def _register(
        self,
        placements: list[Placement],
        household_id: int,
        unit: Unit,
        hamlet_id: int | None,
        area: str,
        reason: str,
        starts: dt.date,
        ends: dt.date | None,
        *,
        repoint: bool = False,
    ) -> None:
        """Add a registration to the household's list; one that ends with its legacy commune
        on 30 June 2025 goes on after the reform (``_carry_over``)."""
        placement = Placement(
            household_id=household_id,
            unit=unit,
            hamlet_id=hamlet_id,
            area=area,
            province_code=unit.province_code,
            reason=reason,
            valid_from=starts,
            valid_to=ends,
        )
        insert_placement(placements, placement)
        if ends == BEFORE_REFORM:
            self._carry_over(placements, placement, household_id, repoint=repoint)

    def _carry_over(
        self,
        placements: list[Placement],
        ending: Placement,
        household_id: int,
        *,
        repoint: bool = False,
    ) -> bool:
        """A registration ending with its legacy commune on 30 June 2025 goes on, from 1 July, in
        the commune that took over its village or commune (as ``households_carry_over`` does).
        With ``repoint``, a registration the reform already made elsewhere is moved to follow
        ``ending`` (the household moved before the reform). True if a registration was made."""
        if ending.valid_to != BEFORE_REFORM:
            return False
        target = self._reform_target(ending.unit_id, ending.hamlet_id)
        if target is None:
            return False
        unit, hamlet_id = target
        following = first_after(placements, BEFORE_REFORM)
        if following is not None and following.valid_from == REFORM_DATE:
            if (
                repoint
                and following.reason == PlacementReason.REFORM
                and (following.unit_id, following.hamlet_id) != (unit.pk, hamlet_id)
                and not self._locked_between(following, unit, REFORM_DATE, following.valid_to)
            ):
                following.unit_id = unit.pk
                following.hamlet_id = hamlet_id
                following.province_code = unit.province_code
                following.valid_to = min_date(following.valid_to, unit.valid_to)
            return False
        ends = _last_day(following, unit)
        self._register(
            placements,
            household_id,
            unit,
            hamlet_id,
            ending.area,
            PlacementReason.REFORM,
            REFORM_DATE,
            ends,
        )
        return True

    def _may_change(
        self, current: Placement, unit: Unit, year: int, latest: int | None
    ) -> str | None:
        """Why a registration already in the database may not be changed by a row of ``year``."""
        if latest is not None and year < latest:
            return (
                f"hộ đã có kết quả rà soát năm {latest} tại nơi đăng ký hiện có: không ghi "
                f"chuyển nơi cư trú cho năm {year} trước đó"
            )
        old = self._unit_by_pk(current.unit_id)
        refusal = self.context.refusal(old)
        if refusal:
            return f"hộ đang đăng ký tại {old.name}: {refusal[0].lower()}{refusal[1:]}"
        return None

    def _locked_between(
        self, current: Placement, unit: Unit, start: dt.date, end: dt.date | None
    ) -> str | None:
        """A decided year whose review day falls in ``start``–``end``, in the commune a
        registration already in the database leaves or in ``unit`` it joins. (Registrations the
        import itself makes are checked only against the row's own year.)"""
        if current.pk is None:
            return None
        for commune_id in (current.unit_id, unit.pk):
            for year in sorted(self._locked.get(commune_id, ())):
                day = review_date(year)
                if start <= day and (end is None or day <= end):
                    return (
                        f"năm {year} của {self._unit_name(commune_id)} đã có quyết định công "
                        "nhận: dữ liệu đã khóa, không đổi được nơi cư trú của hộ trong năm đó"
                    )
        return None

    def _reform(self) -> tuple[set[tuple[int, int]], dict[int, int]]:
        """(predecessor, successor) pairs of the reform, and each predecessor's primary successor."""
        if self._lineage is None:
            edges: set[tuple[int, int]] = set()
            primary: dict[int, int] = {}
            for predecessor, successor in Lineage.objects.order_by("-is_primary").values_list(
                "predecessor_id", "successor_id"
            ):
                edges.add((predecessor, successor))
                primary.setdefault(predecessor, successor)
            self._lineage = (edges, primary)
        return self._lineage

    def _reform_target(self, unit_id: int, hamlet_id: int | None) -> tuple[Unit, int | None] | None:
        if hamlet_id is not None:
            if unit_id not in self._hamlet_next:
                self._hamlet_next[unit_id] = {
                    previous: (pk, commune)
                    for previous, pk, commune in Hamlet.objects.filter(
                        previous__commune_id=unit_id, valid_from=REFORM_DATE
                    ).values_list("previous_id", "pk", "commune_id")
                }
            found = self._hamlet_next[unit_id].get(hamlet_id)
            if found is not None:
                return self._unit_by_pk(found[1]), found[0]
        successor = self._reform()[1].get(unit_id)
        if successor is None:
            return None
        return self._unit_by_pk(successor), None

    def _unit_by_pk(self, unit_id: int) -> Unit:
        if unit_id not in self._unit_by_id:
            self._unit_by_id[unit_id] = Unit.objects.get(pk=unit_id)
        return self._unit_by_id[unit_id]

    def _unit_name(self, unit_id: int) -> str:
        return self._unit_by_pk(unit_id).name

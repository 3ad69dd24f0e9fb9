"""The household registry: register, move, carry over, dissolve and split households; add members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from gandan.core.actors import acting_user
from gandan.core.bulk import insert_rows
from gandan.core.crypto import blind_index
from gandan.core.services import event_record
from gandan.core.validators import check_citizen_id
from gandan.geo.models import REFORM_DATE, Hamlet, Lineage, Unit
from gandan.households.events import HouseholdEvent
from gandan.households.models import (
    LATEST_FIRST,
    Household,
    Member,
    Placement,
    PlacementReason,
)
from gandan.households.services.common import area_of, check_place, today

# The columns of a placement written in bulk (``insert_rows``), in the order of its tuples.
PLACEMENT_COLUMNS = [
    "household_id",
    "unit_id",
    "hamlet_id",
    "area",
    "province_code",
    "reason",
    "ethnic_minority",
    "valid_from",
    "valid_to",
]

# --- Households --------------------------------------------------------------------------------


def households_place_settle(households: QuerySet[Household] | Iterable[int] | None = None) -> int:
    """Bring each household's ``commune`` in step with its latest placement (see
    :data:`~gandan.households.models.LATEST_FIRST`): ``households`` a query or ids, None for
    every household. Every write of placements ends with it; returns the rows updated."""
    latest = Placement.objects.filter(household=OuterRef("pk")).order_by(*LATEST_FIRST)
    place = Subquery(latest.values("unit_id")[:1])
    if households is None:
        return Household.objects.update(commune_id=place)
    if isinstance(households, QuerySet):
        return Household.objects.filter(pk__in=households.values("pk")).update(commune_id=place)
    ids = sorted(set(households))
    return sum(
        Household.objects.filter(pk__in=ids[start : start + 5000]).update(commune_id=place)
        for start in range(0, len(ids), 5000)
    )


@transaction.atomic
def household_create(
    *,
    code: str,
    unit: Unit,
    head_name: str,
    hamlet: Hamlet | None = None,
    area: str | None = None,
    ethnic_minority: bool = False,
    farming: bool = False,
    formed_on: dt.date | None = None,
    reason: str = PlacementReason.FORMED,
    actor: Any = None,
) -> Household:
    code = code.strip()
    head_name = " ".join(head_name.split())
    if not code:
        raise ValidationError({"code": "Mã hộ không được để trống."})
    if not head_name:
        raise ValidationError({"head_name": "Tên chủ hộ không được để trống."})
    on = formed_on or min(today(), unit.valid_to or today())
    check_place(unit, hamlet, on)
    if Household.objects.filter(province_code=unit.province_code, code=code).exists():
        raise ValidationError({"code": f"Mã hộ {code} đã có trong tỉnh."})
    household = Household.objects.create(
        code=code,
        province_code=unit.province_code,
        head_name=head_name,
        ethnic_minority=ethnic_minority,
        farming=farming,
        formed_on=formed_on,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    _placement_create(household, unit, hamlet, area, reason, formed_on)
    event_record(
        kind=HouseholdEvent.FORMED,
        subject=household,
        actor=actor,
        data={"unit": unit.code, "hamlet": hamlet.pk if hamlet else None},
    )
    return household


def _placement_create(
    household: Household,
    unit: Unit,
    hamlet: Hamlet | None,
    area: str | None,
    reason: str,
    valid_from: dt.date | None,
) -> Placement:
    """Register the household at ``unit`` from ``valid_from`` until the unit ends (a commune
    that ends takes nobody with it: see ``households_carry_over``)."""
    placement = Placement.objects.create(
        household=household,
        unit=unit,
        hamlet=hamlet,
        area=area or area_of(hamlet, unit),
        province_code=unit.province_code,
        reason=reason,
        ethnic_minority=household.ethnic_minority,
        valid_from=valid_from,
        valid_to=unit.valid_to,
    )
    households_place_settle([household.pk])
    household.refresh_from_db(fields=["commune"])
    return placement


def placement_on(household: Household, on: dt.date) -> Placement | None:
    return (
        Placement.objects.valid_on(on)
        .filter(household=household)
        .select_related("unit", "hamlet")
        .first()
    )


@transaction.atomic
def household_move(
    *,
    household: Household,
    unit: Unit,
    on: dt.date,
    hamlet: Hamlet | None = None,
    area: str | None = None,
    reason: str = PlacementReason.MOVED,
    actor: Any = None,
) -> Placement:
    """Register the household at a new place from ``on``; the old place ends the day before."""
    if household.dissolved_on is not None:
        raise ValidationError("Hộ đã bị xóa, không thể chuyển nơi cư trú.")
    check_place(unit, hamlet, on)
    current = placement_on(household, on)
    if current is not None:
        if current.valid_from is not None and current.valid_from >= on:
            raise ValidationError({"on": "Ngày chuyển phải sau ngày bắt đầu ở nơi hiện tại."})
        current.valid_to = on - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    placement = _placement_create(household, unit, hamlet, area, reason, on)
    event_record(
        kind=HouseholdEvent.MOVED,
        subject=household,
        actor=actor,
        province_code=unit.province_code,
        data={
            "from": current.unit.code if current else None,
            "to": unit.code,
            "on": on.isoformat(),
        },
    )
    return placement


@transaction.atomic
def households_carry_over(
    *, effective_date: dt.date = REFORM_DATE, province_code: str | None = None, actor: Any = None
) -> int:
    """Register every household of a commune that ended the day before ``effective_date`` in the
    commune that took it over, and in its village's new row (see ``hamlets_carry_over``).

    A divided commune's households go to its primary successor unless their village went
    elsewhere. Returns the number of households carried; running it again carries none twice.
    """
    last_day = effective_date - dt.timedelta(days=1)
    ending = Placement.objects.filter(valid_to=last_day).exclude(
        household__dissolved_on__lte=last_day
    )
    if province_code:
        ending = ending.filter(province_code=province_code)
    already = Placement.objects.filter(valid_from=effective_date).values("household_id")
    ending = ending.exclude(household_id__in=already)
    successor: dict[int, int] = {}
    for link in Lineage.objects.filter(effective_date=effective_date).order_by("-is_primary"):
        successor.setdefault(link.predecessor_id, link.successor_id)
    new_hamlet = dict(
        Hamlet.objects.filter(previous__isnull=False, valid_from=effective_date).values_list(
            "previous_id", "pk"
        )
    )
    hamlet_commune = dict(
        Hamlet.objects.filter(pk__in=new_hamlet.values()).values_list("pk", "commune_id")
    )
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=set(successor.values()) | set(hamlet_commune.values()))
    }
    created: list[tuple[Any, ...]] = []
    rows = ending.values_list(
        "household_id",
        "unit_id",
        "hamlet_id",
        "area",
        "province_code",
        "household__dissolved_on",
        "household__ethnic_minority",
    )
    for household_id, old_unit, old_hamlet, area, province, dissolved, ethnic in rows.iterator(
        chunk_size=5000
    ):
        hamlet_id = new_hamlet.get(old_hamlet) if old_hamlet else None
        unit_id = hamlet_commune[hamlet_id] if hamlet_id else successor.get(old_unit)
        if unit_id is None:
            continue  # the commune ended without a successor: nothing to carry to
        unit = units.get(unit_id)
        ends = [day for day in (dissolved, unit.valid_to if unit else None) if day is not None]
        created.append(
            (
                household_id,
                unit_id,
                hamlet_id,
                area,
                unit.province_code if unit else province,
                PlacementReason.REFORM,
                ethnic,
                effective_date,
                min(ends) if ends else None,
            )
        )
    insert_rows(Placement, PLACEMENT_COLUMNS, created)
    households_place_settle(row[0] for row in created)
    if created:
        first = Household.objects.get(pk=created[0][0])
        event_record(
            kind=HouseholdEvent.CARRIED_OVER,
            subject=first,
            actor=actor,
            province_code=province_code or "",
            data={"effective_date": effective_date.isoformat(), "count": len(created)},
        )
    return len(created)


@transaction.atomic
def household_dissolve(
    *, household: Household, on: dt.date, reason: str, actor: Any = None
) -> Household:
    """The household ends (all members died, moved away, merged into another household)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do xóa hộ."})
    if household.dissolved_on is not None:
        raise ValidationError("Hộ đã bị xóa trước đó.")
    if household.formed_on is not None and on < household.formed_on:
        raise ValidationError({"on": "Ngày xóa hộ phải sau ngày lập hộ."})
    Placement.objects.filter(household=household, valid_to__isnull=True).update(valid_to=on)
    Member.objects.filter(household=household, valid_to__isnull=True).update(valid_to=on)
    household.dissolved_on = on
    household.dissolution_reason = reason
    household.updated_by = acting_user(actor)
    household.save(update_fields=["dissolved_on", "dissolution_reason", "updated_by", "updated_at"])
    event_record(
        kind=HouseholdEvent.DISSOLVED,
        subject=household,
        actor=actor,
        data={"on": on.isoformat(), "reason": reason},
    )
    return household


@transaction.atomic
def household_split(
    *,
    household: Household,
    code: str,
    members: Sequence[Member],
    head: Member,
    on: dt.date,
    actor: Any = None,
) -> Household:
    """Some members leave to form a new household at the same place (tách hộ)."""
    if head not in members:
        raise ValidationError({"head": "Chủ hộ mới phải là một trong những người tách hộ."})
    if any(member.household_id != household.pk for member in members):
        raise ValidationError({"members": "Chỉ tách được những người đang ở trong hộ."})
    place = placement_on(household, on)
    if place is None:
        raise ValidationError("Hộ không có nơi cư trú vào ngày tách hộ.")
    new = household_create(
        code=code,
        unit=place.unit,
        hamlet=place.hamlet,
        area=place.area,
        head_name=head.full_name,
        ethnic_minority=household.ethnic_minority,
        farming=household.farming,
        formed_on=on,
        reason=PlacementReason.SPLIT,
        actor=actor,
    )
    new.split_from = household
    new.save(update_fields=["split_from"])
    for member in members:
        member.valid_to = on - dt.timedelta(days=1)
        member.save(update_fields=["valid_to"])
        Member.objects.create(
            household=new,
            full_name=member.full_name,
            birth_date=member.birth_date,
            sex=member.sex,
            relation="head" if member.pk == head.pk else member.relation,
            citizen_id=member.citizen_id,
            citizen_id_index=member.citizen_id_index,
            valid_from=on,
            created_by=acting_user(actor),
        )
    event_record(
        kind=HouseholdEvent.SPLIT,
        subject=household,
        actor=actor,
        data={"new": new.code, "members": len(members), "on": on.isoformat()},
    )
    return new


@transaction.atomic
def member_add(
    *,
    household: Household,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    relation: str,
    citizen_id: str = "",
    on: dt.date | None = None,
    actor: Any = None,
) -> Member:
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": "Họ và tên không được để trống."})
    if birth_date > (on or today()):
        raise ValidationError({"birth_date": "Ngày sinh không thể sau ngày vào hộ."})
    citizen_id = check_citizen_id(citizen_id, required=False)
    member = Member.objects.create(
        household=household,
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        relation=relation,
        citizen_id=citizen_id,
        citizen_id_index=blind_index(citizen_id) if citizen_id else "",
        valid_from=on,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    event_record(
        kind=HouseholdEvent.MEMBER_ADDED, subject=household, actor=actor, data={"member": member.pk}
    )
    return member

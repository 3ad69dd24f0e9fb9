"""Writes for administrative units and hamlets."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from gandan.core.actors import acting_user
from gandan.core.services import event_record
from gandan.core.text import fold
from gandan.geo import sources
from gandan.geo.events import GeoEvent
from gandan.geo.models import (
    REFORM_DATE,
    Hamlet,
    HamletKind,
    Level,
    Lineage,
    LineageKind,
    Unit,
)

UnitKey = tuple[str, str, dt.date | None]
_UNIT_FIELDS = (
    "name",
    "short_name",
    "type",
    "province_code",
    "latitude",
    "longitude",
    "area_km2",
    "valid_to",
    "source",
    "search_name",
)


@dataclass
class LoadSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values()) or sum(self.updated.values()) or sum(self.removed.values())
        )


def _unit_values(unit: sources.SourceUnit) -> dict[str, Any]:
    return {
        "name": unit.name,
        "short_name": unit.short_name,
        "type": unit.type,
        "province_code": unit.province_code,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "area_km2": unit.area_km2,
        "valid_to": unit.valid_to,
        "source": unit.source,
        "search_name": fold(unit.name),
    }


@transaction.atomic
def units_load(
    *, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> LoadSummary:
    """Bring units and lineage in line with the ``vietnamadminunits`` package; idempotent.

    Creates what is missing, updates what differs, and reports what it did. With
    ``dry_run`` the transaction is rolled back.
    """
    say = progress or (lambda _message: None)
    summary = LoadSummary()
    wanted = sources.legacy_units() + sources.current_units()
    say(f"đọc {len(wanted)} đơn vị từ vietnamadminunits {sources.PACKAGE_VERSION}")

    existing: dict[UnitKey, Unit] = {(u.level, u.code, u.valid_from): u for u in Unit.objects.all()}
    ids: dict[UnitKey, int] = {key: u.pk for key, u in existing.items()}
    # Parents before children, so each child can be linked as it is created.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for source_unit in (u for u in wanted if u.level == level):
            parent_id = None
            if source_unit.parent_code is not None:
                parent_level = (
                    Level.PROVINCE
                    if level == Level.DISTRICT or source_unit.valid_from
                    else Level.DISTRICT
                )
                parent_id = ids[(parent_level, source_unit.parent_code, source_unit.valid_from)]
            values = _unit_values(source_unit)
            current = existing.get(source_unit.key)
            if current is None:
                to_create.append(
                    Unit(
                        level=level,
                        code=source_unit.code,
                        valid_from=source_unit.valid_from,
                        parent_id=parent_id,
                        **values,
                    )
                )
            elif current.parent_id != parent_id or any(
                getattr(current, k) != v for k, v in values.items()
            ):
                for name, value in values.items():
                    setattr(current, name, value)
                current.parent_id = parent_id
                to_update.append(current)
            else:
                summary.unchanged[level] += 1
        for unit in Unit.objects.bulk_create(to_create, batch_size=2000):
            ids[(unit.level, unit.code, unit.valid_from)] = unit.pk
        Unit.objects.bulk_update(to_update, [*_UNIT_FIELDS, "parent"], batch_size=2000)
        summary.created[level] += len(to_create)
        summary.updated[level] += len(to_update)
        say(f"{Level(level).label}: thêm {len(to_create)}, sửa {len(to_update)}")

    _load_lineage(ids, summary)
    say(f"quan hệ kế thừa: thêm {summary.created['lineage']}, sửa {summary.updated['lineage']}")
    if dry_run:
        transaction.set_rollback(True)
    elif connection.vendor == "postgresql" and any(
        sum(counts.values()) for counts in (summary.created, summary.updated, summary.removed)
    ):
        # Statistics now, not when autovacuum comes by: until then the planner takes the
        # fresh tables for empty and scans lineage whole in every scope look-up.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Unit._meta.db_table}, {Lineage._meta.db_table}")
    return summary


def _load_lineage(ids: dict[UnitKey, int], summary: LoadSummary) -> None:
    links = sources.lineage_links()
    successors: Counter[int] = Counter()
    predecessors: Counter[int] = Counter()
    resolved: list[tuple[int, int, sources.SourceLink]] = []
    for link in links:
        pred, succ = ids[link.predecessor], ids[link.successor]
        successors[pred] += 1
        predecessors[succ] += 1
        resolved.append((pred, succ, link))
    existing = {(lin.predecessor_id, lin.successor_id): lin for lin in Lineage.objects.all()}
    to_create: list[Lineage] = []
    to_update: list[Lineage] = []
    for pred, succ, link in resolved:
        if successors[pred] > 1:
            kind = LineageKind.SPLIT
        elif predecessors[succ] > 1:
            kind = LineageKind.MERGE
        else:
            kind = LineageKind.CONTINUE
        values = {
            "kind": kind,
            "effective_date": REFORM_DATE,
            "is_primary": link.is_primary,
            "source": link.source,
        }
        current = existing.get((pred, succ))
        if current is None:
            to_create.append(Lineage(predecessor_id=pred, successor_id=succ, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
        else:
            summary.unchanged["lineage"] += 1
    # Lineage is derived from the source alone: an edge the source no longer has is wrong.
    stale = set(existing) - {(pred, succ) for pred, succ, _link in resolved}
    if stale:
        Lineage.objects.filter(pk__in=[existing[key].pk for key in stale]).delete()
        summary.removed["lineage"] += len(stale)
    Lineage.objects.bulk_create(to_create, batch_size=2000)
    Lineage.objects.bulk_update(
        to_update, ["kind", "effective_date", "is_primary", "source"], batch_size=2000
    )
    summary.created["lineage"] += len(to_create)
    summary.updated["lineage"] += len(to_update)


# --- Hamlets -----------------------------------------------------------------------------


def _check_hamlet_fields(name: str, kind: str) -> str:
    """The name with spaces tidied, once name and kind are known to be acceptable."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Tên thôn, tổ dân phố không được để trống."})
    if kind not in HamletKind.values:
        raise ValidationError({"kind": f"Loại không hợp lệ: {kind}."})
    return name


def _check_commune_on(commune: Unit, day: dt.date | None) -> None:
    if commune.level != Level.COMMUNE:
        raise ValidationError(
            {"commune": "Thôn, tổ dân phố phải thuộc một xã, phường, thị trấn hoặc đặc khu."}
        )
    if day is not None and not commune.is_valid_on(day):
        raise ValidationError(
            {"valid_from": f"{commune.name} không còn hiệu lực vào ngày {day:%d/%m/%Y}."}
        )


@transaction.atomic
def hamlet_create(
    *,
    commune: Unit,
    name: str,
    kind: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    actor: Any = None,
) -> Hamlet:
    """Create a village or residential group under ``commune``."""
    name = _check_hamlet_fields(name, kind)
    _check_commune_on(commune, valid_from)
    if commune.valid_to is not None and valid_to is None:
        valid_to = commune.valid_to  # a hamlet cannot outlive its commune's period
    hamlet = Hamlet(
        commune=commune,
        name=name,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        latitude=latitude,
        longitude=longitude,
        created_by=acting_user(actor),
        updated_by=acting_user(actor),
    )
    hamlet.province_code = commune.province_code
    hamlet.full_clean()
    hamlet.save()
    event_record(
        kind=GeoEvent.HAMLET_CREATED,
        subject=hamlet,
        actor=actor,
        data={"name": name, "kind": kind, "commune": commune.code},
    )
    return hamlet


@transaction.atomic
def hamlet_update(*, hamlet: Hamlet, name: str, kind: str, actor: Any = None) -> Hamlet:
    """Rename or retype a hamlet (a correction: the period does not change)."""
    name = _check_hamlet_fields(name, kind)
    before = {"name": hamlet.name, "kind": hamlet.kind}
    hamlet.name, hamlet.kind, hamlet.updated_by = name, kind, acting_user(actor)
    hamlet.save()
    event_record(
        kind=GeoEvent.HAMLET_UPDATED,
        subject=hamlet,
        actor=actor,
        data={"before": before, "after": {"name": name, "kind": kind}},
    )
    return hamlet


@transaction.atomic
def hamlets_carry_over(
    *,
    effective_date: dt.date = REFORM_DATE,
    province_code: str | None = None,
    overrides: dict[int, int] | None = None,
    actor: Any = None,
) -> int:
    """Move every hamlet of a commune that ends the day before ``effective_date`` to its successor.

    Each hamlet gets a new row under the successor commune, valid from ``effective_date`` and
    linked to its old row by ``previous``. A divided commune's hamlets go to its primary
    successor unless ``overrides`` (old hamlet id → new commune id) says otherwise. Returns
    the number of hamlets carried. Running it again carries nothing twice.
    """
    last_day = effective_date - dt.timedelta(days=1)
    hamlets = (
        Hamlet.objects.active()
        .filter(valid_to=last_day, next__isnull=True)
        .select_related("commune")
    )
    if province_code:
        hamlets = hamlets.filter(province_code=province_code)
    hamlets_list = list(hamlets)
    links: dict[int, list[Lineage]] = defaultdict(list)
    for link in Lineage.objects.filter(
        predecessor_id__in={h.commune_id for h in hamlets_list}, effective_date=effective_date
    ).select_related("successor"):
        links[link.predecessor_id].append(link)
    overrides = overrides or {}
    targets = {u.pk: u for u in Unit.objects.filter(pk__in=set(overrides.values()))}
    created: list[Hamlet] = []
    for hamlet in hamlets_list:
        candidates = links.get(hamlet.commune_id, [])
        if hamlet.pk in overrides:
            successor = targets[overrides[hamlet.pk]]
            if successor.pk not in {c.successor_id for c in candidates}:
                raise ValidationError(
                    {"overrides": f"{successor} không phải đơn vị kế thừa của {hamlet.commune}."}
                )
        elif candidates:
            successor = next(
                (c.successor for c in candidates if c.is_primary), candidates[0].successor
            )
        else:
            continue  # the commune went on unchanged under the same row
        created.append(
            Hamlet(
                commune=successor,
                name=hamlet.name,
                kind=hamlet.kind,
                previous=hamlet,
                valid_from=effective_date,
                valid_to=successor.valid_to,
                province_code=successor.province_code,
                latitude=hamlet.latitude,
                longitude=hamlet.longitude,
                search_name=hamlet.search_name,
                created_by=acting_user(actor),
                updated_by=acting_user(actor),
            )
        )
    Hamlet.objects.bulk_create(created, batch_size=2000)
    if created:
        # One event for the whole carry-over: it is one decision, applied to many rows.
        event_record(
            kind=GeoEvent.HAMLETS_CARRIED_OVER,
            subject=created[0].commune,
            actor=actor,
            province_code=province_code or "",
            data={"effective_date": effective_date.isoformat(), "count": len(created)},
        )
    return len(created)


def hamlets_bulk_create(*, rows: Iterable[Hamlet]) -> int:
    """Create many hamlets at once (demo and imports): search names and provinces filled in."""
    batch = []
    for hamlet in rows:
        hamlet.search_name = fold(hamlet.name)
        hamlet.province_code = hamlet.commune.province_code
        batch.append(hamlet)
    Hamlet.objects.bulk_create(batch, batch_size=2000)
    return len(batch)

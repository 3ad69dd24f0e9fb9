"""Demo stages for units and hamlets: the real units of the country; Huế's 724 thôn and 553 tổ dân phố.

The seed article counts 724 thôn and 553 tổ dân phố in Huế. No public list of them
exists, so the generator spreads that many over the legacy communes (thôn in xã,
tổ dân phố in phường and thị trấn) and carries them to the new communes through lineage.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tqdm import tqdm

from gandan.core.demo import PROVINCE_CODE, DemoContext, Stage
from gandan.geo.models import REFORM_DATE, Hamlet, HamletKind, Level, Unit, UnitType
from gandan.geo.services import hamlets_bulk_create, hamlets_carry_over, units_load
from gandan.geo.sources import LEGACY_VALID_TO

HUE_THON = 724
HUE_TO_DAN_PHO = 553

_PREFIXES = [
    "An",
    "Phú",
    "Vĩnh",
    "Thuận",
    "Phước",
    "Hòa",
    "Lương",
    "Mỹ",
    "Tân",
    "Xuân",
    "Thanh",
    "La",
    "Kim",
    "Ngọc",
    "Đông",
    "Tây",
    "Trung",
    "Thượng",
    "Hạ",
    "Quảng",
    "Hương",
    "Bình",
]
_SUFFIXES = [
    "Lộc",
    "Thành",
    "Hòa",
    "Mỹ",
    "Xuân",
    "Lợi",
    "Điền",
    "Hưng",
    "Phong",
    "Bình",
    "An",
    "Thạnh",
    "Long",
    "Sơn",
    "Thủy",
    "Lai",
    "Cựu",
    "Tân",
    "Dương",
    "Vân",
]


def _load_units(ctx: DemoContext, bar: tqdm[Any]) -> str:
    bar.reset(total=5)  # read, three levels, lineage

    def step(_message: str) -> None:
        bar.update(1)

    summary = units_load(progress=step)
    total_created = sum(summary.created.values())
    if total_created:
        return f"thêm {total_created} bản ghi đơn vị và quan hệ kế thừa"
    return "đơn vị hành chính đã có sẵn, không thay đổi"


def _spread(total: int, communes: list[Unit], ctx: DemoContext) -> Counter[int]:
    """Split ``total`` over ``communes``: an even share each, the remainder by chance."""
    counts: Counter[int] = Counter()
    if not communes:
        return counts
    base, remainder = divmod(total, len(communes))
    for commune in communes:
        counts[commune.pk] = base
    for commune in ctx.rng.sample(communes, remainder):
        counts[commune.pk] += 1
    return counts


def _village_name(ctx: DemoContext, used: set[str]) -> str:
    for _ in range(50):
        name = f"Thôn {ctx.rng.choice(_PREFIXES)} {ctx.rng.choice(_SUFFIXES)}"
        if name not in used:
            return name
    return f"Thôn {len(used) + 1}"


def _hamlets(ctx: DemoContext, bar: tqdm[Any]) -> str:
    legacy = Unit.objects.filter(
        province_code=PROVINCE_CODE, level=Level.COMMUNE, valid_to=LEGACY_VALID_TO
    )
    if Hamlet.objects.filter(commune__in=legacy).exists():
        return "thôn, tổ dân phố của Huế đã có sẵn, bỏ qua"
    communes = list(legacy.order_by("code"))
    rural = [c for c in communes if c.type == UnitType.COMMUNE]
    urban = [c for c in communes if c.type in (UnitType.WARD, UnitType.TOWNSHIP)]
    thon = _spread(ctx.scaled(HUE_THON), rural, ctx)
    to_dan_pho = _spread(ctx.scaled(HUE_TO_DAN_PHO), urban, ctx)
    bar.reset(total=sum(thon.values()) + sum(to_dan_pho.values()))
    rows: list[Hamlet] = []
    for commune in communes:
        used: set[str] = set()
        for _ in range(thon[commune.pk]):
            name = _village_name(ctx, used)
            used.add(name)
            rows.append(_hamlet(commune, name, HamletKind.THON, ctx))
        for number in range(1, to_dan_pho[commune.pk] + 1):
            rows.append(_hamlet(commune, f"Tổ dân phố {number}", HamletKind.TO_DAN_PHO, ctx))
        bar.update(thon[commune.pk] + to_dan_pho[commune.pk])
    hamlets_bulk_create(rows=rows)
    carried = hamlets_carry_over(effective_date=REFORM_DATE, province_code=PROVINCE_CODE)
    return (
        f"{sum(thon.values())} thôn và {sum(to_dan_pho.values())} tổ dân phố ở {len(communes)} xã, phường cũ; "
        f"{carried} chuyển sang xã, phường mới từ {REFORM_DATE:%d/%m/%Y}"
    )


def _hamlet(commune: Unit, name: str, kind: str, ctx: DemoContext) -> Hamlet:
    lat = commune.latitude + ctx.rng.uniform(-0.01, 0.01) if commune.latitude is not None else None
    lon = (
        commune.longitude + ctx.rng.uniform(-0.01, 0.01) if commune.longitude is not None else None
    )
    return Hamlet(
        commune=commune,
        name=name,
        kind=kind,
        valid_to=commune.valid_to,
        latitude=lat,
        longitude=lon,
    )


STAGES = [
    Stage("Đơn vị hành chính cả nước", _load_units),
    Stage("Thôn, tổ dân phố của Huế", _hamlets),
]

"""Reading the ``vietnamadminunits`` package: both structures and the 2025 conversion table.

This module only reads and normalises the package's data; :mod:`gandan.geo.services` writes it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from importlib import metadata, resources
from typing import Any

from vietnamadminunits.database import query

from gandan.core.text import fold_key
from gandan.geo.models import REFORM_DATE, Level, UnitType

LEGACY_VALID_TO = REFORM_DATE - dt.timedelta(days=1)
PACKAGE_VERSION = metadata.version("vietnamadminunits")
LEGACY_SOURCE = (
    f"vietnamadminunits {PACKAGE_VERSION}: admin_units_legacy (63 tỉnh, trước 01/7/2025)"
)
CURRENT_SOURCE = f"vietnamadminunits {PACKAGE_VERSION}: admin_units (34 tỉnh, từ 01/7/2025)"
PROVINCE_LINEAGE_SOURCE = "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"
COMMUNE_LINEAGE_SOURCE = (
    "Các nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025 "
    f"(bảng chuyển đổi converter_2025 của vietnamadminunits {PACKAGE_VERSION})"
)

_DISTRICT_TYPES = {
    "Quận": UnitType.URBAN_DISTRICT,
    "Huyện": UnitType.RURAL_DISTRICT,
    "Thị xã": UnitType.TOWN,
    "Thành phố": UnitType.PROVINCIAL_CITY,
}
_COMMUNE_TYPES = {
    "Xã": UnitType.COMMUNE,
    "Phường": UnitType.WARD,
    "Thị trấn": UnitType.TOWNSHIP,
    "Đặc khu": UnitType.SPECIAL_ZONE,
}


@dataclass(frozen=True)
class SourceUnit:
    level: str
    code: str
    name: str
    short_name: str
    type: str
    parent_code: str | None  # code of the parent in the same structure
    province_code: str
    latitude: float | None
    longitude: float | None
    area_km2: float | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str

    @property
    def key(self) -> tuple[str, str, dt.date | None]:
        return (self.level, self.code, self.valid_from)


@dataclass(frozen=True)
class SourceLink:
    predecessor: tuple[str, str, dt.date | None]
    successor: tuple[str, str, dt.date | None]
    is_primary: bool
    source: str


def _province_type(name: str) -> str:
    return UnitType.CENTRAL_CITY if name.startswith("Thành phố") else UnitType.PROVINCE


def _float(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _unit(
    row: dict[str, Any], prefix: str, level: str, type_: str, parent_code: str | None, legacy: bool
) -> SourceUnit:
    """One unit of a source row: its columns are named ``{prefix}``, ``{prefix}Short``, …"""
    area = row.get(f"{prefix}AreaKm2")
    return SourceUnit(
        level=level,
        code=row[f"{prefix}Code"],
        name=row[prefix],
        short_name=row[f"{prefix}Short"],
        type=type_,
        parent_code=parent_code,
        province_code=row["provinceCode"],
        latitude=_float(row[f"{prefix}Lat"]),
        longitude=_float(row[f"{prefix}Lon"]),
        area_km2=_float(area),
        valid_from=None if legacy else REFORM_DATE,
        valid_to=LEGACY_VALID_TO if legacy else None,
        source=LEGACY_SOURCE if legacy else CURRENT_SOURCE,
    )


def _units_of(rows: list[dict[str, Any]], *, legacy: bool) -> list[SourceUnit]:
    """The provinces, districts (legacy only) and communes of the source rows, each once."""
    units: dict[tuple[str, str, dt.date | None], SourceUnit] = {}

    def add(unit: SourceUnit) -> None:
        units.setdefault(unit.key, unit)

    for row in rows:
        province_code = row["provinceCode"]
        province_type = _province_type(row["province"])
        add(_unit(row, "province", Level.PROVINCE, province_type, None, legacy))
        commune_parent = province_code
        if legacy:
            district_type = _DISTRICT_TYPES[row["districtType"]]
            add(_unit(row, "district", Level.DISTRICT, district_type, province_code, legacy))
            commune_parent = row["districtCode"]
        if row["ward"]:  # five legacy island districts have no commune below them
            commune_type = _COMMUNE_TYPES[row["wardType"]]
            add(_unit(row, "ward", Level.COMMUNE, commune_type, commune_parent, legacy))
    return list(units.values())


def legacy_units() -> list[SourceUnit]:
    """The structure before 1 Jul 2025: 63 provinces, 696 districts, 10,035 communes."""
    rows = query(
        "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon,"
        " district, districtShort, districtType, districtCode, districtLat, districtLon,"
        " ward, wardShort, wardType, wardCode, wardLat, wardLon FROM admin_units_legacy"
    )
    return _units_of(rows, legacy=True)


def current_units() -> list[SourceUnit]:
    """The structure from 1 Jul 2025: 34 provinces and 3,321 communes, no districts."""
    rows = query(
        "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon,"
        " ward, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2 FROM admin_units"
    )
    return _units_of(rows, legacy=False)


def _converter() -> dict[str, Any]:
    path = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


class SourceError(Exception):
    """The package's data does not hang together (a key with no unit)."""


def lineage_links() -> list[SourceLink]:
    """Province merges and commune merges/divisions effective 1 Jul 2025, from ``converter_2025.json``."""
    legacy = query(
        "SELECT provinceKey, provinceCode, districtKey, districtCode, wardKey, wardCode"
        " FROM admin_units_legacy"
    )
    current = query("SELECT provinceKey, provinceCode, wardKey, wardCode FROM admin_units")
    old_province = {r["provinceKey"]: r["provinceCode"] for r in legacy}
    new_province = {r["provinceKey"]: r["provinceCode"] for r in current}
    old_commune: dict[str, tuple[str, str, dt.date | None]] = {}
    for r in legacy:
        if r["wardKey"]:
            old_commune[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = (
                Level.COMMUNE,
                r["wardCode"],
                None,
            )
        else:
            # An island district without communes became a special zone itself.
            old_commune[f"{r['provinceKey']}_{r['districtKey']}_"] = (
                Level.DISTRICT,
                r["districtCode"],
                None,
            )
    # The table's keys are folded names, except where folding would make two communes of a
    # province collide ("xãvănlang" / "xãvănlăng"): match exactly first, then folded.
    new_exact = {
        (r["provinceKey"], r["wardKey"]): (Level.COMMUNE, r["wardCode"], REFORM_DATE)
        for r in current
    }
    folded_counts = Counter((r["provinceKey"], fold_key(r["wardKey"])) for r in current)
    new_folded = {
        (r["provinceKey"], fold_key(r["wardKey"])): (Level.COMMUNE, r["wardCode"], REFORM_DATE)
        for r in current
        if folded_counts[(r["provinceKey"], fold_key(r["wardKey"]))] == 1
    }

    def successor(province_key: str, ward_key: str) -> tuple[str, str, dt.date | None]:
        found = new_exact.get((province_key, ward_key)) or new_folded.get(
            (province_key, fold_key(ward_key))
        )
        if found is None:
            raise SourceError(f"không tìm thấy xã mới {province_key}/{ward_key}")
        return found

    def predecessor(full_key: str) -> tuple[str, str, dt.date | None]:
        try:
            return old_commune[full_key]
        except KeyError:
            raise SourceError(f"không tìm thấy xã cũ {full_key}") from None

    def commune_link(old_key: str, province_key: str, ward_key: str, primary: bool) -> SourceLink:
        return SourceLink(
            predecessor=predecessor(old_key),
            successor=successor(province_key, ward_key),
            is_primary=primary,
            source=COMMUNE_LINEAGE_SOURCE,
        )

    data = _converter()
    links: list[SourceLink] = []
    for new_key, old_keys in data["DICT_PROVINCE"].items():
        for old_key in old_keys:
            links.append(
                SourceLink(
                    predecessor=(Level.PROVINCE, old_province[old_key], None),
                    successor=(Level.PROVINCE, new_province[new_key], REFORM_DATE),
                    is_primary=True,
                    source=PROVINCE_LINEAGE_SOURCE,
                )
            )

    # Communes merged whole into one new commune, then communes divided between several.
    for province_key, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                links.append(commune_link(old_key, province_key, ward_key, True))
    for province_key, old_wards in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in old_wards.items():
            for part in parts:
                primary = bool(part["isDefaultNewWard"])
                links.append(commune_link(old_key, province_key, part["newWardKey"], primary))
    return links

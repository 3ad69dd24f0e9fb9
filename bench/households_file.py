"""A households import file of N rows (``gandan import households``) for the benchmarks.

Real communes of Huế (province 46) from the ``vietnamadminunits`` package, so the file imports
into a database where the units are loaded (``units_load``) and nothing else is needed:

- one row per household per review year, the years in blocks (all of 2024, then all of 2025, …)
  as yearly exports put together would be;
- a household lives in a legacy commune before the 2025 reform and in that commune's primary
  successor after it (the reform case of the import), and a small share moves once to another
  commune (a move);
- incomes and deprivations drawn so that roughly one household in ten is poor and one in ten
  near-poor; indicator codes are those of each year's standard (``rules/standards.json``).

    write_households_file("ho-300k.xlsx", 300_000)          # .xlsx or .csv, by the suffix
    write_households_file("ho.csv", 1_000, years=(2025, 2026), seed=7)

Needs Django set up (the unit sources import the geo models); it does not touch the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

COLUMNS = (
    "household_code",
    "commune_code",
    "hamlet_code",
    "year",
    "area",
    "income_per_capita",
    "deprived",
    "ethnic_minority",
    "members",
    "head_name",
)
PROVINCE = "46"
REVIEW_DAY = (12, 14)  # units as of 14 December of the review year (households.models.review_date)
STANDARDS = Path(__file__).resolve().parent.parent / "gandan/households/rules/standards.json"

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Hồ", "Ngô"]
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Thanh", "Quang", "Xuân"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Phúc"]


def _communes() -> tuple[list[tuple[str, str]], dict[str, str], list[tuple[str, str]]]:
    """(legacy communes, legacy code → primary successor code, current communes) of Huế;
    communes as (code, type)."""
    from gandan.geo.models import Level
    from gandan.geo.sources import current_units, legacy_units, lineage_links

    legacy = [
        (u.code, u.type)
        for u in legacy_units()
        if u.level == Level.COMMUNE and u.province_code == PROVINCE
    ]
    current = [
        (u.code, u.type)
        for u in current_units()
        if u.level == Level.COMMUNE and u.province_code == PROVINCE
    ]
    legacy_codes = {code for code, _ in legacy}
    current_codes = {code for code, _ in current}
    successor: dict[str, str] = {}
    for link in lineage_links():
        old, new = link.predecessor, link.successor
        if old[0] != Level.COMMUNE or old[1] not in legacy_codes or new[1] not in current_codes:
            continue
        if link.is_primary or old[1] not in successor:
            successor[old[1]] = new[1]
    legacy = [(code, kind) for code, kind in legacy if code in successor]
    return sorted(legacy), successor, sorted(current)


def _indicators() -> list[tuple[int, int, list[str]]]:
    data = json.loads(STANDARDS.read_text(encoding="utf-8"))
    return [
        (s["first_year"], s["last_year"], [row[0] for row in s["indicators"]])
        for s in data["standards"]
    ]


def households_rows(
    n: int,
    *,
    years: Sequence[int] = (2024, 2025, 2026),
    seed: int = 46,
    move_share: float = 0.02,
    hamlets: dict[str, list[int]] | None = None,
) -> Iterator[list[Any]]:
    """The ``n`` data rows (without the header), ``ceil(n / len(years))`` households.

    ``hamlets`` (commune code → hamlet ids) fills ``hamlet_code`` where a commune has villages;
    by default it is left empty.
    """
    years = sorted(years)
    rng = random.Random(seed)  # noqa: S311 - made-up data, not security
    legacy, successor, current = _communes()
    kinds = dict(legacy) | dict(current)
    standards = _indicators()
    households = -(-n // len(years))
    reform = dt.date(2025, 7, 1)
    # Per household: legacy commune, and (year from which, commune moved to) for movers.
    homes = [rng.choice(legacy)[0] for _ in range(households)]
    moves: dict[int, tuple[int, str]] = {}
    for index in range(households):
        if len(years) > 1 and rng.random() < move_share:
            moves[index] = (rng.choice(years[1:]), rng.choice(current)[0])
    written = 0
    for year in years:
        review_day = dt.date(year, *REVIEW_DAY)
        codes = next(ind for first, last, ind in standards if first <= year <= last)
        for index in range(households):
            if written == n:
                return
            home = homes[index]
            commune = home if review_day < reform else successor[home]
            moved = moves.get(index)
            if moved is not None and year >= moved[0] and review_day >= reform:
                commune = moved[1]
            area = "urban" if kinds[commune] in ("phuong", "thi_tran") else "rural"
            draw = rng.random()
            if draw < 0.1:  # poor: low income and several deprivations
                income = rng.randrange(300_000, 1_400_000, 10_000)
                deprived = rng.sample(codes, rng.randint(3, 5))
            elif draw < 0.2:  # near-poor: low income, few deprivations
                income = rng.randrange(300_000, 1_400_000, 10_000)
                deprived = rng.sample(codes, rng.randint(0, 2))
            else:
                income = rng.randrange(3_200_000, 12_000_000, 10_000)
                deprived = rng.sample(codes, rng.randint(0, 2))
            hamlet = ""
            if hamlets and hamlets.get(commune):
                hamlet = str(hamlets[commune][index % len(hamlets[commune])])
            rng_name = random.Random(seed * 1_000_003 + index)  # noqa: S311 - same head every year
            head = (
                f"{rng_name.choice(_FAMILY)} {rng_name.choice(_MIDDLE)} {rng_name.choice(_GIVEN)}"
            )
            yield [
                f"HUE{index + 1:07d}",
                commune,
                hamlet,
                year,
                area,
                income,
                ";".join(deprived),
                1 if index % 19 == 0 else 0,
                rng.randint(1, 8),
                head,
            ]
            written += 1


def write_households_file(
    path: str | Path,
    n: int,
    *,
    years: Sequence[int] = (2024, 2025, 2026),
    seed: int = 46,
    move_share: float = 0.02,
    hamlets: dict[str, list[int]] | None = None,
) -> Path:
    """Write ``n`` rows to ``path`` (.xlsx with openpyxl's write-only mode, or .csv UTF-8)."""
    path = Path(path)
    rows = households_rows(n, years=years, seed=seed, move_share=move_share, hamlets=hamlets)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        return path
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ho")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path

"""The file's columns and the values a row may hold; the small records and helpers the
households importer keeps per household."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

from gandan.geo.models import REFORM_DATE
from gandan.households.models import (
    Area,
    Placement,
)

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
AREAS = {
    "urban": Area.URBAN.value,
    "rural": Area.RURAL.value,
    "thanh thi": Area.URBAN.value,
    "nong thon": Area.RURAL.value,
}
MAX_INCOME = 2_147_483_647  # the column's upper bound
MAX_MEMBERS = 99
WHOLE = re.compile(r"^-?\d+$")
GROUPED = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")  # 1.500.000 or 1,500,000
DAY = dt.timedelta(days=1)
BEFORE_REFORM = REFORM_DATE - DAY


class HouseholdRow(NamedTuple):
    """One row, checked: plain values and ids only (rows wait in a file between the steps)."""

    code: str
    province: str
    year: int
    unit_id: int
    hamlet_id: int | None
    area: str
    income: int
    deprived: tuple[str, ...]
    ethnic_minority: bool
    members: int
    head_name: str


Entry = tuple[int, int, int, int | None, str]  # year, row number, commune id, village id, area
ID_BITS = 32  # row numbers and ids stay below 2**32


def pack(entry: Entry) -> int:
    """One year of a household as a single int (about 40 bytes rather than a tuple's 110); the
    year in the highest bits, so packed entries sort by year."""
    year, number, unit_id, hamlet_id, area = entry
    packed = (year << ID_BITS | number) << ID_BITS | unit_id
    return ((packed << ID_BITS | (hamlet_id or 0)) << 1) | (area == Area.URBAN)


def unpack(packed: int) -> Entry:
    mask = (1 << ID_BITS) - 1
    area = Area.URBAN.value if packed & 1 else Area.RURAL.value
    packed >>= 1
    hamlet_id = packed & mask
    packed >>= ID_BITS
    unit_id = packed & mask
    packed >>= ID_BITS
    return (packed >> ID_BITS, packed & mask, unit_id, hamlet_id or None, area)


class Plan:
    """What the file says of one household: its years, and what the writing step settled.

    ``years`` holds the packed ``(year, row number, commune id, village id, area)`` of its rows
    in increasing years (:func:`pack`); the village is filled in from the registration when
    settled. ``household_id`` is None until the household is first met in the writing step,
    then its id (0 if it was rejected). About 130 bytes per row with the code: the import's
    only memory that grows with the file.
    """

    __slots__ = ("farming", "household_id", "last_fp", "update_row", "years")

    def __init__(self, entry: Entry, fingerprint: int) -> None:
        self.years: tuple[int, ...] = (pack(entry),)
        self.last_fp = fingerprint  # of (head_name, ethnic_minority) on the latest year's row
        self.household_id: int | None = None
        self.farming = False
        self.update_row = 0  # the row whose head name / ethnic minority the household takes


def fingerprint_of(head_name: str, ethnic_minority: bool) -> int:
    return hash((head_name, ethnic_minority)) & 0x3FFFFFFF  # 30 bits: a small int object


def min_date(*dates: dt.date | None) -> dt.date | None:
    """The earliest of the dates given, None (open-ended) counting as the latest."""
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def day_text(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def valid_on(placements: Iterable[Placement], day: dt.date) -> Placement | None:
    return next((p for p in placements if p.is_valid_on(day)), None)


def last_before(placements: Iterable[Placement], day: dt.date) -> Placement | None:
    ended = [p for p in placements if p.valid_to is not None and p.valid_to < day]
    return max(ended, key=lambda p: p.valid_to or dt.date.min, default=None)


def first_after(placements: Iterable[Placement], day: dt.date) -> Placement | None:
    later = [p for p in placements if p.valid_from is not None and p.valid_from > day]
    return min(later, key=lambda p: p.valid_from or dt.date.max, default=None)


def insert_placement(placements: list[Placement], placement: Placement) -> None:
    placements.append(placement)
    placements.sort(key=lambda p: p.valid_from or dt.date.min)

"""Import of households' yearly review results: one row per household per review year.

Columns (the header row must name exactly these, in any order; ``docs/import-households.md``
explains each with examples)::

    household_code, commune_code, hamlet_code, year, area, income_per_capita, deprived,
    ethnic_minority, members, head_name

- ``household_code``: the household's code, unique in the province (at most 32 characters).
  A code already registered is that household; a new code creates the household.
- ``commune_code``: a commune (xã, phường, đặc khu) that exists on the review date of ``year``
  (14 December, :func:`~gandan.households.models.review_date`): a legacy code for 2024 and
  before, a current one from 2025. On the upload screen it must be in the user's scope.
- ``hamlet_code``: optional; the id of a village or residential group of that commune on that
  date (villages have no official code: the id is the number shown on the unit's page).
- ``year``: the review year; a poverty standard must apply to it. A year already decided in
  the commune (its review has the chair's decision) is locked: its rows are refused.
- ``area``: ``urban`` or ``rural`` (or ``thành thị`` / ``nông thôn``).
- ``income_per_capita``: monthly income per person in đồng, a whole number ≥ 0
  (``1500000`` or ``1.500.000``).
- ``deprived``: the codes of the indicators the household lacks, separated by ``;``, from
  that year's standard (empty: none).
- ``ethnic_minority``: ``1`` for an ethnic-minority household, ``0`` (or empty) otherwise.
- ``members``: the number of members, 1–99.
- ``head_name``: the head of household.

Rules (each tested in ``tests/test_import.py``):

- a household has at most one row per year in the file, and none for a year it already has a
  current result for in the database (corrections are dated, through the review screens);
- the household's registration follows the rows, year by year in increasing order: a row in
  another commune (or another village of the same commune) is a move from 1 January of its
  year (or the day after the registration it replaces began, or the commune's first day,
  whichever is latest) — or, across the 2025 reform, from a legacy commune to one it became
  part of, a registration "reform" from the new commune's first day. A household whose
  registration ends with its legacy commune on 30 June 2025 is carried over to the commune
  that took it over, as ``households_carry_over`` does;
- an existing registration is changed only where the user may write, never in a year before
  the household's latest result already recorded, and never on the review day of a year
  decided in the commune it leaves or joins.

The importer takes the batch path of :mod:`gandan.core.imports`: rows are checked against
caches (units by code and year, villages per commune, the province's household codes, the
results of the years in the file), then written 2,000 at a time with ``bulk_create``; the
import writes one summary event (``households.imported``) per province.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.utils import timezone

from gandan.core.actors import acting_user
from gandan.core.imports import Figure, ImportContext, Row, TableImporter, bulk_insert
from gandan.core.services import event_record
from gandan.core.text import fold
from gandan.geo.models import REFORM_DATE, Hamlet, Level, Lineage, Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.households.classification import StandardRules
from gandan.households.events import HouseholdEvent
from gandan.households.models import (
    Area,
    Assessment,
    Household,
    Placement,
    PlacementReason,
    PovertyStandard,
    Review,
    ReviewStatus,
    Standing,
    review_date,
)
from gandan.households.services import Survey, build_assessment, check_deprived

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
_WHOLE = re.compile(r"^-?\d+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")  # 1.500.000 or 1,500,000
_DAY = dt.timedelta(days=1)
BEFORE_REFORM = REFORM_DATE - _DAY


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
_ID_BITS = 32  # row numbers and ids stay below 2**32


def _pack(entry: Entry) -> int:
    """One year of a household as a single int (about 40 bytes rather than a tuple's 110); the
    year in the highest bits, so packed entries sort by year."""
    year, number, unit_id, hamlet_id, area = entry
    packed = (year << _ID_BITS | number) << _ID_BITS | unit_id
    return ((packed << _ID_BITS | (hamlet_id or 0)) << 1) | (area == Area.URBAN)


def _unpack(packed: int) -> Entry:
    mask = (1 << _ID_BITS) - 1
    area = Area.URBAN.value if packed & 1 else Area.RURAL.value
    packed >>= 1
    hamlet_id = packed & mask
    packed >>= _ID_BITS
    unit_id = packed & mask
    packed >>= _ID_BITS
    return (packed >> _ID_BITS, packed & mask, unit_id, hamlet_id or None, area)


class _Plan:
    """What the file says of one household: its years, and what the writing step settled.

    ``years`` holds the packed ``(year, row number, commune id, village id, area)`` of its rows
    in increasing years (:func:`_pack`); the village is filled in from the registration when
    settled. ``household_id`` is None until the household is first met in the writing step,
    then its id (0 if it was rejected). About 130 bytes per row with the code: the import's
    only memory that grows with the file.
    """

    __slots__ = ("farming", "household_id", "last_fp", "update_row", "years")

    def __init__(self, entry: Entry, fingerprint: int) -> None:
        self.years: tuple[int, ...] = (_pack(entry),)
        self.last_fp = fingerprint  # of (head_name, ethnic_minority) on the latest year's row
        self.household_id: int | None = None
        self.farming = False
        self.update_row = 0  # the row whose head name / ethnic minority the household takes


def _fingerprint(head_name: str, ethnic_minority: bool) -> int:
    return hash((head_name, ethnic_minority)) & 0x3FFFFFFF  # 30 bits: a small int object


def _min_date(*dates: dt.date | None) -> dt.date | None:
    """The earliest of the dates given, None (open-ended) counting as the latest."""
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _on(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


class HouseholdsImporter(TableImporter[HouseholdRow]):
    kind = "households"
    label = "kết quả rà soát hộ nghèo, hộ cận nghèo (mỗi dòng một hộ trong một năm rà soát)"
    columns = COLUMNS
    counter_labels = {
        "households": "hộ mới",
        "assessments": "kết quả rà soát",
        "moves": "lần chuyển nơi cư trú",
        "reform": "lần chuyển theo sắp xếp đơn vị hành chính năm 2025",
        "households_updated": "hộ cập nhật chủ hộ, dân tộc theo năm gần nhất",
    }
    batch_size = 2000

    def __init__(self, context: ImportContext) -> None:
        super().__init__(context)
        self._today = timezone.localdate()
        self._rules: dict[int, StandardRules] = {}
        for standard in PovertyStandard.objects.prefetch_related("indicators"):
            rules = StandardRules.of(standard)
            for year in range(standard.first_year, standard.last_year + 1):
                self._rules[year] = rules
        self._years: dict[int, int] = {}  # one int object per year, shared by every row
        self._units: dict[tuple[str, int], Unit | None] = {}  # (code, year) → commune
        self._unit_by_id: dict[int, Unit] = {}
        self._hamlets: dict[int, dict[int, Hamlet]] = {}  # commune id → its villages by id
        self._hamlet_next: dict[int, dict[int, tuple[int, int]]] = {}  # legacy commune → …
        self._codes: dict[str, dict[str, int]] = {}  # province → household code → id
        self._assessed: dict[tuple[str, int], set[int]] = {}  # (province, year) → ids
        self._locked: dict[int, set[int]] = {}  # commune id → decided years
        for unit_id, year in Review.objects.filter(status=ReviewStatus.DECIDED).values_list(
            "unit_id", "year"
        ):
            self._locked.setdefault(unit_id, set()).add(year)
        self._lineage: tuple[set[tuple[int, int]], dict[int, int]] | None = None
        self._plans: dict[str, dict[str, _Plan]] = {}  # province → code → plan
        self._tally: Counter[tuple[int, str]] = Counter()  # (year, standing) → rows

    # --- checking ---------------------------------------------------------------------------

    def parse(self, row: Row) -> HouseholdRow | None:
        code = row.required("household_code")
        if len(code) > 32:
            row.error("household_code", "mã hộ dài quá 32 ký tự")
        year = self._year(row)
        rules = self._rules.get(year) if year else None
        if year and rules is None:
            row.error("year", f"không có chuẩn nghèo áp dụng cho kỳ rà soát năm {year}")
        unit = self._commune(row, year)
        hamlet_id = self._hamlet(row, unit, year)
        area = self._area(row)
        income = self._income(row)
        deprived = self._deprived(row, rules, year)
        ethnic = self._flag(row, "ethnic_minority")
        members = self._members(row)
        head_name = " ".join(row.required("head_name").split())
        if len(head_name) > 120:
            row.error("head_name", "tên chủ hộ dài quá 120 ký tự")
        if code and unit is not None and year:
            household_id = self._province_codes(unit.province_code).get(code)
            if household_id is not None and household_id in self._assessed_in(
                unit.province_code, year
            ):
                row.error(
                    "household_code",
                    f"hộ {code} đã có kết quả rà soát năm {year} trong hệ thống "
                    "(mỗi hộ một kết quả mỗi năm; sửa kết quả thì ghi đính chính có ngày)",
                )
        if row.errors:
            return None
        assert unit is not None and year and area and income is not None and members  # noqa: S101
        return HouseholdRow(
            code=code,
            province=unit.province_code,
            year=year,
            unit_id=unit.pk,
            hamlet_id=hamlet_id,
            area=area,
            income=income,
            deprived=deprived,
            ethnic_minority=bool(ethnic),
            members=members,
            head_name=head_name,
        )

    def check_across(self, row: Row, parsed: HouseholdRow) -> None:
        plans = self._plans.setdefault(parsed.province, {})
        entry = (parsed.year, row.number, parsed.unit_id, parsed.hamlet_id, parsed.area)
        fingerprint = _fingerprint(parsed.head_name, parsed.ethnic_minority)
        plan = plans.get(parsed.code)
        if plan is None:
            plans[parsed.code] = _Plan(entry, fingerprint)
            return
        for packed in plan.years:
            year, number, *_place = _unpack(packed)
            if year == parsed.year:
                row.error(
                    "household_code",
                    f"hộ {parsed.code} đã có ở dòng {number} cho năm {year} "
                    "(mỗi hộ một dòng mỗi năm)",
                )
                return
        if parsed.year > _unpack(plan.years[-1])[0]:
            plan.last_fp = fingerprint
        plan.years = tuple(sorted((*plan.years, _pack(entry))))

    def _year(self, row: Row) -> int | None:
        text = row.required("year")
        if not text:
            return None
        if not text.isdigit() or not 1900 <= int(text) <= 2100:
            row.error("year", "năm rà soát phải là số có 4 chữ số, ví dụ 2025")
            return None
        year = int(text)
        return self._years.setdefault(year, year)

    def _commune(self, row: Row, year: int | None) -> Unit | None:
        code = row.required("commune_code")
        raw = row.raw("commune_code")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            code = code.zfill(5)  # Excel shows a number and drops the leading zero
        if not code or not year:
            return None
        day = review_date(year)
        unit = self._unit_for(code, year)
        if unit is None:
            row.error("commune_code", self._no_unit(code, year))
            return None
        if unit.level != Level.COMMUNE:
            row.error("commune_code", f"{unit.name} không phải đơn vị cấp xã")
            return None
        refusal = self.context.refusal(unit)
        if refusal:
            row.error("commune_code", refusal)
            return None
        if year in self._locked.get(unit.pk, ()):
            row.error(
                "commune_code",
                f"năm {year} của {unit.name} đã có quyết định công nhận: dữ liệu đã khóa",
            )
            return None
        assert unit.is_valid_on(day)  # noqa: S101 - found as of that day
        return unit

    def _unit_for(self, code: str, year: int) -> Unit | None:
        key = (code, year)
        if key not in self._units:
            try:
                unit = unit_by_code(code, as_of=review_date(year))
            except UnitNotFound:
                unit = None
            if unit is not None:
                unit = self._unit_by_id.setdefault(unit.pk, unit)
            self._units[key] = unit
        return self._units[key]

    def _no_unit(self, code: str, year: int) -> str:
        reason = (
            f"không có đơn vị hành chính mã {code} vào ngày {_on(review_date(year))} "
            f"(ngày rà soát năm {year})"
        )
        try:
            other = unit_by_code(code)
        except UnitNotFound:
            return reason
        if other.valid_to is not None and other.valid_to < review_date(year):
            return f"{reason}: mã này là của {other.name}, đến hết ngày {_on(other.valid_to)}"
        if other.valid_from is not None:
            return f"{reason}: mã này là của {other.name}, từ ngày {_on(other.valid_from)}"
        return reason

    def _hamlet(self, row: Row, unit: Unit | None, year: int | None) -> int | None:
        text = row.text("hamlet_code")
        if not text:
            return None
        if not text.isdigit():
            row.error("hamlet_code", "mã thôn, tổ dân phố là một số (để trống nếu không ghi)")
            return None
        if unit is None or not year:
            return None
        hamlet = self._hamlets_of(unit.pk).get(int(text))
        if hamlet is None:
            row.error("hamlet_code", f"{unit.name} không có thôn, tổ dân phố mã {text}")
            return None
        day = review_date(year)
        if not hamlet.is_valid_on(day):
            row.error(
                "hamlet_code",
                f"{hamlet.name} (mã {text}) không tồn tại vào ngày {_on(day)} "
                f"(ngày rà soát năm {year})",
            )
            return None
        return hamlet.pk

    def _hamlets_of(self, commune_id: int) -> dict[int, Hamlet]:
        if commune_id not in self._hamlets:
            self._hamlets[commune_id] = {
                h.pk: h for h in Hamlet.objects.filter(commune_id=commune_id)
            }
        return self._hamlets[commune_id]

    def _area(self, row: Row) -> str | None:
        text = row.required("area")
        if not text:
            return None
        area = AREAS.get(fold(text))
        if area is None:
            row.error("area", "khu vực phải là urban (thành thị) hoặc rural (nông thôn)")
        return area

    def _income(self, row: Row) -> int | None:
        raw = row.raw("income_per_capita")
        text = row.required("income_per_capita")
        if not text:
            return None
        value: int | None = None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if float(raw).is_integer():
                value = int(raw)
        else:
            compact = text.replace(" ", "")
            if _WHOLE.match(compact):
                value = int(compact)
            elif _GROUPED.match(compact):
                value = int(compact.replace(".", "").replace(",", ""))
        if value is None:
            row.error(
                "income_per_capita",
                "thu nhập bình quân phải là số nguyên (đồng/người/tháng), ví dụ 1500000",
            )
            return None
        if value < 0:
            row.error("income_per_capita", "thu nhập bình quân không được âm")
            return None
        if value > MAX_INCOME:
            row.error("income_per_capita", "thu nhập bình quân quá lớn")
            return None
        return value

    def _deprived(self, row: Row, rules: StandardRules | None, year: int | None) -> tuple[str, ...]:
        text = row.text("deprived")
        if not text or rules is None or not year:
            return ()
        try:
            return tuple(check_deprived(rules, text.split(";"), year))
        except ValidationError as error:
            for message in error.message_dict.get("deprived", error.messages):
                row.error("deprived", message)
            return ()

    def _flag(self, row: Row, column: str) -> bool | None:
        text = row.text(column)
        if text in ("", "0"):
            return False
        if text == "1":
            return True
        row.error(column, "phải là 1 (hộ dân tộc thiểu số) hoặc 0 (không); để trống là 0")
        return None

    def _members(self, row: Row) -> int | None:
        raw = row.raw("members")
        text = row.required("members")
        if not text:
            return None
        value: int | None = None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            value = int(raw) if float(raw).is_integer() else None
        elif text.isdigit():
            value = int(text)
        if value is None or not 1 <= value <= MAX_MEMBERS:
            row.error("members", f"số nhân khẩu phải là số nguyên từ 1 đến {MAX_MEMBERS}")
            return None
        return value

    def _province_codes(self, province: str) -> dict[str, int]:
        """Codes of the households registered in the province (the only per-household cache)."""
        if province not in self._codes:
            self._codes[province] = dict(
                Household.objects.filter(province_code=province).values_list("code", "pk")
            )
        return self._codes[province]

    def _assessed_in(self, province: str, year: int) -> set[int]:
        key = (province, year)
        if key not in self._assessed:
            self._assessed[key] = set(
                Assessment.objects.current()
                .filter(province_code=province, year=year)
                .values_list("household_id", flat=True)
            )
        return self._assessed[key]

    # --- writing ----------------------------------------------------------------------------

    def write(self, row: Row, parsed: HouseholdRow) -> None:
        self.write_batch([(row, parsed)])

    def write_batch(self, rows: list[tuple[Row, HouseholdRow]]) -> None:
        actor = self.context.actor
        user = acting_user(actor)
        # Households met for the first time: created (new codes) or read (registered ones).
        new: list[tuple[_Plan, HouseholdRow]] = []
        known: dict[int, tuple[_Plan, HouseholdRow]] = {}
        for _row, parsed in rows:
            plan = self._plans[parsed.province][parsed.code]
            if plan.household_id is not None:
                continue
            plan.household_id = -1  # being settled in this chunk
            household_id = self._province_codes(parsed.province).get(parsed.code)
            if household_id is None:
                new.append((plan, parsed))
            else:
                known[household_id] = (plan, parsed)
        self._create(new, user)
        placements: list[Placement] = []
        changed: list[Placement] = []
        # Each household's ethnic-minority flag as it stands before this chunk's updates
        # (placements carry it; ``_assess`` brings them in step when a row changes it).
        ethnic: dict[int, bool] = {}
        for plan, parsed in new:
            if _fingerprint(parsed.head_name, parsed.ethnic_minority) != plan.last_fp:
                plan.update_row = _unpack(plan.years[-1])[1]
            placements.extend(self._settle(plan, [], dissolved_on=None, latest=None))
            if plan.household_id:
                ethnic[plan.household_id] = parsed.ethnic_minority
        if known:
            self._settle_known(known, placements, changed, ethnic)
        for placement in placements:
            placement.ethnic_minority = ethnic[placement.household_id]
        bulk_insert(Placement, placements)
        for placement in placements:
            self._count_registration(placement)
        if changed:
            Placement.objects.bulk_update(
                changed, ["unit", "hamlet", "area", "reason", "valid_to", "province_code"]
            )
        self._assess(rows, user)

    def _create(self, new: list[tuple[_Plan, HouseholdRow]], user: Any) -> None:
        """Create the new households of a chunk and note their ids in their plans."""
        if not new:
            return
        bulk_insert(
            Household,
            [
                Household(
                    code=parsed.code,
                    province_code=parsed.province,
                    head_name=parsed.head_name,
                    ethnic_minority=parsed.ethnic_minority,
                    created_by=user,
                    updated_by=user,
                )
                for _plan, parsed in new
            ],
        )
        by_province: dict[str, dict[str, _Plan]] = {}
        for plan, parsed in new:
            by_province.setdefault(parsed.province, {})[parsed.code] = plan
        for province, plans in by_province.items():
            for code, pk in Household.objects.filter(
                province_code=province, code__in=list(plans)
            ).values_list("code", "pk"):
                plans[code].household_id = pk
        self.count("households", len(new))

    def _settle_known(
        self,
        known: dict[int, tuple[_Plan, HouseholdRow]],
        placements: list[Placement],
        changed: list[Placement],
        ethnic: dict[int, bool],
    ) -> None:
        """Settle households already registered: their registrations and latest results."""
        ids = list(known)
        registered: dict[int, list[Placement]] = {pk: [] for pk in ids}
        for placement in Placement.objects.filter(household_id__in=ids).order_by(
            "household_id", F("valid_from").asc(nulls_first=True)
        ):
            registered[placement.household_id].append(placement)
        latest = dict(
            Assessment.objects.current()
            .filter(household_id__in=ids)
            .values("household_id")
            .annotate(last=Max("year"))
            .values_list("household_id", "last")
        )
        for pk, dissolved_on, farming, head, flag in Household.objects.filter(
            pk__in=ids
        ).values_list("pk", "dissolved_on", "farming", "head_name", "ethnic_minority"):
            plan, _parsed = known[pk]
            plan.household_id = pk
            plan.farming = farming
            ethnic[pk] = flag
            last_year = latest.get(pk)
            # The registry keeps the head and ethnicity of the latest year it knows of.
            last_row = _unpack(plan.years[-1])
            if (last_year is None or last_row[0] >= last_year) and plan.last_fp != (
                _fingerprint(head, flag)
            ):
                plan.update_row = last_row[1]
            before = {p.pk: (p.unit_id, p.hamlet_id, p.valid_to) for p in registered[pk]}
            placements.extend(
                self._settle(plan, registered[pk], dissolved_on=dissolved_on, latest=last_year)
            )
            if not plan.household_id:
                continue  # rejected: nothing of it is written
            for placement in registered[pk]:
                if placement.pk is None:
                    continue
                was = before[placement.pk]
                if was != (placement.unit_id, placement.hamlet_id, placement.valid_to):
                    changed.append(placement)
                if was[:2] != (placement.unit_id, placement.hamlet_id):
                    self._count_registration(placement)  # the reform's commune corrected

    def _assess(self, rows: list[tuple[Row, HouseholdRow]], user: Any) -> None:
        assessments: list[Assessment] = []
        renamed: list[Household] = []
        now = timezone.now()
        # build_assessment reads the household's province, farming and ethnicity, and keeps its
        # id: one object re-aimed at each row's household spares a model instance per row.
        household = Household()
        for row, parsed in rows:
            plan = self._plans[parsed.province][parsed.code]
            if not plan.household_id or plan.household_id < 0:
                continue  # the household was rejected
            hamlet_id = next(
                entry[3] for entry in map(_unpack, plan.years) if entry[0] == parsed.year
            )
            household.pk = plan.household_id
            household.province_code = parsed.province
            household.farming = plan.farming
            household.ethnic_minority = parsed.ethnic_minority
            assessment = build_assessment(
                household=household,
                year=parsed.year,
                rules=self._rules[parsed.year],
                survey=Survey(
                    income_per_capita=parsed.income,
                    deprived=parsed.deprived,
                    members=parsed.members,
                ),
                unit=self._unit_by_id[parsed.unit_id],
                hamlet=None,
                area=parsed.area,
                recorded_on=min(self._today, review_date(parsed.year)),
                actor=user,
            )
            assessment.hamlet_id = hamlet_id
            assessments.append(assessment)
            self._tally[(parsed.year, assessment.standing)] += 1
            if row.number == plan.update_row:
                renamed.append(
                    Household(
                        pk=plan.household_id,
                        head_name=parsed.head_name,
                        ethnic_minority=parsed.ethnic_minority,
                        updated_by=user,
                        updated_at=now,
                    )
                )
        bulk_insert(Assessment, assessments)
        self.count("assessments", len(assessments))
        if renamed:
            Household.objects.bulk_update(
                renamed, ["head_name", "ethnic_minority", "updated_by", "updated_at"]
            )
            self.count("households_updated", len(renamed))
            # Their registrations carry the flag too (see ``Placement.ethnic_minority``).
            for flag in (True, False):
                ids = [h.pk for h in renamed if h.ethnic_minority is flag]
                if ids:
                    Placement.objects.filter(household_id__in=ids, ethnic_minority=not flag).update(
                        ethnic_minority=flag
                    )

    # --- where a household is registered --------------------------------------------------

    def _count_registration(self, placement: Placement) -> None:
        if placement.reason == PlacementReason.MOVED:
            self.count("moves")
        elif placement.reason == PlacementReason.REFORM:
            self.count("reform")

    def _settle(
        self,
        plan: _Plan,
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
        for year, number, unit_id, hamlet_id, area in map(_unpack, plan.years):
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
                current = _valid_on(placements, review_date(year))
                if current is not None and current.unit_id == unit_id:
                    hamlet_id = current.hamlet_id
            years.append((year, number, unit_id, hamlet_id, area))
        plan.years = tuple(map(_pack, years))
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
        current = _valid_on(placements, day)
        if current is None:
            if dissolved_on is not None and dissolved_on < day:
                return f"hộ đã bị xóa từ ngày {_on(dissolved_on)}, không có kết quả năm {year}"
            previous = _last_before(placements, day)
            if previous is not None and self._carry_over(placements, previous, household_id):
                current = _valid_on(placements, day)
        if current is None:
            self._register_anew(placements, household_id, year, unit, hamlet_id, area)
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
            previous = _last_before(placements, starts)
            reform = previous is not None and (previous.unit_id, unit.pk) in self._reform()[0]
            locked = self._locked_between(current, unit, starts, current.valid_to)
            if locked:
                return locked
            current.unit_id = unit.pk
            current.hamlet_id = hamlet_id
            current.area = area
            current.province_code = unit.province_code
            current.reason = PlacementReason.REFORM if reform else PlacementReason.MOVED
            current.valid_to = _min_date(current.valid_to, unit.valid_to)
            return None
        on = max(
            january,
            starts + _DAY if starts is not None else january,
            unit.valid_from or january,
        )
        if on > day:
            return (
                f"hộ đăng ký tại {self._unit_name(current.unit_id)} từ ngày {_on(day)}: "
                f"không ghi được nơi khác cho năm {year}"
            )
        ends = _min_date(current.valid_to, unit.valid_to)
        locked = self._locked_between(current, unit, on, current.valid_to)
        if locked:
            return locked
        current.valid_to = on - _DAY
        moved = Placement(
            household_id=household_id,
            unit=unit,
            hamlet_id=hamlet_id,
            area=area,
            province_code=unit.province_code,
            reason=PlacementReason.MOVED,
            valid_from=on,
            valid_to=ends,
        )
        _insert(placements, moved)
        if ends == BEFORE_REFORM:
            self._carry_over(placements, moved, household_id, repoint=True)
        return None

    def _register_anew(
        self,
        placements: list[Placement],
        household_id: int,
        year: int,
        unit: Unit,
        hamlet_id: int | None,
        area: str,
    ) -> None:
        """A registration where the household had none on the review day (a new household, or
        one whose earlier registration ended)."""
        day = review_date(year)
        january = dt.date(year, 1, 1)
        previous = _last_before(placements, day)
        following = _first_after(placements, day)
        reform = (
            previous is not None
            and previous.valid_to is not None
            and previous.valid_to + _DAY == unit.valid_from
            and (previous.unit_id, unit.pk) in self._reform()[0]
        )
        if reform:
            assert unit.valid_from is not None  # noqa: S101 - checked just above
            starts = unit.valid_from
        else:
            starts = max(
                january,
                previous.valid_to + _DAY if previous and previous.valid_to else january,
                unit.valid_from or january,
            )
        ends = _min_date(
            following.valid_from - _DAY if following and following.valid_from else None,
            unit.valid_to,
        )
        if previous is None:
            reason = PlacementReason.IMPORTED
        else:
            reason = PlacementReason.REFORM if reform else PlacementReason.MOVED
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
        _insert(placements, placement)
        if ends == BEFORE_REFORM:
            self._carry_over(placements, placement, household_id)

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
        following = _first_after(placements, BEFORE_REFORM)
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
                following.valid_to = _min_date(following.valid_to, unit.valid_to)
            return False
        ends = _min_date(
            following.valid_from - _DAY if following and following.valid_from else None,
            unit.valid_to,
        )
        _insert(
            placements,
            Placement(
                household_id=household_id,
                unit=unit,
                hamlet_id=hamlet_id,
                area=ending.area,
                province_code=unit.province_code,
                reason=PlacementReason.REFORM,
                valid_from=REFORM_DATE,
                valid_to=ends,
            ),
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

    # --- the end ------------------------------------------------------------------------------

    def finish(self) -> None:
        years = sorted({year for year, _standing in self._tally})
        data = {
            "rows": sum(self._tally.values()),
            "years": {
                str(year): {
                    "rows": sum(n for (y, _s), n in self._tally.items() if y == year),
                    "poor": self._tally[(year, Standing.POOR)],
                    "near_poor": self._tally[(year, Standing.NEAR_POOR)],
                }
                for year in years
            },
            **{key: self.counts[key] for key in self.counter_labels},
        }
        for province in sorted(self._plans):
            unit = (
                Unit.objects.filter(level=Level.PROVINCE, code=province)
                .order_by(F("valid_from").desc(nulls_last=True))
                .first()
            )
            if unit is not None:
                event_record(
                    kind=HouseholdEvent.IMPORTED,
                    subject=unit,
                    actor=self.context.actor,
                    province_code=province,
                    data=data,
                )

    def figures(self) -> list[Figure]:
        figures = []
        for year in sorted({year for year, _standing in self._tally}):
            rows = sum(n for (y, _s), n in self._tally.items() if y == year)
            figures.append(
                Figure(
                    label=f"Năm {year}",
                    values=(
                        ("hộ", rows),
                        ("hộ nghèo", self._tally[(year, Standing.POOR)]),
                        ("hộ cận nghèo", self._tally[(year, Standing.NEAR_POOR)]),
                    ),
                )
            )
        return figures


IMPORTERS = {"households": HouseholdsImporter}


def _valid_on(placements: Iterable[Placement], day: dt.date) -> Placement | None:
    return next((p for p in placements if p.is_valid_on(day)), None)


def _last_before(placements: Iterable[Placement], day: dt.date) -> Placement | None:
    ended = [p for p in placements if p.valid_to is not None and p.valid_to < day]
    return max(ended, key=lambda p: p.valid_to or dt.date.min, default=None)


def _first_after(placements: Iterable[Placement], day: dt.date) -> Placement | None:
    later = [p for p in placements if p.valid_from is not None and p.valid_from > day]
    return min(later, key=lambda p: p.valid_from or dt.date.max, default=None)


def _insert(placements: list[Placement], placement: Placement) -> None:
    placements.append(placement)
    placements.sort(key=lambda p: p.valid_from or dt.date.min)

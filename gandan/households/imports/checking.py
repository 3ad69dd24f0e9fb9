"""Checking a row of the households file: each column, then the row against the others."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from gandan.core.imports import Row
from gandan.geo.models import Hamlet, Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.households.classification import StandardRules
from gandan.households.imports.base import ImporterBase
from gandan.households.imports.rows import (
    AREAS,
    GROUPED,
    MAX_INCOME,
    MAX_MEMBERS,
    WHOLE,
    HouseholdRow,
    Plan,
    day_text,
    fingerprint_of,
    pack,
    unpack,
)
from gandan.households.models import (
    Assessment,
    Household,
    review_date,
)
from gandan.households.services import check_deprived


def _whole_number(raw: Any, text: str, *, grouped: bool = False) -> int | None:
    """The whole number in a cell: a number cell without a fraction, or digits (with
    ``grouped``, also digits grouped by dots or commas, as in 1.500.000); None if it holds none."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return int(raw) if float(raw).is_integer() else None
    if not grouped:
        return int(text) if text.isdigit() else None
    compact = text.replace(" ", "")
    if WHOLE.match(compact):
        return int(compact)
    if GROUPED.match(compact):
        return int(compact.replace(".", "").replace(",", ""))
    return None


class RowChecks(ImporterBase):
    """Reading and checking each row against the caches."""

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
        area = row.choice("area", AREAS, "khu vực phải là urban (thành thị) hoặc rural (nông thôn)")
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
        fingerprint = fingerprint_of(parsed.head_name, parsed.ethnic_minority)
        plan = plans.get(parsed.code)
        if plan is None:
            plans[parsed.code] = Plan(entry, fingerprint)
            return
        for packed in plan.years:
            year, number, *_place = unpack(packed)
            if year == parsed.year:
                row.error(
                    "household_code",
                    f"hộ {parsed.code} đã có ở dòng {number} cho năm {year} "
                    "(mỗi hộ một dòng mỗi năm)",
                )
                return
        if parsed.year > unpack(plan.years[-1])[0]:
            plan.last_fp = fingerprint
        plan.years = tuple(sorted((*plan.years, pack(entry))))

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
        refusal = self.context.commune_refusal(unit)
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
            f"không có đơn vị hành chính mã {code} vào ngày {day_text(review_date(year))} "
            f"(ngày rà soát năm {year})"
        )
        try:
            other = unit_by_code(code)
        except UnitNotFound:
            return reason
        if other.valid_to is not None and other.valid_to < review_date(year):
            return f"{reason}: mã này là của {other.name}, đến hết ngày {day_text(other.valid_to)}"
        if other.valid_from is not None:
            return f"{reason}: mã này là của {other.name}, từ ngày {day_text(other.valid_from)}"
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
                f"{hamlet.name} (mã {text}) không tồn tại vào ngày {day_text(day)} "
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

    def _income(self, row: Row) -> int | None:
        text = row.required("income_per_capita")
        if not text:
            return None
        value = _whole_number(row.raw("income_per_capita"), text, grouped=True)
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
        text = row.required("members")
        if not text:
            return None
        value = _whole_number(row.raw("members"), text)
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

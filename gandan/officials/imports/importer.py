"""The import of officials: each row checked, then written by the services (all or nothing)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from gandan.core.crypto import blind_index
from gandan.core.imports import ImportContext, Row, TableImporter, columns
from gandan.core.text import fold
from gandan.core.validators import check_citizen_id
from gandan.geo.models import Hamlet, Unit
from gandan.geo.selectors import UnitNotFound, unit_by_code
from gandan.officials.imports.columns import (
    _FORMER,
    COLUMNS,
    DEGREES,
    OFFICIAL_COLUMNS,
    POSTING_COLUMNS,
    SEXES,
)
from gandan.officials.models import QUALIFICATION_LEVELS, Official, Position, Posting, PostingKind
from gandan.officials.services import official_create, posting_start, qualification_add


@dataclass(frozen=True)
class PostingRow:
    """One row, checked: a person, their degrees, and one posting."""

    citizen_id: str
    index: str
    full_name: str
    birth_date: dt.date
    sex: str
    ethnicity: str
    home_unit: Unit | None
    unit: Unit
    hamlet: Hamlet | None
    position: Position
    kind: str
    start: dt.date
    end: dt.date | None
    degrees: tuple[tuple[str, int, dt.date], ...]
    salary_grade: str


class OfficialsImporter(TableImporter[PostingRow]):
    kind = "officials"
    label = "cán bộ, công chức, người hoạt động không chuyên trách (mỗi dòng một vị trí công tác)"
    columns = COLUMNS
    counter_labels = {
        "officials": "người mới",
        "qualifications": "bằng cấp (trình độ)",
        "postings": "vị trí công tác",
        "postings_present": "vị trí công tác đã có sẵn (bỏ qua)",
    }

    def __init__(self, context: ImportContext) -> None:
        super().__init__(context)
        self._positions: dict[str, list[Position]] = {}
        for position in Position.objects.order_by("valid_from"):
            self._positions.setdefault(position.code, []).append(position)
        # Units found by code (a code names at most a few units over time, so this stays small).
        self._units: dict[str, list[Unit]] = {}
        self._latest: dict[str, Unit | None] = {}
        # citizen-ID hash → (first row, folded name, birth date): all we keep per person.
        self._people: dict[str, tuple[int, str, dt.date]] = {}

    # --- checking ---------------------------------------------------------------------------

    def parse(self, row: Row) -> PostingRow | None:
        citizen_id, index = self._citizen_id(row)
        full_name = " ".join(row.required("full_name").split())
        if len(full_name) > 120:
            row.error("full_name", "họ và tên dài quá 120 ký tự")
        birth_date = row.date("birth_date", required=True)
        if birth_date and birth_date >= timezone.localdate():
            row.error("birth_date", "ngày sinh phải trước hôm nay")
        sex = row.choice("sex", SEXES, "giới tính phải là nam hoặc nữ")
        ethnicity = row.text("ethnicity") or "Kinh"
        if len(ethnicity) > 40:
            row.error("ethnicity", "dân tộc dài quá 40 ký tự")
        start = row.date("start_date", required=True)
        end = row.date("end_date")
        if start and end and end < start:
            row.error("end_date", "ngày kết thúc phải sau ngày bắt đầu")
        home_unit = self._home_unit(row, start)
        unit = self._unit(row, start)
        position = self._position(row, start)
        hamlet = self._hamlet(row, unit, position, start)
        kind = self._posting_kind(row)
        degrees = tuple(
            degree
            for kind_, level_column, date_column in DEGREES
            if (degree := self._degree(row, kind_, level_column, date_column, birth_date))
        )
        salary_grade = row.text("salary_grade")
        if len(salary_grade) > 60:
            row.error("salary_grade", "ngạch, bậc lương dài quá 60 ký tự")
        if index and full_name and birth_date:
            self._same_as_registered(row, index, full_name, birth_date)
        if row.errors:
            return None
        assert birth_date and sex and unit and position and kind and start  # noqa: S101 - checked above
        return PostingRow(
            citizen_id=citizen_id,
            index=index,
            full_name=full_name,
            birth_date=birth_date,
            sex=sex,
            ethnicity=ethnicity,
            home_unit=home_unit,
            unit=unit,
            hamlet=hamlet,
            position=position,
            kind=kind,
            start=start,
            end=end,
            degrees=degrees,
            salary_grade=salary_grade,
        )

    def check_across(self, row: Row, parsed: PostingRow) -> None:
        seen = self._people.setdefault(
            parsed.index, (row.number, fold(parsed.full_name), parsed.birth_date)
        )
        first, name, birth_date = seen
        if first == row.number:
            return
        if name != fold(parsed.full_name):
            row.error("full_name", f"cùng số định danh với dòng {first} nhưng khác họ và tên")
        if birth_date != parsed.birth_date:
            row.error("birth_date", f"cùng số định danh với dòng {first} nhưng khác ngày sinh")

    def _citizen_id(self, row: Row) -> tuple[str, str]:
        raw = row.raw("citizen_id")
        text = row.required("citizen_id")
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            text = text.zfill(12)  # Excel shows a number and drops the leading zero
        if not text:
            return "", ""
        if "•" in text:
            row.error(
                "citizen_id",
                "số định danh đã bị che: tệp xuất cho người không được xem đầy đủ không dùng để nhập lại",
            )
            return "", ""
        try:
            citizen_id = check_citizen_id(text)
        except ValidationError as error:
            row.error("citizen_id", error.message_dict["citizen_id"][0])
            return "", ""
        return citizen_id, blind_index(citizen_id)

    def _same_as_registered(
        self, row: Row, index: str, full_name: str, birth_date: dt.date
    ) -> None:
        registered = (
            Official.objects.filter(citizen_id_index=index)
            .values("full_name", "birth_date")
            .first()
        )
        if registered is None:
            return
        if fold(registered["full_name"]) != fold(full_name):
            row.error(
                "full_name", "khác họ và tên của người đã có trong hệ thống với cùng số định danh"
            )
        if registered["birth_date"] != birth_date:
            row.error(
                "birth_date", "khác ngày sinh của người đã có trong hệ thống với cùng số định danh"
            )

    def _home_unit(self, row: Row, start: dt.date | None) -> Unit | None:
        code = row.text("home_commune_code")
        if not code:
            return None
        unit = self._unit_by_code(code, start) or self._unit_by_code(code, None)
        if unit is None:
            row.error("home_commune_code", f"không có đơn vị hành chính mã {code}")
        return unit

    def _unit(self, row: Row, start: dt.date | None) -> Unit | None:
        code = row.required("unit_code")
        if not code or start is None:
            return None
        unit = self._unit_by_code(code, start)
        if unit is None:
            row.error(
                "unit_code", f"không có đơn vị hành chính mã {code} vào ngày {start:%d/%m/%Y}"
            )
            return None
        refusal = self.context.commune_refusal(unit)
        if refusal:
            row.error("unit_code", refusal)
            return None
        return unit

    def _unit_by_code(self, code: str, as_of: dt.date | None) -> Unit | None:
        """``unit_by_code``, remembering the units found: a unit serves every date it covers."""
        if as_of is None:
            if code not in self._latest:
                try:
                    self._latest[code] = unit_by_code(code)
                except UnitNotFound:
                    self._latest[code] = None
            return self._latest[code]
        for unit in self._units.get(code, []):
            if unit.is_valid_on(as_of):
                return unit
        try:
            unit = unit_by_code(code, as_of=as_of)
        except UnitNotFound:
            return None
        self._units.setdefault(code, []).append(unit)
        return unit

    def _position(self, row: Row, start: dt.date | None) -> Position | None:
        code = row.required("position_code")
        if not code:
            return None
        periods = self._positions.get(code)
        if not periods:
            row.error("position_code", "mã chức danh không có trong danh mục")
            return None
        if start is None:
            return None
        for position in periods:
            if position.is_valid_on(start):
                return position
        row.error(
            "position_code",
            f"chức danh {periods[0].name} không có vào ngày {start:%d/%m/%Y} "
            f"({'; '.join(_period(p) for p in periods)})",
        )
        return None

    def _hamlet(
        self, row: Row, unit: Unit | None, position: Position | None, start: dt.date | None
    ) -> Hamlet | None:
        name = row.text("hamlet_name")
        if position is not None:
            if position.level == "hamlet" and not name:
                row.error("hamlet_name", f"chức danh {position.name} cần tên thôn, tổ dân phố")
            if position.level != "hamlet" and name:
                row.error("hamlet_name", "chức danh cấp xã không gắn với thôn, tổ dân phố")
                return None
        if not name or unit is None or start is None:
            return None
        former = _FORMER.match(name)
        base = former["name"] if former else name
        found = list(
            Hamlet.objects.valid_on(start)
            .filter(commune=unit, search_name=fold(base))
            .select_related("previous__commune")
        )
        # Folding may join two names ("Hương Vân", "Hương Văn"): the exact spelling decides.
        found = _narrow(found, lambda hamlet: hamlet.name, base)
        if former:
            found = [h for h in found if fold(_former_commune(h)) == fold(former["commune"])]
            found = _narrow(found, _former_commune, former["commune"])
        if not found:
            row.error(
                "hamlet_name",
                f"{unit.name} không có thôn, tổ dân phố tên {name} vào ngày {start:%d/%m/%Y}",
            )
            return None
        if len(found) > 1:
            examples = ", ".join(f"'{_with_former(h)}'" for h in found[:3])
            row.error(
                "hamlet_name",
                f"{unit.name} có {len(found)} thôn, tổ dân phố tên {base}: ghi rõ, ví dụ {examples}",
            )
            return None
        return found[0]

    def _posting_kind(self, row: Row) -> str | None:
        text = row.required("posting_kind")
        if not text:
            return None
        folded = fold(text)
        for value, label in PostingKind.choices:
            if folded in (value, fold(label)):
                return str(value)
        row.error(
            "posting_kind",
            "hình thức không có trong danh mục ("
            + ", ".join(f"{value} = {label}" for value, label in PostingKind.choices)
            + ")",
        )
        return None

    def _degree(
        self, row: Row, kind: str, level_column: str, date_column: str, birth_date: dt.date | None
    ) -> tuple[str, int, dt.date] | None:
        text = row.text(level_column)
        awarded = row.date(date_column)
        if not text:
            if awarded is not None:
                row.error(level_column, f"có {date_column} nhưng thiếu trình độ")
            return None
        levels = QUALIFICATION_LEVELS[kind]
        level = int(text) if text.isdigit() else _level_by_label(levels, text)
        if level is None or level not in levels:
            known = ", ".join(f"{code} = {label}" for code, label in levels.items())
            row.error(level_column, f"mã trình độ không có trong danh mục ({known})")
            return None
        if level == 0:
            return None  # "not trained": nothing to record
        if awarded is None:
            if not row.text(date_column):
                row.error(date_column, "cần ngày cấp bằng khi có trình độ")
            return None
        if birth_date and awarded < birth_date:
            row.error(date_column, "ngày cấp bằng không thể trước ngày sinh")
            return None
        return (kind, level, awarded)

    # --- writing ------------------------------------------------------------------------------

    def write(self, row: Row, parsed: PostingRow) -> None:
        actor = self.context.actor
        official = Official.objects.filter(citizen_id_index=parsed.index).first()
        if official is None:
            with columns(OFFICIAL_COLUMNS):
                official = official_create(
                    full_name=parsed.full_name,
                    birth_date=parsed.birth_date,
                    sex=parsed.sex,
                    citizen_id=parsed.citizen_id,
                    province_code=parsed.unit.province_code,
                    ethnicity=parsed.ethnicity,
                    home_unit=parsed.home_unit,
                    actor=actor,
                )
            self.count("officials")
        for kind, level, awarded in parsed.degrees:
            if official.qualifications.filter(kind=kind, level=level, awarded_on=awarded).exists():
                continue  # the same degree on another row of the same person
            level_column, date_column = next((c, d) for k, c, d in DEGREES if k == kind)
            with columns({"kind": level_column, "level": level_column, "awarded_on": date_column}):
                qualification_add(
                    official=official, kind=kind, level=level, awarded_on=awarded, actor=actor
                )
            self.count("qualifications")
        present = Posting.objects.filter(
            official=official,
            position__code=parsed.position.code,
            unit=parsed.unit,
            hamlet=parsed.hamlet,
            valid_from=parsed.start,
        )
        if present.exists():
            self.count("postings_present")  # importing the same file twice changes nothing
            return
        with columns(POSTING_COLUMNS):
            posting_start(
                official=official,
                position=parsed.position,
                unit=parsed.unit,
                hamlet=parsed.hamlet,
                kind=parsed.kind,
                valid_from=parsed.start,
                valid_to=parsed.end,
                salary_grade=parsed.salary_grade,
                actor=actor,
            )
        self.count("postings")


IMPORTERS = {"officials": OfficialsImporter}


def _period(position: Position) -> str:
    start = f"{position.valid_from:%d/%m/%Y}" if position.valid_from else "trước đây"
    end = f"{position.valid_to:%d/%m/%Y}" if position.valid_to else "nay"
    return f"có từ {start} đến {end}"


def _same_text(a: str, b: str) -> bool:
    return " ".join(unicodedata.normalize("NFC", a).casefold().split()) == " ".join(
        unicodedata.normalize("NFC", b).casefold().split()
    )


def _narrow(hamlets: list[Hamlet], text: Callable[[Hamlet], str], wanted: str) -> list[Hamlet]:
    """Among hamlets that match when folded, those spelled exactly as ``wanted``, if any."""
    exact = [hamlet for hamlet in hamlets if _same_text(text(hamlet), wanted)]
    return exact or hamlets


def _level_by_label(levels: dict[int, str], text: str) -> int | None:
    folded = fold(text)
    return next((code for code, label in levels.items() if fold(label) == folded), None)


def _former_commune(hamlet: Hamlet) -> str:
    previous = hamlet.previous
    if previous is None or previous.commune_id == hamlet.commune_id:
        return ""
    return previous.commune.name


def _with_former(hamlet: Hamlet) -> str:
    former = _former_commune(hamlet)
    return f"{hamlet.name} (trước thuộc {former})" if former else hamlet.name


# --- Export ---------------------------------------------------------------------------------

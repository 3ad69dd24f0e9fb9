"""The export of officials in the import's layout, with the citizen IDs the user may read."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

from gandan.core.crypto import mask_citizen_id
from gandan.core.models import valid_on_q
from gandan.core.spreadsheets import append
from gandan.geo.models import Hamlet, Unit
from gandan.officials.imports.columns import COLUMNS, DEGREES, SEX_NAMES
from gandan.officials.imports.importer import _period, _with_former
from gandan.officials.models import (
    QUALIFICATION_LEVELS,
    Position,
    Posting,
    PostingKind,
    Qualification,
    QualificationKind,
    Sex,
)


def export_officials(unit: Unit, as_of: dt.date, *, user: Any = None) -> bytes:
    """The postings valid on ``as_of`` in ``unit`` and below, as .xlsx in the import layout.

    Citizen IDs are masked unless ``user`` is None (an operator) or may see them in full;
    each full ID shown to a user is written to the access log.
    """
    from gandan.core.services import access_log_record
    from gandan.officials.selectors import postings_on

    postings = (
        postings_on(unit, as_of)
        .select_related("official", "official__home_unit", "position", "unit", "hamlet")
        .order_by("unit__code", "position__order", "official__search_name", "valid_from", "pk")
    )
    degrees = _highest_degrees(postings, as_of)
    if user is None:
        full_ids: set[int] | None = None  # an operator sees everything
    else:
        from gandan.officials.access import may_see_full_citizen_ids

        full_ids = may_see_full_citizen_ids(
            user, list(postings.order_by().values_list("official_id", flat=True).distinct())
        )
    logged: set[int] = set()

    book = Workbook(write_only=True)
    sheet = book.create_sheet("can-bo")
    append(sheet, list(COLUMNS))
    for posting in postings.iterator(chunk_size=1000):
        official = posting.official
        full = full_ids is None or official.pk in full_ids
        if full and user is not None and official.pk not in logged:
            access_log_record(
                user=user,
                subject=official,
                what="citizen_id_export",
                province_code=official.province_code,
            )
            logged.add(official.pk)
        held = degrees.get(official.pk, {})
        education = held.get(QualificationKind.EDUCATION)
        politics = held.get(QualificationKind.POLITICS)
        values: list[Any] = [
            _text(sheet, official.citizen_id if full else mask_citizen_id(official.citizen_id)),
            official.full_name,
            _date(sheet, official.birth_date),
            SEX_NAMES.get(official.sex, official.sex),
            official.ethnicity,
            official.home_unit.code if official.home_unit else None,
            posting.unit.code,
            _hamlet_label(posting) if posting.hamlet else None,
            posting.position.code,
            posting.kind,
            _date(sheet, posting.valid_from),
            _date(sheet, posting.valid_to),
            education[0] if education else None,
            _date(sheet, education[1] if education else None),
            politics[0] if politics else None,
            _date(sheet, politics[1] if politics else None),
            posting.salary_grade or None,
        ]
        append(sheet, values)
    _codes_sheet(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _highest_degrees(postings: Any, as_of: dt.date) -> dict[int, dict[str, tuple[int, dt.date]]]:
    """Each person's highest degree of each kind held on ``as_of``, with its (first) date."""
    best: dict[int, dict[str, tuple[int, dt.date]]] = {}
    rows = (
        Qualification.objects.filter(
            official_id__in=postings.values("official_id"),
            kind__in=[kind for kind, _, _ in DEGREES],
            awarded_on__lte=as_of,
        )
        .order_by("official_id", "kind", "-level", "awarded_on")
        .values_list("official_id", "kind", "level", "awarded_on")
    )
    for official_id, kind, level, awarded_on in rows.iterator():
        if level:
            best.setdefault(official_id, {}).setdefault(kind, (level, awarded_on))
    return best


def _hamlet_label(posting: Posting) -> str:
    """The hamlet's name, with its former commune when the name alone is ambiguous."""
    hamlet = posting.hamlet
    assert hamlet is not None  # noqa: S101 - callers check
    start = posting.valid_from or hamlet.valid_from or dt.date.min
    same_name = Hamlet.objects.filter(
        valid_on_q(start), commune_id=hamlet.commune_id, search_name=hamlet.search_name
    )
    if same_name.exclude(pk=hamlet.pk).exists():
        return _with_former(hamlet)
    return hamlet.name


def _text(sheet: Any, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "@"  # a citizen ID is text: keep the leading zero
    return cell


def _date(sheet: Any, value: dt.date | None) -> Cell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=dt.datetime.combine(value, dt.time()))
    cell.number_format = "DD/MM/YYYY"
    return cell


def _codes_sheet(book: Workbook) -> None:
    """A second sheet listing the codes the columns take (the import reads the first only)."""
    sheet = book.create_sheet("danh-muc")
    append(sheet, ["cột", "mã", "ý nghĩa", "hiệu lực"])
    for position in Position.objects.order_by("valid_from", "order", "code"):
        append(sheet, ["position_code", position.code, position.name, _period(position)])
    for value, label in PostingKind.choices:
        append(sheet, ["posting_kind", value, label, ""])
    for kind, column, _ in DEGREES:
        for level, label in QUALIFICATION_LEVELS[kind].items():
            append(sheet, [column, level, label, ""])
    for value, label in SEX_NAMES.items():
        append(sheet, ["sex", label, Sex(value).label, ""])

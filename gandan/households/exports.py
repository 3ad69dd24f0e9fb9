"""The poverty report in the layout of the province's summary form (xlsx) and as a flat CSV.

Used by the report screen's downloads and by ``gandan report poverty --format xlsx|csv``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gandan.core.spreadsheets import csv_bytes, put
from gandan.geo.models import Level
from gandan.households.models import review_date

BREAKDOWN_ROWS = [
    ("total", "Tổng số"),
    ("urban", "Thành thị"),
    ("rural", "Nông thôn"),
    ("ethnic_minority", "Hộ dân tộc thiểu số"),
]
CHILD_TITLES = {
    Level.PROVINCE: "Tỉnh, thành phố",
    Level.DISTRICT: "Huyện, quận, thị xã",
    Level.COMMUNE: "Xã, phường",
    "hamlet": "Thôn, tổ dân phố",
}


def breakdown_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, label in BREAKDOWN_ROWS:
        source = report if key == "total" else report["breakdown"][key]
        rows.append(
            {
                "key": key,
                "label": label,
                **{
                    k: source[k]
                    for k in ("households", "poor", "poor_rate", "near_poor", "near_poor_rate")
                },
            }
        )
    return rows


HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
RATE_FORMAT = "0.00"
COUNT_FORMAT = "#,##0"
FIGURE_HEADERS = [
    "Tổng số hộ",
    "Số hộ nghèo",
    "Tỉ lệ hộ nghèo (%)",
    "Số hộ cận nghèo",
    "Tỉ lệ hộ cận nghèo (%)",
]
FIGURE_KEYS = ["households", "poor", "poor_rate", "near_poor", "near_poor_rate"]
TRANSITION_HEADERS = [
    "Đầu kỳ",
    "Thoát",
    "Xóa hộ",
    "Chuyển đi",
    "Tái",
    "Phát sinh",
    "Chuyển đến",
    "Cuối kỳ",
]
POOR_TRANSITION_KEYS = [
    "poor_start",
    "escaped",
    "left",
    "moved_out",
    "fell_back",
    "newly_poor",
    "moved_in",
    "poor",
]
NEAR_POOR_TRANSITION_KEYS = [
    "near_poor_start",
    "near_poor_escaped",
    "near_poor_left",
    "near_poor_moved_out",
    "near_poor_fell_back",
    "newly_near_poor",
    "near_poor_moved_in",
    "near_poor",
]


def _unit_name(report: Mapping[str, Any]) -> str:
    unit = report["unit"]
    return f"{unit['name']} (mã {unit['code']})" if unit else "Cả nước"


def day_line(year: int, day: dt.date) -> str:
    """The day the figures are counted on, and the later day of the units and records if any."""
    counted = min(review_date(year), day)
    if day > counted:
        return (
            f"Số hộ tính đến ngày {counted:%d/%m/%Y}, theo đơn vị hành chính và hồ sơ "
            f"ngày {day:%d/%m/%Y}"
        )
    return f"Số liệu tính đến ngày {day:%d/%m/%Y}"


def _title_rows(sheet: Worksheet, title: str, report: Mapping[str, Any], width: int) -> int:
    """The form's heading: title, unit, standard, day. Returns the next free row."""
    standard = report["standard"] or {}
    day = dt.date.fromisoformat(report["as_of"])
    lines = [
        (title, Font(bold=True, size=13)),
        (f"Đơn vị: {_unit_name(report)}", Font(bold=True)),
        (
            f"Chuẩn nghèo: {standard.get('name', '')} ({standard.get('legal_basis', '')})"
            + ("; danh mục chỉ số tạm thời" if standard.get("provisional") else ""),
            Font(italic=True),
        ),
        (day_line(report["year"], day), Font(italic=True)),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        put(sheet, row, 1, text).font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(
            horizontal="center" if row == 1 else "left"
        )
    return len(lines) + 2


def _header(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = put(sheet, row, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _body(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    *,
    bold: bool = False,
    rates: Sequence[int] = (),
) -> None:
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row, column, value)
        cell.border = BOX
        if bold:
            cell.font = Font(bold=True)
        if isinstance(value, int | float) and column > 2:
            cell.number_format = RATE_FORMAT if column in rates else COUNT_FORMAT


def poverty_workbook(report: Mapping[str, Any]) -> bytes:
    """The report in the layout of the province's summary form (biểu tổng hợp kết quả rà soát).

    Sheet "Tổng hợp": the breakdown (total, urban, rural, ethnic minority) and the table by
    unit, with a total row. Sheet "Biến động": the transitions of the poor and near-poor
    lists, for the unit and for each unit below it. Depends on the report dict only, so the
    registry could use it for ``gandan report poverty --format xlsx`` too.
    """
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # noqa: S101 - a new workbook always has one sheet
    summary.title = "Tổng hợp"
    year = report["year"]
    width = 2 + len(FIGURE_HEADERS)
    row = _title_rows(
        summary,
        f"BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
        report,
        width,
    )
    rates = (5, 7)  # the rate columns of both tables
    summary.cell(row=row, column=1, value="I. Phân theo khu vực và dân tộc").font = Font(bold=True)
    row += 1
    _header(summary, row, ["STT", "Chỉ tiêu", *FIGURE_HEADERS])
    row += 1
    for index, line in enumerate(breakdown_rows(report), start=1):
        _body(
            summary,
            row,
            ["" if index == 1 else index - 1, line["label"], *(line[k] for k in FIGURE_KEYS)],
            bold=index == 1,
            rates=rates,
        )
        row += 1
    row += 1
    by_unit = report["by_unit"]
    child = CHILD_TITLES.get(by_unit[0]["level"] if by_unit else "hamlet", "Đơn vị")
    summary.cell(row=row, column=1, value=f"II. Phân theo {child.lower()}").font = Font(bold=True)
    row += 1
    _header(summary, row, ["STT", child, *FIGURE_HEADERS, "Mã đơn vị"])
    row += 1
    for index, line in enumerate(by_unit, start=1):
        _body(
            summary,
            row,
            [index, line["name"], *(line[k] for k in FIGURE_KEYS), line["unit"]],
            rates=rates,
        )
        row += 1
    _body(
        summary,
        row,
        ["", "Tổng cộng", *(report[k] for k in FIGURE_KEYS), ""],
        bold=True,
        rates=rates,
    )
    _widths(summary, [6, 34, 14, 14, 14, 14, 14, 12])

    flows = workbook.create_sheet("Biến động")
    width = 2 + len(TRANSITION_HEADERS)
    row = _title_rows(flows, f"BIẾN ĐỘNG HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}", report, width)
    for title, keys in (
        ("I. Hộ nghèo", POOR_TRANSITION_KEYS),
        ("II. Hộ cận nghèo", NEAR_POOR_TRANSITION_KEYS),
    ):
        flows.cell(row=row, column=1, value=title).font = Font(bold=True)
        row += 1
        _header(flows, row, ["STT", child, *TRANSITION_HEADERS])
        row += 1
        for index, line in enumerate(by_unit, start=1):
            _body(flows, row, [index, line["name"], *(line[k] for k in keys)])
            row += 1
        _body(flows, row, ["", "Tổng cộng", *(report[k] for k in keys)], bold=True)
        row += 2
    flows.cell(
        row=row,
        column=1,
        value=(
            "Cuối kỳ = Đầu kỳ − Thoát − Xóa hộ − Chuyển đi + Tái + Phát sinh + Chuyển đến. "
            "Thoát cận nghèo gồm cả hộ chuyển sang hộ nghèo."
        ),
    ).font = Font(italic=True)
    _widths(flows, [6, 34, *([11] * len(TRANSITION_HEADERS))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value


CSV_COLUMNS: list[tuple[str, str]] = [
    ("unit", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("households", "Tổng số hộ"),
    ("poor", "Số hộ nghèo"),
    ("poor_rate", "Tỉ lệ hộ nghèo (%)"),
    ("near_poor", "Số hộ cận nghèo"),
    ("near_poor_rate", "Tỉ lệ hộ cận nghèo (%)"),
    *[
        (key, f"Hộ nghèo: {label.lower()}")
        for key, label in zip(POOR_TRANSITION_KEYS[:-1], TRANSITION_HEADERS[:-1], strict=True)
    ],
    *[
        (key, f"Hộ cận nghèo: {label.lower()}")
        for key, label in zip(NEAR_POOR_TRANSITION_KEYS[:-1], TRANSITION_HEADERS[:-1], strict=True)
    ],
]


def poverty_csv(report: Mapping[str, Any]) -> bytes:
    """One row per unit below the report's unit and a total row, every figure in a column."""
    unit = report["unit"] or {"code": "", "name": "Cả nước"}
    total = {**report, "unit": unit["code"], "name": f"Tổng cộng: {unit['name']}"}
    return csv_bytes(
        [
            [label for _key, label in CSV_COLUMNS],
            *([row[key] for key, _label in CSV_COLUMNS] for row in report["by_unit"]),
            [total[key] for key, _label in CSV_COLUMNS],
        ]
    )

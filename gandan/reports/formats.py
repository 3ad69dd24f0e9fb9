"""Writing a report's dict as JSON, CSV or Excel (through gandan.core.spreadsheets)."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import Workbook

from gandan.core.spreadsheets import append, csv_bytes

FORMATS = ("json", "csv", "xlsx")


def flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested dicts and lists as (dotted key, value) rows: ``by_type.phuong → 48``."""
    rows: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            rows.extend(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            rows.extend(flatten(value, f"{prefix}[{index}]"))
    else:
        rows.append((prefix, data))
    return rows


def render(data: dict[str, Any], fmt: str, *, name: str | None = None) -> bytes:
    """The report as bytes; a report with its own layout for ``fmt`` (a form's table) uses it."""
    if name is not None:
        from gandan.reports.registry import layouts

        layout = layouts().get(name, {}).get(fmt)
        if layout is not None:
            return layout(data)
    if fmt == "json":
        return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode()
    if fmt == "csv":
        return csv_bytes([("chi_tieu", "gia_tri"), *flatten(data)])
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
        sheet.title = "bao_cao"
        append(sheet, ["Chỉ tiêu", "Giá trị"])
        for key, value in flatten(data):
            append(
                sheet,
                [
                    key,
                    value if isinstance(value, int | float | str) or value is None else str(value),
                ],
            )
        sheet.column_dimensions["A"].width = 40
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(f"Định dạng không hỗ trợ: {fmt!r}. Chọn một trong: {', '.join(FORMATS)}.")

"""Reading an .xlsx or .csv file row by row, its header checked against the importer's layout."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import IO, Any

from gandan.core.imports.report import ImportFileError
from gandan.core.imports.rows import Row, cell_text
from gandan.core.spreadsheets import refused_in_import

FORMATS = {".xlsx": "xlsx", ".csv": "csv"}

Source = str | Path | IO[bytes]


def file_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            "tệp .xls (Excel 97–2003) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc .csv"
        )
    if suffix not in FORMATS:
        raise ImportFileError("chỉ nhận tệp .xlsx hoặc .csv")
    return FORMATS[suffix]


@contextmanager
def _opened(source: Source) -> Iterator[IO[bytes]]:
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield handle
    else:
        source.seek(0)
        yield source


def _xlsx_cells(source: Source) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with _opened(source) as handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
            raise ImportFileError(
                "không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx"
            ) from None
        try:
            sheet = book.worksheets[0]
            # Some programs write a wrong size into the file; read what is there instead.
            sheet.reset_dimensions()
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        finally:
            book.close()


def _csv_cells(source: Source) -> Iterator[tuple[int, Sequence[Any]]]:
    with _opened(source) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            first = text.readline()
            # Excel set to Vietnamese separates with semicolons.
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(chain([first], text), delimiter=delimiter)
            yield from enumerate(reader, start=1)
        except UnicodeDecodeError:
            raise ImportFileError(
                "tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: CSV UTF-8)"
            ) from None
        except csv.Error as error:
            raise ImportFileError(f"tệp CSV không đúng định dạng: {error}") from None
        finally:
            text.detach()  # the caller owns the underlying file


def estimate_rows(source: Source, fmt: str) -> int:
    """About how many data rows the file holds, without reading them: the size an .xlsx file
    declares for its first sheet, the lines of a .csv file; less the header. A file that cannot
    be read gives 0 (reading it reports why)."""
    try:
        if fmt == "xlsx":
            from openpyxl import load_workbook

            with _opened(source) as handle:
                book = load_workbook(handle, read_only=True, data_only=True)
                try:
                    lines = book.worksheets[0].max_row or 0
                finally:
                    book.close()
        else:
            lines = 0
            with _opened(source) as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    lines += chunk.count(b"\n")
    except Exception:  # noqa: BLE001 - a damaged file is reported when it is read
        return 0
    finally:
        if not isinstance(source, str | Path):
            source.seek(0)
    return max(lines - 1, 0)


def _blank(values: Sequence[Any]) -> bool:
    return all(cell_text(value) == "" for value in values)


def read_rows(source: Source, fmt: str, layout: Sequence[str]) -> Iterator[Row]:
    """The data rows of the file, checked against the layout's header; blank rows skipped."""
    cells = _xlsx_cells(source) if fmt == "xlsx" else _csv_cells(source)
    positions: list[tuple[int, str]] | None = None
    for number, values in cells:
        if _blank(values):
            continue
        if positions is None:
            positions = _header(number, values, layout)
            continue
        row = Row(number, {name: values[i] if i < len(values) else None for i, name in positions})
        width = max(i for i, _ in positions) + 1
        if not _blank(values[width:]):
            row.error("", "dòng có nhiều ô hơn dòng tiêu đề", value="")
        for name, value in row.cells.items():
            if refused_in_import(value):
                row.error(
                    name,
                    "ô bắt đầu bằng “=”, “+”, “-” hoặc “@” như một công thức: hãy nhập giá trị, "
                    "không nhập công thức",
                    value=str(value),
                )
        yield row
    if positions is None:
        raise ImportFileError("tệp trống: không có dòng tiêu đề và dữ liệu")


def _header(number: int, values: Sequence[Any], layout: Sequence[str]) -> list[tuple[int, str]]:
    names = [cell_text(value).lower() for value in values]
    positions = [(i, name) for i, name in enumerate(names) if name]
    found = [name for _, name in positions]
    missing = [name for name in layout if name not in found]
    unknown = [name for name in found if name not in layout]
    repeated = sorted({name for name in found if found.count(name) > 1})
    if missing or unknown or repeated:
        problems = []
        if missing:
            problems.append(f"thiếu cột {', '.join(missing)}")
        if unknown:
            problems.append(f"cột không có trong mẫu: {', '.join(unknown)}")
        if repeated:
            problems.append(f"cột lặp lại: {', '.join(repeated)}")
        raise ImportFileError(
            f"dòng tiêu đề không đúng mẫu ({'; '.join(problems)}). "
            f"Dòng tiêu đề phải gồm các cột: {', '.join(layout)}",
            row=number,
        )
    return positions

"""All-or-nothing imports of spreadsheets (.xlsx or .csv), with a row-by-row report.

An app offers an import by listing a module in :data:`IMPORT_MODULES` whose ``IMPORTERS``
maps a kind (``"officials"``) to a :class:`TableImporter` subclass. :func:`run_import` then:

1. reads the file row by row and lets the importer check every row, collecting *all* the
   errors (a bad date on row 7 does not hide a bad code on row 90);
2. reads it again and writes the rows that passed, through the app's services, inside ONE
   transaction, each row in its own savepoint so that a service's ``ValidationError`` on row N
   is reported as row N (with the field translated to the file's column) and checking goes on;
3. commits only if no row failed at either step and this is not a dry run; otherwise the
   transaction is rolled back and nothing is saved. A dry run reports what would be created.

The file is read twice rather than held in memory: memory does not grow with the number of
rows, except for what an importer keeps to check rows against each other (e.g. one keyed
hash per person) and the errors (at most :data:`MAX_ERRORS` are kept; all are counted).

Large files (hundreds of thousands of rows) take the *batch* path instead, when the importer
sets :attr:`TableImporter.batch_size`: the first reading also copies each good row (its cells
and what ``parse`` made of it) to a temporary file, the second step reads that copy back — no
second parse of the spreadsheet — and hands the rows to :meth:`TableImporter.write_batch` in
chunks, which writes them in bulk (``bulk_create``, or :func:`bulk_insert` where the ORM's
compilation of every value is too slow) inside the same single transaction. The same
importer object serves both steps, so what it learned from the whole file in the first (e.g.
every year of a household) is there for the second. All or nothing and the row-by-row report
are the same on both paths.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
import re
import tempfile
import zipfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, router, transaction

from gandan.core.bulk import write_rows

# Modules that declare ``IMPORTERS = {"kind": ImporterClass}``.
IMPORT_MODULES = ["gandan.officials.imports", "gandan.households.imports"]

MAX_ERRORS = 1000  # errors kept for the report; beyond this they are only counted
FORMATS = {".xlsx": "xlsx", ".csv": "csv"}

Source = str | Path | IO[bytes]
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """One problem in the file: row number as the spreadsheet shows it (header = 1), column, value."""

    row: int  # 0: the file as a whole
    column: str
    value: str
    reason: str  # Vietnamese

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row else "Tệp"
        if self.column:
            where += f", cột {self.column}"
        if self.value:
            where += f", giá trị '{self.value}'"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Figure:
    """One line of figures an import produced, e.g. a review year: rows, poor, near-poor."""

    label: str  # Vietnamese, e.g. "Năm 2025"
    values: tuple[tuple[str, int], ...]  # (Vietnamese label, number)

    def __str__(self) -> str:
        numbers = ", ".join(f"{_number(n)} {label}" for label, n in self.values)
        return f"{self.label}: {numbers}"


def _number(n: int) -> str:
    """Vietnamese grouping: 300.000."""
    return f"{n:,}".replace(",", ".")


@dataclass
class ImportReport:
    """What an import read, what was wrong, and what it created (or, in a dry run, would create)."""

    kind: str
    label: str = ""
    dry_run: bool = False
    rows_read: int = 0
    rows_ok: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # every error, including those beyond MAX_ERRORS
    created: dict[str, int] = field(default_factory=dict)
    would_create: dict[str, int] = field(default_factory=dict)
    counter_labels: dict[str, str] = field(default_factory=dict)
    # What the rows amount to (in a dry run: would amount to), from importers that say so.
    figures: list[Figure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def counts(self) -> list[tuple[str, int]]:
        """(Vietnamese label, number) for what was created, or would be in a dry run."""
        numbers = self.would_create if self.dry_run else self.created
        return [(self.counter_labels.get(key, key), n) for key, n in numbers.items()]

    def summary(self) -> str:
        if not self.ok:
            return (
                f"Tệp có {self.error_count} lỗi ở {self.rows_read - self.rows_ok} trên "
                f"{self.rows_read} dòng dữ liệu: không có gì được lưu."
            )
        made = "; ".join(f"{n} {label}" for label, n in self.counts()) or "không có gì mới"
        figures = ""
        if self.figures:
            figures = f" Số liệu: {'; '.join(str(figure) for figure in self.figures)}."
        if self.dry_run:
            return (
                f"Kiểm tra xong {self.rows_read} dòng, không có lỗi. "
                f"Nếu nhập thật sẽ tạo: {made}.{figures} (Chỉ kiểm tra: chưa lưu gì.)"
            )
        return f"Đã nhập {self.rows_read} dòng. Đã tạo: {made}.{figures}"

    def lines(self) -> list[str]:
        """The report as text, one line per error then the summary (for the command line)."""
        lines = [str(error) for error in self.errors]
        if self.errors_not_shown:
            lines.append(f"… và {self.errors_not_shown} lỗi khác.")
        lines.append(self.summary())
        return lines


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, wrong header)."""

    def __init__(self, reason: str, *, row: int = 0, column: str = "", value: str = "") -> None:
        super().__init__(reason)
        self.error = RowError(row=row, column=column, value=value, reason=reason)


@dataclass
class ImportContext:
    """Who imports, and the units rows may write to.

    ``user`` None is an operator at the command line: no scope. A user may write only to the
    units their roles let them write to; ``unit`` restricts rows to that unit and below
    (across the 2025 reform: what it came from or became, as scope does).
    """

    user: Any = None
    unit: Any = None  # gandan.geo.models.Unit
    _allowed: dict[int, str | None] = field(default_factory=dict, repr=False)

    @property
    def actor(self) -> Any:
        return self.user

    def refusal(self, unit: Any) -> str | None:
        """Why rows may not write to ``unit`` (a Vietnamese reason), or None if they may."""
        if unit.pk not in self._allowed:
            self._allowed[unit.pk] = self._refusal(unit)
        return self._allowed[unit.pk]

    def _refusal(self, unit: Any) -> str | None:
        from gandan.accounts.access import lineage_closure, units_in_scope
        from gandan.geo.models import Unit

        if self.user is not None:
            if not units_in_scope(self.user, for_write=True).filter(pk=unit.pk).exists():
                return f"Đơn vị {unit.name} ngoài phạm vi của bạn"
        if self.unit is not None:
            under = Unit.objects.descendants_of(lineage_closure({self.unit.pk}))
            if not under.filter(pk=unit.pk).exists():
                return f"Đơn vị {unit.name} không thuộc {self.unit.name} (mã {self.unit.code})"
        return None


# --- Cells ----------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def cell_text(value: Any) -> str:
    """A cell as the text a person would read: numbers without ``.0``, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value:%d/%m/%Y}"
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value).split())


def parse_date(value: Any) -> dt.date:
    """A date from a spreadsheet date cell, ``dd/mm/yyyy`` or ``yyyy-mm-dd``; ValueError if none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    found = _DMY.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
    else:
        found = _ISO.match(text)
        if not found:
            raise ValueError("ngày không hợp lệ (dạng dd/mm/yyyy hoặc yyyy-mm-dd)")
        year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("ngày không hợp lệ") from None


@dataclass
class Row:
    """One data row: raw cells by column, and the errors found in it."""

    number: int
    cells: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)

    def raw(self, column: str) -> Any:
        return self.cells.get(column)

    def text(self, column: str) -> str:
        return cell_text(self.cells.get(column))

    def error(self, column: str, reason: str, value: str | None = None) -> None:
        shown = self.text(column) if value is None else value
        if len(shown) > 100:
            shown = shown[:99] + "…"
        self.errors.append(RowError(self.number, column, shown, reason))

    def required(self, column: str) -> str:
        text = self.text(column)
        if not text:
            self.error(column, "không được để trống")
        return text

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        if not self.text(column):
            if required:
                self.error(column, "không được để trống")
            return None
        try:
            return parse_date(self.raw(column))
        except ValueError as error:
            self.error(column, str(error))
            return None


@contextmanager
def columns(mapping: dict[str, str]) -> Iterator[None]:
    """Rename the keys of a service's ``ValidationError`` to the file's column names."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed = {mapping.get(key, key): value for key, value in error.message_dict.items()}
        raise ValidationError(renamed) from error


# --- Importers --------------------------------------------------------------------------------


class TableImporter(ABC, Generic[T]):
    """One layout of file. Subclasses set the class attributes and implement the three steps.

    A fresh instance serves one run, so per-run state (caches, what was seen) lives on it.

    Row by row (the default): the first reading and the writing each get a fresh instance, and
    :meth:`write` is called for each row in its own savepoint. In batches (``batch_size`` > 0):
    ONE instance serves both steps; ``parse`` must return something picklable (plain values,
    ids rather than model instances), and :meth:`write_batch` writes ``batch_size`` rows at a
    time. It rejects a row with ``row.error(...)``, or any row of the file by number with
    :meth:`reject` (e.g. a household's later row that the first one contradicts).
    """

    kind: ClassVar[str]
    label: ClassVar[str]  # Vietnamese: what the file holds
    columns: ClassVar[tuple[str, ...]]
    counter_labels: ClassVar[dict[str, str]] = {}  # counter → Vietnamese label
    batch_size: ClassVar[int] = 0  # > 0: the batch path, see the module docstring

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.counts: Counter[str] = Counter()
        self.rejected: list[RowError] = []

    def count(self, counter: str, n: int = 1) -> None:
        self.counts[counter] += n

    @abstractmethod
    def parse(self, row: Row) -> T | None:
        """Check one row on its own (and against the database); None if ``row.errors``."""

    def check_across(self, row: Row, parsed: T) -> None:
        """Check a row against the rows before it (first reading only)."""

    @abstractmethod
    def write(self, row: Row, parsed: T) -> None:
        """Write one row through the app's services; a ``ValidationError`` rejects the row."""

    def write_batch(self, rows: list[tuple[Row, T]]) -> None:
        """Write a chunk of checked rows at once (the batch path); reject rows, never raise for one."""
        raise NotImplementedError(f"{type(self).__name__} sets batch_size but has no write_batch")

    def reject(self, number: int, column: str, value: str, reason: str) -> None:
        """Reject row ``number`` of the file from :meth:`write_batch`, wherever that row is."""
        self.rejected.append(RowError(number, column, value, reason))

    def finish(self) -> None:
        """After the last row was written without error, inside the transaction (e.g. the one
        summary event of a batch import)."""

    def figures(self) -> list[Figure]:
        """What the written rows amount to, for the report (e.g. per year: poor, near-poor)."""
        return []


def importers() -> dict[str, type[TableImporter[Any]]]:
    found: dict[str, type[TableImporter[Any]]] = {}
    for name in IMPORT_MODULES:
        found.update(import_module(name).IMPORTERS)
    return found


def get_importer(kind: str) -> type[TableImporter[Any]]:
    known = importers()
    if kind not in known:
        raise KeyError(
            f"Không có kiểu nhập {kind!r}. Các kiểu có: {', '.join(sorted(known)) or '(chưa có)'}."
        )
    return known[kind]


# --- Reading --------------------------------------------------------------------------------


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


# --- Running ----------------------------------------------------------------------------------


def run_import(
    kind: str,
    source: Source,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    unit: Any = None,
) -> ImportReport:
    """Import ``source`` (a path or a seekable binary file) all or nothing; see the module docstring.

    ``filename`` gives the format (.xlsx or .csv) when ``source`` is not a path.
    """
    importer_class = get_importer(kind)
    report = ImportReport(
        kind=kind,
        label=importer_class.label,
        dry_run=dry_run,
        counter_labels=dict(importer_class.counter_labels),
    )
    context = ImportContext(user=user, unit=unit)
    try:
        name = filename if filename is not None else str(source)
        fmt = file_format(name)
        if importer_class.batch_size > 0:
            _run_batches(importer_class(context), source, fmt, report)
            return report
        failed = _check_all(importer_class(context), source, fmt, report)
        if report.rows_read == 0:
            raise ImportFileError("tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
        if report.error_count >= MAX_ERRORS:
            return report  # enough to fix first; writing would only find more
        _write_all(importer_class(context), source, fmt, report, failed)
    except ImportFileError as error:
        report.add_error(error.error)
        report.created, report.would_create, report.figures = {}, {}, []
    return report


def _check_all(
    importer: TableImporter[Any], source: Source, fmt: str, report: ImportReport
) -> set[int]:
    """First reading: every row checked, every error collected. Returns the rows that failed."""
    failed: set[int] = set()
    for row in read_rows(source, fmt, importer.columns):
        report.rows_read += 1
        parsed = importer.parse(row)
        if parsed is not None and not row.errors:
            importer.check_across(row, parsed)
        if row.errors:
            failed.add(row.number)
            for error in row.errors:
                report.add_error(error)
    report.rows_ok = report.rows_read - len(failed)
    return failed


def _write_all(
    importer: TableImporter[Any],
    source: Source,
    fmt: str,
    report: ImportReport,
    failed: set[int],
) -> None:
    """Second reading: write the good rows in one transaction; keep it only if all went well."""
    with transaction.atomic():
        for row in read_rows(source, fmt, importer.columns):
            if row.number in failed:
                continue
            parsed = importer.parse(row)
            if parsed is not None and not row.errors:
                try:
                    with transaction.atomic():  # a savepoint: a rejected row leaves nothing behind
                        importer.write(row, parsed)
                except ValidationError as error:
                    _reject(row, error, importer.columns)
                except DatabaseError:
                    row.error("", "không ghi được vào cơ sở dữ liệu", value="")
            if row.errors:
                failed.add(row.number)
                for row_error in row.errors:
                    report.add_error(row_error)
        report.rows_ok = report.rows_read - len(failed)
        if not report.ok or report.dry_run:
            transaction.set_rollback(True)
    if report.ok:
        _counts(importer, report)


def _counts(importer: TableImporter[Any], report: ImportReport) -> None:
    counts = {key: importer.counts[key] for key in importer.counter_labels}
    if report.dry_run:
        report.would_create = counts
    else:
        report.created = counts
    report.figures = importer.figures()


# --- The batch path ---------------------------------------------------------------------------


def _run_batches(
    importer: TableImporter[Any], source: Source, fmt: str, report: ImportReport
) -> None:
    """Both steps of the batch path; the good rows wait in a temporary file between them."""
    with tempfile.TemporaryFile(prefix="gandan-import-", buffering=1 << 16) as spool:
        failed = _check_and_spool(importer, source, fmt, report, spool)
        if report.rows_read == 0:
            raise ImportFileError("tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
        if report.error_count >= MAX_ERRORS:
            return
        spool.seek(0)
        _write_batches(importer, _unspooled(spool, importer.columns), report, failed)
    report.errors.sort(key=lambda error: error.row)  # batches find errors out of file order


def _check_and_spool(
    importer: TableImporter[Any], source: Source, fmt: str, report: ImportReport, spool: IO[bytes]
) -> set[int]:
    """First reading, as :func:`_check_all`, keeping each good row in ``spool``."""
    failed: set[int] = set()
    layout = importer.columns
    for row in read_rows(source, fmt, layout):
        report.rows_read += 1
        parsed = importer.parse(row)
        if parsed is not None and not row.errors:
            importer.check_across(row, parsed)
        if row.errors:
            failed.add(row.number)
            for error in row.errors:
                report.add_error(error)
        else:
            cells = tuple(row.cells.get(column) for column in layout)
            spool.write(pickle.dumps((row.number, cells, parsed), pickle.HIGHEST_PROTOCOL))
    report.rows_ok = report.rows_read - len(failed)
    return failed


def _unspooled(spool: IO[bytes], layout: Sequence[str]) -> Iterator[tuple[Row, Any]]:
    while True:
        try:
            number, cells, parsed = pickle.load(spool)  # noqa: S301 - our own temporary file
        except EOFError:
            return
        yield Row(number, dict(zip(layout, cells, strict=True))), parsed


def _write_batches(
    importer: TableImporter[Any],
    rows: Iterator[tuple[Row, Any]],
    report: ImportReport,
    failed: set[int],
) -> None:
    """Second step: the good rows in chunks, in one transaction kept only if all went well."""

    def collect(batch: list[tuple[Row, Any]]) -> None:
        for row, _parsed in batch:
            if row.errors:
                failed.add(row.number)
                for row_error in row.errors:
                    report.add_error(row_error)
        for row_error in importer.rejected:
            failed.add(row_error.row)
            report.add_error(row_error)
        importer.rejected.clear()

    def write(batch: list[tuple[Row, Any]]) -> bool:
        try:
            with transaction.atomic():  # a savepoint: a failed chunk leaves nothing behind
                importer.write_batch(batch)
        except (ValidationError, DatabaseError) as error:
            reason = "không ghi được vào cơ sở dữ liệu"
            if isinstance(error, ValidationError):
                reason = "; ".join(error.messages)
            for row, _parsed in batch:
                row.error("", reason, value="")
            collect(batch)
            return False
        collect(batch)
        return True

    with transaction.atomic():
        batch: list[tuple[Row, Any]] = []
        writing = True
        for item in rows:
            batch.append(item)
            if len(batch) >= importer.batch_size:
                # After a chunk that could not be written, later ones would only fail with it.
                writing = writing and write(batch)
                batch = []
        if batch and writing:
            writing = write(batch)
        report.rows_ok = report.rows_read - len(failed)
        if report.ok:
            importer.finish()
        if not report.ok or report.dry_run:
            transaction.set_rollback(True)
    if report.ok:
        _counts(importer, report)


# Fields whose values go to the database as they are (given values of the field's own type).
_PLAIN_FIELDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Insert unsaved ``objects`` of ``model`` with one prepared statement and many rows.

    ``bulk_create`` compiles every value of every row into SQL through the ORM, which is most of
    the time of an import of 300,000 rows. This writes the rows with
    :func:`gandan.core.bulk.write_rows` (``COPY`` on PostgreSQL, ``executemany`` elsewhere):
    values of Django's plain field classes (text, numbers, booleans, foreign keys) as they are — they must already be of the field's type — dates and instants adapted
    by the backend, anything else through the field's own ``get_db_prep_save``; automatic
    stamps (``auto_now``) are set first. Meant for the batch path: no ``save()``, no signals,
    and the objects do not get their primary keys (read them back by a natural key if needed).
    Returns the number of rows.
    """
    if not objects:
        return 0
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    stamps = [f for f in fields if getattr(f, "auto_now", False)]
    adapters: list[tuple[int, Any]] = []
    for index, column in enumerate(fields):
        kind = column.get_internal_type()
        if kind == "DateField" and type(column) is models.DateField:
            adapters.append((index, connection.ops.adapt_datefield_value))
        elif kind == "DateTimeField" and type(column) is models.DateTimeField:
            adapters.append((index, connection.ops.adapt_datetimefield_value))
        elif kind not in _PLAIN_FIELDS or not type(column).__module__.startswith("django."):
            adapters.append(
                (index, lambda value, column=column: column.get_db_prep_save(value, connection))
            )
    values = attrgetter(*(f.attname for f in fields))
    prepared = []
    for obj in objects:
        for stamp in stamps:
            stamp.pre_save(obj, True)  # auto_now: the time of the insert
        row = list(values(obj)) if len(fields) > 1 else [values(obj)]
        for index, adapt in adapters:
            row[index] = adapt(row[index])
        prepared.append(row)
    return write_rows(connection, meta.db_table, [f.column for f in fields], prepared)


def _reject(row: Row, error: ValidationError, layout: Sequence[str]) -> None:
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            column = key if key in layout else ""
            for message in messages:
                row.error(column, message, value=row.text(column) if column else "")
    else:
        for message in error.messages:
            row.error("", message, value="")

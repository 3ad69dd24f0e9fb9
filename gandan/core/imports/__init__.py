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

The package: :mod:`.report` (the row-by-row report and its errors), :mod:`.rows` (a row and its
cells), :mod:`.importer` (what an app implements, and the registry), :mod:`.reading` (.xlsx and
.csv files), :mod:`.row_by_row` and :mod:`.batch` (the two paths), :mod:`.insert`
(:func:`bulk_insert`). Callers import every name from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gandan.core.imports.batch import run_batches
from gandan.core.imports.importer import (
    IMPORT_MODULES,
    ImportContext,
    TableImporter,
    get_importer,
    importers,
)
from gandan.core.imports.insert import bulk_insert
from gandan.core.imports.reading import FORMATS, Source, estimate_rows, file_format, read_rows
from gandan.core.imports.report import (
    MAX_ERRORS,
    Figure,
    ImportFileError,
    ImportReport,
    RowError,
    report_as_json,
    report_from_json,
)
from gandan.core.imports.row_by_row import check_rows, write_each
from gandan.core.imports.rows import Row, cell_text, columns, parse_date

__all__ = [
    "FORMATS",
    "IMPORT_MODULES",
    "MAX_ERRORS",
    "Figure",
    "ImportContext",
    "ImportFileError",
    "ImportReport",
    "Row",
    "RowError",
    "Source",
    "TableImporter",
    "bulk_insert",
    "cell_text",
    "columns",
    "file_format",
    "estimate_rows",
    "get_importer",
    "importers",
    "parse_date",
    "read_rows",
    "report_as_json",
    "report_from_json",
    "run_import",
]


def run_import(
    kind: str,
    source: Source,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    user: Any = None,
    unit: Any = None,
    progress: Callable[[int, int], None] | None = None,
    rows: int = 0,
) -> ImportReport:
    """Import ``source`` (a path or a seekable binary file) all or nothing; see the package docstring.

    ``filename`` gives the format (.xlsx or .csv) when ``source`` is not a path. ``progress``
    (a background job's) is told how far the reading has come, of ``rows`` data rows
    (:func:`estimate_rows`) read once to check and once more to write.
    """
    importer_class = get_importer(kind)
    report = ImportReport(
        kind=kind,
        label=importer_class.label,
        dry_run=dry_run,
        counter_labels=dict(importer_class.counter_labels),
    )
    context = ImportContext(user=user, unit=unit)
    layout = importer_class.columns
    try:
        name = filename if filename is not None else str(source)
        fmt = file_format(name)
        passes = 1 if importer_class.batch_size > 0 or dry_run else 2
        total = max(rows, 1) * passes

        def reading(done_before: int) -> Iterator[Row]:
            found = read_rows(source, fmt, layout)
            if progress is None:
                return found
            return _counted(found, progress, done_before, total)

        if importer_class.batch_size > 0:
            run_batches(importer_class(context), reading(0), report)
            return report
        failed = check_rows(importer_class(context), reading(0), report)
        if report.rows_read == 0:
            raise ImportFileError("tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
        if report.error_count >= MAX_ERRORS:
            return report  # enough to fix first; writing would only find more
        write_each(importer_class(context), reading(report.rows_read), report, failed)
    except ImportFileError as error:
        report.add_error(error.error)
        report.created, report.would_create, report.figures = {}, {}, []
    return report


def _counted(
    rows: Iterator[Row], progress: Callable[[int, int], None], before: int, total: int
) -> Iterator[Row]:
    for number, row in enumerate(rows, start=1):
        progress(min(before + number, total), total)
        yield row

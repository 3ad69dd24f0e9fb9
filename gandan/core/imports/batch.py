"""The batch path, for large files: the first reading keeps each good row (its cells and what
``parse`` made of it) in a temporary file, and the second step hands those rows to
:meth:`TableImporter.write_batch` in chunks, inside one transaction kept only if no row failed."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from gandan.core.imports.importer import TableImporter
from gandan.core.imports.report import MAX_ERRORS, ImportFileError, ImportReport
from gandan.core.imports.row_by_row import check_rows, count_created
from gandan.core.imports.rows import Row


def run_batches(importer: TableImporter[Any], rows: Iterable[Row], report: ImportReport) -> None:
    """Both steps of the batch path; the good rows wait in a temporary file between them."""
    layout = importer.columns
    with tempfile.TemporaryFile(prefix="gandan-import-", buffering=1 << 16) as spool:

        def keep(row: Row, parsed: Any) -> None:
            cells = tuple(row.cells.get(column) for column in layout)
            spool.write(pickle.dumps((row.number, cells, parsed), pickle.HIGHEST_PROTOCOL))

        failed = check_rows(importer, rows, report, keep)
        if report.rows_read == 0:
            raise ImportFileError("tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
        if report.error_count >= MAX_ERRORS:
            return
        spool.seek(0)
        _write_batches(importer, _unspooled(spool, layout), report, failed)
    report.errors.sort(key=lambda error: error.row)  # batches find errors out of file order


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
        count_created(importer, report)

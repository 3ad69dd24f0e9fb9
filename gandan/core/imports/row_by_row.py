"""The two steps of an import: every row checked, then the good rows written one by one, each in
its own savepoint, inside one transaction kept only if no row failed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from gandan.core.imports.importer import TableImporter
from gandan.core.imports.report import ImportReport
from gandan.core.imports.rows import Row


def check_rows(
    importer: TableImporter[Any],
    rows: Iterable[Row],
    report: ImportReport,
    keep: Callable[[Row, Any], None] | None = None,
) -> set[int]:
    """First reading: every row checked, every error collected; ``keep`` gets each good row.

    Returns the rows that failed.
    """
    failed: set[int] = set()
    for row in rows:
        report.rows_read += 1
        parsed = importer.parse(row)
        if parsed is not None and not row.errors:
            importer.check_across(row, parsed)
        if row.errors:
            failed.add(row.number)
            for error in row.errors:
                report.add_error(error)
        elif keep is not None:
            keep(row, parsed)
    report.rows_ok = report.rows_read - len(failed)
    return failed


def write_each(
    importer: TableImporter[Any],
    rows: Iterable[Row],
    report: ImportReport,
    failed: set[int],
) -> None:
    """Second reading: write the good rows in one transaction; keep it only if all went well."""
    with transaction.atomic():
        for row in rows:
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
        count_created(importer, report)


def count_created(importer: TableImporter[Any], report: ImportReport) -> None:
    """What the importer counted and its figures, into the report (as "would create" in a dry run)."""
    counts = {key: importer.counts[key] for key in importer.counter_labels}
    if report.dry_run:
        report.would_create = counts
    else:
        report.created = counts
    report.figures = importer.figures()


def _reject(row: Row, error: ValidationError, layout: Sequence[str]) -> None:
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            column = key if key in layout else ""
            for message in messages:
                row.error(column, message, value=row.text(column) if column else "")
    else:
        for message in error.messages:
            row.error("", message, value="")

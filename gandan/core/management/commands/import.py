"""``gandan import``: load a spreadsheet (.xlsx or .csv) all or nothing, with a row-by-row report.

    gandan import officials can-bo.xlsx --dry-run
    Dòng 7, cột birth_date, giá trị '31/02/1980': ngày không hợp lệ
    Tệp có 1 lỗi ở 1 trên 40 dòng dữ liệu: không có gì được lưu.

Runs as an operator: no user scope. ``--unit CODE`` restricts the rows to that unit and
below (across the 2025 reform, what it came from or became). The exit code is non-zero when
the file has an error, and then nothing is saved. The layouts are documented in the
importer modules (``gandan/officials/imports/``) and in ``docs/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.imports import get_importer, importers, run_import


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu từ tệp .xlsx hoặc .csv: kiểm tra mọi dòng, chỉ lưu khi không có lỗi "
        "nào, in báo cáo từng dòng. Imports a spreadsheet all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", help=f"Kiểu dữ liệu: {', '.join(sorted(importers()))} (kind of data)."
        )
        parser.add_argument("file", help="Đường dẫn tệp .xlsx hoặc .csv.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="Chỉ kiểm tra và báo cáo những gì sẽ được tạo, không lưu gì.",
        )
        parser.add_argument(
            "--unit",
            default=None,
            metavar="CODE",
            help="Chỉ nhận các dòng thuộc đơn vị hành chính có mã này (và cấp dưới).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            get_importer(options["kind"])
        except KeyError as error:
            raise CommandError(error.args[0]) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        unit = None
        if options["unit"]:
            from gandan.geo.selectors import UnitNotFound, unit_by_code

            try:
                unit = unit_by_code(options["unit"])
            except UnitNotFound as missing:
                raise CommandError(str(missing)) from None
        report = run_import(options["kind"], path, dry_run=options["dry_run"], unit=unit)
        for row_error in report.errors:
            self.stdout.write(str(row_error))
        if report.errors_not_shown:
            self.stdout.write(f"… và {report.errors_not_shown} lỗi khác.")
        if not report.ok:
            raise CommandError(report.summary())
        if options["verbosity"] >= 1:
            self.stdout.write(report.summary())
            for label, number in report.counts():
                self.stdout.write(f"  {label}: {number}")

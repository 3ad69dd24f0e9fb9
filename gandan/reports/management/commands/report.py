"""Print a report as JSON, CSV or Excel: the same numbers as the screen and the API.

gandan report units --unit 46 --as-of 2025-06-30 --format json
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.reports.formats import FORMATS, render
from gandan.reports.registry import ReportError, build_request, reports, run_report


class Command(BaseCommand):
    help = "Xuất báo cáo theo đơn vị và thời điểm (json, csv, xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Tên báo cáo: " + ", ".join(sorted(reports())))
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: cả nước)")
        parser.add_argument(
            "--as-of",
            help="Vào ngày YYYY-MM-DD (mặc định hôm nay; với --year: đơn vị và số liệu như vào ngày đó)",
        )
        parser.add_argument("--year", help="Năm báo cáo")
        parser.add_argument("--from", dest="date_from", help="Từ ngày YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="Đến ngày YYYY-MM-DD")
        parser.add_argument("--format", default="json", help="json, csv hoặc xlsx")
        parser.add_argument("--output", help="Ghi ra tệp thay vì màn hình")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt not in FORMATS:
            raise CommandError(
                f"Định dạng không hỗ trợ: {fmt!r}. Chọn một trong: {', '.join(FORMATS)}."
            )
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("Định dạng xlsx cần --output TỆP.")
        try:
            request = build_request(
                unit_code=options["unit"],
                as_of=options["as_of"],
                year=options["year"],
                date_from=options["date_from"],
                date_to=options["date_to"],
            )
            data = run_report(options["name"], request)
        except ReportError as error:
            raise CommandError(error.message) from None
        content = render(data, fmt, name=options["name"])
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            if options["verbosity"] >= 1:
                self.stderr.write(f"Đã ghi {options['output']}")
        else:
            self.stdout.flush()
            out = getattr(self.stdout, "_out", sys.stdout)
            out.write(content.decode("utf-8-sig") if fmt == "csv" else content.decode())

"""Load the rules that the law sets (positions, standards, quotas, grading scales, …) from the
versioned fixtures in ``gandan/<app>/rules/``. Idempotent: a second run changes nothing and says so.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gandan.core.rules import load_all


class Command(BaseCommand):
    help = "Nạp các quy định dạng dữ liệu (chức danh, tiêu chuẩn, định mức, thang đánh giá) kèm căn cứ pháp lý."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Chỉ báo cáo, không ghi.")

    def handle(self, *args: Any, dry_run: bool = False, verbosity: int = 1, **options: Any) -> None:
        summary = load_all(
            dry_run=dry_run, say=(lambda m: self.stdout.write(f"  {m}")) if verbosity >= 2 else None
        )
        if verbosity < 1:
            return
        prefix = "[thử, không ghi] " if dry_run else ""
        if not summary.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}Không có thay đổi: {sum(summary.unchanged.values())} quy định đã khớp tệp dữ liệu."
                )
            )
            return
        parts = [
            f"{label}: thêm {summary.created[label]}, sửa {summary.updated[label]}"
            for label in sorted(set(summary.created) | set(summary.updated))
        ]
        self.stdout.write(self.style.SUCCESS(f"{prefix}Đã nạp quy định: " + "; ".join(parts) + "."))

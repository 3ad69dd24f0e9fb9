"""Load Vietnam's administrative units of both structures, and their lineage, from ``vietnamadminunits``.

Idempotent: a second run changes nothing and says so.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gandan.geo.models import Level
from gandan.geo.services import units_load


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính cả nước (trước và sau 01/7/2025) và quan hệ sáp nhập, chia tách."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ báo cáo sẽ thay đổi gì, không ghi."
        )

    def handle(self, *args: Any, dry_run: bool = False, verbosity: int = 1, **options: Any) -> None:
        started = time.perf_counter()

        def progress(message: str) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {message}")

        summary = units_load(dry_run=dry_run, progress=progress)
        elapsed = time.perf_counter() - started
        if verbosity < 1:
            return
        prefix = "[thử, không ghi] " if dry_run else ""
        if not summary.changed:
            unchanged = sum(summary.unchanged.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}Không có thay đổi: {unchanged} bản ghi (đơn vị và quan hệ kế thừa) đã khớp dữ liệu nguồn"
                    f" ({elapsed:.1f} giây)."
                )
            )
            return
        labels = {
            Level.PROVINCE: "tỉnh",
            Level.DISTRICT: "huyện",
            Level.COMMUNE: "xã",
            "lineage": "quan hệ kế thừa",
        }
        parts = [
            f"{labels[key]}: thêm {summary.created[key]}, sửa {summary.updated[key]}, xóa {summary.removed[key]}, "
            f"giữ nguyên {summary.unchanged[key]}"
            for key in labels
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Đã nạp đơn vị hành chính ({elapsed:.1f} giây): " + "; ".join(parts) + "."
            )
        )

"""``gandan backup``: one archive with the database, the uploaded files and a manifest.

    gandan backup
    Đã sao lưu vào var/backups/gandan-backup-20261207T053000Z.tar.gz (8,4 MB): cơ sở dữ
    liệu SQLite, 74 bảng, 31.245 dòng; 12 tệp tải lên (1,2 MB).

Safe while the server runs: SQLite is copied through its online backup API, PostgreSQL
dumped with ``pg_dump -Fc`` from one snapshot. The manifest holds the gandan version, the
migrations applied, each table's row count and checksum and each file's SHA-256; the archive
and the folder ``var/backups/`` are readable by their owner only. docs/backup.md tells how to
restore (``gandan restore``) and check a backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from gandan.core.backup import BackupError, backup_create, backup_plan
from gandan.core.backup.databases import VENDOR_NAMES


def amount(number: int) -> str:
    """1234567 → 1.234.567, as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")


def size(number: int) -> str:
    """A size in bytes, in kB or MB with a decimal comma."""
    if number < 1000 * 1000:
        return f"{number / 1000:.1f} kB".replace(".", ",")
    return f"{number / 1000 / 1000:.1f} MB".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (SQLite hoặc PostgreSQL) và các tệp tải lên vào một tệp nén, "
        "kèm bản kê để kiểm tra khi khôi phục; chạy được khi máy chủ đang hoạt động. "
        "Backs up the database and uploaded files into one archive with a manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="PATH",
            default=None,
            help="Thư mục để ghi bản sao lưu (tên tệp theo thời điểm), hoặc đường dẫn một tệp "
            "mới; mặc định var/backups/.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Bí danh cơ sở dữ liệu trong cấu hình Django (mặc định: default).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="Chỉ đếm những gì sẽ được sao lưu, không ghi gì.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        output = Path(options["output"]) if options["output"] else None
        try:
            if options["dry_run"]:
                plan = backup_plan(output=output, using=options["database"])
                if verbosity >= 1:
                    self.stdout.write(
                        f"[thử, không ghi] Sẽ sao lưu vào {plan.destination}: cơ sở dữ liệu "
                        f"{VENDOR_NAMES[plan.vendor]}, {len(plan.rows)} bảng, "
                        f"{amount(sum(plan.rows.values()))} dòng; {amount(plan.media)} tệp "
                        f"tải lên ({size(plan.media_bytes)})."
                    )
                if verbosity >= 2:
                    for table, rows in plan.rows.items():
                        self.stdout.write(f"  {table}: {amount(rows)} dòng")
                return
            result = backup_create(output=output, using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            database = result.manifest["database"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã sao lưu vào {result.path} ({size(result.path.stat().st_size)}): cơ sở "
                    f"dữ liệu {VENDOR_NAMES[database['vendor']]}, {result.tables} bảng, "
                    f"{amount(result.rows)} dòng; {amount(result.media)} tệp tải lên "
                    f"({size(result.media_bytes)})."
                )
            )
        if verbosity >= 2:
            for table, recorded in result.manifest["tables"].items():
                self.stdout.write(
                    f"  {table}: {amount(recorded['rows'])} dòng, SHA-256 {recorded['sha256'][:16]}…"
                )

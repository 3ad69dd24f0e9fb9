"""``gandan restore FILE``: put a backup made by ``gandan backup`` back, then check it.

    gandan restore var/backups/gandan-backup-20261207T053000Z.tar.gz
    Đã khôi phục … (sao lưu lúc 2026-12-07T05:30:00Z, gandan 0.1.0): 74 bảng, 31.245 dòng
    khớp bản kê; 12 tệp tải lên.

Only into an empty database of the same kind (SQLite or PostgreSQL) as the backup's, unless
``--force``: a database holding gandan rows is refused. Stop the server first. Before writing
anything it checks the manifest's seal and the SHA-256 of the dump and of every file; after the
restore it reads every table again and compares row counts and checksums with the manifest,
naming any table that differs. ``--dry-run`` does every check that needs no writing — a way to
verify a backup. docs/backup.md is the guide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from gandan.core.backup import BackupError, backup_restore
from gandan.core.management.commands.backup import amount


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của `gandan backup` vào cơ sở dữ liệu trống cùng loại, "
        "khôi phục tệp tải lên, rồi đối chiếu từng bảng với bản kê. "
        "Restores a backup into an empty database and checks every table against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp sao lưu (.tar.gz) do `gandan backup` tạo.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Vẫn khôi phục khi cơ sở dữ liệu đích đã có dữ liệu gandan: dữ liệu đó bị "
            "thay toàn bộ bằng bản sao lưu.",
        )
        parser.add_argument(
            "--allow-other-key",
            action="store_true",
            dest="allow_other_key",
            help="Vẫn khôi phục khi bản sao lưu được tạo với khóa mã hóa khác (các trường mã "
            "hóa sẽ không đọc được).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Bí danh cơ sở dữ liệu đích trong cấu hình Django (mặc định: default).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="Chỉ kiểm tra bản sao lưu và cơ sở dữ liệu đích, không ghi gì.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            result = backup_restore(
                path=path,
                using=options["database"],
                force=options["force"],
                allow_other_key=options["allow_other_key"],
                dry_run=options["dry_run"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if verbosity < 1:
            return
        manifest = result.manifest
        made = f"sao lưu lúc {manifest['created_at']}, gandan {manifest['gandan_version']}"
        if options["dry_run"]:
            checked = [
                "bản kê đúng dấu niêm phong" if result.sealed else "",
                f"tệp cơ sở dữ liệu và {amount(result.media)} tệp tải lên khớp SHA-256",
                f"{result.tables} bảng, {amount(result.rows)} dòng khớp tổng kiểm"
                if result.compared
                else "",
            ]
            self.stdout.write(
                f"[thử, không ghi] Bản sao lưu {path} ({made}) nguyên vẹn: "
                + ", ".join(part for part in checked if part)
                + "."
            )
            if result.occupied:
                self.stdout.write(
                    f"Cơ sở dữ liệu đích đã có dữ liệu gandan (bảng {result.occupied}): khôi phục "
                    "thật sẽ bị từ chối nếu không có --force."
                )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã khôi phục {path} ({made}): {result.tables} bảng, {amount(result.rows)} "
                    f"dòng khớp bản kê; {amount(result.media)} tệp tải lên."
                )
            )
        if result.pending:
            self.stdout.write(
                f"Cơ sở dữ liệu trong bản sao lưu cũ hơn phiên bản gandan này: hãy chạy "
                f"`gandan migrate` ({len(result.pending)} ứng dụng có migration mới, ví dụ "
                f"{result.pending[0]})."
            )
        if verbosity >= 2:
            for table, recorded in manifest["tables"].items():
                self.stdout.write(f"  {table}: {amount(recorded['rows'])} dòng")

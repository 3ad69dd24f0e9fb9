"""Classify a year's households again after a correction of the poverty standard's rules.

``gandan reclassify --year 2026 --province 46`` asks for the job the jobs screen starts: the
background worker (``gandan db_worker``, started by ``gandan serve``) does it, and
``/households/jobs/<id>/`` shows its progress. With ``--wait``, or when no worker is
configured (``GANDAN_TASKS_BACKEND=immediate``), it runs here with a progress bar instead.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gandan.core.jobs import runs_in_background
from gandan.households.tasks import reclassify, reclassify_job


class Command(BaseCommand):
    help = (
        "Phân loại lại mọi phiếu rà soát hiện hành của một năm theo chuẩn nghèo đang nạp "
        "(sau khi đính chính quy định bằng `gandan load_rules`). Phiếu không đổi kết quả được "
        "giữ nguyên; năm đã có quyết định công nhận thì thay đổi được ghi thành đính chính có "
        "ngày, bản cũ vẫn còn. Không có --dry-run: lệnh không xóa hay sửa số liệu khảo sát, "
        "chạy lại bao nhiêu lần cũng cho cùng kết quả; muốn xem trước quy định sẽ đổi gì, dùng "
        "`gandan load_rules --dry-run`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Năm rà soát")
        parser.add_argument(
            "--province",
            default="",
            help="Mã tỉnh, thành phố (ví dụ 46); bỏ trống là mọi tỉnh, thành phố",
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Chạy ngay trong lệnh này, có thanh tiến độ, thay vì giao cho tiến trình chạy nền",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Không hiện thanh tiến độ khi chạy ngay"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        inline = options["wait"] or not runs_in_background()
        try:
            job = reclassify_job(
                year=options["year"], province_code=options["province"] or None, enqueue=not inline
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not inline:
            if verbosity >= 1:
                self.stdout.write(
                    f"Đã xếp hàng tác vụ số {job.pk}: {job.label}.\n"
                    "Tiến trình chạy nền (`gandan db_worker`, do `gandan serve` khởi động) sẽ "
                    f"thực hiện; xem tiến độ tại /households/jobs/{job.pk}/ hoặc chạy lại lệnh "
                    "với --wait để làm ngay."
                )
            return
        with tqdm(
            desc=f"Phân loại lại năm {options['year']}",
            unit=" phiếu",
            file=sys.stderr,
            disable=options["no_progress"] or verbosity < 1,
            dynamic_ncols=True,
        ) as bar:

            def echo(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                counts = reclassify(job.pk, echo=echo)
            except Exception:
                job.refresh_from_db()
                raise CommandError(f"Tác vụ số {job.pk} không hoàn thành: {job.error}") from None
        job.refresh_from_db()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Tác vụ số {job.pk}: {job.message}"))
        if verbosity >= 2:
            self.stdout.write(", ".join(f"{key}={value}" for key, value in counts.items()))

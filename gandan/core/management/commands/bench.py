"""Run the benchmarks in ``bench/``: each figure beside a hand-written baseline measured in the same run.

gandan bench                 # all, on the configured database
gandan bench --only search --repeat 200 --markdown
"""

from __future__ import annotations

import platform
import sys
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

BENCH_MODULES = [
    "bench.bench_units",
    "bench.bench_officials",
    "bench.bench_feedback",
    "bench.bench_households",
    "bench.bench_onestop",
    "bench.bench_pages",
]


class Command(BaseCommand):
    help = "Đo hiệu năng (thư mục bench/), so với truy vấn SQL viết tay trên cùng dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", help="Chỉ chạy bài đo này (có thể lặp lại)")
        parser.add_argument(
            "--repeat", type=int, default=50, help="Số lần lặp mỗi phép đo (lấy trung vị)"
        )
        parser.add_argument(
            "--markdown", action="store_true", help="In bảng Markdown cho docs/performance.md"
        )

    def handle(
        self, *args: Any, only: list[str] | None, repeat: int, markdown: bool, **options: Any
    ) -> None:
        sys.path.insert(0, str(settings.BASE_DIR))
        benchmarks: dict[str, Any] = {}
        for module in BENCH_MODULES:
            benchmarks.update(import_module(module).BENCHMARKS)
        unknown = set(only or []) - set(benchmarks)
        if unknown:
            raise CommandError(
                f"Không có bài đo: {', '.join(sorted(unknown))}. Có: {', '.join(benchmarks)}."
            )
        results = []
        for name, function in benchmarks.items():
            if only and name not in only:
                continue
            self.stderr.write(f"… {name}")
            results.extend(function(repeat))
        header = (
            f"{timezone.now():%Y-%m-%d %H:%M %Z} · {platform.machine()} · "
            f"{_cpu()} · Python {platform.python_version()} · {connection.vendor} · median of {repeat}"
        )
        if markdown:
            self.stdout.write(f"_{header}_\n")
            self.stdout.write(
                "| benchmark | gandan (ms) | baseline (ms) | ratio | baseline is | note |"
            )
            self.stdout.write("|---|---:|---:|---:|---|---|")
            for r in results:
                self.stdout.write(
                    f"| {r.name} | {r.gandan_ms:.2f} | {r.baseline_ms:.2f} | {r.ratio:.1f}× | {r.baseline} | {r.note} |"
                )
        else:
            self.stdout.write(header)
            for r in results:
                self.stdout.write(
                    f"{r.name:<48} {r.gandan_ms:>10.2f} ms  baseline {r.baseline_ms:>9.2f} ms  ×{r.ratio:.1f}"
                    + (f"  {r.note}" if r.failed else "")
                )
        failed = [r.name for r in results if r.failed]
        if failed:
            raise CommandError(
                f"{len(failed)} phép đo không đạt mục tiêu: {'; '.join(failed[:20])}"
                + ("; …" if len(failed) > 20 else "")
            )


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip() + f" ({_cores()} cores, {_memory()})"
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
    except (OSError, ValueError, IndexError):
        return "memory unknown"
    return f"{kib / 1024 / 1024:.0f} GiB"


def _cores() -> int:
    import os

    return os.cpu_count() or 1

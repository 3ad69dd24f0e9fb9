"""Load the Huế demo: real units for the whole country, generated villages, people and records for Huế.

``--scale 1`` (the default) reproduces the published figures; ``--scale 0.1`` is for quick
starts and tests. Each stage shows a progress bar; the demo logins are printed at the end.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.accounts.demo import ACCOUNTS
from gandan.core.demo import DEMO_PASSWORD, run_demo
from gandan.geo.models import Unit


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn của thành phố Huế (đơn vị hành chính thật, dữ liệu người dân sinh ngẫu nhiên)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Tỉ lệ dữ liệu sinh ra (1 = đầy đủ, 0.1 = nhanh)",
        )
        parser.add_argument(
            "--seed", type=int, default=46, help="Hạt giống ngẫu nhiên, để kết quả lặp lại được"
        )
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Chỉ nạp khi cơ sở dữ liệu chưa có đơn vị hành chính (dùng cho make run); luôn in tài khoản.",
        )

    def handle(self, *args: Any, scale: float, seed: int, **options: Any) -> None:
        if not 0 < scale <= 1:
            raise CommandError("--scale phải lớn hơn 0 và không quá 1.")
        if options["if_empty"] and Unit.objects.exists():
            if options["verbosity"] < 1:
                return
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu, không nạp lại dữ liệu trình diễn.")
            self._print_logins([(u, str(r.label), c) for u, _n, r, c in ACCOUNTS])
            return
        started = time.perf_counter()
        verbosity = options["verbosity"]
        ctx = run_demo(
            scale=scale,
            seed=seed,
            out=self.stdout,
            show_progress=not options["no_progress"] and verbosity >= 1,
            verbosity=verbosity,
        )
        if verbosity < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu trình diễn trong {time.perf_counter() - started:.0f} giây."
            )
        )
        self._print_logins(ctx.logins)

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        if not logins:
            return
        self.stdout.write("\nTài khoản trình diễn (mật khẩu chung: " + DEMO_PASSWORD + "):")
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<22} {role:<38} {unit}")

"""Load the Huế demo: real units for the whole country, generated villages, people and records for Huế.

``--scale 1`` (the default) reproduces the published figures; ``--scale 0.1`` is for quick
starts and tests. Each stage shows a progress bar; the demo logins are printed at the end.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.accounts.demo import ACCOUNTS
from gandan.core.demo import DEMO_PASSWORD, PROVINCE_CODE, run_demo
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
        if settings.GANDAN_PROVINCE != PROVINCE_CODE:
            self._other_province(if_empty=options["if_empty"], verbosity=options["verbosity"])
            return
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

    def _other_province(self, *, if_empty: bool, verbosity: int) -> None:
        """An installation of another province: the demo (Huế's people) does not belong there.

        ``--if-empty`` (``make run``) still loads the country's units, so that the province can
        be served and its first accounts granted; a plain ``demo`` is refused.
        """
        message = (
            f"Dữ liệu trình diễn là của Thành phố Huế (mã {PROVINCE_CODE}); hệ thống này phục vụ "
            f"tỉnh, thành phố mã {settings.GANDAN_PROVINCE} (GANDAN_PROVINCE)."
        )
        if not if_empty:
            raise CommandError(message)
        if not Unit.objects.exists():
            call_command("load_units", verbosity=0)
        if verbosity >= 1:
            self.stdout.write(
                message + " Đã nạp đơn vị hành chính; cấp tài khoản bằng "
                "`gandan grant TÊN VAI_TRÒ MÃ_ĐƠN_VỊ --password-stdin`."
            )

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        if not logins:
            return
        self.stdout.write("\nTài khoản trình diễn (mật khẩu chung: " + DEMO_PASSWORD + "):")
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<22} {role:<38} {unit}")

"""Serve gandan with gunicorn (static files through whitenoise), not Django's development server."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Chạy máy chủ web gunicorn phục vụ gandan (mặc định http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="Cổng (mặc định 8000)",
        )
        parser.add_argument(
            "--host", default=os.environ.get("GANDAN_HOST", "127.0.0.1"), help="Địa chỉ lắng nghe"
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("GANDAN_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("GANDAN_THREADS", "4"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "gandan.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"gandan đang chạy tại http://{options['host']}:{options['port']}/ (Ctrl+C để dừng)"
            )
            self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn, by design

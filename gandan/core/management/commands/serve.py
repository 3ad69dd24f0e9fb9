"""Serve gandan with granian (static files through whitenoise), not Django's development server,
and the background worker (``gandan db_worker``) beside it when jobs are queued in the database.

The two run as child processes, each in its own process group, so that a Ctrl+C reaches only
this command, which then stops both once: granian finishes its requests, the worker its
current job. A second Ctrl+C stops the worker at once (its job is then marked as interrupted).
If either child exits on its own, the other is stopped too and the command exits with an error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.jobs import runs_in_background

STOP_TIMEOUT = 30.0  # seconds to wait for granian after asking it to stop, before killing it
# What the last collectstatic collected: the fingerprint of its sources, kept in the var folder
# beside STATIC_ROOT (not in it: whitenoise would serve it).
COLLECTED_STAMP = "static-collected"


def static_fingerprint() -> str:
    """Every static source file (name, size, modification time) and how they are stored:
    when it has not changed since the last collectstatic, collecting again would only redo
    the same work (≈ 12 s, most of it compressing the API documentation's scripts)."""
    lines = [
        str(settings.STATIC_ROOT),
        repr(settings.STORAGES["staticfiles"]),
        repr(settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS),
    ]
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            lines.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return "\n".join(sorted(lines))


def collect_static_if_changed() -> bool:
    """Run collectstatic unless its sources are those it last collected; True if it ran."""
    stamp = Path(settings.VAR_DIR) / COLLECTED_STAMP
    fingerprint = static_fingerprint()
    collected = stamp.exists() and (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()
    if collected and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web granian phục vụ gandan (mặc định http://127.0.0.1:8000) và tiến trình "
        "chạy nền thực hiện các tác vụ dài (gandan db_worker)."
    )

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
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Không khởi động tiến trình chạy nền (khi nó chạy thành dịch vụ riêng)",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Không gom lại tệp tĩnh (mặc định: gom lại khi tệp tĩnh nguồn đã thay đổi)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            collect_static_if_changed()
        commands = {
            "granian": [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                options["host"],
                "--port",
                str(options["port"]),
                "--workers",
                str(options["workers"]),
                # WSGI requests run on these threads (per worker), as gunicorn's --threads.
                "--blocking-threads",
                str(options["threads"]),
                "--access-log",
                "--log-level",
                "warning",
                # Requests still running when asked to stop get this long to finish.
                "--workers-kill-timeout",
                "10",
                "gandan.wsgi:application",
            ]
        }
        if not options["no_worker"] and runs_in_background():
            commands["db_worker"] = [
                sys.executable,
                "-m",
                "gandan",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                f"--verbosity={options['verbosity']}",
            ]
        verbose = options["verbosity"] >= 1
        children = {
            name: subprocess.Popen(argv, process_group=0)  # noqa: S603 - our own programs, fixed arguments
            for name, argv in commands.items()
        }
        if verbose:
            worker = "có" if "db_worker" in children else "không có"
            self.stdout.write(
                f"gandan đang chạy tại http://{options['host']}:{options['port']}/ "
                f"({worker} tiến trình chạy nền; Ctrl+C để dừng)"
            )
            self.stdout.flush()
        code = self._supervise(children, verbose)
        if code:
            raise CommandError(f"Một tiến trình con đã dừng bất thường (mã {code}).")

    def _supervise(self, children: dict[str, subprocess.Popen[bytes]], verbose: bool) -> int:
        """Wait until asked to stop or until a child exits; stop the others. The exit code."""
        signals_received = 0

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal signals_received
            signals_received += 1
            if verbose and signals_received == 1 and "db_worker" in children:
                self.stdout.write(
                    "Đang dừng: chờ tiến trình chạy nền làm xong việc đang làm "
                    "(Ctrl+C lần nữa để dừng ngay)."
                )
                self.stdout.flush()
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        code = 0
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.2)
        if not signals_received:
            exited = next(name for name, child in children.items() if child.poll() is not None)
            code = children[exited].returncode or 1
            self.stderr.write(f"{exited} đã dừng (mã {children[exited].returncode}).")
            stop(signal.SIGTERM, None)
        # The web server has its graceful timeout; the worker may be in the middle of a job,
        # which it finishes unless a second signal arrives (the handler stays installed).
        for name, child in children.items():
            if name == "db_worker":
                child.wait()
                continue
            try:
                child.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return code

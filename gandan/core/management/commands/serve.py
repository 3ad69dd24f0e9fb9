"""Serve gandan with granian (static files through whitenoise), not Django's development server,
and the background worker (``gandan db_worker``) beside it when jobs are queued in the database.

The two run as child processes, each in its own process group, so that a Ctrl+C reaches only
this command, which then stops both once: granian finishes its requests, the worker its
current job. A second Ctrl+C stops the worker at once (its job is then marked as interrupted).

The server supervises itself: granian starts a new web worker in place of one that dies
(``--respawn-failed-workers``), and this command starts the background worker again when it
exits on its own, waiting longer each time it fails soon after starting (1 s, 2 s, … 60 s).
Only when granian itself exits is everything stopped, with an error.
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
# The background worker, started again after it exits on its own: the wait before a restart
# doubles while it keeps failing within STABLE_AFTER seconds of its start, up to the maximum.
RESTART_FIRST_WAIT = 1.0
RESTART_MAX_WAIT = 60.0
STABLE_AFTER = 60.0
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
                # A worker that dies (a crash, the kernel's OOM killer) is replaced.
                "--respawn-failed-workers",
                "--respawn-interval",
                "1",
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
        if verbose:
            worker = "có" if "db_worker" in commands else "không có"
            self.stdout.write(
                f"gandan đang chạy tại http://{options['host']}:{options['port']}/ "
                f"({worker} tiến trình chạy nền; Ctrl+C để dừng)"
            )
            self.stdout.flush()
        code = Supervisor(commands, essential="granian", command=self, verbose=verbose).run()
        if code:
            raise CommandError(f"Một tiến trình con đã dừng bất thường (mã {code}).")


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, process_group=0)  # noqa: S603 - our own programs, fixed arguments


class Supervisor:
    """Run the child processes until asked to stop or until the essential one exits; start
    the others again when they exit on their own. ``run`` returns the exit code."""

    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        essential: str,
        command: BaseCommand,
        verbose: bool,
        poll: float = 0.2,
    ) -> None:
        self.commands = commands
        self.essential = essential
        self.command = command
        self.verbose = verbose
        self.poll = poll
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.started: dict[str, float] = {}
        self.waits: dict[str, float] = dict.fromkeys(commands, RESTART_FIRST_WAIT)
        self.restart_at: dict[str, float] = {}
        self.signals_received = 0

    def _launch(self, name: str) -> None:
        self.children[name] = _start(self.commands[name])
        self.started[name] = time.monotonic()

    def _stop_all(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self.signals_received += 1
        if self.verbose and self.signals_received == 1 and "db_worker" in self.children:
            self.command.stdout.write(
                "Đang dừng: chờ tiến trình chạy nền làm xong việc đang làm "
                "(Ctrl+C lần nữa để dừng ngay)."
            )
            self.command.stdout.flush()
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    def _restart_later(self, name: str, returncode: int) -> None:
        """Schedule a restart of a child that exited on its own, backing off while it fails."""
        now = time.monotonic()
        if now - self.started[name] >= STABLE_AFTER:
            self.waits[name] = RESTART_FIRST_WAIT
        wait = self.waits[name]
        self.waits[name] = min(wait * 2, RESTART_MAX_WAIT)
        self.restart_at[name] = now + wait
        self.command.stderr.write(
            f"{name} đã dừng (mã {returncode}); khởi động lại sau {wait:g} giây."
        )

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._stop_all)
        for name in self.commands:
            self._launch(name)
        code = 0
        while not self.signals_received:
            essential = self.children[self.essential]
            if essential.poll() is not None:
                code = essential.returncode or 1
                self.command.stderr.write(f"{self.essential} đã dừng (mã {essential.returncode}).")
                self._stop_all()
                break
            now = time.monotonic()
            for name, child in self.children.items():
                if name in self.restart_at:
                    if now >= self.restart_at[name]:
                        del self.restart_at[name]
                        self._launch(name)
                elif child.poll() is not None:
                    self._restart_later(name, child.returncode)
            time.sleep(self.poll)
        # The web server has its graceful timeout; the worker may be in the middle of a job,
        # which it finishes unless a second signal arrives (the handler stays installed).
        for name, child in self.children.items():
            if name != self.essential:
                child.wait()
                continue
            try:
                child.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return code

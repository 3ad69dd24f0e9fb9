"""``gandan serve`` supervises itself: a web worker that dies is replaced while the others go
on serving, and the background worker is started again when it exits on its own."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management.base import BaseCommand

from gandan.core.management.commands import serve
from gandan.core.testing.browser import _free_port, _gandan, _stop, _throwaway_database


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _supervise_for(seconds: float, supervisor: serve.Supervisor) -> int:
    """Run the supervisor in this (main) thread for a while, then stop it as Ctrl+C would."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    timer = threading.Timer(seconds, supervisor._stop_all)
    timer.start()
    try:
        return supervisor.run()
    finally:
        timer.cancel()
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def test_the_background_worker_is_started_again_with_a_growing_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "RESTART_FIRST_WAIT", 0.2)
    starts = tmp_path / "starts"
    command = BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())
    supervisor = serve.Supervisor(
        {
            "granian": _python("import time; time.sleep(60)"),
            # Dies at once, every time: restarted after 0.2 s, 0.4 s, 0.8 s, …
            "db_worker": _python(f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)"),
        },
        essential="granian",
        command=command,
        verbose=False,
        poll=0.05,
    )
    assert _supervise_for(2.5, supervisor) == 0
    launches = len(starts.read_text())
    assert 3 <= launches <= 5  # 0 s, 0.2, 0.6, 1.4 (and 3.0 is past the end)
    assert supervisor.waits["db_worker"] >= 1.6
    assert "db_worker đã dừng (mã 3); khởi động lại sau 0.2 giây." in command.stderr.getvalue()
    assert all(child.poll() is not None for child in supervisor.children.values())


def test_when_the_web_server_exits_everything_stops_with_its_code(tmp_path: Path) -> None:
    command = BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())
    supervisor = serve.Supervisor(
        {
            "granian": _python("raise SystemExit(4)"),
            "db_worker": _python("import time; time.sleep(60)"),
        },
        essential="granian",
        command=command,
        verbose=False,
        poll=0.05,
    )
    started = time.monotonic()
    assert _supervise_for(30, supervisor) == 4
    assert time.monotonic() - started < 10  # the worker was asked to stop, not waited for
    assert "granian đã dừng (mã 4)." in command.stderr.getvalue()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces, so split after its closing bracket.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://127.0.0.1
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").exists(), reason="finds granian's workers through /proc")
def test_a_killed_web_worker_is_replaced_under_load(tmp_path: Path) -> None:
    with _throwaway_database(tmp_path) as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "GANDAN_VAR_DIR": str(tmp_path),
            "GANDAN_DEBUG": "0",
            "PYTHONUNBUFFERED": "1",
        }
        port = _free_port()
        url = f"http://127.0.0.1:{port}/healthz"
        log = tmp_path / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
                _gandan("serve", "--port", str(port), "--no-collectstatic", "--no-worker"),
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + 60
            while not _healthy(url):
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            (granian,) = _children(server.pid)
            workers = _children(granian)
            assert len(workers) == 2

            answered: list[tuple[float, bool]] = []
            stop = threading.Event()

            def load() -> None:
                while not stop.is_set():
                    answered.append((time.monotonic(), _healthy(url)))

            clients = [threading.Thread(target=load) for _ in range(4)]
            for client in clients:
                client.start()
            time.sleep(1)
            killed_at = time.monotonic()
            os.kill(workers[0], signal.SIGKILL)
            time.sleep(8)
            stop.set()
            for client in clients:
                client.join()

            assert server.poll() is None, log.read_text()
            replaced = _children(granian)
            assert len(replaced) == 2 and workers[0] not in replaced
            after = [ok for at, ok in answered if at > killed_at + 5]
            assert after and all(after), f"{after.count(False)} of {len(after)} failed"
            assert "Unexpected exit from worker" in log.read_text()
        finally:
            _stop(server)

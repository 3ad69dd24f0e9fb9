"""Pytest fixtures for browser tests: a real ``gandan serve`` server and Debian's Chromium.

Import them in a test module (they are not registered globally)::

    from gandan.core.testing.browser import live_gandan, browser_page  # noqa: F401

``live_gandan`` (session) builds a throwaway database next to the configured one — a fresh
SQLite file, or a ``gandan_e2e_<pid>`` database on the same PostgreSQL server — migrates it,
loads the demo data (``gandan demo --scale 0.1``), starts ``gandan serve`` on a free port and
yields its base URL. ``browser_page`` (function) yields a Playwright page in a fresh browser
context (locale vi-VN) whose ``base_url`` is that server, so ``page.goto("/units/")`` works.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "gandan-hue-2026"  # noqa: S105 - the published password of the demo accounts
SERVER_START_TIMEOUT = 120.0
VIEWPORT = {"width": 1280, "height": 900}


def _gandan(*args: str) -> list[str]:
    return [sys.executable, "-m", "gandan", *args]


def _run(args: list[str], env: dict[str, str], timeout: float) -> None:
    result = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args[2:])} failed with exit code {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _throwaway_database(var_dir: Path) -> Iterator[str]:
    """Yield the DATABASE_URL of an empty database of the same engine as the configured one."""
    from django.conf import settings

    db: Any = settings.DATABASES["default"]
    engine = db["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        yield f"sqlite:///{var_dir / 'e2e.sqlite3'}"
        return
    if "postgresql" not in engine:
        pytest.fail(f"Browser tests support SQLite and PostgreSQL, not {engine}.", pytrace=False)

    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = f"gandan_e2e_{os.getpid()}"
    server = {
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    maintenance = make_conninfo(dbname="postgres", **{k: v for k, v in server.items() if v})

    def execute(statement: sql.Composed) -> None:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(statement)

    execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        user = quote(str(db.get("USER") or ""), safe="")
        password = quote(str(db.get("PASSWORD") or ""), safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or ""
        port = f":{db['PORT']}" if db.get("PORT") else ""
        yield f"postgres://{auth}{host}{port}/{name}"
    finally:
        execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    problem = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            problem = f"the server exited with code {server.returncode}"
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://127.0.0.1
                if response.status == 200:
                    return
                problem = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
        except OSError as exc:
            problem = str(exc)
        time.sleep(0.2)
    else:
        problem = f"no 200 within {SERVER_START_TIMEOUT:.0f} s (last: {problem})"
    output = log.read_text(errors="replace") if log.exists() else ""
    pytest.fail(f"gandan serve did not start: {problem}. Server output:\n{output}", pytrace=False)


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    except ProcessLookupError:
        server.wait(timeout=5)


# The live server's environment, for tests that act on its database through `python -m gandan …`.
_LIVE_ENV: dict[str, str] = {}


def live_shell(env: dict[str, str], script: str) -> Any:
    """Run ``script`` with ``python -m gandan shell`` in the live server's environment (``env``:
    the ``live_gandan_env`` fixture) and read the last line it prints as JSON."""
    result = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        _gandan("shell", "-c", script),
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr  # noqa: S101 - a test helper
    return json.loads(result.stdout.strip().splitlines()[-1])


def sign_in(page: Any, username: str) -> None:
    """Sign ``username`` in through the login form, with the demo password, after dropping the
    page's cookies (whoever was signed in before); the staff home page follows."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


@pytest.fixture(scope="session")
def live_gandan_env(live_gandan: str) -> dict[str, str]:
    """The live server's environment (DATABASE_URL, GANDAN_VAR_DIR, …)."""
    return dict(_LIVE_ENV)


@pytest.fixture(scope="session")
def live_gandan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>``) of a real gandan server on its own demo database."""
    var_dir = tmp_path_factory.mktemp("gandan-e2e")
    with _throwaway_database(var_dir) as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "GANDAN_VAR_DIR": str(var_dir),
            "GANDAN_ENV": "embedded",
            "GANDAN_DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        _LIVE_ENV.update(env)
        _run(_gandan("migrate", "--noinput", "-v0"), env, timeout=300)
        _run(_gandan("demo", "--scale", "0.1", "--no-progress", "-v0"), env, timeout=600)
        # Collected before the server starts, so that its start is not timed with it.
        _run(_gandan("collectstatic", "--noinput", "-v0"), env, timeout=600)

        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = var_dir / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
                _gandan("serve", "--port", str(port), "--no-collectstatic"),
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so granian's workers stop too
            )
        try:
            _wait_until_healthy(f"{base_url}/healthz", server, log)
            yield base_url
        finally:
            _stop(server)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium, launched once per session through Playwright."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) "
            "to run the browser tests (pytest -m 'not browser' skips them).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(live_gandan: str, chromium_browser: Any) -> Iterator[Any]:
    """A fresh page (own cookies, locale vi-VN) whose relative URLs go to ``live_gandan``."""
    context = chromium_browser.new_context(
        base_url=live_gandan, locale="vi-VN", viewport=VIEWPORT, timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()

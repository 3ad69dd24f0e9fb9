"""Test setup shared by every app.

The real units of both structures are loaded once per test database (≈ 2 s) and every
test then runs inside a transaction that is rolled back, so tests see real data and
leave none behind. The network is blocked: only loopback connections are allowed.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

# Fixtures for every app. Defined once here, so that the session-wide live server is shared
# by all browser tests instead of one per module.
from gandan.core.testing.browser import (  # noqa: F401
    browser_page,
    chromium_browser,
    live_gandan,
    live_gandan_env,
)
from gandan.core.testing.personas import personas  # noqa: F401


def pytest_configure(config: Any) -> None:
    # Uploaded files of tests go to a throw-away folder, never into var/.
    import tempfile

    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="gandan-test-media-")
    # Argon2 costs about a tenth of a second a hash: tests hash with one round of PBKDF2
    # (the hashing itself is tested in accounts/tests/test_grant_and_token.py).
    settings.PASSWORD_HASHERS = [
        "gandan.core.testing.hashers.FastPBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    # The shared cache (rate limits) of a test run is its own, never var/'s.
    if "filebased" in settings.CACHES["default"]["BACKEND"]:
        settings.CACHES = {
            "default": {
                **settings.CACHES["default"],
                "LOCATION": tempfile.mkdtemp(prefix="gandan-test-cache-"),
            }
        }
    # Figures are computed on every request, so that a test sees its own changes at once
    # (keeping them is tested in core/tests/test_figures.py).
    settings.GANDAN_FIGURES_MAX_AGE = 0
    # Tests render templates without running collectstatic first, and serve no collected
    # files: whitenoise reads every file under STATIC_ROOT each time a test client starts
    # (var/static holds hundreds once `gandan serve` has run: a tenth of a second a client).
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="gandan-test-static-")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    # A browser test starts a live server with a small demo (about two minutes once per run):
    # it belongs to the slow step, with the full-scale demo, not to `make check`.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from django.db import connection

    from gandan.core.rules import load_all
    from gandan.geo.services import units_load

    # Only ever into a test database: when pytest-django made none (no test asked for the
    # database), the connection would be the configured one.
    name = str(connection.settings_dict["NAME"])
    test_name = connection.settings_dict.get("TEST", {}).get("NAME")
    if not (name.startswith("test_") or "memory" in name or (test_name and name == test_name)):
        pytest.fail(f"Refusing to load units into {name!r}: not a test database.", pytrace=False)
    with django_db_blocker.unblock():
        units_load()
        load_all()


_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if (
        isinstance(host, str)
        and not (host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/"))
        and self.family in (socket.AF_INET, socket.AF_INET6)
    ):
        raise OSError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and cached figures live in the cache: no test inherits another's."""
    from django.core.cache import cache

    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield

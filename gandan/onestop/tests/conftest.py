"""Set-up shared by the one-stop tests that drive the screens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from gandan.onestop.tests.factories import at


@pytest.fixture
def march_20() -> Iterator[None]:
    """The clock stands at 09:00 on Friday 20 March 2026 (Việt Nam time)."""
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        yield


@pytest.fixture
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

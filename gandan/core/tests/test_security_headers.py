"""Personal data stays out of caches, the embedded files are the server's own, and pages run
only the scripts that carry their nonce (production's own settings: test_settings.py)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from gandan.core.security import owner_only


def test_owner_only_takes_away_the_group_and_others(tmp_path: Path) -> None:
    database = tmp_path / "gandan.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    tmp_path.chmod(0o755)
    owner_only(database)
    owner_only(tmp_path)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    owner_only(tmp_path / "missing")  # nothing to do


def test_the_var_folder_is_the_servers_own() -> None:
    assert stat.S_IMODE(Path(settings.VAR_DIR).stat().st_mode) == 0o700


@pytest.mark.django_db
def test_pages_are_not_stored_and_run_only_scripts_with_their_nonce(personas) -> None:  # type: ignore[no-untyped-def]
    response = personas.client("official_a").get("/feedback/new/")
    assert response["Cache-Control"] == "no-store"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    page = response.content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    assert Client().get("/api/v1/units/")["Cache-Control"] == "no-store"

"""Production settings refuse to start unsafely; the embedded mode needs nothing set."""

import os
import stat
import subprocess
import sys

import pytest

SHOW = "import gandan.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
PRODUCTION = {
    "GANDAN_ENV": "production",
    "GANDAN_SECRET_KEY": "Qm7-vLx2_pR9zK4wT8nB3cY6hJ1dF5sG0aE" * 2,
    "GANDAN_FIELD_KEY": "w3Hq-8vZ_fK2pL9xT4mC7nB1rY6dJ5sG0aE",
}


def load_settings(tmp_path, *args, **env):
    """Run ``python -c SHOW`` (or ``python -m gandan ARGS``) with only ``env`` configured."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("GANDAN_", "DATABASE_URL"))
    }
    environment.update({"GANDAN_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, *(["-m", "gandan", *args] if args else ["-c", SHOW])],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_mode_uses_sqlite_and_keeps_a_generated_key(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sqlite3 False" in result.stdout
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    load_settings(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.parametrize(
    "env",
    [
        {"GANDAN_ENV": "production"},
        {"GANDAN_ENV": "production", "GANDAN_SECRET_KEY": "django-insecure-" + "x" * 50},
        {"GANDAN_ENV": "production", "GANDAN_SECRET_KEY": "short"},
        {
            "GANDAN_ENV": "production",
            "GANDAN_SECRET_KEY": "k" * 20 + "9s8d7f6g5h4j3k2l1zxcvbnmqwertyuiop",
            "GANDAN_DEBUG": "1",
        },
    ],
)
def test_production_refuses_an_insecure_key_or_debug(tmp_path, env):
    result = load_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_starts_with_a_good_key_and_postgres(tmp_path):
    result = load_settings(
        tmp_path, **PRODUCTION, DATABASE_URL="postgres://gandan@db.example/gandan"
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql False" in result.stdout


def test_production_passes_djangos_deployment_checks(tmp_path):
    result = load_settings(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        ALLOWED_HOSTS="gandan.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_own_field_key(tmp_path):
    result = load_settings(tmp_path, **{**PRODUCTION, "GANDAN_FIELD_KEY": ""})
    assert result.returncode != 0
    assert "GANDAN_FIELD_KEY must be set in production" in result.stderr


def test_the_embedded_field_key_is_its_own_owner_only_file(tmp_path):
    fresh = tmp_path / "fresh"
    assert load_settings(fresh).returncode == 0
    key = fresh / "field_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text() != (fresh / "secret_key").read_text()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    # An installation that encrypted under its secret key keeps that key for its data.
    older = tmp_path / "older"
    older.mkdir()
    (older / "secret_key").write_text("an-older-installations-secret-key")
    assert load_settings(older).returncode == 0
    assert (older / "field_key").read_text() == "an-older-installations-secret-key"


@pytest.mark.django_db
def test_postgresql_compiles_no_statement_of_gandan():
    """JIT costs a report statement more than it saves at Huế's scale (decision 0014)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

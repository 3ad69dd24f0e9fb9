"""Production settings refuse to start unsafely; the embedded mode needs nothing set."""

import os
import subprocess
import sys

import pytest


def load_settings(tmp_path, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("GANDAN_", "DATABASE_URL"))
    }
    environment.update({"GANDAN_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import gandan.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
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
        tmp_path,
        GANDAN_ENV="production",
        GANDAN_SECRET_KEY="Qm7-vLx2_pR9zK4wT8nB3cY6hJ1dF5sG0aE" * 2,
        DATABASE_URL="postgres://gandan@db.example/gandan",
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql False" in result.stdout

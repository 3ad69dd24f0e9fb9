"""``gandan serve`` collects the static files only when their sources changed since the last
collection (each collection compresses every file again: ≈ 12 s)."""

import os
from pathlib import Path
from typing import Any

import pytest

from gandan.core.management.commands import serve


@pytest.fixture
def folders(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "site.css").write_text("body { color: #123; }")
    settings.STATICFILES_DIRS = [sources]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.VAR_DIR = tmp_path
    runs: list[str] = []

    def collectstatic(name: str, **options: Any) -> None:
        # Stands in for Django's collectstatic (its work is Django's): leaves a manifest.
        runs.append(name)
        Path(settings.STATIC_ROOT).mkdir(exist_ok=True)
        (Path(settings.STATIC_ROOT) / "staticfiles.json").write_text("{}")

    monkeypatch.setattr(serve, "call_command", collectstatic)
    return {"sources": sources, "runs": runs, "root": Path(settings.STATIC_ROOT)}


def test_collects_once_then_only_when_a_source_changes(folders):
    assert serve.collect_static_if_changed() is True
    assert serve.collect_static_if_changed() is False
    assert folders["runs"] == ["collectstatic"]

    css = folders["sources"] / "site.css"
    css.write_text("body { color: #456; }")
    os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000))
    assert serve.collect_static_if_changed() is True
    (folders["sources"] / "new.js").write_text("let x = 1;")
    assert serve.collect_static_if_changed() is True
    assert serve.collect_static_if_changed() is False
    assert len(folders["runs"]) == 3


def test_collects_again_when_the_collected_files_are_gone(folders):
    assert serve.collect_static_if_changed() is True
    (folders["root"] / "staticfiles.json").unlink()
    assert serve.collect_static_if_changed() is True


def test_the_stamp_is_not_among_the_served_files(folders):
    serve.collect_static_if_changed()
    assert not any(folders["root"].rglob(serve.COLLECTED_STAMP))

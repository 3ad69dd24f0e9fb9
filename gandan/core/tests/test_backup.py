"""``gandan backup`` and ``gandan restore``, on the database the suite runs on.

A backup reads committed rows only (pg_dump is another session), so the rows cannot be made
inside a test's rolled-back transaction: the module copies the test database into a throwaway
one (SQLite: a file; PostgreSQL: ``CREATE DATABASE … TEMPLATE``), makes it the default
database, fills it through the services and backs it up once. Each restore goes into a new
empty database under another alias, dropped afterwards; the test database itself is never
written. The ``django_db`` mark only makes pytest-django set up the test database (and wraps
each test in a transaction on the copy, which the tests do not write through).
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import io
import json
import os
import sqlite3
import stat
import tarfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import override_settings

from gandan.accounts.models import User
from gandan.accounts.services import token_renew
from gandan.core import crypto
from gandan.core.backup import (
    BackupError,
    ChecksumMismatch,
    backup_create,
    backup_restore,
    table_sums,
)
from gandan.core.backup import archive as backup_archive
from gandan.core.backup.checksums import canonical
from gandan.core.backup.databases import gandan_table_with_rows
from gandan.core.models import Event
from gandan.core.testing.personas import PASSWORD, make_personas
from gandan.feedback.models import Category, Channel, Photo
from gandan.feedback.services import report_submit
from gandan.feedback.tests.helpers import png
from gandan.households.models import Assessment, Household
from gandan.households.tests.factories import assess, household
from gandan.onestop.models import Dossier
from gandan.onestop.tests.factories import MARITAL, receive

pytestmark = pytest.mark.django_db

TARGET = "backup_target"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Source:
    archive: Path
    backups: Path
    media: Path
    dossier_code: str
    report_code: str
    households: int


def _server(settings_dict: dict[str, Any]) -> dict[str, Any]:
    keys = {"user": "USER", "password": "PASSWORD", "host": "HOST", "port": "PORT"}
    return {name: settings_dict[key] for name, key in keys.items() if settings_dict.get(key)}


def _maintenance(statement: str, *names: str) -> None:
    import psycopg
    from psycopg import sql

    server = _server(connections["default"].settings_dict)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        conn.execute(sql.SQL(statement).format(*(sql.Identifier(name) for name in names)))


@contextmanager
def _throwaway(kind: str, tmp: Path, *, copy_of_default: bool) -> Iterator[str]:
    """The NAME of a new database of the suite's engine: a copy of the test database, or
    empty. Dropped afterwards."""
    default = connections["default"]
    if default.vendor == "sqlite":
        path = tmp / f"{kind}.sqlite3"
        if copy_of_default:
            default.ensure_connection()
            target = sqlite3.connect(path)
            default.connection.backup(target)
            target.close()
        yield str(path)
        return
    name = f"gandan_backup_{kind}_{os.getpid()}"
    _maintenance("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    if copy_of_default:
        # A template must have no other session: the suite's own is closed first.
        default.close()
        _maintenance("CREATE DATABASE {} TEMPLATE {}", name, default.settings_dict["NAME"])
    else:
        _maintenance("CREATE DATABASE {}", name)
    try:
        yield name
    finally:
        _maintenance("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@contextmanager
def _default_is(name: str) -> Iterator[None]:
    """Point the default connection at the database ``name``, then back."""
    default = connections["default"]
    if default.vendor != "sqlite":
        default.close()
    # An in-memory SQLite test database lives as long as its connection: keep it aside.
    kept, saved = default.connection, default.settings_dict["NAME"]
    default.connection = None
    default.settings_dict["NAME"] = name
    try:
        yield
    finally:
        default.close()
        default.settings_dict["NAME"] = saved
        default.connection = kept


def _fill() -> tuple[str, str]:
    """Real rows through the services: people, a household, a dossier and a report with
    files, sessions and a token (text keys), events with JSON."""
    personas = make_personas()
    for number, standing in enumerate(["poor", "near_poor", "not_poor"]):
        home = household(personas.commune_a, hamlet=personas.hamlet_a, head_name=f"Hộ {number}")
        assess(home, 2024, standing)
        assess(home, 2025, "poor")
    dossier = receive(
        personas.commune_a,
        MARITAL,
        actor=personas.official_a,
        attachments={"to_khai": SimpleUploadedFile("to_khai.pdf", b"%PDF-1.4 to khai")},
    )
    report = report_submit(
        category=Category.objects.get(code="roads"),
        title="",
        description="Ổ gà lớn giữa đường Lê Lợi",
        latitude=personas.commune_a.latitude,
        longitude=personas.commune_a.longitude,
        channel=Channel.WEB,
        reporter_name="Nguyễn Thị Bí Mật",
        reporter_phone="0905123456",
        photos=[png("o-ga.png")],
    )
    token_renew(user=personas.official_a)
    for number in range(5):
        session = SessionStore()
        session["number"] = number
        session.create()
    return dossier.code, report.code


@pytest.fixture(scope="module")
def source(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Source]:
    tmp = tmp_path_factory.mktemp("backup-source")
    media, var = tmp / "media", tmp / "var"
    media.mkdir()
    var.mkdir()
    with (
        django_db_blocker.unblock(),
        _throwaway("source", tmp, copy_of_default=True) as name,
        _default_is(name),
        override_settings(MEDIA_ROOT=str(media), VAR_DIR=var, PASSWORD_HASHERS=FAST_HASHERS),
    ):
        dossier_code, report_code = _fill()
        call_command("backup", verbosity=0)
        (archive,) = (var / "backups").iterdir()
        yield Source(
            archive=archive,
            backups=var / "backups",
            media=media,
            dossier_code=dossier_code,
            report_code=report_code,
            households=Household.objects.count(),
        )


@pytest.fixture
def target(source: Source, django_db_blocker: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """An empty database under the alias TARGET; the fixture's value restores into it."""
    media = tmp_path / "restored-media"
    with (
        django_db_blocker.unblock(),
        _throwaway("target", tmp_path, copy_of_default=False) as name,
    ):
        settings_dict = copy.deepcopy(connections["default"].settings_dict)
        settings_dict["NAME"] = name
        connections.settings[TARGET] = settings_dict
        try:

            def restore(path: Path = source.archive, **options: Any) -> Any:
                return backup_restore(path=path, using=TARGET, media_root=media, **options)

            restore.media = media  # type: ignore[attr-defined]
            yield restore
        finally:
            connections[TARGET].close()
            del connections[TARGET]
            del connections.settings[TARGET]


def _rewrite(
    path: Path,
    into: Path,
    *,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    member: Callable[[str, bytes], bytes] | None = None,
    reseal: bool = False,
) -> Path:
    """A copy of the archive with its manifest and members changed."""
    with tarfile.open(path) as source:
        members = [(info, source.extractfile(info).read()) for info in source]  # type: ignore[union-attr]
    with tarfile.open(into, "w:gz") as out:
        for info, data in members:
            if info.name == backup_archive.MANIFEST and manifest is not None:
                body = json.loads(data)
                manifest(body)
                if reseal:
                    body["seal"] = backup_archive.seal(body)
                data = json.dumps(body).encode()
            elif member is not None:
                data = member(info.name, data)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return into


def test_a_backup_is_readable_by_its_owner_only(source: Source) -> None:
    assert stat.S_IMODE(source.backups.stat().st_mode) == 0o700
    assert stat.S_IMODE(source.archive.stat().st_mode) == 0o600
    with tarfile.open(source.archive) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile(backup_archive.MANIFEST).read())  # type: ignore[union-attr]
    vendor = connections["default"].vendor
    assert names[0] == backup_archive.MANIFEST
    assert manifest["database"]["vendor"] == vendor
    assert manifest["created_at"].endswith("Z")
    assert manifest["migrations"]["onestop"].startswith("00")
    assert manifest["tables"]["onestop_dossier"]["rows"] == 1
    assert manifest["tables"]["django_session"]["text_key"] == ["session_key"]
    assert "data" in manifest["tables"]["core_event"]["json"]
    assert {item["path"].split("/")[0] for item in manifest["media"]} >= {"onestop", "feedback"}


def test_a_backup_restores_into_an_empty_database_with_the_same_rows(
    source: Source, target: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(MEDIA_ROOT=str(target.media), PASSWORD_HASHERS=FAST_HASHERS):
        call_command("restore", str(source.archive), database=TARGET)
    assert "khớp bản kê" in capsys.readouterr().out

    restored = table_sums(TARGET)
    assert restored == table_sums("default")
    manifest = json.loads(tarfile.open(source.archive).extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert {t: (s.rows, s.sha256) for t, s in restored.items()} == {
        t: (r["rows"], r["sha256"]) for t, r in manifest["tables"].items()
    }
    # Rows read back through the models: encrypted fields decrypt, files are there.
    dossier = Dossier.objects.using(TARGET).get(code=source.dossier_code)
    assert dossier.applicant_id == "046190001234"
    document = dossier.documents.get(code="to_khai")
    assert (target.media / document.file.name).read_bytes() == b"%PDF-1.4 to khai"
    photo = Photo.objects.using(TARGET).get(report__code=source.report_code)
    assert (target.media / photo.image.name).read_bytes() == (
        source.media / photo.image.name
    ).read_bytes()
    assert Household.objects.using(TARGET).count() == source.households == 3
    assert Assessment.objects.using(TARGET).filter(year=2025).count() == 3
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        assert User.objects.using(TARGET).get(username="official_a").check_password(PASSWORD)
    # Sequences came along: a new row takes the next key.
    last = Event.objects.using(TARGET).order_by("-pk").first()
    assert last is not None
    new = Event.objects.using(TARGET).create(kind="test", subject_type="core.test", subject_id="1")
    assert new.pk > last.pk


def test_it_refuses_a_database_that_has_gandan_data(source: Source, target: Any) -> None:
    with pytest.raises(CommandError, match="đã có dữ liệu gandan"):
        call_command("restore", str(source.archive), verbosity=0)  # the default: full
    target()
    with pytest.raises(BackupError, match=r"--force"):
        target()
    target(force=True)
    assert Household.objects.using(TARGET).count() == source.households


def test_a_tampered_dump_is_refused_before_anything_is_written(
    source: Source, target: Any, tmp_path: Path
) -> None:
    def flip(name: str, data: bytes) -> bytes:
        if not name.startswith("database."):
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]

    tampered = _rewrite(source.archive, tmp_path / "dump.tar.gz", member=flip)
    with pytest.raises(BackupError, match="Tệp cơ sở dữ liệu .* không khớp bản kê"):
        target(tampered)
    assert gandan_table_with_rows(TARGET) is None


def test_a_tampered_file_is_named(source: Source, target: Any, tmp_path: Path) -> None:
    def change(name: str, data: bytes) -> bytes:
        return data + b"!" if name.startswith("media/onestop/") else data

    tampered = _rewrite(source.archive, tmp_path / "media.tar.gz", member=change)
    with pytest.raises(BackupError, match=r"Tệp tải lên onestop/\S+\.pdf.*không khớp"):
        target(tampered)


def test_an_edited_manifest_is_refused(source: Source, target: Any, tmp_path: Path) -> None:
    def fewer_rows(manifest: dict[str, Any]) -> None:
        manifest["tables"]["households_household"]["rows"] = 2

    tampered = _rewrite(source.archive, tmp_path / "manifest.tar.gz", manifest=fewer_rows)
    with pytest.raises(BackupError, match="đã bị sửa"):
        target(tampered)


def test_a_table_that_does_not_match_the_manifest_is_named(
    source: Source, target: Any, tmp_path: Path
) -> None:
    # A manifest sealed with the right key that disagrees with its dump: what a faulty
    # restore would look like. The dry run catches it in the SQLite file before writing.
    def wrong_sum(manifest: dict[str, Any]) -> None:
        manifest["tables"]["onestop_dossier"]["sha256"] = "0" * 64

    odd = _rewrite(source.archive, tmp_path / "odd.tar.gz", manifest=wrong_sum, reseal=True)
    with pytest.raises(ChecksumMismatch, match="onestop_dossier") as mismatch:
        target(odd)
    assert mismatch.value.tables == ["onestop_dossier"]
    if connections["default"].vendor == "sqlite":
        with pytest.raises(ChecksumMismatch, match="onestop_dossier"):
            backup_restore(path=odd, dry_run=True)


def test_a_backup_of_another_database_kind_or_a_newer_gandan_is_refused(
    source: Source, target: Any, tmp_path: Path
) -> None:
    other = "postgresql" if connections["default"].vendor == "sqlite" else "sqlite"

    def other_vendor(manifest: dict[str, Any]) -> None:
        manifest["database"]["vendor"] = other

    def newer(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["onestop"] = "9999_from_the_future"

    vendor = _rewrite(source.archive, tmp_path / "v.tar.gz", manifest=other_vendor, reseal=True)
    with pytest.raises(BackupError, match="không khôi phục chéo"):
        target(vendor)
    future = _rewrite(source.archive, tmp_path / "f.tar.gz", manifest=newer, reseal=True)
    with pytest.raises(BackupError, match="onestop.9999_from_the_future"):
        target(future)


def test_a_backup_older_than_the_code_asks_for_migrate(
    source: Source, target: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def older(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["onestop"] = "0001_initial"

    old = _rewrite(source.archive, tmp_path / "o.tar.gz", manifest=older, reseal=True)
    call_command("restore", str(old), dry_run=True)
    assert "hãy chạy `gandan migrate`" in capsys.readouterr().out
    assert [name.split(".")[0] for name in target(old, dry_run=True).pending] == ["onestop"]


def test_a_backup_made_under_another_key_is_refused(
    source: Source, target: Any, settings: Any
) -> None:
    own = settings.GANDAN_FIELD_KEY
    settings.GANDAN_FIELD_KEY = "another installation's key " * 3
    crypto._keys.cache_clear()
    try:
        with pytest.raises(BackupError, match="khóa mã hóa khác"):
            target()
    finally:
        settings.GANDAN_FIELD_KEY = own
        crypto._keys.cache_clear()


def test_a_dry_run_checks_the_backup_and_writes_nothing(
    source: Source, target: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("restore", str(source.archive), dry_run=True)
    out = capsys.readouterr().out
    assert "nguyên vẹn" in out and "đúng dấu niêm phong" in out
    assert "bị từ chối nếu không có --force" in out  # the default database holds data
    result = target(dry_run=True)
    assert result.occupied is None and not result.restored
    assert gandan_table_with_rows(TARGET) is None
    assert not target.media.exists() or not any(target.media.iterdir())


def test_a_backup_never_overwrites_a_file_nor_goes_among_the_uploads(source: Source) -> None:
    with pytest.raises(BackupError, match="đã có"):
        backup_create(output=source.archive)
    with pytest.raises(BackupError, match="trong thư mục tệp tải lên"):
        backup_create(output=source.media)


HUE = dt.timezone(dt.timedelta(hours=7))


@pytest.mark.parametrize(
    ("sqlite_value", "postgresql_value", "is_json"),
    [
        (12.5, decimal.Decimal("12.5000"), False),
        (12, decimal.Decimal("12.0000"), False),
        (0, decimal.Decimal("0E-4"), False),
        (True, True, False),
        (None, None, False),
        (
            dt.datetime(2026, 3, 2, 2, 0),  # noqa: DTZ001 - SQLite returns them naive, in UTC
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE),  # PostgreSQL: aware
            False,
        ),
        (
            "c3d7a1e0b2f44a5e9a0d6f1e2b3c4d5e",
            uuid.UUID("c3d7a1e0-b2f4-4a5e-9a0d-6f1e2b3c4d5e"),
            False,
        ),
        (90_000_000, dt.timedelta(seconds=90), False),
        (b"\x00\xff", memoryview(b"\x00\xff"), False),
        ('{"b": [1, 2.5], "a": "Huế"}', '{"a": "Huế", "b": [1, 2.5]}', True),
        ('{"b": 1, "a": null}', {"a": None, "b": 1}, True),
    ],
)
def test_a_value_hashes_alike_as_each_database_returns_it(
    sqlite_value: Any, postgresql_value: Any, is_json: bool
) -> None:
    assert canonical(sqlite_value, is_json=is_json) == canonical(postgresql_value, is_json=is_json)


def test_values_that_differ_hash_apart() -> None:
    assert canonical(None) != canonical("")
    assert canonical(False) != canonical(0)
    assert canonical(decimal.Decimal("12.5")) != canonical(decimal.Decimal("12.05"))
    later = dt.datetime(2026, 3, 2, 2, 0, 0, 1, tzinfo=dt.UTC)
    assert canonical(later) != canonical(later.replace(microsecond=0))

"""Backing up and restoring an installation: the database, the uploaded files, a manifest.

:func:`backup_create` writes one archive (readable by its owner only) while the server runs;
:func:`backup_restore` puts one back into an empty database of the same kind, then reads every
table again and compares it with the manifest. docs/backup.md is the operator's guide.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.migrations.loader import MigrationLoader

from gandan.core.backup import archive, databases
from gandan.core.backup.checksums import TablePlan, TableSum, table_plans
from gandan.core.backup.databases import DUMP_FILES, VENDOR_NAMES, BackupError

__all__ = [
    "BackupError",
    "BackupPlan",
    "BackupResult",
    "ChecksumMismatch",
    "RestoreResult",
    "backup_create",
    "backup_plan",
    "backup_restore",
    "table_sums",
]


class ChecksumMismatch(BackupError):
    """Tables whose rows, read back after a restore, are not those of the manifest."""

    def __init__(self, message: str, tables: list[str]) -> None:
        super().__init__(message)
        self.tables = tables


class _ManifestCounts:
    """The tables, rows and uploaded files a backup's manifest lists."""

    manifest: dict[str, Any]

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])

    @property
    def rows(self) -> int:
        return sum(table["rows"] for table in self.manifest["tables"].values())

    @property
    def media(self) -> int:
        return len(self.manifest["media"])


@dataclass
class BackupResult(_ManifestCounts):
    path: Path
    manifest: dict[str, Any]

    @property
    def media_bytes(self) -> int:
        return sum(item["size"] for item in self.manifest["media"])


@dataclass
class BackupPlan:
    """What a backup would hold now (``gandan backup --dry-run``)."""

    vendor: str
    rows: dict[str, int]
    media: int
    media_bytes: int
    destination: Path


@dataclass
class RestoreResult(_ManifestCounts):
    manifest: dict[str, Any]
    # Migrations this code has and the backup's database has not: `gandan migrate` applies them.
    pending: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The gandan table that already holds rows, when the target is not empty (dry run only).
    occupied: str | None = None
    # The tables' checksums were compared (always after a restore; for SQLite in a dry run too).
    compared: bool = False
    # The manifest's seal was checked with this installation's key.
    sealed: bool = False
    restored: bool = False


def _version() -> str:
    try:
        return metadata.version("gandan")
    except metadata.PackageNotFoundError:
        return "unknown"


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def _archive_name(created: dt.datetime) -> str:
    return f"gandan-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"


def _destination(output: Path | None, created: dt.datetime, media_root: Path) -> Path:
    name = _archive_name(created)
    if output is None:
        folder = Path(settings.VAR_DIR) / "backups"
        _private_folder(folder)
        path = folder / name
    elif output.is_dir():
        path = output / name
    else:
        path = output
        if not path.parent.is_dir():
            raise BackupError(f"Không có thư mục {path.parent} để ghi bản sao lưu.")
    if path.exists():
        raise BackupError(f"Tệp {path} đã có: bản sao lưu không ghi đè, hãy chọn tên khác.")
    if path.parent.resolve().is_relative_to(media_root.resolve()):
        # The archive would end up among the files of the next backups.
        raise BackupError(f"Không ghi bản sao lưu vào trong thư mục tệp tải lên {media_root}.")
    return path


def _media_root(media_root: Path | None) -> Path:
    return Path(media_root if media_root is not None else settings.MEDIA_ROOT)


def backup_plan(
    *, output: Path | None = None, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None
) -> BackupPlan:
    """What :func:`backup_create` would write, counted without writing anything."""
    vendor = databases.vendor_of(using)
    with databases.reading(using) as reader:
        rows = {plan.table: reader.count(plan.table) for plan in table_plans(reader.tables())}
    files = [path.stat().st_size for _, path in archive.media_files(_media_root(media_root))]
    name = _archive_name(dt.datetime.now(dt.UTC))
    if output is None:
        destination = Path(settings.VAR_DIR) / "backups" / name
    else:
        destination = output / name if output.is_dir() else output
    return BackupPlan(
        vendor=vendor,
        rows=rows,
        media=len(files),
        media_bytes=sum(files),
        destination=destination,
    )


def backup_create(
    *, output: Path | None = None, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None
) -> BackupResult:
    """Write one archive with the database ``using`` names, the files under ``media_root``
    (MEDIA_ROOT) and the manifest; the archive is readable by its owner only.

    ``output`` is a folder (the archive is named after the time) or a new file's path;
    by default ``var/backups/``. A partly written archive never takes the final name.
    """
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root = _media_root(media_root)
    destination = _destination(output, created, root)
    staging = Path(tempfile.mkdtemp(prefix=".gandan-backup-", dir=destination.parent))
    try:
        # The database first: every file its rows name was uploaded before the snapshot.
        dump_path, snapshot = databases.dump(using=using, into=staging)
        dump_size, dump_sha = archive.file_sha256(dump_path)
        media = []
        for relative, path in archive.media_files(root):
            size, sha = archive.file_sha256(path)
            media.append(archive.MediaFile(relative, size, sha))
        manifest: dict[str, Any] = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "gandan_version": _version(),
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "database": {
                "vendor": snapshot.vendor,
                "server_version": snapshot.server_version,
                "file": dump_path.name,
                "size": dump_size,
                "sha256": dump_sha,
            },
            "migrations": snapshot.migrations,
            "tables": {
                plan.table: {
                    "rows": snapshot.sums[plan.table].rows,
                    "sha256": snapshot.sums[plan.table].sha256,
                    **plan.as_dict(),
                }
                for plan in snapshot.plans
            },
            "media": [
                {"path": item.path, "size": item.size, "sha256": item.sha256} for item in media
            ],
            "key_fingerprint": archive.key_fingerprint(),
        }
        manifest["seal"] = archive.seal(manifest)
        written = staging / "archive.tar.gz"
        with archive.new_private_file(written) as handle:
            writer = archive.Writer(handle)
            writer.add_manifest(manifest)
            writer.add_file(dump_path.name, dump_path, dump_size, dump_sha)
            for item in media:
                writer.add_file(
                    archive.MEDIA_PREFIX + item.path, root / item.path, item.size, item.sha256
                )
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        if destination.exists():
            raise BackupError(f"Tệp {destination} đã có: bản sao lưu không ghi đè.")
        os.replace(written, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(path=destination, manifest=manifest)


def table_sums(
    using: str = DEFAULT_DB_ALIAS, plans: list[TablePlan] | None = None
) -> dict[str, TableSum]:
    """The checksums of the database ``using`` names, as a backup would record them."""
    with databases.reading(using) as reader:
        return reader.sums(plans if plans is not None else table_plans(reader.tables()))


def _migration_gaps(recorded: dict[str, str]) -> tuple[list[str], list[str]]:
    """Migrations of the backup this code lacks, and migrations of this code the backup lacks."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.replacements.values():
        known.update(migration.replaces)
    unknown = sorted(f"{app}.{name}" for app, name in recorded.items() if (app, name) not in known)
    pending = sorted(
        f"{app}.{name}" for app, name in loader.graph.leaf_nodes() if recorded.get(app) != name
    )
    return unknown, pending


def _well_formed(manifest: dict[str, Any]) -> bool:
    try:
        database = manifest["database"]
        ok = (
            isinstance(database["file"], str)
            and isinstance(database["size"], int)
            and isinstance(database["sha256"], str)
            and isinstance(manifest["migrations"], dict)
            and all(
                isinstance(table["rows"], int)
                and isinstance(table["sha256"], str)
                and isinstance(table["key"], list)
                for table in manifest["tables"].values()
            )
            and all(
                isinstance(item["path"], str)
                and isinstance(item["size"], int)
                and isinstance(item["sha256"], str)
                for item in manifest["media"]
            )
        )
    except (KeyError, TypeError, AttributeError):
        return False
    return ok


def _check_manifest(
    manifest: dict[str, Any], *, using: str, allow_other_key: bool
) -> RestoreResult:
    """Refuse what cannot be restored here; the result says what is pending and was sealed."""
    if not _well_formed(manifest):
        raise BackupError("Bản kê (manifest.json) của bản sao lưu thiếu mục hoặc sai kiểu: hỏng.")
    result = RestoreResult(manifest=manifest)
    if manifest.get("key_fingerprint") == archive.key_fingerprint():
        result.sealed = True
        if not archive.seal_matches(manifest):
            raise BackupError(
                "Bản kê (manifest.json) của bản sao lưu đã bị sửa sau khi tạo: không khôi phục."
            )
    elif not allow_other_key:
        raise BackupError(
            "Bản sao lưu được tạo với khóa mã hóa khác khóa của cài đặt này (GANDAN_FIELD_KEY, "
            "hoặc tệp var/field_key): các trường mã hóa (số CCCD…) sẽ không đọc được. "
            "Hãy đặt lại đúng khóa của cài đặt cũ rồi chạy lại; nếu khóa cũ đã mất, thêm "
            "--allow-other-key để vẫn khôi phục."
        )
    else:
        result.warnings.append(
            "Khóa mã hóa khác khóa lúc sao lưu: không kiểm được dấu niêm phong của bản kê, và "
            "các trường mã hóa sẽ không đọc được."
        )
    vendor = databases.vendor_of(using)
    database = manifest.get("database") or {}
    if database.get("vendor") != vendor or database.get("file") != DUMP_FILES[vendor]:
        source = VENDOR_NAMES.get(str(database.get("vendor")), str(database.get("vendor")))
        raise BackupError(
            f"Bản sao lưu này là của cơ sở dữ liệu {source}, cơ sở dữ liệu hiện tại là "
            f"{VENDOR_NAMES[vendor]}: không khôi phục chéo giữa hai loại cơ sở dữ liệu."
        )
    unknown, pending = _migration_gaps(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"Bản sao lưu do gandan {manifest.get('gandan_version')} tạo, có các migration mà "
            f"phiên bản này ({_version()}) không có: {', '.join(unknown)}. Hãy khôi phục bằng "
            "phiên bản gandan đã tạo bản sao lưu hoặc mới hơn."
        )
    for item in manifest["media"]:
        archive.safe_media_path(item["path"])
    result.pending = pending
    return result


def _occupied_message(table: str) -> str:
    return (
        f"Cơ sở dữ liệu đích đã có dữ liệu gandan (bảng {table} có dữ liệu). Chỉ khôi phục vào "
        "cơ sở dữ liệu trống; thêm --force nếu thật sự muốn thay toàn bộ dữ liệu hiện có bằng "
        "bản sao lưu."
    )


def _unpack(
    reader: archive.Reader, manifest: dict[str, Any], staging: Path
) -> tuple[Path, dict[str, Path]]:
    """Copy the dump and every file out of the archive into ``staging``, each checked against
    the manifest. Returns the dump's path and the staged files by path below MEDIA_ROOT."""
    database = manifest["database"]
    expected = {str(item["path"]): item for item in manifest["media"]}
    dump_path = staging / "database"
    files_dir = staging / "media"
    files_dir.mkdir(mode=0o700)
    staged: dict[str, Path] = {}
    seen_dump = False
    for member in reader.members():
        if member.name == database["file"] and not seen_dump:
            if not reader.extract(
                member, dump_path, size=database["size"], sha256=database["sha256"]
            ):
                raise BackupError(
                    "Tệp cơ sở dữ liệu trong bản sao lưu không khớp bản kê (SHA-256 khác): "
                    "bản sao lưu đã bị sửa hoặc bị hỏng."
                )
            seen_dump = True
            continue
        relative = member.name.removeprefix(archive.MEDIA_PREFIX)
        item = expected.get(relative)
        if not member.name.startswith(archive.MEDIA_PREFIX) or item is None or relative in staged:
            raise BackupError(f"Bản sao lưu có tệp lạ không có trong bản kê: {member.name}.")
        target = files_dir / f"{len(staged):08d}"
        if not reader.extract(member, target, size=item["size"], sha256=item["sha256"]):
            raise BackupError(
                f"Tệp tải lên {relative} trong bản sao lưu không khớp bản kê (SHA-256 khác): "
                "bản sao lưu đã bị sửa hoặc bị hỏng."
            )
        staged[relative] = target
    if not seen_dump:
        raise BackupError("Bản sao lưu thiếu tệp cơ sở dữ liệu.")
    missing = sorted(set(expected) - set(staged))
    if missing:
        raise BackupError(f"Bản sao lưu thiếu {len(missing)} tệp tải lên, ví dụ {missing[0]}.")
    return dump_path, staged


def _compare(manifest: dict[str, Any], found: dict[str, TableSum]) -> None:
    problems: list[str] = []
    tables: list[str] = []
    for table, recorded in sorted(manifest["tables"].items()):
        if table not in found:
            problems.append(f"{table} (không có bảng)")
        elif found[table].rows != recorded["rows"]:
            problems.append(
                f"{table} (bản kê {recorded['rows']} dòng, cơ sở dữ liệu {found[table].rows} dòng)"
            )
        elif found[table].sha256 != recorded["sha256"]:
            problems.append(f"{table} (cùng {recorded['rows']} dòng nhưng tổng kiểm SHA-256 khác)")
        else:
            continue
        tables.append(table)
    if tables:
        raise ChecksumMismatch(
            "Dữ liệu không khớp bản kê của bản sao lưu ở bảng: " + "; ".join(problems) + ".",
            tables,
        )


def _plans(manifest: dict[str, Any]) -> list[TablePlan]:
    return [TablePlan.from_dict(table, data) for table, data in manifest["tables"].items()]


def _verify(manifest: dict[str, Any], using: str) -> None:
    with databases.reading(using) as reader:
        found = reader.sums_of(_plans(manifest))
    try:
        _compare(manifest, found)
    except ChecksumMismatch as mismatch:
        raise ChecksumMismatch(
            f"{mismatch} Cơ sở dữ liệu đã được ghi nhưng không đúng như bản sao lưu: đừng dùng "
            "nó; hãy làm trống rồi khôi phục lại từ một bản sao lưu khác.",
            mismatch.tables,
        ) from None


def _place_media(staged: dict[str, Path], root: Path) -> None:
    file_mode = settings.FILE_UPLOAD_PERMISSIONS
    folder_mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
    for relative, source in sorted(staged.items()):
        target = root.joinpath(*archive.safe_media_path(relative).parts)
        if folder_mode is None:
            target.parent.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
        try:
            if file_mode is not None:
                source.chmod(file_mode)
            os.replace(source, target)
        except OSError as error:
            raise BackupError(
                f"Cơ sở dữ liệu đã khôi phục nhưng không đặt được tệp tải lên {relative}: {error}."
            ) from error


def backup_restore(
    *,
    path: Path,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    force: bool = False,
    allow_other_key: bool = False,
    dry_run: bool = False,
) -> RestoreResult:
    """Restore the archive at ``path`` into the database ``using`` names and ``media_root``.

    Refuses a database holding gandan rows unless ``force``, a backup of another kind of
    database, one made by a newer gandan, an edited manifest, a file whose SHA-256 differs
    from the manifest's, and (unless ``allow_other_key``) one made under another field key.
    After the restore every table is read again: :class:`ChecksumMismatch` names the tables
    that differ. ``dry_run`` checks the archive (and, for SQLite, the dump's tables) and the
    target without writing anything.
    """
    root = _media_root(media_root)
    reader = archive.Reader(path)
    try:
        manifest = reader.manifest()
        result = _check_manifest(manifest, using=using, allow_other_key=allow_other_key)
        occupied = databases.gandan_table_with_rows(using)
        if occupied and not force:
            if not dry_run:
                raise BackupError(_occupied_message(occupied))
            result.occupied = occupied
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".gandan-restore-", dir=root.parent))
        try:
            dump_path, staged = _unpack(reader, manifest, staging)
            if dry_run:
                read = databases.check_dump(
                    manifest["database"]["vendor"], dump_path, _plans(manifest)
                )
                if read is not None:
                    _compare(manifest, read)
                    result.compared = True
                return result
            databases.restore(using=using, path=dump_path)
            result.restored = True
            _place_media(staged, root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        reader.close()
    _verify(manifest, using)
    result.compared = True
    return result

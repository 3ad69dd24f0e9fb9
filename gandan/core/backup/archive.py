"""The backup archive: a gzipped tar holding ``manifest.json`` first, then the database dump,
then the uploaded files under ``media/``.

The manifest lists the SHA-256 of the dump and of every file, so each can be checked while it
is read back; it is sealed with an HMAC under a key derived from the installation's field key
(``GANDAN_FIELD_KEY``; ``var/field_key`` in the embedded mode), so an edited manifest is
refused by an installation that holds that key. The key itself is never in the archive: the manifest keeps only a
fingerprint of it, to tell whether a restore can read the encrypted fields.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from gandan.core.backup.databases import BackupError
from gandan.core.crypto import blind_index

FORMAT = "gandan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
_CHUNK = 1024 * 1024
_MANIFEST_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class MediaFile:
    path: str  # relative to MEDIA_ROOT, with forward slashes
    size: int
    sha256: str


def key_fingerprint() -> str:
    """Tells installations' field keys apart without revealing anything of them."""
    return blind_index("gandan-backup:key")[:16]


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def seal(body: dict[str, Any]) -> str:
    """The HMAC-SHA256 of the manifest without its ``seal``, under this installation's key."""
    key = bytes.fromhex(blind_index("gandan-backup:seal"))
    unsealed = {name: value for name, value in body.items() if name != "seal"}
    return hmac.new(key, _canonical(unsealed), hashlib.sha256).hexdigest()


def seal_matches(manifest: dict[str, Any]) -> bool:
    return hmac.compare_digest(str(manifest.get("seal", "")), seal(manifest))


def safe_media_path(path: str) -> PurePosixPath:
    """A relative path below MEDIA_ROOT, or BackupError: nothing may land outside it."""
    pure = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise BackupError(f"Đường dẫn tệp tải lên không hợp lệ trong bản sao lưu: {path!r}.")
    return pure


class _Hashing:
    """A file reader that hashes what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def file_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file below ``root`` (symbolic links are not followed), in name order."""
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def new_private_file(path: Path) -> IO[bytes]:
    """A new file only its owner can read (0600), opened for writing; never overwrites."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


class Writer:
    """Writes the archive: the manifest first, then each file (checked against the manifest)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.tar = tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6)
        self.now = int(time.time())

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = self.now
        return info

    def add_manifest(self, manifest: dict[str, Any]) -> None:
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n"
        self.tar.addfile(self._info(MANIFEST, len(data)), io.BytesIO(data))

    def add_file(self, name: str, path: Path, size: int, sha256: str) -> None:
        with path.open("rb") as handle:
            reader = _Hashing(handle)
            try:
                self.tar.addfile(self._info(name, size), reader)
            except OSError as error:
                if "unexpected end of data" in str(error):  # shorter than when it was listed
                    raise _changed(name) from error
                raise
        if reader.digest.hexdigest() != sha256:
            raise _changed(name)

    def close(self) -> None:
        self.tar.close()


def _changed(name: str) -> BackupError:
    return BackupError(f"Tệp {name} thay đổi trong khi sao lưu: hãy chạy lại lệnh sao lưu.")


class Reader:
    """Reads the archive in one pass: :meth:`manifest` first, then :meth:`members`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.tar = tarfile.open(path, mode="r:*")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(
                f"Không mở được {path}: không phải bản sao lưu gandan ({error})."
            ) from error

    def manifest(self) -> dict[str, Any]:
        try:
            first = self.tar.next()
            if first is None or first.name != MANIFEST or not first.isreg():
                raise BackupError(
                    f"{self.path} không phải bản sao lưu gandan: thiếu bản kê {MANIFEST} ở đầu tệp."
                )
            if first.size > _MANIFEST_LIMIT:
                raise BackupError(f"Bản kê trong {self.path} lớn bất thường: không đọc.")
            handle = self.tar.extractfile(first)
            assert handle is not None  # noqa: S101 - a regular member always has data
            manifest = json.loads(handle.read())
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
            raise BackupError(f"Bản kê trong {self.path} bị hỏng: {error}.") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{self.path} không phải bản sao lưu gandan.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"Bản sao lưu theo định dạng phiên bản {manifest.get('format_version')}, "
                f"phiên bản gandan này chỉ đọc định dạng {FORMAT_VERSION}."
            )
        return manifest

    def members(self) -> Iterator[tarfile.TarInfo]:
        """The members after the manifest; a broken archive raises BackupError."""
        try:
            for member in self.tar:
                if member.name != MANIFEST:
                    yield member
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupError(
                f"Bản sao lưu {self.path} bị hỏng hoặc không đầy đủ: {error}."
            ) from error

    def extract(self, member: tarfile.TarInfo, to: Path, *, size: int, sha256: str) -> bool:
        """Copy ``member`` to the new file ``to``; True when its size and SHA-256 are those
        expected."""
        if not member.isreg():
            return False
        try:
            source = self.tar.extractfile(member)
            assert source is not None  # noqa: S101 - a regular member always has data
            reader = _Hashing(source)
            with new_private_file(to) as target:
                while chunk := reader.read(_CHUNK):
                    target.write(chunk)
        except (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error) as error:
            raise BackupError(
                f"Bản sao lưu {self.path} bị hỏng hoặc không đầy đủ: {error}."
            ) from error
        return reader.size == size and hmac.compare_digest(reader.digest.hexdigest(), sha256)

    def close(self) -> None:
        self.tar.close()

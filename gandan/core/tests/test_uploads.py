"""Uploads are typed by their bytes, pictures lose their metadata and their excess pixels, and
stored files are served so that none can run as a page of the site."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from gandan.core import uploads
from gandan.core.uploads import JPEG, PDF, PNG, WEBP, check_upload, file_response, sniff

MB = 1024 * 1024


def check(upload: SimpleUploadedFile, *accept: uploads.Kind) -> uploads.Checked:
    return check_upload(
        upload,
        name=upload.name or "",
        size=upload.size,
        accept=accept or (PDF, JPEG, PNG, WEBP),
        max_bytes=5 * MB,
        field="file",
    )


def codes(error: ValidationError) -> list[str]:
    return [e.code or "" for errors in error.error_dict.values() for e in errors]


def photo_with_gps() -> bytes:
    """A JPEG as a phone takes it: EXIF with the device, a GPS position and an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif[0x8825] = {1: "N", 2: (16.0, 27.0, 50.0), 3: "E", 4: (107.0, 35.0, 10.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_the_kind_comes_from_the_bytes_not_the_name() -> None:
    assert sniff(b"%PDF-1.7\n") is PDF
    assert sniff(b"\x89PNG\r\n\x1a\n....") is PNG
    assert sniff(b"\xff\xd8\xff\xe0") is JPEG
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") is WEBP
    assert sniff(b"<html><script>") is None
    page = SimpleUploadedFile("scan.pdf", b"<!doctype html><script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        check(page)
    assert codes(error.value) == ["upload_type"]


def test_a_pdf_named_html_is_stored_under_a_generated_pdf_name() -> None:
    upload = SimpleUploadedFile("to_khai.html", b"%PDF-1.4 <script>alert(1)</script>")
    checked = check(upload, PDF)
    assert checked.kind is PDF and checked.original_name == "to_khai.html"
    assert checked.content.name.endswith(".pdf") and "to_khai" not in checked.content.name
    assert checked.content.read() == b"%PDF-1.4 <script>alert(1)</script>"


def test_a_picture_loses_its_metadata_and_is_turned_upright() -> None:
    checked = check(SimpleUploadedFile("anh.jpg", photo_with_gps()))
    with Image.open(io.BytesIO(checked.content.read())) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (20, 40)  # the orientation applied, then dropped
        assert not stored.getexif()  # no device, no GPS, no orientation left
        assert "exif" not in stored.info


@pytest.mark.parametrize(
    ("width", "height", "told"), [(10_000, 6_000, "10000 × 6000"), (30_000, 30_000, "tối đa 50")]
)
def test_a_picture_declaring_too_many_pixels_is_refused_before_decoding(
    width: int, height: int, told: str
) -> None:
    bomb = SimpleUploadedFile("bom.png", png_claiming(width, height))
    assert bomb.size is not None and bomb.size < 2_000
    with pytest.raises(ValidationError) as error:
        check(bomb)
    assert codes(error.value) == ["upload_too_many_pixels"]
    assert told in str(error.value)


def test_a_large_picture_is_kept_at_most_4096_pixels_wide() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 1000), "white").save(buffer, "PNG")
    checked = check(SimpleUploadedFile("rong.png", buffer.getvalue()))
    with Image.open(io.BytesIO(checked.content.read())) as stored:
        assert stored.size == (4096, 683)


def test_a_broken_picture_or_a_too_large_file_is_refused_with_its_code() -> None:
    broken = SimpleUploadedFile("hong.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(ValidationError) as error:
        check(broken)
    assert codes(error.value) == ["upload_type"]
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4" + b"0" * (6 * MB))
    with pytest.raises(ValidationError) as error:
        check(big)
    assert codes(error.value) == ["upload_too_large"]


@pytest.fixture
def storage(tmp_path):  # type: ignore[no-untyped-def]
    return FileSystemStorage(location=tmp_path)


def stored(storage: FileSystemStorage, name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.db.models.fields.files import FieldFile

    class Field:
        def __init__(self) -> None:
            self.storage = storage

    saved = storage.save(name, ContentFile(data))
    return FieldFile(None, Field(), saved)  # type: ignore[arg-type]


def test_a_pdf_or_picture_is_served_inline_as_its_bytes_say(storage) -> None:  # type: ignore[no-untyped-def]
    response = file_response(stored(storage, "to_khai.html", b"%PDF-1.4 <script>"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert 'filename="to_khai.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_any_other_bytes_are_a_download_never_a_page(storage) -> None:  # type: ignore[no-untyped-def]
    response = file_response(stored(storage, "trang.html", b"<html><script>alert(1)</script>"))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="trang.bin"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(Http404):
        file_response(stored(storage, "x.png", b"<html>"), only=(PNG, JPEG))

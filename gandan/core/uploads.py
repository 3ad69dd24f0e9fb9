"""Uploaded files: their kind read from their bytes, pictures cleaned, and served safely.

Every file a person uploads (a dossier's attachments and result, a report's photos) passes
``check_upload``: its kind comes from its first bytes — never from its name or the browser's
claim — and must be one the caller accepts; a picture is decoded, refused above
``MAX_PIXELS`` (a small file can declare a huge picture), turned upright and saved again
without its metadata (EXIF: the GPS position, the device, the time); a PDF is kept as it is.
The result is stored under a generated name with the extension of its kind, so no stored
name comes from the uploader.

``file_response`` serves a stored file by the same rule: the type from its bytes, inline only
for a PDF or a picture, any other bytes as a download of ``application/octet-stream``, always
with ``nosniff`` and a sandboxing Content-Security-Policy, so that nothing uploaded can run as
a page of the site.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from PIL import Image, ImageOps, UnidentifiedImageError

# A phone camera's largest pictures are about 50 megapixels; a larger claim is refused before
# the picture is decoded (decoding 50 MP takes ≈ 200 MB of memory).
MAX_PIXELS = 50_000_000
# Pictures are kept at most this wide or high: enough to read a document or see a pothole.
MAX_SIDE = 4096
SNIFF_BYTES = 16


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    content_type: str
    extension: str
    picture: bool


PDF = Kind("pdf", "PDF", "application/pdf", "pdf", picture=False)
PNG = Kind("png", "ảnh PNG", "image/png", "png", picture=True)
JPEG = Kind("jpeg", "ảnh JPEG", "image/jpeg", "jpg", picture=True)
WEBP = Kind("webp", "ảnh WebP", "image/webp", "webp", picture=True)
KINDS = {kind.name: kind for kind in (PDF, JPEG, PNG, WEBP)}
PILLOW_FORMATS = {"PNG": PNG, "JPEG": JPEG, "WEBP": WEBP}


def sniff(head: bytes) -> Kind | None:
    """The kind of a file from its first bytes, or None when it is none of ours."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _read_head(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    return head


@dataclass(frozen=True)
class Checked:
    """An upload that passed: what to store (``content``, named ``content.name``)."""

    kind: Kind
    content: ContentFile[bytes]
    original_name: str


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _clean_picture(data: IO[bytes], kind: Kind, name: str, field: str) -> bytes:
    """The picture decoded, upright, at most MAX_SIDE, saved again with no metadata."""
    try:
        with Image.open(data) as image:
            if PILLOW_FORMATS.get(image.format or "") != kind:
                raise _refuse(field, "upload_type", f"Tệp “{name}” không phải ảnh hợp lệ.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    field,
                    "upload_too_many_pixels",
                    f"Ảnh “{name}” có quá nhiều điểm ảnh ({width} × {height}; tối đa "
                    f"{MAX_PIXELS // 1_000_000} triệu).",
                )
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced size
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            if kind is JPEG and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            options: dict[str, object] = {}
            if kind is JPEG:
                options = {"quality": 88, "optimize": True}
            elif kind is WEBP:
                options = {"quality": 88}
            picture.save(out, format=(image.format or ""), **options)
            return out.getvalue()
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        raise _refuse(
            field,
            "upload_too_many_pixels",
            f"Ảnh “{name}” có quá nhiều điểm ảnh (tối đa {MAX_PIXELS // 1_000_000} triệu).",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(field, "upload_type", f"Tệp “{name}” không phải ảnh hợp lệ.") from None


def check_upload(
    upload: IO[bytes],
    *,
    name: str,
    size: int | None,
    accept: tuple[Kind, ...],
    max_bytes: int,
    field: str,
) -> Checked:
    """Check an upload by its bytes; clean a picture; give what to store under a new name.

    Refusals are ``ValidationError``s on ``field`` with codes ``upload_too_large``,
    ``upload_type`` or ``upload_too_many_pixels`` and a Vietnamese message naming the file.
    """
    if size is not None and size > max_bytes:
        raise _refuse(
            field,
            "upload_too_large",
            f"Tệp “{name}” quá lớn ({size / 1024 / 1024:.1f} MB; tối đa "
            f"{max_bytes / 1024 / 1024:g} MB).",
        )
    kind = sniff(_read_head(upload))
    if kind not in accept:
        labels = [k.label for k in accept]
        allowed = " hoặc ".join(filter(None, [", ".join(labels[:-1]), labels[-1]]))
        raise _refuse(field, "upload_type", f"Tệp “{name}” không phải {allowed}.")
    assert kind is not None  # noqa: S101 - None is never accepted
    data = _clean_picture(upload, kind, name, field) if kind.picture else upload.read()
    upload.seek(0)
    if len(data) > max_bytes:
        raise _refuse(field, "upload_too_large", f"Tệp “{name}” quá lớn.")
    stored = ContentFile(data, name=f"{uuid.uuid4().hex}.{kind.extension}")
    return Checked(kind=kind, content=stored, original_name=name)


def file_response(
    file: FieldFile, *, download_name: str | None = None, only: tuple[Kind, ...] | None = None
) -> FileResponse:
    """A stored upload, typed by its bytes: inline if a PDF or picture, else a download
    (or a 404 when its bytes are not one of ``only``)."""
    if not file:
        raise Http404("Không có tệp này.")
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Tệp không còn trên máy chủ.") from None
    kind = sniff(_read_head(handle))
    if only is not None and kind not in only:
        handle.close()
        raise Http404("Không có tệp này.")
    stem = (download_name or (file.name or "tep").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    if kind is None:
        response = FileResponse(
            handle,
            content_type="application/octet-stream",
            as_attachment=True,
            filename=f"{stem}.bin",
        )
    else:
        response = FileResponse(
            handle, content_type=kind.content_type, filename=f"{stem}.{kind.extension}"
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened on its own, a file is no page of the site: no scripts, no forms, no origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response

"""Small helpers shared by the feedback tests."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def png(name: str = "anh.png", colour: str = "red") -> SimpleUploadedFile:
    """A tiny PNG upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

"""Encryption of sensitive personal data at rest (citizen ID numbers, …).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from
``settings.GANDAN_FIELD_KEY`` (required in production; in the embedded mode kept in
``var/field_key``). A keyed hash of the
normalised value is stored beside it so that equality lookups and uniqueness work without
decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


def derive_keys(master: str) -> tuple[Fernet, bytes]:
    """The cipher and the blind-index key derived from a master field key."""
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=b"gandan-fields", info=b"v1").derive(
        master.encode()
    )
    return Fernet(base64.urlsafe_b64encode(material[:32])), material[32:]


@lru_cache(maxsize=1)
def _keys() -> tuple[Fernet, bytes]:
    return derive_keys(settings.GANDAN_FIELD_KEY)


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("Không giải mã được dữ liệu (sai khóa mã hóa?).") from error


def blind_index(value: str) -> str:
    """A keyed hash for equality lookups: the same value always gives the same index."""
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted; Python code sees the clear value."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        # An empty value stays empty (not None), so that saving the row again keeps NOT NULL.
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(str(value))


def mask_citizen_id(value: str | None) -> str:
    """``079203001234`` → ``079•••••1234``: the province code and the last four digits only."""
    if not value:
        return ""
    if len(value) <= 7:
        return "•" * len(value)
    return value[:3] + "•" * (len(value) - 7) + value[-4:]


def blind_index_sources(model: type[models.Model]) -> dict[str, Any]:
    """A model's blind-index columns, each with the function giving the text it hashes (""
    for none): declared on the model as ``BLIND_INDEXES``, so that a key rotation
    (``gandan rotate_field_key``) recomputes them all."""
    return dict(getattr(model, "BLIND_INDEXES", {}))


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]

"""``gandan rotate_field_key``: encrypt the personal data again under a new field key, in place.

Every encrypted column of every model (``core.crypto.EncryptedTextField``) is read under the
current key (``GANDAN_FIELD_KEY``; ``var/field_key`` in the embedded mode) and written under the
new one, and every blind index (a model's ``BLIND_INDEXES``) is computed again, in one
transaction: all rows or none. Stop the server first; afterwards start it with the new key
(the embedded mode writes it into ``var/field_key`` itself).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gandan.core import crypto

BATCH = 1000


def rotate(new_key: str) -> dict[str, int]:
    """Re-encrypt and re-index every row under ``new_key``; rows changed by model label."""
    if len(new_key) < 32:
        raise CommandError("Khóa mới phải dài ít nhất 32 ký tự ngẫu nhiên.")
    if new_key == settings.GANDAN_FIELD_KEY:
        raise CommandError("Khóa mới trùng khóa đang dùng.")
    models = [
        m for m in apps.get_models() if crypto.encrypted_fields(m) or crypto.blind_index_sources(m)
    ]
    changed: dict[str, int] = {}
    old_key = settings.GANDAN_FIELD_KEY
    with transaction.atomic():
        # Read everything under the current key first: a row that does not decrypt stops the
        # rotation before anything is written.
        rows = {m: list(m._default_manager.order_by("pk")) for m in models}
        try:
            settings.GANDAN_FIELD_KEY = new_key
            crypto._keys.cache_clear()
            for model, objects in rows.items():
                indexes = crypto.blind_index_sources(model)
                for obj in objects:
                    for column, source in indexes.items():
                        text = source(obj)
                        setattr(obj, column, crypto.blind_index(text) if text else "")
                fields = [*crypto.encrypted_fields(model), *indexes]
                model._default_manager.bulk_update(objects, fields, batch_size=BATCH)
                changed[model._meta.label] = len(objects)
        finally:
            # This process goes on under the key it started with; the new key is the
            # installation's once it is configured (or, embedded, written by the command).
            settings.GANDAN_FIELD_KEY = old_key
            crypto._keys.cache_clear()
    return changed


class Command(BaseCommand):
    help = (
        "Mã hóa lại dữ liệu cá nhân (số định danh, số điện thoại) dưới khóa mới và tính lại các "
        "chỉ mục tra cứu, trong một giao dịch. Hãy dừng máy chủ trước khi chạy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key-file",
            help="Tệp chứa khóa mới (bắt buộc khi chạy sản xuất; chế độ nhúng tự tạo khóa mới)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options.get("new_key_file")
        # The key comes from the environment (always so in production): the operator sets the
        # new one there, so it must come from a file of theirs.
        from_environment = bool(os.environ.get("GANDAN_FIELD_KEY"))
        if path:
            new_key = Path(path).read_text().strip()
        elif from_environment:
            raise CommandError(
                "Khóa đang lấy từ biến môi trường GANDAN_FIELD_KEY: hãy đưa khóa mới qua "
                "--new-key-file, rồi đặt nó vào GANDAN_FIELD_KEY trước khi khởi động lại."
            )
        else:
            new_key = secrets.token_urlsafe(64)
        changed = rotate(new_key)
        total = sum(changed.values())
        for label, count in changed.items():
            self.stdout.write(f"{label}: {count} dòng")
        if from_environment:
            self.stdout.write(
                f"Đã mã hóa lại {total} dòng. Đặt GANDAN_FIELD_KEY bằng khóa mới rồi mới khởi "
                "động lại máy chủ."
            )
            return
        key_file = Path(settings.VAR_DIR) / "field_key"
        key_file.write_text(new_key)
        key_file.chmod(0o600)
        self.stdout.write(f"Đã mã hóa lại {total} dòng; khóa mới đã ghi vào {key_file}.")

"""``gandan rotate_field_key`` encrypts every personal field again under a new key and
recomputes every blind index, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gandan.core import crypto
from gandan.core.management.commands.rotate_field_key import rotate
from gandan.officials.models import Official
from gandan.officials.services import official_create
from gandan.onestop.models import Dossier
from gandan.onestop.selectors import dossier_lookup
from gandan.onestop.services import Applicant
from gandan.onestop.tests.factories import MARITAL, receive

pytestmark = pytest.mark.django_db
NEW_KEY = "a-new-field-key-of-the-installation-0123456789"
CID = "046090001234"


@pytest.fixture
def field_key(settings: Any) -> Iterator[Any]:
    own = settings.GANDAN_FIELD_KEY
    yield settings
    settings.GANDAN_FIELD_KEY = own
    crypto._keys.cache_clear()


def raw(model: Any, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_every_encrypted_value_and_blind_index_moves_to_the_new_key(personas, field_key) -> None:  # type: ignore[no-untyped-def]
    official = official_create(
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1990, 5, 17),
        sex="male",
        citizen_id=CID,
        province_code="46",
    )
    dossier = receive(
        personas.commune_a, MARITAL, applicant=Applicant(name="Hồ Văn Khánh", citizen_id=CID)
    )
    before = raw(Official, "citizen_id", official.pk), raw(Dossier, "applicant_id", dossier.pk)
    old_index = Official.objects.get(pk=official.pk).citizen_id_index

    changed = rotate(NEW_KEY)
    assert changed["officials.Official"] >= 1 and changed["onestop.Dossier"] >= 1

    # Read under the new key alone: the same clear values, new ciphertexts and indexes.
    field_key.GANDAN_FIELD_KEY = NEW_KEY
    crypto._keys.cache_clear()
    again = Official.objects.get(pk=official.pk)
    assert again.citizen_id == CID and again.citizen_id_index == crypto.blind_index(CID)
    assert again.citizen_id_index != old_index
    assert raw(Official, "citizen_id", official.pk) != before[0]
    assert raw(Dossier, "applicant_id", dossier.pk) != before[1]
    assert Dossier.objects.get(pk=dossier.pk).applicant_id == CID
    assert dossier_lookup(dossier.code, CID[-4:]) is not None  # the look-up still finds it


def test_a_row_that_does_not_decrypt_stops_the_rotation_and_nothing_changes(
    personas, field_key
) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(personas.commune_a, MARITAL)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Dossier._meta.db_table} SET applicant_phone = %s WHERE id = %s",  # noqa: S608
            ["not-a-token", dossier.pk],
        )
    kept = raw(Dossier, "applicant_id", dossier.pk)
    with pytest.raises(ValueError, match="Không giải mã được"):
        rotate(NEW_KEY)
    assert raw(Dossier, "applicant_id", dossier.pk) == kept
    assert field_key.GANDAN_FIELD_KEY != NEW_KEY


def test_the_command_writes_the_embedded_key_and_refuses_a_weak_one(
    personas,
    field_key,
    tmp_path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.delenv("GANDAN_FIELD_KEY", raising=False)
    field_key.VAR_DIR = tmp_path
    weak = tmp_path / "weak"
    weak.write_text("short")
    with pytest.raises(CommandError, match="ít nhất 32"):
        call_command("rotate_field_key", new_key_file=str(weak))
    own = field_key.GANDAN_FIELD_KEY
    call_command("rotate_field_key")
    written = (tmp_path / "field_key").read_text()
    assert len(written) >= 64 and written != own
    assert (tmp_path / "field_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("GANDAN_FIELD_KEY", "from-the-environment")
    with pytest.raises(CommandError, match="--new-key-file"):
        call_command("rotate_field_key")

"""A person's name is written family name first, as Vietnamese names are: in the greeting, in
lists and on the officer's signature line of the printed forms."""

from __future__ import annotations

import pytest
from django.test import Client

from gandan.accounts.models import Role
from gandan.accounts.services import membership_grant
from gandan.core.testing.personas import PASSWORD
from gandan.onestop.pdf import receiving_officer
from gandan.onestop.tests.factories import receive

pytestmark = pytest.mark.django_db


def test_a_name_is_written_family_name_first(personas):
    user = membership_grant(
        username="phan.hoa",
        role=Role.COMMUNE_OFFICER,
        unit=personas.commune_a,
        password=PASSWORD,
        full_name="Phan Thị Hoa",
    ).user
    assert (user.last_name, user.first_name) == ("Phan Thị", "Hoa")
    assert user.get_full_name() == "Phan Thị Hoa"
    assert user.get_short_name() == "Hoa"
    client = Client()
    client.force_login(user)
    page = client.get("/staff/").content.decode()
    assert "Xin chào, Phan Thị Hoa" in page
    assert "Hoa Phan Thị" not in page
    dossier = receive(personas.commune_a, actor=user)
    assert receiving_officer(dossier) == "Phan Thị Hoa"  # form 01's signature line

"""The scope matrix every app's tests reuse: who sees what.

- ``official_a``: commune officer of commune A (Phường Thuận Hóa, 19789, current structure)
- ``viewer_a``: read-only viewer of commune A
- ``official_b``: commune officer of commune B (Phường Vỹ Dạ, 19777), who must see nothing of A
- ``leader``: province leader of Huế (46)
- ``anonymous``: a resident who has not signed in (``None``)

Each commune has one hamlet (``hamlet_a``, ``hamlet_b``). Units must already be loaded
(the session fixture in ``gandan/conftest.py`` does it).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from django.test import Client

from gandan.accounts.models import Role, User
from gandan.accounts.services import membership_grant
from gandan.geo.models import Hamlet, HamletKind, Unit
from gandan.geo.selectors import unit_by_code
from gandan.geo.services import hamlet_create

TODAY = dt.date(2026, 3, 2)
T = TypeVar("T")
PASSWORD = "gandan-test-2026"  # noqa: S105 - test personas only
COMMUNE_A = "19789"
COMMUNE_B = "19777"
PROVINCE = "46"


@dataclass
class Personas:
    commune_a: Unit
    commune_b: Unit
    province: Unit
    hamlet_a: Hamlet
    hamlet_b: Hamlet
    official_a: User
    viewer_a: User
    official_b: User
    leader: User

    def client(self, name: str) -> Client:
        """A test client signed in as the persona (``"anonymous"`` is not signed in)."""
        client = Client()
        if name != "anonymous":
            client.force_login(getattr(self, name))
        return client

    def user(self, name: str) -> Any:
        return None if name == "anonymous" else getattr(self, name)


PERSONA_NAMES = ["official_a", "viewer_a", "official_b", "leader", "anonymous"]


def make_personas() -> Personas:
    commune_a = unit_by_code(COMMUNE_A, as_of=TODAY)
    commune_b = unit_by_code(COMMUNE_B, as_of=TODAY)
    province = unit_by_code(PROVINCE, as_of=TODAY)
    hamlet_a = hamlet_create(commune=commune_a, name="Tổ dân phố 1", kind=HamletKind.TO_DAN_PHO)
    hamlet_b = hamlet_create(commune=commune_b, name="Tổ dân phố 1", kind=HamletKind.TO_DAN_PHO)

    def grant(username: str, role: Role, unit: Unit) -> User:
        return membership_grant(username=username, role=role, unit=unit, password=PASSWORD).user

    return Personas(
        commune_a=commune_a,
        commune_b=commune_b,
        province=province,
        hamlet_a=hamlet_a,
        hamlet_b=hamlet_b,
        official_a=grant("official_a", Role.COMMUNE_OFFICER, commune_a),
        viewer_a=grant("viewer_a", Role.VIEWER, commune_a),
        official_b=grant("official_b", Role.COMMUNE_OFFICER, commune_b),
        leader=grant("leader", Role.PROVINCE_LEADER, province),
    )


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


def kept_on_personas(make: Callable[[Personas], T]) -> Callable[[Personas], T]:
    """Make a row's test data once per test: the first call makes it, later calls (other rows
    of the URL matrix, the test itself) get the same object, kept on the personas object."""
    name = f"_kept_{make.__module__}.{make.__qualname__}"

    @functools.wraps(make)
    def get(personas: Personas) -> T:
        found: T | None = getattr(personas, name, None)
        if found is None:
            found = make(personas)
            setattr(personas, name, found)
        return found

    return get

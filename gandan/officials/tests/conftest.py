"""Set-up shared by the officials tests."""

from __future__ import annotations

import pytest

from gandan.core.testing.personas import COMMUNE_A, TODAY
from gandan.geo.models import Unit
from gandan.geo.selectors import unit_by_code


@pytest.fixture
def thuan_hoa(db: None) -> Unit:
    """Phường Thuận Hóa, the personas' commune A, as it stands on 2 March 2026."""
    return unit_by_code(COMMUNE_A, as_of=TODAY)

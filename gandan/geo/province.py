"""The province this installation serves (``GANDAN_PROVINCE``): its code, unit and name."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from gandan.geo.models import Unit


def home_code() -> str:
    """The two-digit code of the province this installation serves."""
    return str(settings.GANDAN_PROVINCE)


def home_unit(*, as_of: dt.date | None = None) -> Unit:
    """The served province as a unit on ``as_of`` (its current one when no date is given).

    Raises ``UnitNotFound`` when the units have not been loaded (``gandan load_units``).
    """
    from gandan.geo.selectors import unit_by_code

    return unit_by_code(home_code(), as_of=as_of)


def home_name(*, as_of: dt.date | None = None) -> str:
    """The province's name as residents read it ("Thành phố Huế"), "" before units are loaded."""
    from gandan.geo.selectors import UnitNotFound

    try:
        return home_unit(as_of=as_of).name
    except UnitNotFound:
        return ""

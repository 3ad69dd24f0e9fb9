"""A unit's own office hours change its deadlines; others keep the default."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gandan.geo import selectors
from gandan.geo.models import OfficeHours

pytestmark = pytest.mark.django_db


def deadline(*args):
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_unit_with_its_own_hours_gets_its_own_deadline():
    thuan_hoa = selectors.unit_by_code("19789", as_of=dt.date(2026, 3, 2))
    OfficeHours.objects.create(
        unit=thuan_hoa,
        morning_opens=dt.time(7, 30),
        morning_closes=dt.time(11, 30),
        afternoon_opens=dt.time(13, 0),
        afternoon_closes=dt.time(17, 0),
        valid_from=dt.date(2026, 1, 1),
    )
    # Received after the unit's 17:00 closing, on Monday: starts Tuesday at 07:30.
    own = deadline("--received", "2026-03-02T17:30", "--working-days", "1", "--unit", "19789")
    assert own["starts"] == "2026-03-03T07:30:00+07:00"
    assert own["due"] == "2026-03-03T17:00:00+07:00"
    other = deadline("--received", "2026-03-02T17:30", "--working-days", "1", "--unit", "19777")
    assert other["starts"] == "2026-03-03T07:00:00+07:00"
    assert other["due"] == "2026-03-03T17:00:00+07:00"


def test_an_unknown_unit_is_a_vietnamese_error():
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        deadline("--received", "2026-03-02T09:00", "--working-days", "1", "--unit", "00000")


def test_the_tet_example_from_the_command_line():
    result = deadline("--received", "2026-02-13T16:30", "--working-days", "3")
    assert result == {
        "received": "2026-02-13T16:30:00+07:00",
        "starts": "2026-02-13T16:30:00+07:00",
        "due": "2026-02-25T16:30:00+07:00",
    }

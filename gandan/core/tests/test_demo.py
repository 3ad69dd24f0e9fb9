"""``gandan demo``: villages spread over Huế's legacy communes, carried to the new ones, and logins."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from gandan.accounts.models import User
from gandan.geo.models import Hamlet

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_second_demo_run_adds_nothing_and_if_empty_skips():
    call_command("demo", "--no-progress", "--scale", "0.1", stdout=StringIO())
    hamlets, users = Hamlet.objects.count(), User.objects.count()
    assert hamlets == 72 + 55 + 72 + 55  # legacy rows and their successors
    call_command("demo", "--no-progress", "--scale", "0.1", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "không nạp lại" in out.getvalue()
    assert (Hamlet.objects.count(), User.objects.count()) == (hamlets, users)


def test_thuan_hoa_gets_the_villages_of_the_communes_it_came_from():
    call_command("demo", "--no-progress", "--scale", "0.1", stdout=StringIO())
    from gandan.geo import selectors

    thuan_hoa = selectors.unit_by_code("19789", as_of=dt.date(2025, 7, 1))
    legacy_ids = [
        link.predecessor_id for link in selectors.predecessors(thuan_hoa) if link.is_primary
    ]
    carried = Hamlet.objects.filter(commune=thuan_hoa, previous__commune_id__in=legacy_ids).count()
    assert (
        carried == Hamlet.objects.filter(commune_id__in=legacy_ids, next__commune=thuan_hoa).count()
    )

"""The one-stop demo stage at a small scale: published counts exact, codes continue, desks differ."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.db import transaction

from gandan.core.demo import DemoContext
from gandan.geo.selectors import unit_by_code
from gandan.onestop import demo
from gandan.onestop.models import Dossier, Status
from gandan.onestop.selectors import onestop_report, tracking_sheet
from gandan.onestop.tests.factories import receive

pytestmark = pytest.mark.django_db


class Bar:
    def reset(self, total: int) -> None: ...

    def update(self, n: int) -> None: ...


@pytest.fixture(scope="module")
def generated(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """Generated once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo._dossiers(DemoContext(scale=0.005, seed=7, out=StringIO()), Bar())  # type: ignore[arg-type]
        transaction.set_rollback(True)


def test_the_first_fortnight_is_counted_exactly_from_the_records(generated) -> None:  # type: ignore[no-untyped-def]
    hue = unit_by_code("46", as_of=dt.date(2025, 7, 14))
    fortnight = onestop_report(unit=hue, start=dt.date(2025, 7, 1), end=dt.date(2025, 7, 14))
    assert fortnight["received"] == round(17_710 * 0.005)
    assert fortnight["online"] == round(13_424 * 0.005)
    july = onestop_report(unit=hue, start=dt.date(2025, 7, 1), end=dt.date(2025, 7, 31))
    assert july["received"] == round(44_825 * 0.005)
    assert july["online_rate"] > fortnight["online_rate"]  # the online share rises


def test_a_second_run_adds_nothing(generated) -> None:  # type: ignore[no-untyped-def]
    count = Dossier.objects.count()
    assert "bỏ qua" in demo._dossiers(DemoContext(scale=0.005, seed=7, out=StringIO()), Bar())  # type: ignore[arg-type]
    assert Dossier.objects.count() == count


def test_a_receipt_after_the_demo_continues_the_days_numbering(generated) -> None:  # type: ignore[no-untyped-def]
    latest = Dossier.objects.exclude(status=Status.REFUSED).order_by("-received_at").first()
    assert latest is not None
    day_codes = Dossier.objects.filter(code__startswith=latest.code.rsplit("-", 1)[0] + "-")
    new = receive(latest.unit, when=latest.submitted_at)
    assert new.code not in set(day_codes.exclude(pk=new.pk).values_list("code", flat=True))
    assert int(new.code.rsplit("-", 1)[1]) == day_codes.count()


def test_demo_dossiers_have_a_timeline_and_a_tracking_sheet(generated) -> None:  # type: ignore[no-untyped-def]
    returned = (
        Dossier.objects.filter(status=Status.RETURNED).select_related("version", "unit").first()
    )
    assert returned is not None
    sheet = tracking_sheet(returned)
    assert sheet and sheet[0].order == 1 and all(row.started for row in sheet)
    assert returned.handling_hours is not None and returned.handling_hours >= 0

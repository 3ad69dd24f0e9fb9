"""Dossier codes under concurrent receipts: each receipt its own number, none lost."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from gandan.geo.selectors import unit_by_code
from gandan.onestop.models import DossierSequence
from gandan.onestop.services import dossier_code_next

DAY = dt.date(2031, 1, 2)  # a day no other test uses


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time: concurrency is PostgreSQL's to prove",
)
@pytest.mark.django_db(transaction=False)
def test_concurrent_receipts_get_distinct_consecutive_numbers() -> None:
    unit = unit_by_code("19789", as_of=dt.date(2026, 3, 2))
    codes: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(25):
                # Each receipt in its own transaction on its own connection, committed.
                with transaction.atomic():
                    codes.append(dossier_code_next(unit, DAY))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
        assert numbers == list(range(1, 201))
        assert all(code.startswith("19789-310102-") for code in codes)
    finally:
        # The threads committed outside the test's transaction: clean up by hand.
        def clean() -> None:
            DossierSequence.objects.filter(unit_code=unit.code, day=DAY).delete()
            connections.close_all()

        cleaner = threading.Thread(target=clean)
        cleaner.start()
        cleaner.join()

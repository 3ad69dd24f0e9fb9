"""Due times of dossiers: office hours, Tết, swapped Saturdays, cut-off times, pauses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gandan.geo.models import OfficeHours
from gandan.geo.selectors import office_hours_for_unit_code, unit_by_code
from gandan.onestop import services
from gandan.onestop.tests.factories import BIRTH, LAND, MARITAL, MEDIATION, at, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():  # type: ignore[no-untyped-def]
    return unit_by_code("19789", as_of=dt.date(2026, 3, 2))


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_a_dossier_received_after_hours_counts_from_the_next_morning(commune) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(commune, MARITAL, when=at(2026, 3, 2, 18, 30))  # Monday evening
    assert dossier.starts_at == at(2026, 3, 3, 7, 0)
    assert dossier.due_at == at(2026, 3, 5, 17, 0)  # 3 working days: Tue, Wed, Thu
    assert dossier.appointment_at == dossier.due_at


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_tet_is_skipped(commune) -> None:  # type: ignore[no-untyped-def]
    # Friday 13 Feb 2026 at 16:00, then Tết (16–20 Feb): 1 hour on Friday, then 23, 24 Feb
    # and 7 hours of the 25th.
    dossier = receive(commune, MARITAL, when=at(2026, 2, 13, 16, 0))
    assert dossier.due_at == at(2026, 2, 25, 16, 0)


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_a_swapped_saturday_is_a_working_day(commune) -> None:  # type: ignore[no-untyped-def]
    # Saturday 22 Aug 2026 is worked (for Monday 31 Aug, off with National Day, 1–2 Sep).
    dossier = receive(commune, MARITAL, when=at(2026, 8, 21, 10, 0))
    assert dossier.due_at == at(2026, 8, 25, 10, 0)  # Sat 22, Mon 24, Tue 25
    later = receive(commune, MARITAL, when=at(2026, 8, 28, 10, 0))
    assert later.due_at == at(2026, 9, 7, 10, 0)  # Fri 28, then 3, 4, 7 Sep


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_the_cut_off_time_moves_a_same_day_procedure_to_the_next_working_day(commune) -> None:  # type: ignore[no-untyped-def]
    before = receive(commune, BIRTH, when=at(2026, 3, 6, 14, 59))  # Friday
    assert before.due_at == at(2026, 3, 6, 17, 0)
    after = receive(commune, BIRTH, when=at(2026, 3, 6, 15, 0))
    assert after.starts_at == at(2026, 3, 9, 7, 0)
    assert after.due_at == at(2026, 3, 9, 17, 0)


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_calendar_days_ending_on_a_day_off_end_on_the_next_working_day(commune) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(commune, MEDIATION, when=at(2026, 8, 1, 9, 0))  # Saturday, not worked
    # Clock from Monday 3 Aug; + 30 days = Wed 2 Sep (National Day) → Thu 3 Sep closing.
    assert dossier.due_at == at(2026, 9, 3, 17, 0)


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_a_supplement_pause_moves_the_due_time_and_appointment_by_the_office_time_waited(
    commune,
) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(commune, LAND, when=at(2026, 3, 2, 8, 0))
    due = dossier.due_at
    services.dossier_forward(dossier=dossier, at=at(2026, 3, 2, 9, 0))
    services.dossier_request_supplement(
        dossier=dossier, reason="Thiếu sơ đồ thửa đất", at=at(2026, 3, 3, 10, 0)
    )
    services.dossier_resume(dossier=dossier, at=at(2026, 3, 5, 10, 0))  # two working days later
    assert dossier.paused_hours == 16
    assert due is not None and dossier.due_at is not None
    assert dossier.due_at - due == dt.timedelta(days=2)  # same weekday pattern, no holiday
    assert dossier.appointment_at == dossier.due_at
    assert dossier.status == 4


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_a_dossier_pinned_to_the_version_in_force_on_receipt(commune) -> None:  # type: ignore[no-untyped-def]
    dossier = receive(commune, MARITAL, when=at(2026, 3, 2))
    assert dossier.version.valid_from == dt.date(2025, 7, 1)
    assert dossier.version.procedure.code == MARITAL


@time_machine.travel(at(2026, 12, 31), tick=False)
def test_a_unit_with_its_own_hours_counts_them_for_the_day_received(commune) -> None:  # type: ignore[no-untyped-def]
    def hours(opens: dt.time, valid_from: dt.date, valid_to: dt.date | None = None) -> None:
        OfficeHours.objects.create(
            unit=commune,
            morning_opens=opens,
            morning_closes=dt.time(11, 30),
            afternoon_opens=dt.time(13, 0),
            afternoon_closes=dt.time(17, 0),
            valid_from=valid_from,
            valid_to=valid_to,
        )

    hours(dt.time(7, 30), dt.date(2026, 1, 1), dt.date(2026, 3, 4))
    hours(dt.time(8, 0), dt.date(2026, 3, 5))
    # The calendar's hours are the unit's hours of the day, as the geo selector reads them.
    for day in (dt.date(2025, 12, 31), dt.date(2026, 3, 4), dt.date(2026, 3, 5)):
        assert services.calendar_for(commune, day).office_hours == office_hours_for_unit_code(
            commune.code, day
        ), day
    assert services.calendar_for(commune, dt.date(2025, 12, 31)).office_hours.periods[0][0] == (
        dt.time(7, 0)
    )
    monday = receive(commune, MARITAL, when=at(2026, 3, 2, 17, 30))
    assert monday.starts_at == at(2026, 3, 3, 7, 30)
    thursday = receive(commune, MARITAL, when=at(2026, 3, 5, 17, 30))
    assert thursday.starts_at == at(2026, 3, 6, 8, 0)
    # The day is the office's (Vietnam's) day: at 06:00 on 5 March it is still 4 March in UTC,
    # the zone of timezone.now() and of times read back from the database.
    early = receive(commune, MARITAL, when=at(2026, 3, 5, 6, 0).astimezone(dt.UTC))
    assert early.starts_at == at(2026, 3, 5, 8, 0)

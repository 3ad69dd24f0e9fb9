"""The working-day calendar: office hours, Vietnamese holidays and deadlines."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gandan.core.calendar import (
    DEFAULT_OFFICE_HOURS,
    Deadline,
    OfficeHours,
    WorkingCalendar,
    is_vietnamese_working_day,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def test_the_default_office_is_open_eight_hours_a_day() -> None:
    assert DEFAULT_OFFICE_HOURS.periods == (
        (dt.time(7, 0), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17, 0)),
    )
    assert DEFAULT_OFFICE_HOURS.hours_per_day == 8
    assert DEFAULT_OFFICE_HOURS.time_per_day == dt.timedelta(hours=8)
    assert CALENDAR.office_hours is DEFAULT_OFFICE_HOURS


def test_it_skips_tet_2026() -> None:
    # Friday afternoon gives 0.5 h, Tết closes 16–20 Feb, Mon 23 and Tue 24 give 16 h,
    # Wed 25 gives the last 7.5 h: 07:00–11:30 then 13:30–16:30.
    deadline = CALENDAR.deadline(vn(2026, 2, 13, 16, 30), 3)

    assert deadline == Deadline(
        received=vn(2026, 2, 13, 16, 30),
        starts=vn(2026, 2, 13, 16, 30),
        due=vn(2026, 2, 25, 16, 30),
    )
    assert deadline.due.isoformat() == "2026-02-25T16:30:00+07:00"


def test_tet_2026_days_are_not_working_days() -> None:
    for day in range(16, 21):
        assert not CALENDAR.is_working_day(dt.date(2026, 2, day))
    assert CALENDAR.is_working_day(dt.date(2026, 2, 13))
    assert CALENDAR.is_working_day(dt.date(2026, 2, 23))


def test_a_swapped_saturday_counts_as_a_working_day() -> None:
    assert CALENDAR.is_working_day(dt.date(2025, 4, 26))
    assert CALENDAR.is_working_day(dt.date(2026, 8, 22))


def test_a_file_received_on_friday_evening_is_due_on_a_swapped_saturday() -> None:
    deadline = CALENDAR.deadline(vn(2026, 8, 21, 18), 1)

    assert deadline.starts == vn(2026, 8, 22, 7)
    assert deadline.due == vn(2026, 8, 22, 17)


def test_the_day_off_given_for_a_swapped_saturday_is_not_a_working_day() -> None:
    assert not CALENDAR.is_working_day(dt.date(2025, 5, 2))
    assert not CALENDAR.is_working_day(dt.date(2026, 8, 31))


def test_an_ordinary_weekend_is_not_working() -> None:
    assert not CALENDAR.is_working_day(dt.date(2026, 3, 7))  # Saturday
    assert not CALENDAR.is_working_day(dt.date(2026, 3, 8))  # Sunday
    assert CALENDAR.next_opening(vn(2026, 3, 7, 9)) == vn(2026, 3, 9, 7)


def test_it_knows_a_december_saturday_worked_for_a_january_day_off() -> None:
    # Substitutions cross the New Year: Saturday 27 Dec 2014 was worked for Friday 2 Jan 2015.
    assert is_vietnamese_working_day(dt.date(2014, 12, 27))
    assert not is_vietnamese_working_day(dt.date(2015, 1, 2))


def test_an_observed_holiday_is_not_a_working_day() -> None:
    # Hùng Kings' day 2026 falls on Sunday 26 April; Monday 27 is the observed day off.
    assert not CALENDAR.is_working_day(dt.date(2026, 4, 27))

    deadline = CALENDAR.deadline(vn(2026, 4, 24, 17), 1)

    assert deadline.starts == vn(2026, 4, 28, 7)
    assert deadline.due == vn(2026, 4, 28, 17)


def test_a_file_received_after_hours_starts_at_the_next_morning() -> None:
    assert CALENDAR.next_opening(vn(2026, 3, 9, 18)) == vn(2026, 3, 10, 7)


def test_a_file_received_at_closing_time_starts_at_the_next_morning() -> None:
    assert CALENDAR.next_opening(vn(2026, 3, 9, 17)) == vn(2026, 3, 10, 7)


def test_a_file_received_during_lunch_starts_at_the_afternoon_opening() -> None:
    assert CALENDAR.next_opening(vn(2026, 3, 10, 12)) == vn(2026, 3, 10, 13, 30)
    assert CALENDAR.next_opening(vn(2026, 3, 10, 11, 30)) == vn(2026, 3, 10, 13, 30)


def test_a_file_received_before_opening_starts_at_opening() -> None:
    assert CALENDAR.next_opening(vn(2026, 3, 10, 6)) == vn(2026, 3, 10, 7)


def test_a_file_received_during_office_hours_starts_at_once() -> None:
    assert CALENDAR.next_opening(vn(2026, 3, 10, 7)) == vn(2026, 3, 10, 7)
    assert CALENDAR.next_opening(vn(2026, 3, 10, 9, 17)) == vn(2026, 3, 10, 9, 17)
    assert CALENDAR.is_open(vn(2026, 3, 10, 9, 17))
    assert not CALENDAR.is_open(vn(2026, 3, 10, 12))
    assert not CALENDAR.is_open(vn(2026, 3, 10, 17))


def test_an_instant_in_another_zone_is_answered_in_office_time() -> None:
    starts = CALENDAR.next_opening(dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC))

    assert starts == vn(2026, 3, 10, 9)
    assert starts.utcoffset() == dt.timedelta(hours=7)
    assert starts.isoformat() == "2026-03-10T09:00:00+07:00"


def test_work_ending_exactly_at_closing_time_is_due_at_closing_time() -> None:
    assert CALENDAR.add_working_hours(vn(2026, 3, 10, 7), dt.timedelta(hours=4.5)) == vn(
        2026, 3, 10, 11, 30
    )
    assert CALENDAR.add_working_hours(vn(2026, 3, 10, 7), dt.timedelta(hours=8)) == vn(
        2026, 3, 10, 17
    )
    assert CALENDAR.deadline(vn(2026, 3, 10, 7), 1).due == vn(2026, 3, 10, 17)


def test_adding_working_hours_crosses_lunch_nights_and_weekends() -> None:
    assert CALENDAR.add_working_hours(vn(2026, 3, 10, 11), dt.timedelta(hours=1)) == vn(
        2026, 3, 10, 14
    )
    # Friday 16:00 + 2 h: one hour on Friday, one on Monday morning.
    assert CALENDAR.add_working_hours(vn(2026, 3, 13, 16), dt.timedelta(hours=2)) == vn(
        2026, 3, 16, 8
    )


def test_adding_working_hours_counts_from_the_next_opening() -> None:
    assert CALENDAR.add_working_hours(vn(2026, 3, 10, 20), dt.timedelta(hours=1)) == vn(
        2026, 3, 11, 8
    )


def test_adding_negative_working_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        CALENDAR.add_working_hours(vn(2026, 3, 10, 9), dt.timedelta(hours=-1))


def test_zero_working_days_are_due_when_the_clock_starts() -> None:
    deadline = CALENDAR.deadline(vn(2026, 3, 10, 12), 0)

    assert deadline.starts == vn(2026, 3, 10, 13, 30)
    assert deadline.due == deadline.starts


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        CALENDAR.deadline(vn(2026, 3, 10, 9), -1)


def test_working_days_must_be_a_whole_number() -> None:
    with pytest.raises(TypeError):
        CALENDAR.deadline(vn(2026, 3, 10, 9), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CALENDAR.deadline(vn(2026, 3, 10, 9), True)


def test_a_long_deadline_spans_many_weeks() -> None:
    # 15 working days from Monday 2 March 2026 07:00: three full weeks, no holiday.
    assert CALENDAR.deadline(vn(2026, 3, 2, 7), 15).due == vn(2026, 3, 20, 17)


def test_a_unit_with_its_own_office_hours_counts_its_own_day() -> None:
    hours = OfficeHours(
        periods=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))
    )
    calendar = WorkingCalendar(hours)

    assert hours.hours_per_day == 8
    assert calendar.next_opening(vn(2026, 3, 10, 7)) == vn(2026, 3, 10, 7, 30)
    assert calendar.next_opening(vn(2026, 3, 10, 12, 45)) == vn(2026, 3, 10, 13)
    assert calendar.next_opening(vn(2026, 3, 10, 13, 15)) == vn(2026, 3, 10, 13, 15)
    assert calendar.deadline(vn(2026, 3, 10, 7), 1).due == vn(2026, 3, 10, 17)
    # From 12:00: 13:00–17:00 today, then 07:30–11:30 tomorrow.
    assert calendar.deadline(vn(2026, 3, 10, 12), 1).due == vn(2026, 3, 11, 11, 30)


def test_a_morning_only_office_has_a_shorter_day() -> None:
    calendar = WorkingCalendar(OfficeHours(periods=((dt.time(7, 30), dt.time(11, 30)),)))

    assert calendar.office_hours.hours_per_day == 4
    assert calendar.deadline(vn(2026, 3, 10, 14), 2).due == vn(2026, 3, 12, 11, 30)


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((dt.time(11, 30), dt.time(7, 0)),),
        ((dt.time(7, 0), dt.time(7, 0)),),
        ((dt.time(7, 0), dt.time(12, 0)), (dt.time(11, 0), dt.time(17, 0))),
        ((dt.time(13, 30), dt.time(17, 0)), (dt.time(7, 0), dt.time(11, 30))),
        ((dt.time(7, 0, tzinfo=dt.UTC), dt.time(11, 30, tzinfo=dt.UTC)),),
    ],
    ids=["empty", "reversed", "empty-period", "overlapping", "unordered", "with-zone"],
)
def test_office_hours_refuse_periods_that_make_no_sense(
    periods: tuple[tuple[dt.time, dt.time], ...],
) -> None:
    with pytest.raises(ValueError):
        OfficeHours(periods=periods)


def test_office_hours_refuse_an_unknown_time_zone() -> None:
    with pytest.raises(ValueError, match="Múi giờ không hợp lệ"):
        OfficeHours(tz="Asia/Atlantis")


def test_office_hours_are_frozen_and_hashable() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_OFFICE_HOURS.tz = "UTC"  # type: ignore[misc]
    assert hash(OfficeHours()) == hash(DEFAULT_OFFICE_HOURS)


def test_a_naive_datetime_is_rejected() -> None:
    naive = dt.datetime(2026, 3, 10, 9)  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValueError, match="múi giờ"):
        CALENDAR.next_opening(naive)
    with pytest.raises(ValueError, match="múi giờ"):
        CALENDAR.deadline(naive, 1)
    with pytest.raises(ValueError, match="múi giờ"):
        CALENDAR.add_working_hours(naive, dt.timedelta(hours=1))
    with pytest.raises(ValueError, match="múi giờ"):
        CALENDAR.working_hours_between(vn(2026, 3, 10, 9), naive)


def test_working_hours_between_counts_only_office_time() -> None:
    assert CALENDAR.working_hours_between(vn(2026, 3, 10, 11), vn(2026, 3, 10, 14)) == (
        dt.timedelta(hours=1)
    )
    assert CALENDAR.working_hours_between(vn(2026, 3, 10, 12), vn(2026, 3, 10, 13)) == (
        dt.timedelta(0)
    )
    # Friday 16:00 to Monday 08:00: an hour each side of the weekend.
    assert CALENDAR.working_hours_between(vn(2026, 3, 13, 16), vn(2026, 3, 16, 8)) == (
        dt.timedelta(hours=2)
    )


def test_working_hours_between_skips_tet() -> None:
    assert CALENDAR.working_hours_between(vn(2026, 2, 13, 16, 30), vn(2026, 2, 25, 16, 30)) == (
        dt.timedelta(hours=24)
    )


def test_working_hours_between_is_negative_backwards_and_zero_for_one_instant() -> None:
    assert CALENDAR.working_hours_between(vn(2026, 3, 10, 14), vn(2026, 3, 10, 11)) == (
        -dt.timedelta(hours=1)
    )
    assert CALENDAR.working_hours_between(vn(2026, 3, 10, 9), vn(2026, 3, 10, 9)) == (
        dt.timedelta(0)
    )


def test_working_hours_between_undoes_add_working_hours() -> None:
    starts = [
        vn(2026, 2, 13, 16, 30),
        vn(2026, 4, 24, 10),
        vn(2026, 8, 21, 12),
        vn(2026, 12, 31, 9),
    ]
    amounts = [dt.timedelta(minutes=m) for m in (1, 90, 270, 480, 2000, 10_000)]
    for start in starts:
        for amount in amounts:
            due = CALENDAR.add_working_hours(start, amount)
            assert CALENDAR.working_hours_between(start, due) == amount, (start, amount)

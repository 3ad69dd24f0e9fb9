"""The working-day calendar: office hours, Vietnamese public holidays and deadlines.

Deadlines for administrative procedures are counted in *working days*, and a working day
is the office hours of a day on which offices are open. Which days those are comes from
the ``holidays`` package, which knows both the public holidays of Việt Nam (Tết, observed
days, days off substituted from a Saturday) and the Saturdays swapped into working days.
Nothing here hard-codes a holiday.

A deadline of *n* working days is ``n × hours_per_day`` of office time counted from the
moment the office is next open after the file is received, so a file received late on a
Friday afternoon gets the rest of Friday plus whole days after the weekend.

All arithmetic is done day by day over office periods (never minute by minute), and the
holiday lookups are cached, so thousands of deadlines cost little.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "Deadline",
    "OfficeHours",
    "TimeUnit",
    "WorkingCalendar",
    "is_vietnamese_working_day",
]

_UTC = dt.UTC

# A calendar with no working day for this many days in a row is broken, not busy: stop
# walking instead of looping forever.
_MAX_SEARCH_DAYS = 3660


@lru_cache(maxsize=32)
def _vn_holidays(first_year: int, last_year: int) -> holidays.HolidayBase:
    """The Vietnamese holidays of ``first_year``..``last_year``, built once per range.

    ``expand=False`` keeps the cached object read-only: a lookup outside the range must
    not quietly populate (mutate) an object shared by every caller.
    """
    return holidays.country_holidays("VN", years=range(first_year, last_year + 1), expand=False)


@lru_cache(maxsize=8192)
def is_vietnamese_working_day(day: dt.date) -> bool:
    """Whether offices in Việt Nam are open on ``day``.

    Monday to Friday unless a public holiday (or a day off substituted for one), plus the
    Saturdays decreed working days in exchange.
    """
    # Substitutions and observed days can cross a New Year (a Saturday of December worked
    # for a day off in January), so look the day up with its neighbouring years loaded.
    return _vn_holidays(day.year - 1, day.year + 1).is_working_day(day)


# The usual state office day: 07:00–11:30 and 13:30–17:00, eight hours.
_DEFAULT_PERIODS = ((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))


def _wall_length(start: dt.time, end: dt.time) -> dt.timedelta:
    """The length of a period on the clock face (both times on the same day)."""
    day = dt.date(2000, 1, 1)  # any day: naive times ignore DST
    return dt.datetime.combine(day, end) - dt.datetime.combine(day, start)


@dataclass(frozen=True)
class OfficeHours:
    """When an office is open on a working day, in the time zone ``tz``.

    ``periods`` are (opening, closing) pairs of wall-clock times, in order, not overlapping;
    the default is the usual state office day, 07:00–11:30 and 13:30–17:00 (8 hours).
    """

    periods: tuple[tuple[dt.time, dt.time], ...] = _DEFAULT_PERIODS
    tz: str = "Asia/Ho_Chi_Minh"

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("Giờ làm việc phải có ít nhất một buổi.")
        previous_end: dt.time | None = None
        for opening, closing in self.periods:
            # Periods are wall-clock times in ``tz``; a time carrying its own zone would
            # silently disagree with it.
            if opening.tzinfo is not None or closing.tzinfo is not None:
                raise ValueError("Giờ mở và đóng cửa không được kèm múi giờ; dùng tham số tz.")
            if opening >= closing:
                raise ValueError(
                    f"Buổi làm việc {opening:%H:%M}–{closing:%H:%M} không hợp lệ: "
                    "giờ mở cửa phải trước giờ đóng cửa."
                )
            if previous_end is not None and opening < previous_end:
                raise ValueError(
                    f"Các buổi làm việc phải theo thứ tự và không chồng lên nhau "
                    f"(buổi bắt đầu {opening:%H:%M} trước khi buổi trước kết thúc "
                    f"{previous_end:%H:%M})."
                )
            previous_end = closing
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Múi giờ không hợp lệ: {self.tz!r}.") from error

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone (``ZoneInfo`` caches instances, so this is cheap)."""
        return ZoneInfo(self.tz)

    @property
    def time_per_day(self) -> dt.timedelta:
        """Office time in one working day, exactly."""
        return sum(
            (_wall_length(opening, closing) for opening, closing in self.periods),
            dt.timedelta(0),
        )

    @property
    def hours_per_day(self) -> float:
        """Office hours in one working day, e.g. ``8.0`` for the default office."""
        return self.time_per_day / dt.timedelta(hours=1)


DEFAULT_OFFICE_HOURS = OfficeHours()


class TimeUnit:
    """How a legal time limit is counted (the values stored in procedure rules)."""

    WORKING_DAYS = "working_days"  # n office days of office time
    WORKING_HOURS = "working_hours"  # n hours of office time
    CALENDAR_DAYS = "calendar_days"  # n days on the calendar, ending at closing time
    SAME_DAY = "same_day"  # by the closing of the day the clock starts ("trong ngày")

    ALL = (WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS, SAME_DAY)


@dataclass(frozen=True)
class Deadline:
    """When a file was received, when its clock starts, and when it is due."""

    received: dt.datetime
    starts: dt.datetime
    due: dt.datetime


def _elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    # Subtracting datetimes that share a tzinfo compares wall clocks; going through UTC
    # gives real elapsed time even across a DST change in zones that have one.
    return end.astimezone(_UTC) - start.astimezone(_UTC)


class WorkingCalendar:
    """Working days and office hours, for counting deadlines in office time."""

    def __init__(self, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS) -> None:
        self.office_hours = office_hours
        self._zone = office_hours.zone
        # Each day's periods, built once: deadlines walk the same days again and again.
        self._days: dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.office_hours!r})"

    def is_working_day(self, day: dt.date) -> bool:
        """Mon–Fri that are not public holidays, plus Saturdays swapped into working days."""
        return is_vietnamese_working_day(day)

    def is_open(self, instant: dt.datetime) -> bool:
        """Whether ``instant`` falls inside office hours (opening included, closing not)."""
        local = self._to_local(instant)
        return any(
            opening <= local < closing for opening, closing in self._periods_on(local.date())
        )

    def next_opening(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` itself if the office is open then, else the next opening time.

        The result is in the office's time zone. A closing time is not "open": received
        at 17:00 sharp, a file waits for the next opening.
        """
        local = self._to_local(instant)
        for opening, closing in self._periods_from(local.date()):
            if local < opening:
                return opening
            if local < closing:
                return local
        raise AssertionError("unreachable: _periods_from never ends")  # pragma: no cover

    def add_working_hours(self, start: dt.datetime, hours: dt.timedelta) -> dt.datetime:
        """The instant ``hours`` of office time after ``start``.

        Counting starts at ``next_opening(start)``. Work that ends exactly at a closing
        time is done at that closing time, not at the next opening.
        """
        if hours < dt.timedelta(0):
            raise ValueError("Số giờ làm việc không được âm.")
        cursor = self.next_opening(start)
        remaining = hours
        if not remaining:
            return cursor
        for opening, closing in self._periods_from(cursor.date()):
            if closing <= cursor:
                continue
            begin = max(opening, cursor)
            available = _elapsed(begin, closing)
            if remaining <= available:
                return (begin.astimezone(_UTC) + remaining).astimezone(self._zone)
            remaining -= available
        raise AssertionError("unreachable: _periods_from never ends")  # pragma: no cover

    def deadline(self, received: dt.datetime, working_days: int) -> Deadline:
        """The deadline of a file received at ``received`` with ``working_days`` to do it.

        The clock starts when the office next opens and runs ``working_days`` full office
        days; 0 working days means due as soon as the clock starts.
        """
        # bool is an int, but ``deadline(x, True)`` is surely a bug.
        if isinstance(working_days, bool) or not isinstance(working_days, int):
            raise TypeError("Số ngày làm việc phải là số nguyên.")
        if working_days < 0:
            raise ValueError(f"Số ngày làm việc không được âm: {working_days}.")
        local = self._to_local(received)
        starts = self.next_opening(local)
        due = self.add_working_hours(starts, self.office_hours.time_per_day * working_days)
        return Deadline(received=local, starts=starts, due=due)

    def clock_start(self, received: dt.datetime, *, cutoff: dt.time | None = None) -> dt.datetime:
        """When the clock of a file received at ``received`` starts.

        At the next opening; and where the rule sets a cut-off time (e.g. "received after
        15:00, from the next working day"), a file received at or after it on a day the
        office is open starts at the next working day's opening.
        """
        local = self._to_local(received)
        starts = self.next_opening(local)
        if cutoff is not None and starts.date() == local.date() and local.time() >= cutoff:
            following = dt.datetime.combine(
                local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=self._zone
            )
            starts = self.next_opening(following)
        return starts

    def due(
        self,
        received: dt.datetime,
        amount: int,
        unit: str = TimeUnit.WORKING_DAYS,
        *,
        cutoff: dt.time | None = None,
    ) -> Deadline:
        """The deadline of a file under a time limit of ``amount`` ``unit`` (see TimeUnit).

        Calendar days end at the office's closing time of the last day; when that day is
        not a working day the limit ends at the closing of the next working day (Civil Code
        2015, Article 148(5)).
        """
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError("Thời hạn phải là số nguyên.")
        if amount < 0:
            raise ValueError(f"Thời hạn không được âm: {amount}.")
        local = self._to_local(received)
        starts = self.clock_start(local, cutoff=cutoff)
        if unit == TimeUnit.WORKING_DAYS:
            due = self.add_working_hours(starts, self.office_hours.time_per_day * amount)
        elif unit == TimeUnit.WORKING_HOURS:
            due = self.add_working_hours(starts, dt.timedelta(hours=amount))
        elif unit == TimeUnit.SAME_DAY:
            due = self._periods_on(starts.date())[-1][1]
        elif unit == TimeUnit.CALENDAR_DAYS:
            day = starts.date() + dt.timedelta(days=amount)
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            due = max(self._periods_on(day)[-1][1], starts)
        else:
            raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit!r}.")
        return Deadline(received=local, starts=starts, due=due)

    def add_working_days(self, day: dt.date, working_days: int) -> dt.date:
        """The ``working_days``-th working day after ``day`` (a clock counted in whole days)."""
        if working_days < 0:
            raise ValueError(f"Số ngày làm việc không được âm: {working_days}.")
        while working_days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                working_days -= 1
        return day

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Office time between ``a`` and ``b``; negative when ``b`` is before ``a``.

        Useful to pause a clock (office time spent waiting for the applicant) and to tell
        how early or late a file was finished against its due time.
        """
        start, end = self._to_local(a), self._to_local(b)
        if end < start:
            return -self.working_hours_between(b, a)
        total = dt.timedelta(0)
        day, last_day = start.date(), end.date()
        while day <= last_day:
            for opening, closing in self._periods_on(day):
                begin, finish = max(opening, start), min(closing, end)
                if begin < finish:
                    total += _elapsed(begin, finish)
            day += dt.timedelta(days=1)
        return total

    def _to_local(self, instant: dt.datetime) -> dt.datetime:
        # A naive datetime could mean any zone; guessing would shift deadlines by hours.
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(
                f"Cần ngày giờ có múi giờ (aware datetime), nhận được {instant.isoformat()}."
            )
        return instant.astimezone(self._zone)

    def _periods_from(self, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Every office period from ``day`` on, in order, without end.

        Raises ValueError after ``_MAX_SEARCH_DAYS`` days in a row without a working day,
        and OverflowError past the year 9999.
        """
        idle_days = 0
        while True:
            periods = self._periods_on(day)
            if periods:
                idle_days = 0
                yield from periods
            else:
                idle_days += 1
                if idle_days > _MAX_SEARCH_DAYS:
                    raise ValueError(
                        f"Không có ngày làm việc nào trong {_MAX_SEARCH_DAYS} ngày đến {day}."
                    )
            day += dt.timedelta(days=1)

    def _periods_on(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The office periods of ``day`` as aware datetimes; none on a day off."""
        found = self._days.get(day)
        if found is not None:
            return found
        if not self.is_working_day(day):
            found = ()
        else:
            zone = self._zone
            found = tuple(
                (
                    dt.datetime.combine(day, opening, tzinfo=zone),
                    dt.datetime.combine(day, closing, tzinfo=zone),
                )
                for opening, closing in self.office_hours.periods
            )
        if len(self._days) < 20_000:
            self._days[day] = found
        return found

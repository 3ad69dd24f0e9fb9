"""``gandan deadline``: when is a file due, counting working days and office hours?

    gandan deadline --received 2026-02-13T16:30 --working-days 3
    {"received": "2026-02-13T16:30:00+07:00", "starts": "2026-02-13T16:30:00+07:00",
     "due": "2026-02-25T16:30:00+07:00"}

``--received`` is ISO 8601; without an offset it is local time in Việt Nam. With
``--unit CODE`` the office hours are that administrative unit's, else the usual
07:00–11:30, 13:30–17:00. Output is one line of JSON, so scripts can read it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gandan.core.calendar import DEFAULT_OFFICE_HOURS, OfficeHours, WorkingCalendar

# Files are received in Việt Nam: a time without an offset is read as local time there.
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def parse_received(value: Any) -> dt.datetime:
    """An aware datetime from ISO 8601 text (or a datetime), local time if no offset."""
    if isinstance(value, dt.datetime):
        received = value
    else:
        try:
            received = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise CommandError(
                f"Ngày giờ nhận không hợp lệ: {value!r} (cần dạng ISO 8601, "
                "ví dụ 2026-02-13T16:30 hoặc 2026-02-13T16:30:00+07:00)."
            ) from None
    if received.tzinfo is None or received.utcoffset() is None:
        received = received.replace(tzinfo=LOCAL_ZONE)
    return received


def parse_working_days(value: Any) -> int:
    """A non-negative whole number of working days, from text or an int."""
    if isinstance(value, bool):
        raise CommandError(f"Số ngày làm việc phải là số nguyên không âm: {value!r}.")
    if isinstance(value, int):
        days = value
    else:
        try:
            days = int(str(value).strip())
        except ValueError:
            raise CommandError(f"Số ngày làm việc phải là số nguyên không âm: {value!r}.") from None
    if days < 0:
        raise CommandError(f"Số ngày làm việc không được âm: {days}.")
    return days


def office_hours_for(unit: str | None, on: dt.date) -> OfficeHours:
    """The office hours of the unit with code ``unit``, or the default ones."""
    if not unit:
        return DEFAULT_OFFICE_HOURS
    # Imported here so the command works without the geo app's database tables unless a
    # unit is asked for.
    from gandan.geo.selectors import UnitNotFound, office_hours_for_unit_code

    try:
        return office_hours_for_unit_code(unit, on)
    except UnitNotFound:
        raise CommandError(f"Không tìm thấy đơn vị hành chính có mã {unit!r}.") from None


class Command(BaseCommand):
    help = (
        "Tính hạn giải quyết hồ sơ theo ngày làm việc (bỏ qua ngày nghỉ, lễ, Tết; tính cả "
        "thứ Bảy làm bù) và in ra một dòng JSON: received, starts, due. "
        "Computes a file's due time in working days and prints one line of JSON."
    )
    # A pure calculation: it needs neither URLs nor models to be checked first, and it
    # stays quick to call from scripts.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received",
            required=True,
            help="Ngày giờ nhận hồ sơ, ISO 8601; không có múi giờ thì hiểu là giờ Việt Nam "
            "(ví dụ 2026-02-13T16:30).",
        )
        parser.add_argument(
            "--working-days",
            required=True,
            dest="working_days",
            help="Số ngày làm việc để giải quyết (số nguyên ≥ 0).",
        )
        parser.add_argument(
            "--unit",
            default=None,
            metavar="CODE",
            help="Mã đơn vị hành chính, để dùng giờ làm việc của đơn vị đó.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Validate everything before printing anything: on error stdout stays empty.
        received = parse_received(options["received"])
        working_days = parse_working_days(options["working_days"])
        office_hours = office_hours_for(options.get("unit"), received.astimezone(LOCAL_ZONE).date())
        try:
            deadline = WorkingCalendar(office_hours).deadline(received, working_days)
        except OverflowError:
            raise CommandError("Hạn giải quyết vượt quá phạm vi ngày tháng hỗ trợ.") from None
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            json.dumps(
                {
                    "received": deadline.received.isoformat(),
                    "starts": deadline.starts.isoformat(),
                    "due": deadline.due.isoformat(),
                }
            )
        )

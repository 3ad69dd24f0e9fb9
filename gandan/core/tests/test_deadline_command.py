"""``gandan deadline``: one line of JSON with received, starts and due."""

import datetime as dt
import importlib
import json
import subprocess
import sys
from io import StringIO
from types import ModuleType
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from gandan.core.calendar import OfficeHours

WORKED_EXAMPLE = {
    "received": "2026-02-13T16:30:00+07:00",
    "starts": "2026-02-13T16:30:00+07:00",
    "due": "2026-02-25T16:30:00+07:00",
}


def run(**options: object) -> dict[str, str]:
    out = StringIO()
    call_command("deadline", stdout=out, **options)
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1, text
    result: dict[str, str] = json.loads(text)
    return result


def assert_refused(message: str, **options: object) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("deadline", stdout=out, **options)
    assert out.getvalue() == ""


@pytest.fixture
def selectors(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``gandan.geo.selectors``, or a stand-in while that module is still being written."""
    try:
        module = importlib.import_module("gandan.geo.selectors")
    except ModuleNotFoundError as error:
        if error.name != "gandan.geo.selectors":
            raise
        module = ModuleType("gandan.geo.selectors")
        monkeypatch.setitem(sys.modules, "gandan.geo.selectors", module)
        monkeypatch.setattr(
            importlib.import_module("gandan.geo"), "selectors", module, raising=False
        )
    if not hasattr(module, "UnitNotFound"):
        monkeypatch.setattr(
            module, "UnitNotFound", type("UnitNotFound", (LookupError,), {}), raising=False
        )
    return module


def test_it_prints_the_tet_worked_example_as_json() -> None:
    assert run(received="2026-02-13T16:30:00+07:00", working_days=3) == WORKED_EXAMPLE


def test_a_received_time_without_offset_is_vietnamese_local_time() -> None:
    assert run(received="2026-02-13T16:30", working_days="3") == WORKED_EXAMPLE


def test_a_received_time_in_utc_is_shown_in_vietnamese_time() -> None:
    assert run(received="2026-02-13T09:30:00Z", working_days=3) == WORKED_EXAMPLE


def test_a_file_received_after_hours_starts_the_next_morning() -> None:
    assert run(received="2026-03-09T18:00", working_days=1) == {
        "received": "2026-03-09T18:00:00+07:00",
        "starts": "2026-03-10T07:00:00+07:00",
        "due": "2026-03-10T17:00:00+07:00",
    }


def test_zero_working_days_are_due_when_the_clock_starts() -> None:
    result = run(received="2026-03-10T12:00", working_days=0)

    assert result["starts"] == result["due"] == "2026-03-10T13:30:00+07:00"


@pytest.mark.parametrize("received", ["2026-02-30T09:00", "hôm qua", "", "13/02/2026 16:30"])
def test_a_malformed_received_time_is_refused(received: str) -> None:
    assert_refused("Ngày giờ nhận không hợp lệ", received=received, working_days=3)


@pytest.mark.parametrize("days", ["-1", -2])
def test_negative_working_days_are_refused(days: object) -> None:
    assert_refused("không được âm", received="2026-02-13T16:30", working_days=days)


@pytest.mark.parametrize("days", ["1.5", "ba", ""])
def test_working_days_that_are_not_whole_numbers_are_refused(days: str) -> None:
    assert_refused("số nguyên", received="2026-02-13T16:30", working_days=days)


def test_missing_options_are_refused() -> None:
    assert_refused("received", working_days=3)
    assert_refused("working-days", received="2026-02-13T16:30")


def test_a_unit_s_own_office_hours_are_used(selectors: ModuleType) -> None:
    unit_hours = OfficeHours(
        periods=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))
    )
    with mock.patch.object(
        selectors, "office_hours_for_unit_code", create=True, return_value=unit_hours
    ) as office_hours_for_unit_code:
        result = run(received="2026-03-10T12:00", working_days=1, unit="26734")

    office_hours_for_unit_code.assert_called_once_with("26734", dt.date(2026, 3, 10))
    assert result == {
        "received": "2026-03-10T12:00:00+07:00",
        "starts": "2026-03-10T13:00:00+07:00",
        "due": "2026-03-11T11:30:00+07:00",
    }


def test_an_unknown_unit_is_refused(selectors: ModuleType) -> None:
    with mock.patch.object(
        selectors,
        "office_hours_for_unit_code",
        create=True,
        side_effect=selectors.UnitNotFound("99999"),
    ):
        assert_refused(
            "Không tìm thấy đơn vị hành chính có mã '99999'",
            received="2026-03-10T12:00",
            working_days=1,
            unit="99999",
        )


def test_without_a_unit_the_geo_selectors_are_not_asked(selectors: ModuleType) -> None:
    with mock.patch.object(selectors, "office_hours_for_unit_code", create=True) as lookup:
        run(received="2026-03-10T12:00", working_days=1)

    lookup.assert_not_called()


def test_the_console_script_prints_json_and_fails_cleanly_on_bad_input() -> None:
    command = [sys.executable, "-m", "gandan", "deadline", "--working-days"]

    good = subprocess.run(
        [*command, "3", "--received", "2026-02-13T16:30"],
        capture_output=True,
        text=True,
        check=False,
    )
    bad = subprocess.run(
        [*command, "-1", "--received", "2026-02-13T16:30"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == WORKED_EXAMPLE
    assert bad.returncode != 0
    assert bad.stdout == ""
    assert "không được âm" in bad.stderr

"""Decision 766 metrics on a hand-made period, and the ``onestop`` report (CLI and API)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from gandan.onestop import services
from gandan.onestop.models import Channel
from gandan.onestop.selectors import onestop_breakdown, onestop_report
from gandan.onestop.tests.factories import LAND, MARITAL, at, receive, supplemented_twice

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 13)


@pytest.fixture(autouse=True)
def _frozen_time():  # type: ignore[no-untyped-def]
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        yield


@pytest.fixture
def period(personas):  # type: ignore[no-untyped-def]
    a = personas.commune_a
    s = services
    on_time = receive(a, MARITAL, when=at(2026, 3, 2, 8), digitised=True)
    s.dossier_finish(
        dossier=on_time, electronic=True, at=at(2026, 3, 3, 9), actor=personas.official_a
    )
    s.dossier_return(dossier=on_time, at=at(2026, 3, 3, 10))
    s.dossier_mark_complaint(dossier=on_time, note="Phải chờ lâu ở quầy")
    online = receive(a, MARITAL, channel=Channel.ONLINE, when=at(2026, 3, 1, 20))
    s.dossier_accept(dossier=online, at=at(2026, 3, 2, 9))
    s.dossier_finish(dossier=online, at=at(2026, 3, 9, 9), actor=personas.official_a)
    twice = supplemented_twice(a, reused=True)
    receive(a, MARITAL, when=at(2026, 3, 4, 8))  # open, overdue at the end
    receive(a, LAND, when=at(2026, 3, 12, 8))  # open, not yet due
    withdrawn = receive(a, MARITAL, when=at(2026, 3, 2, 9))
    s.dossier_withdraw(dossier=withdrawn, reason="Không cần nữa", at=at(2026, 3, 3, 9))
    earlier = receive(a, MARITAL, when=at(2026, 2, 25, 8))
    s.dossier_finish(dossier=earlier, at=at(2026, 2, 27, 9))  # finished before the period
    carried = receive(a, LAND, when=at(2026, 2, 25, 8))
    s.dossier_finish(dossier=carried, at=at(2026, 3, 3, 9))  # received before, finished in it
    other = receive(personas.commune_b, MARITAL, when=at(2026, 3, 2, 8))
    s.dossier_finish(dossier=other, at=at(2026, 3, 11, 9))  # late, in commune B
    return {"on_time": on_time, "online": online, "twice": twice, "carried": carried}


def test_the_766_figures_of_a_commune_follow_the_formulas(personas, period) -> None:  # type: ignore[no-untyped-def]
    report = onestop_report(unit=personas.commune_a, start=START, end=END)
    assert report["received"] == 6  # the withdrawn one was received too
    assert report["finished"] == 4  # on time, online, twice, carried
    assert report["handled"] == 6  # + two still open at the end
    assert report["on_time"] == 3  # on_time, carried, the one not yet due
    assert (report["late"], report["on_time_rate"], report["late_rate"]) == (3, 50.0, 50.0)
    assert report["online_rate"] == 16.67  # 1 of 6
    assert report["digitisation_rate"] == 25.0  # 1 of 4 finished
    assert report["reuse_rate"] == 16.67
    assert report["complaint_rate"] == 16.67
    assert report["satisfaction"] == 33.33  # 100 − (50 + 16.67)
    hours = [d.handling_hours for d in period.values()]
    assert period["on_time"].handling_hours == 9  # Mon 8:00–17:00 (7 h) + Tue 7:00–9:00
    assert report["average_days"] == round(sum(hours) / 4 / 8, 2)
    assert [row["unit"] for row in report["by_unit"]] == [personas.commune_a.code]


def test_the_province_adds_up_its_communes_and_ranks_them(personas, period) -> None:  # type: ignore[no-untyped-def]
    report = onestop_report(unit=personas.province, start=START, end=END)
    rows = {row["unit"]: row for row in report["by_unit"]}
    assert len(rows) == 40  # Huế's communes and wards after 1 Jul 2025
    a, b = rows[personas.commune_a.code], rows[personas.commune_b.code]
    assert report["handled"] == a["handled"] + b["handled"] == 7
    assert report["on_time"] == 3 and b["on_time"] == 0
    assert (a["rank"], b["rank"]) == (1, 2)
    assert "rank" not in rows[next(code for code in rows if code not in (a["unit"], b["unit"]))]


def test_a_period_before_the_dossiers_has_nothing_to_divide(personas, period) -> None:  # type: ignore[no-untyped-def]
    report = onestop_report(
        unit=personas.commune_a, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)
    )
    assert (
        report["received"],
        report["handled"],
        report["on_time_rate"],
        report["satisfaction"],
    ) == (0, 0, None, None)


def test_what_came_before_the_period_counts_only_while_it_is_open(personas) -> None:  # type: ignore[no-untyped-def]
    a, s = personas.commune_a, services
    receive(a, LAND, when=at(2026, 2, 24, 8))  # still open: handled in the period
    stopped = receive(a, MARITAL, when=at(2026, 2, 24, 9))
    s.dossier_stop(dossier=stopped, reason="Công dân đề nghị", at=at(2026, 2, 25, 9))
    withdrawn = receive(a, MARITAL, when=at(2026, 2, 24, 10))
    s.dossier_withdraw(
        dossier=withdrawn, reason="Không cần nữa", at=at(2026, 3, 4, 9)
    )  # closed within the period
    finished = receive(a, MARITAL, when=at(2026, 2, 24, 11))
    s.dossier_finish(dossier=finished, at=at(2026, 2, 26, 9))
    receive(a, MARITAL, when=at(2026, 3, 16, 8))  # after the period
    report = onestop_report(unit=a, start=START, end=END)
    assert (report["received"], report["finished"]) == (0, 0)
    # Only the open one: neither the stopped nor the finished one, nor the one withdrawn in
    # the period (handled means finished in it or still open at its end).
    assert (report["handled"], report["open"]) == (1, 1)


def test_figures_by_procedure_and_by_officer(personas, period) -> None:  # type: ignore[no-untyped-def]
    by_procedure = {
        row["name"][:8]: row
        for row in onestop_breakdown(unit=personas.commune_a, start=START, end=END, by="procedure")
    }
    assert by_procedure[MARITAL]["handled"] == 3 and by_procedure[LAND]["handled"] == 3
    officers = onestop_breakdown(unit=personas.commune_a, start=START, end=END, by="officer")
    official = next(row for row in officers if row["key"] == personas.official_a.pk)
    assert (official["finished"], official["on_time"]) == (2, 1)


def test_the_report_command_gives_the_same_figures(personas, period, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "report",
        "onestop",
        "--unit",
        personas.commune_a.code,
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-13",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    keys = (
        "unit",
        "from",
        "to",
        "received",
        "finished",
        "on_time",
        "on_time_rate",
        "late",
        "online_rate",
        "average_days",
        "satisfaction",
    )
    report = onestop_report(unit=personas.commune_a, start=START, end=END)
    assert {k: data[k] for k in keys} == {k: report[k] for k in keys}
    for fmt in ("csv", "xlsx"):
        out = StringIO()
        call_command(
            "report",
            "onestop",
            "--unit",
            "46",
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-13",
            "--format",
            fmt,
            "--output",
            str(tmp_path / f"report.{fmt}"),
            stdout=out,
        )
        assert (tmp_path / f"report.{fmt}").stat().st_size > 0


def test_the_report_refuses_bad_periods(personas) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    for args in (["--from", "2026-03-13", "--to", "2026-03-02"], ["--to", "2027-01-01"]):
        with pytest.raises(CommandError):
            call_command(
                "report", "onestop", "--unit", personas.commune_a.code, *args, stdout=StringIO()
            )

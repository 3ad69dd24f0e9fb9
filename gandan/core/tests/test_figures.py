"""Kept figures: computed once, read while younger than their age, then read while a background
task computes them again; a province's poverty screen and API say when they were computed."""

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from gandan.core.figures import figures_forget, figures_refresh_now, kept
from gandan.core.models import KeptFigures

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
START = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
CALLS: list[int] = []


def counted(n: int) -> dict[str, int]:
    """Figures that say how many times they were computed."""
    CALLS.append(n)
    return {"n": n, "computed": len(CALLS)}


@pytest.fixture(autouse=True)
def ten_minutes(settings):
    settings.GANDAN_FIGURES_MAX_AGE = 10
    settings.TASKS = DATABASE
    CALLS.clear()


def test_figures_are_computed_once_then_read_while_younger_than_their_age():
    with time_machine.travel(START, tick=False):
        first = kept(counted, n=7)
    assert (first.value, first.computed_at, first.refreshing) == (
        {"n": 7, "computed": 1},
        START,
        False,
    )
    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        again = kept(counted, n=7)
    assert (again.value, again.computed_at, again.refreshing) == (first.value, START, False)
    assert kept(counted, n=8).value == {"n": 8, "computed": 2}  # other parameters, other figures
    assert KeptFigures.objects.count() == 2


def test_older_figures_are_read_while_one_background_task_computes_them_again():
    with time_machine.travel(START, tick=False):
        kept(counted, n=7)
    later = START + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        stale = kept(counted, n=7)
        again = kept(counted, n=7)
    assert (stale.value["computed"], stale.computed_at, stale.refreshing) == (1, START, True)
    assert again.refreshing and DBTaskResult.objects.count() == 1  # asked for once
    row = KeptFigures.objects.get()
    assert row.refresh_asked_at == later
    with time_machine.travel(later + dt.timedelta(minutes=1), tick=False):
        assert figures_refresh_now(row.key)  # what the worker's task does
        fresh = kept(counted, n=7)
    assert (fresh.value["computed"], fresh.refreshing) == (2, False)
    assert KeptFigures.objects.get().refresh_asked_at is None


def test_a_refresh_not_done_in_time_is_asked_for_again():
    with time_machine.travel(START, tick=False):
        kept(counted, n=7)
    with time_machine.travel(START + dt.timedelta(minutes=11), tick=False):
        kept(counted, n=7)
    with time_machine.travel(START + dt.timedelta(minutes=17), tick=False):
        kept(counted, n=7)
    assert DBTaskResult.objects.count() == 2


def test_without_a_worker_the_refresh_runs_on_the_spot(settings):
    settings.TASKS = IMMEDIATE
    with time_machine.travel(START, tick=False):
        kept(counted, n=7)
    with time_machine.travel(START + dt.timedelta(minutes=11), tick=False):
        fresh = kept(counted, n=7)
    assert (fresh.value["computed"], fresh.refreshing) == (2, False)


def test_an_age_of_zero_keeps_nothing(settings):
    settings.GANDAN_FIGURES_MAX_AGE = 0
    assert kept(counted, n=7).value["computed"] == 1
    assert kept(counted, n=7).value["computed"] == 2
    assert not KeptFigures.objects.exists()


def test_forgotten_figures_are_computed_at_the_next_request():
    kept(counted, n=7)
    assert figures_forget(counted) == 1
    assert kept(counted, n=7).value["computed"] == 2


def test_the_province_poverty_screen_and_api_say_when_their_figures_were_computed(personas):
    leader = personas.client("leader")
    with time_machine.travel(START, tick=False):
        page = leader.get("/households/", {"unit": "46", "year": 2025}).content.decode()
        api = leader.get("/api/v1/reports/poverty/", {"unit": "46", "year": 2025}).json()
    assert "Số liệu được tính lúc 09:00 07/12/2026." in page
    assert api["computed_at"] == START.isoformat()
    assert KeptFigures.objects.count() == 2  # the report (one for both) and the trend
    commune = leader.get("/households/", {"unit": "19789", "year": 2025}).content.decode()
    assert 'id="computed-at"' not in commune  # a commune's figures are computed on each request


def test_the_province_dashboard_and_its_api_say_when_their_figures_were_computed(personas):
    leader = personas.client("leader")
    query = {"unit": "46", "from": "2026-11-01", "to": "2026-11-30"}
    with time_machine.travel(START, tick=False):
        page = leader.get("/onestop/dashboard/", query).content.decode()
        api = leader.get("/api/v1/reports/onestop/", query).json()
    assert "Số liệu được tính lúc 09:00 07/12/2026." in page
    assert api["computed_at"] == START.isoformat()
    assert KeptFigures.objects.count() == 2  # the report (one for both) and the weeks, breakdowns
    commune = leader.get("/onestop/dashboard/", query | {"unit": "19789"}).content.decode()
    assert 'id="computed-at"' not in commune


def test_the_desk_counts_a_province_by_status_as_kept_figures_a_commune_on_each_request(
    personas,
):
    with time_machine.travel(START, tick=False):
        leader = personas.client("leader").get("/onestop/").content.decode()
    assert "Số liệu được tính lúc 09:00 07/12/2026." in leader
    assert KeptFigures.objects.count() == 1
    officer = personas.client("official_a").get("/onestop/").content.decode()
    assert 'id="computed-at"' not in officer
    assert KeptFigures.objects.count() == 1

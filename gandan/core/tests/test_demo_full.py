"""The demo at full scale, generated ONCE for this module (it takes a while): each app's
published figures, computed from the records like any report.

The demo runs inside a transaction that is rolled back when the module ends, so other tests
see an empty database; each test runs in a savepoint inside it.
"""

import datetime as dt
import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from gandan.accounts.models import Membership, User
from gandan.households.models import Review, ReviewStatus
from gandan.officials.models import Evaluation, Rotation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def full_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", "--no-progress", stdout=out)
        # Check the demo's deferred foreign keys once, here: each test runs in a savepoint,
        # and a check fired inside a savepoint that is rolled back is pending again, so every
        # test's closing check (Django's) would check the whole demo's rows anew (≈ 30 s each
        # on PostgreSQL).
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


def report(*args: Any) -> dict[str, Any]:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def poverty(*args: Any) -> dict[str, Any]:
    return report("poverty", "--unit", "46", *args)


def figures(data: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(data[key] for key in keys)


def test_villages_match_the_published_counts_and_logins_are_printed(full_demo):
    text = full_demo
    assert "congchuc.thuanhoa" in text and "gandan-hue-2026" in text
    before = report("units", "--unit", "46", "--as-of", "2025-06-30")
    assert (before["thon"], before["to_dan_pho"]) == (724, 553)
    after = report("units", "--unit", "46", "--as-of", "2026-01-01")
    assert (after["thon"], after["to_dan_pho"]) == (724, 553)
    assert User.objects.filter(username__in=["lanhdao.hue", "congchuc.vyda"]).count() == 2
    assert Membership.objects.filter(
        user__username="truongthon.thuanhoa", hamlet__isnull=False
    ).exists()


def test_officials_reproduce_hue_2018_and_staff_the_new_communes(full_demo):
    then = report("officials", "--unit", "46", "--as-of", "2018-06-30")
    assert (
        then["cadres"]["count"],
        then["cadres"]["university_pct"],
        then["cadres"]["college_pct"],
        then["cadres"]["politics_intermediate_plus_pct"],
    ) == (1597, 59.1, 2.2, 83.5)
    assert (
        then["civil_servants"]["count"],
        then["civil_servants"]["university_pct"],
        then["civil_servants"]["college_pct"],
        then["civil_servants"]["politics_intermediate_plus_pct"],
    ) == (1759, 67.5, 6.8, 42.6)
    assert (
        then["cadres_and_civil_servants"] == 3356
    )  # the article says 3,355; the records say 3,356
    assert then["part_time"]["count"] == 10_570
    # Degrees earned after the census day do not count on it, but do later.
    later = report("officials", "--unit", "46", "--as-of", "2019-06-30")
    assert later["cadres"]["count"] <= 1597
    now = report("officials", "--unit", "46", "--as-of", dt.date.today().isoformat())  # noqa: DTZ011
    assert now["cadres"]["count"] == 40 * 8
    assert now["part_time"] == {"count": 1277 * 3, "commune": 0, "hamlet": 1277 * 3}
    assert Rotation.objects.exists()
    assert set(Evaluation.objects.values_list("year", flat=True)) == {2024, 2025}
    leaders = report("officials_leaders", "--unit", "46", "--as-of", dt.date.today().isoformat())  # noqa: DTZ011
    assert leaders["party_heads"] == 40 and leaders["non_local"] >= Rotation.objects.count()
    gaps = report("officials_standards", "--unit", "46", "--as-of", dt.date.today().isoformat())  # noqa: DTZ011
    assert gaps["count"] > 0


def test_households_reproduce_hue_published_poverty_figures(full_demo):
    assert poverty("--year", "2015")["poor_rate"] == 8.36
    assert poverty("--year", "2016")["poor_rate"] == 7.19
    end_2017 = poverty("--year", "2017")
    assert figures(
        end_2017,
        "poor",
        "poor_rate",
        "near_poor",
        "near_poor_rate",
        "poor_start",
        "fell_back",
        "newly_poor",
        "escaped",
        "left",
    ) == (17_662, 5.98, 15_429, 5.22, 21_239, 338, 1_993, 5_908, 0)
    assert end_2017["standard"]["legal_basis"] == "Quyết định 59/2015/QĐ-TTg"
    assert end_2017["poor"] == (
        end_2017["poor_start"]
        - end_2017["escaped"]
        - end_2017["left"]
        + end_2017["fell_back"]
        + end_2017["newly_poor"]
    )
    for year, poor, rate in [
        (2021, 16_006, 4.93),
        (2022, 11_735, 3.56),
        (2023, 7_540, 2.27),
        (2024, 4_689, 1.40),
    ]:
        data = poverty("--year", str(year))
        assert figures(data, "poor", "poor_rate") == (poor, rate), year
        assert data["standard"]["legal_basis"] == "Nghị định 07/2021/NĐ-CP"
    # 2024 on the legacy communes; as of today the same households under the 40 new communes.
    then = poverty("--year", "2024")
    assert len(then["by_unit"]) == 9  # the legacy districts, towns and city districts
    now = poverty("--year", "2024", "--as-of", dt.date.today().isoformat())  # noqa: DTZ011
    assert len(now["by_unit"]) == 40 and now["poor"] == 4_689
    # 2025: reviewed and decided on the 40 new communes.
    decided = poverty("--year", "2025")
    assert len(decided["by_unit"]) == 40 and decided["poor_start"] == 4_689
    assert decided["review"]["decided"] == 40
    assert Review.objects.filter(year=2026).exclude(status=ReviewStatus.DECIDED).exists()
    # Villages differ: a commune's report lists its villages with different rates.
    commune = max(decided["by_unit"], key=lambda row: row["poor"])
    villages = report("poverty", "--unit", commune["unit"], "--year", "2025")["by_unit"]
    assert len({row["poor_rate"] for row in villages}) > 3


def test_onestop_desks_reproduce_the_first_weeks_after_the_reform(full_demo):
    fortnight = report("onestop", "--unit", "46", "--from", "2025-07-01", "--to", "2025-07-14")
    assert figures(fortnight, "received", "online_rate") == (17_710, 75.8)
    july = report("onestop", "--unit", "46", "--from", "2025-07-01", "--to", "2025-07-31")
    assert july["received"] == 44_825
    assert len(july["by_unit"]) == 40
    # The last 30 days: the desks differ, as the province's ranking shows.
    today = dt.date.today()  # noqa: DTZ011
    recent = report(
        "onestop", "--unit", "46", "--from", (today - dt.timedelta(days=29)).isoformat(),
        "--to", today.isoformat(),
    )  # fmt: skip
    rates = [row["on_time_rate"] for row in recent["by_unit"] if row["handled"]]
    assert len(rates) == 40 and max(rates) - min(rates) > 5
    assert 85 < recent["online_rate"] < 95 and recent["rating"]["count"] > 1000

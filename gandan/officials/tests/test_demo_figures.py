"""The demo's people reproduce the seed article's 2018 figures exactly, computed from the records."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from gandan.officials.models import Evaluation, Rotation

pytestmark = pytest.mark.django_db


def report(*args):
    out = StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_reproduces_hue_2018_and_staffs_the_new_communes():
    call_command("demo", "--no-progress", stdout=StringIO())
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

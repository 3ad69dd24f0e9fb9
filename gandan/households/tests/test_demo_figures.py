"""The demo's households reproduce Huế's published poverty figures, computed from the records.

Only the stages the figures need run here (hamlets, then households), at full scale.
"""

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from tqdm import tqdm

from gandan.core.demo import DemoContext
from gandan.geo import demo as geo_demo
from gandan.households import demo
from gandan.households.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db


def report(*args: Any) -> dict[str, Any]:
    out = StringIO()
    call_command("report", "poverty", "--unit", "46", *args, stdout=out)
    return json.loads(out.getvalue())


def figures(data: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(data[key] for key in keys)


def test_the_demo_reproduces_hue_published_poverty_figures():
    ctx = DemoContext(scale=1, seed=46, out=StringIO())
    for stage in [geo_demo.STAGES[1], *demo.STAGES]:
        stage.run(ctx, tqdm(disable=True))

    assert report("--year", "2015")["poor_rate"] == 8.36
    assert report("--year", "2016")["poor_rate"] == 7.19
    end_2017 = report("--year", "2017")
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
        data = report("--year", str(year))
        assert figures(data, "poor", "poor_rate") == (poor, rate), year
        assert data["standard"]["legal_basis"] == "Nghị định 07/2021/NĐ-CP"
    # 2024 on the legacy communes; as of today the same households under the 40 new communes.
    then = report("--year", "2024")
    assert len(then["by_unit"]) == 9  # the legacy districts, towns and city districts
    now = report("--year", "2024", "--as-of", dt.date.today().isoformat())  # noqa: DTZ011
    assert len(now["by_unit"]) == 40 and now["poor"] == 4_689
    # 2025: reviewed and decided on the 40 new communes.
    decided = report("--year", "2025")
    assert len(decided["by_unit"]) == 40 and decided["poor_start"] == 4_689
    assert decided["review"]["decided"] == 40
    assert Review.objects.filter(year=2026).exclude(status=ReviewStatus.DECIDED).exists()
    # Villages differ: a commune's report lists its villages with different rates.
    commune = max(decided["by_unit"], key=lambda row: row["poor"])
    villages = report("--year", "2025").get("by_unit")
    assert villages
    rates = {row["poor_rate"] for row in json.loads(_commune(commune["unit"]))["by_unit"]}
    assert len(rates) > 3


def _commune(code: str) -> str:
    out = StringIO()
    call_command("report", "poverty", "--unit", code, "--year", "2025", stdout=out)
    return out.getvalue()

"""Classification at every boundary of every standard: the line itself, exactly the threshold
of deprivations, urban against rural, farm households' average living standard."""

import pytest

from gandan.households import services
from gandan.households.classification import classify

pytestmark = pytest.mark.django_db

D2 = ["water", "latrine"]
D3 = ["water", "latrine", "telecom"]


def standing(year, area, income, deprived, farming=False):
    rules = services.rules_for_year(year)
    return classify(rules, area=area, income=income, deprived=deprived, farming=farming).standing


@pytest.mark.parametrize(
    ("area", "income", "deprived", "expected"),
    [
        ("rural", 700_000, [], "poor"),  # at the lower line: poor whatever the deprivations
        ("rural", 700_001, D2, "near_poor"),
        ("rural", 700_001, D3, "poor"),
        ("rural", 1_000_000, D3, "poor"),  # at the upper line
        ("rural", 1_000_000, D2, "near_poor"),
        ("rural", 1_000_001, D3 + ["water"][:0] + ["housing_area"], "not_poor"),
        ("urban", 900_000, [], "poor"),
        ("urban", 900_001, D2, "near_poor"),
        ("urban", 1_300_000, D3, "poor"),
        ("urban", 1_300_001, D3, "not_poor"),
        ("urban", 1_000_000, [], "near_poor"),  # rural would be near-poor too, but by another rule
        ("rural", 0, [], "poor"),
    ],
)
def test_decision_59_2015(area, income, deprived, expected):
    for year in (2015, 2020):
        assert standing(year, area, income, deprived) == expected


@pytest.mark.parametrize(
    ("area", "income", "deprived", "expected"),
    [
        ("rural", 1_500_000, D3, "poor"),
        ("rural", 1_500_000, D2, "near_poor"),
        ("rural", 100_000, [], "near_poor"),  # no lower line under Decree 07/2021
        ("rural", 1_500_001, D3 + ["housing_area"], "not_poor"),
        ("urban", 2_000_000, D3, "poor"),
        ("urban", 2_000_000, D2, "near_poor"),
        ("urban", 1_600_000, D3, "poor"),  # above the rural line, below the urban one
        ("urban", 2_000_001, D3, "not_poor"),
    ],
)
def test_decree_07_2021(area, income, deprived, expected):
    for year in (2021, 2025):
        assert standing(year, area, income, deprived) == expected


@pytest.mark.parametrize(
    ("area", "income", "deprived", "expected"),
    [
        ("rural", 2_200_000, D3, "poor"),
        ("rural", 2_200_000, D2, "near_poor"),
        ("rural", 2_200_001, D3, "not_poor"),
        ("urban", 2_800_000, D3, "poor"),
        ("urban", 2_800_001, [], "not_poor"),
    ],
)
def test_decree_351_2025(area, income, deprived, expected):
    assert standing(2026, area, income, deprived) == expected


def test_average_living_standard_is_for_farm_households_where_the_standard_defines_it():
    assert standing(2024, "rural", 2_250_000, [], farming=True) == "average"
    assert standing(2024, "rural", 2_250_001, [], farming=True) == "not_poor"
    assert standing(2024, "rural", 2_000_000, [], farming=False) == "not_poor"
    assert standing(2024, "urban", 3_000_000, [], farming=True) == "average"
    assert standing(2017, "rural", 1_500_000, [], farming=True) == "average"
    assert standing(2026, "rural", 2_300_000, [], farming=True) == "not_poor"  # not defined


def test_the_explanation_names_the_area_income_line_deprivations_and_the_legal_text():
    rules = services.rules_for_year(2024)
    result = classify(
        rules,
        area="rural",
        income=1_200_000,
        deprived=["water", "latrine", "telecom", "housing_area"],
    )
    assert result.standing == "poor"
    assert result.explanation == (
        "nông thôn, thu nhập 1.200.000 ≤ 1.500.000, thiếu hụt 4/12 chỉ số: diện tích nhà ở "
        "bình quân đầu người, nguồn nước sinh hoạt, nhà tiêu hợp vệ sinh, sử dụng dịch vụ viễn "
        "thông (≥ 3) → hộ nghèo theo Nghị định 07/2021/NĐ-CP"
    )


def test_a_year_without_standard_and_an_indicator_of_another_standard_are_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Không có chuẩn nghèo"):
        services.rules_for_year(2014)
    rules = services.rules_for_year(2017)
    with pytest.raises(ValidationError, match="employment"):
        services.check_deprived(rules, ["employment"], 2017)

"""The page benchmark's rules: which budget a route has, and that it needs the demo."""

import pytest

from bench.bench_pages import PAGE_MS, RECORD_MS, SLOW_MS, _p95, bench_pages, budget_ms
from gandan.core.testing.url_matrix import RECORD_OF_A, SCOPED_PAGE, STAFF_ONLY


@pytest.mark.parametrize(
    ("route", "url", "expected", "budget"),
    [
        ("households/", "/households/", STAFF_ONLY, PAGE_MS),
        ("onestop/", "/onestop/", STAFF_ONLY, RECORD_MS),  # the desk's list
        ("onestop/<int:pk>/", "/onestop/7/", RECORD_OF_A, RECORD_MS),
        ("households/export/", "/households/export/?format=xlsx", SCOPED_PAGE, SLOW_MS),
        ("officials/<int:official_id>/pdf/", "/officials/3/pdf/", RECORD_OF_A, SLOW_MS),
    ],
)
def test_each_route_has_its_budget(route, url, expected, budget):
    assert budget_ms(route, url, expected) == budget


def test_p95_of_a_few_samples_is_their_slowest_but_one_outlier_of_many():
    assert _p95([10.0, 30.0, 20.0]) == 30.0
    assert _p95([float(n) for n in range(1, 101)]) == 95.0


def test_without_the_demo_the_benchmark_says_so(db):
    with pytest.raises(RuntimeError, match="load the demo first"):
        bench_pages(3)


def test_the_province_wide_addresses_answer_the_province_leader(personas):
    from bench.bench_pages import PROVINCE_WIDE

    for _route, persona, url in PROVINCE_WIDE:
        assert personas.client(persona).get(url).status_code == 200, url

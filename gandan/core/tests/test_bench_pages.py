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


def test_the_heavy_routes_are_routes_of_the_matrix():
    from bench.bench_pages import HEAVY_ROUTES
    from gandan.core.testing.url_matrix import all_rows

    assert HEAVY_ROUTES <= set(all_rows())


def test_scale_up_copies_households_and_dossiers_with_what_lists_read(personas):
    from bench.bench_pages import scale_up
    from gandan.households.models import Assessment, Household, Placement
    from gandan.households.tests.factories import assess, household
    from gandan.onestop.models import Dossier
    from gandan.onestop.tests.factories import receive

    home = household(personas.commune_a, hamlet=personas.hamlet_a, code="H1")
    assess(home, 2024, "poor")
    receive(personas.commune_a, idempotency_key="k1", actor=personas.official_a)
    receive(personas.commune_a, actor=personas.official_a)
    before = {m: m.objects.count() for m in (Household, Placement, Assessment, Dossier)}

    counts = scale_up(3)

    after = {m: m.objects.count() for m in before}
    assert after == {m: 3 * n for m, n in before.items()}
    assert counts["Household"] == after[Household] and counts["Dossier"] == after[Dossier]
    assert set(Household.objects.values_list("code", flat=True)) >= {"H1", "H1~2", "H1~3"}
    copy = Household.objects.get(code="H1~3")
    assert copy.placements.get().hamlet_id == personas.hamlet_a.pk
    assert copy.assessments.get().standing == home.assessments.get().standing
    keys = sorted(
        Dossier.objects.exclude(idempotency_key="").values_list("idempotency_key", flat=True)
    )
    assert keys == ["k1", "k1~2", "k1~3"]


def test_the_late_commune_officer_reads_the_lists_of_the_commune_last_in_code_order(personas):
    from django.test import Client

    from bench.bench_pages import LATE_COMMUNE_PAGES, late_commune_officer
    from gandan.households.tests.factories import household

    household(personas.commune_a, hamlet=personas.hamlet_a, code="A1")
    household(personas.commune_b, hamlet=personas.hamlet_b, code="Z9")

    officer = late_commune_officer()
    client = Client()
    client.force_login(officer)
    for _route, url in LATE_COMMUNE_PAGES:
        assert client.get(url).status_code == 200, url
    listed = client.get("/api/v1/households/").json()["results"]
    assert [row["code"] for row in listed] == ["Z9"]

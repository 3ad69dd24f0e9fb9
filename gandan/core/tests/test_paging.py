"""Lists are counted only so far past the page: exact below the cap, "more than" above it,
on the screen and in the API alike."""

import pytest

from gandan.core import paging
from gandan.core.paging import CappedPaginator, capped_count
from gandan.geo.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_five(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 5)


def test_a_short_list_is_counted_exactly(cap_of_five):
    units = Unit.objects.order_by("code")[:4]
    assert capped_count(list(units)) == (4, False)
    assert capped_count(Unit.objects.filter(pk__in=[u.pk for u in units])) == (4, False)


def test_a_long_list_is_counted_to_the_cap_past_the_rows_before_the_page(cap_of_five):
    assert Unit.objects.count() > 20
    assert capped_count(Unit.objects.order_by("code")) == (5, True)
    assert capped_count(Unit.objects.all(), before=10) == (15, True)
    pager = CappedPaginator(Unit.objects.order_by("code"), per_page=2)
    assert (pager.count, pager.capped, pager.num_pages) == (5, True, 3)

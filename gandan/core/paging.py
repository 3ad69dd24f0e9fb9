"""Pages of a list, screen and API alike, whose cost follows the page rather than the table.

A pager needs to know whether there is a next page, and roughly how far the list goes; it
does not need the exact size of a list of hundreds of thousands of rows, which costs a read
of every row in scope (the province leader's households: a second). So a list is counted
only up to :data:`COUNT_CAP` rows past the page asked for: below that the count is exact;
above it the page says "more than …" and the figures screens give the totals.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
COUNT_CAP = 10_000  # rows counted beyond the rows before the page asked for
MAX_ROWS = 10**12  # past any table: an offset beyond it counts no further (SQL's 64-bit LIMIT)


def capped_count(rows: Any, *, before: int = 0) -> tuple[int, bool]:
    """How many ``rows`` there are, counting no further than ``before + COUNT_CAP``; and
    whether the count stopped there (there are more)."""
    limit = min(before, MAX_ROWS) + COUNT_CAP
    if hasattr(rows, "query"):
        # Neither the order nor the columns shown change a count: only the rows' keys are read.
        found = int(rows.order_by().values("pk")[: limit + 1].count())
    else:
        found = len(rows[: limit + 1])
    return min(found, limit), found > limit


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator, counting at most :data:`COUNT_CAP` rows: the pages reach that far.

    ``capped`` says the list goes on beyond them (the template says "more than").
    """

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def capped(self) -> bool:
        return self._counted[1]


def page_of(rows: Any, number: Any) -> Page[Any]:
    """The page ``number`` of :data:`PAGE_SIZE` rows (as typed in the address: a bad one
    gives the first or last page)."""
    return CappedPaginator(rows, PAGE_SIZE).get_page(number)

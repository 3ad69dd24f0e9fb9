"""The base of a list's filter whose fields one selector reads together (decision 0011: the
screen and the API bind the same query string to the same ``FilterSet``)."""

from __future__ import annotations

from typing import Any

import django_filters


class SelectorFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    """A filter for ``user`` whose ``filter_queryset`` hands every cleaned field to a selector at
    once; each field names ``method="_read_by_selector"``, so none filters on its own."""

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", self._meta.model.objects.none())
        super().__init__(data, **kwargs)
        self.user = user

    def _read_by_selector(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset  # every field is read at once by filter_queryset

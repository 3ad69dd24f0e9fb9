"""What the households importer is and the caches it keeps (see :mod:`gandan.households.imports`)."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from gandan.core.imports import ImportContext, TableImporter
from gandan.geo.models import Hamlet, Unit
from gandan.households.classification import StandardRules
from gandan.households.imports.rows import COLUMNS, HouseholdRow, Plan
from gandan.households.models import (
    PovertyStandard,
    Review,
    ReviewStatus,
)


class ImporterBase(TableImporter[HouseholdRow]):
    """The households importer's description and the caches it fills while checking rows."""

    kind = "households"
    label = "kết quả rà soát hộ nghèo, hộ cận nghèo (mỗi dòng một hộ trong một năm rà soát)"
    columns = COLUMNS
    counter_labels = {
        "households": "hộ mới",
        "assessments": "kết quả rà soát",
        "moves": "lần chuyển nơi cư trú",
        "reform": "lần chuyển theo sắp xếp đơn vị hành chính năm 2025",
        "households_updated": "hộ cập nhật chủ hộ, dân tộc theo năm gần nhất",
    }
    batch_size = 2000

    def __init__(self, context: ImportContext) -> None:
        super().__init__(context)
        self._today = timezone.localdate()
        self._rules: dict[int, StandardRules] = {}
        for standard in PovertyStandard.objects.prefetch_related("indicators"):
            rules = StandardRules.of(standard)
            for year in range(standard.first_year, standard.last_year + 1):
                self._rules[year] = rules
        self._years: dict[int, int] = {}  # one int object per year, shared by every row
        self._units: dict[tuple[str, int], Unit | None] = {}  # (code, year) → commune
        self._unit_by_id: dict[int, Unit] = {}
        self._hamlets: dict[int, dict[int, Hamlet]] = {}  # commune id → its villages by id
        self._hamlet_next: dict[int, dict[int, tuple[int, int]]] = {}  # legacy commune → …
        self._codes: dict[str, dict[str, int]] = {}  # province → household code → id
        self._assessed: dict[tuple[str, int], set[int]] = {}  # (province, year) → ids
        self._locked: dict[int, set[int]] = {}  # commune id → decided years
        for unit_id, year in Review.objects.filter(status=ReviewStatus.DECIDED).values_list(
            "unit_id", "year"
        ):
            self._locked.setdefault(unit_id, set()).add(year)
        self._lineage: tuple[set[tuple[int, int]], dict[int, int]] | None = None
        self._plans: dict[str, dict[str, Plan]] = {}  # province → code → plan
        self._tally: Counter[tuple[int, str]] = Counter()  # (year, standing) → rows

"""Staffing against quotas: quota in force, people in post, vacancies and excess per commune."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from gandan.core.models import valid_on_q
from gandan.geo.models import Unit, UnitClassification
from gandan.officials.models import Category, Posting, Quota, QuotaGroup
from gandan.officials.selectors.common import communes_under


@dataclass(frozen=True)
class StaffingRow:
    unit: Unit
    classification: str
    group: str
    quota: int | None  # None: no quota in force
    filled: int
    # For village titles the cap is per village: the excess is counted village by village.
    excess: int | None = None

    @property
    def vacant(self) -> int:
        return max(0, (self.quota or 0) - self.filled) if self.quota is not None else 0

    @property
    def over(self) -> int:
        if self.excess is not None:
            return self.excess
        return max(0, self.filled - self.quota) if self.quota is not None else 0


_GROUP_CATEGORIES = {
    QuotaGroup.CADRES_AND_CIVIL_SERVANTS: [Category.CADRE, Category.CIVIL_SERVANT],
    QuotaGroup.PART_TIME_COMMUNE: [Category.PART_TIME_COMMUNE],
}


def staffing(unit: Unit | None, as_of: dt.date) -> list[StaffingRow]:
    """For each commune: quota in force for its type and class, people in post, vacancies, excess."""
    communes = list(Unit.objects.filter(pk__in=communes_under(unit, as_of)).order_by("name"))
    classes = {
        c.unit_id: c.classification
        for c in UnitClassification.objects.filter(valid_on_q(as_of), unit__in=communes)
    }
    quotas = list(Quota.objects.filter(valid_on_q(as_of)))
    filled: dict[tuple[int, str], int] = defaultdict(int)
    rows = (
        Posting.objects.filter(valid_on_q(as_of), unit__in=communes)
        .values("unit_id", "position__category")
        .annotate(n=Count("official_id", distinct=True))
        .order_by()
    )
    for row in rows:
        for group, categories in _GROUP_CATEGORIES.items():
            if row["position__category"] in categories:
                filled[(row["unit_id"], group)] += row["n"]
    village_quota = _quota_for(quotas, QuotaGroup.HAMLET_PAID_TITLES, "", "")
    villages = _village_titles(communes, as_of, village_quota)
    result = []
    for commune in communes:
        klass = classes.get(commune.pk, "")
        for group in _GROUP_CATEGORIES:
            quota = _quota_for(quotas, group, commune.type, klass)
            if quota is None and not filled[(commune.pk, group)]:
                continue
            result.append(StaffingRow(commune, klass, group, quota, filled[(commune.pk, group)]))
        village = villages.get(commune.pk)
        if village is not None and village_quota is not None:
            hamlets, titles, excess = village
            result.append(
                StaffingRow(
                    commune,
                    klass,
                    QuotaGroup.HAMLET_PAID_TITLES,
                    village_quota * hamlets,
                    titles,
                    excess,
                )
            )
    return result


def _village_titles(
    communes: list[Unit], as_of: dt.date, cap: int | None
) -> dict[int, tuple[int, int, int]]:
    """Per commune: villages, paid village titles held, and titles beyond the cap summed village by village."""
    from gandan.geo.models import Hamlet

    hamlets = dict(
        Hamlet.objects.active()
        .valid_on(as_of)
        .filter(commune__in=communes)
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
        .order_by()
    )
    per_hamlet = (
        Posting.objects.filter(
            valid_on_q(as_of),
            unit__in=communes,
            hamlet__isnull=False,
            position__category=Category.PART_TIME_HAMLET,
        )
        .values("unit_id", "hamlet_id")
        .annotate(n=Count("official_id", distinct=True))
        .order_by()
    )
    result: dict[int, tuple[int, int, int]] = {}
    for row in per_hamlet:
        villages, titles, excess = result.get(
            row["unit_id"], (hamlets.get(row["unit_id"], 0), 0, 0)
        )
        over = max(0, row["n"] - cap) if cap is not None else 0
        result[row["unit_id"]] = (villages, titles + row["n"], excess + over)
    for commune_id, villages in hamlets.items():
        result.setdefault(commune_id, (villages, 0, 0))
    return result


def _quota_for(quotas: list[Quota], group: str, unit_type: str, klass: str) -> int | None:
    # The most specific row wins: exact type and class, then any type.
    best = None
    for quota in quotas:
        if quota.group != group or (quota.classification and quota.classification != klass):
            continue
        if quota.unit_type and quota.unit_type != unit_type:
            continue
        if best is None or (quota.unit_type and not best.unit_type):
            best = quota
    return best.headcount if best else None

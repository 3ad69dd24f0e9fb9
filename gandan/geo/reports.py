"""The ``units`` report: a unit, its descendants by level and type, its villages and residential groups."""

from __future__ import annotations

from typing import Any

from gandan.geo.selectors import unit_counts
from gandan.reports.registry import ReportRequest


def units_report(request: ReportRequest) -> dict[str, Any]:
    unit = request.unit
    counts = unit_counts(unit, as_of=request.as_of)
    return {
        "unit": None
        if unit is None
        else {
            "id": unit.pk,
            "code": unit.code,
            "name": unit.name,
            "level": unit.level,
            "type": unit.type,
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        },
        "as_of": request.as_of.isoformat(),
        "by_level": counts.by_level,
        "by_type": counts.by_type,
        "thon": counts.thon,
        "to_dan_pho": counts.to_dan_pho,
        "hamlets_by_kind": counts.hamlets_by_kind,
    }


REPORTS = {"units": units_report}

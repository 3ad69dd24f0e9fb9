"""Officials reports: statistics, standards gaps, staffing against quotas, Party heads, evaluations."""

from __future__ import annotations

from typing import Any

from gandan.geo.models import Unit
from gandan.officials import selectors
from gandan.officials.models import QuotaGroup
from gandan.reports.registry import ReportError, ReportRequest


def _unit(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level}


def officials_report(request: ReportRequest) -> dict[str, Any]:
    return {
        "unit": _unit(request.unit),
        "as_of": request.as_of.isoformat(),
        **selectors.statistics(request.unit, request.as_of),
    }


def standards_report(request: ReportRequest) -> dict[str, Any]:
    gaps = selectors.standards_gaps(request.unit, request.as_of)
    return {
        "unit": _unit(request.unit),
        "as_of": request.as_of.isoformat(),
        "count": len(gaps),
        "below_standard": [
            {
                "official_id": gap.posting.official_id,
                "name": gap.posting.official.full_name,
                "position": gap.posting.position.name,
                "commune": gap.posting.unit.name,
                "missing": gap.missing,
                "deadline": gap.deadline.isoformat() if gap.deadline else None,
                "source": gap.source,
            }
            for gap in gaps
        ],
    }


def staffing_report(request: ReportRequest) -> dict[str, Any]:
    rows = selectors.staffing(request.unit, request.as_of)
    return {
        "unit": _unit(request.unit),
        "as_of": request.as_of.isoformat(),
        "communes": [
            {
                "code": row.unit.code,
                "name": row.unit.name,
                "classification": row.classification,
                "group": row.group,
                "group_name": str(QuotaGroup(row.group).label),
                "quota": row.quota,
                "filled": row.filled,
                "vacant": row.vacant,
                "over": row.over,
            }
            for row in rows
        ],
    }


def leaders_report(request: ReportRequest) -> dict[str, Any]:
    heads = selectors.party_heads(request.unit, request.as_of)
    long = selectors.long_tenure(request.unit, request.as_of)
    return {
        "unit": _unit(request.unit),
        "as_of": request.as_of.isoformat(),
        "party_heads": len(heads),
        "local": sum(1 for h in heads if h["local"]),
        "non_local": sum(1 for h in heads if not h["local"]),
        "heads": [
            {
                "commune": h["posting"].unit.name,
                "name": h["posting"].official.full_name,
                "local": h["local"],
                "tenure_months": h["tenure_months"],
            }
            for h in heads
        ],
        "more_than_two_terms": [
            {
                "commune": item["posting"].unit.name,
                "name": item["posting"].official.full_name,
                "position": item["posting"].position.name,
                "tenure_months": item["tenure_months"],
            }
            for item in long
        ],
    }


def evaluations_report(request: ReportRequest) -> dict[str, Any]:
    if request.year is None:
        raise ReportError("year", "Báo cáo đánh giá cần --year (năm đánh giá).")
    rows = selectors.evaluation_summary(request.unit, request.year)
    return {
        "unit": _unit(request.unit),
        "year": request.year,
        "communes": [
            {
                key: row[key]
                for key in (
                    "unit__name",
                    "graded",
                    "excellent",
                    "good",
                    "completed",
                    "not_completed",
                    "cap_pct",
                    "excellent_allowed",
                    "over_cap",
                )
            }
            for row in rows
        ],
    }


REPORTS = {
    "officials": officials_report,
    "officials_standards": standards_report,
    "officials_staffing": staffing_report,
    "officials_leaders": leaders_report,
    "officials_evaluations": evaluations_report,
}

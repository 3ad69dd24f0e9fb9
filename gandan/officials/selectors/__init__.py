"""Reads with business meaning for the officials registry, one module per use case.

Callers import from here (``from gandan.officials import selectors``); aggregations run in SQL.
"""

from gandan.officials.selectors.common import AGE_BANDS, TERM_MONTHS, communes_under, postings_on
from gandan.officials.selectors.counts import headline_counts, statistics
from gandan.officials.selectors.evaluations import evaluation_summary
from gandan.officials.selectors.leaders import long_tenure, party_heads, tenure_months
from gandan.officials.selectors.people import (
    MAX_REPORT_UNITS,
    PersonnelFile,
    PersonRow,
    communes_on,
    export_units,
    people_on,
    people_rows,
    personnel_file,
    report_units,
    shown_citizen_id,
)
from gandan.officials.selectors.quotas import StaffingRow, staffing
from gandan.officials.selectors.standards import Gap, retirement_date, standards_gaps

__all__ = [
    "AGE_BANDS",
    "MAX_REPORT_UNITS",
    "TERM_MONTHS",
    "Gap",
    "PersonRow",
    "PersonnelFile",
    "StaffingRow",
    "communes_on",
    "communes_under",
    "evaluation_summary",
    "export_units",
    "headline_counts",
    "long_tenure",
    "party_heads",
    "people_on",
    "people_rows",
    "personnel_file",
    "postings_on",
    "report_units",
    "retirement_date",
    "shown_citizen_id",
    "staffing",
    "standards_gaps",
    "statistics",
    "tenure_months",
]

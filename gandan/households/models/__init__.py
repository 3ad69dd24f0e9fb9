"""Households, their members and places over time; poverty standards; the yearly review.

A *review year* Y is the year whose periodic review (1 Sep – 14 Dec) produces the lists "at
the end of Y", which are in force during Y + 1. The standard used in the review of Y is the
one whose review years contain Y (see ``PovertyStandard``).

The models live in :mod:`.standards` (law as data), :mod:`.registry` (households and members)
and :mod:`.review` (the yearly review); every name is imported from here.
"""

from gandan.core.models import Sex
from gandan.households.models.registry import (
    LATEST_FIRST,
    Household,
    Member,
    Placement,
    PlacementReason,
    Relation,
)
from gandan.households.models.review import (
    REVIEW_END,
    REVIEW_START,
    Assessment,
    AssessmentQuerySet,
    FrozenReport,
    RequestStatus,
    Review,
    ReviewAction,
    ReviewEntry,
    ReviewRequest,
    ReviewStatus,
    VillageMeeting,
    review_date,
)
from gandan.households.models.standards import (
    Area,
    Indicator,
    PovertyStandard,
    ReviewRule,
    Standing,
    standing_label,
)

__all__ = [
    "LATEST_FIRST",
    "REVIEW_END",
    "REVIEW_START",
    "Area",
    "Assessment",
    "AssessmentQuerySet",
    "FrozenReport",
    "Household",
    "Indicator",
    "Member",
    "Placement",
    "PlacementReason",
    "PovertyStandard",
    "Relation",
    "RequestStatus",
    "Review",
    "ReviewAction",
    "ReviewEntry",
    "ReviewRequest",
    "ReviewRule",
    "ReviewStatus",
    "Sex",
    "Standing",
    "VillageMeeting",
    "review_date",
    "standing_label",
]

"""Writes for households and the poverty review: every change goes through here, with its event.

Preconditions are checked here (not only in forms), so that screens, the API, imports and the
demo all obey the same rules: a unit must exist on the date, a decided year is locked, the
village meeting needs more than half of those present.

By use case: :mod:`.registry` (households and members), :mod:`.classification` (surveys and
yearly results), :mod:`.review` (the periodic review's steps and :func:`review_act`),
:mod:`.requests` (the regular review on request); :mod:`.common` holds the standards and rules
they share. Callers import ``from gandan.households import services``.
"""

from __future__ import annotations

from gandan.households.services.classification import (
    Survey,
    assessment_correct,
    assessment_record,
    assessments_reclassify,
    build_assessment,
    check_deprived,
    explain,
    locked_review,
)
from gandan.households.services.common import (
    lists_year,
    review_rule,
    rules_for_year,
    standard_for_year,
)
from gandan.households.services.registry import (
    household_create,
    household_dissolve,
    household_move,
    household_split,
    households_carry_over,
    households_place_settle,
    member_add,
    placement_on,
)
from gandan.households.services.requests import (
    request_decide,
    request_receive,
)
from gandan.households.services.review import (
    hamlets_pending,
    review_act,
    review_decide,
    review_open,
    review_post,
    review_request_add,
    review_survey,
    review_surveys_record,
    village_meeting_record,
)

__all__ = [
    "lists_year",
    "Survey",
    "assessment_correct",
    "assessment_record",
    "assessments_reclassify",
    "build_assessment",
    "check_deprived",
    "explain",
    "hamlets_pending",
    "household_create",
    "household_dissolve",
    "household_move",
    "household_split",
    "households_carry_over",
    "households_place_settle",
    "locked_review",
    "member_add",
    "placement_on",
    "request_decide",
    "request_receive",
    "review_act",
    "review_decide",
    "review_open",
    "review_post",
    "review_request_add",
    "review_rule",
    "review_survey",
    "review_surveys_record",
    "rules_for_year",
    "standard_for_year",
    "village_meeting_record",
]

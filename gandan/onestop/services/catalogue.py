"""The calendar of a unit's office and the procedure catalogue as the services read them."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from gandan.core import statements
from gandan.core.calendar import DEFAULT_OFFICE_HOURS, WorkingCalendar
from gandan.core.calendar import OfficeHours as CalendarHours
from gandan.core.models import valid_on_q
from gandan.geo.models import Level, OfficeHours, Unit
from gandan.onestop.models import (
    Dossier,
    Procedure,
    ProcedureLevel,
    ProcedureStep,
    ProcedureVersion,
    StepHandler,
)
from gandan.onestop.selectors import version_in_force
from gandan.onestop.services._base import (
    _error,
)

# ``unit.office_hours.filter(valid_on_q(on)).order_by("-valid_from").first()`` written out
# (and prepared: ``core.statements``): every receipt asks it, and the ORM takes twenty times
# longer to write the SQL than the database takes to answer it (a test checks both give the
# same hours).
_OFFICE_HOURS_SQL = f"""
    SELECT {statements.columns(OfficeHours, "h")} FROM {OfficeHours._meta.db_table} h
    WHERE unit_id = %s
      AND (valid_from IS NULL OR valid_from <= %s) AND (valid_to IS NULL OR valid_to >= %s)
    ORDER BY valid_from DESC
    LIMIT 1
"""  # noqa: S608 - table name from the model, values as parameters


def calendar_for(unit: Unit, on: dt.date) -> WorkingCalendar:
    """The working calendar of ``unit``'s office on ``on`` (its own hours, else the default)."""
    rows = statements.fetch(_OFFICE_HOURS_SQL, [unit.pk, on, on], OfficeHours)
    if not rows:
        return WorkingCalendar(DEFAULT_OFFICE_HOURS)
    row = rows[0][0]
    return WorkingCalendar(
        CalendarHours(
            periods=(
                (row.morning_opens, row.morning_closes),
                (row.afternoon_opens, row.afternoon_closes),
            )
        )
    )


def version_for(procedure: Procedure, unit: Unit, on: dt.date) -> ProcedureVersion:
    """The version of ``procedure`` in force on ``on``, if ``unit`` offers it."""
    offered = (procedure.level == ProcedureLevel.COMMUNE and unit.level == Level.COMMUNE) or (
        procedure.level == ProcedureLevel.PROVINCE and unit.level == Level.PROVINCE
    )
    if not offered or not unit.is_valid_on(on):
        raise _error(
            f"{unit.name} không giải quyết thủ tục “{procedure.name}” "
            f"({procedure.get_level_display().lower()}).",
            "procedure_not_offered",
            "procedure",
        )
    version = version_in_force(procedure, on)
    if version is None:
        raise _error(
            f"Thủ tục “{procedure.name}” không có hiệu lực vào ngày {on:%d/%m/%Y}.",
            "procedure_not_in_force",
            "procedure",
        )
    return version


def steps_of(version: ProcedureVersion) -> list[ProcedureStep]:
    return list(version.steps.order_by("order"))


def step_unit(step: ProcedureStep, dossier: Dossier) -> Unit:
    """The unit a step is handled in: the receiving unit, or its province (liên thông)."""
    if step.handler == StepHandler.PROVINCE:
        on = (
            timezone.localdate(dossier.received_at) if dossier.received_at else timezone.localdate()
        )
        province = (
            Unit.objects.filter(valid_on_q(on), code=dossier.province_code, level=Level.PROVINCE)
            .order_by(F("valid_from").desc(nulls_last=True))
            .first()
        )
        if province is None:
            raise _error("Không tìm thấy đơn vị cấp tỉnh.", "no_province")
        return province
    return dossier.unit

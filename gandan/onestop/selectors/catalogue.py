"""The procedure catalogue as the receipt reads it, and the local days of a period."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from gandan.core import statements
from gandan.onestop.models import (
    Procedure,
    ProcedureVersion,
)

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_DAY = 8.0


# The version in force read with a procedure: (day, version), kept on the instance.
_IN_FORCE = "_version_in_force"
# ``ProcedureVersion.objects.in_force(on).filter(procedure__code=code)
# .select_related("procedure").order_by("-valid_from").first()`` written out: every receipt
# asks it, and the ORM takes longer to write the SQL than the database to answer it.
_WITH_VERSION_SQL = f"""
    SELECT {statements.columns(ProcedureVersion, "v")}, {statements.columns(Procedure, "p")}
    FROM {ProcedureVersion._meta.db_table} v
    JOIN {Procedure._meta.db_table} p ON p.id = v.procedure_id
    WHERE p.code = %s
      AND (v.valid_from IS NULL OR v.valid_from <= %s) AND (v.valid_to IS NULL OR v.valid_to >= %s)
    ORDER BY v.valid_from DESC
    LIMIT 1
"""  # noqa: S608 - table and column names from the models, values as parameters


def procedure_with_version(code: str, on: dt.date) -> Procedure | None:
    """The procedure with ``code``, read in one (prepared) query with its version in force on
    ``on`` (which :func:`version_in_force` then answers without a query); ``None`` if no such
    code.
    """
    found = statements.fetch(_WITH_VERSION_SQL, [code, on, on], ProcedureVersion, Procedure)
    if not found:  # none in force: the procedure alone, if it exists
        return Procedure.objects.filter(code=code).first()
    version: ProcedureVersion = found[0][0]
    procedure: Procedure = found[0][1]
    version.procedure = procedure
    setattr(procedure, _IN_FORCE, (on, version))
    return procedure


def version_in_force(procedure: Procedure, on: dt.date) -> ProcedureVersion | None:
    """The version of ``procedure`` in force on ``on``, the latest to start if several."""
    remembered = procedure.__dict__.get(_IN_FORCE)
    if remembered is not None and remembered[0] == on:
        version: ProcedureVersion = remembered[1]
        return version
    return procedure.versions.in_force(on).order_by("-valid_from").first()


def procedures_in_force(on: dt.date) -> QuerySet[ProcedureVersion]:
    """The procedure versions in force on ``on`` with their procedure and steps, by field and
    name (the public catalogue)."""
    return (
        ProcedureVersion.objects.in_force(on)
        .select_related("procedure")
        .prefetch_related("steps")
        .order_by("procedure__field", "procedure__name")
    )


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in Việt Nam's time."""
    if end < start:
        raise ValueError(f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.")
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=LOCAL),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL),
    )

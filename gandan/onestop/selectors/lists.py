"""Reads of the desk's pages: the forms a dossier has, the dossier list and its counts, and
the small reads of the public pages and the dashboard."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from gandan.core.figures import Kept, computed_now, kept
from gandan.geo.models import Level, Unit
from gandan.onestop.models import (
    Apology,
    ApologyStatus,
    Dossier,
    Procedure,
    ProcedureVersion,
    Rating,
    Status,
)
from gandan.onestop.selectors.dossier import (
    warning_list,
)


def dossier_forms(dossier: Dossier) -> list[str]:
    """The numbers of the one-stop forms (01–06) that fit ``dossier`` now: the desk links
    exactly these, and ``pdf.form_context`` prints no other."""

    fits = {
        "01": dossier.received_at is not None,
        "02": dossier.supplement_count > 0 and dossier.supplements.exists(),
        "03": dossier.status == Status.REFUSED,
        # A draft is not printed: only an apology the leader approved (sent or not).
        "04": dossier.apologies.filter(
            status__in=[ApologyStatus.APPROVED, ApologyStatus.SENT]
        ).exists(),
        "05": dossier.status == Status.STOPPED,
        "06": dossier.starts_at is not None and dossier.due_at is not None,
    }
    return [number for number, fit in fits.items() if fit]


# ---------------------------------------------------------------------------------------
# The dossier list (desk and API)


def dossier_list(user: Any, params: Any) -> Any:
    """The dossiers in ``user``'s scope that ``params`` select (a ``DossierFilter``: its
    ``form`` for the screen, its ``qs`` for the rows), newest first."""
    from gandan.onestop.access import dossiers_in_scope
    from gandan.onestop.filters import DossierFilter

    found = (
        dossiers_in_scope(user)
        .select_related("version__procedure", "current_unit", "unit", "assignee")
        .order_by("-submitted_at", "-id")
    )
    return DossierFilter(params, queryset=found)


def status_counts(user: Any) -> Kept:
    """How many dossiers of ``user``'s scope are in each status (status → number): a commune's
    counted on each request; a wider scope's — a province's 181,000 dossiers — kept
    (``core.figures``)."""
    from gandan.accounts.access import reads_beyond_a_commune
    from gandan.onestop.access import dossier_read_units

    units = dossier_read_units(user)
    if not reads_beyond_a_commune(user):
        return computed_now(status_counts_of_units(units))
    found = kept(status_counts_of_units, units=units)
    counts = {int(status): int(n) for status, n in found.value.items()}
    return replace(found, value=counts)


def status_counts_of_units(units: list[int] | None) -> dict[int, int]:
    """How many dossiers of ``units`` (received or handed to them; None: all) are in each status."""
    from gandan.onestop.access import dossier_scope_parts

    counts: dict[int, int] = defaultdict(int)
    for part in dossier_scope_parts(units):
        # Grouped by the part's unit column too, in the order of its index (unit, status):
        # grouped by status alone, SQLite walked the (status, due) index over every dossier.
        columns = [part.unit, "status"] if part.unit else ["status"]
        rows = part.rows.values(*columns).annotate(n=Count("pk")).order_by()
        for row in rows:
            counts[row["status"]] += row["n"]
    return dict(counts)


def unit_names(codes: Any) -> dict[str, str]:
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def commune_procedures() -> list[Procedure]:
    """The commune-level procedures, by field and name (the counter's choice)."""
    return list(Procedure.objects.filter(level="commune").order_by("field", "name"))


def version_today(procedure: Procedure) -> ProcedureVersion | None:
    version: ProcedureVersion | None = (
        procedure.versions.in_force(timezone.localdate()).order_by("-valid_from").first()
    )
    return version


def due_soon(dossier: Dossier, *, now: dt.datetime) -> bool:
    """Whether an open dossier is on its unit's early-warning list."""
    return (
        dossier.is_open
        and warning_list(Unit.objects.filter(pk=dossier.current_unit_id), now=now)
        .filter(pk=dossier.pk)
        .exists()
    )


def apologies_pending(user: Any) -> list[Apology]:
    """Apologies of the user's dossiers waiting for approval or approved and not yet sent."""
    from gandan.onestop.access import dossiers_in_scope

    return list(
        Apology.objects.filter(
            dossier__in=dossiers_in_scope(user).values("pk"),
            status__in=[ApologyStatus.DRAFT, ApologyStatus.APPROVED],
        )
        .select_related("dossier__version__procedure", "dossier__unit", "drafted_by", "approved_by")
        .order_by("new_appointment_at", "pk")
    )


def desk_warnings(user: Any, *, now: dt.datetime) -> QuerySet[Dossier]:
    """The early-warning list of the units whose dossiers ``user`` reads (none for a viewer)."""
    from gandan.accounts.access import units_for_records

    return warning_list(units_for_records(user).values("pk"), now=now)


def dossier_apologies(dossier: Dossier) -> list[Apology]:
    return list(
        dossier.apologies.select_related("drafted_by", "approved_by").order_by("drafted_at")
    )


def dossier_supplements(dossier: Dossier) -> list[Any]:
    return list(dossier.supplements.order_by("requested_at"))


# ---------------------------------------------------------------------------------------
# Small reads of the public pages and the dashboard


def home_communes() -> QuerySet[Unit]:
    """The communes of the province served, today, by name (online filing's choice)."""
    from gandan.core.models import valid_on_q
    from gandan.geo.province import home_code

    return Unit.objects.filter(
        valid_on_q(timezone.localdate()), province_code=home_code(), level=Level.COMMUNE
    ).order_by("name")


def online_versions() -> QuerySet[ProcedureVersion]:
    """The procedure versions in force today that take dossiers online."""
    from gandan.onestop.models import OnlineLevel

    return (
        ProcedureVersion.objects.in_force(timezone.localdate())
        .exclude(online=OnlineLevel.NONE)
        .select_related("procedure")
        .order_by("procedure__field", "procedure__name", F("valid_from").desc())
    )


def online_version(code: str) -> ProcedureVersion | None:
    """The version in force today of the procedure ``code``, if it takes dossiers online."""
    version: ProcedureVersion | None = online_versions().filter(procedure__code=code).first()
    return version


def communes_named(province_code: str, codes: list[str], *, on: dt.date) -> QuerySet[Unit]:
    return (
        Unit.objects.valid_on(on)
        .filter(province_code=province_code, level=Level.COMMUNE, code__in=codes)
        .order_by("code")
    )


def picker_units(user: Any, province_code: str, *, on: dt.date) -> QuerySet[Unit]:
    """The province and communes of ``user``'s scope in ``province_code`` on ``on``."""
    from gandan.accounts.access import units_in_scope

    found: QuerySet[Unit] = (
        units_in_scope(user)
        .valid_on(on)
        .filter(province_code=province_code, level__in=[Level.PROVINCE, Level.COMMUNE])
        .only("code", "name", "level")
    )
    return found


def current_step_name(dossier: Dossier) -> str:
    step = dossier.version.steps.filter(order=dossier.step_order).first()
    return step.name if step is not None else ""


def dossier_by_pk(pk: int) -> Dossier | None:
    """A dossier by its id, unscoped: for a signed rating link, whose signature is the check."""
    return Dossier.objects.select_related("unit", "version__procedure").filter(pk=pk).first()


def dossier_document(dossier: Dossier, pk: int) -> Any:
    return dossier.documents.filter(pk=pk).first()


def is_rated(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier).exists()

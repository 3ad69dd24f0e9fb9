"""Scoped lookups for dossiers: 404 outside the user's units, as for a missing dossier.

An official sees the dossiers received by a unit in scope and those handed to a unit in
scope (an inter-agency step); a dossier may be changed only by the unit that holds it now.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.http import Http404
from django.utils import timezone

from gandan.accounts.access import (
    FULL_ID_ROLES,
    current_memberships,
    units_for_records,
    units_for_roles,
    units_in_scope,
)
from gandan.accounts.models import Role
from gandan.geo.models import Level, Unit
from gandan.onestop.models import Apology, Dossier, DossierAction, ProcedureStep, StepHandler


def receiving_units(user: Any) -> list[Unit]:
    """The communes the user receives dossiers for (a writing role there today)."""
    return list(
        units_in_scope(user, for_write=True)
        .valid_on(timezone.localdate())
        .filter(level=Level.COMMUNE)
        .order_by("name")
    )


def may_receive_dossiers(user: Any) -> bool:
    return bool(receiving_units(user))


DOSSIER_RELATED = ("unit", "current_unit", "version__procedure", "assignee", "handled_by")


def dossiers_in_scope(user: Any, *, for_write: bool = False) -> Any:
    """For writing, the dossiers a unit of the user's writing scope holds now; for reading,
    those received by or handed to a unit whose personal records the user reads (a viewer
    and a village head: none; the desk's figures are in the dashboard)."""
    # The units as values, not a subquery: the planner then knows how many dossiers they hold
    # (all of them, for a province) and reads the newest along the list's index.
    if for_write:
        units = list(units_in_scope(user, for_write=True).values_list("pk", flat=True))
        return Dossier.objects.filter(current_unit__in=units)
    parts = [part.rows for part in dossier_scope_parts(dossier_read_units(user))]
    return parts[0] if len(parts) == 1 else parts[0] | parts[1]


class ScopePart(NamedTuple):
    rows: Any  # a queryset of dossiers
    unit: str  # the unit column its index leads with ("" when it reads every dossier)


def dossier_read_units(user: Any) -> list[int] | None:
    """The units whose dossiers (received by them or handed to them) the user reads; None for
    every unit (a superuser)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    return list(units_for_records(user).values_list("pk", flat=True))


def dossier_scope_parts(units: list[int] | None) -> list[ScopePart]:
    """The dossiers of ``units`` (:func:`dossier_read_units`) as parts that share no dossier,
    each read along the index of one unit column: those received by a unit in scope; those
    handed to one, received elsewhere. Counting the parts apart reads a commune's dossiers, not
    every dossier of the province."""
    if units is None:
        return [ScopePart(Dossier.objects.all(), "")]
    return [
        ScopePart(Dossier.objects.filter(unit__in=units), "unit"),
        ScopePart(
            Dossier.objects.filter(current_unit__in=units).exclude(unit__in=units),
            "current_unit",
        ),
    ]


def _access_dossier_where(user: Any, for_write: bool, **lookup: Any) -> Dossier:
    try:
        dossier: Dossier = (
            dossiers_in_scope(user, for_write=for_write)
            .select_related(*DOSSIER_RELATED)
            .get(**lookup)
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy hồ sơ.") from None
    return dossier


def access_dossier(user: Any, dossier_id: int, *, for_write: bool = False) -> Dossier:
    return _access_dossier_where(user, for_write, pk=dossier_id)


def access_dossier_by_code(user: Any, code: str, *, for_write: bool = False) -> Dossier:
    return _access_dossier_where(user, for_write, code=code)


def access_apology(user: Any, apology_id: int, *, for_write: bool = False) -> Apology:
    try:
        apology: Apology = Apology.objects.select_related(
            "dossier__unit", "dossier__version__procedure"
        ).get(pk=apology_id, dossier__in=dossiers_in_scope(user, for_write=for_write).values("pk"))
    except (Apology.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy thư xin lỗi.") from None
    return apology


APPROVER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.PROVINCE_LEADER})


def may_approve(user: Any, dossier: Dossier) -> bool:
    """A leader of the receiving unit (or of the province) approves apologies."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    if not any(m.role in APPROVER_ROLES for m in current_memberships(user)):
        return False
    return bool(units_for_roles(user, APPROVER_ROLES).filter(pk=dossier.unit_id).exists())


def may_handle_dossier(user: Any, dossier: Dossier) -> bool:
    """A writing role in the unit that holds the dossier now (the one that acts on it)."""
    return bool(dossiers_in_scope(user, for_write=True).filter(pk=dossier.pk).exists())


def may_see_full_applicant(user: Any, dossier: Dossier) -> bool:
    """A commune leader or province specialist of the receiving unit (as for households)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(units_for_roles(user, FULL_ID_ROLES).filter(pk=dossier.unit_id).exists())


def handled_dossier_ids(user: Any, ids: list[int]) -> set[int]:
    """Which of the dossiers ``ids`` the user's unit holds now (``may_handle_dossier`` for many)."""
    return set(
        dossiers_in_scope(user, for_write=True).filter(pk__in=ids).values_list("pk", flat=True)
    )


# Who passes a step (hands the dossier on from it, or records its result): the roles of the
# step's handler, held in the unit that holds the dossier. The leader's signature is the
# commune leader's alone; examining and the desk are the officers' (a leader may too).
STEP_ROLES: dict[str, frozenset[str]] = {
    StepHandler.DESK: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}),
    StepHandler.SPECIALIST: frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER}),
    StepHandler.LEADER: frozenset({Role.COMMUNE_LEADER}),
    StepHandler.PROVINCE: frozenset({Role.PROVINCE_SPECIALIST}),
}
# Actions that complete the dossier's current step.
STEP_PASSING_ACTIONS = frozenset({DossierAction.FORWARD, DossierAction.FINISH})


def current_step(dossier: Dossier) -> ProcedureStep | None:
    return dossier.version.steps.filter(order=dossier.step_order).first()


def may_pass_step(user: Any, dossier: Dossier) -> bool:
    """Whether the user holds, in the unit that holds the dossier, a role of its current
    step's handler (``STEP_ROLES``): only the commune leader passes "Chủ tịch UBND ký"."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    step = current_step(dossier)
    if step is None:
        return False
    roles = STEP_ROLES.get(step.handler, frozenset())
    return bool(units_for_roles(user, roles).filter(pk=dossier.current_unit_id).exists())


def may_take_action(user: Any, dossier: Dossier, action: DossierAction) -> bool:
    """The role rule of one action: a step-passing action needs ``may_pass_step``."""
    return action not in STEP_PASSING_ACTIONS or may_pass_step(user, dossier)

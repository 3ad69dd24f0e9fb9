"""Who may see and change what: every scoped lookup goes through these functions.

A membership (user, role, unit, period) covers its unit and the unit's descendants, and,
across the 2025 reform, the units its unit came from or became (lineage), with their
descendants. Outside that scope a lookup answers 404, exactly as for a missing object, so
that nobody learns what exists elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from gandan.accounts.models import WRITE_ROLES, Membership, Role, User
from gandan.core import statements
from gandan.core.request_memo import remembered
from gandan.geo.models import Hamlet, Level, Lineage, Unit, UnitQuerySet


def _today() -> dt.date:
    return timezone.localdate()


def current_memberships(user: Any, as_of: dt.date | None = None) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    day = as_of or _today()
    return list(
        remembered(
            ("memberships", user.pk, day),
            lambda: list(
                Membership.objects.valid_on(day)
                .filter(user=user, user__is_active=True)
                .select_related("unit", "hamlet")
                .order_by("unit__level", "unit__code")
            ),
        )
    )


# The lineage of the units in ``held(id)``: predecessors and successors followed separately,
# as ``roots(id)`` — for a ``WITH RECURSIVE`` clause, on both databases.
_LINEAGE_CTE = f"""
    back(id) AS (
      SELECT id FROM held
      UNION SELECT l.predecessor_id FROM {Lineage._meta.db_table} l
      JOIN back b ON l.successor_id = b.id),
    forth(id) AS (
      SELECT id FROM held
      UNION SELECT l.successor_id FROM {Lineage._meta.db_table} l
      JOIN forth f ON l.predecessor_id = f.id),
    roots(id) AS (SELECT id FROM back UNION SELECT id FROM forth)
"""  # noqa: S608 - table names from the models


def lineage_closure(unit_ids: set[int]) -> set[int]:
    """``unit_ids`` plus everything they came from and everything they became.

    Predecessors and successors are followed separately (never "successor of a
    predecessor"), so a commune official does not inherit a neighbour that took part of a
    divided commune. One recursive query (``UNION`` stops on cycles), on both databases.
    """
    if not unit_ids:
        return set()
    ids = sorted(unit_ids)
    return set(remembered(("lineage", tuple(ids)), lambda: _lineage_closure(ids)))


def _lineage_closure(ids: list[int]) -> set[int]:
    sql = f"""
        WITH RECURSIVE
          held(id) AS (
            SELECT id FROM {Unit._meta.db_table} WHERE id IN ({", ".join(["%s"] * len(ids))})),
          {_LINEAGE_CTE}
        SELECT id FROM roots
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {row[0] for row in cursor.fetchall()} | set(ids)


def _roots(memberships: list[Membership]) -> set[int]:
    return lineage_closure({m.unit_id for m in memberships})


def _scope_roots(user: Any, as_of: dt.date | None, for_write: bool) -> set[int]:
    """The units the user's current memberships (writing ones if ``for_write``) are held in,
    with their lineage: the roots of the scope. Empty when there is none."""
    if not getattr(user, "is_authenticated", False):
        return set()
    units = {
        m.unit_id
        for m in current_memberships(user, as_of)
        # A village head writes only for his own village (see hamlets_in_scope), never for the commune.
        if not for_write or (m.role in WRITE_ROLES and m.role != Role.VILLAGE_HEAD)
    }
    return lineage_closure(units)


def has_scope(user: Any, *, as_of: dt.date | None = None, for_write: bool = False) -> bool:
    """Whether :func:`units_in_scope` holds any unit (its roots are among its units)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(_scope_roots(user, as_of, for_write))


def units_in_scope(
    user: Any, *, as_of: dt.date | None = None, for_write: bool = False
) -> UnitQuerySet:
    """The units the user's roles cover on ``as_of``: the scope of every other lookup."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Unit.objects.all()
    roots = _scope_roots(user, as_of, for_write)
    if not roots:
        return Unit.objects.none()
    return Unit.objects.descendants_of(roots)


def access_unit_by_code(
    user: Any, code: str, *, as_of: dt.date | None = None, for_write: bool = False
) -> Unit | None:
    """The unit with the official ``code`` valid on ``as_of`` (today) if the user's roles
    cover it, else ``None``: the same answer as ``units_in_scope(...).filter(code=…)``
    (checked in the tests), in one statement, prepared on PostgreSQL (``core.statements``) —
    the receipt API asks it on every request.

    The statement follows :func:`units_in_scope` step by step: the units of the user's
    current memberships (writing ones, not a village head's, if ``for_write``), their lineage
    back and forth (recursive, as :func:`lineage_closure`), then the unit by its indexed code
    if it is one of those or their child or grandchild (``descendants_of``).
    """
    day = as_of or _today()
    code = code.strip()
    if getattr(user, "is_superuser", False) and user.is_active:
        return Unit.objects.valid_on(day).filter(code=code).order_by("level").first()
    if not getattr(user, "is_authenticated", False):
        return None
    roles: list[str] = []
    if for_write:
        roles = sorted(r for r in WRITE_ROLES if r != Role.VILLAGE_HEAD)
    role_filter = f"AND m.role IN ({', '.join(['%s'] * len(roles))})" if roles else ""
    sql = f"""
        WITH RECURSIVE
          held(id) AS (
            SELECT m.unit_id FROM {Membership._meta.db_table} m
            JOIN {User._meta.db_table} p ON p.id = m.user_id AND p.is_active
            WHERE m.user_id = %s {role_filter}
              AND (m.valid_from IS NULL OR m.valid_from <= %s)
              AND (m.valid_to IS NULL OR m.valid_to >= %s)),
          {_LINEAGE_CTE}
        SELECT {statements.columns(Unit, "u")} FROM {Unit._meta.db_table} u
        LEFT JOIN {Unit._meta.db_table} up ON up.id = u.parent_id
        WHERE u.code = %s
          AND (u.valid_from IS NULL OR u.valid_from <= %s)
          AND (u.valid_to IS NULL OR u.valid_to >= %s)
          AND (u.id IN (SELECT id FROM roots) OR u.parent_id IN (SELECT id FROM roots)
               OR up.parent_id IN (SELECT id FROM roots))
        ORDER BY u.level
        LIMIT 1
    """  # noqa: S608 - table names from the models, values as parameters
    found = statements.fetch(sql, [user.pk, *roles, day, day, code, day, day], Unit)
    return found[0][0] if found else None


# Roles that keep personal files and so see full citizen IDs in their scope (every full view
# is logged by the caller).
FULL_ID_ROLES = frozenset({Role.PROVINCE_SPECIALIST, Role.COMMUNE_LEADER})


def units_for_roles(
    user: Any, roles: frozenset[str], *, as_of: dt.date | None = None
) -> UnitQuerySet:
    """The units covered by the user's current memberships with one of ``roles``."""
    memberships = [m for m in current_memberships(user, as_of) if m.role in roles]
    if not memberships:
        return Unit.objects.none()
    return Unit.objects.descendants_of(_roots(memberships))


# Roles that read the personal records (households and their members, personnel files,
# dossiers' applicants) of every unit they cover. A village head reads only those of his own
# village (``village_head_hamlets``); a viewer reads figures, never personal records
# (docs/decisions/0006).
UNIT_RECORD_ROLES = frozenset(
    {Role.PROVINCE_LEADER, Role.PROVINCE_SPECIALIST, Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER}
)


def reads_beyond_a_commune(user: Any) -> bool:
    """Whether the user reads records above a commune (a province's or a district's): a scope
    of most of the province's records rather than a few percent of them."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(
        m.role in UNIT_RECORD_ROLES and m.unit.level != Level.COMMUNE
        for m in current_memberships(user)
    )


def units_for_records(user: Any, *, as_of: dt.date | None = None) -> UnitQuerySet:
    """The units whose personal records the user reads in full (a superuser: all)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Unit.objects.all()
    return units_for_roles(user, UNIT_RECORD_ROLES, as_of=as_of)


def village_head_hamlets(user: Any, *, as_of: dt.date | None = None) -> set[int]:
    """The villages (with their rows before and after the reform) the user heads."""
    heads = {
        m.hamlet_id
        for m in current_memberships(user, as_of)
        if m.role == Role.VILLAGE_HEAD and m.hamlet_id
    }
    return _hamlet_chain(heads) if heads else set()


def hamlets_in_scope(user: Any, *, as_of: dt.date | None = None, for_write: bool = False) -> Any:
    """Hamlets the user may see (or change): those of communes in scope; a village head's own only."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Hamlet.objects.all()
    memberships = current_memberships(user, as_of)
    if for_write:
        memberships = [m for m in memberships if m.role in WRITE_ROLES]
    heads = [m for m in memberships if m.role == Role.VILLAGE_HEAD and m.hamlet_id]
    others = [m for m in memberships if m.role != Role.VILLAGE_HEAD]
    condition = Q(pk__in=[])
    if others:
        condition |= Q(commune__in=Unit.objects.descendants_of(_roots(others)).values("pk"))
    if heads:
        # A village head keeps the same village across the reform: follow its rows both ways.
        condition |= Q(pk__in=_hamlet_chain({m.hamlet_id for m in heads if m.hamlet_id}))
    return Hamlet.objects.filter(condition)


def _hamlet_chain(hamlet_ids: set[int]) -> set[int]:
    result = set(hamlet_ids)
    frontier = set(hamlet_ids)
    while frontier:
        found = (
            set(
                Hamlet.objects.filter(
                    Q(previous_id__in=frontier) | Q(next__id__in=frontier)
                ).values_list("pk", flat=True)
            )
            - result
        )
        result |= found
        frontier = found
    return result


def user_covers_unit(
    user: Any, unit: Unit, *, as_of: dt.date | None = None, for_write: bool = False
) -> bool:
    return units_in_scope(user, as_of=as_of, for_write=for_write).filter(pk=unit.pk).exists()


def communes_in_scope(user: Any, *, as_of: dt.date | None = None) -> UnitQuerySet:
    """The communes (and wards) the user's roles cover on ``as_of``."""
    day = as_of or _today()
    return units_in_scope(user, as_of=day).valid_on(day).filter(level=Level.COMMUNE)


def may_write_somewhere(user: Any, *, as_of: dt.date | None = None) -> bool:
    """Whether any of the user's roles writes (a read-only viewer or leader does not)."""
    return has_scope(user, as_of=as_of, for_write=True)


def may_read_unit_report(user: Any, unit: Unit | None) -> bool:
    """Whether the user may read a report of ``unit`` (None: the whole country, superusers only).

    The current roles decide, whatever date the report is about: through lineage, a commune
    formed in 2025 reads the figures of the communes it came from (as the report screens do).
    """
    if unit is None:
        return bool(getattr(user, "is_superuser", False) and user.is_active)
    return user_covers_unit(user, unit)


def may_edit_hamlets(user: Any, unit: Unit) -> bool:
    """Whether the user may add or change the villages of ``unit`` (a commune in writing scope)."""
    return (
        getattr(user, "is_authenticated", False)
        and unit.level == Level.COMMUNE
        and user_covers_unit(user, unit, for_write=True)
    )


def access_unit_for_staff(
    user: Any, unit_id: int, *, for_write: bool = False, as_of: dt.date | None = None
) -> Unit:
    """The unit, if the user's roles cover it; 404 if it is missing or outside the scope."""
    try:
        return units_in_scope(user, as_of=as_of, for_write=for_write).get(pk=unit_id)
    except Unit.DoesNotExist:
        raise Http404("Không tìm thấy đơn vị.") from None


def access_hamlet(
    user: Any, hamlet_id: int, *, for_write: bool = False, as_of: dt.date | None = None
) -> Hamlet:
    """The hamlet, if in the user's scope (for writing: with a role that writes); else 404."""
    try:
        hamlet: Hamlet = (
            hamlets_in_scope(user, as_of=as_of, for_write=for_write)
            .select_related("commune", "commune__parent")
            .get(pk=hamlet_id)
        )
        return hamlet
    except Hamlet.DoesNotExist:
        raise Http404("Không tìm thấy thôn, tổ dân phố.") from None


def is_staff_user(user: Any) -> bool:
    return bool(current_memberships(user)) or bool(getattr(user, "is_superuser", False))


__all__ = [
    "access_hamlet",
    "access_unit_for_staff",
    "communes_in_scope",
    "current_memberships",
    "hamlets_in_scope",
    "is_staff_user",
    "lineage_closure",
    "may_edit_hamlets",
    "may_read_unit_report",
    "may_write_somewhere",
    "units_for_records",
    "units_in_scope",
    "user_covers_unit",
    "village_head_hamlets",
]

"""People in post and their personnel files: the list screen, the file, the PDF and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch

from gandan.accounts.access import units_in_scope
from gandan.core.crypto import mask_citizen_id
from gandan.core.text import fold
from gandan.geo.models import Level, Unit
from gandan.officials.access import (
    may_see_full_citizen_id,
    officials_in_scope,
)
from gandan.officials.models import (
    Evaluation,
    Official,
    OfficialQuerySet,
    Posting,
    PostingKind,
    Qualification,
    QualificationKind,
    Record,
    Relative,
    Rotation,
)
from gandan.officials.selectors.common import communes_under


def export_units(user: Any, *, on: dt.date, limit: int = 300) -> list[Unit]:
    """The provinces, districts and communes of the user's scope valid on ``on`` that the
    export offers, by level and name; their code and name only."""
    return list(
        units_in_scope(user)
        .valid_on(on)
        .filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
        .order_by("level", "name")
        .only("code", "name")[:limit]
    )


def people_on(
    user: Any, *, as_of: dt.date, q: str = "", category: str = "", unit: Unit | None = None
) -> OfficialQuerySet:
    """People in the user's scope who hold a post there on ``as_of``, by folded name.

    Each person carries ``posts``: the posts they hold on that day in the scope (and in
    ``unit`` and ``category`` when given), with position, commune and hamlet — the one place
    this query family is joined and prefetched.
    """
    held = Posting.objects.valid_on(as_of).filter(unit__in=units_in_scope(user).values("pk"))
    if unit is not None:
        held = held.filter(unit_id__in=communes_under(unit, as_of))
    if category:
        held = held.filter(position__category=category)
    people = officials_in_scope(user).filter(pk__in=held.values("official_id"))
    if q.strip():
        people = people.filter(search_name__contains=fold(q))
    return people.prefetch_related(
        Prefetch(
            "postings",
            queryset=held.select_related("position", "unit", "hamlet").order_by(
                "position__order", "valid_from"
            ),
            to_attr="posts",
        )
    ).order_by("search_name", "pk")


def shown_citizen_id(official: Official, full: bool) -> str:
    return official.citizen_id if full else mask_citizen_id(official.citizen_id)


@dataclass(frozen=True)
class PersonRow:
    """One person of the list as the screen and the API show them."""

    official: Official
    citizen_id: str  # masked unless the reader may see it in full
    citizen_id_full: bool


def people_rows(user: Any, officials: list[Official]) -> list[PersonRow]:
    """A page of :func:`people_on`, each person's citizen ID masked: a full ID is read only on
    the person's own file, where each view is logged (``personnel_file``)."""
    return [PersonRow(o, shown_citizen_id(o, False), False) for o in officials]


MAX_REPORT_UNITS = 400  # a province has at most a few hundred communes


def report_units(user: Any, as_of: dt.date, unit: Unit | None) -> list[Unit]:
    """The units of the user's scope that existed on ``as_of``, larger units first.

    Only those in the shown unit's province: a superuser's scope is the whole country.
    """
    units = units_in_scope(user, as_of=as_of).valid_on(as_of)
    if unit is not None:
        province = unit
        while province.parent_id is not None and province.parent is not None:
            province = province.parent
        units = units.descendants_of([province.pk])
    return list(
        units.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
        .order_by("level", "name")
        .only("code", "name", "level")[:MAX_REPORT_UNITS]
    )


def communes_on(user: Any, as_of: dt.date) -> list[Unit]:
    """The communes of the user's scope that exist on ``as_of``, by name (the list's choices)."""
    return list(units_in_scope(user).valid_on(as_of).filter(level=Level.COMMUNE).order_by("name"))


_KIND_ORDER = {kind: index for index, kind in enumerate(QualificationKind.values)}


@dataclass(frozen=True)
class PersonnelFile:
    """The groups of the electronic personnel file (Decree 27/2026), for one person."""

    official: Official
    as_of: dt.date
    citizen_id: str  # masked unless the reader may see it in full
    citizen_id_full: bool
    relatives: list[Relative]  # (2) family
    postings: list[Posting]  # (3) work history, newest first
    appointments: list[Posting]  # (4) appointments, newest first…
    rotations: list[Rotation]  # … and rotations
    qualifications: list[Qualification]  # (5) training and political theory
    current_postings: list[Posting]  # (6) posts and pay on ``as_of``
    evaluations: list[Evaluation]  # (7) yearly grades, newest first
    records: list[Record]  # (8) awards and discipline, newest first

    @property
    def age(self) -> int:
        return self.official.age_on(self.as_of)


def personnel_file(official: Official, *, user: Any, as_of: dt.date) -> PersonnelFile:
    full = may_see_full_citizen_id(user, official)
    postings = list(
        official.postings.select_related("position", "unit", "unit__parent", "hamlet").order_by(
            F("valid_from").desc(nulls_last=True), "position__order"
        )
    )
    qualifications = sorted(
        official.qualifications.all(), key=lambda q: (_KIND_ORDER.get(q.kind, 99), q.awarded_on)
    )
    return PersonnelFile(
        official=official,
        as_of=as_of,
        citizen_id=shown_citizen_id(official, full),
        citizen_id_full=full,
        relatives=list(official.relatives.order_by("pk")),
        postings=postings,
        appointments=[p for p in postings if p.kind == PostingKind.APPOINTED],
        rotations=list(
            official.rotations.select_related("from_unit", "to_unit", "posting__position").order_by(
                "-start"
            )
        ),
        qualifications=qualifications,
        current_postings=sorted(
            (p for p in postings if p.is_valid_on(as_of)), key=lambda p: p.position.order
        ),
        evaluations=list(official.evaluations.select_related("unit").order_by("-year")),
        records=list(official.records.order_by("-decided_on", "-pk")),
    )

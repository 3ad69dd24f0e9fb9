"""Reads with business meaning for the officials registry. Aggregations run in SQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from gandan.accounts.access import units_in_scope
from gandan.core.crypto import mask_citizen_id
from gandan.core.models import valid_on_q
from gandan.core.numbers import percent as pct
from gandan.core.text import fold
from gandan.geo.models import Level, Lineage, Unit, UnitClassification
from gandan.officials.access import (
    may_see_full_citizen_id,
    may_see_full_citizen_ids,
    officials_in_scope,
)
from gandan.officials.models import (
    Category,
    Education,
    Evaluation,
    EvaluationScheme,
    Grade,
    Official,
    OfficialQuerySet,
    Politics,
    PositionStandard,
    Posting,
    PostingKind,
    Qualification,
    QualificationKind,
    Quota,
    QuotaGroup,
    Record,
    Relative,
    RetirementAge,
    Rotation,
    Sex,
)

AGE_BANDS = [
    (0, 30, "Dưới 30"),
    (30, 40, "30–39"),
    (40, 50, "40–49"),
    (50, 60, "50–59"),
    (60, 200, "Từ 60"),
]
# Whole terms of office: heading the same post for more than two in a row is flagged (Regulation 65-QĐ/TW).
TERM_MONTHS = 60


def communes_under(unit: Unit | None, as_of: dt.date) -> Any:
    """Ids of the communes valid on ``as_of`` at or below ``unit`` (the whole country for ``None``)."""
    qs = Unit.objects.valid_on(as_of).filter(level=Level.COMMUNE)
    if unit is not None:
        qs = qs.filter(Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit))
    return qs.values("pk")


def postings_on(unit: Unit | None, as_of: dt.date) -> Any:
    """Postings held on ``as_of`` in the communes at or below ``unit``."""
    return Posting.objects.filter(valid_on_q(as_of), unit_id__in=communes_under(unit, as_of))


def _highest(kind: str, as_of: dt.date) -> Any:
    """The highest level of a kind of qualification held on ``as_of`` (0 if none)."""
    return Coalesce(
        Subquery(
            Qualification.objects.filter(
                official_id=OuterRef("official_id"), kind=kind, awarded_on__lte=as_of
            )
            .order_by("-level")
            .values("level")[:1]
        ),
        Value(0),
    )


def _local() -> Any:
    """True when the official's home commune is the posting's commune, or one it came from or became."""
    linked = Lineage.objects.filter(
        Q(predecessor_id=OuterRef("official__home_unit_id"), successor_id=OuterRef("unit_id"))
        | Q(successor_id=OuterRef("official__home_unit_id"), predecessor_id=OuterRef("unit_id"))
    )
    return Q(official__home_unit_id=F("unit_id")) | Exists(linked)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
    except OverflowError:
        return dt.date.min


_LOCAL = "Người địa phương"
_NOT_LOCAL = "Không phải người địa phương"

# One pass over the data: people in post on a date (once per category), with the highest
# education and political theory they held then, their age band, sex, ethnicity and whether
# they serve their home commune; grouped by all of these. Every figure of the report is a
# sum over these groups. Plain SQL that SQLite and PostgreSQL both run.
_CUBE_SQL = """
WITH communes AS (
    SELECT u.id FROM {unit} u LEFT JOIN {unit} d ON d.id = u.parent_id
    WHERE u.level = 'commune'
      AND (u.valid_from IS NULL OR u.valid_from <= %(day)s) AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
      {unit_filter}
), people AS (
    SELECT ps.official_id, pos.category,
           MAX(CASE WHEN o.home_unit_id = ps.unit_id THEN 1
                    WHEN EXISTS (SELECT 1 FROM {lineage} gl
                                 WHERE gl.predecessor_id = o.home_unit_id AND gl.successor_id = ps.unit_id) THEN 1
                    WHEN EXISTS (SELECT 1 FROM {lineage} gl
                                 WHERE gl.successor_id = o.home_unit_id AND gl.predecessor_id = ps.unit_id) THEN 1
                    ELSE 0 END) AS local
    FROM {posting} ps
    JOIN {position} pos ON pos.id = ps.position_id
    JOIN {official} o ON o.id = ps.official_id
    WHERE ps.unit_id IN (SELECT id FROM communes)
      AND (ps.valid_from IS NULL OR ps.valid_from <= %(day)s) AND (ps.valid_to IS NULL OR ps.valid_to >= %(day)s)
    GROUP BY ps.official_id, pos.category
), levels AS (
    SELECT q.official_id,
           MAX(CASE WHEN q.kind = 'education' THEN q.level ELSE 0 END) AS edu,
           MAX(CASE WHEN q.kind = 'politics' THEN q.level ELSE 0 END) AS pol
    FROM {qualification} q
    WHERE q.awarded_on <= %(day)s AND q.official_id IN (SELECT official_id FROM people)
    GROUP BY q.official_id
)
SELECT p.category, COALESCE(l.edu, 0), COALESCE(l.pol, 0), {age_band}, o.sex, o.ethnicity, p.local, COUNT(*)
FROM people p
JOIN {official} o ON o.id = p.official_id
LEFT JOIN levels l ON l.official_id = p.official_id
GROUP BY p.category, COALESCE(l.edu, 0), COALESCE(l.pol, 0), {age_band}, o.sex, o.ethnicity, p.local
"""


def _cube(unit: Unit | None, as_of: dt.date) -> list[tuple[str, int, int, str, str, str, int, int]]:
    from django.db import connection

    from gandan.officials.models import Official, Position

    params: dict[str, Any] = {"day": as_of}
    unit_filter = ""
    if unit is not None:
        unit_filter = "AND (u.id = %(unit)s OR u.parent_id = %(unit)s OR d.parent_id = %(unit)s)"
        params["unit"] = unit.pk
    whens = []
    for index, (low, high, label) in enumerate(AGE_BANDS):
        params[f"young{index}"] = _years_before(as_of, low)
        params[f"old{index}"] = _years_before(as_of, high)
        params[f"band{index}"] = label
        whens.append(
            f"WHEN o.birth_date > %(old{index})s AND o.birth_date <= %(young{index})s THEN %(band{index})s"
        )
    sql = _CUBE_SQL.format(
        unit=Unit._meta.db_table,
        lineage=Lineage._meta.db_table,
        posting=Posting._meta.db_table,
        position=Position._meta.db_table,
        official=Official._meta.db_table,
        qualification=Qualification._meta.db_table,
        unit_filter=unit_filter,
        age_band="CASE " + " ".join(whens) + " ELSE 'Không rõ' END",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


_HEADLINE_SQL = """
WITH communes AS (
    SELECT u.id FROM {unit} u LEFT JOIN {unit} d ON d.id = u.parent_id
    WHERE u.level = 'commune'
      AND (u.valid_from IS NULL OR u.valid_from <= %(day)s) AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
      {unit_filter}
), people AS (
    SELECT DISTINCT ps.official_id, pos.category
    FROM {posting} ps JOIN {position} pos ON pos.id = ps.position_id
    WHERE ps.unit_id IN (SELECT id FROM communes)
      AND (ps.valid_from IS NULL OR ps.valid_from <= %(day)s) AND (ps.valid_to IS NULL OR ps.valid_to >= %(day)s)
), levels AS (
    SELECT q.official_id,
           MAX(CASE WHEN q.kind = 'education' THEN q.level ELSE 0 END) AS edu,
           MAX(CASE WHEN q.kind = 'politics' THEN q.level ELSE 0 END) AS pol
    FROM {qualification} q WHERE q.awarded_on <= %(day)s GROUP BY q.official_id
)
SELECT p.category, COUNT(*),
       SUM(CASE WHEN l.edu >= %(university)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.edu = %(college)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.pol >= %(intermediate)s THEN 1 ELSE 0 END)
FROM people p LEFT JOIN levels l ON l.official_id = p.official_id
GROUP BY p.category
"""


def headline_counts(unit: Unit | None, as_of: dt.date) -> dict[str, dict[str, Any]]:
    """Per category: people in post, with a degree or higher, a college diploma, intermediate theory or higher.

    The table the province reads first; one query (the ORM's correlated subqueries were 2.4×
    slower on PostgreSQL, see docs/performance.md).
    """
    from django.db import connection

    from gandan.officials.models import Position

    params: dict[str, Any] = {
        "day": as_of,
        "university": int(Education.UNIVERSITY),
        "college": int(Education.COLLEGE),
        "intermediate": int(Politics.INTERMEDIATE),
    }
    unit_filter = ""
    if unit is not None:
        unit_filter = "AND (u.id = %(unit)s OR u.parent_id = %(unit)s OR d.parent_id = %(unit)s)"
        params["unit"] = unit.pk
    sql = _HEADLINE_SQL.format(
        unit=Unit._meta.db_table,
        posting=Posting._meta.db_table,
        position=Position._meta.db_table,
        qualification=Qualification._meta.db_table,
        unit_filter=unit_filter,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            category: {
                "position__category": category,
                "count": int(n),
                "university": int(u or 0),
                "college": int(c or 0),
                "politics": int(p or 0),
            }
            for category, n, u, c, p in cursor.fetchall()
        }


def statistics(unit: Unit | None, as_of: dt.date) -> dict[str, Any]:
    """Counts of the officials in post on ``as_of``, by category and by each dimension asked for.

    A person is counted once per category even if they hold two posts of it. One SQL query
    groups the people by every dimension at once; the figures are sums over its groups.
    """
    cube = _cube(unit, as_of)
    totals = headline_counts(unit, as_of)

    def summary(category: str) -> dict[str, Any]:
        row = totals.get(category, {"count": 0, "university": 0, "college": 0, "politics": 0})
        return {
            "count": row["count"],
            "university": row["university"],
            "university_pct": pct(row["university"], row["count"]),
            "college": row["college"],
            "college_pct": pct(row["college"], row["count"]),
            "politics_intermediate_plus": row["politics"],
            "politics_intermediate_plus_pct": pct(row["politics"], row["count"]),
        }

    def breakdown(position: int, labels: dict[Any, str] | None = None) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row in cube:
            key = row[position]
            label = labels.get(key, str(key)) if labels else str(key)
            result[row[0]][label] += row[-1]
        return {category: dict(counts) for category, counts in result.items()}

    def count(category: str) -> int:
        return int(totals.get(category, {"count": 0})["count"])

    return {
        "cadres": summary(Category.CADRE),
        "civil_servants": summary(Category.CIVIL_SERVANT),
        "cadres_and_civil_servants": count(Category.CADRE) + count(Category.CIVIL_SERVANT),
        "part_time": {
            "count": count(Category.PART_TIME_COMMUNE) + count(Category.PART_TIME_HAMLET),
            "commune": count(Category.PART_TIME_COMMUNE),
            "hamlet": count(Category.PART_TIME_HAMLET),
        },
        "by_education": breakdown(1, dict(Education.choices)),
        "by_politics": breakdown(2, dict(Politics.choices)),
        "by_age": breakdown(3),
        "by_sex": breakdown(4, dict(Sex.choices)),
        "by_ethnicity": breakdown(5),
        "by_origin": breakdown(6, {1: _LOCAL, 0: _NOT_LOCAL}),
    }


# --- Standards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    posting: Posting
    missing: list[str]
    deadline: dt.date | None
    source: str


def retirement_date(birth_date: dt.date, sex: str) -> dt.date | None:
    """The day a person reaches retirement age under the roadmap in force (Decree 135/2020)."""
    from gandan.officials.services import add_months

    ages = {row.year: row.age_months for row in RetirementAge.objects.filter(sex=sex)}
    if not ages:
        return None
    first, last = min(ages), max(ages)
    for year in range(birth_date.year + 40, birth_date.year + 80):
        months = ages[min(max(year, first), last)]
        day = add_months(birth_date, months)
        if day.year <= year:
            return day
    return None


def standards_gaps(unit: Unit | None, as_of: dt.date) -> list[Gap]:
    """Every official in post on ``as_of`` below the standard of the position held, and what is missing."""
    standards = {s.position_code: s for s in PositionStandard.objects.filter(valid_on_q(as_of))}
    postings = (
        postings_on(unit, as_of)
        .filter(position__code__in=list(standards))
        .annotate(
            edu=_highest(QualificationKind.EDUCATION, as_of),
            pol=_highest(QualificationKind.POLITICS, as_of),
        )
        .select_related("official", "position", "unit")
        .order_by("unit__name", "position__order", "official__search_name")
    )
    gaps = []
    for posting in postings:
        standard = standards[posting.position.code]
        missing = []
        if posting.edu < standard.min_education:
            missing.append(
                f"trình độ chuyên môn: cần {Education(standard.min_education).label.lower()}, "
                f"có {Education(posting.edu).label.lower()}"
            )
        if posting.pol < standard.min_politics:
            missing.append(
                f"lý luận chính trị: cần {Politics(standard.min_politics).label.lower()}, "
                f"có {Politics(posting.pol).label.lower()}"
            )
        if (
            standard.min_age
            and posting.valid_from
            and posting.official.age_on(posting.valid_from) < standard.min_age
        ):
            missing.append(f"tuổi khi nhận chức danh dưới {standard.min_age}")
        if standard.min_months_to_retirement and posting.valid_from and _first_appointment(posting):
            retires = retirement_date(posting.official.birth_date, posting.official.sex)
            from gandan.officials.services import add_months

            if retires is not None and retires < add_months(
                posting.valid_from, standard.min_months_to_retirement
            ):
                missing.append(
                    f"lần đầu giữ chức không còn đủ {standard.min_months_to_retirement} tháng công tác "
                    f"(nghỉ hưu {retires:%d/%m/%Y})"
                )
        if missing:
            gaps.append(
                Gap(
                    posting=posting,
                    missing=missing,
                    deadline=standard.deadline,
                    source=standard.source,
                )
            )
    return gaps


def _first_appointment(posting: Posting) -> bool:
    return not Posting.objects.filter(
        official_id=posting.official_id,
        position__code=posting.position.code,
        valid_from__lt=posting.valid_from,
    ).exists()


# --- Staffing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingRow:
    unit: Unit
    classification: str
    group: str
    quota: int | None  # None: no quota in force
    filled: int
    # For village titles the cap is per village: the excess is counted village by village.
    excess: int | None = None

    @property
    def vacant(self) -> int:
        return max(0, (self.quota or 0) - self.filled) if self.quota is not None else 0

    @property
    def over(self) -> int:
        if self.excess is not None:
            return self.excess
        return max(0, self.filled - self.quota) if self.quota is not None else 0


_GROUP_CATEGORIES = {
    QuotaGroup.CADRES_AND_CIVIL_SERVANTS: [Category.CADRE, Category.CIVIL_SERVANT],
    QuotaGroup.PART_TIME_COMMUNE: [Category.PART_TIME_COMMUNE],
}


def staffing(unit: Unit | None, as_of: dt.date) -> list[StaffingRow]:
    """For each commune: quota in force for its type and class, people in post, vacancies, excess."""
    communes = list(Unit.objects.filter(pk__in=communes_under(unit, as_of)).order_by("name"))
    classes = {
        c.unit_id: c.classification
        for c in UnitClassification.objects.filter(valid_on_q(as_of), unit__in=communes)
    }
    quotas = list(Quota.objects.filter(valid_on_q(as_of)))
    filled: dict[tuple[int, str], int] = defaultdict(int)
    rows = (
        Posting.objects.filter(valid_on_q(as_of), unit__in=communes)
        .values("unit_id", "position__category")
        .annotate(n=Count("official_id", distinct=True))
        .order_by()
    )
    for row in rows:
        for group, categories in _GROUP_CATEGORIES.items():
            if row["position__category"] in categories:
                filled[(row["unit_id"], group)] += row["n"]
    village_quota = _quota_for(quotas, QuotaGroup.HAMLET_PAID_TITLES, "", "")
    villages = _village_titles(communes, as_of, village_quota)
    result = []
    for commune in communes:
        klass = classes.get(commune.pk, "")
        for group in _GROUP_CATEGORIES:
            quota = _quota_for(quotas, group, commune.type, klass)
            if quota is None and not filled[(commune.pk, group)]:
                continue
            result.append(StaffingRow(commune, klass, group, quota, filled[(commune.pk, group)]))
        village = villages.get(commune.pk)
        if village is not None and village_quota is not None:
            hamlets, titles, excess = village
            result.append(
                StaffingRow(
                    commune,
                    klass,
                    QuotaGroup.HAMLET_PAID_TITLES,
                    village_quota * hamlets,
                    titles,
                    excess,
                )
            )
    return result


def _village_titles(
    communes: list[Unit], as_of: dt.date, cap: int | None
) -> dict[int, tuple[int, int, int]]:
    """Per commune: villages, paid village titles held, and titles beyond the cap summed village by village."""
    from gandan.geo.models import Hamlet

    hamlets = dict(
        Hamlet.objects.active()
        .valid_on(as_of)
        .filter(commune__in=communes)
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
        .order_by()
    )
    per_hamlet = (
        Posting.objects.filter(
            valid_on_q(as_of),
            unit__in=communes,
            hamlet__isnull=False,
            position__category=Category.PART_TIME_HAMLET,
        )
        .values("unit_id", "hamlet_id")
        .annotate(n=Count("official_id", distinct=True))
        .order_by()
    )
    result: dict[int, tuple[int, int, int]] = {}
    for row in per_hamlet:
        villages, titles, excess = result.get(
            row["unit_id"], (hamlets.get(row["unit_id"], 0), 0, 0)
        )
        over = max(0, row["n"] - cap) if cap is not None else 0
        result[row["unit_id"]] = (villages, titles + row["n"], excess + over)
    for commune_id, villages in hamlets.items():
        result.setdefault(commune_id, (villages, 0, 0))
    return result


def _quota_for(quotas: list[Quota], group: str, unit_type: str, klass: str) -> int | None:
    # The most specific row wins: exact type and class, then any type.
    best = None
    for quota in quotas:
        if quota.group != group or (quota.classification and quota.classification != klass):
            continue
        if quota.unit_type and quota.unit_type != unit_type:
            continue
        if best is None or (quota.unit_type and not best.unit_type):
            best = quota
    return best.headcount if best else None


# --- Party heads, tenure ---------------------------------------------------------------------


def party_heads(unit: Unit | None, as_of: dt.date) -> list[dict[str, Any]]:
    """Heads of commune Party committees on ``as_of``, local or not, with their tenure in the post."""
    postings = (
        postings_on(unit, as_of)
        .filter(position__is_party_head=True)
        .annotate(
            local=Case(When(_local(), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .select_related("official", "unit", "official__home_unit")
        .order_by("unit__name")
    )
    result = []
    for posting in postings:
        months = tenure_months(posting, as_of)
        result.append(
            {
                "posting": posting,
                "local": bool(posting.local),
                "tenure_months": months,
                "more_than_two_terms": months > 2 * TERM_MONTHS,
            }
        )
    return result


def tenure_months(posting: Posting, as_of: dt.date) -> int:
    """Months in the same post at the same commune (or the one it came from), without a break."""
    chain = Posting.objects.filter(
        official_id=posting.official_id, position__code=posting.position.code
    ).order_by("-valid_from")
    units = {posting.unit_id} | set(
        Lineage.objects.filter(successor_id=posting.unit_id).values_list(
            "predecessor_id", flat=True
        )
    )
    start = posting.valid_from or as_of
    for earlier in chain:
        if (
            earlier.valid_from is None
            or earlier.valid_from >= start
            or earlier.unit_id not in units
        ):
            continue
        if earlier.valid_to is not None and (start - earlier.valid_to).days <= 1:
            start = earlier.valid_from
    return (as_of.year - start.year) * 12 + as_of.month - start.month


def long_tenure(unit: Unit | None, as_of: dt.date) -> list[dict[str, Any]]:
    """Leaders who have held the same post for more than two consecutive terms."""
    postings = (
        postings_on(unit, as_of)
        .filter(position__category=Category.CADRE, position__single_holder=True)
        .select_related("official", "unit", "position")
    )
    flagged = []
    for posting in postings:
        months = tenure_months(posting, as_of)
        if months > 2 * TERM_MONTHS:
            flagged.append({"posting": posting, "tenure_months": months})
    return flagged


# --- Evaluation --------------------------------------------------------------------------------


def evaluation_summary(unit: Unit | None, year: int) -> list[dict[str, Any]]:
    """Per commune: grades given in ``year`` and whether "excellent" stays within the cap."""
    scheme = EvaluationScheme.objects.filter(first_year__lte=year).order_by("-first_year").first()
    cap = scheme.excellent_cap_pct if scheme else 20
    as_of = dt.date(year, 12, 31)
    qs = Evaluation.objects.filter(year=year)
    if unit is not None:
        qs = qs.filter(unit_id__in=communes_under(unit, as_of))
    rows = (
        qs.values("unit_id", "unit__name")
        .annotate(
            graded=Count("id"),
            excellent=Count("id", filter=Q(grade=Grade.EXCELLENT)),
            good=Count("id", filter=Q(grade=Grade.GOOD)),
            completed=Count("id", filter=Q(grade=Grade.COMPLETED)),
            not_completed=Count("id", filter=Q(grade=Grade.NOT_COMPLETED)),
        )
        .order_by("unit__name")
    )
    result = []
    for row in rows:
        good_or_above = row["excellent"] + row["good"]
        allowed = int(Decimal(good_or_above * cap) / 100)
        result.append(
            {
                **row,
                "cap_pct": cap,
                "excellent_allowed": allowed,
                "over_cap": row["excellent"] > allowed,
            }
        )
    return result


# --- People and personnel files (the screens, the PDF and the API) ---------------------------


def people_on(
    user: Any,
    *,
    as_of: dt.date,
    q: str = "",
    category: str = "",
    unit: Unit | None = None,
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
    """A page of :func:`people_on`, each person with the citizen ID the user may read."""
    full = may_see_full_citizen_ids(user, [o.pk for o in officials])
    return [PersonRow(o, shown_citizen_id(o, o.pk in full), o.pk in full) for o in officials]


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

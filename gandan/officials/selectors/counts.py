"""The statistics of the officials in post on a day: counts, qualification rates, breakdowns.

Aggregations run in SQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from gandan.core.numbers import percent as pct
from gandan.geo.models import Lineage, Unit
from gandan.officials.models import (
    Category,
    Education,
    Official,
    Politics,
    Posting,
    Qualification,
    Sex,
)
from gandan.officials.selectors.common import AGE_BANDS, _years_before

_LOCAL = "Người địa phương"
_NOT_LOCAL = "Không phải người địa phương"

# The communes valid on the day at or below the unit (the whole country without one).
_COMMUNES_CTE = """
WITH communes AS (
    SELECT u.id FROM {unit} u LEFT JOIN {unit} d ON d.id = u.parent_id
    WHERE u.level = 'commune'
      AND (u.valid_from IS NULL OR u.valid_from <= %(day)s) AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
      {unit_filter}
), people AS ("""


def _unit_filter(unit: Unit | None, params: dict[str, Any]) -> str:
    """The condition of ``_COMMUNES_CTE`` for ``unit``, its parameter added to ``params``."""
    if unit is None:
        return ""
    params["unit"] = unit.pk
    return "AND (u.id = %(unit)s OR u.parent_id = %(unit)s OR d.parent_id = %(unit)s)"


# One pass over the data: people in post on a date (once per category), with the highest
# education and political theory they held then, their age band, sex, ethnicity and whether
# they serve their home commune; grouped by all of these. Every figure of the report is a
# sum over these groups. Plain SQL that SQLite and PostgreSQL both run.
_CUBE_SQL = (
    _COMMUNES_CTE  # noqa: S608 - table names from the models, values as parameters
    + """
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
)


def _cube(unit: Unit | None, as_of: dt.date) -> list[tuple[str, int, int, str, str, str, int, int]]:
    from django.db import connection

    from gandan.officials.models import Position

    params: dict[str, Any] = {"day": as_of}
    unit_filter = _unit_filter(unit, params)
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


_HEADLINE_SQL = (
    _COMMUNES_CTE  # noqa: S608 - table names from the models, values as parameters
    + """
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
)


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
    unit_filter = _unit_filter(unit, params)
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

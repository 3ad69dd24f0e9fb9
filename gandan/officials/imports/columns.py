"""Import and export of officials: one row per posting, the same layout both ways.

Columns (the header row must name exactly these, in any order; ``docs/import-officials.md``
explains each with examples)::

    citizen_id, full_name, birth_date, sex, ethnicity, home_commune_code, unit_code,
    hamlet_name, position_code, posting_kind, start_date, end_date, education,
    education_date, politics, politics_date, salary_grade

- ``citizen_id``: 12 digits (a number cell that lost its leading zero in Excel is padded back).
  The same person may appear on several rows (several postings) with the same name and birth
  date; a person already registered (same citizen ID) gets the new postings and
  qualifications, not a second record.
- dates (``birth_date``, ``start_date``, ``end_date``, ``education_date``, ``politics_date``):
  ``dd/mm/yyyy``, ISO ``yyyy-mm-dd`` or a date cell.
- ``sex``: ``nam`` / ``nữ`` (or ``male`` / ``female``). ``ethnicity``: blank means Kinh.
- ``home_commune_code``: optional; the commune of that code on ``start_date``, else the most
  recent unit with that code.
- ``unit_code``: a commune that exists on ``start_date`` (a legacy code before 1 Jul 2025, a
  current one after). On the upload screen it must be in the user's scope for writing.
- ``hamlet_name``: for village positions only: a village or residential group of that commune
  on ``start_date``; where a merged commune has two of the same name,
  ``Tổ dân phố 1 (trước thuộc Phường Phú Nhuận)``.
- ``position_code``: a code of :class:`~gandan.officials.models.Position` in force on
  ``start_date`` (e.g. ``committee_chair``, ``office_staff``, ``hamlet_head``).
- ``posting_kind``: ``elected``, ``appointed``, ``recruited``, ``seconded``, ``rotated_in``,
  ``contracted`` (or the Vietnamese labels: ``Bầu cử``, ``Bổ nhiệm``, …).
- ``education`` 0–6 and ``politics`` 0–3: level codes of ``Education`` / ``Politics`` or their
  Vietnamese labels (``Đại học``, ``Trung cấp``…), each with the date of the degree; blank or 0
  records nothing.
- ``salary_grade``: free text (at most 60 characters).

The export writes the postings valid on a date in a unit and below, with each person's highest
education and political theory degree held that day, so that exporting as an operator and
importing into an empty database gives back the same people and postings.
"""

from __future__ import annotations

import re

from gandan.officials.models import QualificationKind, Sex

COLUMNS = (
    "citizen_id",
    "full_name",
    "birth_date",
    "sex",
    "ethnicity",
    "home_commune_code",
    "unit_code",
    "hamlet_name",
    "position_code",
    "posting_kind",
    "start_date",
    "end_date",
    "education",
    "education_date",
    "politics",
    "politics_date",
    "salary_grade",
)
SEXES = {"nam": Sex.MALE, "male": Sex.MALE, "nu": Sex.FEMALE, "female": Sex.FEMALE}
SEX_NAMES = {Sex.MALE: "nam", Sex.FEMALE: "nữ"}
# Which column each key of a service's ValidationError is about.
OFFICIAL_COLUMNS = {"home_unit": "home_commune_code"}
POSTING_COLUMNS = {
    "valid_from": "start_date",
    "valid_to": "end_date",
    "unit": "unit_code",
    "position": "position_code",
    "hamlet": "hamlet_name",
    "kind": "posting_kind",
}
DEGREES = (
    (QualificationKind.EDUCATION, "education", "education_date"),
    (QualificationKind.POLITICS, "politics", "politics_date"),
)
_FORMER = re.compile(r"^(?P<name>.*?)\s*\(trước thuộc (?P<commune>.+)\)$")

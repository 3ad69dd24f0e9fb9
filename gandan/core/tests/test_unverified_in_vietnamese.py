"""A rule's data marks what has not been checked against the legal text ``UNVERIFIED``; the
interface says it in Vietnamese: "chưa đối chiếu văn bản"."""

from __future__ import annotations

import pytest

from gandan.core.text import UNVERIFIED, UNVERIFIED_TEXT, source_text
from gandan.feedback.tests.url_matrix_staff import report_of_a

pytestmark = pytest.mark.django_db


def test_the_mark_reads_in_vietnamese():
    assert source_text("Mã thủ tục: UNVERIFIED.") == f"Mã thủ tục: {UNVERIFIED_TEXT}."


def test_a_reports_page_shows_its_case_types_unconfirmed_source_in_vietnamese(personas):
    report = report_of_a(personas)
    # The case type's source does carry the mark, or the page would prove nothing.
    assert UNVERIFIED in report.case_type.source
    page = personas.client("official_a").get(f"/feedback/staff/{report.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert UNVERIFIED not in text
    assert UNVERIFIED_TEXT in text

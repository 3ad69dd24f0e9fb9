"""The personnel file as a printable A4 PDF, in the layout of a Vietnamese administrative form.

WeasyPrint needs Pango and its friends from the operating system; where they are missing the
rest of the system still works, and the PDF screen says so instead of failing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

if TYPE_CHECKING:
    from gandan.officials.selectors import PersonnelFile

logger = logging.getLogger(__name__)


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs cannot be loaded."""


def personnel_file_pdf(record: PersonnelFile, *, printed_by: Any) -> bytes:
    """The bytes of the PDF of ``record``; raises :class:`PdfUnavailable` without WeasyPrint."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:
        logger.warning("WeasyPrint unavailable: %s", error)
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(
        "officials/file_pdf.html",
        {"file": record, "printed_by": printed_by, "printed_at": timezone.localtime()},
    )
    # Made from our own template only: nothing to fetch, so no protocol is allowed.
    no_fetching = URLFetcher(allowed_protocols=())
    content: bytes = HTML(string=html, url_fetcher=no_fetching).write_pdf()
    return content

"""Rows of the persona × URL matrix for importing and exporting officials.

Uploading is tested in ``test_import_screen.py`` (it needs a file); here only GET.
"""

from gandan.core.testing.url_matrix import LOGIN, SCOPED_PAGE, Row, expect

URLS: dict[str, Row] = {
    # Only users who write somewhere may import: viewers and the province leader do not.
    "officials/import/": Row(lambda p: "/officials/import/", expect(200, 404, 200, 404, LOGIN)),
    # Anyone whose scope covers the unit may export it (citizen IDs masked by role).
    "officials/export/": Row(
        lambda p: "/officials/export/?unit=19789&as_of=2026-03-02",
        SCOPED_PAGE,
    ),
}

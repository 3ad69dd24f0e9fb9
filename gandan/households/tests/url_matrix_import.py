"""Rows of the persona × URL matrix for importing households' review results.

Uploading is tested in ``test_import_screen.py`` (it needs a file); here only GET.
"""

from gandan.core.testing.url_matrix import LOGIN, Row, expect

URLS: dict[str, Row] = {
    # Only users who write somewhere may import: viewers and the province leader do not.
    "households/import/": Row(lambda p: "/households/import/", expect(200, 404, 200, 404, LOGIN)),
}

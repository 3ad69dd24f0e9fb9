"""Import and export of officials: one row per posting, the same layout both ways.

The layout is described in :mod:`gandan.officials.imports.columns`; ``IMPORTERS`` is read by
:func:`gandan.core.imports.importers`.
"""

from gandan.officials.imports.columns import COLUMNS, DEGREES, SEX_NAMES, SEXES
from gandan.officials.imports.export import export_officials
from gandan.officials.imports.importer import IMPORTERS, OfficialsImporter, PostingRow

__all__ = [
    "COLUMNS",
    "DEGREES",
    "IMPORTERS",
    "SEXES",
    "SEX_NAMES",
    "OfficialsImporter",
    "PostingRow",
    "export_officials",
]

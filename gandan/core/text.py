"""Vietnamese text tools.

Search ignores diacritics and case by comparing *folded* text: lower case, no combining
marks, đ → d. Each searchable model keeps a folded copy of its name in an indexed column,
so the same ``LIKE`` works on SQLite and PostgreSQL and can use an index.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, with single spaces.

    >>> fold("Phường  Thuận Hóa")
    'phuong thuan hoa'
    >>> fold("ĐẶC KHU Côn Đảo")
    'dac khu con dao'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_key(text: str) -> str:
    """Folded text without spaces or punctuation, as the ``vietnamadminunits`` keys are."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


# How a rule's data marks a figure or a reference not yet checked against the legal text.
UNVERIFIED = "UNVERIFIED"
UNVERIFIED_TEXT = "chưa đối chiếu văn bản"


def source_text(text: str) -> str:
    """A legal source as a reader sees it: the data's ``UNVERIFIED`` mark in Vietnamese.

    >>> source_text("Mã thủ tục: UNVERIFIED.")
    'Mã thủ tục: chưa đối chiếu văn bản.'
    """
    return text.replace(UNVERIFIED, UNVERIFIED_TEXT)

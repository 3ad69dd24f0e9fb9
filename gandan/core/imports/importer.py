"""What an app implements to offer an import (:class:`TableImporter`), who imports
(:class:`ImportContext`), and the registry of importers by kind."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, ClassVar, Generic, TypeVar

from gandan.core.imports.report import Figure, RowError
from gandan.core.imports.rows import Row

# Modules that declare ``IMPORTERS = {"kind": ImporterClass}``.
IMPORT_MODULES = ["gandan.officials.imports", "gandan.households.imports"]

T = TypeVar("T")


@dataclass
class ImportContext:
    """Who imports, and the units rows may write to.

    ``user`` None is an operator at the command line: no scope. A user may write only to the
    units their roles let them write to; ``unit`` restricts rows to that unit and below
    (across the 2025 reform: what it came from or became, as scope does).
    """

    user: Any = None
    unit: Any = None  # gandan.geo.models.Unit
    _allowed: dict[int, str | None] = field(default_factory=dict, repr=False)

    @property
    def actor(self) -> Any:
        return self.user

    def refusal(self, unit: Any) -> str | None:
        """Why rows may not write to ``unit`` (a Vietnamese reason), or None if they may."""
        if unit.pk not in self._allowed:
            self._allowed[unit.pk] = self._refusal(unit)
        return self._allowed[unit.pk]

    def commune_refusal(self, unit: Any) -> str | None:
        """:meth:`refusal` for a row's commune, which must also be a commune-level unit."""
        from gandan.geo.models import Level

        if unit.level != Level.COMMUNE:
            return f"{unit.name} không phải đơn vị cấp xã"
        return self.refusal(unit)

    def _refusal(self, unit: Any) -> str | None:
        from gandan.accounts.access import lineage_closure, units_in_scope
        from gandan.geo.models import Unit

        if self.user is not None:
            if not units_in_scope(self.user, for_write=True).filter(pk=unit.pk).exists():
                return f"Đơn vị {unit.name} ngoài phạm vi của bạn"
        if self.unit is not None:
            under = Unit.objects.descendants_of(lineage_closure({self.unit.pk}))
            if not under.filter(pk=unit.pk).exists():
                return f"Đơn vị {unit.name} không thuộc {self.unit.name} (mã {self.unit.code})"
        return None


class TableImporter(ABC, Generic[T]):
    """One layout of file. Subclasses set the class attributes and implement the three steps.

    A fresh instance serves one run, so per-run state (caches, what was seen) lives on it.

    Row by row (the default): the first reading and the writing each get a fresh instance, and
    :meth:`write` is called for each row in its own savepoint. In batches (``batch_size`` > 0):
    ONE instance serves both steps; ``parse`` must return something picklable (plain values,
    ids rather than model instances), and :meth:`write_batch` writes ``batch_size`` rows at a
    time. It rejects a row with ``row.error(...)``, or any row of the file by number with
    :meth:`reject` (e.g. a household's later row that the first one contradicts).
    """

    kind: ClassVar[str]
    label: ClassVar[str]  # Vietnamese: what the file holds
    columns: ClassVar[tuple[str, ...]]
    counter_labels: ClassVar[dict[str, str]] = {}  # counter → Vietnamese label
    batch_size: ClassVar[int] = 0  # > 0: the batch path, see gandan.core.imports

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.counts: Counter[str] = Counter()
        self.rejected: list[RowError] = []

    def count(self, counter: str, n: int = 1) -> None:
        self.counts[counter] += n

    @abstractmethod
    def parse(self, row: Row) -> T | None:
        """Check one row on its own (and against the database); None if ``row.errors``."""

    def check_across(self, row: Row, parsed: T) -> None:
        """Check a row against the rows before it (first reading only)."""

    @abstractmethod
    def write(self, row: Row, parsed: T) -> None:
        """Write one row through the app's services; a ``ValidationError`` rejects the row."""

    def write_batch(self, rows: list[tuple[Row, T]]) -> None:
        """Write a chunk of checked rows at once (the batch path); reject rows, never raise for one."""
        raise NotImplementedError(f"{type(self).__name__} sets batch_size but has no write_batch")

    def reject(self, number: int, column: str, value: str, reason: str) -> None:
        """Reject row ``number`` of the file from :meth:`write_batch`, wherever that row is."""
        self.rejected.append(RowError(number, column, value, reason))

    def finish(self) -> None:
        """After the last row was written without error, inside the transaction (e.g. the one
        summary event of a batch import)."""

    def figures(self) -> list[Figure]:
        """What the written rows amount to, for the report (e.g. per year: poor, near-poor)."""
        return []


def importers() -> dict[str, type[TableImporter[Any]]]:
    found: dict[str, type[TableImporter[Any]]] = {}
    for name in IMPORT_MODULES:
        found.update(import_module(name).IMPORTERS)
    return found


def get_importer(kind: str) -> type[TableImporter[Any]]:
    known = importers()
    if kind not in known:
        raise KeyError(
            f"Không có kiểu nhập {kind!r}. Các kiểu có: {', '.join(sorted(known)) or '(chưa có)'}."
        )
    return known[kind]

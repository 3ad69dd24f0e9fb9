"""What an import reports: each problem by row and column, what was created, the figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ERRORS = 1000  # errors kept for the report; beyond this they are only counted


@dataclass(frozen=True)
class RowError:
    """One problem in the file: row number as the spreadsheet shows it (header = 1), column, value."""

    row: int  # 0: the file as a whole
    column: str
    value: str
    reason: str  # Vietnamese

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row else "Tệp"
        if self.column:
            where += f", cột {self.column}"
        if self.value:
            where += f", giá trị '{self.value}'"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Figure:
    """One line of figures an import produced, e.g. a review year: rows, poor, near-poor."""

    label: str  # Vietnamese, e.g. "Năm 2025"
    values: tuple[tuple[str, int], ...]  # (Vietnamese label, number)

    def __str__(self) -> str:
        numbers = ", ".join(f"{_number(n)} {label}" for label, n in self.values)
        return f"{self.label}: {numbers}"


def _number(n: int) -> str:
    """Vietnamese grouping: 300.000."""
    return f"{n:,}".replace(",", ".")


@dataclass
class ImportReport:
    """What an import read, what was wrong, and what it created (or, in a dry run, would create)."""

    kind: str
    label: str = ""
    dry_run: bool = False
    rows_read: int = 0
    rows_ok: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # every error, including those beyond MAX_ERRORS
    created: dict[str, int] = field(default_factory=dict)
    would_create: dict[str, int] = field(default_factory=dict)
    counter_labels: dict[str, str] = field(default_factory=dict)
    # What the rows amount to (in a dry run: would amount to), from importers that say so.
    figures: list[Figure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def counts(self) -> list[tuple[str, int]]:
        """(Vietnamese label, number) for what was created, or would be in a dry run."""
        numbers = self.would_create if self.dry_run else self.created
        return [(self.counter_labels.get(key, key), n) for key, n in numbers.items()]

    def summary(self) -> str:
        if not self.ok:
            return (
                f"Tệp có {self.error_count} lỗi ở {self.rows_read - self.rows_ok} trên "
                f"{self.rows_read} dòng dữ liệu: không có gì được lưu."
            )
        made = "; ".join(f"{n} {label}" for label, n in self.counts()) or "không có gì mới"
        figures = ""
        if self.figures:
            figures = f" Số liệu: {'; '.join(str(figure) for figure in self.figures)}."
        if self.dry_run:
            return (
                f"Kiểm tra xong {self.rows_read} dòng, không có lỗi. "
                f"Nếu nhập thật sẽ tạo: {made}.{figures} (Chỉ kiểm tra: chưa lưu gì.)"
            )
        return f"Đã nhập {self.rows_read} dòng. Đã tạo: {made}.{figures}"

    def lines(self) -> list[str]:
        """The report as text, one line per error then the summary (for the command line)."""
        lines = [str(error) for error in self.errors]
        if self.errors_not_shown:
            lines.append(f"… và {self.errors_not_shown} lỗi khác.")
        lines.append(self.summary())
        return lines


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, wrong header)."""

    def __init__(self, reason: str, *, row: int = 0, column: str = "", value: str = "") -> None:
        super().__init__(reason)
        self.error = RowError(row=row, column=column, value=value, reason=reason)


# Mappings whose order the summary follows, kept as [key, value] pairs: PostgreSQL's jsonb
# keeps an object's keys in an order of its own.
_ORDERED = ("created", "would_create", "counter_labels")


def report_as_json(report: ImportReport) -> dict[str, Any]:
    """The report as JSON, as a background import keeps it in its job's result."""
    data = asdict(report)
    return {**data, **{name: list(data[name].items()) for name in _ORDERED}}


def report_from_json(data: dict[str, Any]) -> ImportReport:
    """The report :func:`report_as_json` kept."""
    return ImportReport(
        **{
            **data,
            **{name: dict(data.get(name, [])) for name in _ORDERED},
            "errors": [RowError(**error) for error in data.get("errors", [])],
            "figures": [
                Figure(
                    label=figure["label"],
                    values=tuple((str(label), int(n)) for label, n in figure["values"]),
                )
                for figure in data.get("figures", [])
            ],
        }
    )

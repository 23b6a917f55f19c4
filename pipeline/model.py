"""Plain records passed between the stages: cell values, hires, findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

SEVERITIES = ("fout", "waarschuwing", "info")


@dataclass(frozen=True, slots=True)
class Cell:
    """One value as read from the workbook, with where it came from."""

    value: Any  # parsed value (str, int, Decimal, date, bool) or None
    raw: Any  # what the cell held before parsing
    sheet: str
    cell: str  # "B7"

    @property
    def empty(self) -> bool:
        return self.value is None


@dataclass(slots=True)
class Row:
    """One row of a repeating section (Excel table)."""

    number: int  # 1-based row within the table
    cells: dict[str, Cell]
    outside_table: bool = False  # typed directly below the table (W5)

    def get(self, column: str) -> Any:
        c = self.cells.get(column)
        return None if c is None else c.value


@dataclass
class Hire:
    """One filled workbook: the single-value fields and the table rows."""

    file: str  # path relative to the inputs folder
    sha256: str
    template_version: str | None
    fields: dict[str, Cell] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        c = self.fields.get(name)
        return None if c is None else c.value

    def cell(self, name: str) -> Cell | None:
        return self.fields.get(name)

    @property
    def hire_id(self) -> str:
        brin, year, nr = self.get("brin"), self.get("schooljaar"), self.get("volgnummer")
        if not (brin and year and nr is not None):
            return ""
        return f"{brin}-{year}-{int(nr)}"

    @property
    def version_date(self) -> date | None:
        v = self.get("versiedatum")
        return v if isinstance(v, date) else None


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule violation (or note) at one place in one file."""

    rule: str
    severity: str
    file: str
    hire_id: str
    sheet: str
    cell: str
    message: str
    source: str

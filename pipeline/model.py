"""Plain records passed between the stages: cell values, hires, findings."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SEVERITIES = ("fout", "waarschuwing", "info")
SHARED_TEXT = 200  # characters: text up to this length is kept once however many workbooks hold it


def intern(text: Any) -> Any:
    """One shared object for text that recurs in every workbook (sheet names, cells, column names, rule ids):
    a board of 10.000 workbooks holds millions of them. Anything but a plain str is returned as it is."""
    return sys.intern(text) if type(text) is str else text


# Records cross process boundaries by pickle, which makes a new string per occurrence; their reducers
# intern the recurring text again on arrival.
def _cell(value: Any, raw: Any, sheet: str, cell: str) -> "Cell":
    return Cell(_short(value), _short(raw), intern(sheet), intern(cell))


def _short(value: Any) -> Any:
    """Short text (choices, question texts, names) recurs across workbooks; long free text rarely does."""
    return sys.intern(value) if type(value) is str and len(value) <= SHARED_TEXT else value


def _row(number: int, cells: dict, outside_table: bool) -> "Row":
    return Row(number, {intern(k): v for k, v in cells.items()}, outside_table)


def _finding(rule, severity, file, hire_id, sheet, cell, message, source) -> "Finding":
    return Finding(intern(rule), intern(severity), file, hire_id, intern(sheet), intern(cell), message, intern(source))


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

    def __reduce__(self):
        return _cell, (self.value, self.raw, self.sheet, self.cell)


@dataclass(slots=True)
class Row:
    """One row of a repeating section (Excel table)."""

    number: int  # 1-based row within the table
    cells: dict[str, Cell]
    outside_table: bool = False  # typed directly below the table (W5)

    def get(self, column: str) -> Any:
        c = self.cells.get(column)
        return None if c is None else c.value

    def __reduce__(self):
        return _row, (self.number, self.cells, self.outside_table)


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

    def __setstate__(self, state: dict) -> None:
        state["fields"] = {intern(k): v for k, v in state["fields"].items()}
        state["tables"] = {intern(k): v for k, v in state["tables"].items()}
        self.__dict__.update(state)

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

    def __reduce__(self):
        return _finding, (self.rule, self.severity, self.file, self.hire_id, self.sheet, self.cell, self.message, self.source)

"""Plain records passed between the stages: cell values, hires, findings."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import polars as pl

SEVERITIES = ("fout", "waarschuwing", "info")  # worst first
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
SHARED_TEXT = 200  # characters: text up to this length is kept once however many workbooks hold it


# The reader interns recurring text. Workers send their results in batches, and pickle writes an object
# it has seen before in the same batch as a reference, so interned text stays shared in the main process
# (one copy per batch instead of one per cell).
def intern(text: Any) -> Any:
    """One shared object for text that recurs in every workbook (sheet names, cells, column names, rule ids):
    a board of 10.000 workbooks holds millions of them. Anything but a plain str is returned as it is."""
    return sys.intern(text) if type(text) is str else text


def shared(value: Any) -> Any:
    """Short text (choices, question texts, names) recurs across workbooks; long free text rarely does."""
    return sys.intern(value) if type(value) is str and len(value) <= SHARED_TEXT else value


class Cell(NamedTuple):
    """One value as read from the workbook, with where it came from.

    A named tuple: a board of 10.000 workbooks has millions of them, and a tuple is the cheapest
    record to build, to keep and to send from a worker process to the main process."""

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


# A hire for several schools at once (workbook field `niveau`), and the cost centre of the board office
# that such hires are booked on (bestuur.xlsx, sheet Grootboek: a cost centre without a BRIN; the ledger's brin column).
ABOVE_SCHOOL = "Bovenschools"
BOARD_COST_CENTRE = "bovenschools"


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
    def above_school(self) -> bool:
        """A bovenschools hire: its spending is split over the participating schools (tblDeelnemers)."""
        return self.get("niveau") == ABOVE_SCHOOL

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
    about: str = ""  # BRIN of the school the finding is about, where the rule knows it (P5, L1): not always the workbook's school


# What happened to an input file
READ, SUPERSEDED, REJECTED, SKIPPED = "gelezen", "vervangen", "afgewezen", "overgeslagen"
STATUSES = (READ, SUPERSEDED, REJECTED, SKIPPED)
TIMEOUT = "duurde te lang"


@dataclass
class FileResult:
    """What happened to one input file."""

    file: str
    sha256: str
    size: int
    status: str
    reason: str
    hire: Hire | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class RunData:
    """Everything the renderers need, as plain data."""

    inputs: Path
    board: Any  # the reader's record of bestuur.xlsx (pipeline.read.board.Board): the plain-data model imports no reader
    board_findings: list[Finding]
    files: list[FileResult]
    hires: list[Hire]  # counted hires (newest version per hire id)
    superseded: dict[str, str]
    hires_df: pl.DataFrame
    invoices_df: pl.DataFrame
    findings_df: pl.DataFrame
    allocations_df: pl.DataFrame
    today: date
    generated: datetime
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    ledger_files: list[FileResult] = field(default_factory=list)  # exports in inputs/grootboek/
    ledger_df: pl.DataFrame | None = None  # NPO ledger lines on external parties (None: no ledger)
    reconciliation_df: pl.DataFrame | None = None  # the Aansluiting: ledger invoices against workbook invoices
    ledger_all_npo_df: pl.DataFrame | None = None  # all NPO ledger lines, staff included (None: the board marked none)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for f in self.files:
            out[f.status] += 1
        return out

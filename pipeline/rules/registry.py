"""The registry of rule checks and what a check sees: every rule family registers its checks here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable

from pipeline.model import Finding, Hire
from pipeline.rules import catalogue as findings

if TYPE_CHECKING:  # the board file's reader itself creates findings from this package
    import polars as pl

    from pipeline.read.board import Board
    from pipeline.spec import WorkbookSpec

HIRE, BOARD = "werkboek", "bestuur"  # the two scopes of a check
READ_RULES = frozenset({"W1", "W2", "W3", "W4", "W5"})  # found while inspecting and reading a file


@dataclass(frozen=True)
class Context:
    """What a per-hire check may know besides the hire itself."""

    board: Board
    spec: WorkbookSpec
    today: date


@dataclass(frozen=True)
class BoardContext:
    """What a board check sees: every hire of the board and the board's figures."""

    board: Board
    hires: list[Hire]  # every hire read, superseded versions included
    counted: list[Hire]  # the newest version per hire id
    invoices: pl.DataFrame  # invoices of the counted hires
    allocations: pl.DataFrame  # NPO allocation per school and school year
    version_dates: dict[str, date]  # file -> date of the mail it came with (when the workbook has none)
    reconciliation: pl.DataFrame | None = None  # the ledger against the invoices (None: no ledger in inputs/grootboek/)
    ledger: Any = None  # the ledger as read (pipeline.read.ledger.Ledger): its files, recognitions and non-NPO lines


Check = Callable[..., Iterable[Finding]]
CHECKS: dict[tuple[str, str], Check] = {}  # (rule id, scope) -> check


def _register(rule: str, scope: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        if rule not in findings.catalogue():
            raise ValueError(f"check for unknown rule {rule}")
        if (rule, scope) in CHECKS:
            raise ValueError(f"two {scope} checks for rule {rule}")
        CHECKS[(rule, scope)] = fn
        return fn

    return register


def hire_check(rule: str) -> Callable[[Check], Check]:
    """Register `fn(hire, ctx: Context)` as the per-hire check of `rule`."""
    return _register(rule, HIRE)


def board_check(rule: str) -> Callable[[Check], Check]:
    """Register `fn(ctx: BoardContext)` as the board check of `rule`."""
    return _register(rule, BOARD)


def at(rule: str, code: str, hire: Hire, field_name: str | None = None, *, sheet: str = "", cell: str = "", **params) -> Finding:
    """A finding located at a field of the hire (or an explicit sheet/cell)."""
    if field_name is not None and hire.cell(field_name) is not None:
        c = hire.cell(field_name)
        sheet, cell = c.sheet, c.cell
    return findings.finding(rule, code, file=hire.file, hire_id=hire.hire_id, sheet=sheet, cell=cell, **params)


def empty(hire: Hire, name: str) -> bool:
    """Empty and not merely unreadable (an unreadable value already has a W4 finding)."""
    c = hire.cell(name)
    return c is not None and c.raw is None

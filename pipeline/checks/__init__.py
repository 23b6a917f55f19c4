"""Rule checks: one module per rule family, each check registered under its rule id."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from pipeline import findings
from pipeline.config import Board
from pipeline.model import Finding, Hire
from pipeline.spec import WorkbookSpec


@dataclass(frozen=True)
class Context:
    """What a per-hire check may know besides the hire itself."""

    board: Board
    spec: WorkbookSpec
    today: date


HireCheck = Callable[[Hire, Context], Iterable[Finding]]
HIRE_CHECKS: dict[str, HireCheck] = {}


def hire_check(rule: str) -> Callable[[HireCheck], HireCheck]:
    def register(fn: HireCheck) -> HireCheck:
        if rule not in findings.catalogue():
            raise ValueError(f"check for unknown rule {rule}")
        HIRE_CHECKS[rule] = fn
        return fn

    return register


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


def run_hire_checks(hire: Hire, ctx: Context, rules: Iterable[str] | None = None) -> list[Finding]:
    # Import for the side effect of registering every check.
    from pipeline.checks import procurement, process, programme, pupils, questionnaire  # noqa: F401

    selected = set(rules) if rules is not None else None
    out: list[Finding] = []
    for rule, fn in HIRE_CHECKS.items():
        if selected is None or rule in selected:
            out.extend(fn(hire, ctx))
    return out

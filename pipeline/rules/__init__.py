"""Rule checks: one module per rule family, every check registered under its rule id.

Two scopes: a per-hire check sees one workbook (`hire_check`), a board check sees every hire of the
board at once (`board_check`). W1–W5 are found by the read stage itself, while it opens and reads a
file (pipeline.read); every other rule of the catalogue has a registered check, which a test holds."""
from __future__ import annotations

from typing import Iterable

from pipeline.model import Finding, Hire
from pipeline.rules.registry import (BOARD, CHECKS, HIRE, READ_RULES, BoardContext, Check, Context, at,  # noqa: F401
                                     board_check, empty, hire_check)


def registered() -> dict[tuple[str, str], Check]:
    """Every registered check, after importing every rule family."""
    from pipeline.rules import board, ledger, procurement, process, programme, pupils, questionnaire  # noqa: F401

    return CHECKS


def run_hire_checks(hire: Hire, ctx: Context, rules: Iterable[str] | None = None) -> list[Finding]:
    """Every per-hire check (or those of `rules`) on one hire."""
    selected = set(rules) if rules is not None else None
    out: list[Finding] = []
    for (rule, scope), fn in registered().items():
        if scope == HIRE and (selected is None or rule in selected):
            out.extend(fn(hire, ctx))
    return out


def run_board_checks(ctx: BoardContext) -> list[Finding]:
    """Every board check over all hires of the board."""
    out: list[Finding] = []
    for (rule, scope), fn in registered().items():
        if scope == BOARD:
            out.extend(fn(ctx))
    return out

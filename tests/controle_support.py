"""Helpers for the Controle tests: workbook fillings as UNO cell lists, LibreOffice batches, open checks read back."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from openpyxl import load_workbook

from conftest import once_per_file

from pipeline import spec as spec_mod
from pipeline.model import Finding
from pipeline.read import board as config
from pipeline.read import workbook as reader
from pipeline.render import controle
from pipeline.rules import Context, catalogue, run_hire_checks

S = spec_mod.load()
HERE = Path(__file__).parent
TODAY = date(2026, 11, 23)


def pipeline_findings(path: Path, board: config.Board | None = None) -> list[Finding]:
    """What the pipeline reports on one workbook: the reader's findings and every per-hire check."""
    res = reader.read(path)
    out = list(res.findings)
    if res.hire is not None:
        out += run_hire_checks(res.hire, Context(board or config.Board(), S, TODAY))
    return out


def uno_value(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return ["formula", "=TRUE()" if value else "=FALSE()"]
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return ["date", value.isoformat()]
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return ["number", float(value)]
    return ["text", str(value)]


def cells_of(fields: dict[str, Any], tables: dict[str, list[list[Any]]]) -> list[list[Any]]:
    """[sheet, cell, kind, value] for every non-empty value, placed by the spec (as builders.write_workbook does)."""
    out = []
    for name, value in fields.items():
        if value is None:
            continue
        f = S.fields[name]
        out.append([f.sheet, f.cell, *uno_value(value)])
    for tname, rows in tables.items():
        t = S.tables[tname]
        offset = 3 if t.prefill == "questions" else 1
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                col = chr(ord("A") + offset - 1 + j)
                out.append([t.sheet, f"{col}{t.first_row + i}", *uno_value(value)])
    return out


def run_libreoffice(py: str, jobs: list[dict], tmp: Path) -> None:
    path = tmp / f"jobs-{len(list(tmp.glob('jobs-*.json')))}.json"
    path.write_text(json.dumps(jobs), encoding="utf-8")
    subprocess.run([py, str(HERE / "lo_calc.py"), str(path)], check=True, timeout=1800)


def controle_rows(path: Path) -> list[tuple[str, str, str, str, str]]:
    """(Regel, Tabblad, Cel, Melding, Status) of tblControle, as LibreOffice computed them."""
    return list(_controle_rows(path))


@once_per_file(maxsize=64)  # a test asks for the open rows, the unknown ones and the messages of one output
def _controle_rows(path: str) -> tuple[tuple[str, str, str, str, str], ...]:
    wb = load_workbook(path, data_only=True)
    ws = wb[controle.SHEET]
    ref = ws.tables[controle.TABLE].ref
    rows = [tuple(c.value for c in row) for row in ws[ref]]
    assert list(rows[0]) == list(controle.COLUMNS)
    return tuple(rows[1:])


def live_messages(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """(rule, message) of the pipeline's findings as the Controle sheet can say them: its S2 row on the quotes names
    the latest quote's date without the supplier ("De offertedatum (16 juli 2022) ligt na ...")."""
    out = set()
    for f in findings:
        out.add((f.rule, f.message))
        if f.rule == "S2":
            out.add((f.rule, re.sub(r"^De offertedatum van .+? \((\d)", r"De offertedatum (\1", f.message)))
    return out


def open_rules(path: Path) -> set[str]:
    return {r[0] for r in controle_rows(path) if r[4] == controle.OPEN}


@lru_cache(maxsize=1)
def _covered_patterns() -> dict[str, list[re.Pattern]]:
    out = {}
    for rule, codes in controle.COVERED.items():
        pats = []
        for code in codes:
            template = catalogue.catalogue()[rule].messages[code].template
            parts = re.split(r"\{[a-z_0-9]+\}", template)
            pats.append(re.compile("^" + "(.*)".join(re.escape(p) for p in parts) + "$", re.S))
        out[rule] = pats
    return out


def covered(findings: Iterable[Finding]) -> set[str]:
    """Rule ids of the pipeline's findings whose message is one the Controle sheet reproduces."""
    pats = _covered_patterns()
    return {f.rule for f in findings if f.rule in pats and any(p.match(f.message) for p in pats[f.rule])}

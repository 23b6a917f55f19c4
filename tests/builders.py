"""Build real workbooks for tests: a compliant baseline hire, changed per test."""
from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.render import workbook as template
from tools.demo import DemoHire, hire_fields, hire_tables

BASE = DemoHire(
    "12AB/test.xlsx", "12AB", "2022-2023", 1, "slim", 0, "B: Instructie in kleine groepen",
    20000, date(2022, 9, 1), date(2023, 6, 30),
    [["F-1", date(2022, 12, 31), 10000, 2100, "Tutoring najaar"], ["F-2", date(2023, 6, 30), 10000, 2100, "Tutoring voorjaar"]],
)


def good_fields() -> dict[str, Any]:
    return hire_fields(copy.deepcopy(BASE))


def good_tables(fields: dict[str, Any] | None = None) -> dict[str, list[list[Any]]]:
    return hire_tables(copy.deepcopy(BASE), fields or good_fields())


def good_answers(**changes: list[Any]) -> list[list[Any]]:
    """The baseline questionnaire rows (answer, explanation, evidence) with some replaced: q3=["Nee", None, None]."""
    out = [list(a) for a in good_tables()["tblVragenlijst"]]
    for key, row in changes.items():
        out[int(key[1:]) - 1] = row
    return out


def filled_values(fields: dict[str, Any] | None = None, tables: dict[str, list[list[Any]]] | None = None,
                  unset: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, list[list[Any]]]]:
    """The baseline fields and tables with `fields`/`tables` replacing parts of them and `unset` fields left out."""
    f = good_fields()
    f.update(fields or {})
    t = good_tables(f)
    t.update(tables or {})
    for name in unset:
        f.pop(name, None)
    return f, t


def write_workbook(path: Path, fields: dict[str, Any] | None = None, tables: dict[str, list[list[Any]]] | None = None,
                   *, unset: tuple[str, ...] = (), below: dict[str, list[list[Any]]] | None = None) -> Path:
    """A filled workbook: the baseline with `fields`/`tables` replacing parts of it and `unset` fields left empty."""
    f, t = filled_values(fields, tables, unset)
    wb = template.build()
    template.fill(wb, {k: v for k, v in f.items() if v is not None}, t, below_table=below)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path

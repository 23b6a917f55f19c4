"""UNO side of tools/mutants_controle_lo.py: type fillings into blanks in one LibreOffice and read a table back fast.

Runs under the system Python that has the `uno` module (Debian: python3-uno):
    /usr/bin/python3 tools/lo_screen.py JOBS.json > OUT.jsonl
JOBS.json: {"table": database range to read, "fillings": {name: [[sheet, "B5", kind, value], ...]},
            "base": blank.xlsx, "blanks": {mutant: blank.xlsx}, "message": column index of the message}
Each blank is opened once. Per filling the cells are typed, the document recalculated, the table read through UNO
(no save, no reload) and the typed cells put back as they were. The base blank is read under every filling; a mutant
stops at the first filling whose table differs outside the message column from the base's (the filling that last killed goes first), otherwise
every filling is compared. First a JSON line with the base's tables ({"name": "", "base": ...}), then one per mutant: {"name", "verdict": killed|message|same, "filling", "recalcs"}.
RESTORE_CHECK=1 reloads the base blank per filling instead, to compare with the restoring way (a self-test).
"""
from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from lo_fill import Office, put  # noqa: E402


def _table(doc, name: str) -> list[tuple]:
    area = doc.DatabaseRanges.getByName(name).getDataArea()
    sheet = doc.Sheets.getByIndex(area.Sheet)
    rng = sheet.getCellRangeByPosition(area.StartColumn, area.StartRow, area.EndColumn, area.EndRow)
    return [tuple(row) for row in rng.getDataArray()]


class Sheet:
    """An open blank: its cells fetched once with what they held, so typing a filling costs one UNO call per cell."""

    def __init__(self, office, path: str, table: str):
        self.doc = office.open(path)
        if self.doc is None:  # e.g. a lock file left by a killed run: say so, never count it as a kill
            raise SystemExit(f"LibreOffice could not open {path}")
        self.table, self.cells = table, {}

    def _cell(self, sheet: str, coord: str):
        if (sheet, coord) not in self.cells:
            cell = self.doc.Sheets.getByName(sheet).getCellRangeByName(coord)
            kind = cell.getType().value  # EMPTY, VALUE, TEXT or FORMULA
            before = {"VALUE": cell.getValue, "TEXT": cell.getString, "FORMULA": cell.getFormula}.get(kind, str)()
            self.cells[sheet, coord] = (cell, kind, before)
        return self.cells[sheet, coord]

    def read(self, cells: list) -> list[tuple]:
        """Type the cells, recalculate, read the table, put the cells back as they were."""
        typed = [self._cell(sheet, coord) for sheet, coord, _, _ in cells]
        for (cell, _, _), (_, _, kind, value) in zip(typed, cells):
            put(cell, kind, value)
        self.doc.calculateAll()
        rows = _table(self.doc, self.table)
        for cell, kind, before in reversed(typed):
            if kind == "EMPTY":
                cell.clearContents(1 | 2 | 4 | 16)  # VALUE | DATETIME | STRING | FORMULA
            else:
                {"VALUE": cell.setValue, "TEXT": cell.setString, "FORMULA": cell.setFormula}[kind](before)
        return rows

    def close(self) -> None:
        self.doc.close(True)


def main(jobs_path: str) -> None:
    jobs = json.load(open(jobs_path, encoding="utf-8"))
    table, fillings, message = jobs["table"], jobs["fillings"], jobs["message"]
    order = list(fillings)
    out = sys.stdout
    with Office() as office:
        fresh = bool(os.environ.get("RESTORE_CHECK"))  # a fresh blank per filling, to compare with the restoring way
        doc, base = Sheet(office, jobs["base"], table), {}
        for f in order:
            if fresh:
                doc.close()
                doc = Sheet(office, jobs["base"], table)
            base[f] = doc.read(fillings[f])
        base_again = {f: doc.read(fillings[f]) for f in reversed(order)}
        doc.close()
        if base_again != base:  # the restoring is not faithful: the screen would lie
            raise SystemExit("restoring the typed cells does not give the same table twice")
        out.write(json.dumps({"name": "", "base": base}) + "\n")
        for name, blank in jobs["blanks"].items():
            doc = Sheet(office, blank, table)
            try:
                verdict, where, n = "same", None, 0
                for f in list(order):
                    n += 1
                    try:
                        got = doc.read(fillings[f])
                    except Exception as exc:  # noqa: BLE001 - a broken table is a kill a school would see
                        verdict, where = "killed", f"{f} ({type(exc).__name__})"
                        break
                    want = base[f]
                    if [_but(r, message) for r in got] != [_but(r, message) for r in want]:
                        verdict, where = "killed", f
                        order.remove(f)
                        order.insert(0, f)
                        break
                    if got != want and verdict == "same":
                        verdict, where = "message", f
            finally:
                doc.close()
            out.write(json.dumps({"name": name, "verdict": verdict, "filling": where, "recalcs": n}) + "\n")
            out.flush()


def _but(row: tuple, column: int) -> tuple:
    return row[:column] + row[column + 1:]


if __name__ == "__main__":
    main(sys.argv[1])

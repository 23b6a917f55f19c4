"""Fill a blank workbook in LibreOffice Calc through UNO, as a person would type, and save it as .xlsx.

Runs under the system Python that has the `uno` module (Debian: python3-uno):
    /usr/bin/python3 tests/lo_fill.py BLANK.xlsx OUT.xlsx VALUES.json
VALUES.json: {"names": {defined name: [kind, value]}, "below": {table: [[[kind, value], ...], ...]},
              "table_rows": {table: [[[kind, value], ...], ...]}} with kind "text" (typed as text),
"number" (a number), "date" (an ISO date entered as a real date) or "formula" (e.g. =TRUE()).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date

import uno  # type: ignore  # noqa: E402
from com.sun.star.beans import PropertyValue  # type: ignore  # noqa: E402


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def put(cell, kind, value):
    if kind == "text":
        cell.setString(value)
    elif kind == "number":
        cell.setValue(float(value))
    elif kind == "formula":
        cell.setFormula(value)
    elif kind == "date":
        d = date.fromisoformat(value)
        cell.setValue(float((d - date(1899, 12, 30)).days))
    else:
        raise ValueError(kind)


class Office:
    """A headless soffice with its own profile, reached through a pipe (a context manager)."""

    def __enter__(self):
        profile = tempfile.mkdtemp(prefix="lo-fill-")
        self.copies, self.opened = tempfile.mkdtemp(prefix="lo-open-"), 0
        pipe = f"lofill{os.getpid()}"
        self.proc = subprocess.Popen([
            "soffice", "--headless", "--invisible", "--norestore", "--nologo",
            f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            self.proc.kill()
            raise SystemExit("could not connect to soffice")
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        return self

    def open(self, path: str):
        """A private copy of the workbook, opened as a person would (not read-only: LibreOffice refuses to empty a
        cell in a read-only document). The copy keeps LibreOffice's lock file out of the source's folder, so two
        soffice processes (parallel tests) can open the same source at once."""
        self.opened += 1
        copy = os.path.join(self.copies, f"{self.opened}-{os.path.basename(path)}")
        shutil.copyfile(path, copy)
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(copy)), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {path}")
        return doc

    def __exit__(self, *exc):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.copies, ignore_errors=True)


class Typing:
    """An open workbook that is typed into and put back, so one load serves many fillings: each cell is fetched once
    with what it held (every UNO call is a round trip), typed with one call, and restored with one call."""

    def __init__(self, doc):
        self.doc, self.cells = doc, {}

    def _cell(self, sheet: str, coord: str):
        if (sheet, coord) not in self.cells:
            cell = self.doc.Sheets.getByName(sheet).getCellRangeByName(coord)
            kind = cell.getType().value  # EMPTY, VALUE, TEXT or FORMULA
            before = {"VALUE": cell.getValue, "TEXT": cell.getString, "FORMULA": cell.getFormula}.get(kind, str)()
            self.cells[sheet, coord] = (cell, kind, before)
        return self.cells[sheet, coord]

    def type(self, cells: list) -> list:
        """Type [sheet, coord, kind, value] cells; returns what `restore` needs."""
        typed = [self._cell(sheet, coord) for sheet, coord, _, _ in cells]
        for (cell, _, _), (_, _, kind, value) in zip(typed, cells):
            put(cell, kind, value)
        return typed

    def restore(self, typed: list) -> None:
        for cell, kind, before in reversed(typed):
            if kind == "EMPTY":
                cell.clearContents(1 | 2 | 4 | 16)  # VALUE | DATETIME | STRING | FORMULA
            else:
                {"VALUE": cell.setValue, "TEXT": cell.setString, "FORMULA": cell.setFormula}[kind](before)


def save_xlsx(doc, out: str) -> None:
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)), (prop("FilterName", "Calc MS Excel 2007 XML"),))


def main(blank: str, out: str, values_path: str) -> None:
    values = json.load(open(values_path, encoding="utf-8"))
    with Office() as office:
        doc = office.open(blank)
        names = doc.NamedRanges
        for name, (kind, value) in values.get("names", {}).items():
            cells = names.getByName(name).getReferredCells()
            put(cells.getCellByPosition(0, 0), kind, value)
        ranges = doc.DatabaseRanges  # Excel tables arrive as database ranges
        for key, place in (("table_rows", "inside"), ("below", "below")):
            for table, rows in values.get(key, {}).items():
                area = ranges.getByName(table).getDataArea()
                sheet = doc.Sheets.getByIndex(area.Sheet)
                first = area.StartRow + 1 if place == "inside" else area.EndRow + 1
                for i, row in enumerate(rows):
                    for j, (kind, value) in enumerate(row):
                        put(sheet.getCellByPosition(area.StartColumn + j, first + i), kind, value)
        save_xlsx(doc, out)
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:4])

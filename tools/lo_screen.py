"""UNO side of tools/mutants_controle_lo.py: type fillings into blanks in one LibreOffice and judge the table fast.

Runs under the system Python that has the `uno` module (Debian: python3-uno):
    /usr/bin/python3 tools/lo_screen.py JOBS.json > OUT.jsonl
JOBS.json: {"table": database range to read, "cells": [[sheet, coord], ...] read besides the table,
            "status": {"open": ..., "unknown": ..., "ok": ...}, "fillings": {name: [[sheet, "B5", kind, value], ...]},
            "judges": {name: what the tests assert under that filling (see `judge`)},
            "base": blank.xlsx, "blanks": {mutant: blank.xlsx}}
Each blank is opened once. Per filling the cells are typed, the document recalculated, the table and the cells read
through UNO (no save, no reload) and the typed cells put back as they were. The base blank must pass every judge
(else the emulation of the tests is wrong and the run stops); a mutant stops at the first filling whose judge fails
(that filling goes first for the next mutant). A mutant that passes every judge is compared with the base under
every filling, to tell a changed but unjudged table from one that is the same.
Output: a line {"name": "", "base": tables}, then per mutant {"name", "verdict": killed|differs|same, "filling",
"why" (the failed assertion, or the first difference), "recalcs"}.
RESTORE_CHECK=1 reads the base from a fresh blank per filling, to compare with the restoring way (a self-test).
"""
from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from lo_fill import Office, Typing  # noqa: E402


class Sheet(Typing):
    """An open blank: a filling typed, recalculated, the table and some cells read, the filling put back."""

    def __init__(self, office, path: str, table: str, cells: list):
        super().__init__(office.open(path))  # stops the run when LibreOffice cannot open it: never counted as a kill
        self.table, self.read_cells = table, cells

    def read(self, cells: list) -> dict:
        typed = self.type(cells)
        self.doc.calculateAll()
        area = self.doc.DatabaseRanges.getByName(self.table).getDataArea()
        rng = self.doc.Sheets.getByIndex(area.Sheet).getCellRangeByPosition(
            area.StartColumn, area.StartRow, area.EndColumn, area.EndRow)
        out = {"rows": [list(row) for row in rng.getDataArray()]}
        for sheet, coord in self.read_cells:
            c = self.doc.Sheets.getByName(sheet).getCellRangeByName(coord)
            out[f"{sheet}!{coord}"] = [c.getValue(), c.getString()]
        self.restore(typed)
        return out

    def close(self) -> None:
        self.doc.close(True)


def judge(j: dict, got: dict, st: dict, extra: list) -> str | None:
    """The first assertion of the tests that fails on this table, or None. Rows: (Regel, Tabblad, Cel, Melding, Status).
    j: open_is (open rules equal), open_within (open rules a subset), all_ok, no_unknown (no row), unknown_any (one of
    these rules unknown), messages (every open row, of rule messages_of if given, has one of these (rule, message)),
    rows_as (the rows, message column included, as these: the base's, set in main), rule_open ([rule, bool]),
    status_is ([[rule, cell, status]]), count (the open count in the first extra cell and the instruction text in the
    second), instruction_prefix."""
    header, *rows = got["rows"]
    if header != ["Regel", "Tabblad", "Cel", "Melding", "Status"]:
        return "header"
    opened = {r[0] for r in rows if r[4] == st["open"]}
    unknown = {r[0] for r in rows if r[4] == st["unknown"]}
    if "open_is" in j and opened != set(j["open_is"]):
        return f"open {sorted(opened ^ set(j['open_is']))}"
    if "open_within" in j and not opened <= set(j["open_within"]):
        return f"open beyond {sorted(opened - set(j['open_within']))}"
    if j.get("all_ok") and [r for r in rows if r[4] != st["ok"]]:
        return "not all ok"
    if j.get("no_unknown") and unknown:
        return f"unknown {sorted(unknown)}"
    if "unknown_any" in j and not unknown & set(j["unknown_any"]):
        return "none of the expected unknown"
    if "messages" in j:  # every open row (of one rule, if given) says one of the pipeline's messages
        allowed, only = {tuple(m) for m in j["messages"]}, j.get("messages_of")
        for r in rows:
            if r[4] == st["open"] and (only is None or r[0] == only) and (r[0], r[3]) not in allowed:
                return f"message {r[0]} {r[2]}"
    if "rows_as" in j and [r[:4] for r in rows] != [r[:4] for r in j["rows_as"]]:
        return "rows (rule, sheet, cell, label) differ"
    if "rule_open" in j:
        rule, expected = j["rule_open"]
        if (rule in opened) is not expected or rule in unknown:
            return f"{rule} open={rule in opened} unknown={rule in unknown}"
    for rule, cell, status in j.get("status_is", []):
        if {(r[0], r[2]): r[4] for r in rows}.get((rule, cell)) != status:
            return f"status {rule} {cell}"
    if j.get("count"):
        n = sum(1 for r in rows if r[4] == st["open"])
        if got[extra[0]][0] != n or got[extra[1]][1] != f"Nog {n} punten open — zie tabblad Controle":
            return "open count"
    if "instruction_prefix" in j and not got[extra[1]][1].startswith(j["instruction_prefix"]):
        return "instruction"
    return None


def _difference(got: dict, want: dict, message: int) -> str | None:
    if got == want:
        return None
    if len(got["rows"]) != len(want["rows"]):
        return "rows"
    for g, w in zip(got["rows"], want["rows"]):
        if g != w:
            what = "message" if g[:message] + g[message + 1:] == w[:message] + w[message + 1:] else "status"
            return f"{what} {g[0]} {g[2]}"
    return "cells"


def main(jobs_path: str) -> None:
    jobs = json.load(open(jobs_path, encoding="utf-8"))
    table, fillings, judges, st = jobs["table"], jobs["fillings"], jobs["judges"], jobs["status"]
    extra = [f"{s}!{c}" for s, c in jobs["cells"]]
    order = list(fillings)
    out = sys.stdout

    def blank(path: str) -> Sheet:
        return Sheet(office, path, table, jobs["cells"])

    with Office() as office:
        fresh = bool(os.environ.get("RESTORE_CHECK"))
        doc, base = blank(jobs["base"]), {}
        for f in order:
            if fresh:
                doc.close()
                doc = blank(jobs["base"])
            base[f] = doc.read(fillings[f])
        base_again = {f: doc.read(fillings[f]) for f in reversed(order)}
        doc.close()
        if base_again != base:  # the restoring is not faithful: the screen would lie
            raise SystemExit("restoring the typed cells does not give the same table twice")
        for f in order:
            if judges[f].pop("same_rows_as_base", False):
                judges[f]["rows_as"] = base[f]["rows"][1:]
        failed = {f: judge(judges[f], base[f], st, extra) for f in order}
        if any(failed.values()):  # the judges do not say what the tests say
            raise SystemExit(f"the unmutated blank fails a judge: { {f: w for f, w in failed.items() if w} }")
        out.write(json.dumps({"name": "", "base": base}) + "\n")
        for name, path in jobs["blanks"].items():
            doc = blank(path)
            verdict, where, why, n, seen = "same", None, None, 0, {}
            try:
                for f in list(order):
                    n += 1
                    try:
                        seen[f] = doc.read(fillings[f])
                        why = judge(judges[f], seen[f], st, extra)
                    except Exception as exc:  # noqa: BLE001 - a broken table is a kill a school would see
                        why = type(exc).__name__
                    if why:
                        verdict, where = "killed", f
                        order.remove(f)
                        order.insert(0, f)
                        break
            finally:
                doc.close()
            if verdict != "killed":
                for f in order:
                    why = _difference(seen[f], base[f], 3)
                    if why:
                        verdict, where = "differs", f
                        break
            out.write(json.dumps({"name": name, "verdict": verdict, "filling": where, "why": why, "recalcs": n}) + "\n")
            out.flush()


if __name__ == "__main__":
    main(sys.argv[1])

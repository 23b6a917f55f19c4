"""Second stage of the mutation screen of render/controle.py (issue 28): do the changed live checks answer differently?

For each mutant named on stdin (the "changed" ones of tools/mutants_controle.py) the blank workbook is written with
the mutant switched on; every filling of tests/test_guards_controle.py (the boundaries) and tests/test_controle.py
(one defect per rule, unreadable values, the empty and the correct filling) is typed into it in one LibreOffice
(tools/lo_screen.py: each blank opened once, cells typed, recalculated, tblControle read through UNO, cells put back).
Each filling is judged as the LibreOffice tests judge it (`judges`: open rules against the pipeline's findings on the
unmutated blank filled the same way, 'niet herkend' rows, every open row's message, the open count, the whole table
under the correct filling). Per mutant one line: "killed <filling>: <the assertion that fails>" (the mutant stops
there), "differs <filling>: <first difference>" when no assertion fails but the table differs from the unmutated
blank's under some filling (a test gap: look at it by name), "same" when no filling shows a difference (the tests that
do not need LibreOffice, tests/test_controle.py's static ones, may still kill it; equivalent otherwise or untested).
The property test (test_controle_property.py) and the social services test are not emulated: run them by hand.

Run inside the mutant tree of tools/mutants_controle.py, with LibreOffice and python3-uno installed:
    cd mutants && ../.venv/bin/python ../tools/mutants_controle_lo.py < changed.txt > lo.txt
SCREEN_EVERY=N takes every N-th name (a sample: say so). Progress and timing on stderr.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["MUTANT_UNDER_TEST"] = ""
here = os.getcwd()
assert here.endswith("/mutants"), here
sys.path[:0] = [here, os.path.join(here, "tests")]

from builders import filled_values  # noqa: E402
from conftest import need_uno_python  # noqa: E402
from controle_support import S, cells_of, covered, live_messages, pipeline_findings, run_libreoffice  # noqa: E402
import test_controle  # noqa: E402
import test_guards_controle  # noqa: E402

from pipeline.render import controle, workbook  # noqa: E402


def fillings() -> dict[str, list]:
    """Every filling of the two LibreOffice test files, by name: the cells to type."""
    out = test_controle.fillings()
    out.update({name: cells_of(*filled_values(fields, tables)) for name, (_, fields, tables, _) in test_guards_controle.CASES.items()})
    return out


def judges(fills: dict[str, list], base: Path, tmp: Path) -> dict[str, dict]:
    """Per filling what the LibreOffice tests assert of tblControle (test_controle.py, test_guards_controle.py), with
    the pipeline's findings on the unmutated blank filled the same way (the reader ignores the Controle sheet)."""
    run_libreoffice(need_uno_python(), [{"in": str(base), "out": str(tmp / f"base-{f}.xlsx"), "cells": cells}
                                        for f, cells in fills.items()], tmp)
    out = {}
    for f in fills:
        found = pipeline_findings(tmp / f"base-{f}.xlsx")
        cov = sorted(covered(found))
        messages = sorted(live_messages(found))
        if f == "leeg":
            out[f] = {"open_is": cov, "count": True, "messages": messages}
        elif f == "goed":  # test_every_row_says_where_and_what_it_checks writes the whole table down
            out[f] = {"all_ok": True, "instruction_prefix": "Geen punten open", "same_rows_as_base": True}
        elif f in test_controle.DEFECTS:
            out[f] = {"open_is": cov, "no_unknown": True, "messages": messages}
        elif f in test_controle.UNREADABLE_FOR:
            out[f] = {"unknown_any": [test_controle.UNREADABLE_FOR[f][0]], "open_within": cov}
        elif f in test_controle.UNREADABLE:
            out[f] = {"unknown_any": ["S2", "A1", "A4"], "open_within": cov}
        elif f in test_controle.BEYOND:
            out[f] = {"open_within": cov, "status_is": [["A4", S.fields["contractwaarde"].cell, controle.UNKNOWN],
                                                         ["A1", S.fields["procedure"].cell, controle.UNKNOWN]]}
        else:
            rule, _, _, expected = test_guards_controle.CASES[f]
            out[f] = {"rule_open": [rule, expected], **({"messages": messages, "messages_of": rule} if expected else {})}
    return out


def main() -> None:
    every = int(os.environ.get("SCREEN_EVERY", "1"))
    names = [line.split()[0] for line in sys.stdin if line.strip()][::every]
    fills = fillings()
    tmp = Path(tempfile.mkdtemp(prefix="controle-lo-"))
    blanks = {}
    for i, name in enumerate(["", *names]):  # "" is the unmutated blank
        os.environ["MUTANT_UNDER_TEST"] = name
        blanks[name] = str(workbook.write(tmp / f"blank-{i}.xlsx"))
    os.environ["MUTANT_UNDER_TEST"] = ""
    start, recalcs = time.time(), 0
    base = blanks.pop("")
    jobs = {"table": controle.TABLE, "cells": [[controle.SHEET, "F2"], [S.instruction_sheet, workbook.OPEN_CELL]],
            "status": {"open": controle.OPEN, "unknown": controle.UNKNOWN, "ok": controle.OK},
            "fillings": fills, "judges": judges(fills, Path(base), tmp), "base": base, "blanks": blanks}
    (tmp / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    with subprocess.Popen([need_uno_python(), str(Path(__file__).with_name("lo_screen.py")), str(tmp / "jobs.json")],
                          stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            row = json.loads(line)
            if not row["name"]:
                continue
            recalcs += row["recalcs"]
            detail = f" {row['filling']}: {row['why']}" if row["filling"] else ""
            print(row["name"], row["verdict"] + detail, flush=True)
    if proc.returncode:
        raise SystemExit(f"lo_screen.py stopped with {proc.returncode}")
    print(f"{len(names)} mutants, {len(fills)} fillings: {recalcs} recalculations in {time.time() - start:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()

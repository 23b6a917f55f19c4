"""Second stage of the mutation screen of render/controle.py (issue 28): do the changed live checks answer differently?

For each mutant named on stdin (the "changed" ones of tools/mutants_controle.py) the blank workbook is written with
the mutant switched on; every filling of tests/test_guards_controle.py (the boundaries) and tests/test_controle.py
(one defect per rule, unreadable values, the empty and the correct filling) is typed into it in LibreOffice (one
batch for all mutants: tests/lo_calc.py), and tblControle as LibreOffice computed it is compared with the unmutated
blank's under the same filling. Per mutant one line: "killed <filling> <how>" when a check's status (open/closed or
not recognised) differs, "message <filling>" when only a message differs (wording), "same" when nothing differs.

Run inside the mutant tree of tools/mutants_controle.py, with LibreOffice and python3-uno installed:
    cd mutants && ../.venv/bin/python ../tools/mutants_controle_lo.py < changed.txt > lo.txt
SCREEN_EVERY=N takes every N-th name (a sample: say so). Progress and timing on stderr.
"""
import os
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
from controle_support import cells_of, controle_rows, run_libreoffice  # noqa: E402
import test_controle  # noqa: E402
import test_guards_controle  # noqa: E402

from pipeline.render import workbook  # noqa: E402


def fillings() -> dict[str, list]:
    """Every filling of the two LibreOffice test files, by name: the cells to type."""
    out = {"leeg": [], "goed": test_controle._fill()}
    out.update({name: test_controle._fill(fields, tables, unset) for name, (_, fields, tables, unset) in test_controle.DEFECTS.items()})
    out.update({name: test_controle._fill(fields) for name, fields in test_controle.UNREADABLE.items()})
    out.update({name: cells_of(*filled_values(fields, tables)) for name, (_, fields, tables, _) in test_guards_controle.CASES.items()})
    return out


def main() -> None:
    every = int(os.environ.get("SCREEN_EVERY", "1"))
    names = [line.split()[0] for line in sys.stdin if line.strip()][::every]
    fills = fillings()
    tmp = Path(tempfile.mkdtemp(prefix="controle-lo-"))
    blanks = {}
    for i, name in enumerate(["", *names]):  # "" is the unmutated blank
        os.environ["MUTANT_UNDER_TEST"] = name
        blanks[name] = workbook.write(tmp / f"blank-{i}.xlsx")
    os.environ["MUTANT_UNDER_TEST"] = ""
    jobs = [{"in": str(blank), "out": str(tmp / f"{blank.stem}-{f}.xlsx"), "cells": cells} for blank in blanks.values()
            for f, cells in fills.items()]
    start = time.time()
    run_libreoffice(need_uno_python(), jobs, tmp)
    print(f"{len(names)} mutants x {len(fills)} fillings: {len(jobs)} recalculations in {time.time() - start:.0f} s",
          file=sys.stderr)

    def rows(blank: Path, f: str) -> list[tuple]:
        return controle_rows(tmp / f"{blank.stem}-{f}.xlsx")

    base = {f: rows(blanks[""], f) for f in fills}
    for name in names:
        verdict = "same"
        for f in fills:
            try:
                got, want = rows(blanks[name], f), base[f]
            except (AssertionError, KeyError, ValueError) as exc:  # tblControle itself changed: a school sees that
                verdict = f"killed {f} (tblControle: {type(exc).__name__})"
                break
            status = [(r[0], r[1], r[2], r[4]) for r in got] != [(r[0], r[1], r[2], r[4]) for r in want]
            if status:
                verdict = f"killed {f}"
                break
            if got != want and verdict == "same":
                verdict = f"message {f}"
        print(name, verdict, flush=True)


if __name__ == "__main__":
    main()

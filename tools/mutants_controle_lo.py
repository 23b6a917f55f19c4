"""Second stage of the mutation screen of render/controle.py (issue 28): do the changed live checks answer differently?

For each mutant named on stdin (the "changed" ones of tools/mutants_controle.py) the blank workbook is written with
the mutant switched on; every filling of tests/test_guards_controle.py (the boundaries) and tests/test_controle.py
(one defect per rule, unreadable values, the empty and the correct filling) is typed into it in one LibreOffice
(tools/lo_screen.py: each blank opened once, cells typed, recalculated, tblControle read through UNO, cells put back),
and tblControle is compared with the unmutated blank's under the same filling. Per mutant one line: "killed
<filling>" when the table differs outside the message column (a check's status, rule, sheet or cell; the mutant stops
there), "message <filling>" when only a message differs under some filling (not wording by itself: a message can lose
a figure; look at it by name), "same" when no filling shows a difference.

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
from controle_support import cells_of  # noqa: E402
import test_controle  # noqa: E402
import test_guards_controle  # noqa: E402

from pipeline.render import controle, workbook  # noqa: E402


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
        blanks[name] = str(workbook.write(tmp / f"blank-{i}.xlsx"))
    os.environ["MUTANT_UNDER_TEST"] = ""
    jobs = {"table": controle.TABLE, "message": controle.COLUMNS.index("Melding"), "fillings": fills,
            "base": blanks.pop(""), "blanks": blanks}
    (tmp / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    start, recalcs = time.time(), 0
    with subprocess.Popen([need_uno_python(), str(Path(__file__).with_name("lo_screen.py")), str(tmp / "jobs.json")],
                          stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            row = json.loads(line)
            if not row["name"]:
                continue
            recalcs += row["recalcs"]
            where = f" {row['filling']}" if row["filling"] else ""
            print(row["name"], row["verdict"] + where, flush=True)
    if proc.returncode:
        raise SystemExit(f"lo_screen.py stopped with {proc.returncode}")
    print(f"{len(names)} mutants, {len(fills)} fillings: {recalcs} recalculations in {time.time() - start:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()

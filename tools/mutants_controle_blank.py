"""Third step of the mutation screen of render/controle.py (issue 28): which mutants the blank-workbook tests kill.

The tests of tests/test_controle.py that take only the blank workbook (`blank`: the sheet as written, its marks,
colours, hidden columns, formulas) need no LibreOffice; this runs them in one process on a blank written with each
mutant named on stdin switched on. One line per mutant: "killed <test> <exception>" or "survived".
Run inside the mutant tree of tools/mutants_controle.py:
    cd mutants && ../.venv/bin/python ../tools/mutants_controle_blank.py < same.txt > blank.txt
"""
import inspect
import os
import sys
import tempfile
from pathlib import Path

os.environ["MUTANT_UNDER_TEST"] = ""
here = os.getcwd()
assert here.endswith("/mutants"), here
sys.path[:0] = [here, os.path.join(here, "tests")]

import test_controle  # noqa: E402

from pipeline.render import workbook  # noqa: E402

TESTS = [f for name, f in vars(test_controle).items()
         if name.startswith("test_") and callable(f) and list(inspect.signature(f).parameters) == ["blank"]]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="controle-blank-"))
    base = workbook.write(tmp / "base.xlsx")
    for t in TESTS:  # the unmutated blank must pass, else a kill says nothing
        t(base)
    for i, name in enumerate(line.split()[0] for line in sys.stdin if line.strip()):
        os.environ["MUTANT_UNDER_TEST"] = name
        verdict = "survived"
        try:
            blank = workbook.write(tmp / f"b{i}.xlsx")
            for t in TESTS:
                try:
                    t(blank)
                except Exception as exc:  # noqa: BLE001 - any failure of a test kills the mutant
                    verdict = f"killed {t.__name__} {type(exc).__name__}"
                    break
        except Exception as exc:  # noqa: BLE001 - the blank cannot be written: every test that builds one fails
            verdict = f"killed write {type(exc).__name__}"
        finally:
            os.environ["MUTANT_UNDER_TEST"] = ""
        print(name, verdict, flush=True)
    print(f"{len(TESTS)} tests: {', '.join(t.__name__ for t in TESTS)}", file=sys.stderr)


if __name__ == "__main__":
    main()

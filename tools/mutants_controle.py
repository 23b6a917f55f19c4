"""First stage of a mutation screen of render/controle.py (issue 28): which mutants change the blank workbook.

controle.py is used only through workbook.build (the blank workbook with its Controle sheet), so a mutant that leaves
every cell, formula, data validation, conditional format and defined name of both blanks (with and without the
social services regime) as they were changes nothing a user gets ("same"); one that makes the build fail breaks
`make template` and every workbook the tests build ("crash"); the others ("changed") need LibreOffice to tell
whether a live check now answers differently: that is the second stage, tools/mutants_controle_lo.py.

Run inside a mutant tree generated with only_mutate = ["pipeline/render/controle.py"] (the recipe of
docs/mutatietests/2026-12-06-screen-ledger-render-read.md, "How to re-run"):
    cd mutants && ../.venv/bin/python ../tools/mutants_controle.py > controle.txt
One line per mutant: its name and same / changed / crash <exception>; progress on stderr. "same" compares values,
formulas, validations, conditional formats and names only: a mutant that changes a colour, a width or the sheet
protection is "same" here and needs the workbook tests (test_controle, test_template) or a look by name.
"""
import os
import re
import sys
import time

os.environ["MUTANT_UNDER_TEST"] = ""
here = os.getcwd()
assert here.endswith("/mutants"), here
sys.path[:0] = [here]

from pipeline.render import workbook  # noqa: E402


def fingerprint(social: bool) -> list:
    """Everything of a blank workbook a live check consists of: cell values and formulas, validations, formats, names."""
    wb = workbook.build(social_services=social)
    out = []
    for ws in wb.worksheets:
        out.append(("sheet", ws.title))
        out += [(c.coordinate, str(c.value)) for row in ws.iter_rows() for c in row if c.value is not None]
        out.append(("dv", [(str(d.sqref), d.formula1, d.type) for d in ws.data_validations.dataValidation]))
        out.append(("cf", [(str(r.sqref), [(x.type, x.formula) for x in r.rules]) for r in ws.conditional_formatting]))
    out.append(("names", sorted((n, str(v.attr_text)) for n, v in wb.defined_names.items())))
    return out


def main() -> None:
    names = ["pipeline.render.controle." + n for n in
             re.findall(r"^def (x\S*__mutmut_\d+)\(", open("pipeline/render/controle.py", encoding="utf-8").read(), re.M)]
    base = (fingerprint(False), fingerprint(True))
    start = time.time()
    for i, name in enumerate(names):
        os.environ["MUTANT_UNDER_TEST"] = name
        try:
            verdict = "same" if (fingerprint(False), fingerprint(True)) == base else "changed"
        except Exception as exc:  # a mutant that breaks the build: report it, go on
            verdict = f"crash {type(exc).__name__}"
        print(name, verdict, flush=True)
        if i % 100 == 0:
            print(f"{i}/{len(names)} {time.time() - start:.0f}s", file=sys.stderr, flush=True)
    os.environ["MUTANT_UNDER_TEST"] = ""


if __name__ == "__main__":
    main()

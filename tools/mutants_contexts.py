"""Triage of surviving render mutants: which document figures a mutant changes on the small guard board and the demo.

Run inside mutmut's tree, with the survivors of tools/mutants_screen.py on stdin:
    cd mutants && ../.venv/bin/python ../tools/mutants_contexts.py < survivors.txt
For each mutant it builds every document's context (jaarverslag and appendix, GMR, MR, eindverantwoording) the way
the run does (documents.iter_jobs) for the boards (the small and the ledger board of tests/guards_board.py and the demo
board in inputs/, each read once
without a mutant) and prints the context keys whose value differs from the unmutated run, with the first differing
value; "same" when nothing differs on any board, "crash" when building a context fails. A mutant that changes
nothing here changes no figure of these boards' documents (it may still change one of a board the tests do not have);
one that changes a value needs a look.
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "1")
here = os.getcwd()
assert here.endswith("/mutants"), here
sys.path[:0] = [here, os.path.join(here, "tests")]
os.environ["MUTANT_UNDER_TEST"] = ""

from guards_board import ledger_board, small_board  # noqa: E402
from pipeline import run  # noqa: E402
from pipeline.render import documents  # noqa: E402

OUT = Path("uitvoer")  # only names the documents: nothing is written

BOARDS = {"klein": small_board(), "grootboek": ledger_board()}
if os.environ.get("CONTEXTS_DEMO", "1") == "1":  # CONTEXTS_DEMO=0: the small board only (seconds instead of minutes)
    BOARDS["demo"] = run.run(Path("inputs"), workers=1, today=small_board().today)


def contexts():
    """Every document's context of each board, as the run builds them (documents.iter_jobs), by board and file name."""
    return {(name, job.out.relative_to(OUT).as_posix()): job.context
            for name, data in BOARDS.items() for job in documents.iter_jobs(data, OUT)}


def leaves(x, path=""):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from leaves(v, f"{path}.{k}")
    elif isinstance(x, (list, tuple)):
        for i, v in enumerate(x):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, x


BASE = {k: dict(leaves(v)) for k, v in contexts().items()}
for line in sys.stdin:
    mutant = line.strip()
    if not mutant:
        continue
    os.environ["MUTANT_UNDER_TEST"] = mutant
    try:
        got = {k: dict(leaves(v)) for k, v in contexts().items()}
    except Exception as e:  # noqa: BLE001 - a crash is a result here
        print(f"{mutant}\tcrash\t{type(e).__name__}: {str(e)[:80]}", flush=True)
        continue
    finally:
        os.environ["MUTANT_UNDER_TEST"] = ""
    diffs = []
    for k in sorted(set(BASE) | set(got), key=str):  # a mutant may add or drop a document
        base, new = BASE.get(k, {}), got.get(k, {})
        for p in sorted(set(base) | set(new)):
            if base.get(p, "<geen>") != new.get(p, "<geen>"):
                diffs.append((k, p, base.get(p, "<geen>"), new.get(p, "<geen>")))
    if not diffs:
        print(f"{mutant}\tsame", flush=True)
    else:
        keys = sorted({p.split("[")[0].split(".")[1] if p.count(".") else p for _, p, _, _ in diffs})
        k, p, a, b = diffs[0]
        print(f"{mutant}\tdiffers\t{len(diffs)}\t{','.join(keys)}\t{k}{p}: {str(a)[:70]!r} -> {str(b)[:70]!r}", flush=True)

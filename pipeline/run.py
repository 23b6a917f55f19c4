"""One run over an inputs folder: collect → inspect → read → validate (in parallel) → board rules → frames."""
from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

import polars as pl

from pipeline import aggregate, dutch, templates_dir
from pipeline.read import board as config
from pipeline.rules import catalogue as findings
from pipeline.read import workbook as reader
from pipeline.read import safety
from pipeline.read import ledger as ledger_reader
from pipeline.rules import ledger as ledger_rules
from pipeline import spec as spec_mod
from pipeline.read.cache import ReadCache
from pipeline import rules, speed
from pipeline.rules import Context, run_hire_checks
from pipeline.rules import board as board_checks
from pipeline.rules.derive import fingerprint
from pipeline.model import READ, REJECTED, SKIPPED, SUPERSEDED, TIMEOUT, FileResult, Finding, RunData

# Files of the board itself, not school input, at the top of the inputs folder.
BOARD_FILES = {config.FILE_NAME, "intake-log.xlsx"}

def collect(inputs: Path) -> list[Path]:
    """Every file under inputs/, sorted, except the board's own files at the top."""
    out = []
    for p in sorted(inputs.rglob("*")):
        if p.is_symlink() or not p.is_file():
            continue
        if p.parent == inputs and p.name in BOARD_FILES:
            continue
        if p.relative_to(inputs).parts[0] == ledger_reader.FOLDER:  # the board's ledger, read apart
            continue
        out.append(p)
    return out


def run_fingerprint(inputs: Path, today: date, extra: dict[str, str]) -> str:
    """A digest of everything a run's outputs depend on: every input file (board files included),
    the program and data versions, the templates, the day, and the caller's options."""
    import hashlib

    from pipeline.read.cache import cache_key

    inputs = inputs.resolve()
    h = hashlib.sha256()
    for p in sorted(q for q in inputs.rglob("*") if q.is_file() and not q.is_symlink()):
        h.update(f"{p.relative_to(inputs).as_posix()}\0{reader.sha256_of(p)}\n".encode())
    h.update(f"{cache_key()}|{today.isoformat()}|{sorted(extra.items())}".encode())
    for tpl in sorted(templates_dir().glob("*.docx")):
        h.update(reader.sha256_of(tpl).encode())
    for module in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(reader.sha256_of(module).encode())
    return h.hexdigest()


def output_options(pdf: bool) -> dict[str, str]:
    """What besides the inputs changes the outputs: the options, and whether LibreOffice can make the PDFs."""
    from pipeline.render import pdf as pdf_mod

    return {"pdf": str(pdf), "libreoffice": str(pdf and pdf_mod.soffice_available()),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}


def lock_file_note(path: Path) -> str | None:
    """The note for a lock file of Excel or LibreOffice (~$werkboek.xlsx: someone has the workbook open), else None.

    It is skipped, not rejected: it is nobody's mistake, and the workbook itself is read when it is there."""
    name = path.name
    if not safety.is_lock_file_name(name):
        return None
    target = name[2:] if name.startswith("~$") else name[len(".~lock."):-1]
    # Excel's owner file drops the first two characters of a long name: ~$22-2023-1 tutoring.xlsx
    present = [p.name for p in path.parent.iterdir() if p.name.endswith(target) and not safety.is_lock_file_name(p.name)] if target else []
    note = (f"Vergrendelbestand van Excel of LibreOffice: iemand had {present[0] if present else 'een werkboek'} open toen de "
            "map werd gelezen. Geen werkboek, niet gelezen")
    if target in BOARD_FILES or target == "register.xlsx" or present:
        return note + "."
    return note + "; het werkboek zelf staat niet in deze map."


def process_file(path: Path, root: Path, board: config.Board, today: date, cache: ReadCache | None = None,
                 cached_only: bool = False) -> FileResult | None:
    """Inspect, read and check one file. Never raises for bad content. With `cached_only`, None for a file
    that would have to be read (it is not in the cache)."""
    rel = path.relative_to(root).as_posix()
    size = path.stat().st_size
    digest = reader.sha256_of(path)
    suffix = path.suffix.lower()
    lock_note = lock_file_note(path)
    if lock_note:
        return FileResult(rel, digest, size, SKIPPED, lock_note)
    if not safety.is_workbook_candidate(path) and suffix not in safety.SPREADSHEET_SUFFIXES and not safety.is_lock_file_name(path.name):
        return FileResult(rel, digest, size, SKIPPED, f"Geen werkboek ({suffix or 'zonder extensie'}); niet gelezen.")
    entry = cache.get(digest, rel) if cache else None
    if entry is None:
        if cached_only:
            return None
        entry = _read_entry(path, root, rel, digest)
        if cache:
            cache.put(digest, entry)
    if entry["hire"] is None:
        return FileResult(rel, digest, size, REJECTED, entry["reason"], None, list(entry["findings"]))
    hire = entry["hire"]
    ctx = Context(board=board, spec=spec_mod.load(), today=today)
    found = list(entry["findings"]) + run_hire_checks(hire, ctx)
    brin = hire.get("brin")
    if board.from_file and brin and brin not in board.schools:
        # Not the board's school (or removed from bestuur.xlsx): the hire must not reach the board's figures.
        unknown = rules.at("W2", "school_onbekend", hire, "brin", brin=brin)
        return FileResult(rel, digest, size, REJECTED, unknown.message, hire, [unknown] + found)
    return FileResult(rel, digest, size, READ, "", hire, found)


def _read_entry(path: Path, root: Path, rel: str, digest: str) -> dict:
    """What depends on the file's bytes alone: the safety verdict and the reader's result."""
    verdict = safety.inspect(path)
    if not verdict.ok:
        return {"file": rel, "hire": None, "reason": verdict.reason,
                "findings": [findings.finding("W1", "onleesbaar", file=rel, reden=verdict.reason)]}
    result = reader.read(path, root, sha256=digest, inspection=verdict)
    reason = "" if result.hire else (result.findings[0].message if result.findings else "Niet te lezen.")
    return {"file": rel, "hire": result.hire, "reason": reason, "findings": result.findings}


def _crashed(path: Path, root: Path, why: str, cache: ReadCache | None = None) -> FileResult:
    rel = path.relative_to(root).as_posix()
    try:
        digest, size = reader.sha256_of(path), path.stat().st_size
    except OSError:
        digest, size = "", 0
    reason = f"Het bestand liet het leesprogramma vastlopen ({why}). Sla het opnieuw op als Excel-werkmap (.xlsx) en stuur het opnieuw."
    found = [findings.finding("W1", "onleesbaar", file=rel, reden=reason)]
    if cache and digest and why != TIMEOUT:  # a time-out may be the machine's load, not the file
        cache.put(digest, {"file": rel, "hire": None, "reason": reason, "findings": found})
    return FileResult(rel, digest, size, REJECTED, reason, None, found)


def check_file(path: Path, root: Path, board: config.Board, today: date, cache: ReadCache | None = None) -> FileResult:
    """Inspect, read and check one file; a file that crashes the reader is rejected (W1), never raised."""
    try:
        return process_file(path, root, board, today, cache)
    except BaseException as exc:  # calamine's PanicException is not an Exception
        if isinstance(exc, KeyboardInterrupt):
            raise
        return _crashed(path, root, type(exc).__name__)


def _isolated(path: Path, root: Path, board: config.Board, today: date, cache: ReadCache | None) -> FileResult:
    """Process one file in its own process, so a hard crash (abort) costs only this file."""
    try:
        return speed.in_own_process(check_file, path, root, board, today, cache, timeout=120)
    except speed.ProcessCrashed:
        return _crashed(path, root, "proces afgebroken", cache)
    except speed.ProcessTimedOut:
        return _crashed(path, root, TIMEOUT, cache)


def process_all(paths: list[Path], root: Path, board: config.Board, today: date, workers: int,
                progress: Callable[[int], None] | None = None, cache: ReadCache | None = None) -> list[FileResult]:
    """Process files in a pool of `workers` processes; a file whose worker crashed is retried alone and rejected.

    A file the reader cache already holds is only checked, here in this process: it is not read again, and
    sending its result between processes costs more than its checks (1,000 cached files: 0.6 s here, 1.1 s
    in a pool of two)."""
    results: dict[int, FileResult] = {}
    if cache is not None:
        for i, p in enumerate(paths):
            try:
                done = process_file(p, root, board, today, cache, cached_only=True)
            except Exception:  # left to the pool, where check_file turns it into a finding
                done = None
            if done is not None:
                results[i] = done
                if progress:
                    progress(1)
    rest = [i for i in range(len(paths)) if i not in results]
    if workers <= 1 or len(rest) < 4:
        for i in rest:
            results[i] = check_file(paths[i], root, board, today, cache)
            if progress:
                progress(1)
        return [results[i] for i in range(len(paths))]
    one = functools.partial(check_file, root=root, board=board, today=today, cache=cache)  # pickles for a spawned worker
    done = speed.fork_map(one, [paths[i] for i in rest], workers, progress=progress)
    for j, i in enumerate(rest):
        if j in done:
            results[i] = done[j]
        else:
            results[i] = _isolated(paths[i], root, board, today, cache)
            if progress:
                progress(1)
    return [results[i] for i in range(len(paths))]


def run(inputs: Path, *, workers: int | None = None, today: date | None = None, generated: datetime | None = None,
        mail_dates: dict[str, date] | None = None, progress_factory: Callable[[int], Callable[[int], None]] | None = None,
        cache: ReadCache | None = None) -> RunData:
    """Read and validate every file under `inputs` and compute the board-level rules and frames."""
    inputs = inputs.resolve()
    board, board_findings = config.load(inputs / config.FILE_NAME)
    today = today or board.settings.reference_date or date.today()
    generated = generated or datetime.now()
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    paths = collect(inputs)
    progress = progress_factory(len(paths)) if progress_factory else None
    files = process_all(paths, inputs, board, today, workers, progress, cache)
    timings["lezen_en_controleren"] = time.perf_counter() - clock
    clock = time.perf_counter()
    hires_all = [f.hire for f in files if f.hire is not None and f.status != REJECTED]
    counted, superseded, _ = board_checks.resolve_versions(hires_all, mail_dates)
    by_name = {f.file: f for f in files}
    for f in files:
        if f.file in superseded:
            winner = superseded[f.file]
            same = fingerprint(f.hire) == fingerprint(by_name[winner].hire)
            f.status = SUPERSEDED
            f.reason = (f"Zelfde inhoud als {winner}; telt één keer." if same
                        else f"Vervangen door de nieuwere versie {winner}.")
    counted_files = {h.file for h in counted}
    hires_df = aggregate.hires_frame(hires_all).with_columns(pl.col("file").is_in(list(counted_files)).alias("geteld"))
    invoices_df = aggregate.invoices_frame(hires_all).with_columns(pl.col("file").is_in(list(counted_files)).alias("geteld"))
    # L5: an invoice in two counted workbooks counts once (in the first file by name)
    twice, _ = ledger_rules.double_claims(invoices_df.filter(pl.col("geteld")))
    if twice:
        invoices_df = invoices_df.with_columns((pl.col("geteld") & ~pl.col("factuur_id").is_in(list(twice))).alias("geteld"))
    alloc = aggregate.allocations(board)
    timings["bestuursregels_en_tabellen"] = time.perf_counter() - clock
    clock = time.perf_counter()
    ledger, ledger_findings = ledger_reader.load(inputs, board.ledger, reader.sha256_of)
    board_findings = board_findings + ledger_findings
    counted_invoices = invoices_df.filter(pl.col("geteld"))
    reconciliation = (ledger_rules.reconcile(ledger.lines, aggregate.whole_invoices(counted_invoices), ledger.first, ledger.last,
                                             board.ledger.vat)
                      if ledger.present else None)
    timings["grootboek"] = time.perf_counter() - clock
    clock = time.perf_counter()
    extra = rules.run_board_checks(rules.BoardContext(
        board=board, hires=hires_all, counted=counted, invoices=counted_invoices,
        allocations=alloc, version_dates=mail_dates or {}, reconciliation=reconciliation, ledger=ledger))
    by_file: dict[str, list[Finding]] = {}
    for f in extra:
        by_file.setdefault(f.file, []).append(f)
    for fr in files + ledger.files:
        fr.findings.extend(by_file.get(fr.file, []))
    all_findings = board_findings + [f for fr in files + ledger.files for f in fr.findings]
    timings["bestuursregels_en_tabellen"] += time.perf_counter() - clock
    return RunData(
        inputs=inputs, board=board, board_findings=board_findings, files=files, hires=counted, superseded=superseded,
        hires_df=hires_df, invoices_df=invoices_df, findings_df=findings.to_frame(all_findings),
        allocations_df=alloc, today=today, generated=generated, timings=timings,
        ledger_files=ledger.files, ledger_df=ledger.lines if ledger.present else None, reconciliation_df=reconciliation,
        ledger_all_npo_df=ledger.all_npo,
    )


def iter_findings(data: RunData) -> Iterable[Finding]:
    yield from data.board_findings
    for f in data.files + data.ledger_files:
        yield from f.findings


# --------------------------------------------------------------------------- the whole report


class NotRunnable(Exception):
    """The inputs or outputs folder is not usable; the message says in Dutch what to do."""


def unwritable(outputs: Path) -> str | None:
    """A Dutch message when outputs/ cannot be written, else None. The new outputs are prepared in a
    folder beside outputs/ and then moved in place, so the folder that holds outputs/ must be writable too."""
    import tempfile

    target = Path(os.path.abspath(outputs))
    if target.exists() and not target.is_dir():
        return f"{outputs} is een bestand, geen map. Kies met --outputs (of OUTPUTS=) een map voor de uitvoer."
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is een bestand, geen map; daarin kan de uitvoermap {outputs} niet komen. Kies met --outputs een andere map."
    for place in ([folder, target] if target.exists() else [folder]):
        try:
            os.rmdir(tempfile.mkdtemp(prefix=".npo-schrijftest-", dir=place))
        except OSError as exc:
            return (f"In de map {place} kan niet worden geschreven ({dutch.os_reason(exc)}). "
                    f"Kies met --outputs (of OUTPUTS=) een map waarin u mag schrijven, of vraag schrijfrechten op {place}.")
    return None


def missing_inputs(inputs: Path) -> str | None:
    """A Dutch message when the inputs folder is not a board's: no folder, no bestuur.xlsx, or no workbooks."""
    if not inputs.is_dir():
        return f"De map {inputs} bestaat niet. Geef met --inputs (of INPUTS=) de map met bestuur.xlsx en de werkboeken op."
    if not (inputs / config.FILE_NAME).is_file():
        return (f"{config.FILE_NAME} ontbreekt in {inputs}. Zonder dit bestand zijn de naam van het bestuur, de scholen en de "
                f"NPO-toekenningen onbekend. Zet {config.FILE_NAME} in {inputs}, of geef met --inputs de juiste map op. "
                "Een voorbeeld maakt: make demo INPUTS=demo")
    if not any(p.suffix.lower() in safety.SPREADSHEET_SUFFIXES for p in collect(inputs)):
        return (f"In {inputs} staan geen werkboeken. Zet de ingevulde werkboeken van de scholen in {inputs} "
                "(los of in een map per school), of haal ze uit de e-mails met: make intake MAIL=\"map met mails\"")
    return None


@dataclass
class Report:
    """What `report` did: the run's data and what was published, or the manifest of up-to-date outputs."""

    data: RunData | None = None
    published: Any = None  # publish.Published
    unchanged: dict | None = None  # the previous run's manifest, when nothing changed since


def report(inputs: Path, outputs: Path, *, workers: int | None = None, pdf: bool = True, use_cache: bool = True,
           generated: datetime | None = None, progress_factory: Callable[[int], Callable[[int], None]] | None = None,
           stage: Callable[[str, int], Any] | None = None, on_read: Callable[[RunData], None] | None = None) -> Report:
    """Check every workbook under `inputs` and publish everything into `outputs` (the `make report` command).

    Raises NotRunnable before any work when a folder is not usable. With `use_cache`, outputs whose inputs,
    program and options did not change are left as they are, and unchanged files are not read again."""
    from pipeline import publish
    from pipeline.read import intake

    problem = missing_inputs(inputs) or unwritable(outputs)
    if problem:
        raise NotRunnable(problem)
    cache, fp = None, ""
    if use_cache:
        fp = run_fingerprint(inputs, datetime.now().date(), output_options(pdf))
        previous = publish.up_to_date(outputs, fp)
        if previous is not None:
            return Report(unchanged=previous)
        cache = ReadCache.for_outputs(outputs)
        cache.prune_others()
    data = run(inputs, workers=workers, generated=generated, progress_factory=progress_factory,
               mail_dates=intake.version_dates(inputs), cache=cache)
    if on_read is not None:
        on_read(data)
    result = publish.write_all(data, outputs, workers=workers or min(os.cpu_count() or 1, 4), pdf=pdf, fingerprint=fp,
                               stage=stage, reuse=use_cache)
    return Report(data=data, published=result)

"""Write every output of a run into a staging folder, then move it into outputs/ in one short step."""
from __future__ import annotations

import ctypes
import dataclasses
import errno
import fnmatch
import glob
import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

import polars as pl

from pipeline import __version__, dutch, names, reference
from pipeline.render import marked as feedback
from pipeline.rules import catalogue as findings
from pipeline.render import register
from pipeline import spec as spec_mod
from pipeline.read.cache import CACHE_DIR
from pipeline.render import current_umask
from pipeline.render.reuse import OutputCache
from pipeline.model import READ, SEVERITIES, RunData

MANIFEST = "manifest.json"
PDF_CACHE = "pdf"  # outputs/.cache/pdf/<sha256 of the document's content>.pdf
DOCX_CACHE = "docx"  # outputs/.cache/docx/<sha256 of the document's context, template and code>.docx
CHART_CACHE = "grafieken"  # outputs/.cache/grafieken/<sha256 of the chart's spec and code>.png
MARKED_CACHE = "terugkoppeling"  # outputs/.cache/terugkoppeling/<sha256 of workbook, findings and code>.xlsx
FEEDBACK_DIR = "terugkoppeling"


@dataclass
class Published:
    outputs: Path
    files: list[Path] = field(default_factory=list)
    feedback_errors: list[tuple[str, str]] = field(default_factory=list)
    pdf_note: str = ""
    pdf_missing: list[tuple[str, str]] = field(default_factory=list)  # (outputs-relative document, Dutch reason)
    pdf_made: int = 0
    pdf_from_cache: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds of steps done in a process of their own
    pdf_kept: int = 0  # without PDFs (--geen-pdf): earlier PDFs kept, as their Word document did not change
    pdf_removed: list[tuple[str, str]] = field(default_factory=list)  # (earlier PDF, Dutch reason it is gone)

    @property
    def complete(self) -> bool:
        """Every output that was asked for is there (a missing LibreOffice is a note, not a gap)."""
        return not self.feedback_errors and not self.pdf_missing


def feedback_paths(data: RunData) -> dict[str, Path]:
    """outputs-relative path of the marked copy of every read workbook: terugkoppeling/<BRIN>/<file name>, both
    safe on every system (see names) and unique without regard to case (12ab/a.xlsx and 12AB/A.xlsx)."""
    places = []
    for f in data.files:
        if f.hire is None:
            continue
        brin = str(f.hire.get("brin") or "").upper()
        places.append((f.file, f"{names.safe_name(brin, fallback='onbekend')}/{names.safe_name(PurePosixPath(f.file).name)}"))
    unique = names.unique_names(rel for _, rel in places)
    return {file: Path(FEEDBACK_DIR, rel) for (file, _), rel in zip(places, unique)}


LONGEST_FIXED_NAME = "pdf/jaarverslag-2025-bijlagen.pdf"  # the longest name a run makes that no input names


def check_path_lengths(staging: Path, relative: Iterable[Path]) -> None:
    """On Windows (see names.MAX_PATH): refuse, before anything is made, a run whose longest output path in the
    staging folder would be too long to write; the staging folder is a few characters longer than outputs/."""
    if not names.WINDOWS:
        return
    longest = names.longest_over([str(staging / LONGEST_FIXED_NAME), *(str(staging / rel) for rel in relative)])
    if longest is not None:
        raise OSError(errno.ENAMETOOLONG, f"langer dan Windows toestaat ({names.MAX_PATH + 1} tekens): kies een map voor "
                      "de uitvoer met een korter pad, bijvoorbeeld direct onder een stationsletter", longest)


def feedback_path(data: RunData, file: str) -> Path:
    """outputs-relative path of the marked copy of one input (see feedback_paths)."""
    return feedback_paths(data)[file]


def school_of(f) -> str | None:
    """The BRIN of an input file: from the workbook, else from its folder (inputs/<BRIN>/...)."""
    from pipeline.read import workbook as reader

    if f.hire is not None and f.hire.get("brin"):
        return f.hire.get("brin")
    folder = names.school_folder(f.file)
    return folder if reader.BRIN_RE.match(folder) else None


def marked_key(source: Path, found: list) -> str:
    """A marked copy is made from its workbook's bytes and its findings (and the code)."""
    from pipeline.render.reuse import code_version, digest
    from pipeline.read.workbook import sha256_of

    return digest(code_version(), sha256_of(source), [dataclasses.astuple(f) for f in found])


def manifest(data: RunData, marked: dict[str, str]) -> dict:
    from pipeline import verify as verify_mod

    by_file: dict[str, dict[str, int]] = {}
    for f in data.files:
        counts = dict.fromkeys(SEVERITIES, 0)
        for x in f.findings:
            counts[x.severity] += 1
        by_file[f.file] = counts
    inv = data.invoices_df
    totals = {
        r["file"]: (r["excl"], r["incl"])
        for r in inv.group_by("file").agg(pl.col("bedrag").sum().alias("excl"), pl.col("totaal").sum().alias("incl")).iter_rows(named=True)
    }
    return {
        "product": "npo-inhuur",
        "version": __version__,
        "generated": data.generated.isoformat(timespec="seconds"),
        "board": data.board.name,
        "ruleset_version": findings.ruleset_version(),
        "template_version": spec_mod.load().version,
        "reference_versions": reference.versions(),
        "environment": verify_mod.environment(),  # versions of program, rules, reference data, packages
        "counts": data.counts(),
        "findings": {s: sum(c[s] for c in by_file.values()) + sum(1 for f in data.board_findings if f.severity == s)
                     + sum(1 for lf in data.ledger_files for f in lf.findings if f.severity == s) for s in SEVERITIES},
        "files": [
            {
                "file": f.file,
                "sha256": f.sha256,
                "bytes": f.size,
                "status": f.status,
                "reason": f.reason,
                "hire_id": f.hire.hire_id if f.hire else None,
                "brin": school_of(f),
                "counted": f.status == READ,
                "findings": by_file[f.file],
                "invoiced_excl_btw": _amount(totals[f.file][0]) if f.file in totals else None,
                "invoiced_incl_btw": _amount(totals[f.file][1]) if f.file in totals else None,
                "marked_copy": marked.get(f.file),
            }
            for f in data.files
        ] + board_files(data),
        "ledger_files": [
            {"file": f.file, "sha256": f.sha256, "bytes": f.size, "status": f.status, "reason": f.reason,
             "findings": {s: sum(1 for x in f.findings if x.severity == s) for s in SEVERITIES}}
            for f in data.ledger_files
        ],
    }


BOARD_FILE_ROLES = {"bestuur.xlsx": "instellingen, scholen, leerlingen en inkoopbeleid van het bestuur",
                    "intake-log.xlsx": "logboek van de e-mails waarmee de werkboeken binnenkwamen (datum per bestand)"}


def board_files(data: RunData) -> list[dict]:
    """The board's own input files (bestuur.xlsx, intake-log.xlsx): they determine figures too, so the auditor
    gets their SHA-256 like every workbook's."""
    from pipeline.read.workbook import sha256_of

    out = []
    for name, role in BOARD_FILE_ROLES.items():
        path = data.inputs / name
        if not path.is_file():
            continue
        counts = {s: sum(1 for f in data.board_findings if f.severity == s and f.file == name) for s in SEVERITIES}
        out.append({"file": name, "sha256": sha256_of(path), "bytes": path.stat().st_size, "status": READ, "reason": role,
                    "hire_id": None, "counted": False, "findings": counts, "invoiced_excl_btw": None, "invoiced_incl_btw": None,
                    "marked_copy": None})
    return out


def _amount(value) -> float:
    """An amount in euros as a JSON number with cents (the manifest is read by scripts, not people)."""
    return round(float(value), 2)


def up_to_date(outputs: Path, fingerprint: str) -> dict | None:
    """The previous manifest when outputs/ was made from exactly these inputs and it is all still there."""
    try:
        m = json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if m.get("run_fingerprint") != fingerprint:
        return None
    if m.get("status", "klaar") != "klaar":  # something was missing last time: try again
        return None
    if not all((outputs / rel).is_file() for rel in m.get("outputs", [])):
        return None
    return m


# Stages of write_all that can take more than a few seconds, as announced to `stage` (the CLI shows them).
STAGE_COPIES, STAGE_REGISTER, STAGE_DOCUMENTS, STAGE_PDF = "kopieën", "register", "documenten", "pdf"


def write_all(data: RunData, outputs: Path, *, workers: int = 1, pdf: bool = True, fingerprint: str = "",
              stage: Callable[[str, int], None] | None = None, pdf_workers: int | None = None, reuse: bool = True) -> Published:
    """Render everything into a staging folder beside outputs/, then swap the two folders atomically.

    PDF conversion is optional: PDFs it cannot make are listed in the result and the manifest, and
    everything else is published all the same. `pdf_workers` LibreOffice processes (default: one per core).
    With `reuse`, a Word document, marked copy or PDF whose inputs did not change since the previous run
    is copied from outputs/.cache instead of made again (each keyed by a hash of what it is made from).
    `stage(name, count)` is called when a long stage starts (one of the STAGE_* names, with the number
    of files it makes); it may return a callable that is told each time files of that stage are done."""
    from pipeline.render import pdf as pdf_mod
    from pipeline import speed
    from pipeline.render import documents

    def announce(name: str, count: int) -> Callable[[int], None]:
        return (stage(name, count) if stage else None) or (lambda n: None)

    outputs = outputs.resolve()
    outputs.parent.mkdir(parents=True, exist_ok=True)
    recover(outputs)
    staging = Path(tempfile.mkdtemp(prefix=f".{outputs.name}{STAGING_MARK}", dir=outputs.parent))
    # mkdtemp makes the folder private (0700); the published outputs/ gets the usual permissions
    os.chmod(staging, 0o777 & ~current_umask())
    result = Published(outputs)
    # Reading left the heap full of freed buffers (the workers' results): hand them back first.
    speed.release_memory()
    # LibreOffice starts now and waits for the PDF stage, so that its start-up overlaps with the copies and the
    # documents; not on a board above HEAVY_SIDE_BY_SIDE_UP_TO files, where the waiting processes would add to
    # the memory peak of the documents for a saving of a second in many minutes
    ahead = pdf and len(data.files) <= documents.HEAVY_SIDE_BY_SIDE_UP_TO
    warm = pdf_mod.WarmStart()
    try:
        paths = feedback_paths(data)
        check_path_lengths(staging, paths.values())
        warm.start((pdf_workers or os.cpu_count() or 1) if ahead else 0)
        generated = data.generated.strftime("%d-%m-%Y %H:%M")
        jobs, marked = [], {}
        for f in data.files:
            if f.hire is None or not f.findings:
                continue
            rel = paths[f.file]
            jobs.append((data.inputs / f.file, staging / rel, f.findings))
            marked[f.file] = rel.as_posix()
        cache = OutputCache(outputs / CACHE_DIR / MARKED_CACHE, ".xlsx") if reuse else None
        keys = {dest: marked_key(src, found) for src, dest, found in jobs} if cache else {}
        jobs = [j for j in jobs if cache is None or not cache.get(keys[j[1]], j[1])]
        copies = announce(STAGE_COPIES, len(jobs))
        for dest, error in feedback.mark_all(jobs, generated, workers=workers, progress=copies):
            if error:
                rel = dest.relative_to(staging).as_posix()
                src = next(k for k, v in marked.items() if v == rel)
                result.feedback_errors.append((src, error))
                marked.pop(src)
            elif cache is not None:
                cache.put(keys[dest], dest)
        if cache is not None:
            cache.prune()
        announce(STAGE_REGISTER, 1)
        # The register is written beside the documents, on a board of up to HEAVY_SIDE_BY_SIDE_UP_TO files in a
        # process of its own (in a thread it takes turns with the main process, which builds the documents'
        # contexts meanwhile); on a larger board in a thread, as a process holds a second copy of the tables
        # (measured at 10,000 workbooks: 1,127 MB peak instead of 964 MB).
        own_process = len(data.files) <= documents.HEAVY_SIDE_BY_SIDE_UP_TO
        with (speed.render_pool(1) if own_process else ThreadPoolExecutor(max_workers=1)) as side:
            tables = side.submit(register.write_files, register.Register.of(data), staging)
            rendered = announce(STAGE_DOCUMENTS, documents.count_documents(data))
            docs = documents.render_all(data, staging, workers=workers, progress=rendered,
                                        cache_dir=outputs / CACHE_DIR / DOCX_CACHE if reuse else None,
                                        chart_dir=outputs / CACHE_DIR / CHART_CACHE if reuse else None)
            result.timings.update(tables.result())
        if pdf:
            if pdf_mod.soffice_available():
                made = announce(STAGE_PDF, len(docs))
                try:
                    converted = pdf_mod.convert_all(docs, staging / "pdf", cache_dir=outputs / CACHE_DIR / PDF_CACHE if reuse else None,
                                                    workers=pdf_workers, warm=warm, progress=made)
                except OSError as exc:  # the disk, not LibreOffice: still an optional stage
                    converted = pdf_mod.PdfResult(missing={d: f"de PDF kon niet worden geschreven ({dutch.os_reason(exc)})" for d in docs})
                    shutil.rmtree(staging / "pdf", ignore_errors=True)
                result.pdf_made, result.pdf_from_cache = len(converted.made), converted.from_cache
                result.pdf_missing = [(d.relative_to(staging).as_posix(), why) for d, why in converted.missing.items()]
            else:
                result.pdf_note = f"{pdf_mod.not_found()}: geen PDF-kopieën gemaakt."
        else:
            result.pdf_kept, result.pdf_removed = keep_earlier_pdfs(docs, staging, outputs)
            result.pdf_note = earlier_pdfs_note(result.pdf_kept, result.pdf_removed)
        m = manifest(data, marked)
        m["status"] = "klaar" if result.complete else "klaar_met_waarschuwingen"
        m["pdf"] = {
            "gevraagd": pdf,
            "gemaakt": result.pdf_made,
            "uit_cache": result.pdf_from_cache,
            "opmerking": result.pdf_note or None,
            "ontbreekt": [{"document": doc, "pdf": f"pdf/{Path(doc).stem}.pdf", "reden": why} for doc, why in result.pdf_missing],
            "bewaard_van_vorige_run": result.pdf_kept,
            "verwijderd": [{"pdf": name, "reden": why} for name, why in result.pdf_removed],
        }
        m["terugkoppeling_ontbreekt"] = [{"file": src, "reden": why} for src, why in result.feedback_errors]
        m["run_fingerprint"] = fingerprint
        m["outputs"] = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        (staging / MANIFEST).write_text(json.dumps(m, indent=2, ensure_ascii=False), encoding="utf-8")
        swap_into(staging, outputs)
        result.files = sorted(p for p in outputs.iterdir() if not p.name.startswith("."))
    finally:
        warm.close()
        shutil.rmtree(staging, ignore_errors=True)
    return result


PDF_DIR = "pdf"
PDF_CHANGED = "het Word-document is veranderd; maak de PDF opnieuw met make report (zonder --geen-pdf)"
PDF_GONE = "het Word-document wordt niet meer gemaakt"


def keep_earlier_pdfs(docs: list[Path], staging: Path, outputs: Path) -> tuple[int, list[tuple[str, str]]]:
    """A run without PDFs keeps each PDF of the previous run whose Word document shows the same (see
    pdf.content_key): it is linked into the staging folder. Returns how many were kept, and every earlier PDF
    that is not, with the reason (its document changed, or is no longer made)."""
    from pipeline.render import pdf as pdf_mod

    earlier = outputs / PDF_DIR
    if not earlier.is_dir():
        return 0, []
    new_docs = {d.stem: d for d in docs}
    kept, removed = 0, []
    for old_pdf in sorted(earlier.glob("*.pdf")):
        doc = new_docs.get(old_pdf.stem)
        if doc is None:
            removed.append((old_pdf.name, PDF_GONE))
            continue
        old_doc = outputs / doc.relative_to(staging)
        if (old_doc.is_file() and pdf_mod.is_complete_pdf(old_pdf)
                and pdf_mod.content_key(old_doc) == pdf_mod.content_key(doc)):
            (staging / PDF_DIR).mkdir(exist_ok=True)
            _link_or_copy(old_pdf, staging / PDF_DIR / old_pdf.name)
            kept += 1
        else:
            removed.append((old_pdf.name, PDF_CHANGED))
    return kept, removed


def earlier_pdfs_note(kept: int, removed: list[tuple[str, str]]) -> str:
    """What a run without PDFs did with the previous run's PDFs, in Dutch."""
    from pipeline.dutch import plural

    parts = []
    if kept:
        parts.append(f"{plural(kept, 'PDF-kopie', 'PDF-kopieën')} van de vorige run bewaard (Word-document ongewijzigd)")
    changed = [name for name, why in removed if why == PDF_CHANGED]
    gone = [name for name, why in removed if why == PDF_GONE]
    if changed:
        parts.append(f"{plural(len(changed), 'PDF-kopie', 'PDF-kopieën')} verwijderd omdat het Word-document veranderde "
                     f"({', '.join(changed)}); maak ze opnieuw met make report zonder --geen-pdf")
    if gone:
        parts.append(f"{plural(len(gone), 'PDF-kopie', 'PDF-kopieën')} verwijderd omdat het Word-document niet meer "
                     f"wordt gemaakt ({', '.join(gone)})")
    return ("Zonder PDF's (--geen-pdf): " + "; ".join(parts) + ".") if parts else ""


# What a run generates; everything else in outputs/ (the blank workbook, reply drafts, the cache, a
# .gitkeep) belongs to someone else and is carried over into the new outputs.
GENERATED_PATTERNS = ("jaarverslag-*.docx", "gmr-*.docx", "eindverantwoording.docx", "register.xlsx", MANIFEST)
GENERATED_DIRS = ("mr", PDF_DIR, "data", FEEDBACK_DIR)
STAGING_MARK = "-staging-"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _generated(name: str, made: set[str] | None = None) -> bool:
    """An entry of outputs/ a run replaces. A file named like a report counts only when the previous manifest listed
    it (`made`, case folded): a user's "jaarverslag-2023-definitief.docx" is not the program's. Without that list
    (`None`: an older version, a broken manifest) every such name counts."""
    if name in GENERATED_DIRS or name == MANIFEST:
        return True
    return any(fnmatch.fnmatch(name, p) for p in GENERATED_PATTERNS) and (made is None or name.casefold() in made)


def _made_before(outputs: Path) -> set[str] | None:
    """The top-level names of everything the previous run listed in its manifest, case folded; None without a list."""
    try:
        listed = json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))["outputs"]
        return {PurePosixPath(rel).parts[0].casefold() for rel in listed if rel}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2 RENAME_EXCHANGE); False where unsupported (Windows and
    macOS have no renameat2; on Windows ctypes cannot even open the process itself as a library)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def _link_tree(src: Path, dest: Path) -> None:
    """Hard-link copy (a real copy where links are impossible): cheap, and src stays as it was."""
    if src.is_dir():
        shutil.copytree(src, dest, copy_function=_link_or_copy, symlinks=True)
    else:
        _link_or_copy(src, dest)


def _link_or_copy(src, dest) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


class HeldOpen(OSError):
    """A file of outputs/ could not be replaced: another program has it open (on Windows, Excel holding
    register.xlsx or Word a report), or the user may not change it. Nothing of outputs/ was changed. EBUSY: the
    command line says "in gebruik" with the file's name."""

    def __init__(self, path: Path):
        super().__init__(errno.EBUSY, "kan niet worden vervangen: het is geopend in een ander programma (bijvoorbeeld "
                         "Excel of Word) of u mag het niet wijzigen; sluit het en probeer het opnieuw. De vorige uitvoer "
                         "is ongewijzigd", str(path))


def swap_into(staging: Path, outputs: Path) -> None:
    """Make `staging` the new outputs/ in one atomic step; outputs/ is the previous or the new set, never a mix.

    Entries of outputs/ that a run does not generate are carried over first (hard links), the cache is
    moved over after the swap. Where the file system cannot exchange two folders (Windows, macOS), entries
    are replaced one by one (see _replace_entries).
    """
    if not outputs.exists():
        os.rename(staging, outputs)
        return
    carried = []
    made = _made_before(outputs)
    for entry in outputs.iterdir():
        if not _generated(entry.name, made) and entry.name != CACHE_DIR and not (staging / entry.name).exists():
            _link_tree(entry, staging / entry.name)
            carried.append(staging / entry.name)
    if _exchange(staging, outputs):
        old = staging  # after the exchange the previous outputs live at the staging path
        if (old / CACHE_DIR).exists() and not (outputs / CACHE_DIR).exists():
            os.rename(old / CACHE_DIR, outputs / CACHE_DIR)
        shutil.rmtree(old, ignore_errors=True)
        return
    for entry in carried:  # they stay where they are
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    _replace_entries(staging, outputs, made)


def _aside(outputs: Path, name: str) -> Path:
    """Where an entry of outputs/ waits while it is replaced (recover() puts it back after a killed run)."""
    return outputs.parent / f".{outputs.name}-old-{name}-{os.getpid()}"


def _replace_entries(staging: Path, outputs: Path, made: set[str] | None = None) -> None:
    """Replace the entries one by one without renaming over anything (which Windows refuses for a folder that is
    not empty): every entry to be replaced or dropped is first moved aside, the manifest first; when one of them
    cannot be moved (a file another program holds open), the others are put back and HeldOpen names the file.
    Then the new entries are moved in, the manifest last, and what was moved aside is removed."""
    new_names = {p.name for p in staging.iterdir()}
    old = sorted((p for p in outputs.iterdir() if p.name in new_names or (_generated(p.name, made) and p.name != CACHE_DIR)),
                 key=lambda p: p.name != MANIFEST)
    moved: list[tuple[Path, Path]] = []
    for entry in old:
        try:
            os.rename(entry, _aside(outputs, entry.name))
        except PermissionError:
            for back, aside in reversed(moved):
                os.rename(aside, back)
            raise HeldOpen(_held_file(entry)) from None
        moved.append((entry, _aside(outputs, entry.name)))
    for entry in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST):
        os.rename(entry, outputs / entry.name)
    for _, aside in moved:
        shutil.rmtree(aside, ignore_errors=True) if aside.is_dir() else aside.unlink(missing_ok=True)


def _held_file(entry: Path) -> Path:
    """The file in `entry` (itself, or one in the folder) that cannot be opened for writing: the one another
    program holds open. The entry itself when none is found."""
    files = [entry] if not entry.is_dir() else sorted(p for p in entry.rglob("*") if p.is_file())
    for f in files:
        try:
            with open(f, "r+b"):
                pass
        except PermissionError:
            return f
        except OSError:
            continue
    return entry


def recover(outputs: Path) -> None:
    """Remove what killed runs left beside outputs/ (their staging folders), keeping nothing of theirs."""
    parent = outputs.parent
    if not parent.is_dir():
        return
    # the folder's own name may hold "-old-" or glob brackets ("NPO [2025]"): matched literally, cut off by length
    for stale in parent.glob(glob.escape(f".{outputs.name}{STAGING_MARK}") + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    aside = f".{outputs.name}-old-"
    for stale in parent.glob(glob.escape(aside) + "*"):
        target = outputs / stale.name[len(aside):].rsplit("-", 1)[0]
        if not target.exists():  # killed while replacing it: put it back
            os.rename(stale, target)
        elif stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    # staging folders of older versions of this program lived inside outputs/
    for stale in list(outputs.glob(".staging-*")) + list(outputs.glob(".old-*")) if outputs.is_dir() else []:
        shutil.rmtree(stale, ignore_errors=True)

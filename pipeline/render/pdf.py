"""PDF copies of the Word documents through LibreOffice (soffice --headless --convert-to pdf).

`convert_all` never raises for a conversion that fails: it converts in batches, one LibreOffice
process per core (each with its own profile, so they do not hand their work to each other), gives
each batch a bounded time, retries the documents of a failed batch one by one, and reports every
PDF it could not make with a Dutch reason. A PDF already made for the same document content is
taken from the cache instead of being converted again.
"""
from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline import dutch
from pipeline.render.reuse import OutputCache
from pipeline.tempfiles import temp_beside

BATCH_MAX = 60  # documents per LibreOffice call at most (one plain call over 429 documents silently stopped after 247)
BATCHES_PER_WORKER = 3  # a few batches per process, so the last ones even out the processes' work
BATCH_BYTES = 4 * 1024 * 1024  # at most this much .docx per batch: several board-wide documents together
FEW = 12  # this many documents or fewer (a changed workbook): one LibreOffice call per process, balanced by work
SECONDS_BASE = 60.0  # time limit of a batch: start-up ...
SECONDS_PER_DOCUMENT = 20.0  # ... plus this per document ...
SECONDS_PER_MB = 120.0  # ... plus this per MB of .docx (a board-wide document of 10.000 workbooks)
# Document properties hold the time of the run; they do not change what a PDF shows.
UNKEYED_PARTS = {"docProps/core.xml"}


class PdfError(RuntimeError):
    """LibreOffice is missing, timed out, or did not write every PDF; str(exc) says which and why."""


@dataclass
class PdfResult:
    """What `convert_all` made: the PDFs in the order of the documents, and the ones it could not make."""

    made: list[Path] = field(default_factory=list)
    missing: dict[Path, str] = field(default_factory=dict)  # document -> Dutch reason
    from_cache: int = 0
    converted: int = 0
    retried: int = 0


SOFFICE_ENV = "NPO_SOFFICE"  # the full path of soffice, where it is neither on PATH nor in a standard place
WINDOWS = os.name == "nt"


def not_found() -> str:
    """Why there is no LibreOffice, in Dutch: NPO_SOFFICE names no file, or none was found."""
    chosen = os.environ.get(SOFFICE_ENV, "").strip().strip('"')
    if chosen:
        return f"LibreOffice (soffice) is niet geïnstalleerd op de plek die {SOFFICE_ENV} noemt ({chosen})"
    return (f"LibreOffice (soffice) is niet geïnstalleerd of niet gevonden (zet {SOFFICE_ENV} op het volledige pad van "
            "soffice als het op een andere plek staat)")


def standard_locations() -> list[Path]:
    """Where the LibreOffice installer puts soffice on Windows and macOS (on Linux it is on PATH)."""
    if WINDOWS:
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA")]
        return [Path(r, "LibreOffice", "program", "soffice.exe") for r in roots if r]
    if sys.platform == "darwin":
        return [Path(base, "LibreOffice.app", "Contents", "MacOS", "soffice")
                for base in ("/Applications", Path.home() / "Applications")]
    return []


def soffice_path() -> str | None:
    """LibreOffice: the file NPO_SOFFICE names, else soffice (or libreoffice) on PATH, else a standard location."""
    chosen = os.environ.get(SOFFICE_ENV, "").strip().strip('"')
    if chosen:
        return chosen if Path(chosen).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(p) for p in standard_locations() if p.is_file()), None)


def soffice_available() -> bool:
    return soffice_path() is not None


def content_key(doc: Path) -> str:
    """SHA-256 of what a .docx shows: every part but the document properties, zip timestamps ignored.

    A file that is not a zip package is keyed by its bytes."""
    h = hashlib.sha256()
    try:
        with zipfile.ZipFile(doc) as z:
            for info in sorted(z.infolist(), key=lambda i: i.filename):
                if info.filename in UNKEYED_PARTS:
                    continue
                h.update(info.filename.encode() + b"\0" + z.read(info) + b"\0")
    except (zipfile.BadZipFile, OSError, ValueError):
        h = hashlib.sha256(b"raw\0" + Path(doc).read_bytes())
    return h.hexdigest()


KEYS_FILE = "sleutels.json"  # in the PDF cache: SHA-256 of a .docx's bytes -> its content_key


def _content_keys(docs: list[Path], cache_dir: Path) -> dict[Path, str]:
    """content_key of every document, taken from the previous run's list when the file's bytes are the same
    (a document reused from the render cache is the same file; unzipping it again costs ~1 ms per document).
    The list is rewritten with this run's documents only."""
    path = cache_dir / KEYS_FILE
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
        known = known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        known = {}
    keys: dict[Path, str] = {}
    now: dict[str, str] = {}
    for d in docs:
        raw = hashlib.sha256(d.read_bytes()).hexdigest()
        key = known.get(raw)
        keys[d] = now[raw] = key if isinstance(key, str) and len(key) == 64 else content_key(d)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = temp_beside(path)
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(now, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a list that cannot be written only costs time
    return keys


def is_complete_pdf(path: Path) -> bool:
    """A PDF ends with %%EOF: a LibreOffice killed while writing leaves a file without it."""
    try:
        size = path.stat().st_size
        if size < 8:
            return False
        with open(path, "rb") as fh:
            if fh.read(5) != b"%PDF-":
                return False
            fh.seek(max(0, size - 1024))
            return b"%%EOF" in fh.read()
    except OSError:
        return False


def batch_timeout(docs: list[Path]) -> float:
    size = sum(d.stat().st_size for d in docs if d.is_file())
    return SECONDS_BASE + SECONDS_PER_DOCUMENT * len(docs) + SECONDS_PER_MB * size / (1024 * 1024)


def _soffice_env(profile: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(profile)}  # LibreOffice also writes under $HOME


SERVER_EXIT_SECONDS = 2.0  # a started LibreOffice quits within ~0.1 s after the documents handed to it are done


class WarmStart:
    """LibreOffice started ahead of the PDF stage: one process per worker, each with its own profile, started
    without documents (it then waits). A later `soffice --convert-to` with the same profile hands its documents
    to that process, which converts them and quits. Started while the Word documents are being made, the
    start-up (about 0.6 s a process, more for a fresh profile) is no longer part of the PDF stage. `close`
    stops whatever is still running; a process that did not start or has gone only means the call converts
    the documents itself."""

    def __init__(self) -> None:
        self.servers: dict[Path, subprocess.Popen] = {}
        self.base: Path | None = None

    def start(self, workers: int) -> "WarmStart":
        """Start `workers` processes (none when LibreOffice is not installed). Each is recorded as soon as it
        runs, so that close() stops it whenever the run is interrupted."""
        exe = soffice_path() if workers > 0 else None
        if exe is None:
            return self
        self.base = Path(tempfile.mkdtemp(prefix="npo-soffice-"))
        for i in range(workers):
            profile = self.base / f"gestart-{i + 1}"
            profile.mkdir()
            try:
                self.servers[profile] = subprocess.Popen(
                    [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    env=_soffice_env(profile), **own_group())  # Ctrl-C goes to the run, which stops these
            except OSError:
                shutil.rmtree(profile, ignore_errors=True)
                break
        return self

    def close(self) -> None:
        for proc in self.servers.values():
            _kill(proc)
            proc.wait()
        self.servers.clear()
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "WarmStart":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Profiles:
    """One LibreOffice profile per converting thread, reused for its next batches (a fresh profile costs seconds).
    The profiles of a WarmStart come first, each with its waiting LibreOffice (`server`)."""

    def __init__(self, base: Path, warm: WarmStart | None = None):
        self.base = base
        self.free: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self.count = 0
        self.lock = threading.Lock()
        self.servers: dict[Path, subprocess.Popen] = dict(warm.servers) if warm is not None else {}
        for profile in self.servers:
            self.free.put(profile)

    def server(self, profile: Path) -> subprocess.Popen | None:
        """The waiting LibreOffice of a warm profile, once: after its batch it has quit."""
        with self.lock:
            return self.servers.pop(profile, None)

    def take(self) -> Path:
        try:
            return self.free.get_nowait()
        except queue.Empty:
            with self.lock:
                self.count += 1
                p = self.base / f"profiel-{self.count}"
            p.mkdir()
            return p

    def give(self, p: Path, healthy: bool) -> None:
        if not healthy:  # a killed LibreOffice may leave its profile locked or half written
            shutil.rmtree(p, ignore_errors=True)
            p.mkdir()
        self.free.put(p)


def _reason(returncode: int | None, timed_out: bool, limit: float, detail: str) -> str:
    if timed_out:
        return f"LibreOffice deed er langer dan {limit:.0f} seconden over en is gestopt"
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"LibreOffice is afgebroken ({name})"
    if returncode:
        return f"LibreOffice stopte met exitcode {returncode}" + (f": {detail}" if detail else "")
    return "LibreOffice maakte geen PDF van dit document" + (f" ({detail})" if detail else "")


def own_group() -> dict:
    """Popen arguments that start LibreOffice in a process group of its own: Ctrl-C goes to the run, which stops
    the group (on Windows a new process group; elsewhere a new session)."""
    if WINDOWS:
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill(proc: subprocess.Popen) -> None:
    """Stop a LibreOffice call: soffice starts soffice.bin as a child, so the whole process group (on Windows the
    process tree, with taskkill /T /F)."""
    if WINDOWS:
        if proc.poll() is None:
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_soffice(exe: str, profile: Path, docs: list[Path], outdir: Path, limit: float,
                 running: set[subprocess.Popen] | None = None,
                 server: subprocess.Popen | None = None) -> tuple[list[Path], str]:
    """One LibreOffice call over `docs`; the documents whose PDF is complete, and why the others are not.
    While it runs, the process is in `running` (so that an interrupted run can stop it). `server` is the
    LibreOffice waiting on this profile (see WarmStart), which does the work when the call reaches it: it is
    stopped with the call, and given SERVER_EXIT_SECONDS to quit by itself after a call that ended well."""
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)]
    timed_out, out, err = False, b"", b""
    if server is not None and running is not None:
        running.add(server)
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_soffice_env(profile),
                                **own_group())
    except OSError as exc:
        _stop_server(server, running, wait=0)
        return [], f"LibreOffice kon niet starten ({dutch.os_reason(exc)})"
    if running is not None:
        running.add(proc)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        _kill(proc)  # whatever of the group is left (also after a kill)
        if timed_out:
            proc.communicate()
        if running is not None:
            running.discard(proc)
        _stop_server(server, running, wait=SERVER_EXIT_SECONDS if proc.returncode == 0 else 0)
    ok = [d for d in docs if is_complete_pdf(outdir / f"{d.stem}.pdf")]
    lines = (err or out or b"").decode("utf-8", "replace").strip().splitlines()
    return ok, _reason(proc.returncode, timed_out, limit, lines[-1].strip() if lines else "")


def _stop_server(server: subprocess.Popen | None, running: set[subprocess.Popen] | None, wait: float) -> None:
    """Let a warm LibreOffice quit by itself within `wait` seconds, else stop it; its profile is then free."""
    if server is None:
        return
    try:
        server.wait(timeout=wait) if wait else None
    except subprocess.TimeoutExpired:
        pass
    _kill(server)
    server.wait()
    if running is not None:
        running.discard(server)


def _batches(docs: list[Path], size: int) -> list[list[Path]]:
    """Largest documents first, so the long ones start early; a batch holds at most `size` documents and
    BATCH_BYTES of .docx (a larger document goes alone), so its time limit stays near what it needs."""
    batches: list[list[Path]] = []
    count = room = 0
    for d in sorted(docs, key=lambda d: -d.stat().st_size):
        n = d.stat().st_size
        if not batches or count >= size or n > room:
            batches.append([])
            count, room = 0, BATCH_BYTES
        batches[-1].append(d)
        count, room = count + 1, room - n
    return batches


LAID_OUT = re.compile(r"word/(document|header\d*|footer\d*)\.xml")  # the parts LibreOffice lays out page by page


def _weight(doc: Path) -> int:
    """What LibreOffice's work on a document grows with: the unpacked size of the XML it lays out (a chart adds
    kilobytes to the .docx but little work; an appendix of long tables packs small and takes long; the styles,
    0,8 MB in every document, cost about the same in each: measured 0,13 s for an MR document of 0,04 MB body
    against 1,0 s for a jaarverslag of 0,8 MB). The file size for a file that is not a zip package."""
    try:
        with zipfile.ZipFile(doc) as z:
            return sum(i.file_size for i in z.infolist() if LAID_OUT.fullmatch(i.filename))
    except (zipfile.BadZipFile, OSError, ValueError):
        try:
            return doc.stat().st_size
        except OSError:
            return 0


def _balanced(docs: list[Path], count: int) -> list[list[Path]]:
    """`docs` in `count` batches of about equal work (see _weight; heaviest first, each to the lightest batch so
    far): every LibreOffice start costs ~0.5–1 s, and a handful of documents needs no more starts than processes."""
    batches: list[list[Path]] = [[] for _ in range(min(count, len(docs)))]
    loads = [0] * len(batches)
    weights = {d: _weight(d) for d in docs}
    for d in sorted(docs, key=lambda d: -weights[d]):
        i = loads.index(min(loads))
        batches[i].append(d)
        loads[i] += weights[d]
    return batches


def batch_size_for(documents: int, workers: int) -> int:
    """Documents per LibreOffice call: few calls (each starts LibreOffice anew, ~0.5–1 s), but enough
    batches per process that the processes finish close together; a handful of documents (one
    changed workbook) is spread over all processes."""
    return max(1, min(BATCH_MAX, -(-documents // (workers * BATCHES_PER_WORKER))))


def convert_all(docs: list[Path], outdir: Path, *, cache_dir: Path | None = None, workers: int | None = None,
                batch_size: int | None = None, timeout: float | None = None, warm: WarmStart | None = None,
                progress: Callable[[int], None] | None = None) -> PdfResult:
    """Convert `docs` to outdir/<stem>.pdf; never raises for a document LibreOffice cannot convert.

    `cache_dir` keeps every PDF under the content key of its document (see content_key): a document
    converted before is copied from there. `workers` LibreOffice processes run side by side (default:
    one per core), over batches of `batch_size` documents (default: batch_size_for; FEW documents or fewer go in one
    batch per process, balanced by their work, see _balanced). `timeout`
    replaces the per-batch time limit (see batch_timeout). The first batches go to the LibreOffice
    processes of `warm`, when given. With a cache, PDFs
    of documents that are not part of this run are dropped from it afterwards. `progress` is told how many
    documents are done (a PDF appeared, from the cache or from LibreOffice, or the document is given up on).
    """
    docs = [Path(d).resolve() for d in docs]
    result = PdfResult()
    if not docs:
        return result
    done = _Done(progress)
    outdir = Path(outdir).resolve()
    todo: list[Path] = []
    stems: dict[str, int] = {}
    for d in docs:
        stems[d.stem] = stems.get(d.stem, 0) + 1
    for d in docs:
        if stems[d.stem] > 1:
            result.missing[d] = f"twee documenten zouden dezelfde PDF-naam krijgen ({d.stem}.pdf)"
        elif not d.is_file():
            result.missing[d] = "document niet gevonden"
        else:
            todo.append(d)
    exe = soffice_path()
    if exe is None:
        for d in todo:
            result.missing[d] = not_found()
        return _finish(result, docs, outdir, set())
    outdir.mkdir(parents=True, exist_ok=True)
    for d in todo:
        (outdir / f"{d.stem}.pdf").unlink(missing_ok=True)  # a stale PDF must not pass for a fresh one
    attempted = set(todo)
    cache = OutputCache(cache_dir, ".pdf") if cache_dir is not None else None
    keys: dict[Path, str] = {}
    if cache is not None:
        keys = _content_keys(todo, Path(cache_dir))
        hits = {d for d in todo if is_complete_pdf(cache.path(keys[d])) and cache.get(keys[d], outdir / f"{d.stem}.pdf")}
        result.from_cache = len(hits)
        done.add(hits)
        todo = [d for d in todo if d not in hits]
    if todo:
        workers = workers or os.cpu_count() or 1
        _convert(exe, todo, outdir, result, workers, batch_size, timeout, warm, lambda: done.add(_appeared(todo, outdir)))
        if cache is not None:
            for d in todo:
                if d not in result.missing:
                    cache.put(keys[d], outdir / f"{d.stem}.pdf")
    if cache is not None:
        cache.prune()
    done.add(docs)
    return _finish(result, docs, outdir, attempted)


class _Done:
    """The documents reported to `progress` so far, each once."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress, self.seen = progress, set()

    def add(self, docs: Iterable[Path]) -> None:
        new = [d for d in docs if d not in self.seen]
        self.seen.update(new)
        if new and self.progress is not None:
            self.progress(len(new))


def _appeared(docs: list[Path], outdir: Path) -> list[Path]:
    """The documents whose PDF is in `outdir` now (one listing of the folder, not a look per document)."""
    try:
        present = {e.name for e in os.scandir(outdir)}
    except OSError:
        return []
    return [d for d in docs if f"{d.stem}.pdf" in present]


def _convert(exe: str, docs: list[Path], outdir: Path, result: PdfResult, workers: int, batch_size: int | None,
             timeout: float | None, warm: WarmStart | None, tick: Callable[[], None] = lambda: None) -> None:
    lock = threading.Lock()
    failed: dict[Path, str] = {}
    running: set[subprocess.Popen] = set()
    stopping = threading.Event()
    with tempfile.TemporaryDirectory(prefix="npo-soffice-") as base:
        profiles = _Profiles(Path(base), warm)

        def one(batch: list[Path]) -> None:
            if stopping.is_set():
                return
            limit = timeout if timeout is not None else batch_timeout(batch)
            profile = profiles.take()
            ok, why = _run_soffice(exe, profile, batch, outdir, limit, running, profiles.server(profile))
            profiles.give(profile, healthy=len(ok) == len(batch))
            with lock:
                result.converted += len(ok)
                for d in batch:
                    if d not in ok:
                        failed[d] = why

        def each(batches: list[list[Path]]) -> None:
            """Every batch, side by side; interrupted (Ctrl-C, or the run failed), LibreOffice is stopped at
            once instead of being waited for."""
            ex = ThreadPoolExecutor(max_workers=min(workers, len(batches)))
            futures = [ex.submit(one, b) for b in batches]
            try:
                pending = set(futures)
                while pending:  # wake up regularly: Python handles Ctrl-C only when the main thread runs
                    done, pending = wait(pending, timeout=0.2)
                    for fut in done:
                        fut.result()
                    tick()
            except BaseException:
                stopping.set()
                # kill until every batch has returned: one may have started its LibreOffice just now
                while not all(f.done() or f.cancel() for f in futures):
                    for proc in list(running):
                        _kill(proc)
                    wait(futures, timeout=0.2)
                raise
            finally:
                ex.shutdown(wait=True, cancel_futures=True)

        if batch_size is None and len(docs) <= FEW:
            each(_balanced(docs, workers))
        else:
            each(_batches(docs, batch_size or batch_size_for(len(docs), workers)))
        retry, first = [d for d in docs if d in failed], dict(failed)
        failed.clear()
        if retry:  # once more, document by document: one bad document must not cost its whole batch
            result.retried = len(retry)
            each([[d] for d in retry])
        for d in retry:
            if d in failed:
                result.missing[d] = failed[d] if failed[d] == first[d] else f"{first[d]}; opnieuw geprobeerd: {failed[d]}"


def _finish(result: PdfResult, docs: list[Path], outdir: Path, attempted: set[Path]) -> PdfResult:
    for d in docs:
        if d in result.missing:
            if d in attempted:
                (outdir / f"{d.stem}.pdf").unlink(missing_ok=True)  # half a PDF is no PDF
        elif is_complete_pdf(outdir / f"{d.stem}.pdf"):
            result.made.append(outdir / f"{d.stem}.pdf")
        else:
            result.missing[d] = "LibreOffice maakte geen volledige PDF van dit document"
    return result


def convert_to_pdf(docs: list[Path], outdir: Path, timeout: float | None = None) -> list[Path]:
    """Convert `docs` to outdir/<stem>.pdf; returns the PDFs in the order of `docs`, or raises PdfError
    naming every document without a PDF."""
    result = convert_all(docs, outdir, workers=1, timeout=timeout)
    if result.missing:
        if all("niet geïnstalleerd" in why for why in result.missing.values()):
            raise PdfError(f"{not_found()}; er zijn geen PDF's gemaakt.")
        names = ", ".join(f"{d.stem}.pdf" for d in result.missing)
        reasons = sorted(set(result.missing.values()))
        raise PdfError(f"LibreOffice kon niet alle PDF's maken (ontbreekt: {names}): {'; '.join(reasons)}.")
    return result.made

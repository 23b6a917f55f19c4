"""PDF copies of the Word documents through LibreOffice (soffice --headless --convert-to pdf).

`convert_all` never raises for a conversion that fails: it converts in batches, one LibreOffice
process per core (each with its own profile, so they do not hand their work to each other), gives
each batch a bounded time, retries the documents of a failed batch one by one, and reports every
PDF it could not make with a Dutch reason. A PDF already made for the same document content is
taken from the cache instead of being converted again.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.render.reuse import OutputCache

BATCH_MAX = 60  # documents per LibreOffice call at most (one plain call over 429 documents silently stopped after 247)
BATCHES_PER_WORKER = 3  # a few batches per process, so the last ones even out the processes' work
BATCH_BYTES = 4 * 1024 * 1024  # at most this much .docx per batch: several board-wide documents together
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
    seconds: float = 0.0  # from the first document handed over until the last PDF was done


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


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


class _Profiles:
    """One LibreOffice profile per converting thread, reused for its next batches (a fresh profile costs seconds)."""

    def __init__(self, base: Path):
        self.base = base
        self.free: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self.count = 0
        self.lock = threading.Lock()

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


def _kill(proc: subprocess.Popen) -> None:
    """Stop a LibreOffice call: soffice starts soffice.bin as a child, so the whole process group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_soffice(exe: str, profile: Path, docs: list[Path], outdir: Path, limit: float,
                 running: Callable[[subprocess.Popen, bool], None] | None = None) -> tuple[list[Path], str]:
    """One LibreOffice call over `docs`; the documents whose PDF is complete, and why the others are not.
    `running(proc, True)` is told when the process started, `running(proc, False)` when it is gone."""
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)]
    env = {**os.environ, "HOME": str(profile)}  # LibreOffice also writes under $HOME
    timed_out, out, err = False, b"", b""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as exc:
        return [], f"LibreOffice kon niet starten ({exc.strerror or exc})"
    if running:
        running(proc, True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        _kill(proc)  # whatever of the group is left (also after a kill)
        if timed_out:
            proc.communicate()
        if running:
            running(proc, False)
    ok = [d for d in docs if is_complete_pdf(outdir / f"{d.stem}.pdf")]
    lines = (err or out or b"").decode("utf-8", "replace").strip().splitlines()
    return ok, _reason(proc.returncode, timed_out, limit, lines[-1].strip() if lines else "")


def _take(pending: list[Path], size: int, sizes: dict[Path, int]) -> list[Path]:
    """The next batch from `pending` (largest first): at most `size` documents and BATCH_BYTES of .docx
    (a larger document goes alone), so a batch's time limit stays near what it needs."""
    batch = [pending.pop(0)]
    room = BATCH_BYTES - sizes[batch[0]]
    while pending and len(batch) < size and sizes[pending[0]] <= room:
        room -= sizes[pending[0]]
        batch.append(pending.pop(0))
    return batch


def batch_size_for(documents: int, workers: int) -> int:
    """Documents per LibreOffice call: few calls (each starts LibreOffice anew, ~0.5–1 s), but enough
    batches per process that the processes finish close together; a handful of documents (one
    changed workbook) is spread over all processes."""
    return max(1, min(BATCH_MAX, -(-documents // (workers * BATCHES_PER_WORKER))))


def convert_all(docs: list[Path], outdir: Path, *, cache_dir: Path | None = None, workers: int | None = None,
                batch_size: int | None = None, timeout: float | None = None) -> PdfResult:
    """Convert `docs` to outdir/<stem>.pdf; never raises for a document LibreOffice cannot convert.

    `cache_dir` keeps every PDF under the content key of its document (see content_key): a document
    converted before is copied from there. `workers` LibreOffice processes run side by side (default:
    one per core), over batches of `batch_size` documents (default: batch_size_for what is waiting).
    `timeout` replaces the per-batch time limit (see batch_timeout). With a cache, PDFs of documents
    that are not part of this run are dropped from it afterwards. The PDFs in `made` are in the order
    of `docs`.
    """
    stream = PdfStream(outdir, cache_dir=cache_dir, workers=workers, batch_size=batch_size, timeout=timeout)
    try:
        stream.add(*docs)
    except BaseException:
        stream.abort()
        raise
    return stream.close()


class PdfStream:
    """Converts documents while the rest are still being made: `add` each finished document, `close` for the result.

    Up to `workers` LibreOffice processes (default: one per core) start as soon as there is work; each takes
    what is waiting, largest documents first, up to `batch_size` documents and BATCH_BYTES of .docx per
    call, so documents that arrive while LibreOffice is busy are converted together. `close` waits for
    them, retries the documents of a failed call once one by one, and returns what was made and what not.
    `abort` stops every LibreOffice process at once (the run itself failed or was interrupted).
    """

    def __init__(self, outdir: Path, *, cache_dir: Path | None = None, workers: int | None = None,
                 batch_size: int | None = None, timeout: float | None = None):
        self.outdir = Path(outdir).resolve()
        self.exe = soffice_path()
        self.cache = OutputCache(cache_dir, ".pdf") if cache_dir is not None else None
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.batch_size = batch_size  # None: batch_size_for what is waiting when a process takes its batch
        self.timeout = timeout
        self.result = PdfResult()
        self.docs: list[Path] = []  # every document added, in order
        self.keys: dict[Path, str] = {}  # document -> content key (with a cache)
        self.attempted: set[Path] = set()
        self.failed: dict[Path, str] = {}  # document -> why its batch did not make it
        self.stems: dict[str, list[Path]] = {}
        self.pending: list[Path] = []  # largest first
        self.sizes: dict[Path, int] = {}
        self.cond = threading.Condition()
        self.closed = self.aborted = False
        self.threads: list[threading.Thread] = []
        self.running: set[subprocess.Popen] = set()
        self.base: Path | None = None
        self.profiles: _Profiles | None = None
        self.started: float | None = None

    def add(self, *docs: Path) -> None:
        """Hand over finished documents; converted in the background (or copied from the cache)."""
        work = []
        if self.started is None:
            self.started = time.perf_counter()
        for d in (Path(d).resolve() for d in docs):
            self.docs.append(d)
            self.stems.setdefault(d.stem, []).append(d)
            if len(self.stems[d.stem]) > 1 or not d.is_file():
                continue  # named in close()
            if self.exe is None:
                self.result.missing[d] = "LibreOffice (soffice) is niet geïnstalleerd"
                continue
            if not self.attempted:
                self.outdir.mkdir(parents=True, exist_ok=True)
            self.attempted.add(d)
            pdf = self.outdir / f"{d.stem}.pdf"
            pdf.unlink(missing_ok=True)  # a stale PDF must not pass for a fresh one
            if self.cache is not None:
                self.keys[d] = content_key(d)
                if is_complete_pdf(self.cache.path(self.keys[d])) and self.cache.get(self.keys[d], pdf):
                    self.result.from_cache += 1
                    continue
            work.append((d, d.stat().st_size))
        if not work:
            return
        with self.cond:
            if self.aborted:
                return
            for d, size in work:
                self.sizes[d] = size
                bisect.insort(self.pending, d, key=lambda p: -self.sizes[p])
            if not self.threads:  # the LibreOffice processes' threads wait for work until close()
                self.base = Path(tempfile.mkdtemp(prefix="npo-soffice-"))
                self.profiles = _Profiles(self.base)
                for i in range(self.workers):
                    t = threading.Thread(target=self._work, name=f"pdf-{i + 1}", daemon=True)
                    self.threads.append(t)
                    t.start()
            self.cond.notify_all()

    def _work(self) -> None:
        while True:
            with self.cond:
                while not self.pending and not self.closed:
                    self.cond.wait()
                if not self.pending or self.aborted:
                    return
                size = self.batch_size or batch_size_for(len(self.pending), self.workers)
                batch = _take(self.pending, size, self.sizes)
            self._batch(batch)

    def _batch(self, batch: list[Path]) -> None:
        limit = self.timeout if self.timeout is not None else batch_timeout(batch)
        try:
            profile = self.profiles.take()
        except OSError as exc:
            ok, why = [], f"geen werkmap voor LibreOffice ({exc.strerror or exc})"
        else:
            ok, why = _run_soffice(self.exe, profile, batch, self.outdir, limit, self._running)
            self.profiles.give(profile, healthy=len(ok) == len(batch))
        with self.cond:
            self.result.converted += len(ok)
            for d in batch:
                if d not in ok:
                    self.failed[d] = why

    def _running(self, proc: subprocess.Popen, started: bool) -> None:
        with self.cond:
            if started and self.aborted:
                _kill(proc)
            elif started:
                self.running.add(proc)
            else:
                self.running.discard(proc)

    def close(self) -> PdfResult:
        """Wait for every conversion, retry the failed documents one by one, and say what was made."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        for t in self.threads:
            t.join()
        result = self.result
        try:
            retry, first = [d for d in self.docs if d in self.failed], dict(self.failed)
            self.failed.clear()
            if retry and not self.aborted:  # one bad document must not cost its whole batch
                result.retried = len(retry)
                with ThreadPoolExecutor(max_workers=min(self.workers, len(retry))) as ex:
                    list(ex.map(lambda d: self._batch([d]), retry))
            for d in retry:
                if d in self.failed or self.aborted:
                    why = self.failed.get(d, first[d])
                    result.missing[d] = why if why == first[d] else f"{first[d]}; opnieuw geprobeerd: {why}"
            for stem, same in self.stems.items():
                for d in same if len(same) > 1 else []:
                    result.missing[d] = f"twee documenten zouden dezelfde PDF-naam krijgen ({stem}.pdf)"
            for d in self.docs:
                if not d.is_file() and d not in result.missing:
                    result.missing[d] = "document niet gevonden"
            if self.cache is not None:
                for d in self.keys:
                    if d not in result.missing and d in self.sizes:  # converted now, not from the cache
                        self.cache.put(self.keys[d], self.outdir / f"{d.stem}.pdf")
                if self.docs:  # a run without documents leaves the cache as it was
                    self.cache.prune()
        finally:
            if self.base is not None:
                shutil.rmtree(self.base, ignore_errors=True)
        result.seconds = time.perf_counter() - self.started if self.started is not None else 0.0
        return _finish(result, list(dict.fromkeys(self.docs)), self.outdir, self.attempted)

    def abort(self) -> None:
        """Stop at once: no new LibreOffice calls, the running ones killed. The documents become missing."""
        with self.cond:
            self.aborted = self.closed = True
            self.pending.clear()
            for proc in list(self.running):
                _kill(proc)
            self.cond.notify_all()
        for t in self.threads:
            t.join()
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)


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
            raise PdfError("LibreOffice (soffice) is niet geïnstalleerd; er zijn geen PDF's gemaakt.")
        names = ", ".join(f"{d.stem}.pdf" for d in result.missing)
        reasons = sorted(set(result.missing.values()))
        raise PdfError(f"LibreOffice kon niet alle PDF's maken (ontbreekt: {names}): {'; '.join(reasons)}.")
    return result.made

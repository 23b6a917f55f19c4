"""What the measured speed needs, in one place: worker pools for the render stages and giving memory back.

Worker processes for the render stages (marked copies, Word documents):

They are started clean, from a fork server that has imported the rendering code once (spawned where
there is no fork server: Windows, and macOS by default), rather than forked from the main process: a
forked worker shares the run's data only until either process writes near it (reference counts are
writes), after which the pages exist twice. With 10,000 workbooks that is hundreds of MB per worker.
The read stage forks its own pool before any data is loaded, on Linux only (see `read_context`).

NPO_START_METHOD (spawn, forkserver or fork) replaces the start method of every process the program
starts, for a test of the Windows code path on Linux or a system where the default misbehaves; fork
only for the read stage (see clean_context).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from collections import deque
from typing import Any, Callable, Iterable, Iterator

# Imported once by the fork server, so that each render worker it forks has them already: the rendering code, and
# the libraries it imports where it needs them (matplotlib for the charts, docxtpl for the Word documents). Without
# the libraries every new worker imported them again on its first document (~0,45 s of CPU a worker, measured).
PRELOAD = ["pipeline.render.documents", "pipeline.render.marked",
           "matplotlib.backends.backend_agg", "matplotlib.figure", "matplotlib.ticker", "docxtpl", "docx.shared"]


START_METHOD_ENV = "NPO_START_METHOD"


class StartMethodError(ValueError):
    """NPO_START_METHOD names a start method this system does not have; str(exc) says so in Dutch."""


def chosen_start_method() -> str | None:
    """The start method NPO_START_METHOD asks for, None when it is not set."""
    wanted = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if not wanted:
        return None
    methods = mp.get_all_start_methods()
    if wanted not in methods:
        raise StartMethodError(f"{START_METHOD_ENV}={wanted} kan hier niet: kies uit {', '.join(methods)}.")
    return wanted


def _context(method: str):
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def read_context():
    """The context of the read stage's pool and of a file read in a process of its own: fork on Linux, where
    the workers inherit the board and the reader without pickling either (measured: see README, bench); spawn
    elsewhere (Windows has no fork; on macOS fork is unsafe once system libraries run threads)."""
    method = chosen_start_method()
    if method is None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
    return _context(method)


def clean_context():
    """A multiprocessing context whose workers do not inherit the main process's memory. NPO_START_METHOD=fork
    does not apply here: a worker forked from a process whose polars thread pool runs hangs."""
    method = chosen_start_method()
    if method is not None and method != "fork":
        return _context(method)
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return mp.get_context("spawn")


def quiet_worker() -> None:
    """Workers ignore Ctrl-C: the main process stops the run and says so in one line, and a
    KeyboardInterrupt traceback from every worker would bury that line."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def render_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=clean_context(), initializer=quiet_worker)


def trim_heap() -> None:
    """Hand free heap pages back to the system (glibc's malloc_trim). Rendering leaves the glibc heap
    fragmented (measured: ~0,15 MB a document that is never reused); trimming every few documents keeps
    a worker's memory flat over thousands of documents."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def release_memory() -> None:
    """Collect garbage and trim the heap: a worker that rendered a board-wide document of a large board
    would hold hundreds of MB for the rest of the run, and the main process holds the buffers of
    everything the read workers sent."""
    import gc

    gc.collect()
    trim_heap()


# --------------------------------------------------------------------------- the read stage's pool
#
# The read stage starts its workers before the run's data is loaded, and hands them the function once:
# forked workers inherit it with everything it refers to (the board); started ones (spawn, forkserver)
# receive it pickled, once per worker (for a large board, sending the board with every batch cost more
# than reading the files). Only the items and the results cross between processes per batch.

_FORK_FN: Callable[[Any], Any] | None = None  # the function of the running fork_map, in its workers


def _fork_batch(items: list[Any]) -> list[Any]:
    return [_FORK_FN(x) for x in items]


def _read_worker(fn: Callable[[Any], Any] | None) -> None:
    global _FORK_FN
    quiet_worker()
    if fn is not None:  # a started worker; a forked one has it already
        _FORK_FN = fn


def fork_map(fn: Callable[[Any], Any], items: list[Any], workers: int, *, chunk: int = 16,
             progress: Callable[[int], None] | None = None) -> dict[int, Any]:
    """`fn(item)` for every item in `workers` processes (see read_context), in batches of `chunk`; results by
    index. Outside fork, `fn` must pickle (a module-level function or a functools.partial of one).
    When a worker dies (a hard crash in a native library), the items not yet done are missing from the
    result: the caller decides what to do with them (see `in_own_process`)."""
    global _FORK_FN
    results: dict[int, Any] = {}
    _FORK_FN = fn
    ctx = read_context()
    handed = None if ctx.get_start_method() == "fork" else fn
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_read_worker, initargs=(handed,)) as ex:
            batches = [list(range(i, min(i + chunk, len(items)))) for i in range(0, len(items), chunk)]
            futures = [(ex.submit(_fork_batch, [items[j] for j in batch]), batch) for batch in batches]
            for fut, batch in futures:
                try:
                    for j, r in zip(batch, fut.result()):
                        results[j] = r
                except BrokenProcessPool:
                    break
                if progress:
                    progress(len(batch))
    finally:
        _FORK_FN = None
    return results


class ProcessCrashed(Exception):
    """The process died without a result."""


class ProcessTimedOut(Exception):
    """The process took longer than allowed and was killed."""


def _child(conn, fn: Callable[..., Any], args: tuple) -> None:
    quiet_worker()
    conn.send(fn(*args))
    conn.close()


def in_own_process(fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """`fn(*args)` in a process of its own (see read_context), so that a hard crash costs only this call."""
    ctx = read_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, fn, args), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            proc.kill()
            raise ProcessTimedOut()
        try:
            return receiver.recv()
        except (EOFError, OSError):
            raise ProcessCrashed() from None
    finally:
        receiver.close()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()


# --------------------------------------------------------------------------- the render stages' pools


_END = object()


def pool_map(heavy: Iterable[Any], light: Iterable[Any], run_heavy: Callable[[Any], Any], run_light: Callable[[Any], Any],
             workers: int, *, recycle_after: int, on_done: Callable[[Any], None] | None = None,
             heavy_at_once: int = 1) -> list[Any]:
    """Run every job in clean worker processes (`render_pool`) and return the results.

    Heavy jobs (whose memory grows with the board) run `heavy_at_once` at a time while the other workers
    take light ones; only a few light jobs wait at a time, so the caller's generators build each job when
    its turn comes. A job that is None has nothing to do (the caller took its result from a cache): it is
    skipped, and the board-wide documents are kept going meanwhile. A fresh pool replaces the old one every
    `recycle_after` light jobs per worker: a long-lived worker's heap only grows."""
    done: list[Any] = []

    def finish(result: Any) -> None:
        done.append(result)
        if on_done is not None:
            on_done(result)

    heavy_jobs: Iterator[Any] | None = iter(heavy)  # each job built when its turn comes
    light_jobs = iter(light)
    more = True
    while more:  # a fresh pool every recycle_after documents: a long-lived worker's heap only grows
        with render_pool(workers) as ex:
            running: deque = deque()  # the board-wide documents being rendered, oldest first

            def pump(wait: bool = False, start: bool = True) -> None:
                nonlocal heavy_jobs
                if running and wait:
                    wait_futures(list(running), return_when=FIRST_COMPLETED)
                for fut in [f for f in running if f.done()]:
                    running.remove(fut)
                    finish(fut.result())
                while start and len(running) < heavy_at_once and heavy_jobs is not None:
                    job = next(heavy_jobs, _END)
                    if job is _END:
                        heavy_jobs = None
                    elif job is not None:
                        running.append(ex.submit(run_heavy, job))

            pump()
            pending: deque = deque()
            more = False
            submitted = 0
            for job in light_jobs:
                if job is None:
                    pump()
                    continue
                submitted += 1
                pending.append(ex.submit(run_light, job))
                pump()
                while len(pending) > workers * 4:
                    finish(pending.popleft().result())
                    pump()
                if submitted >= recycle_after * workers:
                    more = True
                    break
            if not more:
                while running or heavy_jobs is not None:
                    pump(wait=True)
            else:
                while running:
                    pump(wait=True, start=False)  # the next ones start in the next pool
            for f in pending:
                finish(f.result())
    return done

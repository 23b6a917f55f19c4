"""What the measured speed needs, in one place: worker pools for the render stages and giving memory back.

Worker processes for the render stages (marked copies, Word documents):

They are started clean, from a fork server that has imported the rendering code once, rather than
forked from the main process: a forked worker shares the run's data only until either process writes
near it (reference counts are writes), after which the pages exist twice. With 10,000 workbooks that is
hundreds of MB per worker. The read stage forks its own pool before any data is loaded.
"""
from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

PRELOAD = ["pipeline.render.documents", "pipeline.render.marked"]


def clean_context():
    """A multiprocessing context whose workers do not inherit the main process's memory."""
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return mp.get_context("spawn")


def render_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=clean_context())


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

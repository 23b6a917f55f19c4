"""Worker processes for the render stages (marked copies, Word documents).

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


def quiet_worker() -> None:
    """Workers ignore Ctrl-C: the main process stops the run and says so in one line, and a
    KeyboardInterrupt traceback from every worker would bury that line."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def render_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=clean_context(), initializer=quiet_worker)

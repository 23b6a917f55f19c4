"""The render pool: board-wide (heavy) documents one at a time on a large board, side by side on a small one."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline import speed


def _heavy(job: tuple[str, int]) -> tuple[float, float]:
    """A stand-in for a board-wide document: its start and end on the system-wide monotonic clock."""
    _, i = job
    start = time.monotonic()
    time.sleep(0.3)
    return start, time.monotonic()


def _light(job: tuple[str, int]) -> tuple[float, float]:
    now = time.monotonic()
    return now, now


def _overlaps(spans: list[tuple[float, float]]) -> int:
    spans = sorted(spans)
    return sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1])


@pytest.mark.parametrize(("at_once", "side_by_side"), [(1, False), (2, True)])
def test_heavy_jobs_run_side_by_side_only_when_allowed(at_once: int, side_by_side: bool) -> None:
    done: list = []
    # None: a job taken from the cache, with nothing to do
    heavy = [("zwaar", 0), None, ("zwaar", 1), ("zwaar", 2), None, ("zwaar", 3)]
    light = [None, ("licht", 0), ("licht", 1), None, ("licht", 2), ("licht", 3), ("licht", 4), ("licht", 5), None]
    results = speed.pool_map(iter(heavy), iter(light), _heavy, _light, 2, recycle_after=200, on_done=done.append,
                             heavy_at_once=at_once)
    assert len(results) == len(done) == 10
    spans = [r for r in results if r[1] > r[0]]
    assert len(spans) == 4  # every heavy job ran, once
    assert (_overlaps(spans) > 0) is side_by_side

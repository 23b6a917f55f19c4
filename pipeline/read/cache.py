"""Reader cache under outputs/.cache: a file's inspection and reading, keyed by its sha256.

Only what depends on the file's bytes alone is cached (safety verdict, parsed hire, reader findings);
the rule checks run every time, so a cached entry can never change a result. The key also holds the
versions of the workbook spec, the rule set, the reference data and the package: a change in any of
them starts a fresh cache.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline import __version__, reference
from pipeline.rules import catalogue as findings
from pipeline import spec as spec_mod
from pipeline.tempfiles import temp_beside

CACHE_DIR = ".cache"


def cache_key() -> str:
    parts = [__version__, spec_mod.load().version, findings.ruleset_version(), repr(sorted(reference.versions().items()))]
    # the reader's own code is part of what a cached entry means
    package = Path(__file__).resolve().parents[1]
    for module in ("read/workbook.py", "read/safety.py", "dutch.py", "model.py", "data/werkboek.toml"):
        parts.append(hashlib.sha256((package / module).read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class ReadCache:
    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def for_outputs(cls, outputs: Path) -> "ReadCache":
        return cls(outputs / CACHE_DIR / f"reader-{cache_key()}")

    def prune_others(self) -> None:
        """Drop reader caches of other versions (the other caches under .cache are not the reader's)."""
        base = self.root.parent
        if base.is_dir():
            for d in base.iterdir():
                if d.is_dir() and d.name.startswith("reader-") and d != self.root:
                    shutil.rmtree(d, ignore_errors=True)

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.pkl"

    def get(self, sha256: str, rel: str) -> Any | None:
        p = self._path(sha256)
        try:
            with open(p, "rb") as fh:
                entry = pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            return None
        return _relocate(entry, rel)

    def put(self, sha256: str, entry: Any) -> None:
        p = self._path(sha256)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = temp_beside(p)
            with open(tmp, "wb") as fh:
                pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, p)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _relocate(entry: dict, rel: str) -> dict:
    """The same bytes under another name: point the cached records at the new file name."""
    if entry.get("file") == rel:
        return entry
    out = dict(entry)
    out["file"] = rel
    out["findings"] = [replace(f, file=rel) for f in entry["findings"]]
    if entry.get("hire") is not None:
        out["hire"] = replace(entry["hire"], file=rel)
    return out

"""Outputs kept under a hash of everything they are made from (outputs/.cache/<kind>/), to reuse unchanged ones."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.tempfiles import temp_beside


def digest(*parts: Any) -> str:
    """SHA-256 of `parts` as canonical JSON (dates, Decimals and paths as their text)."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """What every rendered output also depends on: the package's code, its data and its templates."""
    import docxtpl

    from pipeline import __version__, templates_dir

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{__version__}|{docxtpl.__version__}".encode())
    files = sorted(package.rglob("*.py")) + sorted(package.rglob("*.toml"))
    for p in files:
        h.update(p.relative_to(package.parent).as_posix().encode() + b"\0" + p.read_bytes())
    for p in sorted(templates_dir().glob("*.docx")):
        h.update(f"templates/{p.name}".encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


class OutputCache:
    """Files under their key in one folder; a run keeps only what it used (see prune)."""

    def __init__(self, root: Path, suffix: str):
        self.root, self.suffix = Path(root), suffix
        self.used: set[str] = set()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{self.suffix}"

    def get(self, key: str, dest: Path) -> bool:
        """Put a copy of the kept file for `key` at dest; False when there is none. A copy, not a link:
        someone may edit the published file in place, and the kept one must stay as it was made."""
        src = self.path(key)
        if not src.is_file():
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(src, dest)
        except OSError:
            return False
        self.used.add(key)
        return True

    def put(self, key: str, src: Path) -> None:
        target = self.path(key)
        self.used.add(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = temp_beside(target)
            shutil.copyfile(src, tmp)  # a copy: the published file may be replaced, the kept one must not
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self) -> None:
        """Drop what this run did not use: the cache holds the outputs of the latest run."""
        if not self.root.is_dir():
            return
        for p in self.root.glob(f"*/*{self.suffix}"):
            if p.name[: -len(self.suffix)] not in self.used:
                p.unlink(missing_ok=True)

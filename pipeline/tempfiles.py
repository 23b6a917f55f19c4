"""A temporary file beside its target, with the permissions of any new file (mkstemp makes it private, 0600)."""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask (reading it means setting it: guarded for threads). Files made private by mkstemp or
    mkdtemp are given the usual permissions with it before they are published."""
    with _umask_lock:
        mask = os.umask(0)
        os.umask(mask)
    return mask


def temp_beside(target: Path, prefix: str = "tmp", suffix: str = ".tmp") -> Path:
    """An empty, closed temporary file in `target`'s folder, to be filled and then os.replace()d onto `target`:
    the file that takes target's place has the permissions the umask gives, like every other output."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o666 & ~current_umask())
    return Path(name)

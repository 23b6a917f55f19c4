"""Shared fixtures: the LibreOffice switch and workbook builders."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# the tests import their helpers (tests/) and tools/ from the checkout, also when started as `.venv/bin/pytest`
sys.path[:0] = [str(Path(__file__).parent), str(REPO)]


def need_soffice() -> str:
    """The soffice binary; skip locally when absent, fail in CI (CI=true) where it must be installed."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) ontbreekt in CI; .ci/run hoort het te installeren")
    pytest.skip("LibreOffice (soffice) is niet geïnstalleerd; deze test draait in CI")


def need_uno_python() -> str:
    """A Python with LibreOffice's `uno` module (Debian: python3-uno); skip locally when absent, fail in CI."""
    import subprocess

    for exe in ("/usr/bin/python3", shutil.which("python3") or ""):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    if os.environ.get("CI") == "true":
        pytest.fail("python3-uno ontbreekt in CI; .ci/run hoort het te installeren")
    pytest.skip("python3-uno (LibreOffice UNO) is niet geïnstalleerd")


@pytest.fixture
def soffice() -> str:
    return need_soffice()


@pytest.fixture
def repo() -> Path:
    return REPO

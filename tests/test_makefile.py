"""The Makefile passes paths with spaces as one argument, passes options on, and explains missing arguments."""
from __future__ import annotations

import shlex
import shutil
import subprocess
import sys

import pytest

from builders import write_workbook

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is niet geïnstalleerd")


def _make(repo, *args: str, dry: bool = False) -> subprocess.CompletedProcess:
    # -o: never (re)build the virtual environment from a test; PY: the interpreter running the tests
    cmd = ["make", "-s", "-C", str(repo), "-o", ".venv/.installed", f"PY={sys.executable}"]
    if dry:
        cmd.append("-n")
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300)


def _argv(repo, target: str, *assignments: str) -> list[str]:
    """The pipeline command make would run for `target`, split the way the shell splits it."""
    out = _make(repo, target, *assignments, dry=True)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if " -m pipeline " in x)
    return shlex.split(line)


@pytest.mark.parametrize("target, assignment, option", [
    ("report", "INPUTS=NPO 2025/inputs", "--inputs"),
    ("report", "OUTPUTS=NPO 2025/outputs", "--outputs"),
    ("reply", "INPUTS=NPO 2025/inputs", "--inputs"),
    ("intake", "INPUTS=NPO 2025/inputs", "--inputs"),
])
def test_folders_with_spaces_are_one_argument(repo, target, assignment, option):
    argv = _argv(repo, target, assignment, "MAIL=mail met spatie")
    assert argv[argv.index(option) + 1] == assignment.split("=", 1)[1]


def test_intake_mail_folder_with_spaces_is_one_argument(repo):
    argv = _argv(repo, "intake", "MAIL=mail met spatie")
    assert "mail met spatie" in argv


def test_report_passes_options_on(repo):
    argv = _argv(repo, "report", "OPTIES=--geen-cache --geen-pdf")
    assert "--geen-cache" in argv and "--geen-pdf" in argv


def test_validate_a_workbook_with_spaces_in_its_name(repo, tmp_path):
    path = write_workbook(tmp_path / "map met spatie" / "2022-2023-1 tutoring.xlsx")
    out = _make(repo, "validate", f"FILE={path}")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_validate_without_file_says_how_to_call_it(repo):
    out = _make(repo, "validate")
    assert out.returncode != 0
    assert "make validate FILE=" in out.stderr
    assert "Traceback" not in out.stderr and "Usage" not in out.stderr

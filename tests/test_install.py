"""Installed like a Python tool: pinned runtime dependencies apart from the test tools, a console script, and
(in CI) a fresh install that runs."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import in_ci

DEV_TOOLS = {"pytest", "hypothesis", "mutmut", "pipx"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, _, version = line.partition("==")
            assert version, f"{path.name}: {line} is niet vastgezet"
            out[_norm(name)] = version
    return out


def _requirement_name(spec: str) -> str:
    return _norm(re.match(r"[A-Za-z0-9_.-]+", spec).group(0))


def test_the_runtime_lock_pins_every_dependency_and_no_test_tool(repo):
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _pins(repo / "requirements.lock")
    needed = {_requirement_name(d) for d in project["dependencies"]}
    assert needed <= set(runtime), f"niet vastgezet: {needed - set(runtime)}"
    assert not DEV_TOOLS & set(runtime)
    dev = _pins(repo / "requirements-dev.lock")
    assert {_requirement_name(d) for d in project["optional-dependencies"]["dev"]} <= set(dev)
    assert not set(dev) & set(runtime)  # the dev lock adds to the runtime lock, which it includes
    assert "-r requirements.lock" in (repo / "requirements-dev.lock").read_text(encoding="utf-8").splitlines()


def test_the_console_script_is_the_command_line(repo):
    scripts = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, function = scripts["npo-inhuur"].partition(":")
    out = subprocess.run([sys.executable, "-c", f"import sys; from {module} import {function}; sys.argv = ['npo-inhuur', '--help']; "
                          f"sys.exit({function}())"], capture_output=True, text=True, cwd=repo, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "npo-inhuur" in out.stdout and "report" in out.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is niet geïnstalleerd")
def test_make_report_on_a_fresh_clone_installs_no_test_tools(repo, tmp_path):
    venv = tmp_path / "venv"  # not there: make would create it
    run = lambda target: subprocess.run(["make", "-n", "-C", str(repo), f"VENV={venv}", target],  # noqa: E731
                                        capture_output=True, text=True, timeout=60)
    report, test = run("report"), run("test")
    assert report.returncode == 0 and test.returncode == 0, report.stderr + test.stderr
    commands = report.stdout.replace(str(venv), "VENV")  # the temporary folder's name has "pytest" in it
    assert "requirements.lock" in commands and "-m venv" in commands
    assert "requirements-dev.lock" not in commands and "[dev]" not in commands
    assert not any(t in commands for t in DEV_TOOLS)
    assert "requirements-dev.lock" in test.stdout


def test_a_fresh_pipx_install_runs_the_console_script(repo, tmp_path):
    """`pipx install` of the source at the versions of requirements.lock (the README's command), then npo-inhuur:
    the Word templates and data files must be inside the installed package. Only in CI (CI=true): it takes a
    minute and fetches the dependencies."""
    if not in_ci():
        pytest.skip("alleen in CI (CI=true): installeert het pakket met pipx in een nieuwe omgeving")
    source = tmp_path / "bron"  # a copy: building a package writes build/ beside its pyproject.toml
    for folder in ("pipeline", "templates"):
        shutil.copytree(repo / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for file in ("pyproject.toml", "requirements.lock"):
        shutil.copy(repo / file, source / file)
    home, bindir = tmp_path / "pipx", tmp_path / "bin"
    env = {**os.environ, "PIPX_HOME": str(home), "PIPX_BIN_DIR": str(bindir), "PIPX_MAN_DIR": str(tmp_path / "man")}
    env.pop("PIPX_DEFAULT_PYTHON", None)
    installed = subprocess.run([sys.executable, "-m", "pipx", "install", "--pip-args=--constraint requirements.lock", "."],
                               capture_output=True, text=True, timeout=900, cwd=source, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    tool = str(bindir / ("npo-inhuur.exe" if os.name == "nt" else "npo-inhuur"))
    helped = subprocess.run([tool, "--help"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert helped.returncode == 0 and "report" in helped.stdout, helped.stderr
    frozen = subprocess.run([sys.executable, "-m", "pipx", "runpip", "npo-inhuur", "freeze", "--exclude", "npo-inhuur"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert frozen.returncode == 0, frozen.stderr
    got = {_norm(n): v for n, _, v in (line.partition("==") for line in frozen.stdout.split())}
    assert got == _pins(repo / "requirements.lock")  # the figures of a year come from the versions that were pinned
    from tools import demo

    demo.generate(tmp_path / "inputs")
    made = subprocess.run([tool, "report", "--inputs", str(tmp_path / "inputs"), "--outputs", str(tmp_path / "outputs"),
                           "--geen-pdf"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert made.returncode in (0, 1), made.stdout + made.stderr  # 1: findings with errors, as on the demo board
    assert "Traceback" not in made.stderr
    assert sorted(p.name for p in (tmp_path / "outputs" / "mr").glob("*.docx"))
    assert not DEV_TOOLS & set(got)  # the tool brings no test tools

"""Shared fixtures: the LibreOffice switch and workbook builders."""
from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# the tests import their helpers (tests/) and tools/ from the checkout, also when started as `.venv/bin/pytest`
sys.path[:0] = [str(Path(__file__).parent), str(REPO)]


FOREIGN_ENV = "FOREIGN_SPREADSHEETS"  # a folder of foreign spreadsheets; else shared/foreign-spreadsheets beside the checkout
CORPUS = f"De map met vreemde spreadsheets (${FOREIGN_ENV} of shared/foreign-spreadsheets boven de checkout)"


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def absent(what: str, why_ci: str) -> None:
    """Something a test needs is missing: skip locally, fail in CI (CI=true), where `why_ci` says who should provide it."""
    if in_ci():
        pytest.fail(f"{what} ontbreekt in CI; {why_ci}")
    pytest.skip(f"{what} ontbreekt op deze machine; deze test draait in CI")


def need_soffice() -> str:
    """The soffice binary; skip locally when absent, fail in CI (CI=true) where it must be installed."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        absent("LibreOffice (soffice)", ".ci/run hoort het te installeren")
    return exe


def need_uno_python() -> str:
    """A Python with LibreOffice's `uno` module (Debian: python3-uno); skip locally when absent, fail in CI."""
    import subprocess

    for exe in ("/usr/bin/python3", shutil.which("python3") or ""):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    absent("python3-uno (LibreOffice UNO)", ".ci/run hoort het te installeren")


def find_foreign_corpus() -> Path | None:
    """The corpus of foreign spreadsheets: the folder named by $FOREIGN_SPREADSHEETS, else the first
    shared/foreign-spreadsheets in the checkout or a folder above it (CI clones beside a copy of shared/)."""
    named = os.environ.get(FOREIGN_ENV)
    if named:
        return Path(named) if Path(named).is_dir() else None
    for folder in (REPO, *REPO.parents):
        if (folder / "shared" / "foreign-spreadsheets").is_dir():
            return folder / "shared" / "foreign-spreadsheets"
    return None


def need_foreign_corpus() -> Path:
    """The corpus for a test that is about it: skip locally when absent, fail in CI."""
    found = find_foreign_corpus()
    if found is None:
        absent(CORPUS, "kopieer shared/ naast de checkout of zet $" + FOREIGN_ENV)
    return found


def foreign_corpus() -> Path | None:
    """The corpus for a test that also runs without it (locally it then checks its own files only);
    in CI its absence fails the test."""
    return need_foreign_corpus() if in_ci() else find_foreign_corpus()


# The test files that take longest (junit times of a clean clone's `make test`, 6 December 2026, 17:40), longest
# first: they are handed out first, so that the workers of `make test` (pytest-xdist, --dist loadfile
# --no-loadscope-reorder) run the short files last and end together. test_install runs in CI only (a pipx install).
# The other files keep their order, after these.
LONGEST_FIRST = ("test_rules.py", "test_pdf.py", "test_bench.py", "test_controle.py", "test_spawn.py", "test_badinput.py",
                 "test_install.py", "test_report.py", "test_reports.py", "test_xlsxmark.py", "test_controle_property.py",
                 "test_guards_controle.py", "test_reuse.py", "test_remark.py", "test_report_cli.py",
                 "test_guards_screen_jaarverslag.py", "test_register.py", "test_issue24_rest.py", "test_words.py",
                 "test_demo_figures.py", "test_reader.py", "test_roundtrip.py", "test_dossier.py",
                 "test_guards_screen_publish.py", "test_positions.py", "test_tables_add_up.py")


def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's tests stay together, in order


def once_per_file(maxsize: int):
    """Decorator: `read(path)` done once per file as written (same path, inode, modification time and size), for
    helpers that only read what they load: a test asks several of them about the same output, and each load of a
    whole workbook costs a tenth of a second or more."""
    def decorate(read):
        @functools.lru_cache(maxsize=maxsize)
        def cached(path: str, inode: int, mtime_ns: int, size: int):
            return read(path)

        @functools.wraps(read)
        def wrapper(path):
            stat = Path(path).stat()
            return cached(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
        return wrapper
    return decorate


@pytest.fixture
def soffice() -> str:
    return need_soffice()


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def _chart_store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("grafieken-gedeeld")


@pytest.fixture(autouse=True)
def shared_charts(request, _chart_store: Path, monkeypatch) -> None:
    """The documents' charts drawn once per test process. Drawing is a quarter of the suite's CPU (measured: 170 of
    680 s, mostly the demo board's twenty charts again in every report a test runs). A report run in a test finds a
    chart another test drew already in its output folder's chart cache, as the program finds a chart it kept from
    its previous run: same spec and code, same key (documents.chart_file), and documents.make_chart draws the same
    PNG byte for byte. Reports with --geen-cache and render_all without chart_dir draw every chart, as do tests marked
    eigen_grafieken (those about drawing and keeping charts)."""
    if request.node.get_closest_marker("eigen_grafieken"):
        return
    from pipeline.render import documents
    from pipeline.tempfiles import temp_beside

    real_file, real_render_all = documents.chart_file, documents.render_all

    def chart_file(spec: dict, folder: Path) -> Path:
        path = real_file(spec, folder)
        stored = _chart_store / path.name
        if not path.exists() and stored.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stored, path)
        return path

    def render_all(*args, chart_dir: Path | None = None, **kwargs):
        done = real_render_all(*args, chart_dir=chart_dir, **kwargs)
        if chart_dir is not None and Path(chart_dir).is_dir():
            for png in Path(chart_dir).rglob("*.png"):
                stored = _chart_store / png.name
                if not stored.exists():
                    part = temp_beside(stored)
                    shutil.copyfile(png, part)
                    os.replace(part, stored)
        return done

    monkeypatch.setattr(documents, "chart_file", chart_file)
    monkeypatch.setattr(documents, "render_all", render_all)

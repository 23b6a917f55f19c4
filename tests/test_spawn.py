"""The Windows code path on Linux: with every process started by spawn (NPO_START_METHOD=spawn), report (with PDFs
where LibreOffice is installed), validate and intake give the same outputs as the default path."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from pipeline.render import pdf
from tools import demo

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1730419200"  # 1 November 2024: both runs carry the same date


def _cli(*args: str, spawn: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("NPO_START_METHOD", None)
    if spawn:
        env["NPO_START_METHOD"] = "spawn"
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=1200)


def _fingerprint(path: Path) -> str:
    """What a file shows: a zip package (docx, xlsx) by its parts without document properties, else its bytes."""
    if zipfile.is_zipfile(path):
        return pdf.content_key(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _fingerprint(p) for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)}


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("spawn") / "inputs"
    demo.generate(inputs)
    return inputs


@pytest.fixture(scope="module")
def reports(board, tmp_path_factory):
    """The demo board reported twice: spawned with PDFs (when LibreOffice is there), by default without."""
    root = tmp_path_factory.mktemp("rapporten")
    spawned = _cli("report", "--inputs", str(board), "--outputs", str(root / "spawn"), "--geen-cache",
                   *(() if pdf.soffice_available() else ("--geen-pdf",)), spawn=True)
    default = _cli("report", "--inputs", str(board), "--outputs", str(root / "standaard"), "--geen-cache", "--geen-pdf",
                   spawn=False)
    return root, spawned, default


def test_report_spawned_gives_the_same_outputs(reports):
    root, spawned, default = reports
    assert "Traceback" not in spawned.stderr + default.stderr, spawned.stderr + default.stderr
    assert spawned.returncode == default.returncode, spawned.stdout + spawned.stderr
    a, b = _tree(root / "spawn", skip=("pdf/", "manifest.json", ".cache/")), _tree(root / "standaard", skip=("manifest.json", ".cache/"))
    assert a.keys() == b.keys()
    assert [rel for rel in a if a[rel] != b[rel]] == []
    ma, mb = (json.loads((root / d / "manifest.json").read_text(encoding="utf-8")) for d in ("spawn", "standaard"))
    for key in ("counts", "findings", "files", "ledger_files"):
        assert ma[key] == mb[key], key


def test_report_spawned_makes_every_pdf(reports):
    root, spawned, _ = reports
    if not pdf.soffice_available():
        from conftest import need_soffice

        need_soffice()  # skips here, fails in CI
    docs = sorted(p.stem for p in (root / "spawn").rglob("*.docx"))
    made = sorted(p.stem for p in (root / "spawn" / "pdf").glob("*.pdf"))
    assert docs and made == docs, spawned.stdout
    assert all(pdf.is_complete_pdf(p) for p in (root / "spawn" / "pdf").glob("*.pdf"))


def test_a_run_without_pdfs_keeps_the_pdfs_of_unchanged_documents(reports, board):
    """Issue: --geen-pdf deleted the PDFs of the previous run without a word."""
    root, _, _ = reports
    before = _tree(root / "spawn" / "pdf") if (root / "spawn" / "pdf").is_dir() else {}
    if not before:
        pytest.skip("geen PDF's in de vorige run (LibreOffice ontbreekt)")
    again = _cli("report", "--inputs", str(board), "--outputs", str(root / "spawn"), "--geen-cache", "--geen-pdf", spawn=False)
    assert "Traceback" not in again.stderr, again.stderr
    assert _tree(root / "spawn" / "pdf") == before
    manifest = json.loads((root / "spawn" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf"]["bewaard_van_vorige_run"] == len(before) and manifest["pdf"]["verwijderd"] == []
    assert {f"pdf/{name}" for name in before} <= set(manifest["outputs"])


def test_validate_spawned_gives_the_same_findings_and_marked_copy(board, tmp_path):
    workbook = next(p for p in sorted(board.glob("*/*.xlsx")))
    runs = {m: _cli("validate", str(workbook), "--outputs", str(tmp_path / m), spawn=m == "spawn") for m in ("spawn", "standaard")}
    assert runs["spawn"].returncode == runs["standaard"].returncode
    assert runs["spawn"].stdout.replace(str(tmp_path / "spawn"), "X") == runs["standaard"].stdout.replace(str(tmp_path / "standaard"), "X")
    assert _tree(tmp_path / "spawn") == _tree(tmp_path / "standaard")


def test_intake_spawned_stores_the_same_files(board, tmp_path):
    mails = tmp_path / "mails"
    mails.mkdir()
    distinct = {hashlib.sha256(p.read_bytes()).digest(): p for p in sorted(board.glob("*/*.xlsx"), reverse=True)}
    for i, workbook in enumerate(sorted(distinct.values())[:3]):  # the demo board e-mailed one workbook twice
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "ib@school.example", "inhuur@bestuur.example", f"werkboek {i}"
        msg["Date"], msg["Message-ID"] = "Tue, 01 Oct 2024 10:00:00 +0200", f"<m{i}@school.example>"
        msg.set_content("Zie bijlage.")
        msg.add_attachment(workbook.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=workbook.name)
        (mails / f"{i}.eml").write_bytes(msg.as_bytes())
    runs = {}
    for m in ("spawn", "standaard"):
        shutil.copy(board / "bestuur.xlsx", (tmp_path / m).mkdir() or tmp_path / m / "bestuur.xlsx")
        runs[m] = _cli("intake", str(mails), "--inputs", str(tmp_path / m), spawn=m == "spawn")
        assert "Traceback" not in runs[m].stderr, runs[m].stderr
    assert runs["spawn"].returncode == runs["standaard"].returncode == 0, runs["spawn"].stdout + runs["spawn"].stderr
    stored = [_tree(tmp_path / m, skip=("intake-log.xlsx",)) for m in ("spawn", "standaard")]
    assert stored[0] == stored[1] and len(stored[0]) == 4  # bestuur.xlsx and three workbooks
    assert (tmp_path / "spawn" / "intake-log.xlsx").is_file() and (tmp_path / "standaard" / "intake-log.xlsx").is_file()

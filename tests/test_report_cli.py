"""`report` and the command line as a finance employee meets them: wrong folders, rights, Ctrl-C, what to do next."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import write_workbook
from pipeline import cli, publish, run
from pipeline.cli import app
from pipeline.read import board as config
from pipeline.render import pdf as pdf_mod
from tools import demo

runner = CliRunner()
TODAY = date(2026, 11, 23)


def _board(tmp_path, *workbooks: str):
    inputs = tmp_path / "inputs"
    config.write(inputs / config.FILE_NAME, demo.BOARD)
    for i, name in enumerate(workbooks or ("12AB/inhuur.xlsx",), start=1):
        write_workbook(inputs / name, {"volgnummer": i})
    return inputs


def _report(inputs, outputs, *extra):
    return runner.invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf", *extra])


# --- 4. the fingerprint knows which optional stages could run ---------------------------------------

def test_fingerprint_changes_when_libreoffice_appears(tmp_path, monkeypatch):
    inputs = _board(tmp_path)
    monkeypatch.setattr(pdf_mod, "soffice_path", lambda: None)
    without = run.run_fingerprint(inputs, TODAY, run.output_options(True))
    monkeypatch.setattr(pdf_mod, "soffice_path", lambda: "/usr/bin/soffice")
    with_lo = run.run_fingerprint(inputs, TODAY, run.output_options(True))
    assert without != with_lo
    # without PDFs asked for, LibreOffice does not matter
    assert run.output_options(False) == run.output_options(False)


def test_pdfs_come_once_libreoffice_is_there(tmp_path, monkeypatch, soffice):
    inputs, outputs = _board(tmp_path), tmp_path / "outputs"
    args = ["report", "--inputs", str(inputs), "--outputs", str(outputs)]
    monkeypatch.setattr(pdf_mod, "soffice_path", lambda: None)
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert not (outputs / "pdf").exists()
    monkeypatch.undo()
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "Niets gewijzigd" not in second.output
    assert list((outputs / "pdf").glob("*.pdf"))


# --- 5. an output folder that cannot be written ------------------------------------------------------

@pytest.mark.parametrize("where", ["under_a_file", "is_a_file", "proc"])
def test_unwritable_outputs_are_refused_before_any_work(tmp_path, where, monkeypatch):
    """Tests run as root here, so no chmod: a path under a file, a file, and /proc (not writable for anyone)."""
    inputs = _board(tmp_path)
    blocker = tmp_path / "blokkade.txt"
    blocker.write_text("x")
    if where == "proc" and not os.path.isdir("/proc/self"):
        pytest.skip("no /proc")
    outputs = {"under_a_file": blocker / "uitvoer", "is_a_file": blocker, "proc": Path("/proc/self/npo-uitvoer")}[where]
    monkeypatch.setattr(run, "run", lambda *a, **k: pytest.fail("work started"))
    result = _report(inputs, outputs)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# --- 6. the published folder keeps the usual permissions ---------------------------------------------

def test_outputs_get_umask_permissions(tmp_path):
    inputs, outputs = _board(tmp_path), tmp_path / "outputs"
    old = os.umask(0o022)
    try:
        assert _report(inputs, outputs).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(outputs.stat().st_mode) == 0o755
    assert stat.S_IMODE((outputs / "register.xlsx").stat().st_mode) & 0o044 == 0o044


# --- 7. a wrong inputs folder is an error ------------------------------------------------------------

def test_missing_bestuur_is_an_error(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "inhuur.xlsx")
    result = _report(inputs, tmp_path / "outputs")
    assert result.exit_code == 2
    assert "bestuur.xlsx" in result.output
    assert not (tmp_path / "outputs").exists()


def test_empty_inputs_is_an_error(tmp_path):
    inputs = tmp_path / "inputs"
    config.write(inputs / config.FILE_NAME, demo.BOARD)
    result = _report(inputs, tmp_path / "outputs")
    assert result.exit_code == 2
    assert not (tmp_path / "outputs").exists()


def test_template_validate_and_demo_need_no_bestuur(tmp_path):
    assert runner.invoke(app, ["template", "--outputs", str(tmp_path / "t")]).exit_code == 0
    path = write_workbook(tmp_path / "los" / "inhuur.xlsx")
    assert runner.invoke(app, ["validate", str(path), "--outputs", str(tmp_path / "c")]).exit_code == 0
    from tools.__main__ import app as tools_app
    assert runner.invoke(tools_app, ["demo", "--inputs", str(tmp_path / "demo")]).exit_code == 0


# --- 8. findings on bestuur.xlsx come first -----------------------------------------------------------

def _spoil_setting(inputs, label: str, value):
    wb = load_workbook(inputs / config.FILE_NAME)
    ws = wb["Instellingen"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.cell(row, 2).value = value
    wb.save(inputs / config.FILE_NAME)
    return f"Instellingen!B{row}"


def test_bestuur_findings_are_printed_first_with_their_cell(tmp_path):
    inputs = _board(tmp_path)
    cell = _spoil_setting(inputs, "Termijn evaluatie na einddatum (maanden)", "drie")
    result = _report(inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert cell in result.output
    assert result.output.index(cell) < result.output.index("Samenvatting")


def test_a_typo_in_the_split_window_is_a_finding(tmp_path):
    inputs = _board(tmp_path)
    cell = _spoil_setting(inputs, "Venster samentellen opdrachten (A2)", "schoojaar")
    board, found = config.load(inputs / config.FILE_NAME)
    assert [(f.rule, f"{f.sheet}!{f.cell}") for f in found] == [("W4", cell)]


def test_a_typo_in_a_setting_label_is_a_finding(tmp_path):
    inputs = _board(tmp_path)
    wb = load_workbook(inputs / config.FILE_NAME)
    ws = wb["Instellingen"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Termijn evaluatie na einddatum (maanden)")
    ws.cell(row, 1).value = "Termijn evalutie na einddatum (maanden)"
    ws.cell(row, 2).value = 1
    wb.save(inputs / config.FILE_NAME)
    _, found = config.load(inputs / config.FILE_NAME)
    assert [(f.rule, f"{f.sheet}!{f.cell}") for f in found] == [("W4", f"Instellingen!A{row}")]


def test_jaarverslag_says_why_a_default_was_used(tmp_path):
    inputs = _board(tmp_path)
    cell = _spoil_setting(inputs, "Termijn evaluatie na einddatum (maanden)", "drie")
    board, _ = config.load(inputs / config.FILE_NAME)
    row = next(a for a in config.assumptions(board) if a["label"].startswith("Termijn evaluatie"))
    assert cell in row["default"] and "onleesbaar" in row["default"]
    outputs = tmp_path / "outputs"
    assert _report(inputs, outputs).exit_code == 0
    import docx

    doc = docx.Document(sorted(outputs.glob("jaarverslag-[0-9][0-9][0-9][0-9].docx"))[0])  # the report: its chapter 8
    texts = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any(cell in t for t in texts)


# --- 9. the terminal names what needs action ------------------------------------------------------------

def test_board_lock_files_are_skipped_not_rejected(tmp_path):
    inputs = _board(tmp_path)
    (inputs / "~$bestuur.xlsx").write_bytes(b"\x00" * 165)
    (inputs / "~$register.xlsx").write_bytes(b"\x00" * 165)
    data = run.run(inputs, workers=1, today=TODAY)
    lock = {f.file: f for f in data.files if f.file.startswith("~$")}
    assert set(lock) == {"~$bestuur.xlsx", "~$register.xlsx"}
    assert {f.status for f in lock.values()} == {"overgeslagen"}
    assert not [x for f in lock.values() for x in f.findings]


def test_summary_names_rejected_files_findings_per_school_and_next_step(tmp_path):
    inputs = _board(tmp_path, "12AB/goed.xlsx")
    (inputs / "14CD").mkdir()
    (inputs / "14CD" / "kapot werkboek.xlsx").write_bytes(b"PK\x03\x04 geen echte zip")
    write_workbook(inputs / "21GH" / "fout.xlsx", {"brin": "21GH", "volgnummer": 7}, unset=("leverancier_kvk",))
    result = _report(inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "14CD/kapot werkboek.xlsx" in out and "14CD CBS Het Kompas" in out
    assert "21GH Da Vinci College" in out  # findings per school
    assert "register.xlsx" in out and "Bevindingen" in out and "make reply" in out


def test_long_stages_are_announced(tmp_path, monkeypatch):
    inputs = _board(tmp_path)
    write_workbook(inputs / "14CD" / "fout.xlsx", {"brin": "14CD"}, unset=("leverancier_kvk",))
    data = run.run(inputs, workers=1, today=TODAY)
    seen, done = [], {}

    def stage(name, n):
        seen.append((name, n))
        return lambda k: done.__setitem__(name, done.get(name, 0) + k)

    publish.write_all(data, tmp_path / "outputs", pdf=False, stage=stage)
    names = [n for n, _ in seen]
    assert publish.STAGE_COPIES in names and publish.STAGE_DOCUMENTS in names
    out = tmp_path / "outputs"
    docs = len([p for p in out.rglob("*.docx") if not p.relative_to(out).parts[0].startswith(".")])  # not the reuse cache
    assert dict(seen)[publish.STAGE_DOCUMENTS] == docs == done[publish.STAGE_DOCUMENTS]  # every document reported done
    assert done[publish.STAGE_COPIES] == dict(seen)[publish.STAGE_COPIES] >= 1


# --- 11. validate, Ctrl-C, Dutch help ------------------------------------------------------------------

def test_validate_a_pdf_is_not_a_success(tmp_path):
    pdf = tmp_path / "offerte.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = runner.invoke(app, ["validate", str(pdf), "--outputs", str(tmp_path / "c")])
    assert result.exit_code != 0
    assert "geen werkboek" in result.output


def test_ctrl_c_is_one_dutch_line(tmp_path, monkeypatch, capsys):
    inputs = _board(tmp_path)

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "run", interrupted)
    code = cli.main(["report", "--inputs", str(inputs), "--outputs", str(tmp_path / "outputs"), "--geen-pdf"])
    captured = capsys.readouterr()
    assert code == 130
    assert cli.INTERRUPTED in captured.err
    assert "Traceback" not in captured.err + captured.out and "KeyboardInterrupt" not in captured.err


def test_help_is_dutch(tmp_path):
    env = {**os.environ, "COLUMNS": "200"}
    for args in ([], ["report", "--help"], ["validate", "--help"]):
        out = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        for english in ("Show this message", "Usage:", "Options", "Arguments", "[default", "<path>", "<bool>", "[OPTIONS]"):
            assert english not in out.stdout, (args, english)
        assert "Toon deze hulp" in out.stdout


def test_a_wrong_call_is_one_dutch_line():
    out = subprocess.run([sys.executable, "-m", "pipeline", "report", "--bestaat-niet"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "No such option" not in out.stderr
    assert "Onbekende optie" in out.stderr


def test_ctrl_c_during_a_real_run_leaves_the_previous_outputs(tmp_path):
    """SIGINT to the whole process group (as a terminal sends it): one line, no worker tracebacks."""
    import signal

    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    demo.generate(inputs)
    env = {**os.environ, "PYTHONPATH": str(cli.Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "report", "--inputs", str(inputs), "--outputs", str(outputs),
                             "--geen-pdf", "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in proc.stdout:
        if "Gemarkeerde kopieën" in line:  # reading is done, the documents are still to come
            break
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert err.strip() == cli.INTERRUPTED
    assert not (outputs / "manifest.json").exists() and not list(tmp_path.glob(".outputs-staging-*"))

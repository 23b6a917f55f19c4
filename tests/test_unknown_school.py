"""A workbook of a school that is not in bestuur.xlsx: a fout on the workbook, never in the board's figures."""
from __future__ import annotations

import json
from datetime import date

import polars as pl
from typer.testing import CliRunner

from builders import write_workbook
from pipeline import run
from pipeline.cli import app
from pipeline.read import board as config
from tools import demo

TODAY = date(2026, 11, 23)
STRANGER = [["Z-1", date(2022, 12, 31), 13000, 2730, "Tutoring"]]


def _inputs(tmp_path):
    inputs = tmp_path / "inputs"
    config.write(inputs / config.FILE_NAME, demo.BOARD)
    write_workbook(inputs / "12AB" / "eigen school.xlsx")
    write_workbook(inputs / "99ZZ" / "vreemde school.xlsx", {"brin": "99ZZ", "school_naam": "De Vreemde Eend"},
                   {"tblFacturen": STRANGER})
    return inputs


def test_unknown_brin_is_a_fout_and_not_counted(tmp_path):
    data = run.run(_inputs(tmp_path), workers=1, today=TODAY)
    files = {f.file: f for f in data.files}
    stranger = files["99ZZ/vreemde school.xlsx"]
    assert stranger.status == "afgewezen"
    w2 = [x for x in stranger.findings if x.rule == "W2"]
    assert w2 and w2[0].severity == "fout" and w2[0].cell  # at the BRIN cell
    assert files["12AB/eigen school.xlsx"].status == "gelezen"
    assert {h.get("brin") for h in data.hires} == {"12AB"}
    counted = data.invoices_df.filter(pl.col("geteld"))
    assert set(counted["brin"].to_list()) == {"12AB"}


def test_a_school_removed_from_bestuur_is_not_counted(tmp_path):
    inputs = _inputs(tmp_path)
    board = demo.BOARD.__class__(**{**demo.BOARD.__dict__, "schools": {k: v for k, v in demo.BOARD.schools.items() if k != "12AB"}})
    config.write(inputs / config.FILE_NAME, board)
    data = run.run(inputs, workers=1, today=TODAY)
    assert not data.hires
    assert {f.status for f in data.files} == {"afgewezen"}


def test_report_names_the_unknown_school_and_writes_no_mr_report_for_it(tmp_path):
    inputs, outputs = _inputs(tmp_path), tmp_path / "outputs"
    result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    assert "99ZZ" in result.output and "vreemde school.xlsx" in result.output
    assert not list((outputs / "mr").glob("99ZZ-*"))
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["file"] == "99ZZ/vreemde school.xlsx")
    assert entry["status"] == "afgewezen"
    assert (outputs / entry["marked_copy"]).is_file()  # the school still gets its marked workbook
    again = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"])
    assert "Niets gewijzigd" in again.output and "99ZZ/vreemde school.xlsx (99ZZ)" in again.output


def test_jaarverslag_summary_names_the_school_outside_the_board(tmp_path):
    import docx

    inputs, outputs = _inputs(tmp_path), tmp_path / "outputs"
    assert CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"]).exit_code == 0
    text = "\n".join(p.text for p in docx.Document(outputs / "jaarverslag-2022.docx").paragraphs)
    start = text.index("1. Samenvatting")
    chapter2 = text.index("\n2. ", start) + 1  # a chapter heading, not "regelset 2026.2." on the title page
    summary = text[start:chapter2]
    assert "99ZZ" in summary and "15.730,00" in summary  # 13.000 + 2.730 btw, not in the board's total
    assert "15.730,00" not in text[chapter2:]

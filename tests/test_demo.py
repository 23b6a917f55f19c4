"""The demo board: deterministic, and never deletes or overwrites a file it did not write."""
from __future__ import annotations

import hashlib

from typer.testing import CliRunner

from tools import demo
from tools.__main__ import app


def _tree(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_demo_matches_the_committed_board(repo, tmp_path):
    demo.generate(tmp_path / "inputs")
    assert _tree(tmp_path / "inputs") == _tree(repo / "inputs")


def test_demo_refuses_a_folder_with_foreign_files_and_keeps_them(tmp_path):
    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    (inputs / "99ZZ").mkdir()
    (inputs / "99ZZ" / "echt werkboek.xlsx").write_bytes(b"van de gebruiker")
    (inputs / "notities.txt").write_text("mijn aantekeningen")
    before = _tree(inputs)
    result = CliRunner().invoke(app, ["demo", "--inputs", str(inputs)])
    assert result.exit_code == 2, result.output
    assert "notities.txt" in result.output
    assert _tree(inputs) == before


def test_demo_does_not_overwrite_an_edited_demo_file(tmp_path):
    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    from openpyxl import load_workbook

    edited = inputs / "bestuur.xlsx"
    wb = load_workbook(edited)  # as a person would: open, change a cell, save
    wb["Bestuur"]["B1"] = "Onze eigen naam"
    wb.save(edited)
    before = _tree(inputs)
    result = CliRunner().invoke(app, ["demo", "--inputs", str(inputs)])
    assert result.exit_code == 2
    assert _tree(inputs) == before


def test_demo_again_over_its_own_board_is_fine(tmp_path):
    inputs = tmp_path / "inputs"
    result = CliRunner().invoke(app, ["demo", "--inputs", str(inputs)])
    assert result.exit_code == 0, result.output
    (inputs / "12AB" / "2022-2023-2 advies.xlsx").unlink()  # a demo file removed is written again
    (inputs / ".gitkeep").write_text("")
    result = CliRunner().invoke(app, ["demo", "--inputs", str(inputs)])
    assert result.exit_code == 0, result.output
    assert (inputs / "12AB" / "2022-2023-2 advies.xlsx").is_file() and (inputs / ".gitkeep").is_file()


def test_demo_keeps_an_unedited_copy_of_a_demo_workbook_saved_elsewhere(tmp_path):
    """Issue 24.1: a copy of a demo workbook at a path the demo does not write is the user's: kept, demo refuses."""
    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    (inputs / "99ZZ").mkdir()
    mine = inputs / "99ZZ" / "mijn werkboek.xlsx"
    mine.write_bytes((inputs / "12AB" / "2022-2023-2 advies.xlsx").read_bytes())
    before = _tree(inputs)
    result = CliRunner().invoke(app, ["demo", "--inputs", str(inputs)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "99ZZ/mijn werkboek.xlsx" in said and "make demo" in said
    assert _tree(inputs) == before


def test_demo_does_not_replace_a_demo_named_file_with_other_content(tmp_path):
    """A workbook at a demo path with other bytes (even one an earlier demo saved) is not the demo's to overwrite."""
    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    target = inputs / "12AB" / "2021-2022-1 tutoring.xlsx"
    target.write_bytes((inputs / "12AB" / "2022-2023-2 advies.xlsx").read_bytes())
    before = _tree(inputs)
    result = CliRunner().invoke(app, ["demo", "--inputs", str(inputs)])
    assert result.exit_code == 2, result.output
    assert _tree(inputs) == before

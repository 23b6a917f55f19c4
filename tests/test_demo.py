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


def test_demo_replaces_the_board_an_earlier_demo_wrote(tmp_path):
    """After the generator changed, its earlier files (fixed demo stamp) are its own: replaced, not refused."""
    from pipeline.read import board as config

    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    older = dict(demo.BOARD.__dict__)
    older["name"] = "Een oudere naam"
    config.write(inputs / config.FILE_NAME, demo.BOARD.__class__(**older))
    demo._normalise(inputs / config.FILE_NAME)
    (inputs / "12AB" / "weg in nieuwe versie.xlsx").write_bytes((inputs / "12AB" / "2022-2023-2 advies.xlsx").read_bytes())
    demo.generate(inputs)
    fresh = tmp_path / "fresh"
    demo.generate(fresh)
    assert _tree(inputs) == _tree(fresh)

"""The command line in-process: validate, template, docs; every command documented in the README."""
from __future__ import annotations

import re

from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import write_workbook
from pipeline.render import workbook as template
from pipeline.cli import app

runner = CliRunner()


def test_every_command_is_in_the_readme(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert commands
    for name in commands:
        assert re.search(rf"pipeline {name}\b|make {name}\b", readme), name


def test_template_command_writes_the_blank_workbook(tmp_path):
    result = runner.invoke(app, ["template", "--outputs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / template.file_name()).is_file()


def test_validate_clean_workbook_exits_zero(tmp_path):
    path = write_workbook(tmp_path / "goed.xlsx")
    result = runner.invoke(app, ["validate", str(path), "--outputs", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output


def test_validate_with_a_fout_exits_nonzero_and_writes_a_marked_copy(tmp_path):
    path = write_workbook(tmp_path / "fout.xlsx", unset=("leverancier_kvk",))
    before = path.read_bytes()
    result = runner.invoke(app, ["validate", str(path), "--outputs", str(tmp_path / "uit")])
    assert result.exit_code == 1, result.output
    assert "W3" in result.output
    marked = load_workbook(tmp_path / "uit" / "fout.xlsx")
    assert "Bevindingen" in marked.sheetnames
    assert path.read_bytes() == before


def test_validate_missing_file(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "weg.xlsx")])
    assert result.exit_code == 2


def test_docs_command_regenerates_the_catalogue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["docs"])
    assert result.exit_code == 0
    assert "| **A2**" in (tmp_path / "docs" / "regels.md").read_text(encoding="utf-8")


def test_a_wrong_value_and_an_unknown_command_are_answered_in_dutch(capsys):
    """24.13: `--workers twee` and `rapport` were answered in English."""
    from pipeline import cli

    for argv, dutch in ((["report", "--workers", "twee"], "geheel getal"), (["rapport"], "Bedoelt u 'report'?")):
        code = cli.main(argv)
        said = capsys.readouterr().err
        assert code == 2 and dutch in said, said
        assert not re.search(r"\b(Input should|Did you mean|valid integer)\b", said), said


def test_validate_names_the_board_file_and_reads_a_folder(tmp_path, repo):
    """24.13/15: `validate bestuur.xlsx` says it is the board's file; `validate <folder>` checks the workbooks in it."""
    result = runner.invoke(app, ["validate", str(repo / "inputs" / "bestuur.xlsx"), "--outputs", str(tmp_path / "c")])
    assert result.exit_code == 2 and "bestand van het bestuur" in " ".join(result.output.split())
    assert "werkboek_versie" not in result.output
    result = runner.invoke(app, ["validate", str(repo / "inputs" / "17EF"), "--outputs", str(tmp_path / "c")])
    assert "niet gevonden" not in result.output and "2022-2023-2 bso.xlsx" in result.output
    (tmp_path / "leeg").mkdir()
    result = runner.invoke(app, ["validate", str(tmp_path / "leeg")])
    assert result.exit_code == 2 and "geen werkboeken" in result.output

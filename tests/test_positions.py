"""Workbooks that lost their tables and/or defined names (re-saved by another program) are read by position."""
from __future__ import annotations

import re
from datetime import date
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builders import write_workbook
from conftest import need_soffice
from pipeline import run
from pipeline import spec as spec_mod
from pipeline.read import board as config
from pipeline.read import workbook as reader

S = spec_mod.load()


def strip(src: Path, dest: Path, *, names: bool, tables: bool) -> Path:
    """A copy of `src` without its defined names and/or its table parts, every cell left in place,
    as Google Sheets, Numbers or WPS can leave a workbook."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            name = item.filename
            if tables and name.startswith("xl/tables/"):
                continue
            if names and name == "xl/workbook.xml":
                data = re.sub(rb"<definedNames>.*?</definedNames>", b"", data, flags=re.S)
            if tables and name.startswith("xl/worksheets/_rels/"):
                data = re.sub(rb"<Relationship [^>]*/table\"[^>]*/>", b"", data)
            if tables and name.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<tableParts[^>]*>.*?</tableParts>|<tableParts[^>]*/>", b"", data, flags=re.S)
            if tables and name == "[Content_Types].xml":
                data = re.sub(rb"<Override PartName=\"/xl/tables/[^>]*/>", b"", data)
            zout.writestr(item, data)
    return dest


def values(hire) -> tuple[dict, dict]:
    fields = {k: (c.value, c.sheet, c.cell) for k, c in hire.fields.items()}
    tables = {name: [{k: (c.value, c.cell) for k, c in row.cells.items()} for row in rows] for name, rows in hire.tables.items()}
    return fields, tables


def located(findings) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.severity, f.sheet, f.cell) for f in findings)


@pytest.fixture
def original(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "origineel.xlsx")


@pytest.mark.parametrize("names, tables", [(True, False), (False, True), (True, True)], ids=["zonder-namen", "zonder-tabellen", "zonder-beide"])
def test_stripped_workbook_reads_the_same_values_by_position(original: Path, tmp_path: Path, names: bool, tables: bool) -> None:
    stripped = strip(original, tmp_path / "kaal.xlsx", names=names, tables=tables)
    st = reader.read_structure(stripped)
    assert (not st.names) == names and (not st.tables) == tables
    want, got = reader.read(original), reader.read(stripped)
    assert got.hire is not None
    assert values(got.hire) == values(want.hire)
    assert any(rows for rows in got.hire.tables.values())
    extra = [f for f in got.findings if (f.rule, f.sheet, f.cell, f.message) not in {(g.rule, g.sheet, g.cell, g.message) for g in want.findings}]
    assert located(extra) == [("W2", "info", S.instruction_sheet, spec_mod.VERSION_CELL)]
    lost = ("namen" in extra[0].message, "tabellen" in extra[0].message)
    assert lost == (names, tables)
    assert located(got.findings) == sorted(located(want.findings) + located(extra))


def test_rows_below_a_lost_table_are_still_read(tmp_path: Path) -> None:
    t = S.tables["tblFacturen"]
    src = write_workbook(tmp_path / "a.xlsx", below={"tblFacturen": [["F-99", "1-3-2023", 100, 21, "extra"]]})
    want = reader.read(src)
    got = reader.read(strip(src, tmp_path / "b.xlsx", names=True, tables=True))
    assert values(got.hire) == values(want.hire)
    assert ("W5", "info", t.sheet, f"A{t.last_row + 1}") in located(got.findings)


def test_a_changed_label_makes_a_lost_name_an_error(original: Path, tmp_path: Path) -> None:
    stripped = strip(original, tmp_path / "kaal.xlsx", names=True, tables=True)
    f, t = S.fields["contractwaarde"], S.tables["tblFacturen"]
    wb = load_workbook(stripped)
    wb[f.sheet].cell(row=f.row, column=spec_mod.LABEL_COL).value = "Budget"
    wb[t.sheet].cell(row=t.header_row, column=1).value = "Nummer"
    wb.save(tmp_path / "anders.xlsx")
    res = reader.read(tmp_path / "anders.xlsx")
    assert res.hire is not None
    errors = [(x.rule, x.severity, x.sheet) for x in res.findings if x.rule == "W2" and x.severity == "fout"]
    assert sorted(errors) == sorted([("W2", "fout", f.sheet), ("W2", "fout", t.sheet)])
    assert "contractwaarde" in " ".join(x.message for x in res.findings if x.rule == "W2")
    assert res.hire.tables["tblFacturen"] == []
    assert res.hire.get("brin") == reader.read(original).hire.get("brin")  # the rest is still read by position


def test_a_workbook_without_names_whose_version_label_is_gone_is_not_ours(original: Path, tmp_path: Path) -> None:
    stripped = strip(original, tmp_path / "kaal.xlsx", names=True, tables=False)
    wb = load_workbook(stripped)
    wb[S.instruction_sheet][spec_mod.VERSION_LABEL_CELL].value = "Iets anders"
    wb.save(tmp_path / "vreemd.xlsx")
    res = reader.read(tmp_path / "vreemd.xlsx")
    assert res.hire is None and [(f.rule, f.severity) for f in res.findings] == [("W2", "fout")]


def test_stripped_workbook_through_the_whole_read_stage(original: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    strip(original, inputs / "kaal.xlsx", names=True, tables=True)
    result = run.process_file(inputs / "kaal.xlsx", inputs, config.Board(), date(2024, 1, 1))
    assert result.status == "gelezen"
    assert [f for f in result.findings if f.rule == "W2"][0].severity == "info"


def test_ods_saved_by_libreoffice_is_refused_with_how_to_save_as_xlsx(original: Path, tmp_path: Path) -> None:
    """Decision: an .ods is not read (W1 says how to save it as .xlsx), also when calamine could read its cells."""
    exe = need_soffice()
    profile = tmp_path / "profiel"
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path / "ods"), str(original)], check=True, capture_output=True, timeout=300,
                   env={"HOME": str(profile), "PATH": "/usr/bin:/bin"})
    ods = tmp_path / "ods" / "origineel.ods"
    assert ods.is_file()
    result = run.process_file(ods, ods.parent, config.Board(), date(2024, 1, 1))
    assert result.status == "afgewezen"
    assert [f.rule for f in result.findings] == ["W1"]
    assert ".xlsx" in result.findings[0].message

"""The reader: Dutch spellings, positions, rows below tables, stray cells and foreign workbooks."""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from builders import write_workbook
from conftest import foreign_corpus, need_soffice, need_uno_python
from pipeline.read import workbook as reader
from pipeline import spec as spec_mod
from pipeline.render import workbook as template

S = spec_mod.load()


def rules_at(findings):
    return {(f.rule, f.sheet, f.cell) for f in findings}


def test_values_carry_sheet_and_cell(tmp_path):
    hire = reader.read(write_workbook(tmp_path / "a.xlsx")).hire
    c = hire.cell("contractwaarde")
    assert (c.sheet, c.cell) == (S.fields["contractwaarde"].sheet, S.fields["contractwaarde"].cell)
    row = hire.tables["tblFacturen"][0]
    t = S.tables["tblFacturen"]
    assert row.cells["BTW-bedrag"].cell == f"{t.column_letter('BTW-bedrag')}{t.first_row}"


@pytest.mark.parametrize("typed, expected", [
    ("€ 12.500,00", Decimal("12500.00")), ("12.500", Decimal("12500.00")), ("12500,5", Decimal("12500.50")),
    (12500, Decimal("12500.00")), ("€12.500", Decimal("12500.00")),
])
def test_dutch_amounts(tmp_path, typed, expected):
    res = reader.read(write_workbook(tmp_path / "a.xlsx", {"contractwaarde": typed}))
    assert res.hire.get("contractwaarde") == expected
    assert not [f for f in res.findings if f.rule == "W4"]


@pytest.mark.parametrize("typed", ["1-9-2022", "01-09-2022", date(2022, 9, 1), "2022-09-01", "1 september 2022"])
def test_dutch_dates(tmp_path, typed):
    res = reader.read(write_workbook(tmp_path / "a.xlsx", {"startdatum": typed}))
    assert res.hire.get("startdatum") == date(2022, 9, 1)


@pytest.mark.parametrize("typed", ["ja", "JA", "Ja", " ja "])
def test_yes_spellings(tmp_path, typed):
    assert reader.read(write_workbook(tmp_path / "a.xlsx", {"pnil": typed})).hire.get("pnil") == "Ja"


def test_unreadable_value_is_w4_at_its_cell(tmp_path):
    res = reader.read(write_workbook(tmp_path / "a.xlsx", {"startdatum": "begin september"}))
    f = S.fields["startdatum"]
    assert ("W4", f.sheet, f.cell) in rules_at(res.findings)


def test_required_empty_is_w3(tmp_path):
    res = reader.read(write_workbook(tmp_path / "a.xlsx", unset=("leverancier_kvk",)))
    f = S.fields["leverancier_kvk"]
    assert ("W3", f.sheet, f.cell) in rules_at(res.findings)


def test_rows_below_a_table_are_read_and_noted(tmp_path):
    extra = [["F-9", "15-8-2023", "1.000,00", "210,00", "nagekomen"]]
    res = reader.read(write_workbook(tmp_path / "a.xlsx", below={"tblFacturen": extra}))
    rows = res.hire.tables["tblFacturen"]
    assert [r.get("Factuurnummer") for r in rows] == ["F-1", "F-2", "F-9"]
    assert rows[-1].outside_table and rows[-1].get("Bedrag excl. BTW") == Decimal("1000.00")
    t = S.tables["tblFacturen"]
    assert ("W5", t.sheet, f"A{t.last_row + 1}") in rules_at(res.findings)


def test_stray_cell_is_reported(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    wb = load_workbook(path)
    wb["2 Voorbereiding"]["F9"] = "notitie van de IB'er"
    wb.save(path)
    assert ("W5", "2 Voorbereiding", "F9") in rules_at(reader.read(path).findings)


def test_text_typed_on_the_instruction_sheet_is_reported(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    wb = load_workbook(path)
    wb[S.instruction_sheet]["D30"] = "contactpersoon: juf Anna"
    wb.save(path)
    found = reader.read(path).findings
    assert ("W5", S.instruction_sheet, "D30") in rules_at(found)
    assert [f for f in found if f.rule == "W5"] == [f for f in found if f.cell == "D30"]


def test_foreign_workbook_is_w2(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "begroting"
    wb.save(tmp_path / "f.xlsx")
    res = reader.read(tmp_path / "f.xlsx")
    assert res.hire is None and [f.rule for f in res.findings] == ["W2"]


def test_unknown_version_is_w2(tmp_path):
    wb = template.build()
    template.fill(wb, {"werkboek_versie": "1999.9"})
    wb.save(tmp_path / "old.xlsx")
    res = reader.read(tmp_path / "old.xlsx")
    assert res.hire is None and res.findings[0].rule == "W2"


def test_missing_name_is_w2(tmp_path):
    wb = template.build()
    del wb.defined_names["budget"]
    wb.save(tmp_path / "a.xlsx")
    assert "W2" in {f.rule for f in reader.read(tmp_path / "a.xlsx").findings}


def test_structure_xml_with_a_dtd_is_refused_without_expanding_it(tmp_path):
    """Even past the safety checks, the reader's own XML parser refuses a DTD and never expands entities."""
    import zipfile

    src = write_workbook(tmp_path / "a.xlsx")
    bad = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                head, _, rest = data.decode("utf-8").partition("?>")
                data = (head + '?><!DOCTYPE workbook [<!ENTITY x "werkboek_versie">]>' + rest).encode("utf-8")
            zout.writestr(item, data)
    result = reader.read(bad)
    assert result.hire is None
    assert [f.rule for f in result.findings] == ["W1"]


def test_reading_never_modifies_the_input(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    before = path.read_bytes()
    reader.read(path)
    assert path.read_bytes() == before


# --- filled in LibreOffice Calc, not only by openpyxl ------------------------------------------------

def test_workbook_filled_in_libreoffice_calc(tmp_path):
    need_soffice()
    py = need_uno_python()
    blank = template.write(tmp_path / "blank.xlsx")
    values = {
        "names": {"brin": ["text", "14cd"], "school_naam": ["text", "CBS Het Kompas"], "schooljaar": ["text", "2022-2023"],
                  "volgnummer": ["number", 2], "versiedatum": ["text", "1-9-2022"], "contractwaarde": ["text", "€ 12.500,00"],
                  "startdatum": ["date", "2022-09-01"], "einddatum": ["text", "01-07-2023"], "pnil": ["text", "ja"],
                  "leverancier_kvk": ["number", 80012345]},
        "table_rows": {"tblFacturen": [[["text", "F-1"], ["text", "30-9-2022"], ["text", "1.250,50"], ["number", 262.61], ["text", "sept"]]],
                       "tblVragenlijst": [[["text", "Ja"], ["text", "past bij het schoolplan"]]]},
        "below": {"tblFacturen": [[["text", "F-100"], ["date", "2023-01-31"], ["number", 500], ["number", 105], ["text", "onder de tabel"]]]},
    }
    # tblVragenlijst rows start at column Nr; shift the answer into column Antwoord
    values["table_rows"]["tblVragenlijst"] = [[["number", 1], ["text", "Sluit de expertise ..."], ["text", "Ja"], ["text", "past bij het schoolplan"]]]
    vals = tmp_path / "values.json"
    vals.write_text(json.dumps(values), encoding="utf-8")
    out = tmp_path / "lo.xlsx"
    here = Path(__file__).parent / "lo_fill.py"
    subprocess.run([py, str(here), str(blank), str(out), str(vals)], check=True, timeout=300)
    res = reader.read(out)
    h = res.hire
    assert h.hire_id == "14CD-2022-2023-2"
    assert h.get("contractwaarde") == Decimal("12500.00")
    assert (h.get("versiedatum"), h.get("startdatum"), h.get("einddatum")) == (date(2022, 9, 1), date(2022, 9, 1), date(2023, 7, 1))
    assert h.get("pnil") == "Ja" and h.get("leverancier_kvk") == "80012345"
    rows = h.tables["tblFacturen"]
    assert [(r.get("Factuurnummer"), r.get("Bedrag excl. BTW"), r.outside_table) for r in rows] == [
        ("F-1", Decimal("1250.50"), False), ("F-100", Decimal("500.00"), True)]
    assert h.tables["tblVragenlijst"][0].get("Antwoord") == "Ja"
    assert "W4" not in {f.rule for f in res.findings}
    # and through the whole run, as `report` sees it
    from pipeline import run

    inputs = tmp_path / "inputs" / "14CD"
    inputs.mkdir(parents=True)
    shutil.copy(out, inputs / "lo.xlsx")
    data = run.run(inputs.parent, workers=1)
    inv = data.invoices_df
    assert sorted(inv["factuurnummer"].to_list()) == ["F-1", "F-100"]
    assert sum(inv["bedrag"].to_list()) == Decimal("1750.50")

    # and the school's own check before mailing
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["validate", str(out), "--outputs", str(tmp_path / "controle")])
    assert result.exit_code == 1  # required fields left empty in this partial fill: W3 is a fout
    assert "W3" in result.output and (tmp_path / "controle" / "lo.xlsx").is_file()


def test_structure_from_the_safety_pass_equals_structure_from_the_zip(tmp_path):
    """The parts the safety pass keeps give the reader exactly what reopening the zip gives."""
    from pipeline.read import safety

    paths = [write_workbook(tmp_path / "a.xlsx"), template.write(tmp_path / "blank.xlsx")]
    foreign = foreign_corpus()  # without it (only allowed outside CI) the test compares its own two workbooks
    if foreign:
        paths += sorted(p for p in foreign.iterdir() if p.suffix.lower() == ".xlsx")
    compared = 0
    for p in paths:
        verdict = safety.inspect(p)
        if not verdict.ok:
            continue
        try:
            expected = reader.read_structure(p)
        except Exception as exc:  # noqa: BLE001 - then the parts must fail as well
            with pytest.raises(type(exc)):
                reader.read_structure(p, verdict)
            continue
        assert reader.read_structure(p, verdict) == expected, p.name
        compared += 1
    assert compared >= 2

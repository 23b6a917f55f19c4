"""The Controle sheet: the workbook's own checks agree with the pipeline, computed by LibreOffice Calc."""
from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from builders import filled_values, good_answers, write_workbook
from conftest import need_soffice, need_uno_python
from controle_support import (S, cells_of, controle_rows, covered, live_messages, open_rules, pipeline_findings,
                              run_libreoffice)
from pipeline.read import workbook as reader
from pipeline.render import controle
from pipeline.render import workbook as template
from pipeline.rules import catalogue

# Functions Excel 2016 and LibreOffice Calc 7 both compute the same way; nothing newer (no LET, LAMBDA,
# FILTER, XLOOKUP, TEXTJOIN ...), no locale-dependent formats (TEXT, FIXED, DATEVALUE).
ALLOWED = {"AND", "OR", "NOT", "IF", "IFERROR", "ISLOGICAL", "ISNUMBER", "LEN", "TRIM", "SUBSTITUTE", "CHAR", "LOWER", "FIND", "LEFT",
           "MID", "RIGHT", "VALUE", "DATE", "DAY", "MONTH", "YEAR", "INT", "MOD", "ABS", "ROUND", "SUM", "SUMPRODUCT",
           "COUNTIF", "COUNTA", "ISERROR", "SMALL", "MAX", "MIN", "MATCH", "INDEX", "CHOOSE", "TRUE", "FALSE"}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return template.write(tmp_path_factory.mktemp("tpl") / template.file_name())


# --------------------------------------------------------------------------- the sheet as written


def test_controle_sheet_table_and_name(blank):
    wb = load_workbook(blank)
    ws = wb[controle.SHEET]
    ref = ws.tables[controle.TABLE].ref
    rows = list(ws[ref])
    assert [c.value for c in rows[0]] == list(controle.COLUMNS)
    ((sheet, coord),) = list(wb.defined_names[controle.OPEN_NAME].destinations)
    assert sheet == controle.SHEET and ws[coord.replace("$", "")].value.startswith("=COUNTIF(")
    rules = [r[0].value for r in rows[1:]]
    assert set(rules) == set(controle.COVERED)
    assert set(rules) <= set(catalogue.catalogue())
    assert all(str(r[4].value).startswith("=IF(") for r in rows[1:])
    assert ws.protection.sheet and not ws.protection.password
    assert wb.security.lockStructure and not wb.security.workbookPassword
    assert "controle_open" in wb[S.instruction_sheet][template.OPEN_CELL].value


def test_one_w3_row_per_required_field_generated_from_the_spec(blank):
    ws = load_workbook(blank)[controle.SHEET]
    rows = [(r[0].value, r[1].value, r[2].value) for r in ws[ws.tables[controle.TABLE].ref][1:]]
    expected = {("W3", f.sheet, f.cell) for f in S.fields.values() if f.required or f.required_when}
    assert {r for r in rows if r[0] == "W3"} == expected
    q1 = [r for r in rows if r[0] == "Q1"]
    assert len(q1) == len(S.questions)


def test_adding_a_required_field_adds_a_row():
    import tomllib
    from importlib import resources

    from pipeline import spec as spec_mod

    data = tomllib.loads(resources.files("pipeline").joinpath("data/werkboek.toml").read_text("utf-8"))
    data["sheets"][1]["fields"].append({"name": "extra_veld", "label": "Extra", "type": "text", "required": True})
    spec = spec_mod._parse(data)
    ws = template.build(spec)[controle.SHEET]
    cells = {(r[0].value, r[2].value) for r in ws[ws.tables[controle.TABLE].ref][1:]}
    assert ("W3", spec.fields["extra_veld"].cell) in cells


def test_only_functions_both_programs_have_and_no_macros(blank):
    wb = load_workbook(blank)
    used = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    text = re.sub(r'"[^"]*"', "", c.value)
                    used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", text))
                    assert "None" not in text, (ws.title, c.coordinate)  # a Python None leaked into a formula
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                for f in rule.formula:
                    used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", f)))
    assert used and used <= ALLOWED, used - ALLOWED
    with zipfile.ZipFile(blank) as zf:
        assert not [n for n in zf.namelist() if "vba" in n.lower()]


def test_marks_wait_until_the_sheet_is_started(blank):
    """Every conditional format on an input sheet is gated by that sheet's 'started' helper."""
    wb = load_workbook(blank)
    n = 0
    for sheet in S.sheets:
        for cf in wb[sheet.name].conditional_formatting:
            for rule in cf.rules:
                assert rule.formula[0].startswith("AND(Controle!"), rule.formula
                assert "None" not in rule.formula[0], rule.formula
                n += 1
    assert n > len(S.fields) // 2


def test_every_check_marks_its_input_cell(blank):
    """The place a row of tblControle names is coloured while that row is open: a mark on that sheet covers it."""
    wb = load_workbook(blank)
    ws = wb[controle.SHEET]
    for rule, sheet, cell, *_ in (tuple(c.value for c in row) for row in ws[ws.tables[controle.TABLE].ref][1:]):
        place = CellRange(cell)
        marks = [r for cf in wb[sheet].conditional_formatting for r in cf.sqref.ranges if not place.isdisjoint(r)]
        assert marks, (rule, sheet, cell)


RED, ORANGE = ("FFC7CE", "9C0006"), ("FFEB9C", "9C5700")  # look.COLOURS of fout and waarschuwing, written down


def _colours(rule) -> tuple[str | None, str | None]:
    fill = rule.dxf.fill.fgColor.rgb if rule.dxf.fill is not None and rule.dxf.fill.fill_type == "solid" else None
    font = rule.dxf.font.color.rgb if rule.dxf.font is not None and rule.dxf.font.color is not None else None
    return (fill[-6:] if fill else None), (font[-6:] if font else None)


def test_marks_have_their_severitys_colour_and_an_error_wins(blank):
    """An open check colours its input cell red (fout) or orange (waarschuwing), fill and text; where both apply the
    red one stops the others (stopIfTrue), so a warning never hides an error."""
    wb = load_workbook(blank)
    seen = []
    for sheet in S.sheets:
        for cf in wb[sheet.name].conditional_formatting:
            for rule in cf.rules:
                colours = _colours(rule)
                assert colours in (RED, ORANGE), (sheet.name, str(cf.sqref), colours)
                assert bool(rule.stopIfTrue) is (colours == RED), (sheet.name, str(cf.sqref))
                seen.append(colours)
    assert RED in seen and ORANGE in seen


def test_status_column_is_coloured_and_helper_columns_hidden(blank):
    ws = load_workbook(blank)[controle.SHEET]
    rules = {rule.formula[0]: (_colours(rule), rule.dxf.font.b) for cf in ws.conditional_formatting for rule in cf.rules}
    first = controle.HEADER_ROW + 1
    assert rules[f'E{first}="{controle.OPEN}"'] == (RED, True)  # the status 'open' in red, bold
    assert rules[f'E{first}="{controle.UNKNOWN}"'][0] == ORANGE
    last = controle.HEADER_ROW + len(list(ws[ws.tables[controle.TABLE].ref])) - 1
    ranges = {rule.formula[0]: str(cf.sqref) for cf in ws.conditional_formatting for rule in cf.rules}
    assert ranges[f'E{first}="{controle.OPEN}"'] == ranges[f'E{first}="{controle.UNKNOWN}"'] == f"E{first}:E{last}"
    assert ranges[f'$E{first}="{controle.OPEN}"'] == f"A{first}:D{last}"
    assert rules[f'$E{first}="{controle.OPEN}"'] == ((None, RED[1]), True)  # and the rest of its row in red text
    hidden = {get_column_letter(i) for d in ws.column_dimensions.values() if d.hidden for i in range(d.min, d.max + 1)}
    helpers = {*controle.FLAG_COLS, *controle.DATE_COLS, *controle.EURO_COLS, *controle.SCRATCH_COLS}
    assert helpers <= hidden and not hidden & set("ABCDEF")
    assert ws.freeze_panes == f"A{controle.HEADER_ROW + 1}"  # the header stays in view
    for c in ws[controle.HEADER_ROW][:len(controle.COLUMNS)]:  # white bold on dark blue: readable
        assert (c.fill.fill_type, c.fill.fgColor.rgb[-6:], c.font.color.rgb[-6:], c.font.b) == ("solid", "1F4E79", "FFFFFF", True)


@pytest.mark.parametrize("text", ["", 'de "school"', "x" * 250, "y" * 251 + '"' + "z" * 300])
def test_a_text_becomes_one_excel_string_of_short_literals(text):
    """Quotes doubled, at most 255 characters per literal (Excel's limit), joined with &: the text back unchanged."""
    formula = controle.lit(text)
    assert re.fullmatch(r'"(?:[^"]|"")*"(?:&"(?:[^"]|"")*")*', formula), formula
    pieces = re.findall(r'"((?:[^"]|"")*)"', formula)
    assert all(len(p) <= 255 for p in pieces)
    assert "".join(p.replace('""', '"') for p in pieces) == text


def test_reader_ignores_the_controle_sheet(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    res = reader.read(path)
    assert not [f for f in res.findings if f.sheet in (controle.SHEET, S.instruction_sheet)]


# --------------------------------------------------------------------------- computed by LibreOffice

def _fill(fields=None, tables=None, unset=()):
    return cells_of(*filled_values(fields, tables, unset))




# name -> (rule that must turn open, fields, tables, unset)
DEFECTS = {
    "w3_leeg": ("W3", {}, {}, ("school_naam",)),
    "w3_voorwaarde": ("W3", {}, {}, ("leraar_aanwezig",)),
    "q1_geen_antwoord": ("Q1", {}, {"tblVragenlijst": good_answers(q7=[None, None, None])}, ()),
    "q1_nvt": ("Q1", {}, {"tblVragenlijst": good_answers(q3=["n.v.t.", "x", None])}, ()),
    "q3_nee": ("Q3", {}, {"tblVragenlijst": good_answers(q3=["Nee", None, None])}, ()),
    "q4_kaal_ja": ("Q4", {}, {"tblVragenlijst": good_answers(q2=["ja", None, None])}, ()),
    "s1_na_contract": ("S1", {"mr_advies_gevraagd": "20-7-2022"}, {}, ()),
    "s1_leeg": ("S1", {}, {}, ("mr_advies_gevraagd",)),
    "s2_start_na_einde": ("S2", {"startdatum": "01-07-2023", "einddatum": "30-6-2023"}, {}, ()),
    "s2_offerte_na_contract": ("S2", {}, {"tblOffertes": [["Bureau", "80012345", 20000, "2022-08-01", "Ja"]]}, ()),
    "s2_evaluatie": ("S2", {"evaluatiedatum": date(2022, 8, 1)}, {}, ()),
    "p5_geen_einde": ("P5", {}, {}, ("einddatum",)),
    "p5_geen_deadline": ("P5", {}, {"tblResultaten": [["Doel", "Eindresultaat", None, "Toets", None]]}, ()),
    "a1_drempel": ("A1", {"contractwaarde": "€ 215.000,00", "procedure": "meervoudig  onderhands"},
                   {"tblFacturen": [["F-1", date(2022, 12, 31), "215.000", 0, "x"]]}, ()),
    "a4_meer": ("A4", {}, {"tblFacturen": [["F-1", "31-12-2022", "12.000,50", 2100, "a"], ["F-2", date(2023, 6, 30), 8000, 0, "b"]]}, ()),
    "v1_geen_vog": ("V1", {}, {"tblMedewerkers": [["Tutor AB", None, "Ja"]]}, ()),
    "v1_geen_medewerkers": ("V1", {}, {"tblMedewerkers": []}, ()),
}


# dates and amounts the formulas do not read: the pipeline reads the first two, refuses the last two (W4)
UNREADABLE = {
    "datum_voluit": {"startdatum": "1 september 2022"},
    "bedrag_punt": {"contractwaarde": "20000.5"},
    "datum_ongeldig": {"einddatum": "31-2-2023"},
    "bedrag_onzin": {"contractwaarde": "twintigduizend"},
    "datum_waar": {"startdatum": True},
    "bedrag_onwaar": {"contractwaarde": False},
}


BEYOND = ("factuur_eerste_rij_erna", "factuur_ver_onder")  # an invoice under the rows the formulas read


# A date the formulas cannot read in the input of one more rule: that rule says 'niet herkend', not 'in orde'
UNREADABLE_FOR = {
    "s1_adviesdatum_onleesbaar": ("S1", {"mr_advies_gevraagd": "half juli"}, {}),
    "s2_offertedatum_onleesbaar": ("S2", {}, {"tblOffertes": [["Bijlesbureau Slim Verder B.V.", "80012345", 20000, "zomer 2022", "Ja"]]}),
    "p5_deadline_onleesbaar": ("P5", {}, {"tblResultaten": [["Leerlingen halen hun einddoel", "Eindresultaat", "eind juni", "Toets", "Ja"]]}),
    "v1_vogdatum_onleesbaar": ("V1", {}, {"tblMedewerkers": [["Medewerker 1 (initialen AB)", "aangevraagd", "Ja"]]}),
}


def fillings() -> dict[str, list]:
    """Every filling this file types in LibreOffice, by name: the cells (also tools/mutants_controle_lo.py's)."""
    out = {"leeg": [], "goed": _fill()}
    out.update({name: _fill(fields, tables, unset) for name, (_, fields, tables, unset) in DEFECTS.items()})
    out.update({name: _fill(fields) for name, fields in UNREADABLE.items()})
    out.update({name: _fill(fields, tables) for name, (_, fields, tables) in UNREADABLE_FOR.items()})
    t = S.tables["tblFacturen"]
    first_unread = t.last_row + controle.HELPER_ROWS_BELOW + 1
    for name, row in zip(BEYOND, (first_unread, first_unread + 4)):  # still open for typing
        out[name] = _fill() + [[t.sheet, f"A{row}", "text", "F-9"], [t.sheet, f"C{row}", "number", 500000]]
    return out


@pytest.fixture(scope="module")
def computed(tmp_path_factory, blank) -> dict[str, Path]:
    """Every filling typed into the blank workbook in LibreOffice Calc through UNO, recalculated, saved."""
    need_soffice()
    py = need_uno_python()
    tmp = tmp_path_factory.mktemp("lo")
    jobs = fillings()
    batch = [{"in": str(blank), "out": str(tmp / f"{name}.xlsx"), "cells": cells} for name, cells in jobs.items()]
    run_libreoffice(py, batch, tmp)
    return {name: tmp / f"{name}.xlsx" for name in jobs}


def test_blank_workbook_opens_and_counts_what_the_pipeline_finds(computed):
    path = computed["leeg"]
    wb = load_workbook(path, data_only=True)
    n = sum(1 for r in controle_rows(path) if r[4] == controle.OPEN)
    assert wb[controle.SHEET]["F2"].value == n > 0
    assert wb[S.instruction_sheet][template.OPEN_CELL].value == f"Nog {n} punten open — zie tabblad Controle"
    assert open_rules(path) == covered(pipeline_findings(path))


def test_complete_correct_filling_shows_no_open_checks(computed):
    path = computed["goed"]
    rows = controle_rows(path)
    assert [r for r in rows if r[4] != controle.OK] == []
    assert load_workbook(path, data_only=True)[S.instruction_sheet][template.OPEN_CELL].value.startswith("Geen punten open")
    assert covered(pipeline_findings(path)) == set()


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_one_defect_turns_its_rule_open_as_the_pipeline_reports_it(computed, name):
    path = computed[name]
    rule = DEFECTS[name][0]
    found = open_rules(path)
    assert rule in found
    assert found == covered(pipeline_findings(path))
    assert not [r for r in controle_rows(path) if r[4] == controle.UNKNOWN]


# The rows that are not one per field or question: (rule, sheet, cell) -> what the closed row names, written down
SUBJECTS = {
    ("S1", "1 Verkenning", "B22"): "MR-advies vóór het contract",
    ("S2", "3 Keuze", "D12:D36"): "offertedatums ≤ datum contract getekend",
    ("S2", "4 Uitvoering", "B10"): "Datum contract getekend ≤ Startdatum opdracht",
    ("S2", "4 Uitvoering", "B8"): "Startdatum opdracht ≤ Einddatum opdracht",
    ("S2", "5 Evaluatie", "B5"): "Startdatum opdracht ≤ Datum evaluatie",
    ("P5", "4 Uitvoering", "B9"): "Einddatum opdracht",
    ("P5", "4 Uitvoering", "A22"): "resultaat met deadline",
    ("A1", "3 Keuze", "B5"): "Europese drempel",
    ("A4", "4 Uitvoering", "B5"): "gefactureerd ≤ contractwaarde",
    ("V1", "4 Medewerkers", "A5"): "medewerkers bij contact met leerlingen",
    ("V1", "4 Medewerkers", "B5:B32"): "VOG-datum bij contact met leerlingen",
}


def test_every_row_says_where_and_what_it_checks(computed):
    """Tabblad and Cel lead the school to the input; a closed row names the rule and what it checked there (the
    field's label, the question's number): the whole table written down, not taken from the code under test."""
    q = S.tables["tblVragenlijst"]
    column = {"Q1": "C", "Q3": "D", "Q4": "E"}
    expected = {}
    for f in S.fields.values():
        if f.required or f.required_when:
            expected["W3", f.sheet, f.cell] = f.label
    for nr in range(1, len(S.questions) + 1):
        for rule in ("Q1", "Q3") + (("Q4",) if nr in (2, 5, 6) else ()):
            expected[rule, q.sheet, f"{column[rule]}{q.first_row + nr - 1}"] = f"vraag {nr}"
    expected.update(SUBJECTS)
    rows = controle_rows(computed["goed"])
    got = {(r[0], r[1], r[2]): r[3] for r in rows}
    assert len(got) == len(rows)
    assert got == {key: f"{catalogue.catalogue()[key[0]].title}: {subject}" for key, subject in expected.items()}


def test_marks_wait_for_a_sheet_until_something_is_typed_on_it(computed):
    """The helper that gates a sheet's marks (test_marks_wait_until_the_sheet_is_started) is TRUE exactly on the sheets
    the filling typed on, fields or table rows: an empty workbook is not coloured red all over."""
    label, value = controle.SCRATCH_COLS
    for name in ("leeg", "goed"):
        ws = load_workbook(computed[name], data_only=True)[controle.SHEET]
        started = {ws[f"{label}{r}"].value.removeprefix("begonnen "): ws[f"{value}{r}"].value
                   for r in range(controle.HEADER_ROW + 1, ws.max_row + 1)
                   if str(ws[f"{label}{r}"].value).startswith("begonnen ")}
        typed = {sheet for sheet, *_ in fillings()[name]}
        assert started == {sh.name: sh.name in typed for sh in S.sheets if sh.fields or sh.table}, name


def test_melding_is_the_pipelines_message(computed):
    """Where a row is open, its Melding is word for word one of the pipeline's messages of that rule: under every
    defect and the empty workbook (a message that lost its figure or its text is a wrong live check)."""
    for name in ("leeg", *sorted(DEFECTS)):
        path = computed[name]
        messages = live_messages(pipeline_findings(path))
        for r in controle_rows(path):
            if r[4] == controle.OPEN:
                assert (r[0], r[3]) in messages, (name, r)


def test_values_pasted_over_the_formulas_read_the_same(computed, tmp_path):
    for name in ("goed", "a4_meer"):
        path = computed[name]
        pasted = tmp_path / f"{name}-waarden.xlsx"
        load_workbook(path, data_only=True).save(pasted)  # every formula replaced by its value
        before = [(f.rule, f.sheet, f.cell, f.message) for f in pipeline_findings(path)]
        after = [(f.rule, f.sheet, f.cell, f.message) for f in pipeline_findings(pasted)]
        assert after == before
        assert not [f for f in pipeline_findings(pasted) if f.rule == "W5"]


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_a_value_the_formulas_cannot_read_is_said_not_recognised(computed, name):
    """The checks that need it say 'niet herkend' and claim nothing; the rest still agrees with the pipeline."""
    path = computed[name]
    rows = controle_rows(path)
    unknown = {r[0] for r in rows if r[4] == controle.UNKNOWN}
    assert unknown & {"S2", "A1", "A4"}
    assert open_rules(path) <= covered(pipeline_findings(path))


@pytest.mark.parametrize("name", sorted(UNREADABLE_FOR))
def test_each_rule_says_not_recognised_for_a_date_it_cannot_read(computed, name):
    rule = UNREADABLE_FOR[name][0]
    path = computed[name]
    assert rule in {r[0] for r in controle_rows(path) if r[4] == controle.UNKNOWN}
    assert open_rules(path) <= covered(pipeline_findings(path))


def test_demo_board_workbooks_agree_with_the_pipeline(tmp_path, repo):
    """The demo board's workbooks (Dutch text amounts and dates, rows under tables), recalculated by LibreOffice."""
    need_soffice()
    py = need_uno_python()
    sources = sorted((repo / "inputs").glob("*/*.xlsx"))
    jobs = [{"in": str(p), "out": str(tmp_path / f"{i}.xlsx")} for i, p in enumerate(sources)]
    run_libreoffice(py, jobs, tmp_path)
    seen = set()
    for i, p in enumerate(sources):
        out = tmp_path / f"{i}.xlsx"
        found = open_rules(out)
        assert found == covered(pipeline_findings(p)), p.name
        assert not [r for r in controle_rows(out) if r[4] == controle.UNKNOWN], p.name
        seen |= found
    assert {"Q1", "Q4", "S1", "A1"} <= seen


@pytest.mark.parametrize("name", BEYOND)
def test_rows_typed_further_under_a_table_than_the_formulas_read(computed, name):
    """The reader still reads them (W5 info); the checks that sum the table say 'niet herkend' instead of 'in orde'."""
    path = computed[name]
    status = {(r[0], r[2]): r[4] for r in controle_rows(path)}
    assert status[("A4", S.fields["contractwaarde"].cell)] == controle.UNKNOWN
    assert status[("A1", S.fields["procedure"].cell)] == controle.UNKNOWN
    assert {"A1", "A4"} <= {f.rule for f in pipeline_findings(path)}
    assert open_rules(path) <= covered(pipeline_findings(path))


def test_board_with_the_social_services_regime_gets_its_threshold(tmp_path):
    """`template --bestuur` with the regime on: A1 opens at €750.000, as the pipeline does for that board."""
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.read import board as config

    need_soffice()
    py = need_uno_python()
    board = config.Board(settings=config.Settings(social_services_regime=True))
    config.write(tmp_path / "bestuur.xlsx", board)
    result = CliRunner().invoke(app, ["template", "--outputs", str(tmp_path / "uit"), "--bestuur", str(tmp_path / "bestuur.xlsx")])
    assert result.exit_code == 0, result.output
    blank_social = tmp_path / "uit" / template.file_name()
    fillings = {
        "onder": _fill({"contractwaarde": 300000, "procedure": "Meervoudig onderhands"}),
        "boven": _fill({"contractwaarde": "€ 750.000,00", "procedure": "Nationaal"}),
    }
    run_libreoffice(py, [{"in": str(blank_social), "out": str(tmp_path / f"{n}.xlsx"), "cells": c} for n, c in fillings.items()], tmp_path)
    for name, expect in (("onder", False), ("boven", True)):
        path = tmp_path / f"{name}.xlsx"
        assert ("A1" in open_rules(path)) is expect
        assert open_rules(path) == covered(pipeline_findings(path, board)), name

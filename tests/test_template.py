"""The blank workbook: every name and table of the data contract, dropdowns, protection, formats."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import spec as spec_mod
from pipeline.render import workbook as template

# DOMAIN.md §6: fixed names of the data contract
CONTRACT_NAMES = """werkboek_versie brin school_naam schooljaar volgnummer versiedatum leverancier_naam leverancier_kvk
soort_inhuur interventie interventie_f niveau behoefte startdatum einddatum contractwaarde uurtarief procedure pnil
contact_leerlingen persoonsgegevens verwerkersovereenkomst mr_advies_gevraagd mr_instemming_schoolprogramma gmr_instemming
contract_getekend ouders_geinformeerd evaluatiedatum kennisoverdracht leverancier_type in_schoolprogramma leraren_betrokken
mr_akkoord_bovenschools selectieteam_leraar selectieteam_ib afspraken_meerwerk leraar_aanwezig oordeel_samenwerking
opnieuw_inhuren""".split()
CONTRACT_TABLES = {
    "tblVragenlijst": ["Nr", "Vraag", "Antwoord", "Toelichting", "Bewijs"],
    "tblOffertes": ["Aanbieder", "KvK", "Bedrag excl. BTW", "Datum", "Gekozen"],
    "tblMedewerkers": ["Medewerker", "VOG-datum", "Contact met leerlingen"],
    "tblResultaten": ["Resultaat", "Soort", "Deadline", "Indicator", "Behaald"],
    "tblFacturen": ["Factuurnummer", "Factuurdatum", "Bedrag excl. BTW", "BTW-bedrag", "Omschrijving"],
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return template.write(tmp_path_factory.mktemp("tpl") / template.file_name())


def test_file_name_carries_version():
    assert template.file_name() == f"inhuurwerkboek-{spec_mod.load().version}.xlsx"


def test_every_contract_name_is_a_single_cell(blank):
    wb = load_workbook(blank)
    for name in CONTRACT_NAMES + list(spec_mod.load().fields):
        assert name in wb.defined_names, name
        dests = list(wb.defined_names[name].destinations)
        assert len(dests) == 1 and ":" not in dests[0][1], name


def test_version_name_holds_the_version(blank):
    wb = load_workbook(blank)
    ((sheet, coord),) = list(wb.defined_names["werkboek_versie"].destinations)
    assert wb[sheet][coord.replace("$", "")].value == spec_mod.load().version


def test_tables_and_columns_in_order(blank):
    wb = load_workbook(blank)
    found = {name: ws for ws in wb.worksheets for name in ws.tables}
    for name, columns in CONTRACT_TABLES.items():
        ws = found[name]
        ref = ws.tables[name].ref
        header = ws[ref][0]
        assert [c.value for c in header] == columns


def test_questionnaire_prefilled(blank):
    s = spec_mod.load()
    t = s.tables["tblVragenlijst"]
    ws = load_workbook(blank)[t.sheet]
    assert [ws.cell(row=t.first_row + i, column=1).value for i in range(11)] == list(range(1, 12))
    assert ws.cell(row=t.first_row, column=2).value.startswith("Sluit de expertise")


def test_choice_fields_have_dropdowns_and_every_field_a_prompt(blank):
    s = spec_mod.load()
    wb = load_workbook(blank)
    for f in s.fields.values():
        ws = wb[f.sheet]
        dvs = [dv for dv in ws.data_validations.dataValidation if f.cell in dv.sqref]
        assert dvs, f.name
        assert dvs[0].prompt, f.name
        if f.type == "choice" or f.list:
            assert dvs[0].type == "list", f.name


def test_menukaart_items_in_the_dropdown_list(blank):
    wb = load_workbook(blank)
    values = {c.value for row in wb["Lijsten"].iter_rows() for c in row if c.value}
    for code in "ABCDEF":
        assert any(str(v).startswith(f"{code}: ") for v in values), code


def test_protection_labels_locked_inputs_open(blank):
    s = spec_mod.load()
    wb = load_workbook(blank)
    for f in s.fields.values():
        ws = wb[f.sheet]
        assert ws.protection.sheet and not ws.protection.password
        assert ws[f.cell].protection.locked is f.locked, f.name  # locked: filled by the board (bron_administratie)
        assert ws.cell(row=f.row, column=1).protection.locked is not False, f.name


def test_number_formats(blank):
    s = spec_mod.load()
    wb = load_workbook(blank)
    assert "€" in wb[s.fields["contractwaarde"].sheet][s.fields["contractwaarde"].cell].number_format
    assert wb[s.fields["startdatum"].sheet][s.fields["startdatum"].cell].number_format == "DD-MM-YYYY"


def test_cells_below_tables_are_open_for_typing(blank):
    s = spec_mod.load()
    t = s.tables["tblFacturen"]
    ws = load_workbook(blank)[t.sheet]
    assert ws.cell(row=t.last_row + 5, column=1).protection.locked is False


def test_adding_a_field_is_a_spec_edit(tmp_path):
    """A field added to the spec data appears in the blank workbook and is read back."""
    import tomllib
    from importlib import resources

    from pipeline.read import workbook as reader

    data = tomllib.loads(resources.files("pipeline").joinpath("data/werkboek.toml").read_text("utf-8"))
    data["sheets"][1]["fields"].append({"name": "extra_veld", "label": "Extra", "type": "euro", "help": "test"})
    spec = spec_mod._parse(data)
    wb = template.build(spec)
    template.fill(wb, {"extra_veld": "1.234,50", "werkboek_versie": spec.version}, spec=spec)
    path = tmp_path / "x.xlsx"
    wb.save(path)
    hire = reader.read(path, spec=spec).hire
    assert str(hire.get("extra_veld")) == "1234.50"

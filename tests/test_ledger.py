"""The ledger: exports of several finance systems read alike, the Grootboek settings, matching and L1–L4."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from builders import write_workbook
from pipeline import aggregate, run
from pipeline.read import board as config
from pipeline.read import ledger as reader
from pipeline.read.workbook import sha256_of
from pipeline.rules import ledger as matching
from tools import demo

TODAY = date(2026, 11, 23)
SETTINGS = config.LedgerSettings(selections=[config.Selection("44*", "", 0)], cost_centres={"112": "12AB", "114": "14CD"})

# The same three lines as five finance systems export them: an NPO invoice split over two lines, and a line on
# a non-NPO account. Expected after reading: (date, account, supplier name, invoice number, amount).
EXPECTED = [
    (date(2022, 11, 30), "4410", "Bijlesbureau Slim Verder B.V.", "SV-2022-301", Decimal("1234.56")),
    (date(2022, 11, 30), "4420", "Bijlesbureau Slim Verder B.V.", "SV-2022-301", Decimal("-100.00")),
]
AFAS = ("Boekdatum;Rekening;Kostenplaats;Project;Crediteur;Naam crediteur;Factuurnummer;Omschrijving;Bedrag debet;Bedrag credit\r\n"
        "30-11-2022;4410;112;NPO;20001;Bijlesbureau Slim Verder B.V.;SV-2022-301;Tutoring één;1.234,56;\r\n"
        "30-11-2022;4420;112;NPO;20001;Bijlesbureau Slim Verder B.V.;SV-2022-301;Korting;;100,00\r\n"
        "30-11-2022;4350;112;;30001;Schoonmaak Glans;GL-1;Schoonmaak;500,00;\r\n")
EXACT_ONLINE = ("Datum,Grootboekrekening,Kostenplaats,Project,Relatie,Naam relatie,Uw ref.,Omschrijving,Bedrag\n"
                "2022-11-30,4410,112,NPO,20001,Bijlesbureau Slim Verder B.V.,SV-2022-301,Tutoring,1234.56\n"
                "2022-11-30,4420,112,NPO,20001,Bijlesbureau Slim Verder B.V.,SV-2022-301,Korting,-100.00\n"
                "2022-11-30,4350,112,,30001,Schoonmaak Glans,GL-1,Schoonmaak,500.00\n")
FMUTA = ("Datum;Reknr;Kstplcode;Crednr;Faktuurnr;Oms25;Bedrag\n"
         "30112022;4410;112;20001;SV-2022-301;Tutoring;1234,56\n"
         "30112022;4420;112;20001;SV-2022-301;Korting;100,00-\n"
         "30112022;4350;112;30001;GL-1;Schoonmaak;500,00\n")
FMUTA_RELATIONS = "Crednr;Naam;KvK-nummer\n020001;Bijlesbureau Slim Verder B.V.;80012345\n30001;Schoonmaak Glans;\n"
UNIT4 = ("Datum\tGrootboek\tKostenplaats\tKostendrager\tRelatie\tRelatienaam\tFactuurnr\tOmschrijving\tDebet\tCredit\n"
         "30-11-2022\t4410\t112\tNPO\t20001\tBijlesbureau Slim Verder B.V.\tSV-2022-301\tTutoring\t1.234,56\t\n"
         "30-11-2022\t4420\t112\tNPO\t20001\tBijlesbureau Slim Verder B.V.\tSV-2022-301\tKorting\t\t100,00\n"
         "30-11-2022\t4350\t112\t\t30001\tSchoonmaak Glans\tGL-1\tSchoonmaak\t500,00\t\n")
VISMA_ROWS = [["Boekingsdatum", "Grootboek", "Kostenplaats", "Leveranciersnummer", "Leverancier", "Factuurnr", "Omschrijving", "Debet", "Credit"],
              [date(2022, 11, 30), 4410, 112, 20001, "Bijlesbureau Slim Verder B.V.", "SV-2022-301", "Tutoring", 1234.56, None],
              [date(2022, 11, 30), 4420, 112, 20001, "Bijlesbureau Slim Verder B.V.", "SV-2022-301", "Korting", None, 100],
              [date(2022, 11, 30), 4350, 112, 30001, "Schoonmaak Glans", "GL-1", "Schoonmaak", 500, None]]


def _write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _place(inputs: Path, variant: str) -> None:
    folder = inputs / reader.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    if variant == "afas-cp1252":
        (folder / "afas.csv").write_bytes(AFAS.encode("cp1252"))
    elif variant == "exact-online-utf8-bom":
        (folder / "exact.csv").write_bytes(b"\xef\xbb\xbf" + EXACT_ONLINE.encode("utf-8"))
    elif variant == "exact-globe-fmuta":
        (folder / "FMUTA.csv").write_text(FMUTA, encoding="cp1252")
        (folder / "crediteuren.csv").write_text(FMUTA_RELATIONS, encoding="cp1252")
    elif variant == "unit4-tab":
        (folder / "unit4.csv").write_text(UNIT4, encoding="utf-8")
    elif variant == "visma-xlsx":
        _write_xlsx(folder / "visma.xlsx", VISMA_ROWS)


@pytest.mark.parametrize("variant", ["afas-cp1252", "exact-online-utf8-bom", "exact-globe-fmuta", "unit4-tab", "visma-xlsx"])
def test_exports_of_each_system_read_to_the_same_lines(tmp_path, variant):
    _place(tmp_path, variant)
    ledger, board_findings = reader.load(tmp_path, SETTINGS, sha256_of)
    assert board_findings == []
    assert {f.status for f in ledger.files} == {"gelezen"}
    assert [x for f in ledger.files for x in f.findings] == []
    got = ledger.lines.sort("regel").select("datum", "rekening", "crediteur_naam", "factuurnummer", "bedrag").rows()
    assert got == EXPECTED
    assert ledger.lines["brin"].to_list() == ["12AB", "12AB"]
    assert ledger.all_lines == 3  # the non-NPO line was read, then left out
    if variant == "exact-globe-fmuta":
        assert ledger.lines["kvk"].to_list() == ["80012345", "80012345"]  # from the relations export


def test_an_unrecognised_export_is_rejected_and_the_run_goes_on(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "inhuur-1.xlsx", {"volgnummer": 1})
    (inputs / reader.FOLDER).mkdir(parents=True)
    (inputs / reader.FOLDER / "onbekend.csv").write_text("Kolom A;Kolom B\n1;2\n", encoding="utf-8")
    data = run.run(inputs, workers=1, today=TODAY)
    assert {f.file: f.status for f in data.files} == {"12AB/inhuur-1.xlsx": "gelezen"}
    [export] = data.ledger_files
    assert export.status == "afgewezen"
    assert [(x.rule, x.file, x.cell) for x in export.findings] == [("L1", "grootboek/onbekend.csv", "regel 1")]
    assert "Kolom A" in export.findings[0].message  # names what it found
    assert data.reconciliation_df is None  # nothing read, nothing compared: no L2 for every invoice


def test_columns_mapped_in_bestuur_xlsx_are_used(tmp_path):
    folder = tmp_path / reader.FOLDER
    folder.mkdir()
    (folder / "eigen.csv").write_text("Dag;GB;KP;Lev;Stuk;Euro\n30-11-2022;4410;112;Slim Verder;SV-1;1.000,00\n", encoding="utf-8")
    settings = config.LedgerSettings(columns={"datum": "Dag", "rekening": "GB", "kostenplaats": "KP", "crediteur_naam": "Lev",
                                              "factuurnummer": "Stuk", "bedrag": "Euro"},
                                     selections=SETTINGS.selections, cost_centres=SETTINGS.cost_centres)
    ledger, _ = reader.load(tmp_path, settings, sha256_of)
    assert ledger.lines.select("factuurnummer", "bedrag", "brin").rows() == [("SV-1", Decimal("1000.00"), "12AB")]


def test_an_unreadable_amount_is_a_finding_with_its_line(tmp_path):
    folder = tmp_path / reader.FOLDER
    folder.mkdir()
    (folder / "a.csv").write_text("Datum;Rekening;Kostenplaats;Crediteur;Factuurnummer;Bedrag\n"
                                  "30-11-2022;4410;112;1;A-1;1.000,00\n30-11-2022;4410;112;1;A-2;veel\n", encoding="utf-8")
    ledger, _ = reader.load(tmp_path, SETTINGS, sha256_of)
    [f] = ledger.files[0].findings
    assert (f.rule, f.file, f.cell) == ("W4", "grootboek/a.csv", "regel 3")
    assert ledger.lines["factuurnummer"].to_list() == ["A-1"]


def _board_with_ledger_sheet(tmp_path: Path, cost_rows: list[list], selection_rows: list[list]) -> Path:
    board = config.Board(schools={"12AB": config.School("12AB", "A", "bo"), "14CD": config.School("14CD", "B", "bo")}, from_file=True)
    path = config.write(tmp_path / config.FILE_NAME, board)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Grootboek"]
    rows = list(ws.iter_rows(values_only=True))
    sel_head = next(i for i, r in enumerate(rows, 1) if r[0] and str(r[0]).startswith(config.TITLE_SELECTION)) + 1
    cost_head = next(i for i, r in enumerate(rows, 1) if r[0] == config.TITLE_COST_CENTRES) + 1
    for i, r in enumerate(cost_rows, start=cost_head + 1):
        ws.cell(i, 1, r[0]), ws.cell(i, 2, r[1])
    ws.insert_rows(sel_head + 1, len(selection_rows))
    for i, r in enumerate(selection_rows, start=sel_head + 1):
        ws.cell(i, 1, r[0]), ws.cell(i, 2, r[1])
    wb.save(path)
    return path


def test_grootboek_sheet_is_read_and_its_mistakes_have_a_cell(tmp_path):
    path = _board_with_ledger_sheet(tmp_path, [["112", "12AB"], ["100", "bovenschools"], ["112", "14CD"], ["119", "99ZZ"]], [["44*", "NPO"]])
    board, found = config.load(path)
    assert [(s.account, s.project) for s in board.ledger.selections] == [("44*", "NPO")]
    assert board.ledger.cost_centres == {"112": "12AB", "100": "bovenschools"}
    # rows: 1-4 the options, 6-7 title and headings of the columns (16 items), 25 title, 26 headings, 27 the selection,
    # 29 title, 30 headings, 31-34 the cost centres
    assert [(f.rule, f.file, f.sheet, f.cell) for f in found] == [
        ("W4", "bestuur.xlsx", "Grootboek", "B33"),  # 112 a second time, for another school
        ("W4", "bestuur.xlsx", "Grootboek", "B34"),  # a BRIN not on the sheet Scholen
    ]


def test_a_ledger_without_npo_selection_is_a_finding_on_bestuur_xlsx(tmp_path):
    _place(tmp_path, "afas-cp1252")
    ledger, found = reader.load(tmp_path, config.LedgerSettings(cost_centres={"112": "12AB"}), sha256_of)
    assert [(f.rule, f.file, f.sheet) for f in found] == [("W3", "bestuur.xlsx", "Grootboek")]
    assert ledger.lines.is_empty() and not ledger.present  # no L2 on every invoice for want of a setting


def _lines(*rows) -> pl.DataFrame:
    """Ledger lines: (line, supplier number, name, kvk, invoice, description, amount, brin)."""
    data = [{"file": "grootboek/g.csv", "regel": r[0], "datum": date(2023, 3, 1), "rekening": "4410", "kostenplaats": "1",
             "project": "NPO", "crediteur": r[1], "crediteur_naam": r[2], "kvk": r[3], "factuurnummer": r[4],
             "omschrijving": r[5], "bedrag": Decimal(r[6]), "brin": r[7]} for r in rows]
    return pl.DataFrame(data, schema=reader.LINES_SCHEMA)


def _invoices(*rows) -> pl.DataFrame:
    """Workbook invoices: (file, brin, supplier name, kvk, invoice, amount)."""
    from pipeline.aggregate import INVOICE_SCHEMA

    data = [{"file": r[0], "hire_id": r[0][:4] + "-1", "brin": r[1], "niveau": "School", "leverancier_naam": r[2], "leverancier_kvk": r[3],
             "factuurnummer": r[4], "factuurdatum": date(2023, 3, 1), "bedrag": Decimal(r[5]), "sheet": "Facturen", "cell": "C5"} for r in rows]
    return pl.DataFrame(data, schema=INVOICE_SCHEMA, strict=False)


def test_split_lines_are_summed_and_a_credit_note_is_netted_with_the_invoice_it_names():
    lines = _lines((2, "7", "Slim Verder BV", None, "SV-0100", "deel 1", "600.00", "12AB"),
                   (3, "7", "Slim Verder BV", None, "SV-0100", "deel 2", "500.00", "12AB"),
                   (9, "7", "Slim Verder BV", None, "CN-9", "Creditnota op factuur SV 100", "-100.00", "12AB"),
                   (11, "7", "Slim Verder BV", None, "CN-10", "Creditnota zonder verwijzing", "-50.00", "12AB"))
    rec = matching.reconcile(lines, _invoices(("12AB/a.xlsx", "12AB", "Slim Verder B.V.", None, "sv 100", "1000.00")))
    # 600 + 500 - 100 = 1000: equal to the workbook to the cent
    assert rec.select("status", "factuurnummer", "bedrag_grootboek", "grootboek_regels").rows() == [
        ("geen werkboek", "CN-10", Decimal("-50.00"), "11"),
        ("gekoppeld", "sv 100", Decimal("1000.00"), "2, 3, 9"),
    ]


def test_kvk_decides_before_the_name_and_a_misspelt_name_still_matches():
    lines = _lines((2, "1", "Totaal Andere Naam", "80012345", "A-1", "", "100.00", "12AB"),
                   (3, "2", "Onderwijs Advies Kompasroos", None, "K-1", "", "200.00", "12AB"))
    inv = _invoices(("12AB/a.xlsx", "12AB", "Slim Verder", "80012345", "A-1", "100.00"),
                    ("12AB/b.xlsx", "12AB", "Onderwijsadvies Kompasroos", None, "K-1", "200.00"))
    assert matching.reconcile(lines, inv)["status"].to_list() == ["gekoppeld", "gekoppeld"]


def test_l1_to_l4_statuses():
    lines = _lines((2, "1", "A", None, "A-1", "", "100.00", "12AB"),   # matches
                   (3, "1", "A", None, "A-2", "", "101.00", "12AB"),   # amount differs
                   (4, "1", "A", None, "A-3", "", "100.00", "14CD"),   # another school's cost centre
                   (5, "2", "B", None, "B-1", "", "70.00", "12AB"))    # no workbook
    inv = _invoices(("12AB/a.xlsx", "12AB", "A", None, "A-1", "100.00"), ("12AB/a.xlsx", "12AB", "A", None, "A-2", "100.00"),
                    ("12AB/a.xlsx", "12AB", "A", None, "A-3", "100.00"), ("12AB/a.xlsx", "12AB", "A", None, "A-4", "100.00"))
    rec = matching.reconcile(lines, inv)
    assert dict(rec.select("factuurnummer", "status").rows()) == {
        "A-1": "gekoppeld", "A-2": "bedrag wijkt af", "A-3": "andere school", "A-4": "niet in grootboek", "B-1": "geen werkboek"}
    assert rec.filter(pl.col("factuurnummer") == "A-2")["verschil"].to_list() == [Decimal("1.00")]


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("demo") / "inputs"
    demo.generate(inputs)
    return run.run(inputs, workers=1, today=TODAY)


def test_demo_board_has_exactly_one_finding_of_each_l_rule_where_planted(demo_data):
    got = sorted((f.rule, f.file, f.sheet, f.cell) for f in run.iter_findings(demo_data) if f.rule.startswith("L"))
    l1 = demo_data.reconciliation_df.filter(pl.col("leverancier") == demo.L1_SUPPLIER[1])["grootboek_regels"].to_list()
    assert got == [
        ("L1", demo.LEDGER_FILE, "", "regel " + ", ".join(l1)),
        ("L2", "14CD/2023-2024-1 sport.xlsx", "Facturen", "C6"),
        ("L3", "17EF/2022-2023-2 bso.xlsx", "Facturen", "C6"),
        ("L4", "14CD/2022-2023-1 extra handen.xlsx", "Facturen", "C9"),
    ]


def test_demo_ledger_ignores_non_npo_lines_and_totals_add_up(demo_data):
    rec = demo_data.reconciliation_df
    assert "GL-2023-02" not in rec["factuurnummer"].to_list()  # cleaning, booked on the NPO project but not an NPO account
    assert "SV-2023-055" not in rec["factuurnummer"].to_list()  # same supplier, regular budget
    # the ledger's NPO total equals the sum over the Aansluiting, to the cent
    assert rec["bedrag_grootboek"].sum() == demo_data.ledger_df["bedrag"].sum()
    # the L1 gap by hand: 3.150,00 + 2.850,00
    assert rec.filter(pl.col("status") == "geen werkboek")["bedrag_grootboek"].sum() == Decimal("6000.00")


def test_volledigheid_totals_equal_the_ledger_to_the_cent(demo_data):
    from pipeline.render.jaarverslag import jaarverslag_context
    from pipeline.render.context import euro

    lines = demo_data.ledger_df
    for year in range(2021, 2026):
        c = jaarverslag_context(demo_data, year)
        booked = lines.filter(pl.col("datum").dt.year() == year)["bedrag"].sum()
        assert c["volledigheid_totaal"]["grootboek"] == euro(booked), year
    assert jaarverslag_context(demo_data, 2024)["volledigheid_totaal"]["geen_werkboek"] == euro(Decimal("2850.00"))


def test_bench_ledger_gives_back_exactly_the_planted_gaps(tmp_path):
    from tools import ledgerbench

    r = ledgerbench.run(200, 3000, tmp_path, seed=2)
    p, s = r["geplant"], r["statussen"]
    assert r["regels"] == 3000
    assert (s.get("geen werkboek", 0), s.get("niet in grootboek", 0), s.get("bedrag wijkt af", 0), s.get("andere school", 0)) == (
        p["L1"], p["L2"], p["L3"], p["L4"])
    assert s["gekoppeld"] == r["facturen_werkboeken"] - p["L2"] - p["L3"] - p["L4"]


def test_a_ledger_invoice_two_workbooks_claim_counts_once_in_the_totals():
    lines = _lines((2, "1", "A", None, "A-1", "", "100.00", "12AB"))
    inv = _invoices(("12AB/a.xlsx", "12AB", "A", None, "A-1", "100.00"), ("12AB/b.xlsx", "12AB", "A", None, "A-1", "100.00"))
    rec = matching.reconcile(lines, inv)
    assert rec["status"].to_list() == ["gekoppeld", "gekoppeld"]
    assert matching.completeness(rec).select("grootboek", "verantwoord").rows() == [(Decimal("100.00"), Decimal("100.00"))]


def test_a_bovenschools_invoice_may_be_booked_at_any_school_that_pays_for_it_but_not_elsewhere():
    from pipeline.aggregate import INVOICE_SCHEMA

    lines = _lines((2, "1", "A", None, "A-1", "", "300.00", "14CD"),   # a participating school: fine
                   (3, "1", "A", None, "A-2", "", "300.00", "17EF"),   # a school that does not pay for it: L4
                   (4, "1", "A", None, "A-3", "", "300.00", "bovenschools"))  # the board's own cost centre: fine
    # one invoice of 300.00 split 200.00 / 100.00 over 12AB (the workbook's school) and 14CD, as run.run builds it
    split = [{"file": "12AB/b.xlsx", "hire_id": "12AB-1", "brin": brin, "brin_werkboek": "12AB", "niveau": "Bovenschools",
              "leverancier_naam": "A", "factuurnummer": nr, "factuurdatum": date(2023, 3, 1), "bedrag": Decimal(part),
              "btw": Decimal(0), "totaal": Decimal(part), "aandeel": Decimal(share), "factuur_id": f"12AB/b.xlsx!Facturen!C{row}",
              "sheet": "Facturen", "cell": f"C{row}"}
             for row, nr in ((5, "A-1"), (6, "A-2"), (7, "A-3"))
             for brin, part, share in (("12AB", "200.00", "0.6667"), ("14CD", "100.00", "0.3333"))]
    inv = aggregate.whole_invoices(pl.DataFrame(split, schema=INVOICE_SCHEMA, strict=False))
    assert inv["betalers"].to_list() == [["12AB", "14CD"]] * 3
    assert inv["bedrag"].to_list() == [Decimal("300.00")] * 3
    rec = matching.reconcile(lines, inv)
    assert dict(rec.select("factuurnummer", "status").rows()) == {"A-1": "gekoppeld", "A-2": "andere school", "A-3": "gekoppeld"}


def test_l4_for_a_bovenschools_hire_booked_at_a_school_that_does_not_pay_for_it(tmp_path):
    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    ledger = next((inputs / "grootboek").glob("*.csv"))
    text = ledger.read_bytes().decode("cp1252")
    # KR-1301 to 14CD (pays 35 %): fine; KR-1388 to 17EF (not on tblDeelnemers): L4
    text = text.replace(";100;NPO;20002;Onderwijs Advies Kompasroos;KR-1301;", ";114;NPO;20002;Onderwijs Advies Kompasroos;KR-1301;")
    text = text.replace(";100;NPO;20002;Onderwijs Advies Kompasroos;KR-1388;", ";117;NPO;20002;Onderwijs Advies Kompasroos;KR-1388;")
    ledger.write_bytes(text.encode("cp1252"))
    data = run.run(inputs, workers=1, today=TODAY)
    l4 = sorted((f.file, f.sheet, f.cell) for f in run.iter_findings(data) if f.rule == "L4")
    assert l4 == [("14CD/2022-2023-1 extra handen.xlsx", "Facturen", "C9"), ("21GH/2022-2023-2 bovenschools.xlsx", "Facturen", "C6")]
    message = next(f.message for f in run.iter_findings(data) if f.rule == "L4" and f.file.startswith("21GH"))
    assert "12AB, 14CD, 21GH" in message

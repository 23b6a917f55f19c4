"""Issue 23, matching (DOMAIN §7b): each numbered observation of the issue reproduced and now right."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

from builders import write_workbook
from pipeline import dutch, rules, run
from pipeline.aggregate import INVOICE_SCHEMA
from pipeline.read import board as config
from pipeline.read import ledger as reader
from pipeline.read.workbook import sha256_of
from pipeline.rules import ledger as matching

TODAY = date(2026, 11, 23)
HEAD = "Boekdatum;Rekening;Kostenplaats;Project;Crediteur;Naam crediteur;KvK;Factuurnummer;Omschrijving;Bedrag\n"


def _lines(*rows, brin="12AB") -> pl.DataFrame:
    """Ledger lines: (line, supplier number, name, kvk, invoice, description, amount[, brin])."""
    data = [{"file": "grootboek/g.csv", "regel": r[0], "datum": date(2023, 3, 1), "rekening": "4410", "kostenplaats": "1",
             "project": "NPO", "crediteur": r[1], "crediteur_naam": r[2], "kvk": r[3], "factuurnummer": r[4],
             "omschrijving": r[5], "bedrag": Decimal(r[6]), "brin": r[7] if len(r) > 7 else brin} for r in rows]
    return pl.DataFrame(data, schema=reader.LINES_SCHEMA)


def _invoices(*rows) -> pl.DataFrame:
    """Workbook invoices: (file, brin, supplier name, kvk, invoice, amount excl.[, btw])."""
    data = [{"file": r[0], "hire_id": r[0][:4] + "-1", "brin": r[1], "niveau": "School", "leverancier_naam": r[2], "leverancier_kvk": r[3],
             "factuurnummer": r[4], "factuurdatum": date(2023, 3, 1), "bedrag": Decimal(r[5]),
             "btw": Decimal(r[6]) if len(r) > 6 else Decimal(0), "totaal": Decimal(r[5]) + (Decimal(r[6]) if len(r) > 6 else 0),
             "sheet": "Facturen", "cell": f"C{5 + i}", "factuur_id": f"{r[0]}!Facturen!C{5 + i}"} for i, r in enumerate(rows)]
    return pl.DataFrame(data, schema=INVOICE_SCHEMA, strict=False)


def _status(rec: pl.DataFrame) -> dict[str, str]:
    return dict(rec.select("factuurnummer", "status").rows())


# ---------------------------------------------------------------------------- unit level: the reconciliation

def test_6_an_unrelated_credit_note_never_cancels_an_invoice_without_workbook():
    lines = _lines((2, "9", "Onbekend BV", None, "X-1", "Inhuur", "2000.00"), (3, "9", "Onbekend BV", None, "X-CR", "correctie", "-2000.00"),
                   (4, "7", "Slim Verder", None, "A-1", "", "100.00"))
    rec = matching.reconcile(lines, _invoices(("12AB/a.xlsx", "12AB", "Slim Verder", None, "A-1", "100.00")))
    assert _status(rec) == {"X-1": "geen werkboek", "X-CR": "geen werkboek", "A-1": "gekoppeld"}
    ctx = rules.BoardContext(board=config.Board(), hires=[], counted=[], invoices=pl.DataFrame(), allocations=pl.DataFrame(),
                             version_dates={}, reconciliation=rec)
    l1 = matching.not_in_workbooks(ctx)
    assert sorted((f.rule, f.cell) for f in l1) == [("L1", "regel 2"), ("L1", "regel 3")]


def test_7_an_invoice_and_its_credit_note_as_two_workbook_lines_match_as_booked():
    lines = _lines((2, "7", "Slim Verder BV", None, "F-100", "Inhuur", "10000.00"),
                   (3, "7", "Slim Verder BV", None, "F-100-C", "Creditnota op factuur F-100", "-1000.00"))
    inv = _invoices(("12AB/a.xlsx", "12AB", "Slim Verder B.V.", None, "F-100", "10000.00"),
                    ("12AB/a.xlsx", "12AB", "Slim Verder B.V.", None, "F-100-C", "-1000.00"))
    assert _status(matching.reconcile(lines, inv)) == {"F-100": "gekoppeld", "F-100-C": "gekoppeld"}


def test_7_a_workbook_that_nets_the_credit_note_matches_the_invoice_it_names():
    lines = _lines((2, "7", "Slim Verder BV", None, "F-100", "Inhuur", "10000.00"),
                   (3, "7", "Slim Verder BV", None, "F-100-C", "Creditnota op factuur F-100", "-1000.00"))
    rec = matching.reconcile(lines, _invoices(("12AB/a.xlsx", "12AB", "Slim Verder B.V.", None, "F-100", "9000.00")))
    assert rec.select("factuurnummer", "status", "bedrag_grootboek", "koppeling").rows() == [
        ("F-100", "gekoppeld", Decimal("9000.00"), matching.CREDIT_NETTED)]


def test_8_different_kvk_numbers_are_different_suppliers_whatever_the_names():
    lines = _lines((2, "1", "Slim Verder BV", "99999999", "A-1", "", "100.00"))
    rec = matching.reconcile(lines, _invoices(("12AB/a.xlsx", "12AB", "Slim Verder B.V.", "80012345", "A-1", "100.00")))
    assert sorted(rec["status"].to_list()) == ["geen werkboek", "niet in grootboek"]


def test_8_oost_and_west_are_different_suppliers_but_a_spelling_variant_is_the_same():
    lines = _lines((2, "1", "Onderwijsbureau West", None, "A-1", "", "100.00"),
                   (3, "2", "Stichting Onderwijs-Advies Kompasroos", None, "K-1", "", "200.00"),
                   (4, "3", "Bijlesburo Slim Verder", None, "S-1", "", "300.00"))
    inv = _invoices(("12AB/a.xlsx", "12AB", "Onderwijsbureau Oost", None, "A-1", "100.00"),
                    ("12AB/b.xlsx", "12AB", "Onderwijs Advies Kompasroos", None, "K-1", "200.00"),
                    ("12AB/c.xlsx", "12AB", "Bijlesbureau Slim Verder B.V.", None, "S-1", "300.00"))
    rec = matching.reconcile(lines, inv)
    assert sorted(rec.select("factuurnummer", "status").rows()) == [
        ("A-1", "geen werkboek"), ("A-1", "niet in grootboek"), ("K-1", "gekoppeld"), ("S-1", "gekoppeld")]
    assert not matching.same_name("onderwijsbureauoost", "onderwijsbureauwest")
    assert not matching.same_name("bureau1", "bureau2")


def test_9_an_invoice_split_over_two_schools_belongs_to_each_for_its_part():
    lines = _lines((2, "1", "A", None, "A-1", "", "6000.00", "12AB"), (3, "1", "A", None, "A-1", "", "4000.00", "14CD"))
    rec = matching.reconcile(lines, _invoices(("12AB/a.xlsx", "12AB", "A", None, "A-1", "10000.00")))
    assert rec.select("status", "bedrag_andere_school").rows() == [("andere school", Decimal("4000.00"))]
    per_school = dict(matching.completeness(rec).select("brin_grootboek", "grootboek").rows())
    assert per_school == {"12AB": Decimal("6000.00"), "14CD": Decimal("4000.00")}
    from pipeline.model import Hire

    ctx = rules.BoardContext(board=config.Board(), hires=[], counted=[], invoices=pl.DataFrame(), allocations=pl.DataFrame(),
                             version_dates={}, reconciliation=rec)
    (l4,) = matching.other_school(ctx)
    assert (l4.rule, l4.file, l4.cell) == ("L4", "12AB/a.xlsx", "C5")
    assert dutch.format_euro(Decimal("4000")) in l4.message
    assert Hire  # the plain model is importable for the context


def test_10_an_invoice_without_number_matches_on_supplier_date_and_amount():
    lines = _lines((2, "1", "A", None, "A-1", "", "750.00"), (3, "1", "A", None, "A-2", "", "900.00"))
    rec = matching.reconcile(lines, _invoices(("12AB/a.xlsx", "12AB", "A", None, None, "900.00")))
    assert sorted(rec.select("status", "koppeling").rows(), key=str) == [
        ("geen werkboek", None), ("gekoppeld", matching.BY_DATE_AMOUNT)]


def test_11_a_ledger_that_books_gross_amounts():
    lines = _lines((2, "1", "A", None, "A-1", "", "12100.00"))
    inv = _invoices(("12AB/a.xlsx", "12AB", "A", None, "A-1", "10000.00", "2100.00"))
    assert _status(matching.reconcile(lines, inv)) == {"A-1": "gekoppeld"}
    assert _status(matching.reconcile(lines, inv, vat=config.VAT_INCL)) == {"A-1": "gekoppeld"}
    assert _status(matching.reconcile(lines, inv, vat=config.VAT_EXCL)) == {"A-1": "bedrag wijkt af"}
    assert matching.reconcile(lines, inv)["grootboek_btw"].to_list() == ["incl. btw"]


# ---------------------------------------------------------------------------- run level: a small board

def _board(inputs: Path, vat: str = config.VAT_AUTO) -> None:
    board = config.Board(name="Test", schools={"12AB": config.School("12AB", "OBS De Regenboog", "bo"),
                                               "14CD": config.School("14CD", "CBS Het Kompas", "bo")},
                         ledger=config.LedgerSettings(selections=[config.Selection("44*", "NPO", 0)],
                                                      cost_centres={"112": "12AB", "114": "14CD"}, vat=vat), from_file=True)
    config.write(inputs / config.FILE_NAME, board)


def _ledger_file(inputs: Path, rows: list[str]) -> None:
    folder = inputs / reader.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export.csv").write_text(HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")


def _hire(inputs: Path, name: str, volgnummer: int, invoices: list[list], **fields) -> None:
    write_workbook(inputs / "12AB" / name, {"volgnummer": volgnummer, **fields}, {"tblFacturen": invoices})


def test_5_the_same_invoice_in_two_workbooks_is_l5_on_both_and_counts_once(tmp_path):
    inputs = tmp_path / "inputs"
    _board(inputs)
    _hire(inputs, "1 tutoring.xlsx", 1, [["F-1", date(2022, 12, 31), 10000, 2100, "Tutoring"], ["F-2", date(2023, 6, 30), 10000, 2100, "Tutoring"]])
    _hire(inputs, "2 tutoring.xlsx", 2, [["F-1", date(2022, 12, 31), 10000, 2100, "Tutoring"]])
    _ledger_file(inputs, ["31-12-2022;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;F-1;Tutoring;10.000,00",
                          "30-06-2023;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;F-2;Tutoring;10.000,00"])
    data = run.run(inputs, workers=1, today=TODAY)
    l5 = sorted((f.rule, f.file, f.cell) for f in run.iter_findings(data) if f.rule == "L5")
    assert l5 == [("L5", "12AB/1 tutoring.xlsx", "C5"), ("L5", "12AB/2 tutoring.xlsx", "C5")]
    counted = data.invoices_df.filter(pl.col("geteld"))
    assert counted["bedrag"].sum() == Decimal("20000.00")  # F-1 once, F-2 once
    assert set(data.reconciliation_df["status"].to_list()) == {"gekoppeld"}
    assert not [f for f in run.iter_findings(data) if f.rule in ("L1", "L2", "L3")]
    from pipeline.render.jaarverslag import jaarverslag_context

    assert jaarverslag_context(data, 2022)["volledigheid_tekst"].startswith("Alle NPO-uitgaven")


def test_10_a_workbook_invoice_without_number_is_w3_at_its_cell_and_still_matches(tmp_path):
    inputs = tmp_path / "inputs"
    _board(inputs)
    _hire(inputs, "1 tutoring.xlsx", 1, [[None, date(2022, 12, 31), 10000, 2100, "Tutoring"]])
    _ledger_file(inputs, ["31-12-2022;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;SV-77;Tutoring;10.000,00"])
    data = run.run(inputs, workers=1, today=TODAY)
    assert [(f.rule, f.sheet, f.cell) for f in run.iter_findings(data) if f.rule == "W3" and f.sheet == "Facturen"] == [("W3", "Facturen", "A5")]
    assert not [f for f in run.iter_findings(data) if f.rule in ("L1", "L2")]
    assert data.reconciliation_df["koppeling"].to_list() == [matching.BY_DATE_AMOUNT]


def test_12_a2_counts_what_the_board_buys_of_the_supplier_outside_npo(tmp_path):
    inputs = tmp_path / "inputs"
    _board(inputs)
    _hire(inputs, "1 tutoring.xlsx", 1, [["F-1", date(2022, 12, 31), 75000, 0, "Tutoring"], ["F-2", date(2023, 6, 30), 75000, 0, "Tutoring"]],
          contractwaarde=150000)
    _ledger_file(inputs, ["31-12-2022;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;F-1;Tutoring;75.000,00",
                          "30-06-2023;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;F-2;Tutoring;75.000,00",
                          "15-03-2023;4300;112;;1;Bijlesbureau Slim Verder BV;80012345;R-1;Bijles regulier budget;80.000,00"])
    data = run.run(inputs, workers=1, today=TODAY)
    a2 = [f for f in run.iter_findings(data) if f.rule == "A2"]
    assert [(f.file, f.cell) for f in a2] == [("12AB/1 tutoring.xlsx", a2[0].cell)] and a2[0].cell
    assert dutch.format_euro(Decimal("80000")) in a2[0].message and dutch.format_euro(Decimal("230000")) in a2[0].message
    # without the regular-budget line the same hire is no A2
    _ledger_file(inputs, ["31-12-2022;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;F-1;Tutoring;75.000,00",
                          "30-06-2023;4410;112;NPO;1;Bijlesbureau Slim Verder BV;80012345;F-2;Tutoring;75.000,00"])
    assert not [f for f in run.iter_findings(run.run(inputs, workers=1, today=TODAY)) if f.rule == "A2"]


def test_a_ledger_file_with_no_npo_line_is_a_fout_with_what_was_recognised(tmp_path):
    inputs = tmp_path / "inputs"
    _board(inputs)
    _hire(inputs, "1 tutoring.xlsx", 1, [["F-1", date(2022, 12, 31), 10000, 2100, "Tutoring"]])
    _ledger_file(inputs, ["31-12-2022;6410;112;;1;Bijlesbureau Slim Verder BV;80012345;F-1;Tutoring;10.000,00"])
    data = run.run(inputs, workers=1, today=TODAY)
    (lf,) = data.ledger_files
    (l1,) = [f for f in lf.findings if f.rule == "L1"]
    assert (l1.file, l1.cell) == ("grootboek/export.csv", "")
    assert "rekening 44* en project NPO" in l1.message and "1 boekingsregel" in l1.message
    from pipeline.render.jaarverslag import jaarverslag_context

    assert jaarverslag_context(data, 2022)["volledigheid_tekst"].startswith("De volledigheid van 2022 kan niet worden vastgesteld")


def test_a_ledger_that_matches_nothing_is_a_fout_and_completeness_is_not_stated(tmp_path):
    inputs = tmp_path / "inputs"
    _board(inputs)
    _hire(inputs, "1 tutoring.xlsx", 1, [["F-1", date(2022, 12, 31), 10000, 2100, "Tutoring"]])
    _ledger_file(inputs, ["31-12-2022;4410;112;NPO;5;Iemand Anders;12345678;Q-1;Iets;500,00"])
    data = run.run(inputs, workers=1, today=TODAY)
    codes = sorted((f.rule, f.cell) for f in run.iter_findings(data) if f.rule == "L1")
    assert codes == [("L1", ""), ("L1", "regel 2")]
    from pipeline.render.jaarverslag import jaarverslag_context

    assert not jaarverslag_context(data, 2022)["volledigheid_tekst"].startswith("Alle")


def test_ledger_thousands_without_cents_read_like_the_workbook_reader(tmp_path):
    """Issue 29 point 8: "1.234" is 1234 in a Dutch column; "1,234" is never silently € 1,23."""
    inputs = tmp_path / "inputs"
    _ledger_file(inputs, ["31-12-2022;4410;112;NPO;1;A;;F-1;x;1.234", "31-12-2022;4410;112;NPO;1;A;;F-2;x;1,234",
                          "31-12-2022;4410;112;NPO;1;A;;F-3;x;5,50"])
    ledger, _ = reader.load(inputs, config.LedgerSettings(selections=[config.Selection("44*", "", 0)], cost_centres={"112": "12AB"}), sha256_of)
    assert ledger.lines.select("factuurnummer", "bedrag").rows() == [("F-1", Decimal("1234.00")), ("F-3", Decimal("5.50"))]
    (w4,) = ledger.files[0].findings
    assert (w4.rule, w4.cell) == ("W4", "regel 3")


def _read(inputs: Path, project: str = "NPO") -> reader.Ledger:
    """The ledger folder of `inputs` read with NPO = accounts 44* (and project NPO), cost centre 112 = 12AB."""
    settings = config.LedgerSettings(selections=[config.Selection("44*", project, 0)], cost_centres={"112": "12AB"})
    return reader.load(inputs, settings, sha256_of)[0]


def test_creditor_lines_are_not_spending_outside_npo(tmp_path):
    """gbkmut books a creditor line on 1600 for each entry: the supplier's spending outside NPO (A2) counts the
    cost lines only, else every NPO invoice would cancel a regular one."""
    (tmp_path / reader.FOLDER).mkdir()
    (tmp_path / reader.FOLDER / "gbkmut.csv").write_text(
        "bkstnr;reknr;crdnr;kstplcode;kstdrcode;datum;docnumber;faktuurnr;bdr_hfl\n"
        "1;1600;20001;;;2023-03-01 00:00:00.000;F-1;22700001;-150000.000\n"
        "1;4410;20001;112;NPO;2023-03-01 00:00:00.000;F-1;22700001;150000.000\n"
        "2;1600;20001;;;2023-03-15 00:00:00.000;R-1;22700002;-80000.000\n"
        "2;4300;20001;112;;2023-03-15 00:00:00.000;R-1;22700002;80000.000\n", encoding="utf-8")
    ledger = _read(tmp_path)
    assert ledger.lines.select("factuurnummer", "bedrag").rows() == [("F-1", Decimal("150000.00"))]
    assert ledger.other.select("rekening", "bedrag").rows() == [("4300", Decimal("80000.00"))]


def test_a_supplier_named_only_on_the_creditor_line_holds_for_its_cost_lines(tmp_path):
    """Twinfield-like: Relatie filled on the 1600 line only; the cost lines of the same entry (Boekstuknr.) get it."""
    (tmp_path / reader.FOLDER).mkdir()
    (tmp_path / reader.FOLDER / "twinfield.csv").write_text(
        "Boekdatum;Boekstuknr.;Grootboekrek.;Kpl./rel.;Act./proj.;Relatie;Relatienaam;Factuurnummer;Bedrag;D/C\n"
        "01-03-2023;202301;1600;20001;;20001;Slim Verder BV;F-1;1.210,00;C\n"
        "01-03-2023;202301;4410;112;NPO;;;F-1;1.000,00;D\n"
        "01-03-2023;202301;4411;112;NPO;;;;210,00;D\n", encoding="utf-8")
    ledger = _read(tmp_path)
    assert ledger.lines.select("crediteur", "crediteur_naam", "factuurnummer", "bedrag").rows() == [
        ("20001", "Slim Verder BV", "F-1", Decimal("1000.00")), ("20001", "Slim Verder BV", "F-1", Decimal("210.00"))]


def test_afas_creditor_line_without_invoice_id_and_line_numbers_from_one(tmp_path):
    """AFAS: the creditor line of the entry has no InvoiceId and lines are numbered from 1 (no header records)."""
    (tmp_path / reader.FOLDER).mkdir()
    (tmp_path / reader.FOLDER / "afas.csv").write_text(
        "EntryNo;Volgnummer;EntryDate;AccountNo;InvoiceId;AmtDebit;AmtCredit;DimAx1;DimAx2\n"
        "1001;1;01-03-2023;20001;;;1.210,00;;\n"
        "1001;2;01-03-2023;4410;F-1;1.000,00;;112;NPO\n"
        "1001;3;01-03-2023;4411;F-1;210,00;;112;NPO\n", encoding="utf-8")
    (tmp_path / reader.FOLDER / "crediteuren.csv").write_text("Crediteurnummer;Naam\n20001;Slim Verder BV\n", encoding="utf-8")
    ledger = _read(tmp_path)
    assert ledger.lines.select("crediteur", "crediteur_naam", "factuurnummer", "kostenplaats", "bedrag").rows() == [
        ("20001", "Slim Verder BV", "F-1", "112", Decimal("1000.00")), ("20001", "Slim Verder BV", "F-1", "112", Decimal("210.00"))]


def test_an_export_with_a_title_above_its_headings_in_utf16(tmp_path):
    """A title and an empty line above the heading row; saved as "Unicode text" (UTF-16): line numbers stay the file's."""
    (tmp_path / reader.FOLDER).mkdir()
    text = ("Grootboekmutaties 2023\r\n\r\nBoekdatum\tRekening\tKostenplaats\tCrediteur\tFactuurnummer\tBedrag\r\n"
            "01-03-2023\t4410\t112\t1\tF-1\t1.000,00\r\n01-03-2023\t4410\t112\t1\tF-2\tduizend\r\n")
    (tmp_path / reader.FOLDER / "export.txt").write_bytes(text.encode("utf-16"))
    ledger = _read(tmp_path, project="")
    assert ledger.lines.select("regel", "factuurnummer", "bedrag").rows() == [(4, "F-1", Decimal("1000.00"))]
    assert [(f.rule, f.cell) for f in ledger.files[0].findings] == [("W4", "regel 5")]

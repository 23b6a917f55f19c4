"""Guards for the completeness figures of the documents (issue 28): the ledger against the workbooks, as the jaarverslag's
section Volledigheid and the MR report's completeness sentence show it, on the ledger board of guards_board.py.

Every expected value is worked out here by hand from the lines of guards_board.LEDGER_LINES and the invoices of hire a
(amounts excl. btw): A-0, A-1, A-5 are booked as in the workbook, A-2 is booked as € 5.500 against € 5.000 (L3), A-3 is not
booked (L2), A-4 is booked on 14CD's cost centre (L4), S-9, R-1, R-2, R-3 and the credit note R-4 have no workbook (L1).
No pytest fixtures but tmp_path, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

from guards_board import LEDGER_HEADING, LEDGER_LINES, TODAY, build_ledger_board, euro, ledger_board, small_board
from pipeline import run
from pipeline.render import gmr, jaarverslag, mr

COLUMNS = ("grootboek", "verantwoord", "bedrag_wijkt_af", "geen_werkboek", "andere_school")


def _sha(lines: list[str]) -> str:
    """The SHA-256 of grootboek/mutaties.csv as build_ledger_board writes it (UTF-8, CRLF)."""
    return hashlib.sha256(("\r\n".join([LEDGER_HEADING, *lines]) + "\r\n").encode("utf-8")).hexdigest()


def _row(school: str, *amounts: str) -> dict[str, str]:
    return {"school": school, **{k: euro(a) for k, a in zip(COLUMNS, amounts)}}


def _totals(*amounts: str) -> dict[str, str]:
    return {k: euro(a) for k, a in zip(COLUMNS, amounts)}


def test_completeness_table_of_2023_by_hand():
    """2023, per cost centre (ledger | in a workbook | other amount | no workbook | other school's centre):
    112 = 12AB: A-1 10.000 + A-2 5.500 + S-9 750 = 16.250 | A-1 10.000 | A-2 5.500 | S-9 750 | 0;
    114 = 14CD: A-4 3.000, in 12AB's workbook (L4) | 3.000 | 0 | 0 | 3.000;
    100 = board office: R-1 400 | 0 | 0 | 400 | 0;  199 (unknown): R-2 125 | 0 | 0 | 125 | 0.
    Totals: 16.250 + 3.000 + 400 + 125 = 19.775 | 13.000 | 5.500 | 750 + 400 + 125 = 1.275 | 3.000.
    Bug: a school's amounts in another column or row, the label of the board office or of an unknown centre lost."""
    ctx = jaarverslag.jaarverslag_context(ledger_board(), 2023)
    assert ctx["volledigheid"] == [
        _row("12AB De Regenboog", "€ 16.250,00", "€ 10.000,00", "€ 5.500,00", "€ 750,00", "€ 0,00"),
        _row("14CD De Linde", "€ 3.000,00", "€ 3.000,00", "€ 0,00", "€ 0,00", "€ 3.000,00"),
        _row("Bovenschools (bestuursbureau)", "€ 400,00", "€ 0,00", "€ 0,00", "€ 400,00", "€ 0,00"),
        _row("Kostenplaats onbekend", "€ 125,00", "€ 0,00", "€ 0,00", "€ 125,00", "€ 0,00"),
    ]
    assert ctx["volledigheid_totaal"] == _totals("€ 19.775,00", "€ 13.000,00", "€ 5.500,00", "€ 1.275,00", "€ 3.000,00")


def test_completeness_paragraph_of_2023_by_hand():
    """The totals of the table above; 3 bookings without a workbook (S-9, R-1, R-2); and 1 workbook invoice of 2023 not
    in the ledger: A-3 of 10-5-2023, € 2.000 (L2). Bug: the L1 count or an amount wrong, the L2 sentence dropped."""
    text = jaarverslag.jaarverslag_context(ledger_board(), 2023)["volledigheid_tekst"]
    assert text == euro(
        "Van de € 19.775,00 excl. btw aan NPO-uitgaven aan externe partijen in het grootboek van 2023 staat € 13.000,00 in "
        "een werkboek. Het verschil: € 1.275,00 zonder werkboek (regel L1, 3 boekingen) en € 5.500,00 met een ander bedrag "
        "in het werkboek (regel L3). Facturen op de kostenplaats van een andere school (regel L4, € 3.000,00) staan wel in "
        "een werkboek. Daarnaast staat 1 factuur uit werkboeken (€ 2.000,00) niet als NPO-uitgave in het grootboek (regel "
        f"L2). Bron: grootboek/mutaties.csv (SHA-256 {_sha(LEDGER_LINES)}).")


def test_completeness_of_a_complete_year_and_of_an_empty_year():
    """2022: only A-0 (15-12-2022, € 2.500), booked as in the workbook: everything accounted for. 2021: no line.
    Bug: a complete year reported as a gap (or the reverse), the empty year's sentence or file name lost."""
    y22 = jaarverslag.jaarverslag_context(ledger_board(), 2022)
    assert y22["volledigheid"] == [_row("12AB De Regenboog", "€ 2.500,00", "€ 2.500,00", "€ 0,00", "€ 0,00", "€ 0,00")]
    assert y22["volledigheid_tekst"] == euro(
        "Alle NPO-uitgaven aan externe partijen in het grootboek van 2022 (€ 2.500,00 excl. btw) staan in een werkboek. "
        f"Bron: grootboek/mutaties.csv (SHA-256 {_sha(LEDGER_LINES)}).")
    y21 = jaarverslag.jaarverslag_context(ledger_board(), 2021)
    assert (y21["volledigheid"], y21["volledigheid_totaal"]) == ([], _totals(*["€ 0,00"] * 5))
    assert y21["volledigheid_tekst"] == (
        "Het grootboek (grootboek/mutaties.csv) bevat geen NPO-uitgaven aan externe partijen met een boekdatum in 2021. "
        f"Bron: grootboek/mutaties.csv (SHA-256 {_sha(LEDGER_LINES)}).")


def test_an_unrelated_credit_note_never_makes_a_gap_look_closed():
    """2024: A-5 € 1.000 booked as in the workbook; on the board office R-3 € 300 and the unrelated credit note R-4
    -€ 300, both without a workbook. The ledger's € 1.000 equals what workbooks account for, yet 2 bookings are open,
    so the paragraph names them instead of saying everything is in a workbook."""
    ctx = jaarverslag.jaarverslag_context(ledger_board(), 2024)
    assert ctx["volledigheid"] == [
        _row("12AB De Regenboog", "€ 1.000,00", "€ 1.000,00", "€ 0,00", "€ 0,00", "€ 0,00"),
        _row("Bovenschools (bestuursbureau)", "€ 0,00", "€ 0,00", "€ 0,00", "€ 0,00", "€ 0,00")]
    assert ctx["volledigheid_tekst"] == euro(
        "Van de € 1.000,00 excl. btw aan NPO-uitgaven aan externe partijen in het grootboek van 2024 staat € 1.000,00 in "
        "een werkboek. Het verschil: € 0,00 zonder werkboek (regel L1, 2 boekingen) en € 0,00 met een ander bedrag in het "
        "werkboek (regel L3). Facturen op de kostenplaats van een andere school (regel L4, € 0,00) staan wel in een "
        f"werkboek. Bron: grootboek/mutaties.csv (SHA-256 {_sha(LEDGER_LINES)}).")


def test_mr_completeness_sentence_per_school_and_school_year():
    """12AB 2022-2023 (1-8-2022 .. 31-7-2023, cost centre 112): A-0 2.500 + A-1 10.000 + A-2 5.500 + S-9 750 = 18.750,
    open A-2 5.500 (L3) + S-9 750 (L1) = 6.250. 12AB 2023-2024: A-5 1.000, booked as in the workbook. 14CD 2022-2023:
    A-4 3.000 on 14CD's cost centre, but in 12AB's workbook (L4): not in a workbook of 14CD. No line for 12AB in
    2021-2022. Bug: an L3 amount not counted as open (false reassurance), an L4 amount called this school's own,
    another school's or year's lines mixed in, the sentence missing from the MR context."""
    data = ledger_board()
    ctx = mr.mr_context(data, "12AB", "2022-2023")
    # in 12AB's workbooks as booked: A-0 2.500 + A-1 10.000 = 12.500 = 18.750 - 6.250
    assert ctx["volledigheid"] == euro(
        "Van de € 18.750,00 exclusief btw aan NPO-uitgaven aan externe partijen op de kostenplaats van 12AB in het "
        "grootboek van het bestuur (schooljaar 2022-2023) staat € 12.500,00 in een werkboek van de school en € 6.250,00 "
        "nog niet of met een ander bedrag in een werkboek (regels L1 en L3). Het bestuur vraagt de school om aanvulling.")
    assert mr.completeness_sentence(data, "12AB", "2023-2024") == euro(
        "Alle NPO-uitgaven aan externe partijen van schooljaar 2023-2024 in het grootboek van het bestuur (€ 1.000,00 "
        "exclusief btw) staan in een werkboek van de school: de uitgaven zijn volledig verantwoord.")
    assert mr.completeness_sentence(data, "14CD", "2022-2023") == euro(
        "Van de € 3.000,00 exclusief btw aan NPO-uitgaven aan externe partijen op de kostenplaats van 14CD in het "
        "grootboek van het bestuur (schooljaar 2022-2023) staat € 0,00 in een werkboek van de school en € 3.000,00 in een "
        "werkboek van een andere school (regel L4). Het bestuur gaat na bij welke school die uitgaven horen.")
    assert mr.completeness_sentence(data, "12AB", "2021-2022") == (
        "In het grootboek van het bestuur staan voor schooljaar 2021-2022 geen NPO-uitgaven aan externe partijen op de "
        "kostenplaats van 12AB.")


def test_completeness_not_stated_when_a_ledger_file_failed(tmp_path):
    """Three ledger files: mutaties.csv with one more line dated 31-13-2023 (read, W4 at that line), leeg.csv with
    headings only (rejected) and overig.csv, read whole but without an NPO line (L1 on the file, no line). The
    completeness of a year cannot be stated then. Of what was read in 2023: € 13.000 of € 19.775 in a workbook (the
    unreadable line counts nowhere); A-3 (€ 2.000) is still not booked. The source names both files that were read.
    Bug: a file that gave nothing to check, or a rejected one, left out, so a gap looks closed. The same board has
    the supplier's spending outside the NPO selection that makes its hires a split-up purchase (A2): the jaarverslag's
    A2 table names the hire and the amounts."""
    lines = [*LEDGER_LINES, "31-13-2023;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;S-10;kapot;99,00;",
             "01-06-2022;4500;112;;20001;Bijlesbureau Slim Verder BV;O-1;overig;180.000,00;"]
    inputs = build_ledger_board(tmp_path / "inputs", lines)
    (inputs / "grootboek" / "leeg.csv").write_text("Boekdatum;Rekening;Bedrag\r\n", encoding="utf-8")
    other = (LEDGER_HEADING + "\r\n10-03-2023;8000;112;;20003;Kantoor BV;K-1;papier;50,00;\r\n").encode("utf-8")
    (inputs / "grootboek" / "overig.csv").write_bytes(other)
    data = run.run(inputs, workers=1, today=TODAY)
    # O-1 (1-6-2022, account 4500, not NPO) is € 180.000 of the same supplier in the window of both its hires (their
    # first quotes of 15-7-2022 lie in 2021-2022): with a € 40.000 and 0-samen € 8.000 that is € 228.000, above the EU
    # threshold of € 215.000 (A2, split up); the jaarverslag 2022 lists hire a, the one that runs in 2022, in its table
    (row,) = jaarverslag.jaarverslag_context(data, 2022)["opgeknipt"]
    assert row["inhuur"] == "12AB-2022-2023-1"
    assert euro("€ 180.000,00 volgens het grootboek (grootboek/mutaties.csv, regel 13)") in row["melding"]
    assert euro("is dat € 228.000,00, boven de drempel van € 215.000,00") in row["melding"]
    text = jaarverslag.jaarverslag_context(data, 2023)["volledigheid_tekst"]
    assert text == euro(
        "De volledigheid van 2023 kan niet worden vastgesteld: grootboek/leeg.csv, grootboek/mutaties.csv, "
        "grootboek/overig.csv zijn niet (helemaal) gelezen of gaven niets om te controleren (zie de bevindingen L1 en W4 "
        "bij die bestanden in register.xlsx). Van wat wel is gelezen, staat € 13.000,00 van € 19.775,00 excl. btw in een "
        "werkboek. Daarnaast staat 1 factuur uit werkboeken (€ 2.000,00) niet als NPO-uitgave in het grootboek (regel L2). "
        f"Bron: grootboek/mutaties.csv (SHA-256 {_sha(lines)}); grootboek/overig.csv (SHA-256 {hashlib.sha256(other).hexdigest()}).")
    # nor may the MR hear that everything is accounted for: 12AB 2023-2024 has only A-5 (€ 1.000, as in the workbook)
    assert mr.completeness_sentence(data, "12AB", "2023-2024") == euro(
        "Van de € 1.000,00 exclusief btw aan NPO-uitgaven aan externe partijen op de kostenplaats van 12AB in het "
        "grootboek van het bestuur (schooljaar 2023-2024) staat € 1.000,00 in een werkboek van de school. Of dit alles is, "
        "staat nog niet vast: grootboek/leeg.csv, grootboek/mutaties.csv, grootboek/overig.csv zijn niet helemaal gelezen.")


def test_calendar_year_without_new_allocation():
    """2024 lies in 2023-2024 and 2024-2025, both with an allocation of € 0: no share of this year's allocation. Spent in
    2024: A-5 € 1.000 + € 210 btw = € 1.210, PNIL (hire a is PNIL). Bug: the PNIL line lost, the amount shown as € 0,00."""
    ctx = jaarverslag.jaarverslag_context(ledger_board(), 2024)
    assert ctx["pnil_regel"] == euro("Besteed aan personeel niet in loondienst (PNIL): € 1.210,00; zonder nieuwe toekenning "
                                     "in 2024 is er geen aandeel van de toekenning van dit jaar.")
    assert ctx["extern_regel"] == euro("Besteed aan externe inhuur in totaal: € 1.210,00, uit eerder toegekende NPO-middelen.")


def test_mr_hires_by_number_and_a_missing_gmr_agreement():
    """12AB in 2023-2024: a.xlsx (volgnummer 1) and 0-samen.xlsx (volgnummer 2): by number, not by file name. The
    bovenschools hire has no GMR agreement: 'niet vastgelegd'. Bug: hires in file order, the missing date shown empty."""
    items = mr.mr_context(ledger_board(), "12AB", "2023-2024")["inhuren"]
    assert [i["titel"].split(":")[0] for i in items] == ["Inhuur 1", "Inhuur 2"]
    consent = {c["label"]: c["waarde"] for c in items[1]["medezeggenschap"]}
    assert consent["Instemming GMR (bovenschools)"] == "niet vastgelegd"


def test_jaarverslag_counts_a_hire_without_an_invoice_in_the_year():
    """2023: a.xlsx has invoices in 2023 (A-1 .. A-4); 0-samen.xlsx runs from 1-9-2023 without any invoice. Bug: the
    singular or the count of the hires without an invoice in the year lost."""
    assert jaarverslag.jaarverslag_context(ledger_board(), 2023)["aantal_inhuren_gefactureerd"] == (
        "1 inhuur (van de 2 inhuren van 2023; 1 andere inhuur liep in 2023 zonder factuur in 2023)")


def test_jaarverslag_names_the_btw_of_a_workbook_outside_the_board():
    """99ZZ/x.xlsx (a school outside bestuur.xlsx) has X-1 of 4-4-2023: € 1.000 + € 210 btw = € 1.210 incl. btw, not
    counted. Bug: the btw column read under another name, so € 1.000,00."""
    assert jaarverslag.jaarverslag_context(ledger_board(), 2023)["aantal_scholen_gefactureerd"] == euro(
        "1 school; niet meegeteld is 1 werkboek van een school die niet in bestuur.xlsx staat (99ZZ), met € 1.210,00 "
        "inclusief btw aan facturen in 2023")


def test_gmr_columns_note_absent_when_the_columns_add_up():
    """2022-2023: only hire a of 12AB; its findings: L3 (fout), A3, L2 and L4 (waarschuwing). The school rows add up to
    the totals, so no columns note. Bug: the errors column not summed, so the note claims it adds up to more."""
    ctx = gmr.gmr_context(ledger_board(), "2022-2023")
    # 12AB spent A-0 .. A-4 = € 22.500 + € 4.725 btw = € 27.225 of € 100.000: 27,2 %; MR consent on its 1 hire
    assert ctx["scholen"] == [
        {"school": "12AB De Regenboog", "inhuren": "1", "toekenning": euro("€ 100.000,00"), "besteed": euro("€ 27.225,00"),
         "aandeel": "27,2%", "fouten": "1", "waarschuwingen": "3", "mr": "1/1"},
        {"school": "14CD De Linde", "inhuren": "0", "toekenning": euro("€ 100.000,00"), "besteed": euro("€ 0,00"),
         "aandeel": "0,0%", "fouten": "0", "waarschuwingen": "0", "mr": "–"}]
    assert ctx["scholen_noot"] == ""


def test_gmr_year_with_a_zero_allocation_and_a_shared_hire_without_agreements():
    """2023-2024: both schools have an allocation of € 0, so every share is a dash and the note explains it; the
    bovenschools hire 0-samen.xlsx has neither the GMR's nor the board MR's agreement. Bug: the note left out, a
    missing agreement shown as 'niet ingevuld' instead of 'ontbreekt'."""
    ctx = gmr.gmr_context(ledger_board(), "2023-2024")
    assert [r["aandeel"] for r in ctx["scholen"]] == ["–", "–"]
    assert ctx["aandeel_noot"] == ("Aandeel: besteed gedeeld door de toekenning; 'n.v.t.' als er geen toekenning bekend "
                                   "is, een streepje als de toekenning nul is.")
    assert [(r["inhuur"], r["gmr"], r["mr_akkoord"]) for r in ctx["bovenschools"]] == [("12AB-2023-2024-2", "ontbreekt", "ontbreekt")]


def test_no_completeness_without_a_ledger():
    """The small board has no ledger export: the MR report and the jaarverslag say nothing about completeness.
    Bug: a sentence or an empty table shown for a ledger that is not there."""
    assert mr.mr_context(small_board(), "12AB", "2022-2023")["volledigheid"] == ""
    y23 = jaarverslag.jaarverslag_context(small_board(), 2023)
    assert (y23["volledigheid"], y23["volledigheid_totaal"], y23["volledigheid_tekst"]) == ([], {}, "")


def test_appendix_lists_a_superseded_version_in_the_years_of_its_own_period():
    """a-oud.xlsx (superseded by a.xlsx) still said 1-9-2021 .. 30-6-2022: it is listed in 2021, where a.xlsx (from
    1-9-2022) is not, and in 2022 .. 2024 with a.xlsx; in 2026 no hire runs. 99ZZ/x.xlsx (rejected) in every year.
    Bug: the superseded version's own period ignored, so it drops out of 2021."""
    files = {y: [r["file"] for r in jaarverslag.jaarverslag_context(ledger_board(), y)["bestanden"]] for y in (2021, 2026)}
    assert files == {2021: ["12AB/a-oud.xlsx", "99ZZ/x.xlsx"], 2026: ["99ZZ/x.xlsx"]}


def test_mr_report_of_the_last_school_year_points_to_the_closing_account():
    """0-samen.xlsx runs until 30-6-2025, into 2024-2025, the programme's last school year (it ends 31-7-2025). Seen
    on 1-9-2025 the MR report of 12AB for 2024-2025 ends with where the board's closing account is; seen on the
    board's own date (1-3-2024) it does not. Bug: the sentence asked for another school year, so it never shows."""
    closing = (" Het NPO-programma liep tot en met 31 juli 2025. De eindverantwoording van het bestuur "
               "(eindverantwoording.docx) zet per school de hele besteding op een rij; het hoofdstuk 'Voor de GMR' legt "
               "die in gewone taal uit.")
    after = replace(ledger_board(), today=date(2025, 9, 1))
    assert mr.mr_context(after, "12AB", "2024-2025")["samenvatting"].endswith(closing)
    assert not mr.mr_context(ledger_board(), "12AB", "2024-2025")["samenvatting"].endswith(closing)


def test_mr_facts_and_counts_of_the_ledger_board_by_hand():
    """Found by the unsampled mr.py screen: on the ledger board (hire a with six invoices, the bovenschools 0-samen.xlsx)
    the MR facts below were not pinned. By hand from build_ledger_board:
    - 2022-2023, hire a: invoices in the school year (1-8-2022 .. 31-7-2023) A-0 2.500 + A-1 10.000 + A-2 5.000 + A-3
      2.000 + A-4 3.000 = 22.500 excl., btw 21 % = 4.725, incl. 27.225, 5 invoices; all six (with A-5 1.000): 23.500 +
      4.935 = 28.435. MR advice asked 25-6-2022 (the builder's default), teacher involvement as the workbook says.
    - Findings of hire a: L3 fout (A-2 booked 5.500 against 5.000); warnings A3 (one quote for € 40.000), L2 (A-3 not
      booked), L4 (A-4 on 14CD's cost centre); W6 is info: 1 fout, 3 waarschuwingen.
    - 2023-2024, 0-samen.xlsx (second by volgnummer): contract € 8.000, 12AB's share 50 % = € 4.000; the GMR line of a
      bovenschools hire follows the school MR's own five lines.
    Bug: a workbook answer shown as "niet ingevuld", the school's part lost or € 0, the invoiced amounts or the
    overview's advice date wrong, the error count off by one."""
    data = ledger_board()
    ctx = mr.mr_context(data, "12AB", "2022-2023")
    (hire,) = ctx["inhuren"]
    facts = {g["label"]: g["waarde"] for g in hire["gegevens"]}
    assert facts["Betrokkenheid leraren"] == "Leraren kiezen de leerlingen en stemmen wekelijks af met de externe partij."
    assert facts["Periode"] == "1 september 2022 tot en met 30 juni 2024"
    assert facts["Gefactureerd"] == euro("€ 23.500,00 excl. btw + € 4.935,00 btw = € 28.435,00 incl. btw (6 facturen)")
    assert facts["Gefactureerd in schooljaar 2022-2023"] == euro(
        "€ 22.500,00 excl. btw + € 4.725,00 btw = € 27.225,00 incl. btw (5 facturen)")
    assert [(m["label"], m["waarde"]) for m in hire["medezeggenschap"]][3:] == [
        ("Uitkomst MR-advies", "Positief"), ("Contract getekend", "15 juli 2022")]
    assert ctx["overzicht"] == [{"inhuur": "12AB-2022-2023-1", "leverancier": "Bijlesbureau Slim Verder B.V.",
                                 "interventie": "B: Instructie in kleine groepen", "contractwaarde": euro("€ 40.000,00"),
                                 "gefactureerd": euro("€ 27.225,00"), "advies": "25-06-2022"}]
    assert ctx["aantal"] == {"fout": 1, "waarschuwing": 3, "andere_school": 0}
    assert ctx["samenvatting"] == euro(
        "In schooljaar 2022-2023 hoort bij De Regenboog 1 inhuur: geregistreerd, lopend of gefactureerd in dit schooljaar. "
        "De contractwaarde is samen € 40.000,00 exclusief btw; in dit schooljaar is € 27.225,00 inclusief btw "
        "gefactureerd. Het bestuur vond bij deze inhuur 1 fout en 3 waarschuwingen.")
    shared = mr.mr_context(data, "12AB", "2023-2024")["inhuren"][1]
    facts = {g["label"]: g["waarde"] for g in shared["gegevens"]}
    assert facts["Contractwaarde (excl. btw)"] == euro("€ 8.000,00; deel van deze school (50,0%): € 4.000,00")
    assert [m["label"] for m in shared["medezeggenschap"]][:6] == [
        "Instemming MR met het schoolprogramma", "MR-advies gevraagd", "MR-advies ontvangen", "Uitkomst MR-advies",
        "Contract getekend", "Instemming GMR (bovenschools)"]

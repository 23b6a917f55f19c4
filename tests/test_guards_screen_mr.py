"""Guards from the unsampled screen of render/mr.py (issue 28, 2026-12-06c): MR figures and cells that the small, the
ledger and the demo board never exercise, on workbooks a school can really send.

The odd board below: bestuur.xlsx names 16EF "De Wilg" but leaves the names of 12AB and 14CD empty (allowed on the
Scholen sheet); allocations 2022-2023 12AB € 100.000, 14CD and 16EF € 2.000 each. today = 1-3-2024.
  12AB/s.xlsx  volgnummer 2, bovenschools: 12AB 50 % (no MR date), 14CD 25 % (MR 3-6-2022), 16EF 25 % (MR 4-6-2022);
               GMR 1-6-2022, board MR 2-6-2022; no contract value; no pupil contact, no staff;
               S-1 31-1-2023 € 10.000 + € 2.100 btw; knowledge transfer typed as a question.
  12AB/q.xlsx  volgnummer 101; no supplier name, KvK or supplier type, no contract value, no MR advice asked, no outcome,
               no signing date, no end date, no evaluation, no quotes; intervention typed "Huiswerkklas" (not on the
               menukaart); staff: one row with a name only, one with a VOG date only; one result without "Behaald";
               Q-1 31-10-2022 € 1.000 + € 210 btw; the questionnaire sorted (rows 1 and 2 swapped), the Nr of question
               3 wiped, the answer of question 7 wiped and the row of question 11 emptied (the sheet protection has no
               password, so a school can do all of this).
  12AB/u.xlsx  no volgnummer, no intervention; one staff member; evaluation "Goed verlopen!" and knowledge transfer
               without a full stop; U-1 30-11-2022 € 500 + € 105 btw; a second row for question 4 ("Nee") typed
               under the questionnaire (W5).
  14CD/e.xlsx  volgnummer 1, bovenschools with an empty Deelnemers table (so it stays with 14CD), board MR 5-6-2022.
  14CD/n.xlsx  volgnummer 2, bovenschools with one Deelnemers row: 14CD without a share, MR 6-6-2022.
  14CD/w.xlsx  volgnummer 3, bovenschools with an empty Deelnemers table and no board MR agreement.
  16EF/c.xlsx  volgnummer 1, two quotes, nothing to report: a hire without any finding.
  16EF/y.xlsx  volgnummer 2, no school year; Y-1 1-10-2022 € 100 + € 21 btw.
The other values are the builders' baseline (tools/demo.py, supplier "slim": Bijlesbureau Slim Verder B.V., KvK
80012345, a bureau; 1-9-2022 .. 30-6-2023; contract € 20.000; MR advice asked 25-6-2022; evaluation 15-9-2023).
No pytest fixtures but tmp_path, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import openpyxl

from builders import write_workbook
from guards_board import LEDGER_LINES, TODAY, build_ledger_board, euro, facts
from pipeline import run
from pipeline.model import RunData
from pipeline.read import board as config
from pipeline.render import mr
from tools.demo import GOOD_ANSWERS

D = Decimal
SLIM = "Bijlesbureau Slim Verder B.V."


def _shuffle_questionnaire(path: Path) -> None:
    """Rows 1 and 2 swapped, the Nr of question 3 and the answer of question 7 wiped, the row of question 11 emptied."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Vragenlijst"]
    first, last = (int(x.lstrip("ABCDE")) for x in ws.tables["tblVragenlijst"].ref.split(":"))
    rows = [[c.value for c in ws[r]][:5] for r in range(first + 1, last + 1)]  # Nr, Vraag, Antwoord, Toelichting, Bewijs
    rows[0], rows[1] = rows[1], rows[0]
    rows[2][0] = None
    rows[6][2] = None
    rows[10] = [None] * 5
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(first + 1 + i, 1 + j).value = v
    wb.save(path)


def build_odd_board(inputs: Path) -> Path:
    """Write the board of the module docstring under `inputs`."""
    names = {"12AB": "", "14CD": "", "16EF": "De Wilg"}
    allocation = {"12AB": "100000", "14CD": "2000", "16EF": "2000"}
    schools = {b: config.School(b, n, "bo", f"info@{b.lower()}.example") for b, n in names.items()}
    pupils = [config.Pupils(b, "2022-2023", 100, D("0"), 0, allocation_override=D(allocation[b])) for b in schools]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Proef", schools=schools, pupils=pupils))
    eik = {"school_naam": "De Eik"}
    write_workbook(inputs / "12AB" / "s.xlsx", {
        **eik, "volgnummer": 2, "niveau": "Bovenschools", "contact_leerlingen": "Nee", "leraar_aanwezig": "N.v.t.",
        "gmr_instemming": date(2022, 6, 1), "mr_akkoord_bovenschools": date(2022, 6, 2),
        "kennisoverdracht": "Wie neemt de aanpak over?"}, {
        "tblDeelnemers": [["12AB", "50%", None], ["14CD", "25%", date(2022, 6, 3)], ["16EF", "25%", date(2022, 6, 4)]],
        "tblMedewerkers": [], "tblFacturen": [["S-1", date(2023, 1, 31), 10000, 2100, "januari"]]}, unset=("contractwaarde",))
    q = write_workbook(inputs / "12AB" / "q.xlsx", {**eik, "volgnummer": 101, "interventie": "Huiswerkklas"}, {
        "tblMedewerkers": [["Alleen naam", None, "Ja"], [None, date(2022, 7, 1), "Ja"]], "tblOffertes": [],
        "tblResultaten": [["Vlot lezen", "Eindresultaat", date(2023, 6, 30), "Leestoets", None]],
        "tblFacturen": [["Q-1", date(2022, 10, 31), 1000, 210, "oktober"]]},
        unset=("leverancier_naam", "leverancier_kvk", "leverancier_type", "mr_advies_uitkomst", "contract_getekend",
               "mr_advies_gevraagd", "einddatum", "evaluatiedatum", "evaluatie_samenvatting", "contractwaarde"))
    _shuffle_questionnaire(q)
    write_workbook(inputs / "12AB" / "u.xlsx", {
        **eik, "evaluatie_samenvatting": "Goed verlopen!", "kennisoverdracht": "Materialen overgedragen"}, {
        "tblMedewerkers": [["Medewerker 1", date(2022, 7, 1), "Ja"]],
        "tblFacturen": [["U-1", date(2022, 11, 30), 500, 105, "november"]]}, unset=("volgnummer", "interventie"),
        below={"tblVragenlijst": [[4, None, "Nee", "Toch niet bewezen.", None]]})
    lone = {"brin": "14CD", "niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1), "school_naam": None}
    write_workbook(inputs / "14CD" / "e.xlsx", {**lone, "volgnummer": 1, "mr_akkoord_bovenschools": date(2022, 6, 5)},
                   {"tblDeelnemers": [], "tblFacturen": []})
    write_workbook(inputs / "14CD" / "n.xlsx", {**lone, "volgnummer": 2},
                   {"tblDeelnemers": [["14CD", None, date(2022, 6, 6)]], "tblFacturen": []})
    write_workbook(inputs / "14CD" / "w.xlsx", {**lone, "volgnummer": 3}, {"tblDeelnemers": [], "tblFacturen": []},
                   unset=("mr_akkoord_bovenschools",))
    quotes = [[SLIM, "80012345", 20000, date(2022, 7, 1), "Ja"], ["Ander Bureau", "80099003", 22000, date(2022, 7, 1), "Nee"]]
    write_workbook(inputs / "16EF" / "c.xlsx", {"brin": "16EF", "school_naam": "De Wilg", "volgnummer": 1},
                   {"tblOffertes": quotes, "tblFacturen": []})
    write_workbook(inputs / "16EF" / "y.xlsx", {"brin": "16EF", "school_naam": "De Wilg", "volgnummer": 2},
                   {"tblFacturen": [["Y-1", date(2022, 10, 1), 100, 21, "oktober"]]}, unset=("schooljaar",))
    return inputs


@lru_cache(maxsize=1)
def odd_board() -> RunData:
    inputs = build_odd_board(Path(tempfile.mkdtemp(prefix="guards-mr-")) / "inputs")
    return run.run(inputs, workers=1, today=TODAY)


def _ctx(brin: str) -> dict:
    return mr.mr_context(odd_board(), brin, "2022-2023")


def _consent(item: dict) -> list[tuple[str, str]]:
    return [(c["label"], c["waarde"]) for c in item["medezeggenschap"]]


def test_questionnaire_sorted_renumbered_and_cut_by_the_school():
    """q.xlsx (Inhuur 2 of 12AB): each answer stays with its question although the rows were sorted; the row without
    a Nr is question 3 by its place (third row); question 7 has no answer; question 11 has no row at all. The
    texts are the baseline answers of tools/demo.py (GOOD_ANSWERS; question 6 'Ja' with evidence, pupil contact).
    Bug: answers by row place instead of by Nr, a row without Nr dropped or put at another place, a crash or a
    filler text for a question without a row."""
    got = [(v["nr"], v["antwoord"], v["toelichting"]) for v in _ctx("12AB")["inhuren"][1]["vragen"]]
    # the answers as typed (GOOD_ANSWERS: answer, explanation, evidence; evidence shown as "Bewijs: ...")
    typed = [(str(nr), answer, explanation or f"Bewijs: {evidence}") for nr, (answer, explanation, evidence) in enumerate(GOOD_ANSWERS, 1)]
    typed[6] = ("7", "niet beantwoord", "Vaste medewerkers, cv's ontvangen.")  # answer wiped, explanation kept
    typed[10] = ("11", "niet beantwoord", "–")  # no row at all
    assert typed[2] == ("3", "Deels", "Eigen team is vol; inhuur vult het tekort aan voor één jaar.")
    assert got == typed


def test_a_second_row_for_a_question_never_replaces_the_checked_answer():
    """u.xlsx: question 4 answered "Ja" in the table and "Nee" in a row typed under it. The Q rules judge the first
    row (no Q2 for a "Nee" on question 4), so the MR shows that answer too. Bug (real, fixed with this test): the MR
    showed "Nee" on question 4 (a reason to refuse the hire) while the board's checks had judged "Ja"."""
    u = _ctx("12AB")["inhuren"][2]
    assert (u["vragen"][3]["antwoord"], u["vragen"][3]["toelichting"]) == (
        "Ja", "Methode is in de Databank Effectieve Jeugdinterventies opgenomen.")
    assert "Q2" not in [f["regel_id"] for f in u["bevindingen"]]


def test_a_hire_with_many_fields_left_empty():
    """q.xlsx: every empty field reads as not filled in, never as 'None', a filler or another field's value. Invoiced:
    Q-1 € 1.000 + € 210 btw = € 1.210. Staff: 2 rows (a name only; a VOG date only), 1 with a VOG date.
    Bug: the supplier's name, KvK or type shown wrong, 'van' before an open-ended period, an empty amount in the
    sentence without contract value, '0 offertes: ', a staff row with only a name or only a date dropped."""
    item = _ctx("12AB")["inhuren"][1]
    assert item["titel"] == "Inhuur 2: een externe partij (12AB-2022-2023-101)"
    assert item["samenvatting"] == euro(
        "De Eik huurt een externe partij in voor 'Huiswerkklas'. De opdracht loopt vanaf 1 september 2022 (geen einddatum "
        "ingevuld). Er is geen contractwaarde ingevuld; tot nu toe is € 1.000,00 gefactureerd (€ 1.210,00 inclusief btw). "
        "Volgens het werkboek is de MR niet om advies gevraagd.")
    f = facts(item)
    assert {k: f[k] for k in ("Interventie (menukaart)", "Externe partij", "Periode", "Contractwaarde (excl. btw)",
                              "Offertes", "Contact met leerlingen")} == {
        "Interventie (menukaart)": "Huiswerkklas", "Externe partij": "een externe partij",
        "Periode": "vanaf 1 september 2022 (geen einddatum ingevuld)", "Contractwaarde (excl. btw)": "niet ingevuld",
        "Offertes": "geen offertes ingevuld", "Contact met leerlingen": "Ja; 2 medewerkers, VOG-datum bekend van 1"}
    assert _consent(item)[1:] == [("MR-advies gevraagd", "nee, niet vastgelegd in het werkboek"),
                                  ("MR-advies ontvangen", "5 juli 2022"), ("Uitkomst MR-advies", "niet vastgelegd"),
                                  ("Contract getekend", "niet vastgelegd")]
    assert item["resultaten"] == [{"resultaat": "Vlot lezen", "soort": "Eindresultaat", "deadline": "30 juni 2023",
                                   "indicator": "Leestoets", "behaald": "nog niet bekend"}]
    assert item["evaluatie"] == "De inhuur is nog niet geëvalueerd."


def test_hire_order_and_sentence_endings():
    """12AB in 2022-2023: s.xlsx (volgnummer 2), q.xlsx (101), u.xlsx (no number, so last, labelled by its file).
    u.xlsx: no intervention (no 'voor ...' in the summary); its evaluation keeps its '!' and gets a full stop after
    'overgedragen'; s.xlsx's knowledge transfer keeps its '?'. Bug: a hire without a number sorted before number 101
    or crashing the sort, a full stop added after '!'/'?' or missing."""
    items = _ctx("12AB")["inhuren"]
    assert [i["titel"] for i in items] == [f"Inhuur 1: {SLIM} (12AB-2022-2023-2)",
                                           "Inhuur 2: een externe partij (12AB-2022-2023-101)",
                                           f"Inhuur 3: {SLIM} (12AB/u.xlsx)"]
    u = items[2]
    assert u["samenvatting"].startswith(f"De Eik huurt {SLIM} in. De opdracht loopt van 1 september 2022 tot en met 30 juni 2023.")
    assert u["evaluatie"] == ("Evaluatie: 15 september 2023. Belangrijkste uitkomsten: Goed verlopen! Kennisoverdracht: "
                              "Materialen overgedragen.")
    assert facts(u)["Contact met leerlingen"] == "Ja; 1 medewerker, VOG-datum bekend van 1"
    assert items[0]["evaluatie"].endswith("Kennisoverdracht: Wie neemt de aanpak over?")


def test_shared_hire_without_contract_value_and_without_the_schools_agreement():
    """s.xlsx at 12AB (its administrator, 50 %): 50 % of S-1 = € 5.000 + € 1.050 btw = € 6.050; no contract value, so
    no part of one; 12AB's MR date is missing; no pupil contact and no staff. Bug: a crash or € 0,00 for the part of
    a missing contract value, the missing date shown as 'None' or in capitals, staff counted without staff."""
    ctx = _ctx("12AB")
    item = ctx["inhuren"][0]
    assert item["samenvatting"] == euro(
        f"De Eik huurt {SLIM} in voor instructie in kleine groepen (menukaart B: effectievere inzet van onderwijs). De "
        "opdracht loopt van 1 september 2022 tot en met 30 juni 2023. Er is geen contractwaarde ingevuld; tot nu toe is "
        "€ 5.000,00 gefactureerd (€ 6.050,00 inclusief btw). Dit is een bovenschoolse inhuur: De Eik draagt 50,0% van de "
        "kosten; de bedragen bij 'Gefactureerd' zijn het deel van deze school. De MR van de school ging akkoord met dit "
        "deel op een datum die niet is vastgelegd. De MR is op 25 juni 2022 om advies gevraagd.")
    assert facts(item)["Contact met leerlingen"] == "Nee"
    assert facts(item)["Contractwaarde (excl. btw)"] == "niet ingevuld"
    assert _consent(item)[5:] == [("Instemming GMR (bovenschools)", "1 juni 2022"), ("Aandeel van deze school", "50,0%"),
                                  ("Akkoord MR van deze school met haar aandeel (instemming vooraf)", "niet vastgelegd")]
    assert [(r["inhuur"], r["contractwaarde"], r["gefactureerd"], r["advies"]) for r in ctx["overzicht"]] == [
        ("12AB-2022-2023-2", "niet ingevuld", euro("€ 6.050,00"), "25-06-2022"),
        ("12AB-2022-2023-101", "niet ingevuld", euro("€ 1.210,00"), "nee"),
        ("12AB/u.xlsx", euro("€ 20.000,00"), euro("€ 605,00"), "25-06-2022")]


def test_two_findings_about_other_paying_schools_and_the_counts():
    """14CD and 16EF each pay 25 % of S-1: € 2.500 + € 525 btw = € 3.025 by 31-7-2023, more than 50 % of their € 2.000:
    P5 (waarschuwing) about 14CD and about 16EF on s.xlsx, listed at 12AB after its own findings, not counted.
    12AB's own findings: q.xlsx W3 ×4 (supplier name, KvK, supplier type, contract value), Q1 ×3 (questions 3, 7, 11),
    S1, P1 (Huiswerkklas), P5 (no end date), V1 ('Alleen naam' without VOG) = 11 fout, A3 waarschuwing (€ 1.000 needs 1
    quote, none given); s.xlsx W3 (contract value), P4 (12AB's MR date) = 2 fout, A3 info; u.xlsx W3 (volgnummer,
    intervention), Q1 (question 4 twice: the row typed under the table) = 3 fout, A3 info. Total 16 fout, 1 waarschuwing. Contract values: u.xlsx € 20.000 only; invoiced in
    the year incl. btw € 6.050 + € 1.210 + € 605 = € 7.865.
    Bug: another school's finding counted as 12AB's own, a crash sorting two of them, singular/plural swapped."""
    ctx = _ctx("12AB")
    assert ctx["aantal"] == {"fout": 16, "waarschuwing": 1, "andere_school": 2}
    assert ctx["samenvatting"] == euro(
        "In schooljaar 2022-2023 horen bij De Eik 3 inhuren: geregistreerd, lopend of gefactureerd in dit schooljaar. De "
        "contractwaarde is samen € 20.000,00 exclusief btw; in dit schooljaar is € 7.865,00 inclusief btw gefactureerd. "
        "Het bestuur vond bij deze inhuur 16 fouten en 1 waarschuwing; 2 bevindingen gaan over een andere school die aan "
        "een inhuur meebetaalt en zijn hierin niet meegeteld.")
    found = ctx["inhuren"][0]["bevindingen"]
    assert [(f["ernst"], f["regel_id"], f["over"]) for f in found] == [
        ("fout", "W3", ""), ("fout", "P4", ""), ("info", "A3", ""), ("waarschuwing", "P5", "14CD"), ("waarschuwing", "P5", "16EF")]
    assert found[3]["melding"].startswith("Over 14CD, die aan deze inhuur meebetaalt (niet meegeteld bij De Eik): School 14CD heeft")
    assert found[4]["melding"].startswith("Over 16EF De Wilg, die aan deze inhuur meebetaalt (niet meegeteld bij De Eik): ")


def test_school_name_when_bestuur_xlsx_gives_none():
    """bestuur.xlsx leaves the names of 12AB and 14CD empty. 12AB's workbooks say "De Eik"; 14CD's say nothing, so its
    report says 14CD, never the name of 12AB that administers the shared s.xlsx; 16EF is "De Wilg" from bestuur.xlsx.
    Bug (real, fixed with this test): 14CD's MR report was titled with the school name typed in 12AB's workbook."""
    assert [_ctx(b)["school"] for b in ("12AB", "14CD", "16EF")] == ["De Eik", "14CD", "De Wilg"]
    assert _ctx("14CD")["samenvatting"].startswith("In schooljaar 2022-2023 horen bij 14CD 4 inhuren")


def test_bovenschools_hires_without_participants_or_without_a_share():
    """14CD: e.xlsx has no Deelnemers, so the hire stays with 14CD and the board MR's agreement (5-6-2022) is shown;
    w.xlsx likewise, without that agreement: 'niet vastgelegd'; n.xlsx's only row has no share (P4; the hire stays
    with 14CD): 'niet ingevuld', and that row's MR date 6-6-2022. s.xlsx (volgnummer 2 as well) sorts before n.xlsx
    by file name. Bug: the board MR line replaced, dropped or shown without its date or with another text for a
    missing one, a missing share shown as 'None%' or in capitals."""
    e, s, n, w = _ctx("14CD")["inhuren"]
    assert [i["inhuur"] for i in (e, s, n, w)] == ["14CD-2022-2023-1", "12AB-2022-2023-2", "14CD-2022-2023-2", "14CD-2022-2023-3"]
    assert _consent(w)[5:] == [("Instemming GMR (bovenschools)", "1 juni 2022"), ("Akkoord MR met het bovenschoolse deel", "niet vastgelegd")]
    assert _consent(e) == [
        ("Instemming MR met het schoolprogramma", "20 juni 2022"), ("MR-advies gevraagd", "25 juni 2022"),
        ("MR-advies ontvangen", "5 juli 2022"), ("Uitkomst MR-advies", "Positief"), ("Contract getekend", "15 juli 2022"),
        ("Instemming GMR (bovenschools)", "1 juni 2022"), ("Akkoord MR met het bovenschoolse deel", "5 juni 2022")]
    assert _consent(n)[5:] == [("Instemming GMR (bovenschools)", "1 juni 2022"), ("Aandeel van deze school", "niet ingevuld"),
                               ("Akkoord MR van deze school met haar aandeel (instemming vooraf)", "6 juni 2022")]


def test_a_hire_without_any_finding_and_one_without_a_school_year():
    """16EF: c.xlsx has two quotes and everything filled in: no finding at all; s.xlsx has the P5 about 16EF (its own)
    and P5 about 14CD (another school); y.xlsx has no school year (W3; A3 info for its one quote; P5 as it is 16EF's
    spending too: € 3.025 + € 121 of € 2.000) and belongs to 2022-2023 by its period and Y-1. Counts: s.xlsx W3, P4 +
    y.xlsx W3 = 3 fout; P5 on s.xlsx and on y.xlsx = 2 waarschuwingen; 1 about 14CD. Bug: a hire without findings crashes the report; the unknown school year shown as another word."""
    ctx = _ctx("16EF")
    assert [(i["inhuur"], [f["regel_id"] for f in i["bevindingen"]]) for i in ctx["inhuren"]] == [
        ("16EF-2022-2023-1", []), ("12AB-2022-2023-2", ["W3", "P4", "P5", "A3", "P5"]), ("16EF/y.xlsx", ["W3", "P5", "A3"])]
    assert ctx["aantal"] == {"fout": 3, "waarschuwing": 2, "andere_school": 1}
    assert euro("tot nu toe is € 100,00 gefactureerd (€ 121,00 inclusief btw). De inhuur is geregistreerd in schooljaar "
                "onbekend en hoort ook bij schooljaar 2022-2023, omdat ze dan loopt of wordt gefactureerd.") in ctx["inhuren"][2]["samenvatting"]


D_LINE = "01-03-2023;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;D-1;maart;1.200,00;"  # 14CD's invoice on 12AB's cost centre (L4)
BAD_LINE = "31-13-2023;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;S-10;kapot;99,00;"  # unreadable date (W4)


@lru_cache(maxsize=1)
def ledger_with_everything() -> RunData:
    """The ledger board of guards_board.py plus 14CD/d.xlsx (D-1 1-3-2023 € 1.200, booked on 12AB's cost centre 112)
    and a line with an unreadable date in the one ledger file."""
    inputs = build_ledger_board(Path(tempfile.mkdtemp(prefix="guards-mr-ledger-")) / "inputs", [*LEDGER_LINES, D_LINE, BAD_LINE])
    write_workbook(inputs / "14CD" / "d.xlsx", {"brin": "14CD", "school_naam": "De Linde", "volgnummer": 1}, {
        "tblFacturen": [["D-1", date(2023, 3, 1), 1200, 252, "maart"]]})
    return run.run(inputs, workers=1, today=TODAY)


def test_mr_completeness_with_all_three_parts_and_one_unread_file():
    """12AB 2022-2023, cost centre 112: A-0 2.500 + A-1 10.000 + A-2 5.500 + S-9 750 + D-1 1.200 = 19.950 (S-10 is
    unreadable and counts nowhere); open: A-2 5.500 (L3) + S-9 750 (L1) = 6.250; in another school's workbook: D-1
    1.200 (L4); in 12AB's own: 19.950 - 6.250 - 1.200 = 12.500. One file not read whole: 'is'. Bug: the L4 part
    dropped from the middle of the sentence, the parts joined otherwise, 'zijn' for one file."""
    assert mr.completeness_sentence(ledger_with_everything(), "12AB", "2022-2023") == euro(
        "Van de € 19.950,00 exclusief btw aan NPO-uitgaven aan externe partijen op de kostenplaats van 12AB in het "
        "grootboek van het bestuur (schooljaar 2022-2023) staat € 12.500,00 in een werkboek van de school, € 1.200,00 in "
        "een werkboek van een andere school (regel L4) en € 6.250,00 nog niet of met een ander bedrag in een werkboek "
        "(regels L1 en L3). Het bestuur gaat na bij welke school die uitgaven horen. Het bestuur vraagt de school om "
        "aanvulling. Of dit alles is, staat nog niet vast: grootboek/mutaties.csv is niet helemaal gelezen.")

"""Guards from the triage of the document survivors (issue 28, 2026-12-06): values a mutant changed in the MR report,
the jaarverslag and the GMR overview of the small board of guards_board.py while every fast render test passed.

Every expected value is written down here by hand: the workbook texts are those tests/builders.py and tools/demo.py
type into hire a (the "slim" baseline: Bijlesbureau Slim Verder B.V., KvK 80012345, a bureau), the amounts and counts
are worked out in the comments. No pytest fixtures, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from builders import write_workbook
from guards_board import euro, facts as _facts, small_board
from pipeline import run
from pipeline.read import board as config
from pipeline.render import gmr, jaarverslag, mr


def _hire_a(schooljaar: str = "2022-2023") -> dict:
    return mr.mr_context(small_board(), "12AB", schooljaar)["inhuren"][0]


def test_mr_facts_copy_the_workbook_answers_of_hire_a():
    """The MR fact table repeats what the school typed in the workbook. Bug: a field read under the wrong name (shown
    as 'niet ingevuld'), the KvK or the supplier type dropped, a randvoorwaarde added that the workbook has not."""
    facts = _facts(_hire_a())
    assert {k: facts[k] for k in ("Wat", "Interventie (menukaart)", "Externe partij", "Waarom: behoefte uit de schoolscan",
                                  "Eigen capaciteit overwogen", "Waarom deze partij", "Contact met leerlingen")} == {
        "Wat": "Ondersteuning schoolpersoneel / extra handen in de klas",
        "Interventie (menukaart)": "B: Instructie in kleine groepen",
        "Externe partij": "Bijlesbureau Slim Verder B.V., KvK 80012345 (bureau)",
        "Waarom: behoefte uit de schoolscan":
            "Uit de schoolscan: achterstand bij begrijpend lezen en rekenen in de groepen 5 tot en met 8.",
        "Eigen capaciteit overwogen": "Eigen leraren en onderwijsassistenten zijn volledig ingezet; vacatures niet vervulbaar.",
        "Waarom deze partij": "Beste prijs-kwaliteitverhouding en goede referenties.",
        "Contact met leerlingen": "Ja; 2 medewerkers, VOG-datum bekend van 2",
    }


def test_mr_questionnaire_answers_and_explanations_of_hire_a():
    """The 11 questions of the questionnaire: answer and explanation per number, the evidence column written as
    'Bewijs: ...' (questions 2, 5, 6). Bug: answers shown as 'niet beantwoord', explanation or evidence as a dash."""
    got = [(v["nr"], v["antwoord"], v["toelichting"]) for v in _hire_a()["vragen"]]
    assert got == [
        ("1", "Ja", "Past bij ons schoolplan: taal en rekenen."),
        ("2", "Ja", "Bewijs: Keurmerk CEDEO, erkend tot 2024."),
        ("3", "Deels", "Eigen team is vol; inhuur vult het tekort aan voor één jaar."),
        ("4", "Ja", "Methode is in de Databank Effectieve Jeugdinterventies opgenomen."),
        ("5", "Ja", "Bewijs: Referenties: twee scholen in de regio, nagebeld door de IB'er."),
        ("6", "Ja", "Bewijs: VOG's van alle medewerkers gezien; verwerkersovereenkomst getekend."),
        ("7", "Ja", "Vaste medewerkers, cv's ontvangen."),
        ("8", "Ja", "Vervanging door vaste pool van het bureau."),
        ("9", "Ja", "Leraar stelt de groepjes samen en bepaalt de doelen."),
        ("10", "Ja", "Tussenevaluatie na 10 weken; voortgang in het leerlingvolgsysteem."),
        ("11", "Ja", "Leraren lopen mee en krijgen de materialen."),
    ]


def test_mr_results_indicators_and_evaluation_of_hire_a():
    """Results as agreed in the workbook with their indicator; the evaluation with its outcomes and knowledge transfer.
    Bug: a result or indicator read under the wrong name (empty or a dash), outcomes shown as 'niet ingevuld'."""
    a = _hire_a()
    assert [(r["resultaat"], r["indicator"]) for r in a["resultaten"]] == [
        ("Leerlingen in de groep halen hun tussendoel", "Toets in het leerlingvolgsysteem"),
        ("80% van de leerlingen haalt het einddoel", "Toets in het leerlingvolgsysteem")]
    assert a["evaluatie"] == ("Evaluatie: 15 september 2023. Belangrijkste uitkomsten: De meeste leerlingen haalden hun doel; "
                              "de aanpak wordt door de eigen leraren voortgezet. Kennisoverdracht: Werkwijze en materialen "
                              "overgedragen aan het team in een studiemiddag.")


def test_mr_summary_of_hire_a_per_school_year():
    """2022-2023: invoiced in total A-1 + A-2 = € 15.000 excl. / € 18.150 incl.; in the school year A-1 only (€ 10.000 /
    € 12.100). 2023-2024: A-2 (31-12-2023) € 5.000 / € 6.050, and the hire was registered a year earlier. Bug: the
    school-year sentence in the wrong year, the menukaart category lost, an amount dropped."""
    assert _hire_a()["samenvatting"] == euro(
        "De Regenboog huurt Bijlesbureau Slim Verder B.V. in voor instructie in kleine groepen (menukaart B: effectievere "
        "inzet van onderwijs). De opdracht loopt van 1 september 2022 tot en met 30 juni 2023. De contractwaarde is "
        "€ 40.000,00 exclusief btw; tot nu toe is € 15.000,00 gefactureerd (€ 18.150,00 inclusief btw). In schooljaar "
        "2022-2023 is € 10.000,00 exclusief btw gefactureerd (€ 12.100,00 inclusief btw). De MR is op 25 juni 2022 om "
        "advies gevraagd.")
    later = _hire_a("2023-2024")["samenvatting"]
    assert euro("(€ 18.150,00 inclusief btw). De inhuur is geregistreerd in schooljaar 2022-2023 en hoort ook bij "
                "schooljaar 2023-2024") in later
    assert later.endswith(euro("In schooljaar 2023-2024 is € 5.000,00 exclusief btw gefactureerd (€ 6.050,00 inclusief "
                               "btw). De MR is op 25 juni 2022 om advies gevraagd."))


def test_mr_findings_and_counts_of_the_school():
    """Hire a: P5 (waarschuwing: 12AB spent € 133.100 of € 240.000 = 55,5% by 31-7-2023), A3 (waarschuwing: 1 quote,
    3 asked), W6 (info: a-oud.xlsx); hire b: P5. So 0 errors and 3 warnings in 2022-2023, none about another school;
    2023-2024 only hire a: 2 warnings. Bug: counts swapped, other schools' findings mixed in, rule title lost."""
    ctx = mr.mr_context(small_board(), "12AB", "2022-2023")
    assert ctx["aantal"] == {"fout": 0, "waarschuwing": 3, "andere_school": 0}
    a, b = ctx["inhuren"]
    assert [(f["ernst"], f["regel_id"], f["regel"], f["over"]) for f in a["bevindingen"]] == [
        ("waarschuwing", "P5", "P5 Beperkt, tijdelijk en doelgericht", ""),
        ("waarschuwing", "A3", "A3 Aantal offertes volgens het inkoopbeleid", ""),
        ("info", "W6", "W6 Eén inhuur, één werkboek", "")]
    assert a["bevindingen"][0]["melding"].startswith(euro("School 12AB heeft tot en met 31 juli 2023 in totaal € 133.100,00"))
    assert [f["regel_id"] for f in b["bevindingen"]] == ["P5"]
    assert ctx["school"] == "De Regenboog"
    assert ctx["samenvatting"] == euro(
        "In schooljaar 2022-2023 horen bij De Regenboog 2 inhuren: geregistreerd, lopend of gefactureerd in dit "
        "schooljaar. De contractwaarde is samen € 255.000,00 exclusief btw; in dit schooljaar is € 133.100,00 inclusief "
        "btw gefactureerd. Het bestuur vond bij deze inhuur 0 fouten en 3 waarschuwingen.")
    later = mr.mr_context(small_board(), "12AB", "2023-2024")
    assert later["aantal"] == {"fout": 0, "waarschuwing": 2, "andere_school": 0}
    assert "1 inhuur: geregistreerd, lopend of gefactureerd in dit schooljaar (1 geregistreerd in een eerder schooljaar)." in (
        later["samenvatting"])


def test_jaarverslag_sentences_on_hires_and_files():
    """2022: 2 hires run (a and b), none invoiced in 2022; both have an evaluation and a workbook kind "Ondersteuning
    schoolpersoneel / extra handen in de klas"; every invoice has a date; no hire is split up or shared by schools.
    2023: 99ZZ/x.xlsx (a school outside bestuur.xlsx) has X-1 € 7.777 incl. btw. Bug: a sentence shown for nothing
    ('0 facturen hebben geen leesbare factuurdatum'), a count word or a file name 'None', the kind 'niet ingevuld'."""
    y22 = jaarverslag.jaarverslag_context(small_board(), 2022)
    assert (y22["aantal_inhuren"], y22["zonder_datum"], y22["zonder_categorie"]) == ("2 inhuren", "", False)
    assert y22["aantal_inhuren_gefactureerd"] == (
        "0 inhuren (van de 2 inhuren van 2022; 2 andere inhuren liepen in 2022 zonder factuur in 2022)")
    assert y22["zonder_evaluatie"] == "Van alle 2 inhuren van 2022 is een evaluatie of behaald resultaat vastgelegd."
    assert (y22["medezeggenschap_gedeeld"], y22["opgeknipt"]) == ("", [])
    assert y22["soorten"] == [{"soort": "Ondersteuning schoolpersoneel / extra handen in de klas", "inhuren": "2",
                               "bedrag": euro("€ 0,00")}]
    assert [r["samenvatting"] for r in y22["resultaten"]] == [
        "De meeste leerlingen haalden hun doel; de aanpak wordt door de eigen leraren voortgezet."] * 2
    assert y22["bijlagen_bestand"] == "jaarverslag-2022-bijlagen.docx"
    y23 = jaarverslag.jaarverslag_context(small_board(), 2023)
    assert (y23["aantal_inhuren_gefactureerd"], y23["zonder_categorie"]) == ("2 inhuren", False)
    assert y23["aantal_scholen_gefactureerd"] == euro(
        "1 school; niet meegeteld is 1 werkboek van een school die niet in bestuur.xlsx staat (99ZZ), met € 7.777,00 "
        "inclusief btw aan facturen in 2023")


def test_jaarverslag_share_lines_and_legend():
    """2022: allocation 5/12 × € 240.000 = € 100.000, PNIL (hire a) invoiced nothing in 2022: 0,0%. 2023: 7/12 ×
    € 240.000 + 5/12 × € 120.000 = € 190.000, PNIL € 18.150 incl. btw: 9,55% -> 9,6%. The note points to the appendix
    of its own year. Bug: the PNIL line or the appendix name lost, the category names left out of the legend."""
    y22 = jaarverslag.jaarverslag_context(small_board(), 2022)
    assert y22["pnil_regel"] == euro("Aandeel van de NPO-middelen besteed aan personeel niet in loondienst (PNIL): 0,0% "
                                     "(€ 0,00 van € 100.000,00).")
    assert jaarverslag.jaarverslag_context(small_board(), 2023)["pnil_regel"].endswith(
        euro(": 9,6% (€ 18.150,00 van € 190.000,00)."))
    assert y22["aandeel_noot"] == (
        "Aandeel = uitgaven gedeeld door de toekenning voor 2022. 'n.v.t.' betekent dat er voor deze school geen "
        "toekenning bekend is (zie bijlage B in jaarverslag-2022-bijlagen.docx en het tabblad Leerlingen van "
        "bestuur.xlsx). Een bovenschoolse inhuur telt bij elke deelnemende school voor haar aandeel.")
    assert y22["categorie_legenda"] == (
        "A = Meer onderwijs (binnen of buiten reguliere schooltijden); B = Effectievere inzet van onderwijs; "
        "C = Sociaal-emotionele en fysieke ontwikkeling; D = Ontwikkeling van de executieve functies; "
        "E = (Extra) inzet van personeel en ondersteuning; F = Faciliteiten en randvoorwaarden")


def test_gmr_notes_only_when_they_apply():
    """2021-2022: no allocation known for 12AB (the board has 2022-2023 and 2023-2024), so its share is 'n.v.t.' and
    the share note explains it; the school's columns add up to the total row (one school), so no columns note.
    2022-2023: share 55,5%, no note. Bug: a note shown where it does not apply or left out where it does."""
    early = gmr.gmr_context(small_board(), "2021-2022")
    assert [(s["toekenning"], s["aandeel"]) for s in early["scholen"]] == [("–", "n.v.t.")]
    assert early["aandeel_noot"] == ("Aandeel: besteed gedeeld door de toekenning; 'n.v.t.' als er geen toekenning bekend "
                                     "is, een streepje als de toekenning nul is.")
    assert early["scholen_noot"] == ""
    later = gmr.gmr_context(small_board(), "2022-2023")
    assert (later["aandeel_noot"], later["scholen_noot"]) == ("", "")
    # 2020-2021 lies before the NPO (it began in 2021-2022): no allocation, and the overview says why
    assert gmr.gmr_context(small_board(), "2020-2021")["toekenning_tekst"].startswith(
        "Een NPO-toekenning voor dit schooljaar is er niet: schooljaar 2020-2021 valt vóór het NPO-programma")


def _shared_board(inputs, linde: Decimal = Decimal("100000")):
    """Two schools; one bovenschools hire administered by 12AB, contract € 30.000, paid 60 % by 12AB (MR agreed
    1-12-2022) and 40 % by 14CD (MR agreed 5-12-2022); the board's MR agreed on 15-12-2022 and the GMR on 10-12-2022.
    The hire also names the randvoorwaarde F "Professionalisering".
    One invoice S-1 of 31-3-2023: € 10.000 + € 2.100 btw = € 12.100. Allocations 2022-2023: € 100.000 each,
    unless `linde` gives 14CD another."""
    schools = {b: config.School(b, n, "bo", f"info@{b.lower()}.example") for b, n in (("12AB", "De Regenboog"), ("14CD", "De Linde"))}
    allocation = {"12AB": Decimal("100000"), "14CD": linde}
    pupils = [config.Pupils(b, "2022-2023", 100, Decimal("0"), 0, allocation_override=allocation[b]) for b in schools]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Samen", schools=schools, pupils=pupils))
    write_workbook(inputs / "12AB" / "s.xlsx", {
        "volgnummer": 1, "niveau": "Bovenschools", "contractwaarde": 30000, "gmr_instemming": date(2022, 12, 10),
        "mr_akkoord_bovenschools": date(2022, 12, 15), "interventie_f": "Professionalisering"}, {
        "tblDeelnemers": [["12AB", "60%", date(2022, 12, 1)], ["14CD", "40%", date(2022, 12, 5)]],
        "tblFacturen": [["S-1", date(2023, 3, 31), 10000, 2100, "deel 1"]]})
    return run.run(inputs, workers=1, today=date(2024, 3, 1))


def test_bovenschools_rows_in_gmr_jaarverslag_and_mr(tmp_path):
    """The GMR and jaarverslag rows of the shared hire name its value, the GMR's and the board MR's agreement; the MR
    report of 14CD shows the GMR date, the school's share 40 %, its MR's agreement of 5-12-2022 and its part of the
    contract, 40 % × € 30.000 = € 12.000. Bug: the value or a date read under the wrong name ('niet ingevuld',
    'ontbreekt'), the school's part of the contract shown as € 0,00."""
    data = _shared_board(tmp_path / "inputs")
    shares = "12AB 60,0% (MR-akkoord 1 december 2022); 14CD 40,0% (MR-akkoord 5 december 2022)"
    assert gmr.gmr_context(data, "2022-2023")["bovenschools"] == [{
        "inhuur": "12AB-2022-2023-1", "leverancier": "Bijlesbureau Slim Verder B.V.",
        "interventie": "B: Instructie in kleine groepen", "waarde": euro("€ 30.000,00"), "gmr": "10 december 2022",
        "mr_akkoord": "15 december 2022", "deelnemers": shares}]
    # the jaarverslag 2023 row: S-1 of 31-3-2023, € 10.000 + € 2.100 btw = € 12.100 incl. btw
    assert jaarverslag.jaarverslag_context(data, 2023)["bovenschools"] == [{
        "inhuur": "12AB-2022-2023-1", "leverancier": "Bijlesbureau Slim Verder B.V.", "gmr": "10 december 2022",
        "mr_akkoord": "15 december 2022", "bedrag": euro("€ 12.100,00"), "deelnemers": shares}]
    ctx = mr.mr_context(data, "14CD", "2022-2023")
    (item,) = ctx["inhuren"]
    consent = {c["label"]: c["waarde"] for c in item["medezeggenschap"]}
    assert consent["Instemming GMR (bovenschools)"] == "10 december 2022"
    assert consent["Aandeel van deze school"] == "40,0%"
    assert consent["Akkoord MR van deze school met haar aandeel (instemming vooraf)"] == "5 december 2022"
    (over,) = ctx["overzicht"]
    assert over["contractwaarde"] == euro("€ 12.000,00")
    # the hire also covers a randvoorwaarde of the menukaart (F: Professionalisering)
    assert _facts(item)["Interventie (menukaart)"] == "B: Instructie in kleine groepen; randvoorwaarde F: Professionalisering"


def test_bovenschools_share_in_summaries_and_notes(tmp_path):
    """14CD's MR summary: its part 40 % × € 30.000 = € 12.000 and 40 % of S-1 = € 4.000 excl. / € 4.840 incl., its MR's
    agreement of 5-12-2022. The jaarverslag 2023 lists the one hire and its one invoice at both schools, so the columns
    Inhuren and Facturen add up to 1 more than the totals; the GMR names the columns that add up to more (Inhuren, Fout,
    Waarsch.: the hire's findings count at both schools). Bug: the part, the date or a note wrong or left out."""
    data = _shared_board(tmp_path / "inputs")
    summary = mr.mr_context(data, "14CD", "2022-2023")["inhuren"][0]["samenvatting"]
    assert euro("De contractwaarde is € 30.000,00 exclusief btw, waarvan De Linde 40,0% draagt (€ 12.000,00); tot nu toe "
                "is voor deze school € 4.000,00 gefactureerd (€ 4.840,00 inclusief btw).") in summary
    assert "De MR van de school ging akkoord met dit deel op 5 december 2022." in summary
    y23 = jaarverslag.jaarverslag_context(data, 2023)
    assert y23["medezeggenschap_gedeeld"] == ("Een bovenschoolse inhuur staat bij elke school die eraan meebetaalt: de "
                                              "kolom Inhuren telt daardoor samen 1 meer dan de 1 inhuur van 2023.")
    assert y23["kosten_noot"].endswith("de kolom Facturen telt daardoor samen 1 meer dan de 1 factuur van 2023; de "
                                       "bedragen tellen precies op.")
    assert gmr.gmr_context(data, "2022-2023")["scholen_noot"].startswith(
        "De kolommen Inhuren, Fout, Waarsch. tellen samen op tot meer dan de totaalregel")


def test_jaarverslag_years_before_and_after_the_hires():
    """The small board's hires run 1-9-2022 .. 30-6-2023 and are invoiced in 2023: none belongs to 2021 or 2024. 2021
    takes 5/12 of school year 2021-2022 (the NPO began then; 2020-2021 has no allocation). Bug: hires without an
    invoice in the year counted regardless of their period, the basis of 2021 left out."""
    assert jaarverslag.jaarverslag_context(small_board(), 2024)["aantal_inhuren"] == "0 inhuren"
    y21 = jaarverslag.jaarverslag_context(small_board(), 2021)
    assert y21["aantal_inhuren"] == "0 inhuren"
    assert y21["toekenning_grondslag"].startswith("5/12 van schooljaar 2021-2022; schooljaar 2020-2021 valt vóór het NPO")


def test_workbook_gaps_and_extras_in_the_mr_facts(tmp_path):
    """One hire with an hourly rate of € 52, two quotes (the first chosen), no evaluation date, no date the parents were
    informed, a result without a deadline, no menukaart intervention, no MR dates, two half-filled quote rows, an
    invoice without a date and one in 2024, a year without a known allocation. Bug: the rate shown as 'niet ingevuld',
    every quote marked chosen or a half-filled one dropped, a missing date shown as 'None' or with its explanation
    lost, spending without a category or an undated invoice left out of the jaarverslag's notes, the PNIL amount of a
    year without allocation shown as € 0,00."""
    inputs = tmp_path / "inputs"
    school = config.School("12AB", "De Regenboog", "bo", "info@regenboog.example")
    pupils = [config.Pupils("12AB", "2022-2023", 100, Decimal("0"), 0, allocation_override=Decimal("100000"))]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Proef", schools={"12AB": school}, pupils=pupils))
    quotes = [["Bijles Slim", "12345678", 40000, date(2022, 6, 1), "Ja"], ["Bijles Duur", "23456789", 43200, date(2022, 6, 2), "Nee"],
              ["Bijles Zonder Bedrag", None, None, date(2022, 6, 3), "Nee"], [None, None, 41000, date(2022, 6, 4), "Nee"]]
    invoices = [["F-1", date(2022, 12, 31), 10000, 2100, "najaar"], ["F-2", date(2023, 6, 30), 10000, 2100, "voorjaar"],
                ["F-3", None, 500, 105, "zonder datum"], ["F-4", date(2024, 1, 15), 400, 84, "na afloop"]]
    write_workbook(inputs / "12AB" / "g.xlsx", {"volgnummer": 1, "uurtarief": 52}, {
        "tblOffertes": quotes, "tblResultaten": [["Alle leerlingen lezen vlot", "Eindresultaat", None, "Leestoets", "Ja"]],
        "tblFacturen": invoices},
        unset=("evaluatiedatum", "ouders_geinformeerd", "interventie", "mr_advies_gevraagd", "mr_advies_ontvangen",
               "mr_instemming_schoolprogramma"))
    data = run.run(inputs, workers=1, today=date(2024, 3, 1))
    (item,) = mr.mr_context(data, "12AB", "2022-2023")["inhuren"]
    facts = _facts(item)
    assert (facts["Uurtarief (excl. btw)"], facts["Ouders geïnformeerd"]) == (euro("€ 52,00"), "niet vastgelegd")
    # a quote row with only a supplier, or only an amount, still counts as a quote
    assert facts["Offertes"] == euro("4 offertes: Bijles Slim (€ 40.000,00), gekozen; Bijles Duur (€ 43.200,00); Bijles "
                                     "Zonder Bedrag (niet ingevuld); onbekend (€ 41.000,00)")
    consent = {c["label"]: c["waarde"] for c in item["medezeggenschap"]}
    assert [consent[k] for k in ("Instemming MR met het schoolprogramma", "MR-advies gevraagd", "MR-advies ontvangen")] == [
        "niet vastgelegd in het werkboek", "nee, niet vastgelegd in het werkboek", "niet vastgelegd"]
    assert [r["advies"] for r in gmr.gmr_context(data, "2022-2023")["inhuren"]] == ["niet gevraagd"]
    assert [(r["resultaat"], r["deadline"]) for r in item["resultaten"]] == [("Alle leerlingen lezen vlot", "–")]
    assert item["evaluatie"].startswith("Evaluatie: datum niet ingevuld. Belangrijkste uitkomsten: ")
    y22 = jaarverslag.jaarverslag_context(data, 2022)
    assert [r["evaluatie"] for r in y22["resultaten"]] == ["geen datum"]
    # no menukaart intervention: F-1 of 31-12-2022, € 10.000 + € 2.100 btw, has no category in the jaarverslag 2022
    assert (y22["zonder_categorie"], y22["zonder_categorie_tekst"]) == (True, euro("12AB De Regenboog: € 12.100,00"))
    # F-3 has no date: it counts in no year, and the note names its file
    assert y22["zonder_datum"] == ("Let op: 1 factuur heeft geen leesbare factuurdatum en telt daardoor in geen enkel jaar "
                                   "mee (bestanden: 12AB/g.xlsx).")
    # 2024 lies in 2023-2024 and 2024-2025, for which the board gave no allocation: F-4 (15-1-2024, € 400 + € 84 btw,
    # hire g is PNIL) is spent without a known allocation, so no share
    y24 = jaarverslag.jaarverslag_context(data, 2024)
    assert (y24["pnil_regel"], y24["extern_regel"]) == (
        euro("Besteed aan personeel niet in loondienst (PNIL): € 484,00; een aandeel is niet te berekenen, want er is voor "
             "2024 geen toekenning bekend."), euro("Besteed aan externe inhuur in totaal: € 484,00."))


def test_mr_names_findings_about_another_paying_school(tmp_path):
    """With an allocation of € 5.000 for 14CD, its part of S-1 (40 % × € 12.100 = € 4.840, 96,8 %) passes the 50 % of
    P5: a finding about 14CD on the hire 12AB administers. 12AB's MR report lists it under the hire, about 14CD, and
    counts it apart from its own. Bug: it counted as 12AB's own, or not at all."""
    data = _shared_board(tmp_path / "inputs", linde=Decimal("5000"))
    # the GMR rows: the hire's own findings (P4 three times, fout; A3, waarschuwing) count at both schools, the P5
    # about 14CD only at 14CD
    assert [(r["school"], r["fouten"], r["waarschuwingen"]) for r in gmr.gmr_context(data, "2022-2023")["scholen"]] == [
        ("12AB De Regenboog", "3", "1"), ("14CD De Linde", "3", "2")]
    ctx = mr.mr_context(data, "12AB", "2022-2023")
    assert ctx["aantal"]["andere_school"] == 1
    assert [(f["regel_id"], f["over"]) for f in ctx["inhuren"][0]["bevindingen"] if f["over"]] == [("P5", "14CD")]
    assert ctx["samenvatting"].endswith("; 1 bevinding gaat over een andere school die aan een inhuur meebetaalt en is "
                                        "hierin niet meegeteld.")


def test_appendix_lists_a_superseded_version_only_in_the_years_of_its_hire():
    """a-oud.xlsx (replaced by a.xlsx) runs 1-9-2022 .. 30-6-2023 like a.xlsx, whose invoices lie in 2023: it is listed
    in 2022 and 2023, not in 2021 or 2024. 99ZZ/x.xlsx was not read (a school outside bestuur.xlsx): listed every year.
    Bug: a superseded version listed in every year, or a rejected file only in the years of its hire."""
    files = {y: [(r["file"], r["status"]) for r in jaarverslag.jaarverslag_context(small_board(), y)["bestanden"]]
             for y in (2021, 2022, 2024)}
    assert files[2021] == files[2024] == [("99ZZ/x.xlsx", "afgewezen")]
    assert files[2022] == [("12AB/a-oud.xlsx", "vervangen"), ("12AB/a.xlsx", "gelezen"), ("12AB/b.xlsx", "gelezen"),
                           ("99ZZ/x.xlsx", "afgewezen")]


def test_compliance_table_and_charts_of_the_small_board():
    """Findings of the small board: hire a P5 and A3 (waarschuwing) and W6 (info, a-oud.xlsx), hire b P5. Both hires run
    in 2023 and in 2022-2023, so the compliance table counts, per rule in the catalogue's order: W6 1 info, P5 2
    warnings, A3 1 warning; total 0 / 3 / 1. 2023 and 2022-2023 have invoices, so both charts; 2022 has none, so no
    chart. Bug: the table or a chart dropped (a key the template only tests in an if), a count in another column."""
    rows = [("W6", "0", "0", "1"), ("P5", "0", "2", "0"), ("A3", "0", "1", "0")]
    y23 = jaarverslag.jaarverslag_context(small_board(), 2023)
    g = gmr.gmr_context(small_board(), "2022-2023")
    for ctx in (y23, g):
        assert [(r["regel"], r["fout"], r["waarschuwing"], r["info"]) for r in ctx["naleving"]] == rows
        assert ctx["naleving_totaal"] == {"fout": "0", "waarschuwing": "3", "info": "1"}
        assert sorted(ctx["grafieken"]) == ["chart_categories", "chart_schools"]
    assert jaarverslag.jaarverslag_context(small_board(), 2022)["grafieken"] == {}


def test_gmr_totals_allocation_and_findings_sentence():
    """2022-2023 of the small board: A-1 (15-3-2023) € 10.000 + € 2.100 and B-1 (1-5-2023) € 100.000 + € 21.000; A-2 of
    31-12-2023 is in 2023-2024. Total € 110.000 + € 23.100 = € 133.100, of the allocation € 240.000: 55,46% -> 55,5%.
    Findings: W6 (info), P5 twice and A3 (waarschuwing), no error. 2021-2022 has no allocation row and no hire: share
    'n.v.t.', the allocation 'niet bekend', no findings, no charts. Bug: a total, the allocation or the share lost,
    a chart without its title, the findings sentence for the wrong case."""
    g = gmr.gmr_context(small_board(), "2022-2023")
    assert g["totaal"] == {"excl": euro("€ 110.000,00"), "btw": euro("€ 23.100,00"), "incl": euro("€ 133.100,00")}
    assert (g["toekenning_totaal"], g["aandeel_extern"]) == (euro("€ 240.000,00"), "55,5%")
    assert g["naleving_tekst"] == ("Bevindingen bij de inhuur van dit schooljaar: 0 fouten, 3 waarschuwingen en 1 melding "
                                   "ter informatie; bij 0 van de 2 inhuren is minstens één fout gevonden.")
    assert {k: v["titel"] for k, v in g["grafieken"].items()} == {
        "chart_categories": "Uitgaven 2022-2023 per menukaartcategorie (incl. btw)",
        "chart_schools": "Uitgaven 2022-2023 per school (incl. btw)"}
    early = gmr.gmr_context(small_board(), "2021-2022")
    assert (early["aandeel_extern"], early["grafieken"]) == ("n.v.t.", {})
    assert early["toekenning_tekst"] == "Een NPO-toekenning voor dit schooljaar is niet bekend (tabblad Leerlingen van bestuur.xlsx)."
    assert early["naleving_tekst"] == "Bij de inhuur van dit schooljaar zijn geen bevindingen gedaan."

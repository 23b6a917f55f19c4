"""Guards from the unsampled screen of the jaarverslag context (issue 28, 2026-12-06c): figures, counts, dates, verdicts
and file names of the jaarverslag that a mutant changed while every earlier guard passed, on small boards built here.

Every expected value is typed by hand with a comment how it was computed from the workbooks and ledger lines written in
the test (the baseline hire of tests/builders.py: Bijlesbureau Slim Verder B.V., 1-9-2022 .. 30-6-2023, F-1 31-12-2022
and F-2 30-6-2023 of € 10.000 + € 2.100 btw each, MR consent on 20-6-2022, an evaluation on 15-9-2023 with two
results, one 'Ja' and one 'Deels'). No pytest fixtures but tmp_path, so tools/mutants_screen.py can run them; the
boards that several tests share are built once per process, like tests/guards_board.py does.
"""
from __future__ import annotations

import hashlib
import tempfile
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from builders import write_workbook
from guards_board import LEDGER_HEADING, LEDGER_LINES, TODAY, build_ledger_board, euro, ledger_board, small_board
from pipeline import run
from pipeline.model import RunData
from pipeline.read import board as config
from pipeline.render import jaarverslag

D = Decimal
NAMES = {"12AB": "De Regenboog", "14CD": "De Linde", "16EF": "De Eik"}


def _write_board(inputs: Path, brins=("12AB",), allocations: dict[str, str] | None = None,
                 settings: config.Settings | None = None) -> Path:
    """bestuur.xlsx with the schools `brins` (names from NAMES) and per school the same allocation per school year."""
    inputs.mkdir(parents=True, exist_ok=True)
    schools = {b: config.School(b, NAMES[b], "bo", f"info@{b.lower()}.example") for b in brins}
    pupils = [config.Pupils(b, y, 100, D("0"), 0, allocation_override=D(v)) for b in brins
              for y, v in (allocations or {"2022-2023": "100000"}).items()]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Proef", schools=schools, pupils=pupils,
                                                         settings=settings or config.Settings()))
    return inputs


def _hire(inputs: Path, name: str, brin: str = "12AB", nr: int = 1, tables: dict | None = None,
          unset: tuple[str, ...] = (), **fields) -> None:
    write_workbook(inputs / brin / name, {"brin": brin, "school_naam": NAMES.get(brin, brin), "volgnummer": nr, **fields},
                   tables, unset=unset)


def _read(inputs: Path) -> RunData:
    return run.run(inputs, workers=1, today=TODAY)


def _tmp(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"guards-jv-{prefix}-")) / "inputs"


# --------------------------------------------------------------------------- the EU threshold table


def test_threshold_table_names_the_verdict_and_follows_the_social_services_regime(tmp_path):
    """Hire 1: contract € 215.000 (= the threshold of 2022-2023: its first quote is dated 15-7-2022, the baseline's
    contract date), procedure 'Meervoudig onderhands': in the table, verdict A1. Hire 2: contract € 800.000, 'Europees'.
    With the regime for social and other specific services on (bestuur.xlsx), the threshold is € 750.000: hire 1 drops
    out, hire 2 stays with that threshold. Bug: every hire called 'Europees aanbesteed', the regime ignored."""
    def board(root: Path, social: bool) -> RunData:
        inputs = _write_board(root, settings=config.Settings(social_services_regime=social))
        _hire(inputs, "e.xlsx", nr=1, contractwaarde=215000, procedure="Meervoudig onderhands")
        _hire(inputs, "f.xlsx", nr=2, contractwaarde=800000, procedure="Europees")
        return _read(inputs)

    slim = "Bijlesbureau Slim Verder B.V."
    e = {"inhuur": "12AB-2022-2023-1", "leverancier": slim, "waarde": euro("€ 215.000,00"), "drempel": euro("€ 215.000,00"),
         "procedure": "Meervoudig onderhands", "oordeel": "Niet Europees aanbesteed: fout (A1)"}
    f = {"inhuur": "12AB-2022-2023-2", "leverancier": slim, "waarde": euro("€ 800.000,00"), "procedure": "Europees",
         "oordeel": "Europees aanbesteed"}
    ctx = jaarverslag.jaarverslag_context(board(tmp_path / "gewoon", False), 2023)
    assert (ctx["eu"], ctx["aantal_eu"]) == ([e, {**f, "drempel": euro("€ 215.000,00")}], "2")
    ctx = jaarverslag.jaarverslag_context(board(tmp_path / "sociaal", True), 2023)
    assert (ctx["eu"], ctx["aantal_eu"]) == ([{**f, "drempel": euro("€ 750.000,00")}], "1")


# --------------------------------------------------------------------------- how the year's allocation is made up


def test_allocation_words_for_each_way_a_calendar_year_is_made_up():
    """Small board 2023: 7/12 × € 240.000 (2022-2023) + 5/12 × € 120.000 (2023-2024) = € 140.000 + € 50.000 = € 190.000.
    Small board 2021: 2020-2021 lies before the NPO, 2021-2022 has no allocation row (none known, so it counts, as € 0).
    Ledger board 2023: 2023-2024 is € 0 for both schools, so only 7/12 × € 100.000 = € 58.333,33 per school, € 116.666,66.
    Ledger board 2024: 2023-2024 and 2024-2025 are both € 0: no new money, and each school's share is a dash, which the
    note explains. Bug: a sentence or its basis lost (None), the fraction replaced by the months, the total lost."""
    two = "Een kalenderjaar valt in twee schooljaren. De NPO-toekenning voor"
    before = "schooljaar 2020-2021 valt vóór het NPO-programma, dat begon in schooljaar 2021-2022"
    none = "in schooljaar 2023-2024 kwamen er geen nieuwe NPO-middelen bij"
    reasons = f"{none}, en in schooljaar 2024-2025 kwamen er geen nieuwe NPO-middelen bij"
    expected = {  # (board, year): (toekenning_uitleg, toekenning_grondslag)
        ("klein", 2023): (euro(
            f"{two} 2023 is daarom berekend als 7/12 van de toekenning voor schooljaar 2022-2023 (januari tot en met juli) "
            "plus 5/12 van de toekenning voor schooljaar 2023-2024 (augustus tot en met december). Voor de scholen van "
            "het bestuur samen is dat € 190.000,00."), "7/12 van schooljaar 2022-2023 plus 5/12 van schooljaar 2023-2024"),
        ("klein", 2021): (euro(
            f"{two} 2021 is 5/12 van de toekenning voor schooljaar 2021-2022 (augustus tot en met december); {before}. "
            "Voor de scholen van het bestuur samen is dat € 0,00."), f"5/12 van schooljaar 2021-2022; {before}"),
        ("grootboek", 2023): (euro(
            f"{two} 2023 is 7/12 van de toekenning voor schooljaar 2022-2023 (januari tot en met juli); {none}. Voor de "
            "scholen van het bestuur samen is dat € 116.666,66."), f"7/12 van schooljaar 2022-2023; {none}"),
        ("grootboek", 2024): (
            f"In 2024 kreeg het bestuur geen nieuwe NPO-middelen: {reasons}. Wat in 2024 is uitgegeven, komt uit eerder "
            "toegekende NPO-middelen; hoofdstuk 3 zet onder 'Cumulatief' alle uitgaven tegenover alle toekenningen.",
            f"geen nieuwe toekenning: {reasons}"),
    }
    boards = {"klein": small_board(), "grootboek": ledger_board()}
    got = {}
    for board, year in expected:
        y = jaarverslag.jaarverslag_context(boards[board], year)
        got[board, year] = (y["toekenning_uitleg"], y["toekenning_grondslag"])
    assert got == expected
    y = jaarverslag.jaarverslag_context(ledger_board(), 2024)
    assert [(r["aandeel_extern"], r["aandeel_pnil"]) for r in y["npo"]] == [("–", "–"), ("–", "–")]
    assert y["aandeel_noot"] == (
        "Aandeel = uitgaven gedeeld door de toekenning voor 2024. 'n.v.t.' betekent dat er voor deze school geen "
        "toekenning bekend is (zie bijlage B in jaarverslag-2024-bijlagen.docx en het tabblad Leerlingen van "
        "bestuur.xlsx). Een streepje bij Aandeel: de toekenning is nul, dus er is geen aandeel te berekenen. Een "
        "bovenschoolse inhuur telt bij elke deelnemende school voor haar aandeel.")


# --------------------------------------------------------------------------- counts of hires


def test_invoiced_hires_counted_in_the_singular():
    """Ledger board 2022: only hire a runs (0-samen.xlsx starts 1-9-2023) and A-0 of 15-12-2022 invoices it. 2025: only
    0-samen.xlsx runs (until 30-6-2025; a ended 30-6-2024), without an invoice. Bug: '1 None', the count word lost."""
    assert jaarverslag.jaarverslag_context(ledger_board(), 2022)["aantal_inhuren_gefactureerd"] == "1 inhuur"
    assert jaarverslag.jaarverslag_context(ledger_board(), 2025)["aantal_inhuren_gefactureerd"] == (
        "0 inhuren (van de 1 inhuur van 2025; 1 andere inhuur liep in 2025 zonder factuur in 2025)")


# --------------------------------------------------------------------------- Bijlage A: the files behind the figures


@lru_cache(maxsize=1)
def _yearless_board() -> tuple[Path, RunData]:
    """12AB/y.xlsx: no start date and one invoice Y-1 without a date (€ 500 + € 105 btw): it belongs to no year.
    12AB/o.xlsx: open-ended (no end date) from 1-9-2023, so it runs until the run date 1-3-2024; 12AB/o-oud.xlsx is an
    older version of it (versiedatum 1-7-2023 against 10-7-2023), also open-ended."""
    inputs = _write_board(_tmp("jaarloos"))
    _hire(inputs, "y.xlsx", nr=1, unset=("startdatum",), tables={"tblFacturen": [["Y-1", None, 500, 105, "zonder datum"]]})
    for name, version in (("o.xlsx", date(2023, 7, 10)), ("o-oud.xlsx", date(2023, 7, 1))):
        _hire(inputs, name, nr=2, startdatum=date(2023, 9, 1), versiedatum=version, unset=("einddatum",),
              tables={"tblFacturen": []})
    return inputs, _read(inputs)


def test_appendix_lists_a_yearless_hire_every_year_and_an_open_ended_one_until_the_run_date():
    """y.xlsx is listed in every year with why it counts nowhere; o.xlsx and o-oud.xlsx (replaced by o.xlsx, with the
    reason the reader gives) run 1-9-2023 .. 1-3-2024: listed in 2023 and 2024, not in 2022 or 2025. The SHA-256 is
    that of the file's bytes. Bug: the yearless hire dropped or listed without its reason, an open-ended hire's period
    ended at no date (a crash), the reason of a file that does not count left empty, every hash shown as a dash."""
    inputs, data = _yearless_board()
    yearless = ("12AB/y.xlsx", "gelezen", "geen periode en geen gedateerde factuur: telt in geen enkel jaar mee")
    replaced = ("12AB/o-oud.xlsx", "vervangen", "Vervangen door de nieuwere versie 12AB/o.xlsx.")
    rows = {y: jaarverslag.jaarverslag_context(data, y)["bestanden"] for y in (2022, 2023, 2024, 2025)}
    got = {y: [(r["file"], r["status"], r["reden"]) for r in v] for y, v in rows.items()}
    assert got[2022] == got[2025] == [yearless]
    assert got[2023] == [replaced, ("12AB/o.xlsx", "gelezen", "geen facturen in 2023"), yearless]
    assert got[2024] == [replaced, ("12AB/o.xlsx", "gelezen", "geen facturen in 2024"), yearless]
    assert rows[2022][0]["sha256"] == hashlib.sha256((inputs / "12AB" / "y.xlsx").read_bytes()).hexdigest()
    assert (rows[2023][0]["excl"], rows[2023][0]["incl"]) == ("–", "–")


def test_appendix_lists_a_superseded_version_with_the_year_of_the_version_that_replaced_it():
    """Ledger board: a-oud.xlsx still said 1-9-2021 .. 30-6-2022, so its own period misses 2023; a.xlsx, which replaced
    it, runs in 2023: listed there. Bug: a superseded version listed only in the years of its own period."""
    files = [r["file"] for r in jaarverslag.jaarverslag_context(ledger_board(), 2023)["bestanden"]]
    assert files == ["12AB/0-samen.xlsx", "12AB/a-oud.xlsx", "12AB/a.xlsx", "99ZZ/x.xlsx"]


# --------------------------------------------------------------------------- MR consent and evaluations


@lru_cache(maxsize=1)
def _consent_board() -> RunData:
    """Three schools, every hire the baseline (1-9-2022 .. 30-6-2023, evaluated) unless said otherwise:
    12AB: four hires with the MR's consent to the school programme on 1, 2, 3 and 4 June 2022;
    14CD: three hires with consent on 1, 2 and 3 June 2022 and a fourth without a consent date;
    16EF: three hires without a consent date: e1 with only an evaluation summary and a result not (yet) scored, e2 with
    only an evaluation date and that result, e3 with neither (no evaluation at all) and without the date the MR's
    advice was asked.
    Each hire has one invoice of its own, <file>-1 of 1-3-2023, € 1.000 + € 210 btw."""
    inputs = _write_board(_tmp("mr"), brins=("12AB", "14CD", "16EF"))

    def invoice(name: str) -> list:
        return [[f"{name}-1", date(2023, 3, 1), 1000, 210, "maart"]]

    for i in range(1, 5):
        _hire(inputs, f"a{i}.xlsx", "12AB", i, {"tblFacturen": invoice(f"a{i}")}, mr_instemming_schoolprogramma=date(2022, 6, i))
        _hire(inputs, f"c{i}.xlsx", "14CD", i, {"tblFacturen": invoice(f"c{i}")},
              unset=() if i < 4 else ("mr_instemming_schoolprogramma",),
              **({"mr_instemming_schoolprogramma": date(2022, 6, i)} if i < 4 else {}))
    result = [["Leerlingen lezen vlot", "Eindresultaat", date(2023, 6, 30), "Leestoets", None]]
    no_consent = ("mr_instemming_schoolprogramma",)
    for i, unset in enumerate((("evaluatiedatum",), ("evaluatie_samenvatting",),
                               ("evaluatiedatum", "evaluatie_samenvatting", "mr_advies_gevraagd")), start=1):
        _hire(inputs, f"e{i}.xlsx", "16EF", i, {"tblResultaten": result, "tblFacturen": invoice(f"e{i}")},
              unset=(*no_consent, *unset))
    return _read(inputs)


def test_mr_consent_per_school_lists_three_dates_and_counts_the_missing():
    """12AB: 4 consent dates, the first three shown and '…'; 14CD: 1 of 4 hires without one, the other three dates shown
    (exactly three: no '…'); 16EF: none of its 3 hires has one. The MR's advice was asked at every hire but e3.
    Bug: a fourth date shown or the '…' lost, the missing count doubled or lost, 'Niet vastgelegd' reworded."""
    ctx = jaarverslag.jaarverslag_context(_consent_board(), 2023)
    assert ctx["medezeggenschap"] == [
        {"school": "12AB De Regenboog", "inhuren": "4", "instemming": "Ja: 1 juni 2022; 2 juni 2022; 3 juni 2022; …",
         "advies": "Bij 4 van 4 inhuren"},
        {"school": "14CD De Linde", "inhuren": "4",
         "instemming": "Ontbreekt bij 1 van 4 inhuren (wel: 1 juni 2022; 2 juni 2022; 3 juni 2022)",
         "advies": "Bij 4 van 4 inhuren"},
        {"school": "16EF De Eik", "inhuren": "3", "instemming": "Niet vastgelegd", "advies": "Bij 2 van 3 inhuren"}]
    # every school has invoices in 2023, none is outside bestuur.xlsx
    assert ctx["aantal_scholen_gefactureerd"] == "3 scholen"


def test_results_count_a_hire_with_only_an_evaluation_date_or_only_a_summary():
    """2023: 11 hires run. e1 (only a summary) and e2 (only a date) count as evaluated, each with its 1 result not
    scored: '0 van 1'; e3 has nothing, so 1 of the 11 is without an evaluation. The 8 baseline hires have 2 results each
    (one 'Ja', one 'Deels'): agreed 8 × 2 + 1 + 1 = 18, achieved 8, partly 8, over 10 hires, all menukaart B.
    Bug: a hire with only a date or only a summary left out, a hire without anything crashing the context."""
    ctx = jaarverslag.jaarverslag_context(_consent_board(), 2023)
    assert ctx["zonder_evaluatie"] == "Bij 1 van de 11 inhuren van 2023 is nog geen evaluatie of behaald resultaat vastgelegd."
    rows = {r["inhuur"]: (r["behaald"], r["evaluatie"], r["samenvatting"]) for r in ctx["resultaten"]}
    assert len(rows) == 10 and "16EF-2022-2023-3" not in rows
    assert rows["16EF-2022-2023-1"] == (
        "0 van 1", "geen datum", "De meeste leerlingen haalden hun doel; de aanpak wordt door de eigen leraren voortgezet.")
    assert rows["16EF-2022-2023-2"] == ("0 van 1", "15 september 2023", "–")
    assert rows["12AB-2022-2023-1"] == ("1 van 2, 1 deels", "15 september 2023",
                                        "De meeste leerlingen haalden hun doel; de aanpak wordt door de eigen leraren voortgezet.")
    assert ctx["resultaten_totaal"] == {"inhuren": "10", "afgesproken": "18", "behaald": "8", "deels": "8"}

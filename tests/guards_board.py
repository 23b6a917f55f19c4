"""A small board whose every figure is worked out by hand, for the guard tests of the document contexts.

Plain functions (no pytest fixtures) so that tools/mutants_screen.py can call the tests that use them.

One school, 12AB "De Regenboog", with fixed allocations 2022-2023 € 240.000,00 and 2023-2024 € 120.000,00.
  12AB/a.xlsx      volgnummer 1, PNIL Ja, contract € 40.000,00
                   A-1 15-3-2023  € 10.000,00 + € 2.100,00 btw = € 12.100,00
                   A-2 31-12-2023 €  5.000,00 + € 1.050,00 btw = €  6.050,00
  12AB/a-oud.xlsx  the same hire, an older version (versiedatum 1-7-2022): superseded, never counted
                   A-1 15-3-2023  € 99.999,00 + € 0,00 btw
  12AB/b.xlsx      volgnummer 2, PNIL Nee, contract € 215.000,00 = the EU threshold of 2022-2023
                   (first quote 1-6-2022), procedure Europees
                   B-1 1-5-2023   € 100.000,00 + € 21.000,00 btw = € 121.000,00
  99ZZ/x.xlsx      a school that is not in bestuur.xlsx: rejected, never counted
"""
from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from builders import write_workbook
from pipeline import run
from pipeline.model import RunData
from pipeline.read import board as config

D = Decimal
TODAY = date(2024, 3, 1)
ALLOCATIONS = {"2022-2023": D("240000"), "2023-2024": D("120000")}


def _quote(name: str, kvk: str, amount: float) -> list:
    return [[name, kvk, amount, date(2022, 6, 1), "Ja"]]


def build(inputs: Path) -> Path:
    """Write the board described in the module docstring under `inputs`."""
    inputs.mkdir(parents=True, exist_ok=True)
    school = config.School("12AB", "De Regenboog", "bo", "info@regenboog.example")
    pupils = [config.Pupils("12AB", y, 100, D("0"), 0, allocation_override=v) for y, v in ALLOCATIONS.items()]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Proef", schools={"12AB": school}, pupils=pupils))
    a = {"volgnummer": 1, "pnil": "Ja", "contractwaarde": 40000, "procedure": "Meervoudig onderhands",
         "versiedatum": date(2022, 7, 10)}
    write_workbook(inputs / "12AB" / "a.xlsx", a, {
        "tblFacturen": [["A-1", date(2023, 3, 15), 10000, 2100, "voorjaar"], ["A-2", date(2023, 12, 31), 5000, 1050, "najaar"]],
        "tblOffertes": _quote("Bijles Slim", "12345678", 40000)})
    write_workbook(inputs / "12AB" / "a-oud.xlsx", {**a, "versiedatum": date(2022, 7, 1)}, {
        "tblFacturen": [["A-1", date(2023, 3, 15), 99999, 0, "oud"]], "tblOffertes": _quote("Bijles Slim", "12345678", 40000)})
    write_workbook(inputs / "12AB" / "b.xlsx", {
        "volgnummer": 2, "pnil": "Nee", "contractwaarde": 215000, "procedure": "Europees", "leverancier_naam": "Groot Bureau",
        "leverancier_kvk": "87654321"}, {
        "tblFacturen": [["B-1", date(2023, 5, 1), 100000, 21000, "deel 1"]], "tblOffertes": _quote("Groot Bureau", "87654321", 215000)})
    write_workbook(inputs / "99ZZ" / "x.xlsx", {"brin": "99ZZ", "school_naam": "Vreemd", "volgnummer": 1}, {
        "tblFacturen": [["X-1", date(2023, 4, 1), 7777, 0, "vreemd"]]})
    return inputs


@lru_cache(maxsize=1)
def small_board() -> RunData:
    """The board read and checked once per process (the temp folder lives as long as the process)."""
    inputs = build(Path(tempfile.mkdtemp(prefix="guards-")) / "inputs")
    return run.run(inputs, workers=1, today=TODAY)


def euro(text: str) -> str:
    """'€ 1.234,56' as the documents write it (a non-breaking space after the euro sign)."""
    return text.replace("€ ", "€\u00a0")


def facts(item: dict) -> dict[str, str]:
    """An MR hire's fact table: label -> value."""
    return {g["label"]: g["waarde"] for g in item["gegevens"]}


LEDGER_HEADING = "Boekdatum;Rekening;Kostenplaats;Project;Crediteur;Naam crediteur;Factuurnummer;Omschrijving;Bedrag debet;Bedrag credit"
# The ledger of ledger_board(): account 4410, project NPO; cost centres 112 = 12AB, 114 = 14CD, 100 = the board office,
# 199 = a centre bestuur.xlsx does not know. Amounts excl. btw (the Grootboek sheet says "automatisch").
LEDGER_LINES = [
    "15-12-2022;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;A-0;december;2.500,00;",   # A-0 matched (2022)
    "15-03-2023;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;A-1;maart;10.000,00;",     # A-1 matched
    "20-04-2023;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;A-2;april;5.500,00;",      # A-2: workbook € 5.000 (L3)
    "12-06-2023;4410;114;NPO;20001;Bijlesbureau Slim Verder BV;A-4;juni;3.000,00;",       # A-4 on 14CD's centre (L4)
    "01-06-2023;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;S-9;los;750,00;",          # no workbook (L1)
    "01-07-2023;4410;100;NPO;20002;Reken Mee;R-1;bovenschools;400,00;",                   # no workbook, board office (L1)
    "03-07-2023;4410;199;NPO;20002;Reken Mee;R-2;onbekend;125,00;",                       # no workbook, unknown centre (L1)
    "15-01-2024;4410;112;NPO;20001;Bijlesbureau Slim Verder BV;A-5;januari;1.000,00;",    # A-5 matched (2024)
    "01-02-2024;4410;100;NPO;20002;Reken Mee;R-3;bovenschools;300,00;",                   # no workbook (L1) ...
    "05-02-2024;4410;100;NPO;20002;Reken Mee;R-4;creditnota;;300,00",                     # ... and an unrelated credit note (L1)
]


def build_ledger_board(inputs: Path, lines: list[str] = LEDGER_LINES) -> Path:
    """Two schools, 12AB "De Regenboog" (cost centre 112) and 14CD "De Linde" (114); allocations € 100.000 each in
    2022-2023 and € 0 in 2023-2024 and 2024-2025 (no new NPO money after 2022-2023, nponderwijs.nl).
    12AB/a.xlsx: volgnummer 1, PNIL Ja, Bijlesbureau Slim Verder B.V., 1-9-2022 .. 30-6-2024, invoices (excl. btw, btw 21 %)
      A-0 15-12-2022 € 2.500, A-1 15-3-2023 € 10.000, A-2 20-4-2023 € 5.000, A-3 10-5-2023 € 2.000 (not booked: L2),
      A-4 12-6-2023 € 3.000, A-5 15-1-2024 € 1.000.
    12AB/0-samen.xlsx: volgnummer 2 (its file name sorts before a.xlsx), school year 2023-2024, 1-9-2023 .. 30-6-2025,
      bovenschools (12AB 50 %, 14CD 50 %) without the GMR's or the board MR's agreement, no invoices.
    99ZZ/x.xlsx: a school that is not in bestuur.xlsx (rejected), X-1 4-4-2023 € 1.000 + € 210 btw.
    12AB/a-oud.xlsx: an older version of hire a (versiedatum 1-7-2022, superseded) that still said 1-9-2021 .. 30-6-2022.
    The ledger `lines` as grootboek/mutaties.csv."""
    inputs.mkdir(parents=True, exist_ok=True)
    schools = {b: config.School(b, n, "bo", f"info@{b.lower()}.example") for b, n in (("12AB", "De Regenboog"), ("14CD", "De Linde"))}
    pupils = [config.Pupils(b, y, 100, D("0"), 0, allocation_override=D(v)) for b in schools
              for y, v in (("2022-2023", "100000"), ("2023-2024", "0"), ("2024-2025", "0"))]
    ledger = config.LedgerSettings(selections=[config.Selection("44*", "NPO", 19)],
                                   cost_centres={"100": "bovenschools", "112": "12AB", "114": "14CD"})
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Proef", schools=schools, pupils=pupils, ledger=ledger))
    invoices = [("A-0", date(2022, 12, 15), 2500), ("A-1", date(2023, 3, 15), 10000), ("A-2", date(2023, 4, 20), 5000),
                ("A-3", date(2023, 5, 10), 2000), ("A-4", date(2023, 6, 12), 3000), ("A-5", date(2024, 1, 15), 1000)]
    write_workbook(inputs / "12AB" / "a.xlsx", {"volgnummer": 1, "pnil": "Ja", "contractwaarde": 40000, "einddatum": date(2024, 6, 30)}, {
        "tblFacturen": [[nr, day, excl, excl * 21 // 100, "deel"] for nr, day, excl in invoices]})
    write_workbook(inputs / "12AB" / "0-samen.xlsx", {
        "volgnummer": 2, "schooljaar": "2023-2024", "niveau": "Bovenschools", "contractwaarde": 8000,
        "startdatum": date(2023, 9, 1), "einddatum": date(2025, 6, 30)}, {
        "tblDeelnemers": [["12AB", "50%", date(2023, 7, 1)], ["14CD", "50%", date(2023, 7, 2)]], "tblFacturen": []},
        unset=("gmr_instemming", "mr_akkoord_bovenschools"))
    write_workbook(inputs / "99ZZ" / "x.xlsx", {"brin": "99ZZ", "school_naam": "Vreemd", "volgnummer": 1}, {
        "tblFacturen": [["X-1", date(2023, 4, 4), 1000, 210, "vreemd"]]})
    write_workbook(inputs / "12AB" / "a-oud.xlsx", {"volgnummer": 1, "versiedatum": date(2022, 7, 1),
                                                   "startdatum": date(2021, 9, 1), "einddatum": date(2022, 6, 30)}, {
        "tblFacturen": []})
    (inputs / "grootboek").mkdir(exist_ok=True)
    (inputs / "grootboek" / "mutaties.csv").write_text("\r\n".join([LEDGER_HEADING, *lines]) + "\r\n", encoding="utf-8")
    return inputs


@lru_cache(maxsize=1)
def ledger_board() -> RunData:
    """The board of build_ledger_board read and checked once per process."""
    inputs = build_ledger_board(Path(tempfile.mkdtemp(prefix="guards-ledger-board-")) / "inputs")
    return run.run(inputs, workers=1, today=TODAY)

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

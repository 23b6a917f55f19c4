"""Figures the demo board cannot tell apart, on a small board worked out by hand.

The demo (tests/test_demo_figures.py) happens to give every school that pays for its bovenschools hire a hire of its
own in the same school year, an allocation row for every school year with spending, one rating per supplier and no
hire that starts on 31 July. A bug in those places would leave its documents unchanged; this board has each case.
Plain functions, no pytest fixtures: tools/mutants_screen.py can run them.

Board "Stichting Rand": 12AB and 21GH (bo); allocations (DUO) only for 2022-2023: 12AB € 100.000,00, 21GH € 200.000,00.
  21GH/bov.xlsx  bovenschools 2022-2023, paid 50 % by 12AB and 50 % by 21GH, rating 4
                 B-1 31-12-2022 € 10.000,00 + € 2.100,00;  B-2 30-06-2023 € 10.000,00 + € 2.100,00
  21GH/a.xlsx    2023-2024, starts 31-07-2023 (the last day of 2022-2023), rating 3
                 A-1 31-12-2023 € 8.000,00 + € 1.680,00
  12AB/b.xlsx    2023-2024, rating 4
                 C-1 31-12-2023 € 5.000,00 + € 1.050,00
  12AB/c.xlsx    2024-2025, not invoiced yet, another supplier (KvK 80023456), rating 5, would not hire again
The other three hires are of one supplier (Bijlesbureau Slim Verder B.V., KvK 80012345).
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
from pipeline.render import context, register

D = Decimal
TODAY = date(2024, 12, 31)


def _build(inputs: Path) -> Path:
    inputs.mkdir(parents=True, exist_ok=True)
    schools = {b: config.School(b, n, "bo", f"info@{b.lower()}.example") for b, n in (("12AB", "De Regenboog"), ("21GH", "Het Baken"))}
    pupils = [config.Pupils("12AB", "2022-2023", 100, D("0"), 0, allocation_override=D("100000")),
              config.Pupils("21GH", "2022-2023", 100, D("0"), 0, allocation_override=D("200000"))]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Rand", schools=schools, pupils=pupils))
    common = {"contractwaarde": 20000, "procedure": "Enkelvoudig onderhands"}
    write_workbook(inputs / "21GH" / "bov.xlsx", {
        **common, "brin": "21GH", "school_naam": "Het Baken", "volgnummer": 1, "niveau": "Bovenschools",
        "gmr_instemming": date(2022, 6, 1), "mr_akkoord_bovenschools": date(2022, 6, 1), "oordeel_samenwerking": 4}, {
        "tblFacturen": [["B-1", date(2022, 12, 31), 10000, 2100, "najaar"], ["B-2", date(2023, 6, 30), 10000, 2100, "voorjaar"]],
        "tblDeelnemers": [["12AB", "50%", date(2022, 6, 1)], ["21GH", "50%", date(2022, 6, 1)]]})
    write_workbook(inputs / "21GH" / "a.xlsx", {
        **common, "brin": "21GH", "school_naam": "Het Baken", "schooljaar": "2023-2024", "volgnummer": 2,
        "versiedatum": date(2023, 7, 10), "startdatum": date(2023, 7, 31), "einddatum": date(2024, 6, 30),
        "oordeel_samenwerking": 3}, {"tblFacturen": [["A-1", date(2023, 12, 31), 8000, 1680, "najaar"]]})
    write_workbook(inputs / "12AB" / "b.xlsx", {
        **common, "schooljaar": "2023-2024", "volgnummer": 1, "versiedatum": date(2023, 7, 10),
        "startdatum": date(2023, 9, 1), "einddatum": date(2024, 6, 30), "oordeel_samenwerking": 4},
        {"tblFacturen": [["C-1", date(2023, 12, 31), 5000, 1050, "najaar"]]})
    write_workbook(inputs / "12AB" / "c.xlsx", {
        **common, "schooljaar": "2024-2025", "volgnummer": 1, "versiedatum": date(2024, 7, 10),
        "startdatum": date(2024, 9, 1), "einddatum": date(2025, 6, 30), "leverancier_naam": "Onderwijsadvies Kompasroos",
        "leverancier_kvk": "80023456", "oordeel_samenwerking": 5, "opnieuw_inhuren": "Nee"}, {"tblFacturen": []})
    return inputs


@lru_cache(maxsize=1)
def _board() -> RunData:
    """The board read and checked once per process (the temp folder lives as long as the process)."""
    return run.run(_build(Path(tempfile.mkdtemp(prefix="edges-")) / "inputs"), workers=1, today=TODAY)


def _hire(file: str):
    return next(h for h in _board().hires if h.file == file)


def test_the_small_board_reads_as_described():
    data = _board()
    assert sorted(h.hire_id for h in data.hires) == ["12AB-2023-2024-1", "12AB-2024-2025-1", "21GH-2022-2023-1", "21GH-2023-2024-2"]


def test_a_school_year_with_a_hire_but_no_invoice_yet_has_its_documents():
    # 12AB/c.xlsx is registered in 2024-2025 and has no invoice: the GMR and 12AB's MR still see it
    assert context.school_years(_board()) == ["2022-2023", "2023-2024", "2024-2025"]
    assert ("12AB", "2024-2025") in context.mr_keys(_board())


def test_a_school_that_only_pays_for_a_bovenschools_hire_gets_its_mr_report():
    # 12AB has no hire of its own in 2022-2023, but pays half of 21GH/bov.xlsx: its MR must see that hire.
    assert ("12AB", "2022-2023") in context.mr_keys(_board())


def test_a_hire_that_starts_on_31_july_belongs_to_the_school_year_ending_that_day():
    years = context.hire_years(_hire("21GH/a.xlsx"), context.invoiced_years(_board()))
    assert years == {"2022-2023", "2023-2024"}  # it runs on 31-07-2023 (2022-2023) and is registered in 2023-2024


def test_spending_in_a_school_year_without_an_allocation_row_is_in_the_scholen_sheet():
    rows = {(r["brin"], r["schooljaar"]): r for r in register.school_year_table(_board()).iter_rows(named=True)}
    # 12AB 2022-2023: half of B-1 and B-2 = € 10.000,00 + € 2.100,00; 2023-2024: C-1 = € 5.000,00 + € 1.050,00
    # 21GH 2022-2023: the other half; 2023-2024: A-1 = € 8.000,00 + € 1.680,00
    want = {("12AB", "2022-2023"): (D("100000"), D("10000"), D("12100")), ("12AB", "2023-2024"): (D("0"), D("5000"), D("6050")),
            ("21GH", "2022-2023"): (D("200000"), D("10000"), D("12100")), ("21GH", "2023-2024"): (D("0"), D("8000"), D("9680"))}
    assert {k: (D(r["toekenning"]), D(r["besteed_excl_btw"]), D(r["besteed_incl_btw"])) for k, r in rows.items()} == want
    assert rows[("12AB", "2023-2024")]["aandeel_extern"] is None  # no allocation: no share


def test_the_supplier_register_averages_the_ratings():
    rows = {r["leverancier_kvk"]: r for r in register.supplier_table(_board()).iter_rows(named=True)}
    slim, kompasroos = rows["80012345"], rows["80023456"]
    assert slim["inhuren"] == 3
    assert slim["gemiddeld_oordeel"] == 3.7  # (4 + 3 + 4) / 3 = 3,67 → 3,7
    assert slim["scholen"] == "12AB, 21GH"
    assert (slim["opnieuw_ja"], slim["opnieuw_nee"]) == (3, 0)
    assert (kompasroos["inhuren"], kompasroos["gemiddeld_oordeel"], kompasroos["opnieuw_ja"], kompasroos["opnieuw_nee"]) == (1, 5, 0, 1)

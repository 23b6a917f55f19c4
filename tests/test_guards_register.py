"""The supplier rows of register.xlsx where the demo board cannot tell a bug apart: a hire without a KvK number, and a
hire whose workbook leaves the supplier's name empty while another workbook of the same KvK names it.

Plain functions, no pytest fixtures: tools/mutants_screen.py can run them.

Board "Stichting Leveranciers", one school 12AB (bo), no allocation needed:
  12AB/a.xlsx  Bijlesbureau Slim Verder B.V., KvK 80012345   A-1 31-12-2022 € 10.000,00 + € 2.100,00
  12AB/b.xlsx  the same KvK, supplier name left empty         B-1 31-12-2022 €  4.000,00 + €   840,00
  12AB/c.xlsx  Huiswerkhulp Noord, no KvK number              C-1 31-12-2022 €  3.000,00 + €   630,00
"""
from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import polars as pl

from builders import write_workbook
from pipeline import run
from pipeline.model import RunData
from pipeline.read import board as config
from pipeline.render import register

D = Decimal
SLIM = "80012345"


def _build(inputs: Path) -> Path:
    inputs.mkdir(parents=True, exist_ok=True)
    schools = {"12AB": config.School("12AB", "De Regenboog", "bo", "info@12ab.example")}
    pupils = [config.Pupils("12AB", "2022-2023", 100, D("0"), 0, allocation_override=D("100000"))]
    config.write(inputs / config.FILE_NAME, config.Board(name="Stichting Leveranciers", schools=schools, pupils=pupils))
    small = {"contractwaarde": 10000, "procedure": "Enkelvoudig onderhands"}
    write_workbook(inputs / "12AB" / "a.xlsx", {**small, "volgnummer": 1},
                   {"tblFacturen": [["A-1", date(2022, 12, 31), 10000, 2100, "najaar"]]})
    write_workbook(inputs / "12AB" / "b.xlsx", {**small, "volgnummer": 2}, {"tblFacturen": [["B-1", date(2022, 12, 31), 4000, 840, "najaar"]]},
                   unset=("leverancier_naam",))
    write_workbook(inputs / "12AB" / "c.xlsx", {**small, "volgnummer": 3, "leverancier_naam": "Huiswerkhulp Noord"},
                   {"tblFacturen": [["C-1", date(2022, 12, 31), 3000, 630, "najaar"]]}, unset=("leverancier_kvk",))
    return inputs


@lru_cache(maxsize=1)
def _board() -> RunData:
    return run.run(_build(Path(tempfile.mkdtemp(prefix="guards-register-")) / "inputs"), workers=1, today=date(2024, 12, 31))


def test_the_board_reads_as_described():
    hires = {h.file: h for h in _board().hires}
    assert sorted(hires) == ["12AB/a.xlsx", "12AB/b.xlsx", "12AB/c.xlsx"]
    assert (hires["12AB/b.xlsx"].get("leverancier_kvk"), hires["12AB/b.xlsx"].get("leverancier_naam")) == (SLIM, None)
    assert (hires["12AB/c.xlsx"].get("leverancier_kvk"), hires["12AB/c.xlsx"].get("leverancier_naam")) == (None, "Huiswerkhulp Noord")


def test_a_supplier_without_kvk_comes_last_in_the_supplier_register():
    rows = list(register.tables(_board())["Leveranciers"].iter_rows(named=True))
    assert [(r["leverancier_kvk"], r["leverancier_naam"], r["inhuren"]) for r in rows] == \
        [(SLIM, "Bijlesbureau Slim Verder B.V.", 2), (None, "Huiswerkhulp Noord", 1)]
    # contract values by hand: 2 × € 10.000,00 for Slim Verder, € 10.000,00 for the one without KvK
    assert [D(r["contractwaarde"]) for r in rows] == [D("20000"), D("10000")]
    assert [D(r["gefactureerd_excl_btw"]) for r in rows] == [D("14000"), D("3000")]


def test_a_workbook_without_the_supplier_name_does_not_blank_the_name_in_totalen():
    totals = register.tables(_board())["Totalen"].filter(pl.col("dimensie") == "leverancier (KvK)")
    rows = {r["waarde"]: r for r in totals.iter_rows(named=True)}
    # Slim Verder: A-1 and B-1, € 14.000,00 + € 2.940,00; named after the workbook that names it, whatever the order
    assert (rows[SLIM]["naam"], rows[SLIM]["facturen"], D(rows[SLIM]["incl_btw"])) == ("Bijlesbureau Slim Verder B.V.", 2, D("16940"))
    # the supplier without a KvK number is totalled as "onbekend" and has no name there (a name is known per KvK only)
    assert set(rows) == {SLIM, "onbekend"}
    assert (rows["onbekend"]["naam"], D(rows["onbekend"]["incl_btw"])) == (None, D("3630"))

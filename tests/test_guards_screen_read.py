"""Guards from the mutation screen of the readers of bestuur.xlsx and Dutch values (issue 28, 2026-12-06).

The sheet Grootboek of bestuur.xlsx says which ledger lines are NPO and which cost centre is which school: written
here with the program's own writer from values typed in the test, then read back. No pytest fixtures but tmp_path,
so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

from decimal import Decimal

from pipeline import dutch
from pipeline.model import BOARD_COST_CENTRE
from pipeline.read import board as config


def test_the_grootboek_sheet_reads_back_selections_kinds_columns_and_cost_centres(tmp_path):
    """Selections: account 4410 (external), project NPO* (external), account 45* (all NPO spending); cost centres 112 ->
    12ab written in lower case (read as 12AB), 900 -> bovenschools; the export's amount column is "Bedrag excl" and its
    date column number 3; the layout is FMUTA and the ledger books amounts incl. btw. Bug: a selection's project or kind lost, a cost centre's BRIN from the wrong column or not
    upper-cased, bovenschools not recognised, a column setting dropped."""
    ledger = config.LedgerSettings(
        columns={"bedrag": "Bedrag excl", "datum": "3"},
        selections=[config.Selection("4410", "", 0), config.Selection("", "NPO*", 0), config.Selection("45*", "", 0, config.KIND_ALL)],
        cost_centres={"112": "12ab", "900": "bovenschools"}, layout=config.LAYOUT_CHOICES[1], vat=config.VAT_INCL)
    school = config.School("12AB", "De Regenboog", "bo", "info@regenboog.example")
    path = config.write(tmp_path / config.FILE_NAME, config.Board(name="Stichting Proef", schools={"12AB": school}, ledger=ledger))
    board, found = config.load(path)
    got = board.ledger
    assert [(f.rule, f.cell) for f in found] == []
    assert [(s.account, s.project, s.kind) for s in got.selections] == [
        ("4410", "", config.KIND_EXTERNAL), ("", "NPO*", config.KIND_EXTERNAL), ("45*", "", config.KIND_ALL)]
    assert got.cost_centres == {"112": "12AB", "900": BOARD_COST_CENTRE}
    assert got.columns == {"bedrag": "Bedrag excl", "datum": "3"}
    assert (got.layout, got.vat) == (config.LAYOUT_CHOICES[1], config.VAT_INCL)


def test_a_percentage_without_percent_sign_above_one_is_in_percent():
    """`1,5` is 1,5 % (a number above 1 is read as percent), `0,4` is 40 %, `1` is 100 %. Bug: the limit at 2."""
    assert [dutch.parse_percent(v) for v in ("1,5", "0,4", 1)] == [Decimal("0.015"), Decimal("0.4"), Decimal("1")]


def test_bestuur_xlsx_reads_back_board_schools_pupils_and_purchasing_policy(tmp_path):
    """Name and number of the board, a school with its address, pupil rows (count, score, cumi, DUO amount, vbo/pro)
    and a purchasing policy typed out of order (sorted on reading). Bug: a sheet, a column or a field read from the
    wrong place or dropped."""
    schools = {"12AB": config.School("12AB", "De Regenboog", "bo", "info@regenboog.example"),
               "14CD": config.School("14CD", "Het Lyceum", "vo", "")}
    pupils = [config.Pupils("12AB", "2022-2023", 210, Decimal("1.25"), 3, None, 0),
              config.Pupils("14CD", "2022-2023", 800, Decimal("0"), 0, Decimal("123456.78"), 45)]
    tiers = (config.Tier(Decimal("50000"), 3, "Meervoudig onderhands"), config.Tier(Decimal("0"), 1, "Enkelvoudig onderhands"))
    path = config.write(tmp_path / config.FILE_NAME, config.Board(name="Stichting Proef", number="41234", schools=schools,
                                                                   pupils=pupils, tiers=tiers))
    board, found = config.load(path)
    assert [(f.rule, f.cell) for f in found] == []
    assert (board.name, board.number) == ("Stichting Proef", "41234")
    assert board.schools == schools
    assert board.pupils == pupils
    assert board.tiers == (tiers[1], tiers[0])

"""Guards for the ledger reader (issue 28), through its public function only: `ledger.load(inputs, settings, sha256)`.

A small export and a creditor list typed in the test; the lines that must come out are written by hand.
No pytest fixtures but monkeypatch, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from pipeline.read import board as config
from pipeline.read import ledger
from pipeline.read.workbook import sha256_of

EXPORT = """Boekdatum;Rekening;Kostenplaats;Project;Crediteur;Factuurnummer;Omschrijving;Bedrag debet;Bedrag credit
05/02/2023;4410;112;;000123;F-1;tutoring;1.000,00;
31/01/2023;4400;112;;000123;F-2;personeel;2.000,00;
15/03/2023;4500;112;NPO;000124;F-3;lezen;300,00;
16/03/2023;4500;112;;000124;F-4;overig;40,00;
"""
CREDITORS = "Crediteur;Naam;KvK\n123;Bijles Slim;1234567\n124;Lees Mee;87654321\n"
# Account 4410, or account 44 (only 44 itself: a pattern without * is the whole code), or project NPO.
SETTINGS = config.LedgerSettings(selections=[config.Selection("4410", "", 19), config.Selection("44", "", 20),
                                             config.Selection("", "NPO", 21)], cost_centres={"112": "12AB"})


def _load(export: str = EXPORT, creditors: str | None = CREDITORS, settings: config.LedgerSettings = SETTINGS):
    inputs = Path(tempfile.mkdtemp(prefix="guards-ledger-"))
    (inputs / "grootboek").mkdir()
    (inputs / "grootboek" / "mutaties.csv").write_text(export, encoding="utf-8")
    if creditors is not None:
        (inputs / "grootboek" / "crediteuren.csv").write_text(creditors, encoding="utf-8")
    return ledger.load(inputs, settings, sha256_of)


def _rows(led) -> dict[str, tuple]:
    return {r["factuurnummer"]: (r["datum"], r["rekening"], r["crediteur"], r["crediteur_naam"], r["kvk"], r["bedrag"], r["brin"])
            for r in led.lines.iter_rows(named=True)}


def test_npo_lines_by_hand():
    """F-1 (account 4410) and F-3 (project NPO) are NPO; F-2 (account 4400) and F-4 (4500, no project) are not."""
    led, board_findings = _load()
    assert board_findings == []
    assert _rows(led) == {
        "F-1": (date(2023, 2, 5), "4410", "123", "Bijles Slim", "01234567", Decimal("1000.00"), "12AB"),
        "F-3": (date(2023, 3, 15), "4500", "124", "Lees Mee", "87654321", Decimal("300.00"), "12AB"),
    }


def test_dates_dd_mm_yyyy_with_slashes():
    """Bug: %d/%m/%Y read as %m/%d/%Y: 05/02/2023 would be 2 May, 31/01/2023 unreadable."""
    led, _ = _load()
    assert (led.first, led.last) == (date(2023, 1, 31), date(2023, 3, 16))
    assert sorted(d for d, *_ in _rows(led).values()) == [date(2023, 2, 5), date(2023, 3, 15)]


def test_an_account_pattern_without_star_is_anchored_at_its_end():
    """Bug: pattern 44 not anchored at its end: 4400 (and 4410) counted through it."""
    only_44 = config.LedgerSettings(selections=[config.Selection("44", "", 19)], cost_centres={"112": "12AB"})
    led, _ = _load(settings=only_44)
    assert led.lines.height == 0
    star = config.LedgerSettings(selections=[config.Selection("44*", "", 19)], cost_centres={"112": "12AB"})
    led, _ = _load(settings=star)
    assert sorted(_rows(led)) == ["F-1", "F-2"]  # 4410 and 4400; not 4500
    assert "F-2" not in _rows(_load()[0])


def test_selection_rows_are_or_ed():
    """Bug: the rows of the selection AND-ed: no line is both account 4410 and project NPO, so all would drop."""
    led, _ = _load()
    assert sorted(_rows(led)) == ["F-1", "F-3"]
    assert sum(led.lines["bedrag"].to_list(), Decimal(0)) == Decimal("1300.00")  # € 1.000 + € 300


def test_creditor_numbers_lose_their_leading_zeros():
    """Bug: 000123 in the export kept as is: it never meets 123 of the creditor list (no name, no KvK)."""
    rows = _rows(_load()[0])
    assert (rows["F-1"][2], rows["F-1"][3]) == ("123", "Bijles Slim")
    assert (rows["F-3"][2], rows["F-3"][3]) == ("124", "Lees Mee")


def test_kvk_is_padded_to_8_digits():
    """Bug: KvK 1234567 (Excel dropped the leading zero) not padded: supplier 01234567 not recognised."""
    rows = _rows(_load()[0])
    assert rows["F-1"][4] == "01234567" and rows["F-3"][4] == "87654321"
    with_kvk = EXPORT.replace("Omschrijving;", "KvK;Omschrijving;", 1).replace(";F-1;", ";F-1;7654321;").replace(";F-3;", ";F-3;;")
    with_kvk = with_kvk.replace(";F-2;", ";F-2;;").replace(";F-4;", ";F-4;;")
    rows = _rows(_load(with_kvk, creditors=None)[0])
    assert rows["F-1"][4] == "07654321" and rows["F-3"][4] is None

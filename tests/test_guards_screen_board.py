"""Guards from the mutation screen of bestuur.xlsx (pipeline/read/board.py, issue 28, 2026-12-06b).

The finance office fills bestuur.xlsx. Each test writes one with the program's own writer from values typed here,
changes cells with openpyxl the way a person would, reads it back and pins what the user gets: the finding of a bad
entry (rule, file, sheet, cell, the value it names) and that the bad value is not used; the assumptions table every
document prints; the cells of the generated file by address. No pytest fixtures but tmp_path, so
tools/mutants_screen.py can run them.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.model import BOARD_COST_CENTRE
from pipeline.read import board as config

FILE = config.FILE_NAME
LEDGER = config.LEDGER_SHEET
SCHOOLS = {"12AB": config.School("12AB", "De Regenboog", "bo", "info@regenboog.example"),
           "14CD": config.School("14CD", "Het Lyceum", "vo", "")}
PUPILS = [config.Pupils("12AB", "2022-2023", 210, Decimal("1.25"), 3, None, 0)]


def _board(**kw) -> config.Board:
    ledger = config.LedgerSettings(selections=[config.Selection("4410", "", 0), config.Selection("", "NPO*", 0)],
                                   cost_centres={"112": "12AB", "900": BOARD_COST_CENTRE})
    return config.Board(**{"name": "Stichting Proef", "number": "41234", "email": "bureau@proef.example",
                           "schools": dict(SCHOOLS), "pupils": list(PUPILS), "ledger": ledger, **kw})


def _edited(tmp_path: Path, sheet: str, cells: dict[str, object], board: config.Board | None = None, drop_from: int = 0):
    """bestuur.xlsx of `board` (default `_board()`) with `cells` of `sheet` typed over (and its columns from number
    `drop_from` on deleted), then read back."""
    path = config.write(tmp_path / FILE, board or _board())
    wb = load_workbook(path)
    if drop_from:
        wb[sheet].delete_cols(drop_from, 10)
    for address, value in cells.items():
        wb[sheet][address] = value
    wb.save(path)
    return config.load(path)


def _places(found) -> list[tuple[str, str, str, str]]:
    """Rule, file, sheet and cell of each finding; none of them shows a Python None (a lost label or explanation)."""
    assert [f.message for f in found if "None" in f.message] == []
    return [(f.rule, f.file, f.sheet, f.cell) for f in found]


def _names(f, value: object) -> bool:
    """The finding names the value the user typed (quoted in its text); a whole number typed in a cell (read as the
    float 12.0) is named as typed: '12'."""
    return f"'{value}'" in f.message


# --------------------------------------------------------------------------- sheet Bestuur


def test_bestuur_sheet_labels_in_any_case_a_numeric_board_number_and_blank_rows(tmp_path):
    """Labels typed in another case with spaces still count; the board number typed as a number (41234, read as a
    float) is "41234", not "41234.0"; a row without label (2) is skipped and the rows after it read; another label
    (5, "Adres") is not the address; a blank name keeps "Schoolbestuur"."""
    board, found = _edited(tmp_path, "Bestuur", {"A1": "  NAAM BESTUUR ", "B1": "  Stichting Elders ",
                                                   "A2": "  ", "B2": "Stichting Fout",
                                                   "A3": " e-mail BESTUURSBUREAU", "B3": " post@elders.example ",
                                                   "A4": "bestuursnummer", "B4": 41234, "A5": "Adres", "B5": "Dorpsstraat 1"})
    assert found == []
    assert (board.name, board.number, board.email) == ("Stichting Elders", "41234", "post@elders.example")
    board, found = _edited(tmp_path, "Bestuur", {"B1": "   ", "B2": " 07 ", "B3": None})
    assert found == []
    assert (board.name, board.number, board.email) == ("Schoolbestuur", "07", "")


def test_a_missing_or_unreadable_bestuur_xlsx_gives_the_defaults(tmp_path):
    """No file: the defaults, no finding, not from a file. A file that is no workbook: W1 on bestuur.xlsx (no sheet, no
    cell) and the defaults. A file read: from_file (the assumptions table then says "bestuur.xlsx" for own tiers)."""
    assert config.load(tmp_path / FILE) == (config.Board(), [])
    (tmp_path / FILE).write_bytes(b"dit is geen werkboek")
    board, found = config.load(tmp_path / FILE)
    assert _places(found) == [("W1", FILE, "", "")] and board == config.Board()
    board, found = _edited(tmp_path, "Bestuur", {})
    assert found == [] and board.from_file


# --------------------------------------------------------------------------- sheet Instellingen
# Row r of Instellingen holds config.SETTINGS[r - 2]: B2 max_duration_months, B3 max_share_of_allocation,
# B4 evaluation_grace_months, B5 social_services_regime, B6 programme_end, B7 rate_deviation, B8 split_window,
# B9 reference_date, B10 materiality, B11 confidence, B12 sample_seed.


def test_settings_typed_the_way_people_type_them_are_used(tmp_path):
    """Text as people type it; evaluation_grace_months and sample_seed may be 0 (their minimum)."""
    board, found = _edited(tmp_path, "Instellingen", {
        "B2": "36", "B3": "40%", "B4": 0, "B5": "ja", "B6": "31-07-2026", "B7": "30 %", "B8": " KALENDERJAAR ",
        "B9": "15-01-2024", "B10": "40.000", "B11": 0.9, "B12": 0})
    assert found == [] and board.unreadable == {}
    assert board.settings == config.Settings(
        max_duration_months=36, max_share_of_allocation=Decimal("0.4"), evaluation_grace_months=0,
        social_services_regime=True, programme_end=date(2026, 7, 31), rate_deviation=Decimal("0.3"),
        split_window="kalenderjaar", reference_date=date(2024, 1, 15), materiality=40000,
        confidence=Decimal("0.9"), sample_seed=0)


def test_a_setting_label_in_another_case_is_recognised(tmp_path):
    board, found = _edited(tmp_path, "Instellingen", {"A2": "  maximale LOOPTIJD inhuur (maanden) ", "B2": 18})
    assert found == [] and board.settings.max_duration_months == 18


# Bad entries, two files (a cell holds one value): (cell, typed value, setting key). Lists, not dicts: the screen
# tool reads a parameter with a `values` attribute as a pytest.param.
BAD_SETTINGS = [
    [("B2", "twee jaar", "max_duration_months"), ("B3", "150%", "max_share_of_allocation"),
     ("B4", -1, "evaluation_grace_months"),  # minimum 0
     ("B5", "misschien", "social_services_regime"), ("B6", "31-02-2026", "programme_end"),
     ("B7", -0.2, "rate_deviation"), ("B8", "maandag", "split_window"), ("B9", "gisteren", "reference_date"),
     ("B10", 0, "materiality"),  # minimum 1
     ("B11", "veel", "confidence"), ("B12", -1, "sample_seed")],  # minimum 0
    [("B2", 0, "max_duration_months"),  # minimum 1
     ("B10", "12,5", "materiality")],
]


@pytest.mark.parametrize("bad", BAD_SETTINGS)
def test_an_unreadable_setting_is_w4_at_its_cell_and_the_default_is_used(tmp_path, bad):
    """Each bad cell is one W4 at that cell naming the value typed; every setting keeps its default and the
    assumptions table can say which cell was unreadable."""
    board, found = _edited(tmp_path, "Instellingen", {cell: raw for cell, raw, _ in bad})
    assert _places(found) == [("W4", FILE, "Instellingen", cell) for cell, _, _ in bad]
    assert [_names(f, raw) for f, (_, raw, _) in zip(found, bad)] == [True] * len(bad)
    assert board.settings == config.Settings()
    assert board.unreadable == {key: f"Instellingen!{cell}" for cell, _, key in bad}


def test_an_unknown_setting_with_a_value_is_w4_at_its_label_and_not_used(tmp_path):
    """A2 holds a typo of its label: W4 at A2 naming the value 12, max_duration_months stays 24 and the rows after it
    are still read (B3 40%). A13, a label like no setting, with a value of 100 characters: W4 at A13 naming its first
    80. A label without a value (A14) and one with a blank value (A15) give nothing."""
    board, found = _edited(tmp_path, "Instellingen", {"A2": "Maximale looptijd (maanden)", "B2": 12, "B3": "40%",
                                                        "A13": "Iets heel anders", "B13": "x" * 100,
                                                        "A14": "Iets anders", "A15": "Nog iets", "B15": "  "})
    assert _places(found) == [("W4", FILE, "Instellingen", "A2"), ("W4", FILE, "Instellingen", "A13")]
    assert (_names(found[0], 12), _names(found[1], "x" * 80)) == (True, True)
    assert board.settings == config.Settings(max_share_of_allocation=Decimal("0.4")) and board.unreadable == {}


def test_settings_without_the_source_column_are_read(tmp_path):
    """Column C (the sources) deleted: the sheet has two columns and the settings are still read; an unknown label
    with a value (A13) is still W4."""
    board, found = _edited(tmp_path, "Instellingen", {"B2": 30, "A13": "Iets heel anders", "B13": 5}, drop_from=3)
    assert _places(found) == [("W4", FILE, "Instellingen", "A13")]
    assert board.settings == config.Settings(max_duration_months=30)


def test_an_empty_setting_keeps_its_default_without_a_finding(tmp_path):
    board, found = _edited(tmp_path, "Instellingen", {"B2": None, "B8": "   "},
                           _board(settings=config.Settings(max_duration_months=36, split_window="kalenderjaar")))
    assert found == []
    assert (board.settings.max_duration_months, board.settings.split_window) == (24, "schooljaar")


# --------------------------------------------------------------------------- sheet Scholen


def test_scholen_kind_case_default_and_unknown_kind(tmp_path):
    """Row 2: BRIN in lower case with spaces, kind "VO"; row 3: kind empty (bo); row 4: no BRIN (skipped); row 5:
    kind "basis" (W4 at C5, read as bo)."""
    board, found = _edited(tmp_path, "Scholen", {
        "A2": " 12ab ", "B2": " De Regenboog ", "C2": "VO ", "D2": " info@regenboog.example ",
        "A3": "14CD", "B3": "Het Lyceum", "C3": None, "D3": None,
        "A4": "  ", "B4": "Zonder BRIN", "C4": "so",
        "A5": "16EF", "B5": "De Wissel", "C5": "basis", "D5": "wissel@example.nl"})
    assert _places(found) == [("W4", FILE, "Scholen", "C5")]
    assert _names(found[0], "basis")
    assert board.schools == {"12AB": config.School("12AB", "De Regenboog", "vo", "info@regenboog.example"),
                             "14CD": config.School("14CD", "Het Lyceum", "bo", ""),
                             "16EF": config.School("16EF", "De Wissel", "bo", "wissel@example.nl")}
    board, found = _edited(tmp_path, "Scholen", {}, drop_from=3)  # only BRIN and name: kind bo, no address
    assert found == [] and board.schools == {b: config.School(b, s.name, "bo", "") for b, s in SCHOOLS.items()}


# --------------------------------------------------------------------------- sheet Leerlingen
# Columns: A BRIN, B school year, C pupils, D achterstandsscore, E CUMI, F DUO amount, G vbo/pro.


def test_an_unreadable_pupil_cell_is_w4_at_its_cell_and_counts_as_nothing(tmp_path):
    """Rows 2-6 are 12AB in the school years 2020-2021 … 2024-2025: 210 pupils, score 1,25, 3 CUMI, no DUO amount, no
    vbo; one bad cell per row (C2, D3, E4, F5, G6). The bad cell is read as 0 (the DUO amount as not entered); the
    other cells of its row stay."""
    bad = {"C2": "veel", "D3": "hoog", "E4": "1,5", "F5": "onbekend", "G6": "12,5"}
    years = [f"{y}-{y + 1}" for y in range(2020, 2025)]
    pupils = [config.Pupils("12AB", y, 210, Decimal("1.25"), 3, None, 0) for y in years]
    board, found = _edited(tmp_path, "Leerlingen", bad, _board(pupils=pupils))
    assert _places(found) == [("W4", FILE, "Leerlingen", cell) for cell in bad]
    assert [_names(f, raw) for f, raw in zip(found, bad.values())] == [True] * 5
    assert board.pupils == [config.Pupils("12AB", years[0], 0, Decimal("1.25"), 3, None, 0),
                            config.Pupils("12AB", years[1], 210, Decimal("0"), 3, None, 0),
                            config.Pupils("12AB", years[2], 210, Decimal("1.25"), 0, None, 0),
                            config.Pupils("12AB", years[3], 210, Decimal("1.25"), 3, None, 0),
                            config.Pupils("12AB", years[4], 210, Decimal("1.25"), 3, None, 0)]


@pytest.mark.parametrize("raw", ["2022-2024", "tweede jaar"])
def test_a_bad_school_year_is_w4_at_b_and_the_row_is_skipped(tmp_path, raw):
    """Row 2's school year is bad: W4 at B2, the row skipped, row 3 still read. The headings (row 1) are cleared: the
    rows keep their numbers."""
    board, found = _edited(tmp_path, "Leerlingen", {**{f"{c}1": None for c in "ABCDEFG"}, "B2": raw,
                                                     "A3": "14CD", "B3": "2023-2024", "C3": 800})
    assert _places(found) == [("W4", FILE, "Leerlingen", "B2")]
    assert _names(found[0], raw)
    assert board.pupils == [config.Pupils("14CD", "2023-2024", 800, Decimal("0"), 0, None, 0)]


def test_pupil_cells_typed_as_text_blank_cells_and_rows_without_brin(tmp_path):
    """Row 2: BRIN lower case, counts typed as text, DUO amount "€ 12.345,67", vbo 20; row 3: only BRIN and year
    (all counts 0, no DUO amount); row 4: no BRIN (skipped); row 5 (14CD) read after it."""
    board, found = _edited(tmp_path, "Leerlingen", {
        "A2": " 14cd ", "B2": " 2023-2024 ", "C2": "1.200", "D2": "2,5", "E2": "7", "F2": "€ 12.345,67", "G2": "20",
        "A3": "12AB", "B3": "2022-2023", "C3": None, "D3": "  ", "E3": None,
        "A4": None, "B4": "2022-2023", "C4": 99, "A5": "14CD", "B5": "2022-2023", "C5": 12})
    assert found == []
    assert board.pupils == [config.Pupils("14CD", "2023-2024", 1200, Decimal("2.5"), 7, Decimal("12345.67"), 20),
                            config.Pupils("12AB", "2022-2023", 0, Decimal("0"), 0, None, 0),
                            config.Pupils("14CD", "2022-2023", 12, Decimal("0"), 0, None, 0)]


def test_a_pupil_row_of_a_school_not_on_scholen_is_w4_at_its_brin_and_still_counts(tmp_path):
    """Row 3 is 16EF, not on Scholen (a typo of a BRIN, or a school left off): W4 at Leerlingen!A3 naming '16ef', which
    says the row counts under the BRIN alone; its 500 pupils stay in the allocation (a school known by its allocation
    alone keeps its row: test_guards_screen_jaarverslag). Without schools on Scholen (an older bestuur.xlsx) no
    finding. Bug: the row counted silently, a typo's allocation taken away from its school without a word."""
    from pipeline import aggregate

    board, found = _edited(tmp_path, "Leerlingen", {"A3": "16ef", "B3": "2022-2023", "C3": 500,
                                                     "A4": "14CD", "B4": "2022-2023", "C4": 180})
    assert _places(found) == [("W4", FILE, "Leerlingen", "A3")] and _names(found[0], "16ef")
    assert "Scholen" in found[0].message and "telt mee" in found[0].message
    assert [(p.brin, p.pupils) for p in board.pupils] == [("12AB", 210), ("16EF", 500), ("14CD", 180)]
    assert sorted(aggregate.allocations(board)["brin"].to_list()) == ["12AB", "14CD", "16EF"]
    board, found = _edited(tmp_path, "Leerlingen", {"A3": "16EF", "B3": "2022-2023", "C3": 500}, _board(schools={}))
    assert found == [] and [(p.brin, p.pupils) for p in board.pupils] == [("12AB", 210), ("16EF", 500)]


# --------------------------------------------------------------------------- sheet Inkoopbeleid


def test_purchasing_policy_bad_amount_is_w4_and_the_tier_is_dropped(tmp_path):
    """Written: the three default tiers in rows 2-4. Row 3's amount "veel" -> W4 at A3, tier 25.000 dropped; row 5
    blank; row 6 a new tier 50.000 / 2 / "Eigen" typed as text; row 7 a count without amount -> W4 at A7."""
    board, found = _edited(tmp_path, "Inkoopbeleid", {"A3": "veel", "A6": "50.000", "B6": "2", "C6": " Eigen ", "B7": 3})
    assert _places(found) == [("W4", FILE, "Inkoopbeleid", "A3"), ("W4", FILE, "Inkoopbeleid", "A7")]
    assert (_names(found[0], "veel"), _names(found[1], "")) == (True, True)
    assert board.tiers == (config.Tier(Decimal("0"), 1, "Enkelvoudig onderhands"),
                           config.Tier(Decimal("50000"), 2, "Eigen"),
                           config.Tier(Decimal("100000"), 3, "Meervoudig onderhands of nationaal"))


def test_purchasing_policy_bad_quote_count_is_w4_at_b(tmp_path):
    """Row 3's count "drie" -> W4 at B3 naming "drie" (bug found by this screen: the finding pointed at A3 and named
    the amount 25000 typed there correctly); row 4 both cells bad -> A4 and B4; row 5 an amount without a count -> B5
    (not skipped as a blank row); all three tiers dropped."""
    board, found = _edited(tmp_path, "Inkoopbeleid", {"B3": "drie", "A4": "heel veel", "B4": "2,5", "A5": "50.000"})
    assert _places(found) == [("W4", FILE, "Inkoopbeleid", c) for c in ("B3", "A4", "B4", "B5")]
    assert [_names(f, v) for f, v in zip(found, ("drie", "heel veel", "2,5", ""))] == [True] * 4
    assert board.tiers == (config.Tier(Decimal("0"), 1, "Enkelvoudig onderhands"),)


def test_an_empty_purchasing_policy_keeps_the_default_tiers(tmp_path):
    board, found = _edited(tmp_path, "Inkoopbeleid", {f"{c}{r}": None for c in "ABC" for r in (2, 3, 4)})
    assert found == [] and board.tiers == config.DEFAULT_TIERS
    board, found = _edited(tmp_path, "Inkoopbeleid", {}, drop_from=3)  # no column Procedure: the procedures are empty
    assert found == [] and board.tiers == tuple(config.Tier(t.from_value, t.quotes, "") for t in config.DEFAULT_TIERS)


# --------------------------------------------------------------------------- sheet Grootboek
# As written for _board(): 1 options title, 2 headings, 3 Indeling, 4 Bedragen in het grootboek, 6 columns title,
# 7 headings, 8-23 the 16 items (8 datum, 9 rekening, 10 kostenplaats, ...), 25 selection title, 26 headings,
# 27 4410, 28 NPO*, 30 cost centre title, 31 headings, 32 112 -> 12AB, 33 900 -> bovenschools.


def test_grootboek_bad_entries_are_w4_at_their_cells_and_not_used(tmp_path):
    bad = {
        "A4": ("Bedragen", "automatisch"),  # not an option: W4 at A4
        "B3": ("handmatig", None),  # not a layout: W4 at B3
        "B8": ("Datum", None),
        "B9": (" datum ", None),  # the column already chosen for datum: W4 at B9, rekening not set
        "A10": ("kostplaats", "KP"),  # not an item: W4 at A10
        "C27": ("soms", None),  # not a kind: W4 at C27, the selection stays extern
        "A34": ("112", "14cd"),  # 112 is already 12AB: W4 at B34
        "A35": ("113", "99zz"),  # not on Scholen: W4 at B35
        "A36": ("112", "12ab"),  # 112 again for the same school: fine
        "A37": (114.0, None),  # no BRIN: bovenschools; a code typed as a number is "114"
        "A38": ("115", "BOVENSCHOOLS"),
    }
    cells = {}
    for cell, (first, second) in bad.items():
        cells[cell] = first
        if second is not None:
            cells[chr(ord(cell[0]) + 1) + cell[1:]] = second
    board, found = _edited(tmp_path, LEDGER, cells)
    assert _places(found) == [("W4", FILE, LEDGER, c) for c in ("B3", "A4", "B9", "A10", "C27", "B34", "B35")]
    assert [_names(f, v) for f, v in zip(found, ("handmatig", "Bedragen", "datum", "kostplaats", "soms", "14cd", "99zz"))] == [True] * 7
    got = board.ledger
    assert (got.layout, got.vat) == ("automatisch", "automatisch")
    assert got.columns == {"datum": "Datum"}
    assert [(s.account, s.project, s.row, s.kind) for s in got.selections] == [
        ("4410", "", 27, config.KIND_EXTERNAL), ("", "NPO*", 28, config.KIND_EXTERNAL)]
    assert got.cost_centres == {"112": "12AB", "900": BOARD_COST_CENTRE, "114": BOARD_COST_CENTRE, "115": BOARD_COST_CENTRE}
    # the first free row under each table, where a finding about a missing selection or cost centre points
    assert (got.selection_cell, got.cost_centre_cell) == ("A29", "A39")


def test_grootboek_options_and_kinds_typed_loosely_are_used(tmp_path):
    """Options in another case; a selection kind "ALLE npo-uitgaven"; the kind column found by its heading "Soort"
    in column D (C then holds a note); an account typed as a number; titles typed in capitals."""
    board, found = _edited(tmp_path, LEDGER, {
        "A1": config.TITLE_OPTIONS.upper(), "B3": " exact globe fmuta (zonder kolomkoppen) ", "B4": "INCLUSIEF BTW",
        "A25": config.TITLE_SELECTION.upper(), "C26": "Toelichting", "D26": "soort", "A27": 4410, "C27": "alle NPO-uitgaven",
        "D28": "ALLE npo-uitgaven", "A30": config.TITLE_COST_CENTRES.upper()})
    assert found == []
    got = board.ledger
    assert (got.layout, got.vat) == (config.LAYOUT_CHOICES[1], config.VAT_INCL)
    assert [(s.account, s.project, s.kind) for s in got.selections] == [
        ("4410", "", config.KIND_EXTERNAL), ("", "NPO*", config.KIND_ALL)]
    assert got.cost_centres == {"112": "12AB", "900": BOARD_COST_CENTRE}


def test_grootboek_without_kind_column_or_schools(tmp_path):
    """An older sheet: no heading "Soort" (C26 "Type"), so C27 is not read as a kind and row 28 has no kind at all; without schools on Scholen a
    cost centre's BRIN is taken as typed (upper-cased). Empty tables: the first free row under each heading (selection:
    title 25, headings 26, so A27; after the blank row 27, cost centres: title 28, headings 29, so A30); no tables at all: A1."""
    board, found = _edited(tmp_path, LEDGER, {"B3": None, "C26": "Type", "C27": "alle NPO-uitgaven", "C28": None,
                                              "B32": "99zz"}, _board(schools={}))
    assert found == []
    # B3 (the layout) left empty: automatisch, the tables below still read; row 28 has only a project (B28)
    assert board.ledger.layout == "automatisch"
    assert [(s.project, s.kind) for s in board.ledger.selections] == [("", config.KIND_EXTERNAL), ("NPO*", config.KIND_EXTERNAL)]
    assert board.ledger.cost_centres == {"112": "99ZZ", "900": BOARD_COST_CENTRE}
    empty = _board(ledger=config.LedgerSettings())
    board, found = _edited(tmp_path, LEDGER, {}, empty)
    assert found == [] and (board.ledger.selection_cell, board.ledger.cost_centre_cell) == ("A27", "A30")
    board, found = _edited(tmp_path, LEDGER, {f"{c}{r}": None for c in "ABCD" for r in range(25, 31)}, empty)
    assert found == [] and (board.ledger.selection_cell, board.ledger.cost_centre_cell) == ("A1", "A1")


def test_a_school_year_typed_another_way_is_read_as_the_school_year(tmp_path):
    """"2022/2023" and "2023 - 24" are accepted school years; they must be read as "2022-2023" and "2023-2024", the
    form the NPO amounts per year and the hires' school years use. Bug (found by this screen): kept as typed, the row
    met no NPO amounts and the school's allocation was € 0,00."""
    board, found = _edited(tmp_path, "Leerlingen", {"B2": "2022/2023", "A3": "12AB", "B3": "2023 - 24"})
    assert found == []
    assert [(p.brin, p.schooljaar) for p in board.pupils] == [("12AB", "2022-2023"), ("12AB", "2023-2024")]


# --------------------------------------------------------------------------- the assumptions table of the documents

TIER_SOURCE = "Inkoopbeleid van het bestuur (bestuur.xlsx; zonder eigen staffel: voorbeeldstaffel van dit programma)"


def test_assumptions_table_values_and_whether_each_is_a_default():
    """Settings of a board read from bestuur.xlsx, rate_deviation unreadable (its default used). Each row: the value as
    the documents print it (percent with one decimal, a long Dutch date, Ja/Nee) and "standaard" where it equals the
    default. The board's own two tiers: "bestuur.xlsx"."""
    settings = config.Settings(max_duration_months=36, max_share_of_allocation=Decimal("0.4"), social_services_regime=True,
                               programme_end=date(2026, 7, 31), split_window="kalenderjaar", materiality=40000,
                               confidence=Decimal("0.9"))
    tiers = (config.Tier(Decimal("0"), 1, "Enkelvoudig onderhands"), config.Tier(Decimal("50000"), 3, "Meervoudig onderhands"))
    board = config.Board(settings=settings, tiers=tiers, from_file=True, unreadable={"rate_deviation": "Instellingen!B7"})
    rows = config.assumptions(board)
    assert [(r["value"], r["default"]) for r in rows] == [
        ("36", "bestuur.xlsx"), ("40,0%", "bestuur.xlsx"), ("3", "standaard"), ("Ja", "bestuur.xlsx"),
        ("31 juli 2026", "bestuur.xlsx"),
        ("50,0%", "standaard, omdat de ingevulde waarde in bestuur.xlsx (Instellingen!B7) onleesbaar was"),
        ("kalenderjaar", "bestuur.xlsx"), ("datum van de run", "standaard"), ("40.000", "bestuur.xlsx"),
        ("90,0%", "bestuur.xlsx"), ("1", "standaard"),
        ("1 offerte, Enkelvoudig onderhands", "bestuur.xlsx"), ("3 offertes, Meervoudig onderhands", "bestuur.xlsx")]
    assert [r["label"] for r in rows] == [s.label for s in config.SETTINGS] + [
        "Inkoopbeleid vanaf €\u00a00,00", "Inkoopbeleid vanaf €\u00a050.000,00"]
    assert [r["source"] for r in rows] == [s.source for s in config.SETTINGS] + [TIER_SOURCE] * 2


def test_assumptions_of_the_defaults_and_of_a_set_reference_date():
    """Without bestuur.xlsx every row is "standaard", also the example tiers; a reference date is printed as a date;
    a board's own tiers are "standaard" when they equal the example tiers."""
    rows = config.assumptions(config.Board(settings=config.Settings(reference_date=date(2024, 1, 15))))
    assert [(r["value"], r["default"]) for r in rows] == [
        ("24", "standaard"), ("50,0%", "standaard"), ("3", "standaard"), ("Nee", "standaard"),
        ("31 juli 2025", "standaard"), ("50,0%", "standaard"), ("schooljaar", "standaard"),
        ("15 januari 2024", "bestuur.xlsx"), ("25.000", "standaard"), ("95,0%", "standaard"), ("1", "standaard"),
        ("1 offerte, Enkelvoudig onderhands", "standaard"), ("3 offertes, Meervoudig onderhands", "standaard"),
        ("3 offertes, Meervoudig onderhands of nationaal", "standaard")]
    assert [r["label"] for r in rows[11:]] == ["Inkoopbeleid vanaf €\u00a00,00", "Inkoopbeleid vanaf €\u00a025.000,00",
                                              "Inkoopbeleid vanaf €\u00a0100.000,00"]
    own = (config.Tier(Decimal("0"), 2, "Eigen"),)
    assert [r["default"] for r in config.assumptions(config.Board(tiers=own))[11:]] == ["standaard"]  # not from a file
    assert [r["default"] for r in config.assumptions(config.Board(from_file=True))[11:]] == ["standaard"] * 3


# --------------------------------------------------------------------------- the generated bestuur.xlsx, cell by cell


def _cells(ws, *rows: int) -> list[tuple]:
    return [tuple(c.value for c in ws[r]) for r in rows]


def _widths(ws) -> dict[str, float]:
    return {k: d.width for k, d in ws.column_dimensions.items() if d.width}


def test_write_puts_every_value_in_its_cell(tmp_path):
    from datetime import datetime

    settings = config.Settings(max_duration_months=36, max_share_of_allocation=Decimal("0.4"), social_services_regime=True,
                               programme_end=date(2026, 7, 31), split_window="kalenderjaar", materiality=40000,
                               confidence=Decimal("0.9"))
    pupils = [config.Pupils("12AB", "2022-2023", 210, Decimal("1.25"), 3, None, 0),
              config.Pupils("14CD", "2023-2024", 800, Decimal("0"), 0, Decimal("123456.78"), 45)]
    tiers = (config.Tier(Decimal("0"), 1, "Enkelvoudig onderhands"), config.Tier(Decimal("50000"), 3, "Meervoudig onderhands"))
    ledger = config.LedgerSettings(columns={"bedrag": "Bedrag excl", "datum": "3"},
                                   selections=[config.Selection("4410", "", 0), config.Selection("", "NPO*", 0, config.KIND_ALL)],
                                   cost_centres={"112": "12AB", "900": BOARD_COST_CENTRE},
                                   layout=config.LAYOUT_CHOICES[1], vat=config.VAT_INCL)
    wb = load_workbook(config.write(tmp_path / "a" / "b" / FILE, _board(settings=settings, pupils=pupils, tiers=tiers, ledger=ledger)))
    assert wb.sheetnames == ["Bestuur", "Instellingen", "Scholen", "Leerlingen", "Inkoopbeleid", "Grootboek"]

    ws = wb["Bestuur"]
    assert _cells(ws, 1, 2, 3) == [("Naam bestuur", "Stichting Proef"), ("Bestuursnummer", "41234"),
                                   ("E-mail bestuursbureau", "bureau@proef.example")]
    assert _widths(ws) == {"A": 30, "B": 50}

    ws = wb["Instellingen"]
    assert _cells(ws, 1) == [("Instelling", "Waarde", "Bron / toelichting")]
    assert [(c.value, s.label) for c, s in zip(ws["A"][1:], config.SETTINGS)] == [(s.label, s.label) for s in config.SETTINGS]
    assert [c.value for c in ws["C"][1:]] == [s.source for s in config.SETTINGS]
    assert [c.value for c in ws["B"][1:]] == [36, 0.4, 3, "Ja", datetime(2026, 7, 31), 0.5, "kalenderjaar", None, 40000, 0.9, 1]
    # percentages shown as a percentage, dates as day-month-year (rows 3, 7, 11 and 6, 9)
    assert [c.number_format for c in ws["B"][1:]] == ["General", "0%", "General", "General", "DD-MM-YYYY", "0%",
                                                       "General", "DD-MM-YYYY", "General", "0%", "General"]
    assert ws.max_row == 12 and _widths(ws) == {"A": 60, "B": 18, "C": 90}
    assert load_workbook(config.write(tmp_path / FILE, config.Board()))["Instellingen"]["B5"].value == "Nee"

    ws = wb["Scholen"]
    assert _cells(ws, 1, 2, 3) == [("BRIN", "Naam", "Soort (bo, sbo, so, vso, vo, pro)", "E-mail"),
                                   ("12AB", "De Regenboog", "bo", "info@regenboog.example"), ("14CD", "Het Lyceum", "vo", None)]
    [dv] = ws.data_validations.dataValidation
    assert (dv.type, dv.formula1, str(dv.sqref), dv.allow_blank) == ("list", '"bo,sbo,so,vso,vo,pro"', "C2:C500", True)
    assert _widths(ws) == {"A": 10, "B": 40, "C": 30, "D": 40}

    ws = wb["Leerlingen"]
    assert _cells(ws, 1, 2, 3) == [
        ("BRIN", "Schooljaar", "Leerlingen", "Achterstandsscore", "CUMI-leerlingen",
         "NPO-toekenning volgens DUO (OFB), leeg = berekenen", "Waarvan vbo 3-4 of praktijkonderwijs (vo)"),
        ("12AB", "2022-2023", 210, 1.25, 3, None, None), ("14CD", "2023-2024", 800, 0, 0, 123456.78, 45)]
    assert _widths(ws) == {"A": 10, "B": 12, "C": 12, "D": 18, "E": 16, "F": 36, "G": 36}

    ws = wb["Inkoopbeleid"]
    assert _cells(ws, 1, 2, 3) == [("Vanaf waarde excl. btw", "Minimaal aantal offertes", "Procedure"),
                                   (0, 1, "Enkelvoudig onderhands"), (50000, 3, "Meervoudig onderhands")]
    assert [c.number_format for c in ws["A"][1:]] == ['"€" #,##0'] * 2
    assert _widths(ws) == {"A": 24, "B": 24, "C": 40}

    for ws in wb.worksheets[:5]:  # headings bold, kept in view
        assert ([c.font.b for c in ws[1]], [c.font.b for c in ws[2]], ws.freeze_panes) == (
            [True] * ws.max_column, [False] * ws.max_column, "A2"), ws.title

    ws = wb["Grootboek"]
    assert [c.value for c in ws["A"]][:8] == [
        "Instellingen van de grootboekexport", "Instelling", "Indeling", "Bedragen in het grootboek", None,
        "Kolommen van de grootboekexport (leeg = herkennen aan de kolomkop; zonder kolomkoppen: het kolomnummer, bijvoorbeeld 13)",
        "Gegeven", "datum"]
    assert _cells(ws, 2)[0][:2] == ("Instelling", "Waarde") and ws["C2"].value == "Toelichting"
    assert (ws["B3"].value, ws["B4"].value) == ("Exact Globe FMUTA (zonder kolomkoppen)", "inclusief btw")
    assert ws["B7"].value == "Kolomnaam in de export"
    assert [(c.value, ws.cell(c.row, 2).value) for c in ws["A"][7:23]] == [
        ("datum", "3"), ("rekening", None), ("kostenplaats", None), ("project", None), ("crediteur", None),
        ("crediteur_naam", None), ("kvk", None), ("factuurnummer", None), ("omschrijving", None), ("bedrag", "Bedrag excl"),
        ("debet", None), ("credit", None), ("dc", None), ("boekstuk", None), ("regelnummer", None), ("soort_rekening", None)]
    assert _cells(ws, 24)[0][0] is None
    assert ws["A25"].value == "NPO-uitgaven aan externe partijen (patronen zoals 4* mogen)"
    assert [tuple(ws.cell(r, c).value for c in range(1, 5)) for r in (26, 27, 28, 29)] == [
        ("Grootboekrekening", "Project", "Soort (extern of alle NPO-uitgaven)", "Toelichting"),
        ("4410", None, "extern", None), (None, "NPO*", "alle NPO-uitgaven", None), (None, None, None, None)]
    assert [tuple(ws.cell(r, c).value for c in range(1, 4)) for r in (30, 31, 32, 33)] == [
        ("Kostenplaatsen", None, None), ("Kostenplaats", "BRIN (bovenschools = bestuursbureau)", "Toelichting"),
        ("112", "12AB", None), ("900", "bovenschools", None)]
    assert ws.max_row == 33
    assert [r for r in range(1, 34) if ws.cell(r, 1).font.b] == [1, 6, 25, 30]  # the four titles
    assert _widths(ws) == {"A": 30, "B": 40, "C": 40}


# --------------------------------------------------------------------------- what the readers and rules ask the board


def test_tier_for_a_value_at_each_boundary_and_the_kind_of_a_school():
    """The default policy: from € 0 one quote, from € 25.000 three, from € 100.000 three (national). A value exactly
    at a boundary falls in the higher tier; one cent below in the lower."""
    board = config.Board(schools=dict(SCHOOLS))
    picked = [board.tier_for(Decimal(v)).from_value for v in ("0", "24999.99", "25000", "99999.99", "100000", "250000")]
    assert picked == [Decimal("0"), Decimal("0"), Decimal("25000"), Decimal("25000"), Decimal("100000"), Decimal("100000")]
    assert [board.school_kind(b) for b in ("12AB", "14CD", "99ZZ")] == ["bo", "vo", "bo"]  # unknown: bo
    own = config.Board(tiers=(config.Tier(Decimal("5000"), 2, "Eigen"), config.Tier(Decimal("50000"), 3, "Meer")))
    assert [own.tier_for(Decimal(v)).quotes for v in ("1000", "5000", "50000")] == [2, 2, 3]  # below the first: the first


def test_the_findings_about_the_grootboek_sheet_point_at_its_first_free_rows():
    """W3 at the selection's first free row; W4 at the cost centres' first free row naming the first 10 unknown codes
    and how many more (12 codes: 10 named, "en 2 meer"); the selection in words for the L finding."""
    ledger = config.LedgerSettings(selections=[config.Selection("4410", "", 27), config.Selection("", "NPO*", 28),
                                               config.Selection("45*", "P1", 29)],
                                   selection_cell="A30", cost_centre_cell="A35")
    assert (lambda f: (f.rule, f.file, f.sheet, f.cell))(ledger.finding_no_selection()) == ("W3", FILE, LEDGER, "A30")
    codes = [str(c) for c in range(101, 113)]
    f = ledger.finding_unknown_cost_centres(codes)
    assert (f.rule, f.file, f.sheet, f.cell) == ("W4", FILE, LEDGER, "A35")
    assert "'101, 102, 103, 104, 105, 106, 107, 108, 109, 110 en 2 meer'" in f.message
    assert "'101, 102'" in ledger.finding_unknown_cost_centres(codes[:2]).message
    assert "'101, 102, 103, 104, 105, 106, 107, 108, 109, 110 en 1 meer'" in ledger.finding_unknown_cost_centres(codes[:11]).message
    assert _places([f, ledger.finding_no_selection()]) == [("W4", FILE, LEDGER, "A35"), ("W3", FILE, LEDGER, "A30")]
    assert "'101, 102, 103, 104, 105, 106, 107, 108, 109, 110'" in ledger.finding_unknown_cost_centres(codes[:10]).message
    assert ledger.selection_text() == "rekening 4410; project NPO*; rekening 45* en project P1"
    assert config.LedgerSettings().selection_text() == "geen"


def test_a_school_or_a_pupil_row_twice_is_a_finding_and_only_the_first_row_counts(tmp_path):
    """Scholen row 4 repeats 12AB (typed in lower case) with another name: W4 at Scholen!A4 and the first row's school
    (row 2, "De Regenboog") stays. Leerlingen row 3 repeats 12AB 2022-2023 (typed as 2022/2023) with 999 pupils:
    W4 at Leerlingen!A3 and only row 2's 210 pupils count (two rows would double the school's NPO allocation).
    Bug: the last row silently overwrites the first, or both pupil rows are summed into the allocation."""
    board, found = _edited(tmp_path, "Scholen", {"A4": " 12ab ", "B4": "Dubbel", "C4": "bo"})
    assert _places(found) == [("W4", FILE, "Scholen", "A4")] and _names(found[0], " 12ab ")
    assert board.schools["12AB"].name == "De Regenboog" and list(board.schools) == ["12AB", "14CD"]
    board, found = _edited(tmp_path, "Leerlingen", {"A3": "12AB", "B3": "2022/2023", "C3": 999, "A4": "14CD", "B4": "2022-2023", "C4": 180})
    assert _places(found) == [("W4", FILE, "Leerlingen", "A3")]
    # the row after the repeated one is read as usual
    assert [(p.brin, p.schooljaar, p.pupils) for p in board.pupils] == [("12AB", "2022-2023", 210), ("14CD", "2022-2023", 180)]
    board, found = _edited(tmp_path, "Leerlingen", {"A3": "12AB", "B3": "2023-2024", "C3": 999})
    assert found == [] and [(p.schooljaar, p.pupils) for p in board.pupils] == [("2022-2023", 210), ("2023-2024", 999)]


def test_a_whole_number_typed_in_a_bad_cell_is_named_as_typed(tmp_path):
    """A quote count of 0,5 is no whole number; 12 typed where a school kind belongs is named '12', not '12.0'."""
    board, found = _edited(tmp_path, "Scholen", {"C3": 12})
    assert _places(found) == [("W4", FILE, "Scholen", "C3")]
    assert "'12'" in found[0].message and "12.0" not in found[0].message

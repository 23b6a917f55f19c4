"""The board's figures computed by hand: NPO allocation, calendar and cumulative allocation, bovenschools split,
and the board settings as finance staff type them in bestuur.xlsx.

Every expected amount is worked out in the test from the published rates (nponderwijs.nl), never taken from the
pipeline's own frames.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builders import write_workbook
from pipeline import aggregate, run
from pipeline.read import board as config
from pipeline.read import workbook as reader

D = Decimal
TODAY = date(2026, 11, 23)


def _board(*pupils: config.Pupils, kinds: dict[str, str] | None = None) -> config.Board:
    kinds = kinds or {}
    return config.Board(schools={p.brin: config.School(p.brin, p.brin, kinds.get(p.brin, "bo")) for p in pupils}, pupils=list(pupils))


def _alloc(board: config.Board) -> dict[tuple[str, str], Decimal]:
    return {(b, y): D(v) for b, y, v in aggregate.allocations(board).select("brin", "schooljaar", "toekenning").iter_rows()}


# --------------------------------------------------------------------------- allocation from pupils, achterstandsscore, CUMI


def test_bo_allocation_2021_2022_by_hand():
    # 100 × €701,16 + 10,5 × €251,16 = €70.116,00 + €2.637,18
    a = _alloc(_board(config.Pupils("12AB", "2021-2022", 100, D("10.5"), 0)))
    assert a[("12AB", "2021-2022")] == D("72753.18")


@pytest.mark.parametrize("cumi, extra", [(4, D("0")), (5, D("548.56")), (7, D("1645.68")), (0, D("0"))])
def test_sbo_cumi_pupils_count_above_4(cumi, extra):
    # 50 × €1.051,74 = €52.587,00, plus €548,56 for every CUMI pupil above 4
    a = _alloc(_board(config.Pupils("17EF", "2021-2022", 50, D("0"), cumi), kinds={"17EF": "sbo"}))
    assert a[("17EF", "2021-2022")] == D("52587.00") + extra


def test_vo_allocation_with_vbo_3_4_pupils_at_the_higher_rate():
    # 170 × €701,16 + 30 × €1.051,74 + 2 × €1.038,16 = €119.197,20 + €31.552,20 + €2.076,32
    p = config.Pupils("21GH", "2021-2022", 200, D("2"), 0, vbo_pro=30)
    assert _alloc(_board(p, kinds={"21GH": "vo"}))[("21GH", "2021-2022")] == D("152825.72")
    # without the column every pupil gets the vo rate: 200 × €701,16 + €2.076,32
    q = config.Pupils("21GH", "2021-2022", 200, D("2"), 0)
    assert _alloc(_board(q, kinds={"21GH": "vo"}))[("21GH", "2021-2022")] == D("142308.32")


def test_vbo_column_is_read_from_bestuur_xlsx(tmp_path):
    board = _board(config.Pupils("21GH", "2021-2022", 200, D("2"), 0, vbo_pro=30), kinds={"21GH": "vo"})
    loaded, problems = config.load(config.write(tmp_path / config.FILE_NAME, board))
    assert problems == []
    assert _alloc(loaded)[("21GH", "2021-2022")] == D("152825.72")


def test_bo_allocation_2022_2023_by_hand():
    # 100 × €500 + 10,5 × €463,78 = €50.000,00 + €4.869,69
    a = _alloc(_board(config.Pupils("12AB", "2022-2023", 100, D("10.5"), 0)))
    assert a[("12AB", "2022-2023")] == D("54869.69")


def _two_years() -> config.Board:
    return _board(*(config.Pupils("12AB", y, 100, D("10.5"), 0) for y in ("2021-2022", "2022-2023", "2023-2024", "2024-2025")))


def test_calendar_year_allocation_is_7_12_plus_5_12():
    alloc = aggregate.allocations(_two_years())
    # 7/12 × €72.753,18 = €42.439,355 → €42.439,36; 5/12 × €54.869,69 = €22.862,3708 → €22.862,37
    got = dict(aggregate.calendar_allocation(alloc, 2022).iter_rows())
    assert D(got["12AB"]) == D("65301.73")
    # 2023: 7/12 × €54.869,69 = €32.007,3192 → €32.007,32; 2023-2024 brings nothing
    assert D(dict(aggregate.calendar_allocation(alloc, 2023).iter_rows())["12AB"]) == D("32007.32")


@pytest.mark.parametrize("day, expected", [
    (date(2021, 7, 31), D("0.00")),
    (date(2021, 8, 30), D("0.00")),  # August has not ended yet
    (date(2021, 8, 31), D("6062.77")),  # 1/12 × €72.753,18 = €6.062,765 → €6.062,77
    (date(2022, 7, 31), D("72753.18")),
    (date(2022, 12, 31), D("95615.55")),  # €72.753,18 + 5/12 × €54.869,69 (€22.862,37)
    (date(2024, 12, 31), D("127622.87")),  # everything: €72.753,18 + €54.869,69
    (date(2025, 7, 31), D("127622.87")),
])
def test_cumulative_allocation_up_to_a_date(day, expected):
    assert aggregate.allocation_until(aggregate.allocations(_two_years()), day).get("12AB", D("0.00")) == expected


# --------------------------------------------------------------------------- splitting a bovenschools invoice


@pytest.mark.parametrize("amount, shares, parts", [
    (D("100.00"), [D("0.5"), D("0.3"), D("0.2")], [D("50.00"), D("30.00"), D("20.00")]),
    (D("100.00"), [D(1) / 3] * 3, [D("33.34"), D("33.33"), D("33.33")]),
    (D("0.01"), [D("0.5"), D("0.5")], [D("0.01"), D("0.00")]),
    (D("-10.00"), [D("0.5"), D("0.3"), D("0.2")], [D("-5.00"), D("-3.00"), D("-2.00")]),
    (D("14000.01"), [D("0.4"), D("0.35"), D("0.25")], [D("5600.01"), D("4900.00"), D("3500.00")]),
])
def test_split_cents_adds_up_to_the_invoice(amount, shares, parts):
    got = aggregate.split_cents(amount, shares)
    assert got == parts and sum(got) == amount


def test_bovenschools_invoices_are_split_over_the_participants(tmp_path):
    path = write_workbook(tmp_path / "21GH" / "b.xlsx", {"niveau": "Bovenschools", "brin": "21GH"},
                          {"tblDeelnemers": [["12AB", "40%", date(2022, 6, 1)], ["14CD", "35%", date(2022, 6, 1)], ["17EF", "25%", date(2022, 6, 1)]],
                           "tblFacturen": [["F-1", date(2022, 12, 31), "14.000,01", "2.940,00", "a"]]})
    hire = reader.read(path).hire
    rows = aggregate.invoice_rows(hire)
    # 40 % of €14.000,01 = €5.600,004; 35 % = €4.900,0035; 25 % = €3.500,0025 → the one cent left goes to 12AB (largest remainder)
    assert [(r["brin"], r["bedrag"], r["btw"], r["totaal"]) for r in rows] == [
        ("12AB", D("5600.01"), D("1176.00"), D("6776.01")),
        ("14CD", D("4900.00"), D("1029.00"), D("5929.00")),
        ("17EF", D("3500.00"), D("735.00"), D("4235.00")),
    ]
    assert sum(r["totaal"] for r in rows) == D("16940.01")
    m = aggregate.money(aggregate.invoices_frame([hire]))
    assert (m.excl, m.incl, m.n) == (D("14000.01"), D("16940.01"), 1)


def test_bovenschools_with_bad_shares_stays_with_the_administering_school(tmp_path):
    path = write_workbook(tmp_path / "21GH" / "b.xlsx", {"niveau": "Bovenschools", "brin": "21GH"},
                          {"tblDeelnemers": [["12AB", "40%", date(2022, 6, 1)], ["14CD", "35%", date(2022, 6, 1)]]})
    assert aggregate.participants(reader.read(path).hire) == [("21GH", D(1))]


def test_money_never_passes_through_a_float():
    with pytest.raises(TypeError):
        aggregate.cents(0.1)


# --------------------------------------------------------------------------- board settings typed differently


def _settings_file(tmp_path: Path, label: str, value) -> tuple[config.Board, list, int]:
    path = config.write(tmp_path / config.FILE_NAME, config.Board())
    wb = load_workbook(path)
    ws = wb["Instellingen"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.cell(row, 2).value = value
    wb.save(path)
    board, problems = config.load(path)
    return board, problems, row


@pytest.mark.parametrize("typed", ["Kalenderjaar", "kalenderjaar", " KALENDERJAAR "])
def test_split_window_is_read_in_any_case(tmp_path, typed):
    board, problems, _ = _settings_file(tmp_path, "Venster samentellen opdrachten (A2)", typed)
    assert problems == [] and board.settings.split_window == "kalenderjaar"
    used = {a["label"]: a["value"] for a in config.assumptions(board)}
    assert used["Venster samentellen opdrachten (A2)"] == "kalenderjaar"


def test_unknown_setting_value_is_a_finding_at_its_cell_and_the_default_is_reported(tmp_path):
    board, problems, row = _settings_file(tmp_path, "Venster samentellen opdrachten (A2)", "per maand")
    assert [(f.rule, f.file, f.sheet, f.cell) for f in problems] == [("W4", config.FILE_NAME, "Instellingen", f"B{row}")]
    assert board.settings.split_window == "schooljaar"
    used = {a["label"]: (a["value"], a["default"]) for a in config.assumptions(board)}
    value, how = used["Venster samentellen opdrachten (A2)"]
    assert value == "schooljaar" and how.startswith("standaard") and f"B{row}" in how  # the default, and why


@pytest.mark.parametrize("label, typed, attr, expected", [
    ("Regime sociale en andere specifieke diensten (drempel €750.000)", "JA", "social_services_regime", True),
    ("Regime sociale en andere specifieke diensten (drempel €750.000)", "nee", "social_services_regime", False),
    ("Maximaal aandeel extern van de NPO-toekenning", "40%", "max_share_of_allocation", D("0.4")),
    ("Maximaal aandeel extern van de NPO-toekenning", 0.4, "max_share_of_allocation", D("0.4")),
    ("Maximale looptijd inhuur (maanden)", "36", "max_duration_months", 36),
])
def test_settings_typed_differently(tmp_path, label, typed, attr, expected):
    board, problems, _ = _settings_file(tmp_path, label, typed)
    assert problems == [] and getattr(board.settings, attr) == expected


@pytest.mark.parametrize("label, typed", [
    ("Maximale looptijd inhuur (maanden)", "0"),
    ("Maximaal aandeel extern van de NPO-toekenning", "150%"),
    ("Regime sociale en andere specifieke diensten (drempel €750.000)", "misschien"),
])
def test_invalid_settings_are_findings(tmp_path, label, typed):
    board, problems, row = _settings_file(tmp_path, label, typed)
    assert [(f.rule, f.sheet, f.cell) for f in problems] == [("W4", "Instellingen", f"B{row}")]


# --------------------------------------------------------------------------- open-ended hires and calendar years


def test_open_ended_hire_belongs_to_every_calendar_year_it_touches(tmp_path):
    from pipeline.render import context, jaarverslag

    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx", {"onbepaalde_tijd": "Ja", "maandbedrag": 1000},
                   {"tblFacturen": [["F-1", date(2022, 12, 31), 1000, 210, "a"]]}, unset=("einddatum",))
    data = run.run(inputs, workers=1, today=TODAY)
    assert context.calendar_years(data) == [2022, 2023, 2024, 2025, 2026]
    for year in (2023, 2024, 2025, 2026):
        assert [h.file for h in jaarverslag.hires_in_year(data, year)] == ["12AB/a.xlsx"]

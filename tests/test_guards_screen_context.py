"""Guards from the unsampled screen of render/context.py (issue 28, 2026-12-06c): the shared pieces of every document's
context (calendar and school years, school names, the Naleving table and sentence, the category and school tables and
charts, the audit trail's addresses, the bovenschools participants) on inputs the small, the ledger and the demo board
do not have.

Every input is typed here by hand (a Hire of model.py, an invoice frame with the columns aggregate.money_by reads, or
a stand-in for RunData with only the attributes the function reads), and so is every expected value, with a comment
how it follows from the input. Plain functions (no fixtures), so tools/mutants_screen.py can run them; the whole file
takes well under a second.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import polars as pl
import pytest

from guards_board import euro as nbsp
from pipeline.model import Cell, Hire, Row
from pipeline.render import context

D = Decimal
MONEY = pl.Decimal(16, 2)
A_NAME = "Meer onderwijs (binnen of buiten reguliere schooltijden)"  # pipeline/data/menukaart.toml, category A
NO_CATEGORY = "Niet in te delen (interventie niet op de menukaart)"


def _hire(file: str, fields: dict, tables: dict | None = None) -> Hire:
    """A hire as read/workbook.py gives it: every table of the spec present (an empty list when the school left it out)."""
    tables = {"tblDeelnemers": [], "tblFacturen": [], **(tables or {})}
    return Hire(file, "ab12cd", "1.0", {k: Cell(v, v, "Inhuur", f"C{i + 5}") for i, (k, v) in enumerate(fields.items())}, tables)


def _invoices(rows: list[tuple], key: str) -> pl.DataFrame:
    """Invoices with the columns money_by reads: (key value, excl, btw); incl = excl + btw; one invoice per row."""
    return pl.DataFrame({
        key: [r[0] for r in rows],
        "bedrag": [D(r[1]) for r in rows],
        "btw": [D(r[2]) for r in rows],
        "totaal": [D(r[1]) + D(r[2]) for r in rows],
        "factuur_id": [f"f{i}" for i in range(len(rows))],
    }, schema_overrides={"bedrag": MONEY, "btw": MONEY, "totaal": MONEY})


# --------------------------------------------------------------------------- calendar and school years


def test_calendar_years_join_invoice_years_and_every_year_a_hire_runs_in():
    """The jaarverslag is made once per calendar year, so this list is the set of files a board receives."""
    inv = pl.DataFrame({"kalenderjaar": [2020, 2021, None], "geteld": [True, False, True]})
    hires = [
        _hire("a.xlsx", {"startdatum": date(2022, 9, 1), "einddatum": date(2024, 6, 30)}),  # 2022, 2023, 2024
        _hire("b.xlsx", {"startdatum": date(2025, 1, 1)}),  # open-ended: up to today (1-3-2026): 2025, 2026
        _hire("c.xlsx", {"einddatum": date(2019, 6, 30)}),  # no start date: no period
    ]
    data = SimpleNamespace(invoices_df=inv, hires=hires, today=date(2026, 3, 1))
    # 2020 from the counted invoice (2021 is not counted, the undated one has no year)
    assert context.calendar_years(data) == [2020, 2022, 2023, 2024, 2025, 2026]


def test_hire_years_run_to_the_end_of_the_programme_and_keep_the_registered_year():
    # npo_years: 2021-2022 .. 2024-2025, school years 1 August .. 31 July (pipeline/data)
    long = _hire("l.xlsx", {"schooljaar": "2022-2023", "startdatum": date(2022, 9, 1), "einddatum": date(2025, 6, 30)})
    assert context.hire_years(long, {}) == {"2022-2023", "2023-2024", "2024-2025"}
    # registered in 2021-2022 but running in 2022-2023 only: both
    late = _hire("r.xlsx", {"schooljaar": "2021-2022", "startdatum": date(2022, 9, 1), "einddatum": date(2022, 12, 31)})
    assert context.hire_years(late, {}) == {"2021-2022", "2022-2023"}
    # ends on 1 August 2023, the first day of 2023-2024: it runs one day in that year too
    edge = _hire("e.xlsx", {"startdatum": date(2023, 3, 1), "einddatum": date(2023, 8, 1)})
    assert context.hire_years(edge, {}) == {"2022-2023", "2023-2024"}
    # invoiced in a school year outside its dates: that year too
    assert context.hire_years(edge, {"e.xlsx": {"2020-2021"}, "x.xlsx": {"2019-2020"}}) == {"2020-2021", "2022-2023", "2023-2024"}


def test_no_new_money_names_the_programme_end_and_its_first_year():
    board = SimpleNamespace(settings=SimpleNamespace(programme_end=date(2025, 7, 31)))
    alloc = pl.DataFrame({"schooljaar": ["2023-2024"], "toekenning": [D("0")]}, schema_overrides={"toekenning": MONEY})
    data = SimpleNamespace(board=board, allocations_df=alloc)
    after = context.no_new_money(data, "2025-2026")  # starts 1-8-2025, after the programme end 31-7-2025
    assert "2025-2026" in after and "31 juli 2025" in after
    before = context.no_new_money(data, "2020-2021")  # ends 31-7-2021, before 2021-2022 began
    assert "2020-2021" in before and "2021-2022" in before and "2022-2023" not in before
    assert context.no_new_money(data, "2022-2023") == ""  # no allocation row: nothing known, no sentence
    # a board that sets the end of the programme on 1 August 2025: 2025-2026 starts on that day, so it is not after it
    data.board.settings.programme_end = date(2025, 8, 1)
    assert context.no_new_money(data, "2025-2026") == ""


# --------------------------------------------------------------------------- names and labels


def test_school_names_first_typed_name_per_brin_then_bestuur_xlsx():
    hires = [
        _hire("12AB/a.xlsx", {"brin": "12AB"}),  # no name typed: does not claim 12AB
        _hire("12AB/b.xlsx", {"brin": "12AB", "school_naam": "De Eik"}),  # the first name typed for 12AB
        _hire("12AB/c.xlsx", {"brin": "12AB", "school_naam": "Eik 2"}),  # a later name does not replace it
        _hire("x.xlsx", {"school_naam": "Zonder BRIN"}),  # no BRIN: no entry
        _hire("16EF/a.xlsx", {"brin": "16EF", "school_naam": "Wilg"}),  # bestuur.xlsx has 16EF without a name
    ]
    board = SimpleNamespace(schools={"14CD": SimpleNamespace(name="De Linde"), "16EF": SimpleNamespace(name="")})
    names = context.school_names(SimpleNamespace(hires=hires, board=board))
    assert names == {"12AB": "De Eik", "14CD": "De Linde", "16EF": "Wilg"}


def test_text_replaces_control_characters_by_one_space():
    assert context.text("Stichting\x01Proef") == "Stichting Proef"
    assert context.text("De\x0b\x0cRegenboog ") == "De Regenboog"
    # free text longer than 200 characters (an evaluation) takes the uncached path: 150 times "ab" around a control character
    assert context.text("ab" * 150 + "\x02" + "ab" * 150) == "ab" * 150 + " " + "ab" * 150


def test_common_names_the_board_and_the_day_the_run_was_made():
    data = SimpleNamespace(board=SimpleNamespace(name="Stichting Proef"), generated=datetime(2024, 3, 1, 14, 30))
    c = context.common(data)
    assert (c["bestuur"], c["gemaakt_op"]) == ("Stichting Proef", "1 maart 2024")
    assert "1 maart 2024" in c["gemaakt_regel"]
    unnamed = SimpleNamespace(board=SimpleNamespace(name=None), generated=datetime(2023, 12, 31, 23, 59))
    assert context.common(unnamed)["bestuur"] == "Schoolbestuur"  # the title page's name of a board without one
    assert context.common(unnamed)["gemaakt_op"] == "31 december 2023"


def test_category_and_menukaart_labels():
    assert context.category_label("A") == f"A {A_NAME}"
    assert context.category_label(None) == NO_CATEGORY
    # menukaart.toml: item "Uitbreiding onderwijs" of category A, typed in lower case by a school
    assert context.menukaart_label("uitbreiding onderwijs") == "A: Uitbreiding onderwijs"
    assert context.menukaart_label("Huiswerkklas") == "Huiswerkklas"  # not on the menukaart: as typed
    assert context.menukaart_label(None) == ""


def test_euro_of_nothing_is_zero():
    assert context.euro(None) == nbsp("€ 0,00")


# --------------------------------------------------------------------------- the Naleving table and sentence


def _findings(rows: list[tuple[str, str, str]]) -> SimpleNamespace:
    return SimpleNamespace(findings_df=pl.DataFrame(rows, schema=["file", "rule", "severity"], orient="row"))


def _numbers(sentence: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", sentence)]


def test_compliance_counts_per_rule_and_in_the_sentence():
    data = _findings([
        ("a.xlsx", "A1", "fout"), ("a.xlsx", "W1", "waarschuwing"), ("a.xlsx", "Q1", "info"), ("a.xlsx", "Q1", "info"),
        ("b.xlsx", "A1", "fout"), ("b.xlsx", "A1", "fout"), ("b.xlsx", "P1", "fout"), ("c.xlsx", "W1", "waarschuwing"),
    ])
    cat = context.findings.catalogue()
    rows, total, sentence = context.compliance(data, ["a.xlsx"])
    # catalogue order: W1, Q1, ..., A1; a.xlsx has 1 fout (A1), 1 waarschuwing (W1), 2 meldingen (Q1)
    assert [(r["regel"], r["fout"], r["waarschuwing"], r["info"]) for r in rows] == [
        ("W1", "0", "1", "0"), ("Q1", "0", "0", "2"), ("A1", "1", "0", "0")]
    assert [r["titel"] for r in rows] == [cat[r].title for r in ("W1", "Q1", "A1")]
    assert all(r["titel"] != r["regel"] for r in rows)
    assert total == {"fout": "1", "waarschuwing": "1", "info": "2"}
    # 1 fout, 1 waarschuwing, 2 meldingen; at 1 of the 1 hire at least one error
    assert _numbers(sentence) == [1, 1, 2, 1, 1] and "None" not in sentence
    rows, total, sentence = context.compliance(data, ["a.xlsx", "b.xlsx", "c.xlsx"])
    # fouten: a 1 + b 3 = 4; waarschuwingen: a 1 + c 1 = 2; meldingen 2; files with an error: a, b = 2 of 3
    assert total == {"fout": "4", "waarschuwing": "2", "info": "2"}
    assert _numbers(sentence) == [4, 2, 2, 2, 3] and "None" not in sentence
    assert context.compliance(data, ["d.xlsx"]) == ([], {"fout": "0", "waarschuwing": "0", "info": "0"}, "geen")


def test_severity_key_orders_by_sheet_then_cell_within_one_rule():
    rows = [{"severity": "fout", "rule": "A1", "sheet": s, "cell": c}
            for s, c in (("Vragenlijst", "B7"), (None, None), ("Inhuur", "C9"), ("Inhuur", None), ("Inhuur", "C10"))]
    rows.append({"severity": "waarschuwing", "rule": "W1", "sheet": "Inhuur", "cell": "A1"})
    got = [(r["sheet"], r["cell"]) for r in sorted(rows, key=context.severity_key)]
    # errors first; no sheet before "Inhuur" before "Vragenlijst"; no cell first, then "C10" < "C9" as text
    assert got == [(None, None), ("Inhuur", None), ("Inhuur", "C10"), ("Inhuur", "C9"), ("Vragenlijst", "B7"), ("Inhuur", "A1")]


# --------------------------------------------------------------------------- category table and charts


def test_category_rows_hold_excl_btw_and_incl_per_category():
    inv = _invoices([("A", "1000.00", "210.00"), ("A", "500.50", "0.00"), ("C", "200.00", "42.00"), (None, "10.00", "2.10")],
                    "categorie")
    rows = context.category_rows(inv, {"A": 2, "C": 1, None: 1})
    got = {r["categorie"][:1]: (r["inhuren"], r["excl"], r["btw"], r["incl"]) for r in rows}
    # A: 1.000 + 500,50 = 1.500,50 excl, 210 btw, 1.710,50 incl; C: 200 + 42 = 242; no category: 10 + 2,10 = 12,10
    assert got["A"] == ("2", nbsp("€ 1.500,50"), nbsp("€ 210,00"), nbsp("€ 1.710,50"))
    assert got["C"] == ("1", nbsp("€ 200,00"), nbsp("€ 42,00"), nbsp("€ 242,00"))
    assert got["B"] == ("0", nbsp("€ 0,00"), nbsp("€ 0,00"), nbsp("€ 0,00"))
    assert got["N"] == ("1", nbsp("€ 10,00"), nbsp("€ 2,10"), nbsp("€ 12,10"))
    assert [r["categorie"] for r in rows][-1] == NO_CATEGORY and len(rows) == 7  # A-F and the row without a category


def test_category_chart_labels_every_category_by_name_and_draws_one_euro():
    inv = _invoices([("A", "0.50", "0.50")], "categorie")  # € 1,00 incl. in A: not above 1 euro, still a bar
    spec = context.category_chart(inv, "Kosten per categorie")
    assert spec["labels"][0] == f"A {A_NAME}"
    assert [label[:2] for label in spec["labels"]] == ["A ", "B ", "C ", "D ", "E ", "F "]
    assert spec["waarden"] == ["1.00", "0.00", "0.00", "0.00", "0.00", "0.00"]
    assert context.category_chart(_invoices([("A", "0.00", "0.00")], "categorie"), "x") is None


def _schools(n: int, step: int = -10) -> list[tuple]:
    """n schools 20XY, 21XY, ... with incl. 400, 390, ... (step -10) or 180, 190, ... (step 10); btw 0."""
    first = 400 if step < 0 else 180
    return [(f"{20 + i}XY", f"{first + step * i}.00", "0.00") for i in range(n)]


def test_school_chart_of_25_schools_has_a_bar_each_in_brin_order():
    # 23 schools (400 .. 180), 60XY with € 1,00, a workbook without BRIN € 150; 62XY nets to € 0 (not drawn):
    # 25 bars, no "Overige" bar. The frame lists them in reverse, so the order drawn is the chart's own.
    rows = [*_schools(23), ("60XY", "1.00", "0.00"), (None, "150.00", "0.00"), ("62XY", "100.00", "0.00"), ("62XY", "-100.00", "0.00")]
    spec = context.school_chart({"20XY": "De Eerste"}, _invoices(rows[::-1], "brin"), "Kosten per school")
    assert spec["labels"] == ["20XY De Eerste", *[f"{21 + i}XY" for i in range(22)], "60XY", "BRIN onbekend"]
    assert spec["waarden"] == [f"{400 - 10 * i}.00" for i in range(23)] + ["1.00", "150.00"]
    assert spec["titel"] == "Kosten per school"


def test_school_chart_of_27_schools_groups_the_smallest_three():
    # 23 schools 20XY .. 42XY with 180, 190, .. 400, but 20XY and 42XY swapped (20XY 400, 42XY 180), so that the
    # bars' order (by BRIN) is neither the order by amount nor its reverse; then 150 twice: the workbook without BRIN and 50XY. 24 bars fit besides "Overige": the 23 and, of the tie, the one
    # whose BRIN sorts first ("" for no BRIN before "50XY").
    # The rest: 50XY 150 + 61XY 50 + 60XY 1 = € 201 in "Overige 3 scholen"; 62XY nets to € 0 and is not a school here.
    schools = _schools(23, step=10)
    schools[0], schools[-1] = ("20XY", "400.00", "0.00"), ("42XY", "180.00", "0.00")
    rows = [*schools, ("50XY", "150.00", "0.00"), (None, "150.00", "0.00"), ("60XY", "1.00", "0.00"),
            ("61XY", "50.00", "0.00"), ("62XY", "100.00", "0.00"), ("62XY", "-100.00", "0.00")]
    spec = context.school_chart({"20XY": "De Eerste"}, _invoices(rows[::-1], "brin"), "Kosten per school")
    assert spec["labels"] == ["20XY De Eerste", *[f"{21 + i}XY" for i in range(22)], "BRIN onbekend", "Overige 3 scholen"]
    assert spec["waarden"] == ["400.00"] + [f"{180 + 10 * i}.00" for i in range(1, 22)] + ["180.00", "150.00", "201.00"]
    assert spec["titel"] == "Kosten per school"


# --------------------------------------------------------------------------- audit trail and participants


def test_trail_names_file_hash_and_the_cells_of_contract_value_and_invoices():
    a = Hire("12AB/a.xlsx", "9f86d081", "1.0",
             {"brin": Cell("12AB", "12AB", "Inhuur", "C5"), "schooljaar": Cell("2022-2023", "2022-2023", "Inhuur", "C6"),
              "volgnummer": Cell(1, 1, "Inhuur", "C7"), "contractwaarde": Cell(D("40000"), 40000, "Inhuur", "C20")},
             {"tblFacturen": [Row(1, {"Factuurnummer": Cell("A-1", "A-1", "Facturen", "A5"),
                                      "Bedrag excl. BTW": Cell(D("10000"), 10000, "Facturen", "C5")}),
                              Row(2, {"Factuurnummer": Cell("A-2", "A-2", "Facturen", "A6")}),  # no amount typed
                              Row(3, {"Bedrag excl. BTW": Cell(D("5000"), 5000, "Facturen", "C7")})]})
    b = Hire("14CD/b.xlsx", "", "1.0", {}, {"tblFacturen": []})
    assert context.trail([a, b]) == [
        {"inhuur": "12AB-2022-2023-1", "bestand": "12AB/a.xlsx", "sha256": "9f86d081",
         "cellen": "contractwaarde Inhuur!C20; facturen Facturen!C5, Facturen!C7"},
        {"inhuur": "14CD/b.xlsx", "bestand": "14CD/b.xlsx", "sha256": "–", "cellen": "–"},
    ]
    only_invoices = Hire("c.xlsx", "aa", "1.0", {}, {"tblFacturen": a.tables["tblFacturen"][:1]})
    assert context.trail([only_invoices])[0]["cellen"] == "facturen Facturen!C5"


def test_participants_text_per_school_share_and_mr_date():
    rows = [Row(1, {"BRIN": Cell(None, None, "Deelnemers", "A5")}),  # an empty row above the filled ones
            Row(2, {"BRIN": Cell("12AB", "12AB", "Deelnemers", "A6"), "Aandeel": Cell(D("0.4"), "40%", "Deelnemers", "B6"),
                    "MR-akkoord": Cell(date(2022, 12, 1), None, "Deelnemers", "C6")}),
            Row(3, {"BRIN": Cell("14CD", "14CD", "Deelnemers", "A7")})]  # no share, no MR date
    h = _hire("12AB/s.xlsx", {"brin": "12AB", "niveau": "Bovenschools"}, {"tblDeelnemers": rows})
    assert context.participants_text(h) == ("12AB 40,0% (MR-akkoord 1 december 2022); "
                                            "14CD aandeel niet ingevuld (MR-akkoord ontbreekt)")


@pytest.mark.parametrize("fields, expected", [
    # no participants: the hire stays 100 % with the school that administers it, with the board MR's date
    ({"brin": "12AB", "mr_akkoord_bovenschools": date(2022, 6, 5)},
     "12AB 100% (MR-akkoord 5 juni 2022); geen deelnemende scholen ingevuld"),
    ({}, "BRIN onbekend 100% (MR-akkoord ontbreekt); geen deelnemende scholen ingevuld"),
])
def test_participants_text_without_participants(fields, expected):
    assert context.participants_text(_hire("s.xlsx", {"niveau": "Bovenschools", **fields})) == expected

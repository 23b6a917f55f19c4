"""Issue 23, reading: every layout of DOMAIN §7a, built from the demo board's own ledger, gives exactly the demo's
four planted gaps (one L1, L2, L3 and L4); amounts and dates are read by one convention per column."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger_layouts as layouts
from pipeline import aggregate, dutch, rules, run
from pipeline.read import board as config
from pipeline.read import ledger as reader
from pipeline.read.ledger import values
from pipeline.read.workbook import sha256_of
from pipeline.rules import ledger as matching
from tools import demo

TODAY = date(2026, 11, 23)
RECOGNISED = {"afas": "AFAS Profit", "afas-nl": "AFAS Profit", "exact-online": "Exact Online", "fmuta": reader.FMUTA, "fmuta-koppen": "Exact Globe (FMUTA met kolomkoppen)",
              "gbkmut": "Exact Globe (gbkmut)", "twinfield": "Twinfield", "unit4": "Unit4"}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("demo") / "inputs"
    demo.generate(inputs)
    return inputs, run.run(inputs, workers=1, today=TODAY)


def _l_findings(data, ledger, rec) -> list[tuple]:
    """The L findings the board checks give for this ledger, as (rule, file, sheet, cell)."""
    ctx = rules.BoardContext(board=data.board, hires=data.hires, counted=data.hires, invoices=data.invoices_df.filter(pl.col("geteld")),
                             allocations=data.allocations_df, version_dates={}, reconciliation=rec, ledger=ledger)
    out = []
    for check in (matching.not_in_workbooks, matching.not_booked, matching.amount_differs, matching.other_school):
        out += [(f.rule, f.file, f.sheet, f.cell) for f in check(ctx)]
    return sorted(out)


def _load(folder: Path, board: config.Board):
    ledger, board_findings = reader.load(folder, board.ledger, sha256_of)
    return ledger, board_findings


@pytest.mark.parametrize("layout", sorted(layouts.LAYOUTS))
def test_each_layout_built_from_the_demo_ledger_gives_exactly_the_four_planted_gaps(demo_run, tmp_path, layout):
    inputs, data = demo_run
    lines = layouts.demo_lines(inputs / demo.LEDGER_FILE)
    written = layouts.LAYOUTS[layout](tmp_path / reader.FOLDER, lines)
    ledger, board_findings = _load(tmp_path, data.board)
    assert board_findings == []
    assert all(f.status == "gelezen" for f in ledger.files), [(f.file, f.reason) for f in ledger.files]
    assert all(not f.findings for f in ledger.files), [x.message for f in ledger.files for x in f.findings]
    main = next(r for r in ledger.recognitions if r.file == f"{reader.FOLDER}/{written[0].name}")
    assert main.layout.startswith(RECOGNISED[layout])
    # the same NPO selection as the demo's own export: 53 lines, the same total, the same period
    assert ledger.lines.height == data.ledger_df.height
    assert ledger.lines["bedrag"].sum() == data.ledger_df["bedrag"].sum()
    assert (ledger.first, ledger.last) == (data.ledger_df["datum"].min(), data.ledger_df["datum"].max())
    rec = matching.reconcile(ledger.lines, aggregate.whole_invoices(data.invoices_df.filter(pl.col("geteld"))), ledger.first, ledger.last)
    got = _l_findings(data, ledger, rec)
    expected = sorted((f.rule, f.file, f.sheet, f.cell) for f in run.iter_findings(data) if f.rule in ("L2", "L3", "L4"))
    assert [g for g in got if g[0] != "L1"] == expected
    l1 = [g for g in got if g[0] == "L1"]
    assert len(l1) == 1 and l1[0][1] == f"{reader.FOLDER}/{written[0].name}"
    noorderlicht = rec.filter(pl.col("status") == matching.GEEN_WERKBOEK)
    assert noorderlicht["bedrag_grootboek"].sum() == Decimal("6000.00")
    assert sorted(noorderlicht["factuurnummer"].to_list()) == ["NL-2023-11", "NL-2024-02"]


def test_fmuta_by_the_layout_setting_and_its_positions_on_the_grootboek_sheet(demo_run, tmp_path):
    """A headerless file read by the board's choice of layout, with the cost centre given as a column number."""
    inputs, data = demo_run
    layouts.fmuta(tmp_path / reader.FOLDER, layouts.demo_lines(inputs / demo.LEDGER_FILE))
    settings_ = config.LedgerSettings(selections=data.board.ledger.selections, cost_centres=data.board.ledger.cost_centres,
                                      layout=reader.FMUTA, columns={"kostenplaats": str(layouts.FMUTA_COST_CENTRE),
                                                                    "project": f"kolom {layouts.FMUTA_CARRIER}"})
    ledger, _ = reader.load(tmp_path, settings_, sha256_of)
    assert ledger.lines.height == data.ledger_df.height
    rec = ledger.recognitions[0]
    assert rec.columns["kostenplaats"] == f"kolom{layouts.FMUTA_COST_CENTRE}"
    assert rec.columns["project"] == f"kolom{layouts.FMUTA_CARRIER}"


def test_fmuta_end_to_end_with_the_setting_in_bestuur_xlsx(demo_run, tmp_path):
    """The whole run on the demo board with fmuta.csv instead of its export: the same four gaps, a true Volledigheid."""
    inputs, data = demo_run
    copy = tmp_path / "inputs"
    shutil.copytree(inputs, copy)
    shutil.rmtree(copy / reader.FOLDER)
    layouts.fmuta(copy / reader.FOLDER, layouts.demo_lines(inputs / demo.LEDGER_FILE))
    from openpyxl import load_workbook

    wb = load_workbook(copy / config.FILE_NAME)
    ws = wb[config.LEDGER_SHEET]
    row = next(r for r in ws.iter_rows() if r[0].value == config.OPTION_LAYOUT)
    row[1].value = reader.FMUTA
    wb.save(copy / config.FILE_NAME)
    again = run.run(copy, workers=1, today=TODAY)
    got = sorted((f.rule, f.sheet, f.cell) for f in run.iter_findings(again) if f.rule.startswith("L") and f.rule != "L1")
    assert got == sorted((f.rule, f.sheet, f.cell) for f in run.iter_findings(data) if f.rule.startswith("L") and f.rule != "L1")
    assert [f.file for f in run.iter_findings(again) if f.rule == "L1"] == ["grootboek/fmuta.csv"]
    from pipeline.render.jaarverslag import jaarverslag_context

    text = jaarverslag_context(again, 2023)["volledigheid_tekst"]
    assert "Alle NPO-uitgaven" not in text  # 2023 has the L1 gap of Noorderlicht
    assert jaarverslag_context(again, 2022)["volledigheid_tekst"].startswith("Alle NPO-uitgaven")


def test_a_creditor_list_is_read_as_suppliers_not_rejected_as_a_ledger(tmp_path):
    folder = tmp_path / reader.FOLDER
    folder.mkdir()
    (folder / "crediteuren.csv").write_text("crdnr;cmp_name\n20001;Slim Verder BV\n", encoding="utf-8")
    (folder / "asuheader.csv").write_text("apar_id;apar_name\n7;Leeskracht\n", encoding="utf-8")
    ledger, _ = reader.load(tmp_path, config.LedgerSettings(), sha256_of)
    assert [(f.status, [x.rule for x in f.findings]) for f in ledger.files] == [("gelezen", []), ("gelezen", [])]


def test_a_headerless_file_that_is_not_fmuta_is_rejected_with_what_to_set(tmp_path):
    folder = tmp_path / reader.FOLDER
    folder.mkdir()
    (folder / "export.csv").write_text("30-11-2022;4410;112;NPO;1.000,00\n31-12-2022;4410;112;NPO;2.000,00\n", encoding="utf-8")
    ledger, _ = reader.load(tmp_path, config.LedgerSettings(selections=[config.Selection("44*", "", 0)]), sha256_of)
    f = ledger.files[0]
    assert f.status == "afgewezen" and [(x.rule, x.cell) for x in f.findings] == [("L1", "regel 1")]
    assert reader.FMUTA in f.findings[0].message


def _ledger(tmp_path: Path, text: str, selection=("44*", "")) -> reader.Ledger:
    folder = tmp_path / reader.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export.csv").write_text(text, encoding="utf-8")
    settings_ = config.LedgerSettings(selections=[config.Selection(*selection, 0)], cost_centres={"112": "12AB"})
    return reader.load(tmp_path, settings_, sha256_of)[0]


def test_dutch_thousands_without_cents_in_a_ledger_column(tmp_path):
    ledger = _ledger(tmp_path, "Datum;Rekening;Kostenplaats;Crediteur;Factuurnummer;Bedrag\n"
                               "30-11-2022;4410;112;1;A-1;10.000\n30-11-2022;4410;112;1;A-2;€ 10.000\n"
                               "30-11-2022;4410;112;1;A-3;-1.500\n30-11-2022;4410;112;1;A-4;1.234,56\n")
    assert ledger.lines["bedrag"].to_list() == [Decimal("10000.00"), Decimal("10000.00"), Decimal("-1500.00"), Decimal("1234.56")]


def test_sql_amounts_with_three_decimals_and_iso_dates(tmp_path):
    ledger = _ledger(tmp_path, "trans_date;account;dim_1;apar_id;ext_inv_ref;amount\n"
                               "2022-09-28T00:00:00Z;4410;112;1;A-1;-1500.000\n2022-09-28T00:00:00Z;4410;112;1;A-2;250.000\n")
    assert ledger.lines["bedrag"].to_list() == [Decimal("-1500.00"), Decimal("250.00")]
    assert ledger.lines["datum"].to_list() == [date(2022, 9, 28)] * 2
    assert ledger.files[0].findings == []


def test_dates_ddmmyyyy_and_excel_serials(tmp_path):
    ledger = _ledger(tmp_path, "Datum;Rekening;Kostenplaats;Crediteur;Factuurnummer;Bedrag\n"
                               "28092022;4410;112;1;A-1;1,00\n01102022;4410;112;1;A-2;2,00\n")
    assert ledger.lines["datum"].to_list() == [date(2022, 9, 28), date(2022, 10, 1)]
    ledger = _ledger(tmp_path / "b", "Datum;Rekening;Kostenplaats;Crediteur;Factuurnummer;Bedrag\n44832;4410;112;1;A-1;1,00\n")
    assert ledger.lines["datum"].to_list() == [date(2022, 9, 28)]


def test_an_unreadable_amount_names_its_line_once(tmp_path):
    ledger = _ledger(tmp_path, "Datum;Rekening;Kostenplaats;Crediteur;Factuurnummer;Bedrag\n30-11-2022;4410;112;1;A-1;twaalf\n"
                               "30-11-2022;4410;112;1;A-2;1,00\n")
    (w4,) = ledger.files[0].findings
    assert (w4.rule, w4.cell) == ("W4", "regel 2")
    assert "regel regel" not in w4.message


# --------------------------------------------------------------------------- one convention per column, both parsers

def _formats(cents: int) -> dict[str, str]:
    v = Decimal(cents) / 100
    return {"nl": layouts.nl(v), "point": f"{v:.2f}", "sql": f"{v:.3f}"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=-10**11, max_value=10**11), min_size=1, max_size=8), st.sampled_from(["nl", "point", "sql"]))
def test_a_column_in_one_convention_reads_back_every_value(amounts, style):
    column = [_formats(c)[style] for c in amounts]
    clean = pl.DataFrame({"v": column}).select(values.clean_amount(pl.col("v")))["v"]
    convention = values.amount_convention(clean, iso_dates=style == "sql")
    got = pl.DataFrame({"v": clean}).select(values.amount_expr(pl.col("v"), convention))["v"].to_list()
    assert got == [Decimal(c) / 100 for c in amounts]
    if style == "nl":  # the workbook reader reads a Dutch amount the same way
        assert [dutch.parse_euro(t) for t in column] == got


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=6))
def test_whole_thousands_with_a_dot_are_thousands_in_a_dutch_column(euros):
    column = [f"{e * 1000:,}".replace(",", ".") for e in euros]  # 1.000, 12.000.000
    clean = pl.DataFrame({"v": column}).select(values.clean_amount(pl.col("v")))["v"]
    convention = values.amount_convention(clean)
    got = pl.DataFrame({"v": clean}).select(values.amount_expr(pl.col("v"), convention))["v"].to_list()
    assert got == [Decimal(e * 1000) for e in euros] == [dutch.parse_euro(t) for t in column]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 12, 31)), min_size=1, max_size=6),
       st.sampled_from(["%d-%m-%Y", "%Y-%m-%d", "%d%m%Y", "iso-z", "iso-t", "serial"]))
def test_a_date_column_in_one_format_reads_back_every_date(days, fmt):
    if fmt == "iso-z":
        column = [f"{d.isoformat()}T00:00:00Z" for d in days]
    elif fmt == "iso-t":
        column = [f"{d.isoformat()}T00:00:00" for d in days]
    elif fmt == "serial":
        column = [str((d - values.EXCEL_EPOCH).days) for d in days]
    else:
        column = [d.strftime(fmt) for d in days]
    clean = pl.DataFrame({"v": column}).select(values.clean_date(pl.col("v")))["v"]
    conv = values.date_convention(clean)
    got = pl.DataFrame({"v": clean}).select(values.date_expr(pl.col("v"), conv))["v"].to_list()
    assert got == days
    if fmt in ("%d-%m-%Y", "%Y-%m-%d", "iso-t"):
        assert [dutch.parse_date(c) for c in column] == days

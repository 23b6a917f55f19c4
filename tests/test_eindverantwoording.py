"""The programme's closing account (issue 27): per school over the whole NPO programme, adding up with the jaarverslagen."""
from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from builders import write_workbook
from pipeline import dutch, run
from pipeline.aggregate import money_by
from pipeline.read import board as config
from pipeline.render import documents, eindverantwoording as closing, jaarverslag, mr, register
from pipeline.render.context import calendar_years

REPO = Path(__file__).resolve().parents[1]
GENERATED = datetime(2026, 1, 15, 9, 0)
LEDGER = "grootboek/grootboekmutaties 2021-2025.csv"
# Staff costs booked on the NPO project (account 4000: salaries), one of them after the end of the programme.
STAFF = [("31-10-2022", "112", "Salaris NPO-leerkracht okt", Decimal("41250.00")),
         ("31-03-2024", "112", "Salaris NPO-leerkracht mrt", Decimal("38000.50")),
         ("30-09-2025", "112", "Salaris NPO-leerkracht sep", Decimal("7500.25"))]
DUO = Decimal("300000.00")  # DUO's amount for 12AB, 2022-2023 (Overzicht financiële beschikkingen)
LATE_FILE = "12AB/2024-2025-9 na einde.xlsx"


def _nl(v: Decimal) -> str:
    whole, cents = f"{v:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo board, plus: staff costs on the NPO project marked 'alle NPO-uitgaven', a DUO amount, and a hire
    with an invoice after the end of the programme."""
    root = tmp_path_factory.mktemp("eind")
    inputs = root / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    board, _ = config.load(inputs / config.FILE_NAME)
    board.ledger.selections.append(config.Selection("", "NPO", 0, config.KIND_ALL))
    board.pupils = [dataclasses.replace(p, allocation_override=DUO) if (p.brin, p.schooljaar) == ("12AB", "2022-2023") else p
                    for p in board.pupils]
    (inputs / config.FILE_NAME).unlink()
    config.write(inputs / config.FILE_NAME, board)
    with (inputs / LEDGER).open("ab") as f:
        for day, cc, text, amount in STAFF:
            f.write(f"{day};4000;{cc};NPO;;;;{text};{_nl(amount)};\r\n".encode("cp1252"))
    write_workbook(inputs / LATE_FILE, {"schooljaar": "2024-2025", "volgnummer": 9, "startdatum": date(2024, 9, 1),
                                        "einddatum": date(2025, 7, 31), "contract_getekend": date(2024, 8, 20)},
                   {"tblFacturen": [["N-1", date(2025, 6, 30), 10000, 2100, "Juni"], ["N-2", date(2025, 9, 15), 5000, 1050, "September"]]})
    data = run.run(inputs, workers=1, generated=GENERATED)
    return data, inputs, root


def test_made_only_when_the_run_looks_back_on_the_end(demo):
    data, _, _ = demo
    assert data.today == date(2025, 12, 31) and closing.covers_end(data)
    before = dataclasses.replace(data, today=date(2025, 7, 31))
    assert not closing.covers_end(before)
    assert documents.count_documents(data) == documents.count_documents(before) + 1
    assert closing.register_sheets(before) == {}


def test_per_school_the_calendar_years_add_up_to_the_programme_and_to_the_jaarverslagen(demo):
    data, _, _ = demo
    p = closing.programme(data)
    frame = closing.frame(data, p)
    schools = [b for b in data.board.schools]
    for year in calendar_years(data):
        ctx = jaarverslag.jaarverslag_context(data, year)
        for row in ctx["npo"]:
            brin = row["school"].split()[0]
            m = p.per_year.get((brin, year))
            assert dutch.parse_euro(row["extern"]) == (m.incl if m else 0), (year, brin)
    for brin in schools:
        years = frame.filter((pl.col("brin") == brin) & (pl.col("onderdeel") == "extern per kalenderjaar"))
        school_years = frame.filter((pl.col("brin") == brin) & (pl.col("onderdeel") == "extern per schooljaar"))
        total = frame.filter((pl.col("brin") == brin) & (pl.col("onderdeel") == "extern totaal")).row(0, named=True)
        assert years["incl_btw"].sum() == school_years["incl_btw"].sum() == total["incl_btw"] == p.spent[brin].incl
        assert years["excl_btw"].sum() == total["excl_btw"]
    # the board: every dated counted invoice once, the same as the sum of the jaarverslagen
    counted = data.invoices_df.filter(pl.col("geteld") & pl.col("kalenderjaar").is_not_null())
    board_total = frame.filter(pl.col("brin").is_null() & (pl.col("onderdeel") == "extern totaal")).row(0, named=True)
    assert board_total["incl_btw"] == counted["totaal"].sum()
    assert board_total["aantal"] == counted["factuur_id"].n_unique()
    per_school = money_by(counted, "brin")
    assert sum(m.incl for m in per_school.values()) == board_total["incl_btw"]


def test_allocations_say_whether_duo_or_computed(demo):
    data, _, _ = demo
    frame = closing.frame(data)
    shown = {(r["brin"], r["periode"]): (r["bedrag_programma"], r["grondslag"])
             for r in frame.filter((pl.col("onderdeel") == "toekenning") & pl.col("brin").is_not_null()).iter_rows(named=True)}
    expected = {(r["brin"], r["schooljaar"]): (r["toekenning"], "DUO" if r["grondslag"] == config.DUO_BASIS else "berekend")
                for r in data.allocations_df.iter_rows(named=True)}
    assert shown == expected and shown[("12AB", "2022-2023")] == (DUO, "DUO")
    assert {"DUO", "berekend"} <= {k for _, k in shown.values() if _}
    totals = dict(frame.filter(pl.col("onderdeel") == "toekenning totaal").select("brin", "grondslag").rows())
    for brin in data.board.schools:
        kinds = {k for (b, _), (a, k) in expected.items() if b == brin and (a or k == "DUO")}
        assert totals[brin] == (kinds.pop() if len(kinds) == 1 else "deels DUO, deels berekend"), brin


def _ledger_by_hand(inputs: Path, brin_cc: str, end: date) -> tuple[Decimal, Decimal]:
    """All lines on the NPO project of one cost centre, read with the csv module: until the end date and after it."""
    text = (inputs / LEDGER).read_bytes().decode("cp1252")
    until = after = Decimal(0)
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        if row["Project"] != "NPO" or row["Kostenplaats"] != brin_cc:
            continue
        amount = dutch.parse_euro(row["Bedrag debet"] or "0") - dutch.parse_euro(row["Bedrag credit"] or "0")
        if dutch.parse_date(row["Boekdatum"]) <= end:
            until += amount
        else:
            after += amount
    return until, after


def test_unspent_with_staff_costs_on_the_npo_project_by_hand(demo):
    data, inputs, _ = demo
    end = data.board.settings.programme_end
    until, after = _ledger_by_hand(inputs, "112", end)
    assert after == STAFF[2][3]
    allocation = sum(Decimal(str(a)) for a in data.allocations_df.filter(pl.col("brin") == "12AB")["toekenning"].to_list())
    p = closing.programme(data)
    assert p.ledger_all["12AB"][:2] == (until, after)
    frame = closing.frame(data, p)
    unspent = frame.filter((pl.col("brin") == "12AB") & (pl.col("onderdeel") == "niet besteed op einddatum"))["bedrag_programma"].to_list()
    assert unspent == [allocation - until]
    # the external selection is untouched: no staff line is in the ledger's external NPO lines
    assert not data.ledger_df.filter(pl.col("rekening") == "4000").height
    assert data.ledger_all_npo_df.filter(pl.col("rekening") == "4000").height == len(STAFF)
    ctx = closing.context(data, p)
    row = next(r for r in ctx["alle_npo"] if r["school"].startswith("12AB"))
    assert (row["besteed"], row["niet_besteed"]) == (dutch.format_euro(until), dutch.format_euro(allocation - until))


def test_spending_after_the_end_is_p9_naming_it_and_the_account_states_the_total(demo):
    data, _, _ = demo
    found = data.findings_df.filter(pl.col("rule") == "P9")
    on_workbook = found.filter(pl.col("file") == LATE_FILE)
    hire = next(h for h in data.hires if h.file == LATE_FILE)
    dated = next(r for r in hire.tables["tblFacturen"] if r.get("Factuurnummer") == "N-2").cells["Factuurdatum"]
    assert on_workbook.select("sheet", "cell").rows() == [(dated.sheet, dated.cell)]
    assert "N-2" in on_workbook["message"][0] and "5.000,00" in on_workbook["message"][0]
    staff_line = data.ledger_all_npo_df.filter(pl.col("datum") > date(2025, 7, 31))
    on_ledger = found.filter(pl.col("file") == LEDGER)
    assert on_ledger["cell"].to_list() == [f"regel {r}" for r in staff_line["regel"].to_list()]
    assert on_ledger["about"].to_list() == ["12AB"]
    ctx = closing.context(data)
    assert [r["nummer"] for r in ctx["facturen_na_einde"]] == ["N-2"]
    assert ctx["facturen_na_einde_totaal"]["incl"] == dutch.format_euro(Decimal("6050.00"))
    assert ctx["boekingen_na_einde_totaal"] == dutch.format_euro(STAFF[2][3])


def test_the_mr_report_of_the_last_school_year_refers_to_the_closing_account(demo):
    data, _, _ = demo
    last = mr.mr_context(data, "12AB", "2024-2025")["samenvatting"]
    earlier = mr.mr_context(data, "12AB", "2023-2024")["samenvatting"]
    assert closing.FILE in last and closing.FILE not in earlier


def test_register_sheet_programma_and_parquet_hold_the_figures(demo, tmp_path):
    data, _, _ = demo
    reg = register.Register.of(data)
    assert "Programma" in reg.tables
    register.write_parquet(reg, tmp_path)
    back = pl.read_parquet(tmp_path / "programma.parquet")
    assert back.equals(closing.frame(data))
    counts = back.filter(pl.col("brin").is_null()).select("onderdeel", "aantal").rows()
    assert ("inhuren", len(data.hires)) in counts
    # results per category: the schools' rows add up to the board's for a category no bovenschools hire is in
    achieved = back.filter((pl.col("onderdeel") == "resultaten behaald") & (pl.col("periode") == "C"))
    assert achieved.filter(pl.col("brin").is_not_null())["aantal"].sum() == achieved.filter(pl.col("brin").is_null())["aantal"].item() > 0


def test_the_document_shows_the_figures(demo):
    from docx import Document

    data, _, root = demo
    job = next(j for j in documents.iter_jobs(data, root / "out") if j.out.name == closing.FILE)
    doc = Document(str(documents.render(job)))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    p = closing.programme(data)
    for brin in data.board.schools:
        assert dutch.format_euro(p.spent[brin].incl) in cells, brin
    assert {"DUO", "berekend"} <= cells
    assert dutch.format_euro(DUO) in cells
    text = "\n".join(par.text for par in doc.paragraphs)
    assert "Voor de GMR" in text and "Wat is er over?" in text
    assert len(doc.inline_shapes) == 2


def test_an_older_grootboek_sheet_without_soort_is_read_as_external(tmp_path):
    from openpyxl import load_workbook

    path = config.write(tmp_path / config.FILE_NAME, config.Board(ledger=config.LedgerSettings(selections=[config.Selection("44*", "NPO", 0)])))
    wb = load_workbook(path)
    ws = wb[config.LEDGER_SHEET]
    for row in ws.iter_rows():
        if row[0].value == "Grootboekrekening":  # the heading row of the selection table, as before the column Soort
            row[2].value, row[3].value = "Toelichting", None
            ws.cell(row=row[0].row + 1, column=3).value = "alle externe inhuur"
    wb.save(path)
    board, found = config.load(path)
    assert [(s.account, s.project, s.kind) for s in board.ledger.selections] == [("44*", "NPO", config.KIND_EXTERNAL)]
    assert not found

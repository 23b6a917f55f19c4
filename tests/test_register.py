"""register.xlsx for the person who filters and sums: superseded versions apart, findings per school, print setup."""
from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.cli import app
from demoboard import demo_report


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    base = tmp_path_factory.mktemp("register")
    return demo_report(base)


def _rows(ws):
    head = [c.value for c in ws[1]]
    return head, [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def test_superseded_versions_are_on_their_own_grey_sheet(register):
    wb = load_workbook(register / "register.xlsx")
    _, hires = _rows(wb["Inhuur"])
    assert {r["Telt mee"] for r in hires} == {"Ja"}
    assert "17EF/2022-2023-1 tutoring (versie 1).xlsx" not in {r["Bestand"] for r in hires}
    apart = wb["Inhuur vervangen"]
    _, old = _rows(apart)
    assert "17EF/2022-2023-1 tutoring (versie 1).xlsx" in {r["Bestand"] for r in old}
    assert apart["A2"].font.color is not None and apart["A2"].font.color.rgb.endswith("808080")
    # summing the invoice sheet gives the counted total, nothing twice
    _, invoices = _rows(wb["Facturen"])
    counted = pl.read_parquet(register / "data" / "facturen.parquet").filter(pl.col("geteld"))
    assert Decimal(str(round(sum(r["Bedrag excl. btw"] for r in invoices), 2))) == Decimal(str(counted["bedrag"].sum()))


def test_findings_have_brin_school_and_counted(register):
    wb = load_workbook(register / "register.xlsx")
    head, rows = _rows(wb["Bevindingen"])
    assert {"BRIN", "School", "Telt mee"} <= set(head)
    a1 = next(r for r in rows if r["Regel"] == "A1")
    assert (a1["BRIN"], a1["School"], a1["Telt mee"]) == ("21GH", "Da Vinci College", "Ja")
    old = [r for r in rows if r["Bestand"] == "17EF/2022-2023-1 tutoring (versie 1).xlsx"]
    assert old and {r["Telt mee"] for r in old} == {"Nee"}


def test_totalen_headers_say_what_the_column_holds(register):
    wb = load_workbook(register / "register.xlsx")
    head, rows = _rows(wb["Totalen"])
    assert "Waarde" not in head and "Naam" in head
    kvk = next(r for r in rows if r["Totaal per"] == "leverancier (KvK)" and r[head[1]] == "80012345")
    assert kvk["Naam"] == "Bijlesbureau Slim Verder B.V."


def test_columns_fit_and_every_sheet_prints_landscape_fitted_to_its_page_width(register):
    wb = load_workbook(register / "register.xlsx")
    head, rows = _rows(wb["Leveranciers"])
    col = wb["Leveranciers"].cell(1, head.index("Leverancier") + 1).column_letter
    assert wb["Leveranciers"].column_dimensions[col].width >= max(len(r["Leverancier"]) for r in rows)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) <= 3, ws.title  # issue 24.14
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title


def test_a_large_board_writes_the_same_register_in_a_thread(register, tmp_path, monkeypatch) -> None:
    """Above documents.HEAVY_SIDE_BY_SIDE_UP_TO files the register is written in a thread instead of a process of
    its own (memory): the same sheets, cells and parquet files."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline import publish
    from pipeline.render import documents

    used = []

    class Watched(ThreadPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            used.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(documents, "HEAVY_SIDE_BY_SIDE_UP_TO", 0)
    monkeypatch.setattr(publish, "ThreadPoolExecutor", Watched)
    result = CliRunner().invoke(app, ["report", "--inputs", str(register.parent / "inputs"), "--outputs",
                                      str(tmp_path / "out"), "--geen-pdf", "--geen-cache"])
    assert result.exit_code == 0, result.output
    assert used == ["write_files"]
    here, there = load_workbook(register / "register.xlsx"), load_workbook(tmp_path / "out" / "register.xlsx")
    assert here.sheetnames == there.sheetnames
    for name in here.sheetnames:
        assert list(here[name].values) == list(there[name].values), name
    for p in (register / "data").glob("*.parquet"):
        assert pl.read_parquet(p).equals(pl.read_parquet(tmp_path / "out" / "data" / p.name)), p.name

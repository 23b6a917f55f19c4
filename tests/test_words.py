"""Words for the reader: no internal names in what schools, MR, auditor or finance staff read; numbers and plurals in Dutch."""
from __future__ import annotations

import json
import re

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from builders import write_workbook
from pipeline import publish
from pipeline.cli import app
from pipeline.render import marked
from tools import demo

INTERNAL = re.compile(r"seed ?\d{3}|seeds? \d{3}|tbl[A-Z][a-z]+", re.IGNORECASE)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("words")
    demo.generate(base / "inputs")
    # a workbook with a missing column header and a row below a table: messages that name a table
    write_workbook(base / "inputs" / "12AB" / "onder de tabel.xlsx", {"volgnummer": 5},
                   below={"tblFacturen": [["X-9", "1-6-2023", "100", "21", "Extra"]]})
    result = CliRunner().invoke(app, ["report", "--inputs", str(base / "inputs"), "--outputs", str(base / "out"), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return base / "out", result.output


def _docx_text(path) -> str:
    d = docx.Document(path)
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def _xlsx_text(path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def test_no_internal_names_in_documents_register_and_copies(run, repo):
    outputs, terminal = run
    texts = {p.name: _docx_text(p) for p in outputs.rglob("*.docx")}
    texts["register.xlsx"] = _xlsx_text(outputs / "register.xlsx")
    for p in (outputs / "terugkoppeling").rglob("*.xlsx"):
        wb = load_workbook(p)
        texts[p.name] = "\n".join(str(c.value) for row in wb[marked.SHEET_NAME].iter_rows() for c in row if c.value)
    texts["terminal"] = terminal
    texts["regels.md"] = (repo / "docs" / "regels.md").read_text(encoding="utf-8")
    for name, text in texts.items():
        assert not INTERNAL.findall(text), (name, INTERNAL.findall(text)[:3])
    assert "de tabel Facturen op het tabblad Facturen" in texts["register.xlsx"]


def test_manifest_is_documented_and_amounts_are_numbers(run, repo):
    outputs, _ = run
    m = json.loads((outputs / publish.MANIFEST).read_text(encoding="utf-8"))
    doc = (repo / "docs" / "manifest.md").read_text(encoding="utf-8")
    keys = set(m) | {k for f in m["files"] for k in f}
    for key in keys:
        assert f"`{key}`" in doc, key
    amounts = [f["invoiced_excl_btw"] for f in m["files"] if f["invoiced_excl_btw"] is not None]
    assert amounts and all(isinstance(a, (int, float)) for a in amounts)


def test_terminal_numbers_use_a_decimal_comma_and_plurals_are_right(run):
    _, terminal = run
    assert re.search(r"\d+,\d s", terminal) and not re.search(r"\d+\.\d s", terminal)
    assert "1 bestanden" not in terminal
    assert "Overgeslagen (1 bestand," in terminal


def test_the_findings_sheet_rows_are_tall_enough_for_their_wrapped_text(run):
    """LibreOffice keeps the default row height on opening: without a height, wrapped messages overlap."""
    outputs, _ = run
    wb = load_workbook(outputs / "terugkoppeling" / "21GH" / "2022-2023-1 huiswerkklas.xlsx")
    ws = wb[marked.SHEET_NAME]
    width = marked.WIDTHS[marked.COLUMNS.index("Melding")]
    col = marked.COLUMNS.index("Melding") + 1
    long_rows = [r for r in range(marked.HEADER_ROW + 1, ws.max_row + 1) if len(str(ws.cell(r, col).value or "")) > width * 1.2]
    assert long_rows
    for r in long_rows:
        assert ws.cell(r, col).alignment.wrap_text
        assert (ws.row_dimensions[r].height or 0) >= 2 * marked.LINE_HEIGHT, r


def test_one_plural_helper_for_every_text():
    """24.13: '1 fout, 2 waarschuwing', '1 vooraf ingevulde werkboeken', 'offerte(s)': one helper, used everywhere."""
    from pipeline import cli, dutch
    from pipeline.read import board as config
    from pipeline.render import context

    assert context.count is dutch.plural and cli.plural is dutch.plural
    assert [dutch.plural(n, "fout", "fouten") for n in (0, 1, 2, 1250)] == ["0 fouten", "1 fout", "2 fouten", "1.250 fouten"]
    tiers = [r["value"] for r in config.assumptions(demo.BOARD) if r["label"].startswith("Inkoopbeleid")]
    assert tiers and not [v for v in tiers if "(s)" in v]
    assert any(v.startswith("1 offerte,") for v in tiers)


def test_terminal_per_school_findings_add_up_to_the_summary(run):
    """24.8: the per-school rows (an L1 under the school it names; superseded versions left out) add up to the summary."""
    _, terminal = run
    summary = {s: int(re.search(rf"Bevindingen: {s}\s*│\s*(\d+)", terminal).group(1)) for s in ("fout", "waarschuwing")}
    rows = re.findall(r"│ (\d\d[A-Z]{2} [^│]*?|Grootboek \(geen school\)|Bestuur \(bestuur\.xlsx\))\s*│\s*(\d+) │\s*(\d+) │", terminal)
    assert rows
    assert sum(int(f) for _, f, _ in rows) == summary["fout"]
    assert sum(int(w) for _, _, w in rows) == summary["waarschuwing"]
    assert re.search(rf"Totaal\s*│\s*{summary['fout']} │\s*{summary['waarschuwing']} │", terminal)

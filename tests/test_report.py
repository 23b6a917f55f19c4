"""`report` end to end on the demo board: register, manifest, feedback copies, documents."""
from __future__ import annotations

import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tools import demo
from pipeline.cli import app


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    inputs, outputs = base / "inputs", base / "outputs"
    demo.generate(inputs)
    result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf", "--workers", "2"])
    assert result.exit_code == 0, result.output
    return inputs, outputs


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_manifest_lists_every_input_with_its_hash(demo_run):
    inputs, outputs = demo_run
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["file"]: f for f in manifest["files"] + manifest["ledger_files"]}
    assert [f["file"] for f in manifest["ledger_files"]] == [demo.LEDGER_FILE]
    on_disk = {p.relative_to(inputs).as_posix(): p for p in inputs.rglob("*") if p.is_file() and p.name != "bestuur.xlsx"}
    assert set(listed) == set(on_disk)
    for name, p in on_disk.items():
        assert listed[name]["sha256"] == _sha(p)
        assert listed[name]["status"] in {"gelezen", "vervangen", "afgewezen", "overgeslagen"}
    assert listed["17EF/offerte Slim Verder.pdf"]["status"] == "overgeslagen"
    assert listed["12AB/2021-2022-1 tutoring (kopie).xlsx"]["status"] == "vervangen"


def test_register_sheets_and_columns(demo_run):
    inputs, outputs = demo_run
    wb = load_workbook(outputs / "register.xlsx")
    assert {"Inhuur", "Facturen", "Bevindingen", "Scholen", "Leveranciers"} <= set(wb.sheetnames)
    head = {name: [c.value for c in wb[name][1]] for name in wb.sheetnames}
    assert {"Bestand", "Inhuur-id"} <= set(head["Inhuur"])
    assert {"Factuurnummer", "Inhuur-id", "Bestand"} <= set(head["Facturen"])
    assert {"Bestand", "Inhuur-id", "Regel", "Ernst", "Tabblad", "Cel", "Melding"} <= set(head["Bevindingen"])
    ws = wb["Bevindingen"]
    rows = [dict(zip(head["Bevindingen"], [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert {"rule": "A1", "file": "21GH/2021-2022-1 leesprogramma.xlsx"} in [{"rule": r["Regel"], "file": r["Bestand"]} for r in rows]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_register_has_the_aansluiting_with_one_row_per_invoice(demo_run):
    inputs, outputs = demo_run
    wb = load_workbook(outputs / "register.xlsx", read_only=True)
    rows = list(wb["Aansluiting"].iter_rows(values_only=True))
    head = rows[0]
    assert {"Status", "Grootboekbestand", "Regels", "Leverancier", "Factuurnummer", "Datum", "Bedrag grootboek excl. btw",
            "Bedrag werkboek excl. btw", "BRIN", "Inhuur-id", "Bestand", "Cel"} <= set(head)
    status = [dict(zip(head, r))["Status"] for r in rows[1:]]
    assert {"gekoppeld", "geen werkboek", "niet in grootboek", "bedrag wijkt af", "andere school"} == set(status)
    assert (outputs / "data" / "aansluiting.parquet").is_file() and (outputs / "data" / "grootboek.parquet").is_file()


def test_invoices_in_register_match_the_workbooks(demo_run):
    """Independent check: the invoice total of the register equals the sum typed in the counted workbooks."""
    inputs, outputs = demo_run
    from pipeline.read import workbook as reader

    total = Decimal("0")
    for name in ("12AB/2022-2023-1 tutoring.xlsx",):
        hire = reader.read(inputs / name, inputs).hire
        total += sum(r.get("Bedrag excl. BTW") for r in hire.tables["tblFacturen"])
    inv = pl.read_parquet(outputs / "data" / "facturen.parquet").filter(pl.col("file") == "12AB/2022-2023-1 tutoring.xlsx")
    assert inv.height == 4  # two in the table, two typed below it
    assert Decimal(str(inv["bedrag"].sum())) == total == Decimal("96000.00")


def test_feedback_copies_are_marked_at_the_cells(demo_run):
    inputs, outputs = demo_run
    marked = outputs / "terugkoppeling" / "21GH" / "2021-2022-1 leesprogramma.xlsx"
    wb = load_workbook(marked)
    from pipeline import spec

    f = spec.load().fields["procedure"]
    cell = wb[f.sheet][f.cell]
    assert cell.comment is not None and "A1" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "Bevindingen" in wb.sheetnames


def test_documents_written(demo_run):
    _, outputs = demo_run
    assert sorted(p.name for p in outputs.glob("jaarverslag-*.docx")) == [f"jaarverslag-{y}.docx" for y in range(2021, 2026)]
    assert (outputs / "mr" / "12AB-2022-2023.docx").is_file()
    assert list(outputs.glob("gmr-*.docx"))


def test_inputs_unchanged_and_second_run_identical(demo_run, tmp_path):
    inputs, outputs = demo_run
    before = {p: _sha(p) for p in inputs.rglob("*") if p.is_file()}
    result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"])
    assert result.exit_code == 0
    assert {p: _sha(p) for p in inputs.rglob("*") if p.is_file()} == before
    assert not list(outputs.glob(".staging-*")) and not list(outputs.glob(".old-*"))


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


def test_same_inputs_give_the_same_documents_and_register(demo_run, tmp_path, monkeypatch):
    inputs, _ = demo_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(out), "--geen-pdf", "--geen-cache"])
        assert result.exit_code == 0, result.output
        outs.append(out)
    a, b = outs
    docs = sorted(p.relative_to(a) for p in a.rglob("*.docx"))
    assert docs and docs == sorted(p.relative_to(b) for p in b.rglob("*.docx"))
    for rel in docs:
        assert _docx_text(a / rel) == _docx_text(b / rel), rel
    assert "1 januari 2026" in _docx_text(a / "jaarverslag-2022.docx")
    wa, wb = load_workbook(a / "register.xlsx"), load_workbook(b / "register.xlsx")
    for ws in wa.worksheets:
        assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in wb[ws.title].iter_rows()]
    ma = json.loads((a / "manifest.json").read_text())
    mb = json.loads((b / "manifest.json").read_text())
    assert ma == mb and ma["generated"] == "2026-01-01T00:00:00"


def test_unchanged_inputs_keep_the_outputs_and_a_change_rebuilds(tmp_path):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    demo.generate(inputs)
    args = ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"]
    assert CliRunner().invoke(app, args).exit_code == 0
    stamp = (outputs / "manifest.json").stat().st_mtime_ns
    assert CliRunner().invoke(app, args).exit_code == 0
    assert (outputs / "manifest.json").stat().st_mtime_ns == stamp  # nothing rewritten
    shutil.copy(inputs / "12AB" / "2022-2023-2 advies.xlsx", inputs / "14CD" / "nieuw.xlsx")
    assert CliRunner().invoke(app, args).exit_code == 0
    listed = {f["file"] for f in json.loads((outputs / "manifest.json").read_text())["files"]}
    assert "14CD/nieuw.xlsx" in listed


def test_committed_demo_board_is_what_the_generator_writes(tmp_path):
    """inputs/ is the demo board as `python -m tools demo` writes it, byte for byte (regenerate when this fails)."""
    written = demo.generate(tmp_path / "inputs")
    repo_inputs = Path(__file__).resolve().parents[1] / "inputs"
    for path in written:
        rel = path.relative_to(tmp_path / "inputs")
        assert (repo_inputs / rel).read_bytes() == path.read_bytes(), rel


def test_jaarverslag_has_section_volledigheid_and_mr_says_whether_spending_is_accounted_for(demo_run):
    _, outputs = demo_run
    text = _docx_text(outputs / "jaarverslag-2024.docx")
    assert "Volledigheid" in text
    # NPO lines booked in 2024 in the demo ledger, by hand: SV-2024-090 18.000,00 + DV-140 13.000,00
    # + NL-2024-02 2.850,00 + KR-1690 8.000,00 = 41.850,00; of which without workbook (L1): 2.850,00
    assert "41.850,00" in text and "2.850,00" in text
    # MR 14CD 2023-2024: ledger 4.800,00 (SR-23-88) + 3.150,00 + 2.850,00 = 10.800,00, of which 6.000,00 open (L1)
    mr_text = _docx_text(outputs / "mr" / "14CD-2023-2024.docx")
    assert "10.800,00" in mr_text and "6.000,00" in mr_text

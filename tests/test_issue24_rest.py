"""Issue 24, the remaining points: negative amounts in messages (9), the programme's end in words (11), the register's
print layout (14), small things a user sees (15) and progress (12)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from builders import write_workbook
from pipeline import run
from tools import demo

TODAY = date(2025, 12, 31)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _findings(tmp_path, fields=None, tables=None) -> pl.DataFrame:
    write_workbook(tmp_path / "inputs" / "12AB" / "2022-2023-1.xlsx", fields, tables)
    return run.run(tmp_path / "inputs", workers=1, today=TODAY).findings_df


def test_a_positive_invoice_with_negative_btw_is_a_w4_at_the_btw_cell(tmp_path):
    """24.9: F-1 € 10.000 with BTW −2.100 passed silently; a credit note (both negative) still passes."""
    invoices = [["F-1", date(2022, 12, 31), 10000, -2100, "Tutoring najaar"],
                ["F-2", date(2023, 6, 30), 10000, 2100, "Tutoring voorjaar"],
                ["C-1", date(2023, 7, 1), -500, -105, "Creditnota"]]
    f = _findings(tmp_path, tables={"tblFacturen": invoices})
    w4 = f.filter(pl.col("rule") == "W4")
    assert w4.select("sheet", "cell").rows() == [("Facturen", "D5")], w4.rows()
    assert "-2100" in w4.get_column("message")[0]


def test_a_rejected_negative_contract_value_is_used_by_no_other_rule(tmp_path):
    """24.9: after W4 rejected contractwaarde −20.000, A4 said 'contractwaarde van € -20.000,00'."""
    f = _findings(tmp_path, fields={"contractwaarde": -20000})
    assert f.filter(pl.col("rule") == "W4").height == 1
    assert "A4" not in f.get_column("rule").to_list()
    assert not f.filter(pl.col("message").str.contains("€ -", literal=True) & (pl.col("rule") != "W4")).height, f.rows()


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("demo") / "inputs"
    demo.generate(inputs)
    return run.run(inputs, workers=1, today=TODAY)


def test_after_the_programme_the_jaarverslag_says_so_in_words(demo_data):
    """24.11: 2025 was '7/12 van 2024-2025 plus 5/12 van 2025-2026' and 'n.v.t. (€ 6.000,00 van € 0,00)'."""
    from pipeline.render.jaarverslag import jaarverslag_context

    ctx = jaarverslag_context(demo_data, 2025)
    words = " ".join(ctx[k] for k in ("toekenning_uitleg", "toekenning_grondslag", "pnil_regel", "extern_regel", "aandeel_noot"))
    assert "5/12" not in words and "7/12" not in words
    assert "2025-2026 valt na het einde van het NPO-programma op 31 juli 2025" in ctx["toekenning_uitleg"]
    assert "n.v.t." not in ctx["pnil_regel"] + ctx["extern_regel"] and "6.000,00" in ctx["pnil_regel"]
    assert {r["aandeel_extern"] for r in ctx["npo"]} == {"–"} and "streepje" in ctx["aandeel_noot"]
    first = jaarverslag_context(demo_data, 2021)  # 2020-2021 lies before the programme: 5/12 of 2021-2022 only
    assert "7/12" not in first["toekenning_uitleg"] and "5/12 van de toekenning voor schooljaar 2021-2022" in first["toekenning_uitleg"]
    assert "vóór het NPO-programma" in first["toekenning_uitleg"]
    both = jaarverslag_context(demo_data, 2022)
    assert "7/12" in both["toekenning_uitleg"] and "5/12" in both["toekenning_uitleg"] and "%" in both["pnil_regel"]


def test_gmr_without_new_money_says_so_and_no_sentence_ends_in_two_full_stops(demo_data):
    """24.11/24.13: 'Aandeel van de toekenning besteed aan externe inhuur: n.v.t..' in the GMR of 2024-2025."""
    from pipeline.render.gmr import gmr_context

    ctx = gmr_context(demo_data, "2024-2025")
    assert "geen nieuwe NPO-middelen" in ctx["toekenning_tekst"] and "n.v.t." not in ctx["toekenning_tekst"]
    assert "%" in gmr_context(demo_data, "2022-2023")["toekenning_tekst"]


def test_register_sheets_print_readably_with_the_hire_on_every_page(demo_data, tmp_path):
    """24.14: the 31-column Inhuur sheet printed fitted to one page width, unreadably small."""
    import openpyxl

    from pipeline.render import register

    path = register.write_xlsx(register.Register.of(demo_data), tmp_path / "register.xlsx")
    wb = openpyxl.load_workbook(path)
    frames = register.sheets(register.tables(demo_data))
    for ws in wb.worksheets:
        frame = frames[ws.title]
        width = sum(register.column_width(c, frame) for c in frame.columns)
        pages = ws.page_setup.fitToWidth or 1
        assert width / pages <= register.PRINT_WIDTH_PER_PAGE, (ws.title, width, pages)
        assert pages == 1 or width / (pages - 1) > register.PRINT_WIDTH_PER_PAGE  # no more pages than needed
        assert ws.print_title_rows == "$1:$1"
    inhuur = wb["Inhuur"]
    assert (inhuur.page_setup.fitToWidth or 1) >= 2 and inhuur.print_title_cols == "$B:$B"
    assert inhuur["B1"].value == "Inhuur-id"


def test_intake_says_where_each_saved_workbook_went(tmp_path):
    """24.15: `make intake` counted the saved attachments without saying where they went."""
    from typer.testing import CliRunner

    from pipeline.cli import app
    from test_intake import client_mail, workbook

    mails = tmp_path / "mail"
    mails.mkdir()
    sent = client_mail("Jeroen <directie@klimop.nl>", "Inhuur", [("bijles.xlsx", workbook("12AB"), XLSX)], datetime(2023, 2, 1, 10))
    (mails / "a.eml").write_bytes(sent.as_bytes())
    inputs = tmp_path / "in put"
    result = CliRunner().invoke(app, ["intake", str(mails), "--inputs", str(inputs)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    saved = [p for p in inputs.rglob("*.xlsx") if p.name != "intake-log.xlsx"]
    assert len(saved) == 1 and saved[0].parent.name == "12AB"
    assert f"bijles.xlsx → {saved[0]}" in result.output.replace("\n", "")


def test_an_os_refusal_is_said_in_dutch(monkeypatch, capsys, tmp_path):
    """24.15: an unwritable output said 'Operation not permitted'."""
    import errno

    from pipeline import cli, dutch

    assert dutch.os_reason(PermissionError(errno.EPERM, "Operation not permitted")).startswith("niet toegestaan")
    assert dutch.os_reason(OSError(errno.ENOSPC, "No space left on device")) == "de schijf is vol"

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted", "uit/register.xlsx")

    monkeypatch.setattr(run, "run", refuse)
    demo.generate(tmp_path / "in")
    code = cli.main(["report", "--inputs", str(tmp_path / "in"), "--outputs", str(tmp_path / "uit"), "--geen-pdf"], prog="npo")
    out = capsys.readouterr()
    assert code == 1 and "Operation not permitted" not in out.out + out.err and "niet toegestaan" in out.err


def test_the_cache_follows_the_umask_like_every_other_output(tmp_path):
    """24.15: files under outputs/.cache/ were 0600 while the rest followed the umask."""
    import os
    import subprocess
    import sys

    demo.generate(tmp_path / "in")
    out = tmp_path / "uit"
    subprocess.run(["sh", "-c", f'umask 027 && exec "{sys.executable}" -m pipeline report --inputs "{tmp_path / "in"}" '
                               f'--outputs "{out}" --geen-pdf'], check=True, capture_output=True)
    cached = [p for p in (out / ".cache").rglob("*") if p.is_file()]
    assert cached and {oct(p.stat().st_mode & 0o777) for p in cached} == {oct(0o640)}
    assert oct((out / "register.xlsx").stat().st_mode & 0o777) == oct(0o640)


def test_the_pdf_stage_and_the_copies_count_their_files(tmp_path, monkeypatch):
    """24.12: the PDF stage ran 14 s with one static line; marked copies showed no counter either. Each stage that
    makes files is told how many are done, to the last one, and the terminal shows a bar from two files on."""
    import shutil
    import sys

    from pipeline import cli, publish

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = Path(__file__).with_name("fake_soffice.py")
    (bin_dir / "soffice").write_text(f'#!/bin/sh\nexec "{sys.executable}" "{fake}" "$@"\n', encoding="utf-8")
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_SOFFICE_MODE", "ok")
    monkeypatch.delenv("NPO_SOFFICE", raising=False)
    assert shutil.which("soffice") == str(bin_dir / "soffice")
    demo.generate(tmp_path / "in")
    data = run.run(tmp_path / "in", workers=1, today=TODAY)
    counted: dict[str, list[int]] = {}

    def stage(name: str, count: int):
        seen = counted.setdefault(name, [count])
        return seen.append

    publish.write_all(data, tmp_path / "uit", workers=1, pdf=True, stage=stage)
    for name in (publish.STAGE_COPIES, publish.STAGE_DOCUMENTS, publish.STAGE_PDF):
        total, *steps = counted[name]
        assert total > 1 and sum(steps) == total and min(steps) > 0, (name, total, steps)
    assert cli.StageProgress().bar_from <= 2


def test_supplier_columns_of_the_mr_and_jaarverslag_keep_a_long_word_whole(repo):
    """24.14: 'Onderwijsondersteuni ng' in the MR overview; every 'Externe partij' column of the MR, GMR and
    jaarverslag is as wide as the GMR's."""
    import docx
    from docx.shared import Cm

    for name in ("mr", "gmr", "jaarverslag"):
        for t in docx.Document(repo / "templates" / f"{name}.docx").tables:
            heads = [c.text for c in t.rows[0].cells]
            if "Externe partij" in heads:
                assert t.rows[0].cells[heads.index("Externe partij")].width >= Cm(3.7), name

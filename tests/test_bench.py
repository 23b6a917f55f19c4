"""The benchmark on a handful of synthetic workbooks: bench.json and the inputs it leaves behind (no timing asserts)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from tools import bench
from pipeline.read import board as config
from pipeline.read import workbook as reader
from tools import synth


def test_synthetic_workbooks_read_back_without_unintended_w2_or_w4(tmp_path):
    plan = synth.plan(60, seed=3)
    paths = synth.generate(60, tmp_path, seed=3)
    assert len(paths) == 60 and all(p.is_file() for p in paths)
    board, board_findings = config.load(tmp_path / config.FILE_NAME)
    assert not board_findings
    assert {w.fields["brin"] for w in plan.workbooks} <= set(board.schools)
    intended = {w.file: w.mistakes for w in plan.workbooks}
    rules = Counter()
    for p in paths:
        rel = p.relative_to(tmp_path).as_posix()
        result = reader.read(p, tmp_path)
        assert result.hire is not None, rel
        found = {f.rule for f in result.findings}
        rules.update(found)
        assert "W2" not in found, rel
        if "onleesbare_waarde" not in intended[rel]:
            assert "W4" not in found, (rel, [(f.sheet, f.cell) for f in result.findings if f.rule == "W4"])
        if "onder_tabel" in intended[rel]:
            assert "W5" in found
    assert sum(1 for w in plan.workbooks if w.mistakes) >= 0.3 * len(plan.workbooks)


def test_same_seed_same_workbooks(tmp_path):
    a = synth.generate(8, tmp_path / "a", seed=5)
    b = synth.generate(8, tmp_path / "b", seed=5)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_every_input_cell_is_an_empty_cell_of_the_blank():
    blank = synth.BlankWorkbook()
    spec = blank.spec
    for f in spec.fields.values():
        assert f.cell in blank.empty_cells(f.sheet), f.name
    for t in spec.tables.values():
        for col in t.columns:
            if col.locked:
                continue
            letter = t.column_letter(col.name)
            for row in (t.first_row, t.last_row, t.last_row + t.rows_below):
                assert f"{letter}{row}" in blank.empty_cells(t.sheet), (t.name, col.name, row)


def test_run_bench_writes_bench_json_and_keeps_the_inputs(tmp_path):
    result = bench.run_bench(6, tmp_path, workers=2, pdf=False)
    written = json.loads((tmp_path / bench.RESULT_FILE).read_text(encoding="utf-8"))
    assert written["n"] == result["n"] == 6
    for key in ("genereren", "bestanden", "koud", "warm", "basislijn", "verhoudingen", "geheugen", "doelen"):
        assert key in written, key
    for run in ("koud", "een_gewijzigd"):
        assert {"lezen_en_controleren", "bestuursregels_en_tabellen", "terugkoppeling", "totaal"} <= set(written[run]["ms_per_werkboek"])
    assert set(written["doelen"]) == {"rapport_vs_basislijn", "basislijn_vs_lezen_en_controleren", "warm_vs_koud", "piekgeheugen_mb",
                                      "een_toegevoegd_vs_koud", "een_toegevoegd_nieuwste_jaar_vs_koud"}
    assert "totaal" in written["een_toegevoegd"]["seconden"] and written["pdf"]["met_pdf"] is False
    assert "totaal" in written["een_toegevoegd_nieuwste_jaar"]["seconden"]
    assert not list((tmp_path / "inputs").rglob("toegevoegd-door-benchmark*.xlsx"))  # the added workbooks are gone again
    assert "totaal" in written["warm"]["seconden"]
    assert written["geheugen"]["piek_boom_rss_mb"] > 0
    workbooks = sorted((tmp_path / "inputs").rglob("*.xlsx"))
    assert (tmp_path / "inputs" / config.FILE_NAME) in workbooks
    assert len(workbooks) == 6 + 1
    assert (tmp_path / "outputs" / "manifest.json").is_file()
    assert bench.prepare_inputs(6, tmp_path, seed=1)["hergebruikt"] is True
    assert bench.prepare_inputs(7, tmp_path, seed=1)["hergebruikt"] is False
    assert len(list((tmp_path / "inputs").rglob("*.xlsx"))) == 7 + 1
    assert bench.format_table(result).row_count > 10


def test_compare_with_an_earlier_run_judges_flatness(tmp_path):
    from typer.testing import CliRunner

    from tools.__main__ import app

    # without PDFs: the flatness check is the same with them (test_run_bench_with_pdfs… covers the PDF stage)
    small = bench.run_bench(3, tmp_path / "klein", workers=1, changed_run=False, pdf=False)
    large = bench.run_bench(5, tmp_path / "groot", workers=1, changed_run=False, earlier=small, pdf=False)
    flat = large["doelen"]["vlak"]
    assert (flat["klein"], flat["groot"]) == (3, 5)
    assert flat["verhouding"] == round(large["koud"]["ms_per_werkboek"]["totaal"] / small["koud"]["ms_per_werkboek"]["totaal"], 3)
    assert flat["gehaald"] is (flat["verhouding"] <= bench.FLATNESS_LIMIT)
    assert json.loads((tmp_path / "groot" / bench.RESULT_FILE).read_text())["doelen"]["vlak"] == flat
    (tmp_path / "kapot.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(app, ["bench", "--n", "6", "--workdir", str(tmp_path / "x"), "--vergelijk-met", str(tmp_path / "kapot.json")])
    assert result.exit_code == 2 and not (tmp_path / "x").exists()


def test_run_bench_with_pdfs_times_the_pdf_stage_against_its_floor(tmp_path):
    from conftest import need_soffice

    need_soffice()
    result = bench.run_bench(2, tmp_path, workers=2, pdf=True)
    written = json.loads((tmp_path / bench.RESULT_FILE).read_text(encoding="utf-8"))
    assert written["pdf"]["met_pdf"] is True
    floor = written["pdf"]["vloer"]
    assert floor["documenten"] == floor["gemaakt"] == written["pdf"]["koud_gemaakt"] > 0
    assert floor["seconden"] == round(sum(c["seconden"] for c in floor["aanroepen"]), 3)
    # the report is judged against reading alone without its optional PDF stage
    cold, base = written["koud"]["seconden"], written["basislijn"]["1_proces"]["seconden"]
    assert written["verhoudingen"]["rapport_vs_basislijn"] == pytest.approx((cold["totaal"] - cold["pdf"]) / base, rel=0.01)
    assert written["pdf"]["koud_ontbreekt"] == 0
    assert {"pdf_vs_vloer", "een_toegevoegd_vs_koud"} <= set(written["doelen"])
    assert "pdf" in written["koud"]["seconden"] and "pdf" in written["een_toegevoegd"]["seconden"]
    assert written["pdf"]["piekgeheugen_koud_met_pdf_pss_mb"] is not None
    assert bench.format_table(result).row_count > 10

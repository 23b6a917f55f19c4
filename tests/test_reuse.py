"""Only what changed is redone: Word documents and marked copies whose inputs did not change are reused."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.cli import EXIT_DONE, app
from pipeline.render import marked as feedback
from pipeline.render import reuse
from tools import demo

EPOCH = 1_700_000_000  # 14-11-2023 22:13 UTC; the next runs a minute later, the same day
REMOVED = "14CD/2023-2024-1 sport.xlsx"


def report(inputs: Path, outputs: Path, epoch: int, monkeypatch, *extra: str):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf",
                                      "--workers", "2", *extra])
    assert result.exit_code == EXIT_DONE, result.output
    return result


def outputs_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.suffix in (".docx", ".xlsx") and ".cache" not in p.parts and p.name != "register.xlsx"}


def body(data: bytes) -> bytes:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def media(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}


def cells(path: Path) -> dict:
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == feedback.SHEET_NAME:
            rows = rows[feedback.HEADER_ROW - 1:]  # above the header: the title with the moment of the run
        out[ws.title] = rows
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run 1 on the demo board; run 2 with one workbook removed (reusing); run 3 the same, made from scratch."""
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("hergebruik")
    inputs, outputs, fresh = base / "inputs", base / "outputs", base / "vers"
    demo.generate(inputs)
    report(inputs, outputs, EPOCH, mp)
    first = outputs_of(outputs)
    later = base / "inputs-2"
    shutil.copytree(inputs, later)
    (later / REMOVED).unlink()
    report(later, outputs, EPOCH + 60, mp)
    report(later, fresh, EPOCH + 60, mp, "--geen-cache")
    mp.undo()
    return first, outputs, fresh


def test_unchanged_documents_and_copies_are_reused(runs) -> None:
    first, outputs, _ = runs
    second = outputs_of(outputs)
    reused = {k for k in second if first.get(k) == second[k]}
    remade = set(second) - reused
    # the annual reports of the years the removed hire ran in and the GMR overview of its school year
    # change; earlier years, other school years and the schools the removed workbook does not touch are reused
    assert {"jaarverslag-2023.docx", "jaarverslag-2024.docx", "gmr-2023-2024.docx"} <= remade
    assert {"jaarverslag-2021.docx", "jaarverslag-2022.docx", "gmr-2021-2022.docx"} <= reused
    # mr/12AB-2022-2023 and mr/12AB-2023-2024 (where its later invoices fall) show the bovenschools hire
    # 21GH-2022-2023-2, which 14CD pays for too: its P5 finding on 14CD's cumulative spending changes with the removed
    # 14CD workbook, so those documents are rightly made again
    shared = {"mr/12AB-2022-2023.docx", "mr/12AB-2023-2024.docx"}
    untouched = {k for k in second if k.startswith(("mr/12AB", "mr/17EF", "terugkoppeling/12AB", "terugkoppeling/17EF"))} - shared
    assert shared <= remade
    assert untouched and untouched <= reused
    assert not any(k.startswith("mr/14CD-2023-2024") for k in reused)
    assert all(len(p.stem) == 64 for p in (outputs / ".cache" / "docx").rglob("*.docx"))


def test_reused_outputs_have_the_content_of_outputs_made_from_scratch(runs) -> None:
    _, outputs, fresh = runs
    second, scratch = outputs_of(outputs), outputs_of(fresh)
    assert set(second) == set(scratch)
    for name, data in second.items():
        if name.endswith(".docx"):
            assert body(data) == body(scratch[name]), name
            assert media(data) == media(scratch[name]), name  # kept charts are the charts drawn from scratch
        else:
            assert cells(outputs / name) == cells(fresh / name), name


def test_the_cache_keeps_only_the_latest_run(runs) -> None:
    _, outputs, _ = runs
    kept = list((outputs / ".cache" / "docx").rglob("*.docx"))
    assert len(kept) == len([p for p in outputs.rglob("*.docx") if ".cache" not in p.parts])


def test_the_chart_cache_holds_the_charts_of_the_latest_run(runs) -> None:
    _, outputs, _ = runs
    kept = {p.read_bytes() for p in (outputs / ".cache" / "grafieken").rglob("*.png")}
    shown = {png for p in outputs.rglob("*.docx") if ".cache" not in p.parts for png in media(p.read_bytes()).values()}
    assert kept and kept == shown


@pytest.mark.eigen_grafieken
def test_a_kept_chart_is_not_drawn_again(tmp_path: Path, monkeypatch) -> None:
    """A document made again with the same chart data takes the kept PNG; other data draws a new one."""
    from pipeline import run
    from pipeline.render import documents

    demo.generate(tmp_path / "inputs")
    data = run.run(tmp_path / "inputs")
    drawn: list[str] = []
    real = documents.make_chart
    monkeypatch.setattr(documents, "make_chart", lambda spec, path: drawn.append(spec["titel"]) or real(spec, path))
    charts = tmp_path / "grafieken"
    first = documents.render_all(data, tmp_path / "een", chart_dir=charts)
    count = len(drawn)
    assert count and len(list(charts.rglob("*.png"))) == len(set(drawn))
    drawn.clear()
    again = documents.render_all(data, tmp_path / "twee", chart_dir=charts)  # no document cache: all rendered again
    assert drawn == []
    for a, b in zip(first, again):
        assert media(a.read_bytes()) == media(b.read_bytes()), a.name
    # a chart with other data is drawn, and the kept charts no run used any more are dropped
    job = next(documents._board_jobs(data, tmp_path / "drie", documents.TEMPLATES))
    name, spec = next(iter(sorted(job.charts.items())))
    other = {**spec, "titel": spec["titel"] + " (ander)"}
    kept = documents.chart_file(other, charts)
    assert not kept.exists()
    documents.render(documents.Job(job.template, job.context, {name: other}, tmp_path / "drie" / "doc.docx", "t", "a",
                                   job.generated, {name: kept}))
    assert drawn == [other["titel"]] and kept.is_file()


def test_digest_is_stable_and_sensitive() -> None:
    from datetime import date
    from decimal import Decimal

    a = {"b": [1, Decimal("2.50")], "a": date(2024, 1, 1)}
    assert reuse.digest(a) == reuse.digest({"a": date(2024, 1, 1), "b": [1, Decimal("2.50")]})
    assert reuse.digest(a) != reuse.digest({**a, "b": [1, Decimal("2.51")]})

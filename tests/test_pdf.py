"""PDF conversion never costs the run: failing, partial, killed and hanging converters; batches; the PDF cache."""
from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import need_soffice
from pipeline.cli import EXIT_DONE, EXIT_WARNINGS, app
from pipeline.render import pdf
from tools import demo

FAKE = Path(__file__).with_name("fake_soffice.py")


@pytest.fixture
def fake(tmp_path: Path, monkeypatch):
    """Put a fake soffice first on PATH; returns a function that sets its mode and the log of its calls."""
    real = shutil.which("soffice") or shutil.which("libreoffice")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))

    def set_mode(mode: str, skip: str = "", use_real: bool = False) -> Path:
        monkeypatch.setenv("FAKE_SOFFICE_MODE", mode)
        monkeypatch.setenv("FAKE_SOFFICE_SKIP", skip)
        if use_real:
            monkeypatch.setenv("FAKE_SOFFICE_REAL", real or "")
        return log

    return set_mode


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def make_docs(folder: Path, n: int, *, stamp: str = "2026-01-01T00:00:00Z") -> list[Path]:
    """Minimal .docx packages (a zip with a body and document properties): enough for the fake."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"doc-{i:02d}.docx"
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("word/document.xml", f"<w:document>document {i}</w:document>")
            z.writestr("docProps/core.xml", f"<cp:coreProperties>{stamp}</cp:coreProperties>")
        out.append(p)
    return out


def test_a_failing_converter_names_every_document(fake, tmp_path: Path) -> None:
    log = fake("fail")
    docs = make_docs(tmp_path / "docs", 5)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, batch_size=2)
    assert result.made == []
    assert set(result.missing) == {d.resolve() for d in docs}
    assert all("exitcode 1" in why for why in result.missing.values())
    assert result.retried == 5
    assert len(calls(log)) == 3 + 5  # three batches, then each document alone once
    assert not list((tmp_path / "pdf").glob("*.pdf"))


def test_a_converter_that_leaves_some_out_is_retried_document_by_document(fake, tmp_path: Path) -> None:
    log = fake("partial", skip="doc-01,doc-03")
    docs = make_docs(tmp_path / "docs", 5)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, batch_size=5)
    assert [p.stem for p in result.made] == ["doc-00", "doc-02", "doc-04"]
    assert sorted(d.stem for d in result.missing) == ["doc-01", "doc-03"]
    assert all("geen PDF" in why for why in result.missing.values())
    retried = [c["docs"] for c in calls(log)[1:]]
    assert sorted(retried) == [["doc-01.docx"], ["doc-03.docx"]]


def test_a_converter_killed_midway_leaves_no_half_pdf_and_the_retry_recovers(fake, tmp_path: Path) -> None:
    fake("kill")
    docs = make_docs(tmp_path / "docs", 4)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=1, batch_size=4)
    assert result.missing == {}
    assert [p.stem for p in result.made] == [d.stem for d in docs]
    assert all(pdf.is_complete_pdf(p) for p in result.made)
    assert result.retried == 3  # the first PDF was complete before the kill


def test_a_converter_killed_every_time_is_reported_not_raised(fake, tmp_path: Path) -> None:
    fake("kill-always")
    docs = make_docs(tmp_path / "docs", 3)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, batch_size=2)
    assert result.made == []
    assert all("afgebroken (SIGKILL)" in why for why in result.missing.values())
    assert not list((tmp_path / "pdf").glob("*.pdf"))  # the half-written ones are gone


def test_a_hanging_converter_is_stopped_after_the_batch_time_limit(fake, tmp_path: Path) -> None:
    fake("hang")
    docs = make_docs(tmp_path / "docs", 2)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, batch_size=2, timeout=1)
    assert result.made == []
    assert all("langer dan 1 seconden" in why for why in result.missing.values())


def test_batches_run_side_by_side_each_with_its_own_profile(fake, tmp_path: Path) -> None:
    log = fake("ok")
    docs = make_docs(tmp_path / "docs", 7)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, batch_size=3)
    assert len(result.made) == 7 and not result.missing
    seen = calls(log)
    assert sorted(len(c["docs"]) for c in seen) == [1, 3, 3]
    assert all(c["profile"] and c["profile"].startswith("file://") for c in seen)
    assert sorted(d for c in seen for d in c["docs"]) == sorted(d.name for d in docs)


def test_the_cache_skips_documents_whose_content_did_not_change(fake, tmp_path: Path) -> None:
    log = fake("ok")
    cache = tmp_path / "cache"
    docs = make_docs(tmp_path / "docs", 4)
    first = pdf.convert_all(docs, tmp_path / "pdf1", cache_dir=cache, workers=2)
    assert first.converted == 4 and first.from_cache == 0
    # the same content rendered at another moment: other document properties, other zip timestamps
    again = make_docs(tmp_path / "docs", 4, stamp="2026-02-02T10:00:00Z")
    with zipfile.ZipFile(again[2], "w") as z:  # one document really changed
        z.writestr("word/document.xml", "<w:document>anders</w:document>")
    before = len(calls(log))
    second = pdf.convert_all(again, tmp_path / "pdf2", cache_dir=cache, workers=2)
    assert second.from_cache == 3 and second.converted == 1
    assert [c["docs"] for c in calls(log)[before:]] == [["doc-02.docx"]]
    assert [p.stem for p in second.made] == [d.stem for d in again]
    assert len(list(cache.glob("*/*.pdf"))) == 4  # the PDF of the old doc-02 is dropped


def test_content_key_ignores_document_properties_and_zip_times(tmp_path: Path) -> None:
    (a,) = make_docs(tmp_path / "a", 1)
    (b,) = make_docs(tmp_path / "b", 1, stamp="later")
    assert a.read_bytes() != b.read_bytes()
    assert pdf.content_key(a) == pdf.content_key(b)
    c = tmp_path / "c.docx"
    c.write_bytes(b"not a zip")
    assert len(pdf.content_key(c)) == 64


# --------------------------------------------------------------------------- report end to end


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("demo") / "inputs"
    demo.generate(inputs)
    return inputs


@pytest.fixture(scope="module")
def rendered(demo_inputs: Path, tmp_path_factory) -> Path:
    """The demo board's outputs without PDFs, with the document cache: a run into a copy (see `warm`) takes its
    documents from that cache and does little more than the PDF stage the tests below are about."""
    outputs = tmp_path_factory.mktemp("zonder-pdf") / "outputs"
    result = report(demo_inputs, outputs, "--geen-pdf")
    assert result.exit_code == EXIT_DONE, result.output
    return outputs


def warm(rendered: Path, tmp_path: Path) -> Path:
    """A test's own copy of `rendered`, for a run with PDFs."""
    return Path(shutil.copytree(rendered, tmp_path / "outputs"))


def report(inputs: Path, outputs: Path, *extra: str):
    return CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--workers", "2", *extra])


def published_docs(outputs: Path) -> list[Path]:
    return [p for p in outputs.rglob("*.docx") if ".cache" not in p.relative_to(outputs).parts]


def assert_published(outputs: Path) -> dict:
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    assert (outputs / "register.xlsx").is_file()
    assert list((outputs / "mr").glob("*.docx")) and list(outputs.glob("jaarverslag-*.docx"))
    marked = [f["marked_copy"] for f in manifest["files"] if f["marked_copy"]]
    assert marked and all((outputs / m).is_file() for m in marked)
    return manifest


@pytest.mark.parametrize("mode", ["fail", "kill-always"])
def test_report_publishes_everything_when_no_pdf_can_be_made(fake, demo_inputs: Path, rendered: Path, tmp_path: Path,
                                                            mode: str) -> None:
    fake(mode)
    outputs = warm(rendered, tmp_path)
    result = report(demo_inputs, outputs)
    assert result.exit_code == EXIT_WARNINGS, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    manifest = assert_published(outputs)
    docs = sorted(p.relative_to(outputs).as_posix() for p in published_docs(outputs))
    assert manifest["status"] == "klaar_met_waarschuwingen"
    assert sorted(m["document"] for m in manifest["pdf"]["ontbreekt"]) == docs
    assert manifest["pdf"]["gemaakt"] == 0
    assert "PDF-kopieën ontbreken" in result.output and "exitcode 3" in result.output
    assert not (outputs / "pdf").exists() or not list((outputs / "pdf").glob("*.pdf"))


def test_report_names_the_missing_pdfs_and_retries_them_next_time(fake, demo_inputs: Path, rendered: Path, tmp_path: Path) -> None:
    fake("partial", skip="jaarverslag-2023,12AB-2022-2023")
    outputs = warm(rendered, tmp_path)
    result = report(demo_inputs, outputs)
    assert result.exit_code == EXIT_WARNINGS, result.output
    manifest = assert_published(outputs)
    assert sorted(m["pdf"] for m in manifest["pdf"]["ontbreekt"]) == ["pdf/12AB-2022-2023.pdf", "pdf/jaarverslag-2023.pdf"]
    assert "pdf/jaarverslag-2023.pdf" in result.output
    made = {p.stem for p in (outputs / "pdf").glob("*.pdf")}
    assert len(made) == manifest["pdf"]["gemaakt"] == len(published_docs(outputs)) - 2
    # the same inputs again: the run is not skipped as up to date, and only the two missing ones are converted
    fake("ok")
    again = report(demo_inputs, outputs)
    assert again.exit_code == EXIT_DONE, again.output
    manifest = assert_published(outputs)
    assert manifest["status"] == "klaar" and manifest["pdf"]["ontbreekt"] == []
    assert manifest["pdf"]["uit_cache"] == manifest["pdf"]["gemaakt"] - 2


# Left without a PDF by a first run, so that the run with LibreOffice killed converts six documents, not 28:
# every document of a killed batch is converted again on its own, each a LibreOffice start of its own.
LEFT_FOR_LIBREOFFICE = ("jaarverslag-2022", "jaarverslag-2023-bijlagen", "gmr-2022-2023", "eindverantwoording",
                        "12AB-2022-2023", "21GH-2023-2024")


def test_report_with_libreoffice_killed_midway(fake, demo_inputs: Path, rendered: Path, tmp_path: Path) -> None:
    """Real LibreOffice, killed (the whole process group) as soon as a batch has written its first PDF."""
    need_soffice()
    outputs = warm(rendered, tmp_path)
    fake("partial", skip=",".join(LEFT_FOR_LIBREOFFICE))
    first = report(demo_inputs, outputs)
    assert first.exit_code == EXIT_WARNINGS, first.output
    log = fake("ok", use_real=True)
    log.unlink()
    result = report(demo_inputs, outputs)
    assert result.exit_code in (EXIT_DONE, EXIT_WARNINGS), result.output
    manifest = assert_published(outputs)
    converted = [c for c in calls(log) if c["docs"]]
    assert sorted(d.removesuffix(".docx") for c in converted for d in c["docs"] if len(c["docs"]) > 1) == sorted(LEFT_FOR_LIBREOFFICE)
    assert any(len(c["docs"]) == 1 for c in converted)  # the killed batches' documents, once more one by one
    assert manifest["pdf"]["uit_cache"] == len(published_docs(outputs)) - len(LEFT_FOR_LIBREOFFICE)
    docs = {p.stem for p in published_docs(outputs)}
    made = {p.stem for p in (outputs / "pdf").glob("*.pdf")}
    missing = {Path(m["pdf"]).stem for m in manifest["pdf"]["ontbreekt"]}
    assert made | missing == docs and not made & missing
    assert all(pdf.is_complete_pdf(p) for p in (outputs / "pdf").glob("*.pdf"))
    assert (result.exit_code == EXIT_DONE) == (not missing)


def test_report_with_libreoffice_makes_every_pdf_and_reuses_them(demo_inputs: Path, rendered: Path, tmp_path: Path) -> None:
    """Real LibreOffice over the whole demo board (from scratch, through the command line: tests/test_spawn.py)."""
    need_soffice()
    outputs = warm(rendered, tmp_path)
    result = report(demo_inputs, outputs)
    assert result.exit_code == EXIT_DONE, result.output
    manifest = assert_published(outputs)
    docs = sorted(p.stem for p in published_docs(outputs))
    assert sorted(p.stem for p in (outputs / "pdf").glob("*.pdf")) == docs
    assert manifest["status"] == "klaar" and manifest["pdf"]["gemaakt"] == len(docs)
    # one more file in inputs/: every document is rendered again, only the board-wide ones (which list
    # every input file) change
    inputs = tmp_path / "inputs"
    shutil.copytree(demo_inputs, inputs)
    (inputs / "notitie.txt").write_text("geen werkboek", encoding="utf-8")
    again = report(inputs, outputs)
    assert again.exit_code == EXIT_DONE, again.output
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    mr_docs = len(list((outputs / "mr").glob("*.docx")))
    assert mr_docs <= manifest["pdf"]["uit_cache"] < len(docs)
    assert sorted(p.stem for p in (outputs / "pdf").glob("*.pdf")) == docs


def test_report_survives_a_disk_error_while_writing_pdfs(fake, demo_inputs: Path, rendered: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    fake("ok")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "convert_all", full_disk)
    outputs = warm(rendered, tmp_path)
    result = report(demo_inputs, outputs)
    assert result.exit_code == EXIT_WARNINGS, result.output
    manifest = assert_published(outputs)
    assert {m["reden"] for m in manifest["pdf"]["ontbreekt"]} == {"de PDF kon niet worden geschreven (de schijf is vol)"}  # issue 24.15: the reason in Dutch


def test_batches_hold_a_bounded_size_largest_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "BATCH_BYTES", 1000)
    sizes = {"groot": 1500, "a": 600, "b": 500, "c": 300, "d": 100, "e": 100}
    docs = []
    for name, n in sizes.items():
        p = tmp_path / f"{name}.docx"
        p.write_bytes(b"x" * n)
        docs.append(p)
    batches = [[d.stem for d in b] for b in pdf._batches(docs, 3)]
    assert batches == [["groot"], ["a"], ["b", "c", "d"], ["e"]]


@pytest.mark.parametrize(("documents", "workers", "size"), [(1, 2, 1), (7, 2, 2), (6, 2, 1), (429, 2, 60), (120, 2, 20), (429, 4, 36)])
def test_batch_size_spreads_the_documents_over_every_process(documents: int, workers: int, size: int) -> None:
    # a changed workbook remakes a handful of documents: they must not queue behind one LibreOffice
    assert pdf.batch_size_for(documents, workers) == size
    assert -(-documents // size) >= min(documents, workers)


def test_an_interrupted_conversion_stops_libreoffice_at_once(fake, tmp_path: Path) -> None:
    """Ctrl-C during the PDF stage: the running LibreOffice calls are killed and no new one starts
    (before, the run waited for every batch, up to its time limit, and then started the rest).
    The conversion runs in a fresh Python process that gets SIGINT, as a terminal's Ctrl-C does: inside a
    long-lived test worker (pytest-xdist) a SIGINT to the worker itself was seen not to arrive as KeyboardInterrupt."""
    import os
    import signal
    import subprocess
    import time

    log = fake("hang")
    docs = make_docs(tmp_path / "docs", 4)
    script = ("import sys; from pathlib import Path; from pipeline.render import pdf\n"
              "docs = [Path(p) for p in sys.argv[2:]]\n"
              "try:\n"
              "    pdf.convert_all(docs, Path(sys.argv[1]), workers=2, batch_size=1, timeout=600)\n"
              "except KeyboardInterrupt:\n"
              "    sys.exit(42)\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "pdf"), *map(str, docs)],
                             cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        # wait for the event (both fake LibreOffice calls have written their line: they are running), not for a
        # time; the hung calls never end on their own (their time limit is far away), so the interrupt always
        # lands inside convert_all. The deadline only keeps a broken run from hanging the suite.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (log.exists() and log.read_bytes().count(b"\n") >= 2):
            time.sleep(0.02)
        assert log.exists() and log.read_bytes().count(b"\n") >= 2, "LibreOffice (nep) startte niet twee keer"
        os.kill(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 42, err.decode()
    started = calls(log)
    assert len(started) == 2  # the other two batches never started
    for c in started:
        with pytest.raises(ProcessLookupError):
            os.kill(c["pid"], 0)


def test_a_handful_of_documents_starts_libreoffice_once_per_process_balanced_by_size(fake, tmp_path: Path) -> None:
    # one changed workbook remakes a few documents: each LibreOffice start costs ~0.5-1 s
    log = fake("ok")
    docs = make_docs(tmp_path / "docs", 7)
    sizes = [9000, 7000, 5000, 1000, 800, 600, 100]
    for d, n in zip(docs, sizes):
        with zipfile.ZipFile(d, "w") as z:  # long XML packs small: the work is in the unpacked XML
            z.writestr("word/document.xml", "<w:document>" + "<w:p/>" * n + "</w:document>", compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("word/media/image1.png", bytes(range(256)) * ((9000 - n) // 256 + 1), compress_type=zipfile.ZIP_STORED)
    result = pdf.convert_all(docs, tmp_path / "pdf", workers=2)
    assert len(result.made) == 7 and not result.missing
    seen = [c["docs"] for c in calls(log)]
    assert len(seen) == 2 and sorted(d for c in seen for d in c) == sorted(d.name for d in docs)
    by_size = {d.name: zipfile.ZipFile(d).getinfo("word/document.xml").file_size for d in docs}
    assert not any({"doc-00.docx", "doc-01.docx"} <= set(c) for c in seen)  # the two largest go apart
    totals = sorted(sum(by_size[d] for d in c) for c in seen)
    assert totals[1] - totals[0] <= by_size["doc-02.docx"]  # and the rest evens them out


def test_content_keys_are_remembered_by_the_bytes_of_each_document(fake, tmp_path: Path, monkeypatch) -> None:
    fake("ok")
    cache = tmp_path / "cache"
    docs = make_docs(tmp_path / "docs", 3)
    pdf.convert_all(docs, tmp_path / "pdf1", cache_dir=cache, workers=2)
    unzipped: list[str] = []
    real_key = pdf.content_key
    monkeypatch.setattr(pdf, "content_key", lambda d: unzipped.append(Path(d).name) or real_key(d))
    with zipfile.ZipFile(docs[1], "w") as z:  # changed content: its key is computed again
        z.writestr("word/document.xml", "<w:document>anders</w:document>")
    second = pdf.convert_all(docs, tmp_path / "pdf2", cache_dir=cache, workers=2)
    assert unzipped == ["doc-01.docx"]
    assert second.from_cache == 2 and second.converted == 1
    (cache / pdf.KEYS_FILE).write_text('{"kapot": ', encoding="utf-8")  # a damaged list only costs time
    third = pdf.convert_all(docs, tmp_path / "pdf3", cache_dir=cache, workers=2)
    assert third.from_cache == 3 and len(third.made) == 3


def started_calls(log: Path, n: int) -> list[dict]:
    """The calls of processes started ahead, once `n` of them have written their line (they start on their own time)."""
    import time

    for _ in range(200):
        found = [c for c in calls(log) if c.get("started")]
        if len(found) >= n:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{n} started processes expected, {calls(log)}")


def _gone(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_libreoffice_started_ahead_takes_the_first_batches(fake, tmp_path: Path) -> None:
    """pdf.WarmStart: one waiting LibreOffice per worker, each with its own profile; the first batches use those
    profiles, and close() leaves no process behind."""
    log = fake("ok")
    docs = make_docs(tmp_path / "docs", 6)
    with pdf.WarmStart().start(2) as warm:
        started = {c["profile"] for c in started_calls(log, 2)}
        assert len(started) == 2
        result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, warm=warm)
    assert len(result.made) == 6 and not result.missing
    converting = [c for c in calls(log) if not c.get("started")]
    assert {c["profile"] for c in converting} == started  # the fake's waiting process quit at once: the calls did the work
    assert all(_gone(c["pid"]) for c in calls(log))


def test_a_hanging_batch_stops_the_libreoffice_it_was_handed_to(fake, tmp_path: Path) -> None:
    log = fake("hang")
    docs = make_docs(tmp_path / "docs", 2)
    with pdf.WarmStart().start(1) as warm:
        server = started_calls(log, 1)[0]["pid"]
        result = pdf.convert_all(docs, tmp_path / "pdf", workers=1, timeout=1, warm=warm)
        assert _gone(server)  # stopped with its batch, not only at close()
    assert set(result.missing) == {d.resolve() for d in docs}


def test_no_libreoffice_is_started_ahead_without_pdfs(fake, tmp_path: Path) -> None:
    log = fake("ok")
    with pdf.WarmStart().start(0) as warm:
        assert warm.servers == {} and warm.base is None
    assert calls(log) == []


def test_real_libreoffice_started_ahead_converts_and_quits(tmp_path: Path) -> None:
    need_soffice()
    import time

    docs = make_real_docs(tmp_path / "docs", 3)
    with pdf.WarmStart().start(2) as warm:
        servers = list(warm.servers.values())
        time.sleep(1)
        result = pdf.convert_all(docs, tmp_path / "pdf", workers=2, warm=warm)
        assert all(s.poll() is not None for s in servers)  # each quit after its documents (or was stopped)
    assert len(result.made) == 3 and not result.missing
    assert all(pdf.is_complete_pdf(p) for p in result.made)
    assert not any(warm.servers) and (warm.base is None or not warm.base.exists())


def make_real_docs(folder: Path, n: int) -> list[Path]:
    from docx import Document

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        d = Document()
        d.add_paragraph(f"Document {i}")
        out.append(folder / f"echt-{i}.docx")
        d.save(str(out[-1]))
    return out


@pytest.mark.parametrize("large", [False, True])
def test_report_starts_libreoffice_ahead_only_on_a_board_of_up_to_2000_files(fake, demo_inputs: Path, rendered: Path,
                                                                            tmp_path: Path, monkeypatch, large: bool) -> None:
    import os

    from pipeline.render import documents

    if large:
        monkeypatch.setattr(documents, "HEAVY_SIDE_BY_SIDE_UP_TO", 0)
    log = fake("ok")
    result = report(demo_inputs, warm(rendered, tmp_path))
    assert result.exit_code == EXIT_DONE, result.output
    started = [c for c in calls(log) if c.get("started")]
    assert len(started) == (0 if large else os.cpu_count() or 1)  # one per LibreOffice process of the PDF stage
    assert all(_gone(c["pid"]) for c in calls(log))


def test_the_weight_of_a_document_is_the_xml_laid_out_not_its_styles(tmp_path: Path) -> None:
    # measured: an MR document (0,04 MB body, 0,8 MB styles) converts in 0,13 s, a jaarverslag (0,8 MB body) in 1,0 s
    def package(name: str, body: int, styles: int) -> Path:
        p = tmp_path / f"{name}.docx"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml", "<w:document>" + "<w:p/>" * body + "</w:document>")
            z.writestr("word/styles.xml", "<w:styles>" + "<w:style/>" * styles + "</w:styles>")
            z.writestr("word/footer1.xml", "<w:ftr/>")
        return p

    small, large = package("mr", 1_000, 100_000), package("jaarverslag", 50_000, 100_000)
    assert pdf._weight(large) > 10 * pdf._weight(small)
    assert pdf._weight(small) == 1_000 * len("<w:p/>") + len("<w:document></w:document>") + len("<w:ftr/>")

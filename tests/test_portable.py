"""Windows and macOS: LibreOffice found where its installers put it, stopped as a process tree, and outputs
published without exchanging folders, naming a file another program holds open."""
from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest

from pipeline import publish, speed
from pipeline.render import pdf


# --------------------------------------------------------------------------- finding and stopping LibreOffice


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_npo_soffice_wins_over_path(monkeypatch, tmp_path):
    chosen = _exe(tmp_path / "elders" / "soffice")
    monkeypatch.setenv("PATH", str(_exe(tmp_path / "bin" / "soffice").parent))
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(chosen))
    assert pdf.soffice_path() == str(chosen)


def test_npo_soffice_naming_no_file_means_no_libreoffice_and_says_where(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(_exe(tmp_path / "bin" / "soffice").parent))
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "bestaat-niet" / "soffice"))
    assert pdf.soffice_path() is None
    assert "bestaat-niet" in pdf.not_found()


def test_windows_standard_location_when_not_on_path(monkeypatch, tmp_path):
    exe = _exe(tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe")
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    monkeypatch.setattr(pdf, "WINDOWS", True)
    for var in ("ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert pdf.soffice_path() == str(exe)


def test_macos_standard_location_when_not_on_path(monkeypatch, tmp_path):
    exe = _exe(tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    monkeypatch.setattr(pdf.sys, "platform", "darwin")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))  # ~/Applications
    assert pdf.soffice_path() == str(exe)


def test_windows_stops_libreoffice_as_a_process_tree(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.setattr(pdf, "WINDOWS", True)
    monkeypatch.setattr(pdf.subprocess, "run", lambda argv, **kw: calls.append(argv))
    monkeypatch.setattr(pdf.subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200, raising=False)

    class Running:
        pid = 4242

        def poll(self):
            return None

    pdf._kill(Running())
    assert calls == [["taskkill", "/T", "/F", "/PID", "4242"]]
    assert pdf.own_group() == {"creationflags": 0x200}


def test_elsewhere_libreoffice_gets_a_session_of_its_own_and_the_group_is_killed():
    assert pdf.own_group() == {"start_new_session": True}
    proc = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30"], **pdf.own_group())
    pdf._kill(proc)
    assert proc.wait(timeout=5) != 0


# --------------------------------------------------------------------------- the start method


def test_start_method_from_the_environment(monkeypatch):
    monkeypatch.setenv(speed.START_METHOD_ENV, "spawn")
    assert speed.read_context().get_start_method() == "spawn"
    assert speed.clean_context().get_start_method() == "spawn"
    monkeypatch.setenv(speed.START_METHOD_ENV, "fork")  # never for the render pools (polars' threads hang)
    assert speed.clean_context().get_start_method() != "fork"
    monkeypatch.setenv(speed.START_METHOD_ENV, "vork")
    with pytest.raises(speed.StartMethodError, match="NPO_START_METHOD"):
        speed.read_context()


def test_read_pool_and_own_process_under_spawn(monkeypatch):
    monkeypatch.setenv(speed.START_METHOD_ENV, "spawn")
    assert speed.fork_map(abs, [-1, -2, 3, -4, 5], 2, chunk=2) == {0: 1, 1: 2, 2: 3, 3: 4, 4: 5}
    assert speed.in_own_process(divmod, 7, 2, timeout=60) == (3, 1)


# --------------------------------------------------------------------------- publishing without exchanging folders


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def _outputs(root: Path, text: str) -> Path:
    for rel in ("mr/12AB-2022-2023.docx", "register.xlsx", publish.MANIFEST, "jaarverslag-2023.docx"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def two_runs(tmp_path, monkeypatch):
    """outputs/ of an earlier run with a user's own file and a cache, and the staging folder of a new run; no
    exchange of folders (as on Windows and macOS)."""
    outputs = _outputs(tmp_path / "outputs", "oud")
    (outputs / "eigen notities.txt").write_text("van de gebruiker")
    (outputs / ".cache").mkdir()
    (outputs / ".cache" / "x").write_text("cache")
    (outputs / "jaarverslag-2022.docx").write_text("oud, niet meer gemaakt")
    staging = _outputs(tmp_path / ".outputs-staging-1", "nieuw")
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    return outputs, staging


def test_without_exchange_the_new_set_replaces_the_old_and_the_rest_stays(two_runs):
    outputs, staging = two_runs
    publish.swap_into(staging, outputs)
    assert _tree(outputs) == {".cache/x": "cache", "eigen notities.txt": "van de gebruiker", "mr/12AB-2022-2023.docx": "nieuw",
                              "register.xlsx": "nieuw", publish.MANIFEST: "nieuw", "jaarverslag-2023.docx": "nieuw"}
    beside = {p.name: list(p.iterdir()) for p in outputs.parent.iterdir() if p.name != "outputs"}
    assert beside == {staging.name: []}  # nothing moved aside is left; write_all removes the empty staging folder


@pytest.mark.parametrize("held", ["register.xlsx", "mr/12AB-2022-2023.docx"])
def test_a_file_held_open_is_named_and_nothing_changes(two_runs, monkeypatch, held):
    """Windows refuses to rename a file another program has open, or a folder holding one."""
    outputs, staging = two_runs
    before = _tree(outputs)
    held_path, entry = outputs / held, outputs / held.split("/")[0]
    real_rename = publish.os.rename

    def rename(src, dst):
        if Path(src) == entry:
            raise PermissionError(13, "The process cannot access the file", str(src))
        return real_rename(src, dst)

    real_open = open

    def opening(path, mode="r", *a, **kw):
        if Path(path) == held_path and "+" in mode:
            raise PermissionError(13, "in use", str(path))
        return real_open(path, mode, *a, **kw)

    monkeypatch.setattr(publish.os, "rename", rename)
    monkeypatch.setattr(publish, "open", opening, raising=False)
    with pytest.raises(publish.HeldOpen) as caught:
        publish.swap_into(staging, outputs)
    assert Path(caught.value.filename) == held_path
    assert _tree(outputs) == before
    assert sorted(p.name for p in outputs.parent.iterdir()) == [".outputs-staging-1", "outputs"]


def test_the_command_line_names_the_held_file_in_one_line(monkeypatch, capsys, tmp_path):
    from pipeline import cli

    def refuse(staging, outputs):
        raise publish.HeldOpen(outputs / "register.xlsx")

    monkeypatch.setattr(publish, "swap_into", refuse)
    from tools import demo

    demo.generate(tmp_path / "inputs")
    code = cli.main(["report", "--inputs", str(tmp_path / "inputs"), "--outputs", str(tmp_path / "outputs"), "--geen-pdf"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "register.xlsx" in err and ("in gebruik" in err or "ander programma" in err)  # errno EBUSY, or its text


# --------------------------------------------------------------------------- a run without PDFs keeps the earlier ones


def _docx(path: Path, text: str, title: str = "") -> Path:
    d = docx.Document()
    d.add_paragraph(text)
    d.core_properties.title = title  # document properties do not change what a PDF shows
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def _pdf(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7\n...\n%%EOF\n")


def test_without_pdfs_earlier_pdfs_of_unchanged_documents_are_kept_the_others_named(tmp_path):
    outputs, staging = tmp_path / "outputs", tmp_path / "staging"
    for name, old, new in (("gmr-2023-2024", "zelfde", "zelfde"), ("mr/12AB-2023-2024", "oud", "anders"),
                           ("jaarverslag-2021", "weg", None)):
        _docx(outputs / f"{name}.docx", old, "vorige run")
        _pdf(outputs / "pdf" / f"{Path(name).name}.pdf")
        if new is not None:
            _docx(staging / f"{name}.docx", new, "deze run")
    docs = sorted(staging.rglob("*.docx"))
    kept, removed = publish.keep_earlier_pdfs(docs, staging, outputs)
    assert kept == 1 and (staging / "pdf" / "gmr-2023-2024.pdf").is_file()
    assert dict(removed) == {"12AB-2023-2024.pdf": publish.PDF_CHANGED, "jaarverslag-2021.pdf": publish.PDF_GONE}
    note = publish.earlier_pdfs_note(kept, removed)
    assert "12AB-2023-2024.pdf" in note and "jaarverslag-2021.pdf" in note
    assert not (staging / "pdf" / "12AB-2023-2024.pdf").exists()


def test_no_exchange_of_folders_outside_linux(monkeypatch, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.setattr(publish.sys, "platform", "win32")
    assert publish._exchange(tmp_path / "a", tmp_path / "b") is False

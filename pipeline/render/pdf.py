"""PDF copies of the Word documents through LibreOffice (soffice --headless --convert-to pdf)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path


class PdfError(RuntimeError):
    """LibreOffice is missing, timed out, or did not write every PDF; str(exc) says which and why."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    return soffice_path() is not None


def convert_to_pdf(docs: list[Path], outdir: Path, timeout: float = 300) -> list[Path]:
    """Convert `docs` to outdir/<stem>.pdf with one soffice call; returns the PDFs in the order of `docs`.

    Each call gets its own LibreOffice profile (-env:UserInstallation), so parallel runs do not clash
    on the profile lock. Raises PdfError when soffice is missing, fails, times out or leaves a PDF out.
    """
    docs = [Path(d).resolve() for d in docs]
    if not docs:
        return []
    exe = soffice_path()
    if exe is None:
        raise PdfError("LibreOffice (soffice) is niet geïnstalleerd; er zijn geen PDF's gemaakt.")
    stems = [d.stem for d in docs]
    doubles = sorted({s for s in stems if stems.count(s) > 1})
    if doubles:
        raise PdfError(f"Twee documenten zouden dezelfde PDF-naam krijgen: {', '.join(doubles)}.")
    missing = [str(d) for d in docs if not d.is_file()]
    if missing:
        raise PdfError(f"Document niet gevonden: {', '.join(missing)}.")
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{d.stem}.pdf" for d in docs]
    for t in targets:
        t.unlink(missing_ok=True)  # a stale PDF must not pass for a fresh one
    with tempfile.TemporaryDirectory(prefix="npo-soffice-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)]
        env = {**os.environ, "HOME": profile}  # LibreOffice also writes under $HOME
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin as a child: stop the whole group
            proc.communicate()
            raise PdfError(f"LibreOffice deed er langer dan {timeout:g} seconden over; de PDF's zijn niet (allemaal) gemaakt.") from None
    absent = [t.name for t in targets if not t.is_file() or t.stat().st_size == 0]
    if proc.returncode != 0 or absent:
        detail = (err or out or b"").decode("utf-8", "replace").strip().splitlines()
        raise PdfError(
            f"LibreOffice kon niet alle PDF's maken (exitcode {proc.returncode}; ontbreekt: {', '.join(absent) or 'niets'})"
            + (f": {detail[-1]}" if detail else ".")
        )
    return targets

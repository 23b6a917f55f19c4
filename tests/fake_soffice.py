"""A stand-in for soffice --convert-to pdf that fails on purpose; FAKE_SOFFICE_MODE says how.

fail: exits 1 and writes nothing. partial: writes every PDF but those whose stem is in
FAKE_SOFFICE_SKIP (comma-separated) and exits 0, as LibreOffice does. kill: with more than one
document, writes the first PDF and half of the second, then kills itself; one document converts.
kill-always: the same for one document too. hang: sleeps. ok: converts everything. Every call is
appended to FAKE_SOFFICE_LOG (one JSON line) when that is set. With FAKE_SOFFICE_REAL set, the real
soffice is run instead and killed (SIGKILL, the whole group) as soon as its first PDF appears, when
it was given more than one document. Started without documents (as pdf.WarmStart does), it exits at
once (hang: sleeps), or with FAKE_SOFFICE_REAL becomes the real LibreOffice waiting for documents.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def main(argv: list[str]) -> int:
    mode = os.environ.get("FAKE_SOFFICE_MODE", "ok")
    profile = next((a.split("=", 1)[1] for a in argv if a.startswith("-env:UserInstallation=")), None)
    if "--convert-to" not in argv:  # started ahead without documents (pdf.WarmStart)
        log({"started": True, "docs": [], "profile": profile, "pid": os.getpid()})
        if os.environ.get("FAKE_SOFFICE_REAL"):
            os.execv(os.environ["FAKE_SOFFICE_REAL"], [os.environ["FAKE_SOFFICE_REAL"], *argv[1:]])
        if mode == "hang":
            time.sleep(600)
        return 0  # gone at once: the calls that follow convert themselves
    outdir = Path(argv[argv.index("--outdir") + 1])
    docs = [Path(a) for a in argv if a.endswith(".docx")]
    log({"docs": [d.name for d in docs], "profile": profile, "pid": os.getpid()})
    if os.environ.get("FAKE_SOFFICE_REAL"):
        return real(argv, outdir, docs)
    if mode == "fail":
        print("Error: source file could not be loaded", file=sys.stderr)
        return 1
    if mode == "hang":
        time.sleep(600)
        return 0
    skip = set(filter(None, os.environ.get("FAKE_SOFFICE_SKIP", "").split(",")))
    for i, d in enumerate(docs):
        target = outdir / f"{d.stem}.pdf"
        if mode == "kill-always" or (mode == "kill" and len(docs) > 1 and i == 1):
            target.write_bytes(PDF[:12])  # half written
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "partial" and d.stem in skip:
            continue
        target.write_bytes(PDF)
    return 0


def log(call: dict) -> None:
    if os.environ.get("FAKE_SOFFICE_LOG"):
        with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(call) + "\n")


def real(argv: list[str], outdir: Path, docs: list[Path]) -> int:
    proc = subprocess.Popen([os.environ["FAKE_SOFFICE_REAL"], *argv[1:]])
    while proc.poll() is None:
        if len(docs) > 1 and any((outdir / f"{d.stem}.pdf").exists() for d in docs):
            os.killpg(os.getpgrp(), signal.SIGKILL)  # soffice.bin too, and this script
        time.sleep(0.05)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))

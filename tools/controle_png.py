"""Render the Controle sheet of an example workbook to a PNG for the README (LibreOffice and poppler).

    python -m tools.controle_png docs/controle.png
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from pipeline.render import controle
from pipeline.render import workbook as template
from tools.demo import _fields, _tables, hires


def example(path: Path) -> Path:
    """A demo hire with a few open points: the need left empty, question 7 unanswered, a bare 'Ja' on
    questions 2 and 5, advice asked after signing."""
    h = next(h for h in hires() if h.file == "12AB/2022-2023-2 advies.xlsx")
    f = _fields(h)
    f["mr_advies_gevraagd"] = date(2022, 7, 20)
    f["startdatum"] = "1-11-2022"
    f["behoefte"] = None
    h.answers[7] = [None, None, None]
    wb = template.build()
    template.fill(wb, {k: v for k, v in f.items() if v is not None}, _tables(h, f))
    for ws in wb.worksheets:  # only the Controle sheet goes into the PDF
        if ws.title != controle.SHEET:
            ws.sheet_state = "hidden"
    wb.active = wb.sheetnames.index(controle.SHEET)
    wb.save(path)
    return path


def render(out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = example(tmp / "controle.xlsx")
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", str(tmp), str(src)], check=True, capture_output=True, timeout=300)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(tmp / "controle.pdf"),
                        str(tmp / "page")], check=True, timeout=120)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp / "page.png", out)
    return out


if __name__ == "__main__":
    print(render(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/controle.png")))

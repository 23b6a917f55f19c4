"""Generate the Word templates (templates/*.docx) for the jaarverslag, the MR and the GMR documents.

Run `python tools/make_templates.py`. The .docx files are committed: a board restyles them in Word or
LibreOffice later (styles "Heading 1/2/3", table style "NPO-tabel", paragraph style "Bedrag"), so this
script is the starting point, not the only way to change them. Every Jinja tag is written as one run,
because docxtpl cannot parse a tag that Word has split over several runs.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python tools/make_templates.py` too

from tools.docx_templates.builder import TEMPLATES  # noqa: E402
from tools.docx_templates.councils import gmr, mr
from tools.docx_templates.eindverantwoording import eindverantwoording
from tools.docx_templates.jaarverslag import jaarverslag, jaarverslag_bijlagen

BUILDERS = {"jaarverslag": jaarverslag, "jaarverslag-bijlagen": jaarverslag_bijlagen, "mr": mr, "gmr": gmr,
            "eindverantwoording": eindverantwoording}


def main(outdir: Path = TEMPLATES) -> list[Path]:
    return [build().save(outdir / f"{name}.docx") for name, build in BUILDERS.items()]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(path)

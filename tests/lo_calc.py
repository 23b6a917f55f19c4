"""Fill workbooks cell by cell in LibreOffice Calc through UNO, recalculate, save as .xlsx (and PDF): one soffice for a batch.

Runs under the system Python that has the `uno` module (Debian: python3-uno):
    /usr/bin/python3 tests/lo_calc.py JOBS.json
JOBS.json: [{"in": BLANK.xlsx, "out": OUT.xlsx, "pdf": optional OUT.pdf, "cells": [[sheet, "B5", kind, value], ...]}]
with kind "text" (typed as text), "number" or "date" (an ISO date entered as a real date), as in lo_fill.py.
"""
from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import uno  # type: ignore  # noqa: E402

from lo_fill import Office, prop, put, save_xlsx  # noqa: E402


def main(jobs_path: str) -> None:
    jobs = json.load(open(jobs_path, encoding="utf-8"))
    with Office() as office:
        for job in jobs:
            doc = office.open(job["in"])
            sheets = {}  # each UNO call is a round trip: fetch a sheet once per workbook, not once per cell
            for sheet, coord, kind, value in job.get("cells", []):
                if sheet not in sheets:
                    sheets[sheet] = doc.Sheets.getByName(sheet)
                put(sheets[sheet].getCellRangeByName(coord), kind, value)
            doc.calculateAll()
            save_xlsx(doc, job["out"])
            if job.get("pdf"):
                doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(job["pdf"])), (prop("FilterName", "calc_pdf_Export"),))
            doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1])

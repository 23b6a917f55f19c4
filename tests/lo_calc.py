"""Fill workbooks cell by cell in LibreOffice Calc through UNO, recalculate, save as .xlsx (and PDF): one soffice for a batch,
one load for consecutive jobs on the same workbook (the typed cells are put back between them: lo_fill.Typing).

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

from lo_fill import Office, Typing, prop, save_xlsx  # noqa: E402


def main(jobs_path: str) -> None:
    jobs = json.load(open(jobs_path, encoding="utf-8"))
    with Office() as office:
        book, source = None, None
        for job in jobs:
            if job["in"] != source:  # consecutive jobs on the same workbook share one load; it is put back between them
                if book is not None:
                    book.doc.close(True)
                book, source = Typing(office.open(job["in"])), job["in"]
            typed = book.type(job.get("cells", []))
            book.doc.calculateAll()
            save_xlsx(book.doc, job["out"])
            if job.get("pdf"):
                book.doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(job["pdf"])), (prop("FilterName", "calc_pdf_Export"),))
            book.restore(typed)
        if book is not None:
            book.doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1])

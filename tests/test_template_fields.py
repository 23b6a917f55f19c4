"""Every field a Word template asks for is in its document's context: a missing one stops the document with its name
(an empty place in a signed document would pass unnoticed). No fixtures but tmp_path, so tools/mutants_screen.py can
run these against mutants of the document contexts."""
from __future__ import annotations

import zipfile
from dataclasses import replace

import pytest

from guards_board import small_board
from pipeline.render import documents


def test_every_document_of_the_small_board_gets_every_field_its_template_asks_for(tmp_path):
    jobs = list(documents.iter_jobs(small_board(), tmp_path))
    # one jaarverslag and its appendix per calendar year 2023 (the board's invoices), a GMR overview per school year,
    # an MR report per school year of 12AB with hires
    assert {j.template.name for j in jobs} >= {"jaarverslag.docx", "jaarverslag-bijlagen.docx", "gmr.docx", "mr.docx"}
    for job in jobs:
        out = documents.render(job)  # raises TemplateFieldMissing on a field the context lacks
        body = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
        assert "{{" not in body and "{%" not in body, out.name


def test_a_field_the_context_lacks_is_named_with_its_document(tmp_path):
    job = next(j for j in documents.iter_jobs(small_board(), tmp_path) if j.template.name == "mr.docx")
    context = {k: v for k, v in job.context.items() if k != "bestuur"}
    with pytest.raises(documents.TemplateFieldMissing) as raised:
        documents.render(replace(job, context=context))
    assert job.out.name in str(raised.value) and "'bestuur'" in str(raised.value)
    assert not job.out.exists()

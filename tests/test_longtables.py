"""Long tables are cut into parts for LibreOffice: every row stays, in order, under its heading; only the last part
looks like it ends in a total row; a vertical merge is never cut; documents keep their content."""
from __future__ import annotations

import re
from datetime import date

import docx
import pytest

from pipeline.render import longtables
from pipeline.render.longtables import SEPARATOR, split_long_tables

LOOK = '<w:tblLook w:val="04E0" w:firstRow="1" w:lastRow="1" w:noHBand="0" w:noVBand="1"/>'
PROPS = f'<w:tblPr><w:tblStyle w:val="NPOtabel"/><w:tblLayout w:type="fixed"/>{LOOK}</w:tblPr><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid>'
HEAD = '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Factuur</w:t></w:r></w:p></w:tc></w:tr>'


def row(text: str, merge: str = "") -> str:
    return f'<w:tr><w:tc><w:tcPr>{merge}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>'


def table(rows: list[str]) -> str:
    return f"<w:tbl>{PROPS}{HEAD}{''.join(rows)}</w:tbl>"


def body(*parts: str) -> str:
    return f'<w:body><w:p><w:r><w:t>Bijlage A</w:t></w:r></w:p>{"".join(parts)}<w:sectPr/></w:body>'


def tables_of(xml: str) -> list[str]:
    return re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)


def texts(tbl: str) -> list[str]:
    return re.findall(r"<w:t>([^<]*)</w:t>", tbl)


def test_a_long_table_becomes_parts_with_every_row_once_in_order_under_the_heading():
    rows = [row(f"F-{i:04d}") for i in range(449)] + [row("Totaal")]
    out = split_long_tables(body(table(rows)), rows=200)
    parts = tables_of(out)
    # 450 body rows in ceil(450 / 200) = 3 parts of ceil(450 / 3) = 150 rows
    assert [len(re.findall(r"<w:tr[ >]", t)) for t in parts] == [151, 151, 151]
    assert all(texts(t)[0] == "Factuur" and t.count("<w:tblHeader/>") == 1 for t in parts)
    assert [x for t in parts for x in texts(t)[1:]] == [f"F-{i:04d}" for i in range(449)] + ["Totaal"]
    assert out.count(SEPARATOR) == 2 and out.startswith("<w:body><w:p><w:r><w:t>Bijlage A") and out.endswith("<w:sectPr/></w:body>")
    # only the last part keeps the total-row look (Word's flags: 0x0040 is lastRow)
    looks = [re.search(r"<w:tblLook[^>]*/>", t).group() for t in parts]
    assert looks[-1] == LOOK
    assert looks[0] == looks[1] == '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:noHBand="0" w:noVBand="1"/>'


def test_a_part_never_starts_inside_a_vertical_merge():
    rows = [row(f"R{i}") for i in range(9)]
    rows[5] = row("R5", '<w:vMerge w:val="restart"/>')
    rows[6] = row("R6", "<w:vMerge/>")
    rows[7] = row("R7", '<w:vMerge w:val="continue"/>')
    parts = tables_of(split_long_tables(body(table(rows)), rows=6))
    # 9 rows in parts of 5: the second part would start at R5 (a restart: allowed)
    assert [texts(t)[1:] for t in parts] == [["R0", "R1", "R2", "R3", "R4"], ["R5", "R6", "R7", "R8"]]
    rows[5] = row("R5", "<w:vMerge/>")
    parts = tables_of(split_long_tables(body(table(rows)), rows=6))
    # now R5, R6 and R7 continue the merge that R4 would start: the first part runs on to R7
    assert [texts(t)[1:] for t in parts] == [["R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"], ["R8"]]


@pytest.mark.parametrize("xml", [
    body(table([row(f"F{i}") for i in range(200)])),  # exactly the limit
    body(table([row("F")] * 150), table([row("G")] * 150)),  # two tables, each short enough
    body(f"<w:tbl>{PROPS}{HEAD}<w:tr><w:tc>{table([row('x')] * 300)}</w:tc></w:tr></w:tbl>"),  # a table in a table
])
def test_tables_that_are_short_hold_tables_or_have_something_between_rows_stay_whole(xml):
    assert split_long_tables(xml, rows=200) == xml


def test_something_between_the_rows_of_a_long_table_keeps_it_whole():
    rows = [row(f"F{i}") for i in range(300)]
    xml = body(table(rows[:10]).replace("</w:tbl>", "") + '<w:bookmarkStart w:id="1" w:name="x"/>' + "".join(rows[10:]) + "</w:tbl>")
    assert split_long_tables(xml, rows=200) == xml


def test_a_rendered_document_has_the_same_rows_when_its_tables_are_cut(tmp_path, monkeypatch):
    """The demo's appendix for 2023 rendered whole and in parts of 10 rows: the same rows under the same headings;
    LibreOffice converts the cut one (when it is installed; in CI it must be)."""
    from conftest import need_soffice
    from pipeline import run
    from pipeline.render import documents, jaarverslag
    from tools import demo

    demo.generate(tmp_path / "inputs")
    data = run.run(tmp_path / "inputs", workers=1, today=date(2025, 12, 31))
    _, appendix = jaarverslag.split(jaarverslag.jaarverslag_context(data, 2023))

    def rendered(name: str) -> dict[tuple[str, ...], list[list[str]]]:
        path = documents.render(documents._job(data, "jaarverslag-bijlagen", appendix, tmp_path / f"{name}.docx", "t",
                                               documents.TEMPLATES))
        out: dict[tuple[str, ...], list[list[str]]] = {}
        for t in docx.Document(path).tables:
            out.setdefault(tuple(c.text for c in t.rows[0].cells), []).extend([c.text for c in r.cells] for r in t.rows[1:])
        return out

    whole = rendered("heel")
    monkeypatch.setattr(longtables, "CHUNK_ROWS", 10)
    cut = rendered("in-delen")
    assert cut == whole and max(len(rows) for rows in whole.values()) > 10
    n_whole = len(docx.Document(tmp_path / "heel.docx").tables)
    assert len(docx.Document(tmp_path / "in-delen.docx").tables) > n_whole
    need_soffice()
    from pipeline.render.pdf import convert_to_pdf

    [pdf] = convert_to_pdf([tmp_path / "in-delen.docx"], tmp_path / "pdf")
    assert pdf.stat().st_size > 0

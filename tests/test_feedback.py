"""Tests for pipeline.feedback: marked copies of school workbooks and the Bevindingen sheet."""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from conftest import need_soffice
from pipeline.render import pdf
from pipeline.render.marked import SHEET_NAME, mark_all, write_marked_copy
from pipeline.model import Finding

FILE = "12AB-2022-2023-1.xlsx"
HIRE = "12AB-2022-2023-1"
GENERATED = "Gemaakt op 1 maart 2023 (regels 1.0)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fnd(rule: str, severity: str, sheet: str, cell: str, message: str, source: str = "Handreiking NPO") -> Finding:
    return Finding(rule, severity, FILE, HIRE, sheet, cell, message, source)


@pytest.fixture(params=["plain", "commented"])
def engine(request) -> str:
    """Which source: a plain one, or one whose protected sheet holds a note of the school's own."""
    return request.param


@pytest.fixture
def source(tmp_path: Path, engine: str) -> Path:
    """A small workbook: an instruction sheet, a protected sheet with a defined name, a second sheet.

    "commented": the protected sheet also holds a cell note on a cell that gets findings.
    """
    wb = Workbook()
    ins = wb.active
    ins.title = "Instructie"
    ins["A1"] = "Inhuurwerkboek"
    ws = wb.create_sheet("1 Verkenning")
    ws["A5"], ws["B5"] = "BRIN-nummer", "12AB"
    ws["A6"], ws["B6"] = "Naam school", "De Regenboog"
    ws["A7"], ws["B7"] = "Startdatum", None
    if engine == "commented":
        ws["B6"].comment = Comment("Vul de officiële naam in.", "Sjabloon")
    ws.merge_cells("D2:F2")
    ws["D2"] = "Kop"
    ws.protection.sheet = True
    wb.defined_names["brin"] = DefinedName("brin", attr_text="'1 Verkenning'!$B$5")
    q = wb.create_sheet("Vragenlijst")
    q["A1"], q["C2"] = "Vraag", "Ja"
    path = tmp_path / "in" / FILE
    path.parent.mkdir()
    wb.save(path)
    return path


FINDINGS = [
    fnd("Q4", "waarschuwing", "Vragenlijst", "C2", "Vraag 2 is met Ja beantwoord zonder bewijs. Noem het keurmerk."),
    fnd("W3", "fout", "1 Verkenning", "B7", "Startdatum is leeg. Vul de startdatum in."),
    fnd("V3", "info", "1 Verkenning", "B5", "Controleer het BRIN-nummer."),
    fnd("P8", "waarschuwing", "1 Verkenning", "B6", "Ouders zijn niet geïnformeerd."),
    fnd("S2", "fout", "1 Verkenning", "B6", "Data staan in een onmogelijke volgorde."),
    fnd("A5", "info", "1 Verkenning", "B6", "Uurtarief wijkt af van de mediaan."),
    fnd("W2", "fout", "", "", "Dit is geen inhuurwerkboek van deze versie."),
    fnd("W2", "fout", "Bestaat niet", "A1", "Tabblad ontbreekt."),
    fnd("W5", "waarschuwing", "1 Verkenning", "E2", "Tekst buiten de invoervelden."),
    fnd("V1", "fout", "1 Verkenning", "ZZZZ99", "Ongeldige cel."),
]


def comment_boxes(path: Path) -> list[tuple[int, int, int, int]]:
    """(width px, height px, row, column) of every comment box, from the VML drawings (openpyxl does not read sizes back)."""
    boxes = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".vml"):
                vml = z.read(name).decode("utf-8")
                for shape in re.findall(r"<\w+:shape .*?</\w+:shape>", vml, re.S):
                    w, h = re.search(r"width:(\d+)px;height:(\d+)px", shape).groups()
                    r, c = re.search(r"Row>(\d+)<.*Column>(\d+)<", shape, re.S).groups()
                    boxes.append((int(w), int(h), int(r), int(c)))
    return boxes


def marked(source: Path, tmp_path: Path, findings=FINDINGS) -> Path:
    dest = tmp_path / "uit" / f"gemarkeerd-{FILE}"
    assert write_marked_copy(source, dest, findings, generated=GENERATED) == dest
    return dest


def test_cells_filled_and_commented(source: Path, tmp_path: Path) -> None:
    wb = load_workbook(marked(source, tmp_path))
    ws = wb["1 Verkenning"]
    assert ws["B7"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["B7"].font.color.rgb.endswith("9C0006")
    assert ws["B5"].fill.fgColor.rgb.endswith("DDEBF7")
    assert wb["Vragenlijst"]["C2"].fill.fgColor.rgb.endswith("FFEB9C")
    assert wb["Vragenlijst"]["C2"].font.color.rgb.endswith("9C5700")
    assert "[Q4 waarschuwing] Vraag 2 is met Ja beantwoord zonder bewijs." in wb["Vragenlijst"]["C2"].comment.text
    assert ws["B7"].comment.author == "Bestuursbureau"
    assert "[W3 fout]" in ws["B7"].comment.text
    assert ws["A5"].comment is None and ws["A5"].fill.fgColor.rgb in ("00000000", None)
    # the merged cell E2 is marked on the top-left cell of its range
    assert "[W5 waarschuwing]" in ws["D2"].comment.text
    # data untouched, protection kept
    assert ws["B5"].value == "12AB" and ws.protection.sheet


def test_strongest_severity_wins_and_original_comment_kept(source: Path, tmp_path: Path, engine: str) -> None:
    ws = load_workbook(marked(source, tmp_path))["1 Verkenning"]
    cell = ws["B6"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")  # fout beats waarschuwing and info
    text = cell.comment.text
    if engine == "commented":  # the school's note first, ours appended
        assert text.startswith("Vul de officiële naam in.")
    assert text.index("[S2 fout]") < text.index("[P8 waarschuwing]") < text.index("[A5 info]")
    boxes = comment_boxes(marked(source, tmp_path))
    heights = {(r, c): h for _, h, r, c in boxes}  # zero-based row and column
    ours = [w for w, _, r, c in boxes if (r, c) != (5, 1) or engine == "plain"]
    assert ours and all(w == 400 for w in ours)  # ~300 pt wide
    if engine == "plain":  # the school's own box keeps its size
        assert heights[(5, 1)] > heights[(6, 1)]  # B6 holds four texts, B7 one: the box grows with the text
    assert len(heights) == len(boxes)  # one box per cell: none added to the school's own


def test_bevindingen_sheet(source: Path, tmp_path: Path) -> None:
    wb = load_workbook(marked(source, tmp_path))
    assert wb.sheetnames[:2] == ["Instructie", SHEET_NAME]
    assert wb.active.title == SHEET_NAME
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET_NAME]
    ws = wb[SHEET_NAME]
    title = ws["A1"].value
    assert FILE in title and HIRE in title and GENERATED in title
    assert [c.value for c in ws[2]] == ["Ernst", "Regel", "Tabblad", "Cel", "Melding", "Bron"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert len(rows) == len(FINDINGS)
    severities = [r[0] for r in rows]
    assert severities == sorted(severities, key=["fout", "waarschuwing", "info"].index)
    fouten = [(r[2], r[3]) for r in rows if r[0] == "fout"]
    # whole-file first, then sheets in workbook order, then unknown sheets; cells in order
    assert ws["C3"].value is None and ws["D3"].value is None  # empty, not an empty string
    assert fouten == [(None, None), ("1 Verkenning", "B6"), ("1 Verkenning", "B7"),
                      ("1 Verkenning", "ZZZZ99"), ("Bestaat niet", "A1")]
    assert ws.auto_filter.ref == f"A2:F{2 + len(FINDINGS)}"
    assert ws.freeze_panes == "A3"
    # printed landscape and one page wide: the messages are long
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["E"].width >= 60
    by_cell = {(r[2], r[3]): i for i, r in enumerate(rows, start=3)}
    link = ws.cell(row=by_cell[("1 Verkenning", "B7")], column=4)
    assert link.hyperlink.location == "'1 Verkenning'!B7"
    assert link.style == "Hyperlink"
    assert ws.cell(row=by_cell[("Vragenlijst", "C2")], column=4).hyperlink.location == "'Vragenlijst'!C2"
    assert ws.cell(row=by_cell[("1 Verkenning", "B7")], column=5).alignment.wrap_text
    assert ws.cell(row=by_cell[("1 Verkenning", "B7")], column=5).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=by_cell[("1 Verkenning", "B5")], column=1).fill.fgColor.rgb.endswith("DDEBF7")
    # findings whose sheet or cell does not exist are listed, without a link
    missing = by_cell[("Bestaat niet", "A1")]
    assert rows[missing - 3][4] == "Tabblad ontbreekt."
    assert ws.cell(row=missing, column=4).hyperlink is None
    assert ws.cell(row=by_cell[("1 Verkenning", "ZZZZ99")], column=4).hyperlink is None
    assert rows[by_cell[(None, None)] - 3][4] == "Dit is geen inhuurwerkboek van deze versie."
    # the source's defined name survives
    assert wb.defined_names["brin"].attr_text == "'1 Verkenning'!$B$5"


def test_existing_bevindingen_sheet_replaced(source: Path, tmp_path: Path) -> None:
    first = marked(source, tmp_path)
    again = tmp_path / "opnieuw.xlsx"
    write_marked_copy(first, again, FINDINGS[:1], generated=GENERATED)
    wb = load_workbook(again)
    assert wb.sheetnames == load_workbook(first).sheetnames and wb.sheetnames.count(SHEET_NAME) == 1
    assert wb[SHEET_NAME].max_row == 3 and wb[SHEET_NAME]["B3"].value == FINDINGS[0].rule
    assert wb.active.title == SHEET_NAME and wb.defined_names["brin"].attr_text == "'1 Verkenning'!$B$5"
    assert wb["1 Verkenning"].protection.sheet


def test_no_findings(source: Path, tmp_path: Path) -> None:
    ws = load_workbook(marked(source, tmp_path, []))[SHEET_NAME]
    assert ws["A3"].value == "Geen bevindingen."


def test_source_unchanged_and_atomic(source: Path, tmp_path: Path) -> None:
    before = sha256(source)
    mtime = source.stat().st_mtime_ns
    dest = marked(source, tmp_path)
    assert sha256(source) == before and source.stat().st_mtime_ns == mtime
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]  # no temp file left behind
    with pytest.raises(ValueError):
        write_marked_copy(source, source, FINDINGS, generated=GENERATED)
    assert sha256(source) == before


def test_text_stays_inert(source: Path, tmp_path: Path) -> None:
    evil = [
        fnd("V3", "fout", "1 Verkenning", "B5", "=SUM(A1)"),
        fnd("=HYPERLINK(\"http://x\")", "waarschuwing", "+cmd", "", "@foo\x00\x07bar", "-1+1"),
        fnd("W4", "info", "", "", "\tTab\rCR"),
    ]
    wb = load_workbook(marked(source, tmp_path, evil))
    ws = wb[SHEET_NAME]
    cells = [c for row in ws.iter_rows(min_row=1) for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    values = {c.value for c in cells}
    assert "=SUM(A1)" in values and "-1+1" in values and "@foobar" in values
    assert "=HYPERLINK(\"http://x\")" in values
    assert all(c.quotePrefix for c in cells if c.value in ("=SUM(A1)", "-1+1", "@foobar"))
    assert "[V3 fout] =SUM(A1)" in wb["1 Verkenning"]["B5"].comment.text


def test_mark_all_parallel_and_broken_source(source: Path, tmp_path: Path) -> None:
    broken = tmp_path / "in" / "kapot.xlsx"
    broken.write_text("dit is geen zip-bestand", encoding="utf-8")
    out = tmp_path / "uit"
    jobs = [
        (source, out / "a.xlsx", FINDINGS),
        (broken, out / "b.xlsx", FINDINGS[:2]),
        (source, out / "c.xlsx", []),
    ]
    results = mark_all(jobs, GENERATED, workers=2)
    assert [d for d, _ in results] == [out / "a.xlsx", out / "b.xlsx", out / "c.xlsx"]
    assert results[0][1] is None and results[2][1] is None
    assert results[1][1] and "niet gemaakt" in results[1][1]
    assert not (out / "b.xlsx").exists()
    assert load_workbook(out / "a.xlsx").active.title == SHEET_NAME
    # serial path gives the same answer
    serial = mark_all(jobs, GENERATED, workers=1)
    assert [e is None for _, e in serial] == [True, False, True]


def test_real_template_keeps_names_and_tables(tmp_path: Path) -> None:
    from pipeline.render import workbook as template  # an import error of our own module must fail, not skip
    blank = tmp_path / "blank.xlsx"
    template.build().save(blank)
    original = load_workbook(blank)
    dest = tmp_path / "gemarkeerd.xlsx"
    f = fnd("W3", "fout", "1 Verkenning", "B5", "Het BRIN-nummer is leeg.")
    write_marked_copy(blank, dest, [f], generated=GENERATED)
    wb = load_workbook(dest)
    assert set(original.defined_names) <= set(wb.defined_names)
    for ws in original.worksheets:
        assert set(wb[ws.title].tables) == set(ws.tables)
        assert wb[ws.title].protection.sheet == ws.protection.sheet
    assert {t for ws in wb.worksheets for t in ws.tables} >= {"tblVragenlijst", "tblOffertes"}
    cell = wb["1 Verkenning"]["B5"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and "[W3 fout]" in cell.comment.text
    assert cell.protection.locked == original["1 Verkenning"]["B5"].protection.locked
    assert wb.sheetnames[1] == SHEET_NAME


def test_libreoffice_opens_marked_copy(source: Path, tmp_path: Path) -> None:
    need_soffice()
    (converted,) = pdf.convert_to_pdf([marked(source, tmp_path)], tmp_path / "pdf", timeout=120)
    assert converted.is_file() and converted.stat().st_size > 0

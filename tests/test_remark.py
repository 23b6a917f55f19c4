"""A school corrects the marked copy it got back and sends THAT file again: marking it again must show only this
round's findings. With W a workbook, F1 and F2 two sets of findings, M1 = W marked with F1, M2 = M1 marked with
F2 and M2' = W marked with F2: M2 must look like M2' (colours and notes), keep the school's own notes and values,
and have one Bevindingen sheet (pipeline.render.marked, module docstring)."""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from builders import good_fields, good_tables
from conftest import need_soffice
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Color, Font, PatternFill

from pipeline import ooxml
from pipeline.model import Finding
from pipeline.render import workbook as template
from pipeline.render.marked import (
    AUTHOR,
    COLOURS,
    RECORD_NAME,
    SHEET_NAME,
    write_marked_copy,
)

from test_xlsxmark import FILE, GENERATED, HIRE, MAIN, R_ID, REL, S  # the same workbook names and namespaces

SCHOOL = "School"


def fnd(rule: str, severity: str, sheet: str, cell: str) -> Finding:
    return Finding(rule, severity, FILE, HIRE, sheet, cell, f"Melding {rule} bij {cell}.", "Handreiking NPO")


START, BRIN, NAME = S.fields["startdatum"], S.fields["brin"], S.fields["school_naam"]
INVOICES = S.tables["tblFacturen"]

# kind -> (F1, F2, cells marked in F1 only: (sheet, target cell))
CASES = {
    "template": (
        [fnd("W3", "fout", START.sheet, START.cell),  # again in F2, as info: its font colour goes back
         fnd("A5", "info", BRIN.sheet, BRIN.cell),  # F1 only, with a note of the school
         fnd("P8", "waarschuwing", BRIN.sheet, BRIN.cell),
         fnd("W5", "waarschuwing", "1 Verkenning", "B2"),  # merged A2:C2: marked on A2
         fnd("A1", "waarschuwing", INVOICES.sheet, f"A{INVOICES.first_row}:E{INVOICES.first_row + 1}"),
         fnd("W5", "info", "5 Evaluatie", "H40"),  # a cell that does not exist yet
         fnd("X1", "opmerking", "3 Keuze", "B5"),  # unknown severity: a note, no colour
         fnd("V3", "fout", "3 Keuze", "B6"),  # the same in F2
         fnd("W2", "fout", "", "")],
        [fnd("W3", "info", START.sheet, START.cell),
         fnd("V3", "fout", "3 Keuze", "B6"),
         fnd("Q4", "waarschuwing", NAME.sheet, NAME.cell),
         fnd("W9", "fout", "3 Keuze", "B7")],
        {(BRIN.sheet, BRIN.cell), ("1 Verkenning", "A2"), (INVOICES.sheet, f"A{INVOICES.first_row}"),
         ("5 Evaluatie", "H40"), ("3 Keuze", "B5")},
    ),
    "own": (
        [fnd("V1", "fout", "Blad", "B2"), fnd("V2", "waarschuwing", "Blad", "B3"), fnd("V3", "info", "Blad", "B4"),
         fnd("V4", "fout", "Blad", "B5"), fnd("V5", "waarschuwing", "Blad", "E2"), fnd("V6", "fout", "Blad", "H9"),
         fnd("V7", "opmerking", "Blad", "B7")],
        [fnd("V1", "info", "Blad", "B2"), fnd("V8", "waarschuwing", "Blad", "B8"), fnd("V3", "fout", "Blad", "B4")],
        {("Blad", "B3"), ("Blad", "B5"), ("Blad", "D2"), ("Blad", "H9"), ("Blad", "B7")},
    ),
}


def _template_workbook(path: Path) -> Path:
    """The real template filled with a hire (start date empty), with notes of the school on a cell marked in F1
    and F2, on one marked in F1 only and on one never marked."""
    fields = good_fields()
    fields.pop("startdatum")
    wb = template.build()
    template.fill(wb, {k: v for k, v in fields.items() if v is not None}, good_tables())
    wb[START.sheet][START.cell].comment = Comment("Datum volgt nog.", SCHOOL)
    wb[BRIN.sheet][BRIN.cell].comment = Comment("Nagekeken door de directeur.", SCHOOL)
    wb["Vragenlijst"]["A1"].comment = Comment("Eigen opmerking van de school.", SCHOOL)
    wb.save(path)
    return path


def _own_workbook(path: Path) -> Path:
    """A workbook of the school's own making with unusual looks: theme colours with a tint, a pattern fill,
    our font colour and our fill colour as its own."""
    wb = Workbook()
    wb.active.title = "Instructie"
    wb.active["A1"] = "Inhuurwerkboek"
    ws = wb.create_sheet("Blad")
    ws["A1"] = "Kop"
    ws["B2"] = "thema"
    ws["B2"].fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.5999))
    ws["B2"].font = Font(color=Color(theme=5), italic=True)
    ws["B3"] = "gewoon"
    ws["B4"] = 12
    ws["B4"].fill = PatternFill("gray125", fgColor="00B050")
    ws["B4"].font = Font(color="FF0000", bold=True)
    ws["B5"] = "rood"
    ws["B5"].font = Font(color=COLOURS["fout"][1])  # our font colour, as the school's own
    ws["B6"] = "geel"
    ws["B6"].fill = PatternFill("solid", fgColor=COLOURS["waarschuwing"][0])  # our fill, never marked: stays
    ws.merge_cells("D2:F2")
    ws["D2"] = "Samengevoegd"
    ws["B2"].comment = Comment("Ook in F2.", SCHOOL)
    ws["B3"].comment = Comment("Alleen in F1.", SCHOOL)
    ws["A1"].comment = Comment("Nooit gemarkeerd.", SCHOOL)
    wb.custom_doc_props.append(StringProperty(name="Afdeling", value="Onderbouw"))  # a property of the school's
    wb.save(path)
    return path


@pytest.fixture(params=sorted(CASES))
def kind(request) -> str:
    return request.param


@pytest.fixture
def source(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / "in" / FILE
    path.parent.mkdir()
    return (_template_workbook if kind == "template" else _own_workbook)(path)


def mark(source: Path, dest: Path, findings) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    assert write_marked_copy(source, dest, findings, generated=GENERATED) == dest
    return dest


@pytest.fixture
def rounds(kind: str, source: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """(M1, M2, M2')."""
    f1, f2, _ = CASES[kind]
    m1 = mark(source, tmp_path / "m1" / FILE, f1)
    before = hashlib.sha256(m1.read_bytes()).hexdigest()
    m2 = mark(m1, tmp_path / "m2" / FILE, f2)
    assert hashlib.sha256(m1.read_bytes()).hexdigest() == before  # the input is never written
    return m1, m2, mark(source, tmp_path / "m2-vers" / FILE, f2)


# --------------------------------------------------------------------------- reading the copies


# the theme openpyxl writes (Office 2007): LibreOffice writes no theme and turns theme colours into these RGBs
THEME = ("FFFFFF", "000000", "EEECE1", "1F497D", "4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646")


def _colour(c, raw: bool = False) -> tuple | None:
    """A colour as it shows: a theme colour without tint as its RGB (`raw`: as the file says it)."""
    if c is None:
        return None
    if not raw and c.type == "theme" and not c.tint and c.value < len(THEME):
        return "rgb", THEME[c.value], 0
    value = c.rgb[-6:].upper() if c.type == "rgb" else c.value
    return c.type, value, round(c.tint or 0, 4)


def _look(cell, raw: bool = False) -> tuple:
    """Fill (type, colour) and font colour of a cell, as Excel shows them."""
    f = cell.fill
    return (f.fill_type, _colour(f.fgColor, raw) if f.fill_type else None), _colour(cell.font.color, raw)


def looks(path: Path, cells=None, raw: bool = False) -> dict:
    """(sheet, cell) -> look, of `cells` or of every cell the file has (the Bevindingen sheet left out)."""
    wb = load_workbook(path)
    if cells is None:
        cells = {(ws.title, c.coordinate) for ws in wb.worksheets if ws.title != SHEET_NAME
                 for row in ws.iter_rows() for c in row}
    return {(sheet, ref): _look(wb[sheet][ref], raw) for sheet, ref in cells}


def all_cells(*paths: Path) -> set:
    out = set()
    for path in paths:
        wb = load_workbook(path)
        out |= {(ws.title, c.coordinate) for ws in wb.worksheets if ws.title != SHEET_NAME
                for row in ws.iter_rows() for c in row}
    return out


def notes(path: Path, author: str | None = None) -> dict:
    """(sheet, cell) -> (author, text) of every comment (by `author` only, when given)."""
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): (c.comment.author, c.comment.text) for ws in wb.worksheets
            for row in ws.iter_rows() for c in row
            if c.comment is not None and (author is None or c.comment.author == author)}


def boxes(path: Path) -> dict:
    """sheet -> sorted (row, column) of the note boxes (VML shapes) in the sheet's drawing, 1-based."""
    out = {}
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        book = etree.fromstring(z.read("xl/workbook.xml"))
        wb_rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        for sheet in book.iter(f"{MAIN}sheet"):
            part = ooxml.resolve("xl/workbook.xml", wb_rels[sheet.get(R_ID)])
            rels_name = ooxml.rels_part(part)
            found = []
            if rels_name in names:
                for r in etree.fromstring(z.read(rels_name)):
                    if r.get("Type").endswith("/vmlDrawing"):
                        vml = z.read(ooxml.resolve(part, r.get("Target")))
                        for shape in re.findall(rb"<(?:\w+:)?shape\b.*?</(?:\w+:)?shape>", vml, re.DOTALL):
                            if b'ObjectType="Note"' in shape:
                                row = int(re.search(rb"Row>(\d+)<", shape).group(1))
                                col = int(re.search(rb"Column>(\d+)<", shape).group(1))
                                found.append((row + 1, col + 1))
            out[sheet.get("name")] = sorted(found)
    return out


def noted_cells(path: Path) -> dict:
    """sheet -> sorted (row, column) of the cells with a comment: what the boxes must be."""
    wb = load_workbook(path)
    return {ws.title: sorted((c.row, c.column) for row in ws.iter_rows() for c in row if c.comment is not None)
            for ws in wb.worksheets}


def values(path: Path) -> dict:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets if ws.title != SHEET_NAME
            for row in ws.iter_rows() for c in row if c.value is not None}


def custom_properties(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("docProps/custom")]
        return [name for n in names for name in re.findall(r'name="([^"]*)"', z.read(n).decode())]


def marked_cells(kind: str) -> set:
    f1, f2, _ = CASES[kind]
    out = set()
    merged = {("1 Verkenning", "B2"): "A2", ("Blad", "E2"): "D2"}
    for f in (*f1, *f2):
        if f.sheet:
            out.add((f.sheet, merged.get((f.sheet, f.cell), f.cell.split(":")[0])))
    return out


# --------------------------------------------------------------------------- the properties


def test_remarked_cells_look_like_a_fresh_copy(kind: str, source: Path, rounds) -> None:
    """Every cell of M2 has the fill and font colour it has in M2'; a cell marked in F1 only looks as in W."""
    m1, m2, fresh = rounds
    cells = all_cells(m2, fresh)
    assert marked_cells(kind) <= cells
    assert looks(m2, cells) == looks(fresh, cells)
    only_f1 = CASES[kind][2]
    assert looks(m2, only_f1) == looks(source, only_f1)
    assert looks(m1, only_f1) != looks(source, only_f1)  # (M1 did mark them)


def test_remarked_copy_has_only_this_rounds_notes(kind: str, source: Path, rounds) -> None:
    """Our notes in M2 are exactly those of F2; the school's notes are kept as in M2'; no stale note boxes; one
    Bevindingen sheet; the school's values as in M1."""
    m1, m2, fresh = rounds
    assert notes(m2, AUTHOR) == notes(fresh, AUTHOR)
    assert notes(m2) == notes(fresh)  # the school's notes too, with our F2 notes appended where they are
    school = notes(source)
    assert school and all(author == SCHOOL for author, _ in school.values())
    f2_cells = {(f.sheet, f.cell) for f in CASES[kind][1]}
    for key, (author, text) in school.items():
        got_author, got = notes(m2)[key]
        assert got_author == SCHOOL and (got == text if key not in f2_cells else got.startswith(text + "\n\n"))
    assert boxes(m2) == noted_cells(m2) == boxes(fresh)
    wb = load_workbook(m2)
    assert [n.casefold() for n in wb.sheetnames].count(SHEET_NAME.casefold()) == 1
    assert sorted(r[1].value for r in wb[SHEET_NAME].iter_rows(min_row=3)) == sorted(f.rule for f in CASES[kind][1])
    assert values(m2) == values(m1)


def test_remarked_without_findings_is_the_school_workbook_again(source: Path, tmp_path: Path, kind: str) -> None:
    """M1 marked with no findings: no note of ours, no box of them, every cell as in W, no record left."""
    m1 = mark(source, tmp_path / "m1" / FILE, CASES[kind][0])
    m2 = mark(m1, tmp_path / "m2" / FILE, [])
    assert notes(m2, AUTHOR) == {} and notes(m2) == notes(source)
    assert boxes(m2) == noted_cells(m2)
    cells = all_cells(m2, source)
    assert looks(m2, cells) == looks(source, cells)
    assert any(name.startswith(RECORD_NAME) for name in custom_properties(m1))
    assert custom_properties(m2) == custom_properties(source)  # the record went, the school's properties stay


def test_school_changes_after_marking_are_kept(source: Path, tmp_path: Path, kind: str) -> None:
    """M1 opened and saved by another program (openpyxl: every style renumbered); the school fixed one marked
    cell and gave another a look of its own. Marking again restores our colours only."""
    f1, f2, only_f1 = CASES[kind]
    m1 = mark(source, tmp_path / "m1" / FILE, f1)
    wb = load_workbook(m1)
    own_sheet, own_cell = min(only_f1)
    fixed_sheet, fixed_cell = max(only_f1)
    wb[own_sheet][own_cell].fill = PatternFill("solid", fgColor="92D050")  # green: the school's own
    wb[fixed_sheet][fixed_cell].value = "verbeterd"
    resaved = tmp_path / "school" / FILE
    resaved.parent.mkdir()
    wb.save(resaved)
    m2 = mark(resaved, tmp_path / "m2" / FILE, f2)
    fresh = mark(source, tmp_path / "m2-vers" / FILE, f2)
    assert _look(load_workbook(m2)[own_sheet][own_cell])[0] == ("solid", ("rgb", "92D050", 0))
    others = marked_cells(kind) - {(own_sheet, own_cell)}
    assert looks(m2, others) == looks(fresh, others)
    assert notes(m2, AUTHOR) == notes(fresh, AUTHOR)
    school = {k: v[1] for k, v in notes(fresh).items()}
    assert {k: v[1] for k, v in notes(m2).items()} == school


def test_copy_marked_before_records_were_kept(tmp_path: Path) -> None:
    """A marked copy without the record (made before it was kept): our notes are recognised by their author
    and text and go; cells with our colours get the template's look back."""
    source = _template_workbook(tmp_path / FILE)
    f1, f2, _ = CASES["template"]
    m1 = mark(source, tmp_path / "m1" / FILE, f1)
    old = tmp_path / "oud" / FILE
    old.parent.mkdir()
    with zipfile.ZipFile(m1) as z, zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            out.writestr(info, data.replace(RECORD_NAME.encode(), b"Iets anders") if info.filename.startswith(
                "docProps/custom") else data)
    m2 = mark(old, tmp_path / "m2" / FILE, f2)
    fresh = mark(source, tmp_path / "m2-vers" / FILE, f2)
    assert notes(m2, AUTHOR) == notes(fresh, AUTHOR)
    assert {k: v[1] for k, v in notes(m2).items()} == {k: v[1] for k, v in notes(fresh).items()}
    assert boxes(m2) == noted_cells(m2)
    cells = marked_cells("template")
    assert looks(m2, cells) == looks(fresh, cells)


# --------------------------------------------------------------------------- LibreOffice saved M1


def test_remark_after_libreoffice_saved_the_copy(kind: str, source: Path, tmp_path: Path) -> None:
    """The school opened M1 in LibreOffice Calc and saved it (styles renumbered, comment authors lost): M2 looks
    like W saved by LibreOffice and marked with F2."""
    soffice = need_soffice()
    from test_xlsxmark import soffice_xlsx

    f1, f2, only_f1 = CASES[kind]
    m1 = mark(source, tmp_path / "m1" / FILE, f1)
    m1_lo = soffice_xlsx(m1, tmp_path / "lo-m1", soffice)
    w_lo = soffice_xlsx(source, tmp_path / "lo-w", soffice)
    m2 = mark(m1_lo, tmp_path / "m2" / FILE, f2)
    fresh = mark(w_lo, tmp_path / "m2-vers" / FILE, f2)
    cells = marked_cells(kind)
    assert looks(m2, cells) == looks(fresh, cells)
    # no theme colour comes back into a package without a theme: as LibreOffice wrote them, in RGB
    assert looks(m2, only_f1, raw=True) == looks(w_lo, only_f1, raw=True)
    assert notes(m2, AUTHOR) == notes(fresh, AUTHOR)
    assert {k: v[1] for k, v in notes(m2).items()} == {k: v[1] for k, v in notes(fresh).items()}
    assert boxes(m2) == noted_cells(m2)
    wb = load_workbook(m2)
    assert [n.casefold() for n in wb.sheetnames].count(SHEET_NAME.casefold()) == 1
    assert values(m2) == values(m1_lo)


def test_rows_inserted_after_marking(tmp_path: Path) -> None:
    """The school inserted a row above the marked cells (openpyxl moves the cells with their notes and looks):
    the notes are found by the recorded text, and their cells get their own look back."""
    source = _own_workbook(tmp_path / FILE)
    m1 = mark(source, tmp_path / "m1" / FILE, CASES["own"][0])
    moved = {}
    for name, path in (("m1", m1), ("w", source)):
        wb = load_workbook(path)
        wb["Blad"].unmerge_cells("D2:F2")  # openpyxl does not move merged ranges
        wb["Blad"].insert_rows(1)
        moved[name] = tmp_path / "verschoven" / f"{name}.xlsx"
        moved[name].parent.mkdir(exist_ok=True)
        wb.save(moved[name])
    m2 = mark(moved["m1"], tmp_path / "m2" / FILE, [])
    assert notes(m2, AUTHOR) == {}
    assert {k: v[1] for k, v in notes(m2).items()} == {k: v[1] for k, v in notes(moved["w"]).items()}
    cells = all_cells(m2, moved["w"])
    assert looks(m2, cells) == looks(moved["w"], cells)


def test_excel365_threaded_comment_gets_its_placeholder_back(tmp_path: Path) -> None:
    """A threaded comment (Excel 365) whose legacy placeholder got our note appended: marked again without a
    finding there, the placeholder is the school's text again and the thread parts are untouched."""
    from test_xlsxmark import _excel365

    source = _excel365(_template_workbook(tmp_path / "notities.xlsx"), tmp_path / FILE)
    f1 = [*CASES["template"][0], fnd("Q1", "fout", "Vragenlijst", "A1")]
    m1 = mark(source, tmp_path / "m1" / FILE, f1)
    assert "[Q1 fout]" in notes(m1)[("Vragenlijst", "A1")][1]
    m2 = mark(m1, tmp_path / "m2" / FILE, CASES["template"][1])
    fresh = mark(source, tmp_path / "m2-vers" / FILE, CASES["template"][1])
    assert notes(m2) == notes(fresh)
    assert notes(m2)[("Vragenlijst", "A1")] == notes(source)[("Vragenlijst", "A1")]
    assert boxes(m2) == noted_cells(m2)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(m2) as b:
        for name in ("xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml"):
            assert a.read(name) == b.read(name)


def test_many_marks_are_recorded_in_short_properties(tmp_path: Path) -> None:
    """Hundreds of marked cells: the record is split over properties Excel keeps whole (255 characters at most),
    and all of them are taken away again."""
    source = _own_workbook(tmp_path / FILE)
    f1 = [fnd(f"V{r}", ("fout", "waarschuwing", "info")[r % 3], "Blad", f"C{r}") for r in range(1, 400)]
    m1 = mark(source, tmp_path / "m1" / FILE, f1)
    m2 = mark(m1, tmp_path / "m2" / FILE, CASES["own"][1])
    fresh = mark(source, tmp_path / "m2-vers" / FILE, CASES["own"][1])
    assert notes(m2) == notes(fresh) and boxes(m2) == noted_cells(m2)
    cells = all_cells(m2, fresh)
    assert looks(m2, cells) == looks(fresh, cells)
    with zipfile.ZipFile(m1) as z:
        props = etree.fromstring(z.read("docProps/custom.xml"))
    texts = [p[0].text for p in props if p.get("name").startswith(RECORD_NAME)]
    assert len(texts) > 10 and all(len(t) <= 255 for t in texts)


BUTTON_VML = (
    b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
    b'data="5"/></o:shapelayout><v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" '
    b'path="m,l,21600r21600,l21600,xe"/><v:shape id="_x0000_s5121" type="#_x0000_t201" '
    b'style="position:absolute;z-index:1"><x:ClientData ObjectType="Button"><x:Anchor>1, 0, 1, 0, 2, 0, 2, 0'
    b'</x:Anchor></x:ClientData></v:shape></xml>')


def _with_button(source: Path, dest: Path) -> Path:
    """`source` with a form button in a legacy drawing of its own on the first sheet (no comments there)."""
    with zipfile.ZipFile(source) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"legacyDrawing" not in files[sheet] and "xl/worksheets/_rels/sheet1.xml.rels" not in files
    files["xl/drawings/vmlDrawing9.vml"] = BUTTON_VML
    files["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" '
        b'Target="../drawings/vmlDrawing9.vml"/></Relationships>')
    xml = files[sheet]
    if b"xmlns:r=" not in xml:
        xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                                          b'2006/relationships" ', 1)
    files[sheet] = re.sub(rb"(<pageMargins[^>]*/>)", rb'\1<legacyDrawing r:id="rId1"/>', xml, count=1)
    assert b"<legacyDrawing" in files[sheet]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return dest


def test_drawing_with_a_button_stays(tmp_path: Path) -> None:
    """Our notes joined a drawing that holds a form button: marked again without them, the button stays."""
    source = _with_button(_own_workbook(tmp_path / "eigen.xlsx"), tmp_path / FILE)
    m1 = mark(source, tmp_path / "m1" / FILE, [*CASES["own"][0], fnd("V9", "fout", "Instructie", "A2")])
    assert ("Instructie", "A2") in notes(m1, AUTHOR)
    m2 = mark(m1, tmp_path / "m2" / FILE, CASES["own"][1])
    assert ("Instructie", "A2") not in notes(m2) and boxes(m2) == noted_cells(m2)
    with zipfile.ZipFile(m2) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
        vml = z.read("xl/drawings/vmlDrawing9.vml")
        assert b"<legacyDrawing" in sheet and b'ObjectType="Button"' in vml and b'ObjectType="Note"' not in vml
        assert b"/comments" not in z.read("xl/worksheets/_rels/sheet1.xml.rels")  # the emptied part went
    assert looks(m2, {("Instructie", "A2")}) == looks(source, {("Instructie", "A2")})


def test_a_damaged_properties_part_does_not_stop_the_copy(tmp_path: Path) -> None:
    """docProps/custom.xml that is no XML: the copy is made all the same, without a record."""
    source = _own_workbook(tmp_path / "eigen.xlsx")
    broken = tmp_path / FILE
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info, b"<Properties" if info.filename == "docProps/custom.xml" else z.read(info))
    m1 = mark(broken, tmp_path / "m1" / FILE, CASES["own"][0])
    m2 = mark(m1, tmp_path / "m2" / FILE, [])  # openpyxl cannot read these; the parts are checked directly

    def texts(path: Path) -> str:
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode() for n in z.namelist() if re.search(r"/comments?\d*\.xml$", n))

    assert "[V1 fout]" in texts(m1) and "Melding V" not in texts(m2) and "Nooit gemarkeerd." in texts(m2)


def test_damaged_notes_on_a_sheet_not_marked(tmp_path: Path) -> None:
    """A comments part that is no XML on a sheet without findings: the copy is made (as before marking again)."""
    source = _own_workbook(tmp_path / "eigen.xlsx")
    wb = load_workbook(source)
    wb["Instructie"]["B9"].comment = Comment("Kapot.", SCHOOL)
    wb.save(source)
    broken = tmp_path / FILE
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            out.writestr(info, data.replace(b"<commentList>", b"<commentList") if b"Kapot." in data else data)
    m1 = mark(broken, tmp_path / "m1" / FILE, CASES["own"][0])
    with zipfile.ZipFile(m1) as z:
        assert any(b"[V1 fout]" in z.read(n) for n in z.namelist() if n.endswith(".xml"))

"""Tests for the marked copies (pipeline.render.marked through xlsxpatch): the marks, notes and the Bevindingen
sheet are checked directly, and everything of the school's workbook is compared with openpyxl READING both files."""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from builders import good_fields, good_tables
from conftest import need_soffice, once_per_file
from pipeline.render import marked as feedback
from pipeline.render import pdf
from pipeline.read import workbook as reader
from pipeline import ooxml
from pipeline import spec as spec_mod
from pipeline.render import workbook as template
from pipeline.render import xlsxparts, xlsxpatch
from pipeline.render.marked import COLOURS, SHEET_NAME, MarkedCopyError, write_marked_copy
from pipeline.model import Finding

S = spec_mod.load()
FILE = "12AB-2022-2023-1.xlsx"
HIRE = "12AB-2022-2023-1"
GENERATED = "Gemaakt op 1 maart 2023 (regels 1.0)"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FILLS = {fill for fill, _ in COLOURS.values()}


def fnd(rule: str, severity: str, sheet: str, cell: str, message: str = "Melding.") -> Finding:
    return Finding(rule, severity, FILE, HIRE, sheet, cell, message, "Handreiking NPO")


START = S.fields["startdatum"]
BRIN = S.fields["brin"]
INVOICES = S.tables["tblFacturen"]
FINDINGS = [
    fnd("W3", "fout", START.sheet, START.cell, "Startdatum is leeg."),
    fnd("A5", "info", BRIN.sheet, BRIN.cell, "Controleer het BRIN-nummer."),
    fnd("P8", "waarschuwing", BRIN.sheet, BRIN.cell, "Nog een melding op dezelfde cel."),
    fnd("W5", "waarschuwing", "1 Verkenning", "B2", "In een samengevoegde cel."),  # merged A2:C2
    fnd("A1", "waarschuwing", INVOICES.sheet, f"A{INVOICES.first_row}:E{INVOICES.first_row + 1}", "Een bereik."),
    fnd("W5", "info", "5 Evaluatie", "H40", "Een cel die nog niet bestaat."),
    fnd("X1", "opmerking", "3 Keuze", "B5", "Een onbekende ernst: wel een opmerking, geen kleur."),
    fnd("V3", "fout", "3 Keuze", "B6", "=SUM(A1)"),
    fnd("W2", "fout", "", "", "Dit is geen inhuurwerkboek van deze versie."),
    fnd("W2", "fout", "Bestaat niet", "A1", "Tabblad ontbreekt."),
    fnd("V1", "fout", "1 Verkenning", "ZZZZ99", "Ongeldige cel."),
    fnd("W4", "info", "Lijsten", "", "Het hele tabblad."),
]


@pytest.fixture(scope="module")
def filled_once(tmp_path_factory) -> Path:
    """The real template filled with a hire (start date left empty), with print titles, a print area,
    a sheet-scoped name on sheets after the new sheet's place, and the instruction tab selected."""
    fields = good_fields()
    fields.pop("startdatum")
    wb = template.build()
    template.fill(wb, {k: v for k, v in fields.items() if v is not None}, good_tables(),
                  below_table={"tblFacturen": [["F-9", None, 100, 21, "onder de tabel"]]})
    wb[INVOICES.sheet].print_title_rows = f"1:{INVOICES.header_row}"
    wb["5 Evaluatie"].print_area = "A1:C9"
    wb["Vragenlijst"].defined_names["lokaal"] = DefinedName("lokaal", attr_text="'Vragenlijst'!$A$1")
    wb["Instructie"].sheet_view.tabSelected = True
    dv = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
    wb["Vragenlijst"].add_data_validation(dv)
    dv.add("H3:H9")  # a dropdown of the school's own, next to the template's
    path = tmp_path_factory.mktemp("in") / FILE
    wb.save(path)
    return path


@pytest.fixture
def filled(filled_once: Path, tmp_path: Path) -> Path:
    """A test's own copy of the filled workbook (built once per module)."""
    path = tmp_path / "in" / FILE
    path.parent.mkdir()
    shutil.copyfile(filled_once, path)
    return path


def copy_of(source: Path, dest: Path, findings=FINDINGS) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    assert write_marked_copy(source, dest, findings, generated=GENERATED) == dest
    return dest


@pytest.fixture
def copy(filled: Path, tmp_path: Path) -> Path:
    return copy_of(filled, tmp_path / "uit" / FILE)


def with_openpyxl(source: Path, dest: Path, change) -> Path:
    """An input workbook: `source` changed by `change(wb)` and saved by openpyxl (building inputs, not copies)."""
    wb = load_workbook(source)
    change(wb)
    wb.save(dest)
    return dest


def _rgb(colour) -> str | None:
    return colour.rgb[-6:] if colour is not None and colour.type == "rgb" else None


def marks(path: Path) -> dict:
    """Per original sheet and cell: fill colour, font colour, comment text and author, for marked cells."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title == SHEET_NAME:
            continue
        for row in ws.iter_rows():
            for c in row:
                fill = _rgb(c.fill.fgColor) if c.fill.fill_type == "solid" else None
                if c.comment is not None or fill in ("FFC7CE", "FFEB9C", "DDEBF7"):
                    out[(ws.title, c.coordinate)] = (fill, _rgb(c.font.color), c.comment and c.comment.text,
                                                     c.comment and c.comment.author)
    return out


def listing(path: Path) -> dict:
    """The Bevindingen sheet: values, fills, links, filter, frozen rows, widths, tab colour."""
    ws = load_workbook(path)[SHEET_NAME]
    cells = {c.coordinate: (c.value, c.data_type if c.value is not None else None,
                            _rgb(c.fill.fgColor) if c.fill.fill_type == "solid" else None,
                            c.hyperlink.location if c.hyperlink else None, bool(c.alignment.wrap_text),
                            c.alignment.vertical, bool(c.font.b))
             for row in ws.iter_rows() for c in row}
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
    return {"cells": cells, "filter": ws.auto_filter.ref, "freeze": ws.freeze_panes, "widths": widths,
            "tab": _rgb(ws.sheet_properties.tabColor)}


def structure(path: Path) -> dict:
    wb = load_workbook(path)
    return {
        "sheets": wb.sheetnames,
        "active": wb.active.title,
        "selected": [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected],
        "names": {n: d.attr_text for n, d in wb.defined_names.items()},
        "local": {ws.title: {n: d.attr_text for n, d in ws.defined_names.items()} for ws in wb.worksheets},
        "print": {ws.title: (ws.print_title_rows, str(ws.print_area)) for ws in wb.worksheets},
        "tables": {ws.title: dict(ws.tables.items()) for ws in wb.worksheets},
        "protected": {ws.title: ws.protection.sheet for ws in wb.worksheets},
    }


# `path` loaded by openpyxl once per file as written: the helpers below only read, and one check of a marked copy
# asks for the same two workbooks a dozen times (a finding's cell, names, values, each note)
opened = once_per_file(maxsize=8)(load_workbook)


def values(path: Path, skip: str = SHEET_NAME) -> dict:
    wb = opened(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets if ws.title.casefold() != skip.casefold()
            for row in ws.iter_rows() for c in row if c.value is not None}


def keeps(path: Path) -> dict:
    """What a marked copy must keep of the school's workbook: names, tables, dropdowns, protection, comments."""
    wb = opened(path)
    sheets = [ws for ws in wb.worksheets if ws.title.casefold() != SHEET_NAME.casefold()]
    on_old_sheet = re.compile(rf"(?i)'?{SHEET_NAME}'?!")  # a name on a Bevindingen sheet goes with that sheet
    return {
        "names": {n: d.attr_text for n, d in wb.defined_names.items() if not on_old_sheet.search(d.attr_text or "")},
        "local": {ws.title: {n: d.attr_text for n, d in ws.defined_names.items()} for ws in sheets},
        "print": {ws.title: (ws.print_title_rows, str(ws.print_area)) for ws in sheets},
        "tables": {ws.title: dict(ws.tables.items()) for ws in sheets},
        "validations": {ws.title: sorted((str(v.sqref), v.type, v.formula1, v.allow_blank)
                                         for v in ws.data_validations.dataValidation) for ws in sheets},
        "protected": {ws.title: (ws.protection.sheet, ws.protection.password) for ws in sheets},
        "workbook_protection": wb.security.lockStructure if wb.security is not None else None,
        "sheets": [ws.title for ws in sheets],
    }


def comments(path: Path, author: str | None = None) -> dict:
    """(sheet, cell) -> comment text, of every comment (by `author` only, when given)."""
    wb = opened(path)
    return {(ws.title, c.coordinate): c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.comment is not None and (author is None or c.comment.author == author)}


def hire_values(path: Path) -> tuple[dict, dict]:
    hire = reader.read(path).hire
    assert hire is not None
    return ({k: c.value for k, c in hire.fields.items()},
            {t: [[c.value for c in r.cells.values()] for r in rows] for t, rows in hire.tables.items()})


def target_cell(path: Path, f: Finding) -> str | None:
    """The cell that marks finding `f` (top-left of a merged range or of a range), or None when there is none."""
    wb = opened(path)
    if f.sheet not in wb.sheetnames or f.sheet == SHEET_NAME or not f.cell or wb[f.sheet].__class__.__name__ != "Worksheet":
        return None
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d{1,7})(?::.*)?", f.cell)
    if m is None or len(m.group(1)) > 3 or m.group(1) > "XFD" and len(m.group(1)) == 3:
        return None
    ref = f"{m.group(1)}{m.group(2)}"
    ws = wb[f.sheet]
    for rng in ws.merged_cells.ranges:
        if ref in rng:
            return rng.start_cell.coordinate
    return ref


def assert_marked_copy(source: Path, copy: Path, findings) -> None:
    """Every finding marked at its cell and listed; the school's workbook otherwise unchanged."""
    wb = opened(copy)
    for f in findings:
        cell = target_cell(source, f)
        if cell is None:
            continue
        c = wb[f.sheet][cell]
        assert c.comment is not None and f"[{f.rule} " in c.comment.text, (f, cell)
        if f.severity in COLOURS:
            assert c.fill.fill_type == "solid" and _rgb(c.fill.fgColor) in FILLS, (f, cell)
    assert [n.casefold() for n in wb.sheetnames].count(SHEET_NAME.casefold()) == 1
    ws = wb[SHEET_NAME]
    listed = [tuple(c.value or "" for c in row[1:4]) for row in ws.iter_rows(min_row=3)]
    assert sorted(listed) == sorted((f.rule, f.sheet, f.cell) for f in findings) or (not findings and len(listed) == 1)
    assert wb.active.title == SHEET_NAME
    assert keeps(copy) == keeps(source)
    assert values(copy) == values(source)
    ours = comments(copy, feedback.AUTHOR)
    earlier = comments(source, feedback.AUTHOR)  # a copy marked before: its notes of ours go (tests/test_remark.py)
    for key, text in comments(source).items():  # the school's own notes: kept, ours appended
        if key not in earlier:
            assert comments(copy)[key].startswith(text.rstrip()), key
    assert all(text for text in ours.values())
    with zipfile.ZipFile(copy) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # well-formed


# --------------------------------------------------------------------------- the marks, the sheet, the rest kept


def test_marked_copy_properties(copy: Path, filled: Path) -> None:
    assert_marked_copy(filled, copy, FINDINGS)


def test_marks_at_the_right_cells(copy: Path) -> None:
    got = marks(copy)
    assert got[(START.sheet, START.cell)][:2] == ("FFC7CE", "9C0006")
    fill, font, text, author = got[(BRIN.sheet, BRIN.cell)]
    assert (fill, font, author) == ("FFEB9C", "9C5700", "Bestuursbureau")
    assert text.index("[P8 waarschuwing]") < text.index("[A5 info]")
    assert got[("1 Verkenning", "A2")][0] == "FFEB9C"  # merged cell: its top-left cell
    assert got[(INVOICES.sheet, f"A{INVOICES.first_row}")][0] == "FFEB9C"  # a range: its first cell
    assert got[("5 Evaluatie", "H40")][0] == "DDEBF7"  # a cell the sheet did not have yet
    unknown = got[("3 Keuze", "B5")]  # keeps the input cell's own white fill
    assert unknown[0] not in ("FFC7CE", "FFEB9C", "DDEBF7") and "[X1 opmerking]" in unknown[2]
    assert "[V3 fout] =SUM(A1)" in got[("3 Keuze", "B6")][2]
    assert not any(sheet in ("Bestaat niet", "Lijsten") for sheet, _ in got)
    assert not any(cell == "ZZZZ99" for _, cell in got)


def test_bevindingen_sheet_in_place_and_active(copy: Path, filled: Path) -> None:
    fast = copy
    before = load_workbook(filled).sheetnames
    st = structure(fast)
    assert st["sheets"] == [before[0], SHEET_NAME, *before[1:]]
    assert st["active"] == SHEET_NAME and st["selected"] == [SHEET_NAME]
    sheet = listing(fast)
    assert sheet["freeze"] == "A3" and sheet["filter"] == f"A2:F{2 + len(FINDINGS)}"
    links = {v[3] for v in sheet["cells"].values() if v[3]}
    assert f"'{START.sheet}'!{START.cell}" in links and "'1 Verkenning'!B2" in links
    assert f"'{INVOICES.sheet}'!A{INVOICES.first_row}:E{INVOICES.first_row + 1}" in links
    assert "'Lijsten'!A1" in links and not any("Bestaat niet" in link or "ZZZZ99" in link for link in links)
    ws = load_workbook(fast)[SHEET_NAME]
    linked = [c for row in ws.iter_rows(min_row=3) for c in row if c.hyperlink]
    assert linked and all(c.style == "Hyperlink" for c in linked)
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value is not None)
    risky = [c for row in ws.iter_rows() for c in row if c.value == "=SUM(A1)"]
    assert risky and all(c.quotePrefix for c in risky)


def test_names_tables_and_local_sheet_ids(copy: Path, filled: Path) -> None:
    fast = copy
    original, st = structure(filled), structure(fast)
    assert st["names"] == original["names"]
    assert st["tables"] == {**original["tables"], SHEET_NAME: {}}
    for title, local in original["local"].items():
        assert st["local"][title] == local
        assert st["print"][title] == original["print"][title]
    assert st["print"][INVOICES.sheet][0] == f"$1:${INVOICES.header_row}"
    # localSheetId in workbook.xml counts sheets by position: every sheet after the new one moved up by one
    with zipfile.ZipFile(fast) as z:
        wb = etree.fromstring(z.read("xl/workbook.xml"))
    order = [s.get("name") for s in wb.iter(f"{MAIN}sheet")]
    local = {(d.get("name"), int(d.get("localSheetId"))) for d in wb.iter(f"{MAIN}definedName")
             if d.get("localSheetId") is not None}
    assert local == {("_xlnm.Print_Titles", order.index(INVOICES.sheet)),
                     ("_xlnm.Print_Area", order.index("5 Evaluatie")),
                     ("lokaal", order.index("Vragenlijst")),
                     ("_xlnm._FilterDatabase", order.index(SHEET_NAME))}
    view = wb.find(f"{MAIN}bookViews/{MAIN}workbookView")
    assert view.get("activeTab") == str(order.index(SHEET_NAME)) and view.get("firstSheet") == "0"


def test_package_parts(copy: Path, filled: Path) -> None:
    fast = copy
    with zipfile.ZipFile(filled) as a, zipfile.ZipFile(fast) as b:
        assert b.testzip() is None
        old, new = a.namelist(), b.namelist()
        assert new[:len(old)] == old  # members kept in order, new parts after them
        changed = {n for n in old if a.read(n) != b.read(n)}
        parts = {n: b.read(n) for n in new}
    sheets_marked = {"xl/worksheets/sheet1.xml"}  # Instructie: tabSelected cleared
    ct = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in ct}
    defaults = {d.get("Extension"): d.get("ContentType") for d in ct if d.get("Extension")}
    assert defaults["vml"] == "application/vnd.openxmlformats-officedocument.vmlDrawing"
    for name, data in parts.items():
        if name.endswith((".xml", ".rels", ".vml")):
            etree.fromstring(data)  # well-formed
    comment_parts = [n for n in new if re.fullmatch(r"xl/comments\d+\.xml", n)]
    assert comment_parts and all(
        overrides["/" + n] == "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
        for n in comment_parts)
    for sheet in (n for n in new if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
        root = etree.fromstring(parts[sheet])
        assert overrides["/" + sheet].endswith("worksheet+xml")
        drawing = root.find(f"{MAIN}legacyDrawing")
        if drawing is None:
            continue
        sheets_marked.add(sheet)
        children = [etree.QName(c).localname for c in root]
        if "tableParts" in children:
            assert children.index("legacyDrawing") < children.index("tableParts")
        folder, base = posixpath.split(sheet)
        rels = etree.fromstring(parts[f"{folder}/_rels/{base}.rels"])
        targets = {r.get("Id"): (r.get("Type").rsplit("/", 1)[1], posixpath.normpath(f"{folder}/{r.get('Target')}"))
                   for r in rels.iter(f"{REL}Relationship")}
        assert targets[drawing.get(R_ID)][0] == "vmlDrawing" and targets[drawing.get(R_ID)][1] in parts
        assert {t for t, _ in targets.values()} >= {"comments", "vmlDrawing"}
        rows = [int(r.get("r")) for r in root.iter(f"{MAIN}row")]
        assert rows == sorted(set(rows))
        for row in root.iter(f"{MAIN}row"):
            cols = [xlsxparts.split_ref(c.get("r"))[1] for c in row.iter(f"{MAIN}c")]
            assert cols == sorted(set(cols))
    # _rels/.rels (and docProps/custom.xml, when the school had one): the record of the marks
    allowed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
               "_rels/.rels", "docProps/custom.xml"}
    allowed |= sheets_marked | {f"{posixpath.dirname(s)}/_rels/{posixpath.basename(s)}.rels" for s in sheets_marked}
    assert changed <= allowed  # everything else copied as it was


def test_calamine_reads_the_copy(copy: Path, filled: Path) -> None:
    fast = copy

    def cells(path: Path, skip: str = SHEET_NAME) -> dict:
        book = CalamineWorkbook.from_path(str(path))
        return {(name, r, c): v for name in book.sheet_names if name != skip
                for r, row in enumerate(book.get_sheet_by_name(name).to_python()) for c, v in enumerate(row) if v != ""}

    assert cells(fast) == cells(filled)
    book = CalamineWorkbook.from_path(str(fast))
    rows = book.get_sheet_by_name(SHEET_NAME).to_python()
    assert rows[1][:6] == list(feedback.COLUMNS) and len(rows) == 2 + len(FINDINGS)


def test_no_findings(filled: Path, tmp_path: Path) -> None:
    ws = load_workbook(copy_of(filled, tmp_path / "leeg.xlsx", []))[SHEET_NAME]
    assert ws["A3"].value == "Geen bevindingen." and ws.auto_filter.ref == "A2:F3"


def test_reader_reads_the_same_hire(copy: Path, filled: Path) -> None:
    assert hire_values(copy) == hire_values(filled)


# --------------------------------------------------------------------------- (a) a copy marked before comes back


@pytest.mark.parametrize("name", ["Bevindingen", "bevindingen", "BEVINDINGEN"])
def test_existing_bevindingen_sheet_is_replaced(filled: Path, tmp_path: Path, name: str) -> None:
    def add_old_sheet(wb) -> None:
        ws = wb.create_sheet(name, 1)
        ws["A1"], ws["A3"] = "oud", "=1+1"
        ws.print_title_rows = "1:2"
        ws.auto_filter.ref = "A2:F3"
        wb.defined_names["oud_blad"] = DefinedName("oud_blad", attr_text=f"'{name}'!$A$1")
        wb.active = 1

    source = with_openpyxl(filled, tmp_path / "met-blad.xlsx", add_old_sheet)
    copy = copy_of(source, tmp_path / "uit" / "met-blad.xlsx")
    assert_marked_copy(source, copy, FINDINGS)
    wb = load_workbook(copy)
    assert wb.sheetnames == [n if n != name else SHEET_NAME for n in load_workbook(source).sheetnames]
    assert "oud" not in {c.value for row in wb[SHEET_NAME].iter_rows() for c in row}
    assert "oud_blad" not in wb.defined_names
    with zipfile.ZipFile(copy) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        names = z.namelist()
        ct = z.read("[Content_Types].xml").decode()
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    order = [s.get("name") for s in book.iter(f"{MAIN}sheet")]
    local = [(d.get("name"), int(d.get("localSheetId"))) for d in book.iter(f"{MAIN}definedName")
             if d.get("localSheetId") is not None]
    assert all(0 <= i < len(order) for _, i in local)
    assert [n for n, i in local if i == order.index(SHEET_NAME)] == ["_xlnm._FilterDatabase"]  # no old print titles
    sheet_parts = {ooxml.resolve("xl/workbook.xml", r.get("Target")) for r in rels.iter(f"{REL}Relationship")
                   if r.get("Type").endswith("/worksheet")}
    assert sheet_parts == {n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)}
    assert all(f"/{p}" in ct for p in sheet_parts) and ct.count("worksheet+xml") == len(order)
    view = book.find(f"{MAIN}bookViews/{MAIN}workbookView")
    assert view.get("activeTab") == str(order.index(SHEET_NAME)) and view.get("firstSheet") == "0"


def test_marking_a_marked_copy_again(copy: Path, filled: Path, tmp_path: Path) -> None:
    """A school sends its marked copy back: the old sheet and the old notes go, the new ones come."""
    again = copy_of(copy, tmp_path / "opnieuw.xlsx", FINDINGS[:1])
    assert_marked_copy(copy, again, FINDINGS[:1])
    wb = load_workbook(again)
    assert wb[SHEET_NAME].max_row == 3
    text = wb[START.sheet][START.cell].comment.text
    assert text.count("[W3 fout]") == 1  # this round's note only (tests/test_remark.py has the details)
    assert hire_values(again) == hire_values(filled)


# --------------------------------------------------------------------------- (b) the school's own notes


def _school_notes(wb) -> None:
    wb["Vragenlijst"]["A1"].comment = Comment("Eigen opmerking van de school.", "School")
    wb[START.sheet][START.cell].comment = Comment("Datum volgt nog.", "School")  # the cell of finding W3
    wb[BRIN.sheet]["A1"].comment = Comment("Blad nagekeken.", "School")  # a sheet with notes and new findings


@pytest.fixture
def commented(filled: Path, tmp_path: Path) -> Path:
    return with_openpyxl(filled, tmp_path / "met-opmerking.xlsx", _school_notes)


def test_existing_notes_are_merged(commented: Path, tmp_path: Path) -> None:
    copy = copy_of(commented, tmp_path / "uit" / "met-opmerking.xlsx")
    assert_marked_copy(commented, copy, FINDINGS)
    got = comments(copy)
    assert got[("Vragenlijst", "A1")] == "Eigen opmerking van de school."
    start = got[(START.sheet, START.cell)]
    assert start.startswith("Datum volgt nog.") and "[W3 fout]" in start
    assert hire_values(copy) == hire_values(commented)
    with zipfile.ZipFile(commented) as a, zipfile.ZipFile(copy) as b:
        old = {n for n in a.namelist() if n.endswith(".vml") or re.search(r"comments\d*\.xml$", n)}
        assert old <= set(b.namelist())  # the school's comment parts are patched, not replaced by new ones
        before = [a.read(n) for n in a.namelist() if n.endswith(".vml")]
        after = [b.read(n) for n in b.namelist() if n.endswith(".vml")]
    for pattern in (rb'<v:shape id="_x0000_s(\d+)"', rb'<o:idmap [^>]*data="([\d,]+)"'):
        old_ids = [i for v in before for m in re.findall(pattern, v) for i in m.split(b",")]
        new_ids = [i for v in after for m in re.findall(pattern, v) for i in m.split(b",")]
        for i in old_ids:
            new_ids.remove(i)
        assert new_ids and len(new_ids) == len(set(new_ids)) and not set(new_ids) & set(old_ids)
    boxes = [re.findall(rb"<\w+:Row>(\d+)</\w+:Row>\s*<\w+:Column>(\d+)</\w+:Column>", v) for v in after]
    assert all(len(b) == len(set(b)) for b in boxes)  # one box per note, no second box on the school's cell
    assert sum(map(len, boxes)) == len(got)


THREADED = "application/vnd.ms-excel.threadedcomments+xml"
PERSON = "application/vnd.ms-excel.person+xml"


def _excel365(source: Path, dest: Path) -> Path:
    """`source` (with legacy notes from openpyxl) as Excel 365 writes a threaded comment on Vragenlijst!A1:
    the legacy note holds a placeholder, the thread is in threadedComments, the people in persons."""
    tc_id = "{5A0B6F4E-1D2C-4B8A-9E1F-0A1B2C3D4E5F}"
    person = "{0E2F8C1A-3B4D-4E5F-8A9B-1C2D3E4F5A6B}"
    with zipfile.ZipFile(source) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    wb_rels = etree.fromstring(files["xl/_rels/workbook.xml.rels"])
    order = [s for s in etree.fromstring(files["xl/workbook.xml"]).iter(f"{MAIN}sheet")]
    rid = next(s.get(R_ID) for s in order if s.get("name") == "Vragenlijst")
    sheet = ooxml.resolve("xl/workbook.xml", next(r.get("Target") for r in wb_rels if r.get("Id") == rid))
    sheet_rels = f"{posixpath.dirname(sheet)}/_rels/{posixpath.basename(sheet)}.rels"
    comments_part = next(ooxml.resolve(sheet, r.get("Target"))
                         for r in etree.fromstring(files[sheet_rels]) if r.get("Type").endswith("/comments"))
    files[comments_part] = re.sub(rb"Eigen opmerking van de school\.",
                                  b"[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
                                  b"comment; however, any edits to it will get removed if the file is opened in a "
                                  b"newer version of Excel.\nComment:\n    Eigen opmerking van de school.",
                                  files[comments_part])
    files["xl/threadedComments/threadedComment1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments '
        'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<threadedComment ref="A1" dT="2023-02-01T10:00:00.00" personId="{person}" id="{tc_id}">'
        '<text>Eigen opmerking van de school.</text></threadedComment></ThreadedComments>').encode()
    files["xl/persons/person.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList '
        'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<person displayName="School" id="{person}" userId="school@example.nl" providerId="AD"/></personList>').encode()
    files[sheet_rels] = files[sheet_rels].replace(
        b"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
        b'threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>')
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
        b'person" Target="persons/person.xml"/></Relationships>')
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="{THREADED}"/>'
        f'<Override PartName="/xl/persons/person.xml" ContentType="{PERSON}"/></Types>'.encode())
    # Excel's legacy VML is not well-formed XML: a <br> without its end tag
    for name in files:
        if name.endswith(".vml"):
            files[name] = re.sub(rb"(</\w+:shape>)", rb"<br>\1", files[name], count=1)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return dest


def test_threaded_comments_kept_and_notes_added(commented: Path, tmp_path: Path) -> None:
    source = _excel365(commented, tmp_path / "excel365.xlsx")
    copy = copy_of(source, tmp_path / "uit" / "excel365.xlsx")
    assert_marked_copy(source, copy, FINDINGS)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(copy) as b:
        for name in ("xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml"):
            assert a.read(name) == b.read(name)
        ct = b.read("[Content_Types].xml").decode()
        assert THREADED in ct and PERSON in ct
        assert all(b"<br>" in b.read(n) for n in b.namelist() if n.endswith(".vml") and n in a.namelist())
    assert hire_values(copy) == hire_values(source)


def test_form_control_drawing_gets_notes(filled: Path, tmp_path: Path) -> None:
    """A sheet whose legacy drawing holds only a form control (no comments part): the notes join that drawing."""
    marked_once = copy_of(filled, tmp_path / "een.xlsx", [])
    with zipfile.ZipFile(marked_once) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet2.xml"  # 1 Verkenning
    assert b"legacyDrawing" not in files[sheet]
    files["xl/drawings/vmlDrawing1.vml"] = (
        b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
        b'data="1"/></o:shapelayout><v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" '
        b'path="m,l,21600r21600,l21600,xe"/><v:shape id="_x0000_s1025" type="#_x0000_t201" '
        b'style="position:absolute;z-index:1"><x:ClientData ObjectType="Button"><x:Anchor>1, 0, 1, 0, 2, 0, 2, 0'
        b'</x:Anchor></x:ClientData></v:shape></xml>')
    files["xl/worksheets/_rels/sheet2.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" '
        b'Target="../drawings/vmlDrawing1.vml"/></Relationships>')
    files[sheet] = re.sub(rb"(<pageMargins[^>]*/>(?:<pageSetup[^>]*/>)?)", rb'\1<legacyDrawing r:id="rId1"/>',
                          files[sheet].replace(b"<worksheet ", b'<worksheet xmlns:r="http://schemas.openxmlformats.'
                                                            b'org/officeDocument/2006/relationships" ', 1)
                          if b'xmlns:r=' not in files[sheet] else files[sheet], count=1)
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"<Override", b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'vmlDrawing"/><Override', 1) if b'Extension="vml"' not in files["[Content_Types].xml"] else files["[Content_Types].xml"]
    source = tmp_path / "knop.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    f = fnd("V3", "fout", "1 Verkenning", "B5", "Controleer het BRIN-nummer.")
    copy = copy_of(source, tmp_path / "uit" / "knop.xlsx", [f])
    assert "[V3 fout]" in load_workbook(copy)["1 Verkenning"]["B5"].comment.text
    with zipfile.ZipFile(copy) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml")
        sheet_xml = z.read(sheet)
    assert b'ObjectType="Button"' in vml and b'ObjectType="Note"' in vml and b"_x0000_t202" in vml
    assert sheet_xml.count(b"<legacyDrawing") == 1
    shape_ids = re.findall(rb'<v:shape id="_x0000_s(\d+)"', vml)
    assert len(shape_ids) == len(set(shape_ids)) == 2


# --------------------------------------------------------------------------- other packages


def test_chartsheet_kept_and_not_marked(filled: Path, tmp_path: Path) -> None:
    def add_chart(wb) -> None:
        chart = BarChart()
        chart.add_data(Reference(wb["Facturen"], min_col=3, min_row=INVOICES.header_row,
                                 max_row=INVOICES.first_row + 1))
        wb.create_chartsheet("Grafiek", 0).add_chart(chart)

    source = with_openpyxl(filled, tmp_path / "met-grafiek.xlsx", add_chart)
    findings = [*FINDINGS, fnd("W4", "info", "Grafiek", "A1", "Op een grafiekblad.")]
    copy = copy_of(source, tmp_path / "uit" / "met-grafiek.xlsx", findings)
    assert_marked_copy(source, copy, findings)
    wb = load_workbook(copy)
    assert "Grafiek" in [s.title for s in wb.chartsheets]
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET_NAME]


def _rewrite(source: Path, dest: Path, change) -> Path:
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info.filename, change(info.filename, z.read(info.filename)))
    return dest


def test_rows_and_cells_without_numbers(tmp_path: Path) -> None:
    """r on <row> and <c> is optional (the next row, the next cell): such a sheet is numbered, then marked."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    for r in range(1, 6):
        for c in range(1, 4):
            ws.cell(row=r, column=c, value=f"{r}-{c}")
    plain = tmp_path / "genummerd.xlsx"
    wb.save(plain)
    source = _rewrite(plain, tmp_path / "ongenummerd.xlsx", lambda n, d: re.sub(
        rb'(<c) r="[A-Z]+\d+"', rb"\1", re.sub(rb'<row r="\d+"', b"<row", d)) if n.startswith("xl/worksheets/") else d)
    with zipfile.ZipFile(source) as z:
        assert b"<row r=" not in z.read("xl/worksheets/sheet1.xml")
    findings = [fnd("V1", "fout", "Blad", "B3", "Midden."), fnd("V2", "info", "Blad", "E7", "Erbuiten.")]
    copy = copy_of(source, tmp_path / "uit" / "ongenummerd.xlsx", findings)
    assert values(copy) == values(plain)
    out = load_workbook(copy)["Blad"]
    assert out["B3"].value == "3-2" and _rgb(out["B3"].fill.fgColor) == "FFC7CE" and "[V1 " in out["B3"].comment.text
    assert "[V2 " in out["E7"].comment.text and out["C5"].comment is None


def test_strict_ooxml_gives_a_dutch_error(filled: Path, tmp_path: Path) -> None:
    strict = _rewrite(filled, tmp_path / "strict.xlsx", lambda n, d: d.replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"))
    dest = tmp_path / "uit" / "strict.xlsx"
    with pytest.raises(MarkedCopyError, match="Strict"):
        write_marked_copy(strict, dest, FINDINGS, generated=GENERATED)
    assert not dest.exists()
    results = feedback.mark_all([(strict, dest, FINDINGS)], GENERATED)
    assert results[0][1].startswith("Gemarkeerde kopie niet gemaakt: het werkboek")


def test_unusual_packages_are_refused(filled: Path, tmp_path: Path) -> None:
    dtd = _rewrite(filled, tmp_path / "dtd.xlsx", lambda n, d: b'<!DOCTYPE x [<!ENTITY a "b">]>' + d
                   if n == "xl/workbook.xml" else d)
    with pytest.raises(xlsxparts.Unsupported):
        xlsxpatch.Book.open(dtd)
    with pytest.raises(xlsxparts.Unsupported):
        xlsxpatch.Book(b"dit is geen zip-bestand")
    for path in (dtd, tmp_path / "kapot.xlsx"):
        if not path.exists():
            path.write_bytes(b"dit is geen zip-bestand")
        with pytest.raises(MarkedCopyError):
            write_marked_copy(path, tmp_path / "uit" / path.name, FINDINGS, generated=GENERATED)


def test_no_styles_part(filled: Path, tmp_path: Path) -> None:
    """A package without styles.xml (some generators): a stylesheet with Excel's defaults is added."""
    def drop(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return re.sub(rb'<Relationship [^>]*relationships/styles"[^>]*/>', b"", data)
        return data

    with zipfile.ZipFile(filled) as z:
        plain = tmp_path / "zonder-stijlen.xlsx"
        with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as out:
            for info in z.infolist():
                if info.filename == "xl/styles.xml":
                    continue
                data = z.read(info)
                if info.filename.startswith("xl/worksheets/sheet"):
                    data = re.sub(rb' s="\d+"', b"", data)
                    # conditional formats point into the stylesheet's dxfs: a package without styles has none
                    data = re.sub(rb"<conditionalFormatting\b.*?</conditionalFormatting>", b"", data, flags=re.S)
                out.writestr(info.filename, drop(info.filename, data).replace(
                    b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    b'spreadsheetml.styles+xml"/>', b""))
    copy = copy_of(plain, tmp_path / "uit" / "zonder-stijlen.xlsx")
    wb = load_workbook(copy)
    c = wb[START.sheet][START.cell]
    assert _rgb(c.fill.fgColor) == "FFC7CE" and "[W3 fout]" in c.comment.text


# --------------------------------------------------------------------------- LibreOffice


def soffice_xlsx(source: Path, outdir: Path, soffice: str) -> Path:
    """`source` opened and saved again as xlsx by LibreOffice (its own profile, as pdf.convert_to_pdf does)."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="npo-soffice-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--nolockcheck", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir),
                        str(source)], check=True, capture_output=True, timeout=180,
                       env={**os.environ, "HOME": profile})
    out = outdir / f"{source.stem}.xlsx"
    assert out.is_file() and out.stat().st_size > 0
    return out


def survives_libreoffice(source: Path, copy: Path, tmp_path: Path, soffice: str, again: Path | None = None) -> Path:
    """The copy converts to PDF, and LibreOffice saves it again (`again`, when it did already) with the school's
    workbook intact."""
    (converted,) = pdf.convert_to_pdf([copy], tmp_path / "pdf", timeout=180)
    assert converted.is_file() and converted.stat().st_size > 0
    again = again or soffice_xlsx(copy, tmp_path / "lo", soffice)
    want, got = keeps(source), keeps(again)
    assert got["sheets"] == want["sheets"]
    for sheet in want["sheets"]:
        assert set(got["tables"][sheet]) == set(want["tables"][sheet]), sheet
        assert {v[0] for v in got["validations"][sheet]} >= {v[0] for v in want["validations"][sheet]}, sheet
        assert got["protected"][sheet][0] == want["protected"][sheet][0], sheet
    assert set(got["names"]) >= set(want["names"])
    assert hire_values(again) == hire_values(source)
    assert SHEET_NAME in load_workbook(again).sheetnames
    return again


@pytest.fixture(scope="module")
def saved_by_libreoffice(filled_once: Path, tmp_path_factory) -> tuple[Path, Path]:
    """The marked copy of the filled workbook, and that copy opened and saved by LibreOffice (once per module: the
    two tests below both need it, and a LibreOffice start with a fresh profile costs seconds)."""
    folder = tmp_path_factory.mktemp("lo-opgeslagen")
    copy = copy_of(filled_once, folder / "uit" / FILE)
    return copy, soffice_xlsx(copy, folder / "school", need_soffice())


def test_libreoffice_round_trip(saved_by_libreoffice: tuple[Path, Path], filled: Path, tmp_path: Path, soffice: str) -> None:
    copy, saved = saved_by_libreoffice
    survives_libreoffice(filled, copy, tmp_path, soffice, again=saved)


def test_libreoffice_round_trip_marked_again(saved_by_libreoffice: tuple[Path, Path], tmp_path: Path, soffice: str) -> None:
    """(a): the school opened its marked copy in LibreOffice, saved it and sends it back; it is marked again."""
    resent = saved_by_libreoffice[1]
    again = copy_of(resent, tmp_path / "uit" / "opnieuw.xlsx")
    assert_marked_copy(resent, again, FINDINGS)
    survives_libreoffice(resent, again, tmp_path, soffice)


def test_libreoffice_round_trip_with_notes(commented: Path, tmp_path: Path, soffice: str) -> None:
    """(b): a workbook with the school's notes, also after LibreOffice saved them (its own VML)."""
    copy = copy_of(commented, tmp_path / "uit" / "met-opmerking.xlsx")
    again = survives_libreoffice(commented, copy, tmp_path, soffice)
    wb = load_workbook(again)
    assert wb["Vragenlijst"]["A1"].comment.text.startswith("Eigen opmerking van de school.")
    merged = wb[START.sheet][START.cell].comment.text  # LibreOffice reads the school's note with ours appended
    assert merged.startswith("Datum volgt nog.") and "[W3 fout]" in merged
    assert "[A5 info]" in wb[BRIN.sheet][BRIN.cell].comment.text
    saved = soffice_xlsx(commented, tmp_path / "school", soffice)
    copy2 = copy_of(saved, tmp_path / "uit2" / "met-opmerking.xlsx")
    assert_marked_copy(saved, copy2, FINDINGS)


def test_many_notes_on_one_sheet_get_unique_shape_ids(tmp_path: Path) -> None:
    """More notes than one VML id block holds (1023): the drawing claims more blocks."""
    wb = Workbook()
    wb.active.title = "Blad"
    wb.active["A1"].comment = Comment("Van de school.", "School")
    source = tmp_path / "veel.xlsx"
    wb.save(source)
    findings = [fnd("V1", "info", "Blad", f"B{r}", "Veel.") for r in range(1, 1200)]
    copy = copy_of(source, tmp_path / "uit" / "veel.xlsx", findings)
    with zipfile.ZipFile(copy) as z:
        vml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".vml"))
    ids = [int(i) for i in re.findall(rb'shape[^>]* id="_x0000_s(\d+)"', vml)]
    blocks = {int(b) for m in re.findall(rb'idmap [^>]*data="([\d,]+)"', vml) for b in m.split(b",")}
    assert len(ids) == len(set(ids)) == 1200 and {i // 1024 for i in ids} <= blocks
    assert len(load_workbook(copy)[SHEET_NAME]["A"]) == 2 + 1199

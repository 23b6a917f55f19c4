"""Tests for pipeline.xlsxmark: marked copies made by patching the package, checked against the openpyxl fallback."""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from lxml import etree
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from python_calamine import CalamineWorkbook

from builders import good_fields, good_tables
from conftest import need_soffice
from pipeline.render import marked as feedback
from pipeline.render import pdf
from pipeline.read import workbook as reader
from pipeline import spec as spec_mod
from pipeline.render import workbook as template
from pipeline.render import xlsxparts, xlsxpatch as xlsxmark
from pipeline.render.marked import SHEET_NAME, write_marked_copy
from pipeline.model import Finding

S = spec_mod.load()
FILE = "12AB-2022-2023-1.xlsx"
HIRE = "12AB-2022-2023-1"
GENERATED = "Gemaakt op 1 maart 2023 (regels 1.0)"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


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


@pytest.fixture
def filled(tmp_path: Path) -> Path:
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
    path = tmp_path / "in" / FILE
    path.parent.mkdir()
    wb.save(path)
    return path


def fast_copy(source: Path, dest: Path, findings=FINDINGS) -> Path:
    """The copy through xlsxmark; fails when write_marked_copy fell back to openpyxl."""
    with mock.patch.object(feedback, "_write_with_openpyxl", wraps=feedback._write_with_openpyxl) as fallback:
        write_marked_copy(source, dest, findings, generated=GENERATED)
    assert not fallback.called, "xlsxmark fell back to openpyxl"
    return dest


def slow_copy(source: Path, dest: Path, findings=FINDINGS) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    feedback._write_with_openpyxl(source, dest, findings, GENERATED)
    return dest


@pytest.fixture
def copies(filled: Path, tmp_path: Path) -> tuple[Path, Path]:
    return fast_copy(filled, tmp_path / "uit" / "snel.xlsx"), slow_copy(filled, tmp_path / "uit" / "openpyxl.xlsx")


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


def values(path: Path, skip: str = SHEET_NAME) -> dict:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets if ws.title != skip
            for row in ws.iter_rows() for c in row if c.value is not None}


# --------------------------------------------------------------------------- the fast path gives the fallback's result


def test_fast_path_matches_openpyxl_fallback(copies: tuple[Path, Path], filled: Path) -> None:
    fast, slow = copies
    assert marks(fast) == marks(slow)
    assert listing(fast) == listing(slow)
    assert structure(fast) == structure(slow)
    assert values(fast) == values(filled)  # the school's data untouched


def test_marks_at_the_right_cells(copies: tuple[Path, Path]) -> None:
    got = marks(copies[0])
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


def test_bevindingen_sheet_in_place_and_active(copies: tuple[Path, Path], filled: Path) -> None:
    fast = copies[0]
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


def test_names_tables_and_local_sheet_ids(copies: tuple[Path, Path], filled: Path) -> None:
    fast = copies[0]
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


def test_package_parts(copies: tuple[Path, Path], filled: Path) -> None:
    fast = copies[0]
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
    allowed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
    allowed |= sheets_marked | {f"{posixpath.dirname(s)}/_rels/{posixpath.basename(s)}.rels" for s in sheets_marked}
    assert changed <= allowed  # everything else copied as it was


def test_calamine_reads_the_copy(copies: tuple[Path, Path], filled: Path) -> None:
    fast = copies[0]

    def cells(path: Path, skip: str = SHEET_NAME) -> dict:
        book = CalamineWorkbook.from_path(str(path))
        return {(name, r, c): v for name in book.sheet_names if name != skip
                for r, row in enumerate(book.get_sheet_by_name(name).to_python()) for c, v in enumerate(row) if v != ""}

    assert cells(fast) == cells(filled)
    book = CalamineWorkbook.from_path(str(fast))
    rows = book.get_sheet_by_name(SHEET_NAME).to_python()
    assert rows[1][:6] == list(feedback.COLUMNS) and len(rows) == 2 + len(FINDINGS)


def test_reader_reads_the_same_hire(copies: tuple[Path, Path], filled: Path) -> None:
    a, b = reader.read(filled).hire, reader.read(copies[0]).hire
    assert a is not None and b is not None
    assert {k: c.value for k, c in b.fields.items()} == {k: c.value for k, c in a.fields.items()}
    assert {t: [[c.value for c in r.cells.values()] for r in rows] for t, rows in b.tables.items()} == \
           {t: [[c.value for c in r.cells.values()] for r in rows] for t, rows in a.tables.items()}


def test_no_findings(filled: Path, tmp_path: Path) -> None:
    ws = load_workbook(fast_copy(filled, tmp_path / "leeg.xlsx", []))[SHEET_NAME]
    assert ws["A3"].value == "Geen bevindingen." and ws.auto_filter.ref == "A2:F3"


def test_marking_a_copy_again_replaces_the_sheet(copies: tuple[Path, Path], tmp_path: Path) -> None:
    again = tmp_path / "opnieuw.xlsx"
    with mock.patch.object(feedback, "_write_with_openpyxl", wraps=feedback._write_with_openpyxl) as fallback:
        write_marked_copy(copies[0], again, FINDINGS[:1], generated=GENERATED)
    assert fallback.called  # an existing Bevindingen sheet goes through openpyxl
    wb = load_workbook(again)
    assert wb.sheetnames.count(SHEET_NAME) == 1 and wb[SHEET_NAME].max_row == 3


# --------------------------------------------------------------------------- what goes to openpyxl


def _fallback_taken(source: Path, dest: Path) -> bool:
    with mock.patch.object(feedback, "_write_with_openpyxl", wraps=feedback._write_with_openpyxl) as fallback:
        write_marked_copy(source, dest, FINDINGS, generated=GENERATED)
    return fallback.called


def test_existing_comment_falls_back(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb["Vragenlijst"]["A1"].comment = Comment("Eigen opmerking van de school.", "School")
    source = tmp_path / "met-opmerking.xlsx"
    wb.save(source)
    with pytest.raises(xlsxparts.Unsupported):
        xlsxmark.Book.open(source)
    dest = tmp_path / "uit" / "met-opmerking.xlsx"
    assert _fallback_taken(source, dest)
    out = load_workbook(dest)
    assert out["Vragenlijst"]["A1"].comment.text == "Eigen opmerking van de school."
    assert "[W3 fout]" in out[START.sheet][START.cell].comment.text


@pytest.mark.parametrize("name", ["Bevindingen", "bevindingen", "BEVINDINGEN"])
def test_existing_bevindingen_sheet_falls_back(filled: Path, tmp_path: Path, name: str) -> None:
    wb = load_workbook(filled)
    wb.create_sheet(name)["A1"] = "oud"
    source = tmp_path / "met-blad.xlsx"
    wb.save(source)
    dest = tmp_path / "uit" / "met-blad.xlsx"
    assert _fallback_taken(source, dest)
    out = load_workbook(dest)
    assert [n for n in out.sheetnames if n.casefold() == SHEET_NAME.casefold()] == [SHEET_NAME]


def test_chartsheet_falls_back(filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    chart = BarChart()
    chart.add_data(Reference(wb["Facturen"], min_col=3, min_row=INVOICES.header_row, max_row=INVOICES.first_row + 1))
    wb.create_chartsheet("Grafiek").add_chart(chart)
    source = tmp_path / "met-grafiek.xlsx"
    wb.save(source)
    with pytest.raises(xlsxparts.Unsupported):
        xlsxmark.Book.open(source)
    assert _fallback_taken(source, tmp_path / "uit" / "met-grafiek.xlsx")


def _rewrite(source: Path, dest: Path, change) -> Path:
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info.filename, change(info.filename, z.read(info.filename)))
    return dest


def test_unusual_packages_are_unsupported(filled: Path, tmp_path: Path) -> None:
    strict = _rewrite(filled, tmp_path / "strict.xlsx", lambda n, d: d.replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"))
    no_row_numbers = _rewrite(filled, tmp_path / "rijen.xlsx", lambda n, d: re.sub(
        rb'<row r="\d+"', b"<row", d) if n == "xl/worksheets/sheet2.xml" else d)
    dtd = _rewrite(filled, tmp_path / "dtd.xlsx", lambda n, d: b'<!DOCTYPE x [<!ENTITY a "b">]>' + d
                   if n == "xl/workbook.xml" else d)
    for path in (strict, dtd):
        with pytest.raises(xlsxparts.Unsupported):
            xlsxmark.Book.open(path)
    with pytest.raises(xlsxparts.Unsupported):
        xlsxmark.Book(b"dit is geen zip-bestand")
    book = xlsxmark.Book.open(no_row_numbers)
    with pytest.raises(xlsxparts.Unsupported):
        book.mark("1 Verkenning", 5, 2, fill="FFC7CE", font=None, note="x", note_size=(400, 60))


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_converts_fast_copy(copies: tuple[Path, Path], tmp_path: Path) -> None:
    need_soffice()
    (converted,) = pdf.convert_to_pdf([copies[0]], tmp_path / "pdf", timeout=120)
    assert converted.is_file() and converted.stat().st_size > 0

"""Write the blank inhuurwerkboek from the spec (openpyxl)."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from pipeline import spec as spec_mod
from pipeline.render import controle
from pipeline.render.look import print_setup
from pipeline.spec import (HELP_COL, INPUT_COL, LABEL_COL, REQUIRED_MARK, VERSION_CELL, VERSION_LABEL,
                           VERSION_LABEL_CELL, WorkbookSpec)

LISTS_SHEET = "Lijsten"
OPEN_CELL = "A2"  # on the instruction sheet: how many checks are open (controle.instruction_line)

FORMATS = {"date": "DD-MM-YYYY", "euro": '"€" #,##0.00', "int": "0", "score": "0", "percent": "0%"}
GREY = PatternFill("solid", fgColor="F2F2F2")
INPUT = PatternFill("solid", fgColor="FFFFFF")
HEAD = PatternFill("solid", fgColor="1F4E79")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED = Protection(locked=True)
OPEN = Protection(locked=False)


def file_name(spec: WorkbookSpec | None = None) -> str:
    spec = spec or spec_mod.load()
    return f"inhuurwerkboek-{spec.version}.xlsx"


def build(spec: WorkbookSpec | None = None, social_services: bool = False) -> Workbook:
    """The blank workbook as an openpyxl Workbook. `social_services`: the board applies the regime for social
    and other specific services (bestuur.xlsx), so the Controle sheet uses that threshold as the pipeline does."""
    spec = spec or spec_mod.load()
    wb = Workbook()
    _instruction(wb.active, spec)
    list_refs = _lists(wb, spec)
    for sheet in spec.sheets:
        ws = wb.create_sheet(sheet.name)
        _sheet(wb, ws, sheet, spec, list_refs)
    controle.add(wb, spec, wb[LISTS_SHEET], len(list_refs) + 2, social_services)
    controle.instruction_line(wb[spec.instruction_sheet], OPEN_CELL)
    wb[spec.instruction_sheet].merge_cells(f"{OPEN_CELL}:B2")
    wb[spec.instruction_sheet].row_dimensions[2].height = 30
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.defined_names["werkboek_versie"] = DefinedName(
        "werkboek_versie", attr_text=f"{quote_sheetname(spec.instruction_sheet)}!$B$3"  # VERSION_CELL
    )
    wb.active = 0
    # No sheet can be deleted, renamed or unhidden by accident (the Controle formulas refer to them); no password.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores no results: Excel computes the Controle sheet on open
    return wb


def write(path: Path, spec: WorkbookSpec | None = None, social_services: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build(spec, social_services).save(path)
    return path


def _lines(text: str, width: int) -> int:
    """Rough number of wrapped lines of `text` in a column `width` characters wide."""
    return max(1, sum(-(-max(len(part), 1) // max(width - 2, 10)) for part in str(text).split("\n")))


def _instruction(ws, spec: WorkbookSpec) -> None:
    ws.title = spec.instruction_sheet
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    ws["A1"] = spec.title
    ws["A1"].font = Font(size=16, bold=True, color="1F4E79")
    ws[VERSION_LABEL_CELL] = VERSION_LABEL
    ws[VERSION_LABEL_CELL].font = Font(bold=True)
    ws[VERSION_CELL] = spec.version
    for i, line in enumerate(spec.instruction_lines[1:], start=5):
        c = ws.cell(row=i, column=2, value=line or None)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[i].height = 15 * _lines(line, 100)
        if line.endswith(":"):
            c.font = Font(bold=True)
    print_setup(ws)
    ws.protection.sheet = True


def _lists(wb: Workbook, spec: WorkbookSpec) -> dict[str, str]:
    """A hidden sheet holding every choice list; returns list name -> absolute range."""
    ws = wb.create_sheet(LISTS_SHEET)
    names = list(spec.lists) + ["menukaart:A-E", "menukaart:F"]
    refs = {}
    for col, name in enumerate(names, start=1):
        ws.cell(row=1, column=col, value=name)
        options = spec.options(name)
        for r, opt in enumerate(options, start=2):
            ws.cell(row=r, column=col, value=opt)
        letter = get_column_letter(col)
        refs[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(options) + 1}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return refs


def _validation(kind: str | None, list_ref: str | None, title: str, help_text: str) -> DataValidation:
    if list_ref:
        dv = DataValidation(type="list", formula1=f"={list_ref}", allow_blank=True)
        dv.errorStyle = "warning"  # a school may still keep its own wording; the reader normalises
        dv.error = "Kies bij voorkeur een waarde uit de lijst."
        dv.errorTitle = "Waarde niet in de lijst"
        dv.showErrorMessage = True
    else:
        dv = DataValidation(allow_blank=True)
    dv.promptTitle = title[:32]
    dv.prompt = help_text[:255]
    dv.showInputMessage = True
    return dv


def _sheet(wb: Workbook, ws, sheet: spec_mod.Sheet, spec: WorkbookSpec, list_refs: dict[str, str]) -> None:
    ws["A1"] = sheet.title
    ws["A1"].font = Font(size=14, bold=True, color="1F4E79")
    ws["A2"] = sheet.intro
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=HELP_COL)
    ws.row_dimensions[2].height = 48
    widths = {LABEL_COL: 42, INPUT_COL: 42, HELP_COL: 70}
    if sheet.fields:
        for col, text in ((LABEL_COL, "Gegevens"), (INPUT_COL, "Invoer"), (HELP_COL, "Toelichting")):
            c = ws.cell(row=4, column=col, value=text)
            c.font = Font(bold=True, color="FFFFFF")
            c.fill = HEAD
    for f in sheet.fields:
        label = ws.cell(row=f.row, column=LABEL_COL, value=f.label + (REQUIRED_MARK if f.required else ""))
        label.fill, label.protection, label.border = GREY, LOCKED, BOX
        label.alignment = Alignment(wrap_text=True, vertical="top")
        cell = ws.cell(row=f.row, column=INPUT_COL)
        cell.fill, cell.protection, cell.border = (GREY, LOCKED, BOX) if f.locked else (INPUT, OPEN, BOX)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if f.type in FORMATS:
            cell.number_format = FORMATS[f.type]
        lines = max(_lines(f.label, 42), _lines(f.help, 70), 3 if f.type == "longtext" else 1)
        ws.row_dimensions[f.row].height = 15 * lines
        hlp = ws.cell(row=f.row, column=HELP_COL, value=f.help)
        hlp.font = Font(italic=True, color="595959")
        hlp.alignment = Alignment(wrap_text=True, vertical="top")
        hlp.protection = LOCKED
        dv = _validation(f.type, list_refs.get(f.list) if f.list else None, f.label, f.help)
        ws.add_data_validation(dv)
        dv.add(cell.coordinate)
        wb.defined_names[f.name] = DefinedName(
            f.name, attr_text=f"{quote_sheetname(sheet.name)}!${get_column_letter(INPUT_COL)}${f.row}"
        )
    if sheet.table:
        _table(ws, sheet.table, spec, list_refs, widths)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A4" if sheet.fields else f"A{sheet.table.first_row if sheet.table else 4}"
    print_setup(ws)
    ws.protection.sheet = True
    # Without a password; the school may still resize and format, but not break the structure.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


def _table(ws, t: spec_mod.Table, spec: WorkbookSpec, list_refs: dict[str, str], widths: dict[int, int]) -> None:
    for ci, col in enumerate(t.columns, start=1):
        h = ws.cell(row=t.header_row, column=ci, value=col.name)
        h.font = Font(bold=True, color="FFFFFF")
        h.fill = HEAD
        h.protection = LOCKED
        letter = get_column_letter(ci)
        widths[ci] = max(widths.get(ci, 0), col.width or 18)
        last_open = t.last_row + t.rows_below
        for r in range(t.first_row, last_open + 1):
            c = ws.cell(row=r, column=ci)
            c.protection = LOCKED if col.locked else OPEN
            if col.type in FORMATS:
                c.number_format = FORMATS[col.type]
            if col.type == "longtext":
                c.alignment = Alignment(wrap_text=True, vertical="top")
        if not col.locked:
            dv = _validation(col.type, list_refs.get(col.list) if col.list else None, col.name, col.help)
            ws.add_data_validation(dv)
            dv.add(f"{letter}{t.first_row}:{letter}{last_open}")
    if t.prefill == "questions":
        for i, q in enumerate(spec.questions):
            r = t.first_row + i
            ws.cell(row=r, column=1, value=q.nr)
            ws.cell(row=r, column=2, value=q.text).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 48
    tbl = XlTable(displayName=t.name, ref=t.ref)
    tbl.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(tbl)


def fill(wb: Workbook, fields: dict[str, object], tables: dict[str, list[list[object]]] | None = None,
         spec: WorkbookSpec | None = None, below_table: dict[str, list[list[object]]] | None = None) -> Workbook:
    """Fill a blank workbook by defined names and table names, as another tool would (the names are the data contract).

    `tables` rows go into the table body (for tblVragenlijst: columns Antwoord, Toelichting, Bewijs per
    question); `below_table` rows are typed directly under the table, as LibreOffice users do.
    """
    spec = spec or spec_mod.load()
    for name, value in fields.items():
        dn = wb.defined_names[name]
        ((sheet, coord),) = list(dn.destinations)
        wb[sheet][coord.replace("$", "")] = value
    for tname, rows in (tables or {}).items():
        t = spec.tables[tname]
        ws = wb[t.sheet]
        offset = 3 if t.prefill == "questions" else 1
        if len(rows) > t.rows:
            raise ValueError(f"{tname}: {len(rows)} rows do not fit in {t.rows}; use below_table")
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                ws.cell(row=t.first_row + i, column=offset + j, value=value)
    for tname, rows in (below_table or {}).items():
        t = spec.tables[tname]
        ws = wb[t.sheet]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                ws.cell(row=t.last_row + 1 + i, column=1 + j, value=value)
    return wb

"""What the patcher writes whole: the XML of a new sheet, and the package with its changed parts."""
from __future__ import annotations

import posixpath
import time
import zipfile

from pipeline import ooxml
from pipeline.render.xlsxparts import MAIN, R_NS, XML_DECLARATION, NewSheet, Styles, Unsupported, escape_attr, escape_text, ref_of


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def sheet_xml(sheet: NewSheet, styles: Styles, *, selected: bool) -> bytes:
    cells = sheet.cells
    rows: dict[int, list[int]] = {}
    for r, c in cells:
        rows.setdefault(r, []).append(c)
    out = [f'<worksheet xmlns="{MAIN}" xmlns:r="{R_NS}">']
    # printed landscape, one page wide (the messages are long)
    tab = f'<tabColor rgb="FF{sheet.tab_colour.upper()}"/>' if sheet.tab_colour else ""
    out.append(f'<sheetPr>{tab}<pageSetUpPr fitToPage="1"/></sheetPr>')
    if cells:
        lo_r, hi_r = min(rows), max(rows)
        lo_c, hi_c = min(c for _, c in cells), max(c for _, c in cells)
        out.append(f'<dimension ref="{ref_of(lo_r, lo_c)}:{ref_of(hi_r, hi_c)}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "") + ">")
    if sheet.freeze and sheet.freeze != (1, 1):
        fr, fc = sheet.freeze
        top_left = ref_of(fr, fc)
        pane = "bottomRight" if fr > 1 and fc > 1 else ("bottomLeft" if fr > 1 else "topRight")
        split = (f' xSplit="{fc - 1}"' if fc > 1 else "") + (f' ySplit="{fr - 1}"' if fr > 1 else "")
        out.append(f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                   f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>')
    out.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if sheet.widths:
        out.append("<cols>")
        for col in sorted(sheet.widths):
            out.append(f'<col min="{col}" max="{col}" width="{sheet.widths[col]:g}" customWidth="1"/>')
        out.append("</cols>")
    out.append("<sheetData>")
    for r in sorted(rows):
        height = sheet.heights.get(r)
        out.append(f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">')
        for c in sorted(rows[r]):
            text, look = cells[(r, c)]
            s = styles.look(look)
            if text:
                out.append(f'<c r="{ref_of(r, c)}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                           f"{escape_text(text)}</t></is></c>")
            else:
                out.append(f'<c r="{ref_of(r, c)}" s="{s}"/>')
        out.append("</row>")
    out.append("</sheetData>")
    if sheet.autofilter:
        out.append(f'<autoFilter ref="{sheet.autofilter}"/>')
    if sheet.links:
        out.append("<hyperlinks>")
        for ref, location, tooltip in sheet.links:
            out.append(f'<hyperlink ref="{ref}" location="{escape_attr(location)}" tooltip="{escape_attr(tooltip)}"/>')
        out.append("</hyperlinks>")
    out.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
               '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return XML_DECLARATION + "".join(out).encode("utf-8")


def source_of(rels_name: str) -> str:
    """The part whose relationships `rels_name` holds: xl/_rels/workbook.xml.rels -> xl/workbook.xml."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def write_package(source: bytes, members: list) -> bytes:
    """A zip of `members` (name, info: ZipInfo or None, data: bytes or None): unchanged ones copied compressed as they are, the others deflated anew."""
    now = time.localtime()[:6]
    out = []
    try:
        for m in members:
            info = m.info
            if info is not None and m.data is None:
                out.append(ooxml.copied(source, info))
                continue
            z = ooxml.deflated(m.name, m.data or b"", info.date_time if info is not None else now)
            if info is not None:
                z.utf8, z.external_attr, z.create_system = bool(info.flag_bits & 0x800), info.external_attr, info.create_system
            out.append(z)
        return ooxml.write_zip(out)
    except (zipfile.BadZipFile, ooxml.ZipTooLarge, UnicodeEncodeError) as exc:
        raise Unsupported(f"zip: {exc}") from exc

"""Patch an xlsx package directly: cell marks, comments and a new sheet; `Unsupported` for anything unusual."""
from __future__ import annotations

import io
import posixpath
import re
import struct
import threading
import time
import zipfile
import zlib
from bisect import bisect_left
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

REL_OFFICE_DOCUMENT = R_NS + "/officeDocument"
REL_WORKSHEET = R_NS + "/worksheet"
REL_STYLES = R_NS + "/styles"
REL_COMMENTS = R_NS + "/comments"
REL_VML = R_NS + "/vmlDrawing"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
R_ID = f"{{{R_NS}}}id"

# CT_Worksheet: the children that must come after <legacyDrawing>
AFTER_LEGACY_DRAWING = {"legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                        "tableParts", "extLst"}
# CT_Workbook: the children that must come after <definedNames>
AFTER_DEFINED_NAMES = {"calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                       "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"}
# CT_Font is a choice, but Excel writes (and some readers expect) this order
FONT_ORDER = {n: i for i, n in enumerate(("b", "i", "strike", "condense", "extend", "outline", "shadow", "u",
                                         "vertAlign", "sz", "color", "name", "family", "charset", "scheme"))}
HYPERLINK_COLOUR = "0563C1"  # Excel's Office theme hyperlink blue
TRUE = ("1", "true")

_parsers = threading.local()  # an lxml parser must not be shared between threads
_COORD = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_SELECTED = re.compile(rb"""tabSelected\s*=\s*["'](?:1|true)["']""")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                               "\n": "&#10;", "\t": "&#9;"})


class Unsupported(Exception):
    """The package holds something this module does not patch; the caller should use openpyxl instead."""


@dataclass(frozen=True)
class Look:
    """How a cell of a new sheet looks; colours are RRGGBB."""

    bold: bool = False
    size: float | None = None
    colour: str | None = None
    fill: str | None = None
    wrap: bool = False
    top: bool = False
    link: bool = False  # the workbook's Hyperlink cell style (blue, underlined)
    quote: bool = False  # quotePrefix: Excel keeps the text a text when the cell is edited


@dataclass
class NewSheet:
    """A sheet to add: text cells, column widths, internal links, filter, frozen rows and tab colour."""

    name: str
    cells: dict[tuple[int, int], tuple[str, Look]]  # (row, column) -> (text, look); "" gives a styled empty cell
    widths: dict[int, float] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, location like 'Blad'!B7, tooltip)
    autofilter: str | None = None  # "A2:F9"
    freeze: tuple[int, int] | None = None  # (row, column) of the first cell that scrolls
    tab_colour: str | None = None
    heights: dict[int, float] = field(default_factory=dict)  # row -> height in points (wrapped text)


# --------------------------------------------------------------------------- small helpers


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of a plain cell reference like B7."""
    m = _COORD.match(ref.replace("$", "").upper())
    if not m:
        raise Unsupported(f"cell reference {ref!r}")
    return int(m.group(2)), column_index(m.group(1))


def ref_of(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


def _range(ref: str) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of A1 or A1:C3."""
    first, _, last = ref.partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _text(s: str) -> str:
    """`s` as XML element text (a literal CR would be read back as LF)."""
    if _XML_INVALID.search(s):
        raise Unsupported("text that XML cannot hold")
    return s.translate(_TEXT_ESCAPES)


def _attr(s: str) -> str:
    if _XML_INVALID.search(s):
        raise Unsupported("text that XML cannot hold")
    return s.translate(_ATTR_ESCAPES)


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes, what: str):
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                   huge_tree=False, remove_blank_text=False)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as exc:
        raise Unsupported(f"{what}: {exc}") from exc
    if tree.docinfo.doctype:
        raise Unsupported(f"{what}: DTD")
    return tree


def _serialize(tree) -> bytes:
    return XML_DECLARATION + etree.tostring(tree.getroot(), encoding="UTF-8")


def _resolve(source_part: str, target: str) -> str:
    """Part name (no leading slash) that a relationship of `source_part` points to."""
    if "%" in target or "\\" in target:
        raise Unsupported(f"relationship target {target!r}")
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time[:6]
    return (h << 11) | (mi << 5) | (s // 2), ((min(max(y, 1980), 2107) - 1980) << 9) | (mo << 5) | d


# --------------------------------------------------------------------------- the zip package


@dataclass
class _Member:
    name: str
    info: zipfile.ZipInfo | None  # None: a new part
    data: bytes | None = None  # new content; None: copy the source's compressed bytes as they are


class _Relationships:
    """One .rels part, parsed."""

    def __init__(self, tree, name: str):
        self.tree, self.name = tree, name
        self.root = tree.getroot()
        self.dirty = False
        if self.root.tag != f"{{{PKG_RELS}}}Relationships":
            raise Unsupported(f"{name}: not a relationships part")

    @classmethod
    def empty(cls, name: str) -> _Relationships:
        return cls(etree.ElementTree(etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})), name)

    def items(self):
        for rel in self.root.iterchildren(f"{{{PKG_RELS}}}Relationship"):
            yield rel.get("Id"), rel.get("Type"), rel.get("Target", ""), rel.get("TargetMode")

    def add(self, rel_type: str, target: str) -> str:
        ids = {rid for rid, *_ in self.items()}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        etree.SubElement(self.root, f"{{{PKG_RELS}}}Relationship", Id=rid, Type=rel_type, Target=target)
        return rid


@dataclass
class _SheetRef:
    name: str
    part: str
    element: object  # the <sheet> element in workbook.xml


class _Styles:
    """styles.xml: new fills, fonts and cell formats, each made once."""

    def __init__(self, tree, name: str):
        self.tree, self.name = tree, name
        root = tree.getroot()
        if root.tag != _q("styleSheet"):
            raise Unsupported(f"{name}: not a stylesheet")
        self.root = root
        self.fonts = root.find(_q("fonts"))
        self.fills = root.find(_q("fills"))
        self.xfs = root.find(_q("cellXfs"))
        if self.fonts is None or self.fills is None or self.xfs is None:
            raise Unsupported(f"{name}: fonts, fills or cellXfs missing")
        self._font_list = list(self.fonts.iterchildren(_q("font")))
        self._xf_list = list(self.xfs.iterchildren(_q("xf")))
        if not self._font_list or not self._xf_list:
            raise Unsupported(f"{name}: no fonts or cell formats")
        fills = list(self.fills.iterchildren(_q("fill")))
        self._fill_count = len(fills)
        self._no_fill_id: int | None = 0 if fills and _is_no_fill(fills[0]) else None
        self._fill_cache: dict[str, int] = {}
        self._font_cache: dict[tuple, int] = {}
        self._marked_cache: dict[tuple, int] = {}
        self._look_cache: dict[Look, int] = {}
        self._hyperlink: tuple[int, int] | None = None
        self.changed = False

    def _fill(self, rgb: str) -> int:
        if rgb not in self._fill_cache:
            fill = etree.SubElement(self.fills, _q("fill"))
            pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
            etree.SubElement(pattern, _q("fgColor"), rgb="FF" + rgb.upper())
            etree.SubElement(pattern, _q("bgColor"), indexed="64")
            self._fill_cache[rgb] = self._fill_count
            self._fill_count += 1
            self.fills.set("count", str(self._fill_count))
            self.changed = True
        return self._fill_cache[rgb]

    def _no_fill(self) -> int:
        """Fill 0 is "none" by convention, but not in every workbook."""
        if self._no_fill_id is None:
            fill = etree.SubElement(self.fills, _q("fill"))
            etree.SubElement(fill, _q("patternFill"), patternType="none")
            self._no_fill_id = self._fill_count
            self._fill_count += 1
            self.fills.set("count", str(self._fill_count))
            self.changed = True
        return self._no_fill_id

    def _font(self, base: int, colour: str | None, bold: bool = False, size: float | None = None,
              underline: bool = False) -> int:
        key = (base, colour, bold, size, underline)
        if key not in self._font_cache:
            font = deepcopy(self._font_list[base])
            drop = {"color"} if colour else set()
            if bold:
                drop.add("b")
            if size:
                drop.add("sz")
            if underline:
                drop.add("u")
            for child in list(font):
                if _local(child) in drop:
                    font.remove(child)
            if bold:
                etree.SubElement(font, _q("b"))
            if underline:
                etree.SubElement(font, _q("u"))
            if size:
                etree.SubElement(font, _q("sz"), val=f"{size:g}")
            if colour:
                etree.SubElement(font, _q("color"), rgb="FF" + colour.upper())
            children = sorted(font, key=lambda c: FONT_ORDER.get(_local(c), len(FONT_ORDER)))
            font[:] = children
            font.tail = None
            self.fonts.append(font)
            self._font_list.append(font)
            self.fonts.set("count", str(len(self._font_list)))
            self._font_cache[key] = len(self._font_list) - 1
            self.changed = True
        return self._font_cache[key]

    def _add_xf(self, xf) -> int:
        xf.tail = None
        self.xfs.append(xf)
        self._xf_list.append(xf)
        self.xfs.set("count", str(len(self._xf_list)))
        self.changed = True
        return len(self._xf_list) - 1

    def marked(self, s: int, fill: str, font_colour: str | None) -> int:
        """A copy of cell format `s` with a solid `fill` and, when given, its font in `font_colour`."""
        key = (s, fill, font_colour)
        if key not in self._marked_cache:
            if not 0 <= s < len(self._xf_list):
                raise Unsupported(f"cell format {s} does not exist")
            xf = deepcopy(self._xf_list[s])
            xf.set("fillId", str(self._fill(fill)))
            xf.set("applyFill", "1")
            if font_colour:
                base = int(xf.get("fontId", "0"))
                if not 0 <= base < len(self._font_list):
                    raise Unsupported(f"font {base} does not exist")
                xf.set("fontId", str(self._font(base, font_colour)))
                xf.set("applyFont", "1")
            self._marked_cache[key] = self._add_xf(xf)
        return self._marked_cache[key]

    def _hyperlink_style(self) -> tuple[int, int]:
        """(cellStyleXfs index, font id) of the workbook's Hyperlink cell style, added when absent.

        openpyxl finds a named style by its position among the named styles, not by xfId. When the two differ
        (LibreOffice writes unnamed cellStyleXfs), a reference to the style would break openpyxl when it loads
        the copy again; then the cell gets a blue underlined font without the named style.
        """
        if self._hyperlink is not None:
            return self._hyperlink
        style_xfs = self.root.find(_q("cellStyleXfs"))
        styles = self.root.find(_q("cellStyles"))
        if styles is not None and style_xfs is not None:
            named = list(style_xfs.iterchildren(_q("xf")))
            entries = list(styles.iterchildren(_q("cellStyle")))
            try:
                xf_ids = sorted(int(cs.get("xfId", "")) for cs in entries)
            except ValueError:
                xf_ids = []
            if xf_ids != list(range(len(named))) or len({cs.get("name") for cs in entries}) != len(entries):
                self._hyperlink = (0, self._font(0, HYPERLINK_COLOUR, underline=True))
                return self._hyperlink
            for cs in entries:
                if cs.get("builtinId") == "8" or cs.get("name") == "Hyperlink":
                    xf_id = int(cs.get("xfId"))
                    font = int(named[xf_id].get("fontId", "0"))
                    if not 0 <= font < len(self._font_list):
                        raise Unsupported(f"font {font} does not exist")
                    self._hyperlink = (xf_id, font)
                    return self._hyperlink
        elif styles is not None or style_xfs is not None:
            raise Unsupported(f"{self.name}: cellStyles without cellStyleXfs or the other way round")
        if style_xfs is None:
            style_xfs = self.xfs.makeelement(_q("cellStyleXfs"), {})
            self.xfs.addprevious(style_xfs)
            etree.SubElement(style_xfs, _q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
        named = list(style_xfs.iterchildren(_q("xf")))
        if styles is None:
            styles = self.xfs.makeelement(_q("cellStyles"), {})
            self.xfs.addnext(styles)
            etree.SubElement(styles, _q("cellStyle"), name="Normal", xfId="0", builtinId="0")
        font = self._font(0, HYPERLINK_COLOUR, underline=True)
        etree.SubElement(style_xfs, _q("xf"), numFmtId="0", fontId=str(font), fillId=str(self._no_fill()), borderId="0")
        style_xfs.set("count", str(len(named) + 1))
        etree.SubElement(styles, _q("cellStyle"), name="Hyperlink", xfId=str(len(named)), builtinId="8")
        styles.set("count", str(sum(1 for _ in styles.iterchildren(_q("cellStyle")))))
        self.changed = True
        self._hyperlink = (len(named), font)
        return self._hyperlink

    def look(self, look: Look) -> int:
        """The cell format for a cell of a new sheet."""
        if look not in self._look_cache:
            fill = self._fill(look.fill) if look.fill else self._no_fill()
            attrs = {"numFmtId": "0", "fontId": "0", "fillId": str(fill), "borderId": "0", "xfId": "0"}
            if look.link:
                xf_id, font = self._hyperlink_style()
                attrs["xfId"] = str(xf_id)
                if look.bold or look.size:
                    font = self._font(font, None, look.bold, look.size)
                attrs.update(fontId=str(font), applyFont="1")
            elif look.bold or look.size or look.colour:
                attrs.update(fontId=str(self._font(0, look.colour, look.bold, look.size)), applyFont="1")
            if look.fill:
                attrs["applyFill"] = "1"
            if look.quote:
                attrs["quotePrefix"] = "1"
            xf = self.xfs.makeelement(_q("xf"), attrs)
            if look.wrap or look.top:
                attrs_al = {}
                if look.top:
                    attrs_al["vertical"] = "top"
                if look.wrap:
                    attrs_al["wrapText"] = "1"
                etree.SubElement(xf, _q("alignment"), attrs_al)
                xf.set("applyAlignment", "1")
            self._look_cache[look] = self._add_xf(xf)
        return self._look_cache[look]


def _is_no_fill(fill) -> bool:
    children = [c for c in fill if isinstance(c.tag, str)]
    return (len(children) == 1 and children[0].tag == _q("patternFill")
            and children[0].get("patternType", "none") == "none")


@dataclass
class _Note:
    row: int
    col: int
    text: str
    width: int  # px
    height: int  # px


class _Worksheet:
    """One worksheet part being marked: cells, their formats, merged ranges and new comments."""

    def __init__(self, book: Book, ref: _SheetRef):
        self.book, self.ref = book, ref
        self.tree = _parse(book.read(ref.part), ref.part)
        self.root = self.tree.getroot()
        if self.root.tag != _q("worksheet"):
            raise Unsupported(f"{ref.part}: not a transitional worksheet")
        if self.root.find(_q("legacyDrawing")) is not None:
            raise Unsupported(f"{ref.part}: has a legacy drawing (comments or controls)")
        self.data = self.root.find(_q("sheetData"))
        if self.data is None:
            raise Unsupported(f"{ref.part}: no sheetData")
        self.merged = [_range(m.get("ref", "")) for m in self.root.iterfind(f"{_q('mergeCells')}/{_q('mergeCell')}")]
        self._row_numbers: list[int] | None = None
        self._rows: list = []
        self._col_styles: list[tuple[int, int, int]] | None = None
        self.notes: list[_Note] = []
        self.bounds: list[int] | None = None  # min_row, min_col, max_row, max_col of cells made here
        self.changed = False

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        for min_row, min_col, max_row, max_col in self.merged:
            if min_row <= row <= max_row and min_col <= col <= max_col:
                return min_row, min_col
        return row, col

    def _index(self) -> None:
        numbers, rows, last = [], [], 0
        for child in self.data:
            if not isinstance(child.tag, str):
                continue  # an XML comment
            if child.tag != _q("row"):
                raise Unsupported(f"{self.ref.part}: {child.tag} in sheetData")
            r = child.get("r")
            if r is None or not r.isdigit() or int(r) <= last:
                raise Unsupported(f"{self.ref.part}: rows without number or out of order")
            last = int(r)
            numbers.append(last)
            rows.append(child)
        self._row_numbers, self._rows = numbers, rows

    def _column_style(self, col: int) -> int | None:
        if self._col_styles is None:
            self._col_styles = []
            for c in self.root.iterfind(f"{_q('cols')}/{_q('col')}"):
                if c.get("style") is not None:
                    try:
                        self._col_styles.append((int(c.get("min", "0")), int(c.get("max", "0")), int(c.get("style"))))
                    except ValueError:
                        raise Unsupported(f"{self.ref.part}: column {c.attrib}") from None
        for lo, hi, style in self._col_styles:
            if lo <= col <= hi:
                return style
        return None

    def _row(self, row: int):
        if self._row_numbers is None:
            self._index()
        i = bisect_left(self._row_numbers, row)
        if i < len(self._row_numbers) and self._row_numbers[i] == row:
            return self._rows[i]
        el = self.data.makeelement(_q("row"), {"r": str(row)})
        if i < len(self._rows):
            self._rows[i].addprevious(el)
        else:
            self.data.append(el)
        self._row_numbers.insert(i, row)
        self._rows.insert(i, el)
        return el

    def cell(self, row: int, col: int):
        """The <c> element at (row, col), made (with the style Excel would give it) when absent."""
        row_el = self._row(row)
        before = None
        for c in row_el:
            if not isinstance(c.tag, str):
                continue
            if c.tag != _q("c"):
                before = c  # extLst comes after the cells
                break
            ref = c.get("r")
            if ref is None:
                raise Unsupported(f"{self.ref.part}: cells without reference")
            r, cc = split_ref(ref)
            if r != row:
                raise Unsupported(f"{self.ref.part}: cell {ref} in row {row}")
            if cc == col:
                return c
            if cc > col:
                before = c
                break
        attrs = {"r": ref_of(row, col)}
        style = row_el.get("s") if row_el.get("customFormat") in TRUE else self._column_style(col)
        if style is not None and str(style) != "0":
            attrs["s"] = str(style)
        el = row_el.makeelement(_q("c"), attrs)
        if before is not None:
            before.addprevious(el)
        else:
            row_el.append(el)
        self._widen_spans(row_el, col)
        self._grow(row, col)
        self.changed = True
        return el

    @staticmethod
    def _widen_spans(row_el, col: int) -> None:
        spans = row_el.get("spans")
        if not spans:
            return
        try:
            bounds = [int(x) for part in spans.split() for x in part.split(":")]
        except ValueError:
            del row_el.attrib["spans"]  # only a hint for readers
            return
        lo, hi = min(bounds + [col]), max(bounds + [col])
        if not (min(bounds) <= col <= max(bounds)):
            row_el.set("spans", f"{lo}:{hi}")

    def _grow(self, row: int, col: int) -> None:
        if self.bounds is None:
            self.bounds = [row, col, row, col]
        else:
            b = self.bounds
            b[0], b[1], b[2], b[3] = min(b[0], row), min(b[1], col), max(b[2], row), max(b[3], col)

    def _finish_dimension(self) -> None:
        dim = self.root.find(_q("dimension"))
        if dim is None or self.bounds is None:
            return
        try:
            lo_r, lo_c, hi_r, hi_c = _range(dim.get("ref", ""))
        except Unsupported:
            return
        b = self.bounds
        new = (min(lo_r, b[0]), min(lo_c, b[1]), max(hi_r, b[2]), max(hi_c, b[3]))
        if new != (lo_r, lo_c, hi_r, hi_c):
            first, last = ref_of(new[0], new[1]), ref_of(new[2], new[3])
            dim.set("ref", first if first == last else f"{first}:{last}")

    def finish(self) -> None:
        """Write the comments and VML parts, the relationships and <legacyDrawing>."""
        self._finish_dimension()
        if not self.notes:
            return
        book = self.book
        k = book.free_number("xl/comments{}.xml", "xl/drawings/vmlDrawing{}.vml")
        comments_part, vml_part = f"xl/comments{k}.xml", f"xl/drawings/vmlDrawing{k}.vml"
        notes = sorted(self.notes, key=lambda n: (n.row, n.col))
        book.add_part(comments_part, _comments_xml(notes, book.author), CT_COMMENTS)
        book.add_part(vml_part, _vml(notes, book.next_idmap()), None)
        book.ensure_default("vml", CT_VML)
        rels = book.relationships(_rels_name(self.ref.part))
        for _, rel_type, _, _ in rels.items():
            if rel_type in (REL_COMMENTS, REL_VML):
                raise Unsupported(f"{self.ref.part}: has comments already")
        rels.add(REL_COMMENTS, _relative(self.ref.part, comments_part))
        rid = rels.add(REL_VML, _relative(self.ref.part, vml_part))
        rels.dirty = True
        nsmap = None if self.root.nsmap.get("r") == R_NS else {"r": R_NS}
        drawing = self.root.makeelement(_q("legacyDrawing"), {R_ID: rid}, nsmap)
        for child in self.root:
            if not isinstance(child.tag, str):
                continue
            if child.tag.startswith("{http://schemas.openxmlformats.org/markup-compatibility/"):
                raise Unsupported(f"{self.ref.part}: alternate content")
            if child.tag.startswith(f"{{{MAIN}}}") and _local(child) in AFTER_LEGACY_DRAWING:
                child.addprevious(drawing)
                break
        else:
            self.root.append(drawing)
        self.changed = True


def _comments_xml(notes: list[_Note], author: str) -> bytes:
    out = [f'<comments xmlns="{MAIN}"><authors><author>{_text(author)}</author></authors><commentList>']
    for n in notes:
        out.append(f'<comment ref="{ref_of(n.row, n.col)}" authorId="0"><text><r><rPr><sz val="9"/>'
                   f'<color indexed="81"/><rFont val="Tahoma"/><family val="2"/></rPr>'
                   f'<t xml:space="preserve">{_text(n.text)}</t></r></text></comment>')
    out.append("</commentList></comments>")
    return XML_DECLARATION + "".join(out).encode("utf-8")


def _vml(notes: list[_Note], idmap: int) -> bytes:
    out = ['<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">'
           f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>'
           '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
           '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>']
    for i, n in enumerate(notes, start=1):
        out.append(
            f'<v:shape id="_x0000_s{idmap * 1024 + i}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:{n.width}px;height:{n.height}px;'
            f'z-index:{i};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f'<x:Row>{n.row - 1}</x:Row><x:Column>{n.col - 1}</x:Column></x:ClientData></v:shape>'
        )
    out.append("</xml>")
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- the workbook


class Book:
    """An xlsx package opened for marking; `to_bytes` gives the patched package, the source is never written."""

    def __init__(self, data: bytes, *, author: str = ""):
        self._data = data
        self.author = author  # of the new comments
        self._result: bytes | None = None
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise Unsupported(f"zip: {exc}") from exc
        self._members = [_Member(i.filename, i) for i in infos]
        self._by_name: dict[str, _Member] = {}
        for m in self._members:
            info = m.info
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unsupported(f"{m.name}: encrypted or unusual compression")
            if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF or info.header_offset >= 0xFFFFFFFF:
                raise Unsupported(f"{m.name}: zip64")
            key = m.name.casefold()
            if key in self._by_name:
                raise Unsupported(f"{m.name}: duplicate")
            self._by_name[key] = m
            if key.endswith(".vml"):
                raise Unsupported("the workbook has VML drawings (comments or controls)")
        self._rels: dict[str, _Relationships] = {}
        self._idmaps = 0
        self._content_types = _parse(self.read("[Content_Types].xml"), "[Content_Types].xml")
        self._ct_changed = False
        ct_root = self._content_types.getroot()
        if ct_root.tag != f"{{{CT_NS}}}Types":
            raise Unsupported("[Content_Types].xml")
        for o in ct_root.iterchildren(f"{{{CT_NS}}}Override"):
            if o.get("ContentType") == CT_COMMENTS:
                raise Unsupported("the workbook has comments")

        root_rels = self.relationships("_rels/.rels")
        main = [t for _, typ, t, mode in root_rels.items() if typ == REL_OFFICE_DOCUMENT and mode != "External"]
        if len(main) != 1:
            raise Unsupported("no single main part (strict OOXML?)")
        self.workbook_part = _resolve("", main[0])
        self._workbook = _parse(self.read(self.workbook_part), self.workbook_part)
        self._wb = self._workbook.getroot()
        if self._wb.tag != _q("workbook"):
            raise Unsupported(f"{self.workbook_part}: not a transitional workbook")
        self._wb_rels = self.relationships(_rels_name(self.workbook_part))
        targets = {rid: (typ, t, mode) for rid, typ, t, mode in self._wb_rels.items()}
        sheets_el = self._wb.find(_q("sheets"))
        if sheets_el is None:
            raise Unsupported("no sheets")
        self._sheets_el = sheets_el
        self.sheets: list[_SheetRef] = []
        for el in sheets_el.iterchildren(_q("sheet")):
            rel = targets.get(el.get(R_ID))
            if rel is None or rel[0] != REL_WORKSHEET or rel[2] == "External":
                raise Unsupported(f"sheet {el.get('name')!r} is not a worksheet")
            part = _resolve(self.workbook_part, rel[1])
            if part.casefold() not in self._by_name:
                raise Unsupported(f"sheet part {part} missing")
            self.sheets.append(_SheetRef(el.get("name", ""), self._by_name[part.casefold()].name, el))
        if len(self.sheets) != sum(1 for c in sheets_el if isinstance(c.tag, str)):
            raise Unsupported("unexpected elements in <sheets>")
        styles = [t for _, typ, t, mode in self._wb_rels.items() if typ == REL_STYLES and mode != "External"]
        if len(styles) != 1:
            raise Unsupported("no styles part")
        styles_part = _resolve(self.workbook_part, styles[0])
        self.styles = _Styles(_parse(self.read(styles_part), styles_part), styles_part)
        self._worksheets: dict[str, _Worksheet] = {}
        self._new_sheet_parts: set[str] = set()
        self._wb_changed = False
        self._deselect = False

    @classmethod
    def open(cls, path: Path, *, author: str = "") -> Book:
        return cls(Path(path).read_bytes(), author=author)

    # ---- reading

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def read(self, name: str) -> bytes:
        m = self._by_name.get(name.casefold())
        if m is None:
            raise Unsupported(f"part {name} missing")
        if m.data is not None:
            return m.data
        try:
            return self._zip.read(m.info)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise Unsupported(f"{name}: {exc}") from exc

    def relationships(self, name: str) -> _Relationships:
        key = name.casefold()
        if key not in self._rels:
            if key in self._by_name:
                self._rels[key] = _Relationships(_parse(self.read(name), name), self._by_name[key].name)
            else:
                self._rels[key] = _Relationships.empty(name)
        return self._rels[key]

    def worksheet(self, name: str) -> _Worksheet:
        if name not in self._worksheets:
            ref = next((s for s in self.sheets if s.name == name), None)
            if ref is None:
                raise KeyError(name)
            self._worksheets[name] = _Worksheet(self, ref)
        return self._worksheets[name]

    def target(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        """The cell that marks (row, col) of `sheet`: the top-left cell of a merged range."""
        return self.worksheet(sheet).top_left(row, col)

    # ---- changing

    def mark(self, sheet: str, row: int, col: int, *, fill: str | None, font: str | None,
             note: str, note_size: tuple[int, int]) -> None:
        """Give cell (row, col) a solid `fill` (and `font` colour) and a hidden comment `note` of (width, height) px."""
        self._check_open()
        ws = self.worksheet(sheet)
        if any((n.row, n.col) == (row, col) for n in ws.notes):
            raise ValueError(f"{sheet}!{ref_of(row, col)} is marked twice")
        if fill:
            c = ws.cell(row, col)
            s = c.get("s") or "0"
            if not s.isdigit():
                raise Unsupported(f"cell style {s!r}")
            c.set("s", str(self.styles.marked(int(s), fill, font)))
            ws.changed = True
        ws.notes.append(_Note(row, col, note, *note_size))

    def add_sheet(self, sheet: NewSheet, index: int, *, activate: bool = True) -> None:
        """Insert `sheet` at `index` in the tab order; localSheetId of defined names moves along."""
        self._check_open()
        if any(s.name.casefold() == sheet.name.casefold() for s in self.sheets):
            raise Unsupported(f"a sheet {sheet.name!r} exists already")
        if not 0 <= index <= len(self.sheets):
            raise ValueError(index)
        k = self.free_number("xl/worksheets/sheet{}.xml", "xl/worksheets/_rels/sheet{}.xml.rels")
        part = f"xl/worksheets/sheet{k}.xml"
        rid = self._wb_rels.add(REL_WORKSHEET, _relative(self.workbook_part, part))
        self._wb_rels.dirty = True

        ids = [int(s.element.get("sheetId", "0")) for s in self.sheets if s.element.get("sheetId", "").isdigit()]
        nsmap = None if self._sheets_el.nsmap.get("r") == R_NS else {"r": R_NS}
        el = self._sheets_el.makeelement(_q("sheet"), {"name": sheet.name, "sheetId": str(max(ids, default=0) + 1),
                                                       R_ID: rid}, nsmap)
        if index < len(self.sheets):
            self.sheets[index].element.addprevious(el)
        elif self.sheets:
            self.sheets[-1].element.addnext(el)
        else:
            self._sheets_el.append(el)
        self.sheets.insert(index, _SheetRef(sheet.name, part, el))

        names = self._wb.find(_q("definedNames"))
        if names is not None:
            for dn in names.iterchildren(_q("definedName")):
                local = dn.get("localSheetId")
                if local is not None:
                    if not local.isdigit():
                        raise Unsupported(f"localSheetId {local!r}")
                    if int(local) >= index:
                        dn.set("localSheetId", str(int(local) + 1))
        if sheet.autofilter:
            if names is None:
                names = self._wb.makeelement(_q("definedNames"), {})
                self._insert_before(names, AFTER_DEFINED_NAMES)
            first, _, last = sheet.autofilter.partition(":")
            r1, c1 = split_ref(first)
            r2, c2 = split_ref(last or first)
            dn = etree.SubElement(names, _q("definedName"), name="_xlnm._FilterDatabase", localSheetId=str(index),
                                  hidden="1")
            dn.text = f"{_quote_sheet(sheet.name)}!${column_letter(c1)}${r1}:${column_letter(c2)}${r2}"
        if activate:
            self._activate(index)
        self._wb_changed = True
        self.add_part(part, _sheet_xml(sheet, self.styles, selected=activate), CT_WORKSHEET)
        self._new_sheet_parts.add(part.casefold())

    def _check_open(self) -> None:
        if self._result is not None:
            raise RuntimeError("the book has been written; open it again to change it")

    def _insert_before(self, el, later: set[str]) -> None:
        for child in self._wb:
            if isinstance(child.tag, str) and child.tag.startswith(f"{{{MAIN}}}") and _local(child) in later:
                child.addprevious(el)
                return
        self._wb.append(el)

    def _activate(self, index: int) -> None:
        views = self._wb.find(_q("bookViews"))
        if views is None:
            views = self._wb.makeelement(_q("bookViews"), {})
            self._sheets_el.addprevious(views)
        view_list = list(views.iterchildren(_q("workbookView")))
        if not view_list:
            view_list = [etree.SubElement(views, _q("workbookView"))]
        for i, view in enumerate(view_list):
            if i == 0:
                view.set("activeTab", str(index))
            elif (view.get("activeTab") or "0").isdigit() and int(view.get("activeTab") or "0") >= index:
                view.set("activeTab", str(int(view.get("activeTab") or "0") + 1))
            view.set("firstSheet", "0")
        self._deselect = True

    # ---- parts

    def free_number(self, *patterns: str) -> int:
        k = 1
        while any(p.format(k).casefold() in self._by_name for p in patterns):
            k += 1
        return k

    def next_idmap(self) -> int:
        self._idmaps += 1
        return self._idmaps

    def add_part(self, name: str, data: bytes, content_type: str | None) -> None:
        key = name.casefold()
        if key in self._by_name:
            raise Unsupported(f"part {name} exists")
        m = _Member(name, None, data)
        self._members.append(m)
        self._by_name[key] = m
        if content_type:
            etree.SubElement(self._content_types.getroot(), f"{{{CT_NS}}}Override", PartName="/" + name,
                             ContentType=content_type)
            self._ct_changed = True

    def ensure_default(self, extension: str, content_type: str) -> None:
        root = self._content_types.getroot()
        for d in root.iterchildren(f"{{{CT_NS}}}Default"):
            if (d.get("Extension") or "").casefold() == extension:
                if d.get("ContentType") != content_type:
                    raise Unsupported(f"extension {extension} has content type {d.get('ContentType')}")
                return
        first_override = root.find(f"{{{CT_NS}}}Override")
        el = root.makeelement(f"{{{CT_NS}}}Default", {"Extension": extension, "ContentType": content_type})
        if first_override is not None:
            first_override.addprevious(el)
        else:
            root.append(el)
        self._ct_changed = True

    def _set(self, name: str, data: bytes) -> None:
        key = name.casefold()
        if key in self._by_name:
            self._by_name[key].data = data
        else:
            self.add_part(name, data, None)

    # ---- writing

    def to_bytes(self) -> bytes:
        """The patched package as zip bytes; the book takes no changes after this."""
        if self._result is not None:
            return self._result
        for ref in self.sheets:  # in tab order, so comments1.xml belongs to the first marked sheet
            if ref.name in self._worksheets:
                self._worksheets[ref.name].finish()
        if self._deselect:
            self._deselect_sheets()
        for ws in self._worksheets.values():
            if ws.changed:
                self._set(ws.ref.part, _serialize(ws.tree))
        if self.styles.changed:
            self._set(self.styles.name, _serialize(self.styles.tree))
        if self._wb_changed:
            self._set(self.workbook_part, _serialize(self._workbook))
        for rels in self._rels.values():
            if rels.dirty:
                self.ensure_default("rels", CT_RELS)
                self._set(rels.name, _serialize(rels.tree))
        if self._ct_changed:
            self._set("[Content_Types].xml", _serialize(self._content_types))
        self._result = _write_zip(self._data, self._members)
        return self._result

    def _deselect_sheets(self) -> None:
        """tabSelected off on every sheet but the new active one (Excel groups selected sheets)."""
        for ref in self.sheets:
            key = ref.part.casefold()
            if key in self._new_sheet_parts:
                continue
            ws = self._worksheets.get(ref.name)
            if ws is None:
                if not _SELECTED.search(self.read(ref.part)):
                    continue
                ws = self.worksheet(ref.name)
            for view in ws.root.iterfind(f"{_q('sheetViews')}/{_q('sheetView')}"):
                if view.get("tabSelected") in TRUE:
                    del view.attrib["tabSelected"]
                    ws.changed = True

    def save(self, path: Path) -> None:
        data = self.to_bytes()
        with open(path, "wb") as fh:
            fh.write(data)


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _sheet_xml(sheet: NewSheet, styles: _Styles, *, selected: bool) -> bytes:
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
                           f"{_text(text)}</t></is></c>")
            else:
                out.append(f'<c r="{ref_of(r, c)}" s="{s}"/>')
        out.append("</row>")
    out.append("</sheetData>")
    if sheet.autofilter:
        out.append(f'<autoFilter ref="{sheet.autofilter}"/>')
    if sheet.links:
        out.append("<hyperlinks>")
        for ref, location, tooltip in sheet.links:
            out.append(f'<hyperlink ref="{ref}" location="{_attr(location)}" tooltip="{_attr(tooltip)}"/>')
        out.append("</hyperlinks>")
    out.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
               '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return XML_DECLARATION + "".join(out).encode("utf-8")


def _write_zip(source: bytes, members: list[_Member]) -> bytes:
    """A zip of `members`: unchanged ones copied compressed as they are, the others deflated anew."""
    out = io.BytesIO()
    central = []
    now = _dos_time(time.localtime()[:6])
    for m in members:
        info = m.info
        if info is not None and m.data is None:
            start = info.header_offset
            header = source[start:start + 30]
            if len(header) < 30 or header[:4] != b"PK\x03\x04":
                raise Unsupported(f"{m.name}: bad local header")
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            begin = start + 30 + name_len + extra_len
            raw = source[begin:begin + info.compress_size]
            if len(raw) != info.compress_size:
                raise Unsupported(f"{m.name}: truncated")
            method, crc, usize = info.compress_type, info.CRC, info.file_size
            dos_time, dos_date = _dos_time(info.date_time)
            flags = info.flag_bits & ~0x08  # sizes go in the local header: no data descriptor
            external, made_by = info.external_attr, (info.create_system << 8) | 20
        else:
            data = m.data or b""
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = comp.compress(data) + comp.flush()
            method, crc, usize = zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)
            if info is not None:
                dos_time, dos_date = _dos_time(info.date_time)
                flags = info.flag_bits & 0x800
                external, made_by = info.external_attr, (info.create_system << 8) | 20
            else:
                dos_time, dos_date = now
                flags, external, made_by = 0, 0, 20
        name = _encode_name(m.name, flags)
        offset = out.tell()
        if offset >= 0xFFFFFFFF or len(raw) >= 0xFFFFFFFF or usize >= 0xFFFFFFFF:
            raise Unsupported("zip64 needed")
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dos_time, dos_date, crc, len(raw),
                              usize, len(name), 0))
        out.write(name)
        out.write(raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, made_by, 20, flags, method, dos_time, dos_date,
                                   crc, len(raw), usize, len(name), 0, 0, 0, 0, external, offset) + name)
    cd_start = out.tell()
    for entry in central:
        out.write(entry)
    cd_size = out.tell() - cd_start
    if len(central) > 0xFFFF or cd_start >= 0xFFFFFFFF:
        raise Unsupported("zip64 needed")
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0))
    return out.getvalue()


def _encode_name(name: str, flags: int) -> bytes:
    if flags & 0x800:
        return name.encode("utf-8")
    try:
        return name.encode("cp437")  # how zipfile decoded it
    except UnicodeEncodeError:
        raise Unsupported(f"{name}: name encoding") from None

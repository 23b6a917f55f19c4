"""The parts of an xlsx package that marked copies patch: relationships, styles, notes (comments + VML), and
the small XML helpers; `Unsupported` for anything unusual."""
from __future__ import annotations

import io
import re
import threading
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from pipeline import ooxml
from pipeline.render import XML_ILLEGAL

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

REL_OFFICE_DOCUMENT = R_NS + "/officeDocument"
REL_WORKSHEET = R_NS + "/worksheet"
REL_STYLES = R_NS + "/styles"
REL_COMMENTS = R_NS + "/comments"
REL_VML = R_NS + "/vmlDrawing"
REL_CALC_CHAIN = R_NS + "/calcChain"
REL_CUSTOM_PROPERTIES = R_NS + "/custom-properties"
REL_THEME = R_NS + "/theme"
CP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CP_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of every user-defined property
STRICT_REL_PREFIX = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SHEET_KINDS = {R_NS + "/" + kind: kind for kind in ("worksheet", "chartsheet", "dialogsheet")}
SHEET_KINDS["http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"] = "macrosheet"
SHEET_KINDS["http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet"] = "macrosheet"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"

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
# CT_Stylesheet: its children in schema order
STYLESHEET_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                    "tableStyles", "colors", "extLst")
HYPERLINK_COLOUR = "0563C1"  # Excel's Office theme hyperlink blue
TRUE = ("1", "true")

_parsers = threading.local()  # an lxml parser must not be shared between threads
_COORD = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
SELECTED_TAB = re.compile(rb"""tabSelected\s*=\s*["'](?:1|true)["']""")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                               "\n": "&#10;", "\t": "&#9;"})


DAMAGED = "het bestand is beschadigd of met een wachtwoord beveiligd; stuur een werkboek dat Excel gewoon opent"
STRICT = ("het werkboek is opgeslagen als 'Strict Open XML-werkmap'; sla het in Excel op als 'Excel-werkmap (*.xlsx)' "
          "en stuur het opnieuw")


class Unsupported(Exception):
    """The package holds something this module cannot patch; `dutch` says why to the school's administrator."""

    def __init__(self, message: str, dutch: str | None = None):
        super().__init__(message)
        self.dutch = dutch or f"de opbouw van het werkboek wordt niet ondersteund ({message})"


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


@dataclass(frozen=True)
class CellLook:
    """The part of a cell format that a mark changes, as it was before: the fill and the font colour as XML
    without namespace (colour None: the font has none, i.e. automatic), and the applyFill/applyFont flags.
    Described by value, not by index, so it means the same after Excel or LibreOffice renumbered the styles."""

    fill: str
    colour: str | None
    apply_fill: str | None = None
    apply_font: str | None = None
    # the same with theme colours written out as RGB (None: no theme colour in it). LibreOffice writes no theme
    # part and turns theme colours into RGB when it saves: in such a package a theme colour would show Excel's
    # default theme instead of the school's
    fill_rgb: str | None = None
    colour_rgb: str | None = None

    def for_package(self, themed: bool) -> tuple[str, str | None]:
        """(fill, colour) to restore in a package with (`themed`) or without a theme part."""
        if themed:
            return self.fill, self.colour
        return self.fill_rgb or self.fill, self.colour_rgb or self.colour


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


def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of a plain cell reference like B7."""
    m = _COORD.match(ref.replace("$", "").upper())
    if not m:
        raise Unsupported(f"cell reference {ref!r}")
    return int(m.group(2)), column_index_from_string(m.group(1))


def ref_of(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def cell_range(ref: str) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of A1 or A1:C3."""
    first, _, last = ref.partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def escape_text(s: str) -> str:
    """`s` as XML element text (a literal CR would be read back as LF)."""
    if XML_ILLEGAL.search(s):
        raise Unsupported("text that XML cannot hold")
    return s.translate(_TEXT_ESCAPES)


def escape_attr(s: str) -> str:
    if XML_ILLEGAL.search(s):
        raise Unsupported("text that XML cannot hold")
    return s.translate(_ATTR_ESCAPES)


def qname(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def local_name(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def bare_xml(el) -> str:
    """`el` as XML text without namespaces (a short, stable description of a style element)."""
    el = deepcopy(el)
    el.tail = None
    for e in el.iter():
        if isinstance(e.tag, str):
            e.tag = local_name(e)
    etree.cleanup_namespaces(el)
    return etree.tostring(el, encoding="unicode")


def main_xml(text: str):
    """The element of `bare_xml` text back in the spreadsheetml namespace."""
    el = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    for e in el.iter():
        if isinstance(e.tag, str):
            e.tag = qname(e.tag.rsplit("}", 1)[-1])
    return el


# theme colour index -> colour of the theme's clrScheme (Excel swaps the first two pairs)
THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink")
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def theme_palette(data: bytes) -> list[str]:
    """RRGGBB per theme colour index of a theme part; [] when it cannot be read."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    scheme = root.find(f".//{{{DRAWING_NS}}}clrScheme")
    if scheme is None:
        return []
    colours = {}
    for child in scheme:
        if not isinstance(child.tag, str):
            continue
        value = None
        for c in child:
            value = c.get("val") if c.tag == f"{{{DRAWING_NS}}}srgbClr" else c.get("lastClr")
        colours[etree.QName(child).localname] = (value or "").upper()
    palette = [colours.get(name, "") for name in THEME_ORDER]
    return palette if all(re.fullmatch(r"[0-9A-F]{6}", c) for c in palette) else []


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: the luminance moved towards black (tint < 0) or white (tint > 0)."""
    import colorsys

    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, sat = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    return "".join(f"{round(x * 255):02X}" for x in colorsys.hls_to_rgb(h, lum, sat))


def without_theme(xml: str, palette: list[str]) -> str | None:
    """`xml` (bare_xml text) with its theme colours as RGB; None when it has none (or the palette lacks one)."""
    el = etree.fromstring(xml.encode("utf-8"))
    changed = False
    for e in el.iter():
        theme = e.get("theme") if isinstance(e.tag, str) else None
        if theme is None:
            continue
        if not theme.isdigit() or int(theme) >= len(palette):
            return None
        try:
            tint = float(e.get("tint", "0"))
        except ValueError:
            return None
        rgb = _tinted(palette[int(theme)], tint) if tint else palette[int(theme)]
        for attr in ("theme", "tint"):
            e.attrib.pop(attr, None)
        e.set("rgb", "FF" + rgb)
        changed = True
    return etree.tostring(el, encoding="unicode") if changed else None


def parse_part(data: bytes, what: str):
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


def serialize(tree) -> bytes:
    return XML_DECLARATION + etree.tostring(tree.getroot(), encoding="UTF-8")


def resolve_target(source_part: str, target: str) -> str:
    """Part name (no leading slash) that a relationship of `source_part` points to."""
    if "%" in target or "\\" in target:
        raise Unsupported(f"relationship target {target!r}")
    return ooxml.resolve(source_part, target)


class Relationships:
    """One .rels part, parsed."""

    def __init__(self, tree, name: str):
        self.tree, self.name = tree, name
        self.root = tree.getroot()
        self.dirty = False
        if self.root.tag != f"{{{PKG_RELS}}}Relationships":
            raise Unsupported(f"{name}: not a relationships part")

    @classmethod
    def empty(cls, name: str) -> Relationships:
        return cls(etree.ElementTree(etree.Element(f"{{{PKG_RELS}}}Relationships", nsmap={None: PKG_RELS})), name)

    def items(self):
        for rel in self.root.iterchildren(f"{{{PKG_RELS}}}Relationship"):
            yield rel.get("Id"), rel.get("Type"), rel.get("Target", ""), rel.get("TargetMode")

    def get(self, rid: str | None) -> tuple[str, str, str | None] | None:
        """(type, target, target mode) of relationship `rid`."""
        for i, typ, target, mode in self.items():
            if i == rid:
                return typ, target, mode
        return None

    def remove(self, rid: str) -> None:
        for rel in list(self.root.iterchildren(f"{{{PKG_RELS}}}Relationship")):
            if rel.get("Id") == rid:
                self.root.remove(rel)
                self.dirty = True

    def add(self, rel_type: str, target: str) -> str:
        ids = {rid for rid, *_ in self.items()}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        etree.SubElement(self.root, f"{{{PKG_RELS}}}Relationship", Id=rid, Type=rel_type, Target=target)
        return rid


@dataclass
class SheetRef:
    name: str
    part: str
    element: object  # the <sheet> element in workbook.xml
    kind: str = "worksheet"  # or chartsheet, dialogsheet, macrosheet: kept, never marked


class Styles:
    """styles.xml: new fills, fonts and cell formats, each made once."""

    def __init__(self, tree, name: str):
        self.tree, self.name = tree, name
        root = tree.getroot()
        if root.tag != qname("styleSheet"):
            raise Unsupported(f"{name}: not a stylesheet")
        self.root = root
        self.changed = False
        # a stylesheet may lack any of these (generators write an empty one): Excel's defaults are added
        self.fonts = self._list("fonts", "font", lambda font: (etree.SubElement(font, qname("sz"), val="11"),
                                                               etree.SubElement(font, qname("name"), val="Calibri")))
        self.fills = self._list("fills", "fill", lambda fill: etree.SubElement(fill, qname("patternFill"),
                                                                               patternType="none"))
        self._list("borders", "border", lambda border: [etree.SubElement(border, qname(side))
                                                          for side in ("left", "right", "top", "bottom", "diagonal")])
        self.xfs = self._list("cellXfs", "xf", lambda xf: xf.attrib.update(dict(numFmtId="0", fontId="0", fillId="0",
                                                                            borderId="0")))
        self._font_list = list(self.fonts.iterchildren(qname("font")))
        self._xf_list = list(self.xfs.iterchildren(qname("xf")))
        fills = list(self.fills.iterchildren(qname("fill")))
        self._fill_count = len(fills)
        self._no_fill_id: int | None = 0 if fills and is_no_fill(fills[0]) else None
        self._fill_cache: dict[str, int] = {}
        self._font_cache: dict[tuple, int] = {}
        self._marked_cache: dict[tuple, int] = {}
        self._look_cache: dict[Look, int] = {}
        self._hyperlink: tuple[int, int] | None = None
        self._restored_fills: dict[str, int] = {}
        self._restored_fonts: dict[tuple, int] = {}
        self._unmarked_cache: dict[tuple, int | None] = {}
        self.palette: list[str] = []  # RRGGBB per theme colour index (Book sets it from the theme part)
        self.themed = False  # whether the package has a theme part

    def _list(self, name: str, item: str, fill_default):
        """The list element `name` of the stylesheet, made in schema order when absent, never empty."""
        el = self.root.find(qname(name))
        if el is None:
            el = self.root.makeelement(qname(name), {})
            later = STYLESHEET_ORDER[STYLESHEET_ORDER.index(name) + 1:]
            for child in self.root:
                if isinstance(child.tag, str) and local_name(child) in later:
                    child.addprevious(el)
                    break
            else:
                self.root.append(el)
            self.changed = True
        if el.find(qname(item)) is None:
            fill_default(etree.SubElement(el, qname(item)))
            el.set("count", "1")
            self.changed = True
        return el

    def _fill(self, rgb: str) -> int:
        if rgb not in self._fill_cache:
            fill = etree.SubElement(self.fills, qname("fill"))
            pattern = etree.SubElement(fill, qname("patternFill"), patternType="solid")
            etree.SubElement(pattern, qname("fgColor"), rgb="FF" + rgb.upper())
            etree.SubElement(pattern, qname("bgColor"), indexed="64")
            self._fill_cache[rgb] = self._fill_count
            self._fill_count += 1
            self.fills.set("count", str(self._fill_count))
            self.changed = True
        return self._fill_cache[rgb]

    def _no_fill(self) -> int:
        """Fill 0 is "none" by convention, but not in every workbook."""
        if self._no_fill_id is None:
            fill = etree.SubElement(self.fills, qname("fill"))
            etree.SubElement(fill, qname("patternFill"), patternType="none")
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
                if local_name(child) in drop:
                    font.remove(child)
            if bold:
                etree.SubElement(font, qname("b"))
            if underline:
                etree.SubElement(font, qname("u"))
            if size:
                etree.SubElement(font, qname("sz"), val=f"{size:g}")
            if colour:
                etree.SubElement(font, qname("color"), rgb="FF" + colour.upper())
            children = sorted(font, key=lambda c: FONT_ORDER.get(local_name(c), len(FONT_ORDER)))
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
            # a cell format that does not exist shows as the default one
            xf = deepcopy(self._xf_list[s] if 0 <= s < len(self._xf_list) else self._xf_list[0])
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

    def _xf(self, s: int):
        # a cell format that does not exist shows as the default one
        return self._xf_list[s] if 0 <= s < len(self._xf_list) else self._xf_list[0]

    def _fill_element(self, fill_id: str | None):
        fills = list(self.fills.iterchildren(qname("fill")))
        i = int(fill_id) if (fill_id or "0").isdigit() else -1
        return fills[i] if 0 <= i < len(fills) else None

    def _font_element(self, font_id: str | None):
        i = int(font_id) if (font_id or "0").isdigit() else -1
        return self._font_list[i] if 0 <= i < len(self._font_list) else None

    def describe(self, s: int) -> CellLook:
        """The fill and font colour of cell format `s`, as a mark would overwrite them."""
        xf = self._xf(s)
        fill = self._fill_element(xf.get("fillId", "0"))
        font = self._font_element(xf.get("fontId", "0"))
        colour = font.find(qname("color")) if font is not None else None
        fill_xml = bare_xml(fill) if fill is not None else '<fill><patternFill patternType="none"/></fill>'
        colour_xml = bare_xml(colour) if colour is not None else None
        return CellLook(fill_xml, colour_xml, xf.get("applyFill"), xf.get("applyFont"),
                        without_theme(fill_xml, self.palette),
                        without_theme(colour_xml, self.palette) if colour_xml is not None else None)

    def unmarked(self, s: int, fill: str, font_colour: str | None, original: CellLook) -> int | None:
        """A copy of cell format `s` with the `original` fill instead of a solid `fill`, and the original font colour
        instead of `font_colour`; None when `s` shows neither (the school gave the cell a look of its own since)."""
        key = (s, fill, font_colour, original)
        if key in self._unmarked_cache:
            return self._unmarked_cache[key]
        original_fill, original_colour = original.for_package(self.themed)
        xf = self._xf(s)
        new = deepcopy(xf)
        changed = False
        if _solid_rgb(self._fill_element(xf.get("fillId", "0"))) == fill.upper():
            if original_fill not in self._restored_fills:
                el = main_xml(original_fill)
                self.fills.append(el)
                self._fill_count += 1
                self.fills.set("count", str(self._fill_count))
                self._restored_fills[original_fill] = self._fill_count - 1
                self.changed = True
            new.set("fillId", str(self._restored_fills[original_fill]))
            _set_or_drop(new, "applyFill", original.apply_fill)
            changed = True
        font = self._font_element(xf.get("fontId", "0"))
        colour = font.find(qname("color")) if font is not None else None
        if font_colour and colour is not None and (colour.get("rgb") or "")[-6:].upper() == font_colour.upper():
            font_key = (xf.get("fontId"), original_colour)
            if font_key not in self._restored_fonts:
                el = deepcopy(font)
                for child in list(el):
                    if local_name(child) == "color":
                        el.remove(child)
                if original_colour is not None:
                    el.append(main_xml(original_colour))
                el[:] = sorted(el, key=lambda c: FONT_ORDER.get(local_name(c), len(FONT_ORDER)))
                el.tail = None
                self.fonts.append(el)
                self._font_list.append(el)
                self.fonts.set("count", str(len(self._font_list)))
                self._restored_fonts[font_key] = len(self._font_list) - 1
                self.changed = True
            new.set("fontId", str(self._restored_fonts[font_key]))
            _set_or_drop(new, "applyFont", original.apply_font)
            changed = True
        self._unmarked_cache[key] = self._add_xf(new) if changed else None
        return self._unmarked_cache[key]

    def _hyperlink_style(self) -> tuple[int, int]:
        """(cellStyleXfs index, font id) of the workbook's Hyperlink cell style, added when absent.

        openpyxl finds a named style by its position among the named styles, not by xfId. When the two differ
        (LibreOffice writes unnamed cellStyleXfs), a reference to the style would break openpyxl when it loads
        the copy again; then the cell gets a blue underlined font without the named style.
        """
        if self._hyperlink is not None:
            return self._hyperlink
        style_xfs = self.root.find(qname("cellStyleXfs"))
        styles = self.root.find(qname("cellStyles"))
        if styles is not None and style_xfs is not None:
            named = list(style_xfs.iterchildren(qname("xf")))
            entries = list(styles.iterchildren(qname("cellStyle")))
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
            # one without the other: no named style, a blue underlined font; the xfId="0" of new cell
            # formats needs a cell style format to point at
            if style_xfs is None:
                style_xfs = self.xfs.makeelement(qname("cellStyleXfs"), {"count": "1"})
                self.xfs.addprevious(style_xfs)
                etree.SubElement(style_xfs, qname("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
                self.changed = True
            self._hyperlink = (0, self._font(0, HYPERLINK_COLOUR, underline=True))
            return self._hyperlink
        if style_xfs is None:
            style_xfs = self.xfs.makeelement(qname("cellStyleXfs"), {})
            self.xfs.addprevious(style_xfs)
            etree.SubElement(style_xfs, qname("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
        named = list(style_xfs.iterchildren(qname("xf")))
        if styles is None:
            styles = self.xfs.makeelement(qname("cellStyles"), {})
            self.xfs.addnext(styles)
            etree.SubElement(styles, qname("cellStyle"), name="Normal", xfId="0", builtinId="0")
        font = self._font(0, HYPERLINK_COLOUR, underline=True)
        etree.SubElement(style_xfs, qname("xf"), numFmtId="0", fontId=str(font), fillId=str(self._no_fill()), borderId="0")
        style_xfs.set("count", str(len(named) + 1))
        etree.SubElement(styles, qname("cellStyle"), name="Hyperlink", xfId=str(len(named)), builtinId="8")
        styles.set("count", str(sum(1 for _ in styles.iterchildren(qname("cellStyle")))))
        self.changed = True
        self._hyperlink = (len(named), font)
        return self._hyperlink

    def look(self, look: Look) -> int:
        """The cell format for a cell of a new sheet."""
        if look not in self._look_cache:
            if self.root.find(qname("cellStyleXfs")) is None:
                self._hyperlink_style()  # makes the cell style format that xfId="0" points at
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
            xf = self.xfs.makeelement(qname("xf"), attrs)
            if look.wrap or look.top:
                attrs_al = {}
                if look.top:
                    attrs_al["vertical"] = "top"
                if look.wrap:
                    attrs_al["wrapText"] = "1"
                etree.SubElement(xf, qname("alignment"), attrs_al)
                xf.set("applyAlignment", "1")
            self._look_cache[look] = self._add_xf(xf)
        return self._look_cache[look]


def _solid_rgb(fill) -> str | None:
    """RRGGBB of a solid pattern fill given as an RGB colour, else None."""
    pattern = fill.find(qname("patternFill")) if fill is not None else None
    if pattern is None or pattern.get("patternType") != "solid":
        return None
    fg = pattern.find(qname("fgColor"))
    rgb = fg.get("rgb") if fg is not None else None
    return rgb[-6:].upper() if rgb else None


def _set_or_drop(el, attr: str, value: str | None) -> None:
    if value is None:
        el.attrib.pop(attr, None)
    else:
        el.set(attr, value)


def is_no_fill(fill) -> bool:
    children = [c for c in fill if isinstance(c.tag, str)]
    return (len(children) == 1 and children[0].tag == qname("patternFill")
            and children[0].get("patternType", "none") == "none")

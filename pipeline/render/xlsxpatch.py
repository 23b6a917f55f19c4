"""Patch an xlsx package directly: cell marks, comments and a new sheet, everything else of the school's
workbook kept byte for byte; `Unsupported` for anything unusual."""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import ooxml
from pipeline.render.xlsxparts import (AFTER_DEFINED_NAMES, CP_FMTID, CP_NS, CT_CUSTOM_PROPERTIES, CT_NS, CT_RELS,
                                       CT_STYLES, CT_WORKSHEET, DAMAGED, MAIN, REL_CALC_CHAIN, REL_COMMENTS,
                                       REL_CUSTOM_PROPERTIES, REL_OFFICE_DOCUMENT, REL_STYLES, REL_THEME,
                                       REL_WORKSHEET, R_ID, R_NS, SELECTED_TAB, SHEET_KINDS, STRICT,
                                       STRICT_REL_PREFIX, TRUE, VT_NS, CellLook, NewSheet, Relationships, SheetRef,
                                       Styles, Unsupported, escape_text, get_column_letter, local_name, parse_part,
                                       qname, ref_of, resolve_target, serialize, split_ref, theme_palette)
from pipeline.render.xlsxnotes import Note, blocks_for, idmaps, shape_ids
from pipeline.render.xlsxsheet import Worksheet
from pipeline.render.xlsxwrite import quote_sheet, sheet_xml, source_of, write_package


@dataclass
class _Member:
    name: str
    info: zipfile.ZipInfo | None  # None: a new part
    data: bytes | None = None  # new content; None: copy the source's compressed bytes as they are


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
            raise Unsupported(f"zip: {exc}", DAMAGED) from exc
        self._members = [_Member(i.filename, i) for i in infos]
        self._by_name: dict[str, _Member] = {}
        for m in self._members:
            info = m.info
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unsupported(f"{m.name}: encrypted or unusual compression", DAMAGED)
            if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF or info.header_offset >= 0xFFFFFFFF:
                raise Unsupported(f"{m.name}: zip64")
            key = m.name.casefold()
            if key in self._by_name:
                raise Unsupported(f"{m.name}: duplicate")
            self._by_name[key] = m
        self._rels: dict[str, Relationships] = {}
        # shape id blocks the school's VML drawings use (comments, form controls): ours take others
        self._used_idmaps: set[int] = set()
        for m in self._members:
            if m.name.casefold().endswith(".vml"):
                vml = self.read(m.name)
                self._used_idmaps |= idmaps(vml) | {i // 1024 for i in shape_ids(vml)}
        self._idmaps = 0
        self._content_types = parse_part(self.read("[Content_Types].xml"), "[Content_Types].xml")
        self._ct_changed = False
        ct_root = self._content_types.getroot()
        if ct_root.tag != f"{{{CT_NS}}}Types":
            raise Unsupported("[Content_Types].xml")

        root_rels = self.relationships("_rels/.rels")
        if any((typ or "").startswith(STRICT_REL_PREFIX) for _, typ, _, _ in root_rels.items()):
            raise Unsupported("strict OOXML", STRICT)
        main = [t for _, typ, t, mode in root_rels.items() if typ == REL_OFFICE_DOCUMENT and mode != "External"]
        if len(main) != 1:
            raise Unsupported("no single main part", DAMAGED)
        self.workbook_part = resolve_target("", main[0])
        self._workbook = parse_part(self.read(self.workbook_part), self.workbook_part)
        self._wb = self._workbook.getroot()
        if self._wb.tag != qname("workbook"):
            raise Unsupported(f"{self.workbook_part}: not a transitional workbook")
        self._wb_rels = self.relationships(ooxml.rels_part(self.workbook_part))
        targets = {rid: (typ, t, mode) for rid, typ, t, mode in self._wb_rels.items()}
        sheets_el = self._wb.find(qname("sheets"))
        if sheets_el is None:
            raise Unsupported("no sheets")
        self._sheets_el = sheets_el
        self.sheets: list[SheetRef] = []
        for el in sheets_el.iterchildren(qname("sheet")):
            rel = targets.get(el.get(R_ID))
            if rel is None or rel[0] not in SHEET_KINDS or rel[2] == "External":
                raise Unsupported(f"sheet {el.get('name')!r} is no worksheet, chartsheet, dialog or macro sheet")
            part = resolve_target(self.workbook_part, rel[1])
            if part.casefold() not in self._by_name:
                raise Unsupported(f"sheet part {part} missing")
            self.sheets.append(SheetRef(el.get("name", ""), self._by_name[part.casefold()].name, el,
                                        SHEET_KINDS[rel[0]]))
        if len(self.sheets) != sum(1 for c in sheets_el if isinstance(c.tag, str)):
            raise Unsupported("unexpected elements in <sheets>")
        styles = [t for _, typ, t, mode in self._wb_rels.items() if typ == REL_STYLES and mode != "External"]
        if len(styles) > 1:
            raise Unsupported("more than one styles part")
        if styles:
            styles_part = resolve_target(self.workbook_part, styles[0])
            self.styles = Styles(parse_part(self.read(styles_part), styles_part), styles_part)
        else:  # optional in a package (generators leave it out): an empty one, Styles adds the defaults
            styles_part = posixpath.join(posixpath.dirname(self.workbook_part), "styles.xml")
            tree = etree.ElementTree(etree.Element(qname("styleSheet"), nsmap={None: MAIN}))
            self.styles = Styles(tree, styles_part)
            self.styles.changed = True
            self.add_part(styles_part, serialize(tree), CT_STYLES)
            self._wb_rels.add(REL_STYLES, ooxml.relative(self.workbook_part, styles_part))
            self._wb_rels.dirty = True
        themes = [resolve_target(self.workbook_part, t) for _, typ, t, mode in self._wb_rels.items()
                  if typ == REL_THEME and mode != "External"]
        if themes and themes[0].casefold() in self._by_name:
            self.styles.themed = True
            self.styles.palette = theme_palette(self.read(themes[0]))
        self._worksheets: dict[str, Worksheet] = {}
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
            raise Unsupported(f"{name}: {exc}", DAMAGED) from exc

    def relationships(self, name: str) -> Relationships:
        key = name.casefold()
        if key not in self._rels:
            if key in self._by_name:
                self._rels[key] = Relationships(parse_part(self.read(name), name), self._by_name[key].name)
            else:
                self._rels[key] = Relationships.empty(name)
        return self._rels[key]

    @property
    def worksheet_names(self) -> list[str]:
        """The sheets that can be marked (no chart, dialog or macro sheets)."""
        return [s.name for s in self.sheets if s.kind == "worksheet"]

    def worksheet(self, name: str) -> Worksheet:
        if name not in self._worksheets:
            ref = next((s for s in self.sheets if s.name == name), None)
            if ref is None:
                raise KeyError(name)
            self._worksheets[name] = Worksheet(self, ref)
        return self._worksheets[name]

    def target(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        """The cell that marks (row, col) of `sheet`: the top-left cell of a merged range."""
        return self.worksheet(sheet).top_left(row, col)

    # ---- changing

    def mark(self, sheet: str, row: int, col: int, *, fill: str | None, font: str | None,
             note: str, note_size: tuple[int, int]) -> CellLook | None:
        """Give cell (row, col) a solid `fill` (and `font` colour) and a hidden comment `note` of (width, height) px.
        Returns the fill and font colour the cell had (None when no `fill` left them as they are)."""
        self._check_open()
        ws = self.worksheet(sheet)
        if any((n.row, n.col) == (row, col) for n in ws.notes):
            raise ValueError(f"{sheet}!{ref_of(row, col)} is marked twice")
        before = None
        if fill:
            c = ws.cell(row, col)
            s = c.get("s") or "0"
            if not s.isdigit():
                raise Unsupported(f"cell style {s!r}")
            before = self.styles.describe(int(s))
            c.set("s", str(self.styles.marked(int(s), fill, font)))
            ws.changed = True
        ws.notes.append(Note(row, col, note, *note_size))
        return before

    def clean_notes(self, sheet: str, decide) -> dict[tuple[int, int], str]:
        """Remove the comments of worksheet `sheet` that `decide(row, column, author, text)` rejects (DROP, or a
        number of characters to keep); returns what happened per (row, column): "drop" or "cut"."""
        self._check_open()
        ref = next(s for s in self.sheets if s.name == sheet)
        if not any(typ == REL_COMMENTS for _, typ, _, _ in self.relationships(ooxml.rels_part(ref.part)).items()):
            return {}  # no comments: the sheet need not be parsed
        return self.worksheet(sheet).clean_notes(decide)

    def unmark(self, sheet: str, row: int, col: int, *, fill: str, font: str | None, original: CellLook) -> bool:
        """Give cell (row, col) its `original` fill and font colour back where it still shows the solid `fill`
        and the `font` colour of a mark; False when it shows neither (or does not exist)."""
        self._check_open()
        ws = self.worksheet(sheet)
        c = ws.find_cell(row, col)
        if c is None:
            return False
        s = c.get("s") or "0"
        if not s.isdigit():
            raise Unsupported(f"cell style {s!r}")
        new = self.styles.unmarked(int(s), fill, font, original)
        if new is None:
            return False
        c.set("s", str(new))
        ws.changed = True
        return True

    def cell_look(self, sheet: str, row: int, col: int) -> CellLook:
        """The fill and font colour cell (row, col) shows now (a cell not there: the default format's)."""
        c = self.worksheet(sheet).find_cell(row, col)
        s = (c.get("s") if c is not None else None) or "0"
        return self.styles.describe(int(s) if s.isdigit() else 0)

    # ---- user-defined document properties (docProps/custom.xml)

    def _custom_part(self) -> str | None:
        parts = [resolve_target("", t) for _, typ, t, mode in self.relationships("_rels/.rels").items()
                 if typ == REL_CUSTOM_PROPERTIES and mode != "External"]
        return parts[0] if parts and parts[0].casefold() in self._by_name else None

    def custom_properties(self) -> dict[str, str]:
        """The text-valued user-defined document properties, by name."""
        part = self._custom_part()
        if part is None:
            return {}
        root = parse_part(self.read(part), part).getroot()
        out = {}
        for prop in root.iterchildren(f"{{{CP_NS}}}property"):
            value = next((v for v in prop if v.tag in (f"{{{VT_NS}}}lpwstr", f"{{{VT_NS}}}bstr")), None)
            if value is not None:
                out[prop.get("name", "")] = value.text or ""
        return out

    def set_custom_properties(self, owned, values: dict[str, str]) -> None:
        """Replace the user-defined document properties whose name `owned(name)` accepts by `values` (text), the
        others kept; the part is made when needed, and goes (with its relationship) when no property is left."""
        self._check_open()
        part = self._custom_part()
        if part is None:
            if not values:
                return
            part = "docProps/custom.xml" if "docprops/custom.xml" not in self._by_name else \
                f"docProps/custom{self.free_number('docProps/custom{}.xml')}.xml"
            root_rels = self.relationships("_rels/.rels")
            root_rels.add(REL_CUSTOM_PROPERTIES, part)
            root_rels.dirty = True
            tree = etree.ElementTree(etree.Element(f"{{{CP_NS}}}Properties", nsmap={None: CP_NS, "vt": VT_NS}))
            self.add_part(part, serialize(tree), CT_CUSTOM_PROPERTIES)
        tree = parse_part(self.read(part), part)
        root = tree.getroot()
        if root.tag != f"{{{CP_NS}}}Properties":
            raise Unsupported(f"{part}: not a custom properties part")
        changed = False
        for prop in list(root.iterchildren(f"{{{CP_NS}}}property")):
            if owned(prop.get("name", "")):
                root.remove(prop)
                changed = True
        if not values and not changed:
            return
        if not values and root.find(f"{{{CP_NS}}}property") is None:  # nothing left: the part goes
            root_rels = self.relationships("_rels/.rels")
            for rid, typ, target, mode in list(root_rels.items()):
                if typ == REL_CUSTOM_PROPERTIES and mode != "External":
                    root_rels.remove(rid)
            root_rels.dirty = True
            self._drop_part(part)
            return
        pids = [int(p.get("pid")) for p in root.iterchildren(f"{{{CP_NS}}}property") if (p.get("pid") or "").isdigit()]
        pid = max(pids, default=1) + 1
        for name, value in values.items():
            prop = etree.SubElement(root, f"{{{CP_NS}}}property", fmtid=CP_FMTID, pid=str(pid), name=name)
            escape_text(value)  # refuses text XML cannot hold
            etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
            pid += 1
        self.set_part(part, serialize(tree))

    def add_sheet(self, sheet: NewSheet, index: int, *, activate: bool = True) -> None:
        """Insert `sheet` at `index` in the tab order; localSheetId of defined names moves along."""
        self._check_open()
        if any(s.name.casefold() == sheet.name.casefold() for s in self.sheets):
            raise Unsupported(f"a sheet {sheet.name!r} exists already")
        if not 0 <= index <= len(self.sheets):
            raise ValueError(index)
        k = self.free_number("xl/worksheets/sheet{}.xml", "xl/worksheets/_rels/sheet{}.xml.rels")
        part = f"xl/worksheets/sheet{k}.xml"
        rid = self._wb_rels.add(REL_WORKSHEET, ooxml.relative(self.workbook_part, part))
        self._wb_rels.dirty = True

        ids = [int(s.element.get("sheetId", "0")) for s in self.sheets if s.element.get("sheetId", "").isdigit()]
        nsmap = None if self._sheets_el.nsmap.get("r") == R_NS else {"r": R_NS}
        el = self._sheets_el.makeelement(qname("sheet"), {"name": sheet.name, "sheetId": str(max(ids, default=0) + 1),
                                                       R_ID: rid}, nsmap)
        if index < len(self.sheets):
            self.sheets[index].element.addprevious(el)
        elif self.sheets:
            self.sheets[-1].element.addnext(el)
        else:
            self._sheets_el.append(el)
        self.sheets.insert(index, SheetRef(sheet.name, part, el))

        names = self._wb.find(qname("definedNames"))
        if names is not None:
            for dn in names.iterchildren(qname("definedName")):
                local = dn.get("localSheetId")
                if local is not None:
                    if not local.isdigit():
                        raise Unsupported(f"localSheetId {local!r}")
                    if int(local) >= index:
                        dn.set("localSheetId", str(int(local) + 1))
        if sheet.autofilter:
            if names is None:
                names = self._wb.makeelement(qname("definedNames"), {})
                self._insert_before(names, AFTER_DEFINED_NAMES)
            first, _, last = sheet.autofilter.partition(":")
            r1, c1 = split_ref(first)
            r2, c2 = split_ref(last or first)
            dn = etree.SubElement(names, qname("definedName"), name="_xlnm._FilterDatabase", localSheetId=str(index),
                                  hidden="1")
            dn.text = f"{quote_sheet(sheet.name)}!${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}"
        if activate:
            self._activate(index)
        self._wb_changed = True
        self.add_part(part, sheet_xml(sheet, self.styles, selected=activate), CT_WORKSHEET)
        self._new_sheet_parts.add(part.casefold())

    def remove_sheet(self, name: str) -> None:
        """Take sheet `name` out: its part and the parts only it uses, its workbook entry, relationship and content
        type, the defined names on it; later localSheetIds, activeTab and firstSheet move down by one."""
        self._check_open()
        index = next(i for i, s in enumerate(self.sheets) if s.name == name)
        ref = self.sheets.pop(index)
        self._worksheets.pop(name, None)
        ref.element.getparent().remove(ref.element)
        self._wb_rels.remove(ref.element.get(R_ID))
        self._drop_part(ref.part)
        names = self._wb.find(qname("definedNames"))
        on_sheet = re.compile(r"(?<![\w.])(?:'" + re.escape(name.replace("'", "''")) + "'|" + re.escape(name) + r")!",
                              re.IGNORECASE)
        for dn in list(names.iterchildren(qname("definedName")) if names is not None else ()):
            local = dn.get("localSheetId")
            if local is not None and not local.isdigit():
                raise Unsupported(f"localSheetId {local!r}")
            if (local is not None and int(local) == index) or on_sheet.search(dn.text or ""):
                names.remove(dn)
            elif local is not None and int(local) > index:
                dn.set("localSheetId", str(int(local) - 1))
        if names is not None and names.find(qname("definedName")) is None:
            self._wb.remove(names)
        for view in self._wb.iterfind(f"{qname('bookViews')}/{qname('workbookView')}"):
            for attr in ("activeTab", "firstSheet"):
                value = view.get(attr)
                if value is not None and value.isdigit():
                    v = int(value) - 1 if int(value) > index else int(value)
                    view.set(attr, str(min(v, max(len(self.sheets) - 1, 0))))
        # the calculation chain names cells by sheet: Excel rebuilds it when it is absent
        for rid, typ, target, mode in list(self._wb_rels.items()):
            if typ == REL_CALC_CHAIN and mode != "External":
                self._wb_rels.remove(rid)
                self._drop_part(resolve_target(self.workbook_part, target))
        self._wb_rels.dirty = True
        self._wb_changed = True

    def _drop_part(self, part: str) -> None:
        """Remove `part`, its relationships and content type, and the parts it alone points to."""
        key = part.casefold()
        if key not in self._by_name:
            return
        rels_name = ooxml.rels_part(part)
        targets = []
        if rels_name.casefold() in self._by_name:
            targets = [resolve_target(part, t) for _, _, t, mode in self.relationships(rels_name).items()
                       if mode != "External"]
        for name in (part, rels_name):
            m = self._by_name.pop(name.casefold(), None)
            if m is not None:
                self._members.remove(m)
            self._rels.pop(name.casefold(), None)
        root = self._content_types.getroot()
        for o in list(root.iterchildren(f"{{{CT_NS}}}Override")):
            if (o.get("PartName") or "").lstrip("/").casefold() == key:
                root.remove(o)
                self._ct_changed = True
        still_used = set()
        for m in self._members:
            if m.name.casefold().endswith(".rels"):
                source = source_of(m.name)
                still_used |= {resolve_target(source, t).casefold()
                               for _, _, t, mode in self.relationships(m.name).items() if mode != "External"}
        for t in targets:
            if t.casefold() not in still_used:
                self._drop_part(t)

    def _check_open(self) -> None:
        if self._result is not None:
            raise RuntimeError("the book has been written; open it again to change it")

    def _insert_before(self, el, later: set[str]) -> None:
        for child in self._wb:
            if isinstance(child.tag, str) and child.tag.startswith(f"{{{MAIN}}}") and local_name(child) in later:
                child.addprevious(el)
                return
        self._wb.append(el)

    def _activate(self, index: int) -> None:
        views = self._wb.find(qname("bookViews"))
        if views is None:
            views = self._wb.makeelement(qname("bookViews"), {})
            self._sheets_el.addprevious(views)
        view_list = list(views.iterchildren(qname("workbookView")))
        if not view_list:
            view_list = [etree.SubElement(views, qname("workbookView"))]
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

    def idmap_blocks(self, shapes: int) -> list[int]:
        """Shape id blocks (VML o:idmap) for `shapes` new shapes that no drawing of the package uses."""
        blocks = []
        for _ in range(blocks_for(shapes)):
            self._idmaps += 1
            while self._idmaps in self._used_idmaps:
                self._idmaps += 1
            self._used_idmaps.add(self._idmaps)
            blocks.append(self._idmaps)
        return blocks

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

    def set_part(self, name: str, data: bytes) -> None:
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
                self.set_part(ws.ref.part, serialize(ws.tree))
        if self.styles.changed:
            self.set_part(self.styles.name, serialize(self.styles.tree))
        if self._wb_changed:
            self.set_part(self.workbook_part, serialize(self._workbook))
        for rels in self._rels.values():
            if rels.dirty:
                self.ensure_default("rels", CT_RELS)
                self.set_part(rels.name, serialize(rels.tree))
        if self._ct_changed:
            self.set_part("[Content_Types].xml", serialize(self._content_types))
        self._result = write_package(self._data, self._members)
        return self._result

    def _deselect_sheets(self) -> None:
        """tabSelected off on every sheet but the new active one (Excel groups selected sheets)."""
        for ref in self.sheets:
            key = ref.part.casefold()
            if key in self._new_sheet_parts:
                continue
            ws = self._worksheets.get(ref.name)
            if ws is None:
                if not SELECTED_TAB.search(self.read(ref.part)):
                    continue
                ws = self.worksheet(ref.name)
            for view in ws.root.iterfind(f"{qname('sheetViews')}/{qname('sheetView')}"):
                if view.get("tabSelected") in TRUE:
                    del view.attrib["tabSelected"]
                    ws.changed = True

    def save(self, path: Path) -> None:
        data = self.to_bytes()
        with open(path, "wb") as fh:
            fh.write(data)

"""One worksheet of a workbook being patched (see xlsxpatch.Book): its cells found or made, marked, and its notes."""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

from pipeline import ooxml
from pipeline.render.xlsxnotes import (Note, add_shapes, clean_comments, comments_xml, merge_comments,
                                       remove_note_shapes, vml_drawing)
from pipeline.render.xlsxparts import (AFTER_LEGACY_DRAWING, CT_COMMENTS, CT_VML, MAIN, MC_NS, REL_COMMENTS, REL_VML,
                                       R_ID, R_NS, TRUE, Relationships, SheetRef, Unsupported, cell_range,
                                       local_name, parse_part, qname, ref_of, resolve_target, split_ref)


class Worksheet:
    """One worksheet part being marked: cells, their formats, merged ranges and new comments."""

    def __init__(self, book: Any, ref: SheetRef):  # book: the xlsxpatch.Book it belongs to
        self.book, self.ref = book, ref
        self.tree = parse_part(book.read(ref.part), ref.part)
        self.root = self.tree.getroot()
        if ref.kind == "worksheet" and self.root.tag != qname("worksheet"):
            raise Unsupported(f"{ref.part}: not a transitional worksheet")
        self.data = self.root.find(qname("sheetData"))
        self.merged = [cell_range(m.get("ref", "")) for m in self.root.iterfind(f"{qname('mergeCells')}/{qname('mergeCell')}")]
        self._row_numbers: list[int] | None = None
        self._rows: list = []
        self._col_styles: list[tuple[int, int, int]] | None = None
        self.notes: list[Note] = []
        self.bounds: list[int] | None = None  # min_row, min_col, max_row, max_col of cells made here
        self.changed = False

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        for min_row, min_col, max_row, max_col in self.merged:
            if min_row <= row <= max_row and min_col <= col <= max_col:
                return min_row, min_col
        return row, col

    def _index(self) -> None:
        if self.data is None:
            raise Unsupported(f"{self.ref.part}: no sheetData")
        numbers, rows, last = [], [], 0
        for child in self.data:
            if not isinstance(child.tag, str):
                continue  # an XML comment
            if child.tag != qname("row"):
                raise Unsupported(f"{self.ref.part}: {child.tag} in sheetData")
            r = child.get("r")
            if r is None:  # optional: the row after the previous one
                r = str(last + 1)
                child.set("r", r)
            if not r.isdigit() or int(r) <= last:
                raise Unsupported(f"{self.ref.part}: rows out of order")
            last = int(r)
            numbers.append(last)
            rows.append(child)
        self._row_numbers, self._rows = numbers, rows

    def _column_style(self, col: int) -> int | None:
        if self._col_styles is None:
            self._col_styles = []
            for c in self.root.iterfind(f"{qname('cols')}/{qname('col')}"):
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
        el = self.data.makeelement(qname("row"), {"r": str(row)})
        if i < len(self._rows):
            self._rows[i].addprevious(el)
        else:
            self.data.append(el)
        self._row_numbers.insert(i, row)
        self._rows.insert(i, el)
        return el

    def find_cell(self, row: int, col: int):
        """The <c> element at (row, col), or None when the sheet does not have it."""
        if self._row_numbers is None:
            self._index()
        i = bisect_left(self._row_numbers, row)
        if i == len(self._row_numbers) or self._row_numbers[i] != row:
            return None
        row_el = self._rows[i]
        self._number_cells(row_el, row)
        for c in row_el.iterchildren(qname("c")):
            if split_ref(c.get("r"))[1] == col:
                return c
        return None

    def _comment_parts(self) -> tuple[Relationships, list[str]]:
        rels = self.book.relationships(ooxml.rels_part(self.ref.part))
        comments = [resolve_target(self.ref.part, t) for _, typ, t, mode in rels.items()
                    if typ == REL_COMMENTS and mode != "External"]
        if len(comments) > 1:
            raise Unsupported(f"{self.ref.part}: more than one comments part")
        return rels, comments

    def clean_notes(self, decide) -> dict[tuple[int, int], str]:
        """Take the comments `decide` rejects out of the sheet's comments part (see xlsxnotes.clean_comments), with
        the boxes of the removed ones; a comments part or VML drawing left empty goes, with its relationship."""
        rels, comments = self._comment_parts()
        if not comments:
            return {}
        book = self.book
        data, done, left = clean_comments(book.read(comments[0]), decide=decide, name=comments[0])
        if not done:
            return done
        if left:
            book.set_part(comments[0], data)
        else:
            for rid, typ, _, mode in list(rels.items()):
                if typ == REL_COMMENTS and mode != "External":
                    rels.remove(rid)
            book._drop_part(comments[0])
        dropped = {cell for cell, what in done.items() if what == "drop"}
        drawing = self.root.find(qname("legacyDrawing"))
        rel = rels.get(drawing.get(R_ID)) if drawing is not None else None
        if dropped and rel is not None and rel[0] == REL_VML and rel[2] != "External":
            vml_part = resolve_target(self.ref.part, rel[1])
            vml, shapes = remove_note_shapes(book.read(vml_part), dropped)
            if shapes:
                book.set_part(vml_part, vml)
            else:  # nothing left to draw
                rels.remove(drawing.get(R_ID))  # marks the relationships dirty
                self.root.remove(drawing)
                book._drop_part(vml_part)
                self.changed = True
        return done

    def cell(self, row: int, col: int):
        """The <c> element at (row, col), made (with the style Excel would give it) when absent."""
        row_el = self._row(row)
        self._number_cells(row_el, row)
        before = None
        last = 0
        for c in row_el:
            if not isinstance(c.tag, str):
                continue
            if c.tag != qname("c"):
                before = c  # extLst comes after the cells
                break
            r, cc = split_ref(c.get("r"))
            if cc <= last:
                raise Unsupported(f"{self.ref.part}: cells out of order in row {row}")
            last = cc
            if r != row:
                raise Unsupported(f"{self.ref.part}: cell {c.get('r')} in row {row}")
            if cc == col:
                return c
            if cc > col:
                before = c
                break
        attrs = {"r": ref_of(row, col)}
        style = row_el.get("s") if row_el.get("customFormat") in TRUE else self._column_style(col)
        if style is not None and str(style) != "0":
            attrs["s"] = str(style)
        el = row_el.makeelement(qname("c"), attrs)
        if before is not None:
            before.addprevious(el)
        else:
            row_el.append(el)
        self._widen_spans(row_el, col)
        self._grow(row, col)
        self.changed = True
        return el

    @staticmethod
    def _number_cells(row_el, row: int) -> None:
        """Give every cell of the row its reference (optional in the file: the cell after the previous one)."""
        if all(c.get("r") is not None for c in row_el.iterchildren(qname("c"))):
            return
        last = 0
        for c in row_el.iterchildren(qname("c")):
            if c.get("r") is None:
                c.set("r", ref_of(row, last + 1))
            last = split_ref(c.get("r"))[1]

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
        dim = self.root.find(qname("dimension"))
        if dim is None or self.bounds is None:
            return
        try:
            lo_r, lo_c, hi_r, hi_c = cell_range(dim.get("ref", ""))
        except Unsupported:
            return
        b = self.bounds
        new = (min(lo_r, b[0]), min(lo_c, b[1]), max(hi_r, b[2]), max(hi_c, b[3]))
        if new != (lo_r, lo_c, hi_r, hi_c):
            first, last = ref_of(new[0], new[1]), ref_of(new[2], new[3])
            dim.set("ref", first if first == last else f"{first}:{last}")

    def finish(self) -> None:
        """Write the notes into the sheet's comments part and VML drawing (the school's own, or new ones)."""
        self._finish_dimension()
        if not self.notes:
            return
        book = self.book
        notes = sorted(self.notes, key=lambda n: (n.row, n.col))
        rels, comments = self._comment_parts()
        drawing = self.root.find(qname("legacyDrawing"))
        vml_part = None
        if drawing is not None:
            rel = rels.get(drawing.get(R_ID))
            if rel is None or rel[0] != REL_VML or rel[2] == "External":
                raise Unsupported(f"{self.ref.part}: legacyDrawing without its VML drawing")
            vml_part = resolve_target(self.ref.part, rel[1])

        if comments:
            data, had = merge_comments(book.read(comments[0]), notes, book.author, comments[0])
            book.set_part(comments[0], data)
        else:
            had = set()
            k = book.free_number("xl/comments{}.xml")
            book.add_part(f"xl/comments{k}.xml", comments_xml(notes, book.author), CT_COMMENTS)
            rels.add(REL_COMMENTS, ooxml.relative(self.ref.part, f"xl/comments{k}.xml"))
            rels.dirty = True
        boxes = [n for n in notes if (n.row, n.col) not in had]  # a cell with a note has its box already
        if vml_part is not None:
            if boxes:
                book.set_part(vml_part, add_shapes(book.read(vml_part), boxes, book.idmap_blocks(len(boxes)), vml_part))
            return
        k = book.free_number("xl/drawings/vmlDrawing{}.vml")
        vml_part = f"xl/drawings/vmlDrawing{k}.vml"
        book.add_part(vml_part, vml_drawing(notes, book.idmap_blocks(len(notes))), None)  # no drawing: no boxes yet
        book.ensure_default("vml", CT_VML)
        rid = rels.add(REL_VML, ooxml.relative(self.ref.part, vml_part))
        rels.dirty = True
        nsmap = None if self.root.nsmap.get("r") == R_NS else {"r": R_NS}
        drawing = self.root.makeelement(qname("legacyDrawing"), {R_ID: rid}, nsmap)
        for child in self.root:
            if not isinstance(child.tag, str):
                continue
            name = local_name(child)
            if child.tag == f"{{{MC_NS}}}AlternateContent":  # Excel wraps controls and OLE objects in it
                inner = next((x for x in child.iter() if isinstance(x.tag, str) and x.tag.startswith(f"{{{MAIN}}}")),
                             None)
                if inner is None:
                    raise Unsupported(f"{self.ref.part}: alternate content")
                name = local_name(inner)
            elif not child.tag.startswith(f"{{{MAIN}}}"):
                continue
            if name in AFTER_LEGACY_DRAWING:
                child.addprevious(drawing)
                break
        else:
            self.root.append(drawing)
        self.changed = True

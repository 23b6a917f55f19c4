"""Cell notes of a marked copy: the comments part (commentsN.xml) and its legacy VML drawing, new or merged
into the school's own notes; `Unsupported` for anything unusual."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from pipeline.render.xlsxparts import (
    MAIN,
    XML_DECLARATION,
    Unsupported,
    escape_text,
    parse_part,
    qname,
    ref_of,
    serialize,
    split_ref,
)

MAX_TEXT = 32_000  # Excel holds at most 32,767 characters in a comment
VML_NS = {"v": b"urn:schemas-microsoft-com:vml", "o": b"urn:schemas-microsoft-com:office:office",
          "x": b"urn:schemas-microsoft-com:office:excel"}
SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
IDMAP = re.compile(rb"""(<(?:\w+:)?idmap\b[^>]*?\bdata\s*=\s*)(["'])([^"']*)\2""")
NOTE_SHAPETYPE = b'id="_x0000_t202"'
SHAPES_PER_BLOCK = 1023  # o:idmap block k holds the shape ids k*1024+1 ... k*1024+1023
# CT_Rst: runs come before the phonetic runs and properties
AFTER_RUNS = {qname("rPh"), qname("phoneticPr")}


@dataclass
class Note:
    row: int
    col: int
    text: str
    width: int  # px
    height: int  # px


def _run(text: str):
    r = etree.Element(qname("r"))
    rpr = etree.SubElement(r, qname("rPr"))
    etree.SubElement(rpr, qname("sz"), val="9")
    etree.SubElement(rpr, qname("color"), indexed="81")
    etree.SubElement(rpr, qname("rFont"), val="Tahoma")
    etree.SubElement(rpr, qname("family"), val="2")
    t = etree.SubElement(r, qname("t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    escape_text(text)  # refuses text XML cannot hold
    t.text = text
    return r


def comments_xml(notes: list[Note], author: str) -> bytes:
    out = [f'<comments xmlns="{MAIN}"><authors><author>{escape_text(author)}</author></authors><commentList>']
    for n in notes:
        out.append(f'<comment ref="{ref_of(n.row, n.col)}" authorId="0"><text><r><rPr><sz val="9"/>'
                   f'<color indexed="81"/><rFont val="Tahoma"/><family val="2"/></rPr>'
                   f'<t xml:space="preserve">{escape_text(n.text)}</t></r></text></comment>')
    out.append("</commentList></comments>")
    return XML_DECLARATION + "".join(out).encode("utf-8")


def merge_comments(data: bytes, notes: list[Note], author: str, name: str) -> tuple[bytes, set[tuple[int, int]]]:
    """The school's comments part with `notes` added: a note on a cell that has a comment already is appended
    to that comment's text. Returns the part and the (row, column) of the cells that had a comment."""
    tree = parse_part(data, name)
    root = tree.getroot()
    if root.tag != qname("comments"):
        raise Unsupported(f"{name}: not a comments part")
    authors = root.find(qname("authors"))
    comment_list = root.find(qname("commentList"))
    if authors is None:
        authors = root.makeelement(qname("authors"), {})
        root.insert(0, authors)
    if comment_list is None:
        comment_list = root.makeelement(qname("commentList"), {})
        authors.addnext(comment_list)
    names = [a.text or "" for a in authors.iterchildren(qname("author"))]
    if author in names:
        author_id = names.index(author)
    else:
        etree.SubElement(authors, qname("author")).text = author
        author_id = len(names)
    existing = {}
    for c in comment_list.iterchildren(qname("comment")):
        try:
            existing[split_ref(c.get("ref", "").split(":")[0])] = c
        except Unsupported:
            continue
    had = set()
    for n in notes:
        c = existing.get((n.row, n.col))
        if c is None:
            c = etree.SubElement(comment_list, qname("comment"), ref=ref_of(n.row, n.col), authorId=str(author_id))
            etree.SubElement(c, qname("text")).append(_run(n.text))
            continue
        had.add((n.row, n.col))
        text = c.find(qname("text"))
        if text is None:
            text = etree.SubElement(c, qname("text"))
        room = MAX_TEXT - len("".join(t.text or "" for t in text.iter(qname("t")))) - 2
        if room <= 0:
            continue  # the school's note is full: the finding is on the Bevindingen sheet and the cell is coloured
        run = _run(("\n\n" + n.text)[:room])
        later = next((x for x in text if x.tag in AFTER_RUNS), None)
        if later is not None:
            later.addprevious(run)
        else:
            text.append(run)
    return serialize(tree), had


DROP = "drop"  # a decision of `clean_comments`: the whole comment goes


def comment_text(comment) -> str:
    """The text of a comment as Excel shows it: its runs (or plain text), no phonetic runs; CR LF read as LF."""
    text = comment.find(qname("text"))
    if text is None:
        return ""
    parts = [t.text or "" for t in _text_elements(text)]
    return "".join(parts).replace("\r\n", "\n").replace("\r", "\n")


def _text_elements(text) -> list:
    """The <t> elements of a CT_Rst in order: the plain one, or one per run."""
    out = []
    for child in text:
        if child.tag == qname("t"):
            out.append(child)
        elif child.tag == qname("r"):
            t = child.find(qname("t"))
            if t is not None:
                out.append(t)
    return out


def _keep_text(comment, keep: int) -> None:
    """Cut the comment's text after `keep` characters (as `comment_text` counts them); later runs go."""
    text = comment.find(qname("text"))
    left = keep
    for t in _text_elements(text):
        value = (t.text or "").replace("\r\n", "\n").replace("\r", "\n")
        if left >= len(value):
            left -= len(value)
            continue
        if left > 0:
            t.text = value[:left]
            left = 0
        else:
            text.remove(t if t.getparent() is text else t.getparent())


def clean_comments(data: bytes, name: str, decide: Callable[[int, int, str, str], object]
                   ) -> tuple[bytes, dict[tuple[int, int], str], int]:
    """The comments part with the comments `decide(row, column, author, text)` rejects taken out: DROP removes
    the comment, a number n keeps only its first n characters, None keeps it. Returns the part, what happened
    per (row, column) ("drop" or "cut"), and how many comments are left."""
    tree = parse_part(data, name)
    root = tree.getroot()
    if root.tag != qname("comments"):
        raise Unsupported(f"{name}: not a comments part")
    authors = [a.text or "" for a in root.iterfind(f"{qname('authors')}/{qname('author')}")]
    comment_list = root.find(qname("commentList"))
    done: dict[tuple[int, int], str] = {}
    left = 0
    for c in list(comment_list.iterchildren(qname("comment")) if comment_list is not None else ()):
        try:
            row, col = split_ref(c.get("ref", "").split(":")[0])
        except Unsupported:
            left += 1
            continue
        author_id = c.get("authorId", "")
        author = authors[int(author_id)] if author_id.isdigit() and int(author_id) < len(authors) else ""
        decision = decide(row, col, author, comment_text(c))
        if decision == DROP:
            comment_list.remove(c)
            done[(row, col)] = "drop"
            continue
        left += 1
        if isinstance(decision, int) and not isinstance(decision, bool):
            _keep_text(c, decision)
            done[(row, col)] = "cut"
    return (serialize(tree) if done else data), done, left


_SHAPE = re.compile(rb"<(\w+:)?shape\b[^>]*?(?:/>|>.*?</\1?shape\s*>)", re.DOTALL)
_NOTE_AT = re.compile(rb"""ObjectType\s*=\s*["']Note["']""")
# anything a VML drawing draws (not shapetype, a template): while one is left, the drawing stays
_DRAWN = re.compile(rb"<(?:\w+:)?(?:shape|rect|roundrect|oval|line|polyline|arc|curve|group|image)\b|ClientData\b")


def _shape_cell(shape: bytes) -> tuple[int, int] | None:
    row = re.search(rb"<(?:\w+:)?Row>\s*(\d+)\s*</(?:\w+:)?Row>", shape)
    col = re.search(rb"<(?:\w+:)?Column>\s*(\d+)\s*</(?:\w+:)?Column>", shape)
    return (int(row.group(1)) + 1, int(col.group(1)) + 1) if row and col else None


def remove_note_shapes(vml: bytes, cells: set[tuple[int, int]]) -> tuple[bytes, int]:
    """The VML drawing without the note boxes of `cells` (1-based row, column); returns it and a count of what is
    still drawn in it (0: nothing, the drawing can go). Text-based, as `add_shapes`: legacy VML is not always
    well-formed XML."""
    out, last = [], 0
    for m in _SHAPE.finditer(vml):
        shape = m.group(0)
        if _NOTE_AT.search(shape) and _shape_cell(shape) in cells:
            out.append(vml[last:m.start()])
            last = m.end()
    out.append(vml[last:])
    rest = b"".join(out)
    return rest, len(_DRAWN.findall(rest))


def _shapetype(ns: str = "") -> str:
    return (f'<v:shapetype{ns} id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def blocks_for(count: int) -> int:
    """How many shape id blocks (1024 ids, the first one not used) `count` shapes take."""
    return max(1, -(-count // SHAPES_PER_BLOCK))


def _shapes(notes: list[Note], blocks: list[int], first_z: int = 1, ns: str = "") -> str:
    out = []
    for i, n in enumerate(notes):
        shape_id = blocks[i // SHAPES_PER_BLOCK] * 1024 + 1 + i % SHAPES_PER_BLOCK
        out.append(
            f'<v:shape{ns} id="_x0000_s{shape_id}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:{n.width}px;height:{n.height}px;'
            f'z-index:{first_z + i};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f'<x:Row>{n.row - 1}</x:Row><x:Column>{n.col - 1}</x:Column></x:ClientData></v:shape>'
        )
    return "".join(out)


def vml_drawing(notes: list[Note], blocks: list[int]) -> bytes:
    idmap = ",".join(map(str, blocks))
    out = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">'
           f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>'
           + _shapetype() + _shapes(notes, blocks) + "</xml>")
    return out.encode("utf-8")


def idmaps(vml: bytes) -> set[int]:
    """The shape id blocks (o:idmap data) a VML drawing claims."""
    out = set()
    for m in IDMAP.finditer(vml):
        out |= {int(x) for x in re.findall(rb"\d+", m.group(3))}
    return out


def shape_ids(vml: bytes) -> set[int]:
    return {int(x) for x in SHAPE_ID.findall(vml)}


def add_shapes(vml: bytes, notes: list[Note], blocks: list[int], name: str) -> bytes:
    """The school's VML drawing with a hidden note box per `notes`, ids from the free id blocks `blocks`.

    Legacy VML is not always well-formed XML (Excel writes <br>): the shapes go in as text before </xml>."""
    end = vml.rfind(b"</xml>")
    if end < 0:
        raise Unsupported(f"{name}: no </xml>")
    head = vml[:end]
    root = re.match(rb"\s*(?:<\?[^>]*\?>\s*)?<xml\b[^>]*>", head)
    if root is None:
        raise Unsupported(f"{name}: no <xml> root")
    # Excel declares v, o and x on the root; openpyxl on each element: then our shapes declare them too
    declared = all(re.search(rb"xmlns:" + p.encode() + rb"""\s*=\s*["']""" + re.escape(uri) + rb"""["']""",
                             root.group(0)) for p, uri in VML_NS.items())
    ns = "" if declared else "".join(f' xmlns:{p}="{uri.decode()}"' for p, uri in VML_NS.items())
    m = IDMAP.search(head)
    if m is not None:  # claim the new blocks
        new = ",".join(map(str, blocks)).encode()
        data = m.group(3) + b"," + new if m.group(3).strip() else new
        head = head[:m.start(3)] + data + head[m.end(3):]
    z = [int(x) for x in re.findall(rb"z-index:\s*(\d+)", head)]
    extra = "" if NOTE_SHAPETYPE in head else _shapetype(ns)
    return head + (extra + _shapes(notes, blocks, max(z, default=0) + 1, ns)).encode("utf-8") + vml[end:]

"""Long tables of a rendered Word body, cut into consecutive tables of at most CHUNK_ROWS rows.

LibreOffice lays out a table that runs over many pages far more slowly than the same rows as several
tables (measured on the appendix of a board of 1,000 workbooks, a 3,082-row invoice list over 119 pages:
27.6 s as one table, 9.9 s in tables of 200 rows, the same 119 pages). Each part repeats the table's
heading rows, and only the last part keeps the table's total-row look; a part never starts inside a
vertically merged cell. Tables that hold other tables, or anything between their rows, are left whole.
"""
from __future__ import annotations

import math
import re

CHUNK_ROWS = 200  # body rows per part: about five A4 pages of the invoice list
_TABLE = re.compile(r"<w:tbl>|</w:tbl>")
_ROW = re.compile(r"<w:tr(?:\s[^>]*)?>.*?</w:tr>", re.S)
_HEADER = re.compile(r"<w:tblHeader(?:\s+w:val=\"(?:1|true|on)\")?\s*/>")
_CONTINUED_MERGE = re.compile(r"<w:vMerge(?:\s+w:val=\"continue\")?\s*/>")
_LOOK = re.compile(r"<w:tblLook\b[^>]*/>")
# The paragraph Word needs between two tables (adjacent tables would be one): 1 pt high, no spacing.
SEPARATOR = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
             '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>')


def split_long_tables(xml: str, rows: int | None = None) -> str:
    """`xml` (a rendered document body) with every top-level table of more than `rows` (default CHUNK_ROWS) body
    rows cut into parts."""
    rows = rows or CHUNK_ROWS
    if xml.count("<w:tr") <= rows:
        return xml
    out, pos, depth, start = [], 0, 0, 0
    for m in _TABLE.finditer(xml):
        if m.group() == "<w:tbl>":
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out += [xml[pos:start], _split(xml[start:m.end()], rows)]
                pos = m.end()
    out.append(xml[pos:])
    return "".join(out)


def _split(table: str, rows: int) -> str:
    if table.count("<w:tbl>") > 1:
        return table
    found = list(_ROW.finditer(table))
    if len(found) <= rows or any(table[a.end():b.start()].strip() for a, b in zip(found, found[1:])):
        return table
    texts = [m.group() for m in found]
    heads = 0
    while heads < len(texts) - 1 and _HEADER.search(texts[heads]):
        heads += 1
    header, body = texts[:heads], texts[heads:]
    if len(body) <= rows:
        return table
    before, after = table[:found[0].start()], table[found[-1].end():]
    parts = _parts(body, math.ceil(len(body) / math.ceil(len(body) / rows)))
    middle = _without_total_look(before)
    return SEPARATOR.join((before if i == len(parts) - 1 else middle) + "".join(header + part) + after
                          for i, part in enumerate(parts))


def _parts(body: list[str], size: int) -> list[list[str]]:
    """Consecutive runs of about `size` rows; a run is extended past a row that continues a vertical merge."""
    parts, current = [], []
    for row in body:
        if len(current) >= size and not _CONTINUED_MERGE.search(row):
            parts.append(current)
            current = []
        current.append(row)
    parts.append(current)
    return parts


def _without_total_look(before: str) -> str:
    """The table properties without the last-row (total) look: a part that ends mid-table has no total row."""
    def clear(m: re.Match) -> str:
        look = m.group().replace('w:lastRow="1"', 'w:lastRow="0"')
        return re.sub(r'w:val="([0-9A-Fa-f]{4})"', lambda v: f'w:val="{int(v.group(1), 16) & ~0x0040:04X}"', look)

    return _LOOK.sub(clear, before)

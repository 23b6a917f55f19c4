"""Marked copies of school workbooks: findings as coloured cells, cell comments and a Bevindingen sheet.

A school often corrects the marked copy it got back and sends that file again. Marking it again first takes
the earlier marks away (`_unmark`), so that no stale finding stays on a cell the school has fixed since:

* the record. Every marked copy keeps, in user-defined document properties named "Bevindingen-markering 1",
  "... 2", ... (JSON, in pieces of at most 250 characters: Excel keeps no more than 255 in one text property),
  per marked cell: the colours we gave it, a hash and the length of the note we wrote, and the fill and font
  colour the cell had before (by value, as XML: Excel and LibreOffice renumber the styles when they save, so a
  style index would mean nothing afterwards). Document properties survive a save in Excel and in LibreOffice;
  the Bevindingen sheet (which a school may delete or sort) and comment authors (LibreOffice 7 writes none)
  do not reliably.
* the notes. A comment by AUTHOR is ours and goes. A comment whose text is exactly a recorded note goes too
  (LibreOffice lost its author); a school's comment that ends with a recorded note (we appended it) keeps
  only the school's text. Every other comment is the school's and stays as it is. The boxes (VML shapes) of
  removed comments go with them; a comments part or drawing left empty goes as well.
* the looks. A cell that held a recorded note, and every recorded cell, that still shows our exact fill (and
  font colour) gets the recorded fill (and font colour) back; one the school has given a look of its own
  since keeps it. Notes are matched by their text first, so a cell that moved (rows or columns inserted)
  gets its own look back. Theme colours are recorded also as RGB: LibreOffice saves no theme part.
* a copy without a record (marked before records were kept): our notes are recognised by author or by their
  text ("[RULE severity] message" paragraphs at the end), and a cell with such a note that shows one of our
  exact colour pairs gets the look the cell has in the blank workbook template (workbook.py) or, where the
  template has no such sheet, no fill and an automatic font colour. That is a best guess: only the record
  knows what the school's own workbook looked like (a workbook not made from the template, a cell the school
  formatted itself, a template of another version), which is why the record comes first.

A workbook never marked gets the same copy as before the record was kept, but for the record itself
(docProps/custom.xml, its relationship in _rels/.rels and its content type); without findings, byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Sequence

from lxml import etree
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string, range_boundaries

from pipeline.render import XML_ILLEGAL, current_umask
from pipeline.render import xlsxpatch
from pipeline.render.look import COLOURS  # noqa: F401 - severity -> (fill colour, font colour)
from pipeline.render.xlsxnotes import DROP
from pipeline.render.xlsxparts import (CellLook, Look, NewSheet, Unsupported, bare_xml, main_xml, theme_palette,
                                      without_theme)
from pipeline.model import SEVERITIES, SEVERITY_RANK, Finding

SHEET_NAME = "Bevindingen"
INSTRUCTION_SHEET = "Instructie"  # the new sheet goes right after it (first position when absent)
AUTHOR = "Bestuursbureau"
COLUMNS = ("Ernst", "Regel", "Tabblad", "Cel", "Melding", "Bron")
WIDTHS = (14, 8, 20, 8, 90, 45)
TITLE_ROW, HEADER_ROW = 1, 2

RANK = SEVERITY_RANK

# comment box: ~300 pt wide (the VML drawing takes the size in px; 1 pt = 4/3 px)
COMMENT_WIDTH_PX = 400
COMMENT_CHARS_PER_LINE = 60
COMMENT_LINE_PX = 16
COMMENT_MIN_HEIGHT_PX = 60
COMMENT_MAX_HEIGHT_PX = 800
MAX_TEXT = 32_000  # Excel holds at most 32,767 characters in a cell or comment

RECORD_NAME = "Bevindingen-markering"  # the document properties that record our marks: "<name> 1", "<name> 2", ...
RECORD_CHUNK = 250  # characters per property: Excel keeps at most 255 of a text property
RECORD_VERSION = 1
_RECORD_PART = re.compile(rf"^{re.escape(RECORD_NAME)} (\d+)$")
# a note of ours, in a copy without a record: "[RULE severity] message" paragraphs, at the start or after a blank line
_OUR_LABEL = re.compile(r"(?:^|\n\n)\[[^\]\s]+ (?:" + "|".join(map(re.escape, SEVERITIES)) + r")\] ")
NO_FILL = CellLook('<fill><patternFill patternType="none"/></fill>', None)

MAX_ROW, MAX_COL = 1_048_576, 16_384
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_COORD = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d{1,7}$")



def clean(text: object) -> str:
    """Text that XML can hold: illegal control characters removed, Excel's length limit kept."""
    s = XML_ILLEGAL.sub("", "" if text is None else str(text))
    return s if len(s) <= MAX_TEXT else s[: MAX_TEXT - 1] + "…"


def _coordinate(cell: str) -> tuple[int, int] | None:
    """(row, column) of a single-cell reference like B7 or $B$7; a range gives its top-left cell."""
    ref = (cell or "").strip()
    if ":" in ref:
        ref = ref.split(":", 1)[0]
    if not _COORD.match(ref):
        return None
    col_letters, row = coordinate_from_string(ref.replace("$", "").upper())
    col = column_index_from_string(col_letters)
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def _sort_key(f: Finding, sheet_order: dict[str, int]) -> tuple:
    if not f.sheet:
        sheet_key: tuple = (0, 0, "")
    elif f.sheet in sheet_order:
        sheet_key = (1, sheet_order[f.sheet], "")
    else:
        sheet_key = (2, 0, f.sheet)
    pos = _coordinate(f.cell)
    cell_key = (0, *pos, "") if pos else (1 if f.cell else -1, 0, 0, f.cell)
    return (RANK.get(f.severity, len(RANK)), sheet_key, cell_key, f.rule, f.message)


def _comment_height(text: str) -> int:
    lines = sum(max(1, math.ceil(len(part) / COMMENT_CHARS_PER_LINE)) for part in text.split("\n"))
    return max(COMMENT_MIN_HEIGHT_PX, min(COMMENT_MAX_HEIGHT_PX, lines * COMMENT_LINE_PX + 12))


def _label(f: Finding) -> str:
    return f"[{f.rule} {f.severity}] {f.message}"


def _ordered(findings: list[Finding]) -> list[Finding]:
    """The findings of one cell, strongest first: the first one picks the colour."""
    return sorted(findings, key=lambda f: (RANK.get(f.severity, len(RANK)), f.rule, f.message))


def _note(ordered: list[Finding]) -> str:
    """The comment text of one cell: one paragraph per distinct finding."""
    return "\n\n".join(dict.fromkeys(clean(_label(f)) for f in ordered))


LINE_HEIGHT = 15  # points per line of 11-point text
WRAPPED = ("Melding", "Bron")


def row_height(f: Finding) -> float | None:
    """The height that shows all wrapped text of a finding's row. LibreOffice does not grow a row for wrapped
    text on opening an .xlsx, so without it the lines of one message run over the next row."""
    import math

    values = dict(zip(COLUMNS, _values(f)))
    lines = 1
    for name in WRAPPED:
        width = WIDTHS[COLUMNS.index(name)] * 0.95  # characters per line, a little slack for wide letters
        text = str(values[name] or "")
        lines = max(lines, sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n")))
    return float(lines * LINE_HEIGHT + 2) if lines > 1 else None


def _position(sheetnames: Sequence[str]) -> int:
    """Where the Bevindingen sheet goes: right after the instruction sheet, else first."""
    return sheetnames.index(INSTRUCTION_SHEET) + 1 if INSTRUCTION_SHEET in sheetnames else 0


def _title(source: Path, findings: Sequence[Finding], generated: str) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    hire_id = next((f.hire_id for f in findings if f.hire_id), "")
    parts = [f"Bevindingen bij {source.name}"]
    if hire_id:
        parts.append(f"inhuur {hire_id}")
    if generated:
        parts.append(generated)
    parts.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return " · ".join(parts)


def _tab_colour(findings: Sequence[Finding]) -> str:
    return COLOURS["fout"][1] if any(f.severity == "fout" for f in findings) else "1F4E79"


def _values(f: Finding) -> tuple[str, ...]:
    return (f.severity, f.rule, f.sheet, f.cell, f.message, f.source)


def _listing(findings: Sequence[Finding], sheetnames: Sequence[str]) -> list[tuple[Finding, str | None]]:
    """The rows of the Bevindingen sheet in order, each with its link; `sheetnames` includes the new sheet."""
    sheet_order = {n: i for i, n in enumerate(sheetnames)}
    return [(f, _link(sheetnames, f)) for f in sorted(findings, key=lambda f: _sort_key(f, sheet_order))]


def _link(sheetnames: Sequence[str], f: Finding) -> str | None:
    """Internal link target ('Sheet'!B7) for a finding, or None when its sheet does not exist."""
    if not f.sheet or f.sheet == SHEET_NAME or f.sheet not in sheetnames:
        return None
    pos = _coordinate(f.cell)
    if f.cell and pos is None:
        return None
    if pos is None:  # whole sheet: link to its first cell
        ref = "A1"
    elif ":" in f.cell:
        min_col, min_row, max_col, max_row = range_boundaries(f.cell.replace("$", "").upper())
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    else:
        ref = f"{get_column_letter(pos[1])}{pos[0]}"
    return f"{quote_sheetname(f.sheet)}!{ref}"


def _save_atomically(save: Callable[[Path], object], dest: Path) -> None:
    """`save(path)` into a temporary file beside `dest`, then move it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        save(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp creates 0600; give the copy the usual permissions
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class MarkedCopyError(Exception):
    """No marked copy can be made of this workbook; the message says why, in Dutch."""


def write_marked_copy(source: Path, dest: Path, findings: Sequence[Finding], *, generated: str) -> Path:
    """Write to `dest` a copy of `source` with every finding marked; `source` is never written.

    The copy is the school's package with only the marks, the notes and the Bevindingen sheet patched in
    (xlsxpatch); a package it cannot patch raises MarkedCopyError before anything is written."""
    source, dest = Path(source), Path(dest)
    try:
        same = dest.exists() and os.path.samefile(source, dest)
    except OSError:
        same = False
    if same:
        raise ValueError("de gemarkeerde kopie mag het origineel niet overschrijven")
    try:
        data = _patched(source, findings, generated)
    except Unsupported as exc:
        raise MarkedCopyError(exc.dutch) from exc
    _save_atomically(lambda tmp: tmp.write_bytes(data), dest)
    return dest


def _patched(source: Path, findings: Sequence[Finding], generated: str) -> bytes:
    """The marked copy as package bytes."""
    book = xlsxpatch.Book.open(source, author=AUTHOR)
    for name in book.sheet_names:  # a copy marked before: its sheet makes way for the new one
        if name.casefold() == SHEET_NAME.casefold():
            book.remove_sheet(name)
    names, markable = book.sheet_names, set(book.worksheet_names)
    per_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet not in markable:
            continue
        pos = _coordinate(f.cell)
        if pos is not None:
            per_cell[(f.sheet, *book.target(f.sheet, *pos))].append(f)
    _unmark(book)
    record: dict[str, list] = {}
    looks: dict[CellLook, int] = {}
    for (sheet, row, col), group in per_cell.items():
        ordered = _ordered(group)
        fill, font = COLOURS.get(ordered[0].severity, (None, None))
        text = clean(_note(ordered))
        before = book.mark(sheet, row, col, fill=fill, font=font, note=text,
                           note_size=(COMMENT_WIDTH_PX, _comment_height(text)))
        look = None if before is None else looks.setdefault(before, len(looks))
        shown = _as_read(text)
        record.setdefault(sheet, []).append([f"{get_column_letter(col)}{row}", fill, font, _digest(shown), len(shown),
                                             look])
    _write_record(book, record, looks)
    position = _position(names)
    book.add_sheet(_new_sheet(source, findings, generated, [*names[:position], SHEET_NAME, *names[position:]]),
                   position)
    return book.to_bytes()


def _as_read(text: str) -> str:
    """A note's text as xlsxnotes.comment_text reads it back (CR LF and CR as LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _write_record(book: xlsxpatch.Book, record: dict[str, list], looks: dict[CellLook, int]) -> None:
    """Record the marks in the document properties (see the module docstring); an earlier record is replaced."""
    values = {}
    if record:
        data = json.dumps({"v": RECORD_VERSION, "l": [[k.fill, k.colour, k.apply_fill, k.apply_font, k.fill_rgb, k.colour_rgb]
                                                     for k in looks],
                           "s": record}, separators=(",", ":"))
        chunks = [data[i:i + RECORD_CHUNK] for i in range(0, len(data), RECORD_CHUNK)]
        values = {f"{RECORD_NAME} {i}": chunk for i, chunk in enumerate(chunks, start=1)}
    try:
        book.set_custom_properties(lambda name: bool(_RECORD_PART.match(name)), values)
    except Unsupported:  # a properties part we cannot patch: the copy without a record (marking again then guesses)
        pass


def _read_record(book: xlsxpatch.Book) -> tuple[dict, list[CellLook]] | None:
    """The record of an earlier marking: {sheet: {(row, column): entry}} and the looks; None when there is none
    (or it is damaged)."""
    try:
        properties = book.custom_properties()
    except Unsupported:
        return None
    pieces = sorted((int(m.group(1)), value) for name, value in properties.items() if (m := _RECORD_PART.match(name)))
    if not pieces:
        return None
    try:
        data = json.loads("".join(value for _, value in pieces))
        if data.get("v") != RECORD_VERSION:
            return None
        looks = [CellLook(*(None if x is None else str(x) for x in look)) for look in data["l"]]
        for look in looks:  # the XML must parse, or the record is not ours
            for xml in (look.fill, look.colour, look.fill_rgb, look.colour_rgb):
                if xml is not None:
                    main_xml(xml)
        cells: dict = {}
        for sheet, entries in data["s"].items():
            for ref, fill, font, digest, length, look in entries:
                pos = _coordinate(ref)
                if pos is None or (look is not None and not 0 <= int(look) < len(looks)):
                    return None
                cells.setdefault(str(sheet), {})[pos] = (fill, font, str(digest), int(length),
                                                        None if look is None else looks[int(look)])
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, etree.XMLSyntaxError):
        return None
    return cells, looks


def _recorded_note(entries: dict, by_digest: dict, pos: tuple[int, int], text: str):
    """(entry, cut) for a comment whose text is a recorded note (cut None) or ends with one appended to the
    school's text (cut: how many characters are the school's); (None, None) when it holds none. The entry of
    the comment's own cell first; then any of the sheet's (`by_digest`: digest -> entry), for when the school
    inserted or deleted rows or columns and the comment moved with its cell."""
    here = entries.get(pos)
    candidates = [here] if here is not None else []
    digests = {_digest(text)}
    for length in {entry[3] for entry in entries.values()}:  # the text's tails that could be an appended note
        if length + 2 < len(text):
            digests.add(_digest(text[len(text) - length:]))
    candidates += [by_digest[d] for d in digests if d in by_digest]
    for entry in candidates:
        _, _, digest, length, _ = entry
        if _digest(text) == digest:
            return entry, None
        cut = len(text) - length - 2
        if cut > 0 and text[cut:cut + 2] == "\n\n" and _digest(text[cut + 2:]) == digest:
            return entry, cut
    return None, None


def _decider(entries: dict, matched: dict) -> Callable[[int, int, str, str], object]:
    """How to clean the comments of a sheet with a record (`entries`); notes found go into `matched`."""
    by_digest = {entry[2]: entry for entry in entries.values()}

    def decide(row: int, col: int, author: str, text: str):
        entry, cut = _recorded_note(entries, by_digest, (row, col), text)
        if entry is not None:
            matched[(row, col)] = entry
        if author == AUTHOR:
            return DROP
        if entry is None:
            return None
        return DROP if cut is None else cut  # ours (its author lost), or appended to the school's

    return decide


def _decide_without_record(row: int, col: int, author: str, text: str):
    return DROP if author == AUTHOR else _ours_by_text(author, text)


def _ours_by_text(author: str, text: str):
    """How to clean a comment of a copy without a record: our labels at its end go."""
    for m in _OUR_LABEL.finditer(text):
        if m.start() > 0:
            return m.start()
        if not author.strip():  # all of it reads as ours and has no author (LibreOffice): ours
            return DROP
    return None


def _unmark(book: xlsxpatch.Book) -> None:
    """Take the marks of an earlier marking away: our notes (and their boxes), our colours (module docstring)."""
    found = _read_record(book)
    cells = found[0] if found is not None else {}
    colours = {fill: font for fill, font in COLOURS.values()}
    for sheet in book.worksheet_names:
        entries = cells.get(sheet, {})
        matched: dict[tuple[int, int], tuple] = {}  # cell -> the recorded entry of the note it held
        decide = _decider(entries, matched) if found is not None else _decide_without_record
        try:
            done = book.clean_notes(sheet, decide)
            # a cell whose note was ours gets the look recorded with that note; then every recorded cell (the
            # school may have removed our note and kept the colour); a cell that shows no mark of ours is left
            for (row, col), (fill, font, _, _, look) in [*matched.items(), *entries.items()]:
                if fill and look is not None:
                    book.unmark(sheet, row, col, fill=fill, font=font, original=look)
            for row, col in done:  # a note of ours not recorded (a copy from before the record): the template's look
                if (row, col) in matched:
                    continue
                fill = _solid_colour(book.cell_look(sheet, row, col).fill)
                if fill in colours:
                    book.unmark(sheet, row, col, fill=fill, font=colours[fill],
                                original=_template_look(sheet, row, col))
        except Unsupported:  # a sheet or notes we cannot read: left as they are (they fail only a sheet we mark)
            continue


def _solid_colour(fill_xml: str) -> str | None:
    m = re.search(r'patternType="solid"', fill_xml) and re.search(r'<fgColor rgb="[0-9A-Fa-f]{2}([0-9A-Fa-f]{6})"',
                                                                    fill_xml)
    return m.group(1).upper() if m else None


_TEMPLATE = None


def _template_look(sheet: str, row: int, col: int) -> CellLook:
    """The fill and font colour of the cell in the blank workbook template; NO_FILL where it has no such sheet."""
    global _TEMPLATE
    if _TEMPLATE is None:
        from pipeline.render import workbook as template

        _TEMPLATE = template.build()
    if sheet not in _TEMPLATE.sheetnames:
        return NO_FILL
    from openpyxl.writer.theme import theme_xml
    from openpyxl.xml.functions import tostring

    cell = _TEMPLATE[sheet].cell(row=row, column=col)
    fill = bare_xml(main_xml(tostring(cell.fill.to_tree()).decode("utf-8")))
    colour = None if cell.font.color is None else tostring(cell.font.color.to_tree("color")).decode("utf-8")
    palette = theme_palette(theme_xml.encode("utf-8"))  # the theme openpyxl writes, so the template's
    return CellLook(fill, colour, None, None, without_theme(fill, palette),
                    None if colour is None else without_theme(colour, palette))


def _new_sheet(source: Path, findings: Sequence[Finding], generated: str, sheetnames: list[str]) -> NewSheet:
    """The Bevindingen sheet as cells for xlsxpatch: title, header, one row per finding with its link."""
    cells: dict[tuple[int, int], tuple[str, Look]] = {}

    def put(row: int, col: int, value: object, **look) -> None:
        text = clean(value)
        cells[(row, col)] = (text, Look(**look, quote=text.startswith(RISKY_START)))

    put(TITLE_ROW, 1, _title(source, findings, generated), bold=True, size=12, colour="1F4E79")
    for col, name in enumerate(COLUMNS, start=1):
        put(HEADER_ROW, col, name, bold=True, colour="FFFFFF", fill="1F4E79", top=True)
    links = []
    heights = {}
    row = HEADER_ROW
    for f, link in _listing(findings, sheetnames):
        row += 1
        if row_height(f):
            heights[row] = row_height(f)
        fill_colour, font_colour = COLOURS.get(f.severity, (None, None))
        for col, value in enumerate(_values(f), start=1):
            wrap = COLUMNS[col - 1] in WRAPPED
            put(row, col, value, top=True, wrap=wrap, fill=fill_colour, colour=font_colour)
        if link:
            col = 4 if f.cell else 3
            put(row, col, _values(f)[col - 1], link=True, top=True, fill=fill_colour)
            links.append((f"{get_column_letter(col)}{row}", link, "Ga naar de cel"))
    if row == HEADER_ROW:
        row += 1
        put(row, 1, "Geen bevindingen.")
    return NewSheet(
        name=SHEET_NAME,
        cells=cells,
        widths=dict(enumerate(WIDTHS, start=1)),
        links=links,
        autofilter=f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{row}",
        freeze=(HEADER_ROW + 1, 1),
        tab_colour=_tab_colour(findings),
        heights=heights,
    )


def _job(source: Path, dest: Path, findings: list[Finding], generated: str) -> tuple[Path, str | None]:
    try:
        write_marked_copy(source, dest, findings, generated=generated)
        return dest, None
    except MarkedCopyError as exc:
        return dest, f"Gemarkeerde kopie niet gemaakt: {exc}"
    except Exception as exc:  # one bad workbook must not stop the batch
        return dest, f"Gemarkeerde kopie niet gemaakt: {type(exc).__name__}: {exc}"


def mark_all(
    jobs: Iterable[tuple[Path, Path, list[Finding]]], generated: str, workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[Path, str | None]]:
    """Write a marked copy per (source, dest, findings) job; returns (dest, error or None) in job order."""
    jobs = list(jobs)
    advance = progress or (lambda n: None)
    if workers <= 1 or len(jobs) <= 1:
        out = []
        for s, d, fs in jobs:
            out.append(_job(s, d, list(fs), generated))
            advance(1)
        return out
    from pipeline.speed import render_pool

    results: list[tuple[Path, str | None]] = []
    with render_pool(min(workers, len(jobs))) as pool:
        futures = [pool.submit(_job, s, d, list(fs), generated) for s, d, fs in jobs]
        for (_, dest, _), fut in zip(jobs, futures):
            try:
                results.append(fut.result())
            except Exception as exc:  # a worker that died (BrokenProcessPool) or a result that did not pickle
                results.append((Path(dest), f"Gemarkeerde kopie niet gemaakt: {type(exc).__name__}: {exc}"))
            advance(1)
    return results

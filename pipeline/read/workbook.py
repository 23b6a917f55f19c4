"""Read a filled inhuurwerkboek into a Hire: names and tables from the zip, cells via calamine."""
from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook

from pipeline import ooxml
from pipeline import dutch
from pipeline.rules import catalogue as findings
from pipeline.rules import privacy
from pipeline.read import safety
from pipeline import spec as spec_mod
from pipeline.model import Cell, Finding, Hire, Row, intern, shared
from pipeline.reference import menukaart
from pipeline.spec import WorkbookSpec

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
R_ID = "{%s}id" % NS["r"]
# No entities, no DTD, no network, no huge trees: the safety checks already refused packages whose
# XML has a DTD; this parser refuses them again rather than trust that.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
MAX_XML_PART = 5 * 1024 * 1024  # workbook.xml, rels and table parts are small in a real workbook
MAX_ROWS_BELOW_TABLE = 2000
BRIN_RE = re.compile(r"^\d{2}[A-Z]{2}$")
KVK_RE = re.compile(r"^\d{8}$")
YEAR_RE = re.compile(r"^\s*(\d{2}|\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*$")


@dataclass
class Structure:
    """What the zip says about the workbook: sheet names, defined names and tables."""

    sheets: list[str] = field(default_factory=list)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (sheet, "B5")
    tables: dict[str, tuple[str, str]] = field(default_factory=dict)  # table -> (sheet, "A4:E19")


@dataclass
class ReadResult:
    hire: Hire | None
    findings: list[Finding]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Package:
    """The parts of an xlsx package the reader parses: from the zip, or as the safety pass kept them."""

    def __init__(self, names: Iterable[str], read: Callable[[str], bytes], size: Callable[[str], int]):
        self.names = set(names)
        self.read, self.size = read, size

    @classmethod
    def of_zip(cls, zf: zipfile.ZipFile) -> "_Package":
        return cls(zf.namelist(), zf.read, lambda name: zf.getinfo(name).file_size)

    @classmethod
    def of_parts(cls, names: Iterable[str], parts: dict[str, bytes]) -> "_Package":
        def size(name: str) -> int:
            if name not in names:
                raise KeyError(f"There is no item named {name!r} in the archive")  # as zipfile says it
            return len(parts[name]) if name in parts else MAX_XML_PART + 1  # not kept: larger than the limit

        return cls(names, parts.__getitem__, size)


def _xml(pkg: _Package, name: str):
    if pkg.size(name) > MAX_XML_PART:
        raise ValueError(f"part {name} too large")
    root = etree.fromstring(pkg.read(name), parser=_PARSER)
    if root.getroottree().docinfo.doctype:
        raise ValueError(f"part {name} has a DTD")
    return root


def _rels(pkg: _Package, part: str) -> dict[str, str]:
    """Relationship id -> absolute part name for `part`."""
    rels_name = ooxml.rels_part(part)
    if rels_name not in pkg.names:
        return {}
    return {rel.get("Id"): ooxml.resolve(part, rel.get("Target", ""))
            for rel in _xml(pkg, rels_name).findall("rel:Relationship", NS) if rel.get("TargetMode") != "External"}


def _parse_ref(ref: str) -> tuple[str, str] | None:
    """"'1 Verkenning'!$B$5" -> ("1 Verkenning", "B5"); None for ranges, formulas or #REF!."""
    m = re.match(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$", ref.strip())
    if not m:
        return None
    sheet = (m.group(1) or m.group(2)).replace("''", "'")
    return sheet, f"{m.group(3)}{m.group(4)}"


def read_structure(path: Path, inspection: safety.Inspection | None = None) -> Structure:
    """Sheet names, workbook-scope defined names and tables, straight from the package parts (those
    the safety pass kept when it is given, else read from the zip)."""
    if inspection is not None and inspection.ok and inspection.names:
        return _structure(_Package.of_parts(inspection.names, inspection.parts))
    with zipfile.ZipFile(path) as zf:
        return _structure(_Package.of_zip(zf))


def _structure(pkg: _Package) -> Structure:
    st = Structure()
    wb = _xml(pkg, "xl/workbook.xml")
    wb_rels = _rels(pkg, "xl/workbook.xml")
    sheet_parts = {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        name = s.get("name")
        st.sheets.append(name)
        sheet_parts[name] = wb_rels.get(s.get(R_ID))
    for dn in wb.findall("m:definedNames/m:definedName", NS):
        if dn.get("localSheetId") is not None or not dn.text:
            continue
        ref = _parse_ref(dn.text)
        if ref:
            st.names[dn.get("name")] = ref
    for sheet, part in sheet_parts.items():
        if not part or part not in pkg.names:
            continue
        for target in _rels(pkg, part).values():
            if not target.startswith("xl/tables/") or target not in pkg.names:
                continue
            t = _xml(pkg, target)
            tname = t.get("displayName") or t.get("name")
            if tname and t.get("ref"):
                st.tables[tname] = (sheet, t.get("ref"))
    return st


class _Grid:
    """A sheet's values by 1-based (row, col), as calamine gives them."""

    def __init__(self, rows: list[list[Any]]):
        self.rows = rows

    def get(self, row: int, col: int) -> Any:
        if row - 1 < len(self.rows):
            r = self.rows[row - 1]
            if col - 1 < len(r):
                v = r[col - 1]
                if isinstance(v, str) and not v.strip():
                    return None
                return v
        return None

    def nonempty(self):
        for ri, r in enumerate(self.rows, start=1):
            for ci, v in enumerate(r, start=1):
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                yield ri, ci, v


def _quote(raw: Any, limit: int) -> str:
    """A cell's text for a message: pupil data removed first, then shortened."""
    return privacy.redact(_text(raw))[:limit]


def _plain(raw: Any) -> Any:
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def _text(raw: Any) -> str:
    raw = _plain(raw)
    if isinstance(raw, datetime):
        return dutch.format_date_short(raw.date()) if raw.time() == time(0) else raw.isoformat(" ")
    if isinstance(raw, date):
        return dutch.format_date_short(raw)
    if isinstance(raw, (time, timedelta)):
        return str(raw)
    return str(raw).strip()


def _not_negative(kind: str, allowed: bool, value: Any) -> None:
    """An amount below zero is unreadable as a contract value, rate or quote (W4); only invoices may be credit notes."""
    if kind == "euro" and not allowed and value is not None and value < 0:
        raise dutch.ParseError("een bedrag kan hier niet negatief zijn")


def _signs_differ(value: Any, base: Any) -> bool:
    return value is not None and base is not None and (value < 0 < base or base < 0 < value)


def parse_value(kind: str, raw: Any, options: list[str] | None, list_name: str | None) -> Any:
    """Parse one raw cell value as `kind`; raises dutch.ParseError with a Dutch explanation."""
    if kind in ("text", "longtext"):
        return _text(raw)
    if kind == "brin":
        v = _text(raw).upper().replace(" ", "")
        if not BRIN_RE.match(v):
            raise dutch.ParseError("een BRIN-nummer is twee cijfers en twee letters, bijvoorbeeld 12AB")
        return v
    if kind == "kvk":
        v = re.sub(r"[\s.]", "", _text(raw))
        if v.isdigit() and len(v) < 8 and isinstance(_plain(raw), int):
            v = v.zfill(8)  # typed as a number: Excel dropped the leading zeros
        if not KVK_RE.match(v):
            raise dutch.ParseError("een KvK-nummer bestaat uit 8 cijfers")
        return v
    if kind == "schooljaar":
        m = YEAR_RE.match(_text(raw))
        if not m:
            raise dutch.ParseError("een schooljaar schrijft u als 2022-2023")
        a, b = (int(x) + 2000 if len(x) == 2 else int(x) for x in m.groups())
        if b != a + 1:
            raise dutch.ParseError("een schooljaar bestaat uit twee opeenvolgende jaren, bijvoorbeeld 2022-2023")
        return f"{a}-{b}"
    if kind == "int":
        return dutch.parse_int(raw)
    if kind == "date":
        if isinstance(raw, (time, timedelta)):
            raise dutch.ParseError("verwacht een datum, bijvoorbeeld 1-9-2022")
        return dutch.parse_date(raw)
    if kind == "euro":
        return dutch.parse_euro(raw)
    if kind == "percent":
        return dutch.parse_percent(raw)
    if kind == "score":
        v = dutch.parse_int(raw)
        if not 1 <= v <= 5:
            raise dutch.ParseError("verwacht een cijfer van 1 tot en met 5")
        return v
    if kind == "choice":
        if list_name and list_name.startswith("menukaart:"):
            hit = menukaart().lookup(_text(raw))
            # P1 judges menukaart answers; keep the text so the rule can name it.
            return menukaart().label(*hit) if hit else _text(raw)
        return dutch.parse_choice(_plain(raw), options or [])
    raise ValueError(f"unknown field type {kind}")


def read(path: Path, root: Path | None = None, spec: WorkbookSpec | None = None, sha256: str | None = None,
         inspection: safety.Inspection | None = None) -> ReadResult:
    """Read one workbook that passed the safety checks (`inspection`: their verdict, with the parts
    they already inflated). Never raises on bad content."""
    spec = spec or spec_mod.load()
    rel = str(path.relative_to(root)) if root else path.name
    digest = sha256 or sha256_of(path)
    out: list[Finding] = []
    try:
        st = read_structure(path, inspection)
    except Exception as exc:  # a corrupt package: the safety checks let it through, the parts are bad
        out.append(findings.finding("W1", "onleesbaar", file=rel, reden=f"Het bestand is beschadigd ({type(exc).__name__}). Sla het opnieuw op als Excel-werkmap (.xlsx)."))
        return ReadResult(None, out)
    # A workbook re-saved by another program (Google Sheets, Numbers, WPS) can lose its defined names
    # and tables while every cell stays where the template put it: then the labels tell.
    version_by_position = "werkboek_versie" not in st.names
    if version_by_position and spec.instruction_sheet not in st.sheets:
        out.append(findings.finding("W2", "geen_werkboek", file=rel))
        return ReadResult(None, out)
    try:
        book = CalamineWorkbook.from_path(str(path))
        grids: dict[str, _Grid] = {}

        def grid(sheet: str) -> _Grid:
            if sheet not in grids:
                grids[sheet] = _Grid(book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            return grids[sheet]

        if version_by_position:
            label = grid(spec.instruction_sheet).get(*_rc(spec_mod.VERSION_LABEL_CELL))
            if not _same_label(label, spec_mod.VERSION_LABEL):
                out.append(findings.finding("W2", "geen_werkboek", file=rel))
                return ReadResult(None, out)
            vs, vc = spec.instruction_sheet, spec_mod.VERSION_CELL
        else:
            vs, vc = st.names["werkboek_versie"]
        version = _text(grid(vs).get(*_rc(vc))) if vs in st.sheets else ""
    except Exception as exc:
        out.append(findings.finding("W1", "onleesbaar", file=rel, reden=f"Het werkboek kan niet worden gelezen ({type(exc).__name__}). Sla het opnieuw op als Excel-werkmap (.xlsx)."))
        return ReadResult(None, out)
    if version not in spec.accepted_versions:
        out.append(findings.finding("W2", "onbekende_versie", file=rel, sheet=vs, cell=vc, versie=version, bekend=", ".join(spec.accepted_versions)))
        return ReadResult(None, out)

    hire = Hire(file=rel, sha256=digest, template_version=version)
    used: dict[str, set[tuple[int, int]]] = {}  # cells that hold input, per sheet
    lost = {"namen": int(version_by_position), "tabellen": 0}  # read by position instead
    try:
        _read_fields(hire, st, spec, grid, used, out, lost)
        _read_tables(hire, st, spec, grid, used, out, lost)
        _stray_cells(hire, st, spec, grid, used, out)
    except Exception as exc:
        out.append(findings.finding("W1", "onleesbaar", file=rel, reden=f"Het werkboek kan niet worden gelezen ({type(exc).__name__}). Sla het opnieuw op als Excel-werkmap (.xlsx)."))
        return ReadResult(None, out)
    if lost["namen"] or lost["tabellen"]:
        what = " en ".join(f"{n} {kind}" for kind, n in (("namen", lost["namen"]), ("tabellen", lost["tabellen"])) if n)
        out.append(findings.finding("W2", "op_positie", file=rel, sheet=spec.instruction_sheet, cell=spec_mod.VERSION_CELL,
                                    verloren=what, versie=version))
    hid = hire.hire_id
    out = [f if f.hire_id else _with_hire(f, hid) for f in out]
    return ReadResult(hire, out)


def _with_hire(f: Finding, hid: str) -> Finding:
    return Finding(f.rule, f.severity, f.file, hid, f.sheet, f.cell, f.message, f.source, f.about)


def _rc(coord: str) -> tuple[int, int]:
    m = re.match(r"^([A-Z]{1,3})(\d+)$", coord)
    return int(m.group(2)), column_index_from_string(m.group(1))


def _same_label(raw: Any, label: str) -> bool:
    """A label cell as the template wrote it: case, spacing and the required-field mark aside."""
    if raw is None:
        return False
    found = " ".join(_text(raw).removesuffix(spec_mod.REQUIRED_MARK.strip()).split()).casefold()
    return found == " ".join(label.split()).casefold()


def _field_by_position(f, st, grid) -> bool:
    return f.sheet in st.sheets and _same_label(grid(f.sheet).get(f.row, spec_mod.LABEL_COL), f.label)


def _table_by_position(t, st, grid) -> bool:
    if t.sheet not in st.sheets:
        return False
    g = grid(t.sheet)
    return all(_same_label(g.get(t.header_row, ci), col.name) for ci, col in enumerate(t.columns, start=1))


def _read_fields(hire, st, spec, grid, used, out, lost) -> None:
    for f in spec.fields.values():
        if f.name in st.names and st.names[f.name][0] in st.sheets:
            sheet, coord = st.names[f.name]
        elif spec.added_later(f.since, hire.template_version):
            continue  # a name the workbook's template version does not have
        elif _field_by_position(f, st, grid):
            sheet, coord = f.sheet, f.cell
            lost["namen"] += 1
        elif f.missing_ok:
            continue
        else:
            out.append(findings.finding("W2", "naam_ontbreekt", file=hire.file, sheet=f.sheet, naam=f.name))
            continue
        r, c = _rc(coord)
        used.setdefault(sheet, set()).add((r, c))
        raw = grid(sheet).get(r, c)
        value = None
        if raw is not None:
            try:
                value = parse_value(f.type, raw, spec.options(f.list) if f.list else None, f.list)
                _not_negative(f.type, f.negative, value)
            except dutch.ParseError as exc:
                value = None  # a rejected value (W4) is not used by any other rule
                out.append(findings.finding("W4", "onleesbaar", file=hire.file, sheet=sheet, cell=coord, label=f.label, waarde=_quote(raw, 100), uitleg=str(exc)))
        hire.fields[f.name] = Cell(shared(value), shared(raw), intern(sheet), intern(coord))
    # W3 after all fields are known, so conditions can look at other fields
    for f in spec.fields.values():
        cell = hire.fields.get(f.name)
        if cell is None or cell.raw is not None:
            continue
        if f.required:
            out.append(findings.finding("W3", "leeg", file=hire.file, sheet=cell.sheet, cell=cell.cell, label=f.label))
        elif f.required_when and hire.get(f.required_when.field) == f.required_when.equals:
            other = spec.fields[f.required_when.field]
            out.append(findings.finding("W3", "leeg_voorwaarde", file=hire.file, sheet=cell.sheet, cell=cell.cell, label=f.label, voorwaarde=other.label, waarde=f.required_when.equals))


def _read_tables(hire, st, spec, grid, used, out, lost) -> None:
    for t in spec.tables.values():
        if t.name in st.tables and st.tables[t.name][0] in st.sheets:
            sheet, ref = st.tables[t.name]
        elif spec.added_later(t.since, hire.template_version):
            hire.tables[t.name] = []  # a table the workbook's template version does not have
            continue
        elif _table_by_position(t, st, grid):
            sheet, ref = t.sheet, t.ref
            lost["tabellen"] += 1
        else:
            out.append(findings.finding("W2", "tabel_ontbreekt", file=hire.file, sheet=t.sheet, naam=spec_mod.table_label(t, capital=True)))
            hire.tables[t.name] = []
            continue
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        g = grid(sheet)
        headers = {}
        for ci in range(min_col, max_col + 1):
            h = g.get(min_row, ci)
            if h is not None:
                headers[_text(h).casefold()] = ci
        colmap = {}
        for col in t.columns:
            ci = headers.get(col.name.casefold())
            if ci is None:
                out.append(findings.finding("W2", "kolom_ontbreekt", file=hire.file, sheet=sheet, cell=f"{get_column_letter(min_col)}{min_row}", tabel=spec_mod.table_label(t), kolom=col.name))
            else:
                colmap[col.name] = ci
        rows: list[Row] = []
        last_data_row = max(len(g.rows), max_row)
        body_end = min(last_data_row, max_row + MAX_ROWS_BELOW_TABLE)
        used_here = used.setdefault(sheet, set())
        columns = range(min_col, max_col + 1)
        for r in range(min_row + 1, body_end + 1):
            outside = r > max_row
            used_here.update((r, ci) for ci in columns)
            raws = {name: g.get(r, ci) for name, ci in colmap.items()}
            if t.prefill == "questions":
                entered = any(v is not None for n, v in raws.items() if n not in ("Nr", "Vraag"))
                if not entered and not outside and raws.get("Nr") is not None:
                    pass  # an unanswered prefilled question is still a row (Q1 needs it)
                elif not entered:
                    continue
            elif all(v is None for v in raws.values()):
                continue
            cells = {}
            for col in t.columns:
                if col.name not in colmap:
                    continue
                ci = colmap[col.name]
                coord = f"{get_column_letter(ci)}{r}"
                raw = raws[col.name]
                value = None
                if raw is not None:
                    try:
                        value = parse_value(col.type, raw, spec.options(col.list) if col.list else None, col.list)
                        _not_negative(col.type, col.negative, value)
                    except dutch.ParseError as exc:
                        value = None
                        out.append(findings.finding("W4", "onleesbaar", file=hire.file, sheet=sheet, cell=coord, label=f"{t.name}: {col.name}", waarde=_quote(raw, 100), uitleg=str(exc)))
                cells[col.name] = Cell(shared(value), shared(raw), intern(sheet), intern(coord))
            for col in t.columns:  # an amount with the other sign than its base amount (BTW −2.100 on € 10.000)
                cell, base = cells.get(col.name), cells.get(col.sign_of or "")
                if cell is not None and base is not None and _signs_differ(cell.value, base.value):
                    out.append(findings.finding("W4", "onleesbaar", file=hire.file, sheet=sheet, cell=cell.cell, label=f"{t.name}: {col.name}",
                                                waarde=_quote(cell.raw, 100), uitleg=f"het teken verschilt van {col.sign_of} ({_quote(base.raw, 100)}); alleen een creditnota heeft een negatief bedrag én een negatieve btw"))
                    cells[col.name] = Cell(None, cell.raw, cell.sheet, cell.cell)
            for col in t.columns:  # a row with values but without a required column (an invoice without its number)
                if col.required and col.name in cells and cells[col.name].raw is None:
                    out.append(findings.finding("W3", "leeg", file=hire.file, sheet=sheet, cell=cells[col.name].cell,
                                                label=f"{col.name} in rij {len(rows) + 1} van {spec_mod.table_label(t)}"))
            row = Row(number=len(rows) + 1, cells=cells, outside_table=outside)
            rows.append(row)
            if outside:
                out.append(findings.finding("W5", "onder_tabel", file=hire.file, sheet=sheet, cell=f"{get_column_letter(min_col)}{r}", rij=r, tabel=spec_mod.table_label(t)))
        hire.tables[t.name] = rows


def _constant_cells(spec: WorkbookSpec) -> dict[str, set[tuple[int, int]]]:
    """Cells the template itself fills (titles, labels, help, headings): not school input."""
    # the instruction sheet: title, open checks (a formula, or its value once pasted over), version label and
    # value, the instruction lines (see render.workbook._instruction). The Controle sheet is never read.
    out: dict[str, set[tuple[int, int]]] = {
        spec.instruction_sheet: {(1, 1), (2, 1), (3, 1), (3, 2)} | {(r, 2) for r in range(5, 5 + len(spec.instruction_lines))}
    }
    for sh in spec.sheets:
        cells = {(1, 1), (2, 1)}
        if sh.fields:
            cells |= {(4, 1), (4, 2), (4, 3)}
        for f in sh.fields:
            cells |= {(f.row, 1), (f.row, 3)}
        if sh.table:
            cells |= {(sh.table.header_row, c) for c in range(1, len(sh.table.columns) + 1)}
        out[sh.name] = cells
    return out


def _stray_cells(hire, st, spec, grid, used, out) -> None:
    """W5: anything typed outside the input cells and tables is reported, never dropped."""
    constants = _constant_cells(spec)
    for name in [spec.instruction_sheet] + [sh.name for sh in spec.sheets]:
        if name not in st.sheets:
            continue
        known = used.get(name, set()) | constants.get(name, set())
        for r, c, v in grid(name).nonempty():
            if (r, c) in known:
                continue
            coord = f"{get_column_letter(c)}{r}"
            out.append(findings.finding("W5", "buiten_invoer", file=hire.file, sheet=name, cell=coord, cel=coord, waarde=_quote(v, 80)))
            for kind in sorted(privacy.detect(_text(v))):
                out.append(findings.finding("V3", kind, file=hire.file, sheet=name, cell=coord))


def peek_identity(path: Path) -> dict[str, Any] | None:
    """BRIN, school year, number and version date of a workbook, or None when unreadable."""
    try:
        res = read(path)
    except Exception:
        return None
    if res.hire is None:
        return None
    h = res.hire
    return {k: h.get(k) for k in ("brin", "schooljaar", "volgnummer", "versiedatum", "school_naam")}

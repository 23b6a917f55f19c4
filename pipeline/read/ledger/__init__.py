"""The board's ledger: exports of grootboekmutaties (CSV or .xlsx) in inputs/grootboek/, read with polars.

Each file is recognised by its headings (layouts.py) or, without headings, as Exact Globe's fmuta.csv; amounts
and dates are read by one convention per column (values.py); entries whose supplier stands on a creditor line
or a header record give that supplier to their cost lines (entries.py). What was recognised is written on the
file's result, for the terminal and the auditor.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline import dutch
from pipeline.model import FileResult, Finding, READ, REJECTED, SKIPPED
from pipeline.read.board import KIND_ALL, KIND_EXTERNAL, LedgerSettings
from pipeline.read.ledger import entries, layouts, values
from pipeline.read.ledger.entries import creditor_key
from pipeline.read.ledger.layouts import FMUTA, ITEMS, LABELS, SYNONYMS, glob_regex  # noqa: F401 - public names
from pipeline.rules import catalogue as findings

FOLDER = "grootboek"
MONEY = values.MONEY
TEXT_ITEMS = ("rekening", "kostenplaats", "project", "crediteur", "crediteur_naam", "kvk", "factuurnummer", "omschrijving")

LINES_SCHEMA = {
    "file": pl.Utf8, "regel": pl.Int64, "datum": pl.Date, "rekening": pl.Utf8, "kostenplaats": pl.Utf8, "project": pl.Utf8,
    "crediteur": pl.Utf8, "crediteur_naam": pl.Utf8, "kvk": pl.Utf8, "factuurnummer": pl.Utf8, "omschrijving": pl.Utf8,
    "bedrag": MONEY, "brin": pl.Utf8,
}
OTHER_SCHEMA = {"file": pl.Utf8, "regel": pl.Int64, "datum": pl.Date, "crediteur": pl.Utf8, "crediteur_naam": pl.Utf8,
                "kvk": pl.Utf8, "rekening": pl.Utf8, "bedrag": MONEY}
LINE_COLUMNS = ["file", "regel", "datum", *TEXT_ITEMS, "bedrag", "_tegen"]
RELATIONS_SCHEMA = {"crediteur": pl.Utf8, "crediteur_naam": pl.Utf8, "kvk": pl.Utf8}


@dataclass
class Recognition:
    """What was recognised in one ledger file: shown in the terminal and named in its findings."""

    file: str
    layout: str
    columns: dict[str, str]
    lines: int = 0
    npo_lines: int = 0
    npo_total: object = None
    first: object = None
    last: object = None
    amounts: str = ""
    dates: str = ""
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        cols = ", ".join(f"{LABELS.get(k, k)} = {v}" for k, v in self.columns.items())
        period = (f"periode {dutch.format_date(self.first)} t/m {dutch.format_date(self.last)}" if self.first and self.last
                  else "geen periode (geen datum gelezen)")
        total = dutch.format_euro(self.npo_total) if self.npo_total is not None else dutch.format_euro(0)
        out = (f"Herkend als {self.layout}: {_count(self.lines, 'boekingsregel', 'boekingsregels')}, waarvan "
               f"{_count(self.npo_lines, 'NPO-regel', 'NPO-regels')} ({total}); {period}. Kolommen: {cols or 'geen'}.")
        if self.amounts:
            out += f" Bedragen: {self.amounts}."
        if self.dates:
            out += f" Datums: {self.dates}."
        for n in self.notes:
            out += f" {n}"
        return out


@dataclass
class Ledger:
    """What the ledger folder held: the NPO lines, the supplier lines outside NPO, the files and their findings."""

    lines: pl.DataFrame  # NPO lines on external parties, with the BRIN of their cost centre
    files: list[FileResult] = field(default_factory=list)
    all_lines: int = 0  # lines read, NPO or not
    first: object = None  # first and last date of all lines read (the period the ledger covers)
    last: object = None
    usable: bool = False  # lines were read and the board said which of them are NPO
    other: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=OTHER_SCHEMA))  # non-NPO supplier lines (A1/A2)
    recognitions: list[Recognition] = field(default_factory=list)
    # All NPO spending, staff included: the lines of the selection rows marked 'alle NPO-uitgaven' together with the
    # external ones, each line once (LINES_SCHEMA); None when the board marked no such row on the sheet Grootboek.
    all_npo: pl.DataFrame | None = None

    @property
    def present(self) -> bool:
        """A ledger to check against: without one (or without the board's NPO selection) no L rule runs,
        rather than calling every workbook invoice unbooked."""
        return self.usable

    @property
    def failed(self) -> list[str]:
        """Ledger files that were rejected or yielded nothing to check: completeness cannot be stated."""
        return [f.file for f in self.files if f.status == REJECTED or any(x.rule == "L1" for x in f.findings)]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 with or without BOM, else Windows-1252 (what Excel writes on Dutch Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" as some Windows programs save it
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_like_data(cells: list[object]) -> bool:
    """A first row of values rather than headings: at least half of its cells numbers, amounts or dates."""
    filled = [str(c).strip() for c in cells if c not in (None, "")]
    if not filled:
        return False
    numeric = sum(1 for c in filled if re.fullmatch(r"-?[\d.,]+-?|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?", c))
    return numeric * 2 >= len(filled)


TITLE_ROWS = 20  # a title, a period or an empty line above the heading row: looked past this far


def _first_row(rows: list[list[object]]) -> int:
    """Index of the heading row (or first data row): the first of at least three filled cells; export titles such as
    "Grootboekmutaties 2023" and empty lines above it are skipped."""
    for i, r in enumerate(rows[:TITLE_ROWS]):
        if sum(1 for c in r if c not in (None, "") and str(c).strip()) >= 3:
            return i
    return 0


def _separator(lines: list[str]) -> str:
    """The separator that splits most of the first lines into the same number of fields (a comma in a description
    does not make a semicolon file comma-separated)."""
    from collections import Counter

    def score(c: str) -> tuple[int, int]:
        counts = Counter(ln.count(c) for ln in lines if ln.strip() and ln.count(c))
        if not counts:
            return (0, 0)
        fields, lines_ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        return (lines_, fields)

    return max((";", "\t", ",", "|"), key=score)


def read_table(path: Path) -> tuple[pl.DataFrame, bool, int]:
    """Every cell as text, whether the file has no heading row, and the file line of its first data row; raises for
    a file that is no table at all."""
    if path.suffix.lower() == ".xlsx":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
        if not rows:
            return pl.DataFrame(), False, 2
        start = _first_row(rows)
        rows = rows[start:]
        width = max(len(r) for r in rows)
        headerless = _looks_like_data(list(rows[0]))
        if headerless:
            header, body_rows = [f"kolom{i + 1}" for i in range(width)], rows
        else:
            header = [str(h).strip() if h not in (None, "") else f"kolom{i + 1}" for i, h in enumerate(rows[0])]
            header += [f"kolom{i + 1}" for i in range(len(header), width)]
            body_rows = rows[1:]
        body = [[_text(v) for v in r] + [None] * (width - len(r)) for r in body_rows]
        frame = pl.DataFrame(body, schema={h: pl.Utf8 for h in _unique(header)}, orient="row")
        return frame, headerless, start + (1 if headerless else 2)
    text = decode(path.read_bytes())
    lines = text.splitlines()
    sep = _separator(lines[:TITLE_ROWS])
    start = _first_row([ln.split(sep) for ln in lines[:TITLE_ROWS]])
    body = "\n".join(lines[start:])
    headerless = _looks_like_data(lines[start].split(sep) if lines else [])
    frame = pl.read_csv(io.StringIO(body), separator=sep, infer_schema=False, truncate_ragged_lines=True,
                        has_header=not headerless)
    if headerless:
        frame = frame.rename({c: f"kolom{i + 1}" for i, c in enumerate(frame.columns)})
    return frame, headerless, start + (1 if headerless else 2)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def _text(v: object) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, float):
        return str(values.from_number(v)) if v != int(v) else str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return str(v)


def _norm_code(expr: pl.Expr) -> pl.Expr:
    s = expr.str.strip_chars().str.replace(r"^(\d+)\.0$", "${1}")
    return pl.when(s == "").then(None).otherwise(s)


def kvk_key(expr: pl.Expr) -> pl.Expr:
    """A KvK number as 8 digits (Excel drops the leading zero of 01234567)."""
    digits = expr.str.replace_all(r"\D", "")
    return pl.when(digits.str.len_chars() > 0).then(digits.str.zfill(8)).otherwise(None)


def _lines_text(lines: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (f" en {len(lines) - limit} meer" if len(lines) > limit else "")


def _unreadable(rel: str, what: str, lines: list[int], raw: str) -> Finding:
    word = "regel" if len(lines) == 1 else "regels"
    return findings.finding("W4", "onleesbaar", file=rel, cell=f"{word} {_lines_text(lines)}",
                            label=f"{what.capitalize()} in {word} {_lines_text(lines, 5)}", waarde=str(raw)[:40],
                            uitleg=f"verwacht een {what} zoals {'1.234,56' if what == 'bedrag' else '1-9-2022'}; "
                                   f"{'deze regel is' if len(lines) == 1 else 'deze regels zijn'} niet meegeteld")


def _amounts(df: pl.DataFrame, col: str, iso: bool) -> tuple[pl.Series, str]:
    """The amounts of one column by its convention; values the convention cannot read come back null."""
    clean = df.select(values.clean_amount(pl.col(col)).alias("v"))["v"]
    convention = values.amount_convention(clean, iso)
    if convention == values.MIXED:
        parsed = []
        for v in clean.to_list():
            try:
                parsed.append(dutch.parse_euro(v) if v is not None else None)
            except dutch.ParseError:
                parsed.append(None)
        return pl.Series(col, parsed, dtype=MONEY), convention
    return clean.to_frame("v").select(values.amount_expr(pl.col("v"), convention).alias("v"))["v"], convention


def normalise(frame: pl.DataFrame, p: layouts.Placement, rel: str, first_line: int) -> tuple[pl.DataFrame, list[Finding], Recognition]:
    """The export's columns as ledger lines: codes as text, one signed amount and one date per line."""
    out: list[Finding] = []
    c = p.columns
    df = frame.with_row_index("regel", offset=first_line)
    df = df.filter(pl.any_horizontal([pl.col(x).is_not_null() for x in frame.columns])) if frame.columns else df
    rec = Recognition(rel, p.layout, dict(c), notes=list(p.notes))
    dates_clean = df.select(values.clean_date(pl.col(c["datum"])).alias("v"))["v"]
    iso = bool(dates_clean.drop_nulls().str.contains(r"^\d{4}-").any()) or bool(
        df.select(pl.col(c["datum"]).str.contains(r"\d{4}-\d{2}-\d{2}[T ]\d").any()).item())
    date_col = values.date_convention(dates_clean)
    rec.dates = values.DATE_LABELS.get(date_col.fmt, date_col.fmt)
    parsed = dates_clean.to_frame("v").select(values.date_expr(pl.col("v"), date_col).alias("v"))["v"]
    cols: dict[str, pl.Series] = {"datum": parsed}
    conventions = []
    if "bedrag" in c:
        amount, conv = _amounts(df, c["bedrag"], iso)
        conventions.append(conv)
        raw_amount = df[c["bedrag"]]
        if "dc" in c:  # Twinfield: an unsigned amount with D/C
            credit = df[c["dc"]].str.strip_chars().str.to_lowercase().str.starts_with("c")
            amount = pl.select(pl.when(credit.fill_null(False) & (amount > 0)).then(-amount).otherwise(amount))[amount.name]
    else:
        parts, unread = [], []
        for item in ("debet", "credit"):
            if item in c:
                s, conv = _amounts(df, c[item], iso)
                conventions.append(conv)
                parts.append(s.fill_null(0))
                raw = df[c[item]]
                unread.append(pl.when(s.is_null() & (raw.str.strip_chars() != "")).then(raw))
            else:
                parts.append(pl.Series([0] * df.height, dtype=MONEY))
        amount = (parts[0] - parts[1]).cast(MONEY)
        # an empty debit or credit cell is 0; a value that cannot be read leaves the line out, named in a W4
        raw_amount = pl.select(pl.coalesce(unread).alias("r"))["r"]
        amount = pl.select(pl.when(raw_amount.is_null()).then(amount).otherwise(None).alias("v"))["v"]
    cols["bedrag"] = amount
    rec.amounts = "; ".join(dict.fromkeys(conventions))
    # values that could not be read: a finding naming the lines, never a silent drop
    for what, series, raw in (("datum", parsed, df[c["datum"]]), ("bedrag", amount, raw_amount)):
        if raw is None:
            continue
        bad = df.select(pl.col("regel"), series.alias("_p"), raw.alias("_r")).filter(
            pl.col("_p").is_null() & pl.col("_r").is_not_null() & (pl.col("_r").str.strip_chars() != ""))
        if not bad.is_empty():
            out.append(_unreadable(rel, what, bad["regel"].to_list(), bad["_r"][0]))
    lines = df.select(
        pl.col("regel").cast(pl.Int64),
        *[(_norm_code(pl.col(c[item])) if item in c else pl.lit(None, pl.Utf8)).alias(item) for item in TEXT_ITEMS],
        *[_norm_code(pl.col(c[x])).alias(f"_{x}") for x in ("boekstuk", "regelnummer", "soort_rekening") if x in c],
        *[_norm_code(pl.col(d)).alias(f"_dim:{d}") for d in p.dimensions],
    ).with_columns(cols["datum"].alias("datum"), cols["bedrag"].alias("bedrag"))
    lines = lines.with_columns(creditor_key(pl.col("crediteur")).alias("crediteur"), kvk_key(pl.col("kvk")).alias("kvk"))
    rec.lines = lines.height  # rows read; those without a readable date or amount are named in a W4
    lines = lines.filter(pl.col("bedrag").is_not_null() & pl.col("datum").is_not_null())
    return lines.with_columns(pl.lit(rel).alias("file")), out, rec


def collect(inputs: Path) -> list[Path]:
    folder = inputs / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _relations(frame: pl.DataFrame, p: layouts.Placement) -> pl.DataFrame:
    c = p.columns
    return frame.select(
        creditor_key(_norm_code(pl.col(c["crediteur"]))).alias("crediteur"),
        (pl.col(c["crediteur_naam"]).str.strip_chars() if "crediteur_naam" in c else pl.lit(None, pl.Utf8)).alias("crediteur_naam"),
        (kvk_key(pl.col(c["kvk"])) if "kvk" in c else pl.lit(None, pl.Utf8)).alias("kvk"),
    ).filter(pl.col("crediteur").is_not_null())


def load(inputs: Path, settings: LedgerSettings, sha256) -> tuple[Ledger, list[Finding]]:
    """Read every export in inputs/grootboek/; board-level findings (settings) come back apart."""
    files: list[FileResult] = []
    relations: list[pl.DataFrame] = []
    board_out: list[Finding] = []
    pending: list[tuple[Path, str, int, str, pl.DataFrame, int, layouts.Placement]] = []
    for path in collect(inputs):
        rel = path.relative_to(inputs).as_posix()
        size, digest = path.stat().st_size, sha256(path)
        if path.suffix.lower() not in (".csv", ".txt", ".xlsx") or path.name.startswith(("~$", ".~lock")):
            files.append(FileResult(rel, digest, size, SKIPPED, "Geen grootboekexport (.csv of .xlsx); niet gelezen."))
            continue
        try:
            frame, headerless, first_line = read_table(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is rejected with a finding, never a traceback
            reason = f"Het grootboekbestand kan niet worden gelezen ({type(exc).__name__}). Exporteer het opnieuw als CSV of .xlsx."
            files.append(FileResult(rel, digest, size, REJECTED, reason, None, [findings.finding("L1", "export_onleesbaar", file=rel, reden=reason)]))
            continue
        if headerless and settings.layout != FMUTA and not entries.looks_like_fmuta(frame):
            msg = findings.finding("L1", "export_onbekend", file=rel, cell="regel 1", gevonden="geen kolomkoppen (de eerste regel bevat gegevens)",
                                   nodig=f"kolomkoppen in de eerste regel, of op het tabblad Grootboek de indeling '{FMUTA}' of per gegeven een kolomnummer")
            files.append(FileResult(rel, digest, size, REJECTED, msg.message, None, [msg]))
            continue
        placed = layouts.place(frame.columns, settings.columns, headerless)
        if layouts.is_relations(placed):
            rel_df = _relations(frame, placed)
            relations.append(rel_df)
            files.append(FileResult(rel, digest, size, READ, f"Crediteurenlijst: {_count(rel_df.height, 'crediteur', 'crediteuren')} "
                                                             f"(kolommen: {', '.join(f'{LABELS[k]} = {v}' for k, v in placed.columns.items() if k in RELATIONS_SCHEMA)})."))
            continue
        pending.append((path, rel, size, digest, frame, first_line, placed))
    rel_all = (pl.concat(relations).unique("crediteur", keep="first") if relations else pl.DataFrame(schema=RELATIONS_SCHEMA))
    frames: list[pl.DataFrame] = []
    recognitions: list[Recognition] = []
    for path, rel, size, digest, frame, first_line, placed in pending:
        has_entries = "boekstuk" in placed.columns or "regelnummer" in placed.columns
        need = layouts.missing(placed, has_entries)
        if need:
            found = ", ".join(frame.columns[:30]) or "geen"
            msg = findings.finding("L1", "export_onbekend", file=rel, cell="regel 1", gevonden=found, nodig=", ".join(need))
            files.append(FileResult(rel, digest, size, REJECTED, msg.message, None, [msg]))
            continue
        lines, found, rec = normalise(frame, placed, rel, first_line)
        lines = entries.resolve(lines, placed, rel_all, rec)
        lines = entries.dimensions(lines, placed, settings, rec)
        if lines.height:
            rec.first, rec.last = lines["datum"].min(), lines["datum"].max()
        frames.append(lines)
        recognitions.append(rec)
        files.append(FileResult(rel, digest, size, READ, "", None, found))
    ledger = Ledger(pl.DataFrame(schema=LINES_SCHEMA), files, recognitions=recognitions)
    if not frames:
        return ledger, board_out
    lines = pl.concat([f.select(LINE_COLUMNS) for f in frames], how="vertical_relaxed")
    if not rel_all.is_empty():
        lines = (lines.join(rel_all, on="crediteur", how="left", suffix="_rel")
                 .with_columns(pl.coalesce("crediteur_naam", "crediteur_naam_rel").alias("crediteur_naam"),
                               pl.coalesce("kvk", "kvk_rel").alias("kvk"))
                 .drop("crediteur_naam_rel", "kvk_rel"))
    ledger.all_lines = lines.height
    ledger.first, ledger.last = lines["datum"].min(), lines["datum"].max()
    selection = npo_filter(settings)
    every = npo_filter(settings, KIND_ALL)
    if every is not None:
        every = every if selection is None else every | selection
        ledger.all_npo = (lines.filter(every.fill_null(False)).join(cost_centres(settings), on="kostenplaats", how="left")
                          .select(list(LINES_SCHEMA)).cast(LINES_SCHEMA))
    by_file = {f.file: f for f in files}
    if selection is None:
        board_out.append(settings.finding_no_selection())
        for rec in recognitions:
            by_file[rec.file].reason = rec.text()
        return ledger, board_out
    ledger.usable = True
    lines = lines.with_columns(selection.fill_null(False).alias("_npo"))
    npo = lines.filter(pl.col("_npo")).join(cost_centres(settings), on="kostenplaats", how="left")
    ledger.other = lines.filter(~pl.col("_npo") & ~pl.col("_tegen") & (pl.col("crediteur").is_not_null() | pl.col("crediteur_naam").is_not_null())
                                ).select(list(OTHER_SCHEMA)).cast(OTHER_SCHEMA)
    unknown = npo.filter(pl.col("brin").is_null())["kostenplaats"].unique().sort().to_list()
    if unknown:
        board_out.append(settings.finding_unknown_cost_centres([str(u) if u is not None else "(leeg)" for u in unknown]))
    ledger.lines = npo.select(list(LINES_SCHEMA)).cast(LINES_SCHEMA)
    per_file = {r["file"]: r for r in npo.group_by("file").agg(pl.len().alias("n"), pl.col("bedrag").sum().alias("som")).iter_rows(named=True)}
    for rec in recognitions:
        fr = by_file[rec.file]
        hit = per_file.get(rec.file)
        rec.npo_lines, rec.npo_total = (hit["n"], hit["som"]) if hit else (0, None)
        fr.reason = rec.text()
        if rec.lines and rec.first is None:
            fr.findings.append(findings.finding("L1", "geen_periode", file=rec.file, herkend=rec.text()))
        elif rec.lines and not rec.npo_lines:
            fr.findings.append(findings.finding("L1", "geen_npo", file=rec.file, herkend=rec.text(), selectie=settings.selection_text()))
        elif not rec.lines:
            fr.findings.append(findings.finding("L1", "geen_regels", file=rec.file, herkend=rec.text()))
    return ledger, board_out


def npo_filter(settings: LedgerSettings, kind: str = KIND_EXTERNAL) -> pl.Expr | None:
    """Lines that count as NPO spending on external parties (or, with KIND_ALL, as any NPO spending): any row of
    the board's selection of that kind matches."""
    parts = []
    for sel in settings.selections:
        if sel.kind != kind:
            continue
        cond = pl.lit(True)
        if sel.account:
            cond = cond & pl.col("rekening").fill_null("").str.contains(glob_regex(sel.account))
        if sel.project:
            cond = cond & pl.col("project").fill_null("").str.contains(glob_regex(sel.project))
        parts.append(cond)
    if not parts:
        return None
    return pl.any_horizontal(parts)


def cost_centres(settings: LedgerSettings) -> pl.DataFrame:
    rows = [{"kostenplaats": k, "brin": v} for k, v in settings.cost_centres.items()]
    return pl.DataFrame(rows, schema={"kostenplaats": pl.Utf8, "brin": pl.Utf8}) if rows else pl.DataFrame(schema={"kostenplaats": pl.Utf8, "brin": pl.Utf8})

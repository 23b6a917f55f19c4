"""The board's ledger: exports of grootboekmutaties (CSV or .xlsx) in inputs/grootboek/, read with polars."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline import dutch
from pipeline.model import FileResult, Finding, READ, REJECTED, SKIPPED
from pipeline.read.board import LedgerSettings
from pipeline.rules import catalogue as findings

FOLDER = "grootboek"
MONEY = pl.Decimal(16, 2)

# The items a ledger line can have (the first table of the sheet Grootboek in bestuur.xlsx).
ITEMS = ("datum", "rekening", "kostenplaats", "project", "crediteur", "crediteur_naam", "kvk", "factuurnummer",
         "omschrijving", "bedrag", "debet", "credit")

# Column headings of the common exports, compared case-insensitively without spaces, dots and underscores.
# AFAS Profit: view "Financiële mutaties" and import "Financiële mutaties" (help.afas.nl, Fin_Entry_Import:
# Boekdatum, Rekening, Kostenplaats, Kostendrager, Factuurnummer, Bedrag debet, Bedrag credit).
# Exact Online: export "Transacties" (Datum, Grootboekrekening, Kostenplaats, Kostendrager, Project, Relatie,
# Uw ref., Omschrijving, Bedrag). Exact Globe: the financial mutations file FMUTA (reknr, kstplcode, kstdrcode,
# Crednr, faktuurnr, oms25, bdr_hfl, datum as ddmmjjjj). Visma and Unit4 (Multivers, Financials): Boekingsdatum,
# Grootboek, Leverancier, Factuurnr, Debet, Credit. Administratiekantoren: the Dutch names as such.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "datum": ("datum", "boekdatum", "boekingsdatum", "factuurdatum", "transactiedatum", "documentdatum", "date",
              "postingdate", "entrydate", "transdate"),
    "rekening": ("rekening", "grootboekrekening", "grootboek", "grootboeknummer", "grootboekrekeningnummer", "reknr",
                 "rekeningnummer", "gbrekening", "account", "glaccount", "accountnumber", "accountnum"),
    "kostenplaats": ("kostenplaats", "kostenplaatscode", "kstplcode", "kstpl", "kpl", "costcenter", "costcentre",
                     "dim1", "afdeling"),
    "project": ("project", "projectcode", "projectnummer", "projectnr", "kostendrager", "kostendragercode",
                "kstdrcode", "kstdr", "dim2"),
    "crediteur": ("crediteur", "crediteurnummer", "crednr", "crdnr", "credcode", "relatie", "relatienummer",
                  "coderelatie", "leveranciersnummer", "leveranciercode", "supplierid", "supplier", "aparid"),
    "crediteur_naam": ("crediteurnaam", "naamcrediteur", "naamrelatie", "relatienaam", "leverancier",
                       "leveranciersnaam", "naamleverancier", "naam", "suppliername", "bedrijfsnaam"),
    "kvk": ("kvk", "kvknummer", "kvknr", "kamervankoophandel", "chamberofcommerce", "cocnumber"),
    "factuurnummer": ("factuurnummer", "factuurnr", "faktuurnr", "factuur", "uwref", "uwreferentie",
                      "externfactuurnummer", "invoicenumber", "invoiceno", "invoice"),
    "omschrijving": ("omschrijving", "oms25", "oms", "boekingsomschrijving", "description", "tekst"),
    "bedrag": ("bedrag", "saldo", "bedragvv", "bdrhfl", "bedrageur", "amount", "amountmst", "bedragexclbtw"),
    "debet": ("debet", "bedragdebet", "debit", "debetbedrag"),
    "credit": ("credit", "bedragcredit", "creditbedrag"),
}
LABELS = {
    "datum": "datum", "rekening": "grootboekrekening", "kostenplaats": "kostenplaats", "project": "project",
    "crediteur": "crediteurnummer", "crediteur_naam": "naam crediteur", "kvk": "KvK-nummer",
    "factuurnummer": "factuurnummer", "omschrijving": "omschrijving", "bedrag": "bedrag", "debet": "debet", "credit": "credit",
}
NEEDED_TEXT = "datum, grootboekrekening of project, crediteur (nummer of naam), factuurnummer en bedrag (of debet en credit)"
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d%m%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%y")

LINES_SCHEMA = {
    "file": pl.Utf8, "regel": pl.Int64, "datum": pl.Date, "rekening": pl.Utf8, "kostenplaats": pl.Utf8, "project": pl.Utf8,
    "crediteur": pl.Utf8, "crediteur_naam": pl.Utf8, "kvk": pl.Utf8, "factuurnummer": pl.Utf8, "omschrijving": pl.Utf8,
    "bedrag": MONEY, "brin": pl.Utf8,
}
RELATIONS_SCHEMA = {"crediteur": pl.Utf8, "crediteur_naam": pl.Utf8, "kvk": pl.Utf8}


@dataclass
class Ledger:
    """What the ledger folder held: every line (NPO lines marked), the files and their findings."""

    lines: pl.DataFrame  # NPO lines on external parties, with the BRIN of their cost centre
    files: list[FileResult] = field(default_factory=list)
    all_lines: int = 0  # lines read, NPO or not
    first: object = None  # first and last date of all lines read (the period the ledger covers)
    last: object = None

    usable: bool = False  # lines were read and the board said which of them are NPO

    @property
    def present(self) -> bool:
        """A ledger to check against: without one (or without the board's NPO selection) no L rule runs,
        rather than calling every workbook invoice unbooked."""
        return self.usable


def _key(header: str) -> str:
    return re.sub(r"[\s._\-/()]", "", str(header)).casefold()


def decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 with or without BOM, else Windows-1252 (what Excel writes on Dutch Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def separator(text: str) -> str:
    head = text.split("\n", 1)[0]
    return max((";", ",", "\t", "|"), key=head.count)


def read_table(path: Path) -> pl.DataFrame:
    """Every cell as text, with the header row's names; raises for a file that is no table at all."""
    if path.suffix.lower() == ".xlsx":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
        if not rows:
            return pl.DataFrame()
        header = [str(h).strip() if h not in (None, "") else f"kolom{i + 1}" for i, h in enumerate(rows[0])]
        body = [[_text(v) for v in r] + [None] * (len(header) - len(r)) for r in rows[1:]]
        return pl.DataFrame(body, schema={h: pl.Utf8 for h in _unique(header)}, orient="row")
    text = decode(path.read_bytes())
    return pl.read_csv(io.StringIO(text), separator=separator(text), infer_schema=False, truncate_ragged_lines=True)


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
        return f"{v:.2f}" if v != int(v) else str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return str(v)


def place(columns: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Item -> column of the export: the board's mapping first, then the known headings."""
    by_key = {_key(c): c for c in reversed(columns)}
    out: dict[str, str] = {}
    for item, name in mapping.items():
        if name and _key(name) in by_key:
            out[item] = by_key[_key(name)]
    taken = set(out.values())
    for item in ITEMS:
        if item in out:  # a mapped column this export lacks falls back to the known headings
            continue
        for syn in SYNONYMS[item]:
            col = by_key.get(syn)
            if col is not None and col not in taken:
                out[item] = col
                taken.add(col)
                break
    return out


def is_relations(placed: dict[str, str]) -> bool:
    """A crediteuren export: number and name (or KvK), no amounts or dates."""
    return "crediteur" in placed and ("crediteur_naam" in placed or "kvk" in placed) and not (
        {"bedrag", "debet", "credit", "datum"} & placed.keys())


def missing(placed: dict[str, str]) -> list[str]:
    out = []
    if "datum" not in placed:
        out.append("datum")
    if "rekening" not in placed and "project" not in placed:
        out.append("grootboekrekening of project")
    if "crediteur" not in placed and "crediteur_naam" not in placed:
        out.append("crediteur")
    if "factuurnummer" not in placed:
        out.append("factuurnummer")
    if "bedrag" not in placed and not ("debet" in placed or "credit" in placed):
        out.append("bedrag (of debet en credit)")
    return out


def amount_expr(col: str) -> pl.Expr:
    """`1.234,56`, `-1234.56`, `€ 1.234,56`, `1234,56-` as a decimal; anything else null."""
    s = pl.col(col).str.replace_all(r"[€\s\u00a0]", "")
    s = pl.when(s.str.ends_with("-")).then(pl.lit("-") + s.str.strip_suffix("-")).otherwise(s)
    dutch_style = s.str.contains(r",\d{1,2}$") | (s.str.contains(",") & ~s.str.contains(r"\."))
    s = pl.when(dutch_style).then(s.str.replace_all(r"\.", "").str.replace(",", ".", literal=True)).otherwise(s.str.replace_all(",", "", literal=True))
    return s.cast(pl.Decimal(18, 4), strict=False).round(2).cast(MONEY)


def date_expr(col: str) -> pl.Expr:
    s = pl.col(col).str.strip_chars()
    return pl.coalesce([s.str.strptime(pl.Date, f, strict=False) for f in DATE_FORMATS])


def _fallback(values: list[str | None], parse) -> tuple[list[object], list[int]]:
    """Values the fast vector parse could not read, read one by one the way workbook cells are."""
    out, bad = [], []
    for i, v in enumerate(values):
        try:
            out.append(parse(v))
        except dutch.ParseError:
            out.append(None)
            bad.append(i)
    return out, bad


def _norm_code(expr: pl.Expr) -> pl.Expr:
    return expr.str.strip_chars().str.replace(r"\.0$", "")


def _creditor(expr: pl.Expr) -> pl.Expr:
    """A creditor number without leading zeros: FMUTA writes 000123 where the relations export has 123."""
    return expr.str.replace(r"^0+(.)", "${1}")


def normalise(frame: pl.DataFrame, placed: dict[str, str], rel: str) -> tuple[pl.DataFrame, list[Finding]]:
    """The export's columns as ledger lines: parsed dates and amounts, one signed amount per line."""
    out: list[Finding] = []
    df = frame.with_row_index("regel", offset=2)  # line 1 is the header
    cols = [pl.col("regel").cast(pl.Int64)]
    codes = {item: _norm_code(pl.col(placed[item])) if item in placed else pl.lit(None, pl.Utf8)
             for item in ("rekening", "kostenplaats", "project", "crediteur", "crediteur_naam", "kvk", "factuurnummer", "omschrijving")}
    codes["crediteur"] = _creditor(codes["crediteur"])
    cols += [expr.alias(item) for item, expr in codes.items()]
    cols.append(date_expr(placed["datum"]).alias("datum"))
    cols.append(pl.col(placed["datum"]).alias("_datum_raw"))
    if "bedrag" in placed:
        cols += [amount_expr(placed["bedrag"]).alias("bedrag"), pl.col(placed["bedrag"]).alias("_bedrag_raw")]
    else:
        d = amount_expr(placed["debet"]).fill_null(0) if "debet" in placed else pl.lit(0).cast(MONEY)
        c = amount_expr(placed["credit"]).fill_null(0) if "credit" in placed else pl.lit(0).cast(MONEY)
        cols += [(d - c).cast(MONEY).alias("bedrag"), pl.lit(None, pl.Utf8).alias("_bedrag_raw")]
    df = df.select(cols)
    df = df.with_columns(pl.col("kvk").str.replace_all(r"\D", "").str.zfill(8).alias("kvk"))
    # What the vector parse missed: read one by one; still unreadable gives a finding naming the lines.
    for item, raw, parse, what in (("bedrag", "_bedrag_raw", dutch.parse_euro, "bedrag"), ("datum", "_datum_raw", dutch.parse_date, "datum")):
        miss = df.filter(pl.col(item).is_null() & pl.col(raw).is_not_null() & (pl.col(raw).str.strip_chars() != ""))
        if miss.is_empty():
            continue
        values, bad = _fallback(miss[raw].to_list(), parse)
        fixed = miss.select("regel").with_columns(pl.Series("_fix", values, dtype=MONEY if item == "bedrag" else pl.Date))
        df = df.join(fixed, on="regel", how="left").with_columns(pl.coalesce(item, "_fix").alias(item)).drop("_fix")
        if bad:
            lines = miss["regel"].gather(bad).to_list()
            out.append(findings.finding("W4", "onleesbaar", file=rel, cell=_lines_text(lines), label=f"{what.capitalize()} in regel {_lines_text(lines, 5)}",
                                        waarde=str(miss[raw][bad[0]])[:40], uitleg=f"verwacht een {what} zoals {'1.234,56' if what == 'bedrag' else '1-9-2022'}; deze regels zijn niet meegeteld"))
    df = df.filter(pl.col("bedrag").is_not_null())
    return df.drop("_datum_raw", "_bedrag_raw").with_columns(pl.lit(rel).alias("file")), out


def _lines_text(lines: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return "regel " + shown + (f" en {len(lines) - limit} meer" if len(lines) > limit else "")


def glob_regex(pattern: str) -> str:
    """A pattern like `4*` or `44?0` as an anchored regular expression, compared without case."""
    body = re.escape(pattern.strip()).replace(r"\*", ".*").replace(r"\?", ".")
    return f"(?i)^{body}$"


def npo_filter(settings: LedgerSettings) -> pl.Expr | None:
    """Lines that count as NPO spending on external parties: any row of the board's selection matches."""
    parts = []
    for sel in settings.selections:
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


def collect(inputs: Path) -> list[Path]:
    folder = inputs / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def load(inputs: Path, settings: LedgerSettings, sha256) -> tuple[Ledger, list[Finding]]:
    """Read every export in inputs/grootboek/; board-level findings (settings) come back apart."""
    files: list[FileResult] = []
    frames: list[pl.DataFrame] = []
    relations: list[pl.DataFrame] = []
    board_out: list[Finding] = []
    for path in collect(inputs):
        rel = path.relative_to(inputs).as_posix()
        size, digest = path.stat().st_size, sha256(path)
        if path.suffix.lower() not in (".csv", ".txt", ".xlsx") or path.name.startswith(("~$", ".~lock")):
            files.append(FileResult(rel, digest, size, SKIPPED, "Geen grootboekexport (.csv of .xlsx); niet gelezen."))
            continue
        try:
            frame = read_table(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is rejected with a finding, never a traceback
            reason = f"Het grootboekbestand kan niet worden gelezen ({type(exc).__name__}). Exporteer het opnieuw als CSV of .xlsx."
            files.append(FileResult(rel, digest, size, REJECTED, reason, None, [findings.finding("L1", "export_onleesbaar", file=rel, reden=reason)]))
            continue
        placed = place(frame.columns, settings.columns)
        if is_relations(placed):
            rel_df = frame.select(
                _creditor(_norm_code(pl.col(placed["crediteur"]))).alias("crediteur"),
                (pl.col(placed["crediteur_naam"]) if "crediteur_naam" in placed else pl.lit(None, pl.Utf8)).alias("crediteur_naam"),
                (pl.col(placed["kvk"]).str.replace_all(r"\D", "").str.zfill(8) if "kvk" in placed else pl.lit(None, pl.Utf8)).alias("kvk"),
            )
            relations.append(rel_df)
            files.append(FileResult(rel, digest, size, READ, f"Crediteurenlijst: {rel_df.height} crediteuren."))
            continue
        need = missing(placed)
        if need:
            found = ", ".join(frame.columns[:30]) or "geen"
            msg = findings.finding("L1", "export_onbekend", file=rel, cell="regel 1", gevonden=found, nodig=", ".join(need))
            files.append(FileResult(rel, digest, size, REJECTED, msg.message, None, [msg]))
            continue
        lines, found = normalise(frame, placed, rel)
        frames.append(lines)
        files.append(FileResult(rel, digest, size, READ, f"{lines.height} boekingsregels.", None, found))
    empty = pl.DataFrame(schema=LINES_SCHEMA)
    ledger = Ledger(empty, files)
    if not frames:
        return ledger, board_out
    lines = pl.concat(frames, how="diagonal_relaxed")
    if relations:
        rel_all = pl.concat(relations).unique("crediteur", keep="first")
        lines = (lines.join(rel_all, on="crediteur", how="left", suffix="_rel")
                 .with_columns(pl.coalesce("crediteur_naam", "crediteur_naam_rel").alias("crediteur_naam"),
                               pl.coalesce("kvk", "kvk_rel").alias("kvk"))
                 .drop("crediteur_naam_rel", "kvk_rel"))
    ledger.all_lines = lines.height
    ledger.first, ledger.last = lines["datum"].min(), lines["datum"].max()
    selection = npo_filter(settings)
    if selection is None:
        board_out.append(settings.finding_no_selection())
        return ledger, board_out
    ledger.usable = True
    npo = lines.filter(selection)
    npo = npo.join(cost_centres(settings), on="kostenplaats", how="left")
    unknown = npo.filter(pl.col("brin").is_null())["kostenplaats"].unique().sort().to_list()
    if unknown:
        board_out.append(settings.finding_unknown_cost_centres([str(u) for u in unknown]))
    ledger.lines = npo.select(list(LINES_SCHEMA)).cast(LINES_SCHEMA)
    return ledger, board_out

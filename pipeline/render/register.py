"""The register for finance staff (register.xlsx) and Parquet copies of its tables."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl

from pipeline.render import XML_ILLEGAL
from pipeline import aggregate
from pipeline.render import audit, eindverantwoording
from pipeline.model import SEVERITY_RANK, RunData

EURO = '"€" #,##0.00'
DATE = "DD-MM-YYYY"
MAX_CELL_TEXT = 32000  # Excel holds at most 32.767 characters in a cell


def safe_text(value: str) -> str:
    """Text as inert cell content: no control characters, never read as a formula."""
    text = XML_ILLEGAL.sub("", value)[:MAX_CELL_TEXT]
    return text


def school_year_table(data: RunData) -> pl.DataFrame:
    """Per school and school year: allocation, spent (incl. BTW), PNIL share and external share."""
    inv = data.invoices_df.filter(pl.col("geteld") & pl.col("schooljaar").is_not_null())
    spent = inv.group_by(["brin", "schooljaar"]).agg(
        pl.col("bedrag").sum().alias("besteed_excl_btw"),
        pl.col("totaal").sum().alias("besteed_incl_btw"),
        pl.col("totaal").filter(pl.col("pnil") == "Ja").sum().alias("pnil_incl_btw"),
    )
    table = data.allocations_df.join(spent, on=["brin", "schooljaar"], how="full", coalesce=True)
    zero = pl.lit(Decimal("0.00")).cast(aggregate.MONEY)
    table = table.with_columns(
        pl.col("toekenning").fill_null(zero), pl.col("besteed_excl_btw").fill_null(zero),
        pl.col("besteed_incl_btw").fill_null(zero), pl.col("pnil_incl_btw").fill_null(zero),
    )
    share = lambda col: pl.when(pl.col("toekenning") > 0).then(pl.col(col).cast(pl.Float64) / pl.col("toekenning").cast(pl.Float64)).otherwise(None)  # noqa: E731
    names = pl.DataFrame({"brin": list(data.board.schools), "school": [s.name for s in data.board.schools.values()]}, schema={"brin": pl.Utf8, "school": pl.Utf8})
    return (
        table.with_columns(share("besteed_incl_btw").alias("aandeel_extern"), share("pnil_incl_btw").alias("aandeel_pnil"))
        .join(names, on="brin", how="left")
        .select("brin", "school", "schooljaar", "toekenning", "grondslag", "besteed_excl_btw", "besteed_incl_btw", "pnil_incl_btw", "aandeel_extern", "aandeel_pnil")
        .sort(["brin", "schooljaar"])
    )


def supplier_table(data: RunData) -> pl.DataFrame:
    """The supplier register over all years (OVSG, tips for working with externals: keep a 'databank met externe organisaties')."""
    h = data.hires_df.filter(pl.col("geteld"))
    if h.is_empty():
        return pl.DataFrame(schema={"leverancier_kvk": pl.Utf8, "leverancier_naam": pl.Utf8})
    return (
        h.group_by("leverancier_kvk")
        .agg(
            pl.col("leverancier_naam").sort().last(),
            pl.col("leverancier_type").drop_nulls().first(),
            pl.col("brin").unique().sort().str.join(", ").alias("scholen"),
            pl.col("schooljaar").unique().sort().str.join(", ").alias("schooljaren"),
            pl.len().alias("inhuren"),
            pl.col("contractwaarde").sum().alias("contractwaarde"),
            pl.col("gefactureerd").sum().alias("gefactureerd_excl_btw"),
            pl.col("oordeel_samenwerking").mean().round(1).alias("gemiddeld_oordeel"),
            (pl.col("opnieuw_inhuren") == "Ja").sum().alias("opnieuw_ja"),
            (pl.col("opnieuw_inhuren") == "Nee").sum().alias("opnieuw_nee"),
        )
        .sort("leverancier_kvk", nulls_last=True)
    )


def tables(data: RunData) -> dict[str, pl.DataFrame]:
    """The register's sheets as frames (also written as Parquet under outputs/data/)."""
    hires = data.hires_df.select(
        "file", "hire_id", "geteld", "brin", "school_naam", "schooljaar", "volgnummer", "versiedatum", "leverancier_naam",
        "leverancier_kvk", "leverancier_type", "soort_inhuur", "interventie", "categorie", "interventie_f", "niveau", "procedure",
        "pnil", "startdatum", "einddatum", "contractwaarde", "uurtarief", "gefactureerd", "aanbestedingswaarde", "aanbesteding_start",
        "mr_advies_gevraagd", "mr_instemming_schoolprogramma", "gmr_instemming", "evaluatiedatum", "oordeel_samenwerking", "opnieuw_inhuren",
    ).sort("file")
    invoices = data.invoices_df.select(
        "factuurnummer", "factuurdatum", "bedrag", "btw", "totaal", "omschrijving", "hire_id", "file", "geteld", "brin",
        "kalenderjaar", "schooljaar", "categorie", "pnil", "sheet", "cell", "brin_werkboek",
        pl.col("aandeel").cast(pl.Float64),
    ).sort(["file", "sheet", "cell", "brin"])
    found = data.findings_df.with_columns(pl.col("severity").cast(pl.Utf8)).sort(
        [pl.col("severity").replace_strict(SEVERITY_RANK, return_dtype=pl.Int8), "file", "sheet", "cell", "rule"]
    )
    files = pl.DataFrame(
        [{"file": f.file, "sha256": f.sha256, "bytes": f.size, "status": f.status, "reason": f.reason,
          "hire_id": f.hire.hire_id if f.hire else None} for f in data.files],
        schema={"file": pl.Utf8, "sha256": pl.Utf8, "bytes": pl.Int64, "status": pl.Utf8, "reason": pl.Utf8, "hire_id": pl.Utf8},
    )
    out = {"Inhuur": hires, "Facturen": invoices, "Bevindingen": _findings_with_school(data, found), "Scholen": school_year_table(data),
           "Leveranciers": supplier_table(data), "Totalen": _named_totals(data), "Bestanden": files}
    if data.reconciliation_df is not None:
        out["Aansluiting"] = data.reconciliation_df
        out["Grootboek"] = data.ledger_df
    if data.ledger_files:
        out["Bestanden"] = pl.concat([files, pl.DataFrame(
            [{"file": f.file, "sha256": f.sha256, "bytes": f.size, "status": f.status, "reason": f.reason, "hire_id": None}
             for f in data.ledger_files], schema=files.schema)])
    out.update(audit.register_sheets(data))
    out.update(eindverantwoording.register_sheets(data))
    return out


def _findings_with_school(data: RunData, found: pl.DataFrame) -> pl.DataFrame:
    """Findings with the school (BRIN, name) of their file and whether that file counts, to filter and sum by."""
    from pipeline.model import READ
    from pipeline.read import board as config
    from pipeline.read import workbook as reader

    rows = []
    for f in data.files:
        brin = f.hire.get("brin") if f.hire is not None and f.hire.get("brin") else None
        folder = f.file.split("/", 1)[0].upper() if "/" in f.file else ""
        brin = brin or (folder if reader.BRIN_RE.match(folder) else None)
        school = data.board.schools.get(brin) if brin else None
        name = school.name if school else (f.hire.get("school_naam") if f.hire is not None else None)
        rows.append({"file": f.file, "brin": brin, "school": name, "telt_mee": "Ja" if f.status == READ else "Nee"})
    rows.append({"file": config.FILE_NAME, "brin": None, "school": data.board.name, "telt_mee": "n.v.t."})
    schools = pl.DataFrame(rows, schema={"file": pl.Utf8, "brin": pl.Utf8, "school": pl.Utf8, "telt_mee": pl.Utf8}).unique("file", keep="first")
    front = ["brin", "school", "telt_mee", "about"]
    joined = found.join(schools, on="file", how="left", maintain_order="left")
    return joined.select(*[c for c in found.columns if c in ("file", "hire_id")], *front,
                         *[c for c in found.columns if c not in ("file", "hire_id", *front)])


def _named_totals(data: RunData) -> pl.DataFrame:
    """Totalen with the name of what each row totals (the school, the supplier, the category)."""
    from pipeline import reference

    t = aggregate.totals(data.invoices_df.filter(pl.col("geteld")))
    names: dict[tuple[str, str], str] = {("school", b): s.name for b, s in data.board.schools.items()}
    for kvk, name in data.hires_df.filter(pl.col("geteld")).select("leverancier_kvk", "leverancier_naam").iter_rows():
        if kvk and name:
            names[("leverancier (KvK)", kvk)] = name
    for code, name in reference.menukaart().categories.items():
        names[("menukaartcategorie", code)] = name
    labels = [names.get((d, w)) for d, w in t.select("dimensie", "waarde").iter_rows()]
    shared = set(data.invoices_df.filter(pl.col("geteld") & (pl.col("aandeel") < 1))["brin"].drop_nulls().to_list())
    notes = [SHARED_NOTE if d == "school" and w in shared else None for d, w in t.select("dimensie", "waarde").iter_rows()]
    return t.with_columns(pl.Series("naam", labels, dtype=pl.Utf8), pl.Series("toelichting", notes, dtype=pl.Utf8)).select(
        "dimensie", "waarde", "naam", "facturen", "excl_btw", "btw", "incl_btw", "toelichting")


# Why the schools' invoice counts add to more than the board's (the amounts do add up).
SHARED_NOTE = ("telt ook bovenschoolse facturen waaraan deze school meebetaalt, voor haar aandeel; zulke facturen tellen bij "
               "elke meebetalende school, dus de aantallen van de scholen samen zijn groter dan het totaal")


HEADERS = {
    "file": "Bestand", "hire_id": "Inhuur-id", "geteld": "Telt mee", "telt_mee": "Telt mee", "brin": "BRIN", "school_naam": "School", "school": "School",
    "schooljaar": "Schooljaar", "volgnummer": "Volgnummer", "versiedatum": "Versiedatum", "leverancier_naam": "Leverancier",
    "leverancier_kvk": "KvK", "leverancier_type": "Soort partij", "soort_inhuur": "Soort inhuur", "interventie": "Interventie",
    "categorie": "Categorie", "interventie_f": "Randvoorwaarde (F)", "niveau": "Niveau", "procedure": "Procedure", "pnil": "PNIL",
    "startdatum": "Startdatum", "einddatum": "Einddatum", "contractwaarde": "Contractwaarde excl. btw", "uurtarief": "Uurtarief",
    "gefactureerd": "Gefactureerd excl. btw", "aanbestedingswaarde": "Waarde voor aanbesteding", "aanbesteding_start": "Start aanbesteding",
    "mr_advies_gevraagd": "MR-advies gevraagd", "mr_instemming_schoolprogramma": "Instemming MR schoolprogramma",
    "gmr_instemming": "Instemming GMR", "evaluatiedatum": "Evaluatiedatum", "oordeel_samenwerking": "Oordeel (1-5)",
    "opnieuw_inhuren": "Opnieuw inhuren", "factuurnummer": "Factuurnummer", "factuurdatum": "Factuurdatum", "bedrag": "Bedrag excl. btw",
    "btw": "Btw", "totaal": "Bedrag incl. btw", "omschrijving": "Omschrijving", "kalenderjaar": "Kalenderjaar", "sheet": "Tabblad",
    "cell": "Cel", "rule": "Regel", "severity": "Ernst", "message": "Melding", "source": "Bron", "toekenning": "NPO-toekenning",
    "grondslag": "Grondslag toekenning", "besteed_excl_btw": "Besteed excl. btw", "besteed_incl_btw": "Besteed incl. btw",
    "pnil_incl_btw": "Waarvan PNIL incl. btw", "aandeel_extern": "Aandeel extern", "aandeel_pnil": "Aandeel PNIL",
    "scholen": "Scholen", "schooljaren": "Schooljaren", "inhuren": "Inhuren", "gefactureerd_excl_btw": "Gefactureerd excl. btw",
    "gemiddeld_oordeel": "Gemiddeld oordeel", "opnieuw_ja": "Opnieuw inhuren: ja", "opnieuw_nee": "Opnieuw inhuren: nee",
    "sha256": "SHA-256", "bytes": "Bytes", "status": "Status", "reason": "Reden", "dimensie": "Totaal per",
    "waarde": "BRIN, KvK-nummer, categorie of jaar", "naam": "Naam", "toelichting": "Toelichting", "facturen": "Facturen", "excl_btw": "Excl. btw", "incl_btw": "Incl. btw",
    "leverancier": "Leverancier", "kvk": "KvK", "datum": "Datum", "datum_grootboek": "Boekdatum grootboek",
    "bedrag_grootboek": "Bedrag grootboek", "bedrag_werkboek": "Bedrag werkboek excl. btw", "verschil": "Verschil",
    "btw_werkboek": "Btw werkboek", "grootboek_btw": "Grootboek geboekt", "koppeling": "Gekoppeld op",
    "delen": "Verdeling over scholen (! = school die niet meebetaalt)", "bedrag_andere_school": "Waarvan andere school", "grootboek_bestand": "Grootboekbestand",
    "grootboek_regels": "Regels", "kostenplaats": "Kostenplaats", "brin_grootboek": "BRIN grootboek (kostenplaats)",
    "regel": "Regel", "rekening": "Grootboekrekening", "project": "Project", "crediteur": "Crediteur",
    "crediteur_naam": "Naam crediteur",
    "brin_werkboek": "BRIN werkboek", "aandeel": "Aandeel van deze school",
    "about": "Gaat over school (BRIN)",
}
MONEY_COLS = {"contractwaarde", "uurtarief", "gefactureerd", "aanbestedingswaarde", "bedrag", "btw", "totaal", "toekenning",
              "besteed_excl_btw", "besteed_incl_btw", "pnil_incl_btw", "gefactureerd_excl_btw", "excl_btw", "incl_btw",
              "bedrag_grootboek", "bedrag_werkboek", "verschil", "btw_werkboek", "bedrag_andere_school"}
PERCENT_COLS = {"aandeel_extern", "aandeel_pnil"} | audit.REGISTER_PERCENT | eindverantwoording.REGISTER_PERCENT
MONEY_COLS |= audit.REGISTER_MONEY | eindverantwoording.REGISTER_MONEY
HEADERS = {**audit.REGISTER_HEADERS, **eindverantwoording.REGISTER_HEADERS, **HEADERS}  # the auditor's sheets (pipeline/render/audit.py)
WRAP = {"message": 80, "reason": 60, "source": 50}  # long text: this width, wrapped
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 5000  # rows measured for the column widths
APART = " vervangen"  # sheet suffix for the rows of superseded versions, so summing a sheet never double-counts


def column_width(col: str, frame: pl.DataFrame) -> float:
    """A width that fits the header's longest word and the longest value (of the first rows), within limits."""
    if col in WRAP:
        return WRAP[col]
    header = max((len(w) for w in HEADERS.get(col, col).split()), default=8)
    values = frame.get_column(col).head(WIDTH_SAMPLE)
    if values.dtype in (pl.Utf8, pl.Categorical, pl.Enum):
        longest = values.cast(pl.Utf8).str.len_chars().max() or 0
    elif values.dtype == pl.Date:
        longest = 10
    elif col in MONEY_COLS:
        longest = max((len(f"€ {float(v):,.2f}") for v in values.drop_nulls().to_list()), default=6)
    else:
        longest = max((len(str(v)) for v in values.drop_nulls().to_list()), default=4)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, header + 2, longest + 2)))


PRINT_WIDTH_PER_PAGE = 200  # column-width units on a landscape A4 page at about 73 % (about 146 at 100 %)


def print_pages_wide(frame: pl.DataFrame) -> int:
    """How many A4 pages wide a sheet prints: one page as long as its columns fit at a readable scale."""
    width = sum(column_width(c, frame) for c in frame.columns)
    return max(1, math.ceil(width / PRINT_WIDTH_PER_PAGE))


@dataclass(frozen=True)
class Register:
    """What register.xlsx and outputs/data/*.parquet are written from: plain frames and two texts, so that a
    process of its own can write them while the main process builds the documents' contexts."""

    tables: dict[str, pl.DataFrame]
    board: str
    generated: datetime

    @classmethod
    def of(cls, data: RunData) -> "Register":
        return cls(tables(data), data.board.name, data.generated)


def write_files(reg: Register, folder: Path) -> dict[str, float]:
    """folder/register.xlsx and folder/data/*.parquet; the seconds each took (the benchmark shows them)."""
    started = time.perf_counter()
    write_xlsx(reg, folder / "register.xlsx")
    between = time.perf_counter()
    write_parquet(reg, folder / "data")
    return {"register_xlsx": between - started, "parquet": time.perf_counter() - between}


def sheets(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The register's sheets: counted rows on their own sheet, superseded versions apart on '<sheet> vervangen'."""
    out: dict[str, pl.DataFrame] = {}
    for name, frame in frames.items():
        if "geteld" in frame.columns and frame.schema["geteld"] == pl.Boolean:
            out[name] = frame.filter(pl.col("geteld"))
            apart = frame.filter(~pl.col("geteld"))
            if not apart.is_empty():
                out[name + APART] = apart
        else:
            out[name] = frame
    return out


def write_xlsx(reg: Register, path: Path) -> Path:
    """register.xlsx, streamed row by row (XlsxWriter's constant-memory mode): every text cell is a
    string, never a formula or a link, whatever it starts with."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "default_date_format": DATE,
    })
    wb.set_properties({"title": "Register externe inhuur NPO", "created": reg.generated.replace(microsecond=0)})
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True, "valign": "top"})
    grey = "#808080"  # superseded versions: visibly not counted
    formats = {}
    for apart in (False, True):
        extra = {"font_color": grey, "italic": True} if apart else {}
        formats[apart] = {"euro": wb.add_format({"num_format": EURO, **extra}), "percent": wb.add_format({"num_format": "0.0%", **extra}),
                          "date": wb.add_format({"num_format": DATE, **extra}), "wrap": wb.add_format({"text_wrap": True, "valign": "top", **extra}),
                          None: wb.add_format(extra) if apart else None}
    for name, frame in sheets(reg.tables).items():
        apart = name.endswith(APART)
        ws = wb.add_worksheet(name)
        if apart:
            ws.set_tab_color(grey)
        cols = frame.columns
        kinds = ["euro" if c in MONEY_COLS else "percent" if c in PERCENT_COLS else "date" if frame.schema[c] == pl.Date
                 else "wrap" if c in WRAP else None for c in cols]
        for ci, col in enumerate(cols):
            ws.set_column(ci, ci, column_width(col, frame))
            ws.write_string(0, ci, HEADERS.get(col, col), head)
        r = 0
        fmt = formats[apart]
        for r, row in enumerate(frame.iter_rows(), start=1):
            for ci, v in enumerate(row):
                _write(ws, r, ci, _cell_value(v), fmt.get(kinds[ci]))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(r, 0), max(len(cols) - 1, 0))
        # print: landscape A4, as many pages wide as keep the text readable, with the header row and the column that
        # names the row (the hire) on every page
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(print_pages_wide(frame), 0)
        ws.repeat_rows(0)
        key = cols.index("hire_id") if "hire_id" in cols else 0
        if cols:
            ws.repeat_columns(key)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header(f"&L{name}&R{safe_text(reg.board)[:100]}")
        ws.set_footer("&LRegister externe inhuur NPO&RPagina &P van &N")
    wb.close()
    return path


def _write(ws, r: int, c: int, v, fmt) -> None:
    if v is None:
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
    elif isinstance(v, str):
        ws.write_string(r, c, v, fmt)
    elif isinstance(v, (date, datetime)):
        ws.write_datetime(r, c, v, fmt)
    else:
        ws.write_number(r, c, v, fmt)


def _cell_value(v):
    if isinstance(v, str):
        return safe_text(v)
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bool):
        return "Ja" if v else "Nee"
    if isinstance(v, (date, datetime)) or v is None or isinstance(v, (int, float)):
        return v
    return str(v)


def write_parquet(reg: Register, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, frame in reg.tables.items():
        p = folder / f"{name.lower()}.parquet"
        frame.write_parquet(p)
        out.append(p)
    return out

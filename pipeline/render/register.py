"""The register for finance staff (register.xlsx) and Parquet copies of its tables."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pipeline import aggregate
from pipeline.model import RunData

EURO = '"€" #,##0.00'
DATE = "DD-MM-YYYY"
MAX_CELL_TEXT = 32000  # Excel holds at most 32.767 characters in a cell


def safe_text(value: str) -> str:
    """Text as inert cell content: no control characters, never read as a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
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
    """The supplier register over all years (OVSG, tips voor samenwerking met externen: a 'databank met externe organisaties')."""
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
    order = {"fout": 0, "waarschuwing": 1, "info": 2}
    found = data.findings_df.with_columns(pl.col("severity").cast(pl.Utf8)).sort(
        [pl.col("severity").replace_strict(order, return_dtype=pl.Int8), "file", "sheet", "cell", "rule"]
    )
    files = pl.DataFrame(
        [{"file": f.file, "sha256": f.sha256, "bytes": f.size, "status": f.status, "reason": f.reason,
          "hire_id": f.hire.hire_id if f.hire else None} for f in data.files],
        schema={"file": pl.Utf8, "sha256": pl.Utf8, "bytes": pl.Int64, "status": pl.Utf8, "reason": pl.Utf8, "hire_id": pl.Utf8},
    )
    return {"Inhuur": hires, "Facturen": invoices, "Bevindingen": found, "Scholen": school_year_table(data),
            "Leveranciers": supplier_table(data),
            "Totalen": aggregate.totals(data.invoices_df.filter(pl.col("geteld"))), "Bestanden": files}


HEADERS = {
    "file": "Bestand", "hire_id": "Inhuur-id", "geteld": "Telt mee", "brin": "BRIN", "school_naam": "School", "school": "School",
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
    "waarde": "Waarde", "facturen": "Facturen", "excl_btw": "Excl. btw", "incl_btw": "Incl. btw",
    "brin_werkboek": "BRIN werkboek", "aandeel": "Aandeel van deze school",
}
MONEY_COLS = {"contractwaarde", "uurtarief", "gefactureerd", "aanbestedingswaarde", "bedrag", "btw", "totaal", "toekenning",
              "besteed_excl_btw", "besteed_incl_btw", "pnil_incl_btw", "gefactureerd_excl_btw", "excl_btw", "incl_btw"}
PERCENT_COLS = {"aandeel_extern", "aandeel_pnil"}
WIDE = {"message": 90, "reason": 60, "file": 42, "omschrijving": 36, "interventie": 36, "soort_inhuur": 34, "source": 50, "sha256": 66}


def write_xlsx(data: RunData, path: Path) -> Path:
    """register.xlsx, streamed row by row (XlsxWriter's constant-memory mode): every text cell is a
    string, never a formula or a link, whatever it starts with."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "default_date_format": DATE,
    })
    wb.set_properties({"title": "Register externe inhuur NPO", "created": data.generated.replace(microsecond=0)})
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True, "valign": "top"})
    formats = {"euro": wb.add_format({"num_format": EURO}), "percent": wb.add_format({"num_format": "0.0%"}),
               "date": wb.add_format({"num_format": DATE})}
    for name, frame in tables(data).items():
        ws = wb.add_worksheet(name)
        cols = frame.columns
        kinds = ["euro" if c in MONEY_COLS else "percent" if c in PERCENT_COLS else "date" if frame.schema[c] == pl.Date else None
                 for c in cols]
        for ci, col in enumerate(cols):
            ws.set_column(ci, ci, WIDE.get(col, 16))
        for ci, col in enumerate(cols):
            ws.write_string(0, ci, HEADERS.get(col, col), head)
        r = 0
        for r, row in enumerate(frame.iter_rows(), start=1):
            for ci, v in enumerate(row):
                _write(ws, r, ci, _cell_value(v), formats.get(kinds[ci]))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(r, 0), max(len(cols) - 1, 0))
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


def write_parquet(data: RunData, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, frame in tables(data).items():
        p = folder / f"{name.lower()}.parquet"
        frame.write_parquet(p)
        out.append(p)
    return out

"""Hires, invoices and findings of all workbooks as polars frames, and the board's totals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from pipeline import dutch
from pipeline.read.board import Board
from pipeline.rules.derive import invoiced_total, procurement_start, procurement_value
from pipeline.model import Hire
from pipeline.reference import menukaart, npo_years

MONEY = pl.Decimal(16, 2)
ZERO = Decimal("0.00")

HIRE_FIELDS = (
    "brin", "school_naam", "schooljaar", "volgnummer", "versiedatum", "leverancier_naam", "leverancier_kvk",
    "leverancier_type", "soort_inhuur", "interventie", "interventie_f", "niveau", "behoefte", "startdatum",
    "einddatum", "procedure", "pnil", "contact_leerlingen", "mr_advies_gevraagd", "mr_advies_uitkomst",
    "mr_instemming_schoolprogramma", "gmr_instemming", "mr_akkoord_bovenschools", "contract_getekend",
    "evaluatiedatum", "evaluatie_samenvatting", "kennisoverdracht", "oordeel_samenwerking", "opnieuw_inhuren",
    "in_schoolprogramma",
)
HIRE_SCHEMA = {
    "file": pl.Utf8, "sha256": pl.Utf8, "hire_id": pl.Utf8,
    **{k: pl.Utf8 for k in HIRE_FIELDS},
    "volgnummer": pl.Int64, "oordeel_samenwerking": pl.Int64,
    **{k: pl.Date for k in ("versiedatum", "startdatum", "einddatum", "mr_advies_gevraagd", "mr_instemming_schoolprogramma",
                            "gmr_instemming", "mr_akkoord_bovenschools", "contract_getekend", "evaluatiedatum")},
    "categorie": pl.Utf8, "contractwaarde": MONEY, "uurtarief": MONEY, "gefactureerd": MONEY,
    "aanbestedingswaarde": MONEY, "aanbesteding_start": pl.Date,
    "resultaten": pl.Int64, "resultaten_behaald": pl.Int64,
}
INVOICE_SCHEMA = {
    "file": pl.Utf8, "hire_id": pl.Utf8, "brin": pl.Utf8, "categorie": pl.Utf8, "pnil": pl.Utf8, "niveau": pl.Utf8,
    "leverancier_kvk": pl.Utf8, "leverancier_naam": pl.Utf8, "factuurnummer": pl.Utf8, "factuurdatum": pl.Date, "bedrag": MONEY, "btw": MONEY,
    "totaal": MONEY, "omschrijving": pl.Utf8, "kalenderjaar": pl.Int64, "schooljaar": pl.Utf8, "sheet": pl.Utf8, "cell": pl.Utf8,
}


def category(interventie: str | None) -> str | None:
    hit = menukaart().lookup(interventie) if interventie else None
    return hit[0] if hit else None


def hire_row(h: Hire) -> dict:
    row = {"file": h.file, "sha256": h.sha256, "hire_id": h.hire_id or None}
    for k in HIRE_FIELDS:
        v = h.get(k)
        row[k] = v
    results = h.tables.get("tblResultaten", [])
    row.update(
        categorie=category(h.get("interventie")),
        contractwaarde=h.get("contractwaarde"),
        uurtarief=h.get("uurtarief"),
        gefactureerd=invoiced_total(h),
        aanbestedingswaarde=procurement_value(h),
        aanbesteding_start=procurement_start(h),
        resultaten=sum(1 for r in results if r.get("Resultaat")),
        resultaten_behaald=sum(1 for r in results if r.get("Behaald") == "Ja"),
    )
    return row


def invoice_rows(h: Hire) -> list[dict]:
    out = []
    for r in h.tables.get("tblFacturen", []):
        d = r.get("Factuurdatum")
        amount = r.get("Bedrag excl. BTW")
        vat = r.get("BTW-bedrag") or Decimal("0.00")
        c = r.cells.get("Bedrag excl. BTW") or next(iter(r.cells.values()))
        out.append({
            "file": h.file, "hire_id": h.hire_id or None, "brin": h.get("brin"), "categorie": category(h.get("interventie")),
            "pnil": h.get("pnil"), "niveau": h.get("niveau"), "leverancier_kvk": h.get("leverancier_kvk"),
            "leverancier_naam": h.get("leverancier_naam"), "factuurnummer": r.get("Factuurnummer"), "factuurdatum": d, "bedrag": amount, "btw": vat,
            "totaal": (amount or Decimal("0.00")) + vat,
            "omschrijving": r.get("Omschrijving"),
            "kalenderjaar": d.year if isinstance(d, date) else None,
            "schooljaar": dutch.school_year_of(d) if isinstance(d, date) else None,
            "sheet": c.sheet, "cell": c.cell,
        })
    return out


def hires_frame(hires: list[Hire]) -> pl.DataFrame:
    return pl.DataFrame([hire_row(h) for h in hires], schema=HIRE_SCHEMA, strict=False) if hires else pl.DataFrame(schema=HIRE_SCHEMA)


def invoices_frame(hires: list[Hire]) -> pl.DataFrame:
    rows = [r for h in hires for r in invoice_rows(h)]
    return pl.DataFrame(rows, schema=INVOICE_SCHEMA, strict=False) if rows else pl.DataFrame(schema=INVOICE_SCHEMA)


def allocations(board: Board) -> pl.DataFrame:
    """NPO allocation per school and school year from the pupil counts and the amounts per year."""
    years = npo_years()
    rows = []
    for p in board.pupils:
        kind = board.school_kind(p.brin)
        y = years.get(p.schooljaar)
        if p.allocation_override is not None:
            amount, basis = p.allocation_override, "bestuur.xlsx (vast bedrag)"
        elif y is None:
            amount, basis = Decimal("0.00"), "geen bedragen bekend voor dit schooljaar"
        else:
            amount = p.pupils * y.per_pupil.get(kind, Decimal(0))
            amount += p.achterstandsscore * y.per_achterstand.get(kind, Decimal(0))
            amount += max(p.cumi - 4, 0) * y.per_cumi_above_4.get(kind, Decimal(0))
            basis = "berekend" + ("" if y.confirmed else " (bedragen deels onbevestigd)")
        rows.append({"brin": p.brin, "schooljaar": p.schooljaar, "toekenning": amount.quantize(Decimal("0.01")), "grondslag": basis})
    schema = {"brin": pl.Utf8, "schooljaar": pl.Utf8, "toekenning": MONEY, "grondslag": pl.Utf8}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def calendar_allocation(alloc: pl.DataFrame, year: int) -> pl.DataFrame:
    """A calendar year's allocation: 7/12 of the school year ending in it plus 5/12 of the one starting in it."""
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    return (
        alloc.filter(pl.col("schooljaar").is_in([ending, starting]))
        .with_columns(
            pl.when(pl.col("schooljaar") == ending).then(pl.lit(7)).otherwise(pl.lit(5)).alias("maanden")
        )
        .with_columns((pl.col("toekenning").cast(pl.Float64) * pl.col("maanden") / 12).round(2).cast(MONEY).alias("deel"))
        .group_by("brin")
        .agg(pl.col("deel").sum().alias("toekenning"))
    )


DIMENSIONS = (("school", "brin"), ("leverancier (KvK)", "leverancier_kvk"), ("menukaartcategorie", "categorie"),
              ("schooljaar", "schooljaar"), ("kalenderjaar", "kalenderjaar"))


def totals(invoices: pl.DataFrame) -> pl.DataFrame:
    """Totals of the given invoices per school, supplier, menukaart category, school year and calendar year.

    One long table (dimension, value, invoices, excl./incl. BTW), so it can be filtered and pivoted;
    the caller passes counted invoices only.
    """
    parts = [
        invoices.group_by(col)
        .agg(pl.len().alias("facturen"), pl.col("bedrag").sum().alias("excl_btw"),
             pl.col("btw").sum().alias("btw"), pl.col("totaal").sum().alias("incl_btw"))
        .select(pl.lit(dim).alias("dimensie"), pl.col(col).cast(pl.Utf8).fill_null("onbekend").alias("waarde"),
                "facturen", "excl_btw", "btw", "incl_btw")
        .sort("waarde")
        for dim, col in DIMENSIONS
    ]
    return pl.concat(parts)


@dataclass(frozen=True)
class Money:
    """Invoice totals of some group: excl. BTW, BTW, incl. BTW and the number of invoices."""

    excl: Decimal = ZERO
    btw: Decimal = ZERO
    incl: Decimal = ZERO
    n: int = 0


def cents(v: Any) -> Decimal:
    return Decimal(v).quantize(Decimal("0.01")) if v is not None else ZERO


def money(inv: pl.DataFrame) -> Money:
    if inv.is_empty():
        return Money()
    excl, vat, incl = inv.select(pl.col("bedrag").sum(), pl.col("btw").sum(), pl.col("totaal").sum()).row(0)
    return Money(cents(excl), cents(vat), cents(incl), inv.height)


def money_by(inv: pl.DataFrame, *keys: str) -> dict[Any, Money]:
    """Totals per value of `keys` (a tuple key when there are several), with one group_by."""
    if inv.is_empty():
        return {}
    g = inv.group_by(list(keys)).agg(pl.col("bedrag").sum(), pl.col("btw").sum(), pl.col("totaal").sum(), pl.len().alias("n"))
    out = {}
    for row in g.iter_rows():
        key = row[0] if len(keys) == 1 else tuple(row[: len(keys)])
        out[key] = Money(cents(row[-4]), cents(row[-3]), cents(row[-2]), row[-1])
    return out

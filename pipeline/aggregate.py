"""Hires, invoices and findings of all workbooks as polars frames, and the board's totals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from pipeline import dutch
from pipeline.read.board import DUO_BASIS, Board
from pipeline.rules.derive import invoiced_total, procurement_start, procurement_value
from pipeline.model import Hire
from pipeline.reference import menukaart, npo_years

MONEY = pl.Decimal(16, 2)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
ONE = Decimal(1)
_ONE_DAY = timedelta(days=1)
SHARE_TOLERANCE = Decimal("0.00001")  # =1/3 typed as a formula in Excel still adds up to 100 %; 99,99 % does not

HIRE_FIELDS = (
    "brin", "school_naam", "schooljaar", "volgnummer", "versiedatum", "leverancier_naam", "leverancier_kvk",
    "leverancier_type", "soort_inhuur", "interventie", "interventie_f", "niveau", "behoefte", "startdatum",
    "einddatum", "procedure", "pnil", "contact_leerlingen", "mr_advies_gevraagd", "mr_advies_uitkomst",
    "mr_instemming_schoolprogramma", "gmr_instemming", "mr_akkoord_bovenschools", "contract_getekend",
    "evaluatiedatum", "evaluatie_samenvatting", "kennisoverdracht", "oordeel_samenwerking", "opnieuw_inhuren",
    "in_schoolprogramma", "onbepaalde_tijd",
)
HIRE_SCHEMA = {
    "file": pl.Utf8, "sha256": pl.Utf8, "hire_id": pl.Utf8,
    **{k: pl.Utf8 for k in HIRE_FIELDS},
    "volgnummer": pl.Int64, "oordeel_samenwerking": pl.Int64,
    **{k: pl.Date for k in ("versiedatum", "startdatum", "einddatum", "mr_advies_gevraagd", "mr_instemming_schoolprogramma",
                            "gmr_instemming", "mr_akkoord_bovenschools", "contract_getekend", "evaluatiedatum")},
    "categorie": pl.Utf8, "contractwaarde": MONEY, "uurtarief": MONEY, "maandbedrag": MONEY, "gefactureerd": MONEY,
    "aanbestedingswaarde": MONEY, "aanbesteding_start": pl.Date,
    "resultaten": pl.Int64, "resultaten_behaald": pl.Int64,
}
INVOICE_SCHEMA = {
    "file": pl.Utf8, "hire_id": pl.Utf8, "brin": pl.Utf8, "categorie": pl.Utf8, "pnil": pl.Utf8, "niveau": pl.Utf8,
    "leverancier_kvk": pl.Utf8, "leverancier_naam": pl.Utf8, "factuurnummer": pl.Utf8, "factuurdatum": pl.Date, "bedrag": MONEY, "btw": MONEY,
    "totaal": MONEY, "omschrijving": pl.Utf8, "kalenderjaar": pl.Int64, "schooljaar": pl.Utf8, "sheet": pl.Utf8, "cell": pl.Utf8,
    "brin_werkboek": pl.Utf8, "aandeel": pl.Decimal(12, 10), "factuur_id": pl.Utf8,
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
        maandbedrag=h.get("maandbedrag"),
        gefactureerd=invoiced_total(h),
        aanbestedingswaarde=procurement_value(h),
        aanbesteding_start=procurement_start(h),
        resultaten=sum(1 for r in results if r.get("Resultaat")),
        resultaten_behaald=sum(1 for r in results if r.get("Behaald") == "Ja"),
    )
    return row


def participants(h: Hire) -> list[tuple[str | None, Decimal]]:
    """The schools that pay for a hire and their shares.

    A bovenschools hire is paid from the funds of the schools in tblDeelnemers (AVS, Veelgestelde vragen NPO:
    each school's MR agrees to the part of its funds). When that table is unusable (empty, a share missing,
    shares not adding up to 100 %: P4 reports it) the hire stays with the school that administers it."""
    if h.above_school:
        rows = [(r.get("BRIN"), r.get("Aandeel")) for r in h.tables.get("tblDeelnemers", [])
                if r.get("BRIN") or r.get("Aandeel") is not None]
        if rows and all(b and isinstance(a, Decimal) and a > 0 for b, a in rows) and abs(sum(a for _, a in rows) - ONE) <= SHARE_TOLERANCE:
            merged: dict[str, Decimal] = {}
            for b, a in rows:
                merged[b] = merged.get(b, Decimal(0)) + a
            return sorted(merged.items())
    return [(h.get("brin"), ONE)]


def split_cents(amount: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """`amount` split by `shares` into whole cents that add up to it exactly (largest remainder first)."""
    if len(shares) == 1:
        return [amount]
    total = sum(shares)
    exact = [amount * s / total for s in shares]
    parts = [e.quantize(CENT, rounding=ROUND_FLOOR) for e in exact]
    left = int(((amount - sum(parts)) / CENT).to_integral_value())
    for i in sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))[:left]:
        parts[i] += CENT
    return parts


def invoice_rows(h: Hire) -> list[dict]:
    """One row per invoice and paying school: a bovenschools invoice is split over the participating schools."""
    out = []
    payers = participants(h)
    shares = [a for _, a in payers]
    for r in h.tables.get("tblFacturen", []):
        d = r.get("Factuurdatum")
        amount = r.get("Bedrag excl. BTW") or ZERO
        vat = r.get("BTW-bedrag") or ZERO
        c = r.cells.get("Bedrag excl. BTW") or next(iter(r.cells.values()))
        for (brin, share), part, vat_part in zip(payers, split_cents(amount, shares), split_cents(vat, shares)):
            out.append({
                "file": h.file, "hire_id": h.hire_id or None, "brin": brin, "categorie": category(h.get("interventie")),
                "pnil": h.get("pnil"), "niveau": h.get("niveau"), "leverancier_kvk": h.get("leverancier_kvk"),
                "leverancier_naam": h.get("leverancier_naam"), "factuurnummer": r.get("Factuurnummer"), "factuurdatum": d, "bedrag": part, "btw": vat_part,
                "totaal": part + vat_part,
                "omschrijving": r.get("Omschrijving"),
                "kalenderjaar": d.year if isinstance(d, date) else None,
                "schooljaar": dutch.school_year_of(d) if isinstance(d, date) else None,
                "sheet": c.sheet, "cell": c.cell,
                "brin_werkboek": h.get("brin"), "aandeel": share, "factuur_id": f"{h.file}!{c.sheet}!{c.cell}",
            })
    return out


def hires_frame(hires: list[Hire]) -> pl.DataFrame:
    return pl.DataFrame([hire_row(h) for h in hires], schema=HIRE_SCHEMA, strict=False) if hires else pl.DataFrame(schema=HIRE_SCHEMA)


def whole_invoices(inv: pl.DataFrame) -> pl.DataFrame:
    """One row per invoice as the workbook states it: a bovenschools invoice, split over the schools that pay
    for it, summed back under the school of the workbook (what the supplier invoiced and the ledger books).
    Column `betalers` lists the schools that pay for it (one for a school's own invoice)."""
    if inv.is_empty():
        return inv.with_columns(pl.lit(None, dtype=pl.List(pl.Utf8)).alias("betalers"))

    def total(c: str) -> pl.Expr:
        return pl.when(pl.col(c).is_null().all()).then(None).otherwise(pl.col(c).sum()).alias(c)

    return (inv.group_by("factuur_id", maintain_order=True)
            .agg(total("bedrag"), total("btw"), total("totaal"), pl.col("brin_werkboek").first().alias("brin"),
                 pl.exclude("bedrag", "btw", "totaal", "brin", "factuur_id").first(),
                 pl.col("brin").drop_nulls().unique(maintain_order=True).alias("betalers"))
            .with_columns(pl.lit(Decimal(1)).cast(inv.schema["aandeel"]).alias("aandeel"))
            .select(*inv.columns, "betalers"))


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
            amount, basis = p.allocation_override, DUO_BASIS
        elif y is None:
            amount, basis = Decimal("0.00"), "geen bedragen bekend voor dit schooljaar"
        else:
            # vbo years 3–4 and praktijkonderwijs pupils of a vo school get the higher rate (nponderwijs.nl, 2021-2022)
            higher = min(p.vbo_pro, p.pupils) if kind == "vo" else 0
            amount = (p.pupils - higher) * y.per_pupil.get(kind, Decimal(0))
            amount += higher * y.per_pupil.get("vbo_3_4", y.per_pupil.get("pro", Decimal(0)))
            amount += p.achterstandsscore * y.per_achterstand.get(kind, Decimal(0))
            amount += max(p.cumi - 4, 0) * y.per_cumi_above_4.get(kind, Decimal(0))
            basis = "berekend" + ("" if y.confirmed else " (bedragen deels onbevestigd)")
        rows.append({"brin": p.brin, "schooljaar": p.schooljaar, "toekenning": amount.quantize(Decimal("0.01")), "grondslag": basis})
    schema = {"brin": pl.Utf8, "schooljaar": pl.Utf8, "toekenning": MONEY, "grondslag": pl.Utf8}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def months_elapsed(schooljaar: str, day: date) -> int:
    """Months of a school year (August–July) that have ended on `day`."""
    first = int(schooljaar[:4])
    n = 0
    for i in range(12):
        y, m = first + (7 + i) // 12, (7 + i) % 12 + 1  # August of the first year … July of the next
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        if day >= nxt.replace(day=1) - _ONE_DAY:
            n += 1
    return n


def _part(amount: Decimal, months: int) -> Decimal:
    return amount if months == 12 else (amount * months / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def allocation_until(alloc: pl.DataFrame, day: date) -> dict[str, Decimal]:
    """Per school: every allocation up to `day`, a school year counted pro rata per month that has ended.

    Funds may be spent after the year they were granted for (nponderwijs.nl: 2022-2023 funds until 31 July 2025),
    so spending is compared with all allocations up to the same date."""
    out: dict[str, Decimal] = {}
    for brin, year, amount in alloc.select("brin", "schooljaar", "toekenning").iter_rows():
        months = months_elapsed(year, day)
        if months:
            out[brin] = out.get(brin, ZERO) + _part(Decimal(amount), months)
    return out


def calendar_allocation(alloc: pl.DataFrame, year: int) -> pl.DataFrame:
    """A calendar year's allocation: 7/12 of the school year ending in it plus 5/12 of the one starting in it."""
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    rows: dict[str, Decimal] = {}
    for brin, sy, amount in alloc.filter(pl.col("schooljaar").is_in([ending, starting])).select("brin", "schooljaar", "toekenning").iter_rows():
        rows[brin] = rows.get(brin, ZERO) + _part(Decimal(amount), 7 if sy == ending else 5)
    schema = {"brin": pl.Utf8, "toekenning": MONEY}
    return pl.DataFrame({"brin": list(rows), "toekenning": list(rows.values())}, schema=schema) if rows else pl.DataFrame(schema=schema)


DIMENSIONS = (("school", "brin"), ("leverancier (KvK)", "leverancier_kvk"), ("menukaartcategorie", "categorie"),
              ("schooljaar", "schooljaar"), ("kalenderjaar", "kalenderjaar"))


def totals(invoices: pl.DataFrame) -> pl.DataFrame:
    """Totals of the given invoices per school, supplier, menukaart category, school year and calendar year.

    One long table (dimension, value, invoices, excl./incl. BTW), so it can be filtered and pivoted;
    the caller passes counted invoices only.
    """
    parts = [
        invoices.group_by(col)
        .agg(pl.col("factuur_id").n_unique().alias("facturen"), pl.col("bedrag").sum().alias("excl_btw"),
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
    """A money value as exact cents. Frame sums are Decimal(16, 2), so this never rounds them; a float is refused."""
    if v is None:
        return ZERO
    if isinstance(v, float):
        raise TypeError("money must not pass through a float")
    return Decimal(v).quantize(CENT)


def money(inv: pl.DataFrame) -> Money:
    if inv.is_empty():
        return Money()
    excl, vat, incl = inv.select(pl.col("bedrag").sum(), pl.col("btw").sum(), pl.col("totaal").sum()).row(0)
    return Money(cents(excl), cents(vat), cents(incl), inv.get_column("factuur_id").n_unique())


def money_by(inv: pl.DataFrame, *keys: str) -> dict[Any, Money]:
    """Totals per value of `keys` (a tuple key when there are several), with one group_by."""
    if inv.is_empty():
        return {}
    g = inv.group_by(list(keys)).agg(pl.col("bedrag").sum(), pl.col("btw").sum(), pl.col("totaal").sum(), pl.col("factuur_id").n_unique().alias("n"))
    out = {}
    for row in g.iter_rows():
        key = row[0] if len(keys) == 1 else tuple(row[: len(keys)])
        out[key] = Money(cents(row[-4]), cents(row[-3]), cents(row[-2]), row[-1])
    return out

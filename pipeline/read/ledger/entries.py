"""Entries of a ledger export: the supplier of a cost line from its entry, and the board's dimensions.

- Exact Globe fmuta.csv: a header record (regelnummer 0) carries the creditor, invoice number and total; its
  sub-lines carry the accounts and amounts. The header record is not a cost line.
- AFAS Profit: an entry has a creditor line (account number = the creditor's number, amount = the invoice total)
  and cost lines; without a creditor column the supplier of a cost line is the account of the creditor line of
  the same entry. A creditor line is known by the account type column, by a number of the creditor list, or, as
  a last resort, as the one line that balances all the others of its entry.
- Any layout: a supplier, KvK or invoice number given on only some lines of an entry holds for all of them.
- Dimensions (AFAS DimAx1–5, Unit4 dim_1–7, FMUTA's unnamed columns): the cost centre is the dimension whose
  values are the board's cost centres, the project the one whose values match the board's NPO projects.
"""
from __future__ import annotations

import re

import polars as pl

from pipeline.read.board import LedgerSettings
from pipeline.read.ledger import layouts

CREDITOR_TYPES = ("crediteur", "creditor", "crd", "3", "c", "k", "leverancier", "supplier", "p")


def creditor_key(expr: pl.Expr) -> pl.Expr:
    """A creditor number without leading zeros: FMUTA writes 000123 where the relations export has 123."""
    return expr.str.replace(r"^0+(.)", "${1}")


def looks_like_fmuta(frame: pl.DataFrame) -> bool:
    """A file without headings shaped like fmuta.csv: line numbers with header records (0) in column 1 and
    ddmmjjjj dates in column 8."""
    if frame.width < 13 or frame.is_empty():
        return False
    first, eighth = frame.columns[0], frame.columns[7]
    probe = frame.select(pl.col(first).str.strip_chars().alias("n"), pl.col(eighth).str.strip_chars().alias("d"))
    numbers = probe["n"].str.contains(r"^\d+$").fill_null(False)
    dates = probe["d"].str.strptime(pl.Date, "%d%m%Y", strict=False, exact=True).is_not_null()
    return bool(numbers.all()) and bool((probe["n"] == "0").any()) and dates.sum() * 2 >= frame.height


HEADER_RECORD = pl.col("_regelnummer").fill_null("").str.replace(r"^0+$", "0") == "0"


def _header_records(lines: pl.DataFrame) -> bool:
    """Exact's layout: line number 0 marks the header record of an entry (other line numbers are just numbers)."""
    return "_regelnummer" in lines.columns and bool(lines.select(HEADER_RECORD.any()).item())


def _entry_key(lines: pl.DataFrame) -> pl.Expr | None:
    if _header_records(lines):
        # a new entry starts at every header record (regelnummer 0); within a file the records follow each other
        return HEADER_RECORD.cum_sum().cast(pl.Utf8)
    if "_boekstuk" in lines.columns:
        return pl.col("_boekstuk").fill_null("")
    return None


def resolve(lines: pl.DataFrame, p: layouts.Placement, relations: pl.DataFrame, rec) -> pl.DataFrame:
    """Cost lines with their supplier and invoice number; header records and creditor lines left out."""
    entry = _entry_key(lines)
    has_supplier = "crediteur" in p.columns or "crediteur_naam" in p.columns
    partly = has_supplier and lines.select(pl.coalesce("crediteur", "crediteur_naam").is_null().any()).item()
    # without an entry number the invoice number is there (layouts.missing asks for it): entries by invoice and date
    if entry is None and (not has_supplier or partly):
        entry = pl.concat_str([pl.col("factuurnummer").fill_null(""), pl.col("datum").cast(pl.Utf8).fill_null("")], separator="|")
        rec.notes.append("Boekingen zijn per factuurnummer en datum samengenomen (geen boekstuknummer in de export).")
    elif entry is None:
        # every line names its supplier: an entry per supplier, invoice and date, so that a creditor line exported
        # with them balances its entry and is no spending of its own (it would cancel the supplier's sum for A2)
        entry = pl.concat_str([pl.col("factuurnummer").fill_null(""), pl.col("datum").cast(pl.Utf8).fill_null(""),
                               pl.coalesce("crediteur", "crediteur_naam")], separator="|")
    lines = lines.with_columns(entry.alias("_entry"))
    if _header_records(lines):
        lines = lines.with_columns(HEADER_RECORD.alias("_kop"))
        rec.notes.append("Kopregels (regelnummer 0) geven crediteur en factuurnummer aan hun subregels en tellen zelf niet mee.")
    elif "crediteur" not in p.columns and "crediteur_naam" not in p.columns:
        lines = lines.with_columns(_creditor_line(lines, relations).alias("_kop"))
        lines = lines.with_columns(pl.when(pl.col("_kop")).then(pl.col("rekening")).otherwise(None).alias("crediteur"))
        rec.notes.append("De leverancier van een kostenregel is de crediteur op de crediteurregel van dezelfde boeking; "
                         "crediteurregels tellen zelf niet mee.")
    else:
        lines = lines.with_columns(pl.lit(False).alias("_kop"))
    # the line that balances its entry (a creditor line on 1600, say): not spending of its own (A2 counts costs only)
    lines = lines.with_columns(_balancing(lines).alias("_tegen"))
    # what only some lines of an entry carry holds for the whole entry (header record or creditor line first)
    fill = []
    for c in ("crediteur", "crediteur_naam", "kvk", "factuurnummer"):
        first = pl.col(c).sort_by(pl.col("_kop"), descending=True).drop_nulls().first().over("_entry")
        fill.append(pl.coalesce(pl.col(c), first).alias(c))
    lines = lines.with_columns(fill).filter(~pl.col("_kop"))
    lines = lines.with_columns(creditor_key(pl.col("crediteur")).alias("crediteur"))
    return lines.drop([c for c in lines.columns if c in ("_boekstuk", "_regelnummer", "_soort_rekening", "_entry", "_kop")])


def _creditor_line(lines: pl.DataFrame, relations: pl.DataFrame) -> pl.Expr:
    """True for the creditor line of each entry (AFAS): by account type, by the creditor list, else by balance."""
    if "_soort_rekening" in lines.columns:
        kind = pl.col("_soort_rekening").fill_null("").str.to_lowercase().str.strip_chars()
        typed = kind.is_in(list(CREDITOR_TYPES)) | kind.str.starts_with("cred")
        if lines.select(typed.any()).item():
            return typed
    if not relations.is_empty():
        known = pl.col("rekening").fill_null("").str.replace(r"^0+(.)", "${1}").is_in(relations["crediteur"].to_list())
        if lines.select(known.any()).item():
            return known
    return _balancing(lines)


def _balancing(lines: pl.DataFrame) -> pl.Expr:
    """The line that balances its entry: the largest amount, equal to minus the sum of all others of the entry. In a
    tie (an entry of two lines) the line without cost centre, project or dimension, then the credit, is the creditor's."""
    total_others = pl.col("bedrag").sum().over("_entry") - pl.col("bedrag")
    biggest = pl.col("bedrag").abs() == pl.col("bedrag").abs().max().over("_entry")
    several = pl.len().over("_entry") > 1
    balancing = (several & biggest & (pl.col("bedrag") == -total_others)).fill_null(False)
    dims = [c for c in lines.columns if c.startswith("_dim:")] + [c for c in ("kostenplaats", "project") if c in lines.columns]
    bare = pl.all_horizontal([pl.col(c).is_null() for c in dims]) if dims else pl.lit(True)
    score = balancing.cast(pl.Int32) * 4 + bare.cast(pl.Int32) * 2 + (pl.col("bedrag") < 0).cast(pl.Int32)
    best = score == score.max().over("_entry")
    first = pl.int_range(pl.len()).over("_entry") == pl.int_range(pl.len()).filter(balancing & best).first().over("_entry")
    return (balancing & best & first).fill_null(False)


def dimensions(lines: pl.DataFrame, p: layouts.Placement, settings: LedgerSettings, rec) -> pl.DataFrame:
    """Cost centre and project from the dimension columns, by the board's own codes; dimension columns dropped."""
    dims = [c for c in lines.columns if c.startswith("_dim:")]
    if not dims:
        return lines
    centres = set(settings.cost_centres)
    projects = [re.compile(layouts.glob_regex(s.project)) for s in settings.selections if s.project]
    chosen: dict[str, str] = {}

    def score(col: str, test) -> int:
        vals = lines[col].drop_nulls().unique().to_list()
        return sum(1 for v in vals if test(v))

    if "kostenplaats" not in p.columns:
        ranked = sorted(((score(d, lambda v: v in centres), -i, d) for i, d in enumerate(dims)), reverse=True)
        if ranked and ranked[0][0] > 0:
            chosen["kostenplaats"] = ranked[0][2]
    if "project" not in p.columns and projects:
        ranked = sorted(((score(d, lambda v: any(r.match(v) for r in projects)), -i, d) for i, d in enumerate(dims)
                         if d != chosen.get("kostenplaats")), reverse=True)
        if ranked and ranked[0][0] > 0:
            chosen["project"] = ranked[0][2]
    free = [d for d in dims if d not in chosen.values()]
    for item in ("kostenplaats", "project"):  # no code of the board found: the first free dimensions, in order
        if item not in p.columns and item not in chosen and free and (item == "kostenplaats" or not projects):
            chosen[item] = free.pop(0)
    exprs = []
    for item, col in chosen.items():
        exprs.append(pl.col(col).alias(item))
        rec.columns[item] = col.removeprefix("_dim:")
    if chosen:
        rec.notes.append("Kostenplaats en project zijn gekozen uit de verbijzonderingen aan de hand van de kostenplaatsen en "
                         "projecten op het tabblad Grootboek (" + ", ".join(f"{k} = {v.removeprefix('_dim:')}" for k, v in chosen.items()) + ").")
    return lines.with_columns(exprs).drop(dims)


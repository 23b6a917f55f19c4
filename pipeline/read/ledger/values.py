"""Amounts and dates of a ledger export, read by one convention per column decided from all its values.

DOMAIN §7a: Dutch exports write `1.234,56`, but also `10.000` (ten thousand) and `€ 10.000`; SQL exports write
`-1500.000`; dates come as `30-11-2022`, `30112022` (Exact Globe), `2022-09-28T00:00:00Z` (Unit4),
`2022-11-30T00:00:00` (Exact Online) or Excel serials. A value is never read on its own: `250.000` is ten
thousand times more in a Dutch column than in an SQL column, so the column decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import polars as pl

MONEY = pl.Decimal(16, 2)
CENT = Decimal("0.01")

# Conventions of an amount column.
DUTCH = "komma voor centen, punt voor duizendtallen (1.234,56)"
POINT = "punt voor centen (1234.56)"
MIXED = "per bedrag (de kolom mengt beide schrijfwijzen)"

# Date formats a column may use, day before month (Dutch); the column takes the one that reads most of its values.
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d%m%Y", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y", "%Y/%m/%d", "%Y.%m.%d")
DATE_LABELS = {"%d-%m-%Y": "dd-mm-jjjj", "%Y-%m-%d": "jjjj-mm-dd (ISO 8601)", "%d%m%Y": "ddmmjjjj", "%Y%m%d": "jjjjmmdd",
               "%d/%m/%Y": "dd/mm/jjjj", "%d.%m.%Y": "dd.mm.jjjj", "%d-%m-%y": "dd-mm-jj", "%d/%m/%y": "dd/mm/jj",
               "%Y/%m/%d": "jjjj/mm/dd", "%Y.%m.%d": "jjjj.mm.dd", "serial": "Excel-datumgetal"}
EXCEL_EPOCH = date(1899, 12, 30)
# A four-digit year format also reads a two-digit year (`01-03-23` as 1 March of the year 23): a date before this year
# is no booking date, so it neither counts for a format nor is read as one (it is unreadable: W4).
EARLIEST_YEAR = 1900


def _named(source: pl.Expr, out: pl.Expr) -> pl.Expr:
    """`out` under the output name of `source` (when/then would otherwise call it "literal")."""
    name = source.meta.output_name(raise_if_undetermined=False)
    return out.alias(name) if name else out


def clean_amount(expr: pl.Expr) -> pl.Expr:
    """Text of an amount without currency, spaces and `,-`; a trailing minus or brackets as a leading minus."""
    s = expr.cast(pl.Utf8).str.replace_all(r"(?i)€|eur|[\s\u00a0\u202f']", "").str.replace(r"[,.]-$", "")
    s = pl.when(s.str.contains(r"^\(.*\)$")).then(pl.lit("-") + s.str.strip_chars("()")).otherwise(s)
    s = pl.when(s.str.contains(r"^\+?[\d.,]+-$")).then(pl.lit("-") + s.str.strip_suffix("-")).otherwise(s)
    return _named(expr, pl.when(s == "").then(None).otherwise(s.str.strip_prefix("+")))


def amount_convention(values: pl.Series, iso_dates: bool = False) -> str:
    """The convention of one amount column (cleaned text), decided from all its values together.

    Evidence for a decimal comma: `1.234,56`, `12,5`, `1.234.567` (grouped dots). For a decimal point:
    `1,234.56`, `12.5`, `1500.000` (four digits before a single point cannot be thousands), `0.500`.
    Without evidence (`10.000`, `-1.500`) the point groups thousands, as Dutch people write, unless the
    file writes its dates the SQL way (ISO 8601), where `250.000` is an SQL amount with three decimals."""
    s = values.drop_nulls()
    if s.is_empty():
        return DUTCH

    def any_(pattern: str) -> bool:
        return bool(s.str.contains(pattern).any())

    comma = any_(r"\.\d*,\d*$") or any_(r",\d{1,2}$") or any_(r",\d{4,}$") or any_(r"\d\.\d{3}\.\d")
    point = (any_(r",\d*\.\d*$") or any_(r"\.\d{1,2}$") or any_(r"\.\d{4,}$") or any_(r"^-?\d{4,}\.\d+$")
             or any_(r"^-?0\.\d") or any_(r"\d,\d{3},\d"))
    if comma and point:
        return MIXED
    if comma:
        return DUTCH
    if point:
        return POINT
    if any_(r"\.") and iso_dates:
        return POINT
    if any_(r",\d{3}$") and iso_dates:  # 1,234 in an SQL/English export: thousands
        return POINT
    return DUTCH


def amount_expr(expr: pl.Expr, convention: str) -> pl.Expr:
    """Cleaned text as cents under `convention` (MIXED is handled value by value by the caller)."""
    if convention == DUTCH:
        # a lone `1,234` is ambiguous in a Dutch column: left null, so that the caller names the line
        s = pl.when(expr.str.contains(r"^-?\d{1,3},\d{3}$")).then(None).otherwise(
            expr.str.replace_all(r"\.", "").str.replace(",", ".", literal=True))
    else:
        s = expr.str.replace_all(",", "", literal=True)
    s = pl.when(s.str.contains(r"^-?\d+(\.\d+)?$")).then(s).otherwise(None)
    # to cents half up (away from zero), as to_cents and the workbooks do: polars' round() is half to even, so an SQL
    # export's computed btw 2.6250 would become 2,62 where the workbook has 2,63 (a false L3 of one cent)
    micro = (s.cast(pl.Decimal(22, 6), strict=False) * 1_000_000).cast(pl.Int64, strict=False)
    cents = (micro.abs() + 5_000) // 10_000 * micro.sign()
    return _named(expr, (cents.cast(pl.Decimal(22, 2)) * pl.lit(CENT)).cast(MONEY))


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def from_number(value: object) -> Decimal | None:
    """A number as Excel stores it (float) as cents, exactly as typed where the float allows."""
    try:
        return to_cents(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


@dataclass(frozen=True)
class DateColumn:
    fmt: str  # one of DATE_FORMATS or "serial"
    parsed: int  # values read by it


def clean_date(expr: pl.Expr) -> pl.Expr:
    """The date part of a value: `2022-09-28T00:00:00Z` and `2022-09-28 00:00:00.000` become `2022-09-28`."""
    s = expr.cast(pl.Utf8).str.strip_chars()
    return _named(expr, s.str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})[T ].*$", "${1}").str.replace(r"^(\d{1,2}-\d{1,2}-\d{4}) .*$", "${1}"))


def date_convention(values: pl.Series) -> DateColumn:
    """The format that reads most values of a cleaned date column (ties: the order of DATE_FORMATS)."""
    s = values.drop_nulls()
    frame = s.to_frame("v")
    best = DateColumn(DATE_FORMATS[0], 0)
    serials = frame.select(pl.col("v").str.contains(r"^\d{5}(\.0+)?$").sum()).item() if not s.is_empty() else 0
    if serials:
        best = DateColumn("serial", serials)
    for fmt in DATE_FORMATS:
        n = frame.select((pl.col("v").str.strptime(pl.Date, fmt, strict=False, exact=True).dt.year() >= EARLIEST_YEAR).sum()).item()
        if n > best.parsed:
            best = DateColumn(fmt, n)
    return best


def date_expr(expr: pl.Expr, column: DateColumn) -> pl.Expr:
    if column.fmt == "serial":
        days = expr.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)
        ok = days.is_between(1, 2_958_465)
        return _named(expr, pl.when(ok).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=days)).otherwise(None).cast(pl.Date))
    read = expr.str.strptime(pl.Date, column.fmt, strict=False, exact=True)
    return _named(expr, pl.when(read.dt.year() >= EARLIEST_YEAR).then(read).otherwise(None))

"""Figures derived from one hire, shared by the checks and the aggregation."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from pipeline import dutch
from pipeline.model import Hire
from pipeline.reference import ThresholdPeriod, threshold_for

ZERO = Decimal("0.00")


def invoiced_total(hire: Hire) -> Decimal:
    """Sum of the invoices excl. BTW (unreadable amounts count as zero; W4 reports them)."""
    return sum((r.get("Bedrag excl. BTW") or ZERO for r in hire.tables.get("tblFacturen", [])), ZERO)


INDEFINITE_MONTHS = 48  # Aanbestedingswet 2012 art. 2.17 (d, e): no fixed term or longer than 48 months


def procurement_basis(hire: Hire) -> tuple[Decimal, str]:
    """The value that decides the procurement procedure, and how it was computed (Dutch, for findings).

    Aanbestedingswet 2012 art. 2.17, onder d en e (Directive 2014/24 art. 5 lid 14): a contract without a fixed term
    or longer than 48 months counts as its monthly value × 48. The stated contract value and the
    invoiced total also count: the largest of these is the value, so an estimate never lowers it."""
    contract = hire.get("contractwaarde")
    candidates: list[tuple[Decimal, str]] = []
    if isinstance(contract, Decimal):
        candidates.append((contract, "de contractwaarde"))
    invoiced = invoiced_total(hire)
    candidates.append((invoiced, "het gefactureerde totaal"))
    monthly = hire.get("maandbedrag")
    if isinstance(monthly, Decimal) and (hire.get("onbepaalde_tijd") == "Ja" or longer_than_48_months(hire)):
        why = "onbepaalde tijd" if hire.get("onbepaalde_tijd") == "Ja" else f"looptijd langer dan {INDEFINITE_MONTHS} maanden"
        candidates.append((monthly * INDEFINITE_MONTHS,
                           f"het maandbedrag van {dutch.format_euro(monthly)} × {INDEFINITE_MONTHS} ({why}, Aanbestedingswet 2012 art. 2.17, onder d en e)"))
    value, how = max(candidates, key=lambda c: c[0])  # max keeps the first of equals: the contract value
    return value, how


def longer_than_48_months(hire: Hire) -> bool:
    start, end = hire.get("startdatum"), hire.get("einddatum")
    return isinstance(start, date) and isinstance(end, date) and end > add_months(start, INDEFINITE_MONTHS)


def procurement_value(hire: Hire) -> Decimal:
    """The value that decides the procedure (see procurement_basis)."""
    return procurement_basis(hire)[0]


def procurement_start(hire: Hire) -> date | None:
    """The date procurement started: first quote date, else contract date, else start date."""
    quotes = [r.get("Datum") for r in hire.tables.get("tblOffertes", []) if isinstance(r.get("Datum"), date)]
    if quotes:
        return min(quotes)
    return hire.get("contract_getekend") or hire.get("startdatum")


def threshold(hire: Hire, social_services: bool) -> tuple[Decimal, ThresholdPeriod] | None:
    start = procurement_start(hire)
    if start is None:
        return None
    period = threshold_for(start)
    return (period.social_services if social_services else period.services), period


def months_between(a: date, b: date) -> int:
    """Months from a to b with b inclusive, a partial month rounded up: 1 Sep–31 Aug is 12, 15 Sep–14 Oct is 1,
    15 Sep–15 Oct (a month and a day) is 2."""
    months = (b.year - a.year) * 12 + (b.month - a.month)
    return months + (1 if b.day >= a.day else 0)


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def fingerprint(hire: Hire) -> str:
    """A digest of everything the school entered, so a re-saved copy counts as the same content."""
    import hashlib

    parts = [f"{k}={hire.fields[k].value!r}" for k in sorted(hire.fields)]
    for name in sorted(hire.tables):
        for row in hire.tables[name]:
            parts.append(name + ":" + "|".join(f"{k}={c.value!r}" for k, c in sorted(row.cells.items())))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

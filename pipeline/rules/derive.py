"""Figures derived from one hire, shared by the checks and the aggregation."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from pipeline.model import Hire
from pipeline.reference import ThresholdPeriod, threshold_for

ZERO = Decimal("0.00")


def invoiced_total(hire: Hire) -> Decimal:
    """Sum of the invoices excl. BTW (unreadable amounts count as zero; W4 reports them)."""
    return sum((r.get("Bedrag excl. BTW") or ZERO for r in hire.tables.get("tblFacturen", [])), ZERO)


def procurement_value(hire: Hire) -> Decimal:
    """Aanbestedingswet art. 2.15: the larger of the stated contract value and the invoiced total."""
    return max(hire.get("contractwaarde") or ZERO, invoiced_total(hire))


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
    """Whole months from a to b, rounding a partial month up."""
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

"""Round trips: random valid hires written as real workbooks come back from the reader value for value."""
from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import write_workbook
from pipeline.read import workbook as reader
from pipeline import spec as spec_mod

S = spec_mod.load()
INVOICES = S.tables["tblFacturen"]
TEXT_FIELDS = [f.name for f in S.fields.values() if f.type in ("text", "longtext")]
EURO_FIELDS = [f.name for f in S.fields.values() if f.type == "euro"]
DATE_FIELDS = [f.name for f in S.fields.values() if f.type == "date"]

# Characters a school can type into a cell. Left out, because no .xlsx can carry them as typed:
# control characters other than tab and newline (openpyxl refuses them; Excel would write _xHHHH_),
# carriage returns (XML turns them into newlines), surrogates and unassigned code points.
_chars = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn"))
_typed = st.text(st.one_of(_chars, st.sampled_from("\n\t &<>\"'€ëé")), min_size=1, max_size=60)
# Surrounding whitespace is allowed (the reader strips it); a formula-like start is a different test
# (test_badinput: text stays inert), here openpyxl would store it as a formula.
TEXT = _typed.filter(lambda s: s.strip() != "" and not s.lstrip().startswith("="))

CENTS = st.integers(min_value=-1_000_000, max_value=1_000_000_000)  # -€ 10.000,00 … € 10.000.000,00
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31))


def dutch_amount(amount: Decimal, grouped: bool, symbol: bool) -> str:
    """€ 12.500,50 / 12500,50 / -1.250,00 as a Dutch person types it."""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(int(amount * 100)), 100)
    digits = f"{whole:,}".replace(",", ".") if grouped else str(whole)
    return f"{'€ ' if symbol else ''}{sign}{digits},{cents:02d}"


@st.composite
def amounts(draw, negative: bool = True, sign_of: Decimal | None = None) -> tuple[object, Decimal]:
    """(what is typed, the value it means). Only invoice amounts may be negative (a credit note); other amounts
    below zero are a W4 finding. With `sign_of` the value has that amount's sign (the BTW of an invoice: W4 when the
    signs differ)."""
    value = Decimal(draw(CENTS if negative else st.integers(min_value=0, max_value=1_000_000_000))) / 100
    if sign_of is not None and value and sign_of and (value < 0) != (sign_of < 0):
        value = -value
    how = draw(st.sampled_from(["decimal", "float", "text"]))
    if how == "decimal":
        return value, value
    if how == "float":
        return float(value), value
    return dutch_amount(value, draw(st.booleans()), draw(st.booleans())), value


@st.composite
def dates(draw) -> tuple[object, date]:
    d = draw(DAYS)
    how = draw(st.sampled_from(["date", "d-m-yyyy", "dd-mm-yyyy"]))
    if how == "date":
        return d, d
    if how == "d-m-yyyy":
        return f"{d.day}-{d.month}-{d.year}", d
    return f"{d.day:02d}-{d.month:02d}-{d.year}", d


@st.composite
def invoice_row(draw) -> tuple[list[object], list[object]]:
    """(typed, expected): Factuurnummer, Factuurdatum, Bedrag excl. BTW, BTW-bedrag, Omschrijving."""
    number, when, amount, text = draw(TEXT), draw(dates()), draw(amounts()), draw(TEXT)
    btw = draw(amounts(sign_of=amount[1]))
    return [number, when[0], amount[0], btw[0], text], [number.strip(), when[1], amount[1], btw[1], text.strip()]


@st.composite
def hires(draw) -> dict:
    fields, expect = {}, {}
    for name in TEXT_FIELDS:
        v = draw(TEXT)
        fields[name], expect[name] = v, v.strip()
    for name in EURO_FIELDS:
        fields[name], expect[name] = draw(amounts(negative=S.fields[name].negative))
    for name in DATE_FIELDS:
        fields[name], expect[name] = draw(dates())
    nr = draw(st.integers(1, 999))
    fields["volgnummer"], expect["volgnummer"] = nr, nr
    n_table = draw(st.integers(0, INVOICES.rows))
    n_below = draw(st.integers(0, 3))
    rows = [draw(invoice_row()) for _ in range(n_table + n_below)]
    return {
        "fields": fields, "expect": expect, "n_table": n_table,
        "table": [typed for typed, _ in rows[:n_table]], "below": [typed for typed, _ in rows[n_table:]],
        "rows": [expected for _, expected in rows],
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hires())
def test_random_valid_hire_round_trips(h):
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "inhuur.xlsx", h["fields"], {"tblFacturen": h["table"]},
                              below={"tblFacturen": h["below"]} if h["below"] else None)
        res = reader.read(path)
    assert res.hire is not None
    assert [(f.rule, f.sheet, f.cell, f.message) for f in res.findings if f.rule in ("W1", "W2", "W3", "W4")] == []
    for name, value in h["expect"].items():
        got = res.hire.get(name)
        assert got == value and type(got) is type(value), (name, h["fields"][name], got, value)
    rows = res.hire.tables["tblFacturen"]
    assert len(rows) == len(h["rows"])
    assert [r.outside_table for r in rows] == [i >= h["n_table"] for i in range(len(rows))]
    columns = [c.name for c in INVOICES.columns]
    for row, expected in zip(rows, h["rows"]):
        got = [row.get(c) for c in columns]
        assert got == expected, (row.number, got, expected)
        assert all(type(g) is type(e) for g, e in zip(got, expected)), (got, expected)
    below = [f for f in res.findings if f.rule == "W5"]
    assert len(below) == len(h["below"])

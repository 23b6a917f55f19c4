"""Guards from the unsampled mutation screen of pipeline/dutch.py (issue 28, 2026-12-06b): how typed numbers, shares
and school years are read, and what a user reads when one cannot be. Expected values are worked out by hand in each
test. No pytest fixtures, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import errno
from datetime import date
from decimal import Decimal

import pytest

from pipeline import dutch


@pytest.mark.parametrize("typed, cents", [
    ("12 500,50", 1250050),  # space thousands with decimal comma: the cents stay
    ("1 000 000.25", 100000025),  # space thousands with decimal point
    ("12 500", 1250000),  # space thousands, no decimals
    ("\u20ac\u00a012\u202f500,05", 1250005),  # narrow no-break space between groups (Word, Babel)
])
def test_space_grouped_amounts_keep_their_cents(typed, cents):
    """Bug: the decimals after space-grouped thousands dropped (12 500,50 read as 12.500,00) or refused."""
    assert dutch.parse_euro(typed) == Decimal(cents) / 100


@pytest.mark.parametrize("value", ["-0,00", "€ -0,00", Decimal("-0.00"), -0.0, Decimal("-0.004")])
def test_minus_zero_is_zero(value):
    """A credit note of nothing, or a rounding remainder below half a cent: 0.00, never -0.00 (which formats as
    "€ -0,00" in a total). Bug: the `+ 0` that turns -0.00 into 0.00 dropped or made `- 0`."""
    read = dutch.parse_euro(value)
    assert str(read) == "0.00"
    assert dutch.format_euro(Decimal("-0.00")) == dutch.format_euro(Decimal("-0.004")) == "€\u00a00,00"


def test_a_share_of_nothing_is_a_share():
    """0 % is a valid share (a participant who pays nothing this year; a setting switched off): 0, not an error.
    100 % is 1. Just outside on either side is refused. Bug: 0 refused as a share."""
    assert dutch.parse_percent("0%") == dutch.parse_percent(0) == dutch.parse_percent("0") == 0
    assert dutch.parse_percent("100%") == dutch.parse_percent(1) == 1
    for bad in ("-1%", "100,5%", -0.01):
        with pytest.raises(dutch.ParseError):
            dutch.parse_percent(bad)


@pytest.mark.parametrize("parse, bad", [
    (dutch.parse_euro, "twaalf euro"), (dutch.parse_euro, "1,5,0"), (dutch.parse_euro, "12 50,00"),
    (dutch.parse_euro, float("nan")), (dutch.parse_euro, "1.2345,6"),
    (dutch.parse_int, "3,5"), (dutch.parse_int, "drie"),
    (dutch.parse_percent, None), (dutch.parse_percent, "veel"), (dutch.parse_percent, "veel%"),
    (dutch.parse_percent, float("inf")), (dutch.parse_percent, [40]),
    (dutch.parse_date, "31-13-2023"), (dutch.school_year_bounds, "2022-2024"),
])
def test_every_refusal_explains_itself(parse, bad):
    """A finding quotes the explanation of the ParseError ("'Bedrag' bevat 'x': <uitleg>"): it is never empty and never
    Python's None. Bug: the explanation lost (ParseError(None)), or another exception than ParseError (a traceback)."""
    with pytest.raises(dutch.ParseError) as caught:
        parse(bad)
    explanation = str(caught.value)
    assert explanation and explanation != "None" and caught.value.args[0] == explanation


@pytest.mark.parametrize("typed, first", [("2019-20", 2019), ("2000-01", 2000), ("2099-00", 2099), ("2022/23", 2022),
                                          ("2022-2023", 2022)])
def test_short_school_years_in_any_century(typed, first):
    """A school year with a two-digit end year belongs to the century of its start (2099-00 ends in 2100).
    Bug: the century taken from another calculation, so 2019-20 or 2000-01 is refused or lands in 1920/1901."""
    assert dutch.school_year_bounds(typed) == (date(first, 8, 1), date(first + 1, 7, 31))


def test_os_reasons_in_dutch_and_the_system_name_otherwise():
    """Known errors in Dutch from the table; an unknown errno as 'systeemfout <NAME> (<text>)'; an error without errno
    by its class. Bug: the table looked up the wrong way round (KeyError: a traceback), the name or text lost."""
    assert dutch.os_reason(PermissionError(errno.EACCES, "Permission denied")) == dutch.OS_REASONS["EACCES"]
    assert dutch.os_reason(OSError(errno.ENOSPC, "No space left on device")) == "de schijf is vol"
    assert dutch.os_reason(OSError(errno.E2BIG, "Argument list too long")) == "systeemfout E2BIG (Argument list too long)"
    assert dutch.os_reason(OSError(errno.E2BIG, "")) == "systeemfout E2BIG"
    assert dutch.os_reason(OSError("kapot")) == "systeemfout OSError"
    assert dutch.os_reason(TimeoutError()) == "systeemfout TimeoutError"

"""Tests for pipeline.dutch: Dutch parsing of amounts, numbers, dates and choices, and Babel formatting."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dutch import (
    ParseError,
    format_date,
    format_date_short,
    format_euro,
    format_number,
    format_percent,
    parse_choice,
    parse_date,
    parse_euro,
    parse_int,
    school_year_bounds,
    school_year_of,
)

NBSP = "\u00a0"
PROPERTY = settings(max_examples=200, deadline=None)

# --------------------------------------------------------------------------- parse_euro


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 12.500,00", "12500.00"),
        ("€12.500", "12500.00"),
        ("12.500", "12500.00"),
        ("12500", "12500.00"),
        ("12500,5", "12500.50"),
        ("12.500,-", "12500.00"),
        ("12.500,--", "12500.00"),
        ("EUR 1.000", "1000.00"),
        ("EUR1.000", "1000.00"),
        ("eur 1.000,50", "1000.50"),
        ("1.000 euro", "1000.00"),
        ("1 000,00", "1000.00"),
        (f"1{NBSP}000,00", "1000.00"),
        ("1\u202f000,00", "1000.00"),
        ("-250,00", "-250.00"),
        ("\u2212250,00", "-250.00"),
        ("-€ 250", "-250.00"),
        ("€ -250", "-250.00"),
        ("250-", "-250.00"),
        ("+250", "250.00"),
        ("1.500", "1500.00"),
        ("12.500.000", "12500000.00"),
        ("12.5", "12.50"),
        ("12.50", "12.50"),
        ("0.500", "0.50"),
        ("1234.500", "1234.50"),
        ("1.234,56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("1,234.56", "1234.56"),
        ("1,234,567", "1234567.00"),
        ("0,125", "0.13"),
        ("0,005", "0.01"),
        (",50", "0.50"),
        ("  € 12.500,00  ", "12500.00"),
        (f"€{NBSP}-1.234,56", "-1234.56"),
        ("-0,00", "0.00"),
    ],
)
def test_parse_euro_text(text: str, expected: str) -> None:
    assert parse_euro(text) == Decimal(expected)
    assert parse_euro(text).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12500, "12500.00"),
        (-3, "-3.00"),
        (12500.5, "12500.50"),
        (0.1 + 0.2, "0.30"),
        (1234.5678, "1234.57"),
        (Decimal("1.005"), "1.01"),  # half up, not banker's rounding
        (Decimal("2.675"), "2.68"),
        (Decimal("7"), "7.00"),
    ],
)
def test_parse_euro_numbers(value: object, expected: str) -> None:
    assert parse_euro(value) == Decimal(expected)
    assert parse_euro(value).as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    ["", "   ", NBSP, "€", "EUR", "-", "abc", "12.50.0", "1..5", "1 2", "12 34,00", "12.", "--250", "-250-",
     "1.2,3,4", "1,23,4.5", True, False, None, float("nan"), float("inf"), Decimal("NaN"), [12]],
)
def test_parse_euro_rejects(value: object) -> None:
    with pytest.raises(ParseError) as info:
        parse_euro(value)
    assert "bedrag" in str(info.value)


def test_parse_euro_refuses_to_guess_single_comma_thousands() -> None:
    # 1,234 is either Dutch 1,23 with three decimals or English 1234: ask instead of guessing.
    with pytest.raises(ParseError, match="onduidelijk"):
        parse_euro("1,234")


def test_parse_error_is_value_error_with_dutch_explanation() -> None:
    with pytest.raises(ValueError) as info:
        parse_euro("twaalf")
    assert str(info.value) == "verwacht een bedrag, bijvoorbeeld 12.500,00"
    assert info.value.explanation == str(info.value)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- parse_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (3.0, 3), (Decimal("3.00"), 3), ("3", 3), (" 3 ", 3), ("3,0", 3), ("3.0", 3), ("-2", -2), ("1.000", 1000)],
)
def test_parse_int(value: object, expected: int) -> None:
    result = parse_int(value)
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", [3.5, "3,5", "", " ", "drie", True, None, float("nan"), "€ 3", "1,000", Decimal("2.5")])
def test_parse_int_rejects(value: object) -> None:
    with pytest.raises(ParseError, match="geheel getal"):
        parse_int(value)


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "text",
    [
        "1-9-2022",
        "01-09-2022",
        "1/9/2022",
        "01/09/2022",
        "1.9.2022",
        "2022-09-01",
        "2022-09-01 00:00:00",
        "2022-09-01T00:00:00",
        "2022-9-1",
        "1-9-22",
        "01-09-22",
        "1 september 2022",
        "1 September 2022",
        "1 SEPTEMBER 2022",
        "1 sep 2022",
        "1 sept 2022",
        "1 sept. 2022",
        "1 Sep. 2022",
        "1-sep-2022",
        "1 sep 22",
        "donderdag 1 september 2022",
        "  1-9-2022 ",
    ],
)
def test_parse_date_text(text: str) -> None:
    assert parse_date(text) == date(2022, 9, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 januari 2023", date(2023, 1, 15)),
        ("3 mrt 2023", date(2023, 3, 3)),
        ("3 maart 2023", date(2023, 3, 3)),
        ("9 mei 2023", date(2023, 5, 9)),
        ("9 jun 2023", date(2023, 6, 9)),
        ("9 jul 2023", date(2023, 7, 9)),
        ("31 okt 2023", date(2023, 10, 31)),
        ("25 dec. 2023", date(2023, 12, 25)),
        ("1-9-00", date(2000, 9, 1)),
        ("1-9-69", date(2069, 9, 1)),
        ("1-9-70", date(1970, 9, 1)),
        ("1-9-99", date(1999, 9, 1)),
        ("29-2-2024", date(2024, 2, 29)),
        ("2-1-2023", date(2023, 1, 2)),  # day first, never American month first
    ],
)
def test_parse_date_more(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_objects() -> None:
    assert parse_date(date(2022, 9, 1)) == date(2022, 9, 1)
    result = parse_date(datetime(2022, 9, 1, 13, 45))
    assert result == date(2022, 9, 1) and type(result) is date


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (44805, date(2022, 9, 1)),
        (44805.0, date(2022, 9, 1)),
        (44805.75, date(2022, 9, 1)),  # the fraction is a time of day
        (Decimal(44805), date(2022, 9, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_parse_date_excel_serial(serial: object, expected: date) -> None:
    assert parse_date(serial) == expected


@pytest.mark.parametrize(
    "value",
    ["31-2-2022", "29-2-2023", "0-1-2022", "1-13-2022", "2022-02-30", "31 april 2022"],
)
def test_parse_date_rejects_impossible_dates(value: str) -> None:
    with pytest.raises(ParseError, match="bestaat niet"):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    ["", " ", "morgen", "1-9", "1-9-022", "1-9/2022", "1 foo 2022", "1 ma 2022", "44805", 0, 60, -1, 2958466,
     float("nan"), True, None, time(12, 0)],
)
def test_parse_date_rejects(value: object) -> None:
    with pytest.raises(ParseError, match="datum"):
        parse_date(value)


# --------------------------------------------------------------------------- parse_choice

JA_NEE_NVT = ["Ja", "Nee", "N.v.t."]


@pytest.mark.parametrize("value", ["ja", "JA ", "Ja", " ja", f"Ja{NBSP}", "jA"])
def test_parse_choice_case_and_spaces(value: str) -> None:
    assert parse_choice(value, JA_NEE_NVT) == "Ja"


@pytest.mark.parametrize("value", ["nvt", "n.v.t", "N.V.T.", "n.v.t.", "N.v.t.", "n v t", "NVT "])
def test_parse_choice_nvt(value: str) -> None:
    assert parse_choice(value, JA_NEE_NVT) == "N.v.t."


def test_parse_choice_numbers() -> None:
    scores = ["1", "2", "3", "4", "5"]
    assert parse_choice(3.0, scores) == "3"
    assert parse_choice(3, scores) == "3"
    assert parse_choice(Decimal("3"), scores) == "3"
    assert parse_choice(" 3 ", scores) == "3"
    assert parse_choice(2.5, ["2,5", "3"]) == "2,5"


def test_parse_choice_apostrophes_spaces_and_dashes() -> None:
    options = ["Bureau", "Zzp'er", "Ander schoolbestuur", "BSO/kinderopvang"]
    assert parse_choice("zzp’er", options) == "Zzp'er"
    assert parse_choice("ZZP'ER", options) == "Zzp'er"
    assert parse_choice("Zzp‘er", options) == "Zzp'er"
    assert parse_choice("ander  schoolbestuur", options) == "Ander schoolbestuur"
    assert parse_choice("BSO / kinderopvang", options) == "BSO/kinderopvang"
    assert parse_choice("Pim’s keuze", ["Pim's keuze"]) == "Pim's keuze"
    assert parse_choice("Pim's keuze", ["Pim’s keuze"]) == "Pim’s keuze"
    assert parse_choice("2022–2023", ["2022-2023"]) == "2022-2023"


def test_parse_choice_exact_match_wins_over_loose_match() -> None:
    assert parse_choice("a.b", ["ab", "a.b"]) == "a.b"
    with pytest.raises(ParseError):
        parse_choice("a-b", ["a.b", "a b."])  # loose key 'ab' fits both: refuse


@pytest.mark.parametrize("value", ["jaa", "", "  ", "N", "nee nee", True, False, None, 1, 1.0])
def test_parse_choice_rejects_and_lists_options(value: object) -> None:
    with pytest.raises(ParseError) as info:
        parse_choice(value, JA_NEE_NVT)
    assert str(info.value) == "kies uit: Ja, Nee of N.v.t."


@pytest.mark.parametrize("value", [6, 3.5, "zes", True])
def test_parse_choice_rejects_numbers(value: object) -> None:
    with pytest.raises(ParseError, match="^kies uit: 1, 2, 3, 4 of 5$"):
        parse_choice(value, ["1", "2", "3", "4", "5"])


def test_parse_choice_messages() -> None:
    with pytest.raises(ParseError, match="^kies Ja$"):
        parse_choice("nee", ["Ja"])
    with pytest.raises(ParseError, match="geen keuzes"):
        parse_choice("ja", [])


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234.56"), f"€{NBSP}1.234,56"),
        (Decimal("-1234.56"), f"€{NBSP}-1.234,56"),
        (Decimal("0"), f"€{NBSP}0,00"),
        (Decimal("-0.001"), f"€{NBSP}0,00"),
        (Decimal("-0.01"), f"€{NBSP}-0,01"),
        (Decimal("12500"), f"€{NBSP}12.500,00"),
        (Decimal("1.005"), f"€{NBSP}1,01"),
        (Decimal("1000000000"), f"€{NBSP}1.000.000.000,00"),
        (1234, f"€{NBSP}1.234,00"),
        (1234.5, f"€{NBSP}1.234,50"),
        (0.125, f"€{NBSP}0,13"),
    ],
)
def test_format_euro(amount: object, expected: str) -> None:
    assert format_euro(amount) == expected  # type: ignore[arg-type]


def test_format_euro_uses_only_nbsp() -> None:
    text = format_euro(Decimal("-98765.43"))
    assert text == "€\u00a0-98.765,43"
    assert " " not in text and "\u202f" not in text and "\u2212" not in text


@pytest.mark.parametrize(
    ("n", "decimals", "expected"),
    [
        (12500, 0, "12.500"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1234567, 0, "1.234.567"),
        (-12500, 0, "-12.500"),
        (12500.5, 0, "12.501"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("0.125"), 2, "0,13"),
        (-0.4, 0, "0"),
        (3.14159, 1, "3,1"),
    ],
)
def test_format_number(n: object, decimals: int, expected: str) -> None:
    assert format_number(n, decimals) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.425, "42,5%"), (0, "0,0%"), (1, "100,0%"), (0.5, "50,0%"), (Decimal("0.4255"), "42,6%"), (12.3456, "1.234,6%"),
     (-0.05, "-5,0%")],
)
def test_format_percent(fraction: object, expected: str) -> None:
    assert format_percent(fraction) == expected  # type: ignore[arg-type]


def test_format_date() -> None:
    assert format_date(date(2022, 9, 1)) == "1 september 2022"
    assert format_date(date(2023, 3, 15)) == "15 maart 2023"
    assert format_date(datetime(2023, 5, 9, 10, 0)) == "9 mei 2023"
    assert format_date_short(date(2022, 9, 1)) == "01-09-2022"
    assert format_date_short(date(2023, 12, 31)) == "31-12-2023"


# --------------------------------------------------------------------------- school years


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2022, 9, 1), "2022-2023"),
        (date(2022, 8, 1), "2022-2023"),
        (date(2022, 7, 31), "2021-2022"),
        (date(2023, 1, 1), "2022-2023"),
        (date(2023, 7, 31), "2022-2023"),
        (date(2023, 8, 1), "2023-2024"),
    ],
)
def test_school_year_of(d: date, expected: str) -> None:
    assert school_year_of(d) == expected


@pytest.mark.parametrize("text", ["2022-2023", " 2022-2023 ", "2022/2023", "2022 - 2023", "2022–2023", "2022-23"])
def test_school_year_bounds(text: str) -> None:
    assert school_year_bounds(text) == (date(2022, 8, 1), date(2023, 7, 31))


def test_school_year_bounds_century() -> None:
    assert school_year_bounds("1999-00") == (date(1999, 8, 1), date(2000, 7, 31))


@pytest.mark.parametrize("text", ["2022", "22-23", "2022-2023-2024", "twintig", "", "2022_2023", "20222023"])
def test_school_year_bounds_malformed(text: str) -> None:
    with pytest.raises(ParseError, match="schrijft u als 2022-2023"):
        school_year_bounds(text)


@pytest.mark.parametrize("text", ["2022-2024", "2023-2022", "2022-2022", "2022-25"])
def test_school_year_bounds_not_consecutive(text: str) -> None:
    with pytest.raises(ParseError, match="opeenvolgende"):
        school_year_bounds(text)


# --------------------------------------------------------------------------- properties

amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


def dutch_plain(x: Decimal, thousands: bool) -> str:
    """Write an amount as a Dutch person would, independently of the module's own formatter."""
    english = f"{x:,.2f}" if thousands else f"{x:.2f}"
    return english.translate(str.maketrans({",": ".", ".": ","}))


@PROPERTY
@given(amounts)
def test_property_format_euro_round_trips(x: Decimal) -> None:
    text = format_euro(x)
    assert text.startswith(f"€{NBSP}")
    assert parse_euro(text) == x


@PROPERTY
@given(amounts)
def test_property_plain_dutch_spelling_round_trips(x: Decimal) -> None:
    assert parse_euro(dutch_plain(x, thousands=True)) == x
    assert parse_euro(dutch_plain(x, thousands=False)) == x
    if x == x.to_integral_value():  # whole euros are usually typed without cents: 12.500 and 12500
        assert parse_euro(dutch_plain(x, thousands=True)[:-3]) == x
        assert parse_euro(dutch_plain(x, thousands=False)[:-3]) == x
        assert parse_euro(dutch_plain(x, thousands=True)[:-3] + ",-") == x


@PROPERTY
@given(st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False), st.integers(0, 3))
def test_property_amounts_and_numbers_are_written_as_babel_writes_them(x: Decimal, decimals: int) -> None:
    """format_euro and format_number write the digits themselves; Babel's nl_NL forms are the reference."""
    from babel.numbers import format_currency, format_decimal

    cents = x.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP") + 0
    babel = "".join(ch for ch in format_currency(abs(cents), "EUR", locale="nl_NL") if ch.isdigit() or ch in ".,")
    assert format_euro(x) == f"€{NBSP}{'-' if cents < 0 else ''}{babel}"
    exp = Decimal(1).scaleb(-decimals)
    rounded = x.quantize(exp, rounding="ROUND_HALF_UP") + 0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert format_number(x, decimals) == format_decimal(rounded, format=pattern, locale="nl_NL")


@PROPERTY
@given(amounts)
def test_property_format_number_round_trips(x: Decimal) -> None:
    assert parse_euro(format_number(x, 2)) == x


@PROPERTY
@given(dates)
def test_property_dates_round_trip(d: date) -> None:
    assert parse_date(f"{d.day}-{d.month}-{d.year}") == d
    assert parse_date(f"{d.day:02d}-{d.month:02d}-{d.year}") == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.isoformat()} 00:00:00") == d
    assert parse_date(format_date(d)) == d
    assert parse_date(format_date_short(d)) == d


@PROPERTY
@given(dates)
def test_property_excel_serial_round_trips(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d
    assert parse_date(float(serial)) == d


@PROPERTY
@given(dates)
def test_property_school_year_contains_date(d: date) -> None:
    start, end = school_year_bounds(school_year_of(d))
    assert start <= d <= end
    assert (end - start).days in (364, 365)

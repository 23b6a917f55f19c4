"""Parse Dutch spellings of amounts, numbers, dates and choices; format them the Dutch way (dates and
percentages via Babel; amounts and numbers, whose Dutch form is fixed, directly: tests hold them equal to Babel's)."""
from __future__ import annotations

import errno
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Sequence

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_percent as _babel_format_percent

__all__ = [
    "ParseError",
    "parse_euro",
    "parse_int",
    "parse_date",
    "parse_choice",
    "format_euro",
    "format_number",
    "format_percent",
    "format_date",
    "format_date_short",
    "school_year_of",
    "school_year_bounds",
]

LOCALE = "nl_NL"
NBSP = "\u00a0"
CENT = Decimal("0.01")

MSG_EURO = "verwacht een bedrag, bijvoorbeeld 12.500,00"
MSG_EURO_AMBIGUOUS = (
    "onduidelijk bedrag: gebruik een punt voor duizendtallen en een komma voor centen, "
    "bijvoorbeeld 1.234 of 1,23"
)
MSG_INT = "verwacht een geheel getal, bijvoorbeeld 3"
MSG_DATE = "verwacht een datum, bijvoorbeeld 1-9-2022"
MSG_DATE_INVALID = "deze datum bestaat niet; verwacht een datum zoals 1-9-2022"
MSG_SERIAL = "verwacht een datum, bijvoorbeeld 1-9-2022 (dit getal is geen geldige Excel-datum)"
MSG_YEAR_FORMAT = "een schooljaar schrijft u als 2022-2023"
MSG_YEAR_CONSECUTIVE = "een schooljaar bestaat uit twee opeenvolgende jaren, bijvoorbeeld 2022-2023"


class ParseError(ValueError):
    """A cell value that cannot be read; str(exc) is a short Dutch explanation of what was expected."""

    def __init__(self, explanation: str) -> None:
        super().__init__(explanation)
        self.explanation = explanation

    def __str__(self) -> str:
        return self.explanation


# --------------------------------------------------------------------------- numbers

# Spaces people (and Excel, Word, Babel) put between digit groups.
_SPACES = " \u00a0\u202f\u2009\u2007\t"
_MINUS = "-\u2212\u2012\u2013\u2014"
_CURRENCY_RE = re.compile(r"^(?:€|euro?(?![a-z]))|(?:€|(?<![a-z])euro?)$", re.IGNORECASE)
_NO_CENTS_RE = re.compile(r"[.,][-\u2012\u2013\u2014]{1,2}$")  # 12.500,- and 12.500,--
_CORE_RE = re.compile(r"^(\d[\d., ]*|[.,]\d+)$")
_SPACE_GROUPS_RE = re.compile(r"^(\d{1,3}(?: \d{3})+)(?:[.,](\d+))?$")


def _is_thousands(groups: list[str]) -> bool:
    """True when digit groups split on one separator read as thousands: 1–3 digits (no leading 0), then 3s."""
    first, rest = groups[0], groups[1:]
    return bool(rest) and 1 <= len(first) <= 3 and not first.startswith("0") and all(len(g) == 3 and g.isdigit() for g in rest)


def _number_core(text: str, message: str) -> Decimal:
    """Read an unsigned number written with Dutch (or English) separators, exactly, without rounding."""
    text = " ".join(text.split())  # all kinds of spaces become one regular space
    if not text or not _CORE_RE.match(text):
        raise ParseError(message)
    if " " in text:
        # Space thousands (1 000,00): whatever separator follows is the decimal one.
        m = _SPACE_GROUPS_RE.match(text)
        if not m:
            raise ParseError(message)
        whole, frac = m.group(1).replace(" ", ""), m.group(2) or ""
    elif "." in text and "," in text:
        # Both: the last one is the decimal separator and must occur once; the other groups thousands.
        dec, tho = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        whole, _, frac = text.rpartition(dec)
        if dec in whole or not frac.isdigit() or not _is_thousands(whole.split(tho)):
            raise ParseError(message)
        whole = whole.replace(tho, "")
    elif "." in text or "," in text:
        sep = "." if "." in text else ","
        groups = text.split(sep)
        if len(groups) > 2:
            # 12.500.000 (or English 12,500,000): only valid as thousands.
            if not _is_thousands(groups):
                raise ParseError(message)
            whole, frac = "".join(groups), ""
        else:
            head, tail = groups
            if not tail.isdigit():
                raise ParseError(message)
            if len(tail) == 3 and _is_thousands(groups):
                if sep == ",":
                    # 1,234: a Dutch decimal comma with three decimals or an English 1234? Refuse to guess.
                    raise ParseError(MSG_EURO_AMBIGUOUS if message == MSG_EURO else message)
                whole, frac = head + tail, ""  # 1.500 is fifteen hundred
            else:
                whole, frac = head or "0", tail  # 12.5, 12500,5, 0.500
    else:
        whole, frac = text, ""
    if not whole.isdigit() or (frac and not frac.isdigit()):
        raise ParseError(message)
    return Decimal(f"{whole}.{frac}" if frac else whole)


def _parse_number_text(value: str, message: str, currency: bool) -> Decimal:
    """Strip sign (and currency when allowed) from a typed number and read the rest."""
    text = unicodedata.normalize("NFC", value).strip(_SPACES + "\n\r")
    sign: str | None = None
    for _ in range(5):  # sign and currency may come in either order: -€ 250, € -250, € 250-
        before = text
        if currency:
            text = _CURRENCY_RE.sub("", text, count=1).strip(_SPACES)
        if text[:1] and text[0] in _MINUS + "+":
            found, text = text[0], text[1:].strip(_SPACES)
        elif text[-1:] and text[-1] in _MINUS and not _NO_CENTS_RE.search(text):
            found, text = text[-1], text[:-1].strip(_SPACES)
        else:
            found = None
        if found is not None:
            if sign is not None:
                raise ParseError(message)  # two signs: --250, -250-
            sign = found
        if text == before:
            break
    negative = sign is not None and sign != "+"
    text = _NO_CENTS_RE.sub("", text)
    number = _number_core(text, message)
    return -number if negative else number


def _cents(amount: Decimal, message: str) -> Decimal:
    """Quantize to cents (half up), turning -0.00 into 0.00."""
    try:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP) + 0
    except InvalidOperation:
        raise ParseError(message) from None


def parse_euro(value: object) -> Decimal:
    """Read an amount in euros as Decimal with two decimals (half up).

    Accepts numbers from Excel and text as Dutch people type it: "€ 12.500,00", "€12.500",
    "12.500", "12500", "12500,5", "12.500,-", "EUR 1.000", "1 000,00", "-250,00"; also English
    "1,234.56". Dots only, grouped by three ("1.500", "12.500.000"), are thousands; "12.5" is a
    decimal point. "1,234" is refused as ambiguous.
    """
    if isinstance(value, bool) or value is None:
        raise ParseError(MSG_EURO)
    if isinstance(value, int):
        return _cents(Decimal(value), MSG_EURO)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError(MSG_EURO)
        return _cents(Decimal(str(round(value, 2))), MSG_EURO)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ParseError(MSG_EURO)
        return _cents(value, MSG_EURO)
    if isinstance(value, str):
        return _cents(_parse_number_text(value, MSG_EURO, currency=True), MSG_EURO)
    raise ParseError(MSG_EURO)


MSG_PERCENT = "verwacht een percentage, bijvoorbeeld 40%"


def parse_percent(value: object) -> Decimal:
    """Read a share as a fraction: "40%", "40 %", "40", 40, and 0,4 or 0.4 from a cell formatted as a percentage.

    A bare number above 1 is read as a percentage (40 → 40 %); 1 or less as a fraction (Excel stores 40 % as 0.4)."""
    if isinstance(value, bool) or value is None:
        raise ParseError(MSG_PERCENT)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            v = _parse_number_text(text[:-1].strip(), MSG_PERCENT, currency=False) / 100
        else:
            v = _parse_number_text(text, MSG_PERCENT, currency=False)
            v = v / 100 if v > 1 else v
    elif isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError(MSG_PERCENT)
        v = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        v = v / 100 if v > 1 else v
    else:
        raise ParseError(MSG_PERCENT)
    if v < 0 or v > 1:
        raise ParseError("een aandeel ligt tussen 0% en 100%")
    return v


def parse_int(value: object) -> int:
    """Read a whole number: 3, 3.0, "3", " 3 ", "3,0", "1.000"; anything with a fraction is refused."""
    if isinstance(value, bool) or value is None:
        raise ParseError(MSG_INT)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ParseError(MSG_INT)
        return int(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _parse_number_text(value, MSG_INT, currency=False)
    else:
        raise ParseError(MSG_INT)
    if not number.is_finite() or number != number.to_integral_value():
        raise ParseError(MSG_INT)
    return int(number)


# --------------------------------------------------------------------------- dates

_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]
_MONTH_EXTRA = {"mrt": 3}
_WEEKDAYS = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)\.?,?\s+"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
_ISO_RE = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
_DMY_RE = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$")
_NAMED_RE = re.compile(rf"^(?:{_WEEKDAYS})?(\d{{1,2}})[\s.-]*([a-z]+)\.?[\s.,-]*(\d{{4}}|\d{{2}})$")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX = 2958465  # 9999-12-31


def _month(name: str) -> int | None:
    """Dutch month by full name, 'mrt', or a prefix of at least three letters (jan, sep, sept, okt)."""
    if name in _MONTH_EXTRA:
        return _MONTH_EXTRA[name]
    if len(name) >= 3:
        for i, full in enumerate(_MONTHS, start=1):
            if full.startswith(name):
                return i
    return None


def _year(text: str) -> int:
    """Four digits as is; two digits: 00–69 → 20xx, 70–99 → 19xx."""
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(MSG_DATE_INVALID) from None


def _from_serial(value: float | int | Decimal) -> date:
    """Excel serial date (1900 system, including its phantom 29 February 1900 as serial 60)."""
    try:
        serial = math.floor(value)  # a fraction is the time of day
    except (ValueError, OverflowError, InvalidOperation):
        raise ParseError(MSG_SERIAL) from None
    if not 1 <= serial <= _EXCEL_MAX or serial == 60:
        raise ParseError(MSG_SERIAL)
    if serial < 60:
        return date(1899, 12, 31) + timedelta(days=serial)
    return _EXCEL_EPOCH + timedelta(days=serial)


def parse_date(value: object) -> date:
    """Read a date: a date/datetime, an Excel serial number, or text such as "1-9-2022",
    "01-09-2022", "1/9/2022", "1.9.2022", "1-9-22", "2022-09-01", "2022-09-01 00:00:00",
    "1 september 2022", "1 sep 2022", "1 sept. 2022" (case-insensitive). Always day before month.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or value is None:
        raise ParseError(MSG_DATE)
    if isinstance(value, (int, float, Decimal)):
        return _from_serial(value)
    if not isinstance(value, str):
        raise ParseError(MSG_DATE)
    text = " ".join(value.split()).lower()
    if m := _ISO_RE.match(text):
        return _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    if m := _DMY_RE.match(text):
        return _make_date(_year(m.group(4)), int(m.group(3)), int(m.group(1)))
    if (m := _NAMED_RE.match(text)) and (month := _month(m.group(2))):
        return _make_date(_year(m.group(3)), month, int(m.group(1)))
    raise ParseError(MSG_DATE)


# --------------------------------------------------------------------------- choices

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032"})
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


@lru_cache(maxsize=8192)  # the same options and answers recur in every workbook
def _choice_key(text: str) -> str:
    """Case-, width-, whitespace-, apostrophe- and dash-insensitive key."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).translate(_DASHES)
    return "".join(text.casefold().split())


def _loose_key(text: str) -> str:
    """Only letters and digits: 'nvt', 'n.v.t' and 'N.V.T.' all become 'nvt'."""
    return "".join(ch for ch in _choice_key(text) if ch.isalnum())


def _candidates(value: object) -> list[str]:
    """The texts a cell value may stand for: numbers as Excel shows them (3.0 → '3', 2.5 → '2.5'/'2,5')."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return []
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return []
        if number == number.to_integral_value():
            return [str(int(number))]
        plain = format(number.normalize(), "f")
        return [plain, plain.replace(".", ",")]
    return []


def _options_text(options: Sequence[str]) -> str:
    opts = list(options)
    if not opts:
        return "er zijn geen keuzes beschikbaar"
    if len(opts) == 1:
        return f"kies {opts[0]}"
    return "kies uit: " + ", ".join(opts[:-1]) + " of " + opts[-1]


def parse_choice(value: object, options: Sequence[str]) -> str:
    """Match a cell against a list of options and return the canonical option.

    Case, spaces, typographic apostrophes and dashes do not matter ('JA ' → 'Ja'); when that
    finds nothing, punctuation is ignored too provided exactly one option fits ('nvt' → 'N.v.t.').
    Numbers match as Excel shows them (3.0 → '3'). Booleans (TRUE/FALSE) are not read as Ja/Nee.
    """
    texts = [t for t in _candidates(value) if t.strip()]
    for key_of in (_choice_key, _loose_key):
        by_key: dict[str, list[str]] = {}
        for option in options:
            by_key.setdefault(key_of(option), []).append(option)
        for text in texts:
            hits = by_key.get(key_of(text), [])
            if len(set(hits)) == 1:
                return hits[0]
    raise ParseError(_options_text(options))


# --------------------------------------------------------------------------- formatting


def _to_decimal(value: Decimal | int | float) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


_DUTCH_SEPARATORS = str.maketrans(",.", ".,")


def _grouped(value: Decimal, decimals: int) -> str:
    """A quantized Decimal with "." thousands and "," decimals: Decimal("-1234.5") → "-1.234,50".
    Python formats a Decimal exactly (no float on the way)."""
    return f"{value:,.{decimals}f}".translate(_DUTCH_SEPARATORS)


def format_euro(amount: Decimal | int | float) -> str:
    """Dutch amount in euros, rounded half up to cents.

    Exactly: "€" + U+00A0 (non-breaking space) + optional "-" + digits with "." thousands and
    "," decimals, e.g. format_euro(Decimal("1234.56")) == "€\\u00a01.234,56" and
    format_euro(Decimal("-1234.56")) == "€\\u00a0-1.234,56"; zero is "€\\u00a00,00" (never "-0,00").
    The digits are Babel's for nl_NL (tested); written directly, as reports format ten thousand amounts.
    """
    value = _to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP) + 0
    return f"€{NBSP}{'-' if value < 0 else ''}{_grouped(abs(value), 2)}"


def format_number(n: Decimal | int | float, decimals: int = 0) -> str:
    """Dutch number with "." thousands and exactly `decimals` decimals after ",": 12500 → "12.500"."""
    exp = Decimal(1).scaleb(-decimals)
    value = _to_decimal(n).quantize(exp, rounding=ROUND_HALF_UP) + 0
    return _grouped(value, max(decimals, 0))


def plural(n: int, one: str, many: str) -> str:
    """A count with its noun: '1 fout', '2 fouten', '1.250 bestanden'. The one plural helper of every text a user reads."""
    return f"{format_number(n)} {one if n == 1 else many}"


def agree(n: int, one: str, many: str) -> str:
    """The word alone that agrees with a count: agree(n, 'staat', 'staan')."""
    return one if n == 1 else many


@lru_cache(maxsize=65536, typed=True)  # Babel is slow; reports format the same values again and again
def format_percent(fraction: Decimal | int | float) -> str:
    """A fraction as a Dutch percentage with one decimal, rounded half up: 0.425 → "42,5%"."""
    value = _to_decimal(fraction).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) + 0
    return _babel_format_percent(value, format="#,##0.0%", locale=LOCALE)


@lru_cache(maxsize=65536, typed=True)  # Babel is slow; reports format the same values again and again
def format_date(d: date) -> str:
    """Long Dutch date: date(2022, 9, 1) → "1 september 2022"."""
    if isinstance(d, datetime):
        d = d.date()
    return _babel_format_date(d, "d MMMM y", locale=LOCALE)


def format_date_short(d: date) -> str:
    """Short Dutch date: date(2022, 9, 1) → "01-09-2022"."""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


# --------------------------------------------------------------------------- school years

_SCHOOL_YEAR_RE = re.compile(r"^(\d{4})\s*[-/\u2013\u2014]\s*(\d{4}|\d{2})$")


def school_year_of(d: date) -> str:
    """The school year (1 August – 31 July) a date falls in: date(2022, 9, 1) → "2022-2023"."""
    start = d.year if d.month >= 8 else d.year - 1
    return f"{start}-{start + 1}"


def school_year_bounds(s: str) -> tuple[date, date]:
    """First and last day of a school year: "2022-2023" → (date(2022, 8, 1), date(2023, 7, 31)).

    Also accepts "2022/2023", "2022 – 2023" and "2022-23"; the years must be consecutive.
    """
    m = _SCHOOL_YEAR_RE.match(" ".join(str(s).split()))
    if not m:
        raise ParseError(MSG_YEAR_FORMAT)
    start, end_text = int(m.group(1)), m.group(2)
    end = start // 100 * 100 + int(end_text) if len(end_text) == 2 else int(end_text)
    if len(end_text) == 2 and end <= start:
        end += 100  # 1999-00
    if end != start + 1 or not 1 <= start < 9999:
        raise ParseError(MSG_YEAR_CONSECUTIVE)
    return date(start, 8, 1), date(end, 7, 31)


# The operating system's reasons in Dutch (POSIX errno names; Windows maps its errors onto the same numbers).
OS_REASONS = {
    "EACCES": "geen toestemming om hier te schrijven of te lezen (rechten)",
    "EPERM": "niet toegestaan (rechten, of het bestand is vergrendeld)",
    "ENOENT": "bestaat niet",
    "ENOSPC": "de schijf is vol",
    "EDQUOT": "de schijfruimte die u mag gebruiken is op",
    "EROFS": "de schijf is alleen-lezen",
    "EISDIR": "is een map, geen bestand",
    "ENOTDIR": "een deel van het pad is geen map",
    "EEXIST": "bestaat al",
    "EBUSY": "is in gebruik",
    "ETXTBSY": "is in gebruik",
    "ENAMETOOLONG": "de naam of het pad is te lang",
    "EMFILE": "te veel bestanden tegelijk open",
    "ENFILE": "te veel bestanden tegelijk open",
    "EIO": "lees- of schrijffout van de schijf",
    "EXDEV": "kan niet naar een andere schijf worden verplaatst",
    "ENOTEMPTY": "de map is niet leeg",
    "ELOOP": "te veel symbolische koppelingen in het pad",
    "EINVAL": "ongeldige naam of bewerking",
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in Dutch ('Operation not permitted' → 'niet toegestaan (…)')."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name in OS_REASONS:
        return OS_REASONS[name]
    return f"systeemfout {name or type(exc).__name__}" + (f" ({exc.strerror})" if exc.strerror else "")

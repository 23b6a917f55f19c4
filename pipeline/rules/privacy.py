"""V3: recognise pupil data in free text (BSN by the elfproef, e-mail addresses) and redact it."""
from __future__ import annotations

import re

BSN_CANDIDATE = re.compile(r"(?<![\d.])(\d{4}[.\s]?\d{2}[.\s]?\d{3}|\d{9})(?![\d])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[verwijderd: mogelijk leerlinggegevens]"
# Every BSN candidate starts with four digits and every e-mail address holds "@": a text with neither (names,
# choices, most free text) is passed without the two searches. Checked against them in tests/test_privacy.py.
_MAYBE = re.compile(r"\d{4}|@")


def elfproef(digits: str) -> bool:
    """The BSN eleven test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def _bsns(text: str) -> list[re.Match]:
    return [m for m in BSN_CANDIDATE.finditer(text) if elfproef(re.sub(r"\D", "", m.group(1)))]


def detect(text: str) -> set[str]:
    kinds: set[str] = set()
    if not _MAYBE.search(text):
        return kinds
    if _bsns(text):
        kinds.add("bsn")
    if EMAIL.search(text):
        kinds.add("email")
    return kinds


def redact(text: str) -> str:
    """The text with every BSN-like number and e-mail address replaced, for reports."""
    if not text or not _MAYBE.search(text):
        return text
    for m in reversed(_bsns(text)):
        text = text[: m.start(1)] + REDACTED + text[m.end(1):]
    return EMAIL.sub(REDACTED, text)

"""V3's quick pass: a text without four digits in a row or an "@" cannot hold a BSN or an e-mail address."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.rules import privacy

# digits, the separators a BSN may be written with, the parts of an e-mail address, and other letters
texts = st.text(alphabet=st.sampled_from(list("0123456789. \t@-_+abcXYZé\u00a0")), max_size=40)


def full_detect(text: str) -> set[str]:
    """detect without the quick pass."""
    kinds = set()
    if privacy._bsns(text):
        kinds.add("bsn")
    if privacy.EMAIL.search(text):
        kinds.add("email")
    return kinds


def full_redact(text: str) -> str:
    for m in reversed(privacy._bsns(text)):
        text = text[: m.start(1)] + privacy.REDACTED + text[m.end(1):]
    return privacy.EMAIL.sub(privacy.REDACTED, text)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_the_quick_pass_changes_no_result(text: str) -> None:
    assert privacy.detect(text) == full_detect(text)
    assert privacy.redact(text) == full_redact(text)


def test_the_quick_pass_lets_through_what_it_must() -> None:
    assert privacy.detect("1112 22 333") == {"bsn"} and privacy.detect("a@b.nl") == {"email"}
    assert privacy.detect("leerling 1234 56 782") == {"bsn"} and privacy.detect("1234.56.782") == {"bsn"}
    assert privacy.detect("Stichting De Brug, groep 7") == set()

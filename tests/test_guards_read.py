"""Guards for the figures the readers make (issue 28): percentages, scores, BRINs, the zip-bomb ratio.

Each test names the small bug it catches; expected values are written by hand. No pytest fixtures but
monkeypatch, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import random
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from badfiles import _members, workbook_bytes
from builders import write_workbook
from pipeline import dutch, spec
from pipeline.read import board as config
from pipeline.read import safety
from pipeline.read import workbook as reader

MiB = 1024 * 1024


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="guards-read-"))


# --------------------------------------------------------------------------- dutch.parse_percent


@pytest.mark.parametrize("raw, expected", [
    (1, Decimal("1")), (1.0, Decimal("1")), (Decimal("1"), Decimal("1")),  # a cell formatted as % holding 100 %
    (0.4, Decimal("0.4")), (40, Decimal("0.4")), ("1", Decimal("1")), ("100%", Decimal("1")), ("1%", Decimal("0.01")),
    (2, Decimal("0.02")), ("0,5", Decimal("0.5")), (100, Decimal("1")),
])
def test_percentage_cell_1_is_100_percent(raw, expected):
    """Bug: a numeric cell 1 (Excel's 100 %) read as 1 % (the bovenschools share of a school)."""
    assert dutch.parse_percent(raw) == expected


@pytest.mark.parametrize("raw", [101, "101%", -0.1, "-5%"])
def test_percentage_above_100_or_below_0_is_refused(raw):
    with pytest.raises(dutch.ParseError):
        dutch.parse_percent(raw)


# --------------------------------------------------------------------------- the evaluation score


@pytest.mark.parametrize("score, accepted", [(0, False), (1, True), (5, True), (6, False)])
def test_evaluation_score_1_to_5_inclusive(score, accepted):
    """Bug: score 5 (and 1) refused as W4."""
    res = reader.read(write_workbook(_tmp() / "a.xlsx", {"oordeel_samenwerking": score}))
    w4 = [f for f in res.findings if f.rule == "W4"]
    if accepted:
        assert res.hire.get("oordeel_samenwerking") == score and w4 == []
    else:
        assert res.hire.get("oordeel_samenwerking") is None
        assert [f.cell for f in w4] == [spec.load().fields["oordeel_samenwerking"].cell]


# --------------------------------------------------------------------------- bestuur.xlsx: the Scholen sheet


def test_brin_on_the_scholen_and_leerlingen_sheets_is_upper_cased():
    """Bug: BRIN '12ab' typed on Scholen kept in lower case: it never meets the workbooks' 12AB."""
    path = _tmp() / config.FILE_NAME
    board = config.Board(schools={"12ab": config.School(" 12ab ", "De Regenboog", "bo", "info@regenboog.example")},
                         pupils=[config.Pupils("12ab", "2022-2023", 100, Decimal("0"), 0)])
    loaded, problems = config.load(config.write(path, board))
    assert problems == []
    assert list(loaded.schools) == ["12AB"] and loaded.schools["12AB"].brin == "12AB"
    assert loaded.schools["12AB"].name == "De Regenboog"
    assert [p.brin for p in loaded.pupils] == ["12AB"]


# --------------------------------------------------------------------------- safety: the compression ratio


def _sheet_with_comment(filler: bytes) -> bytes:
    """The minimal workbook's sheet1.xml with an XML comment of `filler` in front of the root: still valid XML."""
    sheet = dict(_members(workbook_bytes()))["xl/worksheets/sheet1.xml"]
    head, sep, rest = sheet.partition(b"?>")
    return head + sep + b"<!--" + filler + b"-->" + rest if sep else b"<!--" + filler + b"-->" + sheet


def _workbook_with_sheet(path: Path, sheet: bytes) -> tuple[Path, float]:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _members(workbook_bytes()):
            zf.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else data)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        return path, info.file_size / info.compress_size


def _filler(size: int, every: int) -> bytes:
    """`size` letters, one random letter in every `every`: compresses about as well as `every` says."""
    rnd = random.Random(28)
    out = bytearray(b"a" * size)
    for i in range(0, size, every):
        out[i] = rnd.choice(b"bcdefghijklmnopqrstuvwxyz")
    return bytes(out)


def test_an_entry_compressed_beyond_the_ratio_limit_is_a_zip_bomb():
    """Bug: the compression-ratio limit (100) ×10: a 2 MiB entry that inflates 200 to 900 times gets further."""
    path, ratio = _workbook_with_sheet(_tmp() / "bom.xlsx", _sheet_with_comment(_filler(2 * MiB, 4096)))
    assert 150 < ratio < 900, ratio  # the test's own premise: over the limit, under ten times the limit
    assert safety.Limits().max_ratio == 100.0
    result = safety.inspect(path)
    assert (result.ok, result.kind) == (False, "zip-bomb")


def test_an_entry_compressed_below_the_ratio_limit_is_accepted():
    path, ratio = _workbook_with_sheet(_tmp() / "gewoon.xlsx", _sheet_with_comment(_filler(2 * MiB, 16)))
    assert 2 < ratio < 80, ratio
    result = safety.inspect(path)
    assert (result.ok, result.kind) == (True, "xlsx")

"""Pre-open safety checks: every bad file gets its kind, foreign files never break inspect."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.read.safety import KINDS, Inspection, Limits, inspect, is_workbook_candidate

try:
    from tests import badfiles
except ImportError:  # pytest's default import mode puts tests/ itself on sys.path
    import badfiles

FOREIGN = Path(__file__).resolve().parents[1].parent / "shared" / "foreign-spreadsheets"
SECONDS = 5.0  # generous: the slowest real check (the CRC pass over a 200 MB limit) takes under a second


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("badfiles")
    return {name: write(folder) for name, write in badfiles.WRITERS.items()}


@pytest.mark.parametrize("case", list(badfiles.WRITERS))
def test_bad_file_gets_its_kind(written, case):
    path, expected = written[case]
    started = time.perf_counter()
    result = inspect(path)
    assert time.perf_counter() - started < SECONDS
    assert (result.kind, result.ok) == (expected, expected == "xlsx")
    assert result.kind in KINDS
    assert bool(result.reason) == (not result.ok)


def test_write_all_covers_every_writer(tmp_path):
    cases = badfiles.write_all(tmp_path)
    assert len(cases) == len(badfiles.WRITERS)
    assert all(path.exists() for path, _ in cases)
    assert {kind for _, kind in cases} == set(KINDS)


def test_zip_bomb_generation_and_inspection_are_quick(tmp_path):
    started = time.perf_counter()
    path, _ = badfiles.zip_bomb(tmp_path)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert inspect(path).kind == "zip-bomb"
    assert time.perf_counter() - started < SECONDS


def test_limits_are_honoured(written):
    path, _ = written["valid_workbook"]
    assert inspect(path, Limits(max_file_bytes=100)).kind == "too-large"
    assert inspect(path, Limits(max_entries=3)).kind == "zip-bomb"
    assert inspect(path, Limits(max_total_uncompressed=1000)).kind == "zip-bomb"
    assert inspect(path, Limits(max_entry_uncompressed=100)).kind == "zip-bomb"


def test_path_that_is_not_a_file(tmp_path):
    assert inspect(tmp_path).kind == "not-spreadsheet"
    assert inspect(tmp_path / "bestaat-niet.xlsx").kind == "not-spreadsheet"
    assert inspect(str(tmp_path / "bestaat-niet.xlsx")).ok is False


@pytest.mark.parametrize(
    "name, expected",
    [
        ("werkboek.xlsx", True),
        ("WERKBOEK.XLSX", True),
        ("map/inhuur 2023.Xlsx", True),
        ("~$werkboek.xlsx", False),
        (".~lock.werkboek.xlsx#", False),
        ("werkboek.xls", False),
        ("werkboek.xlsm", False),
        ("werkboek.xlsx.pdf", False),
        ("werkboek", False),
    ],
)
def test_is_workbook_candidate(name, expected):
    assert is_workbook_candidate(Path(name)) is expected
    assert is_workbook_candidate(name) is expected


def _inspect_bytes(data: bytes) -> Inspection:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "werkboek.xlsx"
        path.write_bytes(data)
        return inspect(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_raise(data):
    result = _inspect_bytes(data)
    assert result.kind in KINDS
    assert not result.ok


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_workbooks_never_raise(data):
    original = bytearray(_VALID)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(original)))
    assert _inspect_bytes(bytes(original[:cut])).kind in KINDS


_VALID = badfiles.workbook_bytes()


def _foreign_files() -> list:
    if not FOREIGN.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{FOREIGN} is absent"))]
    return [pytest.param(p, id=p.name) for p in sorted(FOREIGN.iterdir()) if p.is_file()]


@pytest.mark.parametrize("path", _foreign_files())
def test_foreign_file_is_inspected_safely(path):
    started = time.perf_counter()
    result = inspect(path)
    assert time.perf_counter() - started < SECONDS
    assert result.kind in KINDS
    if path.suffix.lower() != ".xlsx":
        assert not result.ok


def test_local_header_that_disagrees_with_the_directory_is_refused():
    """The one-pass inflater checks what zipfile's reader checks: the entry's own header and name."""
    data = bytearray(_VALID)
    at = data.find(b"PK\x03\x04")
    name_at = at + 30
    data[name_at] = ord("X") if data[name_at] != ord("X") else ord("Y")  # the first entry's name in its local header
    result = _inspect_bytes(bytes(data))
    assert not result.ok and result.kind == "corrupt-zip"


def test_accepted_package_keeps_its_structure_parts():
    result = _inspect_bytes(_VALID)
    assert result.ok
    assert "xl/workbook.xml" in result.names and "xl/workbook.xml" in result.parts
    assert all(name.endswith(".rels") or name == "xl/workbook.xml" or name.startswith("xl/tables/") for name in result.parts)

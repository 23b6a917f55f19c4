"""Pre-open safety checks: every bad file gets its kind, foreign files never break inspect."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conftest
from conftest import find_foreign_corpus, foreign_corpus, need_foreign_corpus
from pipeline.read.safety import KINDS, Inspection, Limits, inspect, is_workbook_candidate

try:
    from tests import badfiles
except ImportError:  # pytest's default import mode puts tests/ itself on sys.path
    import badfiles

FOREIGN = find_foreign_corpus()
MiB = badfiles.MiB
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


def _declaring(path: Path, sizes: list[tuple[int, int]]) -> Path:
    """A zip whose central directory declares entries of these (uncompressed, compressed) sizes; the data is empty,
    so only the declared sizes can make it a zip bomb (the sizes are checked before anything is inflated)."""
    return badfiles._raw_zip(path, [dict(name=f"xl/media/{i}.bin", data=b"", method=8, crc=0, compress_size=c, file_size=u)
                                    for i, (u, c) in enumerate(sizes)])


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(size)
    return path


@pytest.mark.parametrize("limit, at_limit, over_limit, kind", [
    ("file size 20 MiB", lambda p: _sparse(p, 20 * MiB), lambda p: _sparse(p, 20 * MiB + 1), "too-large"),
    ("total uncompressed 200 MiB", lambda p: _declaring(p, [(50 * MiB, 50 * MiB)] * 4),
     lambda p: _declaring(p, [(50 * MiB, 50 * MiB)] * 4 + [(1, 1)]), "zip-bomb"),
    ("one entry 100 MiB", lambda p: _declaring(p, [(100 * MiB, 100 * MiB)]),
     lambda p: _declaring(p, [(100 * MiB + 1, 100 * MiB + 1)]), "zip-bomb"),
    ("compression ratio 100", lambda p: _declaring(p, [(100 * 20_000, 20_000)]),
     lambda p: _declaring(p, [(100 * 20_000, 19_999)]), "zip-bomb"),
    ("ratio only above 1 MiB", lambda p: _declaring(p, [(MiB, 1)]), lambda p: _declaring(p, [(MiB + 1, 1)]), "zip-bomb"),
    ("2000 entries", lambda p: _declaring(p, [(1, 1)] * 2000), lambda p: _declaring(p, [(1, 1)] * 2001), "zip-bomb"),
])
def test_default_limits(tmp_path, limit, at_limit, over_limit, kind):
    """inspect() without limits: a file exactly at each default limit passes that check, one unit over it is refused."""
    assert inspect(at_limit(tmp_path / "op-de-grens.xlsx")).kind not in ("too-large", "zip-bomb")
    assert inspect(over_limit(tmp_path / "erover.xlsx")).kind == kind


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
    if FOREIGN is None:
        return [pytest.param(None, id="corpus-ontbreekt")]
    return [pytest.param(p, id=p.name) for p in sorted(FOREIGN.iterdir()) if p.is_file()]


@pytest.mark.parametrize("path", _foreign_files())
def test_foreign_file_is_inspected_safely(path):
    if path is None:
        need_foreign_corpus()  # skips on a machine without the corpus, fails in CI
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


# --------------------------------------------------------------------------- where the tests find the foreign corpus


def test_the_corpus_is_found_in_a_folder_above_the_checkout(tmp_path, monkeypatch):
    """CI clones into some folder with a copy of shared/ beside (or above) it."""
    corpus = tmp_path / "shared" / "foreign-spreadsheets"
    corpus.mkdir(parents=True)
    monkeypatch.delenv(conftest.FOREIGN_ENV, raising=False)
    monkeypatch.setattr(conftest, "REPO", tmp_path / "ci" / "build" / "checkout")
    assert find_foreign_corpus() == corpus
    monkeypatch.setattr(conftest, "REPO", tmp_path.parent / "elders" / "checkout")
    assert find_foreign_corpus() != corpus


def test_the_corpus_named_by_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(conftest.FOREIGN_ENV, str(tmp_path))
    assert find_foreign_corpus() == tmp_path
    monkeypatch.setenv(conftest.FOREIGN_ENV, str(tmp_path / "bestaat-niet"))
    assert find_foreign_corpus() is None


def test_a_missing_corpus_fails_in_ci_and_skips_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv(conftest.FOREIGN_ENV, str(tmp_path / "bestaat-niet"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        need_foreign_corpus()
    with pytest.raises(pytest.fail.Exception):
        foreign_corpus()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        need_foreign_corpus()
    assert foreign_corpus() is None

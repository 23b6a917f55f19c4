"""Generated file names obey Windows' rules and stay apart where case does not count (Windows, macOS)."""
from __future__ import annotations

import errno
import re
from pathlib import PurePosixPath
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import names, publish

HOSTILE = ["CON", "aux", "Nul.docx", "com1", "LPT9 B.V.", "Jansen B.V.", "Jansen B.V. ", "...", "   ", "", "a/b\\c",
           '"Quote" <Tag> | pipe? star*', "tab\there", "nieuwe\nregel", "\x00nul\x07", "Zürich & Zoon", "ÉCOLE",
           "..\\..\\Windows\\system32", "C:\\boot.ini", "x" * 400, "Zorg : Welzijn.", "\u202egnp.exe", "COM¹"]


def windows_refuses(name: str) -> list[str]:
    """Why Windows would refuse or alter `name` (Microsoft, Naming Files, Paths, and Namespaces)."""
    why = []
    if not name:
        why.append("leeg")
    if re.search(r'[<>:"/\\|?*\x00-\x1f]', name):
        why.append("verboden teken")
    if name != name.rstrip(" ."):
        why.append("eindigt op punt of spatie")
    stem = name.split(".")[0].rstrip(" ").upper()
    if stem in {"CON", "PRN", "AUX", "NUL"} or re.fullmatch(r"(COM|LPT)[1-9¹²³]", stem):
        why.append("gereserveerde naam")
    if len(name) > names.MAX_NAME:
        why.append("te lang")
    return why


@pytest.mark.parametrize("supplier", HOSTILE)
def test_names_from_hostile_supplier_names_obey_windows_rules(supplier):
    for made in (names.safe_name(supplier), names.safe_name(f"{supplier}.xlsx"),
                 names.safe_name(f"2024-2025-3 {supplier} (vooraf ingevuld).xlsx"), names.safe_name(f"onbekend-{supplier}.eml")):
        assert windows_refuses(made) == [], (supplier, made)
        assert "/" not in made and "\\" not in made


def test_a_suffix_survives_shortening_and_reserved_names_are_prefixed():
    assert names.safe_name("x" * 400 + ".docx").endswith(".docx")
    assert len(names.safe_name("x" * 400 + ".docx")) == names.MAX_NAME
    assert names.safe_name("con.xlsx") == "_con.xlsx"
    assert names.safe_name("Concept.xlsx") == "Concept.xlsx"  # only the device name itself is reserved


@given(st.text(max_size=300))
def test_any_text_gives_a_name_windows_accepts(text):
    assert windows_refuses(names.safe_name(text)) == []


@given(st.lists(st.text(alphabet="abAB./ ", min_size=1, max_size=6), max_size=20))
def test_unique_names_differ_without_regard_to_case(given_names):
    made = names.unique_names(given_names)
    assert len(made) == len(given_names)
    assert len({m.casefold() for m in made}) == len(made)
    assert [m for m, g in zip(made, given_names) if m == g] == [g for g, m in zip(given_names, made) if m == g]


def test_the_first_of_two_names_keeps_its_name():
    assert names.unique_names(["12AB/a.xlsx", "12AB/A.xlsx", "12ab/b.xlsx"]) == ["12AB/a.xlsx", "12AB/A (2).xlsx", "12ab/b.xlsx"]


def test_12ab_and_12AB_are_one_school():
    assert names.school_folder("12ab/x.xlsx") == names.school_folder("12AB/y.xlsx") == "12AB"
    assert names.school_folder("x.xlsx") == ""
    f = SimpleNamespace(file="12ab/2022-2023-1 tutoring.xlsx", hire=None)
    assert publish.school_of(f) == "12AB"


def test_marked_copies_of_two_folders_that_differ_in_case_stay_apart():
    hire = {"brin": "12AB"}
    files = [SimpleNamespace(file="12AB/Werkboek.xlsx", hire=hire), SimpleNamespace(file="12ab/werkboek.xlsx", hire=hire),
             SimpleNamespace(file="14CD/aux.xlsx", hire={"brin": "14cd"}), SimpleNamespace(file="99ZZ/x.xlsx", hire=None),
             SimpleNamespace(file="17EF/y.xlsx", hire={"brin": 'a:b"'})]
    paths = publish.feedback_paths(SimpleNamespace(files=files))
    assert set(paths) == {"12AB/Werkboek.xlsx", "12ab/werkboek.xlsx", "14CD/aux.xlsx", "17EF/y.xlsx"}
    rels = [p.as_posix() for p in paths.values()]
    assert len({r.casefold() for r in rels}) == len(rels)
    assert paths["14CD/aux.xlsx"].as_posix() == "terugkoppeling/14CD/_aux.xlsx"
    for p in paths.values():
        assert all(windows_refuses(part) == [] for part in PurePosixPath(p).parts)


def test_an_output_path_too_long_for_windows_is_refused_before_anything_is_made(monkeypatch, tmp_path):
    staging = tmp_path / ".outputs-staging-x"
    short = [PurePosixPath("terugkoppeling/12AB/werkboek.xlsx")]
    monkeypatch.setattr(names, "WINDOWS", True)
    publish.check_path_lengths(staging, short)
    deep = tmp_path / ("map" * 80) / ".outputs-staging-x"
    with pytest.raises(OSError) as caught:
        publish.check_path_lengths(deep, short)
    assert caught.value.errno == errno.ENAMETOOLONG and len(caught.value.filename) > names.MAX_PATH
    monkeypatch.setattr(names, "WINDOWS", False)  # elsewhere paths of thousands of characters are fine
    publish.check_path_lengths(deep, short)
    assert names.longest_over(["a" * 10, "b" * 300]) == "b" * 300 and names.longest_over(["a"]) is None

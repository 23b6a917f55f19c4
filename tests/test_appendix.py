"""Bijlage A of the jaarverslag: the files behind the year's figures, and every input file in some year."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest

from pipeline import run
from pipeline.model import READ, SUPERSEDED
from pipeline.render import context, jaarverslag
from tests.builders import write_workbook
from tools import demo

TODAY = date(2025, 11, 1)


def amount(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace(".", "").replace(",", ".").strip() or "0")


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("bijlage") / "inputs"
    demo.generate(inputs)
    return inputs, run.run(inputs, workers=1, today=TODAY)


def test_each_year_lists_its_own_workbooks_and_every_file_stands_in_some_year(demo_data):
    _, data = demo_data
    listed: set[str] = set()
    for year in context.calendar_years(data):
        ctx = jaarverslag.jaarverslag_context(data, year)
        rows = {r["file"]: r for r in ctx["bestanden"]}
        own = {h.file for h in jaarverslag.hires_in_year(data, year)}
        read = {f for f, r in rows.items() if r["status"] == READ}
        assert read == own, year
        # not read at all (rejected, skipped): shown in every year, never in none
        assert {f.file for f in data.files if f.status not in (READ, SUPERSEDED)} <= set(rows)
        # the column adds up to the year's total
        assert sum(amount(r["incl"]) for r in rows.values() if r["incl"] != "–") == amount(ctx["totaal"]["incl"])
        listed |= set(rows)
    assert listed == {f.file for f in data.files}


def test_a_workbook_of_another_year_leaves_a_closed_year_alone(tmp_path, demo_data):
    source, data = demo_data
    inputs = tmp_path / "inputs"
    shutil.copytree(source, inputs)
    before = {y: jaarverslag.jaarverslag_context(data, y) for y in context.calendar_years(data)}
    write_workbook(inputs / "12AB" / "2025-nieuw.xlsx",
                   {"volgnummer": 77, "schooljaar": "2025-2026", "startdatum": date(2025, 9, 1), "einddatum": date(2025, 10, 31),
                    # a supplier of its own: A2 adds up a supplier's hires over the years, and rightly changes them
                    "leverancier_naam": "Nieuw Bureau B.V.", "leverancier_kvk": "89898989"},
                   {"tblFacturen": [["F-77", date(2025, 10, 31), 1000, 210, "oktober"]]})
    after_data = run.run(inputs, workers=1, today=TODAY)
    new = "12AB/2025-nieuw.xlsx"
    assert new in {f.file for f in after_data.files if f.status == READ}
    for year, ctx in before.items():
        after = jaarverslag.jaarverslag_context(after_data, year)
        if year < 2025:
            assert after == ctx, year
        else:
            assert new in {r["file"] for r in after["bestanden"]}


def test_a_hire_without_period_or_dated_invoice_is_listed_in_every_year(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx", {"volgnummer": 1}, {"tblFacturen": [["F-1", date(2023, 3, 1), 1000, 210, "a"]]})
    write_workbook(inputs / "12AB" / "b.xlsx", {"volgnummer": 2}, {"tblFacturen": []}, unset=("startdatum", "einddatum"))
    data = run.run(inputs, workers=1, today=TODAY)
    years = context.calendar_years(data)
    assert years
    for year in years:
        assert "12AB/b.xlsx" in {r["file"] for r in jaarverslag.jaarverslag_context(data, year)["bestanden"]}


def test_a_late_workbook_of_an_early_year_changes_later_reports_but_not_their_appendices(tmp_path, demo_data):
    # the cumulative position of every later year moves; its appendix document (files, allocations, results) must not,
    # so the appendices of later years are neither rendered nor converted to PDF again
    source, data = demo_data
    inputs = tmp_path / "inputs"
    shutil.copytree(source, inputs)
    years = context.calendar_years(data)
    before = {y: jaarverslag.split(jaarverslag.jaarverslag_context(data, y)) for y in years}
    write_workbook(inputs / "12AB" / "laat.xlsx",
                   {"volgnummer": 78, "schooljaar": "2021-2022", "startdatum": date(2021, 9, 1), "einddatum": date(2021, 10, 31),
                    "leverancier_naam": "Laat Bureau B.V.", "leverancier_kvk": "89898988"},
                   {"tblFacturen": [["F-78", date(2021, 10, 31), 1000, 210, "oktober"]]})
    after_data = run.run(inputs, workers=1, today=TODAY)
    assert "12AB/laat.xlsx" in {f.file for f in after_data.files if f.status == READ}
    for year in years:
        report, appendix = jaarverslag.split(jaarverslag.jaarverslag_context(after_data, year))
        if year == 2021:
            assert "12AB/laat.xlsx" in {r["file"] for r in appendix["bestanden"]}
            continue
        assert appendix == before[year][1], year
        assert report["cumulatief_totaal"] != before[year][0]["cumulatief_totaal"], year

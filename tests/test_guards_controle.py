"""The live checks of the workbook (tab Controle) at every boundary of their Python rule, computed by LibreOffice.

One day or one cent on either side of: MR advice on the signing day (S1), the order of dates (S2), the EU
threshold and the change of threshold period (A1), exactly 48 months (Aanbestedingswet 2012 art. 2.15) and the
monthly value × 48, the invoiced total against the contract value (A4); the threshold of every period and outside
them, the value taken from the invoices, amounts of millions, choices with invisible characters around them, "Deels"
without an explanation (Q3), the last table row the formulas read (A4, V1). Each filling says by hand whether the
rule is open; the formulas (evaluated by LibreOffice Calc) and the pipeline must both say the same, and an open
row's message must be the pipeline's word for word (its amounts and dates). This
replaces the byte snapshots as the test that notices a boundary moved in a Controle formula (issue 29 point 7).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from builders import filled_values, good_answers, good_tables
from conftest import need_soffice, need_uno_python
from controle_support import cells_of, controle_rows, covered, live_messages, open_rules, pipeline_findings, run_libreoffice
from pipeline.render import controle
from pipeline.render import workbook as template

SIGNED = date(2022, 7, 15)  # the baseline's contract_getekend and quote date; start 1-9-2022, end 30-6-2023
INVOICES = [["F-1", date(2022, 12, 31), 10000, 2100, "najaar"], ["F-2", date(2023, 6, 30), 10000, 2100, "voorjaar"]]
UNDER_EU = {"procedure": "Meervoudig onderhands"}


def _quote(day: date, amount: float = 20000) -> dict:
    return {"tblOffertes": [["Bijlesbureau Slim Verder B.V.", "80012345", amount, day, "Ja"]]}


def _at_row(rows: list[list], row: int, extra: list) -> list[list]:
    """`rows` from the table's first row (5 on these sheets) and `extra` on sheet row `row`, empty rows between."""
    return [*rows, *[[None] * len(extra)] * (row - 5 - len(rows)), extra]


def _long(end: date, **extra) -> dict:
    """Start 1-9-2022, a monthly amount of € 4.500 (× 48 = € 216.000, over the € 215.000 of 2022-2023)."""
    return {**UNDER_EU, "maandbedrag": 4500, "onbepaalde_tijd": "Nee", "einddatum": end, "evaluatiedatum": date(2026, 12, 1), **extra}


# name -> (rule, fields, tables, open?) ; the comment says where the boundary lies
CASES = {
    # S1: advice asked after the signing day is too late; on the day itself it is in time
    "s1_dag_ervoor": ("S1", {"mr_advies_gevraagd": date(2022, 7, 14)}, {}, False),
    "s1_zelfde_dag": ("S1", {"mr_advies_gevraagd": SIGNED}, {}, False),
    "s1_dag_erna": ("S1", {"mr_advies_gevraagd": date(2022, 7, 16)}, {}, True),
    # S2: quotes <= signed <= start <= end, evaluation not before the start; equal dates are in order
    "s2_offerte_op_tekendag": ("S2", {}, _quote(SIGNED), False),
    "s2_offerte_dag_erna": ("S2", {}, _quote(date(2022, 7, 16)), True),
    "s2_getekend_op_startdag": ("S2", {"contract_getekend": date(2022, 9, 1)}, {}, False),
    "s2_getekend_dag_na_start": ("S2", {"contract_getekend": date(2022, 9, 2)}, {}, True),
    "s2_einde_op_startdag": ("S2", {"einddatum": date(2022, 9, 1)}, {}, False),
    "s2_einde_dag_voor_start": ("S2", {"einddatum": date(2022, 8, 31)}, {}, True),
    "s2_evaluatie_op_startdag": ("S2", {"evaluatiedatum": date(2022, 9, 1)}, {}, False),
    "s2_evaluatie_dag_voor_start": ("S2", {"evaluatiedatum": date(2022, 8, 31)}, {}, True),
    # A1: value >= the threshold of the period in which procurement began (first quote): € 215.000 in 2022-2023
    "a1_cent_onder_drempel": ("A1", {**UNDER_EU, "contractwaarde": 214999.99}, {}, False),
    "a1_op_drempel": ("A1", {**UNDER_EU, "contractwaarde": 215000}, {}, True),
    "a1_op_drempel_europees": ("A1", {"procedure": "Europees", "contractwaarde": 215000}, {}, False),
    # € 215.500: over € 215.000 (until 31-12-2023), under € 221.000 (from 1-1-2024) and the latest € 216.000 (2026-2027)
    "a1_begonnen_laatste_dag_periode": ("A1", {**UNDER_EU, "contractwaarde": 215500}, _quote(date(2023, 12, 31), 215500), True),
    "a1_begonnen_eerste_dag_nieuwe_periode": ("A1", {**UNDER_EU, "contractwaarde": 215500}, _quote(date(2024, 1, 1), 215500), False),
    # € 218.000 from 1-1-2024: under € 221.000, over the latest period's € 216.000 (a lookup that misses the day says so)
    "a1_218000_eerste_dag_nieuwe_periode": ("A1", {**UNDER_EU, "contractwaarde": 218000}, _quote(date(2024, 1, 1), 218000), False),
    # A1 through art. 2.15: a run longer than 48 months counts as the monthly amount × 48; exactly 48 months does not
    "a1_48_maanden_min_dag": ("A1", _long(date(2026, 8, 31)), {}, False),
    "a1_precies_48_maanden": ("A1", _long(date(2026, 9, 1)), {}, False),
    "a1_48_maanden_plus_dag": ("A1", _long(date(2026, 9, 2)), {}, True),
    # indefinite: € 4.479,17 × 48 = € 215.000,16 (over); € 4.479,16 × 48 = € 214.999,68 (under)
    "a1_onbepaald_cent_onder": ("A1", {**UNDER_EU, "onbepaalde_tijd": "Ja", "maandbedrag": 4479.16}, {}, False),
    "a1_onbepaald_boven": ("A1", {**UNDER_EU, "onbepaalde_tijd": "Ja", "maandbedrag": 4479.17}, {}, True),
    # A4: invoiced € 10.000 + € 10.000 against a contract of € 20.000; one cent more is extra work
    "a4_gelijk": ("A4", {}, {"tblFacturen": INVOICES}, False),
    "a4_cent_erboven": ("A4", {}, {"tblFacturen": [INVOICES[0], ["F-2", date(2023, 6, 30), 10000.01, 2100, "voorjaar"]]}, True),
    "a4_cent_eronder": ("A4", {"contractwaarde": 20000.01}, {"tblFacturen": INVOICES}, False),
    # the last invoice row the formulas read (row 39: 15 rows of the table + 20 under it) still counts: € 0,01 too much
    "a4_cent_op_laatste_gelezen_rij": ("A4", {}, {"tblFacturen": _at_row(INVOICES, 39, ["F-3", date(2023, 6, 30), 0.01, 0, "rest"])}, True),
    # A1 in every threshold period, and before the first and after the last (the nearest period's threshold)
    "a1_2020_2021_op_drempel": ("A1", {**UNDER_EU, "contractwaarde": 214000}, _quote(date(2021, 6, 1), 214000), True),
    "a1_2020_2021_cent_onder": ("A1", {**UNDER_EU, "contractwaarde": 213999.99}, _quote(date(2021, 6, 1), 213999.99), False),
    "a1_2026_2027_op_drempel": ("A1", {**UNDER_EU, "contractwaarde": 216000}, _quote(date(2026, 1, 1), 216000), True),
    "a1_2026_2027_cent_onder": ("A1", {**UNDER_EU, "contractwaarde": 215999.99}, _quote(date(2026, 1, 1), 215999.99), False),
    "a1_voor_eerste_periode": ("A1", {**UNDER_EU, "contractwaarde": 214000}, _quote(date(2019, 12, 31), 214000), True),
    "a1_na_laatste_periode": ("A1", {**UNDER_EU, "contractwaarde": 216000}, _quote(date(2028, 1, 1), 216000), True),
    # the value is the invoiced total when that is higher than the contract value (€ 108.000 + € 107.000)
    "a1_gefactureerd_op_drempel": ("A1", {**UNDER_EU, "contractwaarde": 200000}, {"tblFacturen": [
        ["F-1", date(2022, 12, 31), 108000, 22680, "najaar"], ["F-2", date(2023, 6, 30), 107000, 22470, "voorjaar"]]}, True),
    "a1_procedure_leeg": ("A1", {"procedure": None, "contractwaarde": 215000}, {}, True),
    "a1_miljoen": ("A1", {**UNDER_EU, "contractwaarde": 1250000}, {}, True),
    # a choice with a tab, line break, carriage return or non-breaking space around it is still the choice, and so is
    # one typed with a hyphen, apostrophe or slash between its words (as dutch.parse_choice compares at last)
    **{f"a1_keuze_met_{name}": ("A1", {"procedure": text, "contractwaarde": 215000}, {}, True)
       for name, text in (("tab", "Meervoudig onderhands\t"), ("regeleinde", "Meervoudig onderhands\n"),
                          ("wagenterugloop", "Meervoudig onderhands\r"), ("harde_spatie", "\u00a0Meervoudig onderhands"),
                          ("streepje", "Meervoudig-onderhands"), ("apostrof", "Meervoudig'onderhands"),
                          ("schuine_streep", "meervoudig/onderhands"))},
    "a1_europees_met_regeleinde": ("A1", {"procedure": "Europees\n", "contractwaarde": 215000}, {}, False),
    # Q3: "Deels" needs an explanation, also on the questions where "Nee" is not allowed at all (4, 6, 9)
    "q3_deels_zonder_toelichting": ("Q3", {}, {"tblVragenlijst": good_answers(q3=["Deels", None, None])}, True),
    "q3_moeilijke_vraag_deels": ("Q3", {}, {"tblVragenlijst": good_answers(q4=["Deels", None, None])}, True),
    "q3_moeilijke_vraag_nee": ("Q3", {}, {"tblVragenlijst": good_answers(q4=["Nee", None, None])}, False),
    # V1: an employee on the last row the formulas read (row 32) without a VOG
    "v1_laatste_gelezen_rij_zonder_vog": ("V1", {}, {"tblMedewerkers": _at_row(good_tables()["tblMedewerkers"], 32, ["Jan Laatste", None, "Ja"])}, True),
}


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> dict[str, Path]:
    """Every boundary filling typed into the blank workbook in LibreOffice Calc, recalculated and saved: one batch."""
    need_soffice()
    py = need_uno_python()
    tmp = tmp_path_factory.mktemp("grenzen")
    blank = template.write(tmp / template.file_name())
    batch = [{"in": str(blank), "out": str(tmp / f"{name}.xlsx"), "cells": cells_of(*filled_values(fields, tables))}
             for name, (_, fields, tables, _) in CASES.items()]
    run_libreoffice(py, batch, tmp)
    return {name: tmp / f"{name}.xlsx" for name in CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_live_check_at_its_boundary_agrees_with_the_rule(computed, name):
    rule, _, _, expected = CASES[name]
    path = computed[name]
    assert (rule in open_rules(path)) is expected, "Controle"
    assert (rule in covered(pipeline_findings(path))) is expected, "pipeline"
    rows = controle_rows(path)
    assert not [r for r in rows if r[0] == rule and r[4] == controle.UNKNOWN]
    if expected:  # and says what the pipeline says, word for word: the amounts, dates and reasons in it
        messages = live_messages(pipeline_findings(path))
        assert [r for r in rows if r[0] == rule and r[4] == controle.OPEN and (rule, r[3]) not in messages] == []

"""Every rule of the catalogue: a workbook (or a board of several) that triggers it and one that does not.

Findings are compared by rule id, severity, sheet and cell, never by message wording. Cells are looked up
in the workbook spec, not hard-coded. Per-hire rules run on one workbook (reader + per-hire checks);
board rules (W6, A2, A5, the P5 share) and W1 run a whole inputs folder through `run.run`.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import string
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pytest
from openpyxl import Workbook, load_workbook

from builders import good_fields, good_tables, write_workbook
from pipeline import model, run
from pipeline.read import board as config
from pipeline.rules import catalogue as findings_mod
from pipeline.read import workbook as reader
from pipeline import spec as spec_mod
from pipeline.render import workbook as template
from pipeline.rules import Context, run_hire_checks
from pipeline.model import Finding

S = spec_mod.load()
TODAY = date(2026, 11, 23)
FOUT, WARN, INFO = "fout", "waarschuwing", "info"

# Every finding any test in this module produced, to check at the end that every message is reachable.
PRODUCED: list[Finding] = []
RAN: set[str] = set()  # node ids of this module's tests that have run in this process
PRODUCED_OUT = "TEST_RULES_PRODUCED_OUT"  # set for a child pytest: write PRODUCED there at the end of the module


@pytest.fixture(autouse=True)
def _note_that_it_ran(request):
    yield
    RAN.add(request.node.nodeid)


@pytest.fixture(scope="module", autouse=True)
def _hand_over_what_was_produced():
    yield
    if os.environ.get(PRODUCED_OUT):
        Path(os.environ[PRODUCED_OUT]).write_text(json.dumps([[f.rule, f.message] for f in PRODUCED]), encoding="utf-8")


# --------------------------------------------------------------------------- helpers


def fcell(name: str) -> tuple[str, str]:
    """(sheet, cell) of a single-value field."""
    f = S.fields[name]
    return f.sheet, f.cell


def tcell(table: str, column: str, row: int = 1) -> tuple[str, str]:
    """(sheet, cell) of a column in the `row`-th body row of a table."""
    t = S.tables[table]
    return t.sheet, f"{t.column_letter(column)}{t.first_row + row - 1}"


def at(rule: str, severity: str, where: tuple[str, str]) -> tuple[str, str, str, str]:
    return (rule, severity, *where)


def located(found: Iterable[Finding], *rules: str) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.severity, f.sheet, f.cell) for f in found if f.rule in rules)


def record(found: Iterable[Finding]) -> list[Finding]:
    found = list(found)
    PRODUCED.extend(found)
    return found


def hire_findings(tmp_path: Path, fields: dict | None = None, tables: dict | None = None, *, unset: tuple[str, ...] = (),
                  below: dict | None = None, board: config.Board | None = None, today: date = TODAY) -> list[Finding]:
    """Reader findings plus per-hire check findings of one workbook built from the compliant baseline."""
    path = write_workbook(tmp_path / "12AB" / "inhuur.xlsx", fields, tables, unset=unset, below=below)
    return read_and_check(path, board=board, today=today)


def read_and_check(path: Path, *, board: config.Board | None = None, today: date = TODAY) -> list[Finding]:
    res = reader.read(path)
    out = list(res.findings)
    if res.hire is not None:
        out += run_hire_checks(res.hire, Context(board or config.Board(), S, today))
    return record(out)


def run_board(inputs: Path, board: config.Board | None = None) -> model.RunData:
    if board is not None:
        config.write(inputs / config.FILE_NAME, board)
    data = run.run(inputs, workers=1, today=TODAY)
    record(f for fr in data.files for f in fr.findings)
    return data


def by_file(data: model.RunData) -> dict[str, model.FileResult]:
    return {fr.file: fr for fr in data.files}


def answers(changes: dict[int, list[Any]], fields: dict | None = None) -> list[list[Any]]:
    """tblVragenlijst of the baseline (Antwoord, Toelichting, Bewijs per question) with some answers replaced."""
    rows = good_tables({**good_fields(), **(fields or {})})["tblVragenlijst"]
    for nr, row in changes.items():
        rows[nr - 1] = row
    return rows


def q(nr: int, column: str) -> tuple[str, str]:
    return tcell("tblVragenlijst", column, nr)


def quote(amount: Any, day: date = date(2022, 7, 15), name: str = "Bijlesbureau Slim Verder B.V.", kvk: str = "80012345",
          chosen: str = "Ja") -> list[Any]:
    return [name, kvk, amount, day, chosen]


def three_quotes(amount: Any, day: date = date(2022, 7, 15)) -> list[list[Any]]:
    return [quote(amount, day), quote(amount, day, "Leerpartners Midden", "80099003", "Nee"),
            quote(amount, day, "Onderwijsbureau West", "80099004", "Nee")]


def staff(vog: Any, contact: str = "Ja") -> list[list[Any]]:
    return [["Tutor (initialen AB)", vog, contact]]


def edit(path: Path, change) -> Path:
    """Open a written workbook with openpyxl, change it as a school (or another tool) might, and save."""
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- the baseline


def test_baseline_is_clean(tmp_path):
    """The compliant baseline only has the advisory single-quote note (A3 info)."""
    found = hire_findings(tmp_path)
    assert located(found, *findings_mod.catalogue()) == [at("A3", INFO, tcell("tblOffertes", "Aanbieder"))]


# --------------------------------------------------------------------------- per-hire rules, as a table

END_2026 = {"startdatum": date(2025, 9, 1), "contract_getekend": date(2025, 7, 15), "mr_advies_gevraagd": date(2025, 6, 25),
            "mr_instemming_schoolprogramma": date(2025, 6, 20)}

# Three schools pay for a bovenschools hire; every MR agreed on the day the contract was signed (15-7-2022) or before.
PARTICIPANTS = [["12AB", "50%", date(2022, 6, 20)], ["14CD", 0.3, date(2022, 7, 1)], ["17EF", "20", date(2022, 7, 15)]]

CASES = [
    # ---- W3: required field empty; conditional W3
    pytest.param("W3", None, None, ("leverancier_kvk",), [at("W3", FOUT, fcell("leverancier_kvk"))], id="W3-required-empty"),
    pytest.param("W3", None, None, ("contractwaarde",), [at("W3", FOUT, fcell("contractwaarde"))], id="W3-contract-value-empty"),
    pytest.param("W3", {"contact_leerlingen": "Ja"}, None, ("leraar_aanwezig",), [at("W3", FOUT, fcell("leraar_aanwezig"))],
                 id="W3-conditional-contact"),
    pytest.param("W3", {"contact_leerlingen": "Nee"}, None, ("leraar_aanwezig",), [], id="W3-conditional-not-applicable"),
    pytest.param("W3", {"persoonsgegevens": "Ja"}, None, ("verwerkersovereenkomst",), [at("W3", FOUT, fcell("verwerkersovereenkomst"))],
                 id="W3-conditional-personal-data"),
    pytest.param("W3", None, None, ("eigen_capaciteit", "budget"), [], id="W3-optional-empty"),
    # ---- W4: unreadable values at their cell
    pytest.param("W4", {"startdatum": "begin september"}, None, (), [at("W4", FOUT, fcell("startdatum"))], id="W4-date"),
    pytest.param("W4", {"versiedatum": "31-02-2023"}, None, (), [at("W4", FOUT, fcell("versiedatum"))], id="W4-impossible-date"),
    pytest.param("W4", {"contractwaarde": "twintigduizend"}, None, (), [at("W4", FOUT, fcell("contractwaarde"))], id="W4-amount"),
    pytest.param("W4", {"leverancier_kvk": "8001234"}, None, (), [at("W4", FOUT, fcell("leverancier_kvk"))], id="W4-kvk"),
    pytest.param("W4", None, {"tblFacturen": [["F-1", date(2022, 12, 31), "tienduizend", 2100, "x"]]}, (),
                 [at("W4", FOUT, tcell("tblFacturen", "Bedrag excl. BTW"))], id="W4-table-cell"),
    # ---- Q1: every question answered
    pytest.param("Q1", None, {"tblVragenlijst": answers({7: [None, None, None]})}, (), [at("Q1", FOUT, q(7, "Antwoord"))],
                 id="Q1-unanswered"),
    pytest.param("Q1", None, {"tblVragenlijst": answers({3: ["N.v.t.", "niet van toepassing", None]})}, (),
                 [at("Q1", FOUT, q(3, "Antwoord"))], id="Q1-nvt-not-allowed"),
    pytest.param("Q1", {"contact_leerlingen": "Ja"}, {"tblVragenlijst": answers({6: ["N.v.t.", None, None]})}, (),
                 [at("Q1", FOUT, q(6, "Antwoord"))], id="Q1-nvt-q6-with-contact"),
    pytest.param("Q1", {"contact_leerlingen": "Nee", "leraar_aanwezig": "N.v.t."}, None, (), [], id="Q1-nvt-q6-without-contact"),
    # ---- Q2: Nee on 4, 6, 9
    *[pytest.param("Q2", None, {"tblVragenlijst": answers({nr: ["Nee", "toegelicht", None]})}, (), [at("Q2", FOUT, q(nr, "Antwoord"))],
                   id=f"Q2-nee-{nr}") for nr in (4, 6, 9)],
    pytest.param("Q2", None, {"tblVragenlijst": answers({3: ["Nee", "eigen team te klein", None], 4: ["Deels", "deels getoetst", None]})},
                 (), [], id="Q2-nee-elsewhere"),
    # ---- Q3: Nee/Deels explained
    pytest.param("Q3", None, {"tblVragenlijst": answers({3: ["Deels", None, None]})}, (), [at("Q3", WARN, q(3, "Toelichting"))],
                 id="Q3-deels-unexplained"),
    pytest.param("Q3", None, {"tblVragenlijst": answers({1: ["Nee", None, None]})}, (), [at("Q3", WARN, q(1, "Toelichting"))],
                 id="Q3-nee-unexplained"),
    pytest.param("Q3", None, {"tblVragenlijst": answers({1: ["Nee", "past deels bij het schoolplan", None]})}, (), [],
                 id="Q3-explained"),
    *[pytest.param("Q3", None, {"tblVragenlijst": answers({nr: ["Nee", None, None]})}, (), [], id=f"Q3-hard-question-{nr}-is-Q2-not-Q3")
      for nr in (4, 6, 9)],
    # ---- Q4: Ja with evidence on 2, 5, 6
    *[pytest.param("Q4", None, {"tblVragenlijst": answers({nr: ["Ja", "ja hoor", None]})}, (), [at("Q4", WARN, q(nr, "Bewijs"))],
                   id=f"Q4-bare-ja-{nr}") for nr in (2, 5, 6)],
    pytest.param("Q4", None, {"tblVragenlijst": answers({1: ["Ja", None, None], 7: ["Ja", None, None]})}, (), [], id="Q4-no-evidence-needed"),
    # ---- P1: menukaart
    pytest.param("P1", {"interventie": "Z: Huiswerkklas"}, None, (), [at("P1", FOUT, fcell("interventie"))], id="P1-not-on-menu"),
    pytest.param("P1", {"interventie": "F: Ouderbetrokkenheid"}, None, (), [at("P1", FOUT, fcell("interventie"))], id="P1-f-as-intervention"),
    pytest.param("P1", {"interventie_f": "F: Professionalisering"}, None, ("interventie",), [at("P1", FOUT, fcell("interventie_f"))],
                 id="P1-f-without-a-e"),
    pytest.param("P1", {"interventie_f": "B: Feedback"}, None, (), [at("P1", FOUT, fcell("interventie_f"))], id="P1-f-field-not-f"),
    pytest.param("P1", {"interventie": "instructie in kleine groepen", "interventie_f": "F: Leermiddelen"}, None, (), [],
                 id="P1-a-e-with-f"),
    # ---- P2: MR consent before the start, teachers involved
    pytest.param("P2", {"mr_instemming_schoolprogramma": date(2022, 9, 2)}, None, (),
                 [at("P2", FOUT, fcell("mr_instemming_schoolprogramma"))], id="P2-consent-after-start"),
    pytest.param("P2", None, None, ("mr_instemming_schoolprogramma",), [at("P2", FOUT, fcell("mr_instemming_schoolprogramma"))],
                 id="P2-no-consent"),
    pytest.param("P2", None, None, ("leraren_betrokken",), [at("P2", WARN, fcell("leraren_betrokken"))], id="P2-teachers"),
    pytest.param("P2", {"mr_instemming_schoolprogramma": date(2022, 9, 1)}, None, (), [], id="P2-consent-on-start"),
    # ---- P4: bovenschools (contract signed 15-7-2022 in the baseline); tblDeelnemers with BRIN, Aandeel, MR-akkoord
    pytest.param("P4", {"niveau": "Bovenschools"}, None, (),
                 [at("P4", FOUT, fcell("gmr_instemming")), at("P4", FOUT, fcell("mr_akkoord_bovenschools")),
                  at("P4", FOUT, tcell("tblDeelnemers", "BRIN"))], id="P4-nothing"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1), "mr_akkoord_bovenschools": date(2022, 6, 10)},
                 None, (), [at("P4", FOUT, tcell("tblDeelnemers", "BRIN"))], id="P4-no-participants"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1)}, {"tblDeelnemers": PARTICIPANTS}, (), [],
                 id="P4-three-schools-agreed"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1)},
                 {"tblDeelnemers": [PARTICIPANTS[0], PARTICIPANTS[1], ["17EF", "20%", date(2022, 7, 16)]]}, (),
                 [at("P4", FOUT, tcell("tblDeelnemers", "MR-akkoord", 3))], id="P4-agreed-one-day-after-signing"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1)},
                 {"tblDeelnemers": [PARTICIPANTS[0], PARTICIPANTS[1], ["17EF", "20%", None]]}, (),
                 [at("P4", FOUT, tcell("tblDeelnemers", "MR-akkoord", 3))], id="P4-one-school-without-agreement"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1)},
                 {"tblDeelnemers": [PARTICIPANTS[0], PARTICIPANTS[1], ["17EF", "19,99%", date(2022, 7, 15)]]}, (),
                 [at("P4", FOUT, tcell("tblDeelnemers", "Aandeel", 1))], id="P4-shares-99.99"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1)},
                 {"tblDeelnemers": [PARTICIPANTS[0], PARTICIPANTS[1], ["17EF", "20,01%", date(2022, 7, 15)]]}, (),
                 [at("P4", FOUT, tcell("tblDeelnemers", "Aandeel", 1))], id="P4-shares-100.01"),
    pytest.param("P4", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1), "mr_akkoord_bovenschools": date(2022, 7, 16)},
                 None, (), [at("P4", FOUT, tcell("tblDeelnemers", "BRIN")), at("P4", FOUT, fcell("mr_akkoord_bovenschools"))],
                 id="P4-field-after-signing"),
    pytest.param("P4", {"niveau": "School"}, None, (), [], id="P4-school-level"),
    # ---- P5 per hire: end date, results with deadline, programme end, duration
    pytest.param("P5", None, None, ("einddatum",), [at("P5", FOUT, fcell("einddatum"))], id="P5-no-end"),
    pytest.param("P5", None, {"tblResultaten": []}, (), [at("P5", FOUT, tcell("tblResultaten", "Resultaat"))], id="P5-no-results"),
    pytest.param("P5", None, {"tblResultaten": [["Leesniveau omhoog", "Eindresultaat", None, "toets", None]]}, (),
                 [at("P5", FOUT, tcell("tblResultaten", "Resultaat"))], id="P5-result-without-deadline"),
    pytest.param("P5", {"startdatum": date(2024, 9, 1), "einddatum": date(2025, 8, 31)}, None, (),
                 [at("P5", WARN, fcell("einddatum"))], id="P5-after-programme"),
    pytest.param("P5", {"einddatum": date(2024, 9, 30)}, None, (), [at("P5", WARN, fcell("einddatum"))], id="P5-too-long"),
    pytest.param("P5", {"einddatum": date(2024, 8, 31)}, None, (), [], id="P5-exactly-24-months"),
    # ---- P6, P8
    pytest.param("P6", {"in_schoolprogramma": "Nee"}, None, (), [at("P6", FOUT, fcell("in_schoolprogramma"))], id="P6-nee"),
    pytest.param("P6", {"in_schoolprogramma": "Ja"}, None, (), [], id="P6-ja"),
    pytest.param("P8", None, None, ("ouders_geinformeerd",), [at("P8", WARN, fcell("ouders_geinformeerd"))], id="P8-not-informed"),
    pytest.param("P8", {"ouders_geinformeerd": "1-9-2022"}, None, (), [], id="P8-informed"),
    # ---- S1: MR advice before the contract
    pytest.param("S1", None, None, ("mr_advies_gevraagd",), [at("S1", FOUT, fcell("mr_advies_gevraagd"))], id="S1-not-asked"),
    pytest.param("S1", {"mr_advies_gevraagd": date(2022, 7, 20)}, None, (), [at("S1", FOUT, fcell("mr_advies_gevraagd"))],
                 id="S1-after-contract"),
    pytest.param("S1", {"mr_advies_gevraagd": date(2022, 7, 15)}, None, (), [], id="S1-same-day"),
    # ---- S2: dates in order
    pytest.param("S2", None, {"tblOffertes": [quote(20000, date(2022, 8, 1))]}, (), [at("S2", FOUT, tcell("tblOffertes", "Datum"))],
                 id="S2-quote-after-contract"),
    pytest.param("S2", {"contract_getekend": date(2022, 9, 10)}, {"tblOffertes": [quote(20000, date(2022, 7, 1))]}, (),
                 [at("S2", FOUT, fcell("contract_getekend"))], id="S2-contract-after-start"),
    pytest.param("S2", {"startdatum": date(2023, 7, 1)}, None, (), [at("S2", FOUT, fcell("startdatum"))], id="S2-start-after-end"),
    pytest.param("S2", {"evaluatiedatum": date(2022, 8, 1)}, None, (), [at("S2", FOUT, fcell("evaluatiedatum"))],
                 id="S2-evaluation-before-start"),
    pytest.param("S2", {"contract_getekend": date(2022, 9, 1), "einddatum": date(2022, 9, 1), "evaluatiedatum": date(2022, 9, 1)},
                 {"tblOffertes": [quote(20000, date(2022, 9, 1))]}, (), [], id="S2-all-on-one-day"),
    # ---- S3, S4
    pytest.param("S3", {"selectieteam_leraar": "Nee", "selectieteam_ib": "Nee"}, None, (), [at("S3", WARN, fcell("selectieteam_leraar"))],
                 id="S3-neither"),
    pytest.param("S3", {"selectieteam_leraar": "Nee", "selectieteam_ib": "Ja"}, None, (), [], id="S3-ib"),
    pytest.param("S4", {"afspraken_meerwerk": "Nee"}, None, (), [at("S4", WARN, fcell("afspraken_meerwerk"))], id="S4-nee"),
    pytest.param("S4", None, None, ("afspraken_meerwerk",), [at("S4", WARN, fcell("afspraken_meerwerk"))], id="S4-empty"),
    pytest.param("S4", {"afspraken_meerwerk": "Ja"}, None, (), [], id="S4-ja"),
    # ---- S5: evaluation once the end date + grace (3 months) lies before today (23-11-2026)
    pytest.param("S5", None, None, ("evaluatiedatum",), [at("S5", FOUT, fcell("evaluatiedatum"))], id="S5-no-evaluation"),
    pytest.param("S5", {**END_2026, "einddatum": date(2026, 8, 22)}, None, ("evaluatiedatum", "kennisoverdracht"),
                 [at("S5", FOUT, fcell("evaluatiedatum")), at("S5", FOUT, fcell("kennisoverdracht"))], id="S5-grace-just-over"),
    pytest.param("S5", {**END_2026, "einddatum": date(2026, 8, 23)}, None, ("evaluatiedatum", "kennisoverdracht"), [],
                 id="S5-grace-ends-today"),
    pytest.param("S5", {**END_2026, "einddatum": date(2026, 10, 31)}, None, ("evaluatiedatum", "kennisoverdracht"), [],
                 id="S5-within-grace"),
    # ---- S6: teacher present
    pytest.param("S6", {"contact_leerlingen": "Ja", "leraar_aanwezig": "Nee"}, None, (), [at("S6", WARN, fcell("leraar_aanwezig"))],
                 id="S6-nee"),
    pytest.param("S6", {"contact_leerlingen": "Ja", "leraar_aanwezig": "N.v.t."}, None, (), [at("S6", WARN, fcell("leraar_aanwezig"))],
                 id="S6-nvt-with-contact"),
    pytest.param("S6", {"contact_leerlingen": "Nee", "leraar_aanwezig": "Nee"}, None, (), [], id="S6-no-contact"),
    # ---- A1: at or over the EU threshold (2022-2023: 215.000; 2020-2021: 214.000) without Europees
    pytest.param("A1", {"contractwaarde": 215000, "procedure": "Meervoudig onderhands"}, {"tblOffertes": three_quotes(215000)}, (),
                 [at("A1", FOUT, fcell("procedure"))], id="A1-at-threshold"),
    pytest.param("A1", {"contractwaarde": 200000, "procedure": "Nationaal"},
                 {"tblFacturen": [["F-1", date(2022, 12, 31), 110000, 23100, "a"], ["F-2", date(2023, 6, 30), 110000, 23100, "b"]]}, (),
                 [at("A1", FOUT, fcell("procedure"))], id="A1-invoiced-over-threshold"),
    pytest.param("A1", {"contractwaarde": 214500, "procedure": "Nationaal", "contract_getekend": date(2022, 1, 20)},
                 {"tblOffertes": three_quotes(214500, date(2021, 12, 1))}, (), [at("A1", FOUT, fcell("procedure"))],
                 id="A1-period-by-first-quote"),
    pytest.param("A1", {"contractwaarde": 214500, "procedure": "Nationaal", "contract_getekend": date(2022, 1, 20)},
                 {"tblOffertes": three_quotes(214500, date(2022, 1, 10))}, (), [], id="A1-under-2022-threshold"),
    pytest.param("A1", {"contractwaarde": 214999.99, "procedure": "Nationaal"}, None, (), [], id="A1-just-under"),
    pytest.param("A1", {"contractwaarde": 300000, "procedure": "Europees"}, None, (), [], id="A1-europees"),
    # ---- A3: quotes per the purchasing policy (default: 1 below 25.000, 3 from 25.000)
    pytest.param("A3", {"contractwaarde": 30000, "procedure": "Meervoudig onderhands"}, {"tblOffertes": [quote(30000)]}, (),
                 [at("A3", WARN, tcell("tblOffertes", "Aanbieder"))], id="A3-too-few"),
    pytest.param("A3", {"contractwaarde": 30000, "procedure": "Meervoudig onderhands"}, {"tblOffertes": []}, (),
                 [at("A3", WARN, tcell("tblOffertes", "Aanbieder"))], id="A3-none"),
    pytest.param("A3", None, None, (), [at("A3", INFO, tcell("tblOffertes", "Aanbieder"))], id="A3-single-quote-allowed"),
    pytest.param("A3", {"contractwaarde": 30000, "procedure": "Meervoudig onderhands"}, {"tblOffertes": three_quotes(30000)}, (), [],
                 id="A3-three-quotes"),
    pytest.param("A3", None, {"tblOffertes": three_quotes(20000)[:2]}, (), [], id="A3-two-quotes-small"),
    pytest.param("A3", {"contractwaarde": 30000, "procedure": "Nationaal"}, {"tblOffertes": [quote(30000)]}, (), [], id="A3-nationaal"),
    # ---- A4: invoiced within the contract value
    pytest.param("A4", None, {"tblFacturen": [["F-1", date(2022, 12, 31), 12000, 2520, "a"], ["F-2", date(2023, 6, 30), 8000.01, 1680, "b"]]},
                 (), [at("A4", WARN, fcell("contractwaarde"))], id="A4-over"),
    pytest.param("A4", None, {"tblFacturen": [["F-1", date(2022, 12, 31), 12000, 2520, "a"], ["F-2", date(2023, 6, 30), 8000, 1680, "b"]]},
                 (), [], id="A4-equal"),
    # ---- A6: BSO staff without BTW
    pytest.param("A6", {"leverancier_type": "BSO/kinderopvang"},
                 {"tblFacturen": [["Z-1", date(2022, 12, 31), 10000, 0, "a"], ["Z-2", date(2023, 6, 30), 10000, None, "b"]]}, (),
                 [at("A6", WARN, tcell("tblFacturen", "BTW-bedrag", 1)), at("A6", WARN, tcell("tblFacturen", "BTW-bedrag", 2))],
                 id="A6-bso-without-btw"),
    pytest.param("A6", {"leverancier_type": "BSO/kinderopvang"}, None, (), [], id="A6-bso-with-btw"),
    pytest.param("A6", {"leverancier_type": "Zzp'er"},
                 {"tblFacturen": [["Z-1", date(2022, 12, 31), 10000, 0, "a"]]}, (), [], id="A6-zzp-without-btw"),
    # ---- V1: VOG with pupil contact (default board: every school po, 6 months)
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": staff(None)}, (), [at("V1", FOUT, tcell("tblMedewerkers", "VOG-datum"))],
                 id="V1-no-vog"),
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": []}, (), [at("V1", FOUT, tcell("tblMedewerkers", "Medewerker"))],
                 id="V1-no-staff"),
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": staff(date(2022, 2, 28))}, (),
                 [at("V1", FOUT, tcell("tblMedewerkers", "VOG-datum"))], id="V1-old-vog"),
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": staff("1-3-2022")}, (), [], id="V1-vog-6-months"),
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": [*staff(date(2022, 8, 1)), ["Coördinator", None, "Nee"]]}, (), [],
                 id="V1-staff-without-contact"),
    pytest.param("V1", {"contact_leerlingen": "Nee", "leraar_aanwezig": "N.v.t."}, {"tblMedewerkers": []}, (), [], id="V1-no-contact"),
    # ---- V2: verwerkersovereenkomst
    pytest.param("V2", {"persoonsgegevens": "Ja", "verwerkersovereenkomst": "Nee"}, None, (),
                 [at("V2", FOUT, fcell("verwerkersovereenkomst"))], id="V2-nee"),
    pytest.param("V2", {"persoonsgegevens": "Ja"}, None, ("verwerkersovereenkomst",), [at("V2", FOUT, fcell("verwerkersovereenkomst"))],
                 id="V2-empty"),
    pytest.param("V2", {"persoonsgegevens": "Nee", "verwerkersovereenkomst": "N.v.t."}, None, (), [], id="V2-no-personal-data"),
    # ---- V3: pupil data in free text
    pytest.param("V3", {"behoefte": "Extra begeleiding, o.a. leerling 111222333 uit groep 6."}, None, (), [at("V3", WARN, fcell("behoefte"))],
                 id="V3-bsn"),
    pytest.param("V3", {"behoefte": "Extra begeleiding, o.a. leerling 1112.22.333 uit groep 6."}, None, (), [at("V3", WARN, fcell("behoefte"))],
                 id="V3-bsn-with-dots"),
    pytest.param("V3", None, {"tblVragenlijst": answers({1: ["Ja", "Aangemeld door p.jansen@leerling.school.example", None]})}, (),
                 [at("V3", WARN, q(1, "Toelichting"))], id="V3-email"),
    pytest.param("V3", {"behoefte": "Bestelnummer 123456789, KvK 80012345, telefoon 0612345678."}, None, (), [], id="V3-not-elfproef"),
    # ---- issue 12: W4 negative amounts (a negative invoice is a credit note and fine)
    pytest.param("W4", {"contractwaarde": "-0,01"}, None, (), [at("W4", FOUT, fcell("contractwaarde"))], id="W4-negative-contract"),
    pytest.param("W4", {"contractwaarde": 0}, None, (), [], id="W4-zero-contract"),
    pytest.param("W4", {"uurtarief": -50}, None, (), [at("W4", FOUT, fcell("uurtarief"))], id="W4-negative-rate"),
    pytest.param("W4", {"onbepaalde_tijd": "Ja", "maandbedrag": "-€ 5.000"}, None, (), [at("W4", FOUT, fcell("maandbedrag"))],
                 id="W4-negative-monthly"),
    pytest.param("W4", None, {"tblOffertes": [quote(-20000)]}, (), [at("W4", FOUT, tcell("tblOffertes", "Bedrag excl. BTW"))],
                 id="W4-negative-quote"),
    pytest.param("W4", None, {"tblFacturen": [["F-1", date(2022, 12, 31), 10000, 2100, "a"], ["C-1", date(2023, 1, 31), -500, -105, "creditnota"]]},
                 (), [], id="W4-credit-note-is-fine"),
    # ---- W3: maandbedrag required when indefinite
    pytest.param("W3", {"onbepaalde_tijd": "Ja"}, None, (), [at("W3", FOUT, fcell("maandbedrag"))], id="W3-indefinite-without-monthly"),
    pytest.param("W3", {"onbepaalde_tijd": "Nee"}, None, (), [], id="W3-fixed-term-without-monthly"),
    # ---- A1/A3 with the 48-month value (Aanbestedingswet 2012 art. 2.15); threshold 2022-2023: 215.000
    # 5.000 × 48 = 240.000 although only 60.000 was entered
    pytest.param("A1", {"onbepaalde_tijd": "Ja", "maandbedrag": 5000, "contractwaarde": 60000, "procedure": "Meervoudig onderhands"},
                 {"tblOffertes": three_quotes(60000)}, (), [at("A1", FOUT, fcell("procedure"))], id="A1-indefinite-5000-a-month"),
    # 4.479,17 × 48 = 215.000,16 (over); 4.479,16 × 48 = 214.999,68 (under)
    pytest.param("A1", {"onbepaalde_tijd": "Ja", "maandbedrag": "4.479,17", "contractwaarde": 60000, "procedure": "Nationaal"}, None, (),
                 [at("A1", FOUT, fcell("procedure"))], id="A1-indefinite-just-over"),
    pytest.param("A1", {"onbepaalde_tijd": "Ja", "maandbedrag": "4.479,16", "contractwaarde": 60000, "procedure": "Nationaal"}, None, (), [],
                 id="A1-indefinite-just-under"),
    # start 1-9-2022: 48 months end on 1-9-2026; one day longer counts monthly × 48
    pytest.param("A1", {"maandbedrag": 5000, "contractwaarde": 60000, "procedure": "Nationaal", "einddatum": date(2026, 9, 2)}, None, (),
                 [at("A1", FOUT, fcell("procedure"))], id="A1-longer-than-48-months"),
    pytest.param("A1", {"maandbedrag": 5000, "contractwaarde": 60000, "procedure": "Nationaal", "einddatum": date(2026, 9, 1)}, None, (), [],
                 id="A1-exactly-48-months"),
    # 520,84 × 48 = 25.000,32: three quotes needed; 520,83 × 48 = 24.999,84: one is enough (A3 info only)
    pytest.param("A3", {"onbepaalde_tijd": "Ja", "maandbedrag": "520,84", "contractwaarde": 10000}, {"tblOffertes": [quote(10000)]}, (),
                 [at("A3", WARN, tcell("tblOffertes", "Aanbieder"))], id="A3-indefinite-over-tier"),
    pytest.param("A3", {"onbepaalde_tijd": "Ja", "maandbedrag": "520,83", "contractwaarde": 10000}, {"tblOffertes": [quote(10000)]}, (),
                 [at("A3", INFO, tcell("tblOffertes", "Aanbieder"))], id="A3-indefinite-under-tier"),
    # ---- A3 purchasing tiers at the boundary (default: from 25.000 three quotes)
    pytest.param("A3", {"contractwaarde": 25000, "procedure": "Meervoudig onderhands"}, {"tblOffertes": [quote(25000)]}, (),
                 [at("A3", WARN, tcell("tblOffertes", "Aanbieder"))], id="A3-tier-exactly-25000"),
    pytest.param("A3", {"contractwaarde": "24.999,99"}, {"tblOffertes": [quote(24999.99)],
                 "tblFacturen": [["F-1", date(2022, 12, 31), 10000, 2100, "a"]]}, (),
                 [at("A3", INFO, tcell("tblOffertes", "Aanbieder"))], id="A3-tier-one-cent-under"),
    pytest.param("A3", {"contractwaarde": "25.000,01", "procedure": "Meervoudig onderhands"}, {"tblOffertes": three_quotes(25000.01)[:2]}, (),
                 [at("A3", WARN, tcell("tblOffertes", "Aanbieder"))], id="A3-tier-one-cent-over-two-quotes"),
    # ---- A1 one cent over the 2022 threshold
    pytest.param("A1", {"contractwaarde": "215.000,01", "procedure": "Nationaal"}, None, (), [at("A1", FOUT, fcell("procedure"))],
                 id="A1-one-cent-over"),
    # ---- P1: † items on the menukaart from 1 April 2022; own capacity considered first (attention points 1 and 5)
    pytest.param("P1", {"interventie": "B: Fonemisch bewustzijn", "startdatum": date(2022, 3, 31)}, None, (),
                 [at("P1", FOUT, fcell("interventie"))], id="P1-dagger-item-before-april-2022"),
    pytest.param("P1", {"interventie": "B: Fonemisch bewustzijn", "startdatum": date(2022, 4, 1)}, None, (), [],
                 id="P1-dagger-item-from-april-2022"),
    pytest.param("P1", {"interventie": "B: Feedback", "startdatum": date(2022, 3, 31)}, None, (), [], id="P1-old-item-before-april-2022"),
    pytest.param("P1", None, None, ("eigen_capaciteit",), [at("P1", WARN, fcell("eigen_capaciteit"))], id="P1-own-capacity-empty"),
    # ---- P5 duration and programme end, one day either side (start 1-9-2022, max 24 months, programme ends 31-7-2025)
    pytest.param("P5", {"einddatum": date(2024, 9, 1)}, None, (), [at("P5", WARN, fcell("einddatum"))], id="P5-24-months-and-a-day"),
    pytest.param("P5", {"einddatum": date(2025, 7, 31), "startdatum": date(2024, 9, 1)}, None, (), [], id="P5-ends-on-programme-end"),
    pytest.param("P5", {"einddatum": date(2025, 8, 1), "startdatum": date(2024, 9, 1)}, None, (), [at("P5", WARN, fcell("einddatum"))],
                 id="P5-ends-a-day-after-programme-end"),
    # ---- Q1/Q2: question 6 applies only with pupil contact
    pytest.param("Q2", {"contact_leerlingen": "Nee", "leraar_aanwezig": "N.v.t."},
                 {"tblVragenlijst": answers({6: ["Nee", "geen contact", None]}, {"contact_leerlingen": "Nee"})}, (), [],
                 id="Q2-nee-on-6-without-contact"),
    pytest.param("Q2", {"contact_leerlingen": "Ja"}, {"tblVragenlijst": answers({6: ["Nee", "geen VOG", None]})}, (),
                 [at("Q2", FOUT, q(6, "Antwoord"))], id="Q2-nee-on-6-with-contact"),
    pytest.param("Q1", None, {"tblVragenlijst": answers({6: ["N.v.t.", None, None]})}, ("contact_leerlingen",),
                 [at("Q1", FOUT, q(6, "Antwoord"))], id="Q1-nvt-q6-contact-unknown"),
    # ---- S1: negative advice, advice received after signing (15-7-2022) or not at all
    pytest.param("S1", {"mr_advies_uitkomst": "Negatief"}, None, (), [at("S1", WARN, fcell("mr_advies_uitkomst"))], id="S1-negative-advice"),
    pytest.param("S1", {"mr_advies_ontvangen": date(2022, 7, 16)}, None, (), [at("S1", WARN, fcell("mr_advies_ontvangen"))],
                 id="S1-advice-a-day-after-signing"),
    pytest.param("S1", {"mr_advies_ontvangen": date(2022, 7, 15)}, None, (), [], id="S1-advice-on-signing-day"),
    pytest.param("S1", None, None, ("mr_advies_ontvangen",), [at("S1", WARN, fcell("mr_advies_ontvangen"))], id="S1-advice-not-received"),
    # ---- S2: schooljaar is the school year of the start date
    pytest.param("S2", {"startdatum": date(2022, 8, 1)}, None, (), [], id="S2-start-first-day-of-school-year"),
    pytest.param("S2", {"startdatum": date(2022, 7, 31), "contract_getekend": date(2022, 7, 15)}, None, (),
                 [at("S2", WARN, fcell("schooljaar"))], id="S2-start-in-previous-school-year"),
    # ---- V1: a VOG issued after the start
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": staff(date(2022, 9, 2))}, (),
                 [at("V1", FOUT, tcell("tblMedewerkers", "VOG-datum"))], id="V1-vog-a-day-after-start"),
    pytest.param("V1", {"contact_leerlingen": "Ja"}, {"tblMedewerkers": staff(date(2022, 9, 1))}, (), [], id="V1-vog-on-start"),
]


@pytest.mark.parametrize("rule, fields, tables, unset, expected", CASES)
def test_hire_rule(tmp_path, rule, fields, tables, unset, expected):
    found = hire_findings(tmp_path, fields, tables, unset=unset)
    assert located(found, rule) == sorted(expected)


# --------------------------------------------------------------------------- W1, W2: the file itself


def test_w1_csv_renamed_xlsx_is_rejected_and_the_batch_goes_on(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "goed.xlsx")
    csv = inputs / "12AB" / "export.xlsx"
    csv.write_text("brin;school;contractwaarde\n12AB;OBS De Regenboog;20000\n", encoding="utf-8")
    data = run_board(inputs)
    files = by_file(data)
    bad, good = files["12AB/export.xlsx"], files["12AB/goed.xlsx"]
    assert bad.status == model.REJECTED and bad.hire is None
    assert located(bad.findings, "W1") == [("W1", FOUT, "", "")]
    assert good.status == model.READ and not located(good.findings, "W1", "W2")
    assert [h.file for h in data.hires] == ["12AB/goed.xlsx"]


def test_w1_corrupt_zip_is_rejected(tmp_path):
    inputs = tmp_path / "inputs"
    data = write_workbook(tmp_path / "x.xlsx").read_bytes()
    (inputs / "12AB").mkdir(parents=True)
    (inputs / "12AB" / "kapot.xlsx").write_bytes(data[: len(data) // 2])
    fr = by_file(run_board(inputs))["12AB/kapot.xlsx"]
    assert fr.status == model.REJECTED and located(fr.findings, "W1") == [("W1", FOUT, "", "")]


def test_w2_foreign_workbook(tmp_path):
    wb = Workbook()
    wb.active["A1"], wb.active["B1"] = "Begroting", 20000
    wb.save(tmp_path / "begroting.xlsx")
    res = reader.read(tmp_path / "begroting.xlsx")
    record(res.findings)
    assert res.hire is None
    assert located(res.findings, *findings_mod.catalogue()) == [("W2", FOUT, "", "")]


def test_w2_unknown_version(tmp_path):
    path = write_workbook(tmp_path / "oud.xlsx", {"werkboek_versie": "2019.3"})
    res = reader.read(path)
    record(res.findings)
    assert res.hire is None
    # the version cell is where the defined name werkboek_versie points: the instruction sheet
    assert located(res.findings, "W2") == [("W2", FOUT, S.instruction_sheet, template.VERSION_CELL)]


def test_w2_lost_name_and_table_whose_labels_changed_are_errors(tmp_path):
    f, t = S.fields["budget"], S.tables["tblOffertes"]

    def damage(wb):
        del wb.defined_names["budget"]
        wb[f.sheet].cell(row=f.row, column=spec_mod.LABEL_COL).value = "Ons budget"
        del wb[t.sheet].tables["tblOffertes"]
        wb[t.sheet].cell(row=t.header_row, column=1).value = "Partij"

    found = read_and_check(edit(write_workbook(tmp_path / "a.xlsx"), damage))
    assert located(found, "W2") == sorted([("W2", FOUT, f.sheet, ""), ("W2", FOUT, t.sheet, "")])


def test_w2_current_version_is_accepted(tmp_path):
    res = reader.read(write_workbook(tmp_path / "nieuw.xlsx", {"werkboek_versie": S.version}))
    assert res.hire is not None and not located(res.findings, "W2")


def test_w2_missing_name_table_and_column(tmp_path):
    t = S.tables["tblFacturen"]

    def damage(wb):
        del wb.defined_names["budget"]
        del wb[S.tables["tblOffertes"].sheet].tables["tblOffertes"]
        wb[t.sheet][f"{t.column_letter('BTW-bedrag')}{t.header_row}"] = "BTW"

    path = edit(write_workbook(tmp_path / "a.xlsx"), damage)
    found = read_and_check(path)
    # the lost name and table still have their labels in place: read by position, one info (tests/test_positions.py)
    assert located(found, "W2") == sorted([
        ("W2", INFO, S.instruction_sheet, spec_mod.VERSION_CELL),
        ("W2", FOUT, t.sheet, f"A{t.header_row}"),
    ])


# --------------------------------------------------------------------------- W4: Dutch spellings are read


@pytest.mark.parametrize("name, typed, expected", [
    ("contractwaarde", "€ 12.500,00", Decimal("12500.00")),
    ("contractwaarde", "12500", Decimal("12500.00")),
    ("contractwaarde", 12500, Decimal("12500.00")),
    ("startdatum", "1-9-2022", date(2022, 9, 1)),
    ("startdatum", "01-09-2022", date(2022, 9, 1)),
    ("startdatum", date(2022, 9, 1), date(2022, 9, 1)),
    ("pnil", "JA", "Ja"),
    ("contact_leerlingen", " ja ", "Ja"),
    ("leverancier_kvk", 8012345, "08012345"),
    ("brin", "12ab", "12AB"),
])
def test_w4_dutch_spellings_are_read(tmp_path, name, typed, expected):
    path = write_workbook(tmp_path / "a.xlsx", {name: typed})
    res = reader.read(path)
    record(res.findings)
    assert res.hire.get(name) == expected
    assert located(res.findings, "W4") == []


def test_w4_dutch_spellings_in_a_table(tmp_path):
    rows = [["F-1", "31-12-2022", "€ 10.000,00", "2.100,00", "a"], ["F-2", "30-6-2023", "10000", 2100, "b"]]
    res = reader.read(write_workbook(tmp_path / "a.xlsx", tables={"tblFacturen": rows}))
    record(res.findings)
    assert located(res.findings, "W4") == []
    got = [(r.get("Factuurdatum"), r.get("Bedrag excl. BTW"), r.get("BTW-bedrag")) for r in res.hire.tables["tblFacturen"]]
    assert got == [(date(2022, 12, 31), Decimal("10000.00"), Decimal("2100.00")), (date(2023, 6, 30), Decimal("10000.00"), Decimal("2100.00"))]


# --------------------------------------------------------------------------- W5: nothing is silently dropped


def test_w5_rows_below_a_table_are_read_as_rows_and_counted(tmp_path):
    t = S.tables["tblFacturen"]
    extra = [["F-3", "15-7-2023", "1.500,00", "315,00", "nagekomen"], ["F-4", date(2023, 7, 20), 500, 105, "nagekomen"]]
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx", below={"tblFacturen": extra})
    data = run_board(inputs)
    fr = by_file(data)["12AB/a.xlsx"]
    assert located(fr.findings, "W5") == [("W5", INFO, t.sheet, f"A{t.last_row + 1}"), ("W5", INFO, t.sheet, f"A{t.last_row + 2}")]
    rows = fr.hire.tables["tblFacturen"]
    assert [r.get("Factuurnummer") for r in rows] == ["F-1", "F-2", "F-3", "F-4"]
    inv = data.invoices_df.filter(data.invoices_df["geteld"])
    assert inv.height == 4 and inv["bedrag"].sum() == Decimal("22000.00")
    # the amounts below the table count for the other rules too (A4: 22.000 invoiced against 20.000)
    assert located(fr.findings, "A4") == [at("A4", WARN, fcell("contractwaarde"))]


def test_q1_a_second_row_for_a_question_is_a_finding_at_its_number_and_the_first_row_counts(tmp_path):
    """Question 4 answered Ja in the table and Nee in a row typed under it: Q1 at the second row's Nr cell (the row
    below the table), no Q2 (the first row counts, as in the MR report). Bug: the second row silently left out."""
    t = S.tables["tblVragenlijst"]
    found = hire_findings(tmp_path, below={"tblVragenlijst": [[4, None, "Nee", "Toch niet bewezen.", None]]})
    assert located(found, "Q1", "Q2") == [at("Q1", FOUT, (t.sheet, f"{t.column_letter('Nr')}{t.last_row + 1}"))]
    q1 = next(f for f in found if f.rule == "Q1")
    assert f"{t.column_letter('Nr')}{t.first_row + 3}" in q1.message  # names the first row, the one that counts


def test_w5_stray_cell_is_a_warning_at_its_cell(tmp_path):
    sheet = S.fields["budget"].sheet

    def scribble(wb):
        wb[sheet]["E6"] = "budget nog afstemmen met bestuur"

    found = read_and_check(edit(write_workbook(tmp_path / "a.xlsx"), scribble))
    assert located(found, "W5") == [("W5", WARN, sheet, "E6")]


def test_w5_clean_workbook_has_no_w5(tmp_path):
    assert located(hire_findings(tmp_path), "W5") == []


# --------------------------------------------------------------------------- Q1: a question missing from the list


def test_q1_question_missing_from_the_list(tmp_path):
    t = S.tables["tblVragenlijst"]

    def clear_nr(wb):
        wb[t.sheet][f"{t.column_letter('Nr')}{t.first_row + 6}"] = None

    found = read_and_check(edit(write_workbook(tmp_path / "a.xlsx"), clear_nr))
    assert located(found, "Q1") == [at("Q1", FOUT, q(7, "Nr"))]


# --------------------------------------------------------------------------- W6: one hire, one workbook


def test_w6_identical_copy_counts_once(tmp_path):
    inputs = tmp_path / "inputs"
    original = write_workbook(inputs / "12AB" / "inhuur.xlsx")
    shutil.copyfile(original, inputs / "12AB" / "inhuur (kopie).xlsx")
    data = run_board(inputs)
    files = by_file(data)
    # the copy that does not count is the one named; the other is counted
    assert located(files["12AB/inhuur (kopie).xlsx"].findings, "W6") == [at("W6", INFO, fcell("volgnummer"))]
    assert located(files["12AB/inhuur.xlsx"].findings, "W6") == []
    assert files["12AB/inhuur (kopie).xlsx"].status == model.SUPERSEDED
    assert files["12AB/inhuur.xlsx"].status == model.READ
    assert [h.file for h in data.hires] == ["12AB/inhuur.xlsx"]
    assert data.hires_df.filter(data.hires_df["geteld"]).height == 1
    assert data.invoices_df.filter(data.invoices_df["geteld"])["bedrag"].sum() == Decimal("20000.00")


def test_w6_newer_version_wins(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "versie 2.xlsx", {"versiedatum": date(2022, 8, 1), "contractwaarde": 22000})
    write_workbook(inputs / "12AB" / "versie 1.xlsx", {"versiedatum": date(2022, 7, 10)})
    data = run_board(inputs)
    files = by_file(data)
    old, new = files["12AB/versie 1.xlsx"], files["12AB/versie 2.xlsx"]
    assert located(old.findings, "W6") == [at("W6", WARN, fcell("versiedatum"))]
    assert located(new.findings, "W6") == [at("W6", INFO, fcell("versiedatum"))]
    assert old.status == model.SUPERSEDED == "vervangen" and new.status == model.READ
    assert data.superseded == {"12AB/versie 1.xlsx": "12AB/versie 2.xlsx"}
    assert [h.get("contractwaarde") for h in data.hires] == [Decimal("22000.00")]


def test_w6_different_content_same_version_date(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx")
    write_workbook(inputs / "12AB" / "b.xlsx", {"contractwaarde": 22000})
    files = by_file(run_board(inputs))
    assert located(files["12AB/a.xlsx"].findings, "W6") == [at("W6", WARN, fcell("versiedatum"))]
    assert located(files["12AB/b.xlsx"].findings, "W6") == [at("W6", WARN, fcell("versiedatum"))]
    assert files["12AB/a.xlsx"].status == model.SUPERSEDED and files["12AB/b.xlsx"].status == model.READ


def test_w6_different_hires_are_not_duplicates(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "1.xlsx")
    write_workbook(inputs / "12AB" / "2.xlsx", {"volgnummer": 2})
    write_workbook(inputs / "14CD" / "1.xlsx", {"brin": "14CD", "school_naam": "CBS Het Kompas"})
    data = run_board(inputs)
    assert not located([f for fr in data.files for f in fr.findings], "W6")
    assert len(data.hires) == 3 and not data.superseded


# --------------------------------------------------------------------------- A2: splitting across the board

SCHOOLS = {"12AB": "OBS De Regenboog", "14CD": "CBS Het Kompas", "17EF": "SBO De Brug"}


def _supplier_board(inputs: Path, values: dict[str, Any], overrides: dict[str, dict] | None = None) -> model.RunData:
    overrides = overrides or {}
    for brin, value in values.items():
        fields = {"brin": brin, "school_naam": SCHOOLS[brin], "contractwaarde": value, "procedure": "Meervoudig onderhands",
                  **overrides.get(brin, {}).get("fields", {})}
        tables = {"tblOffertes": three_quotes(value), **overrides.get(brin, {}).get("tables", {})}
        write_workbook(inputs / brin / "tutoring.xlsx", fields, tables)
    return run_board(inputs)


def test_a2_one_supplier_split_over_schools(tmp_path):
    data = _supplier_board(tmp_path / "inputs", {"12AB": 80000, "14CD": 80000, "17EF": 80000})
    files = by_file(data)
    for brin in SCHOOLS:
        fr = files[f"{brin}/tutoring.xlsx"]
        assert located(fr.findings, "A2", "A1") == [at("A2", FOUT, fcell("leverancier_kvk"))]
        a2 = next(f for f in fr.findings if f.rule == "A2")
        assert all(f"{b}-2022-2023-1 (schooljaar 2022-2023" in a2.message for b in SCHOOLS)  # every hire, itself too


def test_a2_lists_every_hire_with_its_own_school_year_and_the_window(tmp_path):
    """Seen: 'verdeeld over 3 opdrachten:' followed by two, and the window's school year without the hires' own."""
    data = run.run(_demo_inputs(tmp_path), workers=1, today=TODAY)
    a2 = [f for fr in data.files for f in fr.findings if f.rule == "A2"]
    assert len(a2) == 3
    ids = {f.hire_id for f in a2}
    for f in a2:
        for hid in ids:
            assert hid in f.message, (hid, f.message)
        for hid in ids:  # each hire is labelled with its own school year
            year = hid[5:14]
            assert f"{hid} (schooljaar {year}" in f.message
        assert "Venster samentellen" in f.message


def _demo_inputs(tmp_path):
    from tools import demo

    demo.generate(tmp_path / "inputs")
    return tmp_path / "inputs"


@pytest.mark.parametrize("values, overrides", [
    pytest.param({"12AB": 70000, "14CD": 70000, "17EF": 70000}, None, id="sum-under-threshold"),
    pytest.param({"12AB": 80000, "14CD": 80000, "17EF": 80000}, {"17EF": {"fields": {"procedure": "Europees"}}}, id="one-europees"),
    pytest.param({"12AB": 80000, "14CD": 80000, "17EF": 80000},
                 {"17EF": {"fields": {"leverancier_kvk": "80099999", "leverancier_naam": "Ander bureau"}}}, id="other-supplier"),
    pytest.param({"12AB": 80000, "14CD": 80000, "17EF": 80000},
                 {"17EF": {"fields": {"contract_getekend": date(2023, 8, 20), "startdatum": date(2023, 9, 1), "einddatum": date(2024, 6, 30)},
                           "tables": {"tblOffertes": three_quotes(80000, date(2023, 8, 15))}}}, id="other-school-year"),
])
def test_a2_not_split(tmp_path, values, overrides):
    data = _supplier_board(tmp_path / "inputs", values, overrides)
    assert located([f for fr in data.files for f in fr.findings], "A2") == []


def test_a2_not_when_one_reaches_the_threshold_alone(tmp_path):
    data = _supplier_board(tmp_path / "inputs", {"12AB": 230000, "14CD": 20000})
    found = [f for fr in data.files for f in fr.findings]
    assert located(found, "A2") == []
    assert located(by_file(data)["12AB/tutoring.xlsx"].findings, "A1") == [at("A1", FOUT, fcell("procedure"))]


# --------------------------------------------------------------------------- A5: hourly rate far from the median


def _rates_board(inputs: Path, rates: list[Any], kinds: list[str] | None = None) -> model.RunData:
    for i, rate in enumerate(rates, start=1):
        fields = {"volgnummer": i, "uurtarief": rate}
        if kinds:
            fields["soort_inhuur"] = kinds[i - 1]
        write_workbook(inputs / "12AB" / f"{i}.xlsx", fields)
    return run_board(inputs)


def test_a5_rate_far_from_the_median(tmp_path):
    data = _rates_board(tmp_path / "inputs", [50, 55, "€ 150,00", 60])
    files = by_file(data)
    assert located(files["12AB/3.xlsx"].findings, "A5") == [at("A5", INFO, fcell("uurtarief"))]
    for n in (1, 2, 4):
        assert located(files[f"12AB/{n}.xlsx"].findings, "A5") == []


@pytest.mark.parametrize("rates, kinds", [
    pytest.param([50, 55, 60], None, id="close-together"),
    pytest.param([50, 150], None, id="only-two-rates"),
    pytest.param([50, 55, 150], ["Ondersteuning schoolpersoneel / extra handen in de klas"] * 2 + ["Expertise van adviseurs"],
                 id="different-kind"),
    pytest.param([50, None, None, 150], None, id="no-rate-given"),
])
def test_a5_no_finding(tmp_path, rates, kinds):
    data = _rates_board(tmp_path / "inputs", rates, kinds)
    assert located([f for fr in data.files for f in fr.findings], "A5") == []


# --------------------------------------------------------------------------- P5 at board level: share of the allocation


def _share_board(pupils: int) -> config.Board:
    return config.Board(name="Testbestuur", schools={"12AB": config.School("12AB", "OBS De Regenboog", "bo")},
                        pupils=[config.Pupils("12AB", "2022-2023", pupils, Decimal("0"), 0)])


def test_p5_share_of_the_allocation(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx")
    # 20 pupils × €500 = €10.000 allocated in 2022-2023; €24.200 incl. BTW spent externally
    data = run_board(inputs, _share_board(20))
    assert located(by_file(data)["12AB/a.xlsx"].findings, "P5") == [at("P5", WARN, fcell("contractwaarde"))]


def test_p5_share_within_the_allocation(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx")
    data = run_board(inputs, _share_board(1000))
    assert located(by_file(data)["12AB/a.xlsx"].findings, "P5") == []


# --------------------------------------------------------------------------- W2: a school that is not the board's


def test_w2_a_school_not_in_bestuur_xlsx_is_a_fout_at_the_brin(tmp_path):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "99ZZ" / "a.xlsx", {"brin": "99ZZ"})
    data = run_board(inputs, _share_board(1000))
    fr = by_file(data)["99ZZ/a.xlsx"]
    assert fr.status == "afgewezen" and not data.hires
    assert located(fr.findings, "W2") == [at("W2", FOUT, fcell("brin"))]


def _p5_board(inputs: Path, spent_2024: Any) -> model.RunData:
    """One school: 2022-2023 allocation 20 pupils × €500 = €10.000 (later years bring no new money, nponderwijs.nl);
    a hire invoiced only in school year 2024-2025."""
    board = config.Board(name="Testbestuur", schools={"12AB": config.School("12AB", "OBS De Regenboog", "bo")},
                         pupils=[config.Pupils("12AB", y, 20, Decimal("0"), 0) for y in ("2022-2023",)]
                         + [config.Pupils("12AB", y, 20, Decimal("0"), 0) for y in ("2023-2024", "2024-2025")])
    write_workbook(inputs / "12AB" / "a.xlsx",
                   {"schooljaar": "2024-2025", "startdatum": date(2024, 9, 1), "einddatum": date(2025, 6, 30),
                    "contract_getekend": date(2024, 7, 15), "mr_advies_gevraagd": date(2024, 6, 25), "mr_advies_ontvangen": date(2024, 7, 5),
                    "mr_instemming_schoolprogramma": date(2024, 6, 20), "contractwaarde": 20000},
                   {"tblFacturen": [["F-1", date(2024, 12, 31), spent_2024, 0, "a"]], "tblOffertes": [quote(20000, date(2024, 7, 1))]})
    return run_board(inputs, board)


@pytest.mark.parametrize("spent, flagged", [
    pytest.param("5.000,01", True, id="one-cent-over-50-percent"),
    pytest.param(5000, False, id="exactly-50-percent"),
])
def test_p5_share_is_cumulative_so_spending_after_2023_is_checked(tmp_path, spent, flagged):
    # All allocations up to 31-7-2025: €10.000 (2022-2023) + €0 + €0; limit 50 % = €5.000.
    data = _p5_board(tmp_path / "inputs", spent)
    assert located(by_file(data)["12AB/a.xlsx"].findings, "P5") == ([at("P5", WARN, fcell("contractwaarde"))] if flagged else [])


def test_p4_participant_not_in_bestuur_xlsx(tmp_path):
    inputs = tmp_path / "inputs"
    board = config.Board(name="Testbestuur", schools={b: config.School(b, n, "bo") for b, n in SCHOOLS.items()})
    write_workbook(inputs / "12AB" / "a.xlsx", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1)},
                   {"tblDeelnemers": [PARTICIPANTS[0], PARTICIPANTS[1], ["99ZZ", "20%", date(2022, 7, 1)]]})
    data = run_board(inputs, board)
    assert located(by_file(data)["12AB/a.xlsx"].findings, "P4") == [at("P4", FOUT, tcell("tblDeelnemers", "BRIN", 3))]


# --------------------------------------------------------------------------- A2 at its boundaries


@pytest.mark.parametrize("values, flagged", [
    # two hires (a pair is enough), threshold 2022-2023: €215.000
    pytest.param({"12AB": 107500, "14CD": 107500}, True, id="pair-sum-exactly-at-threshold"),
    pytest.param({"12AB": 107500, "14CD": "107.499,99"}, False, id="pair-sum-one-cent-under"),
    pytest.param({"12AB": "214.999,99", "14CD": "0,01"}, True, id="one-just-under-alone"),
    pytest.param({"12AB": 215000, "14CD": "0,01"}, False, id="one-exactly-at-threshold-alone"),
])
def test_a2_boundaries(tmp_path, values, flagged):
    data = _supplier_board(tmp_path / "inputs", values)
    for brin in values:
        assert located(by_file(data)[f"{brin}/tutoring.xlsx"].findings, "A2") == ([at("A2", FOUT, fcell("leverancier_kvk"))] if flagged else [])


def test_a2_counts_an_indefinite_contract_at_48_months(tmp_path):
    # 2.000 × 48 = 96.000 plus 120.000 = 216.000 ≥ 215.000; with the stated 24.000 it would be 144.000
    data = _supplier_board(tmp_path / "inputs", {"12AB": 24000, "14CD": 120000},
                           {"12AB": {"fields": {"onbepaalde_tijd": "Ja", "maandbedrag": 2000}}})
    for brin in ("12AB", "14CD"):
        assert located(by_file(data)[f"{brin}/tutoring.xlsx"].findings, "A2") == [at("A2", FOUT, fcell("leverancier_kvk"))]


def test_a2_calendar_year_window(tmp_path):
    """With the window set to the calendar year, procurements started on 31-12-2022 and 1-1-2023 are not summed;
    in the default school-year window they are."""
    inputs = tmp_path / "inputs"
    dates = {"12AB": date(2022, 12, 31), "14CD": date(2023, 1, 1)}
    for brin, d in dates.items():
        write_workbook(inputs / brin / "tutoring.xlsx",
                       {"brin": brin, "school_naam": SCHOOLS[brin], "contractwaarde": 110000, "procedure": "Meervoudig onderhands",
                        "contract_getekend": date(2023, 1, 15), "startdatum": date(2023, 2, 1), "einddatum": date(2023, 7, 1)},
                       {"tblOffertes": three_quotes(110000, d)})
    schools = {b: config.School(b, n, "bo") for b, n in SCHOOLS.items()}
    found = [f for fr in run_board(inputs, config.Board(settings=config.Settings(split_window="kalenderjaar"), schools=schools)).files
             for f in fr.findings]
    assert located(found, "A2") == []
    found = [f for fr in run_board(inputs, config.Board(schools=schools)).files for f in fr.findings]
    assert len(located(found, "A2")) == 2


def test_a1_social_services_regime_raises_the_threshold_to_750000(tmp_path):
    path = config.write(tmp_path / config.FILE_NAME, config.Board(settings=config.Settings(social_services_regime=True)))
    board, _ = config.load(path)
    fields = {"procedure": "Nationaal"}
    assert located(hire_findings(tmp_path / "a", {**fields, "contractwaarde": 750000}, board=board), "A1") == [at("A1", FOUT, fcell("procedure"))]
    assert located(hire_findings(tmp_path / "b", {**fields, "contractwaarde": "749.999,99"}, board=board), "A1") == []
    assert located(hire_findings(tmp_path / "c", {**fields, "contractwaarde": 215000}), "A1") == [at("A1", FOUT, fcell("procedure"))]


# --------------------------------------------------------------------------- A5 and P5 share at their boundaries


@pytest.mark.parametrize("rate, flagged", [
    # median of 40, 40, 40, rate = 40; deviation 50 %: far means more than €20 from the median
    pytest.param(60, False, id="exactly-50-percent-above"),
    pytest.param("60,01", True, id="one-cent-more"),
    pytest.param(20, False, id="exactly-50-percent-below"),
    pytest.param("19,99", True, id="one-cent-less"),
])
def test_a5_boundaries(tmp_path, rate, flagged):
    data = _rates_board(tmp_path / "inputs", [40, 40, 40, rate])
    # median of [40, 40, 40, x] is 40 for every x here
    assert located(by_file(data)["12AB/4.xlsx"].findings, "A5") == ([at("A5", INFO, fcell("uurtarief"))] if flagged else [])


@pytest.mark.parametrize("incl, flagged", [
    # allocation 2022-2023: 40 pupils × €500 = €20.000; limit 50 % = €10.000 incl. BTW
    pytest.param(("8.264,46", "1.735,54"), False, id="exactly-10000"),
    pytest.param(("8.264,46", "1.735,55"), True, id="one-cent-over"),
])
def test_p5_share_boundary(tmp_path, incl, flagged):
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "12AB" / "a.xlsx", None, {"tblFacturen": [["F-1", date(2022, 12, 31), incl[0], incl[1], "a"]]})
    data = run_board(inputs, _share_board(40))
    assert located(by_file(data)["12AB/a.xlsx"].findings, "P5") == ([at("P5", WARN, fcell("contractwaarde"))] if flagged else [])


def test_workbook_of_the_previous_template_version_is_still_read(tmp_path):
    """Template 2026.1 lacks onbepaalde_tijd, maandbedrag and tblDeelnemers: no W2 for those, the rules still run."""
    path = write_workbook(tmp_path / "12AB" / "oud.xlsx", {"niveau": "Bovenschools", "gmr_instemming": date(2022, 6, 1),
                                                          "mr_akkoord_bovenschools": date(2022, 6, 10)})

    def to_2026_1(wb):
        for name in ("onbepaalde_tijd", "maandbedrag"):
            del wb.defined_names[name]
        ws = wb[S.tables["tblDeelnemers"].sheet]
        del ws.tables["tblDeelnemers"]
        sheet, cell = wb.defined_names["werkboek_versie"].attr_text.replace("$", "").split("!")
        wb[sheet.strip("'")][cell].value = "2026.1"

    found = read_and_check(edit(path, to_2026_1))
    assert located(found, "W2", "W3", "W4", "P4") == []
    res = reader.read(path)
    assert res.hire.template_version == "2026.1" and res.hire.tables["tblDeelnemers"] == []


# --------------------------------------------------------------------------- V1: po 6 months, vo 26 weeks, from bestuur.xlsx


@pytest.mark.parametrize("kind, vog, old", [
    # start 1-9-2022: 1-3-2022 is exactly 6 months before (po: fine) but 184 days (> 26 weeks: vo too old)
    ("bo", date(2022, 3, 1), False),
    ("vo", date(2022, 3, 1), True),
    ("bo", date(2022, 2, 28), True),
    ("vo", date(2022, 3, 3), False),  # 182 days = 26 weeks
    ("vo", date(2022, 3, 2), True),
    ("sbo", date(2022, 3, 1), False),
])
def test_v1_vog_age_depends_on_the_school_kind_in_bestuur_xlsx(tmp_path, kind, vog, old):
    path = config.write(tmp_path / config.FILE_NAME, config.Board(schools={"12AB": config.School("12AB", "School", kind)}))
    board, problems = config.load(path)
    assert problems == [] and board.school_kind("12AB") == kind
    found = hire_findings(tmp_path, {"contact_leerlingen": "Ja"}, {"tblMedewerkers": staff(vog)}, board=board)
    assert located(found, "V1") == ([at("V1", FOUT, tcell("tblMedewerkers", "VOG-datum"))] if old else [])


def test_v1_through_a_board_run(tmp_path):
    inputs = tmp_path / "inputs"
    board = config.Board(schools={"12AB": config.School("12AB", "OBS De Regenboog", "bo"), "21GH": config.School("21GH", "Da Vinci", "vo")})
    for brin in ("12AB", "21GH"):
        write_workbook(inputs / brin / "a.xlsx", {"brin": brin, "contact_leerlingen": "Ja"}, {"tblMedewerkers": staff(date(2022, 3, 1))})
    files = by_file(run_board(inputs, board))
    assert located(files["12AB/a.xlsx"].findings, "V1") == []
    assert located(files["21GH/a.xlsx"].findings, "V1") == [at("V1", FOUT, tcell("tblMedewerkers", "VOG-datum"))]


# --------------------------------------------------------------------------- S5 with the board's grace period


def test_s5_grace_from_bestuur_xlsx(tmp_path):
    path = config.write(tmp_path / config.FILE_NAME, config.Board(settings=config.Settings(evaluation_grace_months=1)))
    board, _ = config.load(path)
    found = hire_findings(tmp_path, {**END_2026, "einddatum": date(2026, 10, 22)}, unset=("evaluatiedatum",), board=board)
    assert located(found, "S5") == [at("S5", FOUT, fcell("evaluatiedatum"))]


# --------------------------------------------------------------------------- L1–L4: the board's ledger


def _ledger_board() -> config.Board:
    return config.Board(
        schools={"12AB": config.School("12AB", "OBS De Regenboog", "bo"), "14CD": config.School("14CD", "CBS Het Kompas", "bo")},
        ledger=config.LedgerSettings(selections=[config.Selection("44*", "", 0)], cost_centres={"112": "12AB", "114": "14CD"}),
        from_file=True)


def test_l1_to_l4_through_a_board_run(tmp_path):
    inputs = tmp_path / "inputs"
    invoices = [[f"F-{i}", date(2023, 1, i), 1000, 210, "Tutoring"] for i in range(1, 5)]
    write_workbook(inputs / "12AB" / "a.xlsx", {"brin": "12AB"}, {"tblFacturen": invoices})
    folder = inputs / "grootboek"
    folder.mkdir()
    (folder / "export.csv").write_bytes((
        "Boekdatum;Rekening;Kostenplaats;Crediteur;Naam crediteur;Factuurnummer;Bedrag\r\n"
        "01-01-2023;4410;112;1;Bijlesbureau Slim Verder BV;F-1;1.000,00\r\n"   # line 2: matches
        "02-01-2023;4410;112;1;Bijlesbureau Slim Verder BV;F-2;1.000,01\r\n"   # line 3: one cent more (L3)
        "03-01-2023;4410;114;1;Bijlesbureau Slim Verder BV;F-3;1.000,00\r\n"   # line 4: another school (L4)
        "05-01-2023;4410;112;2;Huiswerkhulp Noord;H-1;250,00\r\n"              # line 5: no workbook (L1); F-4 unbooked (L2)
        "06-01-2023;4350;112;3;Schoonmaak;S-1;99,00\r\n"                       # line 6: not NPO
    ).encode("cp1252"))
    (folder / "onbekend.csv").write_text("Kolom A;Kolom B\n1;2\n", encoding="utf-8")
    (folder / "kapot.xlsx").write_bytes(b"PK\x03\x04 geen echte werkmap")
    data = run_board(inputs, _ledger_board())
    found = record(run.iter_findings(data))
    assert located(found, "L2", "L3", "L4") == [
        at("L2", WARN, tcell("tblFacturen", "Bedrag excl. BTW", 4)),
        at("L3", FOUT, tcell("tblFacturen", "Bedrag excl. BTW", 2)),
        at("L4", WARN, tcell("tblFacturen", "Bedrag excl. BTW", 3)),
    ]
    assert sorted((f.file, f.cell) for f in found if f.rule == "L1") == [
        ("grootboek/export.csv", "regel 5"), ("grootboek/kapot.xlsx", ""), ("grootboek/onbekend.csv", "regel 1")]
    assert {f.file: f.status for f in data.ledger_files} == {
        "grootboek/export.csv": "gelezen", "grootboek/kapot.xlsx": "afgewezen", "grootboek/onbekend.csv": "afgewezen"}


def _ledger_run(inputs: Path, rows: str, workbooks: dict[str, list[list]] | None = None, board: config.Board | None = None,
                rules: tuple[str, ...] = ("L1", "L4", "L5", "A2")):
    for name, invoices in (workbooks or {"12AB/a.xlsx": [["F-1", date(2023, 1, 1), 1000, 210, "Tutoring"]]}).items():
        brin, _, rest = name.partition("/")
        write_workbook(inputs / name, {"brin": brin, "volgnummer": int(rest[0]) if rest[0].isdigit() else 1}, {"tblFacturen": invoices})
    folder = inputs / "grootboek"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export.csv").write_text("Boekdatum;Rekening;Kostenplaats;Crediteur;Naam crediteur;Factuurnummer;Bedrag\n" + rows, encoding="utf-8")
    data = run_board(inputs, board or _ledger_board())
    found = record(run.iter_findings(data))
    return sorted((f.rule, f.file, f.cell) for f in found if f.rule in rules)


def test_ledger_files_that_yield_nothing_to_check_are_l1_on_the_file(tmp_path):
    # no line on an NPO account
    assert _ledger_run(tmp_path / "a", "01-01-2023;6410;112;1;Slim Verder;F-1;1.000,00\n") == [("L1", "grootboek/export.csv", "")]
    # no readable date at all: no period (the lines are a W4 too)
    assert _ledger_run(tmp_path / "b", "ooit;4410;112;1;Slim Verder;F-1;1.000,00\n") == [("L1", "grootboek/export.csv", "")]
    # headings only
    assert _ledger_run(tmp_path / "c", "") == [("L1", "grootboek/export.csv", "")]
    # NPO lines of which none matches a workbook invoice
    assert _ledger_run(tmp_path / "d", "01-01-2023;4410;112;9;Iemand Anders;Q-1;500,00\n") == [
        ("L1", "grootboek/export.csv", ""), ("L1", "grootboek/export.csv", "regel 2")]


def test_ledger_split_booking_l4_and_an_invoice_in_two_workbooks_l5(tmp_path):
    got = _ledger_run(tmp_path / "a", "01-01-2023;4410;112;1;Bijlesbureau Slim Verder BV;F-1;600,00\n"
                                      "01-01-2023;4410;114;1;Bijlesbureau Slim Verder BV;F-1;400,00\n")
    assert got == [("L4", "12AB/a.xlsx", tcell("tblFacturen", "Bedrag excl. BTW", 1)[1])]
    twice = {"12AB/1a.xlsx": [["F-1", date(2023, 1, 1), 1000, 210, "Tutoring"]], "12AB/2b.xlsx": [["F-1", date(2023, 1, 1), 1000, 210, "Tutoring"]]}
    got = _ledger_run(tmp_path / "b", "01-01-2023;4410;112;1;Bijlesbureau Slim Verder BV;F-1;1.000,00\n", twice)
    cell = tcell("tblFacturen", "Bedrag excl. BTW", 1)[1]
    assert [g for g in got if g[0] == "L5"] == [("L5", "12AB/1a.xlsx", cell), ("L5", "12AB/2b.xlsx", cell)]


def test_a2_with_the_suppliers_spending_outside_the_npo_selection(tmp_path):
    invoices = {"12AB/a.xlsx": [["F-1", date(2023, 1, 1), 150000, 0, "Tutoring"]]}
    got = _ledger_run(tmp_path, "01-01-2023;4410;112;1;Bijlesbureau Slim Verder BV;F-1;150.000,00\n"
                                "01-03-2023;4300;112;1;Bijlesbureau Slim Verder BV;R-1;80.000,00\n", invoices)
    assert [g[0] for g in got] == ["A2"]


def test_p9_an_invoice_and_an_npo_booking_after_the_end_of_the_programme(tmp_path):
    inputs = tmp_path / "inputs"
    late = {"12AB/a.xlsx": [["F-1", date(2025, 6, 30), 1000, 210, "Tutoring"], ["F-2", date(2025, 9, 30), 1000, 210, "Tutoring"]]}
    got = _ledger_run(inputs, "30-06-2025;4410;112;1;Bijlesbureau Slim Verder BV;F-1;1.000,00\n"
                              "30-09-2025;4410;112;1;Bijlesbureau Slim Verder BV;F-2;1.000,00\n", late, rules=("P9",))
    assert got == [("P9", "12AB/a.xlsx", tcell("tblFacturen", "Factuurdatum", 2)[1]), ("P9", "grootboek/export.csv", "regel 3")]


# --------------------------------------------------------------------------- every message of the catalogue is reachable


def _pattern(template_text: str) -> re.Pattern:
    parts = []
    for literal, field_name, _, _ in string.Formatter().parse(template_text):
        parts.append(re.escape(literal))
        if field_name is not None:
            parts.append(r".+?" if field_name else "")
    return re.compile("".join(parts), re.DOTALL)


def _items(node) -> Iterable[pytest.Item]:
    for child in node.collect():
        yield from [child] if isinstance(child, pytest.Item) else _items(child)


def _produced_by_every_other_test(request, tmp_path) -> list[tuple[str, str]]:
    """(rule, message) of every finding the other tests of this module produce: those that ran in this process
    when that is all of them (the whole module, in file order), else from the whole module run in a child pytest."""
    others = {i.nodeid for i in _items(request.node.getparent(pytest.Module))} - {request.node.nodeid}
    if others <= RAN:
        return [(f.rule, f.message) for f in PRODUCED]
    out = tmp_path / "produced.json"
    child = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.path.as_posix(),
                            "--deselect", request.node.nodeid], cwd=request.config.rootpath, capture_output=True,
                           text=True, env={**os.environ, PRODUCED_OUT: str(out)})
    assert out.is_file(), child.stdout[-3000:] + child.stderr[-3000:]
    return [tuple(p) for p in json.loads(out.read_text(encoding="utf-8"))]


def test_every_message_is_produced_by_some_test(request, tmp_path):
    """Every message code of every rule is produced by some test of this module, with its placeholders filled.
    Whatever else was selected or ran before: without all of the module's tests in this process, they run again."""
    produced = _produced_by_every_other_test(request, tmp_path)
    missing = []
    for rule in findings_mod.catalogue().values():
        for code, msg in rule.messages.items():
            pat = _pattern(msg.template)
            if not any(r == rule.id and pat.fullmatch(m) for r, m in produced):
                missing.append(f"{rule.id}.{code}")
    assert missing == []
    for rule, message in produced:
        assert "{" not in message and "None" not in message, (rule, message)

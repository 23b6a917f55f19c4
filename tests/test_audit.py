"""The auditor's figures on the demo board, each against a sum made by hand from the input files."""
from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from pipeline import audit, run
from pipeline.read import board as config
from pipeline.render import audit as audit_render
from pipeline.render import jaarverslag, register
from tools import demo

TODAY = date(2025, 11, 1)


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("audit") / "inputs"
    demo.generate(inputs)
    return inputs


@pytest.fixture(scope="module")
def data(demo_inputs):
    return run.run(demo_inputs, workers=1, today=TODAY)


def ledger_by_hand(inputs: Path, year: int) -> D:
    """The ledger's NPO selection of `year` read straight from the demo's CSV (Windows-1252, debet/credit columns):
    account 44*, project NPO, booking date in `year`."""

    def amount(text: str) -> D:
        return D(text.replace(".", "").replace(",", ".")) if text.strip() else D("0")

    total = D("0")
    for path in (inputs / "grootboek").iterdir():
        rows = list(csv.reader(path.read_bytes().decode("cp1252").splitlines(), delimiter=";"))
        col = {name: i for i, name in enumerate(rows[0])}
        for r in rows[1:]:
            if r and r[col["Rekening"]].startswith("44") and r[col["Project"]] == "NPO" and r[col["Boekdatum"]].endswith(str(year)):
                total += amount(r[col["Bedrag debet"]]) - amount(r[col["Bedrag credit"]])
    return total


def euro(text: str) -> D:
    return D(text.replace("€", "").replace("\xa0", "").replace(".", "").replace(",", ".").strip())


# --------------------------------------------------------------------------- the bridge


def test_bridge_2023_by_hand(data, demo_inputs):
    b = audit.bridge(data, 2023)
    assert (b.incl, b.btw, b.excl) == (D("455883.00"), D("71883.00"), D("384000.00"))
    # 384.000 + L1 NL-2023-11 3.150 + L3 ZS-1077 (6.600 booked, 6.000 in the workbook) 600 = 387.750
    steps = {line.step: [(i.factuurnummer, i.amount) for i in line.items] for line in b.lines}
    assert steps == {audit.L1: [("NL-2023-11", D("3150.00"))], audit.L3: [("ZS-1077", D("600.00"))]}
    assert b.end == ledger_by_hand(demo_inputs, 2023) == D("387750.00")


def test_every_year_adds_up_to_the_cent_and_ends_at_the_ledger(data, demo_inputs):
    for year in range(2021, 2026):
        b = audit.bridge(data, year)
        assert b.excl + sum(line.amount for line in b.lines) == b.end
        assert b.end == ledger_by_hand(demo_inputs, year), year
        assert audit.UNEXPLAINED not in {line.step for line in b.lines}, year
    # 2024: SR-24-31 (€ 4.800) is in a workbook but not booked (L2), NL-2024-02 (€ 2.850) booked without a workbook (L1)
    lines = {line.step: line.amount for line in audit.bridge(data, 2024).lines}
    assert lines == {audit.L2: D("-4800.00"), audit.L1: D("2850.00")}


def _moved_booking(source: Path, target: Path, number: str, new_date: str) -> Path:
    """A copy of the demo inputs whose ledger books invoice `number` on another date."""
    shutil.copytree(source, target)
    path = next((target / "grootboek").iterdir())
    lines = path.read_bytes().decode("cp1252").splitlines(keepends=True)
    hit = [i for i, line in enumerate(lines) if f";{number};" in line]
    assert hit, number
    for i in hit:
        lines[i] = new_date + lines[i][10:]  # Boekdatum is the first column, dd-mm-jjjj
    path.write_bytes("".join(lines).encode("cp1252"))
    return target


def test_timing_differences_both_ways(demo_inputs, tmp_path):
    # KR-1420 (€ 14.000 excl., dated 31-12-2023) booked on 05-01-2024
    inputs = _moved_booking(demo_inputs, tmp_path / "inputs", "KR-1420", "05-01-2024")
    data = run.run(inputs, workers=1, today=TODAY)
    b23, b24 = audit.bridge(data, 2023), audit.bridge(data, 2024)
    out = {line.step: [(i.factuurnummer, i.amount) for i in line.items] for line in b23.lines}
    back = {line.step: [(i.factuurnummer, i.amount) for i in line.items] for line in b24.lines}
    assert out[audit.TIMING_OUT] == [("KR-1420", D("-14000.00"))]
    assert back[audit.TIMING_IN] == [("KR-1420", D("14000.00"))]
    assert b23.end == ledger_by_hand(inputs, 2023) == D("387750.00") - D("14000.00")
    assert b24.end == ledger_by_hand(inputs, 2024)


def test_without_a_ledger_the_bridge_stops(demo_inputs, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(demo_inputs, inputs, ignore=shutil.ignore_patterns("grootboek"))
    data = run.run(inputs, workers=1, today=TODAY)
    b = audit.bridge(data, 2023)
    assert not b.ledger and b.lines == [] and b.excl == D("384000.00")
    ctx = audit_render.appendix_context(data, 2023)
    assert [euro(r["bedrag"]) for r in ctx["brug"]] == [D("455883.00"), D("-71883.00"), D("384000.00")]
    frame = audit_render.bridge_frame(data).filter(pl.col("kalenderjaar") == 2023)
    assert frame.get_column("soort").to_list() == ["beginstand", "mutatie", "eindstand"]


def test_register_sheet_brug_adds_up_per_year(data, demo_inputs):
    frame = register.tables(data)["Brug"]
    for year in range(2021, 2026):
        rows = frame.filter(pl.col("kalenderjaar") == year)
        start = rows.filter(pl.col("soort") == "beginstand").get_column("brug_bedrag").sum()
        moves = rows.filter(pl.col("soort") == "mutatie").get_column("brug_bedrag").sum()
        end = rows.filter(pl.col("soort") == "eindstand").get_column("brug_bedrag").sum()
        assert D(start) + D(moves) == D(end) == ledger_by_hand(demo_inputs, year)
    # every invoice line names its invoice and where it is
    l1 = frame.filter((pl.col("kalenderjaar") == 2023) & pl.col("omschrijving").str.contains("L1"))
    assert l1.select("factuurnummer", "grootboek").row(0)[0] == "NL-2023-11" and "regel" in l1.row(0, named=True)["grootboek"]


# --------------------------------------------------------------------------- Bijlage A


def test_bijlage_a_lists_every_invoice_of_the_register_with_its_cell(data):
    ctx = jaarverslag.jaarverslag_context(data, 2023)
    report, appendix = jaarverslag.split(ctx)
    assert "facturen" in appendix and "facturen" not in report and "brug" not in report
    invoices = register.tables(data)["Facturen"].filter(pl.col("geteld") & (pl.col("kalenderjaar") == 2023))
    listed = sorted((r["bestand"], r["tabblad"], r["cel"], r["school"]) for r in appendix["facturen"])
    expected = sorted(invoices.select("file", "sheet", "cell", "brin").iter_rows())
    assert listed == expected
    assert sum(euro(r["incl"]) for r in appendix["facturen"]) == D("455883.00") == euro(appendix["facturen_totaal"]["incl"])
    digests = {f.file: f.sha256 for f in data.files}
    assert all(r["sha256"] == digests[r["bestand"]] for r in appendix["facturen"])
    sources = [r["bestand"] for r in appendix["bronbestanden"]]
    assert sources[0] == config.FILE_NAME and any(s.startswith("grootboek/") for s in sources)
    not_counted = {r["bestand"] for r in appendix["niet_meegeteld"]}
    assert not_counted == {f.file for f in data.files if f.status != "gelezen"} and not_counted


def test_a_bovenschools_invoice_is_listed_per_school_with_its_share(tmp_path):
    from tests.builders import write_workbook

    inputs = tmp_path / "inputs"
    config.write(inputs / config.FILE_NAME, config.Board(
        schools={"12AB": config.School("12AB", "A", "bo"), "14CD": config.School("14CD", "B", "bo")}, from_file=True))
    write_workbook(inputs / "12AB" / "boven.xlsx", {"niveau": "Bovenschools"}, {
        "tblDeelnemers": [["12AB", 0.25, date(2022, 8, 1)], ["14CD", 0.75, date(2022, 8, 1)]],
        "tblFacturen": [["B-1", date(2023, 3, 1), 1000.01, 210.00, "Bovenschools"]]})
    data = run.run(inputs, workers=1, today=TODAY)
    rows = audit_render.appendix_context(data, 2023)["facturen"]
    assert sorted((r["school"], r["aandeel"], euro(r["excl"]), euro(r["btw"])) for r in rows) == [
        ("12AB", "25,0%", D("250.00"), D("52.50")), ("14CD", "75,0%", D("750.01"), D("157.50"))]


# --------------------------------------------------------------------------- rechtmatigheid


def test_rechtmatigheid_2023_equals_the_hand_sum_of_the_a1_a2_hires(data):
    law = audit.lawfulness(data, 2023)
    # A1 21GH-2021-2022-1: LK-23-01 € 60.000 + LK-23-02 € 58.000 excl., 21 % btw: € 142.780
    # A2 12AB-2022-2023-1: SV-2023-040, -101, -150, € 24.000 each + 21 %: € 87.120; 14CD-2022-2023-2: SV-2023-160 € 44.000
    # + 21 % = € 53.240; 17EF-2022-2023-1: SV-2023-170 € 18.000 + 21 % = € 21.780
    got = {r["hire_id"]: (r["regels"], D(r["bedrag"])) for r in law.rows.filter(pl.col("soort") == "fout").iter_rows(named=True)}
    assert got == {"21GH-2021-2022-1": ("A1", D("142780.00")), "12AB-2022-2023-1": ("A2", D("87120.00")),
                   "14CD-2022-2023-2": ("A2", D("53240.00")), "17EF-2022-2023-1": ("A2", D("21780.00"))}
    assert law.total(audit.FOUT) == D("304920.00") and law.spending == D("455883.00")
    ctx = audit_render.report_context(data, 2023, [h.file for h in jaarverslag.hires_in_year(data, 2023)])
    assert ctx["rechtmatigheid_totaal"]["fout_aandeel"] == "66,9%"  # 304.920 / 455.883 = 0,6688…
    assert {r["inhuur"] for r in ctx["nationaal"]} <= {h.hire_id for h in data.hires}
    assert all(r["severity"] and r["hire_id"] for r in law.national.iter_rows(named=True))
    assert set(law.national.get_column("hire_id")) >= {"12AB-2023-2024-2"}  # the A3 waarschuwing


def test_a_hire_without_procedure_or_kvk_is_an_uncertainty(tmp_path):
    from tests.builders import write_workbook

    inputs = tmp_path / "inputs"
    config.write(inputs / config.FILE_NAME, config.Board(schools={"12AB": config.School("12AB", "A", "bo")}, from_file=True))
    write_workbook(inputs / "12AB" / "a.xlsx", tables={"tblFacturen": [["F-1", date(2023, 3, 1), 1000, 210, "x"]]},
                   unset=("procedure", "leverancier_kvk"))
    data = run.run(inputs, workers=1, today=TODAY)
    law = audit.lawfulness(data, 2023)
    row = law.rows.row(0, named=True)
    assert law.rows.height == 1 and row["soort"] == audit.ONZEKER and D(row["bedrag"]) == D("1210.00")
    assert "procedure niet ingevuld" in row["reden"]
    sheet = register.tables(data)["Rechtmatigheid"]
    assert sheet.select("kalenderjaar", "soort", "incl_btw").row(0) == (2023, audit.ONZEKER, D("1210.00"))


# --------------------------------------------------------------------------- DUO amounts


def test_duo_amount_wins_and_is_named(data, tmp_path):
    alloc = {(b, y): (D(v), g) for b, y, v, g in data.allocations_df.iter_rows()}
    assert alloc[("12AB", "2022-2023")] == (D("299140.00"), config.DUO_BASIS)
    assert alloc[("21GH", "2022-2023")][1].startswith("berekend")
    assert audit.allocation_sources(data.allocations_df, ["2022-2023", "2023-2024"]) == {
        "12AB": audit.PARTLY, "14CD": audit.PARTLY, "17EF": audit.COMPUTED, "21GH": audit.COMPUTED}
    assert audit.allocation_sources(data.allocations_df, ["2021-2022"])["14CD"] == audit.DUO
    assert audit_render.all_computed_warning(data) is None
    # read back from bestuur.xlsx: column F of Leerlingen is DUO's amount
    board, found = config.load(data.inputs / config.FILE_NAME)
    assert not found and {(p.brin, p.schooljaar): p.allocation_override for p in board.pupils}[("14CD", "2021-2022")] == D("150310.00")
    ws = openpyxl.load_workbook(data.inputs / config.FILE_NAME)["Leerlingen"]
    assert ws["F1"].value == config.DUO_LABEL


def test_the_terminal_warns_once_when_every_allocation_is_computed(tmp_path, capsys):
    from pipeline import cli

    inputs = tmp_path / "inputs"
    board = config.Board(schools={"12AB": config.School("12AB", "A", "bo")},
                         pupils=[config.Pupils("12AB", "2022-2023", 100, D("0"), 0)], from_file=True)
    config.write(inputs / config.FILE_NAME, board)
    from tests.builders import write_workbook

    write_workbook(inputs / "12AB" / "a.xlsx", tables={"tblFacturen": [["F-1", date(2023, 3, 1), 1000, 210, "x"]]})
    code = cli.main(["report", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--geen-pdf", "--workers", "1"])
    assert code == 0
    captured = capsys.readouterr()
    assert (captured.out + captured.err).count("geen enkele komt van DUO") == 1

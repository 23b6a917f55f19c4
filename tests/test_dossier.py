"""The auditor's sample (MUS) by hand, the dossier folder byte for byte, and verify against the manifest."""
from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from pipeline import audit, cli, dossier, run, verify
from tools import demo

TODAY = date(2025, 11, 1)

# A population of five invoices, a credit note and a zero invoice; running totals A (0; 500], B (500; 3.500],
# C (3.500; 4.700], D (4.700; 11.700], E (11.700; 12.000]. Materiality € 6.000 at 95 % (factor 3,0): interval € 2.000.
POPULATION = [("A", D("500")), ("credit", D("-100")), ("B", D("3000")), ("C", D("1200")), ("nul", D("0")),
              ("D", D("7000")), ("E", D("300"))]


def test_mus_seed_7_by_hand():
    # seed 7 gives the start € 848,91: points 848,91 (B), 2.848,91 (B), 4.848,91 / 6.848,91 / 8.848,91 / 10.848,91 (D)
    plan, chosen = audit.mus_sample(POPULATION, D("6000"), D("0.95"), 7)
    assert (plan.factor, plan.interval, plan.start, plan.population, plan.count) == (D("3.0"), D("2000.00"), D("848.91"), D("12000"), 5)
    assert [(c.key, c.hits, c.first_point, c.above_interval) for c in chosen] == [
        ("B", 2, D("848.91"), True), ("D", 4, D("4848.91"), True)]


def test_mus_seed_8_by_hand():
    # seed 8 gives the start € 594,30: points 594,30 / 2.594,30 (B), 4.594,30 (C), 6.594,30 / 8.594,30 / 10.594,30 (D)
    plan, chosen = audit.mus_sample(POPULATION, D("6000"), D("0.95"), 8)
    assert plan.start == D("594.30")
    assert [(c.key, c.hits) for c in chosen] == [("B", 2), ("C", 1), ("D", 3)]
    assert not chosen[1].above_interval  # C (€ 1.200) is below the interval, drawn by its euro


def test_an_item_above_the_interval_is_always_drawn_and_a_credit_note_never():
    for seed in range(50):
        _, chosen = audit.mus_sample(POPULATION, D("6000"), D("0.95"), seed)
        keys = {c.key for c in chosen}
        assert {"B", "D"} <= keys and not keys & {"credit", "nul"}
    with pytest.raises(audit.SampleError):
        audit.mus_sample(POPULATION, D("6000"), D("0.97"), 1)
    plan, _ = audit.mus_sample(POPULATION, D("6000"), D("0.90"), 1)
    assert plan.interval == D("2597.40")  # 6.000 / 2,31 = 2.597,402… down to the cent


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    root = tmp_path_factory.mktemp("dossier")
    inputs, outputs = root / "inputs", root / "outputs"
    demo.generate(inputs)
    run.report(inputs, outputs, pdf=False, workers=1, use_cache=False)
    return inputs, outputs


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dossier_twice_is_byte_identical_and_complete(reported):
    inputs, outputs = reported
    assert cli.main(["dossier", "--inputs", str(inputs), "--outputs", str(outputs), "--jaar", "2023", "--workers", "1"]) == 0
    first = _tree(outputs / "dossier" / "2023")
    assert cli.main(["dossier", "--inputs", str(inputs), "--outputs", str(outputs), "--jaar", "2023", "--workers", "1"]) == 0
    assert _tree(outputs / "dossier" / "2023") == first

    data = run.run(inputs, workers=1, today=TODAY)
    plan, items = dossier.draw(data, 2023)
    # default settings: € 25.000 / 3,0 = € 8.333,33; every invoice of at least that is in the sample
    assert plan.interval == D("8333.33") and plan.seed == 1
    big = {k for k, a, _ in dossier.population(data, 2023) if a >= plan.interval}
    assert big <= {i.key for i in items}
    ws = openpyxl.load_workbook(outputs / "dossier" / "2023" / dossier.INDEX)["Werkprogramma"]
    header = [c.value for c in ws[1]]
    assert header[-1] == dossier.CONCLUSION and ws.max_row == len(items) + 1
    assert all(ws.cell(row=r, column=len(header)).value is None for r in range(2, ws.max_row + 1))
    folders = {p.name for p in (outputs / "dossier" / "2023").iterdir() if p.is_dir()}
    assert len(folders) == len(items)
    for item in items:
        names = {n.split("/", 1)[1] for n in first if n.startswith(f"{item.number:03d} ")}
        assert {"grootboekregels.csv", "bevindingen.csv"} <= names
        assert any(n.startswith("werkboek ") for n in names) and any(n.startswith("gemarkeerd ") for n in names)


def test_the_ledger_lines_of_a_sampled_invoice(reported):
    inputs, outputs = reported
    data = run.run(inputs, workers=1, today=TODAY)
    lines = dossier._ledger_lines(data, next(k for k, _, r in dossier.population(data, 2023) if r["factuurnummer"] == "LK-23-01"))
    assert [(line["regel"], D(line["bedrag"])) for line in lines] == [(29, D("60000.00"))]


def test_verify_says_what_changed(reported, tmp_path, capsys):
    inputs, outputs = reported
    manifest = outputs / "manifest.json"
    env = json.loads(manifest.read_text("utf-8"))["environment"]
    assert env["ruleset"] and env["reference_data"]["betrouwbaarheid"] and "polars" in env["packages"]
    assert verify.verify(inputs, manifest).unchanged
    copy = tmp_path / "inputs"
    shutil.copytree(inputs, copy)
    changed = next(p for p in sorted(copy.rglob("*.xlsx")) if p.name != "bestuur.xlsx")
    changed.write_bytes(changed.read_bytes() + b"\0")
    gone = next(p for p in sorted(copy.rglob("*.pdf")))
    gone.unlink()
    (copy / "nieuw.xlsx").write_bytes(b"x")
    v = verify.verify(copy, manifest)
    rel = lambda p: p.relative_to(copy).as_posix()  # noqa: E731
    assert (v.changed, v.added, v.removed) == ([rel(changed)], ["nieuw.xlsx"], [rel(gone)])
    capsys.readouterr()
    assert cli.main(["verify", "--inputs", str(copy), "--manifest", str(manifest)]) == 1
    out = capsys.readouterr().out
    assert f"Gewijzigd: {rel(changed)}" in out and "Nieuw: nieuw.xlsx" in out and f"Verdwenen: {rel(gone)}" in out
    assert cli.main(["verify", "--inputs", str(copy), "--manifest", str(tmp_path / "geen.json")]) == 2

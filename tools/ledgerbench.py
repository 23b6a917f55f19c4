"""Ledger benchmark: a synthetic board's workbook invoices and a ledger export that books them, with the same
kinds of gaps as the demo (L1–L4, credit notes, split invoices, non-NPO lines); times reading and matching."""
from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.aggregate import INVOICE_SCHEMA
from pipeline.read import board as config
from pipeline.read import ledger as reader
from pipeline.read.workbook import sha256_of
from pipeline.rules import ledger as matching

HEADER = "Boekdatum;Rekening;Kostenplaats;Project;Crediteur;Naam crediteur;Factuurnummer;Omschrijving;Bedrag debet;Bedrag credit"
SETTINGS_SELECTION = [config.Selection("44*", "NPO", 0)]


def _nl(cents: int) -> str:
    whole, c = divmod(abs(cents), 100)
    return f"{whole:,}".replace(",", ".") + f",{c:02d}"


def generate(workbooks: int, lines: int, folder: Path, seed: int = 1) -> tuple[pl.DataFrame, config.LedgerSettings, dict[str, int]]:
    """Workbook invoices (as the run's invoice frame) and folder/grootboek/bench.csv with `lines` lines in all."""
    rng = random.Random(seed)
    schools = [f"{i // 26 + 10:02d}{chr(65 + i % 26)}{chr(65 + (i * 7) % 26)}" for i in range(max(workbooks // 50, 4))]
    cost = {b: str(100 + i) for i, b in enumerate(schools)}
    suppliers = [(f"{20000 + i}", f"{70000000 + i:08d}", f"Leverancier {i} B.V.") for i in range(max(workbooks // 12, 10))]
    inv_rows: list[dict[str, Any]] = []
    out: list[str] = [HEADER]
    planted = {"L1": 0, "L2": 0, "L3": 0, "L4": 0, "creditnota": 0, "gesplitst": 0}
    start = date(2022, 8, 1)
    for w in range(workbooks):
        brin = schools[w % len(schools)]
        cred, kvk, name = suppliers[rng.randrange(len(suppliers))]
        for k in range(4):
            nr = f"F{w}K{k}"
            day = start + timedelta(days=rng.randrange(700))
            cents = rng.randrange(50_000, 2_000_000)
            inv_rows.append({"file": f"{brin}/w{w}.xlsx", "hire_id": f"{brin}-2022-2023-{w}", "brin": brin, "niveau": "School",
                             "leverancier_naam": name, "leverancier_kvk": kvk if w % 2 else None, "factuurnummer": nr,
                             "factuurdatum": day, "bedrag": Decimal(cents) / 100, "sheet": "Facturen", "cell": f"C{5 + k}"})
            roll = rng.random()
            cc = cost[brin]
            ledger_name = name.replace(" B.V.", " BV") if w % 3 else name.upper()
            if roll < 0.01:
                planted["L2"] += 1
                continue
            if roll < 0.02:
                planted["L3"] += 1
                cents += 100
            elif roll < 0.03:
                planted["L4"] += 1
                cc = cost[schools[(w + 1) % len(schools)]]
            d = day.strftime("%d-%m-%Y")
            if roll > 0.95:  # split over two accounts
                planted["gesplitst"] += 1
                out.append(f"{d};4410;{cc};NPO;{cred};{ledger_name};{nr};Inhuur;{_nl(cents - 10_000)};")
                out.append(f"{d};4420;{cc};NPO;{cred};{ledger_name};{nr};Materialen;{_nl(10_000)};")
            elif roll > 0.92:  # booked too high, then a credit note naming the invoice
                planted["creditnota"] += 1
                out.append(f"{d};4410;{cc};NPO;{cred};{ledger_name};{nr};Inhuur;{_nl(cents + 5_000)};")
                out.append(f"{d};4410;{cc};NPO;{cred};{ledger_name};C{nr};Creditnota op factuur {nr};;{_nl(5_000)}")
            else:
                out.append(f"{d};4410;{cc};NPO;{cred};{ledger_name};{nr};Inhuur;{_nl(cents)};")
    for i in range(max(workbooks // 100, 1)):  # suppliers paid with no workbook
        planted["L1"] += 1
        out.append(f"15-03-2023;4410;{cost[schools[i % len(schools)]]};NPO;9{i:05d};Onbekende partij {i};X{i};Inhuur;{_nl(123_456)};")
    while len(out) - 1 < lines:  # the rest of the administration: not NPO, must cost nothing
        j = len(out)
        out.append(f"01-0{1 + j % 9}-2023;{4000 + j % 400 if j % 5 else 4410};{100 + j % 50};;{30000 + j % 900};Overig {j % 900};G{j};Kosten;{_nl(j % 100_000 + 1)};")
    path = folder / reader.FOLDER / "bench.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("cp1252"))
    settings = config.LedgerSettings(selections=SETTINGS_SELECTION, cost_centres={v: k for k, v in cost.items()})
    return pl.DataFrame(inv_rows, schema=INVOICE_SCHEMA, strict=False), settings, planted


def run(workbooks: int, lines: int, folder: Path, seed: int = 1) -> dict[str, Any]:
    """Generate, then time reading the export and matching it; the statuses show the planted gaps came out."""
    clock = time.perf_counter()
    invoices, settings, planted = generate(workbooks, lines, folder, seed)
    generated = time.perf_counter() - clock
    clock = time.perf_counter()
    ledger, _ = reader.load(folder, settings, sha256_of)
    read = time.perf_counter() - clock
    clock = time.perf_counter()
    rec = matching.reconcile(ledger.lines, invoices, ledger.first, ledger.last)
    matched = time.perf_counter() - clock
    statuses = dict(rec.group_by("status").len().iter_rows())
    return {"werkboeken": workbooks, "regels": ledger.all_lines, "npo_regels": ledger.lines.height, "facturen_werkboeken": invoices.height,
            "genereren_s": round(generated, 3), "lezen_s": round(read, 3), "koppelen_s": round(matched, 3),
            "lezen_en_koppelen_s": round(read + matched, 3), "doel_s": 10.0, "gehaald": read + matched < 10.0,
            "geplant": planted, "statussen": statuses}

"""Guards for the figures the document contexts, the register, the reply drafts and publishing make (issue 28).

Each test names the small bug it catches. Every expected amount and count is worked out by hand from the
small board of guards_board.py (see its docstring) or from the rows typed in the test, never read from the
pipeline's own frames. No pytest fixtures but monkeypatch, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import dataclasses
import email
import os
import tempfile
from datetime import datetime
from email import policy
from pathlib import Path
from types import SimpleNamespace

import polars as pl

from guards_board import euro, small_board
from pipeline import dutch, publish
from pipeline.read import board as config
from pipeline.read import intake
from pipeline.render import context, gmr, jaarverslag, mr, register, reply

# --------------------------------------------------------------------------- jaarverslag 2023


def test_external_share_is_spending_incl_btw_over_the_calendar_allocation():
    """Bug: the share computed on spending excl. BTW (€ 115.000 / € 190.000 = 60,5%)."""
    ctx = jaarverslag.jaarverslag_context(small_board(), 2023)
    # allocation 2023: 7/12 × € 240.000 + 5/12 × € 120.000 = € 140.000 + € 50.000 = € 190.000
    # spent 2023 incl. btw: € 12.100 + € 6.050 + € 121.000 = € 139.150; 139.150 / 190.000 = 73,24 %
    (row,) = ctx["npo"]
    assert (row["toekenning"], row["extern"], row["aandeel_extern"]) == (euro("€ 190.000,00"), euro("€ 139.150,00"), "73,2%")
    # PNIL: only hire a (€ 12.100 + € 6.050 = € 18.150); 18.150 / 190.000 = 9,55 %
    assert (row["pnil"], row["aandeel_pnil"]) == (euro("€ 18.150,00"), "9,6%")
    assert ctx["aandeel_extern"] == "73,2%"


def test_cumulative_position_counts_the_invoice_of_31_december():
    """Bug: invoices dated 31 December dropped from the cumulative figure (€ 133.100 instead of € 139.150)."""
    ctx = jaarverslag.jaarverslag_context(small_board(), 2023)
    # allocation up to 31-12-2023: all of 2022-2023 (€ 240.000) + Aug-Dec of 2023-2024, 5/12 × € 120.000 = € 290.000
    # spent up to and including 31-12-2023, incl. btw: € 139.150 (A-2 is dated 31 December); 139.150 / 290.000 = 47,98 %
    cum = ctx["cumulatief_totaal"]
    assert (cum["toekenning"], cum["extern"], cum["aandeel_extern"]) == (euro("€ 290.000,00"), euro("€ 139.150,00"), "48,0%")
    (row,) = ctx["cumulatief"]
    assert row["extern"] == euro("€ 139.150,00")
    assert cum["pnil"] == euro("€ 18.150,00")


def test_appendix_labels_7_12_on_the_ending_and_5_12_on_the_starting_school_year():
    """Bug: the 7/12 and 5/12 labels swapped in the appendix."""
    rows = jaarverslag.jaarverslag_context(small_board(), 2023)["toekenningen"]
    assert {(r["schooljaar"], r["deel"], r["toekenning"]) for r in rows} == {
        ("2022-2023", "7/12", euro("€ 240.000,00")), ("2023-2024", "5/12", euro("€ 120.000,00"))}


def test_a_hire_exactly_at_the_eu_threshold_is_in_its_table():
    """Bug: a hire whose value equals the threshold (€ 215.000, 2022-2023) left out of the EU table."""
    rows = jaarverslag.jaarverslag_context(small_board(), 2023)["eu"]
    assert [(r["waarde"], r["drempel"], r["procedure"]) for r in rows] == [(euro("€ 215.000,00"), euro("€ 215.000,00"), "Europees")]


# --------------------------------------------------------------------------- MR report 12AB 2022-2023


def test_mr_invoiced_total_is_incl_btw():
    """Bug: 'inclusief btw gefactureerd' summing amounts excl. BTW (€ 110.000 in 2022-2023)."""
    data = small_board()
    ctx = mr.mr_context(data, "12AB", "2022-2023")
    # invoiced in school year 2022-2023 (1-8-2022 .. 31-7-2023) on hires a and b (a-oud is superseded):
    # A-1 € 12.100 + B-1 € 121.000 = € 133.100 incl. btw
    assert ctx["totaal_gefactureerd"] == euro("€ 133.100,00")
    assert euro("€ 133.100,00 inclusief btw gefactureerd") in ctx["samenvatting"]
    assert ctx["totaal_contract"] == euro("€ 255.000,00")  # € 40.000 + € 215.000
    # 2023-2024: hire a runs on; A-2 of 31-12-2023 € 6.050 incl. btw; contract € 40.000
    ctx = mr.mr_context(data, "12AB", "2023-2024")
    assert (ctx["totaal_gefactureerd"], ctx["totaal_contract"]) == (euro("€ 6.050,00"), euro("€ 40.000,00"))


def _reconciliation(rows: list[tuple[str, str, str, str]]) -> SimpleNamespace:
    """A run with only a hand-written reconciliation: (brin, school year, ledger amount excl. btw, status)."""
    frame = pl.DataFrame(
        {"brin_grootboek": [r[0] for r in rows], "schooljaar": [r[1] for r in rows],
         "bedrag_grootboek": [dutch.parse_euro(r[2]) for r in rows], "status": [r[3] for r in rows]},
        schema={"brin_grootboek": pl.Utf8, "schooljaar": pl.Utf8, "bedrag_grootboek": pl.Decimal(16, 2), "status": pl.Utf8})
    return SimpleNamespace(reconciliation_df=frame, ledger_files=[])  # every ledger file read whole


def test_mr_completeness_sentence_counts_ledger_amounts_that_differ():
    """Bug: the sentence ignores ledger lines whose amount differs from the workbook (L3): false reassurance."""
    from pipeline.rules import ledger as ledger_rules

    matched = ledger_rules.GEKOPPELD
    data = _reconciliation([("12AB", "2022-2023", "1.000,00", matched), ("12AB", "2022-2023", "250,00", ledger_rules.BEDRAG_WIJKT_AF)])
    sentence = mr.completeness_sentence(data, "12AB", "2022-2023")
    # ledger total € 1.000 + € 250 = € 1.250; open: the € 250 whose amount differs
    assert euro("€ 1.250,00") in sentence and euro("staat € 1.000,00 in een werkboek van de school en € 250,00 nog niet") in sentence
    data = _reconciliation([("12AB", "2022-2023", "1.000,00", matched), ("12AB", "2022-2023", "40,00", ledger_rules.GEEN_WERKBOEK)])
    assert euro("en € 40,00 nog niet") in mr.completeness_sentence(data, "12AB", "2022-2023")
    data = _reconciliation([("12AB", "2022-2023", "1.000,00", matched)])
    assert "volledig verantwoord" in mr.completeness_sentence(data, "12AB", "2022-2023")


# --------------------------------------------------------------------------- counts of findings (GMR, compliance sentence)


def _findings(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    """A hand-written findings table: (file, rule, severity)."""
    return pl.DataFrame({"file": [r[0] for r in rows], "rule": [r[1] for r in rows], "severity": [r[2] for r in rows],
                         "sheet": [None] * len(rows), "cell": [None] * len(rows), "message": ["m"] * len(rows), "about": [None] * len(rows)},
                        schema={"file": pl.Utf8, "rule": pl.Utf8, "severity": pl.Utf8, "sheet": pl.Utf8, "cell": pl.Utf8, "message": pl.Utf8,
                                "about": pl.Utf8})


HAND_FINDINGS = [("12AB/a.xlsx", "S1", "fout"), ("12AB/a.xlsx", "A3", "waarschuwing"),
                 ("12AB/b.xlsx", "P8", "waarschuwing"), ("12AB/b.xlsx", "S3", "waarschuwing"), ("12AB/b.xlsx", "A5", "info"),
                 ("12AB/a-oud.xlsx", "S2", "fout")]


def test_gmr_fouten_column_counts_only_errors():
    """Bug: the 'fouten' column counting warnings too (4 instead of 1)."""
    data = dataclasses.replace(small_board(), findings_df=_findings(HAND_FINDINGS))
    ctx = gmr.gmr_context(data, "2022-2023")
    (row,) = [r for r in ctx["scholen"] if r["school"].startswith("12AB")]
    # counted hires a and b: fout = 1 (a: S1); waarschuwing = 3 (a: A3; b: P8, S3); a-oud is superseded
    assert (row["inhuren"], row["fouten"], row["waarschuwingen"]) == ("2", "1", "3")
    # spent in school year 2022-2023 (invoice dates 1-8-2022 .. 31-7-2023): € 12.100 + € 121.000 = € 133.100 incl. btw
    assert row["besteed"] == euro("€ 133.100,00") and row["toekenning"] == euro("€ 240.000,00")
    assert row["aandeel"] == "55,5%"  # 133.100 / 240.000 = 55,46 %


def test_compliance_sentence_counts_hires_with_an_error():
    """Bug: 'bij N inhuren minstens één fout' counting hires with only warnings too (2 instead of 1)."""
    data = SimpleNamespace(findings_df=_findings(HAND_FINDINGS))
    rows, total, sentence = context.compliance(data, ["12AB/a.xlsx", "12AB/b.xlsx", "12AB/c.xlsx"])
    assert total == {"fout": "1", "waarschuwing": "3", "info": "1"}
    assert "bij 1 van de 3 inhuren is minstens één fout" in sentence
    assert {r["regel"]: (r["fout"], r["waarschuwing"], r["info"]) for r in rows} == {
        "S1": ("1", "0", "0"), "A3": ("0", "1", "0"), "P8": ("0", "1", "0"), "S3": ("0", "1", "0"), "A5": ("0", "0", "1")}


# --------------------------------------------------------------------------- register


def test_register_scholen_pnil_column_holds_only_pnil_spending():
    """Bug: the PNIL column of Scholen holding all spending."""
    table = register.school_year_table(small_board())
    got = {(r["brin"], r["schooljaar"]): (str(r["besteed_excl_btw"]), str(r["besteed_incl_btw"]), str(r["pnil_incl_btw"]))
           for r in table.iter_rows(named=True)}
    # 2022-2023: A-1 (PNIL) € 12.100 + B-1 (not PNIL) € 121.000; 2023-2024: A-2 (PNIL) € 6.050
    assert got == {("12AB", "2022-2023"): ("110000.00", "133100.00", "12100.00"),
                   ("12AB", "2023-2024"): ("5000.00", "6050.00", "6050.00")}
    shares = {r["schooljaar"]: (round(r["aandeel_extern"], 4), round(r["aandeel_pnil"], 4)) for r in table.iter_rows(named=True)}
    assert shares == {"2022-2023": (round(133100 / 240000, 4), round(12100 / 240000, 4)),
                      "2023-2024": (round(6050 / 120000, 4), round(6050 / 120000, 4))}


# --------------------------------------------------------------------------- reply drafts


def _record(file: str, day: int) -> intake.IntakeRecord:
    when = datetime(2023, 3, day, 9, 0)
    return intake.IntakeRecord(ontvangen=when, afzender="IB <ib@regenboog.example>", datum=when, onderwerp="inhuur",
                               bijlage=Path(file).name, opgeslagen_als=file, sha256="0" * 64, status=intake.STORED,
                               brin="12AB", message_id=f"<{day}@regenboog>")


def test_reply_leaves_out_the_findings_of_superseded_versions(monkeypatch):
    """Bug: a superseded version's findings in the mail to the school (its errors would be asked to be fixed)."""
    root = Path(tempfile.mkdtemp(prefix="guards-reply-"))
    inputs, outputs = root / "inputs", root / "outputs"
    (inputs / "12AB").mkdir(parents=True)
    for name in ("oud.xlsx", "nieuw.xlsx"):
        (inputs / "12AB" / name).write_bytes(b"x")
    monkeypatch.setattr(intake, "read_log", lambda _: [_record("12AB/oud.xlsx", 1), _record("12AB/nieuw.xlsx", 2)])
    found = pl.DataFrame([
        {"file": "12AB/oud.xlsx", "rule": "S1", "severity": "fout", "sheet": "Proces", "cell": "B5", "message": "OUDE-FOUT",
         "hire_id": "12AB-2022-2023-1"},
        {"file": "12AB/oud.xlsx", "rule": "P8", "severity": "waarschuwing", "sheet": "Proces", "cell": "B9", "message": "oud",
         "hire_id": "12AB-2022-2023-1"},
        {"file": "12AB/nieuw.xlsx", "rule": "P8", "severity": "waarschuwing", "sheet": "Proces", "cell": "B9", "message": "nieuw",
         "hire_id": "12AB-2022-2023-1"},
    ])
    files = [{"file": "12AB/oud.xlsx", "status": "vervangen", "brin": "12AB"},
             {"file": "12AB/nieuw.xlsx", "status": "gelezen", "brin": "12AB"}]
    board = config.Board(schools={"12AB": config.School("12AB", "De Regenboog", "bo", "directie@regenboog.example")})
    result = reply.draft_replies(inputs, outputs, found, {}, "bestuur@example.nl", now=datetime(2023, 4, 1, 12, 0),
                                 board=board, files=files)
    (path,) = result.written
    body = email.message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "12AB/oud.xlsx" not in body and "OUDE-FOUT" not in body
    assert "12AB/nieuw.xlsx" in body
    assert "0 fouten, 1 waarschuwing" in body  # nieuw.xlsx: one P8 warning, no error
    assert "Er zijn geen fouten gevonden" in body


# --------------------------------------------------------------------------- publishing


def test_manifest_counts_only_the_files_read_and_counted():
    """Bug: the manifest marking superseded and unknown-school files as counted."""
    entries = {f["file"]: f for f in publish.manifest(small_board(), {})["files"]}
    counted = {name for name, f in entries.items() if f.get("counted")}
    assert counted == {"12AB/a.xlsx", "12AB/b.xlsx"}
    assert entries["12AB/a-oud.xlsx"]["counted"] is False and entries["99ZZ/x.xlsx"]["counted"] is False
    # per file invoiced amounts: a: € 15.000 excl. / € 18.150 incl.; b: € 100.000 / € 121.000
    assert (entries["12AB/a.xlsx"]["invoiced_excl_btw"], entries["12AB/a.xlsx"]["invoiced_incl_btw"]) == (15000.0, 18150.0)
    assert (entries["12AB/b.xlsx"]["invoiced_excl_btw"], entries["12AB/b.xlsx"]["invoiced_incl_btw"]) == (100000.0, 121000.0)
    assert entries["99ZZ/x.xlsx"]["brin"] == "99ZZ"


def test_fallback_swap_writes_the_manifest_last(monkeypatch):
    """Bug: where folders cannot be exchanged, the manifest replaced first: a killed run leaves a manifest that lies."""
    root = Path(tempfile.mkdtemp(prefix="guards-swap-"))
    outputs, staging = root / "outputs", root / "staging"
    for folder, text in ((outputs, "oud"), (staging, "nieuw")):
        (folder / "mr").mkdir(parents=True)
        (folder / "mr" / "12AB.docx").write_text(text)
        (folder / publish.MANIFEST).write_text(text)
        (folder / "register.xlsx").write_text(text)
        (folder / "zz-laatste.xlsx").write_text(text)
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    moved: list[str] = []
    real_replace, real_rename = os.replace, os.rename

    def replace(src, dst):
        moved.append(Path(dst).name)
        return real_replace(src, dst)

    def rename(src, dst):
        moved.append(Path(dst).name)
        return real_rename(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)
    publish.swap_into(staging, outputs)
    into_outputs = [m for m in moved if not m.startswith(".")]
    assert into_outputs[-1] == publish.MANIFEST and into_outputs.count(publish.MANIFEST) == 1
    assert {"mr", "register.xlsx", "zz-laatste.xlsx"} <= set(into_outputs)
    assert (outputs / publish.MANIFEST).read_text() == "nieuw" and (outputs / "mr" / "12AB.docx").read_text() == "nieuw"

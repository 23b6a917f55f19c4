"""make uitvraag: pre-filled workbooks for L1 gaps, a blank per school, a draft e-mail; a returned one closes the gap."""
from __future__ import annotations

import email
import shutil
from datetime import date
from decimal import Decimal
from email import policy

import pytest
from openpyxl import load_workbook

from builders import good_fields, good_tables
from pipeline import run
from pipeline.read import workbook as reader
from pipeline.render import uitvraag
from pipeline.render import workbook as template
from tools import demo

TODAY = date(2026, 11, 23)
PREFILLED = ("brin", "school_naam", "schooljaar", "volgnummer", "leverancier_naam", "leverancier_kvk", "bron_administratie")


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    base = tmp_path_factory.mktemp("uitvraag")
    inputs, outputs = base / "inputs", base / "outputs"
    demo.generate(inputs)
    data = run.run(inputs, workers=1, today=TODAY)
    return inputs, outputs, data, uitvraag.write_requests(data, outputs)


def test_one_prefilled_workbook_per_gap_a_blank_and_a_draft_per_school(requested):
    inputs, outputs, data, schools = requested
    assert [s.brin for s in schools] == ["12AB", "14CD", "17EF", "21GH"]
    assert {s.brin: len(s.requests) for s in schools} == {"12AB": 0, "14CD": 1, "17EF": 0, "21GH": 0}
    for s in schools:
        assert s.blank.parent == outputs / "uitvraag" / s.brin and s.blank.is_file()
        assert s.eml == outputs / "uitvraag" / f"{s.brin}.eml"
    msg = email.message_from_bytes((outputs / "uitvraag" / "14CD.eml").read_bytes(), policy=policy.default)
    assert msg["To"] == data.board.schools["14CD"].email and msg["X-Unsent"] == "1"
    assert sorted(p.get_filename() for p in msg.iter_attachments()) == sorted(
        p.name for p in (outputs / "uitvraag" / "14CD").glob("*.xlsx"))


def test_prefilled_workbook_holds_what_the_ledger_knows(requested):
    inputs, outputs, data, schools = requested
    [r] = schools[1].requests
    result = reader.read(r.path, r.path.parent)
    h = result.hire
    # 14CD already has 2023-2024-1 (sport): the next free volgnummer is 2
    assert (h.get("brin"), h.get("schooljaar"), h.get("volgnummer")) == ("14CD", "2023-2024", 2)
    assert h.get("leverancier_naam") == demo.L1_SUPPLIER[1]
    assert demo.LEDGER_FILE in h.get("bron_administratie")
    invoices = [(row.get("Factuurnummer"), row.get("Bedrag excl. BTW")) for row in h.tables["tblFacturen"]]
    assert invoices == [("NL-2023-11", Decimal("3150.00")), ("NL-2024-02", Decimal("2850.00"))]
    blank = reader.read(schools[0].blank, schools[0].blank.parent).hire
    assert (blank.get("brin"), blank.get("schooljaar")) == ("12AB", "2026-2027")


def test_a_prefilled_workbook_filled_in_and_returned_closes_its_l1(requested, tmp_path):
    inputs, outputs, data, schools = requested
    assert [f.rule for f in run.iter_findings(data) if f.rule == "L1"] == ["L1"]
    [r] = schools[1].requests
    back = tmp_path / "inputs"
    shutil.copytree(inputs, back)
    # the school fills in what only it knows, and keeps the pre-filled cells and invoices
    wb = load_workbook(r.path)
    fields = {k: v for k, v in good_fields().items() if k not in PREFILLED and v is not None}
    tables = {k: v for k, v in good_tables().items() if k != "tblFacturen"}
    template.fill(wb, fields, tables)
    wb.save(back / "14CD" / r.path.name)
    again = run.run(back, workers=1, today=TODAY)
    assert [f for f in run.iter_findings(again) if f.rule == "L1"] == []
    returned = next(f for f in again.files if f.file == f"14CD/{r.path.name}")
    assert returned.status == "gelezen" and not [f for f in returned.findings if f.rule in ("W1", "W2", "L2", "L3")]


def test_prefilled_workbook_opens_in_libreoffice(requested, soffice, tmp_path):
    from pipeline.render.pdf import convert_to_pdf

    _, _, _, schools = requested
    [r] = schools[1].requests
    [pdf] = convert_to_pdf([r.path], tmp_path)
    assert pdf.stat().st_size > 0


def test_prefilled_cells_stay_editable_and_the_source_is_locked(requested):
    from pipeline import spec as spec_mod

    _, _, _, schools = requested
    [r] = schools[1].requests
    s = spec_mod.load()
    wb = load_workbook(r.path)
    for name in ("brin", "schooljaar", "volgnummer", "leverancier_naam"):
        f = s.fields[name]
        assert wb[f.sheet][f.cell].protection.locked is False, name
    t = s.tables["tblFacturen"]
    assert wb[t.sheet][f"A{t.first_row}"].protection.locked is False
    src = s.fields["bron_administratie"]
    assert wb[src.sheet][src.cell].protection.locked is True


def test_a_school_with_nothing_missing_gets_a_neutral_cover_text(requested):
    """24.6: 12AB has no spending without a workbook: its mail says nothing is missing and only offers the blank."""
    inputs, outputs, data, schools = requested
    texts = {s.brin: email.message_from_bytes(s.eml.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
             for s in schools}
    for s in schools:
        accusing = "nog geen inhuurwerkboek is ontvangen" in texts[s.brin]
        assert accusing == bool(s.requests), s.brin
        assert ("er ontbreekt niets" in texts[s.brin]) == (not s.requests), s.brin

"""Issue 24: what a school's MR, the GMR and the finance office read is right and complete (demo board)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from pipeline import run
from pipeline.render import context
from pipeline.render.gmr import gmr_context
from pipeline.render.mr import MrIndex, mr_context
from tools import demo

TODAY = date(2025, 12, 31)


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("scholen") / "inputs"
    demo.generate(inputs)
    return run.run(inputs, workers=1, today=TODAY)


def _amount(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace("\xa0", "").replace(".", "").replace(",", ".").strip() or "0")


def test_mr_counts_only_the_schools_own_findings_and_labels_a_co_paying_schools(demo_data):
    """24.3: a P5 about 14CD on 21GH's bovenschools hire is not one of 21GH's findings in its MR report."""
    index = MrIndex.of(demo_data)
    seen_other = False
    for brin, sj in context.mr_keys(demo_data):
        ctx = mr_context(demo_data, brin, sj, index)
        rows = [r for h in ctx["inhuren"] for r in h["bevindingen"]]
        own = [r for r in rows if not r["over"]]
        assert ctx["aantal"]["fout"] == sum(r["ernst"] == "fout" for r in own), (brin, sj)
        assert ctx["aantal"]["waarschuwing"] == sum(r["ernst"] == "waarschuwing" for r in own), (brin, sj)
        for r in rows:
            assert r["over"] != brin
            if r["over"]:
                seen_other = True
                assert r["over"] in r["melding"] and r["regel_id"] == "P5"
        assert ctx["aantal"]["andere_school"] == len(rows) - len(own)
    assert seen_other, "the demo's bovenschools hire has a P5 about a co-paying school"
    ctx = mr_context(demo_data, "21GH", "2022-2023", index)
    assert {r["over"] for h in ctx["inhuren"] for r in h["bevindingen"]} == {"", "14CD"}


def test_a_hire_belongs_to_every_school_year_it_runs_or_is_invoiced_in(demo_data):
    """24.4: 12AB-2023-2024-2 (open-ended) is invoiced in 2024-2025: in that year's MR and GMR, with that year's amount."""
    assert ("12AB", "2024-2025") in context.mr_keys(demo_data)
    ctx = mr_context(demo_data, "12AB", "2024-2025")
    assert "12AB-2023-2024-2" in [r["inhuur"] for r in ctx["overzicht"]]
    inv = context.counted_invoices(demo_data).filter((pl.col("brin") == "12AB") & (pl.col("schooljaar") == "2024-2025"))
    listed = sum((_amount(r["gefactureerd"]) for r in ctx["overzicht"]), Decimal(0))
    assert listed == _amount(ctx["totaal_gefactureerd"]) == inv.get_column("totaal").sum()
    gmr = gmr_context(demo_data, "2024-2025")
    assert "12AB-2023-2024-2" in [r["inhuur"] for r in gmr["inhuren"]]


def test_every_counted_invoice_is_in_the_mr_report_of_its_school_and_year(demo_data):
    """Each school year's MR tables add up to that school's invoices dated in that year."""
    index = MrIndex.of(demo_data)
    inv = context.counted_invoices(demo_data)
    for (brin, sj), part in inv.filter(pl.col("schooljaar").is_not_null()).partition_by("brin", "schooljaar", as_dict=True).items():
        assert (brin, sj) in context.mr_keys(demo_data)
        ctx = mr_context(demo_data, brin, sj, index)
        assert _amount(ctx["totaal_gefactureerd"]) == part.get_column("totaal").sum(), (brin, sj)


def test_mr_headings_number_the_hires_of_the_document(demo_data):
    """24.8: 'Inhuur 1, 2, 2' for three hires: headings count the hires of the document, 1 to n."""
    index = MrIndex.of(demo_data)
    for brin, sj in context.mr_keys(demo_data):
        ctx = mr_context(demo_data, brin, sj, index)
        numbers = [h["titel"].split(":")[0] for h in ctx["inhuren"]]
        assert numbers == [f"Inhuur {i}" for i in range(1, len(numbers) + 1)], (brin, sj)


def test_an_excel_lock_file_in_a_school_folder_is_skipped_with_a_note(tmp_path):
    """24.5: ~$2022-2023-1 tutoring.xlsx (a colleague has the workbook open) is no school error."""
    from pipeline.model import SKIPPED

    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    (inputs / "12AB" / "~$2022-2023-1 tutoring.xlsx").write_bytes(b"\x0bJ. de Vries" + b" " * 42 + b"\x00" * 112)
    (inputs / "14CD" / "~$weg.xlsx").write_bytes(b"\x00" * 165)
    data = run.run(inputs, workers=1, today=TODAY)
    lock = {f.file: f for f in data.files if "~$" in f.file}
    assert {f.status for f in lock.values()} == {SKIPPED}
    assert not [x for f in lock.values() for x in f.findings]
    assert "2022-2023-1 tutoring.xlsx" in lock["12AB/~$2022-2023-1 tutoring.xlsx"].reason
    assert "niet in deze map" in lock["14CD/~$weg.xlsx"].reason
    assert data.findings_df.filter(pl.col("file").str.contains("~$", literal=True)).is_empty()


def test_sources_cite_what_the_texts_say(repo):
    """24.10: ×48 is Aanbestedingswet 2012 art. 2.17 (d, e), not 2.15; the MR report does not credit AVS/OCW with
    'kunnen uitleggen waarom' (neither text says it)."""
    import docx

    texts = [(repo / p).read_text(encoding="utf-8") for p in ("pipeline/data/werkboek.toml", "pipeline/data/regels.toml",
                                                              "pipeline/rules/derive.py", "pipeline/render/controle.py")]
    assert not [t for t in texts if "art. 2.15" in t or "2.1, 2.15" in t]
    assert all("2.17" in t for t in texts if "× 48" in t or "x 48" in t)
    mr = "\n".join(p.text for p in docx.Document(repo / "templates" / "mr.docx").paragraphs)
    assert "uitleggen waarom" not in mr and "Wet medezeggenschap op scholen" in mr


def test_gmr_per_school_table_adds_up_or_says_why(demo_data):
    """24.8: the GMR per-school columns add up to the total row, or a note under the table says why."""
    for sj in context.school_years(demo_data):
        ctx = gmr_context(demo_data, sj)
        sums = {k: sum(int(r[k].replace(".", "")) for r in ctx["scholen"]) for k in ("inhuren", "fouten", "waarschuwingen")}
        totals = {"inhuren": int(ctx["aantal_inhuren_getal"].replace(".", "")),
                  "fouten": int(ctx["naleving_totaal"]["fout"].replace(".", "")),
                  "waarschuwingen": int(ctx["naleving_totaal"]["waarschuwing"].replace(".", ""))}
        assert bool(ctx["scholen_noot"]) == (sums != totals), (sj, sums, totals)
    assert any(gmr_context(demo_data, sj)["scholen_noot"] for sj in context.school_years(demo_data))


def test_mr_findings_table_keeps_together_and_gmr_supplier_column_is_wide_enough(repo):
    """24.14: the MR findings table does not leave rows on a page of their own; a supplier's longest word fits."""
    import docx
    from docx.shared import Cm

    mr = docx.Document(repo / "templates" / "mr.docx")
    findings = next(t for t in mr.tables if t.rows[0].cells[0].text == "Ernst")
    assert all(p.paragraph_format.keep_with_next for r in findings.rows for c in r.cells for p in c.paragraphs)
    gmr = docx.Document(repo / "templates" / "gmr.docx")
    for t in gmr.tables:
        heads = [c.text for c in t.rows[0].cells]
        if "Externe partij" in heads:
            assert t.rows[0].cells[heads.index("Externe partij")].width >= Cm(3.7)

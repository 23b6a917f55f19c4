"""`report` end to end on the demo board: register, manifest, feedback copies, documents."""
from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tools import demo
from pipeline.cli import app


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    inputs, outputs = base / "inputs", base / "outputs"
    demo.generate(inputs)
    result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf", "--workers", "2"])
    assert result.exit_code == 0, result.output
    return inputs, outputs


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_manifest_lists_every_input_with_its_hash(demo_run):
    inputs, outputs = demo_run
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["file"]: f for f in manifest["files"] + manifest["ledger_files"]}
    assert [f["file"] for f in manifest["ledger_files"]] == [demo.LEDGER_FILE]
    on_disk = {p.relative_to(inputs).as_posix(): p for p in inputs.rglob("*") if p.is_file()}
    assert "bestuur.xlsx" in on_disk  # the board's settings and pupil counts determine figures too
    assert set(listed) == set(on_disk)
    for name, p in on_disk.items():
        assert listed[name]["sha256"] == _sha(p)
        assert listed[name]["bytes"] == p.stat().st_size
        assert listed[name]["status"] in {"gelezen", "vervangen", "afgewezen", "overgeslagen"}
    assert listed["17EF/offerte Slim Verder.pdf"]["status"] == "overgeslagen"
    assert listed["12AB/2021-2022-1 tutoring (kopie).xlsx"]["status"] == "vervangen"
    assert listed["bestuur.xlsx"]["counted"] is False


def test_manifest_lists_the_intake_log(tmp_path):
    from pipeline import publish, run

    inputs = tmp_path / "inputs"
    demo.generate(inputs)
    log = inputs / "intake-log.xlsx"
    load_workbook(inputs / "bestuur.xlsx").save(log)  # any workbook: only its presence and hash matter here
    data = run.run(inputs, workers=1)
    listed = {f["file"]: f for f in publish.manifest(data, {})["files"]}
    assert listed["intake-log.xlsx"]["sha256"] == _sha(log)


def test_manifest_per_file_counts_match_the_register(demo_run):
    """The manifest's findings per file equal the rows of the register's Bevindingen sheet, counted independently."""
    _, outputs = demo_run
    manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    ws = load_workbook(outputs / "register.xlsx")["Bevindingen"]
    head = [c.value for c in ws[1]]
    counted: dict[str, dict[str, int]] = {}
    for r in ws.iter_rows(min_row=2, values_only=True):
        row = dict(zip(head, r))
        counted.setdefault(row["Bestand"], {"fout": 0, "waarschuwing": 0, "info": 0})[row["Ernst"]] += 1
    for f in manifest["files"]:
        assert f["findings"] == counted.get(f["file"], {"fout": 0, "waarschuwing": 0, "info": 0}), f["file"]
    # spot checks from the demo's notes: the A1 workbook has exactly its fouten
    assert counted["21GH/2021-2022-1 leesprogramma.xlsx"]["fout"] >= 1


def test_register_sheets_and_columns(demo_run):
    inputs, outputs = demo_run
    wb = load_workbook(outputs / "register.xlsx")
    assert {"Inhuur", "Facturen", "Bevindingen", "Scholen", "Leveranciers"} <= set(wb.sheetnames)
    head = {name: [c.value for c in wb[name][1]] for name in wb.sheetnames}
    assert {"Bestand", "Inhuur-id"} <= set(head["Inhuur"])
    assert {"Factuurnummer", "Inhuur-id", "Bestand"} <= set(head["Facturen"])
    assert {"Bestand", "Inhuur-id", "Regel", "Ernst", "Tabblad", "Cel", "Melding"} <= set(head["Bevindingen"])
    ws = wb["Bevindingen"]
    rows = [dict(zip(head["Bevindingen"], [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert {"rule": "A1", "file": "21GH/2021-2022-1 leesprogramma.xlsx"} in [{"rule": r["Regel"], "file": r["Bestand"]} for r in rows]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_register_has_the_aansluiting_with_one_row_per_invoice(demo_run):
    inputs, outputs = demo_run
    wb = load_workbook(outputs / "register.xlsx", read_only=True)
    rows = list(wb["Aansluiting"].iter_rows(values_only=True))
    head = rows[0]
    assert {"Status", "Grootboekbestand", "Regels", "Leverancier", "Factuurnummer", "Datum", "Bedrag grootboek",
            "Bedrag werkboek excl. btw", "BRIN", "Inhuur-id", "Bestand", "Cel"} <= set(head)
    status = [dict(zip(head, r))["Status"] for r in rows[1:]]
    assert {"gekoppeld", "geen werkboek", "niet in grootboek", "bedrag wijkt af", "andere school"} == set(status)
    assert (outputs / "data" / "aansluiting.parquet").is_file() and (outputs / "data" / "grootboek.parquet").is_file()


def test_invoices_in_register_match_the_workbooks(demo_run):
    """Independent check: the invoice total of the register equals the sum typed in the counted workbooks."""
    inputs, outputs = demo_run
    from pipeline.read import workbook as reader

    total = Decimal("0")
    for name in ("12AB/2022-2023-1 tutoring.xlsx",):
        hire = reader.read(inputs / name, inputs).hire
        total += sum(r.get("Bedrag excl. BTW") for r in hire.tables["tblFacturen"])
    inv = pl.read_parquet(outputs / "data" / "facturen.parquet").filter(pl.col("file") == "12AB/2022-2023-1 tutoring.xlsx")
    assert inv.height == 4  # two in the table, two typed below it
    assert Decimal(str(inv["bedrag"].sum())) == total == Decimal("96000.00")


def test_feedback_copies_are_marked_at_the_cells(demo_run):
    inputs, outputs = demo_run
    marked = outputs / "terugkoppeling" / "21GH" / "2021-2022-1 leesprogramma.xlsx"
    wb = load_workbook(marked)
    from pipeline import spec

    f = spec.load().fields["procedure"]
    cell = wb[f.sheet][f.cell]
    assert cell.comment is not None and "A1" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "Bevindingen" in wb.sheetnames


def test_documents_written(demo_run):
    _, outputs = demo_run
    assert sorted(p.name for p in outputs.glob("jaarverslag-*.docx")) == sorted(
        f"jaarverslag-{y}{part}.docx" for y in range(2021, 2026) for part in ("", "-bijlagen"))
    assert (outputs / "mr" / "12AB-2022-2023.docx").is_file()
    assert list(outputs.glob("gmr-*.docx"))


def _register_values(path: Path) -> dict[str, list[list]]:
    wb = load_workbook(path)
    return {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb.worksheets}


def test_inputs_unchanged_and_second_run_identical(demo_run, tmp_path):
    """A second run leaves the inputs as they were and gives the same documents, register and manifest."""
    inputs, outputs = demo_run
    before = {p: _sha(p) for p in inputs.rglob("*") if p.is_file()}
    second = tmp_path / "second"
    result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(second), "--geen-pdf", "--geen-cache"])
    assert result.exit_code == 0
    assert {p: _sha(p) for p in inputs.rglob("*") if p.is_file()} == before
    assert not list(second.parent.glob(".second*")) and not list(outputs.parent.glob(".outputs*"))
    def published(folder: Path) -> list[Path]:  # not the reuse cache in .cache/
        return sorted(p.relative_to(folder) for p in folder.rglob("*.docx") if not p.relative_to(folder).parts[0].startswith("."))

    docs = published(outputs)
    assert docs and docs == published(second)
    for rel in docs:
        assert _docx_text(outputs / rel) == _docx_text(second / rel), rel
    assert _register_values(outputs / "register.xlsx") == _register_values(second / "register.xlsx")
    m1, m2 = (json.loads((o / "manifest.json").read_text(encoding="utf-8")) for o in (outputs, second))
    assert m1["files"] == m2["files"] and m1["counts"] == m2["counts"] and m1["findings"] == m2["findings"]


def _sheet(outputs: Path, name: str) -> list[dict]:
    ws = load_workbook(outputs / "register.xlsx")[name]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def _dec(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def test_register_bestanden_sheet(demo_run):
    inputs, outputs = demo_run
    rows = {r["Bestand"]: r for r in _sheet(outputs, "Bestanden")}
    school_files = {p.relative_to(inputs).as_posix(): p for p in inputs.rglob("*") if p.is_file() and p.parent != inputs}
    assert set(rows) == set(school_files)
    for name, p in school_files.items():
        assert rows[name]["SHA-256"] == _sha(p)


def test_register_scholen_sheet_by_hand(demo_run):
    _, outputs = demo_run
    rows = {(r["BRIN"], r["Schooljaar"]): r for r in _sheet(outputs, "Scholen")}
    # 17EF (sbo) 2021-2022: 240 × € 1.051,74 + (9 − 4) × € 548,56 = € 252.417,60 + € 2.742,80
    assert _dec(rows[("17EF", "2021-2022")]["NPO-toekenning"]) == Decimal("255160.40")
    # 21GH (vo) 2021-2022: 920 × € 701,16 + 180 vbo 3-4 × € 1.051,74 + 55 × € 1.038,16
    assert _dec(rows[("21GH", "2021-2022")]["NPO-toekenning"]) == Decimal("891479.20")
    # 17EF 2022-2023: 240 × € 500; spent: tutoring 2 × (18.000 + 3.780) + bso 2 × 6.000 (no btw)
    assert _dec(rows[("17EF", "2022-2023")]["NPO-toekenning"]) == Decimal("120000.00")
    assert _dec(rows[("17EF", "2022-2023")]["Besteed incl. btw"]) == Decimal("55560.00")


def test_register_leveranciers_sheet_by_hand(demo_run):
    _, outputs = demo_run
    rows = {r["KvK"]: r for r in _sheet(outputs, "Leveranciers")}
    devries = rows["80034567"]  # J. de Vries: 14CD 31.200, 17EF 26.000, 12AB 18.000 (open-ended)
    assert devries["Inhuren"] == 3 and _dec(devries["Contractwaarde excl. btw"]) == Decimal("75200.00")
    assert devries["Scholen"] == "12AB, 14CD, 17EF"


def test_board_total_is_the_sum_of_the_schools_bovenschools_shares_included(demo_run):
    _, outputs = demo_run
    import docx

    d = docx.Document(outputs / "jaarverslag-2023.docx")
    table = next(t for t in d.tables if [c.text for c in t.rows[0].cells][:2] == ["School", "Facturen"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    money = {r[0]: Decimal(r[4].replace("€", "").replace("\xa0", "").replace(" ", "").replace(".", "").replace(",", ".")) for r in rows}
    total = money.pop("Totaal bestuur")
    assert sum(money.values()) == total
    # 14CD in 2023: extra handen 7 × € 2.600 (Jan–Jul, no btw) + tutoring € 44.000 + € 9.240 + sport € 4.800 + € 1.008
    # + 35 % of the bovenschools invoices KR-1301, KR-1388, KR-1420 (3 × (€ 14.000 + € 2.940) × 35 % = 3 × € 5.929)
    assert money["14CD CBS Het Kompas"] == Decimal("18200") + Decimal("53240") + Decimal("5808") + Decimal("17787")
    # 12AB carries 40 %: 3 × € 6.776 of it
    assert money["12AB OBS De Regenboog"] >= Decimal("20328")


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_same_inputs_give_the_same_documents_and_register(demo_run, tmp_path, monkeypatch):
    inputs, _ = demo_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(out), "--geen-pdf", "--geen-cache"])
        assert result.exit_code == 0, result.output
        outs.append(out)
    a, b = outs
    docs = sorted(p.relative_to(a) for p in a.rglob("*.docx"))
    assert docs and docs == sorted(p.relative_to(b) for p in b.rglob("*.docx"))
    for rel in docs:  # every part of the package byte for byte, the document properties too (same moment)
        assert _parts(a / rel) == _parts(b / rel), rel
    assert "1 januari 2026" in _docx_text(a / "jaarverslag-2022.docx")
    wa, wb = load_workbook(a / "register.xlsx"), load_workbook(b / "register.xlsx")
    for ws in wa.worksheets:
        assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in wb[ws.title].iter_rows()]
    ma = json.loads((a / "manifest.json").read_text())
    mb = json.loads((b / "manifest.json").read_text())
    assert ma == mb and ma["generated"] == "2026-01-01T00:00:00"


def test_unchanged_inputs_keep_the_outputs_and_a_change_rebuilds(tmp_path):
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    demo.generate(inputs)
    args = ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"]
    assert CliRunner().invoke(app, args).exit_code == 0
    stamp = (outputs / "manifest.json").stat().st_mtime_ns
    assert CliRunner().invoke(app, args).exit_code == 0
    assert (outputs / "manifest.json").stat().st_mtime_ns == stamp  # nothing rewritten
    shutil.copy(inputs / "12AB" / "2022-2023-2 advies.xlsx", inputs / "14CD" / "nieuw.xlsx")
    assert CliRunner().invoke(app, args).exit_code == 0
    listed = {f["file"] for f in json.loads((outputs / "manifest.json").read_text())["files"]}
    assert "14CD/nieuw.xlsx" in listed


def test_committed_demo_board_is_what_the_generator_writes(tmp_path):
    """inputs/ is the demo board as `python -m tools demo` writes it, byte for byte (regenerate when this fails)."""
    written = demo.generate(tmp_path / "inputs")
    repo_inputs = Path(__file__).resolve().parents[1] / "inputs"
    for path in written:
        rel = path.relative_to(tmp_path / "inputs")
        assert (repo_inputs / rel).read_bytes() == path.read_bytes(), rel


def test_jaarverslag_has_section_volledigheid_and_mr_says_whether_spending_is_accounted_for(demo_run):
    _, outputs = demo_run
    text = _docx_text(outputs / "jaarverslag-2024.docx")
    assert "Volledigheid" in text
    # NPO lines booked in 2024 in the demo ledger, by hand: SV-2024-090 18.000,00 + DV-140 13.000,00
    # + NL-2024-02 2.850,00 + KR-1690 8.000,00 + DV-245 9.000,00 + DV-262 7.500,00 (the open-ended 12AB hire)
    # = 58.350,00; of which without workbook (L1): 2.850,00
    assert "58.350,00" in text and "2.850,00" in text
    # MR 14CD 2023-2024: ledger 4.800,00 (SR-23-88) + 3.150,00 + 2.850,00 = 10.800,00, of which 6.000,00 open (L1)
    mr_text = _docx_text(outputs / "mr" / "14CD-2023-2024.docx")
    assert "10.800,00" in mr_text and "6.000,00" in mr_text


# The "Vragenlijst inhuur externe partij" of OCW, Inhuur van externe partijen (handreiking voor scholen), verbatim.
OCW_QUESTIONS = [
    "Sluit de expertise van de externe partij aan bij, of kan ze bijdragen aan, het bestaande schoolbeleid en de visie van de school?",
    "Heeft de partij aantoonbare kwaliteit? Is er onafhankelijke toetsing (bijvoorbeeld een keurmerk)?",
    "Hoe verhoudt de inhuur zich tot de beschikbaarheid en de kwaliteit van het huidige eigen team?",
    "Werkt de partij met bewezen effectieve methoden en materialen en worden die extern getoetst?",
    "Heeft de partij meerjarige ervaring met het samenwerken met scholen? Waar blijkt dit uit?",
    "Als er contact is met leerlingen: werkt de partij met vaste krachten en een VOG? Voldoet de partij aan de AVG?",
    "Is van tevoren helder welke medewerkers van de partij de opdracht uitvoeren? Hoe gekwalificeerd zijn deze medewerkers, zijn ze opgeleid?",
    "Kan de partij continuïteit van dezelfde kwaliteit waarborgen bij uitval of ziekte?",
    "Hoe waarborgt de partij dat de regie over de uitvoering van de opdracht bij de leraar en schoolleider ligt?",
    "Welke randvoorwaarden kunt u vastleggen voor bijvoorbeeld afstemming, monitoring, bijsturing, evaluatie en borging? "
    "Kunt u de voortgang van de leerlingen monitoren via ondersteunende systemen?",
    "Hoe zorgt de partij voor kennisoverdracht aan de leraar en schoolleider?",
]


def test_questionnaire_is_the_ocw_wording_in_the_workbook_and_the_mr_report(demo_run):
    inputs, outputs = demo_run
    from pipeline import spec

    assert [q.text for q in spec.load().questions] == OCW_QUESTIONS
    wb = load_workbook(inputs / "12AB" / "2022-2023-1 tutoring.xlsx")
    t = spec.load().tables["tblVragenlijst"]
    ws = wb[t.sheet]
    col = t.column_letter("Vraag")
    assert [ws[f"{col}{t.first_row + i}"].value for i in range(11)] == OCW_QUESTIONS
    import docx

    d = docx.Document(outputs / "mr" / "12AB-2022-2023.docx")
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Nr")
    assert [r.cells[1].text for r in table.rows[1:]] == OCW_QUESTIONS


def test_mr_report_shows_the_bovenschools_share_rights_and_appendix(demo_run):
    inputs, outputs = demo_run
    import docx

    d = docx.Document(outputs / "mr" / "14CD-2022-2023.docx")
    overview = next(t for t in d.tables if [c.text for c in t.rows[0].cells][:2] == ["Inhuur", "Externe partij"])
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in overview.rows[1:]}
    # 14CD carries 35 %: of the contract value € 42.000 → € 14.700; the column shows what was invoiced in 2022-2023:
    # KR-1301 of 31-3-2023 (€ 14.000 + € 2.940 → € 5.929); KR-1388 and KR-1420 fall in 2023-2024
    assert rows["21GH-2022-2023-2"][3] == "€\xa014.700,00"
    assert rows["21GH-2022-2023-2"][4] == "€\xa05.929,00"
    text = _docx_text(outputs / "mr" / "14CD-2022-2023.docx")
    assert "bovenschools" in text and "vooraf" in text  # the MR's consent to the bovenschools share is named
    appendix = next(t for t in d.tables if [c.text for c in t.rows[0].cells] == ["Inhuur", "Bestand", "SHA-256", "Cellen"])
    trail = {r.cells[1].text: r.cells[2].text for r in appendix.rows[1:]}
    assert trail["21GH/2022-2023-2 bovenschools.xlsx"] == _sha(inputs / "21GH" / "2022-2023-2 bovenschools.xlsx")
    assert "bijlage" in text.lower()

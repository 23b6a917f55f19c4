"""Tests for pipeline.reports and pipeline.pdf: the Word documents read back and checked against the inputs."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook

from conftest import need_soffice
from pipeline import dutch, run
from pipeline.model import RunData
from pipeline.rules import catalogue as findings
from pipeline.render import pdf
from pipeline.render import documents, gmr, jaarverslag, mr
from pipeline.read import board as config
from pipeline.render import workbook as template

GENERATED = datetime(2024, 3, 1, 12, 0)
BSN = "111222333"  # passes the elfproef
PUPIL_MAIL = "jan.jansen@leerling.nl"
PARENT_MAIL = "ouder.bakker@example.nl"
ALLOCATIONS = {  # (BRIN, school year) -> fixed NPO allocation in bestuur.xlsx
    ("12AB", "2022-2023"): Decimal("120000"), ("12AB", "2023-2024"): Decimal("60000"),
    ("34CD", "2022-2023"): Decimal("240000"),
}
SCHOOLS = {"12AB": ("De Regenboog", "bo"), "34CD": ("Het Lyceum", "vo")}
CATEGORY = {"B: Instructie in kleine groepen": "B", "A: Zomer- of lentescholen": "A", "C: Sportieve activiteiten": "C",
            "E: Klassenverkleining": "E"}

# Each hire: file, fields that differ from the baseline, invoices [nr, date, excl, btw, text].
HIRES = [
    ("12AB/rekenen-v1.xlsx", {"volgnummer": 1, "versiedatum": date(2022, 10, 1)},
     [["F-1", date(2022, 10, 31), Decimal("99999.00"), Decimal("0"), "oude versie"]]),
    ("12AB/rekenen-v2.xlsx", {"volgnummer": 1, "versiedatum": date(2023, 3, 1),
                              "behoefte": f"Achterstand rekenen; leerling {BSN} en {PUPIL_MAIL} vallen op."},
     [["F-1", date(2022, 10, 31), Decimal("10000.00"), Decimal("2100.00"), "Tutoring oktober"],
      ["F-2", date(2022, 12, 15), Decimal("5000.50"), Decimal("1050.11"), "Tutoring december"],
      ["F-3", date(2023, 2, 28), Decimal("12000.00"), Decimal("2520.00"), "Tutoring voorjaar"]]),
    ("12AB/zomerschool.xlsx", {"volgnummer": 2, "interventie": "A: Zomer- of lentescholen", "niveau": "Bovenschools",
                               "pnil": "Nee", "procedure": "Europees", "contractwaarde": Decimal("250000"),
                               "gmr_instemming": date(2022, 6, 15), "mr_akkoord_bovenschools": date(2022, 6, 20),
                               "leverancier_naam": "Zomerschool & Co", "leverancier_kvk": "87654321"},
     [["Z-1", date(2023, 1, 15), Decimal("100000.00"), Decimal("21000.00"), "Voorschot"],
      ["Z-2", date(2023, 8, 31), Decimal("50000.00"), Decimal("10500.00"), "Slot"]]),
    ("34CD/sport.xlsx", {"brin": "34CD", "school_naam": "Het Lyceum", "volgnummer": 1, "interventie": "C: Sportieve activiteiten",
                         "contractwaarde": Decimal("230000"), "mr_advies_gevraagd": None, "mr_advies_ontvangen": None,
                         "mr_advies_uitkomst": None, "leverancier_naam": "Sportief BV", "leverancier_kvk": "11223344",
                         "evaluatie_samenvatting": f"Meer leerlingen sporten; vragen via {PARENT_MAIL}."},
     [["S-1", date(2022, 11, 30), Decimal("20000.00"), Decimal("0.00"), "Najaar"],
      ["S-2", date(2023, 3, 31), Decimal("30000.25"), Decimal("6300.05"), "Voorjaar"]]),
    ("34CD/klas.xlsx", {"brin": "34CD", "school_naam": "Het Lyceum", "schooljaar": "2023-2024", "volgnummer": 1,
                        "interventie": "E: Klassenverkleining", "pnil": "Nee", "startdatum": date(2023, 9, 1),
                        "einddatum": date(2024, 6, 30), "contractwaarde": Decimal("9000"),
                        "leverancier_naam": "Klasse Inzet", "leverancier_kvk": "55667788"},
     [["K-1", date(2023, 10, 1), Decimal("7000.00"), Decimal("1470.00"), "Najaar"],
      ["K-2", None, Decimal("500.00"), Decimal("105.00"), "Zonder datum"]]),
]
SUPERSEDED = "12AB/rekenen-v1.xlsx"


def base_fields() -> dict:
    return {
        "brin": "12AB", "school_naam": "De Regenboog", "schooljaar": "2022-2023", "volgnummer": 1,
        "versiedatum": date(2022, 7, 10), "leverancier_naam": "Bijlesbureau Slim", "leverancier_kvk": "12345678",
        "leverancier_type": "Bureau", "soort_inhuur": "Ondersteuning schoolpersoneel / extra handen in de klas",
        "interventie": "B: Instructie in kleine groepen", "niveau": "School",
        "behoefte": "Achterstand bij rekenen in groep 6.", "eigen_capaciteit": "Eigen team volledig ingezet.",
        "in_schoolprogramma": "Ja", "leraren_betrokken": "Leraren kiezen de leerlingen.",
        "mr_instemming_schoolprogramma": date(2022, 5, 20), "mr_advies_gevraagd": date(2022, 6, 1),
        "mr_advies_ontvangen": date(2022, 6, 10), "mr_advies_uitkomst": "Positief",
        "selectieteam_leraar": "Ja", "selectieteam_ib": "Ja", "procedure": "Meervoudig onderhands",
        "contractwaarde": Decimal("40000"), "startdatum": date(2022, 9, 1), "einddatum": date(2023, 7, 14),
        "contract_getekend": date(2022, 7, 1), "afspraken_meerwerk": "Ja", "ouders_geinformeerd": date(2022, 8, 30),
        "pnil": "Ja", "contact_leerlingen": "Ja", "leraar_aanwezig": "Ja", "persoonsgegevens": "Nee",
        "verwerkersovereenkomst": "N.v.t.", "evaluatiedatum": date(2023, 7, 20),
        "evaluatie_samenvatting": "Rekenscores stegen.", "kennisoverdracht": "Materialen overgedragen.",
        "oordeel_samenwerking": 4, "opnieuw_inhuren": "Ja",
    }


def base_tables(f: dict, invoices: list) -> dict:
    answers = [["Ja", f"Toelichting bij vraag {i}.", "Keurmerk X" if i in (2, 5, 6) else None] for i in range(1, 12)]
    quote_day = date(2022, 6, 1)
    return {
        "tblVragenlijst": answers,
        "tblOffertes": [[f["leverancier_naam"], f["leverancier_kvk"], f["contractwaarde"], quote_day, "Ja"],
                        ["Tweede Bureau", "80099003", f["contractwaarde"] * Decimal("1.1"), quote_day, "Nee"],
                        ["Derde Bureau", "80099004", f["contractwaarde"] * Decimal("1.2"), quote_day, "Nee"]],
        "tblMedewerkers": [["Medewerker AB", date(2022, 7, 1), "Ja"]],
        "tblResultaten": [["Tussendoel rekenen gehaald", "Tussenresultaat", date(2023, 2, 1), "Toets", "Ja"],
                          ["Einddoel rekenen gehaald", "Eindresultaat", date(2023, 7, 1), "Toets", "Deels"]],
        "tblFacturen": [[nr, d, float(excl), float(vat), txt] for nr, d, excl, vat, txt in invoices],
    }


def write_board(inputs: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bestuur"
    ws.append(["Naam bestuur", "Stichting Proefbestuur"])
    ws = wb.create_sheet("Scholen")
    ws.append(["BRIN", "Naam", "Soort", "E-mail"])
    for brin, (name, kind) in SCHOOLS.items():
        ws.append([brin, name, kind, f"info@{brin.lower()}.example"])
    ws = wb.create_sheet("Leerlingen")
    ws.append(["BRIN", "Schooljaar", "Leerlingen", "Achterstandsscore", "CUMI-leerlingen", "NPO-toekenning"])
    for (brin, year), amount in ALLOCATIONS.items():
        ws.append([brin, year, 200, 0, 0, float(amount)])
    ws = wb.create_sheet("Inkoopbeleid")
    ws.append(["Vanaf waarde excl. btw", "Minimaal aantal offertes", "Procedure"])
    for value, quotes, procedure in ((0, 1, "Enkelvoudig onderhands"), (25000, 3, "Meervoudig onderhands")):
        ws.append([value, quotes, procedure])
    wb.save(inputs / "bestuur.xlsx")


def build_inputs(inputs: Path) -> None:
    inputs.mkdir(parents=True)
    write_board(inputs)
    for rel, changes, invoices in HIRES:
        f = base_fields()
        f.update(changes)
        wb = template.build()
        template.fill(wb, {k: v for k, v in f.items() if v is not None}, base_tables(f, invoices))
        (inputs / rel).parent.mkdir(parents=True, exist_ok=True)
        wb.save(inputs / rel)
    (inputs / "34CD" / "kapot.xlsx").write_text("dit is geen werkboek")
    (inputs / "34CD" / "notities.txt").write_text("los bestand")


def expected_invoices() -> pl.DataFrame:
    """The counted invoices straight from the test data, independent of the pipeline."""
    rows = []
    for rel, changes, invoices in HIRES:
        if rel == SUPERSEDED:
            continue
        f = base_fields()
        f.update(changes)
        for _, d, excl, vat, _ in invoices:
            rows.append({"file": rel, "brin": f["brin"], "categorie": CATEGORY[f["interventie"]], "pnil": f["pnil"],
                         "jaar": d.year if d else None, "excl": excl, "btw": vat, "incl": excl + vat})
    return pl.DataFrame(rows, schema={"file": pl.Utf8, "brin": pl.Utf8, "categorie": pl.Utf8, "pnil": pl.Utf8,
                                      "jaar": pl.Int64, "excl": pl.Decimal(16, 2), "btw": pl.Decimal(16, 2),
                                      "incl": pl.Decimal(16, 2)})


def dec(v) -> Decimal:
    return Decimal(v if v is not None else 0).quantize(Decimal("0.01"))


def money(cell: str) -> Decimal:
    return Decimal("0.00") if cell.strip() in ("–", "") else dutch.parse_euro(cell)


def calendar_allocation(brin: str, year: int) -> Decimal:
    ending = ALLOCATIONS.get((brin, f"{year - 1}-{year}"), Decimal(0))
    starting = ALLOCATIONS.get((brin, f"{year}-{year + 1}"), Decimal(0))
    return (ending * 7 / 12 + starting * 5 / 12).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- reading documents back


def all_text(path: Path) -> str:
    """Every text node of the body, the headers and the footers."""
    doc = Document(str(path))
    parts = ["".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.append("".join(t.text or "" for t in part._element.iter(qn("w:t"))))
    return "\n".join(parts)


def body_text(path: Path) -> list[str]:
    """The text of every body paragraph (in tables too), empty ones left out."""
    body = Document(str(path)).element.body
    texts = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return [t for t in texts if t.strip()]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def table(path: Path, *header: str) -> list[list[str]]:
    """The rows (header included) of the first table whose header row starts with `header`."""
    for t in Document(str(path)).tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        if rows and rows[0][: len(header)] == list(header):
            return rows
    raise AssertionError(f"no table with header {header} in {path.name}")


def school_label(brin: str) -> str:
    return f"{brin} {SCHOOLS[brin][0]}"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> tuple[RunData, Path, list[Path]]:
    root = tmp_path_factory.mktemp("bestuur")
    build_inputs(root / "inputs")
    data = run.run(root / "inputs", workers=1, today=date(2024, 3, 1), generated=GENERATED)
    docs = documents.render_all(data, root / "outputs")
    return data, root / "outputs", docs


def test_the_expected_documents(board) -> None:
    data, out, docs = board
    assert data.counts() == {"gelezen": 4, "vervangen": 1, "afgewezen": 1, "overgeslagen": 1}
    names = sorted(p.relative_to(out).as_posix() for p in docs)
    # jaarverslag-2024: the 34CD hire runs until 30-6-2024, so it belongs to 2024 too, without an invoice there
    assert names == ["gmr-2022-2023.docx", "gmr-2023-2024.docx", "jaarverslag-2022-bijlagen.docx", "jaarverslag-2022.docx",
                     "jaarverslag-2023-bijlagen.docx", "jaarverslag-2023.docx", "jaarverslag-2024-bijlagen.docx",
                     "jaarverslag-2024.docx", "mr/12AB-2022-2023.docx",
                     "mr/12AB-2023-2024.docx",  # Z-2 of the zomerschool is invoiced on 31-8-2023, in 2023-2024
                     "mr/34CD-2022-2023.docx", "mr/34CD-2023-2024.docx"]
    assert all(p.is_file() for p in docs)


@pytest.mark.parametrize("year", [2022, 2023])
def test_jaarverslag_spending_per_school_and_category(board, year: int) -> None:
    _, out, _ = board
    doc = out / f"jaarverslag-{year}.docx"
    inv = expected_invoices().filter(pl.col("jaar") == year)
    rows = table(doc, "School", "A", "B", "C", "D", "E", "F", "Totaal")
    by_school = {r[0]: r for r in rows[1:-1]}
    assert set(by_school) == {school_label(b) for b in SCHOOLS}
    for brin in SCHOOLS:
        row = by_school[school_label(brin)]
        for i, cat in enumerate("ABCDEF", start=1):
            want = dec(inv.filter((pl.col("brin") == brin) & (pl.col("categorie") == cat)).get_column("incl").sum())
            assert money(row[i]) == want, (brin, cat)
        assert money(row[7]) == dec(inv.filter(pl.col("brin") == brin).get_column("incl").sum())
    total = rows[-1]
    assert total[0] == "Totaal bestuur"
    assert money(total[7]) == dec(inv.get_column("incl").sum())
    for i, cat in enumerate("ABCDEF", start=1):
        assert money(total[i]) == dec(inv.filter(pl.col("categorie") == cat).get_column("incl").sum())

    costs = table(doc, "School", "Facturen", "Excl. btw", "Btw", "Incl. btw")
    for row in costs[1:-1]:
        brin = row[0].split()[0]
        part = inv.filter(pl.col("brin") == brin)
        assert row[1] == str(part.height)
        assert [money(c) for c in row[2:]] == [dec(part.get_column(c).sum()) for c in ("excl", "btw", "incl")]
    assert [money(c) for c in costs[-1][2:]] == [dec(inv.get_column(c).sum()) for c in ("excl", "btw", "incl")]

    cats = table(doc, "Categorie", "Inhuren", "Excl. btw", "Btw", "Incl. btw")
    for row in cats[1:-1]:
        part = inv.filter(pl.col("categorie") == row[0][0])
        assert [money(c) for c in row[2:]] == [dec(part.get_column(c).sum()) for c in ("excl", "btw", "incl")]


@pytest.mark.parametrize("year", [2022, 2023])
def test_jaarverslag_states_the_board_total_and_the_appendix_reconciles(board, year: int) -> None:
    data, out, _ = board
    doc = out / f"jaarverslag-{year}.docx"
    inv = expected_invoices().filter(pl.col("jaar") == year)
    total_incl, total_excl = dec(inv.get_column("incl").sum()), dec(inv.get_column("excl").sum())
    summary = next(p for p in paragraphs(doc) if p.startswith(f"In {year} heeft"))
    assert f"in totaal {dutch.format_euro(total_incl)} (inclusief btw)" in summary
    assert f"exclusief btw is dat {dutch.format_euro(total_excl)}" in summary
    assert f"jaarverslag-{year}-bijlagen.docx" in summary + " ".join(paragraphs(doc))  # the report names its appendices

    appendix = out / f"jaarverslag-{year}-bijlagen.docx"
    rows = table(appendix, "Bestand", "SHA-256", "Status", "Toelichting", "Excl. btw", "Incl. btw")
    body, total = rows[1:-1], rows[-1]
    listed = {r[0] for r in body}
    # every file with an invoice in the year, and every file that was not read, is in the year's appendix
    assert set(inv.get_column("file").to_list()) | {f.file for f in data.files if f.status in ("afgewezen", "overgeslagen")} <= listed
    assert listed <= {f.file for f in data.files}
    assert sum(money(r[5]) for r in body) == total_incl == money(total[5])
    assert sum(money(r[4]) for r in body) == total_excl == money(total[4])
    by_file = {r[0]: r for r in body}
    for f in data.files:
        if f.file not in listed:
            continue
        assert by_file[f.file][1] == f.sha256
        assert by_file[f.file][2] == f.status
    assert by_file[SUPERSEDED][2] == "vervangen" and by_file[SUPERSEDED][5] == "–"
    assert by_file["34CD/kapot.xlsx"][2] == "afgewezen"
    for rel in ({r for r, *_ in HIRES} - {SUPERSEDED}) & listed:
        assert money(by_file[rel][5]) == dec(inv.filter(pl.col("file") == rel).get_column("incl").sum())
    if year == 2023:
        assert any("geen leesbare factuurdatum" in p for p in paragraphs(appendix))


@pytest.mark.parametrize("year", [2022, 2023])
def test_jaarverslag_pnil_share_of_the_calendar_allocation(board, year: int) -> None:
    _, out, _ = board
    doc = out / f"jaarverslag-{year}.docx"
    inv = expected_invoices().filter(pl.col("jaar") == year)
    rows = table(doc, "School", f"Toekenning {year}", "Extern incl. btw", "Aandeel extern", "PNIL incl. btw", "Aandeel PNIL")
    alloc_total = Decimal(0)
    for row in rows[1:-1]:
        brin = row[0].split()[0]
        alloc = calendar_allocation(brin, year)
        alloc_total += alloc
        spent = dec(inv.filter(pl.col("brin") == brin).get_column("incl").sum())
        pnil = dec(inv.filter((pl.col("brin") == brin) & (pl.col("pnil") == "Ja")).get_column("incl").sum())
        assert money(row[1]) == alloc
        assert money(row[2]) == spent
        assert row[3] == dutch.format_percent(spent / alloc)
        assert money(row[4]) == pnil
        assert row[5] == dutch.format_percent(pnil / alloc)
    pnil_total = dec(inv.filter(pl.col("pnil") == "Ja").get_column("incl").sum())
    spent_total = dec(inv.get_column("incl").sum())
    assert money(rows[-1][1]) == alloc_total
    assert money(rows[-1][2]) == spent_total
    assert rows[-1][3] == dutch.format_percent(spent_total / alloc_total)  # the total row's Aandeel extern
    assert money(rows[-1][4]) == pnil_total
    assert rows[-1][5] == dutch.format_percent(pnil_total / alloc_total)
    text = " ".join(paragraphs(doc))
    assert f"(PNIL): {dutch.format_percent(pnil_total / alloc_total)}" in text
    # 7/12 weighs the school year that ends in `year`, 5/12 the one that starts in it; the sum is the board's allocation
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    (said,) = re.findall(r"7/12 van de toekenning voor schooljaar (\S+) .*?plus 5/12 van de toekenning voor schooljaar (\S+) "
                         r".*?samen is dat (€\xa0[\d.]+,\d\d)", text)
    assert said[:2] == (ending, starting) and money(said[2]) == alloc_total
    assert f"7/12 van schooljaar {ending} plus 5/12 van schooljaar {starting}" in text
    # Bijlage B: each school year's allocation with the share of it that counts in `year`
    parts = table(out / f"jaarverslag-{year}-bijlagen.docx", "School", "Schooljaar", "Toekenning", f"Deel in {year}")[1:]
    assert {(r[0].split()[0], r[1]): (money(r[2]), r[3]) for r in parts if money(r[2])} == {
        (brin, sy): (amount, "7/12" if sy == ending else "5/12")
        for (brin, sy), amount in ALLOCATIONS.items() if sy in (ending, starting)}


def test_jaarverslag_consent_results_threshold_and_compliance(board) -> None:
    data, out, _ = board
    doc = out / "jaarverslag-2023.docx"
    boven = table(doc, "Inhuur", "Externe partij", "Instemming GMR", "Deelnemende scholen: aandeel en MR-akkoord")
    assert boven[1][:4] == ["12AB-2022-2023-2", "Zomerschool & Co", "15 juni 2022",
                            "12AB 100% (MR-akkoord 20 juni 2022); geen deelnemende scholen ingevuld"]
    eu = {r[0]: r for r in table(doc, "Inhuur", "Externe partij", "Waarde", "Drempel", "Procedure", "Oordeel")[1:]}
    assert set(eu) == {"12AB-2022-2023-2", "34CD-2022-2023-1"}
    assert eu["12AB-2022-2023-2"][4] == "Europees" and eu["12AB-2022-2023-2"][5] == "Europees aanbesteed"
    assert "A1" in eu["34CD-2022-2023-1"][5]
    assert money(eu["34CD-2022-2023-1"][2]) == Decimal("230000.00")
    assert money(eu["34CD-2022-2023-1"][3]) == Decimal("215000.00")

    files = [h.file for h in jaarverslag.hires_in_year(data, 2023)]
    expect = data.findings_df.filter(pl.col("file").is_in(files)).group_by("rule", "severity").len()
    rows = table(doc, "Regel", "Omschrijving", "Fout", "Waarschuwing", "Info")
    cat = findings.catalogue()
    for row in rows[1:-1]:
        assert row[1] == cat[row[0]].title
        for col, sev in ((2, "fout"), (3, "waarschuwing"), (4, "info")):
            n = expect.filter((pl.col("rule") == row[0]) & (pl.col("severity") == sev)).get_column("len").sum()
            assert int(row[col]) == n, (row[0], sev)
    assert {r[0] for r in rows[1:-1]} == set(expect.get_column("rule").to_list())
    assert int(rows[-1][2]) == expect.filter(pl.col("severity") == "fout").get_column("len").sum()

    appendix = out / "jaarverslag-2023-bijlagen.docx"
    results = {r[0]: r for r in table(appendix, "Inhuur", "Interventie", "Behaald", "Evaluatie", "Belangrijkste uitkomsten")[1:]}
    assert results["12AB-2022-2023-1"][2] == "1 van 2, 1 deels"
    assert results["12AB-2022-2023-1"][3] == "20 juli 2023"
    # section 6 counts them per menukaart category: hires, results agreed, achieved, partly achieved
    summary = table(doc, "Categorie", "Inhuren met evaluatie", "Afgesproken resultaten", "Behaald", "Deels behaald")
    assert int(summary[-1][1]) == len(results) == sum(int(r[1]) for r in summary[1:-1])
    agreed = [r[2] for r in results.values() if r[2] != "–"]
    assert int(summary[-1][3]) == sum(int(b.split()[0]) for b in agreed)
    assert int(summary[-1][2]) == sum(int(b.split()[2].rstrip(",")) for b in agreed)
    assert int(summary[-1][4]) == sum(int(b.split(", ")[1].split()[0]) for b in agreed if ", " in b)
    interventions = {r[0] for r in table(doc, "Interventie", "Inhuren", "Scholen", "Incl. btw")[1:]}
    assert interventions == {"A: Zomer- of lentescholen", "B: Instructie in kleine groepen", "C: Sportieve activiteiten",
                             "E: Klassenverkleining"}
    assumptions = table(doc, "Instelling", "Waarde", "Herkomst", "Bron")
    assert len(assumptions) - 1 == len(config.assumptions(data.board))
    text = all_text(doc)
    assert f"regelset {findings.ruleset_version()}" in text
    assert "Gemaakt op 1 maart 2024" in text


def test_mr_document_explains_each_hire(board) -> None:
    data, out, _ = board
    doc = out / "mr" / "12AB-2022-2023.docx"
    heads = [(p.style.name, p.text) for p in Document(str(doc)).paragraphs if p.style.name.startswith("Heading")]
    # numbered 1 to n in this document, then the hire id
    assert ("Heading 1", "Inhuur 1: Bijlesbureau Slim (12AB-2022-2023-1)") in heads
    assert ("Heading 1", "Inhuur 2: Zomerschool & Co (12AB-2022-2023-2)") in heads
    text = all_text(doc)
    assert "De MR is op 1 juni 2022 om advies gevraagd." in text
    assert "Instructie in kleine groepen" in text and "Achterstand rekenen" in text
    questions = [t for t in Document(str(doc)).tables if t.rows[0].cells[0].text == "Nr"]
    assert len(questions) == 2
    assert [r.cells[0].text for r in questions[0].rows[1:]] == [str(i) for i in range(1, 12)]
    assert questions[0].rows[2].cells[3].text == "Toelichting bij vraag 2. Bewijs: Keurmerk X"
    overview = table(doc, "Inhuur", "Externe partij", "Interventie", "Contractwaarde excl. btw", "Gefactureerd in 2022-2023 incl. btw")
    # all three invoices of rekenen-v2 are dated in school year 2022-2023
    invoiced = expected_invoices().filter(pl.col("file") == "12AB/rekenen-v2.xlsx").get_column("incl").sum()
    assert money(overview[1][4]) == dec(invoiced)
    assert overview[1][5] == "01-06-2022"
    other = all_text(out / "mr" / "34CD-2022-2023.docx")
    assert "Volgens het werkboek is de MR niet om advies gevraagd." in other
    assert "nee, niet vastgelegd in het werkboek" in other
    sport = data.findings_df.filter(pl.col("file") == "34CD/sport.xlsx")
    assert sport.height > 0
    for rule in sport.get_column("rule").unique().to_list():
        assert f"{rule} {findings.catalogue()[rule].title}" in other


def test_gmr_document_covers_bovenschools_hires(board) -> None:
    _, out, _ = board
    doc = out / "gmr-2022-2023.docx"
    boven = table(doc, "Inhuur", "Externe partij", "Interventie", "Waarde excl. btw", "Instemming GMR", "Deelnemers: aandeel en MR-akkoord")
    assert boven[1][0] == "12AB-2022-2023-2" and boven[1][4] == "15 juni 2022"
    inv = expected_invoices().filter(pl.col("jaar").is_not_null())
    inv = inv.with_columns(pl.Series("sj", [dutch.school_year_of(d) for d in _invoice_dates()]))
    part = inv.filter(pl.col("sj") == "2022-2023")
    schools = table(doc, "School", "Inhuren", "Toekenning", "Besteed incl. btw", "Aandeel")
    for row in schools[1:-1]:
        brin = row[0].split()[0]
        spent = dec(part.filter(pl.col("brin") == brin).get_column("incl").sum())
        assert money(row[3]) == spent
        assert row[4] == dutch.format_percent(spent / ALLOCATIONS[(brin, "2022-2023")])
    assert money(schools[-1][3]) == dec(part.get_column("incl").sum())


def _invoice_dates() -> list[date]:
    return [d for rel, _, invoices in HIRES if rel != SUPERSEDED for _, d, *_ in invoices if d]


def test_no_pupil_data_in_any_document(board) -> None:
    _, out, docs = board
    seen_marker = False
    for doc in docs:
        text = all_text(doc)
        for secret in (BSN, PUPIL_MAIL, PARENT_MAIL):
            assert secret not in text, (doc.name, secret)
        seen_marker |= "[verwijderd: mogelijk leerlinggegevens]" in text
    assert seen_marker


def test_documents_are_clean_and_navigable(board) -> None:
    _, _, docs = board
    for path in docs:
        text = all_text(path)
        assert "{{" not in text and "{%" not in text and "}}" not in text, path.name
        assert not re.search(r"\bNone\b", text), path.name
        doc = Document(str(path))
        heads = [p for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
        assert heads, path.name
        assert all(p.style.element.pPr.find(qn("w:outlineLvl")) is not None for p in heads)
        for t in doc.tables:
            first = t.rows[0]._tr
            is_facts = t.rows[0].cells[0].paragraphs[0].runs and t.rows[0].cells[0].paragraphs[0].runs[0].bold
            if not is_facts:
                assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None, path.name
            assert t.style.name == "NPO-tabel"
        footer = doc.sections[0].footer._element
        assert any("PAGE" in (i.text or "") for i in footer.iter(qn("w:instrText")))
        header = "".join(t.text for t in doc.sections[0].header._element.iter(qn("w:t")))
        assert "Stichting Proefbestuur" in header


def test_amount_cells_are_right_aligned(board) -> None:
    _, out, _ = board
    doc = Document(str(out / "jaarverslag-2023.docx"))
    for t in doc.tables:
        for row in t.rows[1:]:
            for cell in row.cells:
                if re.fullmatch(r"€\s?-?[\d.]+,\d\d", cell.text):
                    assert cell.paragraphs[0].style.name == "Bedrag"
                    assert cell.paragraphs[0].style.paragraph_format.alignment == 2  # RIGHT


def test_charts_are_in_the_documents_and_deterministic(board, tmp_path: Path) -> None:
    data, out, _ = board
    assert len(Document(str(out / "jaarverslag-2023.docx")).inline_shapes) == 2
    assert len(Document(str(out / "gmr-2022-2023.docx")).inline_shapes) == 2
    spec = jaarverslag.jaarverslag_context(data, 2023)["grafieken"]["chart_categories"]
    a = documents.make_chart(spec, tmp_path / "a.png").read_bytes()
    b = documents.make_chart(spec, tmp_path / "b.png").read_bytes()
    assert a == b
    assert b"matplotlib" not in a.lower()


def test_same_inputs_same_text_also_in_parallel(board, tmp_path: Path) -> None:
    data, out, docs = board
    again = documents.render_all(data, tmp_path / "again", workers=2)
    assert [p.relative_to(tmp_path / "again") for p in again] == [p.relative_to(out) for p in docs]
    for a, b in zip(docs, again):
        assert all_text(a) == all_text(b), a.name


def test_contexts_are_plain_data(board) -> None:
    data, _, _ = board

    def plain(v) -> bool:  # text, counts and flags; never a Decimal, date or frame that Word would print raw
        if isinstance(v, str | bool | int):
            return True
        if isinstance(v, dict):
            return all(isinstance(k, str) and plain(x) for k, x in v.items())
        if isinstance(v, list):
            return all(plain(x) for x in v)
        return False

    assert plain(jaarverslag.jaarverslag_context(data, 2023))
    assert plain(mr.mr_context(data, "12AB", "2022-2023"))
    assert plain(gmr.gmr_context(data, "2022-2023"))


# --------------------------------------------------------------------------- LibreOffice


def page_count(path: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_every_document_converts_to_pdf(board, tmp_path: Path) -> None:
    need_soffice()
    _, _, docs = board
    pdfs = pdf.convert_to_pdf(docs, tmp_path / "pdf")
    assert [p.stem for p in pdfs] == [d.stem for d in docs]
    for p in pdfs:
        assert p.is_file() and page_count(p) >= 1, p.name
    assert page_count(tmp_path / "pdf" / "jaarverslag-2023.pdf") >= 5


KINDS = ["jaarverslag", "jaarverslag-bijlagen", "mr", "gmr"]


def context_of(data: RunData, kind: str) -> dict:
    """The context of the demo document of `kind` that the tests render: 2023, 12AB and 2022-2023."""
    if kind.startswith("jaarverslag"):
        report, appendix = jaarverslag.split(jaarverslag.jaarverslag_context(data, 2023))
        return appendix if kind.endswith("bijlagen") else report
    return mr.mr_context(data, "12AB", "2022-2023") if kind == "mr" else gmr.gmr_context(data, "2022-2023")


@pytest.mark.parametrize("kind", KINDS)
def test_template_resaved_by_libreoffice_still_renders(board, tmp_path: Path, kind: str) -> None:
    need_soffice()
    data, out, _ = board
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(documents.TEMPLATES / f"{kind}.docx", src / f"{kind}.docx")
    resaved = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(resaved), str(src / f"{kind}.docx")],
                   check=True, capture_output=True, timeout=300)
    assert (resaved / f"{kind}.docx").is_file()
    original = {"jaarverslag": out / "jaarverslag-2023.docx", "jaarverslag-bijlagen": out / "jaarverslag-2023-bijlagen.docx",
                "mr": out / "mr" / "12AB-2022-2023.docx", "gmr": out / "gmr-2022-2023.docx"}[kind]
    job = documents.Job(resaved / f"{kind}.docx", context_of(data, kind), {}, tmp_path / "out.docx", "t", "a", GENERATED)
    text = all_text(documents.render(job))
    assert "{{" not in text and "{%" not in text and "%}" not in text
    # the same words as from the original template (field results such as page numbers aside)
    assert body_text(tmp_path / "out.docx") == body_text(original)
    total = dec(expected_invoices().filter(pl.col("jaar") == 2023).get_column("incl").sum())
    if kind == "jaarverslag":
        assert f"in totaal {dutch.format_euro(total)} (inclusief btw)" in text
    if kind == "jaarverslag-bijlagen":
        rows = table(tmp_path / "out.docx", "Bestand", "SHA-256", "Status", "Toelichting", "Excl. btw", "Incl. btw")
        assert sum(money(r[5]) for r in rows[1:-1]) == total


def test_pdf_errors_are_clear(tmp_path: Path, monkeypatch) -> None:
    assert pdf.convert_to_pdf([], tmp_path) == []
    doc = tmp_path / "a" / "verslag.docx"
    doc.parent.mkdir()
    doc.write_bytes(b"geen echt document")
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    assert not pdf.soffice_available()
    with pytest.raises(pdf.PdfError, match="niet geïnstalleerd"):
        pdf.convert_to_pdf([doc], tmp_path / "pdf")
    monkeypatch.setattr(pdf, "soffice_path", lambda: shutil.which("false") or "/bin/false")  # a converter that fails
    with pytest.raises(pdf.PdfError, match="niet gevonden"):
        pdf.convert_to_pdf([tmp_path / "bestaat-niet.docx"], tmp_path / "pdf")
    other = tmp_path / "b" / "verslag.docx"
    other.parent.mkdir()
    other.write_bytes(b"x")
    with pytest.raises(pdf.PdfError, match="dezelfde PDF-naam"):
        pdf.convert_to_pdf([doc, other], tmp_path / "pdf")
    with pytest.raises(pdf.PdfError, match="ontbreekt: verslag.pdf"):
        pdf.convert_to_pdf([doc], tmp_path / "pdf")


@pytest.mark.parametrize("kind", KINDS)
def test_cached_rendering_equals_plain_docxtpl(board, tmp_path: Path, kind: str) -> None:
    """The per-process caches (compiled templates, patched XML, listing shortcut) never change a document."""
    import zipfile

    from docxtpl import DocxTemplate

    data, _, _ = board
    ctx = context_of(data, kind)
    ctx.pop("grafieken", None)
    ctx["bestuur"] = "Stichting\tmet tab\nen nieuwe regel"  # exercised by docxtpl's resolve_listing
    template = documents.TEMPLATES / f"{kind}.docx"
    outs = []
    for i in range(2):  # the second render comes from the caches
        job = documents.Job(template, ctx, {}, tmp_path / f"cached-{i}.docx", "t", "a", GENERATED)
        outs.append(documents.render(job))
    plain = DocxTemplate(str(template))
    plain.render(dict(ctx), autoescape=True)
    plain.save(str(tmp_path / "plain.docx"))

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}

    expected = parts(tmp_path / "plain.docx")
    assert b"<w:tab/>" in expected["word/document.xml"] or b"<w:br/>" in expected["word/document.xml"]
    for out in outs:
        assert parts(out) == expected


def test_parallel_rendering_writes_the_same_documents(board, tmp_path: Path, monkeypatch) -> None:
    """Two workers (board-wide documents one at a time, contexts streamed, pools replaced after every
    document) give what one process gives."""
    monkeypatch.setattr(documents, "RECYCLE_AFTER", 1)
    data, out, docs = board
    parallel = documents.render_all(data, tmp_path / "parallel", workers=2)
    rel = sorted(p.relative_to(out) for p in docs)
    assert sorted(p.relative_to(tmp_path / "parallel") for p in parallel) == rel
    for r in rel:
        assert all_text(tmp_path / "parallel" / r) == all_text(out / r), r


@pytest.mark.parametrize("kind", KINDS)
def test_large_bodies_kept_as_text_give_the_same_document(board, tmp_path: Path, monkeypatch, kind: str) -> None:
    """The lean path for large bodies (no lxml tree; drawing ids renumbered in the text) writes the same
    document as the tree path: same parts, and word/document.xml canonically equal."""
    import zipfile

    from lxml import etree

    data, _, _ = board
    job = next(j for j in documents.iter_jobs(data, tmp_path / "x") if j.template.stem == kind)
    outs = {}
    for name, limit in (("tree", 10**12), ("lean", 0)):
        monkeypatch.setattr(documents, "LEAN_BODY_CHARS", limit)
        outs[name] = documents.render(documents.Job(job.template, job.context, job.charts, tmp_path / name / "doc.docx",
                                                job.title, job.author, job.generated))
    with zipfile.ZipFile(outs["tree"]) as a, zipfile.ZipFile(outs["lean"]) as b:
        assert a.namelist() == b.namelist()
        for n in a.namelist():
            if n == "word/document.xml":
                canon = [etree.tostring(etree.fromstring(z.read(n)), method="c14n") for z in (a, b)]
                assert canon[0] == canon[1]
                assert b"npo-inhuur-body" not in canon[1]
            else:
                assert a.read(n) == b.read(n), n
    if job.charts:
        assert len(Document(str(outs["lean"])).inline_shapes) == len(job.charts)
    if kind.startswith("jaarverslag"):  # LibreOffice opens the spliced package
        need_soffice()
        (converted,) = pdf.convert_to_pdf([outs["lean"]], tmp_path / "pdf")
        assert page_count(converted) == page_count(pdf.convert_to_pdf([outs["tree"]], tmp_path / "pdf-tree")[0]) >= 3


@pytest.mark.parametrize("kind", KINDS)
def test_every_variable_of_each_word_template_is_in_its_context(board, kind):
    """A board may restyle templates/*.docx in Word; every placeholder it keeps must be filled by our context."""
    from docxtpl import DocxTemplate

    data, _, _ = board
    ctx = context_of(data, kind)
    used = DocxTemplate(str(documents.TEMPLATES / f"{kind}.docx")).get_undeclared_template_variables()
    assert used, kind
    provided = set(ctx) | set(ctx.get("grafieken", {}))  # charts are drawn by the render worker under their names
    missing = used - provided
    assert not missing, (kind, sorted(missing))

"""Guards from the mutation screen of the document contexts (issue 28, 2026-12-06): jaarverslag, MR report, GMR overview.

Figures of the small board of guards_board.py (see its docstring) that mutants changed while every fast render test
passed. Every expected value is worked out by hand in a comment. The hires a and b take their other fields from the
test baseline (tests/builders.py: period 1-9-2022 .. 30-6-2023; results "Ja" and "Deels"; two staff members with a
VOG date). No pytest fixtures, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

from guards_board import euro, facts as _facts, small_board
from pipeline.render import gmr, jaarverslag, mr


def test_mr_facts_of_each_hire():
    """Hire a: contract € 40.000; invoiced A-1 € 10.000 + € 2.100 and A-2 € 5.000 + € 1.050 = € 15.000 + € 3.150 =
    € 18.150 (2 invoices), of which in school year 2022-2023 only A-1 (15-3-2023; A-2 is 31-12-2023). Hire b: B-1
    € 100.000 + € 21.000 = € 121.000. Bug: btw, counts or the school year's part dropped or swapped."""
    ctx = mr.mr_context(small_board(), "12AB", "2022-2023")
    a, b = ctx["inhuren"]
    fa = _facts(a)
    assert fa["Contractwaarde (excl. btw)"] == euro("€ 40.000,00")
    assert fa["Gefactureerd"] == euro("€ 15.000,00 excl. btw + € 3.150,00 btw = € 18.150,00 incl. btw (2 facturen)")
    assert fa["Gefactureerd in schooljaar 2022-2023"] == euro("€ 10.000,00 excl. btw + € 2.100,00 btw = € 12.100,00 incl. btw (1 factuur)")
    assert fa["Offertes"] == euro("1 offerte: Bijles Slim (€ 40.000,00), gekozen")
    assert fa["Contact met leerlingen"].endswith("2 medewerkers, VOG-datum bekend van 2")
    assert _facts(b)["Gefactureerd"] == euro("€ 100.000,00 excl. btw + € 21.000,00 btw = € 121.000,00 incl. btw (1 factuur)")
    assert "Gefactureerd in schooljaar 2022-2023" not in _facts(b)  # all of b is in 2022-2023
    assert [o["contractwaarde"] for o in ctx["overzicht"]] == [euro("€ 40.000,00"), euro("€ 215.000,00")]
    # results of hire a as the test baseline has them: "Ja" then "Deels"
    assert [r["behaald"] for r in a["resultaten"]] == ["Ja", "Deels"]


def test_gmr_totals_and_hire_rows():
    """School year 2022-2023: btw A-1 € 2.100 + B-1 € 21.000 = € 23.100; both hires asked the MR (2/2); hire a is at
    school level with contract € 40.000. Bug: btw total zero, MR count or contract value wrong."""
    ctx = gmr.gmr_context(small_board(), "2022-2023")
    assert ctx["totaal"]["btw"] == euro("€ 23.100,00")
    (school,) = ctx["scholen"]
    assert school["mr"] == "2/2"
    first = ctx["inhuren"][0]
    assert (first["inhuur"], first["niveau"], first["waarde"]) == ("12AB-2022-2023-1", "School", euro("€ 40.000,00"))


def test_jaarverslag_cumulative_and_category_figures():
    """2022: allocation up to 31-12-2022 is 5/12 × € 240.000 = € 100.000, nothing invoiced yet (0,0%).
    2023: PNIL up to 31-12-2023 € 18.150 / € 290.000 = 6,26% -> 6,3%; category B (both hires) € 139.150 incl. btw."""
    y22 = jaarverslag.jaarverslag_context(small_board(), 2022)
    (row,) = y22["cumulatief"]
    assert (row["toekenning"], row["aandeel_extern"]) == (euro("€ 100.000,00"), "0,0%")
    y23 = jaarverslag.jaarverslag_context(small_board(), 2023)
    (row,) = y23["cumulatief"]
    assert row["aandeel_pnil"] == "6,3%"
    assert y23["totaal_categorie"]["B"] == euro("€ 139.150,00")
    assert y23["aantal_scholen_gefactureerd"].startswith("1 school; niet meegeteld is 1 werkboek")  # 99ZZ/x.xlsx


def test_jaarverslag_results_per_hire_and_per_category():
    """Hires a and b each agreed 2 results, achieved 1 and partly 1: per hire "1 van 2, 1 deels"; category B: 2 hires,
    4 agreed, 2 achieved, 2 partly. Bug: counts of results dropped, doubled or swapped."""
    ctx = jaarverslag.jaarverslag_context(small_board(), 2022)
    assert [r["behaald"] for r in ctx["resultaten"]] == ["1 van 2, 1 deels", "1 van 2, 1 deels"]
    (cat,) = ctx["resultaten_overzicht"]
    assert (cat["categorie"][:1], cat["inhuren"], cat["afgesproken"], cat["behaald"], cat["deels"]) == ("B", "2", "4", "2", "2")
    assert {k: ctx["resultaten_totaal"][k] for k in ("inhuren", "afgesproken", "behaald", "deels")} == {
        "inhuren": "2", "afgesproken": "4", "behaald": "2", "deels": "2"}


def test_jaarverslag_appendix_amounts_and_eu_judgement():
    """Bijlage A, 2023 (files in name order a-oud, a, b, x): a.xlsx € 15.000 excl. / € 18.150 incl. (A-1 and A-2);
    b.xlsx "1 factuur in 2023", € 100.000 / € 121.000; a-oud (replaced) and x (rejected) without amounts.
    2022: a.xlsx "geen facturen in 2022". Hire b (€ 215.000, Europees) is "Europees aanbesteed"."""
    y23 = jaarverslag.jaarverslag_context(small_board(), 2023)
    got = [(r["file"], r["reden"] if r["file"] != "99ZZ/x.xlsx" else "", r["excl"], r["incl"]) for r in y23["bestanden"]]
    assert [g for g in got if g[0] != "12AB/a-oud.xlsx"] == [
        ("12AB/a.xlsx", "2 facturen in 2023", euro("€ 15.000,00"), euro("€ 18.150,00")),
        ("12AB/b.xlsx", "1 factuur in 2023", euro("€ 100.000,00"), euro("€ 121.000,00")),
        ("99ZZ/x.xlsx", "", "–", "–")]
    y22 = jaarverslag.jaarverslag_context(small_board(), 2022)
    rows = {r["file"]: r for r in y22["bestanden"]}
    assert (rows["12AB/a.xlsx"]["reden"], rows["12AB/a-oud.xlsx"]["excl"]) == ("geen facturen in 2022", "–")
    assert [(r["waarde"], r["oordeel"]) for r in y22["eu"]] == [(euro("€ 215.000,00"), "Europees aanbesteed")]


# Dates of the test baseline for a hire of school year 2022-2023 (tools/demo.py hire_fields, y0 = 2022): MR consent
# to the school programme 20-6-2022, MR advice asked 25-6-2022 and received 5-7-2022 ("Positief"), contract signed
# 15-7-2022, parents informed 30-8-2022, evaluation 15-9-2023 (the year the hire ends); first result due 15-2-2023.


def test_mr_consent_dates_results_and_numbering():
    """Bug: a date of the MR's consent, the parents or a result's deadline shown as missing, or hires misnumbered."""
    ctx = mr.mr_context(small_board(), "12AB", "2022-2023")
    a = ctx["inhuren"][0]
    assert [i["titel"][:9] for i in ctx["inhuren"]] == ["Inhuur 1:", "Inhuur 2:"]
    assert [c["waarde"] for c in a["medezeggenschap"]] == ["20 juni 2022", "25 juni 2022", "5 juli 2022", "Positief", "15 juli 2022"]
    assert _facts(a)["Ouders geïnformeerd"] == "30 augustus 2022"
    assert [(r["soort"], r["deadline"], r["behaald"]) for r in a["resultaten"]] == [
        ("Tussenresultaat", "15 februari 2023", "Ja"), ("Eindresultaat", "30 juni 2023", "Deels")]
    assert a["evaluatie"].startswith("Evaluatie: 15 september 2023.")
    assert ctx["periode"] == "2022-2023 (1 augustus 2022 tot en met 31 juli 2023)"


def test_gmr_share_advice_date_and_period():
    """2022-2023: spent incl. btw A-1 € 12.100 + B-1 € 121.000 = € 133.100 of € 240.000 = 55,46% -> 55,5%; hire a
    asked the MR on 25 June 2022. Bug: share 'n.v.t.', advice 'niet gevraagd', period from the run date."""
    ctx = gmr.gmr_context(small_board(), "2022-2023")
    assert euro("€ 240.000,00") in ctx["toekenning_tekst"] and "55,5%" in ctx["toekenning_tekst"]
    assert ctx["inhuren"][0]["advies"] == "25 juni 2022"
    assert gmr.gmr_context(small_board(), "2021-2022")["periode"] == "2021-2022 (1 augustus 2021 tot en met 31 juli 2022)"


def test_jaarverslag_consent_results_and_thresholds():
    """2022: both hires asked the MR (2 of 2), consent 20 June 2022; hire a's evaluation 15 September 2023; the EU
    thresholds table starts with the period 2020-2021. Bug: counts, dates or the period's start wrong, or hires
    without an invoice counted in the category table."""
    ctx = jaarverslag.jaarverslag_context(small_board(), 2022)
    (row,) = ctx["medezeggenschap"]
    assert (row["school"], row["advies"], row["instemming"]) == ("12AB De Regenboog", "Bij 2 van 2 inhuren", "Ja: 20 juni 2022")
    assert ctx["resultaten"][0]["evaluatie"] == "15 september 2023"
    assert ctx["drempels"][0]["periode"] == "1 januari 2020 tot en met 31 december 2021"
    # the category table counts invoiced hires: none in 2022; in 2023 both (category B, € 139.150 incl. btw)
    assert {r["categorie"][:1]: r["inhuren"] for r in ctx["categorieen"]} == dict.fromkeys("ABCDEF", "0")
    y23 = jaarverslag.jaarverslag_context(small_board(), 2023)
    assert {r["categorie"][:1]: (r["inhuren"], r["incl"]) for r in y23["categorieen"] if r["inhuren"] != "0"} == {
        "B": ("2", euro("€ 139.150,00"))}


def test_allocation_basis_and_workbook_values_in_the_mr_facts():
    """The calendar year 2022 takes 7/12 of school year 2021-2022 and 5/12 of 2022-2023; 2023 likewise one year on;
    nothing invoiced in 2022 is 0,0%. Hire a's workbook: procedure "Meervoudig onderhands", PNIL "Ja", level School.
    Bug: the basis or the external share line left out, a workbook value shown as not filled."""
    y22 = jaarverslag.jaarverslag_context(small_board(), 2022)
    assert y22["toekenning_grondslag"] == "7/12 van schooljaar 2021-2022 plus 5/12 van schooljaar 2022-2023"
    assert jaarverslag.jaarverslag_context(small_board(), 2023)["toekenning_grondslag"] == (
        "7/12 van schooljaar 2022-2023 plus 5/12 van schooljaar 2023-2024")
    assert y22["extern_regel"].endswith(": 0,0%.")
    fa = _facts(mr.mr_context(small_board(), "12AB", "2022-2023")["inhuren"][0])
    assert (fa["Inkoopprocedure"], fa["Personeel niet in loondienst (PNIL)"], fa["Niveau"]) == ("Meervoudig onderhands", "Ja", "School")


def test_manifest_names_every_file_with_its_bytes_hash_school_and_invoiced_amounts():
    """The manifest (the auditor's trail) per input: size and SHA-256 of the file itself, status, school, counted or
    not, and the invoiced amounts by hand (a: € 15.000 / € 18.150, b: € 100.000 / € 121.000, x none; what the
    manifest says for the replaced a-oud is left open here, see the 2026-12-06 screen notes);
    bestuur.xlsx is listed as the board's file. Bug: a key renamed, the size or school missing, a count doubled."""
    import hashlib

    from pipeline import publish

    data = small_board()
    man = publish.manifest(data, {"12AB/a.xlsx": "terugkoppeling/12AB/a.xlsx"})
    rows = {r["file"]: r for r in man["files"]}
    for name in ("12AB/a.xlsx", "12AB/a-oud.xlsx", "12AB/b.xlsx", "99ZZ/x.xlsx", "bestuur.xlsx"):
        raw = (data.inputs / name).read_bytes()
        assert (rows[name]["bytes"], rows[name]["sha256"]) == (len(raw), hashlib.sha256(raw).hexdigest()), name
    got = {f: (r.get("brin"), r["counted"], r["invoiced_excl_btw"], r["invoiced_incl_btw"], r["marked_copy"]) for f, r in rows.items()}
    assert got == {"12AB/a.xlsx": ("12AB", True, 15000.0, 18150.0, "terugkoppeling/12AB/a.xlsx"),
                   "12AB/a-oud.xlsx": ("12AB", False, *got["12AB/a-oud.xlsx"][2:4], None), "12AB/b.xlsx": ("12AB", True, 100000.0, 121000.0, None),
                   "99ZZ/x.xlsx": ("99ZZ", False, None, None, None), "bestuur.xlsx": (None, False, None, None, None)}
    # each workbook's counts per severity add up to its own findings, each counted once
    assert {f.file: sum(rows[f.file]["findings"].values()) for f in data.files} == {f.file: len(f.findings) for f in data.files}
    assert (man["product"], man["board"]) == ("npo-inhuur", "Stichting Proef")

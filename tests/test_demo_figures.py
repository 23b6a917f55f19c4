"""Every figure of the demo board's documents against the hand-computed table in demo_expected.py.

The demo board is rendered once (`report --geen-pdf` into a temporary folder); each test reads one document type back
(docx tables cell by cell with python-docx, register.xlsx with openpyxl) and compares it with figures worked out by
hand from tools/demo.py and its ledger, never with the pipeline's own frames.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

import demo_expected as X
from demo_expected import BOVENSCHOOLS, D, SCHOOLS, euro, percent
from tools import demo
from demoboard import demo_report

YEARS = (2021, 2022, 2023, 2024, 2025)
CATEGORIES = "ABCDEF"
SCHOOL_YEARS = ("2021-2022", "2022-2023", "2023-2024", "2024-2025")
ZERO = D("0")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("demo-figures")
    return demo_report(base)


# --------------------------------------------------------------------------- reading the documents back


def _text(s: str) -> str:
    return s.replace("\xa0", " ").strip()


class Doc:
    """A Word document as plain paragraphs and tables of cell texts."""

    def __init__(self, path: Path):
        d = docx.Document(str(path))
        self.paragraphs = [_text(p.text) for p in d.paragraphs if p.text.strip()]
        self.tables = [[[_text(c.text) for c in row.cells] for row in t.rows] for t in d.tables]

    def table(self, *header: str) -> list[list[str]]:
        """The body rows of the one table whose heading row is exactly `header`."""
        found = [t for t in self.tables if tuple(t[0]) == header]
        assert len(found) == 1, f"{len(found)} tables with heading {header}"
        return found[0][1:]

    def section(self, start: str, stop: str) -> str:
        i = next(n for n, p in enumerate(self.paragraphs) if p.startswith(start))
        j = next(n for n, p in enumerate(self.paragraphs) if n > i and p.startswith(stop))
        return "\n".join(self.paragraphs[i:j])


def _euros(text: str) -> set[str]:
    return set(re.findall(r"€ -?[\d.]+,\d\d", text))


def _percents(text: str) -> set[str]:
    return set(re.findall(r"\d+,\d%", text))


def _school(brin: str) -> str:
    return f"{brin} {SCHOOLS[brin]}"


def _count(n: int) -> str:
    return str(n)


def _calendar_total(year: int) -> Decimal:
    return sum(X.CALENDAR_ALLOCATION[year].values(), ZERO)


def _cumulative(table: dict[int, dict[str, Decimal]] | None, year: int, brin: str) -> Decimal:
    if table is None:
        return sum((X.PER_SCHOOL[y].get(brin, (0, ZERO, ZERO, ZERO))[3] for y in YEARS if y <= year), ZERO)
    return sum((table[y][brin] for y in YEARS if y <= year), ZERO)


# --------------------------------------------------------------------------- the expectations themselves


def _plain(v) -> Decimal:
    """An amount as tools/demo.py writes it (12000, 2362.5, "€ 96.000,00", "24.000", "5040"), read by hand."""
    if not isinstance(v, str):
        return D(str(v))
    s = v.replace("€", "").strip()
    return D(s.replace(".", "").replace(",", ".")) if "," in s or re.fullmatch(r"\d{1,3}(\.\d{3})+", s) else D(s)


def _day(v) -> date:
    if isinstance(v, date):
        return v
    d, m, y = (int(x) for x in v.split("-"))
    return date(y, m, d)


def test_the_hand_copy_matches_the_demo_data():
    """HIRES and INVOICES are a faithful copy of tools/demo.py (the demo itself, not the pipeline)."""
    copied = Counter((h, nr, day, ex, vat) for h, nr, day, ex, vat in X.INVOICES)
    source = Counter()
    for h in demo.hires():
        hid = f"{h.brin}-{h.year}-{h.nr}"
        assert hid in X.HIRES
        assert X.HIRES[hid].contract == _plain(h.value)
        assert X.HIRES[hid].category == h.interventie[0]
        assert X.HIRES[hid].pnil == (h.kind == 0)
        assert X.HIRES[hid].kvk == demo.SUPPLIERS[h.supplier][1]
        assert (X.HIRES[hid].start, X.HIRES[hid].end) == (_day(h.start), h.end and _day(h.end))
        assert X.INTERVENTION[hid] == (h.interventie, h.kind)
        assert X.ADVICE_ASKED.get(hid) == h.overrides.get("mr_advies_gevraagd")
        for brin, share, agreed in h.participants:
            assert (X.SHARES[brin], X.SHARE_CONSENT[brin]) == (D(share.rstrip("%")) / 100, agreed)
        for nr, day, ex, vat, _ in h.invoices + h.below.get("tblFacturen", []):
            source[(hid, nr, _day(day), _plain(ex), _plain(vat))] += 1
    assert copied == source
    assert len(X.HIRES) == len(demo.hires())
    assert X.KINDS == demo.KINDS
    assert demo.BOARD.settings.reference_date == date(2025, 12, 31)  # where the open-ended hire's period ends


def test_expectations_add_up():
    """The literals in demo_expected.py agree with plain sums over its invoice table (catches a typo in either)."""
    for year in YEARS:
        in_year = [p for p in X.parts() if p[2].year == year]
        for brin in SCHOOLS:
            got = X.tally(p for p in in_year if p[5] == brin)
            assert got == X.PER_SCHOOL[year].get(brin, (0, ZERO, ZERO, ZERO)), (year, brin)
            pnil = X.tally(p for p in in_year if p[5] == brin and X.HIRES[p[0]].pnil)[3]
            assert pnil == X.PNIL[year][brin], (year, brin)
        once = [p for p in in_year if p[6] == 1 or p[5] == "12AB"]  # a bovenschools invoice once, in full
        n, ex, vat, inc = X.tally(once)
        full = [r for r in X.INVOICES if r[2].year == year]
        assert (n, sum(r[3] for r in full), sum(r[4] for r in full)) == X.BOARD_TOTAL[year][:3]
        for cat in CATEGORIES:
            rows = [r for r in full if X.HIRES[r[0]].category == cat]
            want = (len({r[0] for r in rows}), sum((r[3] for r in rows), ZERO), sum((r[4] for r in rows), ZERO))
            assert want == X.PER_CATEGORY[year].get(cat, (0, ZERO, ZERO, ZERO))[:3], (year, cat)
            assert X.PER_CATEGORY[year].get(cat, (0, ZERO, ZERO, ZERO))[3] == want[1] + want[2]
    for brin, years in X.ALLOCATION.items():
        a, b = years["2021-2022"], years["2022-2023"]
        assert X.CALENDAR_ALLOCATION[2021][brin] == X.cents(a * 5 / 12)
        assert X.CALENDAR_ALLOCATION[2022][brin] == X.cents(a * 7 / 12) + X.cents(b * 5 / 12)
        assert X.CALENDAR_ALLOCATION[2023][brin] == X.cents(b * 7 / 12)
        assert X.CUMULATIVE_ALLOCATION[2023][brin] == a + b
    for year in YEARS:
        running = {hid for hid, h in X.HIRES.items() if h.start <= date(year, 12, 31) and (h.end or date(2025, 12, 31)) >= date(year, 1, 1)}
        assert running | {r[0] for r in X.INVOICES if r[2].year == year} == X.HIRES_IN_YEAR[year], year
    for (brin, sj), hires in X.MR.items():
        for hire, (contract, invoiced) in hires.items():
            share = X.SHARES[brin] if hire == BOVENSCHOOLS else D("1")
            assert contract == X.HIRES[hire].contract * share
            assert invoiced == X.tally(p for p in X.parts(brin) if p[0] == hire and X.school_year(p[2]) == sj)[3]
    for sj, schools in X.GMR.items():
        for brin, (_, _, spent) in schools.items():
            assert spent == X.tally(p for p in X.parts(brin) if X.school_year(p[2]) == sj)[3]
    _findings_add_up()


def _findings_add_up():
    """FINDINGS, the per-hire counts and the documents' counts agree with each other and with ERRORS."""
    counted = [f for f in X.FINDINGS if f[0] in X.HIRES]
    per_hire = {h: tuple(sum(1 for f in counted if f[0] == h and f[2] == s) for s in ("fout", "waarschuwing", "info")) for h in X.HIRES}
    assert {h: c for h, c in per_hire.items() if any(c)} == X.PER_HIRE_FINDINGS
    assert Counter((f[0], f[1]) for f in counted if f[2] == "fout") == Counter((h, r) for h, rules in X.ERRORS.items() for r in rules)

    def total(hires):
        hires = list(hires)
        return tuple(sum(X.PER_HIRE_FINDINGS.get(h, (0, 0, 0))[i] for h in hires) for i in range(3))

    for year, hires in X.HIRES_IN_YEAR.items():
        assert total(hires) == X.JAARVERSLAG_FINDINGS[year], year
    for sj in SCHOOL_YEARS:
        assert total(h for h in X.HIRES if sj in _school_years_of(h)) == X.GMR_FINDINGS[sj], sj
    for (brin, sj), hires in X.MR.items():
        own = [f for f in counted if f[0] in hires and f[5] in ("", brin)]
        others = sum(1 for f in counted if f[0] in hires and f[5] not in ("", brin))
        assert (sum(1 for f in own if f[2] == "fout"), sum(1 for f in own if f[2] == "waarschuwing"), others) == X.MR_FINDINGS[(brin, sj)]


# --------------------------------------------------------------------------- jaarverslag


def _jaarverslag(out: Path, year: int) -> Doc:
    return Doc(out / f"jaarverslag-{year}.docx")


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_spending_per_school(out, year):
    rows = _jaarverslag(out, year).table("School", "Facturen", "Excl. btw", "Btw", "Incl. btw")
    want = [[_school(b), _count(n), euro(ex), euro(vat), euro(inc)]
            for b in sorted(SCHOOLS) for n, ex, vat, inc in [X.PER_SCHOOL[year].get(b, (0, ZERO, ZERO, ZERO))]]
    n, ex, vat, inc = X.BOARD_TOTAL[year]
    assert rows == want + [["Totaal bestuur", _count(n), euro(ex), euro(vat), euro(inc)]]


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_spending_per_category(out, year):
    rows = _jaarverslag(out, year).table("Categorie", "Inhuren", "Excl. btw", "Btw", "Incl. btw")
    got = {r[0][0]: r[1:] for r in rows if r[0] != "Totaal bestuur"}
    assert set(got) == set(CATEGORIES)
    for cat in CATEGORIES:
        n, ex, vat, inc = X.PER_CATEGORY[year].get(cat, (0, ZERO, ZERO, ZERO))
        assert got[cat] == [_count(n), euro(ex), euro(vat), euro(inc)], cat
    _, ex, vat, inc = X.BOARD_TOTAL[year]
    assert rows[-1] == ["Totaal bestuur", "", euro(ex), euro(vat), euro(inc)]


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_school_by_category_matrix(out, year):
    rows = _jaarverslag(out, year).table("School", *CATEGORIES, "Totaal")
    cell = {}
    for hire, _, day, ex, vat, brin, _ in X.parts():
        if day.year == year:
            key = (brin, X.HIRES[hire].category)
            cell[key] = cell.get(key, ZERO) + ex + vat
    shown = lambda v: euro(v) if v else "–"  # noqa: E731 - a dash means no spending
    want = [[_school(b), *(shown(cell.get((b, c), ZERO)) for c in CATEGORIES),
             shown(X.PER_SCHOOL[year].get(b, (0, ZERO, ZERO, ZERO))[3])] for b in sorted(SCHOOLS)]
    per_cat = [X.PER_CATEGORY[year].get(c, (0, ZERO, ZERO, ZERO))[3] for c in CATEGORIES]
    want.append(["Totaal bestuur", *(shown(v) for v in per_cat), euro(X.BOARD_TOTAL[year][3])])
    assert rows == want


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_allocation_and_external_share(out, year):
    rows = _jaarverslag(out, year).table("School", f"Toekenning {year}", "Extern incl. btw", "Aandeel extern",
                                         "PNIL incl. btw", "Aandeel PNIL")
    want = []
    for brin in sorted(SCHOOLS):
        alloc, spent, pnil = X.CALENDAR_ALLOCATION[year][brin], X.PER_SCHOOL[year].get(brin, (0, ZERO, ZERO, ZERO))[3], X.PNIL[year][brin]
        want.append([_school(brin), euro(alloc), euro(spent), percent(spent, alloc), euro(pnil), percent(pnil, alloc)])
    total, spent, pnil = _calendar_total(year), X.BOARD_TOTAL[year][3], sum(X.PNIL[year].values(), ZERO)
    want.append(["Totaal bestuur", euro(total), euro(spent), percent(spent, total), euro(pnil), percent(pnil, total)])
    assert rows == want


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_cumulative_position(out, year):
    rows = _jaarverslag(out, year).table("School", "Toekenning tot dan", "Extern incl. btw", "Aandeel extern",
                                         "PNIL incl. btw", "Aandeel PNIL")
    want, sums = [], [ZERO, ZERO, ZERO]
    for brin in sorted(SCHOOLS):
        alloc, spent, pnil = X.CUMULATIVE_ALLOCATION[year][brin], _cumulative(None, year, brin), _cumulative(X.PNIL, year, brin)
        sums = [sums[0] + alloc, sums[1] + spent, sums[2] + pnil]
        want.append([_school(brin), euro(alloc), euro(spent), percent(spent, alloc), euro(pnil), percent(pnil, alloc)])
    alloc, spent, pnil = sums
    want.append(["Totaal bestuur", euro(alloc), euro(spent), percent(spent, alloc), euro(pnil), percent(pnil, alloc)])
    assert rows == want


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_summary_figures(out, year):
    summary = _jaarverslag(out, year).section("1. Samenvatting", "2. ")
    n, ex, vat, inc = X.BOARD_TOTAL[year]
    alloc, pnil = _calendar_total(year), sum(X.PNIL[year].values(), ZERO)
    cum_alloc = sum(X.CUMULATIVE_ALLOCATION[year].values(), ZERO)
    cum_spent = sum((X.BOARD_TOTAL[y][3] for y in YEARS if y <= year), ZERO)
    cum_pnil = sum((_cumulative(X.PNIL, year, b) for b in SCHOOLS), ZERO)
    # a calendar year without new money may or may not name its allocation of € 0,00
    assert _euros(summary) - {euro(ZERO)} == {euro(v) for v in (inc, ex, vat, alloc, pnil, cum_spent, cum_alloc)} - {euro(ZERO)}
    shares = {percent(pnil, alloc), percent(inc, alloc), percent(cum_spent, cum_alloc), percent(cum_pnil, cum_alloc)}
    assert _percents(summary) == shares - {"–"}
    invoices = re.search(r"(\d+) factu(?:ur|ren) met een factuurdatum", summary)
    assert invoices and int(invoices.group(1)) == n


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_completeness_against_the_ledger(out, year):
    rows = _jaarverslag(out, year).table("School", "In grootboek", "In werkboeken", "Geen werkboek (L1)",
                                         "Bedrag wijkt af (L3)", "Waarvan andere school (L4)")
    expected = X.COMPLETENESS[year]
    label = {b: _school(b) for b in SCHOOLS} | {X.BOARD_OFFICE: "Bovenschools (bestuursbureau)"}
    order = sorted(b for b in expected if b in SCHOOLS) + [b for b in expected if b not in SCHOOLS]
    want = [[label[b], *(euro(v) for v in expected[b])] for b in order]
    totals = [sum((expected[b][i] for b in expected), ZERO) for i in range(5)]
    assert rows == want + [["Totaal", *(euro(v) for v in totals)]]


def _incl_in_year(hire: str, year: int) -> Decimal:
    return sum((r[3] + r[4] for r in X.INVOICES if r[0] == hire and r[2].year == year), ZERO)


def _paying(hire: str) -> set[str]:
    return set(X.SHARES) if hire == BOVENSCHOOLS else {X.HIRES[hire].brin}


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_interventions_and_kinds(out, year):
    doc = _jaarverslag(out, year)
    hires = X.HIRES_IN_YEAR[year]
    want = {}
    for name in sorted({X.INTERVENTION[h][0] for h in hires}):
        mine = [h for h in hires if X.INTERVENTION[h][0] == name]
        want[name] = [_count(len(mine)), _count(len({X.HIRES[h].brin for h in mine})), euro(sum((_incl_in_year(h, year) for h in mine), ZERO))]
    assert {r[0]: r[1:] for r in doc.table("Interventie", "Inhuren", "Scholen", "Incl. btw")} == want
    kinds = {}
    for k, name in enumerate(X.KINDS):
        mine = [h for h in hires if X.INTERVENTION[h][1] == k]
        if mine:
            kinds[name] = [_count(len(mine)), euro(sum((_incl_in_year(h, year) for h in mine), ZERO))]
    assert {r[0]: r[1:] for r in doc.table("Soort inhuur (handreiking OCW)", "Inhuren", "Incl. btw")} == kinds


def _advice_asked(hire: str) -> date:
    return X.ADVICE_ASKED.get(hire, date(int(X.HIRES[hire].year[:4]), 6, 25))


def _long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_participation_per_school(out, year):
    rows = _jaarverslag(out, year).table("School", "Inhuren", "Instemming MR schoolprogramma", "MR-advies gevraagd")
    want = {}
    for brin in sorted(SCHOOLS):
        mine = [h for h in X.HIRES_IN_YEAR[year] if brin in _paying(h)]
        if mine:
            # every demo workbook records the MR's consent on 20 June of its school year's first year, and an advice date
            consent = sorted({int(X.HIRES[h].year[:4]) for h in mine})
            want[_school(brin)] = (len(mine), [f"20 juni {y}" for y in consent], (len(mine), len(mine)))
    got = {r[0]: (int(r[1]), re.findall(rf"\d+ (?:{'|'.join(MONTHS)}) \d{{4}}", r[2]),
                  tuple(int(n) for n in re.findall(r"\d+", r[3]))) for r in rows}
    assert got == want


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_unlawful_spending(out, year):
    doc = _jaarverslag(out, year)
    total = X.BOARD_TOTAL[year][3]
    want = {h: [rule, ", ".join(sorted(r[1] for r in X.INVOICES if r[0] == h and r[2].year == year)),
                euro(_incl_in_year(h, year)), percent(_incl_in_year(h, year), total)]
            for h, rule in X.UNLAWFUL.items() if _incl_in_year(h, year)}
    unlawful = sum((_incl_in_year(h, year) for h in want), ZERO)
    header = ("Inhuur", "Regel", "Reden", "Facturen", "Bedrag incl. btw", "Aandeel")
    if want:
        rows = doc.table(*header)
        assert {r[0]: [r[1], r[3], r[4], r[5]] for r in rows[:-1]} == want
        assert rows[-1][4:] == [euro(unlawful), percent(unlawful, total)]
    else:
        assert not [t for t in doc.tables if tuple(t[0]) == header]
    sentence = next(p for p in doc.paragraphs if p.startswith(f"Van de NPO-uitgaven aan externe inhuur in {year}"))
    assert _euros(sentence) == {euro(total), euro(unlawful), euro(ZERO)}  # no uncertainties in the demo
    assert _percents(sentence) == {percent(unlawful, total), percent(ZERO, total)}


def _fout_column(rows: list[list[str]]) -> dict[str, int]:
    """Rule -> errors, from a Naleving table (Regel, Omschrijving, Fout, Waarschuwing, Info), rules with errors only."""
    return {r[0]: int(r[2]) for r in rows if r[0] and int(r[2])}


def _errors_of(hires) -> Counter:
    return Counter(rule for h in hires for rule in X.ERRORS.get(h, []))


def _hires_with_an_error(text: str) -> tuple[int, int] | None:
    m = re.search(r"bij (\d+) van de (\d+) inhure?n? is minstens één fout", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


@pytest.mark.parametrize("year", YEARS)
def test_jaarverslag_errors_per_rule_and_hires_with_an_error(out, year):
    doc = _jaarverslag(out, year)
    hires = X.HIRES_IN_YEAR[year]
    errors = _errors_of(hires)
    naleving = [t for t in doc.tables if tuple(t[0]) == ("Regel", "Omschrijving", "Fout", "Waarschuwing", "Info")]
    if naleving:
        rows = naleving[0][1:]
        assert _fout_column(rows[:-1]) == dict(errors)
        assert rows[-1][2] == _count(sum(errors.values()))
    else:
        assert not errors
    with_error = sum(1 for h in hires if h in X.ERRORS)
    summary = doc.section("1. Samenvatting", "2. ")
    assert _hires_with_an_error(summary) == ((with_error, len(hires)) if errors else None)
    assert _summary_counts(summary) == _or_none(X.JAARVERSLAG_FINDINGS[year])  # errors, warnings and notes by hand
    if naleving:  # every rule's errors, warnings and notes, and the totals row
        assert _naleving_by_hand(hires) == {r[0]: tuple(int(v) for v in r[2:]) for r in naleving[0][1:-1]}
        assert tuple(int(v) for v in naleving[0][-1][2:]) == X.JAARVERSLAG_FINDINGS[year]


def _summary_counts(text: str) -> tuple[int, int, int] | None:
    counts = re.search(r"(\d+) fout(?:en)?, (\d+) waarschuwing(?:en)?\s+en (\d+) melding(?:en)?", text)
    return tuple(int(n) for n in counts.groups()) if counts else None


def _or_none(counts: tuple[int, ...]) -> tuple[int, ...] | None:
    return counts if any(counts) else None  # a document without findings says "geen"


def _naleving_by_hand(hires) -> dict[str, tuple[int, int, int]]:
    """Rule -> (fout, waarschuwing, info) over the hand-written FINDINGS of these counted hires."""
    per_rule: dict[str, Counter] = {}
    for where, rule, severity, *_ in X.FINDINGS:
        if where in hires:
            per_rule.setdefault(rule, Counter())[severity] += 1
    return {rule: (c["fout"], c["waarschuwing"], c["info"]) for rule, c in per_rule.items()}


# --------------------------------------------------------------------------- jaarverslag-bijlagen


@pytest.mark.parametrize("year", YEARS)
def test_appendix_every_invoice_once_per_paying_school(out, year):
    rows = Doc(out / f"jaarverslag-{year}-bijlagen.docx").table(
        "Factuur", "Datum", "Excl. btw", "Btw", "Incl. btw", "School", "Aandeel", "Bestand", "Tabblad", "Cel", "SHA-256")
    body, total = rows[:-1], rows[-1]
    got = Counter((r[0], r[2], r[3], r[4], r[5], r[6]) for r in body)
    want = Counter((nr, euro(ex), euro(vat), euro(ex + vat), brin, f"{share * 100:.1f}%".replace(".", ","))
                   for _, nr, day, ex, vat, brin, share in X.parts() if day.year == year)
    assert got == want
    _, ex, vat, inc = X.BOARD_TOTAL[year]
    assert total[2:5] == [euro(ex), euro(vat), euro(inc)]
    assert re.search(rf"\b{sum(want.values())}\b", total[0])


@pytest.mark.parametrize("year", YEARS)
def test_appendix_files_add_up_per_workbook(out, year):
    rows = Doc(out / f"jaarverslag-{year}-bijlagen.docx").table(
        "Bestand", "SHA-256", "Status", "Toelichting", "Excl. btw", "Incl. btw")
    read = {r[0]: (r[4], r[5]) for r in rows[:-1] if r[2] == "gelezen"}
    per_file: dict[str, tuple[Decimal, Decimal]] = {}
    for h, hire in X.HIRES.items():
        mine = [r for r in X.INVOICES if r[0] == h and r[2].year == year]
        ex, vat = sum((r[3] for r in mine), ZERO), sum((r[4] for r in mine), ZERO)
        per_file[h] = (ex, ex + vat)
    by_file = {f"{h.brin}/{h.file.split('/', 1)[1]}": f"{h.brin}-{h.year}-{h.nr}" for h in demo.hires()}
    for name, (ex, inc) in read.items():
        assert (ex, inc) == (euro(per_file[by_file[name]][0]), euro(per_file[by_file[name]][1])), name
    _, ex, _, inc = X.BOARD_TOTAL[year]
    assert rows[-1][4:] == [euro(ex), euro(inc)]


@pytest.mark.parametrize("year", YEARS)
def test_appendix_allocations_and_their_7_12_and_5_12_parts(out, year):
    rows = Doc(out / f"jaarverslag-{year}-bijlagen.docx").table("School", "Schooljaar", "Toekenning", f"Deel in {year}", "Grondslag")
    got = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    want = {}
    for brin in SCHOOLS:
        for sj, part in ((f"{year - 1}-{year}", "7/12"), (f"{year}-{year + 1}", "5/12")):
            if sj in SCHOOL_YEARS:
                want[(_school(brin), sj)] = (euro(X.ALLOCATION[brin].get(sj, ZERO)), part)
    assert got == want
    # the parts add up to the calendar-year allocation of the jaarverslag, each rounded to the cent
    for brin in SCHOOLS:
        total = sum((X.cents(X.ALLOCATION[brin].get(sj, ZERO) * (7 if part == "7/12" else 5) / 12)
                     for (school, sj), (_, part) in want.items() if school == _school(brin)), ZERO)
        assert total == X.CALENDAR_ALLOCATION[year][brin]


# --------------------------------------------------------------------------- MR report


def test_there_is_one_jaarverslag_per_calendar_year_and_one_gmr_overview_per_school_year(out):
    # 2021–2025: every year has an invoice; the open-ended hire runs up to the reference date 31-12-2025, not beyond
    names = {p.name for p in out.glob("*.docx")}
    assert {n for n in names if n.startswith("jaarverslag-")} == \
        {f"jaarverslag-{y}.docx" for y in YEARS} | {f"jaarverslag-{y}-bijlagen.docx" for y in YEARS}
    assert {n for n in names if n.startswith("gmr-")} == {f"gmr-{sj}.docx" for sj in SCHOOL_YEARS}


def test_there_is_one_mr_report_per_school_year_with_hires(out):
    assert {p.stem for p in (out / "mr").glob("*.docx")} == {f"{b}-{sj}" for b, sj in X.MR}


@pytest.mark.parametrize("brin, sj", sorted(X.MR))
def test_mr_report_hires_and_totals(out, brin, sj):
    doc = Doc(out / "mr" / f"{brin}-{sj}.docx")
    rows = doc.table("Inhuur", "Externe partij", "Interventie", "Contractwaarde excl. btw",
                     f"Gefactureerd in {sj} incl. btw", "MR-advies gevraagd")
    hires = X.MR[(brin, sj)]
    assert {r[0]: (r[3], r[4]) for r in rows[:-1]} == {h: (euro(c), euro(i)) for h, (c, i) in hires.items()}
    contract, invoiced = sum((c for c, _ in hires.values()), ZERO), sum((i for _, i in hires.values()), ZERO)
    assert rows[-1][0] == "Totaal" and rows[-1][3:5] == [euro(contract), euro(invoiced)]
    intro = next(p for p in doc.paragraphs if re.match(rf"In schooljaar {sj} ho(?:ort|ren) bij ", p))
    assert _euros(intro) == {euro(contract), euro(invoiced)}
    errors, warnings, others = X.MR_FINDINGS[(brin, sj)]  # by hand: the school's own findings, and those about another school
    found = re.search(r"vond bij deze inhuur (\d+) fout(?:en)? en (\d+) waarschuwing(?:en)?(?:; (\d+) bevinding)?", intro)
    assert found and (int(found.group(1)), int(found.group(2)), int(found.group(3) or 0)) == (errors, warnings, others)
    assert re.search(rf"\b{len(hires)} inhuur|\b{len(hires)} inhuren", intro)


def _invoiced_line(rows) -> str:
    n, ex, vat, inc = X.tally(rows)
    return f"{euro(ex)} excl. btw + {euro(vat)} btw = {euro(inc)} incl. btw ({n} factu{'ur' if n == 1 else 'ren'})"


@pytest.mark.parametrize("brin, sj", sorted(X.MR))
def test_mr_report_key_figures_per_hire(out, brin, sj):
    doc = Doc(out / "mr" / f"{brin}-{sj}.docx")
    order = [r[0] for r in doc.table("Inhuur", "Externe partij", "Interventie", "Contractwaarde excl. btw",
                                     f"Gefactureerd in {sj} incl. btw", "MR-advies gevraagd")[:-1]]
    facts = [dict((r[0], r[1]) for r in t) for t in doc.tables if len(t[0]) == 2 and t[0][0] == "Wat"]
    assert len(facts) == len(order)
    for hire, f in zip(order, facts):
        mine = [p for p in X.parts(brin) if p[0] == hire]  # this school's part of every invoice of the hire
        in_year = [p for p in mine if X.school_year(p[2]) == sj]
        h = X.HIRES[hire]
        contract = euro(h.contract) if hire != BOVENSCHOOLS else \
            f"{euro(h.contract)}; deel van deze school ({percent(X.SHARES[brin], D('1'))}): {euro(h.contract * X.SHARES[brin])}"
        assert f["Contractwaarde (excl. btw)"] == contract, hire
        assert f["Gefactureerd"] == _invoiced_line(mine), hire
        if X.tally(in_year) != X.tally(mine):
            assert f[f"Gefactureerd in schooljaar {sj}"] == _invoiced_line(in_year), hire
        else:
            assert f"Gefactureerd in schooljaar {sj}" not in f, hire


# --------------------------------------------------------------------------- GMR overview


@pytest.mark.parametrize("sj", SCHOOL_YEARS)
def test_gmr_spending_per_school(out, sj):
    doc = Doc(out / f"gmr-{sj}.docx")
    rows = doc.table("School", "Inhuren", "Toekenning", "Besteed incl. btw", "Aandeel", "Fout", "Waarsch.", "MR")
    got = {r[0]: r for r in rows}
    for brin, (n, alloc, spent) in X.GMR[sj].items():
        r = got[_school(brin)]
        assert r[1:5] == [_count(n), euro(alloc), euro(spent), percent(spent, alloc)], brin
        assert r[7] == (f"{n}/{n}" if n else "–")  # every demo hire records the MR's consent
    hires = [h for h in X.HIRES if sj in _school_years_of(h)]
    assert len(hires) == X.GMR_BOARD_HIRES[sj]  # the literal and the period arithmetic agree
    for brin in SCHOOLS:
        assert len([h for h in hires if brin in _paying(h)]) == X.GMR[sj][brin][0], brin
        assert got[_school(brin)][5] == _count(sum(_errors_of(h for h in hires if brin in _paying(h)).values())), brin
    assert got["Totaal bestuur"][5] == _count(sum(_errors_of(hires).values()))
    alloc = sum((a for _, a, _ in X.GMR[sj].values()), ZERO)
    spent = sum((s for _, _, s in X.GMR[sj].values()), ZERO)
    assert got["Totaal bestuur"][1:5] == [_count(X.GMR_BOARD_HIRES[sj]), euro(alloc), euro(spent), percent(spent, alloc)]
    summary = doc.section("1. Samenvatting", "2. ")
    ex = sum((r[3] for r in X.INVOICES if X.school_year(r[2]) == sj), ZERO)
    assert _euros(summary) - {euro(ZERO)} == {euro(spent), euro(ex), euro(alloc)} - {euro(ZERO)}
    assert _percents(summary) == {percent(spent, alloc)} - {"–"}
    assert _hires_with_an_error(summary) == (sum(1 for h in hires if h in X.ERRORS), len(hires))
    assert _summary_counts(summary) == _or_none(X.GMR_FINDINGS[sj])  # errors, warnings and notes by hand
    # the Waarsch. column: a school's own warnings, on every hire it pays for (not those about another school)
    for brin in SCHOOLS:
        own = sum(1 for where, _, severity, _, _, about in X.FINDINGS if severity == "waarschuwing" and where in hires
                  and brin in _paying(where) and about in ("", brin))
        assert got[_school(brin)][6] == _count(own), brin
    assert got["Totaal bestuur"][6] == _count(X.GMR_FINDINGS[sj][1])


def _school_years_of(hire: str) -> set[str]:
    """The school year a hire is registered in, each it runs in and each it is invoiced in (the GMR's hires)."""
    h = X.HIRES[hire]
    years = {h.year} | {X.school_year(r[2]) for r in X.INVOICES if r[0] == hire}
    if h.end:
        years |= {sj for sj in SCHOOL_YEARS if date(int(sj[:4]), 8, 1) <= h.end and date(int(sj[:4]) + 1, 7, 31) >= h.start}
    return years


@pytest.mark.parametrize("sj", SCHOOL_YEARS)
def test_gmr_spending_per_category(out, sj):
    rows = Doc(out / f"gmr-{sj}.docx").table("Categorie", "Inhuren", "Excl. btw", "Btw", "Incl. btw")
    inv = [r for r in X.INVOICES if X.school_year(r[2]) == sj]
    for cat in CATEGORIES:
        mine = [r for r in inv if X.HIRES[r[0]].category == cat]
        ex, vat = sum((r[3] for r in mine), ZERO), sum((r[4] for r in mine), ZERO)
        row = next(r for r in rows if r[0].startswith(cat + " "))
        assert row[1:] == [_count(len({r[0] for r in mine})), euro(ex), euro(vat), euro(ex + vat)], cat
    ex, vat = sum((r[3] for r in inv), ZERO), sum((r[4] for r in inv), ZERO)
    assert rows[-1] == ["Totaal bestuur", "", euro(ex), euro(vat), euro(ex + vat)]


@pytest.mark.parametrize("sj", SCHOOL_YEARS)
def test_gmr_every_hire_and_the_bovenschools_shares(out, sj):
    doc = Doc(out / f"gmr-{sj}.docx")
    rows = doc.table("Inhuur", "Externe partij", "Interventie", "Niveau", "Waarde excl. btw", "MR-advies gevraagd")
    want = {h: [X.INTERVENTION[h][0], "Bovenschools" if h == BOVENSCHOOLS else "School", euro(X.HIRES[h].contract),
                _long_date(_advice_asked(h))] for h in X.HIRES if sj in _school_years_of(h)}
    assert {r[0]: r[2:] for r in rows} == want
    header = ("Inhuur", "Externe partij", "Interventie", "Waarde excl. btw", "Instemming GMR", "Deelnemers: aandeel en MR-akkoord")
    if BOVENSCHOOLS in want:
        (row,) = doc.table(*header)
        assert row[0] == BOVENSCHOOLS and row[3] == euro(X.HIRES[BOVENSCHOOLS].contract) and row[4] == "ontbreekt"
        assert re.findall(r"(\d\d[A-Z]{2}) (\d+,\d%) \(MR-akkoord (\d+ \w+ \d{4})\)", row[5]) == \
            [(b, percent(s, D("1")), _long_date(X.SHARE_CONSENT[b])) for b, s in X.SHARES.items()]
    else:
        assert not [t for t in doc.tables if tuple(t[0]) == header]


# --------------------------------------------------------------------------- register.xlsx


def _sheet(out: Path, name: str) -> list[dict]:
    wb = load_workbook(out / "register.xlsx", read_only=True)
    it = wb[name].iter_rows(values_only=True)
    header = next(it)
    return [dict(zip(header, r)) for r in it if any(v is not None for v in r)]


def _d(v) -> Decimal:
    return X.cents(D(str(v)))


def test_register_invoices_sheet(out):
    rows = [r for r in _sheet(out, "Facturen") if r["Telt mee"] == "Ja"]
    got = Counter((r["Factuurnummer"], r["Factuurdatum"].date() if isinstance(r["Factuurdatum"], datetime) else r["Factuurdatum"],
                   r["BRIN"], _d(r["Bedrag excl. btw"]), _d(r["Btw"]), _d(r["Bedrag incl. btw"]), _d(r["Aandeel van deze school"]),
                   r["Kalenderjaar"], r["Schooljaar"], r["Inhuur-id"], r["Categorie"], r["PNIL"]) for r in rows)
    want = Counter((nr, day, brin, X.cents(ex), X.cents(vat), X.cents(ex + vat), X.cents(share), day.year, X.school_year(day),
                    hire, X.HIRES[hire].category, "Ja" if X.HIRES[hire].pnil else "Nee")
                   for hire, nr, day, ex, vat, brin, share in X.parts())
    assert got == want
    total = sum((_d(r["Bedrag incl. btw"]) for r in rows), ZERO)
    assert total == sum((X.BOARD_TOTAL[y][3] for y in YEARS), ZERO)  # € 895.406,50


def test_register_schools_sheet(out):
    rows = {(r["BRIN"], r["Schooljaar"]): r for r in _sheet(out, "Scholen")}
    assert set(rows) == {(b, sj) for b in SCHOOLS for sj in SCHOOL_YEARS}
    for (brin, sj), r in rows.items():
        mine = [p for p in X.parts(brin) if X.school_year(p[2]) == sj]
        _, ex, _, inc = X.tally(mine)
        pnil = X.tally(p for p in mine if X.HIRES[p[0]].pnil)[3]
        alloc = X.ALLOCATION[brin].get(sj, ZERO)
        assert (_d(r["NPO-toekenning"]), _d(r["Besteed excl. btw"]), _d(r["Besteed incl. btw"]), _d(r["Waarvan PNIL incl. btw"])) \
            == (alloc, ex, inc, pnil), (brin, sj)
        if alloc:
            assert r["Aandeel extern"] == pytest.approx(float(inc / alloc), abs=1e-9)
            assert r["Aandeel PNIL"] == pytest.approx(float(pnil / alloc), abs=1e-9)
        else:
            assert r["Aandeel extern"] is None and r["Aandeel PNIL"] is None
    assert rows[("12AB", "2022-2023")]["Besteed incl. btw"] == 145321  # spelled out: 4 × €29.040 + €22.385 + 40 % of €16.940


def test_register_totals_sheet(out):
    rows = {(r["Totaal per"], str(r["BRIN, KvK-nummer, categorie of jaar"])): r for r in _sheet(out, "Totalen")}

    def check(key, n, ex, vat):
        r = rows[key]
        assert (r["Facturen"], _d(r["Excl. btw"]), _d(r["Btw"]), _d(r["Incl. btw"])) == (n, ex, vat, ex + vat), key

    for year in YEARS:
        check(("kalenderjaar", str(year)), *X.BOARD_TOTAL[year][:3])
    for brin in SCHOOLS:
        check(("school", brin), *X.tally(X.parts(brin))[:3])
    for cat in CATEGORIES:
        mine = [r for r in X.INVOICES if X.HIRES[r[0]].category == cat]  # a bovenschools invoice once, in full
        check(("menukaartcategorie", cat), len(mine), sum((r[3] for r in mine), ZERO), sum((r[4] for r in mine), ZERO))
    for sj in SCHOOL_YEARS:
        mine = [r for r in X.INVOICES if X.school_year(r[2]) == sj]
        check(("schooljaar", sj), len(mine), sum((r[3] for r in mine), ZERO), sum((r[4] for r in mine), ZERO))


def _invoiced(hire: str) -> Decimal:
    return sum((r[3] for r in X.INVOICES if r[0] == hire), ZERO)


def test_register_hires_sheet(out):
    rows = {r["Inhuur-id"]: r for r in _sheet(out, "Inhuur") if r["Telt mee"] == "Ja"}
    assert set(rows) == set(X.HIRES)
    for hire, h in X.HIRES.items():
        r = rows[hire]
        value = max(h.contract, _invoiced(hire), X.OPEN_ENDED_VALUE.get(hire, ZERO))
        assert (r["BRIN"], r["Schooljaar"], r["KvK"], r["Categorie"], r["PNIL"]) == \
            (h.brin, h.year, h.kvk, h.category, "Ja" if h.pnil else "Nee"), hire
        assert (_d(r["Contractwaarde excl. btw"]), _d(r["Gefactureerd excl. btw"]), _d(r["Waarde voor aanbesteding"])) == \
            (h.contract, _invoiced(hire), value), hire


def _date(v) -> date | None:
    return v.date() if isinstance(v, datetime) else v


def test_register_hires_sheet_dates_and_choices(out):
    # tools/demo.py hire_fields: evaluated 15 September of the end year, rated 4, would hire again (except UNRATED);
    # procedure Meervoudig onderhands from € 25.000
    names = {kvk: (name, kind) for name, kvk, kind in demo.SUPPLIERS.values()}
    rows = {r["Inhuur-id"]: r for r in _sheet(out, "Inhuur")}
    for hire, h in X.HIRES.items():
        r = rows[hire]
        evaluated = None if hire in X.UNRATED or not h.end else date(h.end.year, 9, 15)
        want = (names[h.kvk][0], names[h.kvk][1], X.KINDS[X.INTERVENTION[hire][1]], X.INTERVENTION[hire][0],
                "Bovenschools" if hire == BOVENSCHOOLS else "School",
                "Meervoudig onderhands" if h.contract >= 25000 else "Enkelvoudig onderhands", h.start, h.end,
                _advice_asked(hire), evaluated,
                None if hire in X.UNRATED else 4, None if hire in X.UNRATED else "Ja")
        got = (r["Leverancier"], r["Soort partij"], r["Soort inhuur"], r["Interventie"], r["Niveau"], r["Procedure"],
               _date(r["Startdatum"]), _date(r["Einddatum"]), _date(r["MR-advies gevraagd"]), _date(r["Evaluatiedatum"]),
               r["Oordeel (1-5)"], r["Opnieuw inhuren"])
        assert got == want, hire


def test_register_files_sheet(out):
    import hashlib

    inputs = out.parent / "inputs"
    rows = {r["Bestand"]: r for r in _sheet(out, "Bestanden")}
    on_disk = {p.relative_to(inputs).as_posix(): p for p in inputs.rglob("*") if p.is_file() and p.name != "bestuur.xlsx"}
    assert set(rows) == set(on_disk)
    by_file = {f"{h.brin}/{h.file.split('/', 1)[1]}": f"{h.brin}-{h.year}-{h.nr}" for h in demo.hires()}
    for name, p in on_disk.items():
        r = rows[name]
        assert (r["SHA-256"], r["Bytes"]) == (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size), name
        status = "vervangen" if name in X.SUPERSEDED else "overgeslagen" if name.endswith(".pdf") else "gelezen"
        assert r["Status"] == status, name
        assert r["Inhuur-id"] == (by_file.get(name) or X.SUPERSEDED.get(name)), name


def test_register_suppliers_sheet(out):
    rows = {r["KvK"]: r for r in _sheet(out, "Leveranciers")}
    assert set(rows) == {h.kvk for h in X.HIRES.values()}
    for kvk, r in rows.items():
        hires = {hid: h for hid, h in X.HIRES.items() if h.kvk == kvk}
        assert r["Scholen"] == ", ".join(sorted({h.brin for h in hires.values()})), kvk  # the workbook's school
        assert r["Schooljaren"] == ", ".join(sorted({h.year for h in hires.values()})), kvk
        assert r["Inhuren"] == len(hires), kvk
        assert _d(r["Contractwaarde excl. btw"]) == sum((h.contract for h in hires.values()), ZERO), kvk
        assert _d(r["Gefactureerd excl. btw"]) == sum((_invoiced(hid) for hid in hires), ZERO), kvk
    totals = {str(r["BRIN, KvK-nummer, categorie of jaar"]): r for r in _sheet(out, "Totalen") if r["Totaal per"] == "leverancier (KvK)"}
    assert set(totals) == set(rows)
    for kvk, r in totals.items():
        mine = [i for i in X.INVOICES if X.HIRES[i[0]].kvk == kvk]  # a bovenschools invoice once, in full
        ex, vat = sum((i[3] for i in mine), ZERO), sum((i[4] for i in mine), ZERO)
        assert (r["Facturen"], _d(r["Excl. btw"]), _d(r["Btw"]), _d(r["Incl. btw"])) == (len(mine), ex, vat, ex + vat), kvk


def test_register_names_sources_and_ratings(out):
    for r in _sheet(out, "Scholen"):
        assert r["School"] == SCHOOLS[r["BRIN"]]
        assert r["Grondslag toekenning"] == X.GRONDSLAG.get((r["BRIN"], r["Schooljaar"]), "berekend"), (r["BRIN"], r["Schooljaar"])
    suppliers = {kvk: (name, kind) for name, kvk, kind in demo.SUPPLIERS.values()}
    for r in _sheet(out, "Leveranciers"):
        hires = [hid for hid, h in X.HIRES.items() if h.kvk == r["KvK"]]
        rated = [hid for hid in hires if hid not in X.UNRATED]
        assert (r["Leverancier"], r["Soort partij"]) == suppliers[r["KvK"]]
        assert (r["Gemiddeld oordeel"], r["Opnieuw inhuren: ja"], r["Opnieuw inhuren: nee"]) == (4, len(rated), 0), r["KvK"]
    for r in _sheet(out, "Totalen"):
        key = str(r["BRIN, KvK-nummer, categorie of jaar"])
        want = {"school": SCHOOLS.get(key), "leverancier (KvK)": suppliers.get(key, (None,))[0],
                "menukaartcategorie": X.CATEGORY_NAMES.get(key)}.get(r["Totaal per"])
        assert r["Naam"] == want, (r["Totaal per"], key)


def test_register_superseded_workbooks_apart(out):
    assert {r["Telt mee"] for r in _sheet(out, "Facturen")} == {"Ja"}
    assert {r["Telt mee"] for r in _sheet(out, "Inhuur")} == {"Ja"}
    assert {(r["Bestand"], r["Inhuur-id"], r["Telt mee"]) for r in _sheet(out, "Inhuur vervangen")} == \
        {(f, h, "Nee") for f, h in X.SUPERSEDED.items()}
    apart = Counter((r["Bestand"], r["Factuurnummer"], r["Telt mee"]) for r in _sheet(out, "Facturen vervangen"))
    assert apart == Counter((f, nr, "Nee") for f, h in X.SUPERSEDED.items() for hire, nr, *_ in X.INVOICES if hire == h)


def test_register_findings_carry_their_school_and_count(out):
    rows = _sheet(out, "Bevindingen")
    counted = {r["Bestand"]: r["Inhuur-id"] for r in _sheet(out, "Inhuur")}
    for r in rows:
        folder = r["Bestand"].split("/", 1)[0]
        if r["Bestand"] == "bestuur.xlsx":
            assert (r["BRIN"], r["Telt mee"]) == (None, "n.v.t.")
        elif folder in SCHOOLS:
            assert (r["BRIN"], r["School"]) == (folder, SCHOOLS[folder]), r["Bestand"]
            assert r["Telt mee"] == ("Ja" if r["Bestand"] in counted else "Nee"), r["Bestand"]
    errors = Counter((r["Inhuur-id"], r["Regel"]) for r in rows if r["Ernst"] == "fout" and r["Telt mee"] == "Ja" and r["Inhuur-id"])
    assert errors == Counter((h, rule) for h, rules in X.ERRORS.items() for rule in rules)


# --------------------------------------------------------------------------- register.xlsx: every column of every sheet


def _workbook_rows(out: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(out / "register.xlsx", read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def _by_file() -> dict[str, str]:
    """Counted workbook -> hire id, from tools/demo.py (each demo workbook lies in its school's folder)."""
    return {f"{h.brin}/{h.file.split('/', 1)[1]}": f"{h.brin}-{h.year}-{h.nr}" for h in demo.hires()}


def _file_of(hire: str) -> str:
    return next(f for f, h in _by_file().items() if h == hire)


def _money(v) -> Decimal | None:
    return None if v is None else _d(v)


def test_register_has_the_sheets_a_finance_user_reads_with_every_column(out):
    rows = _workbook_rows(out)
    assert list(rows) == list(X.REGISTER_SHEETS)  # Aansluiting and Grootboek under their own names, in this order
    for name, header in X.REGISTER_SHEETS.items():
        assert rows[name][0] == header, name


def _hire_row_by_hand(hire: str, file: str) -> dict:
    """Every Inhuur column of one demo hire that test_register_hires_sheet* do not already check, from tools/demo.py."""
    h = X.HIRES[hire]
    y0 = int(h.year[:4])
    return {"Bestand": file, "School": SCHOOLS[h.brin], "Volgnummer": int(hire.rsplit("-", 1)[1]), "Versiedatum": date(y0, 7, 10),
            "Randvoorwaarde (F)": None, "Uurtarief": X.HOURLY_RATE.get(hire), "Start aanbesteding": X.TENDER_START.get(hire, date(y0, 7, 15)),
            "Instemming MR schoolprogramma": date(y0, 6, 20), "Instemming GMR": None}


def _hire_row_read(r: dict) -> dict:
    return {"Bestand": r["Bestand"], "School": r["School"], "Volgnummer": r["Volgnummer"], "Versiedatum": _date(r["Versiedatum"]),
            "Randvoorwaarde (F)": r["Randvoorwaarde (F)"], "Uurtarief": _money(r["Uurtarief"]),
            "Start aanbesteding": _date(r["Start aanbesteding"]), "Instemming MR schoolprogramma": _date(r["Instemming MR schoolprogramma"]),
            "Instemming GMR": _date(r["Instemming GMR"])}


def test_register_hires_sheet_every_other_column(out):
    rows = {r["Inhuur-id"]: r for r in _sheet(out, "Inhuur")}
    for hire in X.HIRES:
        assert _hire_row_read(rows[hire]) == _hire_row_by_hand(hire, _file_of(hire)), hire
    # the superseded versions: the same hire, apart; the older version has its own date and contract value
    apart = {r["Bestand"]: r for r in _sheet(out, "Inhuur vervangen")}
    for file, hire in X.SUPERSEDED.items():
        want = _hire_row_by_hand(hire, file)
        contract = X.HIRES[hire].contract
        if file == X.VERSIE_1:
            want["Versiedatum"], contract = X.VERSION_1_DATE, X.VERSION_1_CONTRACT
        assert _hire_row_read(apart[file]) == want, file
        h = X.HIRES[hire]
        assert (apart[file]["BRIN"], apart[file]["Schooljaar"], apart[file]["KvK"], _d(apart[file]["Contractwaarde excl. btw"]),
                _d(apart[file]["Gefactureerd excl. btw"])) == (h.brin, h.year, h.kvk, contract, _invoiced(hire)), file


def _invoice_cells() -> dict[tuple[str, str], str]:
    """(hire, invoice number) -> its cell on the Facturen sheet: row 4 + its place in tblFacturen, column C; the two
    invoices 12AB typed below the table (tools/demo.py `below`) on rows 20 and 21."""
    cells = {}
    for h in demo.hires():
        hid = f"{h.brin}-{h.year}-{h.nr}"
        for i, inv in enumerate(h.invoices, start=1):
            cells[(hid, inv[0])] = f"C{4 + i}"
        for i, inv in enumerate(h.below.get("tblFacturen", []), start=20):
            cells[(hid, inv[0])] = f"C{i}"
    return cells


def _invoice_texts() -> dict[tuple[str, str], str]:
    """(hire, invoice number) -> the omschrijving the school typed (tools/demo.py, fifth column of tblFacturen)."""
    return {(f"{h.brin}-{h.year}-{h.nr}", inv[0]): inv[4] for h in demo.hires() for inv in h.invoices + h.below.get("tblFacturen", [])}


def test_register_invoices_sheet_text_file_sheet_cell_and_workbook_brin(out):
    cells, texts = _invoice_cells(), _invoice_texts()
    got = Counter((r["Inhuur-id"], r["Factuurnummer"], r["BRIN"], r["Omschrijving"], r["Bestand"], r["Tabblad"], r["Cel"], r["BRIN werkboek"])
                  for r in _sheet(out, "Facturen"))
    # a bovenschools invoice once per paying school, each from the workbook of 21GH
    want = Counter((hire, nr, brin, texts[(hire, nr)], _file_of(hire), "Facturen", cells[(hire, nr)], X.HIRES[hire].brin)
                   for hire, nr, _, _, _, brin, _ in X.parts())
    assert got == want
    apart = Counter((r["Bestand"], r["Factuurnummer"], r["Omschrijving"], r["Tabblad"], r["Cel"], r["BRIN"], r["BRIN werkboek"])
                    for r in _sheet(out, "Facturen vervangen"))
    assert apart == Counter((f, nr, texts[(h, nr)], "Facturen", cells[(h, nr)], X.HIRES[h].brin, X.HIRES[h].brin)
                            for f, h in X.SUPERSEDED.items() for hire, nr, *_ in X.INVOICES if hire == h)


def test_register_files_sheet_reasons(out):
    rows = {r["Bestand"]: r for r in _sheet(out, "Bestanden")}
    for name, r in rows.items():
        if name in X.FILE_REASON_NAMES:  # the copy and the older version say which workbook counts instead
            assert X.FILE_REASON_NAMES[name] in r["Reden"], name
        elif name.endswith(".pdf"):
            assert ".pdf" in r["Reden"], name
        elif name == X.LEDGER_FILE:  # the ledger says how it was read: 56 lines of which 53 NPO, € 758.050,00
            lines = demo.ledger_lines()
            npo = [ln for ln in lines if ln[1].startswith("44") and ln[3] == "NPO"]
            booked = sum((_plain(ln[8] or "0") - _plain(ln[9] or "0") for ln in npo), ZERO)
            assert re.search(rf"\b{len(lines)} boekingsregels, waarvan {len(npo)} NPO-regels \({re.escape(euro(booked))}\)",
                             r["Reden"].replace("\xa0", " ")), r["Reden"]
        else:
            assert not r["Reden"], name  # a workbook read as it is needs no reason


def test_register_totals_sheet_has_exactly_these_rows_and_the_shared_note(out):
    rows = _sheet(out, "Totalen")
    keys = [(r["Totaal per"], str(r["BRIN, KvK-nummer, categorie of jaar"])) for r in rows]
    want = [("school", b) for b in sorted(SCHOOLS)] + [("leverancier (KvK)", k) for k in sorted({h.kvk for h in X.HIRES.values()})] \
        + [("menukaartcategorie", c) for c in CATEGORIES] + [("schooljaar", sj) for sj in SCHOOL_YEARS] + [("kalenderjaar", str(y)) for y in YEARS]
    assert keys == want
    # the schools that pay for the bovenschools hire say why their invoice counts add up to more than the board's
    noted = {k for k, r in zip(keys, rows) if r["Toelichting"]}
    assert noted == {("school", b) for b in X.SHARES}


def test_register_suppliers_sheet_is_ordered_by_kvk(out):
    assert [r["KvK"] for r in _sheet(out, "Leveranciers")] == sorted({h.kvk for h in X.HIRES.values()})


def _where(file: str) -> str:
    return _by_file().get(file, file)


def test_register_findings_every_column(out):
    rows = _sheet(out, "Bevindingen")
    got = Counter((_where(r["Bestand"]), r["Regel"], r["Ernst"], r["Tabblad"] or "", r["Cel"], r["Gaat over school (BRIN)"] or "")
                  for r in rows)
    assert got == Counter(X.FINDINGS)
    for r in rows:
        where = _where(r["Bestand"])
        hire = X.SUPERSEDED.get(where) or (where if where in X.HIRES else None)
        assert (r["Inhuur-id"] or None) == hire, r["Bestand"]
        brin = X.HIRES[hire].brin if hire else None
        assert (r["BRIN"], r["School"]) == (brin, SCHOOLS.get(brin)), r["Bestand"]
        assert r["Telt mee"] == (None if where == X.LEDGER_FILE else "Nee" if where in X.SUPERSEDED else "Ja"), r["Bestand"]
        assert r["Melding"] and r["Bron"], (r["Bestand"], r["Regel"])  # wording is the rules' own; each has one
    # errors first, then warnings, then notes; within each by file, sheet and cell
    rank = {"fout": 0, "waarschuwing": 1, "info": 2}
    order = [(rank[r["Ernst"]], r["Bestand"], r["Tabblad"] or "", r["Cel"] or "", r["Regel"]) for r in rows]
    assert order == sorted(order)


def _ledger_npo_lines() -> list[tuple[int, tuple]]:
    """(line number in the file, line) of the demo ledger's NPO lines: account 44* on project NPO (bestuur.xlsx
    selection); line 1 is the header."""
    return [(n, ln) for n, ln in enumerate(demo.ledger_lines(), start=2) if ln[1].startswith("44") and ln[3] == "NPO"]


def _ledger_brin(cc: str) -> str:
    return {v: k for k, v in demo.COST_CENTRE.items()}.get(cc, "bovenschools")  # 100 is the board office


def test_register_ledger_sheet_every_line(out):
    got = [(r["Bestand"], r["Regel"], _date(r["Datum"]), r["Grootboekrekening"], r["Kostenplaats"], r["Project"], r["Crediteur"],
            r["Naam crediteur"], r["KvK"], r["Factuurnummer"], r["Omschrijving"], _d(r["Bedrag excl. btw"]), r["BRIN"])
           for r in _sheet(out, "Grootboek")]
    want = [(X.LEDGER_FILE, n, day, account, cc, project, creditor, name, None, nr, text,
             _plain(debit or "0") - _plain(credit or "0"), _ledger_brin(cc))
            for n, (day, account, cc, project, creditor, name, nr, text, debit, credit) in _ledger_npo_lines()]
    assert got == want


def _ledger_key(nr: str) -> str:
    """An invoice number as the demo's administration may write it (no dashes, lower case), for finding its lines."""
    return nr.replace("-", "").upper()


# The demo's planted ledger situations (tools/demo.py): status, booked amount, cost centre when not the school's own.
_RECONCILIATION = {"DV-005": ("andere school", D("2600"), "112"), "ZS-1077": ("bedrag wijkt af", D("6600"), None),
                   "SR-24-31": ("niet in grootboek", None, None)}


def test_register_reconciliation_sheet_every_column(out):
    names = {kvk: name for name, kvk, _ in demo.SUPPLIERS.values()}
    lines = _ledger_npo_lines()
    want = Counter()
    for hire, nr, day, ex, vat in X.INVOICES:
        h = X.HIRES[hire]
        status, booked, cc = _RECONCILIATION.get(nr, ("gekoppeld", ex, None))
        mine = [n for n, ln in lines if _ledger_key(ln[6]) in (_ledger_key(nr), _ledger_key(nr) + "C")]  # KR-1187 and its credit note
        # the ledger file once per ledger invoice number (LK-22-01 on two accounts: once; KR-1187 and KR-1187-C: twice)
        files = ", ".join([X.LEDGER_FILE] * len({ln[6] for n, ln in lines if n in mine})) or None
        cc = cc or ("100" if hire == BOVENSCHOOLS else demo.COST_CENTRE[h.brin])
        found = booked is not None
        parts = ("12AB=9750.00|12AB=-500.00" if nr == "KR-1187"  # booked € 500 too high, then credited apart
                 else f"{_ledger_brin(cc)}={booked:.2f}" + ("!" if nr == "DV-005" else "") if found else None)  # ! = does not pay
        want[(status, names[h.kvk], h.kvk, nr, day, day if found else None, X.school_year(day), booked, ex,
              (booked - ex) if found else -ex, files, ", ".join(map(str, mine)) or None,
              cc if found else None, _ledger_brin(cc) if found else None, h.brin, hire, _file_of(hire), "Facturen",
              _invoice_cells()[(hire, nr)], vat, "excl. btw" if status in ("gekoppeld", "andere school") else None,
              ("creditnota verrekend" if nr == "KR-1187" else "factuurnummer") if found else None, parts,
              ex if status == "andere school" else ZERO)] += 1
    for nr, day, amount in demo.L1_INVOICES:  # in the ledger, in no workbook (L1)
        (n,) = [n for n, ln in lines if ln[6] == nr]
        want[("geen werkboek", demo.L1_SUPPLIER[1], None, nr, day, day, X.school_year(day), amount, None, amount, X.LEDGER_FILE,
              str(n), "114", "14CD", None, None, None, None, None, None, None, None, f"14CD={amount:.2f}", ZERO)] += 1
    got = Counter((r["Status"], r["Leverancier"], r["KvK"], r["Factuurnummer"], _date(r["Datum"]), _date(r["Boekdatum grootboek"]),
                   r["Schooljaar"], _money(r["Bedrag grootboek"]), _money(r["Bedrag werkboek excl. btw"]), _money(r["Verschil"]),
                   r["Grootboekbestand"], r["Regels"], r["Kostenplaats"], r["BRIN grootboek (kostenplaats)"], r["BRIN"], r["Inhuur-id"],
                   r["Bestand"], r["Tabblad"], r["Cel"], _money(r["Btw werkboek"]), r["Grootboek geboekt"], r["Gekoppeld op"],
                   r["Verdeling over scholen (! = school die niet meebetaalt)"], _money(r["Waarvan andere school"]))
                  for r in _sheet(out, "Aansluiting"))
    assert got == want


def test_register_bridge_sheet(out):
    # per calendar year: the jaarverslag's total incl. BTW, less its BTW, plus the ledger's differences (L1 booked
    # without a workbook, L3 booked € 600 more, L2 never booked), ends at the ledger's NPO selection by booking date
    adjust = {2023: [("NL-2023-11", "L1", D("3150")), ("ZS-1077", "L3", D("600"))],
              2024: [("SR-24-31", "L2", D("-4800")), ("NL-2024-02", "L1", D("2850"))]}
    rows = _sheet(out, "Brug")
    lines = _ledger_npo_lines()
    for year in YEARS:
        mine = [r for r in rows if r["Kalenderjaar"] == year]
        _, ex, vat, inc = X.BOARD_TOTAL[year]
        booked = sum((_plain(ln[8] or "0") - _plain(ln[9] or "0") for _, ln in lines if ln[0].year == year), ZERO)
        assert [(r["Stap"], r["Soort"]) for r in mine] == list(enumerate(["beginstand", "mutatie"] + ["mutatie"] * len(adjust.get(year, [])) + ["eindstand"]))
        amounts = [_d(r["Bedrag (beginstand incl. btw, daarna excl. btw)"]) for r in mine]
        assert amounts == [inc, -vat, *(a for _, _, a in adjust.get(year, [])), booked], year
        assert booked == ex + sum((a for _, _, a in adjust.get(year, [])), ZERO), year  # the bridge closes
        for r, (nr, rule, _) in zip(mine[2:-1], adjust.get(year, [])):
            assert (r["Factuurnummer"], re.search(r"\(regel (L\d)\)", r["Omschrijving"]).group(1)) == (nr, rule)
            inv = next((i for i in X.INVOICES if i[1] == nr), None)
            line = next((n for n, ln in lines if ln[6] == nr), None)
            assert r["Inhuur-id"] == (inv[0] if inv else None), nr
            assert r["Leverancier"] == (demo.L1_SUPPLIER[1] if not inv else {k: n for n, k, _ in demo.SUPPLIERS.values()}[X.HIRES[inv[0]].kvk])
            assert r["Werkboek (bestand · tabblad · cel)"] == (f"{_file_of(inv[0])} · Facturen · {_invoice_cells()[(inv[0], nr)]}" if inv else None)
            assert r["Grootboek (bestand, regels)"] == (f"{X.LEDGER_FILE}, regel {line}" if line else None), nr
            day = inv[2] if inv else next(d for n, d, _ in demo.L1_INVOICES if n == nr)
            assert (_date(r["Datum"]), _date(r["Boekdatum grootboek"])) == (day, day if line else None), nr


def test_register_lawfulness_sheet(out):
    got = {(r["Kalenderjaar"], r["Inhuur-id"]): r for r in _sheet(out, "Rechtmatigheid")}
    want = {(y, h) for h in X.UNLAWFUL for y in YEARS if _incl_in_year(h, y)}
    assert set(got) == want
    for (year, hire), r in got.items():
        inc = _incl_in_year(hire, year)
        assert (r["Soort"], r["Bestand"], r["Regels"], _d(r["Incl. btw"]), r["Facturen"]) == \
            ("fout", _file_of(hire), X.UNLAWFUL[hire], inc, ", ".join(sorted(i[1] for i in X.INVOICES if i[0] == hire and i[2].year == year)))
        assert r["Aandeel van de NPO-besteding"] == pytest.approx(float(inc / X.BOARD_TOTAL[year][3]), abs=1e-9)
        assert r["Reden"], (year, hire)

"""Every count in a document matches the register: render the demo board, count hires, invoices and findings in
register.xlsx (a different renderer, read back as plain cells) and compare each document's figures with those counts.

Each checker returns the problems it finds; the tampering tests show that it rejects a document whose figures are wrong,
also when a figure is wrong everywhere in that document."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from pipeline import reference
from demoboard import demo_report

N = r"(\d+)"
PROGRAMME = sorted(reference.npo_years())  # the NPO programme's school years (reference data with sources)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("counts")
    return demo_report(base)


# --------------------------------------------------------------------------- what the register says


def _sheet(wb, name: str) -> list[dict]:
    it = wb[name].iter_rows(values_only=True)
    header = next(it)
    return [dict(zip(header, r)) for r in it if any(v is not None for v in r)]


def _day(v) -> date | None:
    return v.date() if isinstance(v, datetime) else v if isinstance(v, date) else None


@dataclass
class Register:
    """Counted hires, invoices and findings as register.xlsx lists them, with the peildatum of bestuur.xlsx."""

    hires: dict[str, dict]  # hire id -> its row in sheet Inhuur
    schools: dict[str, set[str]]  # hire id -> every school that pays for it
    invoices: list[dict]  # sheet Facturen: one row per invoice and paying school
    findings: list[dict]  # sheet Bevindingen, of counted workbooks only
    today: date
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, out: Path, inputs: Path) -> "Register":
        wb = load_workbook(out / "register.xlsx", read_only=True)
        hires = {r["Inhuur-id"]: r for r in _sheet(wb, "Inhuur") if r["Telt mee"] == "Ja"}
        invoices = [r for r in _sheet(wb, "Facturen") if r["Telt mee"] == "Ja"]
        files = {r["Bestand"] for r in hires.values()}
        findings = [r for r in _sheet(wb, "Bevindingen") if r["Bestand"] in files]
        schools = {i: {r["BRIN"]} for i, r in hires.items()}
        for r in invoices:
            schools[r["Inhuur-id"]].add(r["BRIN"])
        (today,) = [_day(row[1]) for ws in load_workbook(inputs / "bestuur.xlsx", read_only=True)
                    for row in ws.iter_rows(values_only=True) if row and str(row[0]).startswith("Peildatum")]
        names = {r["BRIN"]: r["School"] for r in hires.values()}
        return cls(hires, schools, invoices, findings, today, names)

    def at(self, brin: str) -> set[str]:
        return {i for i, s in self.schools.items() if brin in s}

    def school_years(self, i: str) -> set[str]:
        """The school years a hire belongs to: registered in, invoiced in, or running in (start to end date, within
        the NPO programme's school years)."""
        r = self.hires[i]
        years = {r["Schooljaar"]} | {v["Schooljaar"] for v in self.invoices if v["Inhuur-id"] == i}
        start, end = _day(r["Startdatum"]), _day(r["Einddatum"])
        if start and end:
            years |= {sj for sj in PROGRAMME if date(int(sj[:4]), 8, 1) <= end and date(int(sj[5:]), 7, 31) >= start}
        return years

    def of_school_year(self, year: str) -> set[str]:
        return {i for i in self.hires if year in self.school_years(i)}

    def in_calendar_year(self, year: int) -> set[str]:
        """Hires that ran in `year` (an open-ended one up to the peildatum) or have an invoice dated in it."""
        out = {r["Inhuur-id"] for r in self.invoices if r["Kalenderjaar"] == year}
        for i, r in self.hires.items():
            start, end = _day(r["Startdatum"]), _day(r["Einddatum"]) or self.today
            if start and start.year <= year <= max(start, end).year:
                out.add(i)
        return out

    def invoices_in(self, year: int, brin: str | None = None) -> set[tuple[str, str]]:
        return {(r["Factuurnummer"], r["Inhuur-id"]) for r in self.invoices
                if r["Kalenderjaar"] == year and brin in (None, r["BRIN"])}

    def severity(self, hires: set[str], ernst: str | None, school: str | None = None) -> int:
        """Findings of `ernst` (None: any) on these hires; with `school`, only those about that school: a rule can
        make a finding about another school that pays for the hire (column 'Gaat over school')."""
        files = {self.hires[i]["Bestand"] for i in hires}
        return sum(1 for r in self.findings if r["Bestand"] in files and ernst in (None, r["Ernst"])
                   and (school is None or r["Gaat over school (BRIN)"] in (None, "", school)))

    def counts(self, hires: set[str], school: str | None = None) -> tuple[int, int]:
        return self.severity(hires, "fout", school), self.severity(hires, "waarschuwing", school)


@pytest.fixture(scope="module")
def register(outputs) -> Register:
    return Register.read(outputs, outputs.parent / "inputs")


# --------------------------------------------------------------------------- reading a document


def _doc(path):
    d = docx.Document(path)
    text = "\n".join(p.text for p in d.paragraphs)
    tables = {}
    for t in d.tables:
        header = [c.text for c in t.rows[0].cells]
        tables.setdefault(tuple(header), []).append([[c.text for c in r.cells] for r in t.rows[1:]])
    return text, tables


def _all(pattern, text):
    return [int(x) for x in re.findall(pattern, text)]


def _one(pattern, text, problems: list[str], what: str) -> int | None:
    found = re.findall(pattern, text)
    if len(found) != 1:
        problems.append(f"{what}: {len(found)} keer gevonden")
        return None
    return int(found[0]) if isinstance(found[0], str) else tuple(int(x) for x in found[0])


def _table(tables, *header) -> list[list[str]]:
    """The rows of the one table whose header starts with `header`."""
    (rows,) = [r for h, ts in tables.items() if h[:len(header)] == header for r in ts]
    return rows


def _per_school(rows, column: int) -> dict[str, int]:
    """A count per BRIN from rows that start with '<BRIN> <name>'; '–' counts as 0."""
    return {r[0].split()[0]: int(r[column]) if r[column].strip().isdigit() else 0
            for r in rows if not r[0].startswith("Totaal") and r[0][:4].isalnum() and " " in r[0]}


def _expect(problems: list[str], what: str, got, want) -> None:
    if got != want:
        problems.append(f"{what}: document {got}, register {want}")


# --------------------------------------------------------------------------- the checkers


def mr_problems(path: Path, reg: Register) -> list[str]:
    """How the MR document of one school and school year differs from the register."""
    brin, year = path.stem[:4], path.stem[5:]
    hires = reg.at(brin) & reg.of_school_year(year)
    text, tables = _doc(path)
    problems: list[str] = []
    _expect(problems, "inhuren in de samenvatting",
            _one(rf"In schooljaar {year} (?:hoort|horen) bij .+? {N} inhu(?:ur|ren):", text, problems, "samenvatting"), len(hires))
    _expect(problems, "fouten en waarschuwingen van deze school in de samenvatting",
            _one(rf"vond bij deze inhu(?:ur|ren) {N} fout(?:en)? en {N} waarschuwing(?:en)?", text, problems, "bevindingen"),
            reg.counts(hires, brin))
    others = reg.severity(hires, None) - reg.severity(hires, None, brin)
    _expect(problems, "bevindingen over een andere school",
            (_all(rf"{N} bevindingen? (?:gaat|gaan) over een andere school", text) or [0])[0], others)
    listed = [r[0] for r in _table(tables, "Inhuur", "Externe partij") if r[0] != "Totaal"]
    _expect(problems, "inhuren in het overzicht", sorted(listed), sorted(hires))
    per_hire = [r[0] for h, ts in tables.items() if h[0] == "Ernst" for t in ts for r in t]
    _expect(problems, "fouten en waarschuwingen in de tabellen per inhuur",
            (per_hire.count("fout"), per_hire.count("waarschuwing")), reg.counts(hires))
    return problems


def gmr_problems(path: Path, reg: Register) -> list[str]:
    """How the GMR document of one school year differs from the register."""
    year = path.stem[4:]
    hires = reg.of_school_year(year)
    shared = {i for i in hires if reg.hires[i]["Niveau"] == "Bovenschools"}
    text, tables = _doc(path)
    problems: list[str] = []
    _expect(problems, "inhuren in de tekst", _one(rf"{N} inhu(?:ur|ren) geregistreerd \({N} bovenschools\)", text,
                                                problems, "inhuren geregistreerd"), (len(hires), len(shared)))
    _expect(problems, "'van de N inhuren'", set(_all(rf"van de {N} inhu", text)) or {len(hires)}, {len(hires)})
    rows = _table(tables, "School", "Inhuren", "Toekenning")
    _expect(problems, "inhuren per school", _per_school(rows, 1), {b: len(reg.at(b) & hires) for b in reg.names})
    _expect(problems, "eigen fouten en waarschuwingen per school", {b: (n, _per_school(rows, 6)[b]) for b, n in _per_school(rows, 5).items()},
            {b: reg.counts(reg.at(b) & hires, b) for b in reg.names})
    (total,) = [r for r in rows if r[0].startswith("Totaal")]
    _expect(problems, "totaalrij", (int(total[1]), int(total[5]), int(total[6])), (len(hires), *reg.counts(hires)))
    return problems


def jaarverslag_problems(path: Path, reg: Register) -> list[str]:
    """How the jaarverslag of one calendar year differs from the register."""
    year = int(path.stem.split("-")[1])
    hires = reg.in_calendar_year(year)
    invoiced = reg.invoices_in(year)
    text, tables = _doc(path)
    problems: list[str] = []
    _expect(problems, "facturen, inhuren en scholen",
            _one(rf"Het gaat om {N} factu(?:ur|ren) met een factuurdatum in {year}, van {N} inhu(?:ur|ren)(?: \([^)]*\))? op {N} (?:school|scholen)\b",
                 text, problems, "facturen met een factuurdatum"),
            (len(invoiced), len({i for _, i in invoiced}),
             len({r["BRIN"] for r in reg.invoices if r["Kalenderjaar"] == year})))
    shared = {i for i in hires if reg.hires[i]["Niveau"] == "Bovenschools"}
    _expect(problems, "inhuur die liep of is gefactureerd",
            _one(rf"liep of is gefactureerd: {N} inhu(?:ur|ren), waarvan {N} bovenschools", text, problems, "liep"),
            (len(hires), len(shared)))
    _expect(problems, "'van de / alle N inhuren'", set(_all(rf"van de {N} inhu", text) + _all(rf"alle {N} inhuren", text))
            or {len(hires)}, {len(hires)})
    _expect(problems, "fouten, waarschuwingen",
            (0, 0) if "Bevindingen bij deze inhuur: geen." in text else
            _one(rf"Bevindingen bij deze inhuur: {N} fout(?:en)?, {N} waarschuwing(?:en)?", text, problems, "bevindingen"),
            reg.counts(hires))
    _expect(problems, "facturen per school", _per_school(_table(tables, "School", "Facturen"), 1),
            {b: len(reg.invoices_in(year, b)) for b in reg.names})
    _expect(problems, "inhuren per school", _per_school(_table(tables, "School", "Inhuren"), 1),
            {b: len(reg.at(b) & hires) for b in reg.names if reg.at(b) & hires})
    return problems


# --------------------------------------------------------------------------- every document agrees with the register


def _jaarverslagen(outputs):
    return sorted(p for p in outputs.glob("jaarverslag-*.docx") if not p.stem.endswith("-bijlagen"))


def test_every_school_year_with_a_hire_has_one_mr_document(outputs, register):
    wanted = {f"{b}-{sj}" for i in register.hires for b in register.schools[i] for sj in register.school_years(i)}
    assert {p.stem for p in (outputs / "mr").glob("*.docx")} == wanted


def test_mr_counts_agree(outputs, register):
    docs = sorted((outputs / "mr").glob("*.docx"))
    assert len(docs) > 1
    assert {p.name: mr_problems(p, register) for p in docs} == {p.name: [] for p in docs}


def test_gmr_counts_agree(outputs, register):
    docs = sorted(outputs.glob("gmr-*.docx"))
    assert {p.stem[4:] for p in docs} == {sj for i in register.hires for sj in register.school_years(i)}
    assert {p.name: gmr_problems(p, register) for p in docs} == {p.name: [] for p in docs}


def test_jaarverslag_counts_agree(outputs, register):
    docs = _jaarverslagen(outputs)
    assert len(docs) > 1
    assert {p.name: jaarverslag_problems(p, register) for p in docs} == {p.name: [] for p in docs}


def test_jaarverslag_tables_add_up(outputs):
    """Within one jaarverslag: section 6, Bijlage C and the tables per school, intervention and kind add up."""
    for path in _jaarverslagen(outputs):
        text, tables = _doc(path)
        year = path.stem.split("-")[1]
        # section 6 counts per category the hires that Bijlage C (in the appendix document) lists one by one
        _, appendix = _doc(outputs / f"jaarverslag-{year}-bijlagen.docx")
        listed = sum(len(rows) for h, tables_ in appendix.items() if h[:2] == ("Inhuur", "Interventie") for rows in tables_)
        summary = [r for h, t in tables.items() if h[0] == "Categorie" and "Inhuren met evaluatie" in h for r in t[0]]
        if listed or summary:
            (total_row,) = [r for r in summary if r[0] == "Totaal"]
            assert int(total_row[1]) == listed == sum(int(r[1]) for r in summary if r[0] != "Totaal"), path.name
        (total,) = _all(rf"liep of is gefactureerd: {N} inhu", text)
        # a bovenschools hire stands at each school that pays for it, and the document says by how many that adds up
        shared = [(int(a), int(b)) for a, b in re.findall(rf"telt daardoor samen {N} meer dan de {N} inhu", text)]
        assert all(n == total for _, n in shared)
        assert _column_sum(tables, "School") == total + sum(extra for extra, _ in shared), path.name
        assert _column_sum(tables, "Interventie") == total, path.name
        assert _column_sum(tables, "Soort inhuur (handreiking OCW)") == total, path.name


def _column_sum(tables, first: str, column: str = "Inhuren") -> int:
    (header, [rows]), = [(h, r) for h, r in tables.items() if h[0] == first and column in h]
    i = header.index(column)
    return sum(int(r[i]) for r in rows if r[i].strip().isdigit() and not r[0].startswith("Totaal"))


# --------------------------------------------------------------------------- the checkers reject a wrong document


def _tampered(src: Path, dst: Path, edit) -> Path:
    """A copy of `src` with `edit(text) -> text` applied to every paragraph, also those in table cells."""
    d = docx.Document(src)
    paragraphs = list(d.paragraphs) + [p for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    changed = 0
    for p in paragraphs:
        new = edit(p.text)
        if new != p.text:
            p.text = new
            changed += 1
    assert changed, "the tampering changed nothing"
    dst.parent.mkdir(parents=True, exist_ok=True)
    d.save(dst)
    return dst


def _drop_table_row(src: Path, dst: Path, first: str, cell: str) -> Path:
    """A copy of `src` without the first row whose first cell is `cell` in a table whose header starts with `first`."""
    d = docx.Document(src)
    (row,) = [r for t in d.tables if t.rows[0].cells[0].text == first for r in t.rows[1:] if r.cells[0].text == cell][:1]
    row._tr.getparent().remove(row._tr)
    dst.parent.mkdir(parents=True, exist_ok=True)
    d.save(dst)
    return dst


def _bump(pattern: str, by: int = 1):
    """An edit that adds `by` to the number matched by group 1 of `pattern` wherever it occurs."""
    return lambda t: re.sub(pattern, lambda m: m.group(0).replace(m.group(1), str(int(m.group(1)) + by), 1), t)


MR_TAMPERINGS = {
    "hire count in the summary": _bump(rf"(?:hoort|horen) bij .+? {N} inhu"),
    "error count in the summary": _bump(rf"vond bij deze inhu(?:ur|ren) {N} fout"),
    "warning count in the summary": _bump(rf"fout(?:en)? en {N} waarschuwing"),
    "a finding turned into a warning everywhere": lambda t: {"fout": "waarschuwing"}.get(t, t),
}


@pytest.mark.parametrize("tampering", sorted(MR_TAMPERINGS))
def test_the_mr_check_rejects_a_wrong_document(outputs, register, tmp_path, tampering):
    src = outputs / "mr" / "12AB-2023-2024.docx"
    assert mr_problems(src, register) == []
    wrong = _tampered(src, tmp_path / "mr" / src.name, MR_TAMPERINGS[tampering])
    assert mr_problems(wrong, register)


def test_the_mr_check_rejects_a_document_that_misses_a_hire_everywhere(outputs, register, tmp_path):
    """One hire left out of the overview and the summary count lowered to match: consistent, and still wrong."""
    src = outputs / "mr" / "12AB-2022-2023.docx"
    hires = sorted(register.at("12AB") & register.of_school_year("2022-2023"))
    assert len(hires) > 1
    dropped = _drop_table_row(src, tmp_path / "a" / src.name, "Inhuur", hires[0])
    wrong = _tampered(dropped, tmp_path / "mr" / src.name, _bump(rf"(?:hoort|horen) bij .+? {N} inhu", -1))
    assert mr_problems(src, register) == []
    assert [p for p in mr_problems(wrong, register) if "overzicht" in p or "samenvatting" in p]


def test_the_gmr_check_rejects_a_wrong_count(outputs, register, tmp_path):
    src = outputs / "gmr-2022-2023.docx"
    assert gmr_problems(src, register) == []
    wrong = _tampered(src, tmp_path / src.name, _bump(rf"{N} inhuren geregistreerd"))
    assert gmr_problems(wrong, register)


def test_the_jaarverslag_check_rejects_a_wrong_count(outputs, register, tmp_path):
    src = outputs / "jaarverslag-2023.docx"
    assert jaarverslag_problems(src, register) == []
    wrong = _tampered(src, tmp_path / src.name, _bump(rf"Het gaat om {N} facturen"))
    assert jaarverslag_problems(wrong, register)

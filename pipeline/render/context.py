"""Pieces shared by the Word documents' contexts: formatting for the reader, facts of the run, findings per file."""
from __future__ import annotations

from pathlib import Path

import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable

import polars as pl

from pipeline.render import XML_ILLEGAL
from pipeline import aggregate, dutch, reference, templates_dir
from pipeline.aggregate import ZERO, Money, money_by
from pipeline.model import SEVERITIES, Hire, RunData
from pipeline.rules import catalogue as findings
from pipeline.rules.privacy import redact

TEMPLATES = templates_dir()
CATEGORIES = "ABCDEF"
MAX_CHART_SCHOOLS = 25  # more bars than this are unreadable on an A4 page
DASH = "–"  # no spending at all, in the tables
NOT_FILLED = "niet ingevuld"
_SPACE = re.compile(r"[ \t\r\n\x0b\x0c\u2028\u2029]+")  # not U+00A0: format_euro keeps "€" and the digits together




def text(value: Any) -> str:
    """Free text from a workbook, fit for a document: pupil data redacted (V3), one line, no control characters."""
    if value is None:
        return ""
    value = str(value)
    return _short_text(value) if len(value) <= SHORT_TEXT else _text(value)


def _text(value: str) -> str:
    return _SPACE.sub(" ", XML_ILLEGAL.sub(" ", redact(value))).strip()


SHORT_TEXT = 200  # names, labels and choices recur in every document; long free text is not kept
_short_text = lru_cache(maxsize=65536)(_text)


def euro(amount: Decimal | None) -> str:
    return _euro(amount if amount is not None else ZERO)


@lru_cache(maxsize=65536)
def _euro(amount: Decimal) -> str:  # Babel is slow and the same amounts recur in every document
    return dutch.format_euro(amount)


def euro_or_dash(amount: Decimal | None) -> str:
    return DASH if amount is None or amount == 0 else _euro(amount)


def day(d: Any, empty: str = NOT_FILLED) -> str:
    return dutch.format_date(d) if isinstance(d, date) else empty


def share(part: Decimal, whole: Decimal | None) -> str:
    return dutch.format_percent(part / whole) if whole else "n.v.t."


def allocation_share(part: Decimal, allocation: Decimal | None) -> str:
    """A share of an allocation: 'n.v.t.' when no allocation is known, a dash when it is known to be nothing."""
    if allocation is None:
        return "n.v.t."
    return DASH if allocation == 0 else dutch.format_percent(part / allocation)


def no_new_money(data: RunData, schooljaar: str) -> str:
    """Why a school year brings the board no NPO allocation, in words ('' when it does, or when none is known).

    The programme ran from its first school year in the reference data (2021-2022) to the board's setting for its end
    (31 July 2025); nponderwijs.nl: the school years after 2022-2023 brought no new money."""
    start, end = dutch.school_year_bounds(schooljaar)
    programme_end = data.board.settings.programme_end
    if start > programme_end:
        return f"schooljaar {schooljaar} valt na het einde van het NPO-programma op {dutch.format_date(programme_end)}"
    years = sorted(reference.npo_years())
    if years and end < dutch.school_year_bounds(years[0])[0]:
        return f"schooljaar {schooljaar} valt vóór het NPO-programma, dat begon in schooljaar {years[0]}"
    amounts = data.allocations_df.filter(pl.col("schooljaar") == schooljaar).get_column("toekenning")
    if not amounts.is_empty() and not amounts.abs().sum():
        return f"in schooljaar {schooljaar} kwamen er geen nieuwe NPO-middelen bij"
    return ""


count = dutch.plural  # '1 fout', '2 fouten': the documents' name for the one plural helper


# --------------------------------------------------------------------------- shared facts


def counted_invoices(data: RunData) -> pl.DataFrame:
    """Invoices of counted workbooks only: superseded versions never count."""
    return data.invoices_df.filter(pl.col("geteld"))


def hire_period(h: Hire, today: date) -> tuple[date, date] | None:
    """The days a hire runs: start to end; without an end date (open-ended) up to `today`."""
    start, end = h.get("startdatum"), h.get("einddatum")
    if not isinstance(start, date):
        return None
    if not isinstance(end, date):
        end = max(start, today)
    return start, max(start, end)


def calendar_years(data: RunData) -> list[int]:
    """Every calendar year with a counted invoice or touched by the period of a counted hire."""
    years = {int(y) for y in counted_invoices(data).get_column("kalenderjaar").drop_nulls().unique().to_list()}
    for h in data.hires:
        p = hire_period(h, data.today)
        if p:
            years |= set(range(p[0].year, p[1].year + 1))
    return sorted(years)


def invoiced_years(data: RunData) -> dict[str, set[str]]:
    """File -> the school years in which its counted invoices are dated."""
    out: dict[str, set[str]] = defaultdict(set)
    for f, sj in counted_invoices(data).select("file", "schooljaar").drop_nulls().iter_rows():
        out[f].add(sj)
    return dict(out)


def hire_years(h: Hire, invoiced: dict[str, set[str]]) -> set[str]:
    """Every school year a hire belongs to: the one it was registered in, each year it runs in (start to end date,
    within the NPO programme) and each year it is invoiced in. An open-ended hire runs as far as its invoices go."""
    years = set(invoiced.get(h.file, ()))
    if h.get("schooljaar"):
        years.add(h.get("schooljaar"))
    start, end = h.get("startdatum"), h.get("einddatum")
    programme = sorted(reference.npo_years())
    if isinstance(start, date) and isinstance(end, date) and programme:
        last = dutch.school_year_bounds(programme[-1])[1]
        for sj in programme:
            first_day, last_day = dutch.school_year_bounds(sj)
            if first_day <= min(end, last) and last_day >= start:
                years.add(sj)
    return years


def school_years(data: RunData) -> list[str]:
    """School years of counted hires (every year each belongs to) and of counted invoices."""
    invoiced = invoiced_years(data)
    years = {y for h in data.hires for y in hire_years(h, invoiced)}
    years |= set(counted_invoices(data).get_column("schooljaar").drop_nulls().to_list())
    return sorted(years)


def hires_of_year(data: RunData, schooljaar: str, invoiced: dict[str, set[str]] | None = None) -> list[Hire]:
    """The counted hires that belong to a school year (hire_years)."""
    invoiced = invoiced_years(data) if invoiced is None else invoiced
    return [h for h in data.hires if schooljaar in hire_years(h, invoiced)]


def mr_keys(data: RunData) -> list[tuple[str, str]]:
    """(BRIN, school year) of every counted hire, for each school year it belongs to; a bovenschools hire under
    every school that pays for it."""
    invoiced = invoiced_years(data)
    return sorted({(b, sj) for h in data.hires for sj in hire_years(h, invoiced)
                   for b, _ in aggregate.participants(h) if b})


def unread_ledger_files(data: RunData) -> list[str]:
    """Ledger files not read whole or without anything to check (rejected, L1 on the file, W4 on a line): while one
    exists, no document may say that the ledger's spending is complete."""
    return [f.file for f in data.ledger_files if f.status == "afgewezen"
            or any(x.rule == "L1" and not x.cell or x.rule == "W4" for x in f.findings)]


def school_names(data: RunData) -> dict[str, str]:
    """BRIN -> school name: from bestuur.xlsx, else as the school typed it (redacted)."""
    names = {}
    for h in data.hires:
        b, n = h.get("brin"), h.get("school_naam")
        if b and n and b not in names:
            names[b] = text(n)
    names.update({b: text(s.name) for b, s in data.board.schools.items() if s.name})
    return names


def school_label(names: dict[str, str], brin: str | None) -> str:
    if not brin:
        return "BRIN onbekend"
    return f"{brin} {names.get(brin, '')}".strip()


def hire_label(h: Hire) -> str:
    return h.hire_id or h.file


def category_names() -> dict[str, str]:
    return reference.menukaart().categories


def menukaart_label(raw: Any) -> str:
    hit = reference.menukaart().lookup(raw) if raw else None
    return reference.Menukaart.label(*hit) if hit else text(raw)


def intervention(h: Hire) -> str:
    return menukaart_label(h.get("interventie")) or NOT_FILLED


def period(h: Hire) -> str:
    start, end = h.get("startdatum"), h.get("einddatum")
    if isinstance(start, date) and isinstance(end, date):
        return f"{dutch.format_date(start)} tot en met {dutch.format_date(end)}"
    if isinstance(start, date):
        return f"vanaf {dutch.format_date(start)} (geen einddatum ingevuld)"
    return NOT_FILLED


def _rule_order(rule: str) -> int:
    ids = list(findings.catalogue())
    return ids.index(rule) if rule in ids else len(ids)


def severity_key(row: dict) -> tuple:
    return (SEVERITIES.index(row["severity"]), _rule_order(row["rule"]), row.get("sheet") or "", row.get("cell") or "")


def findings_of(data: RunData, files: Iterable[str]) -> pl.DataFrame:
    return data.findings_df.filter(pl.col("file").is_in(list(files)))


def compliance(data: RunData, files: Iterable[str]) -> tuple[list[dict], dict[str, str], str]:
    """Findings per rule and severity for these files, the totals, and one sentence about them."""
    files = list(files)
    df = findings_of(data, files)
    per_rule: dict[str, Counter] = defaultdict(Counter)
    for rule, severity in df.select("rule", "severity").iter_rows():
        per_rule[rule][severity] += 1
    cat = findings.catalogue()
    rows = [
        {"regel": rule, "titel": cat[rule].title if rule in cat else rule, **{s: dutch.format_number(c[s]) for s in SEVERITIES}}
        for rule, c in sorted(per_rule.items(), key=lambda kv: _rule_order(kv[0]))
    ]
    totals: Counter = Counter()
    for c in per_rule.values():
        totals.update(c)
    total = {s: dutch.format_number(totals[s]) for s in SEVERITIES}
    with_error = df.filter(pl.col("severity") == "fout").get_column("file").n_unique()
    if not totals:
        sentence = "geen"
    else:
        sentence = (f"{count(totals['fout'], 'fout', 'fouten')}, {count(totals['waarschuwing'], 'waarschuwing', 'waarschuwingen')} "
                    f"en {count(totals['info'], 'melding', 'meldingen')} ter informatie; bij {dutch.format_number(with_error)} "
                    f"van de {count(len(files), 'inhuur', 'inhuren')} is minstens één fout gevonden")
    return rows, total, sentence


@lru_cache(maxsize=1)
def _versions() -> tuple[str, str]:
    v = reference.versions()
    refs = f"menukaart versie {v['menukaart']}, drempelbedragen versie {v['drempels']}, NPO-bedragen versie {v['npo_bedragen']}"
    return findings.ruleset_version(), refs


def common(data: RunData) -> dict[str, Any]:
    made = dutch.format_date(data.generated)
    version, refs = _versions()
    return {
        "bestuur": text(data.board.name) or "Schoolbestuur",
        "gemaakt_op": made,
        "regelset": version,
        "gemaakt_regel": f"Gemaakt op {made} met regelset {version}",
        "versies_tekst": refs,
    }


def category_label(code: str | None) -> str:
    """A menukaart category as a reader sees it ("A Meer onderwijs ..."); None is spend that fits no category."""
    return f"{code} {category_names().get(code, '')}".strip() if code else "Niet in te delen (interventie niet op de menukaart)"


def category_rows(inv: pl.DataFrame, hires_per_category: dict[str | None, int]) -> list[dict]:
    """Spending per menukaart category A–F (plus one row for spend that fits no category)."""
    by_cat = money_by(inv, "categorie")
    rows = []
    for code in [*CATEGORIES, None]:
        m = by_cat.get(code, Money())
        if code is None and not m.n and not hires_per_category.get(None):
            continue
        rows.append({"categorie": category_label(code), "inhuren": dutch.format_number(hires_per_category.get(code, 0)),
                     "excl": euro(m.excl), "btw": euro(m.btw), "incl": euro(m.incl)})
    return rows


def _chart_spec(title: str, labels: list[str], values: list[Decimal]) -> dict | None:
    if not any(v > 0 for v in values):
        return None
    return {"titel": title, "labels": labels, "waarden": [str(v) for v in values]}


def category_chart(inv: pl.DataFrame, title: str) -> dict | None:
    names = category_names()
    by_cat = money_by(inv, "categorie")
    return _chart_spec(title, [f"{c} {names.get(c, '')}".strip() for c in CATEGORIES],
                       [by_cat.get(c, Money()).incl for c in CATEGORIES])


def school_chart(names: dict[str, str], inv: pl.DataFrame, title: str) -> dict | None:
    """Spending per school; beyond MAX_CHART_SCHOOLS the smallest are one bar (the table has them all)."""
    pairs = sorted(((b, m.incl) for b, m in money_by(inv, "brin").items() if m.incl > 0), key=lambda p: (p[0] is None, p[0] or ""))
    if len(pairs) > MAX_CHART_SCHOOLS:
        top = sorted(pairs, key=lambda p: (-p[1], p[0] or ""))[: MAX_CHART_SCHOOLS - 1]
        rest = [p for p in pairs if p not in top]
        pairs = sorted(top, key=lambda p: (p[0] is None, p[0] or ""))
        labels = [school_label(names, b) for b, _ in pairs] + [f"Overige {len(rest)} scholen"]
        values = [v for _, v in pairs] + [sum((v for _, v in rest), ZERO)]
        return _chart_spec(title, labels, values)
    return _chart_spec(title, [school_label(names, b) for b, _ in pairs], [v for _, v in pairs])


def hires_per_category(hires: list[Hire], files: set[str] | None = None) -> dict[str | None, int]:
    out: Counter = Counter()
    for h in hires:
        if files is None or h.file in files:
            out[aggregate.category(h.get("interventie"))] += 1
    return dict(out)


def brins_of(data: RunData, *groups: Iterable[str | None]) -> list[str]:
    found = set(data.board.schools)
    for g in groups:
        found |= {b for b in g if b}
    return sorted(found)


def supplier(h: Hire) -> str:
    return text(h.get("leverancier_naam")) or NOT_FILLED


def amount_or_empty(v: Any) -> str:
    return euro(v) if isinstance(v, Decimal) else NOT_FILLED


def trail(hires: Iterable[Hire]) -> list[dict]:
    """Per hire the workbook, its SHA-256 and the cells that hold the contract value and the invoice amounts."""
    rows = []
    for h in hires:
        cells = []
        c = h.cell("contractwaarde")
        if c is not None:
            cells.append(f"contractwaarde {c.sheet}!{c.cell}")
        amounts = [r.cells["Bedrag excl. BTW"] for r in h.tables.get("tblFacturen", []) if "Bedrag excl. BTW" in r.cells]
        if amounts:
            cells.append("facturen " + ", ".join(f"{a.sheet}!{a.cell}" for a in amounts))
        rows.append({"inhuur": hire_label(h), "bestand": text(h.file), "sha256": h.sha256 or DASH, "cellen": "; ".join(cells) or DASH})
    return rows


def participants_text(h: Hire) -> str:
    """'12AB 40 % (MR akkoord 1 december 2022); …' for a bovenschools hire, from tblDeelnemers."""
    parts = []
    for r in h.tables.get("tblDeelnemers", []):
        if not r.get("BRIN"):
            continue
        share_ = dutch.format_percent(r.get("Aandeel")) if r.get("Aandeel") is not None else "aandeel niet ingevuld"
        parts.append(f"{r.get('BRIN')} {share_} (MR-akkoord {day(r.get('MR-akkoord'), 'ontbreekt')})")
    if parts:
        return "; ".join(parts)
    # no participants: the hire stays with the school that administers it (P4 reports the missing table)
    return (f"{text(h.get('brin')) or 'BRIN onbekend'} 100% (MR-akkoord {day(h.get('mr_akkoord_bovenschools'), 'ontbreekt')}); "
            "geen deelnemende scholen ingevuld")

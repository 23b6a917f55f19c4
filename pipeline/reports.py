"""Render the jaarverslag, the MR and the GMR documents (docxtpl) from the run's frames, with charts."""
from __future__ import annotations

import os
import re
import tempfile
import textwrap
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import polars as pl

from pipeline import aggregate, config, dutch, findings, reference
from pipeline.derive import procurement_value, threshold
from pipeline.model import SEVERITIES, Hire
from pipeline.privacy import redact
from pipeline.run import RunData

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
CATEGORIES = "ABCDEF"
ZERO = Decimal("0.00")
MAX_CHART_SCHOOLS = 25  # more bars than this are unreadable on an A4 page
DASH = "–"  # no spending at all, in the tables
NOT_FILLED = "niet ingevuld"
STATUS_LABELS = {"gelezen": "gelezen", "vervangen": "vervangen", "afgewezen": "afgewezen", "overgeslagen": "overgeslagen"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\r\n\x0b\x0c\u2028\u2029]+")  # not U+00A0: format_euro keeps "€" and the digits together


# --------------------------------------------------------------------------- small formatting helpers


def text(value: Any) -> str:
    """Free text from a workbook, fit for a document: pupil data redacted (V3), one line, no control characters."""
    if value is None:
        return ""
    return _SPACE.sub(" ", _CONTROL.sub(" ", redact(str(value)))).strip()


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


def count(n: int, one: str, many: str) -> str:
    return f"{dutch.format_number(n)} {one if n == 1 else many}"


@dataclass(frozen=True)
class Money:
    """Invoice totals of some group: excl. BTW, BTW, incl. BTW and the number of invoices."""

    excl: Decimal = ZERO
    btw: Decimal = ZERO
    incl: Decimal = ZERO
    n: int = 0


def _dec(v: Any) -> Decimal:
    return Decimal(v).quantize(Decimal("0.01")) if v is not None else ZERO


def money(inv: pl.DataFrame) -> Money:
    if inv.is_empty():
        return Money()
    excl, vat, incl = inv.select(pl.col("bedrag").sum(), pl.col("btw").sum(), pl.col("totaal").sum()).row(0)
    return Money(_dec(excl), _dec(vat), _dec(incl), inv.height)


def money_by(inv: pl.DataFrame, *keys: str) -> dict[Any, Money]:
    """Totals per value of `keys` (a tuple key when there are several), with one group_by."""
    if inv.is_empty():
        return {}
    g = inv.group_by(list(keys)).agg(pl.col("bedrag").sum(), pl.col("btw").sum(), pl.col("totaal").sum(), pl.len().alias("n"))
    out = {}
    for row in g.iter_rows():
        key = row[0] if len(keys) == 1 else tuple(row[: len(keys)])
        out[key] = Money(_dec(row[-4]), _dec(row[-3]), _dec(row[-2]), row[-1])
    return out


# --------------------------------------------------------------------------- shared facts


def counted_invoices(data: RunData) -> pl.DataFrame:
    """Invoices of counted workbooks only: superseded versions never count."""
    return data.invoices_df.filter(pl.col("geteld"))


def calendar_years(data: RunData) -> list[int]:
    years = counted_invoices(data).get_column("kalenderjaar").drop_nulls().unique().to_list()
    return sorted(int(y) for y in years)


def school_years(data: RunData) -> list[str]:
    """School years of counted hires and of counted invoices."""
    years = {h.get("schooljaar") for h in data.hires if h.get("schooljaar")}
    years |= set(counted_invoices(data).get_column("schooljaar").drop_nulls().to_list())
    return sorted(years)


def mr_keys(data: RunData) -> list[tuple[str, str]]:
    """(BRIN, school year) of every counted hire that names both."""
    return sorted({(h.get("brin"), h.get("schooljaar")) for h in data.hires if h.get("brin") and h.get("schooljaar")})


def school_names(data: RunData) -> dict[str, str]:
    """BRIN -> school name: from bestuur.xlsx, else as the school typed it (redacted)."""
    names = {}
    for h in data.hires:
        b, n = h.get("brin"), h.get("school_naam")
        if b and n and b not in names:
            names[b] = text(n)
    names.update({b: text(s.name) for b, s in data.board.schools.items() if s.name})
    return names


def _label(names: dict[str, str], brin: str | None) -> str:
    if not brin:
        return "BRIN onbekend"
    return f"{brin} {names.get(brin, '')}".strip()


def _hire_label(h: Hire) -> str:
    return h.hire_id or h.file


def _category_names() -> dict[str, str]:
    return reference.menukaart().categories


def _menukaart_label(raw: Any) -> str:
    hit = reference.menukaart().lookup(raw) if raw else None
    return reference.Menukaart.label(*hit) if hit else text(raw)


def _intervention(h: Hire) -> str:
    return _menukaart_label(h.get("interventie")) or NOT_FILLED


def _period(h: Hire) -> str:
    start, end = h.get("startdatum"), h.get("einddatum")
    if isinstance(start, date) and isinstance(end, date):
        return f"{dutch.format_date(start)} tot en met {dutch.format_date(end)}"
    if isinstance(start, date):
        return f"vanaf {dutch.format_date(start)} (geen einddatum ingevuld)"
    return NOT_FILLED


def _rule_order(rule: str) -> int:
    ids = list(findings.catalogue())
    return ids.index(rule) if rule in ids else len(ids)


def _severity_key(row: dict) -> tuple:
    return (SEVERITIES.index(row["severity"]), _rule_order(row["rule"]), row.get("sheet") or "", row.get("cell") or "")


def _findings_of(data: RunData, files: Iterable[str]) -> pl.DataFrame:
    return data.findings_df.filter(pl.col("file").is_in(list(files)))


def compliance(data: RunData, files: Iterable[str]) -> tuple[list[dict], dict[str, str], str]:
    """Findings per rule and severity for these files, the totals, and one sentence about them."""
    files = list(files)
    df = _findings_of(data, files)
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


def _common(data: RunData) -> dict[str, Any]:
    made = dutch.format_date(data.generated)
    version, refs = _versions()
    return {
        "bestuur": text(data.board.name) or "Schoolbestuur",
        "gemaakt_op": made,
        "regelset": version,
        "gemaakt_regel": f"Gemaakt op {made} met regelset {version}",
        "versies_tekst": refs,
    }


def _category_rows(inv: pl.DataFrame, hires_per_category: dict[str | None, int]) -> list[dict]:
    """Spending per menukaart category A–F (plus one row for spend that fits no category)."""
    names = _category_names()
    by_cat = money_by(inv, "categorie")
    rows = []
    for code in [*CATEGORIES, None]:
        m = by_cat.get(code, Money())
        if code is None and not m.n and not hires_per_category.get(None):
            continue
        name = f"{code} {names.get(code, '')}".strip() if code else "Niet in te delen (interventie niet op de menukaart)"
        rows.append({"categorie": name, "inhuren": dutch.format_number(hires_per_category.get(code, 0)),
                     "excl": euro(m.excl), "btw": euro(m.btw), "incl": euro(m.incl)})
    return rows


def _chart_spec(title: str, labels: list[str], values: list[Decimal]) -> dict | None:
    if not any(v > 0 for v in values):
        return None
    return {"titel": title, "labels": labels, "waarden": [str(v) for v in values]}


def _category_chart(inv: pl.DataFrame, title: str) -> dict | None:
    names = _category_names()
    by_cat = money_by(inv, "categorie")
    return _chart_spec(title, [f"{c} {names.get(c, '')}".strip() for c in CATEGORIES],
                       [by_cat.get(c, Money()).incl for c in CATEGORIES])


def _school_chart(names: dict[str, str], inv: pl.DataFrame, title: str) -> dict | None:
    """Spending per school; beyond MAX_CHART_SCHOOLS the smallest are one bar (the table has them all)."""
    pairs = sorted(((b, m.incl) for b, m in money_by(inv, "brin").items() if m.incl > 0), key=lambda p: (p[0] is None, p[0] or ""))
    if len(pairs) > MAX_CHART_SCHOOLS:
        top = sorted(pairs, key=lambda p: (-p[1], p[0] or ""))[: MAX_CHART_SCHOOLS - 1]
        rest = [p for p in pairs if p not in top]
        pairs = sorted(top, key=lambda p: (p[0] is None, p[0] or ""))
        labels = [_label(names, b) for b, _ in pairs] + [f"Overige {len(rest)} scholen"]
        values = [v for _, v in pairs] + [sum((v for _, v in rest), ZERO)]
        return _chart_spec(title, labels, values)
    return _chart_spec(title, [_label(names, b) for b, _ in pairs], [v for _, v in pairs])


def _hires_per_category(hires: list[Hire], files: set[str] | None = None) -> dict[str | None, int]:
    out: Counter = Counter()
    for h in hires:
        if files is None or h.file in files:
            out[aggregate.category(h.get("interventie"))] += 1
    return dict(out)


def _brins(data: RunData, *groups: Iterable[str | None]) -> list[str]:
    found = set(data.board.schools)
    for g in groups:
        found |= {b for b in g if b}
    return sorted(found)


def _supplier(h: Hire) -> str:
    return text(h.get("leverancier_naam")) or NOT_FILLED


def _amount_or_empty(v: Any) -> str:
    return euro(v) if isinstance(v, Decimal) else NOT_FILLED


# --------------------------------------------------------------------------- jaarverslag


def hires_in_year(data: RunData, year: int) -> list[Hire]:
    """Counted hires that ran in `year` (period overlaps it) or have a counted invoice dated in it."""
    invoiced = set(counted_invoices(data).filter(pl.col("kalenderjaar") == year).get_column("file").to_list())
    first, last = date(year, 1, 1), date(year, 12, 31)
    out = []
    for h in data.hires:
        start, end = h.get("startdatum"), h.get("einddatum")
        running = isinstance(start, date) and start <= last and (end if isinstance(end, date) else start) >= first
        if h.file in invoiced or running:
            out.append(h)
    return sorted(out, key=lambda h: (_hire_label(h), h.file))


def _consent_text(dates: list[Any]) -> str:
    given = sorted({d for d in dates if isinstance(d, date)})
    missing = sum(1 for d in dates if not isinstance(d, date))
    if not dates:
        return DASH
    if missing == len(dates):
        return "Niet vastgelegd"
    shown = "; ".join(dutch.format_date(d) for d in given[:3]) + ("; …" if len(given) > 3 else "")
    if missing:
        return f"Ontbreekt bij {dutch.format_number(missing)} van {count(len(dates), 'inhuur', 'inhuren')} (wel: {shown})"
    return f"Ja: {shown}"


def _results(hires: list[Hire]) -> list[dict]:
    out = []
    for h in hires:
        rows = [r for r in h.tables.get("tblResultaten", []) if r.get("Resultaat")]
        done = [r.get("Behaald") for r in rows]
        if not (isinstance(h.get("evaluatiedatum"), date) or h.get("evaluatie_samenvatting") or any(done)):
            continue
        achieved = f"{done.count('Ja')} van {len(rows)}" + (f", {done.count('Deels')} deels" if done.count("Deels") else "")
        out.append({"inhuur": _hire_label(h), "interventie": _intervention(h), "behaald": achieved if rows else DASH,
                    "evaluatie": day(h.get("evaluatiedatum"), "geen datum"),
                    "samenvatting": text(h.get("evaluatie_samenvatting")) or DASH})
    return out


def _above_threshold(data: RunData, hires: list[Hire]) -> list[dict]:
    rows = []
    social = data.board.settings.social_services_regime
    for h in hires:
        t = threshold(h, social)
        value = procurement_value(h)
        if t is None or value < t[0]:
            continue
        procedure = h.get("procedure")
        rows.append({"inhuur": _hire_label(h), "leverancier": _supplier(h), "waarde": euro(value), "drempel": euro(t[0]),
                     "procedure": text(procedure) or NOT_FILLED,
                     "oordeel": "Europees aanbesteed" if procedure == "Europees" else "Niet Europees aanbesteed: fout (A1)"})
    return rows


def _appendix(data: RunData, inv: pl.DataFrame, year: int) -> list[dict]:
    """Bijlage A: every input file with what it adds to the year's total (counted files only)."""
    per_file = money_by(inv, "file")
    counted_files = {h.file for h in data.hires}
    rows = []
    for fr in sorted(data.files, key=lambda f: f.file):
        m = per_file.get(fr.file, Money())
        if fr.file in counted_files:
            reason = f"{count(m.n, 'factuur', 'facturen')} in {year}" if m.n else f"geen facturen in {year}"
            amounts = (euro(m.excl), euro(m.incl))
        else:
            reason, amounts = text(fr.reason), (DASH, DASH)
        rows.append({"file": text(fr.file), "sha256": fr.sha256 or DASH, "status": STATUS_LABELS.get(fr.status, fr.status),
                     "reden": reason, "excl": amounts[0], "incl": amounts[1]})
    return rows


def jaarverslag_context(data: RunData, year: int) -> dict[str, Any]:
    """Everything the jaarverslag of one calendar year shows, as Dutch strings and lists of dicts."""
    names = school_names(data)
    inv_all = counted_invoices(data)
    inv = inv_all.filter(pl.col("kalenderjaar") == year)
    hires = hires_in_year(data, year)
    files = [h.file for h in hires]
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    alloc = {b: _dec(v) for b, v in aggregate.calendar_allocation(data.allocations_df, year).select("brin", "toekenning").iter_rows()}
    alloc_total = sum(alloc.values(), ZERO)
    brins: list[str | None] = list(_brins(data, inv.get_column("brin").to_list(), alloc, (h.get("brin") for h in hires)))
    if inv.get_column("brin").null_count():
        brins.append(None)

    board = money(inv)
    per_school = money_by(inv, "brin")
    per_school_cat = money_by(inv, "brin", "categorie")
    per_cat = money_by(inv, "categorie")
    pnil = money_by(inv.filter(pl.col("pnil") == "Ja"), "brin")
    pnil_total = sum((m.incl for m in pnil.values()), ZERO)

    matrix, costs, npo = [], [], []
    for b in brins:
        label, m = _label(names, b), per_school.get(b, Money())
        matrix.append({"school": label, **{c: euro_or_dash(per_school_cat.get((b, c), Money()).incl) for c in CATEGORIES},
                       "totaal": euro_or_dash(m.incl)})
        costs.append({"school": label, "facturen": dutch.format_number(m.n), "excl": euro(m.excl), "btw": euro(m.btw), "incl": euro(m.incl)})
        a, p = alloc.get(b) if b else None, pnil.get(b, Money()).incl
        npo.append({"school": label, "toekenning": euro(a) if a is not None else DASH, "extern": euro(m.incl),
                    "aandeel_extern": share(m.incl, a), "pnil": euro(p), "aandeel_pnil": share(p, a)})
    zonder = [f"{_label(names, b)}: {euro(m.incl)}" for (b, c), m in sorted(per_school_cat.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or ""))
              if c is None]

    consent = []
    by_brin: dict[str | None, list[Hire]] = defaultdict(list)
    for h in hires:
        by_brin[h.get("brin")].append(h)
    for b in sorted(by_brin, key=lambda x: (x is None, x or "")):
        group = by_brin[b]
        asked = sum(1 for h in group if isinstance(h.get("mr_advies_gevraagd"), date))
        consent.append({"school": _label(names, b), "inhuren": dutch.format_number(len(group)),
                        "instemming": _consent_text([h.get("mr_instemming_schoolprogramma") for h in group]),
                        "advies": f"Bij {dutch.format_number(asked)} van {count(len(group), 'inhuur', 'inhuren')}"})

    per_file = money_by(inv, "file")
    above = [h for h in hires if h.get("niveau") == "Bovenschools"]
    bovenschools = [{"inhuur": _hire_label(h), "leverancier": _supplier(h), "gmr": day(h.get("gmr_instemming"), "ontbreekt"),
                     "mr_akkoord": day(h.get("mr_akkoord_bovenschools"), "ontbreekt"),
                     "bedrag": euro(per_file.get(h.file, Money()).incl)} for h in above]

    def grouped(key) -> list[tuple[str, list[Hire]]]:
        out: dict[str, list[Hire]] = defaultdict(list)
        for h in hires:
            out[key(h)].append(h)
        return sorted(out.items())

    def spent(group: list[Hire]) -> str:
        return euro(sum((per_file.get(h.file, Money()).incl for h in group), ZERO))

    interventies = [{"interventie": k, "inhuren": dutch.format_number(len(v)), "scholen": dutch.format_number(len({h.get("brin") for h in v})),
                     "bedrag": spent(v)} for k, v in grouped(_intervention)]
    soorten = [{"soort": k, "inhuren": dutch.format_number(len(v)), "bedrag": spent(v)}
               for k, v in grouped(lambda h: text(h.get("soort_inhuur")) or NOT_FILLED)]

    results = _results(hires)
    missing_eval = len(hires) - len(results)
    if not hires:
        zonder_evaluatie = f"In {year} liep geen inhuur."
    elif missing_eval:
        zonder_evaluatie = (f"Bij {dutch.format_number(missing_eval)} van de {count(len(hires), 'inhuur', 'inhuren')} van {year} "
                            "is nog geen evaluatie of behaald resultaat vastgelegd.")
    else:
        zonder_evaluatie = f"Van alle {count(len(hires), 'inhuur', 'inhuren')} van {year} is een evaluatie of behaald resultaat vastgelegd."

    naleving, naleving_totaal, naleving_tekst = compliance(data, files)
    eu = _above_threshold(data, hires)
    a2 = _findings_of(data, files).filter(pl.col("rule") == "A2").sort(["hire_id", "file"])
    opgeknipt = [{"inhuur": r["hire_id"] or r["file"], "melding": text(r["message"])} for r in a2.iter_rows(named=True)]
    drempels = [{"periode": f"{dutch.format_date(p.start)} tot en met {dutch.format_date(p.end)}", "diensten": euro(p.services),
                 "sociaal": euro(p.social_services), "bron": p.source} for p in reference.thresholds()]

    statuses = Counter(f.status for f in data.files)
    undated = inv_all.filter(pl.col("kalenderjaar").is_null())
    zonder_datum = ""
    if not undated.is_empty():
        undated_files = ", ".join(sorted({text(f) for f in undated.get_column("file").to_list()}))
        zonder_datum = (f"Let op: {count(undated.height, 'factuur heeft', 'facturen hebben')} geen leesbare factuurdatum en "
                        f"{'telt' if undated.height == 1 else 'tellen'} daardoor in geen enkel jaar mee (bestanden: {undated_files}).")
    toekenningen = [
        {"school": _label(names, r["brin"]), "schooljaar": r["schooljaar"], "toekenning": euro(r["toekenning"]),
         "deel": "7/12" if r["schooljaar"] == ending else "5/12", "grondslag": text(r["grondslag"])}
        for r in data.allocations_df.filter(pl.col("schooljaar").is_in([ending, starting])).sort(["brin", "schooljaar"]).iter_rows(named=True)
    ]
    cat_names = _category_names()
    total = {"excl": euro(board.excl), "btw": euro(board.btw), "incl": euro(board.incl), "facturen": dutch.format_number(board.n)}
    return {
        **_common(data),
        "jaar": str(year),
        "periode": f"1 januari {year} tot en met 31 december {year}",
        "schooljaar_eind": ending,
        "schooljaar_start": starting,
        "totaal": total,
        "aantal_facturen": count(board.n, "factuur", "facturen"),
        "aantal_inhuren_gefactureerd": count(len(per_file), "inhuur", "inhuren"),
        "aantal_scholen_gefactureerd": count(len([b for b in per_school if b]), "school", "scholen"),
        "aantal_inhuren": count(len(hires), "inhuur", "inhuren"),
        "aantal_bovenschools": dutch.format_number(len(above)),
        "aantal_eu": dutch.format_number(len(eu)) if eu else "geen",
        "toekenning_totaal": euro(alloc_total),
        "aandeel_extern": share(board.incl, alloc_total),
        "pnil": {"bedrag": euro(pnil_total), "aandeel": share(pnil_total, alloc_total)},
        "scholen_categorie": matrix,
        "totaal_categorie": {**{c: euro_or_dash(per_cat.get(c, Money()).incl) for c in CATEGORIES}, "totaal": euro(board.incl)},
        "zonder_categorie": bool(zonder),
        "zonder_categorie_tekst": "; ".join(zonder),
        "categorie_legenda": "; ".join(f"{c} = {cat_names.get(c, '')}" for c in CATEGORIES),
        "scholen_kosten": costs,
        "categorieen": _category_rows(inv, _hires_per_category(hires, set(per_file))),
        "npo": npo,
        "medezeggenschap": consent,
        "bovenschools": bovenschools,
        "interventies": interventies,
        "soorten": soorten,
        "resultaten": results,
        "zonder_evaluatie": zonder_evaluatie,
        "naleving": naleving,
        "naleving_totaal": naleving_totaal,
        "naleving_tekst": naleving_tekst,
        "eu": eu,
        "opgeknipt": opgeknipt,
        "aannames": config.assumptions(data.board),
        "drempels": drempels,
        "bestanden": _appendix(data, inv, year),
        "bestanden_tekst": (f"{count(len(data.files), 'bestand', 'bestanden')} in de invoermap: "
                            + ", ".join(f"{dutch.format_number(statuses[s])} {s}" for s in STATUS_LABELS) + "."),
        "bestanden_totaal": {"aantal": count(len(data.files), "bestand", "bestanden"), "excl": total["excl"], "incl": total["incl"]},
        "zonder_datum": zonder_datum,
        "toekenningen": toekenningen,
        "grafieken": {k: v for k, v in {
            "chart_categories": _category_chart(inv, f"Uitgaven {year} per menukaartcategorie (incl. btw)"),
            "chart_schools": _school_chart(names, inv, f"Uitgaven {year} per school (incl. btw)"),
        }.items() if v},
    }


# --------------------------------------------------------------------------- MR


def _sentence(s: str) -> str:
    return s if s.endswith((".", "!", "?")) else s + "."


def _what(h: Hire) -> str:
    """' voor instructie in kleine groepen (menukaart B: effectievere inzet van onderwijs)', in words."""
    raw = h.get("interventie")
    hit = reference.menukaart().lookup(raw) if raw else None
    if hit:
        code, item = hit
        return f" voor {item[0].lower() + item[1:]} (menukaart {code}: {_category_names().get(code, '').lower()})"
    return f" voor '{text(raw)}'" if raw else ""


@lru_cache(maxsize=1)
def _questions() -> tuple[tuple[int, str], ...]:
    from pipeline import spec

    return tuple((q.nr, q.text) for q in spec.load().questions)


def _answers(h: Hire) -> list[dict]:
    by_nr = {}
    for i, r in enumerate(h.tables.get("tblVragenlijst", []), start=1):
        nr = r.get("Nr")
        by_nr[int(nr) if isinstance(nr, (int, float, Decimal)) and not isinstance(nr, bool) else i] = r
    out = []
    for nr, question in _questions():
        r = by_nr.get(nr)
        explanation, evidence = (text(r.get("Toelichting")), text(r.get("Bewijs"))) if r else ("", "")
        if evidence:
            explanation = f"{explanation} Bewijs: {evidence}".strip()
        answer = text(r.get("Antwoord")) if r else ""
        out.append({"nr": str(nr), "vraag": question, "antwoord": answer or "niet beantwoord", "toelichting": explanation or DASH})
    return out


def _mr_hire(h: Hire, school: str, m: Money, found: list[dict]) -> dict[str, Any]:
    """One hire for the MR: a plain summary, the key facts, consent, questionnaire, results and findings."""
    supplier = text(h.get("leverancier_naam")) or "een externe partij"
    kind = text(h.get("soort_inhuur"))
    contract = h.get("contractwaarde") if isinstance(h.get("contractwaarde"), Decimal) else None
    asked = h.get("mr_advies_gevraagd")
    nr = h.get("volgnummer")

    summary = [f"{school} huurt {supplier} in{_what(h)}."]
    if isinstance(h.get("startdatum"), date):
        summary.append(f"De opdracht loopt {'van ' if isinstance(h.get('einddatum'), date) else ''}{_period(h)}.")
    summary.append(f"De contractwaarde is {euro(contract)} exclusief btw; tot nu toe is {euro(m.excl)} gefactureerd ({euro(m.incl)} inclusief btw)."
                   if contract is not None else
                   f"Er is geen contractwaarde ingevuld; tot nu toe is {euro(m.excl)} gefactureerd ({euro(m.incl)} inclusief btw).")
    summary.append(f"De MR is op {dutch.format_date(asked)} om advies gevraagd." if isinstance(asked, date)
                   else "Volgens het werkboek is de MR niet om advies gevraagd.")

    quotes = [r for r in h.tables.get("tblOffertes", []) if r.get("Aanbieder") or r.get("Bedrag excl. BTW")]
    quote_text = "; ".join(f"{text(r.get('Aanbieder')) or 'onbekend'} ({_amount_or_empty(r.get('Bedrag excl. BTW'))})"
                           + (", gekozen" if r.get("Gekozen") == "Ja" else "") for r in quotes)
    staff = [r for r in h.tables.get("tblMedewerkers", []) if r.get("Medewerker") or r.get("VOG-datum")]
    with_vog = sum(1 for r in staff if isinstance(r.get("VOG-datum"), date))
    party = supplier + (f", KvK {text(h.get('leverancier_kvk'))}" if h.get("leverancier_kvk") else "")
    party += f" ({text(h.get('leverancier_type')).lower()})" if h.get("leverancier_type") else ""
    facts = [
        ("Wat", kind or NOT_FILLED),
        ("Interventie (menukaart)", _intervention(h) + (f"; randvoorwaarde {_menukaart_label(h.get('interventie_f'))}" if h.get("interventie_f") else "")),
        ("Externe partij", party),
        ("Waarom: behoefte uit de schoolscan", text(h.get("behoefte")) or NOT_FILLED),
        ("Eigen capaciteit overwogen", text(h.get("eigen_capaciteit")) or NOT_FILLED),
        ("Betrokkenheid leraren", text(h.get("leraren_betrokken")) or NOT_FILLED),
        ("Waarom deze partij", text(h.get("keuze_toelichting")) or NOT_FILLED),
        ("Periode", _period(h)),
        ("Niveau", text(h.get("niveau")) or NOT_FILLED),
        ("Contractwaarde (excl. btw)", _amount_or_empty(contract)),
        ("Gefactureerd", f"{euro(m.excl)} excl. btw + {euro(m.btw)} btw = {euro(m.incl)} incl. btw ({count(m.n, 'factuur', 'facturen')})"),
        ("Uurtarief (excl. btw)", _amount_or_empty(h.get("uurtarief"))),
        ("Inkoopprocedure", text(h.get("procedure")) or NOT_FILLED),
        ("Offertes", f"{count(len(quotes), 'offerte', 'offertes')}: {quote_text}" if quotes else "geen offertes ingevuld"),
        ("Personeel niet in loondienst (PNIL)", text(h.get("pnil")) or NOT_FILLED),
        ("Contact met leerlingen", (text(h.get("contact_leerlingen")) or NOT_FILLED)
         + (f"; {count(len(staff), 'medewerker', 'medewerkers')}, VOG-datum bekend van {dutch.format_number(with_vog)}" if staff else "")),
        ("Ouders geïnformeerd", day(h.get("ouders_geinformeerd"), "niet vastgelegd")),
    ]
    consent = [
        ("Instemming MR met het schoolprogramma", day(h.get("mr_instemming_schoolprogramma"), "niet vastgelegd in het werkboek")),
        ("MR-advies gevraagd", day(asked, "nee, niet vastgelegd in het werkboek")),
        ("MR-advies ontvangen", day(h.get("mr_advies_ontvangen"), "niet vastgelegd")),
        ("Uitkomst MR-advies", text(h.get("mr_advies_uitkomst")) or "niet vastgelegd"),
        ("Contract getekend", day(h.get("contract_getekend"), "niet vastgelegd")),
    ]
    if h.get("niveau") == "Bovenschools":
        consent += [("Instemming GMR (bovenschools)", day(h.get("gmr_instemming"), "niet vastgelegd")),
                    ("Akkoord MR met het bovenschoolse deel", day(h.get("mr_akkoord_bovenschools"), "niet vastgelegd"))]

    results = [{"resultaat": text(r.get("Resultaat")), "soort": text(r.get("Soort")) or DASH, "deadline": day(r.get("Deadline"), DASH),
                "indicator": text(r.get("Indicator")) or DASH, "behaald": text(r.get("Behaald")) or "nog niet bekend"}
               for r in h.tables.get("tblResultaten", []) if r.get("Resultaat")]
    if isinstance(h.get("evaluatiedatum"), date) or h.get("evaluatie_samenvatting"):
        evaluation = (f"Evaluatie: {day(h.get('evaluatiedatum'), 'datum niet ingevuld')}. "
                      f"Belangrijkste uitkomsten: {_sentence(text(h.get('evaluatie_samenvatting')) or NOT_FILLED)} "
                      f"Kennisoverdracht: {_sentence(text(h.get('kennisoverdracht')) or NOT_FILLED)}")
    else:
        evaluation = "De inhuur is nog niet geëvalueerd."

    cat = findings.catalogue()
    found = sorted(found, key=_severity_key)
    return {
        "titel": f"Inhuur {nr}: {supplier}" if nr is not None else f"Inhuur {supplier}",
        "inhuur": _hire_label(h),
        "samenvatting": " ".join(summary),
        "gegevens": [{"label": k, "waarde": v} for k, v in facts],
        "medezeggenschap": [{"label": k, "waarde": v} for k, v in consent],
        "vragen": _answers(h),
        "resultaten": results,
        "evaluatie": evaluation,
        "bevindingen": [{"ernst": r["severity"], "regel": f"{r['rule']} {cat[r['rule']].title}" if r["rule"] in cat else r["rule"],
                         "melding": text(r["message"])} for r in found],
        "overzicht": {"inhuur": _hire_label(h), "leverancier": supplier, "interventie": _intervention(h),
                      "contractwaarde": _amount_or_empty(contract), "gefactureerd": euro(m.incl),
                      "advies": dutch.format_date_short(asked) if isinstance(asked, date) else "nee"},
    }


@dataclass(frozen=True)
class MrIndex:
    """What every MR document looks up, grouped once per run so each document costs its own hires only."""

    hires: dict[tuple[str, str], list[Hire]]
    findings: dict[str, list[dict]]
    money: dict[str, Money]

    @classmethod
    def of(cls, data: RunData) -> "MrIndex":
        hires: dict[tuple[str, str], list[Hire]] = defaultdict(list)
        for h in data.hires:
            hires[(h.get("brin"), h.get("schooljaar"))].append(h)
        found: dict[str, list[dict]] = defaultdict(list)
        for r in data.findings_df.iter_rows(named=True):
            found[r["file"]].append(r)
        return cls(dict(hires), dict(found), money_by(counted_invoices(data), "file"))


def mr_context(data: RunData, brin: str, schooljaar: str, index: MrIndex | None = None) -> dict[str, Any]:
    """The MR document of one school and school year: each counted hire in plain Dutch."""
    index = index or MrIndex.of(data)
    hires = sorted(index.hires.get((brin, schooljaar), []),
                   key=lambda h: (h.get("volgnummer") if isinstance(h.get("volgnummer"), int) else 10**9, h.file))
    files = [h.file for h in hires]
    known = data.board.schools.get(brin)
    school = text(known.name) if known and known.name else next((text(h.get("school_naam")) for h in hires if h.get("school_naam")), brin)
    per_file = {f: index.money[f] for f in files if f in index.money}
    found: dict[str, list[dict]] = {f: index.findings.get(f, []) for f in files}
    items = [_mr_hire(h, school, per_file.get(h.file, Money()), found[h.file]) for h in hires]
    errors = sum(1 for f in files for r in found[f] if r["severity"] == "fout")
    warnings = sum(1 for f in files for r in found[f] if r["severity"] == "waarschuwing")
    total_contract = sum((h.get("contractwaarde") for h in hires if isinstance(h.get("contractwaarde"), Decimal)), ZERO)
    total_incl = sum((m.incl for m in per_file.values()), ZERO)
    start, end = dutch.school_year_bounds(schooljaar)
    summary = (f"In schooljaar {schooljaar} heeft {school} {count(len(items), 'inhuur', 'inhuren')} geregistreerd, met een "
               f"contractwaarde van samen {euro(total_contract)} exclusief btw; tot nu toe is daarvan {euro(total_incl)} "
               f"inclusief btw gefactureerd. Het bestuur vond bij deze inhuur {count(errors, 'fout', 'fouten')} en "
               f"{count(warnings, 'waarschuwing', 'waarschuwingen')}.")
    return {
        **_common(data),
        "brin": brin,
        "school": school,
        "schooljaar": schooljaar,
        "periode": f"{schooljaar} ({dutch.format_date(start)} tot en met {dutch.format_date(end)})",
        "samenvatting": summary,
        "overzicht": [i.pop("overzicht") for i in items],
        "totaal_contract": euro(total_contract),
        "totaal_gefactureerd": euro(total_incl),
        "inhuren": items,
        "grafieken": {},
    }


# --------------------------------------------------------------------------- GMR


def gmr_context(data: RunData, schooljaar: str) -> dict[str, Any]:
    """The GMR overview of one school year: spending per school and category, bovenschools hires, compliance."""
    names = school_names(data)
    hires = sorted((h for h in data.hires if h.get("schooljaar") == schooljaar), key=lambda h: (_hire_label(h), h.file))
    inv = counted_invoices(data).filter(pl.col("schooljaar") == schooljaar)
    alloc = {b: _dec(v) for b, v in data.allocations_df.filter(pl.col("schooljaar") == schooljaar).select("brin", "toekenning").iter_rows()}
    alloc_total = sum(alloc.values(), ZERO)
    brins: list[str | None] = list(_brins(data, inv.get_column("brin").to_list(), alloc, (h.get("brin") for h in hires)))
    if inv.get_column("brin").null_count():
        brins.append(None)
    per_school = money_by(inv, "brin")
    board = money(inv)
    severity: dict[str, Counter] = defaultdict(Counter)
    for f, s in _findings_of(data, [h.file for h in hires]).select("file", "severity").iter_rows():
        severity[f][s] += 1
    rows = []
    for b in brins:
        mine = [h for h in hires if h.get("brin") == b]
        spent = per_school.get(b, Money()).incl
        consent = sum(1 for h in mine if isinstance(h.get("mr_instemming_schoolprogramma"), date))
        a = alloc.get(b) if b else None
        rows.append({
            "school": _label(names, b), "inhuren": dutch.format_number(len(mine)),
            "toekenning": euro(a) if a is not None else DASH, "besteed": euro(spent), "aandeel": share(spent, a),
            "fouten": dutch.format_number(sum(severity[h.file]["fout"] for h in mine)),
            "waarschuwingen": dutch.format_number(sum(severity[h.file]["waarschuwing"] for h in mine)),
            "mr": f"{consent}/{len(mine)}" if mine else DASH,
        })
    start, end = dutch.school_year_bounds(schooljaar)
    naleving, naleving_totaal, sentence = compliance(data, [h.file for h in hires])
    above = [h for h in hires if h.get("niveau") == "Bovenschools"]
    return {
        **_common(data),
        "schooljaar": schooljaar,
        "periode": f"{schooljaar} ({dutch.format_date(start)} tot en met {dutch.format_date(end)})",
        "aantal_inhuren": count(len(hires), "inhuur", "inhuren"),
        "aantal_inhuren_getal": dutch.format_number(len(hires)),
        "aantal_bovenschools": dutch.format_number(len(above)),
        "totaal": {"excl": euro(board.excl), "btw": euro(board.btw), "incl": euro(board.incl)},
        "toekenning_totaal": euro(alloc_total),
        "aandeel_extern": share(board.incl, alloc_total),
        "scholen": rows,
        "categorieen": _category_rows(inv, _hires_per_category(hires)),
        "bovenschools": [{"inhuur": _hire_label(h), "leverancier": _supplier(h), "interventie": _intervention(h),
                          "waarde": _amount_or_empty(h.get("contractwaarde")),
                          "gmr": day(h.get("gmr_instemming"), "ontbreekt"), "mr_akkoord": day(h.get("mr_akkoord_bovenschools"), "ontbreekt")}
                         for h in above],
        "inhuren": [{"inhuur": _hire_label(h), "leverancier": _supplier(h), "interventie": _intervention(h),
                     "niveau": text(h.get("niveau")) or NOT_FILLED, "waarde": _amount_or_empty(h.get("contractwaarde")),
                     "advies": day(h.get("mr_advies_gevraagd"), "niet gevraagd")} for h in hires],
        "naleving": naleving,
        "naleving_totaal": naleving_totaal,
        "naleving_tekst": (f"Bevindingen bij de inhuur van dit schooljaar: {sentence}." if naleving
                           else "Bij de inhuur van dit schooljaar zijn geen bevindingen gedaan."),
        "grafieken": {k: v for k, v in {
            "chart_categories": _category_chart(inv, f"Uitgaven {schooljaar} per menukaartcategorie (incl. btw)"),
            "chart_schools": _school_chart(names, inv, f"Uitgaven {schooljaar} per school (incl. btw)"),
        }.items() if v},
    }


# --------------------------------------------------------------------------- charts and rendering


def make_chart(spec: dict, path: Path) -> Path:
    """A horizontal bar chart as PNG, byte-for-byte the same for the same data (no dates, fixed hash salt)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # Agg, without switching pyplot's global backend
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [textwrap.shorten(label, 48, placeholder="…") for label in spec["labels"]]
    values = [float(Decimal(v)) for v in spec["waarden"]]
    with matplotlib.rc_context({"svg.hashsalt": "npo-inhuur", "font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=(6.3, 0.9 + 0.32 * len(labels)), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ys = list(range(len(labels)))
        ax.barh(ys, values, color="#1F4E79", height=0.6)
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        top = max(values) if values else 1.0
        ax.set_xlim(0, top * 1.28 if top > 0 else 1)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "€\u00a0" + dutch.format_number(Decimal(str(x)))))
        for y, v, raw in zip(ys, values, spec["waarden"]):
            if v > 0:
                ax.text(v + top * 0.01, y, dutch.format_euro(Decimal(raw)), va="center", fontsize=7)
        fig.suptitle(spec["titel"], x=0.01, ha="left", fontsize=9, fontweight="bold", color="#1F4E79")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.tight_layout()
        fig.savefig(path, format="png", metadata={"Software": None})
    return path


@dataclass(frozen=True)
class Job:
    """One document to render: picklable, so it can go to a worker process."""

    template: Path
    context: dict
    charts: dict[str, dict]  # placeholder name -> chart spec (see make_chart), drawn by the worker
    out: Path
    title: str
    author: str
    generated: datetime


# Strings docxtpl's resolve_listing turns into Word markup (tab, bell, newline, form feed) inside <w:t>.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


@lru_cache(maxsize=1)
def _jinja_env():
    """A jinja environment per process whose compiled templates are kept: every document of one kind
    has the same template XML, so it is compiled once instead of once per document."""
    from jinja2 import Environment

    compiled: dict[str, Any] = {}

    class Cached(Environment):
        def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - jinja's name
            if globals or template_class:
                return super().from_string(source, globals, template_class)
            if source not in compiled:
                compiled[source] = super().from_string(source)
            return compiled[source]

    return Cached(autoescape=True)


@lru_cache(maxsize=1)
def _template_class():
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        """docxtpl with the per-template work done once per process; the output is the same."""

        _patched: dict[str, str] = {}

        def patch_xml(self, src_xml):
            hit = self._patched.get(src_xml)
            if hit is None:
                hit = self._patched[src_xml] = super().patch_xml(src_xml)
            return hit

        def resolve_listing(self, xml):
            # resolve_listing only rewrites <w:t> text holding \t \a \n \f; without any, it is the identity
            return super().resolve_listing(xml) if _LISTING.search(xml) else xml

        # A large rendered body (a board-wide document of a large board: 20 MB of XML for 10.000
        # workbooks) is not parsed into an lxml tree, which would take ten times its size in memory:
        # the body stays text, a placeholder goes into the document, and the text replaces the
        # placeholder in the saved package. fix_tables is the identity for our templates (no
        # column loops); the drawing ids it would renumber in the tree are renumbered in the text.
        lean_body: str | None = None

        def fix_tables(self, xml):
            if len(xml) < LEAN_BODY_CHARS:
                return super().fix_tables(xml)
            self.lean_body = xml
            from lxml import etree

            return etree.fromstring(f'<w:body xmlns:w="{W_NS}"><!--{BODY_MARK}--></w:body>')

        def fix_docpr_ids(self, tree):
            if self.lean_body is None:
                return super().fix_docpr_ids(tree)

            def renumber(m: re.Match) -> str:
                self.docx_ids_index += 1
                return f'{m.group(1)}{self.docx_ids_index}"'

            self.lean_body = _DOCPR_ID.sub(renumber, self.lean_body)

        def save(self, filename, *args, **kwargs):
            super().save(filename, *args, **kwargs)
            if self.lean_body is not None:
                _splice_body(Path(filename), self.lean_body)

    return Template


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_MARK = "npo-inhuur-body"
LEAN_BODY_CHARS = 1_000_000
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")\d+"')


def _splice_body(path: Path, body: str) -> None:
    """Put the rendered body text in place of the placeholder body in the saved package."""
    import zipfile

    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                placeholder = re.search(rb"<w:body>\s*<!--" + BODY_MARK.encode() + rb"-->\s*</w:body>", data)
                if placeholder is None:
                    raise ValueError("placeholder body not found in word/document.xml")
                data = data[: placeholder.start()] + body.encode("utf-8") + data[placeholder.end():]
            zout.writestr(item, data)
    os.replace(tmp, path)


def render(job: Job) -> Path:
    """Render one document from its template and plain context, drawing its charts first."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    tpl = _template_class()(str(job.template))
    ctx = dict(job.context)
    with tempfile.TemporaryDirectory(prefix="npo-grafieken-") as tmp:
        for name, spec in sorted(job.charts.items()):
            png = make_chart(spec, Path(tmp) / f"{job.out.stem}-{name}.png")
            ctx[name] = InlineImage(tpl, str(png), width=Mm(160))
        tpl.render(ctx, jinja_env=_jinja_env(), autoescape=True)
    props = tpl.docx.core_properties
    props.title, props.author, props.last_modified_by = job.title, job.author, job.author
    props.comments, props.revision = "", 1
    props.created = props.modified = job.generated.replace(microsecond=0)
    job.out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(job.out))
    global _RENDERED
    _RENDERED += 1
    if _RENDERED % TRIM_EVERY == 0:
        trim_heap()
    return job.out


_RENDERED = 0
# Rendering leaves the glibc heap fragmented (measured: ~0,15 MB a document that is never reused);
# handing free pages back every ten documents keeps a worker's memory flat over thousands of documents.
TRIM_EVERY = 10
RECYCLE_AFTER = 200  # documents per worker before its pool is replaced by a fresh one


def trim_heap() -> None:
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _safe(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "_", name)


def iter_jobs(data: RunData, outputs: Path, templates: Path = TEMPLATES) -> Iterator[Job]:
    """Every document of the run, its context built when it is asked for (a board of 10.000 workbooks has
    thousands of MR documents: their contexts are never all in memory at once). The board-wide
    documents come first: they take longest."""
    yield from _board_jobs(data, outputs, templates)
    yield from _mr_jobs(data, outputs, templates)


def _job(data: RunData, kind: str, ctx: dict, path: Path, title: str, templates: Path) -> Job:
    author = text(data.board.name) or "Schoolbestuur"
    return Job(templates / f"{kind}.docx", ctx, dict(ctx.get("grafieken", {})), path, title, author, data.generated)


def _board_jobs(data: RunData, outputs: Path, templates: Path) -> Iterator[Job]:
    for year in calendar_years(data):
        yield _job(data, "jaarverslag", jaarverslag_context(data, year), outputs / f"jaarverslag-{year}.docx",
                   f"Jaarverslag {year}: externe inhuur NPO", templates)
    for sj in school_years(data):
        yield _job(data, "gmr", gmr_context(data, sj), outputs / f"gmr-{_safe(sj)}.docx",
                   f"GMR-overzicht externe inhuur {sj}", templates)


def _mr_jobs(data: RunData, outputs: Path, templates: Path) -> Iterator[Job]:
    index = MrIndex.of(data)
    for brin, sj in mr_keys(data):
        yield _job(data, "mr", mr_context(data, brin, sj, index), outputs / "mr" / f"{_safe(brin)}-{_safe(sj)}.docx",
                   f"MR-overzicht externe inhuur {brin} {sj}", templates)


def jobs(data: RunData, outputs: Path, templates: Path = TEMPLATES) -> list[Job]:
    return list(iter_jobs(data, outputs, templates))


def release_memory() -> None:
    """Give freed heap back to the system (glibc keeps it otherwise): a worker that rendered a
    board-wide document of a large board would hold hundreds of MB for the rest of the run, and the
    main process holds the buffers of everything the read workers sent."""
    import gc

    gc.collect()
    trim_heap()


def _render_heavy(job: Job) -> Path:
    """A board-wide document: its tables grow with the board (a row per school or per input file)."""
    try:
        return render(job)
    finally:
        release_memory()


def render_all(data: RunData, outputs: Path, workers: int = 1, *, templates: Path = TEMPLATES) -> list[Path]:
    """Write outputs/jaarverslag-<jaar>.docx, outputs/gmr-<schooljaar>.docx and outputs/mr/<BRIN>-<schooljaar>.docx.

    With several workers the main process builds the contexts while the workers render; only a few
    contexts wait at a time, and only one board-wide document is rendered at a time (each needs memory
    in proportion to the board), while the other workers render MR documents."""
    outputs.mkdir(parents=True, exist_ok=True)
    if workers <= 1:
        return ([_render_heavy(j) for j in _board_jobs(data, outputs, templates)]
                + [render(j) for j in _mr_jobs(data, outputs, templates)])
    from pipeline.pools import render_pool

    done: list[Path] = []
    heavy: Iterator[Job] | None = _board_jobs(data, outputs, templates)  # each context built when its turn comes
    mr = _mr_jobs(data, outputs, templates)
    more = True
    while more:  # a fresh pool every RECYCLE_AFTER documents: a long-lived worker's heap only grows
        with render_pool(workers) as ex:
            running = None  # the board-wide document being rendered

            def pump(wait: bool = False, start: bool = True) -> None:
                nonlocal running, heavy
                if running is not None and (wait or running.done()):
                    done.append(running.result())
                    running = None
                if start and running is None and heavy is not None:
                    job = next(heavy, None)
                    if job is None:
                        heavy = None
                    else:
                        running = ex.submit(_render_heavy, job)

            pump()
            pending: deque = deque()
            more = False
            for submitted, job in enumerate(mr, start=1):
                pending.append(ex.submit(render, job))
                pump()
                while len(pending) > workers * 4:
                    done.append(pending.popleft().result())
                    pump()
                if submitted >= RECYCLE_AFTER * workers:
                    more = True
                    break
            if not more:
                while running is not None or heavy is not None:
                    pump(wait=True)
            elif running is not None:
                pump(wait=True, start=False)  # the next one starts in the next pool
            done.extend(f.result() for f in pending)
    return done

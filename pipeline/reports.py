"""Render the jaarverslag, the MR and the GMR documents (docxtpl) from the run's frames, with charts."""
from __future__ import annotations

import multiprocessing as mp
import re
import tempfile
import textwrap
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import polars as pl

from pipeline import aggregate, config, dutch, findings, reference
from pipeline.derive import procurement_value, threshold
from pipeline.model import SEVERITIES, Hire
from pipeline.privacy import redact
from pipeline.run import RunData

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
CATEGORIES = "ABCDEF"
ZERO = Decimal("0.00")
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
    return dutch.format_euro(amount if amount is not None else ZERO)


def euro_or_dash(amount: Decimal | None) -> str:
    return DASH if amount is None or amount == 0 else dutch.format_euro(amount)


def day(d: Any, empty: str = NOT_FILLED) -> str:
    return dutch.format_date(d) if isinstance(d, date) else empty


def share(part: Decimal, whole: Decimal | None) -> str:
    return dutch.format_percent(part / whole) if whole else "n.v.t."


def count(n: int, one: str, many: str) -> str:
    return f"{dutch.format_number(n)} {one if n == 1 else many}"


def _sum(df: pl.DataFrame, column: str) -> Decimal:
    if df.is_empty():
        return ZERO
    v = df.get_column(column).sum()
    return Decimal(v).quantize(Decimal("0.01")) if v is not None else ZERO


def _enumerate_nl(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


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


def _school_label(data: RunData, brin: str | None) -> str:
    if not brin:
        return "BRIN onbekend"
    school = data.board.schools.get(brin)
    name = school.name if school and school.name else next(
        (text(h.get("school_naam")) for h in data.hires if h.get("brin") == brin and h.get("school_naam")), "")
    return f"{brin} {name}".strip()


def _school_name(data: RunData, brin: str) -> str:
    label = _school_label(data, brin)
    return label[len(brin):].strip() or brin


def _hire_label(h: Hire) -> str:
    return h.hire_id or h.file


def _category_names() -> dict[str, str]:
    return reference.menukaart().categories


def _intervention(h: Hire) -> str:
    raw = h.get("interventie")
    hit = reference.menukaart().lookup(raw) if raw else None
    return reference.Menukaart.label(*hit) if hit else (text(raw) or NOT_FILLED)


def _intervention_f(h: Hire) -> str:
    raw = h.get("interventie_f")
    hit = reference.menukaart().lookup(raw) if raw else None
    return reference.Menukaart.label(*hit) if hit else text(raw)


def _period(h: Hire) -> str:
    start, end = h.get("startdatum"), h.get("einddatum")
    if isinstance(start, date) and isinstance(end, date):
        return f"{dutch.format_date(start)} tot en met {dutch.format_date(end)}"
    if isinstance(start, date):
        return f"vanaf {dutch.format_date(start)} (geen einddatum ingevuld)"
    return NOT_FILLED


def _severity_key(row: dict) -> tuple:
    return (SEVERITIES.index(row["severity"]), _rule_order(row["rule"]), row.get("cell") or "")


def _rule_order(rule: str) -> int:
    ids = list(findings.catalogue())
    return ids.index(rule) if rule in ids else len(ids)


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
        {"regel": rule, "titel": cat[rule].title if rule in cat else rule,
         **{s: dutch.format_number(c[s]) for s in SEVERITIES}}
        for rule, c in sorted(per_rule.items(), key=lambda kv: _rule_order(kv[0]))
    ]
    totals = Counter()
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


def _reference_text() -> str:
    v = reference.versions()
    return f"menukaart versie {v['menukaart']}, drempelbedragen versie {v['drempels']}, NPO-bedragen versie {v['npo_bedragen']}"


def _common(data: RunData) -> dict[str, Any]:
    made = dutch.format_date(data.generated)
    version = findings.ruleset_version()
    return {
        "bestuur": text(data.board.name) or "Schoolbestuur",
        "gemaakt_op": made,
        "regelset": version,
        "gemaakt_regel": f"Gemaakt op {made} met regelset {version}",
        "versies_tekst": _reference_text(),
    }


def _category_rows(inv: pl.DataFrame, hire_files_by_cat: dict[str | None, set[str]]) -> list[dict]:
    """Spending per menukaart category (plus one row for spend that fits no category)."""
    names = _category_names()
    rows = []
    for code in CATEGORIES:
        part = inv.filter(pl.col("categorie") == code)
        rows.append({"categorie": f"{code} {names.get(code, '')}".strip(),
                     "inhuren": dutch.format_number(len(hire_files_by_cat.get(code, set()))),
                     "excl": euro(_sum(part, "bedrag")), "btw": euro(_sum(part, "btw")), "incl": euro(_sum(part, "totaal"))})
    rest = inv.filter(pl.col("categorie").is_null())
    if not rest.is_empty() or hire_files_by_cat.get(None):
        rows.append({"categorie": "Niet in te delen (interventie niet op de menukaart)",
                     "inhuren": dutch.format_number(len(hire_files_by_cat.get(None, set()))),
                     "excl": euro(_sum(rest, "bedrag")), "btw": euro(_sum(rest, "btw")), "incl": euro(_sum(rest, "totaal"))})
    return rows


def _chart_spec(title: str, labels: list[str], values: list[Decimal]) -> dict | None:
    if not any(v > 0 for v in values):
        return None
    return {"titel": title, "labels": labels, "waarden": [str(v) for v in values]}


def _category_chart(inv: pl.DataFrame, title: str) -> dict | None:
    names = _category_names()
    labels = [f"{c} {names.get(c, '')}".strip() for c in CATEGORIES]
    values = [_sum(inv.filter(pl.col("categorie") == c), "totaal") for c in CATEGORIES]
    return _chart_spec(title, labels, values)


def _school_chart(data: RunData, inv: pl.DataFrame, brins: list[str], title: str) -> dict | None:
    pairs = [(_school_label(data, b), _sum(inv.filter(pl.col("brin") == b), "totaal")) for b in brins]
    pairs = [p for p in pairs if p[1] > 0]
    return _chart_spec(title, [p[0] for p in pairs], [p[1] for p in pairs])


def _files_by(hires: list[Hire], key) -> dict[Any, set[str]]:
    out: dict[Any, set[str]] = defaultdict(set)
    for h in hires:
        out[key(h)].add(h.file)
    return out


def _brins(data: RunData, *groups: Iterable[str | None]) -> list[str]:
    found = set(data.board.schools)
    for g in groups:
        found |= {b for b in g if b}
    return sorted(found)


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


def _consent_text(dates: list[Any], n: int, what: str) -> str:
    given = sorted({d for d in dates if isinstance(d, date)})
    missing = sum(1 for d in dates if not isinstance(d, date))
    if not dates:
        return DASH
    if missing == n:
        return f"Niet vastgelegd ({what})"
    shown = "; ".join(dutch.format_date(d) for d in given[:3]) + ("; …" if len(given) > 3 else "")
    if missing:
        return f"Ontbreekt bij {dutch.format_number(missing)} van {count(n, 'inhuur', 'inhuren')} (wel: {shown})"
    return f"Ja: {shown}"


def jaarverslag_context(data: RunData, year: int) -> dict[str, Any]:
    """Everything the jaarverslag of one calendar year shows, as Dutch strings and lists of dicts."""
    inv_all = counted_invoices(data)
    inv = inv_all.filter(pl.col("kalenderjaar") == year)
    hires = hires_in_year(data, year)
    files = [h.file for h in hires]
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    alloc_year = aggregate.calendar_allocation(data.allocations_df, year)
    alloc_by_brin = {b: Decimal(v) for b, v in alloc_year.select("brin", "toekenning").iter_rows()}
    brins = _brins(data, inv.get_column("brin").to_list(), alloc_by_brin, (h.get("brin") for h in hires))
    unknown_brin = inv.filter(pl.col("brin").is_null())

    total = {"excl": euro(_sum(inv, "bedrag")), "btw": euro(_sum(inv, "btw")), "incl": euro(_sum(inv, "totaal")),
             "facturen": dutch.format_number(inv.height)}
    total_incl = _sum(inv, "totaal")

    def school_rows(b: str | None, part: pl.DataFrame) -> tuple[dict, dict]:
        label = _school_label(data, b)
        by_cat = {c: _sum(part.filter(pl.col("categorie") == c), "totaal") for c in CATEGORIES}
        matrix = {"school": label, **{c: euro_or_dash(by_cat[c]) for c in CATEGORIES}, "totaal": euro_or_dash(_sum(part, "totaal"))}
        costs = {"school": label, "facturen": dutch.format_number(part.height), "excl": euro(_sum(part, "bedrag")),
                 "btw": euro(_sum(part, "btw")), "incl": euro(_sum(part, "totaal"))}
        return matrix, costs

    matrix_rows, cost_rows, npo_rows = [], [], []
    for b in brins:
        part = inv.filter(pl.col("brin") == b)
        m, c = school_rows(b, part)
        matrix_rows.append(m)
        cost_rows.append(c)
    if not unknown_brin.is_empty():
        m, c = school_rows(None, unknown_brin)
        matrix_rows.append(m)
        cost_rows.append(c)
    cat_total = {c: euro_or_dash(_sum(inv.filter(pl.col("categorie") == c), "totaal")) for c in CATEGORIES}
    cat_total["totaal"] = euro(total_incl)
    uncategorised = inv.filter(pl.col("categorie").is_null())
    zonder = [f"{_school_label(data, b)}: {euro(_sum(uncategorised.filter(pl.col('brin') == b if b else pl.col('brin').is_null()), 'totaal'))}"
              for b in sorted(set(uncategorised.get_column("brin").to_list()), key=lambda x: x or "~")]

    pnil = inv.filter(pl.col("pnil") == "Ja")
    alloc_total = sum(alloc_by_brin.values(), ZERO)
    for b in brins:
        part = inv.filter(pl.col("brin") == b)
        spent, pnil_spent, alloc = _sum(part, "totaal"), _sum(pnil.filter(pl.col("brin") == b), "totaal"), alloc_by_brin.get(b)
        npo_rows.append({"school": _school_label(data, b), "toekenning": euro(alloc) if alloc is not None else DASH,
                         "extern": euro(spent), "aandeel_extern": share(spent, alloc),
                         "pnil": euro(pnil_spent), "aandeel_pnil": share(pnil_spent, alloc)})
    if not unknown_brin.is_empty():
        npo_rows.append({"school": _school_label(data, None), "toekenning": DASH, "extern": euro(_sum(unknown_brin, "totaal")),
                         "aandeel_extern": "n.v.t.", "pnil": euro(_sum(unknown_brin.filter(pl.col("pnil") == "Ja"), "totaal")),
                         "aandeel_pnil": "n.v.t."})
    pnil_total = _sum(pnil, "totaal")

    # Medezeggenschap
    consent_rows = []
    by_brin: dict[str | None, list[Hire]] = defaultdict(list)
    for h in hires:
        by_brin[h.get("brin")].append(h)
    for b in sorted(by_brin, key=lambda x: x or "~"):
        group = by_brin[b]
        asked = sum(1 for h in group if isinstance(h.get("mr_advies_gevraagd"), date))
        consent_rows.append({
            "school": _school_label(data, b), "inhuren": dutch.format_number(len(group)),
            "instemming": _consent_text([h.get("mr_instemming_schoolprogramma") for h in group], len(group), "instemming"),
            "advies": f"Bij {dutch.format_number(asked)} van {count(len(group), 'inhuur', 'inhuren')}",
        })
    inv_by_file = {f: _sum(inv.filter(pl.col("file") == f), "totaal") for f in files}
    above = [h for h in hires if h.get("niveau") == "Bovenschools"]
    bovenschools = [{"inhuur": _hire_label(h), "leverancier": text(h.get("leverancier_naam")) or NOT_FILLED,
                     "gmr": day(h.get("gmr_instemming"), "ontbreekt"), "mr_akkoord": day(h.get("mr_akkoord_bovenschools"), "ontbreekt"),
                     "bedrag": euro(inv_by_file.get(h.file, ZERO))} for h in above]

    # Interventies en soorten
    by_int: dict[str, list[Hire]] = defaultdict(list)
    by_kind: dict[str, list[Hire]] = defaultdict(list)
    for h in hires:
        by_int[_intervention(h)].append(h)
        by_kind[text(h.get("soort_inhuur")) or NOT_FILLED].append(h)
    interventies = [{"interventie": k, "inhuren": dutch.format_number(len(v)),
                     "scholen": dutch.format_number(len({h.get("brin") for h in v})),
                     "bedrag": euro(sum((inv_by_file.get(h.file, ZERO) for h in v), ZERO))} for k, v in sorted(by_int.items())]
    soorten = [{"soort": k, "inhuren": dutch.format_number(len(v)),
                "bedrag": euro(sum((inv_by_file.get(h.file, ZERO) for h in v), ZERO))} for k, v in sorted(by_kind.items())]

    # Eerste resultaten
    results = []
    for h in hires:
        rows = [r for r in h.tables.get("tblResultaten", []) if r.get("Resultaat")]
        done = [r.get("Behaald") for r in rows]
        evaluated = isinstance(h.get("evaluatiedatum"), date) or h.get("evaluatie_samenvatting") or any(done)
        if not evaluated:
            continue
        achieved = f"{done.count('Ja')} van {len(rows)}" + (f", {done.count('Deels')} deels" if done.count("Deels") else "")
        results.append({"inhuur": _hire_label(h), "interventie": _intervention(h), "behaald": achieved if rows else DASH,
                        "evaluatie": day(h.get("evaluatiedatum"), "geen datum"),
                        "samenvatting": text(h.get("evaluatie_samenvatting")) or DASH})
    missing_eval = len(hires) - len(results)
    if not hires:
        zonder_evaluatie = f"In {year} liep geen inhuur."
    elif missing_eval:
        zonder_evaluatie = (f"Bij {dutch.format_number(missing_eval)} van de {count(len(hires), 'inhuur', 'inhuren')} van {year} "
                            "is nog geen evaluatie of behaald resultaat vastgelegd.")
    else:
        zonder_evaluatie = f"Van alle {count(len(hires), 'inhuur', 'inhuren')} van {year} is een evaluatie of behaald resultaat vastgelegd."

    naleving, naleving_totaal, naleving_tekst = compliance(data, files)

    eu_rows = []
    social = data.board.settings.social_services_regime
    for h in hires:
        t = threshold(h, social)
        value = procurement_value(h)
        if t is None or value < t[0]:
            continue
        procedure = h.get("procedure")
        eu_rows.append({"inhuur": _hire_label(h), "leverancier": text(h.get("leverancier_naam")) or NOT_FILLED,
                        "waarde": euro(value), "drempel": euro(t[0]), "procedure": procedure or NOT_FILLED,
                        "oordeel": "Europees aanbesteed" if procedure == "Europees" else "Niet Europees aanbesteed: fout (A1)"})
    a2 = _findings_of(data, files).filter(pl.col("rule") == "A2").sort(["hire_id", "file"])
    opgeknipt = [{"inhuur": r["hire_id"] or r["file"], "melding": text(r["message"])} for r in a2.iter_rows(named=True)]

    drempels = [{"periode": f"{dutch.format_date(p.start)} tot en met {dutch.format_date(p.end)}", "diensten": euro(p.services),
                 "sociaal": euro(p.social_services), "bron": p.source} for p in reference.thresholds()]

    # Bijlage A: every input file, reconciling to the board total
    per_file = {f: (excl, incl) for f, excl, incl in
                inv.group_by("file").agg(pl.col("bedrag").sum(), pl.col("totaal").sum()).iter_rows()}
    counted_files = {h.file for h in data.hires}
    bestanden = []
    for fr in sorted(data.files, key=lambda f: f.file):
        excl, incl = per_file.get(fr.file, (None, None))
        n_inv = inv.filter(pl.col("file") == fr.file).height
        if fr.file in counted_files:
            reason = f"{count(n_inv, 'factuur', 'facturen')} in {year}" if n_inv else f"geen facturen in {year}"
            amounts = (euro(excl or ZERO), euro(incl or ZERO))
        else:
            reason = text(fr.reason)
            amounts = (DASH, DASH)
        bestanden.append({"file": text(fr.file), "sha256": fr.sha256 or DASH, "status": STATUS_LABELS.get(fr.status, fr.status),
                          "reden": reason, "excl": amounts[0], "incl": amounts[1]})
    statuses = Counter(f.status for f in data.files)
    bestanden_tekst = (f"{count(len(data.files), 'bestand', 'bestanden')} in de invoermap: "
                       + ", ".join(f"{dutch.format_number(statuses[s])} {s}" for s in STATUS_LABELS) + ".")
    undated = inv_all.filter(pl.col("kalenderjaar").is_null())
    zonder_datum = ""
    if not undated.is_empty():
        zonder_datum = (f"Let op: {count(undated.height, 'factuur heeft', 'facturen hebben')} geen leesbare factuurdatum en "
                        f"{'telt' if undated.height == 1 else 'tellen'} daardoor in geen enkel jaar mee (bestanden: "
                        + ", ".join(sorted(set(text(f) for f in undated.get_column("file").to_list()))) + ").")

    toekenningen = []
    for r in data.allocations_df.filter(pl.col("schooljaar").is_in([ending, starting])).sort(["brin", "schooljaar"]).iter_rows(named=True):
        toekenningen.append({"school": _school_label(data, r["brin"]), "schooljaar": r["schooljaar"], "toekenning": euro(r["toekenning"]),
                             "deel": "7/12" if r["schooljaar"] == ending else "5/12", "grondslag": text(r["grondslag"])})

    files_by_cat = _files_by([h for h in hires if h.file in set(inv.get_column("file").to_list())],
                             lambda h: aggregate.category(h.get("interventie")))
    names = _category_names()
    ctx = {
        **_common(data),
        "jaar": str(year),
        "periode": f"1 januari {year} tot en met 31 december {year}",
        "schooljaar_eind": ending,
        "schooljaar_start": starting,
        "totaal": total,
        "aantal_facturen": count(inv.height, "factuur", "facturen"),
        "aantal_inhuren_gefactureerd": count(inv.get_column("file").n_unique(), "inhuur", "inhuren"),
        "aantal_scholen_gefactureerd": count(inv.get_column("brin").drop_nulls().n_unique(), "school", "scholen"),
        "aantal_inhuren": count(len(hires), "inhuur", "inhuren"),
        "aantal_bovenschools": dutch.format_number(len(above)),
        "aantal_eu": dutch.format_number(len(eu_rows)) if eu_rows else "geen",
        "toekenning_totaal": euro(alloc_total),
        "aandeel_extern": share(total_incl, alloc_total),
        "pnil": {"bedrag": euro(pnil_total), "aandeel": share(pnil_total, alloc_total)},
        "scholen_categorie": matrix_rows,
        "totaal_categorie": cat_total,
        "zonder_categorie": bool(zonder),
        "zonder_categorie_tekst": "; ".join(zonder),
        "categorie_legenda": "; ".join(f"{c} = {names.get(c, '')}" for c in CATEGORIES),
        "scholen_kosten": cost_rows,
        "categorieen": _category_rows(inv, files_by_cat),
        "npo": npo_rows,
        "medezeggenschap": consent_rows,
        "bovenschools": bovenschools,
        "interventies": interventies,
        "soorten": soorten,
        "resultaten": results,
        "zonder_evaluatie": zonder_evaluatie,
        "naleving": naleving,
        "naleving_totaal": naleving_totaal,
        "naleving_tekst": naleving_tekst,
        "eu": eu_rows,
        "opgeknipt": opgeknipt,
        "aannames": config.assumptions(data.board),
        "drempels": drempels,
        "bestanden": bestanden,
        "bestanden_tekst": bestanden_tekst,
        "bestanden_totaal": {"aantal": count(len(data.files), "bestand", "bestanden"), "excl": total["excl"], "incl": total["incl"]},
        "zonder_datum": zonder_datum,
        "toekenningen": toekenningen,
        "grafieken": {k: v for k, v in {
            "chart_categories": _category_chart(inv, f"Uitgaven {year} per menukaartcategorie (incl. btw)"),
            "chart_schools": _school_chart(data, inv, brins, f"Uitgaven {year} per school (incl. btw)"),
        }.items() if v},
    }
    return ctx


# --------------------------------------------------------------------------- MR


def _mr_hire(data: RunData, h: Hire, school: str, inv: pl.DataFrame) -> dict[str, Any]:
    mine = inv.filter(pl.col("file") == h.file)
    excl, vat, incl = _sum(mine, "bedrag"), _sum(mine, "btw"), _sum(mine, "totaal")
    supplier = text(h.get("leverancier_naam")) or "een externe partij"
    kind = text(h.get("soort_inhuur"))
    contract = h.get("contractwaarde")
    asked = h.get("mr_advies_gevraagd")
    nr = h.get("volgnummer")
    title = f"Inhuur {nr}: {supplier}" if nr is not None else f"Inhuur {supplier}"

    summary = [f"{school} huurt {supplier} in{_what(h)}."]
    if isinstance(h.get("startdatum"), date):
        summary.append(f"De opdracht loopt van {_period(h)}." if isinstance(h.get("einddatum"), date) else f"De opdracht loopt {_period(h)}.")
    summary.append(f"De contractwaarde is {euro(contract)} exclusief btw; tot nu toe is {euro(excl)} gefactureerd "
                   f"({euro(incl)} inclusief btw)." if contract is not None else
                   f"Er is geen contractwaarde ingevuld; tot nu toe is {euro(excl)} gefactureerd ({euro(incl)} inclusief btw).")
    summary.append(f"De MR is op {dutch.format_date(asked)} om advies gevraagd." if isinstance(asked, date)
                   else "Volgens het werkboek is de MR niet om advies gevraagd.")

    quotes = [r for r in h.tables.get("tblOffertes", []) if r.get("Aanbieder") or r.get("Bedrag excl. BTW")]
    quote_text = "; ".join(f"{text(r.get('Aanbieder')) or 'onbekend'} ({euro(r.get('Bedrag excl. BTW'))})"
                           + (", gekozen" if r.get("Gekozen") == "Ja" else "") for r in quotes)
    staff = [r for r in h.tables.get("tblMedewerkers", []) if r.get("Medewerker") or r.get("VOG-datum")]
    with_vog = sum(1 for r in staff if isinstance(r.get("VOG-datum"), date))
    invoices_n = mine.height
    facts = [
        ("Wat", kind or NOT_FILLED),
        ("Interventie (menukaart)", _intervention(h) + (f"; randvoorwaarde {_intervention_f(h)}" if h.get("interventie_f") else "")),
        ("Externe partij", f"{supplier}" + (f", KvK {h.get('leverancier_kvk')}" if h.get("leverancier_kvk") else "")
         + (f" ({text(h.get('leverancier_type')).lower()})" if h.get("leverancier_type") else "")),
        ("Waarom: behoefte uit de schoolscan", text(h.get("behoefte")) or NOT_FILLED),
        ("Eigen capaciteit overwogen", text(h.get("eigen_capaciteit")) or NOT_FILLED),
        ("Betrokkenheid leraren", text(h.get("leraren_betrokken")) or NOT_FILLED),
        ("Waarom deze partij", text(h.get("keuze_toelichting")) or NOT_FILLED),
        ("Periode", _period(h)),
        ("Niveau", text(h.get("niveau")) or NOT_FILLED),
        ("Contractwaarde (excl. btw)", euro(contract) if contract is not None else NOT_FILLED),
        ("Gefactureerd", f"{euro(excl)} excl. btw + {euro(vat)} btw = {euro(incl)} incl. btw ({count(invoices_n, 'factuur', 'facturen')})"),
        ("Uurtarief (excl. btw)", euro(h.get("uurtarief")) if h.get("uurtarief") is not None else NOT_FILLED),
        ("Inkoopprocedure", text(h.get("procedure")) or NOT_FILLED),
        ("Offertes", f"{count(len(quotes), 'offerte', 'offertes')}: {quote_text}" if quotes else "geen offertes ingevuld"),
        ("Personeel niet in loondienst (PNIL)", h.get("pnil") or NOT_FILLED),
        ("Contact met leerlingen", (h.get("contact_leerlingen") or NOT_FILLED)
         + (f"; {count(len(staff), 'medewerker', 'medewerkers')}, VOG-datum bekend van {dutch.format_number(with_vog)}" if staff else "")),
        ("Ouders geïnformeerd", day(h.get("ouders_geinformeerd"), "niet vastgelegd")),
    ]
    mz = [
        ("Instemming MR met het schoolprogramma", day(h.get("mr_instemming_schoolprogramma"), "niet vastgelegd in het werkboek")),
        ("MR-advies gevraagd", day(asked, "nee, niet vastgelegd in het werkboek")),
        ("MR-advies ontvangen", day(h.get("mr_advies_ontvangen"), "niet vastgelegd")),
        ("Uitkomst MR-advies", text(h.get("mr_advies_uitkomst")) or "niet vastgelegd"),
        ("Contract getekend", day(h.get("contract_getekend"), "niet vastgelegd")),
    ]
    if h.get("niveau") == "Bovenschools":
        mz += [("Instemming GMR (bovenschools)", day(h.get("gmr_instemming"), "niet vastgelegd")),
               ("Akkoord MR met het bovenschoolse deel", day(h.get("mr_akkoord_bovenschools"), "niet vastgelegd"))]

    spec_questions = _questions()
    answers = {}
    for i, r in enumerate(h.tables.get("tblVragenlijst", []), start=1):
        nr_q = r.get("Nr")
        answers[int(nr_q) if isinstance(nr_q, (int, float, Decimal)) and not isinstance(nr_q, bool) else i] = r
    vragen = []
    for q_nr, q_text in spec_questions:
        r = answers.get(q_nr)
        explanation = text(r.get("Toelichting")) if r else ""
        evidence = text(r.get("Bewijs")) if r else ""
        if evidence:
            explanation = f"{explanation} Bewijs: {evidence}".strip()
        vragen.append({"nr": str(q_nr), "vraag": q_text, "antwoord": (r.get("Antwoord") if r else None) or "niet beantwoord",
                       "toelichting": explanation or DASH})

    resultaten = [{"resultaat": text(r.get("Resultaat")), "soort": text(r.get("Soort")) or DASH,
                   "deadline": day(r.get("Deadline"), DASH), "indicator": text(r.get("Indicator")) or DASH,
                   "behaald": r.get("Behaald") or "nog niet bekend"}
                  for r in h.tables.get("tblResultaten", []) if r.get("Resultaat")]
    if isinstance(h.get("evaluatiedatum"), date) or h.get("evaluatie_samenvatting"):
        evaluation = (f"Evaluatie: {day(h.get('evaluatiedatum'), 'datum niet ingevuld')}. "
                      f"Belangrijkste uitkomsten: {_sentence(text(h.get('evaluatie_samenvatting')) or NOT_FILLED)} "
                      f"Kennisoverdracht: {_sentence(text(h.get('kennisoverdracht')) or NOT_FILLED)}")
    else:
        evaluation = "De inhuur is nog niet geëvalueerd."

    cat = findings.catalogue()
    rows = sorted(_findings_of(data, [h.file]).iter_rows(named=True), key=_severity_key)
    bevindingen = [{"ernst": r["severity"], "regel": f"{r['rule']} {cat[r['rule']].title}" if r["rule"] in cat else r["rule"],
                    "melding": text(r["message"])} for r in rows]
    return {
        "titel": title, "inhuur": _hire_label(h), "samenvatting": " ".join(summary),
        "gegevens": [{"label": k, "waarde": v} for k, v in facts],
        "medezeggenschap": [{"label": k, "waarde": v} for k, v in mz],
        "vragen": vragen, "resultaten": resultaten, "evaluatie": evaluation, "bevindingen": bevindingen,
        "_overzicht": {"inhuur": _hire_label(h), "leverancier": supplier, "interventie": _intervention(h),
                       "contractwaarde": euro(contract) if contract is not None else NOT_FILLED, "gefactureerd": euro(incl),
                       "advies": dutch.format_date_short(asked) if isinstance(asked, date) else "nee"},
        "_fouten": sum(1 for r in rows if r["severity"] == "fout"),
        "_waarschuwingen": sum(1 for r in rows if r["severity"] == "waarschuwing"),
        "_contract": contract or ZERO, "_incl": incl,
    }


def _sentence(s: str) -> str:
    return s if s.endswith((".", "!", "?")) else s + "."


def _what(h: Hire) -> str:
    """' voor instructie in kleine groepen (menukaart B: Effectievere inzet van onderwijs)', in words."""
    raw = h.get("interventie")
    hit = reference.menukaart().lookup(raw) if raw else None
    if hit:
        code, item = hit
        return f" voor {item[0].lower() + item[1:]} (menukaart {code}: {_category_names().get(code, '').lower()})"
    return f" voor '{text(raw)}'" if raw else ""


def _questions() -> list[tuple[int, str]]:
    from pipeline import spec

    return [(q.nr, q.text) for q in spec.load().questions]


def mr_context(data: RunData, brin: str, schooljaar: str) -> dict[str, Any]:
    """The MR document of one school and school year: each counted hire in plain Dutch."""
    hires = sorted((h for h in data.hires if h.get("brin") == brin and h.get("schooljaar") == schooljaar),
                   key=lambda h: (h.get("volgnummer") if h.get("volgnummer") is not None else 10**9, h.file))
    school = _school_name(data, brin)
    inv = counted_invoices(data)
    items = [_mr_hire(data, h, school, inv) for h in hires]
    start, end = dutch.school_year_bounds(schooljaar)
    errors, warnings = sum(i["_fouten"] for i in items), sum(i["_waarschuwingen"] for i in items)
    total_contract = sum((i["_contract"] for i in items), ZERO)
    total_incl = sum((i["_incl"] for i in items), ZERO)
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
        "overzicht": [i["_overzicht"] for i in items],
        "totaal_contract": euro(total_contract),
        "totaal_gefactureerd": euro(total_incl),
        "inhuren": [{k: v for k, v in i.items() if not k.startswith("_")} for i in items],
        "grafieken": {},
    }


# --------------------------------------------------------------------------- GMR


def gmr_context(data: RunData, schooljaar: str) -> dict[str, Any]:
    """The GMR overview of one school year: spending per school and category, bovenschools hires, compliance."""
    hires = sorted((h for h in data.hires if h.get("schooljaar") == schooljaar), key=lambda h: (_hire_label(h), h.file))
    inv = counted_invoices(data).filter(pl.col("schooljaar") == schooljaar)
    alloc = {b: Decimal(v) for b, v in data.allocations_df.filter(pl.col("schooljaar") == schooljaar).select("brin", "toekenning").iter_rows()}
    brins = _brins(data, inv.get_column("brin").to_list(), alloc, (h.get("brin") for h in hires))
    start, end = dutch.school_year_bounds(schooljaar)
    fdf = _findings_of(data, [h.file for h in hires])
    school_rows = []
    for b in brins:
        mine = [h for h in hires if h.get("brin") == b]
        spent = _sum(inv.filter(pl.col("brin") == b), "totaal")
        f = fdf.filter(pl.col("file").is_in([h.file for h in mine]))
        consent = sum(1 for h in mine if isinstance(h.get("mr_instemming_schoolprogramma"), date))
        school_rows.append({
            "school": _school_label(data, b), "inhuren": dutch.format_number(len(mine)),
            "toekenning": euro(alloc[b]) if b in alloc else DASH, "besteed": euro(spent), "aandeel": share(spent, alloc.get(b)),
            "fouten": dutch.format_number(f.filter(pl.col("severity") == "fout").height),
            "waarschuwingen": dutch.format_number(f.filter(pl.col("severity") == "waarschuwing").height),
            "mr": f"{consent}/{len(mine)}" if mine else DASH,
        })
    unknown = inv.filter(pl.col("brin").is_null())
    if not unknown.is_empty():
        school_rows.append({"school": _school_label(data, None), "inhuren": DASH, "toekenning": DASH,
                            "besteed": euro(_sum(unknown, "totaal")), "aandeel": "n.v.t.", "fouten": DASH,
                            "waarschuwingen": DASH, "mr": DASH})
    total_incl = _sum(inv, "totaal")
    alloc_total = sum(alloc.values(), ZERO)
    naleving, naleving_totaal, sentence = compliance(data, [h.file for h in hires])
    above = [h for h in hires if h.get("niveau") == "Bovenschools"]
    files_by_cat = _files_by(hires, lambda h: aggregate.category(h.get("interventie")))
    return {
        **_common(data),
        "schooljaar": schooljaar,
        "periode": f"{schooljaar} ({dutch.format_date(start)} tot en met {dutch.format_date(end)})",
        "aantal_inhuren": count(len(hires), "inhuur", "inhuren"),
        "aantal_inhuren_getal": dutch.format_number(len(hires)),
        "aantal_bovenschools": dutch.format_number(len(above)),
        "totaal": {"excl": euro(_sum(inv, "bedrag")), "btw": euro(_sum(inv, "btw")), "incl": euro(total_incl)},
        "toekenning_totaal": euro(alloc_total),
        "aandeel_extern": share(total_incl, alloc_total),
        "scholen": school_rows,
        "categorieen": _category_rows(inv, files_by_cat),
        "bovenschools": [{"inhuur": _hire_label(h), "leverancier": text(h.get("leverancier_naam")) or NOT_FILLED,
                          "interventie": _intervention(h),
                          "waarde": euro(h.get("contractwaarde")) if h.get("contractwaarde") is not None else NOT_FILLED,
                          "gmr": day(h.get("gmr_instemming"), "ontbreekt"), "mr_akkoord": day(h.get("mr_akkoord_bovenschools"), "ontbreekt")}
                         for h in above],
        "inhuren": [{"inhuur": _hire_label(h), "leverancier": text(h.get("leverancier_naam")) or NOT_FILLED,
                     "interventie": _intervention(h), "niveau": text(h.get("niveau")) or NOT_FILLED,
                     "waarde": euro(h.get("contractwaarde")) if h.get("contractwaarde") is not None else NOT_FILLED,
                     "advies": day(h.get("mr_advies_gevraagd"), "niet gevraagd")} for h in hires],
        "naleving": naleving,
        "naleving_totaal": naleving_totaal,
        "naleving_tekst": ("Bevindingen bij de inhuur van dit schooljaar: " + sentence + ".") if naleving else
                          "Bij de inhuur van dit schooljaar zijn geen bevindingen gedaan.",
        "grafieken": {k: v for k, v in {
            "chart_categories": _category_chart(inv, f"Uitgaven {schooljaar} per menukaartcategorie (incl. btw)"),
            "chart_schools": _school_chart(data, inv, brins, f"Uitgaven {schooljaar} per school (incl. btw)"),
        }.items() if v},
    }


# --------------------------------------------------------------------------- charts and rendering


def make_chart(spec: dict, path: Path) -> Path:
    """A horizontal bar chart as PNG, byte-for-byte the same for the same data (no dates, fixed hash salt)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [textwrap.shorten(label, 48, placeholder="…") for label in spec["labels"]]
    values = [float(Decimal(v)) for v in spec["waarden"]]
    with matplotlib.rc_context({"svg.hashsalt": "npo-inhuur", "font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=(6.3, 0.9 + 0.32 * len(labels)), dpi=200)
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
    charts: dict[str, str]  # placeholder name -> PNG path
    out: Path
    title: str
    author: str
    generated: datetime


def render(job: Job) -> Path:
    """Render one document from its template and plain context."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    tpl = DocxTemplate(str(job.template))
    ctx = dict(job.context)
    for name, png in job.charts.items():
        ctx[name] = InlineImage(tpl, png, width=Mm(160))
    tpl.render(ctx, autoescape=True)
    props = tpl.docx.core_properties
    props.title, props.author, props.last_modified_by = job.title, job.author, job.author
    props.comments, props.revision = "", 1
    props.created = props.modified = job.generated.replace(microsecond=0)
    job.out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(job.out))
    return job.out


def _safe(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "_", name)


def jobs(data: RunData, outputs: Path, chart_dir: Path, templates: Path = TEMPLATES) -> list[Job]:
    """Every document of the run, with its context built and its charts drawn."""
    author = text(data.board.name) or "Schoolbestuur"
    out: list[Job] = []

    def add(kind: str, ctx: dict, path: Path, title: str) -> None:
        charts = {}
        for name, spec in sorted(ctx.get("grafieken", {}).items()):
            png = chart_dir / f"{path.stem}-{name}.png"
            charts[name] = str(make_chart(spec, png))
        out.append(Job(templates / f"{kind}.docx", ctx, charts, path, title, author, data.generated))

    for year in calendar_years(data):
        add("jaarverslag", jaarverslag_context(data, year), outputs / f"jaarverslag-{year}.docx",
            f"Jaarverslag {year}: externe inhuur NPO")
    for brin, sj in mr_keys(data):
        add("mr", mr_context(data, brin, sj), outputs / "mr" / f"{_safe(brin)}-{_safe(sj)}.docx",
            f"MR-overzicht externe inhuur {brin} {sj}")
    for sj in school_years(data):
        add("gmr", gmr_context(data, sj), outputs / f"gmr-{_safe(sj)}.docx", f"GMR-overzicht externe inhuur {sj}")
    return out


def render_all(data: RunData, outputs: Path, workers: int = 1, *, templates: Path = TEMPLATES) -> list[Path]:
    """Write outputs/jaarverslag-<jaar>.docx, outputs/mr/<BRIN>-<schooljaar>.docx and outputs/gmr-<schooljaar>.docx."""
    outputs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="npo-grafieken-") as tmp:
        todo = jobs(data, outputs, Path(tmp), templates)
        if workers > 1 and len(todo) > 1:
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=ctx) as ex:
                return list(ex.map(render, todo))
        return [render(j) for j in todo]

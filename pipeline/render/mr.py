"""The MR document's context: every hire of one school and school year in plain language."""
from __future__ import annotations

from dataclasses import dataclass

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any


import polars as pl

from pipeline import dutch, reference
from pipeline.aggregate import ZERO, Money, money_by, participants
from pipeline.aggregate import cents as aggregate_cents
from pipeline.model import Hire, RunData
from pipeline.rules import catalogue as findings
from pipeline.render.eindverantwoording import closing_sentence
from pipeline.render.context import (
    unread_ledger_files,
    DASH,
    NOT_FILLED,
    amount_or_empty,
    category_names,
    common,
    count,
    counted_invoices,
    day,
    hire_years,
    invoiced_years,
    euro,
    hire_label,
    intervention,
    menukaart_label,
    period,
    school_label,
    school_names,
    severity_key,
    text,
    trail,
)

# --------------------------------------------------------------------------- MR


def _sentence(s: str) -> str:
    return s if s.endswith((".", "!", "?")) else s + "."


def _what(h: Hire) -> str:
    """' voor instructie in kleine groepen (menukaart B: effectievere inzet van onderwijs)', in words."""
    raw = h.get("interventie")
    hit = reference.menukaart().lookup(raw) if raw else None
    if hit:
        code, item = hit
        return f" voor {item[0].lower() + item[1:]} (menukaart {code}: {category_names().get(code, '').lower()})"
    return f" voor '{text(raw)}'" if raw else ""


@lru_cache(maxsize=1)
def _questions() -> tuple[tuple[int, str], ...]:
    from pipeline import spec

    return tuple((q.nr, q.text) for q in spec.load().questions)


def _answers(h: Hire) -> list[dict]:
    by_nr = {}
    for i, r in enumerate(h.tables.get("tblVragenlijst", []), start=1):
        nr = r.get("Nr")
        # the first row of a number counts, as in the Q rules: a row typed under the table never replaces an answer
        by_nr.setdefault(int(nr) if isinstance(nr, (int, float, Decimal)) and not isinstance(nr, bool) else i, r)
    out = []
    for nr, question in _questions():
        r = by_nr.get(nr)
        explanation, evidence = (text(r.get("Toelichting")), text(r.get("Bewijs"))) if r else ("", "")
        if evidence:
            explanation = f"{explanation} Bewijs: {evidence}".strip()
        answer = text(r.get("Antwoord")) if r else ""
        out.append({"nr": str(nr), "vraag": question, "antwoord": answer or "niet beantwoord", "toelichting": explanation or DASH})
    return out


def _share_of(h: Hire, brin: str) -> Decimal:
    return dict(participants(h)).get(brin, Decimal(0))


def _contract_part(h: Hire, brin: str) -> Decimal:
    """This school's part of the contract value: all of it, or its share of a bovenschools hire."""
    share = _share_of(h, brin)
    return h.get("contractwaarde") if share == 1 else (h.get("contractwaarde") * share).quantize(Decimal("0.01"))


def own_findings(found: list[dict], brin: str) -> tuple[list[dict], list[dict]]:
    """A school's own findings on a hire, and those about another school that pays for it (P5 of a co-paying school)."""
    own = [r for r in found if not r.get("about") or r["about"] == brin]
    return own, [r for r in found if r.get("about") and r["about"] != brin]


@dataclass(frozen=True)
class MrPlace:
    """Where a hire stands in one MR document: its number there, the school year and this year's invoices."""

    nr: int
    schooljaar: str
    in_year: Money
    names: dict[str, str]


def _mr_hire(h: Hire, school: str, m: Money, found: list[dict], brin: str, place: MrPlace) -> dict[str, Any]:
    """One hire for the MR: a plain summary, the key facts, consent, questionnaire, results and findings.

    For a bovenschools hire the amounts are this school's share (tblDeelnemers), stated as such."""
    supplier = text(h.get("leverancier_naam")) or "een externe partij"
    kind = text(h.get("soort_inhuur"))
    contract = h.get("contractwaarde") if isinstance(h.get("contractwaarde"), Decimal) else None
    share = _share_of(h, brin)
    shared_hire = share != 1
    asked = h.get("mr_advies_gevraagd")
    sj = place.schooljaar

    summary = [f"{school} huurt {supplier} in{_what(h)}."]
    if isinstance(h.get("startdatum"), date):
        summary.append(f"De opdracht loopt {'van ' if isinstance(h.get('einddatum'), date) else ''}{period(h)}.")
    if shared_hire and contract is not None:
        summary.append(f"De contractwaarde is {euro(contract)} exclusief btw, waarvan {school} {dutch.format_percent(share)} draagt "
                       f"({euro(_contract_part(h, brin))}); tot nu toe is voor deze school {euro(m.excl)} gefactureerd "
                       f"({euro(m.incl)} inclusief btw).")
    else:
        summary.append(f"De contractwaarde is {euro(contract)} exclusief btw; tot nu toe is {euro(m.excl)} gefactureerd ({euro(m.incl)} inclusief btw)."
                       if contract is not None else
                       f"Er is geen contractwaarde ingevuld; tot nu toe is {euro(m.excl)} gefactureerd ({euro(m.incl)} inclusief btw).")
    if shared_hire:
        agreed = next((r.get("MR-akkoord") for r in h.tables.get("tblDeelnemers", []) if r.get("BRIN") == brin), None)
        summary.append(f"Dit is een bovenschoolse inhuur: {school} draagt {dutch.format_percent(share)} van de kosten; de bedragen "
                       f"bij 'Gefactureerd' zijn het deel van deze school. De MR van de school ging akkoord met dit deel op "
                       f"{day(agreed, 'een datum die niet is vastgelegd')}.")
    if sj and h.get("schooljaar") != sj:
        summary.append(f"De inhuur is geregistreerd in schooljaar {text(h.get('schooljaar')) or 'onbekend'} en hoort ook bij "
                       f"schooljaar {sj}, omdat ze dan loopt of wordt gefactureerd.")
    if place.in_year != m:
        summary.append(f"In schooljaar {sj} is {euro(place.in_year.excl)} exclusief btw gefactureerd "
                       f"({euro(place.in_year.incl)} inclusief btw).")
    summary.append(f"De MR is op {dutch.format_date(asked)} om advies gevraagd." if isinstance(asked, date)
                   else "Volgens het werkboek is de MR niet om advies gevraagd.")

    quotes = [r for r in h.tables.get("tblOffertes", []) if r.get("Aanbieder") or r.get("Bedrag excl. BTW")]
    quote_text = "; ".join(f"{text(r.get('Aanbieder')) or 'onbekend'} ({amount_or_empty(r.get('Bedrag excl. BTW'))})"
                           + (", gekozen" if r.get("Gekozen") == "Ja" else "") for r in quotes)
    staff = [r for r in h.tables.get("tblMedewerkers", []) if r.get("Medewerker") or r.get("VOG-datum")]
    with_vog = sum(1 for r in staff if isinstance(r.get("VOG-datum"), date))
    party = supplier + (f", KvK {text(h.get('leverancier_kvk'))}" if h.get("leverancier_kvk") else "")
    party += f" ({text(h.get('leverancier_type')).lower()})" if h.get("leverancier_type") else ""
    facts = [
        ("Wat", kind or NOT_FILLED),
        ("Interventie (menukaart)", intervention(h) + (f"; randvoorwaarde {menukaart_label(h.get('interventie_f'))}" if h.get("interventie_f") else "")),
        ("Externe partij", party),
        ("Waarom: behoefte uit de schoolscan", text(h.get("behoefte")) or NOT_FILLED),
        ("Eigen capaciteit overwogen", text(h.get("eigen_capaciteit")) or NOT_FILLED),
        ("Betrokkenheid leraren", text(h.get("leraren_betrokken")) or NOT_FILLED),
        ("Waarom deze partij", text(h.get("keuze_toelichting")) or NOT_FILLED),
        ("Periode", period(h)),
        ("Niveau", text(h.get("niveau")) or NOT_FILLED),
        ("Contractwaarde (excl. btw)", amount_or_empty(contract)
         + (f"; deel van deze school ({dutch.format_percent(share)}): {euro(_contract_part(h, brin))}" if shared_hire and contract is not None else "")),
        ("Gefactureerd", f"{euro(m.excl)} excl. btw + {euro(m.btw)} btw = {euro(m.incl)} incl. btw ({count(m.n, 'factuur', 'facturen')})"),
        *([(f"Gefactureerd in schooljaar {sj}", f"{euro(place.in_year.excl)} excl. btw + {euro(place.in_year.btw)} btw = "
            f"{euro(place.in_year.incl)} incl. btw ({count(place.in_year.n, 'factuur', 'facturen')})")] if place.in_year != m else []),
        ("Uurtarief (excl. btw)", amount_or_empty(h.get("uurtarief"))),
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
    if h.above_school:
        consent += [("Instemming GMR (bovenschools)", day(h.get("gmr_instemming"), "niet vastgelegd"))]
        rows = {r.get("BRIN"): r for r in h.tables.get("tblDeelnemers", []) if r.get("BRIN")}
        if brin in rows:
            consent += [("Aandeel van deze school", dutch.format_percent(rows[brin].get("Aandeel")) if rows[brin].get("Aandeel") is not None else "niet ingevuld"),
                        ("Akkoord MR van deze school met haar aandeel (instemming vooraf)", day(rows[brin].get("MR-akkoord"), "niet vastgelegd"))]
        else:
            consent += [("Akkoord MR met het bovenschoolse deel", day(h.get("mr_akkoord_bovenschools"), "niet vastgelegd"))]

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
    own, others = own_findings(found, brin) if brin else (found, [])

    def row(r: dict, other: bool) -> dict:
        about = f"Over {school_label(place.names, r['about'])}, die aan deze inhuur meebetaalt (niet meegeteld bij {school}): " if other else ""
        return {"ernst": r["severity"], "regel": f"{r['rule']} {cat[r['rule']].title}" if r["rule"] in cat else r["rule"],
                "melding": about + text(r["message"]), "regel_id": r["rule"], "over": r["about"] if other else ""}

    return {
        "titel": f"Inhuur {place.nr}: {supplier} ({hire_label(h)})",
        "inhuur": hire_label(h),
        "samenvatting": " ".join(summary),
        "gegevens": [{"label": k, "waarde": v} for k, v in facts],
        "medezeggenschap": [{"label": k, "waarde": v} for k, v in consent],
        "vragen": _answers(h),
        "resultaten": results,
        "evaluatie": evaluation,
        "bevindingen": [row(r, False) for r in sorted(own, key=severity_key)] + [row(r, True) for r in sorted(others, key=severity_key)],
        "overzicht": {"inhuur": hire_label(h), "leverancier": supplier, "interventie": intervention(h),
                      "contractwaarde": amount_or_empty(_contract_part(h, brin) if shared_hire and contract is not None else contract),
                      "gefactureerd": euro(place.in_year.incl),
                      "advies": dutch.format_date_short(asked) if isinstance(asked, date) else "nee"},
    }


@dataclass(frozen=True)
class MrIndex:
    """What every MR document looks up, grouped once per run so each document costs its own hires only."""

    hires: dict[tuple[str, str], list[Hire]]
    findings: dict[str, list[dict]]
    money: dict[tuple[str, str], Money]  # (file, paying school) -> that school's part of the invoices
    money_in_year: dict[tuple[str, str, str], Money]  # (file, paying school, school year of the invoice date) -> idem

    @classmethod
    def of(cls, data: RunData) -> "MrIndex":
        hires: dict[tuple[str, str], list[Hire]] = defaultdict(list)
        invoiced = invoiced_years(data)
        for h in data.hires:
            for b, _ in participants(h):  # a bovenschools hire is in the report of every school that pays for it
                for sj in hire_years(h, invoiced):  # and in every school year it runs or is invoiced in
                    hires[(b, sj)].append(h)
        found: dict[str, list[dict]] = defaultdict(list)
        for r in data.findings_df.iter_rows(named=True):
            found[r["file"]].append(r)
        inv = counted_invoices(data)
        return cls(dict(hires), dict(found), money_by(inv, "file", "brin"), money_by(inv, "file", "brin", "schooljaar"))


def completeness_sentence(data: RunData, brin: str, schooljaar: str) -> str:
    """Whether the school's NPO spending on external parties in the board's ledger is all in its workbooks."""
    from pipeline.rules import ledger as ledger_rules

    rec = data.reconciliation_df
    if rec is None:
        return ""
    mine = rec.filter((pl.col("brin_grootboek") == brin) & (pl.col("schooljaar") == schooljaar) & pl.col("bedrag_grootboek").is_not_null())
    if mine.is_empty():
        return f"In het grootboek van het bestuur staan voor schooljaar {schooljaar} geen NPO-uitgaven aan externe partijen op de kostenplaats van {text(brin)}."

    def total_of(rows: pl.DataFrame) -> Decimal:
        return sum((aggregate_cents(v) for v in rows["bedrag_grootboek"].to_list()), ZERO)

    # by lines, not by sums: an unrelated credit note never makes a gap look closed
    open_ = mine.filter(pl.col("status").is_in([ledger_rules.GEEN_WERKBOEK, ledger_rules.BEDRAG_WIJKT_AF]))
    other = mine.filter(pl.col("status") == ledger_rules.ANDERE_SCHOOL)
    total, gap, elsewhere = total_of(mine), total_of(open_), total_of(other)
    unread = unread_ledger_files(data)
    if open_.is_empty() and other.is_empty() and not unread:
        return (f"Alle NPO-uitgaven aan externe partijen van schooljaar {schooljaar} in het grootboek van het bestuur "
                f"({euro(total)} exclusief btw) staan in een werkboek van de school: de uitgaven zijn volledig verantwoord.")
    parts = [f"staat {euro(total - gap - elsewhere)} in een werkboek van de school"]
    if not other.is_empty():
        parts.append(f"{euro(elsewhere)} in een werkboek van een andere school (regel L4)")
    if not open_.is_empty():
        parts.append(f"{euro(gap)} nog niet of met een ander bedrag in een werkboek (regels L1 en L3)")
    out = (f"Van de {euro(total)} exclusief btw aan NPO-uitgaven aan externe partijen op de kostenplaats van {text(brin)} in "
           f"het grootboek van het bestuur (schooljaar {schooljaar}) " + (", ".join(parts[:-1]) + " en " if len(parts) > 1 else "")
           + parts[-1] + ".")
    if not other.is_empty():
        out += " Het bestuur gaat na bij welke school die uitgaven horen."
    if not open_.is_empty():
        out += " Het bestuur vraagt de school om aanvulling."
    if unread:
        out += (f" Of dit alles is, staat nog niet vast: {', '.join(unread)} "
                f"{'is' if len(unread) == 1 else 'zijn'} niet helemaal gelezen.")
    return out


def mr_context(data: RunData, brin: str, schooljaar: str, index: MrIndex | None = None) -> dict[str, Any]:
    """The MR document of one school and school year: each counted hire in plain Dutch."""
    index = index or MrIndex.of(data)
    hires = sorted(index.hires.get((brin, schooljaar), []),
                   key=lambda h: (h.get("volgnummer") if isinstance(h.get("volgnummer"), int) else 10**9, h.file))
    files = [h.file for h in hires]
    names = school_names(data)
    school = names.get(brin, brin)  # never the name of another school whose bovenschools hire this school pays for
    per_file = {f: index.money[(f, brin)] for f in files if (f, brin) in index.money}
    in_year = {f: index.money_in_year.get((f, brin, schooljaar), Money()) for f in files}
    found: dict[str, list[dict]] = {f: index.findings.get(f, []) for f in files}
    items = [_mr_hire(h, school, per_file.get(h.file, Money()), found[h.file], brin, MrPlace(i, schooljaar, in_year[h.file], names))
             for i, h in enumerate(hires, start=1)]
    own = [r for f in files for r in own_findings(found[f], brin)[0]]
    others = sum(len(own_findings(found[f], brin)[1]) for f in files)
    errors = sum(1 for r in own if r["severity"] == "fout")
    warnings = sum(1 for r in own if r["severity"] == "waarschuwing")
    total_contract = sum((_contract_part(h, brin) for h in hires if isinstance(h.get("contractwaarde"), Decimal)), ZERO)
    total_incl = sum((m.incl for m in in_year.values()), ZERO)
    earlier = sum(1 for h in hires if h.get("schooljaar") != schooljaar)
    start, end = dutch.school_year_bounds(schooljaar)
    summary = (f"In schooljaar {schooljaar} {'hoort' if len(items) == 1 else 'horen'} bij {school} {count(len(items), 'inhuur', 'inhuren')}: geregistreerd, "
               f"lopend of gefactureerd in dit schooljaar" + (f" ({dutch.format_number(earlier)} geregistreerd in een eerder schooljaar)" if earlier else "")
               + f". De contractwaarde is samen {euro(total_contract)} exclusief btw; in dit schooljaar is {euro(total_incl)} "
               f"inclusief btw gefactureerd. Het bestuur vond bij deze inhuur {count(errors, 'fout', 'fouten')} en "
               f"{count(warnings, 'waarschuwing', 'waarschuwingen')}"
               + (f"; {count(others, 'bevinding', 'bevindingen')} {'gaat' if others == 1 else 'gaan'} over een andere school "
                  f"die aan een inhuur meebetaalt en {'is' if others == 1 else 'zijn'} hierin niet meegeteld." if others else "."))
    return {
        **common(data),
        "volledigheid": completeness_sentence(data, brin, schooljaar),
        "brin": brin,
        "school": school,
        "schooljaar": schooljaar,
        "periode": f"{schooljaar} ({dutch.format_date(start)} tot en met {dutch.format_date(end)})",
        "samenvatting": summary + closing_sentence(data, schooljaar),
        "aantal": {"fout": errors, "waarschuwing": warnings, "andere_school": others},
        "overzicht": [i.pop("overzicht") for i in items],
        "totaal_contract": euro(total_contract),
        "totaal_gefactureerd": euro(total_incl),
        "inhuren": items,
        "herkomst": trail(hires),
        "grafieken": {},
    }

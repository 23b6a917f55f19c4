"""The GMR document's context: the board-wide overview of one school year."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import polars as pl

from pipeline import aggregate, dutch
from pipeline.aggregate import ZERO, Money, money, money_by
from pipeline.model import RunData
from pipeline.render.context import (
    DASH,
    NOT_FILLED,
    allocation_share,
    amount_or_empty,
    brins_of,
    category_chart,
    category_rows,
    common,
    compliance,
    count,
    counted_invoices,
    day,
    euro,
    findings_of,
    hire_label,
    hires_of_year,
    hires_per_category,
    intervention,
    school_label,
    school_chart,
    school_names,
    no_new_money,
    supplier,
    participants_text,
    text,
    trail,
)

# --------------------------------------------------------------------------- GMR


def gmr_context(data: RunData, schooljaar: str) -> dict[str, Any]:
    """The GMR overview of one school year: spending per school and category, bovenschools hires, compliance."""
    names = school_names(data)
    hires = sorted(hires_of_year(data, schooljaar), key=lambda h: (hire_label(h), h.file))
    inv = counted_invoices(data).filter(pl.col("schooljaar") == schooljaar)
    alloc = {b: aggregate.cents(v) for b, v in data.allocations_df.filter(pl.col("schooljaar") == schooljaar).select("brin", "toekenning").iter_rows()}
    alloc_total = sum(alloc.values(), ZERO)
    brins: list[str | None] = list(brins_of(data, inv.get_column("brin").to_list(), alloc, (h.get("brin") for h in hires)))
    if inv.get_column("brin").null_count():
        brins.append(None)
    per_school = money_by(inv, "brin")
    board = money(inv)
    severity: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (file, about) -> severities
    for f, s, about in findings_of(data, [h.file for h in hires]).select("file", "severity", "about").iter_rows():
        severity[(f, about or "")][s] += 1
    rows, sums = [], Counter()
    for b in brins:
        mine = [h for h in hires if b in {p for p, _ in aggregate.participants(h)}]  # bovenschools: every school that pays
        spent = per_school.get(b, Money()).incl
        consent = sum(1 for h in mine if isinstance(h.get("mr_instemming_schoolprogramma"), date))
        a = alloc.get(b) if b else None
        own = Counter()  # a school's own findings: not those a rule made about another school paying for the hire
        for h in mine:
            for (f, about), c in severity.items():
                if f == h.file and about in ("", b):
                    own.update(c)
        sums.update({"inhuren": len(mine), "fout": own["fout"], "waarschuwing": own["waarschuwing"]})
        rows.append({
            "school": school_label(names, b), "inhuren": dutch.format_number(len(mine)),
            "toekenning": euro(a) if a is not None else DASH, "besteed": euro(spent), "aandeel": allocation_share(spent, a),
            "fouten": dutch.format_number(own["fout"]), "waarschuwingen": dutch.format_number(own["waarschuwing"]),
            "mr": f"{consent}/{len(mine)}" if mine else DASH,
        })
    start, end = dutch.school_year_bounds(schooljaar)
    naleving, naleving_totaal, sentence = compliance(data, [h.file for h in hires])
    totals = {"inhuren": len(hires), "fout": sum(c["fout"] for c in severity.values()),
              "waarschuwing": sum(c["waarschuwing"] for c in severity.values())}
    differ = [k for k in ("inhuren", "fout", "waarschuwing") if sums[k] != totals[k]]
    note = ("De kolommen " + ", ".join({"inhuren": "Inhuren", "fout": "Fout", "waarschuwing": "Waarsch."}[k] for k in differ)
            + " tellen samen op tot meer dan de totaalregel: een bovenschoolse inhuur staat, met haar bevindingen, bij elke "
              "school die eraan meebetaalt; het totaal telt haar één keer. Een bevinding over één school (zoals het aandeel van "
              "haar toekenning, regel P5) telt alleen bij die school." if differ else "")
    known = alloc_total if alloc else None
    why = no_new_money(data, schooljaar)
    if why:
        allocation = f"Een NPO-toekenning voor dit schooljaar is er niet: {why}. De uitgaven komen uit eerder toegekende NPO-middelen."
    elif known is None:
        allocation = "Een NPO-toekenning voor dit schooljaar is niet bekend (tabblad Leerlingen van bestuur.xlsx)."
    else:
        allocation = (f"De NPO-toekenning voor dit schooljaar is {euro(alloc_total)}; daarvan is "
                      f"{allocation_share(board.incl, known)} besteed aan externe inhuur.")
    dashes = any(r["aandeel"] == DASH for r in rows)
    above = [h for h in hires if h.above_school]
    return {
        **common(data),
        "schooljaar": schooljaar,
        "periode": f"{schooljaar} ({dutch.format_date(start)} tot en met {dutch.format_date(end)})",
        "aantal_inhuren": count(len(hires), "inhuur", "inhuren"),
        "aantal_inhuren_getal": dutch.format_number(len(hires)),
        "aantal_bovenschools": dutch.format_number(len(above)),
        "totaal": {"excl": euro(board.excl), "btw": euro(board.btw), "incl": euro(board.incl)},
        "toekenning_totaal": euro(alloc_total),
        "aandeel_extern": allocation_share(board.incl, known),
        "toekenning_tekst": allocation,
        "aandeel_noot": ("Aandeel: besteed gedeeld door de toekenning; 'n.v.t.' als er geen toekenning bekend is, een streepje "
                         "als de toekenning nul is." if dashes or "n.v.t." in [r["aandeel"] for r in rows] else ""),
        "scholen": rows,
        "scholen_noot": note,
        "categorieen": category_rows(inv, hires_per_category(hires)),
        "bovenschools": [{"inhuur": hire_label(h), "leverancier": supplier(h), "interventie": intervention(h),
                          "waarde": amount_or_empty(h.get("contractwaarde")),
                          "gmr": day(h.get("gmr_instemming"), "ontbreekt"), "mr_akkoord": day(h.get("mr_akkoord_bovenschools"), "ontbreekt"),
                          "deelnemers": participants_text(h)}
                         for h in above],
        "herkomst": trail(hires),
        "inhuren": [{"inhuur": hire_label(h), "leverancier": supplier(h), "interventie": intervention(h),
                     "niveau": text(h.get("niveau")) or NOT_FILLED, "waarde": amount_or_empty(h.get("contractwaarde")),
                     "advies": day(h.get("mr_advies_gevraagd"), "niet gevraagd")} for h in hires],
        "naleving": naleving,
        "naleving_totaal": naleving_totaal,
        "naleving_tekst": (f"Bevindingen bij de inhuur van dit schooljaar: {sentence}." if naleving
                           else "Bij de inhuur van dit schooljaar zijn geen bevindingen gedaan."),
        "grafieken": {k: v for k, v in {
            "chart_categories": category_chart(inv, f"Uitgaven {schooljaar} per menukaartcategorie (incl. btw)"),
            "chart_schools": school_chart(names, inv, f"Uitgaven {schooljaar} per school (incl. btw)"),
        }.items() if v},
    }

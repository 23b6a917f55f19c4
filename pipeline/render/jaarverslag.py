"""The jaarverslag's context: the NPO part of the annual report for one calendar year."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from pipeline import aggregate, dutch, reference
from pipeline.aggregate import ZERO, Money, money, money_by
from pipeline.model import BOARD_COST_CENTRE, READ, STATUSES, SUPERSEDED, Hire, RunData
from pipeline.read import board as config
from pipeline.render import audit
from pipeline.rules.derive import procurement_value, threshold
from pipeline.render.context import (
    unread_ledger_files,
    CATEGORIES,
    DASH,
    allocation_share,
    NOT_FILLED,
    brins_of,
    category_chart,
    category_label,
    category_names,
    category_rows,
    common,
    compliance,
    count,
    counted_invoices,
    day,
    euro,
    euro_or_dash,
    findings_of,
    hire_label,
    hire_period,
    participants_text,
    hires_per_category,
    intervention,
    no_new_money,
    school_label,
    school_chart,
    school_names,
    share,
    supplier,
    text,
)

# --------------------------------------------------------------------------- jaarverslag


def hires_in_year(data: RunData, year: int) -> list[Hire]:
    """Counted hires that ran in `year` (period overlaps it; an open-ended one runs until the run date)
    or have a counted invoice dated in it."""
    invoiced = set(counted_invoices(data).filter(pl.col("kalenderjaar") == year).get_column("file").to_list())
    out = [h for h in data.hires if h.file in invoiced or _runs_in(hire_period(h, data.today), year)]
    return sorted(out, key=lambda h: (hire_label(h), h.file))


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


def _evaluated(h: Hire) -> list[Any] | None:
    """The 'Behaald' value of each result the hire agreed (tblResultaten rows with a Resultaat), or None when
    the hire has neither an evaluation nor a result marked: it is then not in chapter 6 or Bijlage C."""
    done = [r.get("Behaald") for r in h.tables.get("tblResultaten", []) if r.get("Resultaat")]
    if not (isinstance(h.get("evaluatiedatum"), date) or h.get("evaluatie_samenvatting") or any(done)):
        return None
    return done


def _results(hires: list[Hire]) -> list[dict]:
    out = []
    for h in hires:
        done = _evaluated(h)
        if done is None:
            continue
        achieved = f"{done.count('Ja')} van {len(done)}" + (f", {done.count('Deels')} deels" if done.count("Deels") else "")
        out.append({"inhuur": hire_label(h), "interventie": intervention(h), "behaald": achieved if done else DASH,
                    "evaluatie": day(h.get("evaluatiedatum"), "geen datum"),
                    "samenvatting": text(h.get("evaluatie_samenvatting")) or DASH})
    return out


def _results_summary(hires: list[Hire]) -> tuple[list[dict], dict[str, str]]:
    """Section 6 of the jaarverslag: per menukaart category the hires with an evaluation or a result, and their
    results agreed, achieved and partly achieved (Bijlage C has the hires one by one)."""
    per: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for h in hires:
        done = _evaluated(h)
        if done is None:
            continue
        counts = per[aggregate.category(h.get("interventie"))]
        for i, n in enumerate((1, len(done), done.count("Ja"), done.count("Deels"))):
            counts[i] += n
    keys = ("inhuren", "afgesproken", "behaald", "deels")
    out = [{"categorie": category_label(code), **{k: dutch.format_number(v) for k, v in zip(keys, per[code])}}
           for code in [*CATEGORIES, None] if code in per]
    totals = [sum(c[i] for c in per.values()) for i in range(4)]
    return out, {k: dutch.format_number(v) for k, v in zip(keys, totals)}


# What only the appendix document (jaarverslag-<jaar>-bijlagen.docx) shows: the file-by-file, school-by-school and
# hire-by-hire tables. They are kept apart from the report itself so that the report stays short enough for the
# annual report, and so that a late workbook of an earlier year (which changes the cumulative position in every
# later report) does not make the appendices of the later years again.
APPENDIX_ONLY = ("bestanden", "bestanden_tekst", "bestanden_totaal", "zonder_datum", "toekenningen", "resultaten") + audit.APPENDIX_KEYS
APPENDIX_SHARED = ("bestuur", "gemaakt_op", "regelset", "gemaakt_regel", "versies_tekst", "jaar", "periode",
                   "schooljaar_eind", "schooljaar_start", "totaal", "bijlagen_bestand", "zonder_evaluatie")


def appendix_file(year: int) -> str:
    return f"jaarverslag-{year}-bijlagen.docx"


def split(ctx: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The context of the report and that of its appendix document, each with only what it shows."""
    report = {k: v for k, v in ctx.items() if k not in APPENDIX_ONLY}
    appendix = {k: ctx[k] for k in APPENDIX_SHARED + APPENDIX_ONLY}
    return report, appendix


def _above_threshold(data: RunData, hires: list[Hire]) -> list[dict]:
    rows = []
    social = data.board.settings.social_services_regime
    for h in hires:
        t = threshold(h, social)
        value = procurement_value(h)
        if t is None or value < t[0]:
            continue
        procedure = h.get("procedure")
        rows.append({"inhuur": hire_label(h), "leverancier": supplier(h), "waarde": euro(value), "drempel": euro(t[0]),
                     "procedure": text(procedure) or NOT_FILLED,
                     "oordeel": "Europees aanbesteed" if procedure == "Europees" else "Niet Europees aanbesteed: fout (A1)"})
    return rows


def _appendix(data: RunData, inv_all: pl.DataFrame, inv: pl.DataFrame, hires: list[Hire], year: int) -> list[dict]:
    """Bijlage A: the input files behind the year's figures, with what each adds to the year's total.

    A counted workbook is listed when its hire ran in `year` or has an invoice in it (the year's
    hires), or when its hire has no period and no dated invoice (it belongs to no year, so it is
    shown in every year rather than in none). A replaced version is listed with the year of the
    version that replaced it; a file that was not read is listed in every year. So the appendix of
    a closed year does not change when a workbook of another year arrives; register.xlsx lists all.
    """
    per_file = money_by(inv, "file")
    in_year = {h.file for h in hires}
    counted = {h.file for h in data.hires}
    dated = set(inv_all.filter(pl.col("kalenderjaar").is_not_null()).get_column("file").to_list())
    yearless = {h.file for h in data.hires if hire_period(h, data.today) is None and h.file not in dated}
    rows = []
    for fr in sorted(data.files, key=lambda f: f.file):
        if fr.status == READ:
            if fr.file not in in_year and fr.file not in yearless:
                continue
        elif fr.status == SUPERSEDED:
            own = fr.hire is not None and _runs_in(hire_period(fr.hire, data.today), year)
            if not own and data.superseded.get(fr.file) not in in_year:
                continue
        m = per_file.get(fr.file, Money())
        if fr.file in counted:
            if fr.file in yearless:
                reason = "geen periode en geen gedateerde factuur: telt in geen enkel jaar mee"
            else:
                reason = f"{count(m.n, 'factuur', 'facturen')} in {year}" if m.n else f"geen facturen in {year}"
            amounts = (euro(m.excl), euro(m.incl))
        else:
            reason, amounts = text(fr.reason), (DASH, DASH)
        rows.append({"file": text(fr.file), "sha256": fr.sha256 or DASH, "status": fr.status,
                     "reden": reason, "excl": amounts[0], "incl": amounts[1]})
    return rows


def _runs_in(period: tuple[date, date] | None, year: int) -> bool:
    return period is not None and period[0] <= date(year, 12, 31) and period[1] >= date(year, 1, 1)


def _completeness(data: RunData, names: dict, year: int) -> dict[str, Any]:
    """Section Volledigheid: the ledger's NPO spending on external parties per school against the workbooks."""
    from pipeline.rules import ledger as ledger_rules

    if data.reconciliation_df is None:
        return {"volledigheid": [], "volledigheid_totaal": {}, "volledigheid_tekst": ""}
    table = ledger_rules.completeness(data.reconciliation_df).filter(pl.col("kalenderjaar") == year)
    rows, sums = [], {k: ZERO for k in ("grootboek", "verantwoord", "bedrag_wijkt_af", "geen_werkboek", "andere_school")}
    for r in table.iter_rows(named=True):
        b = r["brin_grootboek"]
        label = "Bovenschools (bestuursbureau)" if b == BOARD_COST_CENTRE else school_label(names, b) if b else "Kostenplaats onbekend"
        for k in sums:
            sums[k] += aggregate.cents(r[k])
        rows.append({"school": label, **{k: euro(aggregate.cents(r[k])) for k in sums}})
    not_booked = data.reconciliation_df.filter((pl.col("status") == ledger_rules.NIET_IN_GROOTBOEK) & (pl.col("datum").dt.year() == year))
    files = ", ".join(f.file for f in data.ledger_files if f.status == "gelezen")
    sources = "; ".join(f"{f.file} (SHA-256 {f.sha256})" for f in data.ledger_files if f.status == "gelezen")
    # completeness is stated only when every ledger file was read whole and every booking of the year is accounted
    # for line by line: an unrelated credit note never makes a gap look closed
    failed = unread_ledger_files(data)
    open_lines = data.reconciliation_df.filter(
        pl.col("bedrag_grootboek").is_not_null() & (pl.col("datum_grootboek").dt.year() == year)
        & pl.col("status").is_in([ledger_rules.GEEN_WERKBOEK, ledger_rules.BEDRAG_WIJKT_AF])).height
    gaps = data.reconciliation_df.filter(
        pl.col("bedrag_grootboek").is_not_null() & (pl.col("datum_grootboek").dt.year() == year)
        & (pl.col("status") == ledger_rules.GEEN_WERKBOEK)).height
    if failed:
        intro = (f"De volledigheid van {year} kan niet worden vastgesteld: {', '.join(failed)} "
                 f"{'is' if len(failed) == 1 else 'zijn'} niet (helemaal) gelezen of {'gaf' if len(failed) == 1 else 'gaven'} niets om te controleren (zie de "
                 f"bevindingen L1 en W4 bij {'dat bestand' if len(failed) == 1 else 'die bestanden'} in register.xlsx). Van wat wel is gelezen, staat "
                 f"{euro(sums['verantwoord'])} van {euro(sums['grootboek'])} excl. btw in een werkboek.")
    elif not rows:
        intro = f"Het grootboek ({files}) bevat geen NPO-uitgaven aan externe partijen met een boekdatum in {year}."
    elif sums["grootboek"] == sums["verantwoord"] and not open_lines:
        intro = f"Alle NPO-uitgaven aan externe partijen in het grootboek van {year} ({euro(sums['grootboek'])} excl. btw) staan in een werkboek."
    else:
        intro = (f"Van de {euro(sums['grootboek'])} excl. btw aan NPO-uitgaven aan externe partijen in het grootboek van {year} "
                 f"staat {euro(sums['verantwoord'])} in een werkboek. Het verschil: {euro(sums['geen_werkboek'])} zonder werkboek "
                 f"(regel L1, {count(gaps, 'boeking', 'boekingen')}) en {euro(sums['bedrag_wijkt_af'])} met een ander bedrag in het werkboek (regel L3). Facturen op de "
                 f"kostenplaats van een andere school (regel L4, {euro(sums['andere_school'])}) staan wel in een werkboek.")
    if not not_booked.is_empty():
        verb = "staat" if not_booked.height == 1 else "staan"
        intro += (f" Daarnaast {verb} {count(not_booked.height, 'factuur', 'facturen')} uit werkboeken "
                  f"({euro(aggregate.cents(not_booked['bedrag_werkboek'].sum()))}) niet als NPO-uitgave in het grootboek (regel L2).")
    return {"volledigheid": rows, "volledigheid_totaal": {k: euro(v) for k, v in sums.items()},
            "volledigheid_tekst": f"{intro} Bron: {sources}."}


def _outside_board(data: RunData, year: int) -> str:
    """'; niet meegeteld: ...' for workbooks of schools that are not in bestuur.xlsx with invoices in `year`."""
    from pipeline.model import REJECTED

    brins, files, amount = set(), 0, ZERO
    for f in data.files:
        brin = f.hire.get("brin") if f.hire is not None else None
        if f.status != REJECTED or not brin or brin in data.board.schools:
            continue
        rows = [r for r in f.hire.tables.get("tblFacturen", [])
                if isinstance(r.get("Factuurdatum"), date) and r.get("Factuurdatum").year == year]
        if not rows:
            continue
        brins.add(brin)
        files += 1
        for r in rows:
            for col in ("Bedrag excl. BTW", "BTW-bedrag"):
                if isinstance(r.get(col), (Decimal, int)):
                    amount += Decimal(r.get(col))
    if not files:
        return ""
    return (f"; niet meegeteld {'is' if files == 1 else 'zijn'} {count(files, 'werkboek', 'werkboeken')} van "
            f"{'een school' if len(brins) == 1 else 'scholen'} die niet in bestuur.xlsx {'staat' if len(brins) == 1 else 'staan'} "
            f"({', '.join(sorted(brins))}), met {euro(amount)} inclusief btw aan facturen in {year}")


def _invoiced_of(invoiced: int, hires: int, year: int) -> str:
    """The invoiced hires as a part of the year's hires, so the summary never shows a second, different total."""
    if invoiced == hires:
        return count(hires, "inhuur", "inhuren")
    rest = hires - invoiced
    return (f"{count(invoiced, 'inhuur', 'inhuren')} (van de {count(hires, 'inhuur', 'inhuren')} van {year}; "
            f"{count(rest, 'andere inhuur liep', 'andere inhuren liepen')} in {year} zonder factuur in {year})")


def _allocation_words(data: RunData, year: int, alloc: dict[str, Decimal], spent: Money, pnil: Decimal,
                      dashes: bool, appendix: str) -> dict[str, str]:
    """How the year's allocation is made up, in words: a school year without NPO money (before or after the
    programme, or without new money) is named as such, never counted as 7/12 or 5/12 of nothing."""
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    months = {ending: ("7/12", "januari tot en met juli"), starting: ("5/12", "augustus tot en met december")}
    why = {sy: no_new_money(data, sy) for sy in months}
    counted = [sy for sy in months if not why[sy]]
    total = sum(alloc.values(), ZERO)
    known = total if alloc else None
    if len(counted) == 2:
        basis = f"7/12 van schooljaar {ending} plus 5/12 van schooljaar {starting}"
        words = (f"Een kalenderjaar valt in twee schooljaren. De NPO-toekenning voor {year} is daarom berekend als 7/12 van "
                 f"de toekenning voor schooljaar {ending} (januari tot en met juli) plus 5/12 van de toekenning voor schooljaar "
                 f"{starting} (augustus tot en met december). Voor de scholen van het bestuur samen is dat {euro(total)}.")
    elif counted:
        sy, (other,) = counted[0], [why[y] for y in months if why[y]]
        basis = f"{months[sy][0]} van schooljaar {sy}; {other}"
        words = (f"Een kalenderjaar valt in twee schooljaren. De NPO-toekenning voor {year} is {months[sy][0]} van de toekenning "
                 f"voor schooljaar {sy} ({months[sy][1]}); {other}. Voor de scholen van het bestuur samen is dat {euro(total)}.")
    else:
        reasons = f"{why[ending]}, en {why[starting]}"
        basis = f"geen nieuwe toekenning: {reasons}"
        words = (f"In {year} kreeg het bestuur geen nieuwe NPO-middelen: {reasons}. Wat in {year} is uitgegeven, komt uit "
                 f"eerder toegekende NPO-middelen; hoofdstuk 3 zet onder 'Cumulatief' alle uitgaven tegenover alle toekenningen.")
    if counted:
        pnil_line = (f"Aandeel van de NPO-middelen besteed aan personeel niet in loondienst (PNIL): {allocation_share(pnil, known)} "
                     f"({euro(pnil)} van {euro(total)})." if known else
                     f"Besteed aan personeel niet in loondienst (PNIL): {euro(pnil)}; een aandeel is niet te berekenen, want er "
                     f"is voor {year} geen toekenning bekend.")
        extern_line = (f"Aandeel van de NPO-middelen besteed aan externe inhuur in totaal: {allocation_share(spent.incl, known)}."
                       if known else f"Besteed aan externe inhuur in totaal: {euro(spent.incl)}.")
    else:
        pnil_line = (f"Besteed aan personeel niet in loondienst (PNIL): {euro(pnil)}; zonder nieuwe toekenning in {year} is er "
                     "geen aandeel van de toekenning van dit jaar.")
        extern_line = f"Besteed aan externe inhuur in totaal: {euro(spent.incl)}, uit eerder toegekende NPO-middelen."
    note = (f"Aandeel = uitgaven gedeeld door de toekenning voor {year}. 'n.v.t.' betekent dat er voor deze school geen "
            f"toekenning bekend is (zie bijlage B in {appendix} en het tabblad Leerlingen van bestuur.xlsx).")
    if dashes:
        note += " Een streepje bij Aandeel: de toekenning is nul, dus er is geen aandeel te berekenen."
    return {"toekenning_uitleg": words, "toekenning_grondslag": basis, "pnil_regel": pnil_line, "extern_regel": extern_line,
            "aandeel_noot": note + " Een bovenschoolse inhuur telt bij elke deelnemende school voor haar aandeel."}


def jaarverslag_context(data: RunData, year: int) -> dict[str, Any]:
    """Everything the jaarverslag of one calendar year shows, as Dutch strings and lists of dicts."""
    names = school_names(data)
    inv_all = counted_invoices(data)
    inv = inv_all.filter(pl.col("kalenderjaar") == year)
    hires = hires_in_year(data, year)
    files = [h.file for h in hires]
    ending, starting = f"{year - 1}-{year}", f"{year}-{year + 1}"
    alloc = {b: aggregate.cents(v) for b, v in aggregate.calendar_allocation(data.allocations_df, year).select("brin", "toekenning").iter_rows()}
    alloc_total = sum(alloc.values(), ZERO)
    brins: list[str | None] = list(brins_of(data, inv.get_column("brin").to_list(), alloc, (h.get("brin") for h in hires)))
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
        label, m = school_label(names, b), per_school.get(b, Money())
        matrix.append({"school": label, **{c: euro_or_dash(per_school_cat.get((b, c), Money()).incl) for c in CATEGORIES},
                       "totaal": euro_or_dash(m.incl)})
        costs.append({"school": label, "facturen": dutch.format_number(m.n), "excl": euro(m.excl), "btw": euro(m.btw), "incl": euro(m.incl)})
        a, p = alloc.get(b) if b else None, pnil.get(b, Money()).incl
        npo.append({"school": label, "toekenning": euro(a) if a is not None else DASH, "extern": euro(m.incl),
                    "aandeel_extern": allocation_share(m.incl, a), "pnil": euro(p), "aandeel_pnil": allocation_share(p, a)})
    # Cumulative position: all NPO spending up to 31 December against all allocations up to that date
    # (nponderwijs.nl: 2022-2023 funds may be spent until 31 July 2025; later school years bring no new money).
    year_end = date(year, 12, 31)
    inv_cum = inv_all.filter(pl.col("factuurdatum") <= year_end)
    alloc_cum = aggregate.allocation_until(data.allocations_df, year_end)
    spent_cum = money_by(inv_cum, "brin")
    pnil_cum = money_by(inv_cum.filter(pl.col("pnil") == "Ja"), "brin")
    cumulative = []
    for b in brins:
        a = alloc_cum.get(b) if b else None
        m, p = spent_cum.get(b, Money()).incl, pnil_cum.get(b, Money()).incl
        cumulative.append({"school": school_label(names, b), "toekenning": euro(a) if a is not None else DASH, "extern": euro(m),
                           "aandeel_extern": share(m, a), "pnil": euro(p), "aandeel_pnil": share(p, a)})
    alloc_cum_total = sum(alloc_cum.values(), ZERO)
    board_cum = money(inv_cum)
    pnil_cum_total = sum((m.incl for m in pnil_cum.values()), ZERO)
    zonder = [f"{school_label(names, b)}: {euro(m.incl)}" for (b, c), m in sorted(per_school_cat.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or ""))
              if c is None]

    consent = []
    by_brin: dict[str | None, list[Hire]] = defaultdict(list)
    for h in hires:
        for b, _ in aggregate.participants(h):  # a bovenschools hire counts at every school that pays for it
            by_brin[b].append(h)
    for b in sorted(by_brin, key=lambda x: (x is None, x or "")):
        group = by_brin[b]
        asked = sum(1 for h in group if isinstance(h.get("mr_advies_gevraagd"), date))
        consent.append({"school": school_label(names, b), "inhuren": dutch.format_number(len(group)),
                        "instemming": _consent_text([h.get("mr_instemming_schoolprogramma") for h in group]),
                        "advies": f"Bij {dutch.format_number(asked)} van {count(len(group), 'inhuur', 'inhuren')}"})

    shared_extra = sum(len(by) - 1 for by in (aggregate.participants(h) for h in hires) if len(by) > 1)
    gedeeld = (f"Een bovenschoolse inhuur staat bij elke school die eraan meebetaalt: de kolom Inhuren telt daardoor samen "
               f"{dutch.format_number(shared_extra)} meer dan de {count(len(hires), 'inhuur', 'inhuren')} van {year}."
               if shared_extra else "")
    per_file = money_by(inv, "file")
    extra_invoices = sum(m.n for b, m in per_school.items() if b in brins) - board.n
    kosten_noot = (f"Een factuur van een bovenschoolse inhuur staat bij elke school die eraan meebetaalt, met het deel van die "
                   f"school: de kolom Facturen telt daardoor samen {dutch.format_number(extra_invoices)} meer dan de "
                   f"{count(board.n, 'factuur', 'facturen')} van {year}; de bedragen tellen precies op." if extra_invoices else "")
    above = [h for h in hires if h.above_school]
    bovenschools = [{"inhuur": hire_label(h), "leverancier": supplier(h), "gmr": day(h.get("gmr_instemming"), "ontbreekt"),
                     "mr_akkoord": day(h.get("mr_akkoord_bovenschools"), "ontbreekt"),
                     "bedrag": euro(per_file.get(h.file, Money()).incl), "deelnemers": participants_text(h)} for h in above]

    def grouped(key) -> list[tuple[str, list[Hire]]]:
        out: dict[str, list[Hire]] = defaultdict(list)
        for h in hires:
            out[key(h)].append(h)
        return sorted(out.items())

    def spent(group: list[Hire]) -> str:
        return euro(sum((per_file.get(h.file, Money()).incl for h in group), ZERO))

    interventies = [{"interventie": k, "inhuren": dutch.format_number(len(v)), "scholen": dutch.format_number(len({h.get("brin") for h in v})),
                     "bedrag": spent(v)} for k, v in grouped(intervention)]
    soorten = [{"soort": k, "inhuren": dutch.format_number(len(v)), "bedrag": spent(v)}
               for k, v in grouped(lambda h: text(h.get("soort_inhuur")) or NOT_FILLED)]

    results = _results(hires)
    results_summary, results_total = _results_summary(hires)
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
    a2 = findings_of(data, files).filter(pl.col("rule") == "A2").sort(["hire_id", "file"])
    opgeknipt = [{"inhuur": r["hire_id"] or r["file"], "melding": text(r["message"])} for r in a2.iter_rows(named=True)]
    drempels = [{"periode": f"{dutch.format_date(p.start)} tot en met {dutch.format_date(p.end)}", "diensten": euro(p.services),
                 "sociaal": euro(p.social_services), "bron": p.source} for p in reference.thresholds()]

    appendix = _appendix(data, inv_all, inv, hires, year)
    listed = Counter(r["status"] for r in appendix)
    undated = inv_all.filter(pl.col("kalenderjaar").is_null())
    zonder_datum = ""
    if not undated.is_empty():
        undated_files = ", ".join(sorted({text(f) for f in undated.get_column("file").to_list()}))
        zonder_datum = (f"Let op: {count(undated.height, 'factuur heeft', 'facturen hebben')} geen leesbare factuurdatum en "
                        f"{'telt' if undated.height == 1 else 'tellen'} daardoor in geen enkel jaar mee (bestanden: {undated_files}).")
    toekenningen = [
        {"school": school_label(names, r["brin"]), "schooljaar": r["schooljaar"], "toekenning": euro(r["toekenning"]),
         "deel": "7/12" if r["schooljaar"] == ending else "5/12", "grondslag": text(r["grondslag"])}
        for r in data.allocations_df.filter(pl.col("schooljaar").is_in([ending, starting])).sort(["brin", "schooljaar"]).iter_rows(named=True)
    ]
    cat_names = category_names()
    total = {"excl": euro(board.excl), "btw": euro(board.btw), "incl": euro(board.incl), "facturen": dutch.format_number(board.n)}
    return {
        **common(data),
        "jaar": str(year),
        "periode": f"1 januari {year} tot en met 31 december {year}",
        "schooljaar_eind": ending,
        "schooljaar_start": starting,
        "totaal": total,
        "aantal_facturen": count(board.n, "factuur", "facturen"),
        "aantal_inhuren_gefactureerd": _invoiced_of(len([h for h in hires if h.file in per_file]), len(hires), year),
        "aantal_scholen_gefactureerd": count(len([b for b in per_school if b]), "school", "scholen") + _outside_board(data, year),
        "aantal_inhuren": count(len(hires), "inhuur", "inhuren"),
        "medezeggenschap_gedeeld": gedeeld,
        "aantal_bovenschools": dutch.format_number(len(above)),
        "aantal_eu": dutch.format_number(len(eu)) if eu else "geen",
        "toekenning_totaal": euro(alloc_total),
        "aandeel_extern": allocation_share(board.incl, alloc_total if alloc else None),
        "pnil": {"bedrag": euro(pnil_total), "aandeel": allocation_share(pnil_total, alloc_total if alloc else None)},
        **_allocation_words(data, year, alloc, board, pnil_total, any(DASH in (r["aandeel_extern"], r["aandeel_pnil"]) for r in npo),
                            appendix_file(year)),
        "scholen_categorie": matrix,
        "totaal_categorie": {**{c: euro_or_dash(per_cat.get(c, Money()).incl) for c in CATEGORIES}, "totaal": euro(board.incl)},
        "zonder_categorie": bool(zonder),
        "zonder_categorie_tekst": "; ".join(zonder),
        "categorie_legenda": "; ".join(f"{c} = {cat_names.get(c, '')}" for c in CATEGORIES),
        "scholen_kosten": costs,
        "kosten_noot": kosten_noot,
        "categorieen": category_rows(inv, hires_per_category(hires, set(per_file))),
        "npo": npo,
        "cumulatief": cumulative,
        "cumulatief_totaal": {"tot": dutch.format_date(year_end), "toekenning": euro(alloc_cum_total), "extern": euro(board_cum.incl),
                              "aandeel_extern": share(board_cum.incl, alloc_cum_total), "pnil": euro(pnil_cum_total),
                              "aandeel_pnil": share(pnil_cum_total, alloc_cum_total)},
        "medezeggenschap": consent,
        "bovenschools": bovenschools,
        "interventies": interventies,
        "soorten": soorten,
        "resultaten": results,
        "resultaten_overzicht": results_summary,
        "resultaten_totaal": results_total,
        "bijlagen_bestand": appendix_file(year),
        "zonder_evaluatie": zonder_evaluatie,
        "naleving": naleving,
        "naleving_totaal": naleving_totaal,
        "naleving_tekst": naleving_tekst,
        "eu": eu,
        "opgeknipt": opgeknipt,
        "aannames": config.assumptions(data.board),
        "drempels": drempels,
        "bestanden": appendix,
        "bestanden_tekst": (f"In deze bijlage {'staat' if len(appendix) == 1 else 'staan'} {count(len(appendix), 'bestand', 'bestanden')}: "
                            + ", ".join(f"{dutch.format_number(listed[s])} {s}" for s in STATUSES) + "."),
        "bestanden_totaal": {"aantal": count(len(appendix), "bestand", "bestanden"), "excl": total["excl"], "incl": total["incl"]},
        "zonder_datum": zonder_datum,
        "toekenningen": toekenningen,
        **_completeness(data, names, year),
        **audit.appendix_context(data, year),
        **audit.report_context(data, year, files),
        "grafieken": {k: v for k, v in {
            "chart_categories": category_chart(inv, f"Uitgaven {year} per menukaartcategorie (incl. btw)"),
            "chart_schools": school_chart(names, inv, f"Uitgaven {year} per school (incl. btw)"),
        }.items() if v},
    }

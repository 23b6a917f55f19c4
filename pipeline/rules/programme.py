"""P1–P8: the attention points of OCW, Inhuur van externe partijen — handreiking voor scholen; P9: spent within the programme."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl

from pipeline import dutch
from pipeline.rules.registry import BoardContext, Context, at, board_check, empty as _empty, hire_check
from pipeline.rules import catalogue as findings
from pipeline.rules.derive import months_between
from pipeline.aggregate import SHARE_TOLERANCE
from pipeline.model import Hire
from pipeline.reference import menukaart


def on_the_menu(hire: Hire, ctx: Context):
    mk = menukaart()
    value = hire.get("interventie")
    if value:
        hit = mk.lookup(value)
        if hit is None:
            yield at("P1", "niet_op_menukaart", hire, "interventie", waarde=value)
        elif hit[0] == "F":
            yield at("P1", "f_als_interventie", hire, "interventie", waarde=value)
        else:
            added, start = (mk.added or {}).get(hit), hire.get("startdatum")
            if added and isinstance(start, date) and start < added:
                yield at("P1", "nog_niet_op_menukaart", hire, "interventie", waarde=value,
                         toegevoegd=dutch.format_date(added), start=dutch.format_date(start))
    f_value = hire.get("interventie_f")
    if f_value:
        hit = mk.lookup(f_value)
        if hit is None or hit[0] != "F":
            yield at("P1", "f_niet_op_menukaart", hire, "interventie_f", waarde=f_value)
        elif not value:
            yield at("P1", "f_zonder_ae", hire, "interventie_f", waarde=f_value)
    # Attention points 1 and 5: "zo veel mogelijk binnen de school", "alleen in aanvulling op" the school's own approach.
    if _empty(hire, "eigen_capaciteit"):
        yield at("P1", "eigen_capaciteit", hire, "eigen_capaciteit")


def programme_consent(hire: Hire, ctx: Context):
    consent, start = hire.get("mr_instemming_schoolprogramma"), hire.get("startdatum")
    if _empty(hire, "mr_instemming_schoolprogramma"):
        yield at("P2", "geen_instemming", hire, "mr_instemming_schoolprogramma")
    elif consent and start and consent > start:
        yield at("P2", "instemming_na_start", hire, "mr_instemming_schoolprogramma",
                 instemming=dutch.format_date(consent), start=dutch.format_date(start))
    if _empty(hire, "leraren_betrokken"):
        yield at("P2", "leraren", hire, "leraren_betrokken")


def above_school_consent(hire: Hire, ctx: Context):
    """AVS, Veelgestelde vragen NPO: bovenschools only with the GMR's consent and, in advance, the agreement of
    the MR of every school whose funds pay for it, to its part of those funds."""
    if not hire.above_school:
        return
    signed = hire.get("contract_getekend")
    if _empty(hire, "gmr_instemming"):
        yield at("P4", "geen_gmr", hire, "gmr_instemming")
    rows = [r for r in hire.tables.get("tblDeelnemers", []) if any(c.raw is not None for c in r.cells.values())]
    if not rows:
        table = ctx.spec.tables["tblDeelnemers"]
        if not ctx.spec.added_later(table.since, hire.template_version):  # an older template has no such table
            yield at("P4", "geen_deelnemers", hire, sheet=table.sheet, cell=f"A{table.first_row}")
        if _empty(hire, "mr_akkoord_bovenschools"):
            yield at("P4", "geen_mr_akkoord", hire, "mr_akkoord_bovenschools")
    total = Decimal(0)
    known = ctx.board.schools
    for row in rows:
        brin, share, agreed = row.cells.get("BRIN"), row.cells.get("Aandeel"), row.cells.get("MR-akkoord")
        name = row.get("BRIN") or f"regel {row.number}"
        if brin is not None and isinstance(brin.value, str) and known and brin.value not in known:
            yield at("P4", "onbekende_brin", hire, sheet=brin.sheet, cell=brin.cell, brin=brin.value)
        if share is not None and isinstance(share.value, Decimal):
            total += share.value
        if agreed is None:
            continue
        if agreed.raw is None:
            yield at("P4", "geen_mr_akkoord_school", hire, sheet=agreed.sheet, cell=agreed.cell, brin=name)
        elif isinstance(agreed.value, date) and isinstance(signed, date) and agreed.value > signed:
            yield at("P4", "mr_akkoord_na_contract", hire, sheet=agreed.sheet, cell=agreed.cell, brin=name,
                     akkoord=dutch.format_date(agreed.value), contract=dutch.format_date(signed))
    if rows and abs(total - 1) > SHARE_TOLERANCE:
        first = rows[0].cells.get("Aandeel") or next(iter(rows[0].cells.values()))
        yield at("P4", "aandelen", hire, sheet=first.sheet, cell=first.cell, totaal=dutch.format_percent(total))
    agreed_field = hire.get("mr_akkoord_bovenschools")
    if isinstance(agreed_field, date) and isinstance(signed, date) and agreed_field > signed:
        yield at("P4", "mr_akkoord_na_contract", hire, "mr_akkoord_bovenschools", brin=hire.get("brin") or "",
                 akkoord=dutch.format_date(agreed_field), contract=dutch.format_date(signed))


def limited_temporary_targeted(hire: Hire, ctx: Context):
    start, end = hire.get("startdatum"), hire.get("einddatum")
    s = ctx.board.settings
    if _empty(hire, "einddatum"):
        yield at("P5", "geen_einddatum", hire, "einddatum")
    elif end:
        if end > s.programme_end:
            yield at("P5", "na_programma", hire, "einddatum", einde=dutch.format_date(end),
                     programma_einde=dutch.format_date(s.programme_end))
        if start and end >= start and months_between(start, end) > s.max_duration_months:
            yield at("P5", "te_lang", hire, "einddatum", maanden=months_between(start, end), max=s.max_duration_months)
    rows = hire.tables.get("tblResultaten", [])
    if not any(r.get("Resultaat") and r.get("Deadline") for r in rows):
        table = ctx.spec.tables["tblResultaten"]
        cell = rows[0].cells["Resultaat"].cell if rows and "Resultaat" in rows[0].cells else f"A{table.first_row}"
        yield at("P5", "geen_resultaat", hire, sheet=table.sheet, cell=cell)


def invoices_after_end(hire: Hire, ctx: Context):
    """nponderwijs.nl: the NPO funds may be spent until the end of the programme (31 July 2025): an invoice dated
    later needs an explanation of what pays for it."""
    end = ctx.board.settings.programme_end
    for r in hire.tables.get("tblFacturen", []):
        d = r.get("Factuurdatum")
        if isinstance(d, date) and d > end:
            c = r.cells.get("Factuurdatum") or next(iter(r.cells.values()))
            amount = r.get("Bedrag excl. BTW")
            yield at("P9", "factuur_na_einde", hire, sheet=c.sheet, cell=c.cell, nummer=r.get("Factuurnummer") or "zonder nummer",
                     datum=dutch.format_date(d), bedrag=dutch.format_euro(amount) if isinstance(amount, Decimal) else "bedrag onbekend",
                     einde=dutch.format_date(end))


def bookings_after_end(ctx: BoardContext):
    """The ledger side of P9: every NPO line (all NPO spending where the board marked it, else the external part)
    booked after the end of the programme, on its ledger file and line."""
    ledger = getattr(ctx.ledger, "lines", None)
    if ledger is None or not ctx.ledger.usable:
        return
    frames = [ledger] + ([ctx.ledger.all_npo] if ctx.ledger.all_npo is not None else [])
    end = ctx.board.settings.programme_end
    late = pl.concat(frames).unique(["file", "regel"], keep="first").filter(pl.col("datum") > end).sort("file", "regel")
    for r in late.iter_rows(named=True):
        what = " ".join(x for x in (r["crediteur_naam"], r["omschrijving"]) if x) or f"rekening {r['rekening'] or 'onbekend'}"
        yield findings.finding("P9", "boeking_na_einde", file=r["file"], cell=f"regel {r['regel']}", about=r["brin"] or "",
                               regel=r["regel"], datum=dutch.format_date(r["datum"]), omschrijving=what,
                               bedrag=dutch.format_euro(r["bedrag"]), einde=dutch.format_date(end))


def in_school_programme(hire: Hire, ctx: Context):
    if hire.get("in_schoolprogramma") == "Nee":
        yield at("P6", "nee", hire, "in_schoolprogramma")


def parents_informed(hire: Hire, ctx: Context):
    if _empty(hire, "ouders_geinformeerd"):
        yield at("P8", "niet", hire, "ouders_geinformeerd")


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
hire_check("P1")(on_the_menu)
hire_check("P2")(programme_consent)
hire_check("P4")(above_school_consent)
hire_check("P5")(limited_temporary_targeted)
hire_check("P6")(in_school_programme)
hire_check("P8")(parents_informed)
hire_check("P9")(invoices_after_end)
board_check("P9")(bookings_after_end)

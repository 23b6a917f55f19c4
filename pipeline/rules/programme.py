"""P1–P8: the eight attention points of the OCW guide (Inhuur van externe partijen, first page)."""
from __future__ import annotations

from pipeline import dutch
from pipeline.rules import Context, at, empty as _empty, hire_check
from pipeline.rules.derive import months_between
from pipeline.model import Hire
from pipeline.reference import menukaart


@hire_check("P1")
def on_the_menu(hire: Hire, ctx: Context):
    mk = menukaart()
    value = hire.get("interventie")
    if value:
        hit = mk.lookup(value)
        if hit is None:
            yield at("P1", "niet_op_menukaart", hire, "interventie", waarde=value)
        elif hit[0] == "F":
            yield at("P1", "f_als_interventie", hire, "interventie", waarde=value)
    f_value = hire.get("interventie_f")
    if f_value:
        hit = mk.lookup(f_value)
        if hit is None or hit[0] != "F":
            yield at("P1", "f_niet_op_menukaart", hire, "interventie_f", waarde=f_value)
        elif not value:
            yield at("P1", "f_zonder_ae", hire, "interventie_f", waarde=f_value)


@hire_check("P2")
def programme_consent(hire: Hire, ctx: Context):
    consent, start = hire.get("mr_instemming_schoolprogramma"), hire.get("startdatum")
    if _empty(hire, "mr_instemming_schoolprogramma"):
        yield at("P2", "geen_instemming", hire, "mr_instemming_schoolprogramma")
    elif consent and start and consent > start:
        yield at("P2", "instemming_na_start", hire, "mr_instemming_schoolprogramma",
                 instemming=dutch.format_date(consent), start=dutch.format_date(start))
    if _empty(hire, "leraren_betrokken"):
        yield at("P2", "leraren", hire, "leraren_betrokken")


@hire_check("P4")
def above_school_consent(hire: Hire, ctx: Context):
    if hire.get("niveau") != "Bovenschools":
        return
    if _empty(hire, "gmr_instemming"):
        yield at("P4", "geen_gmr", hire, "gmr_instemming")
    if _empty(hire, "mr_akkoord_bovenschools"):
        yield at("P4", "geen_mr_akkoord", hire, "mr_akkoord_bovenschools")


@hire_check("P5")
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


@hire_check("P6")
def in_school_programme(hire: Hire, ctx: Context):
    if hire.get("in_schoolprogramma") == "Nee":
        yield at("P6", "nee", hire, "in_schoolprogramma")


@hire_check("P8")
def parents_informed(hire: Hire, ctx: Context):
    if _empty(hire, "ouders_geinformeerd"):
        yield at("P8", "niet", hire, "ouders_geinformeerd")


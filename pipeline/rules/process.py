"""S1–S6: the order of the five-step plan of OCW, Inhuur van externe partijen; the MR's advice right as the
AVS, Veelgestelde vragen NPO, describes it (art. 11 lid 1 onder d WMS); S6 after OVSG's tips for working with externals."""
from __future__ import annotations

from datetime import date

from pipeline import dutch
from pipeline.rules.registry import Context, at, empty, hire_check
from pipeline.rules.derive import add_months
from pipeline.model import Hire

LABELS = {
    "contract_getekend": "De datum contract getekend",
    "startdatum": "de startdatum",
    "einddatum": "de einddatum",
    "evaluatiedatum": "de evaluatiedatum",
}


def advice_before_contract(hire: Hire, ctx: Context):
    asked, signed = hire.get("mr_advies_gevraagd"), hire.get("contract_getekend")
    if empty(hire, "mr_advies_gevraagd"):
        yield at("S1", "niet_gevraagd", hire, "mr_advies_gevraagd")
    elif asked and signed and asked > signed:
        yield at("S1", "na_contract", hire, "mr_advies_gevraagd", advies=dutch.format_date(asked), contract=dutch.format_date(signed))
    # AVS, Veelgestelde vragen NPO: the school must be able to explain why it deviated from the MR's advice.
    received, outcome = hire.get("mr_advies_ontvangen"), hire.get("mr_advies_uitkomst")
    if outcome == "Negatief":
        yield at("S1", "negatief", hire, "mr_advies_uitkomst", ontvangen=_day(received), contract=_day(signed))
    if isinstance(signed, date) and isinstance(asked, date):
        if isinstance(received, date) and received > signed:
            yield at("S1", "advies_na_contract", hire, "mr_advies_ontvangen", ontvangen=dutch.format_date(received),
                     contract=dutch.format_date(signed))
        elif not isinstance(received, date) and empty(hire, "mr_advies_ontvangen"):
            yield at("S1", "advies_niet_ontvangen", hire, "mr_advies_ontvangen", advies=dutch.format_date(asked),
                     contract=dutch.format_date(signed))


def _day(d) -> str:
    return dutch.format_date(d) if isinstance(d, date) else "niet ingevuld"


def dates_in_order(hire: Hire, ctx: Context):
    signed = hire.get("contract_getekend")
    for row in hire.tables.get("tblOffertes", []):
        d = row.get("Datum")
        if isinstance(d, date) and isinstance(signed, date) and d > signed:
            c = row.cells["Datum"]
            yield at("S2", "volgorde", hire, sheet=c.sheet, cell=c.cell, eerste=f"De offertedatum van {row.get('Aanbieder') or 'regel ' + str(row.number)}",
                     datum1=dutch.format_date(d), tweede="de datum contract getekend", datum2=dutch.format_date(signed))
    pairs = [("contract_getekend", "startdatum"), ("startdatum", "einddatum")]
    for first, second in pairs:
        a, b = hire.get(first), hire.get(second)
        if isinstance(a, date) and isinstance(b, date) and a > b:
            yield at("S2", "volgorde", hire, first, eerste=LABELS[first][0].upper() + LABELS[first][1:], datum1=dutch.format_date(a),
                     tweede=LABELS[second], datum2=dutch.format_date(b))
    start, year = hire.get("startdatum"), hire.get("schooljaar")
    if isinstance(start, date) and isinstance(year, str) and dutch.school_year_of(start) != year:
        yield at("S2", "schooljaar", hire, "schooljaar", schooljaar=year, start=dutch.format_date(start),
                 juist=dutch.school_year_of(start))
    start, evaluation = hire.get("startdatum"), hire.get("evaluatiedatum")
    if isinstance(start, date) and isinstance(evaluation, date) and evaluation < start:
        yield at("S2", "volgorde", hire, "evaluatiedatum", eerste="De startdatum", datum1=dutch.format_date(start),
                 tweede="de evaluatiedatum", datum2=dutch.format_date(evaluation))


def selection_team(hire: Hire, ctx: Context):
    if hire.get("selectieteam_leraar") != "Ja" and hire.get("selectieteam_ib") != "Ja":
        yield at("S3", "geen", hire, "selectieteam_leraar")


def extra_work_agreements(hire: Hire, ctx: Context):
    if hire.get("afspraken_meerwerk") != "Ja" and hire.cell("afspraken_meerwerk") is not None:
        yield at("S4", "geen", hire, "afspraken_meerwerk")


def evaluated_after_end(hire: Hire, ctx: Context):
    end = hire.get("einddatum")
    if not isinstance(end, date):
        return
    if add_months(end, ctx.board.settings.evaluation_grace_months) >= ctx.today:
        return
    if empty(hire, "evaluatiedatum"):
        yield at("S5", "geen_evaluatie", hire, "evaluatiedatum", einde=dutch.format_date(end))
    if empty(hire, "kennisoverdracht"):
        yield at("S5", "geen_kennisoverdracht", hire, "kennisoverdracht", einde=dutch.format_date(end))


def teacher_present(hire: Hire, ctx: Context):
    # With pupil contact, N.v.t. does not say a teacher is present either (like Q1 on question 6).
    if hire.get("contact_leerlingen") == "Ja" and hire.get("leraar_aanwezig") in ("Nee", "N.v.t."):
        yield at("S6", "niet_aanwezig", hire, "leraar_aanwezig")


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
hire_check("S1")(advice_before_contract)
hire_check("S2")(dates_in_order)
hire_check("S3")(selection_team)
hire_check("S4")(extra_work_agreements)
hire_check("S5")(evaluated_after_end)
hire_check("S6")(teacher_present)

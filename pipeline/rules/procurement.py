"""A1, A3, A4, A6: procurement per hire (Aanbestedingswet 2012; OCW, Inhuur van externe partijen; Arbeidsmarktplatform PO, Extra menskracht voor NPO)."""
from __future__ import annotations

from pipeline import dutch
from pipeline.rules.registry import Context, at, hire_check
from pipeline.rules.derive import invoiced_total, procurement_basis, threshold
from pipeline.model import Hire


def european_above_threshold(hire: Hire, ctx: Context):
    t = threshold(hire, ctx.board.settings.social_services_regime)
    procedure = hire.get("procedure")
    if t is None or procedure == "Europees":
        return
    value, how = procurement_basis(hire)
    if value >= t[0]:
        yield at("A1", "niet_europees", hire, "procedure", waarde=dutch.format_euro(value), berekening=how,
                 drempel=dutch.format_euro(t[0]), procedure=procedure or "niet ingevuld")


def enough_quotes(hire: Hire, ctx: Context):
    if hire.get("procedure") in ("Europees", "Nationaal"):
        return
    value, how = procurement_basis(hire)
    tier = ctx.board.tier_for(value)
    quotes = [r for r in hire.tables.get("tblOffertes", []) if r.get("Aanbieder") or r.get("Bedrag excl. BTW")]
    table = ctx.spec.tables["tblOffertes"]
    cell = quotes[0].cells["Aanbieder"].cell if quotes and "Aanbieder" in quotes[0].cells else f"A{table.first_row}"
    if len(quotes) < tier.quotes:
        yield at("A3", "te_weinig", hire, sheet=table.sheet, cell=cell, waarde=dutch.format_euro(value), berekening=how,
                 nodig=tier.quotes, procedure=tier.procedure, aantal=len(quotes))
    elif len(quotes) == 1:
        yield at("A3", "een_offerte", hire, sheet=table.sheet, cell=cell)


def invoiced_within_contract(hire: Hire, ctx: Context):
    contract = hire.get("contractwaarde")
    invoiced = invoiced_total(hire)
    if contract is not None and invoiced > contract:
        yield at("A4", "meer", hire, "contractwaarde", gefactureerd=dutch.format_euro(invoiced), contractwaarde=dutch.format_euro(contract))


def vat_on_after_school_staff(hire: Hire, ctx: Context):
    if hire.get("leverancier_type") != "BSO/kinderopvang":
        return
    for row in hire.tables.get("tblFacturen", []):
        vat = row.cells.get("BTW-bedrag")
        if vat is not None and (vat.value is None and vat.raw is None or vat.value == 0):
            yield at("A6", "geen_btw", hire, sheet=vat.sheet, cell=vat.cell, factuur=row.get("Factuurnummer") or f"regel {row.number}")


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
hire_check("A1")(european_above_threshold)
hire_check("A3")(enough_quotes)
hire_check("A4")(invoiced_within_contract)
hire_check("A6")(vat_on_after_school_staff)

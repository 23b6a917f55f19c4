"""V1–V3: pupils' safety and privacy (WPO art. 32, AVG; OCW, Inhuur van externe partijen; OVSG)."""
from __future__ import annotations

from datetime import date, timedelta

from pipeline import dutch
from pipeline.rules import privacy
from pipeline.rules.registry import Context, at, hire_check
from pipeline.read.board import PO_KINDS
from pipeline.rules.derive import add_months
from pipeline.model import Hire


def vog_for_pupil_contact(hire: Hire, ctx: Context):
    if hire.get("contact_leerlingen") != "Ja":
        return
    rows = [r for r in hire.tables.get("tblMedewerkers", []) if r.get("Medewerker") or r.get("VOG-datum")]
    if not rows:
        table = ctx.spec.tables["tblMedewerkers"]
        yield at("V1", "geen_medewerkers", hire, sheet=table.sheet, cell=f"A{table.first_row}")
        return
    start = hire.get("startdatum")
    po = ctx.board.school_kind(hire.get("brin") or "") in PO_KINDS
    for row in rows:
        if row.get("Contact met leerlingen") == "Nee":
            continue
        who = row.get("Medewerker") or f"regel {row.number}"
        vog = row.cells.get("VOG-datum")
        if vog is None:
            continue
        if vog.raw is None:
            yield at("V1", "geen_vog", hire, sheet=vog.sheet, cell=vog.cell, medewerker=who)
        elif isinstance(vog.value, date) and isinstance(start, date) and vog.value > start:
            yield at("V1", "vog_na_start", hire, sheet=vog.sheet, cell=vog.cell, medewerker=who, vog=dutch.format_date(vog.value),
                     start=dutch.format_date(start))
        elif isinstance(vog.value, date) and isinstance(start, date):
            limit = add_months(vog.value, 6) if po else vog.value + timedelta(weeks=26)
            if start > limit:
                yield at("V1", "oude_vog", hire, sheet=vog.sheet, cell=vog.cell, medewerker=who, vog=dutch.format_date(vog.value),
                         start=dutch.format_date(start), termijn="6 maanden (po)" if po else "26 weken (vo)")


def processing_agreement(hire: Hire, ctx: Context):
    if hire.get("persoonsgegevens") == "Ja" and hire.get("verwerkersovereenkomst") != "Ja":
        yield at("V2", "geen", hire, "verwerkersovereenkomst")


def no_pupil_data(hire: Hire, ctx: Context):
    cells = [c for c in hire.fields.values() if isinstance(c.value, str)]
    cells += [c for rows in hire.tables.values() for r in rows for c in r.cells.values() if isinstance(c.value, str)]
    for c in cells:
        kinds = privacy.detect(c.value)
        if "bsn" in kinds:
            yield at("V3", "bsn", hire, sheet=c.sheet, cell=c.cell)
        if "email" in kinds:
            yield at("V3", "email", hire, sheet=c.sheet, cell=c.cell)


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
hire_check("V1")(vog_for_pupil_contact)
hire_check("V2")(processing_agreement)
hire_check("V3")(no_pupil_data)

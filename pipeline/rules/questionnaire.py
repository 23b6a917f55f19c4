"""Q1–Q4: the questionnaire of OCW, Inhuur van externe partijen — handreiking voor scholen (11 questions)."""
from __future__ import annotations

from pipeline.rules.registry import Context, at, hire_check
from pipeline.model import Hire, Row

TABLE = "tblVragenlijst"
HARD = {
    4: "De partij moet werken met bewezen effectieve methoden (aandachtspunt 1).",
    6: "Bij contact met leerlingen moet de partij werken met vaste krachten met een VOG en aan de AVG voldoen.",
    9: "De regie over de uitvoering moet bij de leraar en de schoolleider liggen.",
}
NEEDS_EVIDENCE = {
    2: "de naam van het keurmerk of de onafhankelijke toetsing",
    5: "referenties van scholen waarmee de partij heeft samengewerkt",
    6: "de VOG-datums en de afspraken over de AVG",
}
CAN_BE_NVT = {6}
NEEDS_CONTACT = {6}  # questions that apply only when there is contact with pupils


def _rows(hire: Hire) -> dict[int, Row]:
    out = {}
    for row in hire.tables.get(TABLE, []):
        nr = row.get("Nr")
        if isinstance(nr, int) and nr not in out:
            out[nr] = row
    return out


def _cell(row: Row, column: str) -> tuple[str, str]:
    c = row.cells.get(column) or next(iter(row.cells.values()))
    return c.sheet, c.cell


def every_question_answered(hire: Hire, ctx: Context):
    rows = _rows(hire)
    table = ctx.spec.tables[TABLE]
    for row in hire.tables.get(TABLE, []):
        nr = row.get("Nr")
        if isinstance(nr, int) and nr in rows and rows[nr] is not row:  # a second row for a question: never silently left out
            sheet, cell = _cell(row, "Nr")
            yield at("Q1", "dubbel", hire, sheet=sheet, cell=cell, nr=nr, eerste=_cell(rows[nr], "Nr")[1])
    for q in ctx.spec.questions:
        row = rows.get(q.nr)
        if row is None:
            yield at("Q1", "ontbreekt", hire, sheet=table.sheet, cell=f"A{table.first_row + q.nr - 1}", nr=q.nr)
            continue
        answer = row.get("Antwoord")
        sheet, cell = _cell(row, "Antwoord")
        if answer is None:
            if row.cells.get("Antwoord") is None or row.cells["Antwoord"].raw is None:
                yield at("Q1", "geen_antwoord", hire, sheet=sheet, cell=cell, nr=q.nr)
        elif answer == "N.v.t.":
            if q.nr not in CAN_BE_NVT:
                yield at("Q1", "nvt", hire, sheet=sheet, cell=cell, nr=q.nr)
            elif hire.get("contact_leerlingen") == "Ja":
                yield at("Q1", "nvt_contact", hire, sheet=sheet, cell=cell, nr=q.nr)
            elif hire.get("contact_leerlingen") != "Nee":  # not filled in: N.v.t. cannot be judged
                yield at("Q1", "nvt_contact_onbekend", hire, sheet=sheet, cell=cell, nr=q.nr)


def no_on_hard_questions(hire: Hire, ctx: Context):
    for nr, row in _rows(hire).items():
        # Question 6 starts "Als er contact is met leerlingen": without pupil contact a "Nee" is no objection.
        if nr in NEEDS_CONTACT and hire.get("contact_leerlingen") == "Nee":
            continue
        if nr in HARD and row.get("Antwoord") == "Nee":
            sheet, cell = _cell(row, "Antwoord")
            yield at("Q2", "nee", hire, sheet=sheet, cell=cell, nr=nr, waarom=HARD[nr])


def no_or_partly_explained(hire: Hire, ctx: Context):
    for nr, row in _rows(hire).items():
        answer = row.get("Antwoord")
        if answer == "Deels" or (answer == "Nee" and nr not in HARD):
            if not row.get("Toelichting"):
                sheet, cell = _cell(row, "Toelichting")
                yield at("Q3", "geen_toelichting", hire, sheet=sheet, cell=cell, nr=nr, antwoord=answer)


def yes_with_evidence(hire: Hire, ctx: Context):
    for nr, row in _rows(hire).items():
        if nr in NEEDS_EVIDENCE and row.get("Antwoord") == "Ja" and not row.get("Bewijs"):
            sheet, cell = _cell(row, "Bewijs")
            yield at("Q4", "geen_bewijs", hire, sheet=sheet, cell=cell, nr=nr, bewijs=NEEDS_EVIDENCE[nr])


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
hire_check("Q1")(every_question_answered)
hire_check("Q2")(no_on_hard_questions)
hire_check("Q3")(no_or_partly_explained)
hire_check("Q4")(yes_with_evidence)

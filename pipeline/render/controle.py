"""The Controle sheet: the workbook checks itself with formulas generated from the spec and the rule catalogue.

Every formula here is a subset of a pipeline rule (pipeline.rules): a row turns `open` only where the
pipeline reports the same rule id. Where a formula cannot read an input the way the pipeline does
(a date such as "1 september 2022", an amount such as "12.5"), the row says `niet herkend` and claims
nothing. Only functions that Excel 2016 and LibreOffice Calc 7 both have; no macros, no dynamic arrays.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from pipeline import reference
from pipeline.read.workbook import MAX_ROWS_BELOW_TABLE
from pipeline.render.look import COLOURS as MARK  # red for fout, orange for waarschuwing, as the marked copies
from pipeline.render.look import print_setup
from pipeline.rules import catalogue as rule_catalogue
from pipeline.rules.questionnaire import CAN_BE_NVT, HARD, NEEDS_EVIDENCE
from pipeline.spec import WorkbookSpec

SHEET = "Controle"
TABLE = "tblControle"
COLUMNS = ("Regel", "Tabblad", "Cel", "Melding", "Status")
OPEN_NAME = "controle_open"
HEADER_ROW = 4
OPEN, OK, UNKNOWN = "open", "in orde", "niet herkend"
# Helper cells live in hidden columns to the right of the table.
FLAG_COLS = ("G", "H")  # per check row: open?, an input not recognised?
DATE_COLS = "KLMNOPQRSTUVW"  # per date input: source, text, separator, its 2 places, 3 parts, shape ok, y, m, d, serial
EURO_COLS = ["Y", "Z", "AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AI", "AJ"]  # source, text .. state, value
SCRATCH_COLS = ("AL", "AM")  # label, value
# Rows under a table that the formulas read one by one (LibreOffice does not grow a table when you type
# under it). Anything further down makes the checks that sum or search a whole table say 'niet herkend'.
HELPER_ROWS_BELOW = 20
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
DIGITS = '{"0","1","2","3","4","5","6","7","8","9"}'
THRESHOLD_COLS = ("drempel_start", "drempel_einde", "drempel_diensten")


# --------------------------------------------------------------------------- formula pieces


def lit(text: str) -> str:
    """An Excel string literal (split: a literal holds at most 255 characters)."""
    parts = [text[i:i + 250] for i in range(0, len(text), 250)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in parts)


def norm(x: str) -> str:
    """The cell's text with tabs, line breaks and non-breaking spaces as spaces, trimmed (as Python strips)."""
    inner = x
    for code in (9, 10, 13):
        inner = f'SUBSTITUTE({inner},CHAR({code})," ")'
    # the non-breaking space as a literal: CHAR(160) depends on the system's code page in LibreOffice
    return f'TRIM(SUBSTITUTE({inner},"\u00a0"," "))'


def blank(x: str) -> str:
    """True when the pipeline reads the cell as empty (works on ranges inside SUMPRODUCT too)."""
    return f"LEN({norm(x)})=0"


def loose(x: str) -> str:
    """A choice reduced to lower-case letters and digits, as dutch.parse_choice's last resort compares."""
    inner = norm(x)
    for ch in (" ", ".", "-", "'", "/"):
        inner = f'SUBSTITUTE({inner},"{ch}","")'
    return f"LOWER({inner})"


def loose_key(option: str) -> str:
    return "".join(ch for ch in option.casefold() if ch.isalnum())


def choice_is(x: str, *options: str) -> str:
    """True only when the cell surely holds one of `options` as the pipeline reads it."""
    keys = [f'{loose(x)}="{loose_key(o)}"' for o in options]
    return keys[0] if len(keys) == 1 else f"OR({','.join(keys)})"


def digits(s: str) -> str:
    return f"AND(LEN({s})>0,SUMPRODUCT(LEN({s})-LEN(SUBSTITUTE({s},{DIGITS},\"\")))=LEN({s}))"


def long_date(serial: str) -> str:
    months = ",".join(lit(m) for m in MONTHS)
    return f'DAY({serial})&" "&CHOOSE(MONTH({serial}),{months})&" "&YEAR({serial})'


def euro_text(v: str) -> str:
    """€ 12.500,00 as dutch.format_euro writes it (non-breaking space), for amounts below a billion."""
    a = f"ABS({v})"
    whole = f"INT({a})"
    millions = f'INT({a}/1000000)&"."&RIGHT("00"&INT(MOD({whole},1000000)/1000),3)&"."&RIGHT("00"&MOD({whole},1000),3)'
    thousands = f'INT({a}/1000)&"."&RIGHT("00"&MOD({whole},1000),3)'
    body = f"IF({whole}>=1000000,{millions},IF({whole}>=1000,{thousands},{whole}))"
    cents = f'RIGHT("0"&ROUND(MOD({a},1)*100,0),2)'
    return f'"€\u00a0"&IF({v}<0,"-","")&{body}&","&{cents}'


def message(rule: str, code: str, **params: str | "Expr") -> str:
    """The catalogue's message as an Excel string expression; an Expr parameter is computed by a formula."""
    template = rule_catalogue.catalogue()[rule].messages[code].template
    out, rest = [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        if before:
            out.append(lit(before))
        value = params[name]
        out.append(f"({value.formula})" if isinstance(value, Expr) else lit(str(value)))
    if rest:
        out.append(lit(rest))
    return "&".join(out)


@dataclass(frozen=True)
class Expr:
    formula: str


def ref(sheet: str, coord: str) -> str:
    col = "".join(ch for ch in coord if ch.isalpha())
    row = "".join(ch for ch in coord if ch.isdigit())
    return f"{quote_sheetname(sheet)}!${col}${row}"


def rng(sheet: str, col: str, first: int, last: int) -> str:
    return f"{quote_sheetname(sheet)}!${col}${first}:${col}${last}"


# --------------------------------------------------------------------------- helper cells


class Helpers:
    """Allocates helper cells on the Controle sheet and writes their formulas."""

    def __init__(self, ws):
        self.ws = ws
        self.date_row = self.euro_row = self.scratch_row = HEADER_ROW + 1
        self.dates: dict[str, str] = {}
        self.euros: dict[str, tuple[str, str]] = {}

    def _put(self, col: str, row: int, value) -> None:
        self.ws[f"{col}{row}"] = value

    def date(self, sheet: str, coord: str) -> str:
        """The serial of a date input: 0 empty, -1 not recognised, else the day number."""
        x = ref(sheet, coord)
        if x in self.dates:
            return self.dates[x]
        r = self.date_row
        self.date_row += 1
        c = {name: f"${col}${r}" for name, col in zip(("src", "t", "sep", "p1", "p2", "a", "b", "cc", "ok", "y", "m", "d", "serial"), DATE_COLS)}
        t, sep, p1, p2, a, b, cc, ok, y, m, d = (c[k] for k in ("t", "sep", "p1", "p2", "a", "b", "cc", "ok", "y", "m", "d"))
        formulas = {
            "src": f"{sheet}!{coord}",
            "t": f'=IF(ISNUMBER({x}),"",{norm(x)})',
            "sep": f'=IF(ISNUMBER(FIND("-",{t})),"-",IF(ISNUMBER(FIND("/",{t})),"/","."))',
            "p1": f"=IFERROR(FIND({sep},{t}),0)",
            "p2": f"=IFERROR(FIND({sep},{t},{p1}+1),0)",
            "a": f'=IF({p2}>0,LEFT({t},{p1}-1),"")',
            "b": f'=IF({p2}>0,MID({t},{p1}+1,{p2}-{p1}-1),"")',
            "cc": f'=IF({p2}>0,MID({t},{p2}+1,99),"")',
            # d-m-yyyy, dd-mm-yy, yyyy-mm-dd with one kind of separator (- / .), as dutch.parse_date reads them
            "ok": f"=AND({p2}>0,{digits(a)},{digits(b)},{digits(cc)},LEN({b})<=2,"
                  f"OR(AND(LEN({a})=4,LEN({cc})<=2),AND(LEN({a})<=2,OR(LEN({cc})=2,LEN({cc})=4))))",
            "y": f"=IF({ok},IF(LEN({a})=4,VALUE({a}),IF(LEN({cc})=2,IF(VALUE({cc})<70,2000,1900)+VALUE({cc}),VALUE({cc}))),0)",
            "m": f"=IF({ok},VALUE({b}),0)",
            "d": f"=IF({ok},IF(LEN({a})=4,VALUE({cc}),VALUE({a})),0)",
            # TRUE/FALSE is never a date to the pipeline; LibreOffice sees 1/0 in a date-formatted cell, so
            # day numbers in 1900 are not claimed either (the pipeline reads them, the checks say 'niet herkend')
            "serial": f'=IFERROR(IF(ISLOGICAL({x}),-1,IF(ISNUMBER({x}),IF(AND(INT({x})>=367,INT({x})<=2958465),INT({x}),-1),'
                      f'IF({t}="",0,IF(AND({ok},{y}>=1900,{m}>=1,{m}<=12,{d}>=1),'
                      f"IF(DAY(DATE({y},{m},{d}))={d},DATE({y},{m},{d}),-1),-1)))),-1)",
        }
        for name, col in zip(formulas, DATE_COLS):
            self._put(col, r, formulas[name])
        self.dates[x] = f"{SHEET}!{c['serial']}"
        return self.dates[x]

    def euro(self, sheet: str, coord: str) -> tuple[str, str]:
        """(state, value) of an amount input: state 0 empty, 1 read, -1 not recognised; value rounded to cents."""
        x = ref(sheet, coord)
        if x in self.euros:
            return self.euros[x]
        r = self.euro_row
        self.euro_row += 1
        names = ("src", "t", "t2", "t3", "comma", "whole", "frac", "w", "dots", "ok", "state", "value")
        c = {name: f"${col}${r}" for name, col in zip(names, EURO_COLS)}
        t, t2, t3, comma, whole, frac, w, dots, ok, state = (c[k] for k in names[1:11])
        first = f"LEN({whole})-4*{dots}"
        formulas = {
            "src": f"{sheet}!{coord}",
            "t": f'=IF(ISNUMBER({x}),"",{norm(x)})',
            "t2": f'=TRIM(IF(LEFT({t},1)="€",MID({t},2,999),IF(RIGHT({t},1)="€",LEFT({t},MAX(LEN({t})-1,0)),{t})))',
            "t3": f'=IF(RIGHT({t2},3)=",--",LEFT({t2},LEN({t2})-3),IF(RIGHT({t2},2)=",-",LEFT({t2},LEN({t2})-2),{t2}))',
            "comma": f'=IFERROR(FIND(",",{t3}),0)',
            "whole": f"=IF({comma}>0,LEFT({t3},{comma}-1),{t3})",
            "frac": f'=IF({comma}>0,MID({t3},{comma}+1,99),"")',
            "w": f'=SUBSTITUTE({whole},".","")',
            "dots": f"=LEN({whole})-LEN({w})",
            # 12500 · 12500,5 · 12.500 · 12.500,00 · ,50 (dots only as thousands, as dutch.parse_euro reads them)
            "ok": f'=AND(OR({digits(w)},AND({w}="",{frac}<>"")),OR({comma}=0,AND({digits(frac)},LEN({frac})<=2)),'
                  f'OR({dots}=0,AND({dots}<=5,{first}>=1,{first}<=3,LEFT({whole},1)<>"0",'
                  f'SUMPRODUCT(--(MID({whole},{first}+1+4*{{0,1,2,3,4}},1)="."))={dots})))',
            # TRUE/FALSE is never an amount to the pipeline; LibreOffice may show them as 1 and 0
            "state": f'=IFERROR(IF(ISLOGICAL({x}),-1,IF(ISNUMBER({x}),IF(OR({x}=0,{x}=1),-1,1),IF({t}="",0,IF({ok},1,-1)))),-1)',
            "value": f'=IFERROR(IF({state}<>1,0,IF(ISNUMBER({x}),ROUND({x},2),'
                     f'ROUND(IF({w}="",0,VALUE({w}))+IF({frac}="",0,VALUE({frac})/10^LEN({frac})),2))),0)',
        }
        for name, col in zip(names, EURO_COLS):
            self._put(col, r, formulas[name])
        self.euros[x] = (f"{SHEET}!{c['state']}", f"{SHEET}!{c['value']}")
        return self.euros[x]

    def cell(self, label: str, formula: str) -> str:
        return self.block(label, [formula])[0]

    def block(self, label: str, formulas: list[str]) -> tuple[str, str]:
        """Consecutive helper cells; returns the absolute refs of the first and last."""
        lab, val = SCRATCH_COLS
        first = self.scratch_row
        for i, f in enumerate(formulas):
            self._put(lab, self.scratch_row, f"{label} {i + 1}" if len(formulas) > 1 else label)
            self._put(val, self.scratch_row, "=" + f)
            self.scratch_row += 1
        return f"{SHEET}!${val}${first}", f"{SHEET}!${val}${self.scratch_row - 1}"


# --------------------------------------------------------------------------- checks


@dataclass
class Check:
    rule: str
    code: str  # the message code whose severity colours the mark
    sheet: str
    cell: str
    subject: str
    open: str  # Excel condition: the pipeline reports this rule
    message: str  # Excel string expression: the pipeline's message
    unknown: str = "FALSE"  # Excel condition: an input the check needs is not recognised
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, range, condition) coloured at the cell

    @property
    def severity(self) -> str:
        return rule_catalogue.catalogue()[self.rule].messages[self.code].severity


def _table_range(spec: WorkbookSpec, table: str, column: str) -> tuple[str, str, int, int]:
    """(sheet, column letter, first row, last row the formulas read) of a table column."""
    t = spec.tables[table]
    return t.sheet, t.column_letter(column), t.first_row, t.last_row + min(t.rows_below, HELPER_ROWS_BELOW)


def _beyond(spec: WorkbookSpec, table: str) -> str:
    """True when something is typed under a table further down than the formulas read (the reader reads on)."""
    t = spec.tables[table]
    first = t.last_row + min(t.rows_below, HELPER_ROWS_BELOW) + 1
    last_col = get_column_letter(len(t.columns))
    return f"COUNTA({quote_sheetname(t.sheet)}!$A${first}:${last_col}${t.last_row + MAX_ROWS_BELOW_TABLE})>0"


def _date_column(h: Helpers, spec: WorkbookSpec, table: str, column: str) -> tuple[str, list[str]]:
    """Serials of every cell of a table's date column (body and the rows below); (range, per-cell refs)."""
    sheet, col, first, last = _table_range(spec, table, column)
    refs = [h.date(sheet, f"{col}{r}") for r in range(first, last + 1)]
    return _span(refs), refs


def _span(refs: list[str]) -> str:
    """`Controle!$W$5` .. `Controle!$W$30` -> `Controle!$W$5:$W$30` (helpers are allocated consecutively)."""
    return refs[0] + ":" + refs[-1].split("!", 1)[1]


def checks(spec: WorkbookSpec, h: Helpers, thresholds: tuple[tuple[str, str, str], tuple[str, str]]) -> list[Check]:
    """Every check the workbook does itself, in the order of the Controle table."""
    out: list[Check] = []
    cat = rule_catalogue.catalogue()
    f = spec.fields

    def fref(name: str) -> str:
        return ref(f[name].sheet, f[name].cell)

    # W3: required fields, and fields required when another field has a value
    for fl in spec.fields.values():
        if fl.required:
            out.append(Check("W3", "leeg", fl.sheet, fl.cell, fl.label, blank(fref(fl.name)),
                             message("W3", "leeg", label=fl.label)))
        elif fl.required_when is not None:
            cond = f.get(fl.required_when.field)
            if cond is None:
                continue
            out.append(Check("W3", "leeg_voorwaarde", fl.sheet, fl.cell, fl.label,
                             f"AND({blank(fref(fl.name))},{choice_is(fref(cond.name), fl.required_when.equals)})",
                             message("W3", "leeg_voorwaarde", label=fl.label, voorwaarde=cond.label, waarde=fl.required_when.equals)))

    # Q1, Q3, Q4: the questionnaire, one row per question
    qt = spec.tables["tblVragenlijst"]
    contact_yes = choice_is(fref("contact_leerlingen"), "Ja")
    for q in spec.questions:
        row = qt.first_row + q.nr - 1
        ans = ref(qt.sheet, f"{qt.column_letter('Antwoord')}{row}")
        nvt = choice_is(ans, "N.v.t.")
        if q.nr in CAN_BE_NVT:
            wrong_nvt, nvt_msg = f"AND({nvt},{contact_yes})", message("Q1", "nvt_contact", nr=q.nr)
        else:
            wrong_nvt, nvt_msg = nvt, message("Q1", "nvt", nr=q.nr)
        out.append(Check("Q1", "geen_antwoord", qt.sheet, f"{qt.column_letter('Antwoord')}{row}", f"vraag {q.nr}",
                         f"OR({blank(ans)},{wrong_nvt})",
                         f"IF({blank(ans)},{message('Q1', 'geen_antwoord', nr=q.nr)},{nvt_msg})"))
    for q in spec.questions:
        row = qt.first_row + q.nr - 1
        ans = ref(qt.sheet, f"{qt.column_letter('Antwoord')}{row}")
        expl = ref(qt.sheet, f"{qt.column_letter('Toelichting')}{row}")
        answers = ("Deels",) if q.nr in HARD else ("Nee", "Deels")
        said = f'IF({choice_is(ans, "Deels")},"Deels","Nee")'
        out.append(Check("Q3", "geen_toelichting", qt.sheet, f"{qt.column_letter('Toelichting')}{row}", f"vraag {q.nr}",
                         f"AND({choice_is(ans, *answers)},{blank(expl)})",
                         message("Q3", "geen_toelichting", nr=q.nr, antwoord=Expr(said))))
    for nr, what in NEEDS_EVIDENCE.items():
        row = qt.first_row + nr - 1
        ans = ref(qt.sheet, f"{qt.column_letter('Antwoord')}{row}")
        proof = ref(qt.sheet, f"{qt.column_letter('Bewijs')}{row}")
        out.append(Check("Q4", "geen_bewijs", qt.sheet, f"{qt.column_letter('Bewijs')}{row}", f"vraag {nr}",
                         f"AND({choice_is(ans, 'Ja')},{blank(proof)})", message("Q4", "geen_bewijs", nr=nr, bewijs=what)))

    # S1: MR advice asked before the contract was signed
    asked, signed = h.date(f["mr_advies_gevraagd"].sheet, f["mr_advies_gevraagd"].cell), h.date(f["contract_getekend"].sheet, f["contract_getekend"].cell)
    out.append(Check("S1", "niet_gevraagd", f["mr_advies_gevraagd"].sheet, f["mr_advies_gevraagd"].cell, "MR-advies vóór het contract",
                     f"OR({blank(fref('mr_advies_gevraagd'))},AND({asked}>0,{signed}>0,{asked}>{signed}))",
                     f"IF({blank(fref('mr_advies_gevraagd'))},{message('S1', 'niet_gevraagd')},"
                     f"{message('S1', 'na_contract', advies=Expr(long_date(asked)), contract=Expr(long_date(signed)))})",
                     unknown=f"OR({asked}=-1,{signed}=-1)",
                     marks=[(f["mr_advies_gevraagd"].sheet, f["mr_advies_gevraagd"].cell, f"OR({blank(fref('mr_advies_gevraagd'))},AND({asked}>0,{signed}>0,{asked}>{signed}))"),
                            (f["contract_getekend"].sheet, f["contract_getekend"].cell, f"AND({asked}>0,{signed}>0,{asked}>{signed})")]))

    # S2: quotes <= signed <= start <= end; evaluation after start
    def d(name: str) -> str:
        return h.date(f[name].sheet, f[name].cell)

    quotes, quote_refs = _date_column(h, spec, "tblOffertes", "Datum")
    osheet, ocol, ofirst, olast = _table_range(spec, "tblOffertes", "Datum")
    late = h.block("offerte na contract", [f"AND({q}>0,{signed}>0,{q}>{signed})" for q in quote_refs])
    latest = f"MAX({quotes})"
    out.append(Check("S2", "volgorde", osheet, f"{ocol}{ofirst}:{ocol}{olast}", "offertedatums ≤ datum contract getekend",
                     f"COUNTIF({_span(list(late))},TRUE)>0",
                     message("S2", "volgorde", eerste="De offertedatum", datum1=Expr(long_date(latest)),
                             tweede="de datum contract getekend", datum2=Expr(long_date(signed))),
                     unknown=f"OR(COUNTIF({quotes},-1)>0,{signed}=-1)",
                     marks=[(osheet, f"{ocol}{ofirst + i}", flag) for i, flag in enumerate(_cells(late))]))
    pairs = [("contract_getekend", "startdatum", "De datum contract getekend", "de startdatum", "contract_getekend"),
             ("startdatum", "einddatum", "De startdatum", "de einddatum", "startdatum"),
             ("startdatum", "evaluatiedatum", "De startdatum", "de evaluatiedatum", "evaluatiedatum")]
    for first, second, first_label, second_label, at in pairs:
        a, b = d(first), d(second)
        out.append(Check("S2", "volgorde", f[at].sheet, f[at].cell, f"{f[first].label} ≤ {f[second].label}",
                         f"AND({a}>0,{b}>0,{a}>{b})",
                         message("S2", "volgorde", eerste=first_label, datum1=Expr(long_date(a)), tweede=second_label, datum2=Expr(long_date(b))),
                         unknown=f"OR({a}=-1,{b}=-1)",
                         marks=[(f[n].sheet, f[n].cell, f"AND({a}>0,{b}>0,{a}>{b})") for n in (first, second)]))

    # P5: an end date, and at least one result with a deadline
    out.append(Check("P5", "geen_einddatum", f["einddatum"].sheet, f["einddatum"].cell, f["einddatum"].label,
                     blank(fref("einddatum")), message("P5", "geen_einddatum")))
    deadlines, _ = _date_column(h, spec, "tblResultaten", "Deadline")
    rsheet, rcol, rfirst, rlast = _table_range(spec, "tblResultaten", "Resultaat")
    results = rng(rsheet, rcol, rfirst, rlast)
    results_unknown = f"OR(COUNTIF({deadlines},-1)>0,{_beyond(spec, 'tblResultaten')})"
    out.append(Check("P5", "geen_resultaat", rsheet, f"{rcol}{rfirst}", "resultaat met deadline",
                     f"AND(SUMPRODUCT((LEN({norm(results)})>0)*({deadlines}>0))=0,NOT({results_unknown}))",
                     message("P5", "geen_resultaat"), unknown=results_unknown))

    # A1: at or over the EU threshold of its period and not tendered Europees
    inv_sheet, inv_col, inv_first, inv_last = _table_range(spec, "tblFacturen", "Bedrag excl. BTW")
    inv = [h.euro(inv_sheet, f"{inv_col}{r}") for r in range(inv_first, inv_last + 1)]
    inv_states, inv_values = _span([s for s, _ in inv]), _span([v for _, v in inv])
    c_state, c_value = h.euro(f["contractwaarde"].sheet, f["contractwaarde"].cell)
    invoiced = h.cell("gefactureerd", f"SUM({inv_values})")
    amounts_unknown = f"OR({c_state}=-1,COUNTIF({inv_states},-1)>0,{_beyond(spec, 'tblFacturen')})"
    # Aanbestedingswet 2012 art. 2.17 (d, e): indefinite, or longer than 48 months, counts as the monthly value x 48
    m_state, m_value = h.euro(f["maandbedrag"].sheet, f["maandbedrag"].cell)
    start_d, end_d = d("startdatum"), d("einddatum")
    indefinite = choice_is(fref("onbepaalde_tijd"), "Ja")
    long_run = f"AND({start_d}>0,{end_d}>0,{end_d}>DATE(YEAR({start_d})+4,MONTH({start_d}),DAY({start_d})))"
    monthly48 = h.cell("maandbedrag x 48", f"IF(AND({m_state}=1,OR({indefinite},{long_run})),{m_value}*48,0)")
    amounts_unknown = (f"OR({amounts_unknown},{m_state}=-1,"
                       f"AND({m_state}=1,NOT({indefinite}),OR({start_d}=-1,{end_d}=-1)))")
    value = h.cell("waarde opdracht", f"MAX({c_value},{invoiced},{monthly48})")
    why48 = f"IF({indefinite},{lit('onbepaalde tijd')},{lit('looptijd langer dan 48 maanden')})"
    how = (f"IF(AND({c_state}=1,{value}={c_value}),{lit('de contractwaarde')},"
           f"IF({value}={invoiced},{lit('het gefactureerde totaal')},"
           f"{lit('het maandbedrag van ')}&{euro_text(m_value)}&{lit(' × 48 (')}&{why48}&{lit(', Aanbestedingswet 2012 art. 2.17, onder d en e)')}))")
    n_quotes = f"COUNTIF({quotes},\">0\")"
    start_day = d("startdatum")
    begun = h.cell("start inkoop", f"IF({n_quotes}>0,SMALL({quotes},COUNTIF({quotes},\"<=0\")+1),IF({signed}>0,{signed},IF({signed}=0,MAX({start_day},0),0)))")
    begun_unknown = f"OR(COUNTIF({quotes},-1)>0,{_beyond(spec, 'tblOffertes')},AND({n_quotes}=0,OR({signed}=-1,AND({signed}=0,{start_day}=-1))))"
    (starts, ends, values), hi = thresholds
    count = f"SUMPRODUCT(({starts}<={begun})*({ends}>={begun}))"
    first_v, last_v = hi
    threshold = h.cell("drempel", f"IF({count}=0,IF({begun}<MIN({starts}),{first_v},{last_v}),SUMPRODUCT(({starts}<={begun})*({ends}>={begun})*{values}))")
    proc = fref("procedure")
    not_european = f"OR({blank(proc)},{choice_is(proc, *[o for o in spec.options('procedure') if o != 'Europees'])})"
    proc_text = lit("niet ingevuld")
    for option in reversed(spec.options("procedure")):  # the option as the pipeline names it
        proc_text = f"IF({choice_is(proc, option)},{lit(option)},{proc_text})"
    out.append(Check("A1", "niet_europees", f["procedure"].sheet, f["procedure"].cell, "Europese drempel",
                     f"AND(NOT({begun_unknown}),NOT({amounts_unknown}),{begun}>0,{value}>={threshold}-0.005,{not_european})",
                     message("A1", "niet_europees", waarde=Expr(euro_text(value)), berekening=Expr(how), drempel=Expr(euro_text(threshold)),
                             procedure=Expr(proc_text)),
                     unknown=f"OR({begun_unknown},{amounts_unknown})"))

    # A4: invoiced total above the contract value
    out.append(Check("A4", "meer", f["contractwaarde"].sheet, f["contractwaarde"].cell, "gefactureerd ≤ contractwaarde",
                     f"AND({c_state}=1,NOT({amounts_unknown}),{invoiced}>{c_value}+0.005)",
                     message("A4", "meer", gefactureerd=Expr(euro_text(invoiced)), contractwaarde=Expr(euro_text(c_value))),
                     unknown=amounts_unknown))

    # V1: pupil contact and a staff member without a VOG date
    msheet, ncol, mfirst, mlast = _table_range(spec, "tblMedewerkers", "Medewerker")
    vogs, vog_refs = _date_column(h, spec, "tblMedewerkers", "VOG-datum")
    ccol = spec.tables["tblMedewerkers"].column_letter("Contact met leerlingen")
    vcol = spec.tables["tblMedewerkers"].column_letter("VOG-datum")
    names = rng(msheet, ncol, mfirst, mlast)
    counted = f"SUMPRODUCT(((LEN({norm(names)})>0)+({vogs}>0)>0)*1)"
    flags = []
    for i, r in enumerate(range(mfirst, mlast + 1)):
        who, contact = ref(msheet, f"{ncol}{r}"), ref(msheet, f"{ccol}{r}")
        flags.append(f"AND({contact_yes},NOT({blank(who)}),{vog_refs[i]}=0,OR({blank(contact)},{choice_is(contact, 'Ja')}))")
    no_vog = h.block("geen VOG", flags)
    out.append(Check("V1", "geen_medewerkers", msheet, f"{ncol}{mfirst}", "medewerkers bij contact met leerlingen",
                     f"AND({contact_yes},{counted}=0,COUNTIF({vogs},-1)=0,NOT({_beyond(spec, 'tblMedewerkers')}))", message("V1", "geen_medewerkers"),
                     unknown=f"AND({contact_yes},OR(COUNTIF({vogs},-1)>0,{_beyond(spec, 'tblMedewerkers')}))"))
    first_flag = f"MATCH(TRUE,{_span(list(no_vog))},0)"
    out.append(Check("V1", "geen_vog", msheet, f"{vcol}{mfirst}:{vcol}{mlast}", "VOG-datum bij contact met leerlingen",
                     f"COUNTIF({_span(list(no_vog))},TRUE)>0",
                     message("V1", "geen_vog", medewerker=Expr(f"IFERROR({norm(f'INDEX({names},{first_flag})')},\"\")")),
                     marks=[(msheet, f"{vcol}{mfirst + i}", flag) for i, flag in enumerate(_cells(no_vog))]))
    for c in out:
        if c.rule not in cat:
            raise ValueError(c.rule)
    return out


def _cells(span: tuple[str, str]) -> list[str]:
    """Every ref of a consecutive helper block."""
    first, last = span
    sheet, a = first.split("!")
    col = a.split("$")[1]
    r0, r1 = int(a.split("$")[2]), int(last.split("$")[2])
    return [f"{sheet}!${col}${r}" for r in range(r0, r1 + 1)]


# --------------------------------------------------------------------------- thresholds on the Lijsten sheet


def write_thresholds(ws, first_col: int, social_services: bool = False) -> tuple[tuple[str, str, str], tuple[str, str]]:
    """The EU thresholds per period (pipeline.reference) on the hidden lists sheet `ws`, those of the regime
    for social and other specific services when the board applies it; returns the ranges (starts, ends,
    thresholds) and the first and last threshold."""
    names = THRESHOLD_COLS[:2] + (("drempel_sociale_diensten",) if social_services else THRESHOLD_COLS[2:])
    for i, name in enumerate(names):
        ws.cell(row=1, column=first_col + i, value=name)
    for r, p in enumerate(reference.thresholds(), start=2):
        for i, v in enumerate((p.start, p.end, float(p.social_services if social_services else p.services))):
            c = ws.cell(row=r, column=first_col + i, value=v)
            if isinstance(v, date):
                c.number_format = "DD-MM-YYYY"
    n = len(reference.thresholds())
    letters = [get_column_letter(first_col + i) for i in range(3)]
    ranges = tuple(rng(ws.title, c, 2, n + 1) for c in letters)
    return ranges, (ref(ws.title, f"{letters[2]}2"), ref(ws.title, f"{letters[2]}{n + 1}"))


# --------------------------------------------------------------------------- the sheet


def _started(spec: WorkbookSpec, h: Helpers) -> dict[str, str]:
    """Per input sheet: a helper cell that is TRUE once anything has been typed on it."""
    out = {}
    for sh in spec.sheets:
        parts = [rng(sh.name, "B", f.row, f.row) for f in sh.fields]
        if sh.table:
            t = sh.table
            for col in t.columns:
                if not col.locked:
                    parts.append(rng(sh.name, t.column_letter(col.name), t.first_row, t.last_row + t.rows_below))
        if parts:
            out[sh.name] = h.cell(f"begonnen {sh.name}", f"COUNTA({','.join(parts)})>0")
    return out


def add(wb, spec: WorkbookSpec, lists_ws, first_free_col: int, social_services: bool = False) -> None:
    """Add the Controle sheet, its table and name, the marks at the input cells, and the thresholds on the
    lists sheet from column `first_free_col` on."""
    thresholds = write_thresholds(lists_ws, first_free_col, social_services)
    ws = wb.create_sheet(SHEET)
    h = Helpers(ws)
    started = _started(spec, h)
    rows = checks(spec, h, thresholds)
    ws["A1"] = "Controle"
    ws["A1"].font = Font(size=14, bold=True, color="1F4E79")
    ws["A2"] = ("Het werkboek controleert zichzelf terwijl u typt, met dezelfde regels als het bestuur. "
                "'open' betekent: dit punt moet nog worden ingevuld of verbeterd (zie de melding). "
                "'niet herkend': typ de datum als 1-9-2022 of het bedrag als 12.500,00. "
                "Het bestuur controleert daarna nog meer.")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:E2")
    ws.row_dimensions[2].height = 45
    ws["F1"] = "Open punten"
    ws["F1"].font = Font(bold=True)
    last = HEADER_ROW + len(rows)
    ws["F2"] = f'=COUNTIF($E${HEADER_ROW + 1}:$E${last},"{OPEN}")'
    ws["F2"].font = Font(size=14, bold=True, color="9C0006")
    for ci, name in enumerate(COLUMNS, start=1):
        c = ws.cell(row=HEADER_ROW, column=ci, value=name)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="1F4E79")
    for i, chk in enumerate(rows):
        r = HEADER_ROW + 1 + i
        ws.cell(row=r, column=1, value=chk.rule)
        ws.cell(row=r, column=2, value=chk.sheet)
        ws.cell(row=r, column=3, value=chk.cell)
        gcol, hcol = FLAG_COLS
        # an error value typed in an input (#N/B) makes the check claim nothing: 'niet herkend'
        ws[f"{gcol}{r}"] = f"=IFERROR({chk.open},FALSE)"
        ws[f"{hcol}{r}"] = f"=IFERROR(OR({chk.unknown},ISERROR({chk.open})),TRUE)"
        title = rule_catalogue.catalogue()[chk.rule].title
        ws.cell(row=r, column=4, value=f"=IF(${gcol}${r},{chk.message},{lit(f'{title}: {chk.subject}')})").alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=5, value=f'=IF(${gcol}${r},"{OPEN}",IF(${hcol}${r},"{UNKNOWN}","{OK}"))')
        _mark(wb, chk, f"{SHEET}!${gcol}${r}", started)
    tbl = XlTable(displayName=TABLE, ref=f"A{HEADER_ROW}:E{last}")
    tbl.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(tbl)
    red, orange = MARK["fout"], MARK["waarschuwing"]
    status = f"E{HEADER_ROW + 1}:E{last}"
    ws.conditional_formatting.add(status, FormulaRule(formula=[f'E{HEADER_ROW + 1}="{OPEN}"'], fill=_fill(red[0]), font=Font(color=red[1], bold=True)))
    ws.conditional_formatting.add(status, FormulaRule(formula=[f'E{HEADER_ROW + 1}="{UNKNOWN}"'], fill=_fill(orange[0]), font=Font(color=orange[1])))
    ws.conditional_formatting.add(f"A{HEADER_ROW + 1}:D{last}", FormulaRule(formula=[f'$E{HEADER_ROW + 1}="{OPEN}"'], font=Font(color=red[1], bold=True)))
    for col, width in (("A", 8), ("B", 16), ("C", 12), ("D", 90), ("E", 14), ("F", 12)):
        ws.column_dimensions[col].width = width
    helper_cols = list(FLAG_COLS) + list(DATE_COLS) + EURO_COLS + list(SCRATCH_COLS)
    for col in helper_cols:
        ws.column_dimensions[col].hidden = True
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws)
    ws.protection.sheet = True
    wb.defined_names[OPEN_NAME] = DefinedName(OPEN_NAME, attr_text=f"{quote_sheetname(SHEET)}!$F$2")


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _mark(wb, chk: Check, flag: str, started: dict[str, str]) -> None:
    """Colour the input cell while the check is open, once its sheet has been started."""
    fill, font = MARK[chk.severity]
    targets = chk.marks or [(chk.sheet, chk.cell, flag)]
    for sheet, cell, condition in targets:
        go = started.get(sheet)
        if go is None:
            continue
        rule = FormulaRule(formula=[f"AND({go},{condition})"], fill=_fill(fill), font=Font(color=font), stopIfTrue=chk.severity == "fout")
        wb[sheet].conditional_formatting.add(cell, rule)


def instruction_line(ws, cell: str) -> None:
    """The count in large type on the instruction sheet."""
    n = OPEN_NAME
    ws[cell] = (f'=IF({n}=0,"Geen punten open — zie tabblad Controle",IF({n}=1,"Nog 1 punt open — zie tabblad Controle",'
                f'"Nog "&{n}&" punten open — zie tabblad Controle"))')
    ws[cell].font = Font(size=18, bold=True, color="9C0006")


# The pipeline's messages (rule id -> message codes) that the Controle sheet reproduces. The other
# messages of these rules need the board's settings (programme end, maximum duration, po or vo).
COVERED = {
    "W3": ("leeg", "leeg_voorwaarde"),
    "Q1": ("geen_antwoord", "nvt", "nvt_contact"),
    "Q3": ("geen_toelichting",),
    "Q4": ("geen_bewijs",),
    "S1": ("niet_gevraagd", "na_contract"),
    "S2": ("volgorde",),
    "P5": ("geen_einddatum", "geen_resultaat"),
    "A1": ("niet_europees",),
    "A4": ("meer",),
    "V1": ("geen_medewerkers", "geen_vog"),
}

"""The board's configuration, kept by finance staff in inputs/bestuur.xlsx."""
from __future__ import annotations

from dataclasses import dataclass, field, fields as dc_fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline import dutch
from pipeline.rules import catalogue as findings
from pipeline.model import BOARD_COST_CENTRE, Finding

FILE_NAME = "bestuur.xlsx"
EMAIL_LABEL = "E-mail bestuursbureau"  # row label on the sheet Bestuur
SCHOOL_KINDS = ("bo", "sbo", "so", "vso", "vo", "pro")
PO_KINDS = ("bo", "sbo", "so")  # VOG at most 6 months old (WPO art. 32); others 26 weeks


@dataclass(frozen=True)
class Setting:
    key: str  # attribute name in Settings
    label: str  # the Dutch row label in the sheet Instellingen
    kind: str  # int, percent, bool, date, text
    default: Any
    source: str
    choices: tuple[str, ...] = ()  # for a text setting: the values it may take (any case)
    minimum: int | None = None  # for an int setting


SETTINGS: tuple[Setting, ...] = (
    Setting("max_duration_months", "Maximale looptijd inhuur (maanden)", "int", 24, minimum=1, source="Aanname van dit programma (standaard 24 maanden) bij aandachtspunt 'beperkt, tijdelijk en doelgericht' (OCW, Inhuur van externe partijen)"),
    Setting("max_share_of_allocation", "Maximaal aandeel extern van de NPO-toekenning", "percent", Decimal("0.5"), "Aanname van dit programma (standaard 50%) bij aandachtspunt 'beperkt, tijdelijk en doelgericht' (OCW)"),
    Setting("evaluation_grace_months", "Termijn evaluatie na einddatum (maanden)", "int", 3, minimum=0, source="Aanname van dit programma (standaard 3 maanden) bij stap 5 Evaluatie en overdracht (OCW)"),
    Setting("social_services_regime", "Regime sociale en andere specifieke diensten (drempel €750.000)", "bool", False, "Onbevestigd of onderwijsdiensten onder dit regime vallen (Aanbestedingswet 2012, sociale en andere specifieke diensten); standaard uit"),
    Setting("programme_end", "Einddatum programma (besteding NPO-middelen)", "date", date(2025, 7, 31), "nponderwijs.nl: middelen 2022-2023 mogen tot 31 juli 2025 worden besteed"),
    Setting("rate_deviation", "Afwijking uurtarief t.o.v. mediaan (A5)", "percent", Decimal("0.5"), "Aanname: meer dan 50% boven of onder de mediaan geldt als sterk afwijkend"),
    Setting("split_window", "Venster samentellen opdrachten (A2)", "text", "schooljaar", "Aanname bij het verbod op opsplitsen (Aanbestedingswet 2012 art. 2.14): standaard hetzelfde schooljaar; ook mogelijk: kalenderjaar", ("schooljaar", "kalenderjaar")),
    Setting("reference_date", "Peildatum (leeg = vandaag)", "date", None, "Datum waarop termijnen (S5) worden beoordeeld; leeg = datum van de run"),
    Setting("materiality", "Materialiteit accountant in euro (steekproef)", "int", 25000, minimum=1, source="Aanname van dit programma (standaard € 25.000); vul de materialiteit in die uw accountant voor de NPO-uitgaven hanteert (Onderwijsaccountantsprotocol OCW)"),
    Setting("confidence", "Betrouwbaarheid steekproef", "percent", Decimal("0.95"), "Standaard 95%: betrouwbaarheidsfactor 3,0 bij nul verwachte fouten (monetary unit sampling); ook mogelijk: 80%, 90%, 99%"),
    Setting("sample_seed", "Startgetal steekproef (seed)", "int", 1, minimum=0, source="Aanname van dit programma (standaard 1): hetzelfde startgetal geeft met dezelfde invoer dezelfde steekproef"),
)


@dataclass(frozen=True)
class Settings:
    max_duration_months: int = 24
    max_share_of_allocation: Decimal = Decimal("0.5")
    evaluation_grace_months: int = 3
    social_services_regime: bool = False
    programme_end: date = date(2025, 7, 31)
    rate_deviation: Decimal = Decimal("0.5")
    split_window: str = "schooljaar"
    reference_date: date | None = None
    materiality: int = 25000  # euros; the auditor's sample (pipeline/dossier.py)
    confidence: Decimal = Decimal("0.95")
    sample_seed: int = 1


@dataclass(frozen=True)
class School:
    brin: str
    name: str
    kind: str
    email: str = ""


# Column F of the sheet Leerlingen: the definitive NPO amount from DUO's "Overzicht financiële beschikkingen" (OFB,
# mijn.duo.nl); where entered it wins over the amount computed from the pupil counts.
DUO_LABEL = "NPO-toekenning volgens DUO (OFB), leeg = berekenen"
DUO_BASIS = "DUO (overzicht financiële beschikkingen)"


@dataclass(frozen=True)
class Pupils:
    brin: str
    schooljaar: str
    pupils: int
    achterstandsscore: Decimal
    cumi: int
    allocation_override: Decimal | None = None  # DUO's amount (OFB), column F
    vbo_pro: int = 0  # of a vo school: pupils in vbo years 3-4 or praktijkonderwijs (the higher rate)


@dataclass(frozen=True)
class Tier:
    """Purchasing policy: from this value (excl. BTW) on, at least `quotes` quotes."""

    from_value: Decimal
    quotes: int
    procedure: str


DEFAULT_TIERS = (
    Tier(Decimal("0"), 1, "Enkelvoudig onderhands"),
    Tier(Decimal("25000"), 3, "Meervoudig onderhands"),
    Tier(Decimal("100000"), 3, "Meervoudig onderhands of nationaal"),
)


LEDGER_SHEET = "Grootboek"
LEDGER_ITEMS = ("datum", "rekening", "kostenplaats", "project", "crediteur", "crediteur_naam", "kvk", "factuurnummer",
                "omschrijving", "bedrag", "debet", "credit", "dc", "boekstuk", "regelnummer", "soort_rekening")
TITLE_OPTIONS = "Instellingen van de grootboekexport"
OPTION_LAYOUT = "Indeling"
OPTION_VAT = "Bedragen in het grootboek"
LAYOUT_CHOICES = ("automatisch", "Exact Globe FMUTA (zonder kolomkoppen)")
VAT_AUTO, VAT_EXCL, VAT_INCL = "automatisch", "exclusief btw", "inclusief btw"
VAT_CHOICES = (VAT_AUTO, VAT_EXCL, VAT_INCL)
TITLE_COLUMNS = "Kolommen van de grootboekexport"
TITLE_SELECTION = "NPO-uitgaven aan externe partijen"
TITLE_COST_CENTRES = "Kostenplaatsen"
# Column 'Soort' of the NPO selection: 'extern' rows select the NPO spending on external parties (the L rules);
# 'alle NPO-uitgaven' rows select all NPO spending, staff included (the closing account's unspent amount).
KIND_EXTERNAL, KIND_ALL = "extern", "alle NPO-uitgaven"
KIND_CHOICES = (KIND_EXTERNAL, KIND_ALL)
KIND_HEADING = "Soort (extern of alle NPO-uitgaven)"


@dataclass(frozen=True)
class Selection:
    """One row of the board's NPO selection: an account and/or project pattern (`4*`), both must match."""

    account: str
    project: str
    row: int
    kind: str = KIND_EXTERNAL  # KIND_EXTERNAL or KIND_ALL


@dataclass
class LedgerSettings:
    """The sheet Grootboek of bestuur.xlsx: export columns, NPO accounts/projects, cost centre -> BRIN."""

    columns: dict[str, str] = field(default_factory=dict)  # item -> export column heading
    selections: list[Selection] = field(default_factory=list)
    cost_centres: dict[str, str] = field(default_factory=dict)  # cost centre -> BRIN or "bovenschools"
    selection_cell: str = "A19"  # where the first selection row goes (for findings)
    cost_centre_cell: str = "A24"  # the first free row of the cost centre table
    layout: str = "automatisch"  # or Exact Globe FMUTA for a file without headings
    vat: str = VAT_AUTO  # ledger amounts excl. or incl. BTW (schools cannot deduct BTW; many boards book gross)

    def selection_text(self) -> str:
        """The board's NPO selection in words, for a finding that no line matched it."""
        rows = [" en ".join(x for x in (f"rekening {s.account}" if s.account else "", f"project {s.project}" if s.project else "") if x)
                for s in self.selections]
        return "; ".join(r for r in rows if r) or "geen"

    def finding_no_selection(self) -> Finding:
        return findings.finding("W3", "leeg", file=FILE_NAME, sheet=LEDGER_SHEET, cell=self.selection_cell,
                                label="NPO-grootboekrekeningen of -projecten (nodig om het grootboek te controleren)")

    def finding_unknown_cost_centres(self, codes: list[str]) -> Finding:
        shown = ", ".join(codes[:10]) + (f" en {len(codes) - 10} meer" if len(codes) > 10 else "")
        return findings.finding("W4", "onleesbaar", file=FILE_NAME, sheet=LEDGER_SHEET, cell=self.cost_centre_cell,
                                label="Kostenplaatsen", waarde=shown,
                                uitleg="op deze kostenplaatsen staan NPO-boekingen, maar ze horen bij geen school; vul per kostenplaats de BRIN in (of 'bovenschools')")


@dataclass
class Board:
    name: str = "Schoolbestuur"
    number: str = ""
    email: str = ""  # the board office's address: sender of the reply drafts
    schools: dict[str, School] = field(default_factory=dict)
    pupils: list[Pupils] = field(default_factory=list)
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    settings: Settings = field(default_factory=Settings)
    ledger: LedgerSettings = field(default_factory=LedgerSettings)
    from_file: bool = False  # False: defaults, no bestuur.xlsx found
    unreadable: dict[str, str] = field(default_factory=dict)  # setting key -> cell on Instellingen whose value could not be read

    def tier_for(self, value: Decimal) -> Tier:
        chosen = self.tiers[0]
        for t in sorted(self.tiers, key=lambda t: t.from_value):
            if value >= t.from_value:
                chosen = t
        return chosen

    def school_kind(self, brin: str) -> str:
        s = self.schools.get(brin)
        return s.kind if s else "bo"


def _rows(book: CalamineWorkbook, sheet: str) -> list[list[Any]]:
    if sheet not in book.sheet_names:
        return []
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _cell(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def load(path: Path) -> tuple[Board, list[Finding]]:
    """Read bestuur.xlsx; a missing file gives the defaults and a note, bad cells give findings."""
    out: list[Finding] = []
    board = Board()
    if not path.exists():
        return board, out
    name = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        out.append(findings.finding("W1", "onleesbaar", file=name, reden=f"Het bestuursbestand kan niet worden gelezen ({type(exc).__name__}); de standaardinstellingen zijn gebruikt."))
        return board, out
    board.from_file = True

    def bad(sheet, col, row, label, raw, exc):
        shown = int(raw) if isinstance(raw, float) and raw.is_integer() else raw  # 12, as typed, not Python's 12.0
        out.append(findings.finding("W4", "onleesbaar", file=name, sheet=sheet, cell=_cell(col, row), label=label, waarde=str(shown)[:80], uitleg=str(exc)))

    # Bestuur: label in column A, value in column B
    for r, row in enumerate(_rows(book, "Bestuur"), start=1):
        if len(row) < 2 or not str(row[0]).strip():
            continue
        key, val = str(row[0]).strip().casefold(), row[1]
        if key == "naam bestuur" and str(val).strip():
            board.name = str(val).strip()
        elif key == "bestuursnummer":
            board.number = str(int(val) if isinstance(val, float) else val).strip()
        elif key == EMAIL_LABEL.casefold() and val is not None:
            board.email = str(val).strip()

    settings = {}
    by_label = {s.label.casefold(): s for s in SETTINGS}
    for r, row in enumerate(_rows(book, "Instellingen"), start=1):
        if len(row) < 2:
            continue
        label = str(row[0] if row[0] is not None else "").strip()
        if r > 1 and label and label.casefold() not in by_label and str(row[1] if row[1] is not None else "").strip():
            # a typo in the label would silently leave the default in force
            import difflib

            near = difflib.get_close_matches(label.casefold(), list(by_label), n=1, cutoff=0.6)
            hint = f"bedoelt u '{by_label[near[0]].label}'?" if near else "kies een instelling uit de lijst"
            bad("Instellingen", 1, r, label, row[1], dutch.ParseError(f"dit is geen bekende instelling en wordt niet gebruikt; {hint}"))
            continue
        if label.casefold() not in by_label:
            continue
        s = by_label[str(row[0]).strip().casefold()]
        raw = row[1]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            settings[s.key] = _setting_value(s, raw)
        except dutch.ParseError as exc:
            bad("Instellingen", 2, r, s.label, raw, exc)
            board.unreadable[s.key] = f"Instellingen!{_cell(2, r)}"
    board.settings = Settings(**settings)

    rows = _rows(book, "Scholen")
    seen: dict[Any, int] = {}  # BRIN (Scholen) or (BRIN, school year) (Leerlingen) -> the row that counts

    def twice(sheet, key, r, raw, what) -> bool:
        """A second row for the same school (and year) is not used: a finding, never a silent overwrite or sum."""
        if key not in seen:
            seen[key] = r
            return False
        bad(sheet, 1, r, "BRIN", raw, dutch.ParseError(
            f"{what} staat al op rij {seen[key]} van dit tabblad; alleen die rij telt. Zet alles in één rij of haal deze rij weg"))
        return True

    for r, row in enumerate(rows[1:], start=2):
        row = list(row) + [""] * 4
        brin = str(row[0]).strip().upper()
        if not brin or twice("Scholen", brin, r, row[0], f"school {brin}"):
            continue
        kind = str(row[2]).strip().lower() or "bo"
        if kind not in SCHOOL_KINDS:
            bad("Scholen", 3, r, "Soort school", row[2], dutch.ParseError("kies uit " + ", ".join(SCHOOL_KINDS)))
            kind = "bo"
        board.schools[brin] = School(brin, str(row[1]).strip(), kind, str(row[3]).strip())

    rows = _rows(book, "Leerlingen")
    for r, row in enumerate(rows[1:], start=2):
        row = list(row) + [""] * 7
        brin = str(row[0]).strip().upper()
        if not brin:
            continue
        if board.schools and brin not in board.schools:
            # The row counts (a school known by its allocation alone keeps its row in the documents), but never
            # silently: a typo of a BRIN would take the allocation away from its school
            bad("Leerlingen", 1, r, "BRIN", row[0], dutch.ParseError(
                "deze BRIN staat niet op het tabblad Scholen; de toekenning van deze rij telt mee onder de BRIN "
                "alleen, zonder schoolnaam en als school voor primair onderwijs. Zet de school op het tabblad "
                "Scholen of verbeter de BRIN"))
        try:
            first, last = dutch.school_year_bounds(str(row[1]).strip())
            year = f"{first.year}-{last.year}"  # "2022/2023", "2022-23": the form the NPO amounts and hires use
        except dutch.ParseError as exc:
            bad("Leerlingen", 2, r, "Schooljaar", row[1], exc)
            continue
        if twice("Leerlingen", (brin, year), r, row[0], f"school {brin} met schooljaar {year}"):
            continue
        vals = []
        for ci, label, parse in ((2, "Leerlingen", dutch.parse_int), (3, "Achterstandsscore", dutch.parse_euro), (4, "CUMI-leerlingen", dutch.parse_int)):
            raw = row[ci]
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                vals.append(parse(0))
                continue
            try:
                vals.append(parse(raw))
            except dutch.ParseError as exc:
                bad("Leerlingen", ci + 1, r, label, raw, exc)
                vals.append(parse(0))
        override = None
        if row[5] not in (None, ""):
            try:
                override = dutch.parse_euro(row[5])
            except dutch.ParseError as exc:
                bad("Leerlingen", 6, r, DUO_LABEL, row[5], exc)
        vbo = 0
        if row[6] not in (None, ""):
            try:
                vbo = dutch.parse_int(row[6])
            except dutch.ParseError as exc:
                bad("Leerlingen", 7, r, "Waarvan vbo 3-4 of praktijkonderwijs", row[6], exc)
        board.pupils.append(Pupils(brin, year, vals[0], vals[1], vals[2], override, vbo))

    rows = _rows(book, "Inkoopbeleid")
    tiers = []
    for r, row in enumerate(rows[1:], start=2):
        row = list(row) + [""] * 3
        if row[0] in (None, "") and row[1] in (None, ""):
            continue
        vals = []  # each bad cell its own finding at its own column
        for ci, label, parse in ((0, "Vanaf waarde excl. btw", dutch.parse_euro), (1, "Minimaal aantal offertes", dutch.parse_int)):
            try:
                vals.append(parse(row[ci]))
            except dutch.ParseError as exc:
                bad("Inkoopbeleid", ci + 1, r, label, row[ci], exc)
        if len(vals) == 2:
            tiers.append(Tier(vals[0], vals[1], str(row[2]).strip()))
    if tiers:
        board.tiers = tuple(sorted(tiers, key=lambda t: t.from_value))
    board.ledger = _ledger_settings(_rows(book, LEDGER_SHEET), set(board.schools), bad)
    return board, out


def _ledger_settings(rows: list[list[Any]], schools: set[str], bad) -> LedgerSettings:
    """The three tables of the sheet Grootboek, each under its title in column A and a heading row."""
    out = LedgerSettings()
    section, heading = "", False
    last_row = {"selection": 0, "cost": 0}
    targets: dict[str, str] = {}
    kind_col = None  # the selection table's column 'Soort', when its heading row has one (older sheets do not)
    for r, row in enumerate(rows, start=1):
        row = [("" if v is None else (str(int(v)) if isinstance(v, float) and v == int(v) else str(v)).strip()) for v in list(row) + [""] * 3]
        first = row[0].casefold()
        if first.startswith(TITLE_COLUMNS.casefold()[:8]):
            section, heading = "columns", True
            continue
        if first.startswith(TITLE_SELECTION.casefold()[:12]):
            section, heading = "selection", True
            last_row["selection"] = r + 1
            continue
        if first.startswith(TITLE_COST_CENTRES.casefold()):
            section, heading = "cost", True
            last_row["cost"] = r + 1
            continue
        if first.startswith(TITLE_OPTIONS.casefold()[:20]):
            section, heading = "options", True
            continue
        if heading:  # the row of column headings under a title
            heading = False
            if section == "selection":
                kind_col = next((i for i, v in enumerate(row) if v.casefold().startswith("soort")), None)
            continue
        if not row[0] and not row[1]:
            continue
        if section == "columns":
            item = row[0].casefold()
            if item not in LEDGER_ITEMS:
                bad(LEDGER_SHEET, 1, r, "Gegeven", row[0], dutch.ParseError("kies uit " + ", ".join(LEDGER_ITEMS)))
            elif row[1]:
                if row[1].casefold() in targets:
                    bad(LEDGER_SHEET, 2, r, f"Kolom voor {item}", row[1], dutch.ParseError(f"deze kolom is al gekozen voor {targets[row[1].casefold()]}; kies per gegeven een eigen kolom"))
                else:
                    targets[row[1].casefold()] = item
                    out.columns[item] = row[1]
        elif section == "options":
            name, value = row[0].casefold(), row[1]
            if not value:
                continue
            choices = LAYOUT_CHOICES if name == OPTION_LAYOUT.casefold() else VAT_CHOICES if name == OPTION_VAT.casefold() else None
            if choices is None:
                bad(LEDGER_SHEET, 1, r, "Instelling", row[0], dutch.ParseError(f"kies uit {OPTION_LAYOUT}, {OPTION_VAT}"))
                continue
            try:
                picked = dutch.parse_choice(value, list(choices))
            except dutch.ParseError as exc:
                bad(LEDGER_SHEET, 2, r, row[0], value, exc)
                continue
            if choices is LAYOUT_CHOICES:
                out.layout = picked
            else:
                out.vat = picked
        elif section == "selection":
            last_row["selection"] = r
            kind = KIND_EXTERNAL
            if kind_col is not None and kind_col < len(row) and row[kind_col]:
                try:
                    kind = dutch.parse_choice(row[kind_col], list(KIND_CHOICES))
                except dutch.ParseError as exc:
                    bad(LEDGER_SHEET, kind_col + 1, r, "Soort", row[kind_col], exc)
            out.selections.append(Selection(row[0], row[1], r, kind))
        elif section == "cost":
            last_row["cost"] = r
            code, brin = row[0], row[1].upper()
            if not brin or brin.casefold() == BOARD_COST_CENTRE:
                brin = BOARD_COST_CENTRE
            elif schools and brin not in schools:
                bad(LEDGER_SHEET, 2, r, f"BRIN van kostenplaats {code}", row[1], dutch.ParseError("deze BRIN staat niet op het tabblad Scholen"))
                continue
            if code in out.cost_centres and out.cost_centres[code] != brin:
                bad(LEDGER_SHEET, 2, r, f"BRIN van kostenplaats {code}", row[1], dutch.ParseError(f"kostenplaats {code} staat al bij {out.cost_centres[code]}"))
                continue
            out.cost_centres[code] = brin
    out.selection_cell = _cell(1, last_row["selection"] + 1) if last_row["selection"] else "A1"
    out.cost_centre_cell = _cell(1, last_row["cost"] + 1) if last_row["cost"] else "A1"
    return out


def _setting_value(s: Setting, raw: Any) -> Any:
    """The value of one setting, read the way people type it (any case); anything else raises ParseError."""
    if s.kind == "int":
        v = dutch.parse_int(raw)
        if s.minimum is not None and v < s.minimum:
            raise dutch.ParseError(f"verwacht een geheel getal van minstens {s.minimum}")
        return v
    if s.kind == "percent":
        return dutch.parse_percent(raw)
    if s.kind == "bool":
        return dutch.parse_choice(raw, ["Ja", "Nee"]) == "Ja"
    if s.kind == "date":
        return dutch.parse_date(raw)
    if s.choices:
        return dutch.parse_choice(raw, list(s.choices))
    return str(raw).strip()


def assumptions(board: Board) -> list[dict[str, str]]:
    """Every configurable assumption with the value used and where it came from, for the reports."""
    out = []
    for s in SETTINGS:
        v = getattr(board.settings, s.key)
        if isinstance(v, bool):
            text = "Ja" if v else "Nee"
        elif s.kind == "percent":
            text = dutch.format_percent(v)
        elif isinstance(v, date):
            text = dutch.format_date(v)
        elif v is None:
            text = "datum van de run"
        elif s.key == "materiality":
            text = dutch.format_number(v)  # "25.000": the label says "in euro", as the value is typed
        else:
            text = str(v)
        default = getattr(Settings(), s.key)
        origin = "standaard" if v == default else "bestuur.xlsx"
        if s.key in board.unreadable:
            origin = f"standaard, omdat de ingevulde waarde in bestuur.xlsx ({board.unreadable[s.key]}) onleesbaar was"
        out.append({"label": s.label, "value": text, "default": origin, "source": s.source})
    for t in board.tiers:
        out.append({
            "label": f"Inkoopbeleid vanaf {dutch.format_euro(t.from_value)}",
            "value": f"{dutch.plural(t.quotes, 'offerte', 'offertes')}, {t.procedure}",
            "default": "bestuur.xlsx" if board.from_file and board.tiers != DEFAULT_TIERS else "standaard",
            "source": "Inkoopbeleid van het bestuur (bestuur.xlsx; zonder eigen staffel: voorbeeldstaffel van dit programma)",
        })
    return out


SETTING_KEYS = {f.name for f in dc_fields(Settings)}


def _write_ledger(ws, settings: LedgerSettings, Font) -> None:
    """The sheet Grootboek: four tables under their titles, in the layout `_ledger_settings` reads."""
    ws.append([TITLE_OPTIONS])
    ws.append(["Instelling", "Waarde", "Toelichting"])
    ws.append([OPTION_LAYOUT, settings.layout, "automatisch = herkennen aan de kolomkoppen; kies "
               f"'{LAYOUT_CHOICES[1]}' voor een fmuta.csv zonder kolomkoppen"])
    ws.append([OPTION_VAT, settings.vat, "automatisch = een grootboekbedrag mag gelijk zijn aan het bedrag excl. of incl. btw "
               "van het werkboek (scholen kunnen btw niet aftrekken; veel besturen boeken het bedrag incl. btw)"])
    ws.append([])
    ws.append([TITLE_COLUMNS + " (leeg = herkennen aan de kolomkop; zonder kolomkoppen: het kolomnummer, bijvoorbeeld 13)"])
    ws.append(["Gegeven", "Kolomnaam in de export"])
    for item in LEDGER_ITEMS:
        ws.append([item, settings.columns.get(item)])
    ws.append([])
    ws.append([TITLE_SELECTION + " (patronen zoals 4* mogen)"])
    ws.append(["Grootboekrekening", "Project", KIND_HEADING, "Toelichting"])
    for sel in settings.selections:
        ws.append([sel.account or None, sel.project or None, sel.kind])
    ws.append([])
    ws.append([TITLE_COST_CENTRES])
    ws.append(["Kostenplaats", "BRIN (bovenschools = bestuursbureau)", "Toelichting"])
    for code, brin in settings.cost_centres.items():
        ws.append([code, brin])
    for row in ws.iter_rows():
        if row and isinstance(row[0].value, str) and row[0].value.startswith((TITLE_OPTIONS, TITLE_COLUMNS, TITLE_SELECTION, TITLE_COST_CENTRES)):
            row[0].font = Font(bold=True)
    for col, width in (("A", 30), ("B", 40), ("C", 40)):
        ws.column_dimensions[col].width = width


def write(path: Path, board: Board) -> Path:
    """Write bestuur.xlsx in the layout `load` reads, for a new board or the demo."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Bestuur"
    ws.append(["Naam bestuur", board.name])
    ws.append(["Bestuursnummer", board.number])
    ws.append([EMAIL_LABEL, board.email])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 50

    ws = wb.create_sheet("Instellingen")
    ws.append(["Instelling", "Waarde", "Bron / toelichting"])
    for s in SETTINGS:
        v = getattr(board.settings, s.key)
        if isinstance(v, bool):
            v = "Ja" if v else "Nee"
        elif isinstance(v, Decimal):
            v = float(v)
        ws.append([s.label, v, s.source])
        if s.kind == "percent":
            ws.cell(row=ws.max_row, column=2).number_format = "0%"
        if s.kind == "date":
            ws.cell(row=ws.max_row, column=2).number_format = "DD-MM-YYYY"
    for col, width in (("A", 60), ("B", 18), ("C", 90)):
        ws.column_dimensions[col].width = width

    ws = wb.create_sheet("Scholen")
    ws.append(["BRIN", "Naam", "Soort (bo, sbo, so, vso, vo, pro)", "E-mail"])
    for s in board.schools.values():
        ws.append([s.brin, s.name, s.kind, s.email])
    dv = DataValidation(type="list", formula1='"' + ",".join(SCHOOL_KINDS) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("C2:C500")
    for col, width in (("A", 10), ("B", 40), ("C", 30), ("D", 40)):
        ws.column_dimensions[col].width = width

    ws = wb.create_sheet("Leerlingen")
    ws.append(["BRIN", "Schooljaar", "Leerlingen", "Achterstandsscore", "CUMI-leerlingen", DUO_LABEL,
               "Waarvan vbo 3-4 of praktijkonderwijs (vo)"])
    for p in board.pupils:
        ws.append([p.brin, p.schooljaar, p.pupils, float(p.achterstandsscore), p.cumi,
                   float(p.allocation_override) if p.allocation_override is not None else None, p.vbo_pro or None])
    for col, width in (("A", 10), ("B", 12), ("C", 12), ("D", 18), ("E", 16), ("F", 36), ("G", 36)):
        ws.column_dimensions[col].width = width

    ws = wb.create_sheet("Inkoopbeleid")
    ws.append(["Vanaf waarde excl. btw", "Minimaal aantal offertes", "Procedure"])
    for t in board.tiers:
        ws.append([float(t.from_value), t.quotes, t.procedure])
        ws.cell(row=ws.max_row, column=1).number_format = '"€" #,##0'
    for col, width in (("A", 24), ("B", 24), ("C", 40)):
        ws.column_dimensions[col].width = width

    for sheet in wb.worksheets:
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    _write_ledger(wb.create_sheet(LEDGER_SHEET), board.ledger, Font)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path

"""Synthetic filled workbooks for the benchmark: the real blank template with its sheet XML patched per hire."""
from __future__ import annotations

import copy
import io
import math
import random
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl.utils import get_column_letter

from pipeline.read import board as config
from pipeline import ooxml
from pipeline import spec as spec_mod
from pipeline.render import workbook as template
from tools.demo import GOOD_ANSWERS, KINDS

SCHOOL_YEARS = ("2021-2022", "2022-2023", "2023-2024", "2024-2025")
# Fixed, so S5 (evaluation due) judges every run alike; every hire has ended three months before it.
REFERENCE_DATE = date(2025, 11, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
EXCEL_EPOCH = date(1899, 12, 30)

# Intended mistakes and the rules they should trip (the expectation, not a test of the rules).
MISTAKES: dict[str, tuple[str, ...]] = {
    "verplicht_leeg": ("W3",),
    "kaal_ja": ("Q4",),
    "vraag_open": ("Q1",),
    "nee_hard": ("Q2",),
    "deels_zonder_toelichting": ("Q3",),
    "boven_drempel": ("A1",),
    "te_weinig_offertes": ("A3",),
    "meer_gefactureerd": ("A4",),
    "bso_zonder_btw": ("A6",),
    "geen_vog": ("V1",),
    "oude_vog": ("V1",),
    "geen_verwerkersovereenkomst": ("V2",),
    "leerlinggegevens": ("V3",),
    "advies_na_contract": ("S1",),
    "geen_afspraken_meerwerk": ("S4",),
    "niet_geevalueerd": ("S5",),
    "geen_einddatum": ("P5",),
    "bovenschools_zonder_gmr": ("P4",),
    "ouders_niet_geinformeerd": ("P8",),
    "onleesbare_waarde": ("W4",),
}
# Mistakes that empty or spoil a field others build on: applied after the rest.
DESTRUCTIVE = {"verplicht_leeg", "geen_einddatum", "niet_geevalueerd", "onleesbare_waarde"}
# Set by the plan itself rather than drawn: invoices typed under the table, copies, versions, split orders.
EXTRA_MARKS = {"onder_tabel": ("W5",), "kopie": ("W6",), "oude_versie": ("W6",), "opgeknipt": ("A2",)}

SHARE_WITH_MISTAKES = 0.33
SHARE_COPIES = 0.02
SHARE_OLD_VERSIONS = 0.02
SHARE_SPLIT_SUPPLIER = 0.02
SHARE_DUTCH_TEXT = 0.15

SPLIT_SUPPLIER = ("Bijlesbureau Slim Verder B.V.", "80012345", "Bureau")
NAME_HEADS = ("OBS", "CBS", "RKBS", "IKC", "Daltonschool", "Montessorischool", "SBO", "Het", "De")
NAME_TAILS = ("Regenboog", "Kompas", "Brug", "Wilgen", "Klimop", "Vlinder", "Horizon", "Sterrenwacht", "Linde",
              "Eik", "Boomgaard", "Zeppelin", "Duinroos", "Kameleon", "Toermalijn", "Wereldwijs", "Vuurtoren")
SUPPLIER_HEADS = ("Bijles", "Onderwijs", "Leer", "Reken", "Taal", "Sport", "Cultuur", "Coach", "Talent", "Kind")
SUPPLIER_TAILS = ("bureau", "partners", "lab", "huis", "support", "academie", "kracht", "groep", "wijs", "plein")
SUPPLIER_FORMS = ("B.V.", "", "Stichting", "V.O.F.")
RATE_BASE = {0: 55.0, 1: 115.0, 2: 45.0}  # euro per hour by kind of hire


@dataclass
class Planned:
    """One workbook to write: what goes in its cells and which mistakes it was given on purpose."""

    file: str  # relative to the inputs folder
    fields: dict[str, Any]
    tables: dict[str, list[list[Any]]]
    below: dict[str, list[list[Any]]] = field(default_factory=dict)
    mistakes: tuple[str, ...] = ()
    copy_of: str | None = None  # a byte-identical copy of another planned file


@dataclass
class Plan:
    board: config.Board
    workbooks: list[Planned]


# --------------------------------------------------------------------------- content


def _excel_serial(d: date) -> float | int:
    if isinstance(d, datetime):
        delta = d - datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return (d - EXCEL_EPOCH).days


def euro_text(amount: float, rng: random.Random) -> str:
    """An amount as a Dutch person types it: '€ 12.500,00', '12.500' or '12500,50'."""
    whole, cents = divmod(round(amount * 100), 100)
    grouped = f"{whole:,}".replace(",", ".")
    style = rng.randrange(3)
    if style == 0:
        return f"€ {grouped},{cents:02d}"
    if style == 1 and cents == 0:
        return grouped
    return f"{whole},{cents:02d}"


def date_text(d: date, rng: random.Random) -> str:
    return f"{d.day}-{d.month}-{d.year}" if rng.random() < 0.6 else f"{d.day:02d}-{d.month:02d}-{d.year}"


def _between(rng: random.Random, a: date, b: date) -> date:
    return a + timedelta(days=rng.randint(0, max((b - a).days, 0)))


def _brins(rng: random.Random, k: int) -> list[str]:
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    pool = rng.sample(range(100 * len(letters) ** 2), k)
    return [f"{i // len(letters) ** 2:02d}{letters[i // len(letters) % len(letters)]}{letters[i % len(letters)]}" for i in pool]


def _board(rng: random.Random, n_schools: int) -> config.Board:
    schools, pupils = {}, []
    for brin in _brins(rng, n_schools):
        kind = rng.choices(("bo", "sbo", "so", "vo"), weights=(70, 5, 5, 20))[0]
        head = "SBO" if kind == "sbo" else ("College" if kind == "vo" else rng.choice(NAME_HEADS))
        name = f"{head} {rng.choice(NAME_TAILS)} {brin}"
        schools[brin] = config.School(brin, name, kind, f"directie@{brin.lower()}.school.example")
        base = rng.randint(400, 1500) if kind == "vo" else rng.randint(220, 900)
        for year in SCHOOL_YEARS:
            cumi = rng.randint(5, 40) if kind in ("sbo", "so") else 0
            pupils.append(config.Pupils(brin, year, base + rng.randint(-20, 20), Decimal(rng.randint(0, 80)), cumi))
    settings = config.Settings(reference_date=REFERENCE_DATE)
    return config.Board(name="Stichting Scholengroep Synthetisch (fictief)", number="49999", schools=schools,
                        pupils=pupils, settings=settings, from_file=True)


def _suppliers(rng: random.Random, k: int) -> list[tuple[str, str, str]]:
    out, seen = [], {SPLIT_SUPPLIER[1]}
    while len(out) < k:
        kvk = str(rng.randint(60_000_000, 99_999_999))
        if kvk in seen:
            continue
        seen.add(kvk)
        kind = rng.choices(("Bureau", "Zzp'er", "Overig", "BSO/kinderopvang", "Ander schoolbestuur"), weights=(60, 20, 10, 6, 4))[0]
        if kind == "Zzp'er":
            name = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(('de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos'))} {rng.choice(SUPPLIER_HEADS)}coaching"
        else:
            name = f"{rng.choice(SUPPLIER_HEADS)}{rng.choice(SUPPLIER_TAILS)} {rng.choice(NAME_TAILS)} {rng.choice(SUPPLIER_FORMS)}".strip()
        out.append((name, kvk, kind))
    return out


def _value(rng: random.Random, kind: int) -> float:
    low, high = (2_500, 60_000) if kind == 2 else (4_000, 90_000)
    return round(math.exp(rng.uniform(math.log(low), math.log(high))) / 100) * 100


def _hire(rng: random.Random, school: config.School, year: str, nr: int, supplier: tuple[str, str, str],
          split: bool) -> tuple[dict[str, Any], dict[str, list[list[Any]]], int]:
    """A compliant hire: fields and table rows, dates in a possible order. Returns the kind of hire too."""
    name, kvk, ltype = supplier
    kind = 1 if ltype == "Ander schoolbestuur" else (2 if ltype == "BSO/kinderopvang" else rng.choices((0, 1, 2), weights=(55, 25, 20))[0])
    y0 = int(year[:4])
    start = _between(rng, date(y0, 8, 20), date(y0 + 1, 2, 28))
    end = min(start + timedelta(days=rng.randint(60, 300)), date(y0 + 1, 7, 15))
    signed = start - timedelta(days=rng.randint(7, 45))
    asked = signed - timedelta(days=rng.randint(10, 40))
    value = rng.uniform(40_000, 90_000) // 100 * 100 if split else _value(rng, kind)
    evaluation = end + timedelta(days=rng.randint(10, 60))
    contact = kind != 1
    f: dict[str, Any] = {
        "brin": school.brin, "school_naam": school.name, "schooljaar": year, "volgnummer": nr,
        "versiedatum": evaluation, "leverancier_naam": name, "leverancier_kvk": kvk, "leverancier_type": ltype,
        "soort_inhuur": KINDS[kind], "interventie": rng.choice(spec_mod.load().options("menukaart:A-E")), "niveau": "School",
        "behoefte": rng.choice((
            "Uit de schoolscan: achterstand bij begrijpend lezen en rekenen in de groepen 5 tot en met 8.",
            "Uit de schoolscan: veel leerlingen missen basisvaardigheden rekenen na de schoolsluitingen.",
            "Welbevinden en concentratie van leerlingen in de bovenbouw zijn gedaald; extra begeleiding nodig.",
            "Taalachterstand bij nieuwkomers in de onderbouw; de eigen leraren kunnen dit niet alleen opvangen.",
        )),
        "eigen_capaciteit": "Eigen leraren en onderwijsassistenten zijn volledig ingezet; vacatures niet vervulbaar.",
        "in_schoolprogramma": "Ja",
        "leraren_betrokken": "Leraren kiezen de leerlingen en stemmen wekelijks af met de externe partij.",
        "mr_instemming_schoolprogramma": min(date(y0, 6, rng.randint(1, 28)), asked),
        "mr_advies_gevraagd": asked, "mr_advies_ontvangen": asked + timedelta(days=rng.randint(3, 9)),
        "mr_advies_uitkomst": rng.choice(("Positief", "Positief", "Positief met opmerkingen")),
        "selectieteam_leraar": "Ja", "selectieteam_ib": rng.choice(("Ja", "Nee")), "selectieteam_mr": rng.choice(("Ja", "Nee")),
        "selectieteam_expert": rng.choice(("Ja", "Nee")), "budget": value,
        "procedure": "Meervoudig onderhands" if value >= 25_000 else rng.choice(("Enkelvoudig onderhands", "Meervoudig onderhands")),
        "referenties_gecontroleerd": "Ja", "keuze_toelichting": "Beste prijs-kwaliteitverhouding en goede referenties.",
        "contractwaarde": value, "startdatum": start, "einddatum": end, "contract_getekend": signed,
        "kickoff_datum": start - timedelta(days=rng.randint(0, 6)), "afspraken_meerwerk": "Ja",
        "ouders_geinformeerd": start - timedelta(days=rng.randint(0, 14)),
        "pnil": "Ja" if kind == 0 else "Nee", "contact_leerlingen": "Ja" if contact else "Nee",
        "leraar_aanwezig": "Ja" if contact else "N.v.t.", "persoonsgegevens": "Ja" if kind == 0 else "Nee",
        "verwerkersovereenkomst": "Ja" if kind == 0 else "N.v.t.",
        "evaluatiedatum": evaluation,
        "evaluatie_samenvatting": "De meeste leerlingen haalden hun doel; de aanpak wordt door de eigen leraren voortgezet.",
        "kennisoverdracht": "Werkwijze en materialen overgedragen aan het team in een studiemiddag.",
        "oordeel_samenwerking": rng.randint(3, 5), "opnieuw_inhuren": "Ja",
    }
    if rng.random() < 0.1:
        f["interventie_f"] = rng.choice(spec_mod.load().options("menukaart:F"))
    if rng.random() < 0.4:
        f["uurtarief"] = round(RATE_BASE[kind] * rng.uniform(0.85, 1.15), 2)
    if rng.random() < 0.04:
        f.update(niveau="Bovenschools", gmr_instemming=asked - timedelta(days=20), mr_akkoord_bovenschools=asked - timedelta(days=10))

    answers = copy.deepcopy(GOOD_ANSWERS)
    if not contact:
        answers[5] = ["N.v.t.", "Geen contact met leerlingen.", None]
    quote_day = signed - timedelta(days=rng.randint(5, 40))
    quotes = [[name, kvk, value, quote_day, "Ja"]]
    extra = 2 if value >= 25_000 else rng.randint(1, 2)  # the default purchasing policy asks 3 quotes from €25.000
    for i, factor in enumerate(sorted(rng.sample((1.05, 1.08, 1.12, 1.2, 1.3), extra))):
        quotes.append([f"{rng.choice(SUPPLIER_HEADS)}{rng.choice(SUPPLIER_TAILS)} {rng.choice(NAME_TAILS)}", str(70_000_000 + rng.randrange(10_000_000)),
                       round(value * factor, 2), quote_day + timedelta(days=i), "Nee"])
    staff = [[f"Medewerker {i + 1} (initialen {rng.choice('ABCDEFGH')}{rng.choice('JKLMNPRS')})", start - timedelta(days=rng.randint(14, 150)), "Ja"]
             for i in range(rng.randint(1, 4))] if contact else []
    results = [["Leerlingen in de groep halen hun tussendoel", "Tussenresultaat", _between(rng, start, end), "Toets in het leerlingvolgsysteem", "Ja"]]
    if rng.random() < 0.7:
        results.append(["80% van de leerlingen haalt het einddoel", "Eindresultaat", end, "Toets in het leerlingvolgsysteem", rng.choice(("Ja", "Deels"))])
    tables = {"tblVragenlijst": answers, "tblOffertes": quotes, "tblMedewerkers": staff, "tblResultaten": results,
              "tblFacturen": _invoices(rng, value, start, end, kvk)}
    return f, tables, kind


def _invoice_count(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.80:
        return rng.randint(1, 10)
    if r < 0.92:
        return rng.randint(11, 15)
    return rng.randint(16, 40)  # more than the table holds: typed on below it


def _invoices(rng: random.Random, value: float, start: date, end: date, kvk: str, share: float = 1.0) -> list[list[Any]]:
    k = _invoice_count(rng)
    cents = round(value * share * rng.uniform(0.85, 1.0) * 100)
    each = cents // k
    days = sorted(_between(rng, start, end) for _ in range(k))
    rows = []
    for i, day in enumerate(days):
        amount = (each if i < k - 1 else cents - each * (k - 1)) / 100
        rows.append([f"{kvk[-4:]}-{start.year}-{i + 1:03d}", day, amount, round(amount * 0.21, 2), f"Termijn {i + 1}"])
    return rows


def _mistake(rng: random.Random, which: str, f: dict[str, Any], t: dict[str, list[list[Any]]], base: dict[str, Any]) -> None:
    """Put one intended mistake into a hire; `base` holds its compliant fields, untouched by earlier mistakes."""
    answers = t["tblVragenlijst"]
    if which == "verplicht_leeg":
        f.pop(rng.choice(("leverancier_kvk", "pnil", "persoonsgegevens", "procedure", "behoefte", "startdatum")))
    elif which == "kaal_ja":
        for nr in rng.sample((2, 5), rng.randint(1, 2)):
            answers[nr - 1] = ["Ja", None, None]
    elif which == "vraag_open":
        answers[rng.randrange(11)] = [None, None, None]
    elif which == "nee_hard":
        answers[rng.choice((4, 9)) - 1] = ["Nee", "Het bureau bepaalt zelf de aanpak.", None]
    elif which == "deels_zonder_toelichting":
        answers[rng.choice((1, 3, 7, 8, 10, 11)) - 1] = ["Deels", None, None]
    elif which == "boven_drempel":
        value = float(rng.randrange(230_000, 420_000, 1_000))
        f.update(contractwaarde=value, budget=value, procedure="Meervoudig onderhands")
        t["tblOffertes"][0][2] = value
        t["tblFacturen"] = _invoices(rng, value, base["startdatum"], base["einddatum"], base["leverancier_kvk"], share=0.25)
    elif which == "te_weinig_offertes":
        value = max(float(f["contractwaarde"]), 30_000.0)
        f.update(contractwaarde=value, budget=value, procedure="Enkelvoudig onderhands")
        t["tblOffertes"] = t["tblOffertes"][:1]
        t["tblOffertes"][0][2] = value
    elif which == "meer_gefactureerd":
        f["contractwaarde"] = round(float(f["contractwaarde"]) * 0.7, -2)
        f["budget"] = f["contractwaarde"]
    elif which == "bso_zonder_btw":
        f["leverancier_type"] = "BSO/kinderopvang"
        for row in t["tblFacturen"]:
            row[3] = 0
    elif which == "geen_vog":
        if not t["tblMedewerkers"]:
            f.update(contact_leerlingen="Ja", leraar_aanwezig="Ja")
            answers[5] = list(GOOD_ANSWERS[5])
            t["tblMedewerkers"] = [["Medewerker 1 (initialen AB)", None, "Ja"]]
        t["tblMedewerkers"][0][1] = None
    elif which == "oude_vog":
        if not t["tblMedewerkers"]:
            f.update(contact_leerlingen="Ja", leraar_aanwezig="Ja")
            answers[5] = list(GOOD_ANSWERS[5])
            t["tblMedewerkers"] = [["Medewerker 1 (initialen AB)", None, "Ja"]]
        t["tblMedewerkers"][-1][1] = base["startdatum"] - timedelta(days=rng.randint(250, 500))
    elif which == "geen_verwerkersovereenkomst":
        f.update(persoonsgegevens="Ja", verwerkersovereenkomst="Nee")
    elif which == "leerlinggegevens":
        f["behoefte"] += f" Aangemeld via de mentor, o.a. l.{rng.choice(('jansen', 'devries', 'bakker'))}@leerling.school.example"
    elif which == "advies_na_contract":
        f["mr_advies_gevraagd"] = base["contract_getekend"] + timedelta(days=rng.randint(3, 20))
    elif which == "geen_afspraken_meerwerk":
        f["afspraken_meerwerk"] = "Nee"
    elif which == "niet_geevalueerd":
        for name in ("evaluatiedatum", "evaluatie_samenvatting", "kennisoverdracht", "oordeel_samenwerking", "opnieuw_inhuren"):
            f.pop(name, None)
    elif which == "geen_einddatum":
        f.pop("einddatum", None)
    elif which == "bovenschools_zonder_gmr":
        f["niveau"] = "Bovenschools"
        f.pop("gmr_instemming", None)
        f["mr_akkoord_bovenschools"] = base["mr_advies_gevraagd"]
    elif which == "ouders_niet_geinformeerd":
        f.pop("ouders_geinformeerd", None)
    elif which == "onleesbare_waarde":
        name, bad = rng.choice((("startdatum", f"31-02-{base['startdatum'].year}"), ("contractwaarde", "ongeveer 5000 euro"),
                                ("leverancier_kvk", "KvK 1234"), ("versiedatum", "volgende week")))
        f[name] = bad
    else:
        raise ValueError(which)


def _as_dutch_text(rng: random.Random, f: dict[str, Any], t: dict[str, list[list[Any]]]) -> None:
    """Amounts and dates typed as text, the way schools fill them in Calc or paste them from mail."""
    for name in ("budget", "contractwaarde"):
        if isinstance(f.get(name), float):
            f[name] = euro_text(f[name], rng)
    for name in ("startdatum", "einddatum", "contract_getekend", "versiedatum"):
        if isinstance(f.get(name), date):
            f[name] = date_text(f[name], rng)
    for row in t["tblFacturen"]:
        row[1] = date_text(row[1], rng)
        row[2] = euro_text(row[2], rng)
        row[3] = euro_text(row[3], rng) if row[3] else row[3]


def _with_below(t: dict[str, list[list[Any]]], spec: spec_mod.WorkbookSpec) -> tuple[dict, dict]:
    """Rows beyond a table's size go directly under it, as a school would type them."""
    inside, below = {}, {}
    for name, rows in t.items():
        size = spec.tables[name].rows
        inside[name] = rows[:size]
        if len(rows) > size:
            below[name] = rows[size:]
    return inside, below


def plan(n: int, seed: int = 1) -> Plan:
    """The board and N workbooks, as data: varied schools, years, kinds, sizes and mistakes."""
    rng = random.Random(seed)
    spec = spec_mod.load()
    board = _board(rng, max(1, n // 8))
    schools = list(board.schools.values())
    suppliers = _suppliers(rng, max(10, n // 2))
    slugs = ("extra handen", "advies", "buitenschools")
    numbers: dict[tuple[str, str], int] = {}
    out: list[Planned] = []
    while len(out) < n:
        school, year = rng.choice(schools), rng.choice(SCHOOL_YEARS)
        split = rng.random() < SHARE_SPLIT_SUPPLIER
        supplier = SPLIT_SUPPLIER if split else rng.choice(suppliers)
        nr = numbers[(school.brin, year)] = numbers.get((school.brin, year), 0) + 1
        f, t, kind = _hire(rng, school, year, nr, supplier, split)
        marks: list[str] = ["opgeknipt"] if split else []
        if rng.random() < SHARE_WITH_MISTAKES:
            base = dict(f)
            chosen = rng.sample(sorted(MISTAKES), rng.choice((1, 1, 1, 2, 3)))
            for which in sorted(chosen, key=lambda m: m in DESTRUCTIVE):
                _mistake(rng, which, f, t, base)
                marks.append(which)
        if rng.random() < SHARE_DUTCH_TEXT:
            _as_dutch_text(rng, f, t)
        inside, below = _with_below(t, spec)
        if below:
            marks.append("onder_tabel")
        file = f"{school.brin}/{year}-{nr} {slugs[kind]}.xlsx"
        item = Planned(file, f, inside, below, tuple(marks))
        out.append(item)
        r = rng.random()
        if r < SHARE_COPIES and len(out) < n:
            out.append(Planned(file.replace(".xlsx", " (kopie).xlsx"), f, inside, below, item.mistakes + ("kopie",), copy_of=file))
        elif r < SHARE_COPIES + SHARE_OLD_VERSIONS and len(out) < n and isinstance(f.get("versiedatum"), date):
            old = dict(f, versiedatum=f["versiedatum"] - timedelta(days=rng.randint(30, 200)))
            if isinstance(f.get("contractwaarde"), float):
                old["contractwaarde"] = round(f["contractwaarde"] * 0.9, -2)
            out.append(Planned(file.replace(".xlsx", " (versie 1).xlsx"), old, inside, below, item.mistakes + ("oude_versie",)))
    return Plan(board, out)


# --------------------------------------------------------------------------- writing


_LETTERS = {i: get_column_letter(i) for i in range(1, 27)}
_EMPTY_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]+)"( s="[0-9]+")?(?: t="n")?(?:/>|></c>)')
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_xml(coord: str, style: str, value: Any) -> str:
    """One filled cell: inline text (escaped) or a number; dates as Excel serial numbers."""
    if isinstance(value, str):
        text = _ILLEGAL_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{coord}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{coord}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        value = _excel_serial(value)
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{coord}"{style}><v>{value}</v></c>'
    raise TypeError(f"{coord}: cannot write {type(value).__name__}")


class _SheetPart:
    """A sheet's XML split around its empty cells, so filling it is a list copy and a join."""

    def __init__(self, xml: str):
        self.pieces: list[str] = []
        self.slots: dict[str, tuple[int, str]] = {}  # coordinate -> (index in pieces, style attribute)
        pos = 0
        for m in _EMPTY_CELL.finditer(xml):
            self.pieces.append(xml[pos:m.start()])
            self.slots[m.group(1)] = (len(self.pieces), m.group(2) or "")
            self.pieces.append(m.group(0))
            pos = m.end()
        self.pieces.append(xml[pos:])

    def fill(self, cells: dict[str, Any]) -> bytes:
        pieces = self.pieces.copy()
        for coord, value in cells.items():
            if value is None or value == "":
                continue
            try:
                i, style = self.slots[coord]
            except KeyError:
                raise KeyError(f"cell {coord} is not an empty cell of the blank workbook") from None
            pieces[i] = cell_xml(coord, style, value)
        return "".join(pieces).encode("utf-8")


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip part, via xl/workbook.xml and its relationships."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "rel": ooxml.REL_NS}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    rels = {r.get("Id"): ooxml.resolve("xl/workbook.xml", r.get("Target", ""))
            for r in ET.fromstring(zf.read(ooxml.rels_part("xl/workbook.xml"))).findall("rel:Relationship", ns)}
    return {s.get("name"): rels[s.get(rid)] for s in ET.fromstring(zf.read("xl/workbook.xml")).findall("m:sheets/m:sheet", ns)}


class BlankWorkbook:
    """The real blank template, built once; `write` makes a filled copy by patching its sheet XML."""

    def __init__(self, spec: spec_mod.WorkbookSpec | None = None, level: int = 6):
        self.spec = spec or spec_mod.load()
        self.level = level
        buf = io.BytesIO()
        template.build(self.spec).save(buf)
        self._order: list[str] = []
        self._fixed: dict[str, ooxml.ZipMember] = {}
        self._sheets: dict[str, _SheetPart] = {}
        self._sheet_of: dict[str, str] = {}  # zip part -> sheet name
        with zipfile.ZipFile(buf) as zf:
            parts = _sheet_parts(zf)
            editable = {parts[s.name]: s.name for s in self.spec.sheets}
            for info in zf.infolist():
                raw = zf.read(info.filename)
                if info.filename == "docProps/core.xml":  # same bytes whenever the blank is built
                    raw = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", raw)
                self._order.append(info.filename)
                if info.filename in editable:
                    self._sheets[editable[info.filename]] = _SheetPart(raw.decode("utf-8"))
                    self._sheet_of[info.filename] = editable[info.filename]
                else:
                    self._fixed[info.filename] = ooxml.deflated(info.filename, raw, ZIP_TIME, level)

    def empty_cells(self, sheet: str) -> set[str]:
        return set(self._sheets[sheet].slots)

    def cells(self, fields: dict[str, Any], tables: dict[str, list[list[Any]]],
              below: dict[str, list[list[Any]]] | None = None) -> dict[str, dict[str, Any]]:
        """Sheet -> coordinate -> value, by the spec's positions (the questionnaire's answers start in column C)."""
        out: dict[str, dict[str, Any]] = {}
        for name, value in fields.items():
            f = self.spec.fields[name]
            out.setdefault(f.sheet, {})[f.cell] = value
        for tname, rows in tables.items():
            t = self.spec.tables[tname]
            offset = 3 if t.prefill == "questions" else 1
            if len(rows) > t.rows:
                raise ValueError(f"{tname}: {len(rows)} rows do not fit in {t.rows}; use below")
            self._rows(out.setdefault(t.sheet, {}), rows, t.first_row, offset)
        for tname, rows in (below or {}).items():
            t = self.spec.tables[tname]
            self._rows(out.setdefault(t.sheet, {}), rows, t.last_row + 1, 1)
        return out

    @staticmethod
    def _rows(target: dict[str, Any], rows: list[list[Any]], first_row: int, first_col: int) -> None:
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                target[f"{_LETTERS[first_col + j]}{first_row + i}"] = value

    def render(self, cells: dict[str, dict[str, Any]]) -> bytes:
        entries = []
        for name in self._order:
            if name in self._fixed:
                entries.append(self._fixed[name])
                continue
            sheet = self._sheet_of[name]
            entries.append(ooxml.deflated(name, self._sheets[sheet].fill(cells.get(sheet, {})), ZIP_TIME, self.level))
        return ooxml.write_zip(entries)

    def write(self, path: Path, fields: dict[str, Any], tables: dict[str, list[list[Any]]],
              below: dict[str, list[list[Any]]] | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.render(self.cells(fields, tables, below)))
        return path


def generate(n: int, inputs: Path, seed: int = 1) -> list[Path]:
    """Write N filled workbooks and bestuur.xlsx (all their schools, pupil counts) into `inputs`."""
    p = plan(n, seed)
    inputs.mkdir(parents=True, exist_ok=True)
    config.write(inputs / config.FILE_NAME, p.board)
    blank = BlankWorkbook()
    written = []
    for w in p.workbooks:
        path = inputs / w.file
        if w.copy_of:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(inputs / w.copy_of, path)
        else:
            blank.write(path, w.fields, w.tables, w.below)
        written.append(path)
    return written

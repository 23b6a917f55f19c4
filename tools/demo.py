"""A fictional demo board: bestuur.xlsx and filled workbooks with typical mistakes, written deterministically."""
from __future__ import annotations

import copy
import functools
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline import ooxml
from pipeline.model import BOARD_COST_CENTRE
from pipeline.read import board as config
from pipeline.render import workbook as template

FIXED_TIME = (2026, 1, 1, 0, 0, 0)

# DUO's definitive amounts (Overzicht financiële beschikkingen, fictitious) for two of the four schools: the others
# keep the amount computed from their pupil counts, so the report shows both kinds.
DUO_AMOUNTS = {("12AB", "2021-2022"): Decimal("402918.30"), ("12AB", "2022-2023"): Decimal("299140.00"),
               ("14CD", "2021-2022"): Decimal("150310.00"), ("14CD", "2022-2023"): Decimal("110480.00")}

BOARD = config.Board(
    name="Stichting Scholengroep De Waterlinie (fictief)",
    number="41999",
    email="Bestuursbureau De Waterlinie <inhuur@waterlinie.example>",
    schools={
        "12AB": config.School("12AB", "OBS De Regenboog", "bo", "directie@regenboog.example"),
        "14CD": config.School("14CD", "CBS Het Kompas", "bo", "directie@kompas.example"),
        "17EF": config.School("17EF", "SBO De Brug", "sbo", "ib@debrug.example"),
        "21GH": config.School("21GH", "Da Vinci College", "vo", "npo@davinci.example"),
    },
    pupils=[
        config.Pupils(brin, year, n, Decimal(str(a)), c, vbo_pro=v, allocation_override=DUO_AMOUNTS.get((brin, year)))
        for brin, n, a, c, v in (("12AB", 560, 41.5, 0, 0), ("14CD", 210, 12.0, 0, 0), ("17EF", 240, 0, 9, 0), ("21GH", 1100, 55.0, 0, 180))
        for year in ("2021-2022", "2022-2023", "2023-2024", "2024-2025")
    ],
    ledger=config.LedgerSettings(
        selections=[config.Selection("44*", "NPO", 0)],
        cost_centres={"100": BOARD_COST_CENTRE, "112": "12AB", "114": "14CD", "117": "17EF", "121": "21GH"},
    ),
    # A fixed reference date keeps the demo's outputs the same whatever day it is run (S5, open-ended hires).
    settings=config.Settings(reference_date=date(2025, 12, 31)),
    from_file=True,
)

SUPPLIERS = {
    "slim": ("Bijlesbureau Slim Verder B.V.", "80012345", "Bureau"),
    "kompasroos": ("Onderwijsadvies Kompasroos", "80023456", "Bureau"),
    "devries": ("J. de Vries Onderwijsondersteuning", "80034567", "Zzp'er"),
    "zonnestraal": ("Kinderopvang Zonnestraal", "80045678", "BSO/kinderopvang"),
    "sport": ("Sportservice Rivierenland", "80056789", "Overig"),
    "leeskracht": ("Stichting Leeskracht", "80067890", "Bureau"),
    "lantaarn": ("Cultuurhuis De Lantaarn", "80078901", "Overig"),
}
KINDS = (
    "Ondersteuning schoolpersoneel / extra handen in de klas",
    "Expertise van adviseurs",
    "Buitenschoolse activiteiten",
)
GOOD_ANSWERS = [
    ["Ja", "Past bij ons schoolplan: taal en rekenen.", None],
    ["Ja", None, "Keurmerk CEDEO, erkend tot 2024."],
    ["Deels", "Eigen team is vol; inhuur vult het tekort aan voor één jaar.", None],
    ["Ja", "Methode is in de Databank Effectieve Jeugdinterventies opgenomen.", None],
    ["Ja", None, "Referenties: twee scholen in de regio, nagebeld door de IB'er."],
    ["Ja", None, "VOG's van alle medewerkers gezien; verwerkersovereenkomst getekend."],
    ["Ja", "Vaste medewerkers, cv's ontvangen.", None],
    ["Ja", "Vervanging door vaste pool van het bureau.", None],
    ["Ja", "Leraar stelt de groepjes samen en bepaalt de doelen.", None],
    ["Ja", "Tussenevaluatie na 10 weken; voortgang in het leerlingvolgsysteem.", None],
    ["Ja", "Leraren lopen mee en krijgen de materialen.", None],
]


@dataclass
class DemoHire:
    file: str
    brin: str
    year: str
    nr: int
    supplier: str
    kind: int
    interventie: str
    value: Any
    start: Any
    end: Any
    invoices: list[list[Any]]
    overrides: dict[str, Any] = field(default_factory=dict)
    answers: dict[int, list[Any]] = field(default_factory=dict)
    quotes: list[list[Any]] | None = None
    staff: list[list[Any]] | None = None
    results: list[list[Any]] | None = None
    below: dict[str, list[list[Any]]] = field(default_factory=dict)
    participants: list[list[Any]] = field(default_factory=list)  # tblDeelnemers: BRIN, Aandeel, MR-akkoord
    note: str = ""


def _d(s: str) -> date:
    d, m, y = (int(x) for x in s.split("-"))
    return date(y, m, d)


def hires() -> list[DemoHire]:
    """The demo board's hires; `note` says which mistake each one shows."""
    return [
        DemoHire("12AB/2021-2022-1 tutoring.xlsx", "12AB", "2021-2022", 1, "slim", 0, "B: Instructie in kleine groepen",
                 48000, _d("01-10-2021"), _d("15-07-2022"),
                 [["SV-2021-101", _d("30-11-2021"), 12000, 2520, "Tutoring sep-nov"], ["SV-2022-017", _d("28-02-2022"), 12000, 2520, "Tutoring dec-feb"],
                  ["SV-2022-077", _d("31-05-2022"), 12000, 2520, "Tutoring mrt-mei"], ["SV-2022-120", _d("15-07-2022"), 11250, 2362.50, "Tutoring jun-jul"]],
                 note="in orde"),
        DemoHire("12AB/2022-2023-1 tutoring.xlsx", "12AB", "2022-2023", 1, "slim", 0, "B: Instructie in kleine groepen",
                 "€ 96.000,00", "1-9-2022", "14-7-2023",
                 [["SV-2022-301", "30-11-2022", "€ 24.000,00", "5.040,00", "Tutoring sep-nov"], ["SV-2023-040", "28-2-2023", "24.000", "5040", "Tutoring dec-feb"]],
                 below={"tblFacturen": [["SV-2023-101", "31-5-2023", "24.000,00", "5.040,00", "Tutoring mrt-mei"], ["SV-2023-150", "14-7-2023", "24000", "5040", "Tutoring jun-jul"]]},
                 note="bedragen en datums als Nederlandse tekst; twee facturen onder de tabel getypt (W5 info); samen met 14CD en 17EF opgeknipt (A2)"),
        DemoHire("12AB/2022-2023-2 advies.xlsx", "12AB", "2022-2023", 2, "kompasroos", 1, "D: Metacognitie en zelfregulerend leren",
                 18500, _d("01-11-2022"), _d("30-06-2023"),
                 [["KR-1187", _d("31-01-2023"), 9250, 1942.50, "Teamscholing deel 1"], ["KR-1242", _d("30-06-2023"), 9250, 1942.50, "Teamscholing deel 2"]],
                 answers={2: ["Ja", None, None], 5: ["Ja", None, None]}, note="kaal 'Ja' zonder bewijs op vraag 2 en 5 (Q4)"),
        DemoHire("14CD/2022-2023-1 extra handen.xlsx", "14CD", "2022-2023", 1, "devries", 0, "E: Onderwijsassistenten/instructeurs",
                 31200, _d("15-08-2022"), _d("07-07-2023"),
                 [[f"DV-{i:03d}", date(2022 + (m < 8), m, 28), 2600, 0, "Uren onderwijsassistent"] for i, m in enumerate((9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7), start=1)],
                 answers={7: [None, None, None]}, overrides={"uurtarief": 52},
                 note="vraag 7 niet beantwoord (Q1); zzp zonder btw"),
        DemoHire("14CD/2022-2023-2 tutoring.xlsx", "14CD", "2022-2023", 2, "slim", 0, "B: Instructie in kleine groepen",
                 88000, _d("01-10-2022"), _d("30-06-2023"),
                 [["SV-2022-310", _d("31-12-2022"), 44000, 9240, "Tutoring okt-dec"], ["SV-2023-160", _d("30-06-2023"), 44000, 9240, "Tutoring jan-jun"]],
                 note="opgeknipt met 12AB en 17EF (A2)"),
        DemoHire("14CD/2023-2024-1 sport.xlsx", "14CD", "2023-2024", 1, "sport", 2, "C: Sportieve activiteiten",
                 9600, _d("01-09-2023"), _d("30-06-2024"),
                 [["SR-23-88", _d("31-12-2023"), 4800, 1008, "Naschoolse sport najaar"], ["SR-24-31", _d("30-06-2024"), 4800, 1008, "Naschoolse sport voorjaar"]],
                 overrides={"leraar_aanwezig": "Nee", "ouders_geinformeerd": None},
                 note="geen leraar aanwezig (S6); ouders niet geïnformeerd (P8)"),
        DemoHire("17EF/2022-2023-1 tutoring.xlsx", "17EF", "2022-2023", 1, "slim", 0, "B: Een-op-een-begeleiding",
                 36000, _d("01-09-2022"), _d("30-06-2023"),
                 [["SV-2022-288", _d("31-10-2022"), 18000, 3780, "Begeleiding sep-okt"], ["SV-2023-170", _d("30-06-2023"), 18000, 3780, "Begeleiding nov-jun"]],
                 overrides={"uurtarief": 95},
                 note="opgeknipt met 12AB en 14CD (A2)"),
        DemoHire("17EF/2022-2023-2 bso.xlsx", "17EF", "2022-2023", 2, "zonnestraal", 0, "A: Uitbreiding onderwijs",
                 12000, _d("01-09-2022"), _d("14-07-2023"),
                 [["ZS-0931", _d("31-12-2022"), 6000, 0, "Inzet pedagogisch medewerkers"], ["ZS-1077", _d("14-07-2023"), 6000, 0, "Inzet pedagogisch medewerkers"]],
                 overrides={"uurtarief": 38}, note="personeel van een BSO zonder btw (A6)"),
        DemoHire("17EF/2023-2024-1 vog.xlsx", "17EF", "2023-2024", 1, "devries", 0, "E: Klassenverkleining",
                 26000, _d("01-09-2023"), _d("28-06-2024"),
                 [["DV-101", _d("31-12-2023"), 13000, 0, "Uren sep-dec"], ["DV-140", _d("28-06-2024"), 13000, 0, "Uren jan-jun"]],
                 staff=[["Onderwijsassistent JV", _d("01-11-2022"), "Ja"]], overrides={"uurtarief": 54},
                 note="VOG ouder dan 6 maanden bij de start (V1)"),
        DemoHire("21GH/2021-2022-1 leesprogramma.xlsx", "21GH", "2021-2022", 1, "leeskracht", 1, "B: Technieken voor begrijpend lezen",
                 238000, _d("01-01-2022"), _d("31-07-2023"),
                 [["LK-22-01", _d("31-03-2022"), 60000, 12600, "Programma kwartaal 1"], ["LK-22-02", _d("30-09-2022"), 60000, 12600, "Programma kwartaal 2-3"],
                  ["LK-23-01", _d("31-03-2023"), 60000, 12600, "Programma kwartaal 4-5"], ["LK-23-02", _d("31-07-2023"), 58000, 12180, "Afronding"]],
                 overrides={"procedure": "Meervoudig onderhands", "contract_getekend": _d("15-11-2021"), "mr_advies_gevraagd": _d("01-11-2021")},
                 quotes=[["Stichting Leeskracht", "80067890", 238000, _d("15-10-2021"), "Ja"], ["Leesbureau Noord", "80099001", 251000, _d("20-10-2021"), "Nee"],
                         ["Taalhuis Zuid", "80099002", 262500, _d("22-10-2021"), "Nee"]],
                 note="waarde boven de Europese drempel zonder Europese aanbesteding (A1)"),
        DemoHire("21GH/2022-2023-1 huiswerkklas.xlsx", "21GH", "2022-2023", 1, "lantaarn", 2, "F: Ouderbetrokkenheid",
                 14000, _d("01-10-2022"), _d("30-06-2023"),
                 [["CL-2210", _d("31-12-2022"), 7000, 1470, "Huiswerkklas najaar"], ["CL-2306", _d("30-06-2023"), 7000, 1470, "Huiswerkklas voorjaar"]],
                 overrides={"behoefte": "Huiswerkbegeleiding voor leerjaar 2; aanmelding via mentor, o.a. leerling 111222333 (bsn) en p.jansen@leerling.davinci.example"},
                 note="F-onderdeel als interventie (P1); leerlinggegevens in vrije tekst (V3)"),
        DemoHire("21GH/2022-2023-2 bovenschools.xlsx", "21GH", "2022-2023", 2, "kompasroos", 1, "B: Feedback",
                 42000, _d("01-01-2023"), _d("31-12-2023"),
                 [["KR-1301", _d("31-03-2023"), 14000, 2940, "Traject feedback deel 1"], ["KR-1388", _d("30-09-2023"), 14000, 2940, "Traject feedback deel 2"],
                  ["KR-1420", _d("31-12-2023"), 14000, 2940, "Traject feedback deel 3"]],
                 overrides={"niveau": "Bovenschools", "gmr_instemming": None, "mr_akkoord_bovenschools": _d("15-12-2022"),
                            "contract_getekend": _d("15-12-2022")},
                 participants=[["12AB", "40%", _d("01-12-2022")], ["14CD", "35%", _d("05-12-2022")], ["21GH", "25%", _d("15-12-2022")]],
                 note="bovenschools over drie scholen (40/35/25%), zonder instemming GMR (P4); loopt door in kalenderjaar 2023"),
        DemoHire("12AB/2023-2024-2 huiswerkbegeleiding.xlsx", "12AB", "2023-2024", 2, "devries", 0, "A: Uitbreiding onderwijs",
                 18000, _d("01-10-2023"), None,
                 [["DV-231", _d("31-12-2023"), 4500, 0, "Begeleiding okt-dec"], ["DV-245", _d("30-06-2024"), 9000, 0, "Begeleiding jan-jun"],
                  ["DV-262", _d("31-12-2024"), 7500, 0, "Begeleiding sep-dec"], ["DV-270", _d("30-04-2025"), 6000, 0, "Begeleiding jan-apr"]],
                 overrides={"onbepaalde_tijd": "Ja", "maandbedrag": 1500, "uurtarief": 50},
                 note="contract voor onbepaalde tijd: waarde 1.500 × 48 = 72.000 (A3), geen einddatum (P5), meer gefactureerd dan de contractwaarde (A4)"),
        DemoHire("21GH/2023-2024-1 regie.xlsx", "21GH", "2023-2024", 1, "slim", 0, "B: Instructie in kleine groepen",
                 36000, _d("01-10-2023"), _d("28-06-2024"),
                 [["SV-2023-400", _d("31-12-2023"), 18000, 3780, "Tutoring okt-dec"], ["SV-2024-090", _d("28-06-2024"), 18000, 3780, "Tutoring jan-jun"]],
                 answers={9: ["Nee", "Het bureau bepaalt zelf de inhoud van de sessies.", None]}, overrides={"uurtarief": 60},
                 note="'Nee' op vraag 9: de school heeft geen regie (Q2)"),
        DemoHire("21GH/2024-2025-1 lentschool.xlsx", "21GH", "2024-2025", 1, "lantaarn", 2, "A: Zomer- of lentescholen",
                 12500, _d("01-03-2025"), _d("30-04-2025"),
                 [["CL-2503", _d("30-04-2025"), 12500, 2625, "Lenteschool"]],
                 note="in orde; kalenderjaar 2025"),
        DemoHire("12AB/2024-2025-1 advies.xlsx", "12AB", "2024-2025", 1, "kompasroos", 1, "B: Directe instructie",
                 16000, _d("01-09-2024"), _d("30-06-2025"),
                 [["KR-1690", _d("31-12-2024"), 8000, 1680, "Coaching directe instructie"], ["KR-1755", _d("30-06-2025"), 8000, 1680, "Coaching directe instructie"]],
                 overrides={"mr_advies_gevraagd": _d("15-08-2024"), "contract_getekend": _d("01-08-2024")},
                 note="MR-advies gevraagd na het tekenen van het contract (S1)"),
        DemoHire("14CD/2021-2022-1 cultuur.xlsx", "14CD", "2021-2022", 1, "lantaarn", 2, "C: Cultuureducatie",
                 8800, _d("01-02-2022"), _d("30-06-2022"),
                 [["CL-2202", _d("30-06-2022"), 8800, 1848, "Cultuurprogramma"]],
                 overrides={"evaluatiedatum": None, "kennisoverdracht": None, "oordeel_samenwerking": None, "opnieuw_inhuren": None},
                 note="niet geëvalueerd na afloop (S5)"),
    ]


def hire_fields(h: DemoHire) -> dict[str, Any]:
    name, kvk, ltype = SUPPLIERS[h.supplier]
    school = BOARD.schools[h.brin]
    start = h.start if isinstance(h.start, date) else None
    y0 = int(h.year[:4])
    f = {
        "brin": h.brin, "school_naam": school.name, "schooljaar": h.year, "volgnummer": h.nr,
        "versiedatum": date(y0, 7, 10), "leverancier_naam": name, "leverancier_kvk": kvk, "leverancier_type": ltype,
        "soort_inhuur": KINDS[h.kind], "interventie": h.interventie, "niveau": "School",
        "behoefte": "Uit de schoolscan: achterstand bij begrijpend lezen en rekenen in de groepen 5 tot en met 8.",
        "eigen_capaciteit": "Eigen leraren en onderwijsassistenten zijn volledig ingezet; vacatures niet vervulbaar.",
        "in_schoolprogramma": "Ja", "leraren_betrokken": "Leraren kiezen de leerlingen en stemmen wekelijks af met de externe partij.",
        "mr_instemming_schoolprogramma": date(y0, 6, 20), "mr_advies_gevraagd": date(y0, 6, 25), "mr_advies_ontvangen": date(y0, 7, 5),
        "mr_advies_uitkomst": "Positief", "selectieteam_leraar": "Ja", "selectieteam_ib": "Ja", "selectieteam_mr": "Ja",
        "selectieteam_expert": "Nee", "budget": h.value,
        "procedure": "Meervoudig onderhands" if _amount(h.value) >= 25000 else "Enkelvoudig onderhands", "referenties_gecontroleerd": "Ja",
        "keuze_toelichting": "Beste prijs-kwaliteitverhouding en goede referenties.",
        "contractwaarde": h.value, "startdatum": h.start, "einddatum": h.end, "contract_getekend": date(y0, 7, 15),
        "kickoff_datum": date(y0, 8, 25), "afspraken_meerwerk": "Ja", "ouders_geinformeerd": date(y0, 8, 30),
        "pnil": "Ja" if h.kind == 0 else "Nee", "contact_leerlingen": "Ja" if h.kind != 1 else "Nee",
        "leraar_aanwezig": "Ja" if h.kind != 1 else "N.v.t.", "persoonsgegevens": "Ja" if h.kind == 0 else "Nee",
        "verwerkersovereenkomst": "Ja" if h.kind == 0 else "N.v.t.",
        "evaluatiedatum": date(_year(h.end), 9, 15) if h.end else None,
        "evaluatie_samenvatting": "De meeste leerlingen haalden hun doel; de aanpak wordt door de eigen leraren voortgezet.",
        "kennisoverdracht": "Werkwijze en materialen overgedragen aan het team in een studiemiddag.",
        "oordeel_samenwerking": 4, "opnieuw_inhuren": "Ja",
    }
    if start and start < f["contract_getekend"]:
        f["contract_getekend"] = date(start.year, start.month, 1) if start.day > 1 else start
        f["mr_advies_gevraagd"] = min(f["mr_advies_gevraagd"], f["contract_getekend"])
        f["mr_instemming_schoolprogramma"] = min(f["mr_instemming_schoolprogramma"], f["contract_getekend"])
        f["mr_advies_ontvangen"] = f["contract_getekend"]
    if h.kind == 1:
        f["contact_leerlingen"] = "Nee"
    f.update(h.overrides)
    return f


def _amount(v: Any) -> float:
    return float(str(v).replace("€", "").replace(".", "").replace(",", ".").strip()) if isinstance(v, str) else float(v)


def _year(d: Any) -> int:
    if isinstance(d, date):
        return d.year
    return int(str(d).split("-")[-1])


def hire_tables(h: DemoHire, f: dict[str, Any]) -> dict[str, list[list[Any]]]:
    answers = copy.deepcopy(GOOD_ANSWERS)
    if f.get("contact_leerlingen") != "Ja":
        answers[5] = ["N.v.t.", "Geen contact met leerlingen.", None]
    for nr, a in h.answers.items():
        answers[nr - 1] = a
    name, kvk, _ = SUPPLIERS[h.supplier]
    signed = f["contract_getekend"]
    quote_date = signed if isinstance(signed, date) else None
    quotes = h.quotes or [[name, kvk, h.value, quote_date, "Ja"]]
    if h.quotes is None and _amount(h.value) >= 25000 and isinstance(quote_date, date):
        # the board's policy asks three quotes from €25.000 on
        quotes += [["Leerpartners Midden", "80099003", _amount(h.value) * 1.08, quote_date, "Nee"],
                   ["Onderwijsbureau West", "80099004", _amount(h.value) * 1.15, quote_date, "Nee"]]
    start = h.start if isinstance(h.start, date) else f["contract_getekend"]
    staff = h.staff if h.staff is not None else (
        [["Medewerker 1 (initialen AB)", date(start.year, max(start.month - 2, 1), 1), "Ja"],
         ["Medewerker 2 (initialen CD)", date(start.year, max(start.month - 3, 1), 15), "Ja"]]
        if f.get("contact_leerlingen") == "Ja" else [])
    end = h.end if h.end is not None else date(start.year + 1, 6, 30)  # open-ended: results still have a deadline
    results = h.results or [
        ["Leerlingen in de groep halen hun tussendoel", "Tussenresultaat", "15-2-" + str(_year(end)) if h.kind == 0 else None, "Toets in het leerlingvolgsysteem", "Ja"],
        ["80% van de leerlingen haalt het einddoel", "Eindresultaat", end, "Toets in het leerlingvolgsysteem", "Deels"],
    ]
    return {"tblVragenlijst": answers, "tblOffertes": quotes, "tblMedewerkers": staff, "tblResultaten": results, "tblFacturen": h.invoices,
            "tblDeelnemers": h.participants}


# The demo ledger: an AFAS-style export of grootboekmutaties (help.afas.nl, "Financiële mutaties").
LEDGER_FILE = "grootboek/grootboekmutaties 2021-2025.csv"
LEDGER_HEADER = ("Boekdatum", "Rekening", "Kostenplaats", "Project", "Crediteur", "Naam crediteur", "Factuurnummer",
                 "Omschrijving", "Bedrag debet", "Bedrag credit")
COST_CENTRE = {"12AB": "112", "14CD": "114", "17EF": "117", "21GH": "121"}
# How the administration writes the suppliers: its own creditor numbers and spellings.
CREDITORS = {
    "slim": ("20001", "Bijlesbureau Slim Verder BV"), "kompasroos": ("20002", "Onderwijs Advies Kompasroos"),
    "devries": ("20003", "J. de Vries Onderwijsondersteuning"), "zonnestraal": ("20004", "Kinderopvang Zonnestraal B.V."),
    "sport": ("20005", "Sportservice Rivierenland"), "leeskracht": ("20006", "Leeskracht"),
    "lantaarn": ("20007", "Cultuurhuis De Lantaarn"),
}
# The planted situations, one each (the demo board's L1–L4 findings).
L1_SUPPLIER = ("20008", "Huiswerkinstituut Noorderlicht B.V.")
L1_INVOICES = (("NL-2023-11", _d("30-11-2023"), Decimal("3150.00")), ("NL-2024-02", _d("29-02-2024"), Decimal("2850.00")))
L2_INVOICE = "SR-24-31"  # in 14CD/2023-2024-1 sport.xlsx, never booked
L3_INVOICE, L3_BOOKED = "ZS-1077", Decimal("6600.00")  # 17EF/2022-2023-2 bso.xlsx says 6.000,00
L4_INVOICE, L4_BRIN = "DV-005", "12AB"  # 14CD/2022-2023-1 extra handen.xlsx, booked on the cost centre of 12AB
SPLIT_INVOICE, SPLIT_PART = "LK-22-01", Decimal("15000.00")  # booked on two accounts
CREDITED_INVOICE, CREDIT = "KR-1187", Decimal("500.00")  # booked 500 too high, then a credit note


def _money(v: Any) -> Decimal:
    from pipeline import dutch

    return dutch.parse_euro(v) if isinstance(v, str) else Decimal(str(v)).quantize(Decimal("0.01"))


def _when(v: Any) -> date:
    from pipeline import dutch

    return v if isinstance(v, date) else dutch.parse_date(v)


def _nl(amount: Decimal) -> str:
    """1.234,56: how a Dutch export writes an amount."""
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


def ledger_lines() -> list[tuple]:
    """The demo ledger's lines: every counted workbook invoice booked, plus the planted situations."""
    rows: list[tuple] = []

    def book(day: date, account: str, brin_or_cc: str, project: str, creditor: tuple[str, str], nr: str, text: str, amount: Decimal):
        cc = COST_CENTRE.get(brin_or_cc, brin_or_cc)
        debit, credit = (_nl(amount), "") if amount >= 0 else ("", _nl(-amount))
        rows.append((day, account, cc, project, creditor[0], creditor[1], nr, text, debit, credit))

    invoices = []
    for h in hires():
        account = "4420" if h.kind == 1 else "4410"
        brin = "100" if h.overrides.get("niveau") == "Bovenschools" else h.brin
        for inv in h.invoices + h.below.get("tblFacturen", []):
            invoices.append((h, account, brin, inv))
    for h, account, brin, (nr, day, amount, _vat, text) in invoices:
        day, amount, creditor = _when(day), _money(amount), CREDITORS[h.supplier]
        if nr == L2_INVOICE:
            continue
        if nr == L3_INVOICE:
            amount = L3_BOOKED
        if nr == L4_INVOICE:
            brin = L4_BRIN
        if nr == SPLIT_INVOICE:
            book(day, account, brin, "NPO", creditor, nr, text, amount - SPLIT_PART)
            book(day, "4421", brin, "NPO", creditor, nr, text + " (materialen)", SPLIT_PART)
            continue
        if nr == CREDITED_INVOICE:
            book(day, account, brin, "NPO", creditor, nr, text, amount + CREDIT)
            book(day + timedelta(days=10), account, brin, "NPO", creditor, nr + "-C",
                 f"Creditnota op factuur {nr} (één dagdeel minder)", -CREDIT)
            continue
        # The administration writes invoice numbers its own way: no dashes, lower case.
        book(day, account, brin, "NPO", creditor, nr.replace("-", "").lower() if h.supplier == "slim" else nr, text, amount)
    for nr, day, amount in L1_INVOICES:
        book(day, "4410", "14CD", "NPO", L1_SUPPLIER, nr, "Huiswerkbegeleiding groep 8 – najaar", amount)
    # Spending that is not NPO: the same supplier on the regular budget, and cleaning. Must be ignored.
    book(_d("15-03-2023"), "4410", "12AB", "", CREDITORS["slim"], "SV-2023-055", "Bijles regulier budget", Decimal("1800.00"))
    book(_d("31-01-2023"), "4350", "114", "", ("30001", "Schoonmaakbedrijf Glans"), "GL-2023-01", "Schoonmaak januari", Decimal("2475.50"))
    book(_d("28-02-2023"), "4350", "114", "NPO", ("30001", "Schoonmaakbedrijf Glans"), "GL-2023-02", "Schoonmaak februari", Decimal("2475.50"))
    rows.sort(key=lambda r: (r[0], r[2], r[6]))
    return rows


def write_ledger(inputs: Path) -> Path:
    """The demo ledger as finance systems write it: `;`-separated, Windows-1252, Dutch amounts and dates."""
    path = inputs / LEDGER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [";".join(LEDGER_HEADER)]
    for day, *rest in ledger_lines():
        out.append(";".join([day.strftime("%d-%m-%Y"), *rest]))
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("cp1252"))
    return path


def _normalise(path: Path) -> None:
    """Make the saved file byte-identical across runs: fixed zip times and document dates."""
    members = []
    with zipfile.ZipFile(path) as src:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            members.append(ooxml.deflated(info.filename, content, FIXED_TIME))
    path.write_bytes(ooxml.write_zip(members))


def write_hire(h: DemoHire, inputs: Path) -> Path:
    f = hire_fields(h)
    wb = template.build()
    template.fill(wb, {k: v for k, v in f.items() if v is not None}, hire_tables(h, f), below_table=h.below)
    path = inputs / h.file
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _normalise(path)
    return path


STRAY_PDF = b"%PDF-1.4\n% offerte als bijlage meegestuurd\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class DemoError(Exception):
    """The demo board cannot be written without touching files it did not write; the message is Dutch."""


KEEP = {".gitkeep"}


def _write_board(inputs: Path) -> list[Path]:
    """Write bestuur.xlsx, the workbooks, a resent copy, a newer version and a stray PDF into an empty folder."""
    inputs.mkdir(parents=True, exist_ok=True)
    written = [config.write(inputs / config.FILE_NAME, BOARD)]
    _normalise(written[0])
    all_hires = hires()
    for h in all_hires:
        written.append(write_hire(h, inputs))
    # The same workbook e-mailed twice (W6 identical: counted once).
    dup = inputs / "12AB/2021-2022-1 tutoring (kopie).xlsx"
    shutil.copyfile(inputs / all_hires[0].file, dup)
    written.append(dup)
    # A first version of a hire, replaced later by a newer versiedatum with a corrected amount (W6).
    old = copy.deepcopy(all_hires[6])
    old.file = "17EF/2022-2023-1 tutoring (versie 1).xlsx"
    old.overrides = {**old.overrides, "versiedatum": date(2022, 6, 1), "contractwaarde": 32000}
    written.append(write_hire(old, inputs))
    written.append(write_ledger(inputs))
    pdf = inputs / "17EF/offerte Slim Verder.pdf"
    pdf.write_bytes(STRAY_PDF)
    written.append(pdf)
    return written


def foreign_files(inputs: Path, board: dict[str, bytes]) -> list[str]:
    """Files in `inputs` the demo did not write. A file is the demo's only at a path the demo writes and with
    the bytes it writes there: a copy of a demo workbook elsewhere, or a demo file someone changed, is theirs."""
    if not inputs.exists():
        return []
    out = []
    for p in sorted(inputs.rglob("*")):
        if p.is_dir() and not p.is_symlink():
            continue
        rel = p.relative_to(inputs).as_posix()
        if rel in KEEP:
            continue
        if p.is_symlink() or rel not in board or p.read_bytes() != board[rel]:
            out.append(rel)
    return out


@functools.lru_cache(maxsize=1)
def _board_files() -> dict[str, bytes]:
    """The demo board's files by relative path, written once per process to a scratch folder (it is deterministic)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="npo-demo-") as scratch:
        root = Path(scratch)
        _write_board(root)
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def generate(inputs: Path) -> list[Path]:
    """(Re)write the demo board in `inputs`; refuses (DemoError) when the folder holds files the demo did not write.

    The board is written to a scratch folder first and compared byte for byte: it is deterministic, so any
    other file, or a file with a demo name and other content, is someone's and the demo neither deletes nor
    overwrites it. Nothing is ever deleted: the demo only writes its files that are missing."""
    if inputs.exists() and not inputs.is_dir():
        raise DemoError(f"{inputs} is een bestand, geen map. Kies met --inputs een (nieuwe) map voor het demobestuur.")
    board = _board_files()
    foreign = foreign_files(inputs, board)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" en nog {len(foreign) - 5}" if len(foreign) > 5 else "")
        raise DemoError(
            f"De map {inputs} bevat bestanden die niet (zo) door het demobestuur zijn geschreven ({shown}). Het "
            f"demobestuur verwijdert of overschrijft die niet. Kies een andere map, bijvoorbeeld: make demo INPUTS=demo")
    written = []
    for rel, content in board.items():
        path = inputs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
        written.append(path)
    return written

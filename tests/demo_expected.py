"""The demo board's figures worked out by hand from tools/demo.py and its ledger, for tests/test_demo_figures.py.

HIRES and INVOICES are copied by hand from `tools.demo.hires()` (test_demo_figures checks the copy against the demo's
own data, never against the pipeline). The expected figures further down are written out as literals; each comment
says which invoices make it up. `tally` and the other small helpers redo those sums with plain Decimal arithmetic
so that a typo in a literal is caught too (test_expectations_add_up).

Conventions that follow from the domain (../shared/DOMAIN.md §5, §6):
- a cost belongs to the calendar year and the school year (1 August – 31 July) of its invoice date;
- a bovenschools hire (21GH-2022-2023-2) counts for 12AB 40 %, 14CD 35 %, 21GH 25 % in every per-school figure;
- a calendar year's allocation is 7/12 of the school year ending in it plus 5/12 of the one starting in it, each
  part rounded to the cent (half up);
- the duplicate "(kopie)" workbook and the superseded "(versie 1)" workbook never count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
BOVENSCHOOLS = "21GH-2022-2023-2"
SHARES = {"12AB": D("0.40"), "14CD": D("0.35"), "21GH": D("0.25")}
SHARE_CONSENT = {"12AB": date(2022, 12, 1), "14CD": date(2022, 12, 5), "21GH": date(2022, 12, 15)}  # each MR's agreement
SCHOOLS = {"12AB": "OBS De Regenboog", "14CD": "CBS Het Kompas", "17EF": "SBO De Brug", "21GH": "Da Vinci College"}


@dataclass(frozen=True)
class Hire:
    brin: str
    year: str  # schooljaar in the workbook
    category: str  # menukaart letter of `interventie`
    pnil: bool  # kind 0 in tools/demo.py ("extra handen") is PNIL Ja
    contract: Decimal
    start: date
    end: date | None
    kvk: str = ""  # the supplier (tools/demo.py SUPPLIERS)


# menukaart categories (DOMAIN.md §4)
CATEGORY_NAMES = {"A": "Meer onderwijs (binnen of buiten reguliere schooltijden)", "B": "Effectievere inzet van onderwijs",
                  "C": "Sociaal-emotionele en fysieke ontwikkeling", "D": "Ontwikkeling van de executieve functies",
                  "E": "(Extra) inzet van personeel en ondersteuning", "F": "Faciliteiten en randvoorwaarden"}
# Where each allocation comes from: DUO's amount where the demo gives one, else computed from pupil counts (for sbo
# and vo in 2022-2023 only the €500 per pupil is confirmed, so the computed amount is partly unconfirmed).
GRONDSLAG = {(b, sj): "DUO (overzicht financiële beschikkingen)" for b in ("12AB", "14CD") for sj in ("2021-2022", "2022-2023")} | {
    (b, "2021-2022"): "berekend" for b in ("17EF", "21GH")} | {(b, "2022-2023"): "berekend (bedragen deels onbevestigd)" for b in ("17EF", "21GH")}
# The two workbooks that never count: an identical copy (e-mailed twice) and an older version.
SUPERSEDED = {"12AB/2021-2022-1 tutoring (kopie).xlsx": "12AB-2021-2022-1", "17EF/2022-2023-1 tutoring (versie 1).xlsx": "17EF-2022-2023-1"}
# MR advice asked: 25 June of the school year's first year (tools/demo.py hire_fields), except where a hire overrides it.
ADVICE_ASKED = {"21GH-2021-2022-1": date(2021, 11, 1), "12AB-2024-2025-1": date(2024, 8, 15)}
# Supplier register: every demo workbook rates its supplier 4 and would hire again, except 14CD-2021-2022-1 (left empty).
UNRATED = {"14CD-2021-2022-1"}

SLIM, KOMPASROOS, DEVRIES, ZONNESTRAAL, SPORT, LEESKRACHT, LANTAARN = (
    "80012345", "80023456", "80034567", "80045678", "80056789", "80067890", "80078901")
HIRES = {
    "12AB-2021-2022-1": Hire("12AB", "2021-2022", "B", True, D("48000"), date(2021, 10, 1), date(2022, 7, 15), SLIM),
    "12AB-2022-2023-1": Hire("12AB", "2022-2023", "B", True, D("96000"), date(2022, 9, 1), date(2023, 7, 14), SLIM),
    "12AB-2022-2023-2": Hire("12AB", "2022-2023", "D", False, D("18500"), date(2022, 11, 1), date(2023, 6, 30), KOMPASROOS),
    "14CD-2022-2023-1": Hire("14CD", "2022-2023", "E", True, D("31200"), date(2022, 8, 15), date(2023, 7, 7), DEVRIES),
    "14CD-2022-2023-2": Hire("14CD", "2022-2023", "B", True, D("88000"), date(2022, 10, 1), date(2023, 6, 30), SLIM),
    "14CD-2023-2024-1": Hire("14CD", "2023-2024", "C", False, D("9600"), date(2023, 9, 1), date(2024, 6, 30), SPORT),
    "17EF-2022-2023-1": Hire("17EF", "2022-2023", "B", True, D("36000"), date(2022, 9, 1), date(2023, 6, 30), SLIM),
    "17EF-2022-2023-2": Hire("17EF", "2022-2023", "A", True, D("12000"), date(2022, 9, 1), date(2023, 7, 14), ZONNESTRAAL),
    "17EF-2023-2024-1": Hire("17EF", "2023-2024", "E", True, D("26000"), date(2023, 9, 1), date(2024, 6, 28), DEVRIES),
    "21GH-2021-2022-1": Hire("21GH", "2021-2022", "B", False, D("238000"), date(2022, 1, 1), date(2023, 7, 31), LEESKRACHT),
    "21GH-2022-2023-1": Hire("21GH", "2022-2023", "F", False, D("14000"), date(2022, 10, 1), date(2023, 6, 30), LANTAARN),
    BOVENSCHOOLS: Hire("21GH", "2022-2023", "B", False, D("42000"), date(2023, 1, 1), date(2023, 12, 31), KOMPASROOS),
    "12AB-2023-2024-2": Hire("12AB", "2023-2024", "A", True, D("18000"), date(2023, 10, 1), None, DEVRIES),
    "21GH-2023-2024-1": Hire("21GH", "2023-2024", "B", True, D("36000"), date(2023, 10, 1), date(2024, 6, 28), SLIM),
    "21GH-2024-2025-1": Hire("21GH", "2024-2025", "A", False, D("12500"), date(2025, 3, 1), date(2025, 4, 30), LANTAARN),
    "12AB-2024-2025-1": Hire("12AB", "2024-2025", "B", False, D("16000"), date(2024, 9, 1), date(2025, 6, 30), KOMPASROOS),
    "14CD-2021-2022-1": Hire("14CD", "2021-2022", "C", False, D("8800"), date(2022, 2, 1), date(2022, 6, 30), LANTAARN),
}

# The menukaart item and the kind of hire (tools/demo.py KINDS: 0 extra handen, 1 adviseurs, 2 buitenschools).
INTERVENTION = {
    "12AB-2021-2022-1": ("B: Instructie in kleine groepen", 0), "12AB-2022-2023-1": ("B: Instructie in kleine groepen", 0),
    "12AB-2022-2023-2": ("D: Metacognitie en zelfregulerend leren", 1),
    "14CD-2022-2023-1": ("E: Onderwijsassistenten/instructeurs", 0), "14CD-2022-2023-2": ("B: Instructie in kleine groepen", 0),
    "14CD-2023-2024-1": ("C: Sportieve activiteiten", 2), "17EF-2022-2023-1": ("B: Een-op-een-begeleiding", 0),
    "17EF-2022-2023-2": ("A: Uitbreiding onderwijs", 0), "17EF-2023-2024-1": ("E: Klassenverkleining", 0),
    "21GH-2021-2022-1": ("B: Technieken voor begrijpend lezen", 1), "21GH-2022-2023-1": ("F: Ouderbetrokkenheid", 2),
    BOVENSCHOOLS: ("B: Feedback", 1), "12AB-2023-2024-2": ("A: Uitbreiding onderwijs", 0),
    "21GH-2023-2024-1": ("B: Instructie in kleine groepen", 0), "21GH-2024-2025-1": ("A: Zomer- of lentescholen", 2),
    "12AB-2024-2025-1": ("B: Directe instructie", 1), "14CD-2021-2022-1": ("C: Cultuureducatie", 2),
}
KINDS = ("Ondersteuning schoolpersoneel / extra handen in de klas", "Expertise van adviseurs", "Buitenschoolse activiteiten")

# The hires that run or are invoiced in each calendar year (period overlaps the year, or an invoice is dated in it).
# The open-ended 12AB-2023-2024-2 runs up to the demo's reference date, 31 December 2025.
HIRES_IN_YEAR = {
    2021: {"12AB-2021-2022-1"},
    2022: {"12AB-2021-2022-1", "12AB-2022-2023-1", "12AB-2022-2023-2", "14CD-2021-2022-1", "14CD-2022-2023-1",
           "14CD-2022-2023-2", "17EF-2022-2023-1", "17EF-2022-2023-2", "21GH-2021-2022-1", "21GH-2022-2023-1"},
    2023: {"12AB-2022-2023-1", "12AB-2022-2023-2", "14CD-2022-2023-1", "14CD-2022-2023-2", "14CD-2023-2024-1",
           "17EF-2022-2023-1", "17EF-2022-2023-2", "17EF-2023-2024-1", "21GH-2021-2022-1", "21GH-2022-2023-1",
           BOVENSCHOOLS, "12AB-2023-2024-2", "21GH-2023-2024-1"},
    2024: {"14CD-2023-2024-1", "17EF-2023-2024-1", "12AB-2023-2024-2", "21GH-2023-2024-1", "12AB-2024-2025-1"},
    2025: {"12AB-2023-2024-2", "21GH-2024-2025-1", "12AB-2024-2025-1"},
}

# Not tendered as the law asks (the demo's planted A1 and A2, see the notes in tools/demo.py): their spending of a
# calendar year is the jaarverslag's "fouten" in the rechtmatigheid section.
#   A1: 21GH-2021-2022-1, €238.000 above the 2020–2021 threshold of €214.000 (first quote 15-10-2021), not Europees.
#   A2: Slim Verder's three 2022-2023 tutoring hires, €96.000 + €88.000 + €36.000 = €220.000 ≥ €215.000 in one window.
UNLAWFUL = {"21GH-2021-2022-1": "A1", "12AB-2022-2023-1": "A2", "14CD-2022-2023-2": "A2", "17EF-2022-2023-1": "A2"}

# The findings of severity fout on each hire, from the mistake each demo workbook shows (`note` in tools/demo.py) and
# the ledger's planted L3. Hires not listed have none. 14CD-2021-2022-1 misses both its evaluation and its knowledge
# transfer (two S5); the bovenschools P4 is one finding, shown at each paying school.
ERRORS = {
    "12AB-2022-2023-1": ["A2"], "14CD-2022-2023-2": ["A2"], "17EF-2022-2023-1": ["A2"],  # split with each other
    "14CD-2021-2022-1": ["S5", "S5"],  # not evaluated after its end
    "14CD-2022-2023-1": ["Q1"],  # question 7 unanswered
    "17EF-2022-2023-2": ["L3"],  # ZS-1077 booked € 6.600, € 6.000 in the workbook
    "17EF-2023-2024-1": ["V1"],  # VOG older than 6 months at the start
    "21GH-2021-2022-1": ["A1"],  # above the EU threshold, not tendered Europees
    "21GH-2022-2023-1": ["P1"],  # an F item as the intervention
    BOVENSCHOOLS: ["P4"],  # no GMR consent
    "12AB-2023-2024-2": ["P5"],  # no end date
    "21GH-2023-2024-1": ["Q2"],  # "Nee" on question 9
    "12AB-2024-2025-1": ["S1"],  # MR advice asked after signing
}

# The value that counts for procurement (DOMAIN.md §A): the larger of the contract value and the invoiced total,
# excl. BTW; the open-ended 12AB-2023-2024-2 counts its monthly €1.500 × 48 = €72.000.
OPEN_ENDED_VALUE = {"12AB-2023-2024-2": D("72000")}

# (hire, invoice number, invoice date, excl. BTW, BTW): every invoice of a counted workbook, including the two that
# 12AB typed below its table (SV-2023-101, SV-2023-150).
INVOICES = [
    ("12AB-2021-2022-1", "SV-2021-101", date(2021, 11, 30), D("12000"), D("2520")),
    ("12AB-2021-2022-1", "SV-2022-017", date(2022, 2, 28), D("12000"), D("2520")),
    ("12AB-2021-2022-1", "SV-2022-077", date(2022, 5, 31), D("12000"), D("2520")),
    ("12AB-2021-2022-1", "SV-2022-120", date(2022, 7, 15), D("11250"), D("2362.50")),
    ("12AB-2022-2023-1", "SV-2022-301", date(2022, 11, 30), D("24000"), D("5040")),
    ("12AB-2022-2023-1", "SV-2023-040", date(2023, 2, 28), D("24000"), D("5040")),
    ("12AB-2022-2023-1", "SV-2023-101", date(2023, 5, 31), D("24000"), D("5040")),
    ("12AB-2022-2023-1", "SV-2023-150", date(2023, 7, 14), D("24000"), D("5040")),
    ("12AB-2022-2023-2", "KR-1187", date(2023, 1, 31), D("9250"), D("1942.50")),
    ("12AB-2022-2023-2", "KR-1242", date(2023, 6, 30), D("9250"), D("1942.50")),
    *[("14CD-2022-2023-1", f"DV-{i:03d}", date(2022 + (m < 8), m, 28), D("2600"), D("0"))
      for i, m in enumerate((9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7), start=1)],
    ("14CD-2022-2023-2", "SV-2022-310", date(2022, 12, 31), D("44000"), D("9240")),
    ("14CD-2022-2023-2", "SV-2023-160", date(2023, 6, 30), D("44000"), D("9240")),
    ("14CD-2023-2024-1", "SR-23-88", date(2023, 12, 31), D("4800"), D("1008")),
    ("14CD-2023-2024-1", "SR-24-31", date(2024, 6, 30), D("4800"), D("1008")),
    ("17EF-2022-2023-1", "SV-2022-288", date(2022, 10, 31), D("18000"), D("3780")),
    ("17EF-2022-2023-1", "SV-2023-170", date(2023, 6, 30), D("18000"), D("3780")),
    ("17EF-2022-2023-2", "ZS-0931", date(2022, 12, 31), D("6000"), D("0")),
    ("17EF-2022-2023-2", "ZS-1077", date(2023, 7, 14), D("6000"), D("0")),
    ("17EF-2023-2024-1", "DV-101", date(2023, 12, 31), D("13000"), D("0")),
    ("17EF-2023-2024-1", "DV-140", date(2024, 6, 28), D("13000"), D("0")),
    ("21GH-2021-2022-1", "LK-22-01", date(2022, 3, 31), D("60000"), D("12600")),
    ("21GH-2021-2022-1", "LK-22-02", date(2022, 9, 30), D("60000"), D("12600")),
    ("21GH-2021-2022-1", "LK-23-01", date(2023, 3, 31), D("60000"), D("12600")),
    ("21GH-2021-2022-1", "LK-23-02", date(2023, 7, 31), D("58000"), D("12180")),
    ("21GH-2022-2023-1", "CL-2210", date(2022, 12, 31), D("7000"), D("1470")),
    ("21GH-2022-2023-1", "CL-2306", date(2023, 6, 30), D("7000"), D("1470")),
    (BOVENSCHOOLS, "KR-1301", date(2023, 3, 31), D("14000"), D("2940")),
    (BOVENSCHOOLS, "KR-1388", date(2023, 9, 30), D("14000"), D("2940")),
    (BOVENSCHOOLS, "KR-1420", date(2023, 12, 31), D("14000"), D("2940")),
    ("12AB-2023-2024-2", "DV-231", date(2023, 12, 31), D("4500"), D("0")),
    ("12AB-2023-2024-2", "DV-245", date(2024, 6, 30), D("9000"), D("0")),
    ("12AB-2023-2024-2", "DV-262", date(2024, 12, 31), D("7500"), D("0")),
    ("12AB-2023-2024-2", "DV-270", date(2025, 4, 30), D("6000"), D("0")),
    ("21GH-2023-2024-1", "SV-2023-400", date(2023, 12, 31), D("18000"), D("3780")),
    ("21GH-2023-2024-1", "SV-2024-090", date(2024, 6, 28), D("18000"), D("3780")),
    ("21GH-2024-2025-1", "CL-2503", date(2025, 4, 30), D("12500"), D("2625")),
    ("12AB-2024-2025-1", "KR-1690", date(2024, 12, 31), D("8000"), D("1680")),
    ("12AB-2024-2025-1", "KR-1755", date(2025, 6, 30), D("8000"), D("1680")),
    ("14CD-2021-2022-1", "CL-2202", date(2022, 6, 30), D("8800"), D("1848")),
]

# NPO allocation per school and school year (bestuur.xlsx of the demo, DOMAIN.md §4 rates):
#   12AB, 14CD 2021-2022 and 2022-2023: DUO's amounts (tools/demo.py DUO_AMOUNTS).
#   17EF sbo, 240 pupils, 9 CUMI pupils:
#     2021-2022: 240 × €1.051,74 + (9 − 4) × €548,56 = €252.417,60 + €2.742,80 = €255.160,40
#     2022-2023: only the €500 per pupil is confirmed for sbo: 240 × €500 = €120.000,00
#   21GH vo, 1100 pupils of which 180 vbo years 3–4, achterstandsscore 55:
#     2021-2022: 920 × €701,16 + 180 × €1.051,74 + 55 × €1.038,16 = €645.067,20 + €189.313,20 + €57.098,80 = €891.479,20
#     2022-2023: 1100 × €500 + 55 × €463,78 = €550.000,00 + €25.507,90 = €575.507,90
#   2023-2024 and 2024-2025: no new money, € 0,00 for every school.
ALLOCATION = {
    "12AB": {"2021-2022": D("402918.30"), "2022-2023": D("299140.00")},
    "14CD": {"2021-2022": D("150310.00"), "2022-2023": D("110480.00")},
    "17EF": {"2021-2022": D("255160.40"), "2022-2023": D("120000.00")},
    "21GH": {"2021-2022": D("891479.20"), "2022-2023": D("575507.90")},
}

# Calendar-year allocation: (7/12 part of the school year ending in the year, 5/12 part of the one starting in it).
#   2021: 5/12 of 2021-2022 only;  2022: 7/12 of 2021-2022 + 5/12 of 2022-2023;  2023: 7/12 of 2022-2023 (+ 5/12 × 0).
#   e.g. 12AB 2022: 7/12 × €402.918,30 = €235.035,675 → €235.035,68; 5/12 × €299.140,00 = €124.641,666 → €124.641,67.
CALENDAR_ALLOCATION = {
    2021: {"12AB": D("167882.63"), "14CD": D("62629.17"), "17EF": D("106316.83"), "21GH": D("371449.67")},
    2022: {"12AB": D("235035.68") + D("124641.67"), "14CD": D("87680.83") + D("46033.33"),
           "17EF": D("148843.57") + D("50000.00"), "21GH": D("520029.53") + D("239794.96")},
    2023: {"12AB": D("174498.33"), "14CD": D("64446.67"), "17EF": D("70000.00"), "21GH": D("335712.94")},
    2024: {"12AB": D("0"), "14CD": D("0"), "17EF": D("0"), "21GH": D("0")},
    2025: {"12AB": D("0"), "14CD": D("0"), "17EF": D("0"), "21GH": D("0")},
}

# Cumulative allocation up to 31 December: every school year in full once it ended, plus 5/12 of the one begun.
#   2021: 5/12 × 2021-2022;  2022: 2021-2022 + 5/12 × 2022-2023;  2023 and later: 2021-2022 + 2022-2023.
CUMULATIVE_ALLOCATION = {
    2021: CALENDAR_ALLOCATION[2021],
    2022: {"12AB": D("402918.30") + D("124641.67"), "14CD": D("150310.00") + D("46033.33"),
           "17EF": D("255160.40") + D("50000.00"), "21GH": D("891479.20") + D("239794.96")},
    **{y: {"12AB": D("702058.30"), "14CD": D("260790.00"), "17EF": D("375160.40"), "21GH": D("1466987.10")}
       for y in (2023, 2024, 2025)},
}

# Jaarverslag, per calendar year and school: (invoices, excl. BTW, BTW, incl. BTW). A bovenschools invoice counts
# once at each paying school for its share (KR-1301/1388/1420: €14.000 + €2.940 → 12AB €5.600 + €1.176,
# 14CD €4.900 + €1.029, 21GH €3.500 + €735) and once in the board's total.
PER_SCHOOL = {
    # 2021: SV-2021-101 only.
    2021: {"12AB": (1, D("12000"), D("2520"), D("14520"))},
    2022: {
        # SV-2022-017, -077, -120 (€35.250 + €7.402,50) and SV-2022-301 (€24.000 + €5.040)
        "12AB": (4, D("59250"), D("12442.50"), D("71692.50")),
        # DV-001..004 (4 × €2.600), SV-2022-310 (€44.000 + €9.240), CL-2202 (€8.800 + €1.848)
        "14CD": (6, D("63200"), D("11088"), D("74288")),
        # SV-2022-288 (€18.000 + €3.780), ZS-0931 (€6.000, no BTW)
        "17EF": (2, D("24000"), D("3780"), D("27780")),
        # LK-22-01, LK-22-02 (2 × €60.000 + €12.600), CL-2210 (€7.000 + €1.470)
        "21GH": (3, D("127000"), D("26670"), D("153670")),
    },
    2023: {
        # SV-2023-040/101/150 (3 × €24.000 + €5.040), KR-1187, KR-1242 (2 × €9.250 + €1.942,50), DV-231 (€4.500),
        # 40 % of KR-1301/1388/1420 (3 × €5.600 + €1.176)
        "12AB": (9, D("111800"), D("22533"), D("134333")),
        # DV-005..011 (7 × €2.600), SV-2023-160 (€44.000 + €9.240), SR-23-88 (€4.800 + €1.008), 35 % of KR (3 × €4.900 + €1.029)
        "14CD": (12, D("81700"), D("13335"), D("95035")),
        # SV-2023-170 (€18.000 + €3.780), ZS-1077 (€6.000), DV-101 (€13.000)
        "17EF": (3, D("37000"), D("3780"), D("40780")),
        # LK-23-01 (€60.000 + €12.600), LK-23-02 (€58.000 + €12.180), CL-2306 (€7.000 + €1.470),
        # SV-2023-400 (€18.000 + €3.780), 25 % of KR (3 × €3.500 + €735)
        "21GH": (7, D("153500"), D("32235"), D("185735")),
    },
    2024: {
        # DV-245 (€9.000), DV-262 (€7.500), KR-1690 (€8.000 + €1.680)
        "12AB": (3, D("24500"), D("1680"), D("26180")),
        # SR-24-31 (€4.800 + €1.008)
        "14CD": (1, D("4800"), D("1008"), D("5808")),
        # DV-140 (€13.000)
        "17EF": (1, D("13000"), D("0"), D("13000")),
        # SV-2024-090 (€18.000 + €3.780)
        "21GH": (1, D("18000"), D("3780"), D("21780")),
    },
    # 2025: DV-270 (€6.000) and KR-1755 (€8.000 + €1.680) at 12AB; CL-2503 (€12.500 + €2.625) at 21GH.
    2025: {"12AB": (2, D("14000"), D("1680"), D("15680")), "21GH": (1, D("12500"), D("2625"), D("15125"))},
}
# The board's total row: every invoice once (2023: 31 school rows, but the 3 bovenschools invoices count once: 25).
BOARD_TOTAL = {
    2021: (1, D("12000"), D("2520"), D("14520")),
    2022: (15, D("273450"), D("53980.50"), D("327430.50")),
    2023: (25, D("384000"), D("71883"), D("455883")),
    2024: (6, D("60300"), D("6468"), D("66768")),
    2025: (3, D("26500"), D("4305"), D("30805")),
}

# Per menukaart category: (hires with an invoice in the year, excl. BTW, BTW, incl. BTW); the bovenschools hire in full.
PER_CATEGORY = {
    2021: {"B": (1, D("12000"), D("2520"), D("14520"))},
    2022: {
        "A": (1, D("6000"), D("0"), D("6000")),  # ZS-0931
        # 12AB-2021-2022-1 (€35.250 + €7.402,50), 12AB-2022-2023-1 (€24.000 + €5.040), 14CD-2022-2023-2 (€44.000 + €9.240),
        # 17EF-2022-2023-1 (€18.000 + €3.780), 21GH-2021-2022-1 (€120.000 + €25.200)
        "B": (5, D("241250"), D("50662.50"), D("291912.50")),
        "C": (1, D("8800"), D("1848"), D("10648")),  # CL-2202
        "E": (1, D("10400"), D("0"), D("10400")),  # DV-001..004
        "F": (1, D("7000"), D("1470"), D("8470")),  # CL-2210
    },
    2023: {
        "A": (2, D("10500"), D("0"), D("10500")),  # ZS-1077 €6.000, DV-231 €4.500
        # 12AB-2022-2023-1 €72.000, 14CD-2022-2023-2 €44.000, 17EF-2022-2023-1 €18.000, 21GH-2021-2022-1 €118.000,
        # bovenschools €42.000, 21GH-2023-2024-1 €18.000 = €312.000; BTW 21 % of it = €65.520
        "B": (6, D("312000"), D("65520"), D("377520")),
        "C": (1, D("4800"), D("1008"), D("5808")),  # SR-23-88
        "D": (1, D("18500"), D("3885"), D("22385")),  # KR-1187, KR-1242
        "E": (2, D("31200"), D("0"), D("31200")),  # DV-005..011 €18.200, DV-101 €13.000
        "F": (1, D("7000"), D("1470"), D("8470")),  # CL-2306
    },
    2024: {
        "A": (1, D("16500"), D("0"), D("16500")),  # DV-245, DV-262
        "B": (2, D("26000"), D("5460"), D("31460")),  # SV-2024-090, KR-1690
        "C": (1, D("4800"), D("1008"), D("5808")),  # SR-24-31
        "E": (1, D("13000"), D("0"), D("13000")),  # DV-140
    },
    2025: {
        "A": (2, D("18500"), D("2625"), D("21125")),  # DV-270 €6.000, CL-2503 €12.500 + €2.625
        "B": (1, D("8000"), D("1680"), D("9680")),  # KR-1755
    },
}

# Per school, incl. BTW: the part spent on PNIL (hires of kind "extra handen", PNIL Ja).
PNIL = {
    2021: {"12AB": D("14520"), "14CD": D("0"), "17EF": D("0"), "21GH": D("0")},
    # 12AB: all 2022 invoices; 14CD: DV-001..004 + SV-2022-310; 17EF: both; 21GH: none (leesprogramma, huiswerkklas)
    2022: {"12AB": D("71692.50"), "14CD": D("63640"), "17EF": D("27780"), "21GH": D("0")},
    # 12AB: SV-2023-040/101/150 (€87.120) + DV-231 (€4.500); 14CD: DV-005..011 + SV-2023-160; 21GH: SV-2023-400
    2023: {"12AB": D("91620"), "14CD": D("71440"), "17EF": D("40780"), "21GH": D("21780")},
    2024: {"12AB": D("16500"), "14CD": D("0"), "17EF": D("13000"), "21GH": D("21780")},
    2025: {"12AB": D("6000"), "14CD": D("0"), "17EF": D("0"), "21GH": D("0")},
}

# Volledigheid: per ledger cost centre and booking year, excl. BTW:
#   (in the ledger, in workbooks, no workbook L1, amount differs L3, of which another school's L4).
# The demo ledger books every counted invoice on its school's cost centre (bovenschools: 100, the board office),
# except: SR-24-31 never booked (L2, not in the ledger); ZS-1077 booked €6.600 instead of €6.000 (L3);
# DV-005 (14CD's) booked on 12AB's centre 112 (L4); KR-1187 booked €9.750 with a credit note of €500 ten days later
# (net €9.250); two invoices of Noorderlicht on 14CD with no workbook (L1: €3.150 in 2023, €2.850 in 2024).
BOARD_OFFICE = "Bovenschools"
COMPLETENESS = {
    2021: {"12AB": (D("12000"), D("12000"), D("0"), D("0"), D("0"))},
    2022: {b: (ex, ex, D("0"), D("0"), D("0")) for b, (_, ex, _, _) in PER_SCHOOL[2022].items()},
    2023: {
        # SV-2023-040/101/150 €72.000 + KR-1187 €9.250 + KR-1242 €9.250 + DV-231 €4.500 + DV-005 €2.600 (14CD's)
        "12AB": (D("97600"), D("97600"), D("0"), D("0"), D("2600")),
        # DV-006..011 €15.600 + SV-2023-160 €44.000 + SR-23-88 €4.800 + NL-2023-11 €3.150 (L1)
        "14CD": (D("67550"), D("64400"), D("3150"), D("0"), D("0")),
        # SV-2023-170 €18.000 + ZS-1077 booked €6.600 (L3) + DV-101 €13.000
        "17EF": (D("37600"), D("31000"), D("0"), D("6600"), D("0")),
        # LK-23-01 €60.000 + LK-23-02 €58.000 + CL-2306 €7.000 + SV-2023-400 €18.000
        "21GH": (D("143000"), D("143000"), D("0"), D("0"), D("0")),
        BOARD_OFFICE: (D("42000"), D("42000"), D("0"), D("0"), D("0")),  # KR-1301/1388/1420 on centre 100
    },
    2024: {
        "12AB": (D("24500"), D("24500"), D("0"), D("0"), D("0")),  # DV-245, DV-262, KR-1690
        "14CD": (D("2850"), D("0"), D("2850"), D("0"), D("0")),  # NL-2024-02 (L1); SR-24-31 is not booked
        "17EF": (D("13000"), D("13000"), D("0"), D("0"), D("0")),  # DV-140
        "21GH": (D("18000"), D("18000"), D("0"), D("0"), D("0")),  # SV-2024-090
    },
    2025: {"12AB": (D("14000"), D("14000"), D("0"), D("0"), D("0")), "21GH": (D("12500"), D("12500"), D("0"), D("0"), D("0"))},
}

# MR report per school and school year: per hire (contract value excl. BTW for this school, invoiced incl. BTW with an
# invoice date in the school year, for this school). The bovenschools hire at its share: contract €42.000 × share;
# KR-1301 (31-3-2023) lies in 2022-2023, KR-1388 and KR-1420 in 2023-2024.
MR = {
    ("12AB", "2021-2022"): {"12AB-2021-2022-1": (D("48000"), D("57172.50"))},  # 4 × SV (€47.250 + €9.922,50)
    ("12AB", "2022-2023"): {"12AB-2022-2023-1": (D("96000"), D("116160")),  # 4 × (€24.000 + €5.040)
                            "12AB-2022-2023-2": (D("18500"), D("22385")),
                            BOVENSCHOOLS: (D("16800"), D("6776"))},  # 40 % of KR-1301 €16.940
    ("12AB", "2023-2024"): {"12AB-2023-2024-2": (D("18000"), D("13500")),  # DV-231 + DV-245
                            BOVENSCHOOLS: (D("16800"), D("13552"))},  # 40 % of 2 × €16.940
    ("12AB", "2024-2025"): {"12AB-2023-2024-2": (D("18000"), D("13500")),  # DV-262 + DV-270
                            "12AB-2024-2025-1": (D("16000"), D("19360"))},
    ("14CD", "2021-2022"): {"14CD-2021-2022-1": (D("8800"), D("10648"))},
    ("14CD", "2022-2023"): {"14CD-2022-2023-1": (D("31200"), D("28600")),  # DV-001..011
                            "14CD-2022-2023-2": (D("88000"), D("106480")),
                            BOVENSCHOOLS: (D("14700"), D("5929"))},  # 35 %
    ("14CD", "2023-2024"): {"14CD-2023-2024-1": (D("9600"), D("11616")),
                            BOVENSCHOOLS: (D("14700"), D("11858"))},
    ("17EF", "2022-2023"): {"17EF-2022-2023-1": (D("36000"), D("43560")), "17EF-2022-2023-2": (D("12000"), D("12000"))},
    ("17EF", "2023-2024"): {"17EF-2023-2024-1": (D("26000"), D("26000"))},
    ("21GH", "2021-2022"): {"21GH-2021-2022-1": (D("238000"), D("72600"))},  # LK-22-01 only (31-3-2022)
    ("21GH", "2022-2023"): {"21GH-2021-2022-1": (D("238000"), D("215380")),  # LK-22-02, LK-23-01, LK-23-02
                            "21GH-2022-2023-1": (D("14000"), D("16940")),
                            BOVENSCHOOLS: (D("10500"), D("4235"))},  # 25 %
    ("21GH", "2023-2024"): {BOVENSCHOOLS: (D("10500"), D("8470")), "21GH-2023-2024-1": (D("36000"), D("43560"))},
    ("21GH", "2024-2025"): {"21GH-2024-2025-1": (D("12500"), D("15125"))},
}

# GMR per school year: per school (hires, allocation of the school year, spent incl. BTW in the school year).
GMR = {
    "2021-2022": {"12AB": (1, D("402918.30"), D("57172.50")), "14CD": (1, D("150310"), D("10648")),
                  "17EF": (0, D("255160.40"), D("0")), "21GH": (1, D("891479.20"), D("72600"))},
    "2022-2023": {"12AB": (3, D("299140"), D("145321")), "14CD": (3, D("110480"), D("141009")),
                  "17EF": (2, D("120000"), D("55560")), "21GH": (3, D("575507.90"), D("236555"))},
    "2023-2024": {"12AB": (2, D("0"), D("27052")), "14CD": (2, D("0"), D("23474")),
                  "17EF": (1, D("0"), D("26000")), "21GH": (2, D("0"), D("52030"))},
    "2024-2025": {"12AB": (2, D("0"), D("32860")), "14CD": (0, D("0"), D("0")),
                  "17EF": (0, D("0"), D("0")), "21GH": (1, D("0"), D("15125"))},
}
# The board row counts the bovenschools hire once: 2022-2023 has 3 + 3 + 2 + 3 − 2 = 9 hires.
GMR_BOARD_HIRES = {"2021-2022": 3, "2022-2023": 9, "2023-2024": 5, "2024-2025": 3}


# --------------------------------------------------------------------------- plain arithmetic over INVOICES


def school_year(d: date) -> str:
    y = d.year if d.month >= 8 else d.year - 1
    return f"{y}-{y + 1}"


def parts(brin: str | None = None):
    """(hire, nr, date, excl, btw, brin, share) for every invoice and paying school; brin limits to one school."""
    for hire, nr, day, ex, vat in INVOICES:
        shares = SHARES if hire == BOVENSCHOOLS else {HIRES[hire].brin: D("1")}
        for b, s in shares.items():
            if brin is None or b == brin:
                yield hire, nr, day, ex * s, vat * s, b, s


def tally(rows) -> tuple[int, Decimal, Decimal, Decimal]:
    rows = list(rows)
    ex = sum((r[3] for r in rows), D("0"))
    vat = sum((r[4] for r in rows), D("0"))
    return len(rows), ex, vat, ex + vat


def cents(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def euro(x: Decimal) -> str:
    """€ 1.234,56, written out here rather than with pipeline.dutch so that a formatting bug is caught too."""
    q = cents(x)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"€ {sign}{'.'.join(groups)},{frac}"


def percent(part: Decimal, whole: Decimal) -> str:
    """A share of an allocation; the demo knows every allocation, and a known allocation of nothing shows a dash."""
    if not whole:
        return "–"
    return f"{(part / whole * 100).quantize(D('0.1'), rounding=ROUND_HALF_UP)}%".replace(".", ",")


# --------------------------------------------------------------------------- findings: every one, by hand

# Where a finding stands: a hire id (its counted workbook), the file name of a superseded workbook, or the ledger.
LEDGER_FILE = "grootboek/grootboekmutaties 2021-2025.csv"  # tools/demo.py LEDGER_FILE
KOPIE, VERSIE_1 = "12AB/2021-2022-1 tutoring (kopie).xlsx", "17EF/2022-2023-1 tutoring (versie 1).xlsx"

# (where, rule, severity, sheet, cell, about) for every finding the demo board has: the mistake each demo workbook
# shows (`note` in tools/demo.py), the planted ledger situations, and the checks every workbook passes through.
# Sheet and cell are the template's (pipeline/render/workbook.py): on "1 Verkenning" B11 is the supplier's KvK,
# B14 the intervention, B17 the need, B22 the MR advice date, B25 the GMR consent; "3 Keuze" A12 the quotes table,
# B5 the procedure, B7 the hourly rate; "4 Uitvoering" B5 the contract value, B9 the end date, B13 parents informed,
# B16 a teacher present; "5 Evaluatie" B5 the evaluation date, B7 the knowledge transfer; "4 Medewerkers" B5 the
# first VOG; on "Vragenlijst" question q is row 4 + q, answer column C, evidence column E; on "Facturen" invoice i of
# the table is row 4 + i (C the number, D the BTW), and the two 12AB typed below the table are rows 20 and 21.
# `about` is the school a finding concerns when that is not the workbook's own school (P5 of a paying school).
FINDINGS = [
    # errors (ERRORS above)
    ("12AB-2022-2023-1", "A2", "fout", "1 Verkenning", "B11", ""),  # €96.000 + €88.000 + €36.000 at Slim Verder
    ("14CD-2022-2023-2", "A2", "fout", "1 Verkenning", "B11", ""),
    ("17EF-2022-2023-1", "A2", "fout", "1 Verkenning", "B11", ""),
    ("12AB-2023-2024-2", "P5", "fout", "4 Uitvoering", "B9", ""),  # no end date
    ("12AB-2024-2025-1", "S1", "fout", "1 Verkenning", "B22", ""),  # advice asked 15-8-2024, signed 1-8-2024
    ("14CD-2021-2022-1", "S5", "fout", "5 Evaluatie", "B5", ""),  # no evaluation date
    ("14CD-2021-2022-1", "S5", "fout", "5 Evaluatie", "B7", ""),  # no knowledge transfer
    ("14CD-2022-2023-1", "Q1", "fout", "Vragenlijst", "C11", ""),  # question 7 unanswered
    ("17EF-2022-2023-2", "L3", "fout", "Facturen", "C6", ""),  # ZS-1077, the second invoice
    ("17EF-2023-2024-1", "V1", "fout", "4 Medewerkers", "B5", ""),  # VOG of 1-11-2022, start 1-9-2023
    ("21GH-2021-2022-1", "A1", "fout", "3 Keuze", "B5", ""),  # €238.000 ≥ €214.000, Meervoudig onderhands
    ("21GH-2022-2023-1", "P1", "fout", "1 Verkenning", "B14", ""),  # "F: Ouderbetrokkenheid"
    (BOVENSCHOOLS, "P4", "fout", "1 Verkenning", "B25", ""),  # no GMR consent
    ("21GH-2023-2024-1", "Q2", "fout", "Vragenlijst", "C13", ""),  # "Nee" on question 9
    (LEDGER_FILE, "L1", "fout", "", "regel 43, 49", "14CD"),  # NL-2023-11 and NL-2024-02 of Noorderlicht
    # warnings
    ("12AB-2022-2023-2", "Q4", "waarschuwing", "Vragenlijst", "E6", ""),  # bare "Ja" on question 2
    ("12AB-2022-2023-2", "Q4", "waarschuwing", "Vragenlijst", "E9", ""),  # and on question 5
    ("12AB-2023-2024-2", "A3", "waarschuwing", "3 Keuze", "A12", ""),  # value €72.000 asks 3 quotes, it has 1
    ("12AB-2023-2024-2", "A4", "waarschuwing", "4 Uitvoering", "B5", ""),  # €27.000 invoiced > €18.000
    # 14CD spent externally above 50 % of its allocations: up to 31-7-2023 €151.657 of €260.790 (58,2 %), on each
    # 14CD hire of 2022-2023 and on the bovenschools hire it pays for; up to 31-7-2024 €175.131 (67,2 %)
    ("14CD-2022-2023-1", "P5", "waarschuwing", "4 Uitvoering", "B5", "14CD"),
    ("14CD-2022-2023-2", "P5", "waarschuwing", "4 Uitvoering", "B5", "14CD"),
    ("14CD-2023-2024-1", "P5", "waarschuwing", "4 Uitvoering", "B5", "14CD"),
    (BOVENSCHOOLS, "P5", "waarschuwing", "4 Uitvoering", "B5", "14CD"),  # 2022-2023
    (BOVENSCHOOLS, "P5", "waarschuwing", "4 Uitvoering", "B5", "14CD"),  # 2023-2024
    ("14CD-2022-2023-1", "L4", "waarschuwing", "Facturen", "C9", ""),  # DV-005 (fifth invoice) booked on 12AB's centre
    ("14CD-2023-2024-1", "P8", "waarschuwing", "4 Uitvoering", "B13", ""),  # parents not informed
    ("14CD-2023-2024-1", "S6", "waarschuwing", "4 Uitvoering", "B16", ""),  # no teacher present
    ("14CD-2023-2024-1", "L2", "waarschuwing", "Facturen", "C6", ""),  # SR-24-31 never booked
    ("17EF-2022-2023-2", "A6", "waarschuwing", "Facturen", "D5", ""),  # a BSO without BTW: ZS-0931
    ("17EF-2022-2023-2", "A6", "waarschuwing", "Facturen", "D6", ""),  # and ZS-1077
    ("21GH-2022-2023-1", "V3", "waarschuwing", "1 Verkenning", "B17", ""),  # a BSN in the need
    ("21GH-2022-2023-1", "V3", "waarschuwing", "1 Verkenning", "B17", ""),  # and a pupil's e-mail address
    (VERSIE_1, "W6", "waarschuwing", "1 Verkenning", "B9", ""),  # an older versiedatum: does not count
    (VERSIE_1, "A4", "waarschuwing", "4 Uitvoering", "B5", ""),  # its contract value €32.000 < €36.000 invoiced
    # notes (info)
    (KOPIE, "W6", "info", "1 Verkenning", "B8", ""),  # the same content again: counts once
    ("12AB-2022-2023-1", "W5", "info", "Facturen", "A20", ""),  # SV-2023-101 typed below the table
    ("12AB-2022-2023-1", "W5", "info", "Facturen", "A21", ""),  # SV-2023-150
    ("17EF-2022-2023-1", "W6", "info", "1 Verkenning", "B9", ""),  # the newest version, counts
    ("17EF-2022-2023-1", "A5", "info", "3 Keuze", "B7", ""),  # €95 an hour; median of the kind-0 rates 38, 50, 52, 54, 60, 95 = €53
    # one quote below €25.000 (allowed, OCW advises comparing): the contract values €18.500, €16.000, €8.800, €9.600,
    # €12.000, €14.000, €12.500
    *[(h, "A3", "info", "3 Keuze", "A12", "") for h in ("12AB-2022-2023-2", "12AB-2024-2025-1", "14CD-2021-2022-1", "14CD-2023-2024-1",
                                                     "17EF-2022-2023-2", "21GH-2022-2023-1", "21GH-2024-2025-1")],
]

# Per counted hire (fout, waarschuwing, info), counted from FINDINGS by hand; hires not listed have none.
PER_HIRE_FINDINGS = {
    "12AB-2022-2023-1": (1, 0, 2), "12AB-2022-2023-2": (0, 2, 1), "14CD-2022-2023-1": (1, 2, 0), "14CD-2022-2023-2": (1, 1, 0),
    "14CD-2023-2024-1": (0, 4, 1), "17EF-2022-2023-1": (1, 0, 2), "17EF-2022-2023-2": (1, 2, 1), "17EF-2023-2024-1": (1, 0, 0),
    "21GH-2021-2022-1": (1, 0, 0), "21GH-2022-2023-1": (1, 2, 1), BOVENSCHOOLS: (1, 2, 0), "12AB-2023-2024-2": (1, 2, 0),
    "21GH-2023-2024-1": (1, 0, 0), "21GH-2024-2025-1": (0, 0, 1), "12AB-2024-2025-1": (1, 0, 1), "14CD-2021-2022-1": (2, 0, 1),
}

# The counts in each document's summary: (fouten, waarschuwingen, meldingen ter informatie) over the findings of the
# document's counted hires (superseded versions and the ledger's L1 are in no document's count).
# Jaarverslag: the hires of HIRES_IN_YEAR.
#   2021: 12AB-2021-2022-1 has none (the summary says "geen").
#   2022: 12AB-22-1 (1,0,2) 12AB-22-2 (0,2,1) 14CD-21-1 (2,0,1) 14CD-22-1 (1,2,0) 14CD-22-2 (1,1,0) 17EF-22-1 (1,0,2)
#         17EF-22-2 (1,2,1) 21GH-21-1 (1,0,0) 21GH-22-1 (1,2,1) = (9, 9, 8)
#   2023: 12AB-22-1 (1,0,2) 12AB-22-2 (0,2,1) 14CD-22-1 (1,2,0) 14CD-22-2 (1,1,0) 14CD-23-1 (0,4,1) 17EF-22-1 (1,0,2)
#         17EF-22-2 (1,2,1) 17EF-23-1 (1,0,0) 21GH-21-1 (1,0,0) 21GH-22-1 (1,2,1) bovenschools (1,2,0) 12AB-23-2 (1,2,0)
#         21GH-23-1 (1,0,0) = (11, 17, 8)
#   2024: 14CD-23-1 (0,4,1) 17EF-23-1 (1,0,0) 12AB-23-2 (1,2,0) 21GH-23-1 (1,0,0) 12AB-24-1 (1,0,1) = (4, 6, 2)
#   2025: 12AB-23-2 (1,2,0) 21GH-24-1 (0,0,1) 12AB-24-1 (1,0,1) = (2, 2, 2)
JAARVERSLAG_FINDINGS = {2021: (0, 0, 0), 2022: (9, 9, 8), 2023: (11, 17, 8), 2024: (4, 6, 2), 2025: (2, 2, 2)}
# GMR: the hires registered, running or invoiced in the school year (GMR_BOARD_HIRES of them).
#   2021-2022: 12AB-21-1 (0,0,0) 14CD-21-1 (2,0,1) 21GH-21-1 (1,0,0) = (3, 0, 1)
#   2022-2023: the 8 registered in it (12AB-22-1, 12AB-22-2, 14CD-22-1, 14CD-22-2, 17EF-22-1, 17EF-22-2, 21GH-22-1,
#              bovenschools) and 21GH-21-1 running to 31-7-2023 = (8, 11, 7)
#   2023-2024: 14CD-23-1 (0,4,1) 17EF-23-1 (1,0,0) 12AB-23-2 (1,2,0) 21GH-23-1 (1,0,0) and bovenschools (KR-1388,
#              KR-1420) (1,2,0) = (4, 8, 1)
#   2024-2025: 21GH-24-1 (0,0,1) 12AB-24-1 (1,0,1) and 12AB-23-2 (DV-262, DV-270) (1,2,0) = (2, 2, 2)
GMR_FINDINGS = {"2021-2022": (3, 0, 1), "2022-2023": (8, 11, 7), "2023-2024": (4, 8, 1), "2024-2025": (2, 2, 2)}
# MR: (fouten, waarschuwingen) of the school's own findings on the hires of MR[(brin, sj)], and the findings about
# another school paying for a hire (the bovenschools hire's two P5 about 14CD, at 12AB and 21GH).
#   12AB 2022-2023: 12AB-22-1 (1,0) 12AB-22-2 (0,2) bovenschools P4 (1,0) + 2 about 14CD;  2023-2024: 12AB-23-2 (1,2)
#   bovenschools (1,0) + 2;  2024-2025: 12AB-23-2 (1,2) 12AB-24-1 (1,0).
#   14CD 2022-2023: 14CD-22-1 (1,2) 14CD-22-2 (1,1) bovenschools P4 and both P5 (1,2);  2023-2024: 14CD-23-1 (0,4)
#   bovenschools (1,2).  17EF 2022-2023: 17EF-22-1 (1,0) 17EF-22-2 (1,2).  21GH 2022-2023: 21GH-21-1 (1,0)
#   21GH-22-1 (1,2) bovenschools (1,0) + 2;  2023-2024: bovenschools (1,0) + 2, 21GH-23-1 (1,0).
MR_FINDINGS = {
    ("12AB", "2021-2022"): (0, 0, 0), ("12AB", "2022-2023"): (2, 2, 2), ("12AB", "2023-2024"): (2, 2, 2), ("12AB", "2024-2025"): (2, 2, 0),
    ("14CD", "2021-2022"): (2, 0, 0), ("14CD", "2022-2023"): (3, 5, 0), ("14CD", "2023-2024"): (1, 6, 0),
    ("17EF", "2022-2023"): (2, 2, 0), ("17EF", "2023-2024"): (1, 0, 0),
    ("21GH", "2021-2022"): (1, 0, 0), ("21GH", "2022-2023"): (3, 2, 2), ("21GH", "2023-2024"): (2, 0, 2), ("21GH", "2024-2025"): (0, 0, 0),
}


# --------------------------------------------------------------------------- register.xlsx

# The sheets a finance user sees, in order, each with its heading row (a dropped or renamed column fails here first).
_HIRE_COLUMNS = ("Bestand", "Inhuur-id", "Telt mee", "BRIN", "School", "Schooljaar", "Volgnummer", "Versiedatum", "Leverancier",
                 "KvK", "Soort partij", "Soort inhuur", "Interventie", "Categorie", "Randvoorwaarde (F)", "Niveau", "Procedure", "PNIL",
                 "Startdatum", "Einddatum", "Contractwaarde excl. btw", "Uurtarief", "Gefactureerd excl. btw", "Waarde voor aanbesteding",
                 "Start aanbesteding", "MR-advies gevraagd", "Instemming MR schoolprogramma", "Instemming GMR", "Evaluatiedatum",
                 "Oordeel (1-5)", "Opnieuw inhuren")
_INVOICE_COLUMNS = ("Factuurnummer", "Factuurdatum", "Bedrag excl. btw", "Btw", "Bedrag incl. btw", "Omschrijving", "Inhuur-id",
                    "Bestand", "Telt mee", "BRIN", "Kalenderjaar", "Schooljaar", "Categorie", "PNIL", "Tabblad", "Cel", "BRIN werkboek",
                    "Aandeel van deze school")
REGISTER_SHEETS = {
    "Inhuur": _HIRE_COLUMNS,
    "Inhuur vervangen": _HIRE_COLUMNS,
    "Facturen": _INVOICE_COLUMNS,
    "Facturen vervangen": _INVOICE_COLUMNS,
    "Bevindingen": ("Bestand", "Inhuur-id", "BRIN", "School", "Telt mee", "Gaat over school (BRIN)", "Regel", "Ernst", "Tabblad", "Cel",
                    "Melding", "Bron"),
    "Scholen": ("BRIN", "School", "Schooljaar", "NPO-toekenning", "Grondslag toekenning", "Besteed excl. btw", "Besteed incl. btw",
                "Waarvan PNIL incl. btw", "Aandeel extern", "Aandeel PNIL"),
    "Leveranciers": ("KvK", "Leverancier", "Soort partij", "Scholen", "Schooljaren", "Inhuren", "Contractwaarde excl. btw",
                     "Gefactureerd excl. btw", "Gemiddeld oordeel", "Opnieuw inhuren: ja", "Opnieuw inhuren: nee"),
    "Totalen": ("Totaal per", "BRIN, KvK-nummer, categorie of jaar", "Naam", "Facturen", "Excl. btw", "Btw", "Incl. btw", "Toelichting"),
    "Bestanden": ("Bestand", "SHA-256", "Bytes", "Status", "Reden", "Inhuur-id"),
    "Aansluiting": ("Status", "Leverancier", "KvK", "Factuurnummer", "Datum", "Boekdatum grootboek", "Schooljaar", "Bedrag grootboek",
                    "Bedrag werkboek excl. btw", "Verschil", "Grootboekbestand", "Regels", "Kostenplaats", "BRIN grootboek (kostenplaats)",
                    "BRIN", "Inhuur-id", "Bestand", "Tabblad", "Cel", "Btw werkboek", "Grootboek geboekt", "Gekoppeld op",
                    "Verdeling over scholen (! = school die niet meebetaalt)", "Waarvan andere school"),
    "Grootboek": ("Bestand", "Regel", "Datum", "Grootboekrekening", "Kostenplaats", "Project", "Crediteur", "Naam crediteur", "KvK",
                  "Factuurnummer", "Omschrijving", "Bedrag excl. btw", "BRIN"),
    "Brug": ("Kalenderjaar", "Stap", "Soort", "Omschrijving", "Factuurnummer", "Leverancier", "Inhuur-id",
             "Werkboek (bestand · tabblad · cel)", "Grootboek (bestand, regels)", "Datum", "Boekdatum grootboek",
             "Bedrag (beginstand incl. btw, daarna excl. btw)"),
    "Rechtmatigheid": ("Kalenderjaar", "Soort", "Inhuur-id", "Bestand", "Regels", "Reden", "Incl. btw", "Aandeel van de NPO-besteding",
                       "Facturen"),
    "Programma": ("BRIN", "School", "Onderdeel", "Periode of categorie", "Excl. btw", "Incl. btw",
                  "Bedrag (toekenning; grootboek zoals geboekt)", "Aantal", "Aandeel van de toekenning", "Grondslag toekenning"),
}

# Inhuur columns the hires above do not hold (tools/demo.py hire_fields and each hire's overrides):
# the hourly rate, filled only where a hire overrides `uurtarief`;
HOURLY_RATE = {"14CD-2022-2023-1": D("52"), "17EF-2022-2023-1": D("95"), "17EF-2022-2023-2": D("38"), "17EF-2023-2024-1": D("54"),
               "12AB-2023-2024-2": D("50"), "21GH-2023-2024-1": D("60")}
# the start of the procurement: the earliest quote date. Every demo quote is dated on the contract's signing day,
# 15 July of the school year's first year, except where a hire overrides it: 21GH-2021-2022-1 has its own quotes
# (15, 20 and 22 October 2021), the bovenschools hire and 12AB-2024-2025-1 were signed on 15-12-2022 and 1-8-2024.
TENDER_START = {"21GH-2021-2022-1": date(2021, 10, 15), BOVENSCHOOLS: date(2022, 12, 15), "12AB-2024-2025-1": date(2024, 8, 1)}
# versiedatum: 10 July of the school year's first year; the superseded "(versie 1)" has 1 June 2022.
# MR consent to the school programme: 20 June of the school year's first year (no demo hire starts before signing).
# GMR consent: no demo workbook fills it in (the bovenschools hire's missing one is its P4). Randvoorwaarde (F): none.
VERSION_1_DATE, VERSION_1_CONTRACT = date(2022, 6, 1), D("32000")

# The reason the Bestanden sheet gives for each file that is not read as it is (the others have none):
# the copy and the older version name the counted workbook, the PDF is no workbook.
FILE_REASON_NAMES = {KOPIE: "12AB/2021-2022-1 tutoring.xlsx", VERSIE_1: "17EF/2022-2023-1 tutoring.xlsx"}

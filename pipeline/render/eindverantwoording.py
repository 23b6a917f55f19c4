"""The programme's closing account (eindverantwoording): NPO per school over the whole programme, for the board,
the GMR and the auditor, with the register's sheet Programma holding every figure it shows."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from pipeline import audit, dutch, reference
from pipeline.aggregate import MONEY, ZERO, Money, cents, money, money_by, participants
from pipeline.model import BOARD_COST_CENTRE, Hire, RunData
from pipeline.read.board import DUO_BASIS
from pipeline.render.context import (
    CATEGORIES,
    DASH,
    category_label,
    category_names,
    common,
    count,
    counted_invoices,
    day,
    euro,
    euro_or_dash,
    hire_label,
    hire_period,
    school_label,
    school_names,
    share,
    supplier,
    text,
)

FILE = "eindverantwoording.docx"
TEMPLATE = "eindverantwoording"
OPEN = ("fout", "waarschuwing")  # findings that still ask for action


def programme_bounds(data: RunData) -> tuple[date, date]:
    """First day of the programme's first school year (nponderwijs.nl: 2021-2022) and its end date (a setting)."""
    years = sorted(reference.npo_years())
    start = dutch.school_year_bounds(years[0])[0] if years else date(2021, 8, 1)
    return start, data.board.settings.programme_end


def last_school_year(data: RunData) -> str:
    """The programme's last school year: the one its end date falls in (2024-2025)."""
    return dutch.school_year_of(data.board.settings.programme_end)


def covers_end(data: RunData) -> bool:
    """The run looks back on the whole programme: its date lies after the end date, and the inputs reach the
    programme's last school year (an invoice, a hire running in it, or a ledger booking)."""
    end = data.board.settings.programme_end
    if data.today <= end:
        return False
    first_of_last = dutch.school_year_bounds(last_school_year(data))[0]
    latest = counted_invoices(data).get_column("factuurdatum").max()
    if isinstance(latest, date) and latest >= first_of_last:
        return True
    if data.ledger_df is not None and not data.ledger_df.is_empty() and data.ledger_df["datum"].max() >= first_of_last:
        return True
    return any((p := hire_period(h, data.today)) is not None and p[1] >= first_of_last for h in data.hires)


def closing_sentence(data: RunData, schooljaar: str) -> str:
    """For the MR report of the programme's last school year: where the closing account is (empty otherwise)."""
    if schooljaar != last_school_year(data) or not covers_end(data):
        return ""
    return (f" Het NPO-programma liep tot en met {dutch.format_date(data.board.settings.programme_end)}. De eindverantwoording "
            f"van het bestuur ({FILE}) zet per school de hele besteding op een rij; het hoofdstuk 'Voor de GMR' legt die in gewone taal uit.")


# --------------------------------------------------------------------------- the figures


@dataclass
class Programme:
    """Every figure of the closing account, exact (Decimal, int): the document and the register both show these."""

    start: date
    end: date
    brins: list[str | None]
    allocation: dict[str, dict[str, tuple[Decimal, str]]]  # BRIN -> school year -> (amount, DUO's or computed)
    basis: dict[str, str]  # BRIN -> DUO, berekend, or both
    spent: dict[str | None, Money]  # dated counted invoices (every calendar year's jaarverslag adds up to it)
    per_school_year: dict[tuple[str | None, str], Money]
    per_year: dict[tuple[str | None, int], Money]
    per_category: dict[tuple[str | None, str | None], Money]
    category_year: dict[tuple[str | None, int], Money]  # the board's spending per category and calendar year
    pnil: dict[str | None, Money]
    after_end: dict[str | None, Money]
    hires: Counter  # BRIN -> hires it pays for (a bovenschools hire counts at every paying school)
    open_findings: dict[str | None, Counter]  # BRIN (None: the board) -> severity -> count
    no_evaluation: list[Hire]
    undated: Money
    results: dict[str | None, list[int]]  # category -> [hires, agreed, achieved, partly]
    results_by_school: dict[str | None, dict[str | None, list[int]]]  # the same per paying school
    late_invoices: pl.DataFrame
    board: tuple[Money, Money, Money] = (Money(), Money(), Money())  # the board's spent, PNIL, after the end (each invoice once)
    board_by: dict[str, dict] = field(default_factory=dict)  # the board's spending per schooljaar, kalenderjaar, categorie
    ledger_all: dict[str | None, tuple[Decimal, Decimal, int]] | None = None  # BRIN -> (until the end, after it, lines after)
    late_bookings: pl.DataFrame | None = None
    years: list[int] = field(default_factory=list)
    school_years: list[str] = field(default_factory=list)

    def allocated(self, brin: str | None) -> Decimal:
        return sum((a for a, _ in self.allocation.get(brin, {}).values()), ZERO) if brin else ZERO

    @property
    def allocated_total(self) -> Decimal:
        return sum((self.allocated(b) for b in self.allocation), ZERO)


def _results(hires: list[Hire]) -> dict[str | None, list[int]]:
    """Per menukaart category: hires with an evaluation or a result marked, results agreed, achieved, partly achieved."""
    from pipeline.aggregate import category

    per: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for h in hires:
        done = [r.get("Behaald") for r in h.tables.get("tblResultaten", []) if r.get("Resultaat")]
        if not (isinstance(h.get("evaluatiedatum"), date) or h.get("evaluatie_samenvatting") or any(done)):
            continue
        counts = per[category(h.get("interventie"))]
        for i, n in enumerate((1, len(done), done.count("Ja"), done.count("Deels"))):
            counts[i] += n
    return dict(per)


def _findings(data: RunData) -> dict[str | None, Counter]:
    """Open findings (fout, waarschuwing) of the counted workbooks and the ledger files, per school they are about."""
    school_of = {h.file: h.get("brin") for h in data.hires}
    files = set(school_of) | {f.file for f in data.ledger_files}
    out: dict[str | None, Counter] = defaultdict(Counter)
    rows = data.findings_df.filter(pl.col("file").is_in(list(files)) & pl.col("severity").cast(pl.Utf8).is_in(list(OPEN)))
    for file, severity, about in rows.select("file", pl.col("severity").cast(pl.Utf8), "about").iter_rows():
        brin = about or school_of.get(file)
        out[brin if brin in data.board.schools or brin in school_of.values() else None][severity] += 1
    return dict(out)


def _ledger_all(data: RunData, end: date) -> tuple[dict[str | None, tuple[Decimal, Decimal, int]] | None, pl.DataFrame | None]:
    """Per cost centre's school: all NPO spending booked until the end date and after it; and every NPO line after it."""
    frames = [f for f in (data.ledger_df, data.ledger_all_npo_df) if f is not None]
    late = (pl.concat(frames).unique(["file", "regel"], keep="first").filter(pl.col("datum") > end).sort("datum", "file", "regel")
            if frames else None)
    if data.ledger_all_npo_df is None:
        return None, late
    lines = data.ledger_all_npo_df
    out: dict[str | None, tuple[Decimal, Decimal, int]] = {}
    for brin, until, after, n in (lines.group_by("brin").agg(
            pl.col("bedrag").filter(pl.col("datum") <= end).sum(), pl.col("bedrag").filter(pl.col("datum") > end).sum().alias("na"),
            (pl.col("datum") > end).sum().alias("n")).iter_rows()):
        out[brin] = (cents(until), cents(after), int(n))
    return out, late


def programme(data: RunData) -> Programme:
    start, end = programme_bounds(data)
    inv_all = counted_invoices(data)
    inv = inv_all.filter(pl.col("kalenderjaar").is_not_null())
    allocation: dict[str, dict[str, tuple[Decimal, str]]] = defaultdict(dict)
    for brin, sj, amount, basis in data.allocations_df.select("brin", "schooljaar", "toekenning", "grondslag").iter_rows():
        allocation[brin][sj] = (cents(amount), audit.DUO if basis == DUO_BASIS else audit.COMPUTED)
    hires: Counter = Counter()
    for h in data.hires:
        for b, _ in participants(h):
            hires[b] += 1
    ledger_all, late_bookings = _ledger_all(data, end)
    found = _findings(data)
    groups = [inv.get_column("brin").to_list(), list(allocation), list(hires), list(found)]
    if ledger_all:
        groups.append(list(ledger_all))
    brins = sorted({b for g in groups for b in g if b} | set(data.board.schools),
                   key=lambda b: (b == BOARD_COST_CENTRE, b))
    if inv.get_column("brin").null_count() or None in hires or (ledger_all and None in ledger_all):
        brins.append(None)
    return Programme(
        start=start, end=end, brins=brins, allocation=dict(allocation),
        # a school year without new money (2023-2024 on) computes to € 0: it does not make a DUO school 'partly computed'
        basis=audit.allocation_sources(data.allocations_df.filter((pl.col("toekenning") != 0) | (pl.col("grondslag") == DUO_BASIS))),
        spent=money_by(inv, "brin"), per_school_year=money_by(inv, "brin", "schooljaar"),
        per_year=money_by(inv, "brin", "kalenderjaar"), per_category=money_by(inv, "brin", "categorie"),
        category_year=money_by(inv, "categorie", "kalenderjaar"),
        pnil=money_by(inv.filter(pl.col("pnil") == "Ja"), "brin"),
        after_end=money_by(inv.filter(pl.col("factuurdatum") > end), "brin"),
        hires=hires, open_findings=found,
        no_evaluation=sorted((h for h in data.hires if not isinstance(h.get("evaluatiedatum"), date)), key=lambda h: (hire_label(h), h.file)),
        undated=money(inv_all.filter(pl.col("kalenderjaar").is_null())),
        results=_results(data.hires),
        results_by_school={b: _results([h for h in data.hires if b in {x for x, _ in participants(h)}]) for b in hires},
        late_invoices=inv.filter(pl.col("factuurdatum") > end).sort("factuurdatum", "file", "cell", "brin"),
        board=(money(inv), money(inv.filter(pl.col("pnil") == "Ja")), money(inv.filter(pl.col("factuurdatum") > end))),
        board_by={k: money_by(inv, k) for k in ("schooljaar", "kalenderjaar", "categorie")},
        ledger_all=ledger_all, late_bookings=late_bookings,
        years=sorted({int(y) for y in inv.get_column("kalenderjaar").unique().to_list()}),
        school_years=sorted(set(inv.get_column("schooljaar").drop_nulls().unique().to_list())),
    )


# --------------------------------------------------------------------------- the document


def _label(names: dict[str, str], brin: str | None) -> str:
    if brin == BOARD_COST_CENTRE:
        return "Bovenschools (bestuursbureau)"
    return school_label(names, brin) if brin else "School onbekend"


def _ledger_context(p: Programme, names: dict[str, str], data: RunData) -> dict[str, Any]:
    end = dutch.format_date(p.end)
    late = p.late_bookings if p.late_bookings is not None else pl.DataFrame()
    late_rows = [{"bestand": text(r["file"]), "regel": str(r["regel"]), "datum": day(r["datum"]), "school": _label(names, r["brin"]),
                  "omschrijving": text(" ".join(x for x in (r["crediteur_naam"], r["omschrijving"]) if x)) or DASH,
                  "bedrag": euro(cents(r["bedrag"]))} for r in late.iter_rows(named=True)]
    late_total = cents(late["bedrag"].sum()) if not late.is_empty() else ZERO
    out: dict[str, Any] = {"boekingen_na_einde": late_rows, "boekingen_na_einde_totaal": euro(late_total),
                           "boekingen_na_einde_aantal": count(len(late_rows), "boeking", "boekingen"), "alle_npo": [],
                           "alle_npo_totaal": {}, "alle_npo_tekst": ""}
    if data.ledger_df is None and data.ledger_all_npo_df is None:
        out["alle_npo_tekst"] = ("Er is geen grootboek ingelezen (map grootboek in de invoermap). Hoeveel NPO-geld in totaal is "
                                 "uitgegeven, ook aan eigen personeel, en wat er op de einddatum over was, kan daarom niet worden vastgesteld.")
        return out
    if p.ledger_all is None:
        out["alle_npo_tekst"] = ("Het grootboek is ingelezen, maar in bestuur.xlsx (tabblad Grootboek) is geen grootboekrekening of project "
                                 "aangewezen met alle NPO-uitgaven, ook die aan eigen personeel. Zet in de tabel met NPO-uitgaven in de "
                                 "kolom Soort 'alle NPO-uitgaven' bij de rekeningen of het project waarop het bestuur al het NPO-geld boekt; "
                                 "dan toont dit hoofdstuk per school wat er op de einddatum nog niet was besteed.")
        return out
    rows, sums = [], [ZERO, ZERO, ZERO, ZERO]
    for b in p.brins:
        until, after, _ = p.ledger_all.get(b, (ZERO, ZERO, 0))
        alloc = p.allocated(b)
        if not (alloc or until or after):
            continue
        left = alloc - until
        for i, v in enumerate((alloc, until, left, after)):
            sums[i] += v
        rows.append({"school": _label(names, b), "toekenning": euro(alloc) if b and b != BOARD_COST_CENTRE else DASH,
                     "besteed": euro(until), "niet_besteed": euro(left) if b and b != BOARD_COST_CENTRE else DASH, "na_einde": euro(after)})
    out["alle_npo"] = rows
    out["alle_npo_totaal"] = {"toekenning": euro(sums[0]), "besteed": euro(sums[1]), "niet_besteed": euro(sums[2]), "na_einde": euro(sums[3])}
    out["alle_npo_tekst"] = (f"Volgens het grootboek is tot en met {end} in totaal {euro(sums[1])} aan NPO-middelen besteed, eigen "
                             f"personeel en externe inhuur samen, tegenover {euro(sums[0])} aan toekenningen. Op {end} was daarmee "
                             f"{euro(sums[2])} niet besteed. Na {end} is nog {euro(sums[3])} als NPO-uitgave geboekt. De bedragen zijn "
                             "zoals geboekt (het grootboek van het bestuur); uitgaven op de kostenplaats van het bestuursbureau "
                             "staan apart en tellen alleen in het totaal van het bestuur.")
    return out


def _chart_specs(p: Programme, names: dict[str, str]) -> dict[str, dict]:
    """Allocation against spending per school; spending per menukaart category in each calendar year."""
    schools = [b for b in p.brins if b and b != BOARD_COST_CENTRE and (p.allocated(b) or p.spent.get(b, Money()).incl)]
    out: dict[str, dict] = {}
    if schools:
        series = [{"naam": "NPO-toekenning", "waarden": [str(p.allocated(b)) for b in schools]},
                  {"naam": "Extern besteed (incl. btw)", "waarden": [str(p.spent.get(b, Money()).incl) for b in schools]}]
        if p.ledger_all is not None:
            series.append({"naam": f"Alle NPO-uitgaven t/m {dutch.format_date(p.end)} (grootboek)",
                           "waarden": [str(p.ledger_all.get(b, (ZERO, ZERO, 0))[0]) for b in schools]})
        out["chart_schools"] = {"titel": "Toekenning en besteding per school over het hele programma",
                                "labels": [_label(names, b) for b in schools], "reeksen": series, "gestapeld": False}
    series = []
    for c in [*CATEGORIES, None]:
        values = [p.category_year.get((c, y), Money()).incl for y in p.years]
        if any(values):
            series.append({"naam": category_label(c) if c else "Geen categorie", "waarden": [str(v) for v in values]})
    if series:
        out["chart_categories"] = {"titel": "Externe besteding per menukaartcategorie per kalenderjaar (incl. btw)",
                                   "labels": [str(y) for y in p.years], "reeksen": series, "gestapeld": True}
    return out


def _money_row(m: Money) -> dict[str, str]:
    return {"excl": euro(m.excl), "incl": euro(m.incl), "facturen": dutch.format_number(m.n)}


def _per_period(p: Programme, names: dict[str, str], table: dict, periods: list) -> list[dict]:
    """Per school its spending in each period (school year or calendar year), then the school's total."""
    rows = []
    for b in p.brins:
        total = p.spent.get(b)
        if total is None:
            continue
        for period in periods:
            m = table.get((b, period))
            if m is not None:
                rows.append({"school": _label(names, b), "periode": str(period), **_money_row(m), "totaal": False})
        rows.append({"school": _label(names, b), "periode": "Totaal programma", **_money_row(total), "totaal": True})
    return rows


def _gmr(p: Programme, data: RunData, spent: Money, pnil: Money, late: Money) -> list[dict[str, str]]:
    """The section for the GMR: what came in, what it went to, what is left and what is still open, in plain words."""
    board = text(data.board.name) or "het bestuur"
    start, end = dutch.format_date(p.start), dutch.format_date(p.end)
    schools = [b for b in p.brins if b and b != BOARD_COST_CENTRE]
    by_cat = defaultdict(lambda: ZERO)
    for (_, c), m in p.per_category.items():
        by_cat[c] += m.incl
    top = max((c for c in CATEGORIES if by_cat[c] > 0), key=lambda c: by_cat[c], default=None)
    spent_text = (f"Daarvan ging {euro(spent.incl)} ({share(spent.incl, p.allocated_total)}) naar externe partijen, zoals bijlesbureaus, "
                  f"adviseurs en mensen die in de klas meehielpen: {count(sum(1 for _ in data.hires), 'inhuur', 'inhuren')}. ")
    if top:
        spent_text += f"Het meeste daarvan ging naar {category_label(top)} ({euro(by_cat[top])}). "
    if pnil.incl:
        spent_text += (f"{euro(pnil.incl)} betrof mensen die gewoon schoolwerk deden zonder bij het bestuur in dienst te zijn "
                       "(personeel niet in loondienst, PNIL). ")
    out = [{"kop": "Wat kregen de scholen?",
            "tekst": f"Het Nationaal Programma Onderwijs (NPO) liep van {start} tot en met {end}. In die tijd kregen de "
                     f"{count(len(schools), 'school', 'scholen')} van {board} samen {euro(p.allocated_total)} aan NPO-geld "
                     "om achterstanden door corona in te halen."},
           {"kop": "Waaraan is het uitgegeven?", "tekst": spent_text.strip()}]
    if p.ledger_all is not None:
        until = sum((v[0] for v in p.ledger_all.values()), ZERO)
        out.append({"kop": "Wat is er over?",
                    "tekst": f"Volgens de boekhouding is tot en met {end} in totaal {euro(until)} aan NPO-geld uitgegeven, ook aan "
                             f"eigen personeel. Er was op {end} dus {euro(p.allocated_total - until)} nog niet uitgegeven."})
    else:
        out.append({"kop": "Wat is er over?",
                    "tekst": "Hoeveel NPO-geld in totaal is uitgegeven, ook aan eigen personeel, staat niet in dit overzicht: het "
                             "bestuur heeft in de boekhouding alleen de externe inhuur aangewezen. Vraag het bestuur naar dat bedrag."})
    open_f = sum(c["fout"] for c in p.open_findings.values())
    open_w = sum(c["waarschuwing"] for c in p.open_findings.values())
    still = (f"Bij de inhuur staan nog {count(open_f, 'fout', 'fouten')} en {count(open_w, 'waarschuwing', 'waarschuwingen')} open, en bij "
             f"{count(len(p.no_evaluation), 'inhuur', 'inhuren')} is de evaluatie niet vastgelegd.")
    if late.n:
        still += (f" Na {end} is nog {euro(late.incl)} aan externe partijen gefactureerd; het bestuur moet uitleggen waaruit dat "
                  "betaald wordt.")
    out.append({"kop": "Wat moet nog gebeuren?", "tekst": still + " De GMR kan het bestuur vragen hoe en wanneer deze punten worden afgehandeld."})
    return out


def context(data: RunData, p: Programme | None = None) -> dict[str, Any]:
    """Everything the closing account shows, as Dutch strings and lists of dicts."""
    p = p or programme(data)
    names = school_names(data)
    end = dutch.format_date(p.end)
    spent, pnil, late = p.board
    alloc_total = p.allocated_total
    scholen, open_rows = [], []
    for b in p.brins:
        m, a = p.spent.get(b, Money()), p.allocated(b)
        found = p.open_findings.get(b, Counter())
        school_hires = [h for h in p.no_evaluation if b in {x for x, _ in participants(h)}]
        if b == BOARD_COST_CENTRE and not m.n:
            continue
        scholen.append({"school": _label(names, b), "toekenning": euro(a) if a else DASH, "herkomst": p.basis.get(b, DASH) if b else DASH,
                        "extern": euro(m.incl), "aandeel_extern": share(m.incl, a or None), "pnil": euro(p.pnil.get(b, Money()).incl),
                        "aandeel_pnil": share(p.pnil.get(b, Money()).incl, a or None)})
        open_rows.append({"school": _label(names, b), "inhuren": dutch.format_number(p.hires.get(b, 0)),
                          "fouten": dutch.format_number(found["fout"]), "waarschuwingen": dutch.format_number(found["waarschuwing"]),
                          "zonder_evaluatie": dutch.format_number(len(school_hires)),
                          "na_einde": euro_or_dash(p.after_end.get(b, Money()).incl)})
    if None in p.open_findings and None not in p.brins:
        found = p.open_findings[None]
        open_rows.append({"school": "Bestuur (niet bij één school)", "inhuren": DASH, "fouten": dutch.format_number(found["fout"]),
                          "waarschuwingen": dutch.format_number(found["waarschuwing"]), "zonder_evaluatie": DASH, "na_einde": DASH})
    allocations = [{"school": _label(names, b), "schooljaar": sj, "toekenning": euro(a), "herkomst": kind}
                   for b in sorted(p.allocation) for sj, (a, kind) in sorted(p.allocation[b].items()) if a or kind == audit.DUO]
    duo = sum((a for b in p.allocation for a, k in p.allocation[b].values() if k == audit.DUO), ZERO)
    herkomst = (f"Van de toekenningen ({euro(alloc_total)}) is {euro(duo)} het bedrag van DUO (Overzicht financiële beschikkingen, "
                f"bestuur.xlsx tabblad Leerlingen) en {euro(alloc_total - duo)} berekend uit de leerlingaantallen met de bedragen per "
                "leerling van nponderwijs.nl. De kolom Herkomst zegt per toekenning welke van de twee het is.")
    cat_board = {c: p.board_by["categorie"].get(c, Money()) for c in [*CATEGORIES, None]}
    hires_cat: Counter = Counter()
    from pipeline.aggregate import category

    for h in data.hires:
        hires_cat[category(h.get("interventie"))] += 1
    categories = [{"categorie": category_label(c), "inhuren": dutch.format_number(hires_cat.get(c, 0)), "excl": euro(cat_board[c].excl),
                   "incl": euro(cat_board[c].incl), "aandeel": share(cat_board[c].incl, spent.incl or None)}
                  for c in [*CATEGORIES, None] if c is not None or cat_board[c].n or hires_cat.get(None)]
    matrix = [{"school": _label(names, b), **{c: euro_or_dash(p.per_category.get((b, c), Money()).incl) for c in CATEGORIES},
               "geen": euro_or_dash(p.per_category.get((b, None), Money()).incl), "totaal": euro(p.spent[b].incl)}
              for b in p.brins if b in p.spent]
    keys = ("inhuren", "afgesproken", "behaald", "deels")
    results = [{"categorie": category_label(c), **{k: dutch.format_number(v) for k, v in zip(keys, p.results[c])}}
               for c in [*CATEGORIES, None] if c in p.results]
    results_total = {k: dutch.format_number(sum(v[i] for v in p.results.values())) for i, k in enumerate(keys)}
    no_eval = [{"inhuur": hire_label(h), "school": _label(names, h.get("brin")), "leverancier": supplier(h),
                "einde": day(h.get("einddatum"), "geen einddatum")} for h in p.no_evaluation]
    late_rows = [{"inhuur": r["hire_id"] or text(r["file"]), "nummer": text(r["factuurnummer"]) or "zonder nummer",
                  "datum": day(r["factuurdatum"]), "school": _label(names, r["brin"]), "excl": euro(cents(r["bedrag"])),
                  "incl": euro(cents(r["totaal"]))} for r in p.late_invoices.iter_rows(named=True)]
    ledger = _ledger_context(p, names, data)
    late_ledger = ledger["boekingen_na_einde"]
    na_einde = (f"Na {end} {'is' if late.n == 1 else 'zijn'} {count(late.n, 'factuur', 'facturen')} uit de werkboeken gedateerd, samen "
                f"{euro(late.incl)} inclusief btw ({euro(late.excl)} exclusief btw); elk is een bevinding P9 bij het werkboek."
                if late.n else f"Geen factuur in de werkboeken is gedateerd na {end}.")
    if late_ledger:
        na_einde += (f" In het grootboek {'staat' if len(late_ledger) == 1 else 'staan'} {ledger['boekingen_na_einde_aantal']} als "
                     f"NPO-uitgave na {end}, samen {ledger['boekingen_na_einde_totaal']} (zoals geboekt); elk is een bevinding P9 bij het grootboekbestand.")
    undated = (f" {count(p.undated.n, 'factuur heeft', 'facturen hebben')} geen leesbare factuurdatum ({euro(p.undated.incl)} incl. btw) en "
               f"{'telt' if p.undated.n == 1 else 'tellen'} in geen enkel jaar mee, dus ook hier niet." if p.undated.n else "")
    open_f = sum(c["fout"] for c in p.open_findings.values())
    open_w = sum(c["waarschuwing"] for c in p.open_findings.values())
    years = ", ".join(str(y) for y in p.years)
    summary = (f"Van {dutch.format_date(p.start)} tot en met {end} kregen de scholen van {text(data.board.name) or 'het bestuur'} "
               f"{euro(alloc_total)} aan NPO-middelen. Aan externe partijen is daarvan {euro(spent.incl)} inclusief btw besteed "
               f"({share(spent.incl, alloc_total or None)} van de toekenning), in {count(spent.n, 'factuur', 'facturen')} bij "
               f"{count(len(data.hires), 'inhuur', 'inhuren')}; daarvan {euro(pnil.incl)} aan personeel niet in loondienst (PNIL). "
               f"Open staan nog {count(open_f, 'fout', 'fouten')} en {count(open_w, 'waarschuwing', 'waarschuwingen')}, en bij "
               f"{count(len(p.no_evaluation), 'inhuur', 'inhuren')} ontbreekt de evaluatie (stap 5).")
    return {
        **common(data),
        "titel": f"NPO {p.start.year}–{p.end.year}",
        "programma": f"{dutch.format_date(p.start)} tot en met {end}",
        "einde": end,
        "laatste_schooljaar": last_school_year(data),
        "samenvatting": summary,
        "jaren_tekst": (f"De besteding per kalenderjaar ({years}) is gelijk aan de totalen van de jaarverslagen over die jaren: "
                        "facturen op factuurdatum, inclusief btw." + undated) if years else "Er zijn geen gedateerde facturen.",
        "gmr": _gmr(p, data, spent, pnil, late),
        "scholen": scholen,
        "scholen_totaal": {"toekenning": euro(alloc_total), "extern": euro(spent.incl), "aandeel_extern": share(spent.incl, alloc_total or None),
                           "pnil": euro(pnil.incl), "aandeel_pnil": share(pnil.incl, alloc_total or None)},
        "open": open_rows,
        "open_totaal": {"inhuren": dutch.format_number(len(data.hires)), "fouten": dutch.format_number(open_f),
                        "waarschuwingen": dutch.format_number(open_w), "zonder_evaluatie": dutch.format_number(len(p.no_evaluation)),
                        "na_einde": euro(late.incl)},
        "toekenningen": allocations,
        "toekenning_totaal": euro(alloc_total),
        "herkomst_tekst": herkomst,
        "per_schooljaar": _per_period(p, names, p.per_school_year, p.school_years),
        "per_kalenderjaar": _per_period(p, names, p.per_year, p.years),
        "besteding_totaal": _money_row(spent),
        "categorie_scholen": matrix,
        "categorie_totaal": {**{c: euro_or_dash(cat_board[c].incl) for c in CATEGORIES}, "geen": euro_or_dash(cat_board[None].incl),
                             "totaal": euro(spent.incl)},
        "categorieen": categories,
        "categorie_legenda": "; ".join(f"{c} = {category_names().get(c, '')}" for c in CATEGORIES),
        "resultaten": results,
        "resultaten_totaal": results_total,
        "zonder_evaluatie": no_eval,
        "facturen_na_einde": late_rows,
        "facturen_na_einde_totaal": {"excl": euro(late.excl), "incl": euro(late.incl)},
        "na_einde_tekst": na_einde,
        **ledger,
        "grafieken": _chart_specs(p, names),
    }


# --------------------------------------------------------------------------- the register's sheet Programma

FRAME_SCHEMA = {"brin": pl.Utf8, "school": pl.Utf8, "onderdeel": pl.Utf8, "periode": pl.Utf8, "excl_btw": MONEY, "incl_btw": MONEY,
                "bedrag_programma": MONEY, "aantal": pl.Int64, "aandeel_toekenning": pl.Float64, "grondslag": pl.Utf8}
REGISTER_HEADERS = {"bedrag_programma": "Bedrag (toekenning; grootboek zoals geboekt)", "onderdeel": "Onderdeel", "periode": "Periode of categorie", "aantal": "Aantal",
                    "aandeel_toekenning": "Aandeel van de toekenning", "grondslag": "Grondslag"}
REGISTER_PERCENT = {"aandeel_toekenning"}
REGISTER_MONEY = {"bedrag_programma"}
BOARD = "Totaal bestuur"
_ALL = object()  # the board's rows in frame(): every school together


def frame(data: RunData, p: Programme | None = None) -> pl.DataFrame:
    """Every figure of the closing account as one long table: per school (and the board) what, over which period."""
    p = p or programme(data)
    names = {b: s.name for b, s in data.board.schools.items()}
    rows: list[dict] = []

    def add(brin, what, period=None, m: Money | None = None, amount=None, n=None, of=None, basis=None):
        school = BOARD if brin is _ALL else ("Bovenschools (bestuursbureau)" if brin == BOARD_COST_CENTRE else names.get(brin))
        rows.append({"brin": None if brin is _ALL else brin, "school": school, "onderdeel": what,
                     "periode": None if period is None else str(period), "excl_btw": m.excl if m else None,
                     "incl_btw": m.incl if m else None, "bedrag_programma": amount, "aantal": m.n if m and n is None else n,
                     "aandeel_toekenning": float(m.incl / of) if m and of else None, "grondslag": basis})

    def block(brin, allocation: dict[str, tuple[Decimal, str]], spent: Money, pnil: Money, after: Money, per_sy, per_y, per_c,
              hires: int, found: Counter, no_eval: int, basis: str | None):
        total = sum((a for a, _ in allocation.values()), ZERO)
        for sj, (a, kind) in sorted(allocation.items()):
            add(brin, "toekenning", sj, amount=a, basis=kind)
        add(brin, "toekenning totaal", amount=total, basis=basis)
        for sj, m in sorted(per_sy.items()):
            add(brin, "extern per schooljaar", sj, m)
        for y, m in sorted(per_y.items()):
            add(brin, "extern per kalenderjaar", y, m)
        for c, m in sorted(per_c.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
            add(brin, "extern per categorie", c or "geen categorie", m)
        add(brin, "extern totaal", m=spent, of=total)
        add(brin, "pnil", m=pnil, of=total)
        add(brin, "extern na einddatum", m=after)
        add(brin, "inhuren", n=hires)
        add(brin, "open fouten", n=found["fout"])
        add(brin, "open waarschuwingen", n=found["waarschuwing"])
        add(brin, "zonder evaluatie", n=no_eval)
        if p.ledger_all is not None:
            until, later, lines = p.ledger_all.get(brin, (ZERO, ZERO, 0)) if brin is not _ALL else (
                sum((v[0] for v in p.ledger_all.values()), ZERO), sum((v[1] for v in p.ledger_all.values()), ZERO),
                sum(v[2] for v in p.ledger_all.values()))
            add(brin, "alle NPO-uitgaven tot en met einddatum (grootboek)", amount=until)
            if brin != BOARD_COST_CENTRE:
                add(brin, "niet besteed op einddatum", amount=total - until)
            add(brin, "NPO-uitgaven na einddatum (grootboek)", amount=later, n=lines)

    for b in p.brins:
        block(b, p.allocation.get(b, {}) if b else {}, p.spent.get(b, Money()), p.pnil.get(b, Money()), p.after_end.get(b, Money()),
              {sj: m for (bb, sj), m in p.per_school_year.items() if bb == b}, {y: m for (bb, y), m in p.per_year.items() if bb == b},
              {c: m for (bb, c), m in p.per_category.items() if bb == b}, p.hires.get(b, 0), p.open_findings.get(b, Counter()),
              sum(1 for h in p.no_evaluation if b in {x for x, _ in participants(h)}), p.basis.get(b) if b else None)
    board_alloc: dict[str, tuple[Decimal, str]] = {}
    for per in p.allocation.values():
        for sj, (a, kind) in per.items():
            old = board_alloc.get(sj)
            board_alloc[sj] = (a + (old[0] if old else ZERO), kind if old is None or old[1] == kind else audit.PARTLY)

    every = Counter()
    for c in p.open_findings.values():
        every.update(c)
    kinds = set(p.basis.values())
    block(_ALL, board_alloc, *p.board,
          p.board_by["schooljaar"], p.board_by["kalenderjaar"], p.board_by["categorie"], len(data.hires), every,
          len(p.no_evaluation), kinds.pop() if len(kinds) == 1 else audit.PARTLY if kinds else None)
    for brin, results in [*((b, p.results_by_school.get(b, {})) for b in p.brins), (_ALL, p.results)]:
        for c, counts in sorted(results.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
            for what, n in zip(("resultaten: inhuren met evaluatie", "resultaten afgesproken", "resultaten behaald", "resultaten deels behaald"), counts):
                add(brin, what, c or "geen categorie", n=n)
    return pl.DataFrame(rows, schema=FRAME_SCHEMA)


def register_sheets(data: RunData) -> dict[str, pl.DataFrame]:
    """The register's sheet Programma, when the run makes the closing account."""
    return {"Programma": frame(data)} if covers_end(data) else {}

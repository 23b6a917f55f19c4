"""The auditor's figures: invoices traced to their cells, the bridge to the ledger, rechtmatigheid, the MUS sample."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

import polars as pl

from pipeline import aggregate, reference
from pipeline.aggregate import ZERO, cents
from pipeline.model import Hire, RunData
from pipeline.read.board import DUO_BASIS
from pipeline.rules.derive import threshold

# --------------------------------------------------------------------------- allocations: DUO's or computed

DUO, COMPUTED, PARTLY = "DUO", "berekend", "deels DUO, deels berekend"


def allocation_sources(alloc: pl.DataFrame, school_years: list[str] | None = None) -> dict[str, str]:
    """Per school: whether its allocations (of the given school years, else all) are DUO's amounts or computed."""
    rows = alloc if school_years is None else alloc.filter(pl.col("schooljaar").is_in(school_years))
    kinds: dict[str, set[str]] = {}
    for brin, basis in rows.select("brin", "grondslag").iter_rows():
        kinds.setdefault(brin, set()).add(DUO if basis == DUO_BASIS else COMPUTED)
    return {b: (k.pop() if len(k) == 1 else PARTLY) for b, k in sorted(kinds.items())}


def all_computed(alloc: pl.DataFrame) -> bool:
    """True when the board has allocations and not one of them is DUO's (the terminal warns once)."""
    return not alloc.is_empty() and alloc.filter(pl.col("grondslag") == DUO_BASIS).is_empty()


# --------------------------------------------------------------------------- invoices


def counted_whole(data: RunData) -> pl.DataFrame:
    """Counted invoices, one row per invoice as the supplier sent it (a bovenschools invoice summed back)."""
    return aggregate.whole_invoices(data.invoices_df.filter(pl.col("geteld")))


def invoice_trace(data: RunData, year: int) -> pl.DataFrame:
    """Bijlage A at invoice level: every counted invoice dated in `year`, one row per paying school (its share),
    with the workbook's file, sheet, cell and SHA-256. The column totaal adds up to the jaarverslag's total."""
    digests = pl.DataFrame({"file": [f.file for f in data.files], "sha256": [f.sha256 for f in data.files]},
                           schema={"file": pl.Utf8, "sha256": pl.Utf8}).unique("file", keep="first")
    inv = data.invoices_df.filter(pl.col("geteld") & (pl.col("kalenderjaar") == year))
    return (inv.join(digests, on="file", how="left")
            .select("factuurnummer", "factuurdatum", "bedrag", "btw", "totaal", "brin", "aandeel", "niveau", "brin_werkboek",
                    "hire_id", "leverancier_naam", "file", "sheet", "cell", "sha256", "factuur_id")
            .sort("factuurdatum", "file", "sheet", "cell", "brin", nulls_last=True))


# --------------------------------------------------------------------------- the bridge (brug)

TIMING_OUT, TIMING_IN, L2, OUTSIDE, DOUBLE, L1, L3, VAT, EXTRA, UNEXPLAINED = (
    "later_geboekt", "eerder_gefactureerd", "L2", "buiten_aansluiting", "dubbel", "L1", "L3", "btw_grootboek",
    "extra_boeking", "onverklaard")
STEPS = (TIMING_OUT, TIMING_IN, L2, OUTSIDE, DOUBLE, L1, L3, VAT, EXTRA, UNEXPLAINED)


def step_label(step: str, year: int) -> str:
    return {
        TIMING_OUT: f"Af: gefactureerd in {year}, (deels) geboekt in een ander jaar",
        TIMING_IN: f"Bij: gefactureerd in een ander jaar of zonder factuurdatum, geboekt in {year}",
        L2: "Af: niet als NPO-uitgave geboekt (regel L2)",
        OUTSIDE: "Af: niet in de aansluiting (geen factuurnummer of bedrag, of buiten de periode van het grootboek)",
        DOUBLE: "Af: dezelfde factuur in een tweede werkboek (dubbel verantwoord)",
        L1: "Bij: NPO-uitgave in het grootboek zonder werkboek (regel L1)",
        L3: "Bij of af: bedrag in het grootboek wijkt af van het werkboek (regel L3)",
        VAT: "Bij: btw, want het grootboek boekt deze facturen inclusief btw",
        EXTRA: "Bij: nog een boeking bij een factuur die al is gekoppeld",
        UNEXPLAINED: "Verschil zonder verklaring",
    }[step]


@dataclass(frozen=True)
class BridgeItem:
    """One invoice on a line of the bridge, with where it is on both sides."""

    amount: Decimal
    factuurnummer: str
    leverancier: str
    hire_id: str
    werkboek: str  # file!sheet!cell, or ""
    grootboek: str  # ledger file and line numbers, or ""
    datum: date | None
    datum_grootboek: date | None


@dataclass
class BridgeLine:
    step: str
    label: str
    items: list[BridgeItem] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((i.amount for i in self.items), ZERO)


@dataclass
class Bridge:
    """From the jaarverslag's total of `year` (invoice date, incl. BTW) to the ledger's NPO selection (booking date)."""

    year: int
    incl: Decimal
    btw: Decimal
    excl: Decimal
    ledger: bool  # False: no ledger was read; the bridge stops at the jaarverslag's total excl. BTW
    lines: list[BridgeLine] = field(default_factory=list)
    ledger_total: Decimal = ZERO  # the ledger's NPO lines with a booking date in `year`, summed line by line
    ledger_files: list[str] = field(default_factory=list)

    @property
    def end(self) -> Decimal:
        return self.excl + sum((line.amount for line in self.lines), ZERO)


def split_list(text: str | None) -> list[str]:
    """'a, b' -> ['a', 'b'] (the reconciliation's lists of ledger files and line numbers)."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _ledger_lines_in(data: RunData, year: int) -> dict[tuple[str, int], Decimal]:
    lines = data.ledger_df.filter(pl.col("datum").dt.year() == year).select("file", "regel", "bedrag")
    out: dict[tuple[str, int], Decimal] = {}
    for f, r, b in lines.iter_rows():
        out[(f, int(r))] = out.get((f, int(r)), ZERO) + cents(b)
    return out


def bridge(data: RunData, year: int) -> Bridge:
    """The bridge of one calendar year. Every euro between its two ends is on a line with its invoices."""
    whole = counted_whole(data)
    mine = whole.filter(pl.col("kalenderjaar") == year)
    incl, btw, excl = (cents(mine.get_column(c).sum()) for c in ("totaal", "btw", "bedrag"))
    files = [f.file for f in data.ledger_files if f.status == "gelezen"]
    out = Bridge(year, incl, btw, excl, data.reconciliation_df is not None and data.ledger_df is not None, ledger_files=files)
    if not out.ledger:
        return out
    in_year = _ledger_lines_in(data, year)
    out.ledger_total = sum(in_year.values(), ZERO)
    wb = {r["factuur_id"]: r for r in whole.iter_rows(named=True)}
    year_ids = set(mine.get_column("factuur_id").to_list())
    lines = {s: BridgeLine(s, step_label(s, year)) for s in STEPS}
    seen_ledger: set[tuple[str, str]] = set()
    seen_wb: set[str] = set()
    rec = data.reconciliation_df
    for r in rec.iter_rows(named=True):
        fid = f"{r['file']}!{r['sheet']}!{r['cell']}" if r.get("file") else None
        w = wb.get(fid) if fid else None
        gb_key = (r.get("grootboek_bestand") or "", r.get("grootboek_regels") or "")
        has_gb = r.get("bedrag_grootboek") is not None and gb_key not in seen_ledger
        gb_total = cents(r["bedrag_grootboek"]) if has_gb else ZERO
        gb_year = ZERO
        if has_gb:
            seen_ledger.add(gb_key)
            names = list(dict.fromkeys(split_list(gb_key[0])))  # a file named once per line counts once
            for n in split_list(gb_key[1]):
                gb_year += sum((in_year.get((f, int(n)), ZERO) for f in names), ZERO)
        own = w is not None and fid in year_ids and fid not in seen_wb
        if w is not None:
            seen_wb.add(fid)

        def item(amount: Decimal) -> BridgeItem:
            src = w or {}
            return BridgeItem(amount, r.get("factuurnummer") or "", r.get("leverancier") or r.get("kvk") or "",
                              r.get("hire_id") or "", fid.replace("!", " · ") if fid else "",
                              f"{gb_key[0]}, regel {gb_key[1]}" if r.get("bedrag_grootboek") is not None else "",
                              src.get("factuurdatum") or r.get("datum"), r.get("datum_grootboek"))

        if own and not has_gb:
            step = DOUBLE if r.get("bedrag_grootboek") is not None else L2
            lines[step].items.append(item(-cents(w["bedrag"])))
        elif own:
            diff = gb_total - cents(w["bedrag"])
            if diff:
                lines[VAT if diff == cents(w["btw"]) and diff != ZERO else L3].items.append(item(diff))
            if gb_total != gb_year:
                lines[TIMING_OUT].items.append(item(gb_year - gb_total))
        elif has_gb and gb_year:
            if w is None:
                lines[L1].items.append(item(gb_year))
            elif fid in year_ids:  # the invoice's workbook side is already on an earlier row
                lines[EXTRA].items.append(item(gb_year))
            else:
                lines[TIMING_IN].items.append(item(gb_year))
    for fid in sorted(year_ids - seen_wb):
        w = wb[fid]
        lines[OUTSIDE].items.append(BridgeItem(-cents(w["bedrag"]), w["factuurnummer"] or "", w["leverancier_naam"] or "",
                                               w["hire_id"] or "", fid.replace("!", " · "), "", w["factuurdatum"], None))
    rest = out.ledger_total - (excl + sum((line.amount for line in lines.values()), ZERO))
    if rest:
        lines[UNEXPLAINED].items.append(BridgeItem(rest, "", "", "", "", "", None, None))
    out.lines = [lines[s] for s in STEPS if lines[s].items]
    return out


# --------------------------------------------------------------------------- rechtmatigheid

FOUT, ONZEKER = "fout", "onzekerheid"


def uncertain_reasons(h: Hire, social_services: bool) -> list[str]:
    """Why the procedure of a hire cannot be judged from its workbook (empty: it can)."""
    out = []
    if threshold(h, social_services) is None:
        out.append("begin van de inkoop onbekend (geen offertedatum, contractdatum of startdatum): drempel niet te bepalen")
    if h.get("contractwaarde") is None and h.get("maandbedrag") is None:
        out.append("contractwaarde niet ingevuld: opdrachtwaarde niet te bepalen")
    if not h.get("procedure"):
        out.append("procedure niet ingevuld")
    if not h.get("leverancier_kvk"):
        out.append("KvK-nummer van de partij ontbreekt: samentellen per partij (A2) niet mogelijk")
    return out


@dataclass(frozen=True)
class Lawfulness:
    """Per hire with spending in the year: fout (A1/A2) or onzekerheid, its amount incl. BTW and its invoices."""

    year: int
    spending: Decimal  # the year's NPO spending incl. BTW (the jaarverslag's total)
    rows: pl.DataFrame  # soort, hire_id, file, regels, reden, bedrag (incl. BTW in the year), facturen
    national: pl.DataFrame  # A3 findings of the year's hires (management letter)

    def total(self, kind: str) -> Decimal:
        return cents(self.rows.filter(pl.col("soort") == kind).get_column("bedrag").sum())


LAW_SCHEMA = {"soort": pl.Utf8, "hire_id": pl.Utf8, "file": pl.Utf8, "regels": pl.Utf8, "reden": pl.Utf8,
              "bedrag": aggregate.MONEY, "facturen": pl.Utf8}


def lawfulness(data: RunData, year: int, year_files: list[str] | None = None) -> Lawfulness:
    """Fouten: spending under A1/A2 (fout); onzekerheden: spending of the other hires whose procedure cannot be
    judged. A hire counts with the invoices dated in `year`, whole (a bovenschools invoice with every school's share)."""
    inv = counted_whole(data).filter(pl.col("kalenderjaar") == year)
    spending = cents(inv.get_column("totaal").sum())
    found = data.findings_df.filter(pl.col("rule").is_in(["A1", "A2"]) & (pl.col("severity").cast(pl.Utf8) == FOUT))
    wrong: dict[str, set[str]] = {}
    for rule, file in found.select("rule", "file").iter_rows():
        wrong.setdefault(file, set()).add(rule)
    per_file = {f: (cents(t), nrs) for f, t, nrs in inv.group_by("file").agg(
        pl.col("totaal").sum(), pl.col("factuurnummer").fill_null("zonder nummer").sort().str.join(", ")).iter_rows()}
    rows = []
    social = data.board.settings.social_services_regime
    for h in sorted(data.hires, key=lambda h: (h.hire_id, h.file)):
        if h.file not in per_file:
            continue
        amount, numbers = per_file[h.file]
        if h.file in wrong:
            rules = sorted(wrong[h.file])
            rows.append({"soort": FOUT, "hire_id": h.hire_id or None, "file": h.file, "regels": ", ".join(rules),
                         "reden": " en ".join({"A1": "boven de Europese drempel zonder Europese aanbesteding",
                                               "A2": "opgeknipte opdracht"}[r] for r in rules),
                         "bedrag": amount, "facturen": numbers})
            continue
        why = uncertain_reasons(h, social)
        if why:
            rows.append({"soort": ONZEKER, "hire_id": h.hire_id or None, "file": h.file, "regels": "", "reden": "; ".join(why),
                         "bedrag": amount, "facturen": numbers})
    files = set(year_files) if year_files is not None else set(per_file)
    national = (data.findings_df.filter((pl.col("rule") == "A3") & pl.col("file").is_in(list(files)))
                .select("hire_id", "file", pl.col("severity").cast(pl.Utf8), "sheet", "cell", "message").sort("hire_id", "file"))
    return Lawfulness(year, spending, pl.DataFrame(rows, schema=LAW_SCHEMA), national)


# --------------------------------------------------------------------------- monetary-unit sample

CENT = Decimal("0.01")


class SampleError(ValueError):
    """A sample setting that cannot be used; the message is Dutch."""


@dataclass(frozen=True)
class SamplePlan:
    materiality: Decimal
    confidence: Decimal
    factor: Decimal
    interval: Decimal  # materiality / factor, down to the cent
    start: Decimal  # the random start, 0,01 … interval
    seed: int
    population: Decimal  # the sum of the positive amounts
    count: int  # items in the population


@dataclass(frozen=True)
class Selected:
    key: str
    amount: Decimal
    hits: int  # selection points that fell in this item
    first_point: Decimal  # the first selected euro (cumulative position)
    above_interval: bool


def reliability_factor(confidence: Decimal) -> Decimal:
    factors = reference.reliability_factors()
    if confidence not in factors:
        shown = ", ".join(f"{int(c * 100)}%" for c in sorted(factors))
        raise SampleError(f"Voor een betrouwbaarheid van {confidence * 100:.0f}% is geen betrouwbaarheidsfactor bekend; kies {shown}.")
    return factors[confidence]


def mus_sample(items: list[tuple[str, Decimal]], materiality: Decimal, confidence: Decimal, seed: int) -> tuple[SamplePlan, list[Selected]]:
    """Monetary-unit sampling, systematic from a random start: the interval J = materiality / reliability factor
    (down to the cent), the start s a whole number of cents in [0,01; J] drawn from `seed`, the points s, s + J,
    s + 2J, … up to the population total. Item i holds the euros (C(i-1); C(i)] of the running total C in the
    given order; an item that holds a point is selected, so an item of at least J is always selected.
    Items of zero or less (credit notes) hold no euros and are never selected."""
    factor = reliability_factor(confidence)
    interval = (Decimal(materiality) / factor).quantize(CENT, rounding=ROUND_FLOOR)
    if interval <= 0:
        raise SampleError("De materialiteit is te klein voor een steekproef.")
    start = Decimal(random.Random(seed).randint(1, int(interval / CENT))) * CENT
    positive = [(k, a) for k, a in items if a > 0]
    total = sum((a for _, a in positive), ZERO)
    plan = SamplePlan(Decimal(materiality), confidence, factor, interval, start, seed, total, len(positive))
    out, low = [], ZERO
    point = start
    for key, amount in positive:
        high = low + amount
        hits, first = 0, None
        while point <= high:
            first = point if first is None else first
            hits += 1
            point += interval
        if hits:
            out.append(Selected(key, amount, hits, first, amount >= interval))
        low = high
    return plan, out

"""Board-level rules over all hires: W6 versions, A2 splitting, P5 share of the allocation, A5 rates."""
from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from decimal import Decimal

import polars as pl

from pipeline import aggregate, dutch
from pipeline.rules.registry import BoardContext, at, board_check
from pipeline.rules.derive import fingerprint, procurement_basis, procurement_start, threshold
from pipeline.model import Finding, Hire

MAX_NAMED = 10  # other hires named in one A2 message; a large group would make every message a page long


def resolve_versions(hires: list[Hire], fallback_dates: dict[str, date] | None = None) -> tuple[list[Hire], dict[str, str], list[Finding]]:
    """W6: one counted hire per hire id. Returns counted hires, superseded file -> winning file, findings."""
    fallback_dates = fallback_dates or {}
    groups: dict[str, list[Hire]] = defaultdict(list)
    counted: list[Hire] = []
    for h in hires:
        if h.hire_id:
            groups[h.hire_id].append(h)
        else:
            counted.append(h)
    superseded: dict[str, str] = {}
    out: list[Finding] = []
    for hid, group in groups.items():
        if len(group) == 1:
            counted.append(group[0])
            continue

        def key(h: Hire):
            return (h.version_date or fallback_dates.get(h.file) or date.min, h.file)

        group = sorted(group, key=key)
        winner = group[-1]
        counted.append(winner)
        prints = {h.file: fingerprint(h) for h in group}
        others = [h for h in group if h is not winner]
        for h in others:
            superseded[h.file] = winner.file
            if prints[h.file] == prints[winner.file]:
                out.append(at("W6", "dubbel_gelijk", h, "volgnummer", inhuur=hid, andere=winner.file))
            else:
                out.append(at("W6", "vervangen", h, "versiedatum", inhuur=hid, nieuwste=winner.file, versie=_date(key(winner)[0])))
        names = ", ".join(h.file for h in others)
        if any(prints[h.file] != prints[winner.file] and key(h)[0] == key(winner)[0] for h in others):
            out.append(at("W6", "gelijke_versiedatum", winner, "versiedatum", inhuur=hid, andere=names))
        elif any(prints[h.file] != prints[winner.file] for h in others):
            out.append(at("W6", "nieuwste", winner, "versiedatum", inhuur=hid, andere=names))
    counted.sort(key=lambda h: h.file)
    return counted, superseded, out


def _date(d: date) -> str:
    return dutch.format_date(d) if d != date.min else "onbekend"


def _window(h: Hire, kind: str) -> str | None:
    start = procurement_start(h)
    if start is None:
        return None
    return str(start.year) if kind == "kalenderjaar" else dutch.school_year_of(start)


def versions(ctx: BoardContext) -> list[Finding]:
    """W6: the same hire id in several files."""
    return resolve_versions(ctx.hires, ctx.version_dates)[2]


def splitting(ctx: BoardContext) -> list[Finding]:
    """A2: hires of one supplier in one window that together reach the threshold."""
    hires, board = ctx.counted, ctx.board
    social = board.settings.social_services_regime
    groups: dict[tuple[str, str], list[Hire]] = defaultdict(list)
    for h in hires:
        kvk, window = h.get("leverancier_kvk"), _window(h, board.settings.split_window)
        if kvk and window:
            groups[(kvk, window)].append(h)
    other = _outside_npo(ctx, groups, board.settings.split_window)
    out = []
    for (kvk, window), group in sorted(groups.items()):
        extra, sources = other.get((kvk, window), (Decimal(0), ""))
        if len(group) < 2 and extra <= 0:
            continue
        limits = [threshold(h, social) for h in group]
        limit = min(t[0] for t in limits if t)
        bases = [procurement_basis(h) for h in group]
        values = [v for v, _ in bases]
        if sum(values) + max(extra, Decimal(0)) < limit or any(v >= limit for v in values) or any(h.get("procedure") == "Europees" for h in group):
            continue
        calendar = board.settings.split_window == "kalenderjaar"
        venster = f"kalenderjaar {window}" if calendar else f"schooljaar {window}"
        uitleg = ("het kalenderjaar" if calendar else "het schooljaar van 1 augustus tot en met 31 juli") + \
            " van de eerste offerte, anders van het contract; instelling 'Venster samentellen opdrachten (A2)' in bestuur.xlsx"
        labels = [_a2_label(o, v, how) for o, (v, how) in zip(group, bases)]
        for h in group:
            mine = next(i for i, o in enumerate(group) if o is h)
            shown = [labels[mine] + " (deze opdracht)"] + [lab for i, lab in enumerate(labels) if i != mine]
            listed = "; ".join(shown[:MAX_NAMED])
            if len(shown) > MAX_NAMED:  # the register lists them all
                listed += f"; en nog {len(shown) - MAX_NAMED} andere (zie register.xlsx)"
            party = f"{h.get('leverancier_naam') or ''} (KvK {kvk})".strip()
            if extra > 0:
                out.append(at("A2", "buiten_npo", h, "leverancier_kvk", kvk=party, venster=venster, buiten=dutch.format_euro(extra),
                               bron=sources, opdrachten=listed, npo=dutch.format_euro(sum(values)),
                               totaal=dutch.format_euro(sum(values) + extra), drempel=dutch.format_euro(limit), uitleg=uitleg))
            else:
                out.append(at("A2", "opgeknipt", h, "leverancier_kvk", kvk=party,
                               venster=venster, totaal=dutch.format_euro(sum(values)), drempel=dutch.format_euro(limit),
                               aantal=len(group), opdrachten=listed, uitleg=uitleg))
    return out


def _outside_npo(ctx: BoardContext, groups: dict[tuple[str, str], list[Hire]], window_kind: str) -> dict[tuple[str, str], tuple[Decimal, str]]:
    """What the board booked outside the NPO selection on each (KvK, window) of the hires: the supplier known by the
    KvK of the ledger line, else by its name written like one of the hires' (DOMAIN §7: thresholds apply to
    everything the board buys of that supplier in the window)."""
    ledger = getattr(ctx, "ledger", None)
    other = getattr(ledger, "other", None)
    if other is None or other.is_empty() or not groups:
        return {}
    from pipeline.rules.ledger import name_key, same_name

    names: dict[str, str] = {}
    for (kvk, _), group in groups.items():
        for h in group:
            if h.get("leverancier_naam"):
                names.setdefault(_name_key_of(h.get("leverancier_naam"), name_key), kvk)
    lines = other.with_columns(name_key(pl.col("crediteur_naam")).alias("_naam"))
    kvk_of: list[str | None] = []
    for kvk, naam in lines.select("kvk", "_naam").iter_rows():
        if kvk:
            kvk_of.append(kvk)
        else:
            kvk_of.append(names.get(naam) or next((k for n, k in names.items() if same_name(naam or "", n)), None))
    lines = lines.with_columns(pl.Series("_kvk", kvk_of, dtype=pl.Utf8)).filter(pl.col("_kvk").is_not_null() & pl.col("datum").is_not_null())
    # a booking belongs to a group when it falls in the group's window, or in the school year of one of its hires
    # (a hire procured in July runs and is paid in the school year after)
    reach: dict[tuple[str, str], tuple[str, str]] = {}
    for (kvk, window), group in groups.items():
        reach.setdefault((kvk, window), (kvk, window))
        for h in group:
            if window_kind != "kalenderjaar" and h.get("schooljaar"):
                reach.setdefault((kvk, h.get("schooljaar")), (kvk, window))
    out: dict[tuple[str, str], tuple[Decimal, dict]] = {}
    for kvk, d, amount, file, regel in lines.select("_kvk", "datum", "bedrag", "file", "regel").iter_rows():
        key = reach.get((kvk, str(d.year) if window_kind == "kalenderjaar" else dutch.school_year_of(d)))
        if key is None:
            continue
        total, where = out.get(key, (Decimal(0), {}))
        where.setdefault(file, []).append(regel)
        out[key] = (total + amount, where)
    return {k: (total, "; ".join(f"{f}, regel {', '.join(str(r) for r in sorted(rs)[:10])}{' en meer' if len(rs) > 10 else ''}"
                                for f, rs in where.items())) for k, (total, where) in out.items()}


def _name_key_of(name: str, name_key) -> str:
    return pl.select(name_key(pl.lit(name))).item()


def _a2_label(h: Hire, value: Decimal, how: str) -> str:
    """'12AB-2022-2023-1 (schooljaar 2022-2023, aanbesteding begonnen 15 juli 2022, € 96.000,00, contractwaarde)'."""
    parts = []
    if h.get("schooljaar"):
        parts.append(f"schooljaar {h.get('schooljaar')}")
    start = procurement_start(h)
    if start is not None:
        parts.append(f"aanbesteding begonnen {dutch.format_date(start)}")
    parts.append(f"{dutch.format_euro(value)}, {how}")
    return f"{h.hire_id or h.file} ({', '.join(parts)})"


def allocation_share(ctx: BoardContext) -> list[Finding]:
    """P5 (board level): a school's external spend up to the end of each school year in which it spent,
    against all its NPO allocations up to that date.

    Cumulative, because funds may be spent after the year they were granted for (nponderwijs.nl: 2022-2023
    funds until 31 July 2025) and later school years bring no new money."""
    invoices, alloc, board = ctx.invoices, ctx.allocations, ctx.board
    if invoices.is_empty() or alloc.is_empty():
        return []
    limit = board.settings.max_share_of_allocation
    dated = invoices.filter(pl.col("factuurdatum").is_not_null())
    by_file = {h.file: h for h in ctx.counted}
    out = []
    per_school = dated.filter(pl.col("brin").is_not_null()).partition_by("brin", as_dict=True)
    granted_until: dict[date, dict[str, Decimal]] = {}  # a handful of school-year ends for all schools
    for brin, year in sorted(set(dated.select("brin", "schooljaar").iter_rows()), key=lambda k: (k[0] or "", k[1])):
        if brin is None:
            continue
        end = dutch.school_year_bounds(year)[1]
        mine = per_school[(brin,)]
        spent = aggregate.cents(mine.filter(pl.col("factuurdatum") <= end).get_column("totaal").sum())
        if end not in granted_until:
            granted_until[end] = aggregate.allocation_until(alloc, end)
        granted = granted_until[end].get(brin)
        if not granted:
            continue
        share = spent / granted
        if share <= limit:
            continue
        files = sorted(set(mine.filter(pl.col("schooljaar") == year).get_column("file").to_list()))
        for f in files:
            if f in by_file:
                out.append(at("P5", "aandeel", by_file[f], "contractwaarde", brin=brin, about=brin, tot=dutch.format_date(end),
                               besteed=dutch.format_euro(spent), aandeel=dutch.format_percent(share),
                               toekenning=dutch.format_euro(granted), grens=dutch.format_percent(limit)))
    return out


def rates(ctx: BoardContext) -> list[Finding]:
    """A5: an hourly rate far from the board median for the same kind of hire (at least 3 rates)."""
    hires, board = ctx.counted, ctx.board
    by_kind: dict[str, list[Hire]] = defaultdict(list)
    for h in hires:
        if isinstance(h.get("uurtarief"), Decimal) and h.get("uurtarief") > 0 and h.get("soort_inhuur"):
            by_kind[h.get("soort_inhuur")].append(h)
    out = []
    dev = board.settings.rate_deviation
    for kind, group in sorted(by_kind.items()):
        if len(group) < 3:
            continue
        median = Decimal(str(statistics.median(h.get("uurtarief") for h in group))).quantize(Decimal("0.01"))
        for h in group:
            rate = h.get("uurtarief")
            if abs(rate - median) > median * dev:
                out.append(at("A5", "afwijkend", h, "uurtarief", tarief=dutch.format_euro(rate), mediaan=dutch.format_euro(median), soort=kind))
    return out


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
board_check("W6")(versions)
board_check("A2")(splitting)
board_check("P5")(allocation_share)
board_check("A5")(rates)

"""L1–L5: the board's ledger against the workbooks' invoices, matched with polars joins (DOMAIN §7b).

- A supplier is the same when the KvK numbers are equal; different KvK numbers are different suppliers. Without a
  KvK on one side, names match when they differ only in case, punctuation, legal form, spaces or one typing slip.
- An invoice is claimed by one workbook (L5 otherwise, counted once).
- A credit note is its own line: it matches a workbook line with its number, or nets with the invoice it names
  when the workbook shows the net amount; it never cancels an unrelated invoice.
- An invoice booked on several cost centres belongs to each school for its part; a part on a school that does not
  pay for the hire is an L4.
- A workbook invoice without a number is matched on supplier, amount and date.
- The Grootboek sheet says whether the ledger books amounts excl. or incl. BTW; "automatisch" accepts either.
"""
from __future__ import annotations

import re
from collections import defaultdict

import polars as pl
from rapidfuzz.distance import Levenshtein

from pipeline import aggregate, dutch
from pipeline.model import ABOVE_SCHOOL, BOARD_COST_CENTRE, Finding
from pipeline.read.board import VAT_AUTO, VAT_EXCL, VAT_INCL
from pipeline.rules.registry import BoardContext, board_check
from pipeline.rules import catalogue as findings

MONEY = pl.Decimal(16, 2)
MIN_TYPO_LENGTH = 8  # names this long (without spaces) may differ by one typing slip
DATE_WINDOW_DAYS = 45  # an invoice without number matches a booking of the same amount this close to its date

# Legal forms and words that people add or leave out when they write a supplier's name (KvK Handelsregister
# rechtsvormen: besloten vennootschap B.V., naamloze vennootschap N.V., stichting, vennootschap onder firma).
LEGAL_FORMS = r"\b(bv|nv|vof|cv|stichting|vereniging|eenmanszaak|bvba|ba|ua|coop)\b"

GEKOPPELD, GEEN_WERKBOEK, NIET_IN_GROOTBOEK, BEDRAG_WIJKT_AF, ANDERE_SCHOOL = (
    "gekoppeld", "geen werkboek", "niet in grootboek", "bedrag wijkt af", "andere school")

SCHEMA = {
    "status": pl.Utf8, "leverancier": pl.Utf8, "kvk": pl.Utf8, "factuurnummer": pl.Utf8, "datum": pl.Date, "datum_grootboek": pl.Date,
    "schooljaar": pl.Utf8, "bedrag_grootboek": MONEY, "bedrag_werkboek": MONEY, "verschil": MONEY,
    "grootboek_bestand": pl.Utf8, "grootboek_regels": pl.Utf8, "kostenplaats": pl.Utf8, "brin_grootboek": pl.Utf8,
    "brin": pl.Utf8, "hire_id": pl.Utf8, "file": pl.Utf8, "sheet": pl.Utf8, "cell": pl.Utf8,
    "btw_werkboek": MONEY, "grootboek_btw": pl.Utf8, "koppeling": pl.Utf8, "delen": pl.Utf8, "bedrag_andere_school": MONEY,
}
# How an invoice was matched (column koppeling).
BY_NUMBER, BY_DATE_AMOUNT, CREDIT_NETTED = "factuurnummer", "leverancier, datum en bedrag", "creditnota verrekend"


# Spellings of one word that people use for the same supplier (word end -> the spelling compared): also at the end
# of a compound (bijlesburo, bijlesbureau).
WORD_VARIANTS = {"buro": "bureau", "&": "en", "centre": "centrum", "center": "centrum"}


def name_key(expr: pl.Expr) -> pl.Expr:
    """A supplier name the way people compare it: no case, punctuation, legal form, spaces; common spelling
    variants of a word written one way (buro/bureau, &/en)."""
    s = expr.fill_null("").str.to_lowercase().str.replace_all("&", " & ").str.replace_all(r"[.']", "")
    s = s.str.replace_all(r"[^\p{L}\p{N}&]+", " ")
    for word, as_written in WORD_VARIANTS.items():
        s = s.str.replace_all(rf"{re.escape(word)}(\s|$)", f"{as_written}${{1}}")
    return s.str.replace_all(LEGAL_FORMS, " ").str.replace_all(r"\s+", "")


def number_key(expr: pl.Expr) -> pl.Expr:
    """An invoice number without case, spaces, dashes, dots and slashes, and without the leading zeros of
    its digits (0012 is 12, SV-0100 is SV 100; zeros after other digits stay, SV-2022-017 is SV2022017)."""
    s = expr.fill_null("").str.to_uppercase().str.replace_all(r"[\s\-_./]", "")
    return s.str.replace_all(r"(^|[^0-9])0+([0-9])", "${1}${2}")


def same_name(a: str, b: str) -> bool:
    """Two name keys of one supplier: equal, or one typing slip apart in a long name with the same digits.
    "onderwijsbureauoost" and "onderwijsbureauwest" are two slips apart: different suppliers."""
    if a == b:
        return bool(a)
    if min(len(a), len(b)) < MIN_TYPO_LENGTH or "".join(filter(str.isdigit, a)) != "".join(filter(str.isdigit, b)):
        return False
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _school_year(expr: pl.Expr) -> pl.Expr:
    """School year of a date as a polars expression, the same as pipeline.dutch.school_year_of (1 August – 31 July)."""
    y = expr.dt.year() - (expr.dt.month() < 8).cast(pl.Int32)
    return pl.when(expr.is_null()).then(None).otherwise(y.cast(pl.Utf8) + "-" + (y + 1).cast(pl.Utf8))


def workbook_suppliers(invoices: pl.DataFrame) -> pl.DataFrame:
    """Workbook invoices with a supplier key: the KvK (or the KvK another workbook of the same name has), else the name."""
    if "betalers" not in invoices.columns:  # not from aggregate.whole_invoices: each invoice paid by its own school
        invoices = invoices.with_columns(pl.concat_list(pl.col("brin")).alias("betalers"))
    for c in ("btw", "totaal"):
        if c not in invoices.columns:
            invoices = invoices.with_columns(pl.lit(None, MONEY).alias(c))
    invoices = invoices.with_columns(pl.coalesce("totaal", pl.col("bedrag") + pl.col("btw").fill_null(0)).cast(MONEY).alias("totaal"))
    wb = invoices.filter(pl.col("bedrag").is_not_null()).with_columns(
        name_key(pl.col("leverancier_naam")).alias("_naam"), number_key(pl.col("factuurnummer")).alias("_nr"),
        pl.when(pl.col("leverancier_kvk").str.replace_all(r"\D", "").str.len_chars() > 0)
        .then(pl.col("leverancier_kvk").str.replace_all(r"\D", "").str.zfill(8)).otherwise(None).alias("_kvk"))
    kvk_of_name = wb.filter(pl.col("_kvk").is_not_null()).group_by("_naam").agg(pl.col("_kvk").n_unique().alias("_n"), pl.col("_kvk").first().alias("_kvk_naam"))
    wb = wb.join(kvk_of_name.filter(pl.col("_n") == 1).drop("_n"), on="_naam", how="left")
    key = pl.coalesce(pl.col("_kvk"), pl.col("_kvk_naam"))
    return wb.with_columns(pl.when(key.is_not_null()).then("kvk:" + key).otherwise("naam:" + pl.col("_naam")).alias("_lev"))


def supplier_keys(suppliers: pl.DataFrame, wb: pl.DataFrame) -> dict[str, str]:
    """Ledger supplier (`_sup`, with `kvk` and `_naam`) -> the workbooks' supplier key (`_lev`), by DOMAIN §7b."""
    wb_kvks = set(wb["_kvk"].drop_nulls().to_list())
    names: dict[str, set[str]] = defaultdict(set)  # name key -> workbook keys under that name
    kvkless: dict[str, set[str]] = defaultdict(set)  # name key -> keys of workbooks without any KvK
    for naam, lev, kvk in wb.select("_naam", "_lev", "_kvk").unique().iter_rows():
        if naam:
            names[naam].add(lev)
            if kvk is None:
                kvkless[naam].add(lev)
    by_len: dict[int, list[str]] = defaultdict(list)
    for n in names:
        by_len[len(n)].append(n)

    def by_name(naam: str, pool: dict[str, set[str]]) -> str | None:
        if not naam:
            return None
        hits = pool.get(naam)
        if not hits and len(naam) >= MIN_TYPO_LENGTH:
            close = [n for d in (-1, 0, 1) for n in by_len.get(len(naam) + d, []) if n in pool and same_name(naam, n)]
            hits = set().union(*(pool[n] for n in close)) if close else None
        return sorted(hits)[0] if hits and len(hits) == 1 else None

    out = {}
    for sup, kvk, naam in suppliers.select("_sup", "kvk", "_naam").iter_rows():
        if kvk:
            # a KvK the workbooks know decides; else only a workbook of that name without KvK can be this supplier
            out[sup] = f"kvk:{kvk}" if kvk in wb_kvks else (by_name(naam, kvkless) or f"kvk:{kvk}")
        else:
            out[sup] = by_name(naam, names) or f"naam:{naam}"
    return out


def ledger_invoices(lines: pl.DataFrame) -> pl.DataFrame:
    """One row per supplier and invoice number: its lines summed, with its parts per school."""
    parts = (lines.group_by("_lev", "_nr", "brin", maintain_order=True).agg(pl.col("bedrag").sum().alias("_deel"))
             .with_columns(pl.concat_str([pl.col("brin").fill_null("?"), pl.col("_deel").cast(pl.Utf8)], separator="=").alias("_p"))
             .group_by("_lev", "_nr", maintain_order=True).agg(pl.col("_p").str.join("|").alias("delen"),
                                                               pl.col("brin").alias("_brins"),
                                                               pl.col("_deel").alias("_delen")))
    main = lines.sort("bedrag", descending=True)
    out = main.group_by("_lev", "_nr", maintain_order=True).agg(
        pl.col("bedrag").sum().cast(MONEY).alias("bedrag_grootboek"),
        pl.col("datum").filter(pl.col("bedrag") > 0).min().fill_null(pl.col("datum").min()).alias("datum_gb"),
        pl.col("factuurnummer").first().alias("nr_gb"),
        pl.col("crediteur_naam").drop_nulls().first().alias("naam_gb"),
        pl.col("kvk").drop_nulls().first().alias("kvk_gb"),
        pl.col("file").unique(maintain_order=True).str.join(", ").alias("grootboek_bestand"),
        pl.col("regel").sort().cast(pl.Utf8).str.join(", ").alias("grootboek_regels"),
        pl.col("kostenplaats").first().alias("kostenplaats"),
        pl.col("brin").first().alias("brin_grootboek"),
        pl.col("omschrijving").drop_nulls().str.join(" ").alias("_oms"),
    )
    return out.join(parts, on=["_lev", "_nr"], how="left")


def _amount_ok(gb: pl.Expr, excl: pl.Expr, incl: pl.Expr, vat: str) -> pl.Expr:
    is_excl, is_incl = (gb == excl).fill_null(False), (gb == incl).fill_null(False)
    if vat == VAT_EXCL:
        return is_excl
    if vat == VAT_INCL:
        return is_incl
    return is_excl | is_incl


def reconcile(lines: pl.DataFrame, invoices: pl.DataFrame, first=None, last=None, vat: str = VAT_AUTO) -> pl.DataFrame:
    """The Aansluiting: every ledger invoice and every workbook invoice of the ledger's period, with its status."""
    wb = workbook_suppliers(invoices)
    if first is not None and last is not None:
        wb = wb.filter(pl.col("factuurdatum").is_null() | pl.col("factuurdatum").is_between(first, last))
    lines = lines.with_columns(
        pl.coalesce(pl.col("crediteur"), "kvk:" + pl.col("kvk"), "naam:" + name_key(pl.col("crediteur_naam"))).alias("_sup"),
        name_key(pl.col("crediteur_naam")).alias("_naam"),
        number_key(pl.col("factuurnummer")).alias("_nr"))
    sups = lines.group_by("_sup", maintain_order=True).agg(pl.col("kvk").drop_nulls().first(), pl.col("_naam").filter(pl.col("_naam") != "").first())
    keys = supplier_keys(sups, wb)
    lines = lines.join(pl.DataFrame({"_sup": list(keys), "_lev": list(keys.values())}, schema={"_sup": pl.Utf8, "_lev": pl.Utf8}),
                       on="_sup", how="left")
    gb = ledger_invoices(lines)
    numbered = wb.filter(pl.col("_nr") != "")
    gb = _net_credits(gb, numbered, vat)
    joined = gb.join(numbered, on=["_lev", "_nr"], how="full", coalesce=True)
    joined = _match_without_number(joined, wb.filter(pl.col("_nr") == ""), vat)
    in_gb, in_wb = pl.col("bedrag_grootboek").is_not_null(), pl.col("bedrag").is_not_null()
    # Another school: a part booked at a school that does not pay for the invoice (a bovenschools invoice may be
    # booked at any participating school, or on the board's bovenschools cost centre).
    payers = (pl.when(pl.col("niveau").fill_null("") == ABOVE_SCHOOL).then(pl.col("betalers"))
              .otherwise(pl.concat_list(pl.col("brin").fill_null(""))))
    joined = joined.with_columns(payers.alias("_payers"))
    joined = joined.with_columns(_foreign_parts(joined))
    foreign = pl.col("_foreign")
    amount_ok = _amount_ok(pl.col("bedrag_grootboek"), pl.col("bedrag"), pl.col("totaal"), vat)
    status = (pl.when(~in_wb).then(pl.lit(GEEN_WERKBOEK)).when(~in_gb).then(pl.lit(NIET_IN_GROOTBOEK))
              .when(~amount_ok).then(pl.lit(BEDRAG_WIJKT_AF))
              .when(foreign > 0).then(pl.lit(ANDERE_SCHOOL)).otherwise(pl.lit(GEKOPPELD)))
    basis = (pl.when(~in_gb | ~in_wb).then(None).when(pl.col("bedrag_grootboek") == pl.col("bedrag")).then(pl.lit("excl. btw"))
             .when(pl.col("bedrag_grootboek") == pl.col("totaal")).then(pl.lit("incl. btw")).otherwise(None))
    compared = pl.when(basis == "incl. btw").then(pl.col("totaal")).otherwise(pl.col("bedrag"))
    datum = pl.coalesce("factuurdatum", "datum_gb")
    out = joined.with_columns(status.alias("status"), foreign.alias("bedrag_andere_school")).select(
        "status",
        pl.coalesce("leverancier_naam", "naam_gb").alias("leverancier"),
        pl.coalesce("leverancier_kvk", "kvk_gb").alias("kvk"),
        pl.coalesce("factuurnummer", "nr_gb").alias("factuurnummer"),
        datum.alias("datum"), pl.col("datum_gb").alias("datum_grootboek"), _school_year(pl.coalesce("datum_gb", "factuurdatum")).alias("schooljaar"),
        "bedrag_grootboek", pl.col("bedrag").alias("bedrag_werkboek"),
        (pl.col("bedrag_grootboek").fill_null(0) - compared.fill_null(0)).cast(MONEY).alias("verschil"),
        "grootboek_bestand", "grootboek_regels", "kostenplaats", "brin_grootboek", "brin", "hire_id", "file", "sheet", "cell",
        pl.col("btw").alias("btw_werkboek"), basis.alias("grootboek_btw"),
        pl.when(in_gb & in_wb).then(pl.coalesce("_koppeling", pl.lit(BY_NUMBER))).otherwise(None).alias("koppeling"),
        "delen", "bedrag_andere_school",
    )
    return out.cast(SCHEMA).sort("status", "brin_grootboek", "brin", "leverancier", "factuurnummer", nulls_last=True)


FOREIGN_MARK = "!"  # a part of `delen` booked on a school that does not pay for the invoice (L4)


def _foreign_parts(joined: pl.DataFrame) -> list[pl.Series]:
    """The amount of each ledger invoice booked on a school that does not pay for it (0 when none), and `delen`
    with those parts marked, so that completeness counts only them as another school's."""
    amounts, texts = [], []
    zero = aggregate.ZERO
    for brins, parts, payers, in_wb, delen in joined.select(
            "_brins", "_delen", "_payers", pl.col("bedrag").is_not_null(), "delen").iter_rows():
        if not in_wb or not brins:
            amounts.append(zero)
            texts.append(delen)
            continue
        allowed = set(payers or []) | {BOARD_COST_CENTRE}
        foreign = [bool(b) and b not in allowed and a is not None for b, a in zip(brins, parts)]
        amounts.append(sum((a for a, f in zip(parts, foreign) if f), zero))
        texts.append("|".join(f"{b or '?'}={a}{FOREIGN_MARK if f else ''}" for b, a, f in zip(brins, parts, foreign)))
    return [pl.Series("_foreign", amounts, dtype=MONEY), pl.Series("delen", texts, dtype=pl.Utf8)]


def _net_credits(gb: pl.DataFrame, wb: pl.DataFrame, vat: str) -> pl.DataFrame:
    """A credit note whose own number no workbook has, that names an invoice of the same supplier, is netted with
    it when the workbook shows the net amount. Everything else stays its own line."""
    credits = gb.filter(pl.col("bedrag_grootboek") < 0)
    if credits.is_empty():
        return gb.with_columns(pl.lit(None, pl.Utf8).alias("_koppeling"))
    wb_keys = set(wb.select(pl.concat_str(["_lev", "_nr"], separator="#")).to_series().to_list())
    wb_amounts: dict[str, list[tuple]] = defaultdict(list)
    for k, excl, incl in wb.select(pl.concat_str(["_lev", "_nr"], separator="#"), "bedrag", "totaal").iter_rows():
        wb_amounts[k].append((excl, incl))
    invoices = {f"{lev}#{nr}": amount for lev, nr, amount in gb.filter(pl.col("bedrag_grootboek") > 0).select("_lev", "_nr", "bedrag_grootboek").iter_rows()}
    by_supplier: dict[str, list[str]] = defaultdict(list)
    for k in invoices:
        lev, nr = k.split("#", 1)
        by_supplier[lev].append(nr)
    merge: dict[str, str] = {}  # credit key -> invoice key
    # where a credit note names its invoice: its description, or its own number (KR-1187-C credits KR-1187)
    oms_key = credits.with_columns(pl.concat_str([number_key(pl.col("_oms")), pl.col("_nr")], separator=" ").alias("_ok"))
    for lev, nr, amount, ok in oms_key.select("_lev", "_nr", "bedrag_grootboek", "_ok").iter_rows():
        own = f"{lev}#{nr}"
        if own in wb_keys:
            continue
        for target in sorted(by_supplier.get(lev, []), key=len, reverse=True):  # the longest number named wins
            t = f"{lev}#{target}"
            if len(target) < 3 or target == nr or target not in (ok or ""):
                continue
            if t not in wb_amounts:  # the invoice it names is in no workbook: never a shorter number inside it
                break
            net = invoices[t] + amount
            if any((vat != VAT_INCL and net == e) or (vat != VAT_EXCL and net == i) for e, i in wb_amounts[t]):
                merge[own] = t
                invoices[t] = net
            break
    if not merge:
        return gb.with_columns(pl.lit(None, pl.Utf8).alias("_koppeling"))
    key = pl.concat_str(["_lev", "_nr"], separator="#")
    mapping = pl.DataFrame({"_k": list(merge), "_doel": list(merge.values())})
    gb = gb.with_columns(key.alias("_k")).join(mapping, on="_k", how="left")
    gb = gb.with_columns(pl.coalesce("_doel", "_k").alias("_k"))
    targets = set(merge.values())
    agg = gb.sort("bedrag_grootboek", descending=True).group_by("_k", maintain_order=True).agg(
        pl.col("bedrag_grootboek").sum().cast(MONEY), pl.col("datum_gb").min(), pl.col("nr_gb").first(), pl.col("naam_gb").first(),
        pl.col("kvk_gb").first(), pl.col("grootboek_bestand").str.join(", "),
        pl.col("grootboek_regels").str.split(", ").explode().cast(pl.Int64).sort().cast(pl.Utf8).str.join(", "),
        pl.col("kostenplaats").first(), pl.col("brin_grootboek").first(), pl.col("_oms").str.join(" "),
        pl.col("delen").str.join("|"), pl.col("_brins").explode(), pl.col("_delen").explode(),
        pl.col("_lev").first(), pl.col("_nr").first())
    return agg.with_columns(pl.when(pl.col("_k").is_in(list(targets))).then(pl.lit(CREDIT_NETTED)).otherwise(None).alias("_koppeling")).drop("_k")


def _match_without_number(joined: pl.DataFrame, numberless: pl.DataFrame, vat: str) -> pl.DataFrame:
    """Workbook invoices without a number take an unmatched ledger invoice of the same supplier and amount (excl. or
    incl. BTW as the setting allows), the closest in date within DATE_WINDOW_DAYS; the rest stay unbooked."""
    if numberless.is_empty():
        return joined
    joined = joined.with_row_index("_g")
    free = joined.filter(pl.col("bedrag").is_null() & pl.col("bedrag_grootboek").is_not_null())
    candidates = defaultdict(list)
    for g, lev, amount, d in free.select("_g", "_lev", "bedrag_grootboek", "datum_gb").iter_rows():
        candidates[lev].append((g, amount, d))
    taken: dict[int, int] = {}  # ledger row -> workbook row
    numberless = numberless.with_row_index("_w")
    for w, lev, excl, incl, d in numberless.select("_w", "_lev", "bedrag", "totaal", "factuurdatum").iter_rows():
        best = None
        for g, amount, gd in candidates.get(lev, []):
            ok = (vat != VAT_INCL and amount == excl) or (vat != VAT_EXCL and amount == incl)
            if g in taken or not ok:
                continue
            gap = abs((gd - d).days) if gd and d else DATE_WINDOW_DAYS
            if gap <= DATE_WINDOW_DAYS and (best is None or gap < best[0]):
                best = (gap, g)
        if best:
            taken[best[1]] = w
    gb_cols = [c for c in joined.columns if c not in numberless.columns or c in ("_lev",)]
    gb_cols = [c for c in gb_cols if c not in ("_lev",)]
    pairs = pl.DataFrame({"_w": list(taken.values()), "_g": list(taken)}, schema={"_w": pl.UInt32, "_g": pl.UInt32})
    filled = (numberless.join(pairs, on="_w", how="left")
              .join(joined.select(gb_cols), on="_g", how="left")
              .with_columns(pl.when(pl.col("_g").is_not_null()).then(pl.lit(BY_DATE_AMOUNT)).otherwise(pl.col("_koppeling")).alias("_koppeling")))
    rest = joined.filter(~pl.col("_g").is_in(list(taken)))
    return pl.concat([rest.drop("_g"), filled.drop("_w", "_g")], how="diagonal_relaxed")


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def _euro(v) -> str:
    return dutch.format_euro(v) if v is not None else "geen bedrag"


def _where(file: str | None, regels: str | None) -> str:
    return f"{file}, regel {regels}" if file else "grootboek"


def _ledger_text(ctx: BoardContext, file: str) -> str:
    ledger = ctx.ledger
    for rec in getattr(ledger, "recognitions", []) or []:
        if rec.file == file:
            return rec.text()
    return ""


def not_in_workbooks(ctx: BoardContext) -> list[Finding]:
    """L1: NPO spending in the ledger that no workbook of that school and supplier accounts for; a ledger file of
    which no invoice matches any workbook invoice."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    out = []
    gaps = rec.filter(pl.col("status") == GEEN_WERKBOEK).with_columns((pl.col("bedrag_grootboek") < 0).alias("_credit"))
    # invoices and credit notes apart: an unrelated credit note never cancels an invoice
    groups = (gaps.group_by("brin_grootboek", "leverancier", "kvk", "schooljaar", "grootboek_bestand", "_credit", maintain_order=True)
              .agg(pl.col("bedrag_grootboek").sum(), pl.col("factuurnummer"), pl.col("grootboek_regels").str.join(", ")))
    for g in groups.filter(pl.col("bedrag_grootboek") != 0).iter_rows(named=True):
        lines = ", ".join(sorted(set(g["grootboek_regels"].split(", ")), key=int))
        brin = g["brin_grootboek"]
        school = ctx.board.schools.get(brin)
        what = "creditnota's " if g["_credit"] else "facturen "
        out.append(findings.finding(
            "L1", "geen_werkboek", file=g["grootboek_bestand"], hire_id="", sheet="", cell=f"regel {lines}", about=brin or "",
            schooljaar=g["schooljaar"] or "onbekend", bedrag=_euro(g["bedrag_grootboek"]),
            leverancier=g["leverancier"] or g["kvk"] or "onbekende leverancier",
            school=f"{school.name} ({brin})" if school else (brin or "een onbekende kostenplaats"),
            facturen=what + (", ".join(x for x in g["factuurnummer"] if x) or "zonder factuurnummer")))
    matched = rec.filter(pl.col("bedrag_grootboek").is_not_null() & pl.col("bedrag_werkboek").is_not_null())
    matched_files = {f for s in matched["grootboek_bestand"].drop_nulls().to_list() for f in s.split(", ")}
    booked = (rec.filter(pl.col("bedrag_grootboek").is_not_null())
              .with_columns(pl.col("grootboek_bestand").str.split(", ").list.first().alias("_f"))
              .group_by("_f").agg(pl.col("grootboek_regels").str.split(", ").list.len().sum().alias("n"),
                                  pl.col("bedrag_grootboek").sum().alias("som")))
    for f, n, som in booked.sort("_f").iter_rows():
        if f not in matched_files:
            out.append(findings.finding("L1", "geen_koppeling", file=f, regels=n, bedrag=_euro(som), herkend=_ledger_text(ctx, f)))
    return out


def _wb_finding(rule: str, code: str, row: dict, **params) -> Finding:
    return findings.finding(rule, code, file=row["file"], hire_id=row["hire_id"] or "", sheet=row["sheet"] or "", cell=row["cell"] or "",
                            factuur=row["factuurnummer"] or "zonder nummer", leverancier=row["leverancier"] or row["kvk"] or "", **params)


def not_booked(ctx: BoardContext) -> list[Finding]:
    """L2: a workbook invoice that is not in the ledger as NPO spending."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    return [_wb_finding("L2", "niet_geboekt", r, bedrag=_euro(r["bedrag_werkboek"]))
            for r in rec.filter(pl.col("status") == NIET_IN_GROOTBOEK).iter_rows(named=True)]


def amount_differs(ctx: BoardContext) -> list[Finding]:
    """L3: the invoice is in both, with different amounts (excl. or incl. BTW as the Grootboek sheet says)."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    return [_wb_finding("L3", "bedrag", r, werkboek=_euro(r["bedrag_werkboek"]), grootboek=_euro(r["bedrag_grootboek"]),
                        bron=_where(r["grootboek_bestand"], r["grootboek_regels"]))
            for r in rec.filter(pl.col("status") == BEDRAG_WIJKT_AF).iter_rows(named=True)]


def _parts(delen: str | None) -> list[tuple[str, str]]:
    return [tuple(p.split("=", 1)) for p in (delen or "").split("|") if "=" in p]


def other_school(ctx: BoardContext) -> list[Finding]:
    """L4: the invoice, or a part of it, is booked on the cost centre of a school that does not pay for it."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    out = []
    payers = {h.file: [b for b, _ in aggregate.participants(h) if b] for h in ctx.counted if h.above_school}
    for r in rec.filter(pl.col("status") == ANDERE_SCHOOL).iter_rows(named=True):
        paying = payers.get(r["file"]) or []
        # one paying school (a bovenschools hire for one participant): that school, not the administering one
        own = (f"een van de deelnemende scholen ({', '.join(paying)})" if len(paying) > 1
               else paying[0] if paying else r["brin"] or "")
        allowed = set(paying or [r["brin"]]) | {BOARD_COST_CENTRE}
        foreign = [b for b, _ in _parts(r["delen"]) if b not in allowed and b != "?"] or [r["brin_grootboek"]]
        names = ", ".join(f"{s.name} ({s.brin})" if (s := ctx.board.schools.get(b)) else b for b in foreign)
        if len(_parts(r["delen"])) > 1:
            out.append(_wb_finding("L4", "deel_andere_school", r, deel=_euro(r["bedrag_andere_school"]), totaal=_euro(r["bedrag_grootboek"]),
                                   brin=own, andere=names, bron=_where(r["grootboek_bestand"], r["grootboek_regels"])))
        else:
            out.append(_wb_finding("L4", "andere_school", r, kostenplaats=r["kostenplaats"] or "", brin=own, andere=names,
                                   bron=_where(r["grootboek_bestand"], r["grootboek_regels"])))
    return out


def double_claims(invoices: pl.DataFrame) -> tuple[set[str], list[tuple[dict, list[dict]]]]:
    """L5: the same invoice (supplier and number) in several counted workbooks. Returns the invoice ids that do not
    count (every claim but the first, by file name) and, per claim, the other claims."""
    if invoices.is_empty():
        return set(), []
    wb = workbook_suppliers(invoices).filter(pl.col("_nr") != "")
    whole = wb.group_by("factuur_id", maintain_order=True).agg(
        pl.col("_lev").first(), pl.col("_nr").first(), pl.col("file").first(), pl.col("hire_id").first(), pl.col("sheet").first(),
        pl.col("cell").first(), pl.col("factuurnummer").first(), pl.col("leverancier_naam").first(), pl.col("leverancier_kvk").first(),
        pl.col("bedrag").sum())
    dup = whole.filter(pl.col("file").n_unique().over("_lev", "_nr") > 1).sort("_lev", "_nr", "file", "cell")
    dropped: set[str] = set()
    claims = []
    for group in dup.partition_by("_lev", "_nr", maintain_order=True):
        rows = group.to_dicts()
        for r in rows:
            if r["file"] != rows[0]["file"]:
                dropped.add(r["factuur_id"])
            claims.append((r, [o for o in rows if o is not r]))
    return dropped, claims


def claimed_twice(ctx: BoardContext) -> list[Finding]:
    """L5: an invoice in two workbooks is a finding on each; it counts once (in the first file by name)."""
    _, claims = double_claims(aggregate.invoices_frame(ctx.counted))
    out = []
    for r, others in claims:
        first = min([r, *others], key=lambda x: (x["file"], x["cell"]))
        out.append(findings.finding(
            "L5", "dubbel", file=r["file"], hire_id=r["hire_id"] or "", sheet=r["sheet"] or "", cell=r["cell"] or "",
            factuur=r["factuurnummer"] or "", leverancier=r["leverancier_naam"] or r["leverancier_kvk"] or "", bedrag=_euro(r["bedrag"]),
            andere="; ".join(f"{o['file']} ({o['sheet']} {o['cell']})" for o in others),
            telt="in dit werkboek" if first is r else f"in {first['file']}"))
    return out


def completeness(rec: pl.DataFrame) -> pl.DataFrame:
    """Per school (cost centre) and calendar year of booking: the ledger's NPO spending on external parties,
    the part workbooks account for, and the rest by status. In grootboek = verantwoord + bedrag wijkt af + geen werkboek.
    An invoice booked on several cost centres counts for each school with its part."""
    gb = (rec.filter(pl.col("bedrag_grootboek").is_not_null())
          # one ledger invoice that two workbooks both claim counts once
          .unique(["grootboek_bestand", "grootboek_regels"], keep="first", maintain_order=True)
          .with_columns(pl.col("datum_grootboek").dt.year().alias("kalenderjaar")))
    parts = gb.with_columns(pl.col("delen").fill_null("").str.split("|").alias("_p")).explode("_p").with_columns(
        pl.col("_p").str.split("=").list.get(0, null_on_oob=True).alias("_b"),
        pl.col("_p").str.split("=").list.get(1, null_on_oob=True).str.strip_suffix(FOREIGN_MARK).cast(MONEY, strict=False).alias("_a"),
        pl.col("_p").str.ends_with(FOREIGN_MARK).fill_null(False).alias("_vreemd"))
    parts = parts.with_columns(pl.col("_vreemd").any().over("grootboek_bestand", "grootboek_regels").alias("_gemarkeerd"))
    parts = parts.with_columns(
        pl.when(pl.col("_a").is_not_null()).then(pl.when(pl.col("_b") == "?").then(None).otherwise(pl.col("_b")))
        .otherwise(pl.col("brin_grootboek")).alias("brin_grootboek"),
        pl.coalesce("_a", "bedrag_grootboek").alias("bedrag_grootboek"))

    def part(*statuses: str) -> pl.Expr:
        return pl.col("bedrag_grootboek").filter(pl.col("status").is_in(list(statuses))).sum()

    return (parts.group_by("brin_grootboek", "kalenderjaar")
            .agg(pl.col("bedrag_grootboek").sum().alias("grootboek"), part(GEKOPPELD, ANDERE_SCHOOL).alias("verantwoord"),
                 part(BEDRAG_WIJKT_AF).alias("bedrag_wijkt_af"), part(GEEN_WERKBOEK).alias("geen_werkboek"),
                 # of an L4 invoice only the parts on a school that does not pay for it (all of it when not split)
                 pl.col("bedrag_grootboek").filter((pl.col("status") == ANDERE_SCHOOL)
                                                   & (pl.col("_vreemd") | ~pl.col("_gemarkeerd"))).sum().alias("andere_school"))
            .sort("kalenderjaar", "brin_grootboek", nulls_last=True))


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
board_check("L1")(not_in_workbooks)
board_check("L2")(not_booked)
board_check("L3")(amount_differs)
board_check("L4")(other_school)
board_check("L5")(claimed_twice)

"""L1–L4: the board's ledger against the workbooks' invoices, matched with polars joins."""
from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

from pipeline import aggregate, dutch
from pipeline.model import ABOVE_SCHOOL, BOARD_COST_CENTRE, Finding
from pipeline.rules import BoardContext, board_check
from pipeline.rules import catalogue as findings

MONEY = pl.Decimal(16, 2)
NAME_SCORE = 90  # token-sort similarity (0–100) from which two supplier names count as the same party
MIN_CREDIT_REF = 4  # a credit note names an invoice by a normalised number of at least this many characters

# Legal forms and words that people add or leave out when they write a supplier's name (KvK Handelsregister
# rechtsvormen: besloten vennootschap B.V., naamloze vennootschap N.V., stichting, vennootschap onder firma).
LEGAL_FORMS = r"\b(bv|nv|vof|cv|stichting|vereniging|eenmanszaak|holding|bvba|ba|ua|coop)\b"

GEKOPPELD, GEEN_WERKBOEK, NIET_IN_GROOTBOEK, BEDRAG_WIJKT_AF, ANDERE_SCHOOL = (
    "gekoppeld", "geen werkboek", "niet in grootboek", "bedrag wijkt af", "andere school")

SCHEMA = {
    "status": pl.Utf8, "leverancier": pl.Utf8, "kvk": pl.Utf8, "factuurnummer": pl.Utf8, "datum": pl.Date, "datum_grootboek": pl.Date,
    "schooljaar": pl.Utf8, "bedrag_grootboek": MONEY, "bedrag_werkboek": MONEY, "verschil": MONEY,
    "grootboek_bestand": pl.Utf8, "grootboek_regels": pl.Utf8, "kostenplaats": pl.Utf8, "brin_grootboek": pl.Utf8,
    "brin": pl.Utf8, "hire_id": pl.Utf8, "file": pl.Utf8, "sheet": pl.Utf8, "cell": pl.Utf8,
}


def name_key(expr: pl.Expr) -> pl.Expr:
    """A supplier name the way people compare it: no case, punctuation, legal form or extra spaces."""
    s = expr.fill_null("").str.to_lowercase().str.replace_all(r"[.']", "").str.replace_all(r"[^\p{L}\p{N}]+", " ")
    return s.str.replace_all(LEGAL_FORMS, " ").str.replace_all(r"\s+", " ").str.strip_chars()


def number_key(expr: pl.Expr) -> pl.Expr:
    """An invoice number without case, spaces, dashes, dots and slashes, and without the leading zeros of
    its digits (0012 is 12, SV-0100 is SV 100; zeros after other digits stay, SV-2022-017 is SV2022017)."""
    s = expr.fill_null("").str.to_uppercase().str.replace_all(r"[\s\-_./]", "")
    return s.str.replace_all(r"(^|[^0-9])0+([0-9])", "${1}${2}")


def name_score(a: str, b: str, **kwargs) -> float:
    """Similarity of two name keys: words in any order (token sort), or the letters with the spaces left
    out, so that "Onderwijs Advies" and "Onderwijsadvies" are the same name."""
    return max(fuzz.token_sort_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


def _school_year(expr: pl.Expr) -> pl.Expr:
    """School year of a date as a polars expression, the same as pipeline.dutch.school_year_of (1 August – 31 July)."""
    y = expr.dt.year() - (expr.dt.month() < 8).cast(pl.Int32)
    return pl.when(expr.is_null()).then(None).otherwise(y.cast(pl.Utf8) + "-" + (y + 1).cast(pl.Utf8))


def _workbook_side(invoices: pl.DataFrame) -> pl.DataFrame:
    if "betalers" not in invoices.columns:  # not from aggregate.whole_invoices: each invoice paid by its own school
        invoices = invoices.with_columns(pl.concat_list(pl.col("brin")).alias("betalers"))
    wb = invoices.filter(pl.col("factuurnummer").is_not_null() & pl.col("bedrag").is_not_null()).with_columns(
        name_key(pl.col("leverancier_naam")).alias("_naam"), number_key(pl.col("factuurnummer")).alias("_nr"))
    # A workbook without KvK is known by a KvK another workbook of the same name has, else by its name.
    kvk_of_name = wb.filter(pl.col("leverancier_kvk").is_not_null()).group_by("_naam").agg(pl.col("leverancier_kvk").first().alias("_kvk_naam"))
    wb = wb.join(kvk_of_name, on="_naam", how="left")
    key = pl.coalesce(pl.col("leverancier_kvk"), pl.col("_kvk_naam"))
    return wb.with_columns(pl.when(key.is_not_null()).then("kvk:" + key).otherwise("naam:" + pl.col("_naam")).alias("_lev"))


def _supplier_keys(lines: pl.DataFrame, wb: pl.DataFrame) -> pl.DataFrame:
    """Ledger supplier (number, name, KvK) -> the key of the workbooks' supplier: KvK, else the (fuzzy) name."""
    suppliers = lines.select("_sup", "kvk", "_naam").unique("_sup", keep="first")
    wb_kvks = wb.select(pl.col("leverancier_kvk").alias("kvk")).drop_nulls().unique().with_columns(pl.lit(True).alias("_known"))
    by_name = wb.group_by("_naam").agg(pl.col("_lev").sort().first())
    suppliers = (suppliers.join(wb_kvks, on="kvk", how="left")
                 .join(by_name.rename({"_lev": "_lev_naam"}), on="_naam", how="left"))
    # Names that match no workbook name exactly: the closest by token-sort similarity (rapidfuzz), few per board.
    todo = suppliers.filter(pl.col("_known").is_null() & pl.col("_lev_naam").is_null() & (pl.col("_naam") != ""))
    choices = by_name["_naam"].to_list()
    fuzzy = {}
    if choices and not todo.is_empty():
        for name in todo["_naam"].unique().to_list():
            hit = process.extractOne(name, choices, scorer=name_score, score_cutoff=NAME_SCORE)
            if hit:
                fuzzy[name] = by_name["_lev"][hit[2]]
    fuzzy_df = pl.DataFrame({"_naam": list(fuzzy), "_lev_fuzzy": list(fuzzy.values())}, schema={"_naam": pl.Utf8, "_lev_fuzzy": pl.Utf8})
    suppliers = suppliers.join(fuzzy_df, on="_naam", how="left")
    own = pl.when(pl.col("kvk").is_not_null()).then("kvk:" + pl.col("kvk")).otherwise("naam:" + pl.col("_naam"))
    return suppliers.select("_sup", pl.when(pl.col("_known")).then("kvk:" + pl.col("kvk"))
                            .otherwise(pl.coalesce("_lev_naam", "_lev_fuzzy", own)).alias("_lev"))


def ledger_invoices(lines: pl.DataFrame) -> pl.DataFrame:
    """One row per supplier and invoice: its lines summed, credit notes netted with the invoice they name."""
    lines = lines.with_columns(number_key(pl.col("factuurnummer")).alias("_nr"))
    first = lines.group_by("_sup", "_nr").agg(pl.col("bedrag").sum().alias("_som"), pl.col("omschrijving").str.join(" ").alias("_oms"))
    credits = first.filter(pl.col("_som") < 0).with_columns(number_key(pl.col("_oms")).alias("_oms_key"))
    targets = first.filter((pl.col("_som") > 0) & (pl.col("_nr").str.len_chars() >= MIN_CREDIT_REF)).select("_sup", pl.col("_nr").alias("_doel"))
    netted = (credits.join(targets, on="_sup", how="inner")
              .filter(pl.col("_oms_key").str.contains(pl.col("_doel"), literal=True) & (pl.col("_doel") != pl.col("_nr")))
              .sort(pl.col("_doel").str.len_chars(), descending=True)  # the longest number named wins: F12-3 is not F123
              .group_by("_sup", "_nr").agg(pl.col("_doel").first()))
    lines = (lines.join(netted, on=["_sup", "_nr"], how="left")
             .with_columns(pl.coalesce("_doel", "_nr").alias("_nr")))
    main = lines.sort("bedrag", descending=True)
    return main.group_by("_sup", "_nr", maintain_order=True).agg(
        pl.col("bedrag").sum().cast(MONEY).alias("bedrag_grootboek"),
        pl.col("datum").filter(pl.col("bedrag") > 0).min().fill_null(pl.col("datum").min()).alias("datum_gb"),
        pl.col("factuurnummer").first().alias("nr_gb"),
        pl.col("crediteur_naam").drop_nulls().first().alias("naam_gb"),
        pl.col("kvk").drop_nulls().first().alias("kvk_gb"),
        pl.col("file").unique(maintain_order=True).str.join(", ").alias("grootboek_bestand"),
        pl.col("regel").sort().cast(pl.Utf8).str.join(", ").alias("grootboek_regels"),
        pl.col("kostenplaats").first().alias("kostenplaats"),
        pl.col("brin").first().alias("brin_grootboek"),
        pl.col("brin").drop_nulls().unique().alias("_brins"),
        pl.col("_lev").first(),
    )


def reconcile(lines: pl.DataFrame, invoices: pl.DataFrame, first=None, last=None) -> pl.DataFrame:
    """The Aansluiting: every ledger invoice and every workbook invoice of the ledger's period, with its status."""
    wb = _workbook_side(invoices)
    if first is not None and last is not None:
        wb = wb.filter(pl.col("factuurdatum").is_null() | pl.col("factuurdatum").is_between(first, last))
    lines = lines.with_columns(
        pl.coalesce(pl.col("crediteur"), "naam:" + name_key(pl.col("crediteur_naam"))).alias("_sup"),
        name_key(pl.col("crediteur_naam")).alias("_naam"))
    lines = lines.join(_supplier_keys(lines, wb), on="_sup", how="left")
    gb = ledger_invoices(lines)
    joined = gb.join(wb, left_on=["_lev", "_nr"], right_on=["_lev", "_nr"], how="full", coalesce=True)
    in_gb, in_wb = pl.col("bedrag_grootboek").is_not_null(), pl.col("bedrag").is_not_null()
    # Another school: the ledger books the invoice at none of the schools that pay for it (a bovenschools
    # invoice may be booked at any participating school, or on the board's bovenschools cost centre).
    payers = (pl.when(pl.col("niveau").fill_null("") == ABOVE_SCHOOL).then(pl.col("betalers"))
              .otherwise(pl.concat_list(pl.col("brin").fill_null(""))))
    other_school = (pl.col("brin_grootboek").is_not_null() & (pl.col("brin_grootboek") != BOARD_COST_CENTRE)
                    & (pl.col("_brins").list.set_intersection(payers).list.len() == 0))
    status = (pl.when(~in_wb).then(pl.lit(GEEN_WERKBOEK)).when(~in_gb).then(pl.lit(NIET_IN_GROOTBOEK))
              .when(pl.col("bedrag_grootboek") != pl.col("bedrag")).then(pl.lit(BEDRAG_WIJKT_AF))
              .when(other_school).then(pl.lit(ANDERE_SCHOOL)).otherwise(pl.lit(GEKOPPELD)))
    datum = pl.coalesce("factuurdatum", "datum_gb")
    out = joined.with_columns(status.alias("status")).select(
        "status",
        pl.coalesce("leverancier_naam", "naam_gb").alias("leverancier"),
        pl.coalesce("leverancier_kvk", "kvk_gb").alias("kvk"),
        pl.coalesce("factuurnummer", "nr_gb").alias("factuurnummer"),
        datum.alias("datum"), pl.col("datum_gb").alias("datum_grootboek"), _school_year(pl.coalesce("datum_gb", "factuurdatum")).alias("schooljaar"),
        "bedrag_grootboek", pl.col("bedrag").alias("bedrag_werkboek"),
        (pl.col("bedrag_grootboek").fill_null(0) - pl.col("bedrag").fill_null(0)).cast(MONEY).alias("verschil"),
        "grootboek_bestand", "grootboek_regels", "kostenplaats", "brin_grootboek", "brin", "hire_id", "file", "sheet", "cell",
    )
    return out.cast(SCHEMA).sort("status", "brin_grootboek", "brin", "leverancier", "factuurnummer", nulls_last=True)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def _euro(v) -> str:
    return dutch.format_euro(v) if v is not None else "geen bedrag"


def _where(file: str | None, regels: str | None) -> str:
    return f"{file}, regel {regels}" if file else "grootboek"


def not_in_workbooks(ctx: BoardContext) -> list[Finding]:
    """L1: NPO spending in the ledger that no workbook of that school and supplier accounts for."""
    rec = ctx.reconciliation
    if rec is None or rec.is_empty():
        return []
    gaps = rec.filter(pl.col("status") == GEEN_WERKBOEK)
    groups = (gaps.group_by("brin_grootboek", "leverancier", "kvk", "schooljaar", "grootboek_bestand", maintain_order=True)
              .agg(pl.col("bedrag_grootboek").sum(), pl.col("factuurnummer"), pl.col("grootboek_regels").str.join(", ")))
    out = []
    for g in groups.filter(pl.col("bedrag_grootboek") > 0).iter_rows(named=True):
        lines = ", ".join(sorted(set(g["grootboek_regels"].split(", ")), key=int))
        brin = g["brin_grootboek"]
        school = ctx.board.schools.get(brin)
        out.append(findings.finding(
            "L1", "geen_werkboek", file=g["grootboek_bestand"], hire_id="", sheet="", cell=f"regel {lines}", about=brin or "",
            schooljaar=g["schooljaar"] or "onbekend", bedrag=_euro(g["bedrag_grootboek"]),
            leverancier=g["leverancier"] or g["kvk"] or "onbekende leverancier",
            school=f"{school.name} ({brin})" if school else (brin or "een onbekende kostenplaats"),
            facturen="facturen " + ", ".join(x for x in g["factuurnummer"] if x)))
    return out


def _wb_finding(rule: str, code: str, row: dict, **params) -> Finding:
    return findings.finding(rule, code, file=row["file"], hire_id=row["hire_id"] or "", sheet=row["sheet"] or "", cell=row["cell"] or "",
                            factuur=row["factuurnummer"] or "", leverancier=row["leverancier"] or row["kvk"] or "", **params)


def not_booked(ctx: BoardContext) -> list[Finding]:
    """L2: a workbook invoice that is not in the ledger as NPO spending."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    return [_wb_finding("L2", "niet_geboekt", r, bedrag=_euro(r["bedrag_werkboek"]))
            for r in rec.filter(pl.col("status") == NIET_IN_GROOTBOEK).iter_rows(named=True)]


def amount_differs(ctx: BoardContext) -> list[Finding]:
    """L3: the invoice is in both, with different amounts excl. BTW."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    return [_wb_finding("L3", "bedrag", r, werkboek=_euro(r["bedrag_werkboek"]), grootboek=_euro(r["bedrag_grootboek"]),
                        bron=_where(r["grootboek_bestand"], r["grootboek_regels"]))
            for r in rec.filter(pl.col("status") == BEDRAG_WIJKT_AF).iter_rows(named=True)]


def other_school(ctx: BoardContext) -> list[Finding]:
    """L4: the invoice is booked on another school's cost centre."""
    rec = ctx.reconciliation
    if rec is None:
        return []
    out = []
    payers = {h.file: [b for b, _ in aggregate.participants(h) if b] for h in ctx.counted if h.above_school}
    for r in rec.filter(pl.col("status") == ANDERE_SCHOOL).iter_rows(named=True):
        other = ctx.board.schools.get(r["brin_grootboek"])
        paying = payers.get(r["file"]) or []
        # one paying school (a bovenschools hire for one participant): that school, not the administering one
        own = (f"een van de deelnemende scholen ({', '.join(paying)})" if len(paying) > 1
               else paying[0] if paying else r["brin"] or "")
        out.append(_wb_finding("L4", "andere_school", r, kostenplaats=r["kostenplaats"] or "", brin=own,
                               andere=f"{other.name} ({other.brin})" if other else r["brin_grootboek"],
                               bron=_where(r["grootboek_bestand"], r["grootboek_regels"])))
    return out


def completeness(rec: pl.DataFrame) -> pl.DataFrame:
    """Per school (cost centre) and calendar year of booking: the ledger's NPO spending on external parties,
    the part workbooks account for, and the rest by status. In grootboek = verantwoord + bedrag wijkt af + geen werkboek."""
    gb = (rec.filter(pl.col("bedrag_grootboek").is_not_null())
          # one ledger invoice that two workbooks both claim counts once
          .unique(["grootboek_bestand", "grootboek_regels"], keep="first", maintain_order=True)
          .with_columns(pl.col("datum_grootboek").dt.year().alias("kalenderjaar")))

    def part(*statuses: str) -> pl.Expr:
        return pl.col("bedrag_grootboek").filter(pl.col("status").is_in(list(statuses))).sum()

    return (gb.group_by("brin_grootboek", "kalenderjaar")
            .agg(pl.col("bedrag_grootboek").sum().alias("grootboek"), part(GEKOPPELD, ANDERE_SCHOOL).alias("verantwoord"),
                 part(BEDRAG_WIJKT_AF).alias("bedrag_wijkt_af"), part(GEEN_WERKBOEK).alias("geen_werkboek"),
                 part(ANDERE_SCHOOL).alias("andere_school"))
            .sort("kalenderjaar", "brin_grootboek", nulls_last=True))


# Registered by call, not with decorator syntax: mutmut (make mutants) does not mutate decorated functions.
board_check("L1")(not_in_workbooks)
board_check("L2")(not_booked)
board_check("L3")(amount_differs)
board_check("L4")(other_school)

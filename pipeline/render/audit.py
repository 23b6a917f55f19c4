"""The auditor's parts of the jaarverslag, its appendices and the register: bridge, invoice trace, rechtmatigheid."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from pipeline import aggregate, audit, dutch
from pipeline.aggregate import MONEY
from pipeline.model import READ, RunData
from pipeline.read import board as config
from pipeline.render.context import DASH, calendar_years, count, day, euro, school_label, school_names, share, text

# Keys of the jaarverslag's context that only the appendix document shows (pipeline/render/jaarverslag.py split()).
APPENDIX_KEYS = ("facturen", "facturen_totaal", "bronbestanden", "niet_meegeteld", "brug", "brug_tekst", "brug_begin",
                 "brug_eind", "brug_facturen")


def _invoice_rows(data: RunData, year: int) -> tuple[list[dict], dict[str, str]]:
    trace = audit.invoice_trace(data, year)
    rows = []
    for r in trace.iter_rows(named=True):
        above = r["niveau"] == "Bovenschools"
        rows.append({
            "nummer": text(r["factuurnummer"]) or "zonder nummer", "datum": day(r["factuurdatum"], "geen datum"),
            "excl": euro(r["bedrag"]), "btw": euro(r["btw"]), "incl": euro(r["totaal"]),
            "school": r["brin"] or "onbekend",
            "aandeel": dutch.format_percent(Decimal(r["aandeel"]) if above and r["aandeel"] is not None else Decimal(1)),
            "bestand": text(r["file"]), "tabblad": text(r["sheet"]), "cel": r["cell"] or "", "sha256": r["sha256"] or DASH,
        })
    m = aggregate.money(trace)
    return rows, {"aantal": count(len(rows), "regel", "regels"), "excl": euro(m.excl), "btw": euro(m.btw), "incl": euro(m.incl)}


def _sources(data: RunData) -> list[dict]:
    """bestuur.xlsx (the source of every allocation and setting) and every ledger file, with SHA-256."""
    from pipeline.read import workbook as reader

    out = []
    path = data.inputs / config.FILE_NAME
    if path.is_file():
        out.append({"bestand": config.FILE_NAME, "rol": "Instellingen, scholen, leerlingen en toekenningen", "sha256": reader.sha256_of(path)})
    for f in sorted(data.ledger_files, key=lambda f: f.file):
        role = "Grootboek (NPO-selectie)" if f.status == READ else f"Grootboek, niet gebruikt: {text(f.reason)}"
        out.append({"bestand": text(f.file), "rol": role, "sha256": f.sha256 or DASH})
    return out


def _not_counted(data: RunData) -> list[dict]:
    return [{"bestand": text(f.file), "status": f.status, "reden": text(f.reason) or DASH, "sha256": f.sha256 or DASH}
            for f in sorted(data.files, key=lambda f: f.file) if f.status != READ]


def _bridge_rows(b: audit.Bridge) -> list[dict]:
    rows = [{"stap": f"Totaal jaarverslag {b.year} (factuurdatum, incl. btw)", "bedrag": euro(b.incl), "facturen": ""},
            {"stap": "Af: btw op deze facturen", "bedrag": euro(-b.btw), "facturen": ""},
            {"stap": f"Totaal jaarverslag {b.year} excl. btw", "bedrag": euro(b.excl), "facturen": ""}]
    for line in b.lines:
        shown = "; ".join(f"{i.factuurnummer or 'zonder nummer'} ({i.hire_id or i.leverancier or 'grootboek'}) {euro(i.amount)}"
                          for i in line.items)
        rows.append({"stap": line.label, "bedrag": euro(line.amount), "facturen": text(shown)})
    if b.ledger:
        rows.append({"stap": f"NPO-selectie grootboek {b.year} (boekdatum)", "bedrag": euro(b.end), "facturen": ""})
    return rows


def _bridge_text(b: audit.Bridge) -> str:
    if not b.ledger:
        return ("Er is geen grootboek ingelezen (map grootboek in de invoermap). De brug stopt daarom bij het totaal van het "
                f"jaarverslag exclusief btw ({euro(b.excl)}): de aansluiting op de administratie kan niet worden gemaakt.")
    files = "; ".join(b.ledger_files) or "grootboek"
    same = "gelijk aan" if b.end == b.ledger_total else "NIET gelijk aan"
    return (f"Van het totaal van het jaarverslag {b.year} (facturen op factuurdatum, {euro(b.incl)} incl. btw, {euro(b.excl)} excl. btw) "
            f"naar de NPO-uitgaven aan externe partijen in het grootboek met een boekdatum in {b.year} ({files}). Elke regel noemt "
            f"zijn facturen; de eindstand {euro(b.end)} is {same} de som van de grootboekregels van {b.year} ({euro(b.ledger_total)}).")


def appendix_context(data: RunData, year: int) -> dict[str, Any]:
    """Bijlage A at invoice level, the source files, the files that do not count, and Bijlage D: the bridge."""
    rows, totals = _invoice_rows(data, year)
    b = audit.bridge(data, year)
    return {"facturen": rows, "facturen_totaal": totals, "bronbestanden": _sources(data), "niet_meegeteld": _not_counted(data),
            "brug": _bridge_rows(b), "brug_tekst": _bridge_text(b), "brug_begin": euro(b.incl), "brug_eind": euro(b.end),
            "brug_facturen": sum(len(line.items) for line in b.lines)}


def _law_rows(law: audit.Lawfulness, kind: str) -> list[dict]:
    return [{"inhuur": r["hire_id"] or text(r["file"]), "regels": r["regels"] or DASH, "reden": text(r["reden"]),
             "bedrag": euro(r["bedrag"]), "aandeel": share(aggregate.cents(r["bedrag"]), law.spending), "facturen": text(r["facturen"])}
            for r in law.rows.filter(pl.col("soort") == kind).iter_rows(named=True)]


def report_context(data: RunData, year: int, year_files: list[str]) -> dict[str, Any]:
    """The jaarverslag's rechtmatigheid (section Naleving) and where each school's allocation comes from."""
    law = audit.lawfulness(data, year, year_files)
    wrong, unsure = law.total(audit.FOUT), law.total(audit.ONZEKER)
    text_ = (f"Van de NPO-uitgaven aan externe inhuur in {year} ({euro(law.spending)} incl. btw) is {euro(wrong)} "
             f"({share(wrong, law.spending)}) besteed onder een opdracht die niet rechtmatig is aanbesteed (fouten: regel A1 of A2) "
             f"en {euro(unsure)} ({share(unsure, law.spending)}) onder een opdracht waarvan de procedure niet te beoordelen is "
             "omdat het werkboek de antwoorden mist (onzekerheden).")
    national = [{"inhuur": r["hire_id"] or text(r["file"]), "ernst": r["severity"], "melding": text(r["message"])}
                for r in law.national.iter_rows(named=True)]
    names = school_names(data)
    sources = audit.allocation_sources(data.allocations_df, [f"{year - 1}-{year}", f"{year}-{year + 1}"])
    by_kind: dict[str, list[str]] = {}
    for brin, kind in sources.items():
        by_kind.setdefault(kind, []).append(school_label(names, brin))
    herkomst = "; ".join(f"{kind}: {', '.join(schools)}" for kind, schools in sorted(by_kind.items()))
    toekenning_bron = (f"Herkomst van de toekenningen voor {year}: {herkomst}. 'DUO' is het bedrag uit het Overzicht financiële "
                       "beschikkingen van DUO (bestuur.xlsx, tabblad Leerlingen); 'berekend' is berekend uit de leerlingaantallen."
                       if herkomst else "")
    return {"rechtmatigheid_tekst": text_, "rechtmatigheid_fouten": _law_rows(law, audit.FOUT),
            "rechtmatigheid_onzeker": _law_rows(law, audit.ONZEKER),
            "rechtmatigheid_totaal": {"fout": euro(wrong), "fout_aandeel": share(wrong, law.spending), "onzeker": euro(unsure),
                                      "onzeker_aandeel": share(unsure, law.spending), "besteding": euro(law.spending)},
            "nationaal": national, "toekenning_bron": toekenning_bron}


# --------------------------------------------------------------------------- register sheets

BRIDGE_SCHEMA = {"kalenderjaar": pl.Int64, "stap": pl.Int64, "soort": pl.Utf8, "omschrijving": pl.Utf8, "factuurnummer": pl.Utf8,
                 "leverancier": pl.Utf8, "hire_id": pl.Utf8, "werkboek": pl.Utf8, "grootboek": pl.Utf8, "datum": pl.Date,
                 "datum_grootboek": pl.Date, "brug_bedrag": MONEY}
LAW_SHEET_SCHEMA = {"kalenderjaar": pl.Int64, "soort": pl.Utf8, "hire_id": pl.Utf8, "file": pl.Utf8, "regels": pl.Utf8,
                    "reden": pl.Utf8, "incl_btw": MONEY, "aandeel_besteding": pl.Float64, "facturen": pl.Utf8}


def bridge_frame(data: RunData) -> pl.DataFrame:
    """Every year's bridge, one row per invoice on a line: beginstand + mutaties = eindstand per year."""
    rows = []
    for year in calendar_years(data):
        b = audit.bridge(data, year)
        base = {"kalenderjaar": year, "factuurnummer": None, "leverancier": None, "hire_id": None, "werkboek": None,
                "grootboek": None, "datum": None, "datum_grootboek": None}
        rows.append({**base, "stap": 0, "soort": "beginstand", "omschrijving": f"Totaal jaarverslag {year} incl. btw", "brug_bedrag": b.incl})
        rows.append({**base, "stap": 1, "soort": "mutatie", "omschrijving": "Af: btw op deze facturen", "brug_bedrag": -b.btw})
        for n, line in enumerate(b.lines, start=2):
            for i in line.items:
                rows.append({"kalenderjaar": year, "stap": n, "soort": "mutatie", "omschrijving": line.label,
                             "factuurnummer": i.factuurnummer or None, "leverancier": i.leverancier or None, "hire_id": i.hire_id or None,
                             "werkboek": i.werkboek or None, "grootboek": i.grootboek or None, "datum": i.datum,
                             "datum_grootboek": i.datum_grootboek, "brug_bedrag": i.amount})
        end = (f"NPO-selectie grootboek {year} (boekdatum)" if b.ledger
               else "Geen grootboek ingelezen: de brug stopt bij het totaal excl. btw")
        rows.append({**base, "stap": len(b.lines) + 2, "soort": "eindstand", "omschrijving": end, "brug_bedrag": b.end})
    return pl.DataFrame(rows, schema=BRIDGE_SCHEMA) if rows else pl.DataFrame(schema=BRIDGE_SCHEMA)


def lawfulness_frame(data: RunData) -> pl.DataFrame:
    """Per year the hires whose spending is a fout or an onzekerheid, with their share of the year's spending."""
    parts = []
    for year in calendar_years(data):
        law = audit.lawfulness(data, year)
        if law.rows.is_empty():
            continue
        whole = float(law.spending) if law.spending else None
        parts.append(law.rows.select(
            pl.lit(year, dtype=pl.Int64).alias("kalenderjaar"), "soort", "hire_id", "file", "regels", "reden", pl.col("bedrag").alias("incl_btw"),
            (pl.col("bedrag").cast(pl.Float64) / whole if whole else pl.lit(None, dtype=pl.Float64)).alias("aandeel_besteding"),
            "facturen"))
    return pl.concat(parts) if parts else pl.DataFrame(schema=LAW_SHEET_SCHEMA)


def register_sheets(data: RunData) -> dict[str, pl.DataFrame]:
    """The register's sheets Brug and Rechtmatigheid."""
    return {"Brug": bridge_frame(data), "Rechtmatigheid": lawfulness_frame(data)}


def all_computed_warning(data: RunData) -> str | None:
    """The terminal's one warning when no allocation is DUO's: every NPO amount is then computed."""
    if not audit.all_computed(data.allocations_df):
        return None
    return ("Let op: alle NPO-toekenningen zijn berekend uit leerlingaantallen; geen enkele komt van DUO. Vul in bestuur.xlsx "
            "(tabblad Leerlingen, kolom F) de bedragen uit het Overzicht financiële beschikkingen van DUO in.")



# Dutch headings of the columns of the sheets Brug and Rechtmatigheid (the register's HEADERS takes them in).
REGISTER_HEADERS = {
    "stap": "Stap", "soort": "Soort", "omschrijving": "Omschrijving", "werkboek": "Werkboek (bestand · tabblad · cel)",
    "grootboek": "Grootboek (bestand, regels)", "datum": "Factuurdatum", "datum_grootboek": "Boekdatum", "regels": "Regels",
    "reden": "Reden", "aandeel_besteding": "Aandeel van de NPO-besteding", "facturen": "Facturen", "file": "Bestand",
    "hire_id": "Inhuur", "brug_bedrag": "Bedrag (beginstand incl. btw, daarna excl. btw)",
}
REGISTER_PERCENT = {"aandeel_besteding"}
REGISTER_MONEY = {"brug_bedrag"}

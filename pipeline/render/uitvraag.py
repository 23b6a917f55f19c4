"""Requests to schools (uitvraag): workbooks pre-filled with what the ledger knows, a blank per school, a draft e-mail."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from pipeline import dutch, names
from pipeline.model import RunData
from pipeline.render import reply
from pipeline.render import workbook as template
from pipeline.rules import ledger as ledger_rules
from pipeline import spec as spec_mod

FOLDER = "uitvraag"


@dataclass
class Request:
    """One pre-filled workbook: a school's spending at one supplier in one school year without a workbook (L1)."""

    brin: str
    schooljaar: str
    volgnummer: int
    leverancier: str
    kvk: str | None
    invoices: list[dict]  # factuurnummer, datum, bedrag
    bron: str  # ledger file and lines
    path: Path | None = None

    @property
    def total(self):
        return sum(i["bedrag"] for i in self.invoices)


@dataclass
class SchoolRequests:
    brin: str
    requests: list[Request] = field(default_factory=list)
    blank: Path | None = None
    eml: Path | None = None


def _slug(text: str) -> str:
    return re.sub(r"[^\w\- ]+", "", text).strip()[:40] or "leverancier"


def gaps(data: RunData) -> list[Request]:
    """The L1 gaps per school, supplier and school year, each with the next free volgnummer of its school year."""
    rec = data.reconciliation_df
    if rec is None:
        return []
    open_ = rec.filter((pl.col("status") == ledger_rules.GEEN_WERKBOEK) & pl.col("brin_grootboek").is_in(list(data.board.schools)))
    groups = (open_.sort("datum").group_by("brin_grootboek", "schooljaar", "leverancier", "kvk", maintain_order=True)
              .agg(pl.col("factuurnummer"), pl.col("datum"), pl.col("bedrag_grootboek"),
                   (pl.col("grootboek_bestand") + ", regel " + pl.col("grootboek_regels")).alias("bron"))
              .filter(pl.col("bedrag_grootboek").list.sum() > 0)
              .sort("brin_grootboek", "schooljaar", "leverancier"))
    used: dict[tuple[str, str], int] = {}
    for r in data.hires_df.select("brin", "schooljaar", "volgnummer").drop_nulls().iter_rows():
        used[(r[0], r[1])] = max(used.get((r[0], r[1]), 0), r[2])
    out = []
    for g in groups.iter_rows(named=True):
        key = (g["brin_grootboek"], g["schooljaar"])
        used[key] = used.get(key, 0) + 1
        invoices = [{"factuurnummer": n, "datum": d, "bedrag": b} for n, d, b in zip(g["factuurnummer"], g["datum"], g["bedrag_grootboek"])]
        out.append(Request(g["brin_grootboek"], g["schooljaar"], used[key], g["leverancier"] or "", g["kvk"], invoices, "; ".join(g["bron"])))
    return out


def _write(path: Path, fields: dict, invoices: list[list] | None = None) -> Path:
    spec = spec_mod.load()
    wb = template.build()
    rows = invoices or []
    limit = spec.tables["tblFacturen"].rows
    template.fill(wb, {k: v for k, v in fields.items() if v not in (None, "")}, {"tblFacturen": rows[:limit]} if rows else None,
                  below_table={"tblFacturen": rows[limit:]} if len(rows) > limit else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _body(school_name: str, brin: str, items: list[Request], blank_year: str) -> str:
    """The cover text: what is missing and asked for, or (nothing missing) only the blank workbook, without reproach."""
    lines = ["Beste collega,", "", "Het bestuur verantwoordt elk jaar de NPO-uitgaven aan externe partijen."]
    if items:
        lines[-1] += (f" In de financiële administratie van het bestuur staan uitgaven van {school_name} ({brin}) waarvoor "
                      "nog geen inhuurwerkboek is ontvangen.")
    else:
        lines[-1] += (f" Voor alle uitgaven aan externe partijen van {school_name} ({brin}) in de financiële administratie "
                      "van het bestuur is een inhuurwerkboek ontvangen: er ontbreekt niets. Dank daarvoor.")
    lines.append("")
    if items:
        lines.append("Wij vragen u daarom om de volgende werkboeken aan te vullen:")
        for r in items:
            nrs = ", ".join(i["factuurnummer"] or "zonder nummer" for i in r.invoices)
            lines.append(f"  - {r.leverancier}, schooljaar {r.schooljaar}: {dutch.format_euro(r.total)} excl. btw "
                         f"(facturen {nrs}); bijlage {r.path.name if r.path else ''}")
        lines += ["",
                  "In deze werkboeken staan de school, de partij en de facturen al ingevuld zoals de administratie ze kent. "
                  "Vult u de rest in: waarom de partij is ingehuurd, de vragenlijst van OCW, de MR, de resultaten en de evaluatie. "
                  "Klopt iets van wat al is ingevuld niet? Verbeter het dan gewoon in het werkboek.", ""]
    lines += [f"Voor een inhuur die nog niet in de administratie staat, vindt u een leeg werkboek voor schooljaar {blank_year} "
              "in de bijlage." if items else
              f"Gaat de school nog een externe partij inhuren met NPO-middelen, dan vindt u in de bijlage een leeg werkboek "
              f"voor schooljaar {blank_year}.", "",
              "Stuur de ingevulde werkboeken als Excel-werkmap (.xlsx) terug naar het bestuursbureau.", "",
              "Met vriendelijke groet,", "", "Het bestuursbureau", ""]
    return "\n".join(lines)


def write_requests(data: RunData, outputs: Path, sender: str = reply.DEFAULT_SENDER, *, now: datetime | None = None) -> list[SchoolRequests]:
    """Write outputs/uitvraag/<BRIN>/ (pre-filled and blank workbooks) and outputs/uitvraag/<BRIN>.eml per school."""
    folder = outputs / FOLDER
    year = dutch.school_year_of(data.today)
    by_school: dict[str, SchoolRequests] = {brin: SchoolRequests(brin) for brin in data.board.schools}
    for r in gaps(data):
        school = data.board.schools[r.brin]
        name = names.safe_name(f"{r.schooljaar}-{r.volgnummer} {_slug(r.leverancier)} (vooraf ingevuld).xlsx")
        fields = {"brin": r.brin, "school_naam": school.name, "schooljaar": r.schooljaar, "volgnummer": r.volgnummer,
                  "leverancier_naam": r.leverancier, "leverancier_kvk": r.kvk,
                  "bron_administratie": f"Vooraf ingevuld uit het grootboek van het bestuur: {r.bron}"}
        invoices = [[i["factuurnummer"], i["datum"], float(i["bedrag"]), None, "Uit de financiële administratie"] for i in r.invoices]
        r.path = _write(folder / r.brin / name, fields, invoices)
        by_school[r.brin].requests.append(r)
    for brin, sr in by_school.items():
        school = data.board.schools[brin]
        sr.blank = _write(folder / brin / f"{year} leeg werkboek {brin}.xlsx",
                          {"brin": brin, "school_naam": school.name, "schooljaar": year})
        subject = (f"Verzoek om inhuurwerkboeken {brin}: {len(sr.requests)} vooraf ingevuld" if sr.requests
                   else f"Leeg inhuurwerkboek {brin} voor schooljaar {year}")
        body = _body(school.name, brin, sr.requests, year)
        msg = reply.compose(sender, school.email, subject, body, [r.path for r in sr.requests if r.path] + [sr.blank],
                            now or datetime.combine(data.today, datetime.min.time()))
        sr.eml = reply.write_eml(msg, folder / f"{brin}.eml")
    return [by_school[b] for b in sorted(by_school)]

"""The auditor's dossier: a monetary-unit sample of a year's counted invoices, with the evidence of each in a folder."""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import polars as pl

from pipeline import audit, dutch
from pipeline.model import RunData

FOLDER = "dossier"
INDEX = "werkprogramma.xlsx"
CONCLUSION = "Conclusie accountant"


class DossierError(Exception):
    """The dossier cannot be made; the message says in Dutch what to do."""


@dataclass
class Item:
    """One sampled invoice and the files of its folder."""

    number: int
    key: str  # factuur_id: file!sheet!cell
    invoice: dict
    hits: int
    first_point: Decimal
    above_interval: bool
    folder: str = ""
    files: dict[str, str] = field(default_factory=dict)  # role -> dossier-relative path
    findings: list[dict] = field(default_factory=list)
    ledger_lines: int = 0


@dataclass
class Dossier:
    year: int
    folder: Path
    plan: audit.SamplePlan
    items: list[Item]
    missing_marked: list[str] = field(default_factory=list)  # workbooks without a marked copy in outputs/


def population(data: RunData, year: int) -> list[tuple[str, Decimal, dict]]:
    """The year's counted invoices, whole (a bovenschools invoice once), incl. BTW, in a fixed order: date, file, cell."""
    inv = audit.counted_whole(data).filter(pl.col("kalenderjaar") == year).sort("factuurdatum", "file", "sheet", "cell", "factuur_id")
    return [(r["factuur_id"], audit.cents(r["totaal"]), r) for r in inv.iter_rows(named=True)]


def default_year(data: RunData) -> int | None:
    """The last calendar year with counted invoices that has ended on the run's date, else the last with any."""
    years = sorted(int(y) for y in audit.counted_whole(data).get_column("kalenderjaar").drop_nulls().unique().to_list())
    ended = [y for y in years if y < data.today.year]
    return (ended or years or [None])[-1]


def draw(data: RunData, year: int) -> tuple[audit.SamplePlan, list[Item]]:
    """The sample with the board's settings (bestuur.xlsx: materiality, confidence, seed)."""
    s = data.board.settings
    pop = population(data, year)
    plan, chosen = audit.mus_sample([(k, a) for k, a, _ in pop], Decimal(s.materiality), s.confidence, s.sample_seed)
    rows = {k: r for k, _, r in pop}
    return plan, [Item(n, c.key, rows[c.key], c.hits, c.first_point, c.above_interval) for n, c in enumerate(chosen, start=1)]


def _safe(name: str) -> str:
    import re

    cleaned = re.sub(r"[^\w.\- ]+", "_", name, flags=re.UNICODE).strip(" ._")
    return cleaned[:60] or "factuur"


CSV_HEADERS = {
    "file": "Bestand", "regel": "Regel", "datum": "Datum", "rekening": "Grootboekrekening", "kostenplaats": "Kostenplaats",
    "project": "Project", "crediteur": "Crediteur", "crediteur_naam": "Naam crediteur", "kvk": "KvK", "factuurnummer": "Factuurnummer",
    "omschrijving": "Omschrijving", "bedrag": "Bedrag", "brin": "BRIN", "rule": "Regel", "severity": "Ernst", "sheet": "Tabblad",
    "cell": "Cel", "message": "Melding", "source": "Bron",
}


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    """A CSV the way a Dutch Excel opens it: semicolons, UTF-8 with BOM, Dutch headings."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([CSV_HEADERS.get(c, c) for c in columns])
    for r in rows:
        w.writerow(["" if r.get(c) is None else _cell_text(r.get(c)) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def _cell_text(v) -> str:
    if isinstance(v, Decimal):
        return f"{v:.2f}".replace(".", ",")  # 1234,56: the way a Dutch Excel reads a CSV amount
    if hasattr(v, "strftime"):
        return v.strftime("%d-%m-%Y")
    return str(v)


def _ledger_lines(data: RunData, key: str) -> list[dict]:
    """The ledger lines of one workbook invoice, through the reconciliation (file and line numbers)."""
    rec = data.reconciliation_df
    if rec is None or data.ledger_df is None:
        return []
    file, sheet, cell = key.split("!")
    hit = rec.filter((pl.col("file") == file) & (pl.col("sheet") == sheet) & (pl.col("cell") == cell)
                     & pl.col("grootboek_regels").is_not_null())
    wanted: set[tuple[str, int]] = set()
    for files, lines in hit.select("grootboek_bestand", "grootboek_regels").iter_rows():
        for f in audit.split_list(files):
            wanted |= {(f, int(n)) for n in audit.split_list(lines)}
    if not wanted:
        return []
    lines = data.ledger_df.filter(pl.struct("file", "regel").map_elements(
        lambda s: (s["file"], int(s["regel"])) in wanted, return_dtype=pl.Boolean))
    return lines.sort("file", "regel").to_dicts()


def _findings(data: RunData, file: str) -> list[dict]:
    f = data.findings_df.filter(pl.col("file") == file).with_columns(pl.col("severity").cast(pl.Utf8))
    return f.sort("rule", "sheet", "cell").select("rule", "severity", "sheet", "cell", "message", "source").to_dicts()


def make(data: RunData, outputs: Path, year: int) -> Dossier:
    """Write outputs/dossier/<year>/: the index workbook and a folder per sampled invoice. The marked copies come
    from the report in `outputs` (make report first). A dossier folder of an earlier run is replaced as a whole;
    a folder there that this program did not make is left alone (an error)."""
    from pipeline import publish

    target = outputs / FOLDER / str(year)
    if target.exists() and not (target / INDEX).is_file():
        raise DossierError(f"De map {target} bestaat al en is niet door dit programma gemaakt; verplaats haar en probeer opnieuw.")
    plan, items = draw(data, year)
    if not items:
        raise DossierError(f"Er zijn geen getelde facturen met een factuurdatum in {year}: geen steekproef mogelijk.")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=target.parent))
    missing: list[str] = []
    try:
        for item in items:
            inv = item.invoice
            name = f"{item.number:03d} {_safe(inv['factuurnummer'] or 'zonder nummer')}"
            folder = staging / name
            folder.mkdir()
            item.folder = name
            source = data.inputs / inv["file"]
            workbook = folder / ("werkboek " + _safe(Path(inv["file"]).stem) + Path(inv["file"]).suffix)
            shutil.copyfile(source, workbook)
            item.files["werkboek"] = f"{name}/{workbook.name}"
            marked = outputs / publish.feedback_path(data, inv["file"])
            if marked.is_file():
                copy = folder / ("gemarkeerd " + _safe(Path(inv["file"]).stem) + Path(inv["file"]).suffix)
                shutil.copyfile(marked, copy)
                item.files["gemarkeerd"] = f"{name}/{copy.name}"
            else:
                missing.append(inv["file"])
            lines = _ledger_lines(data, item.key)
            item.ledger_lines = len(lines)
            columns = ["file", "regel", "datum", "rekening", "kostenplaats", "project", "crediteur", "crediteur_naam", "kvk",
                       "factuurnummer", "omschrijving", "bedrag", "brin"]
            (folder / "grootboekregels.csv").write_bytes(_csv(lines, [c for c in columns if not lines or c in lines[0]]))
            item.files["grootboek"] = f"{name}/grootboekregels.csv"
            item.findings = _findings(data, inv["file"])
            (folder / "bevindingen.csv").write_bytes(_csv(item.findings, ["rule", "severity", "sheet", "cell", "message", "source"]))
            item.files["bevindingen"] = f"{name}/bevindingen.csv"
        dossier = Dossier(year, target, plan, items, sorted(set(missing)))
        write_index(data, dossier, staging / INDEX)
        if target.exists():
            shutil.rmtree(target)  # made by this program (it holds our index), replaced as a whole
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dossier


def _settings_rows(data: RunData, d: Dossier) -> list[tuple[str, str]]:
    p = d.plan
    s, default = data.board.settings, type(data.board.settings)()

    def origin(key: str) -> str:
        return "standaard" if getattr(s, key) == getattr(default, key) else "bestuur.xlsx"

    return [
        ("Kalenderjaar", str(d.year)),
        ("Populatie", f"{p.count} facturen met een factuurdatum in {d.year} die meetellen, samen {dutch.format_euro(p.population)} incl. btw "
                      "(creditnota's en facturen van € 0 hebben geen geldeenheden en worden niet getrokken)"),
        ("Materialiteit", f"{dutch.format_euro(p.materiality)} ({origin('materiality')})"),
        ("Betrouwbaarheid", f"{dutch.format_percent(p.confidence)} ({origin('confidence')})"),
        ("Betrouwbaarheidsfactor", f"{str(p.factor).replace('.', ',')} (nul verwachte fouten)"),
        ("Interval", f"{dutch.format_euro(p.interval)} = materialiteit / betrouwbaarheidsfactor, naar beneden afgerond op een cent"),
        ("Startgetal (seed)", f"{p.seed} ({origin('sample_seed')})"),
        ("Willekeurig beginpunt", f"{dutch.format_euro(p.start)} (uit het startgetal; tussen € 0,01 en het interval)"),
        ("Methode", "Monetary unit sampling, systematisch: de geldeenheden op het beginpunt, beginpunt + interval, beginpunt + 2 × "
                    "interval, … in de volgorde factuurdatum, bestand, cel; een factuur met zo'n geldeenheid is getrokken. Een "
                    "factuur van ten minste het interval wordt altijd getrokken."),
        ("Getrokken", f"{len(d.items)} facturen"),
    ]


def write_index(data: RunData, d: Dossier, path: Path) -> Path:
    """werkprogramma.xlsx: one row per sampled invoice with links to its folder, and an empty column for the auditor."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": f"Werkprogramma steekproef {d.year}", "created": datetime(d.year + 1, 1, 1)})
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True, "valign": "top"})
    euro = wb.add_format({"num_format": '"€" #,##0.00', "valign": "top"})
    date_fmt = wb.add_format({"num_format": "DD-MM-YYYY", "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    link = wb.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top"})
    open_ = wb.add_format({"bg_color": "#FFF2CC", "text_wrap": True, "valign": "top", "locked": False})
    names = {b: s.name for b, s in data.board.schools.items()}
    ws = wb.add_worksheet("Werkprogramma")
    columns = [("Item", 6), ("Factuur", 14), ("Factuurdatum", 12), ("Bedrag incl. btw", 14), ("Inhuur", 18), ("School", 24),
               ("Leverancier", 26), ("Bestand en cel", 40), ("Getrokken", 22), ("Bevindingen", 40), ("Map", 22), ("Werkboek", 14),
               ("Gemarkeerde kopie", 14), ("Grootboekregels", 14), ("Bevindingen (bestand)", 14), (CONCLUSION, 40)]
    for c, (title, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(0, c, title, head)
    for r, item in enumerate(d.items, start=1):
        inv = item.invoice
        school = inv["brin"] or ""
        why = ("boven het interval" if item.above_interval else "geldeenheid") + f" {dutch.format_euro(item.first_point)}"
        if item.hits > 1:
            why += f" ({item.hits} geldeenheden)"
        found = "; ".join(f"{f['rule']} ({f['severity']}) {f['sheet']}!{f['cell']}" for f in item.findings) or "geen"
        ws.write_number(r, 0, item.number)
        ws.write_string(r, 1, inv["factuurnummer"] or "zonder nummer")
        if inv["factuurdatum"] is not None:
            ws.write_datetime(r, 2, datetime.combine(inv["factuurdatum"], datetime.min.time()), date_fmt)
        ws.write_number(r, 3, float(inv["totaal"]), euro)
        ws.write_string(r, 4, inv["hire_id"] or "")
        ws.write_string(r, 5, f"{school} {names.get(school, '')}".strip())
        ws.write_string(r, 6, inv["leverancier_naam"] or "")
        ws.write_string(r, 7, f"{inv['file']} · {inv['sheet']}!{inv['cell']}", wrap)
        ws.write_string(r, 8, why, wrap)
        ws.write_string(r, 9, found, wrap)
        ws.write_url(r, 10, f"external:{item.folder}/", link, string=item.folder)
        for c, role in ((11, "werkboek"), (12, "gemarkeerd"), (13, "grootboek"), (14, "bevindingen")):
            if role in item.files:
                ws.write_url(r, c, "external:" + item.files[role], link, string="openen")
            else:
                ws.write_string(r, c, "ontbreekt")
        ws.write_blank(r, 15, None, open_)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, len(d.items), len(columns) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    info = wb.add_worksheet("Steekproef")
    info.set_column(0, 0, 26)
    info.set_column(1, 1, 110)
    info.write_string(0, 0, "Gegeven", head)
    info.write_string(0, 1, "Waarde", head)
    rows = _settings_rows(data, d)
    if d.missing_marked:
        rows.append(("Zonder gemarkeerde kopie", "Maak eerst het rapport (make report) in dezelfde uitvoermap: "
                                                  + ", ".join(d.missing_marked)))
    for r, (label, value) in enumerate(rows, start=1):
        info.write_string(r, 0, label)
        info.write_string(r, 1, value, wrap)
    wb.close()
    return path

"""Command line (Dutch): the only place that prints, shows progress and picks exit codes."""
from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


app = typer.Typer(add_completion=False, no_args_is_help=True, help="NPO-inhuur: werkboeken controleren en verantwoorden.")
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

SEVERITY_STYLE = {"fout": "bold red", "waarschuwing": "dark_orange", "info": "blue"}

# Exit codes of `report` (README, "Exitcodes"). 1 is left to Python: an unexpected error (a bug).
EXIT_DONE = 0  # everything made
EXIT_NOT_RUN = 2  # wrong call or no inputs folder: nothing was made
EXIT_WARNINGS = 3  # everything published, but some PDFs or marked copies are missing (named in the summary)
NAMES_SHOWN = 10  # missing PDFs named per reason in the summary; manifest.json lists them all


def generated_at() -> datetime:
    """The run's timestamp; SOURCE_DATE_EPOCH fixes it for reproducible documents."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    return datetime.now().replace(microsecond=0)


def _progress_factory(enabled: bool):
    """A rich progress bar for long runs; silent for short ones or when output is not a terminal."""
    state = {}

    def factory(total: int):
        if not enabled or total < 50 or not console.is_terminal:
            return lambda n: None
        bar = Progress(TextColumn("Werkboeken lezen"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
        bar.start()
        task = bar.add_task("lezen", total=total)
        state["bar"] = bar

        def advance(n: int) -> None:
            bar.advance(task, n)
            if bar.tasks[0].completed >= total:
                bar.stop()

        return advance

    return factory


@app.command()
def report(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map met de werkboeken en bestuur.xlsx."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map voor rapporten, register en terugkoppeling."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Aantal processen (standaard: aantal kernen)."),
    pdf: bool = typer.Option(True, "--pdf/--geen-pdf", help="PDF-kopieën maken met LibreOffice."),
    use_cache: bool = typer.Option(True, "--cache/--geen-cache", help="Alleen opnieuw maken wat veranderd is: ongewijzigde werkboeken niet opnieuw lezen, ongewijzigde documenten, kopieën en PDF's hergebruiken (outputs/.cache)."),
) -> None:
    """Controleer alle werkboeken en maak jaarverslag, MR-rapporten, register en terugkoppeling."""
    from pipeline import publish, run
    from pipeline.read.cache import ReadCache

    if not inputs.is_dir():
        err.print(f"[red]De map {inputs} bestaat niet.[/red] Geef met --inputs de map met werkboeken op.")
        raise typer.Exit(EXIT_NOT_RUN)
    from pipeline.read import intake as intake_mod

    started = time.perf_counter()
    cache, fp = None, ""
    if use_cache:
        fp = run.run_fingerprint(inputs, datetime.now().date(), {"pdf": str(pdf), "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")})
        previous = publish.up_to_date(outputs, fp)
        if previous is not None:
            _unchanged(previous, outputs, time.perf_counter() - started)
            return
        cache = ReadCache.for_outputs(outputs)
        cache.prune_others()
    data = run.run(inputs, workers=workers, generated=generated_at(), progress_factory=_progress_factory(True),
                   mail_dates=intake_mod.version_dates(inputs), cache=cache)
    result = publish.write_all(data, outputs, workers=workers or min(os.cpu_count() or 1, 4), pdf=pdf, fingerprint=fp,
                                reuse=use_cache)
    elapsed = time.perf_counter() - started
    _summary(data, result, elapsed)
    if not result.complete:
        raise typer.Exit(EXIT_WARNINGS)


def _unchanged(manifest: dict, outputs: Path, elapsed: float) -> None:
    counts, found = manifest["counts"], manifest["findings"]
    console.print(f"Niets gewijzigd sinds de vorige run ({manifest['generated']}): de uitvoer in [bold]{outputs}[/bold] is actueel.")
    console.print(f"Bestanden: {counts['gelezen']} gelezen, {counts['vervangen']} vervangen, {counts['afgewezen']} afgewezen, "
                  f"{counts['overgeslagen']} overgeslagen. Bevindingen: {found['fout']} fout, {found['waarschuwing']} waarschuwing, "
                  f"{found['info']} info. Tijd {elapsed:.1f} s. (Opnieuw maken: --geen-cache.)")


def _summary(data, result, elapsed: float) -> None:
    counts = data.counts()
    sev = data.findings_df["severity"].cast(str).value_counts()
    by_sev = {r["severity"]: r["count"] for r in sev.iter_rows(named=True)}
    t = Table(title=f"Samenvatting – {data.board.name}", show_header=False)
    t.add_column("", style="bold")
    t.add_column("", justify="right")
    t.add_row("Bestanden gelezen", str(counts["gelezen"]))
    t.add_row("Vervangen door nieuwere versie", str(counts["vervangen"]))
    t.add_row("Afgewezen", str(counts["afgewezen"]))
    t.add_row("Overgeslagen (geen werkboek)", str(counts["overgeslagen"]))
    for s in ("fout", "waarschuwing", "info"):
        t.add_row(f"Bevindingen: {s}", f"[{SEVERITY_STYLE[s]}]{by_sev.get(s, 0)}[/]")
    t.add_row("Tijd", f"{elapsed:.1f} s")
    console.print(t)
    for src, error in result.feedback_errors:
        console.print(f"[red]Geen gemarkeerde kopie van {src}:[/red] {error}")
    if result.pdf_note:
        console.print(f"[dark_orange]{result.pdf_note}[/]")
    if result.pdf_made or result.pdf_missing:
        cached = f", waarvan {result.pdf_from_cache} ongewijzigd uit de cache" if result.pdf_from_cache else ""
        console.print(f"PDF-kopieën: {result.pdf_made} gemaakt{cached}.")
    if result.pdf_missing:
        console.print(f"[dark_orange]{len(result.pdf_missing)} PDF-kopieën ontbreken[/]; de Word-documenten en de "
                      "rest van de uitvoer zijn wel gemaakt. Draai report opnieuw om het nog eens te proberen.")
        by_reason: dict[str, list[str]] = {}
        for doc, why in result.pdf_missing:
            by_reason.setdefault(why, []).append(f"pdf/{Path(doc).stem}.pdf")
        for why, names in by_reason.items():
            more = f" en nog {len(names) - NAMES_SHOWN} (alle namen in manifest.json)" if len(names) > NAMES_SHOWN else ""
            console.print(f"  {why}: {', '.join(names[:NAMES_SHOWN])}{more}")
    console.print(f"Uitvoer staat in [bold]{result.outputs}[/bold] (overzicht: manifest.json).")
    if not result.complete:
        console.print("[dark_orange]Klaar met waarschuwingen[/] (exitcode 3): niet alle uitvoer kon gemaakt worden, zie hierboven.")


@app.command()
def template(outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map voor het lege werkboek.")) -> None:
    """Schrijf het lege inhuurwerkboek (outputs/inhuurwerkboek-<versie>.xlsx)."""
    from pipeline.render import workbook as tpl

    path = tpl.write(outputs / tpl.file_name())
    console.print(f"Leeg werkboek geschreven: [bold]{path}[/bold]")


@app.command()
def validate(
    files: list[Path] = typer.Argument(..., help="Een of meer ingevulde werkboeken."),
    outputs: Path = typer.Option(Path("outputs/controle"), "--outputs", help="Map voor de gemarkeerde kopieën."),
    bestuur: Optional[Path] = typer.Option(None, "--bestuur", help="bestuur.xlsx met de instellingen van het bestuur."),
) -> None:
    """Controleer werkboeken vóór het mailen: toont de bevindingen en schrijft een gemarkeerde kopie."""
    from pipeline import run
    from pipeline.read import board as config
    from pipeline.render import marked as feedback

    board, _ = config.load(bestuur) if bestuur else (config.Board(), [])
    today = board.settings.reference_date or datetime.now().date()
    worst = 0
    for f in files:
        if not f.is_file():
            err.print(f"[red]Bestand niet gevonden:[/red] {f}")
            worst = max(worst, 2)
            continue
        result = run._safe_process(f.resolve(), f.resolve().parent, board, today)
        console.rule(f"{f.name} – {result.status}")
        if not result.findings:
            console.print("[green]Geen bevindingen.[/green]")
        else:
            t = Table(show_lines=False)
            for col in ("Ernst", "Regel", "Tabblad", "Cel", "Melding"):
                t.add_column(col, overflow="fold")
            order = {"fout": 0, "waarschuwing": 1, "info": 2}
            for x in sorted(result.findings, key=lambda x: (order[x.severity], x.sheet, x.cell)):
                t.add_row(f"[{SEVERITY_STYLE[x.severity]}]{x.severity}[/]", x.rule, x.sheet, x.cell, x.message)
            console.print(t)
        if result.hire is not None and result.findings:
            dest = outputs / f.name
            feedback.write_marked_copy(f, dest, result.findings, generated=datetime.now().strftime("%d-%m-%Y %H:%M"))
            console.print(f"Gemarkeerde kopie: [bold]{dest}[/bold]")
        if any(x.severity == "fout" for x in result.findings):
            worst = max(worst, 1)
    if worst == 1:
        console.print("[bold red]Er zijn fouten: verbeter ze voordat u het werkboek mailt.[/]")
    raise typer.Exit(worst)


@app.command()
def docs() -> None:
    """Schrijf de regelcatalogus docs/regels.md uit de regeldata."""
    from pipeline.render import catalogue as catalogue_doc

    path = catalogue_doc.write(Path("docs/regels.md"))
    console.print(f"Regelcatalogus geschreven: [bold]{path}[/bold]")


@app.command()
def intake(
    sources: list[Path] = typer.Argument(..., help="Mappen met opgeslagen e-mails (.eml, .msg) of mbox-bestanden."),
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map waarin de werkboeken per school komen."),
) -> None:
    """Haal werkboeken uit e-mails en zet ze per school in inputs/ (met logboek intake-log.xlsx)."""
    from pipeline.read import intake as intake_mod

    try:
        result = intake_mod.intake(sources, inputs)
    except intake_mod.IntakeError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    c = result.counts()
    console.print(f"Ingelezen: {result.mails} e-mails; opgeslagen {c['opgeslagen']}, dubbel {c['dubbel']}, "
                  f"overgeslagen {c['overgeslagen']}, afgewezen {c['afgewezen']}.")
    for r in result.records:
        if r.status != "opgeslagen":
            console.print(f"  {r.bijlage} — {r.status}" + (f" — {r.opmerking}" if r.opmerking else ""))
    if result.already_seen:
        console.print(f"{result.already_seen} e-mails waren al eerder verwerkt.")
    if result.ignored:
        console.print(f"{len(result.ignored)} bestanden in de map zijn geen e-mail en zijn genegeerd.")
    console.print(f"Logboek: [bold]{result.log}[/bold]")


@app.command()
def reply(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map met de werkboeken en intake-log.xlsx."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map met de uitvoer van report."),
    sender: str = typer.Option("bestuursbureau@bestuur.invalid", "--afzender", help="Afzender van de conceptantwoorden."),
) -> None:
    """Maak per school een conceptantwoord (.eml) met de bevindingen en de gemarkeerde werkboeken."""

    import polars as pl

    from pipeline import publish
    from pipeline.render import reply as reply_mod

    manifest_path = outputs / publish.MANIFEST
    findings_path = outputs / "data" / "bevindingen.parquet"
    if not manifest_path.is_file() or not findings_path.is_file():
        err.print("[red]Geen uitvoer van report gevonden.[/red] Draai eerst: python -m pipeline report")
        raise typer.Exit(2)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    marked = {f["file"]: outputs / f["marked_copy"] for f in manifest["files"] if f.get("marked_copy")}
    paths = reply_mod.draft_replies(inputs, outputs, pl.read_parquet(findings_path), marked, sender)
    console.print(f"{len(paths)} conceptantwoorden in {outputs / 'antwoorden'} (niet verzonden).")
    for p in paths:
        console.print(f"  {p}")


def main() -> None:  # pragma: no cover - console script entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

"""Command line (Dutch): the only place that prints, shows progress and picks exit codes."""
from __future__ import annotations

import os
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline import dutch
from pipeline.dutch import agree, plural  # the one plural helper of every text a user reads
from pipeline.model import SEVERITIES, SEVERITY_RANK

HELP_OPTION_TEXT = "Toon deze hulp en stop."
INTERRUPTED = "Afgebroken; de vorige uitvoer is ongewijzigd."


TYPE_LABELS = {"<path>": "<pad>", "<bool>": "", "<int>": "<getal>", "<str>": "<tekst>", "<float>": "<getal>",
               "<list[Path]>...": "<paden>", "<list[Path]>": "<paden>"}


def dutch_help() -> None:
    """Typer's own texts in Dutch: the --help option, the panel titles and the hint after a wrong call."""
    from typer import rich_utils
    from typer._click import core as click_core

    for name, text in (("OPTIONS_PANEL_TITLE", "Opties"), ("ARGUMENTS_PANEL_TITLE", "Argumenten"),
                       ("COMMANDS_PANEL_TITLE", "Commando's"), ("ERRORS_PANEL_TITLE", "Fout"),
                       ("ABORTED_TEXT", INTERRUPTED), ("DEFAULT_STRING", "[standaard: {}]"),
                       ("REQUIRED_LONG_STRING", "[verplicht]"), ("DEPRECATED_STRING", "(verouderd) "),
                       ("RICH_HELP", "Hulp: [blue]'{command_path} {help_option}'[/]")):
        setattr(rich_utils, name, text)
    from typer._click import formatting

    if not getattr(formatting.HelpFormatter.write_usage, "_dutch", False):
        write_usage = formatting.HelpFormatter.write_usage

        def dutch_usage(self, prog, args="", prefix=None):
            return write_usage(self, prog, args, "Gebruik: " if prefix is None else prefix)

        dutch_usage._dutch = True
        formatting.HelpFormatter.write_usage = dutch_usage
    from typer import core as typer_core

    for cls in (typer_core.TyperOption, typer_core.TyperArgument):
        shown = cls.display_type_rich
        if getattr(shown, "_dutch", False):
            continue

        def dutch_type(self, ctx, _shown=shown):
            label = _shown(self, ctx)
            return TYPE_LABELS.get(label, label) if label is not None else None

        dutch_type._dutch = True
        cls.display_type_rich = dutch_type
    command = click_core.Command
    if getattr(command.get_help_option, "_dutch", False):
        return
    original = command.get_help_option

    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    get_help_option._dutch = True
    command.get_help_option = get_help_option


USAGE_ERRORS = (  # click's English messages of a wrong call, in Dutch
    (re.compile(r"Missing argument '([^']+)'\.?"), r"Het argument \1 ontbreekt."),
    (re.compile(r"Missing option '([^']+)'\.?"), r"De optie \1 ontbreekt."),
    (re.compile(r"No such option: (\S+)(?: \(Possible options: ([^)]*)\))?"), r"Onbekende optie: \1"),
    (re.compile(r"No such command '([^']+)'\.?"), r"Onbekend commando: \1."),
    (re.compile(r"Got unexpected extra argument(?:\(s\))? \((.*)\)"), r"Te veel argumenten: \1"),
    (re.compile(r"Invalid value for '?([^':]+)'?: (.*)"), r"Ongeldige waarde voor \1: \2"),
    (re.compile(r"Option '([^']+)' requires an argument\.?"), r"De optie \1 heeft een waarde nodig."),
    (re.compile(r"Did you mean '([^']+)'\?"), r"Bedoelt u '\1'?"),
    (re.compile(r"\(Possible options: ([^)]*)\)"), r"(mogelijke opties: \1)"),
    (re.compile(r"Input should be a valid (?:integer|number)[^.]*\.?"), "geef een geheel getal, bijvoorbeeld 2."),
    (re.compile(r"'([^']*)' is not a valid (?:integer|float)( range)?\.?"), r"'\1' is geen getal; geef een geheel getal, bijvoorbeeld 2."),
    (re.compile(r"'([^']*)' is not one of (.*)\.?$"), r"'\1' is geen van \2."),
)


def dutch_usage_error(message: str) -> str:
    """Every English part of a click message in Dutch (a message can hold several: 'No such command … Did you mean …')."""
    for pattern, text in USAGE_ERRORS:
        message = pattern.sub(text, message)
    return message


dutch_help()
app = typer.Typer(add_completion=False, no_args_is_help=True, help="NPO-inhuur: werkboeken controleren en verantwoorden.",
                  options_metavar="[OPTIES]", subcommand_metavar="COMMANDO [ARGUMENTEN]...")
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





def seconds(elapsed: float) -> str:
    from pipeline import dutch

    return f"{dutch.format_number(elapsed, 1)} s"


STAGE_TEXT = {"kopieën": "Gemarkeerde kopieën maken", "register": "register.xlsx en tabellen maken",
              "documenten": "Word-documenten maken", "pdf": "PDF-kopieën maken met LibreOffice"}


class StageProgress:
    """One line per long stage of publishing, and a progress bar for a stage of many files (on a terminal)."""

    def __init__(self, bar_from: int = 2) -> None:
        self.bar_from = bar_from
        self.bar: Progress | None = None

    def __call__(self, name: str, count: int):
        self.stop()
        if name != "register" and not count:
            return None
        label = STAGE_TEXT.get(name, name)
        if not console.is_terminal or count < self.bar_from or name == "register":
            console.print(f"[dim]{label}" + (f" ({count})" if name != "register" else "") + " …[/dim]")
            return None
        self.bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)
        self.bar.start()
        task = self.bar.add_task(name, total=count)
        bar = self.bar

        def advance(n: int) -> None:
            bar.advance(task, n)
            if bar.tasks[0].completed >= count:
                self.stop()

        return advance

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


@app.command(options_metavar="[OPTIES]")
def report(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map met de werkboeken en bestuur.xlsx."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map voor rapporten, register en terugkoppeling."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Aantal processen (standaard: aantal kernen)."),
    pdf: bool = typer.Option(True, "--pdf/--geen-pdf", help="PDF-kopieën maken met LibreOffice."),
    use_cache: bool = typer.Option(True, "--cache/--geen-cache", help="Alleen opnieuw maken wat veranderd is: ongewijzigde werkboeken niet opnieuw lezen, ongewijzigde documenten, kopieën en PDF's hergebruiken (outputs/.cache)."),
) -> None:
    """Controleer alle werkboeken en maak jaarverslag, MR-rapporten, register en terugkoppeling."""
    from pipeline import run

    console.print(f"Werkboeken in [bold]{inputs}[/bold] controleren …")
    started = time.perf_counter()
    stages = StageProgress()
    try:
        outcome = run.report(inputs, outputs, workers=workers, pdf=pdf, use_cache=use_cache, generated=generated_at(),
                             progress_factory=_progress_factory(True), stage=stages,
                             on_read=lambda data: (_board_findings(data.board_findings), _allocation_warning(data)))
    except run.NotRunnable as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(EXIT_NOT_RUN)
    finally:
        stages.stop()
    if outcome.unchanged is not None:
        _unchanged(outcome.unchanged, outputs, time.perf_counter() - started)
        return
    data, result = outcome.data, outcome.published
    elapsed = time.perf_counter() - started
    _summary(data, result, elapsed)
    if not result.complete:
        raise typer.Exit(EXIT_WARNINGS)


def _allocation_warning(data) -> None:
    from pipeline.render import audit as audit_render

    warning = audit_render.all_computed_warning(data)
    if warning:
        err.print(f"[dark_orange]{warning}[/dark_orange]", soft_wrap=True)


def _where(f) -> str:
    return f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "het hele bestand")


def _board_findings(found) -> None:
    """bestuur.xlsx first: its settings and allocations change every figure of the run."""
    if not found:
        return
    console.print(f"[bold red]Let op: bestuur.xlsx heeft {plural(len(found), 'bevinding', 'bevindingen')}; "
                  "die veranderen de cijfers van alle scholen.[/]", soft_wrap=True)
    for f in found:
        console.print(f"  [{SEVERITY_STYLE[f.severity]}]{f.severity}[/] bestuur.xlsx, {_where(f)}: {f.message}", soft_wrap=True)


def _unchanged(manifest: dict, outputs: Path, elapsed: float) -> None:
    counts, found = manifest["counts"], manifest["findings"]
    console.print(f"Niets gewijzigd sinds de vorige run ({manifest['generated']}): de uitvoer in [bold]{outputs}[/bold] is actueel.")
    console.print(f"Bestanden: {counts['gelezen']} gelezen, {counts['vervangen']} vervangen, {counts['afgewezen']} afgewezen, "
                  f"{counts['overgeslagen']} overgeslagen. Bevindingen: {plural(found['fout'], 'fout', 'fouten')}, "
                  f"{plural(found['waarschuwing'], 'waarschuwing', 'waarschuwingen')}, {plural(found['info'], 'melding', 'meldingen')} ter informatie. "
                  f"Tijd {seconds(elapsed)}. (Opnieuw maken: --geen-cache, of make report OPTIES=--geen-cache.)")
    rejected = [f for f in manifest.get("files", []) if f.get("status") == "afgewezen"]
    if rejected:
        console.print(f"[bold red]Afgewezen ({plural(len(rejected), 'bestand', 'bestanden')}, telt niet mee):[/]")
        for f in rejected:
            console.print(f"  {f['file']} ({f.get('brin') or 'school onbekend'}): {f.get('reason', '')}", soft_wrap=True, markup=False)


def _school_of(fr, board) -> str:
    """'12AB OBS De Regenboog' for a file: the BRIN in the workbook, else its folder name."""
    brin = fr.hire.get("brin") if fr.hire is not None and fr.hire.get("brin") else ""
    if not brin and "/" in fr.file:
        from pipeline.names import school_folder

        brin = school_folder(fr.file)  # 12ab/ and 12AB/ are one school
    if not brin:
        return "school onbekend"
    school = board.schools.get(brin)
    name = school.name if school else (fr.hire.get("school_naam") if fr.hire is not None else "") or ""
    return f"{brin} {name}".strip() + ("" if school or not board.from_file else " (niet in bestuur.xlsx)")


BOARD_ROW = "Bestuur (bestuur.xlsx)"
LEDGER_ROW = "Grootboek (geen school)"


def findings_per_school(data) -> tuple[dict[str, dict[str, int]], dict[str, int], int]:
    """Errors and warnings per school, the counts per severity, and how many findings superseded versions have.

    Both leave out superseded versions (they do not count), so the per-school rows add up to the summary: a finding
    a rule made about a school (the ledger's L1, P5 on a shared hire) is that school's; the board's and the
    ledger's own findings have a row of their own."""
    from pipeline.model import SUPERSEDED

    names = {b: f"{b} {s.name}".strip() for b, s in data.board.schools.items()}
    per_school: dict[str, dict[str, int]] = {}
    by_sev: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    superseded = 0
    places = [(fr, _school_of(fr, data.board)) for fr in data.files] + [(fr, LEDGER_ROW) for fr in data.ledger_files]
    rows = [(x, BOARD_ROW) for x in data.board_findings] + [(x, where) for fr, where in places
                                                            if fr.status != SUPERSEDED for x in fr.findings]
    superseded = sum(len(fr.findings) for fr, _ in places if fr.status == SUPERSEDED)
    for x, where in rows:
        by_sev[x.severity] = by_sev.get(x.severity, 0) + 1
        if x.severity != "info":
            school = names.get(x.about, x.about) if x.about else where
            c = per_school.setdefault(school, {"fout": 0, "waarschuwing": 0})
            c[x.severity] += 1
    return per_school, by_sev, superseded


def _summary(data, result, elapsed: float) -> None:
    from pipeline.model import REJECTED, SKIPPED

    counts = data.counts()
    per_school, by_sev, superseded = findings_per_school(data)
    t = Table(title=f"Samenvatting – {data.board.name}", show_header=False)
    t.add_column("", style="bold")
    t.add_column("", justify="right")
    t.add_row("Bestanden gelezen", str(counts["gelezen"]))
    t.add_row("Vervangen door nieuwere versie", str(counts["vervangen"]))
    t.add_row("Afgewezen", str(counts["afgewezen"]))
    t.add_row("Overgeslagen (geen werkboek)", str(counts["overgeslagen"]))
    for s in SEVERITIES:
        t.add_row(f"Bevindingen: {s}", f"[{SEVERITY_STYLE[s]}]{by_sev.get(s, 0)}[/]")
    if superseded:
        t.add_row("Bevindingen in vervangen versies (tellen niet mee)", str(superseded))
    if data.reconciliation_df is not None:
        status = dict(data.reconciliation_df.group_by("status").len().iter_rows())
        t.add_row("Grootboek: facturen gekoppeld", str(status.get("gekoppeld", 0)))
        t.add_row("Grootboek: zonder werkboek / niet geboekt / bedrag wijkt af / andere school",
                  " / ".join(str(status.get(k, 0)) for k in ("geen werkboek", "niet in grootboek", "bedrag wijkt af", "andere school")))
    rejected_ledgers = [f for f in data.ledger_files if f.status == "afgewezen"]
    if rejected_ledgers:
        t.add_row("Grootboekbestanden afgewezen", f"[red]{len(rejected_ledgers)}[/]")
    t.add_row("Tijd", seconds(elapsed))
    console.print(t)
    for f in data.ledger_files:  # what was recognised in every ledger file, and what could not be checked
        if f.status == "afgewezen":
            console.print(f"[red]Grootboekbestand {escape(f.file)} afgewezen:[/red] {escape(f.reason)}", soft_wrap=True)
            continue
        console.print(f"Grootboekbestand {f.file}: {f.reason}", soft_wrap=True, markup=False)
        for x in f.findings:
            if x.rule == "L1" and not x.cell:  # the file as a whole could not be checked
                console.print(f"  [red]L1 fout:[/red] {escape(x.message)}", soft_wrap=True)
    rejected = [f for f in data.files if f.status == REJECTED]
    if rejected:
        console.print(f"[bold red]Afgewezen ({plural(len(rejected), 'bestand', 'bestanden')}, telt niet mee):[/]")
        for f in rejected:
            console.print(f"  {f.file} ({_school_of(f, data.board)}): {f.reason}", soft_wrap=True, markup=False)
    skipped = [f for f in data.files if f.status == SKIPPED]
    if skipped:
        console.print(f"Overgeslagen ({plural(len(skipped), 'bestand', 'bestanden')}, geen werkboek):")
        for f in skipped:
            console.print(f"  {f.file}: {f.reason}", soft_wrap=True, markup=False)
    if per_school:
        st = Table(title="Bevindingen per school", title_justify="left", show_footer=True)
        st.add_column("School", footer="Totaal")
        st.add_column("Fout", justify="right", style="red", footer=str(by_sev.get("fout", 0)))
        st.add_column("Waarschuwing", justify="right", style="dark_orange", footer=str(by_sev.get("waarschuwing", 0)))
        for school, c in sorted(per_school.items()):
            st.add_row(school, str(c["fout"]), str(c["waarschuwing"]))
        console.print(st)
    for src, error in result.feedback_errors:
        console.print(f"[red]Geen gemarkeerde kopie van {src}:[/red] {error}", soft_wrap=True)
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
    console.print(f"Uitvoer staat in [bold]{result.outputs}[/bold] (overzicht: manifest.json).", soft_wrap=True)
    if per_school or rejected:
        console.print(f"Volgende stap: open [bold]{result.outputs / 'register.xlsx'}[/bold], tabblad Bevindingen; maak daarna "
                      "de conceptmails aan de scholen met [bold]make reply[/bold].", soft_wrap=True)
    if not result.complete:
        console.print("[dark_orange]Klaar met waarschuwingen[/] (exitcode 3): niet alle uitvoer kon gemaakt worden, zie hierboven.")


@app.command(options_metavar="[OPTIES]")
def template(
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map voor het lege werkboek."),
    bestuur: Path = typer.Option(Path("inputs") / "bestuur.xlsx", "--bestuur",
                                 help="bestuur.xlsx: de controle in het werkboek gebruikt dezelfde aanbestedingsdrempel als het bestuur."),
) -> None:
    """Schrijf het lege inhuurwerkboek (outputs/inhuurwerkboek-<versie>.xlsx)."""
    from pipeline.read import board as config
    from pipeline.render import workbook as tpl

    board, _ = config.load(bestuur)
    social = board.settings.social_services_regime
    path = tpl.write(outputs / tpl.file_name(), social_services=social)
    console.print(f"Leeg werkboek geschreven: [bold]{path}[/bold]")
    if social:
        console.print("Het tabblad Controle gebruikt de drempel voor sociale en andere specifieke diensten (instelling in bestuur.xlsx).")


def _workbooks_of(paths: list[Path]) -> list[Path]:
    """The paths as given, a folder replaced by the workbooks in it (a folder without any stays, to be reported)."""
    from pipeline.read import safety

    out: list[Path] = []
    for p in paths:
        found = sorted(q for q in p.iterdir() if q.is_file() and safety.is_workbook_candidate(q)) if p.is_dir() else []
        out.extend(found or [p])
    return out


@app.command(options_metavar="[OPTIES]")
def validate(
    files: list[Path] = typer.Argument(..., metavar="WERKBOEK", help="Een of meer ingevulde werkboeken."),
    outputs: Path = typer.Option(Path("outputs/controle"), "--outputs", help="Map voor de gemarkeerde kopieën."),
    bestuur: Optional[Path] = typer.Option(None, "--bestuur", help="bestuur.xlsx met de instellingen van het bestuur."),
) -> None:
    """Controleer werkboeken vóór het mailen: toont de bevindingen en schrijft een gemarkeerde kopie."""
    from pipeline import run
    from pipeline.model import SKIPPED
    from pipeline.read import board as config
    from pipeline.render import marked as feedback

    if bestuur is not None and not bestuur.is_file():
        err.print(f"[red]{bestuur} bestaat niet.[/red] Geef met --bestuur het pad naar bestuur.xlsx op, of laat de optie weg.", soft_wrap=True)
        raise typer.Exit(2)
    board, _ = config.load(bestuur) if bestuur else (config.Board(), [])
    today = board.settings.reference_date or datetime.now().date()
    worst = 0
    for f in _workbooks_of(files):
        if f.is_dir():
            err.print(f"[red]In de map {f} staan geen werkboeken (.xlsx).[/red] Geef een ingevuld inhuurwerkboek op.", soft_wrap=True)
            worst = max(worst, 2)
            continue
        if not f.is_file():
            err.print(f"[red]Bestand niet gevonden:[/red] {f}")
            worst = max(worst, 2)
            continue
        if f.name.lower() in {n.lower() for n in run.BOARD_FILES}:
            err.print(f"[red]{f.name} is het bestand van het bestuur, geen inhuurwerkboek.[/red] Het bestuur controleert het met "
                      "make report (de bevindingen staan bovenaan de samenvatting); bij validate kunt u het meegeven met --bestuur.",
                      soft_wrap=True)
            worst = max(worst, 2)
            continue
        result = run.check_file(f.resolve(), f.resolve().parent, board, today)
        console.rule(f"{f.name} – {result.status}")
        if result.status == SKIPPED:
            err.print(f"[red]{f.name} is geen werkboek:[/red] {result.reason} Geef het ingevulde inhuurwerkboek (.xlsx) op.",
                      soft_wrap=True)
            worst = max(worst, 1)
            continue
        if not result.findings:
            console.print("[green]Geen bevindingen.[/green]")
        else:
            t = Table(show_lines=False)
            for col in ("Ernst", "Regel", "Tabblad", "Cel", "Melding"):
                t.add_column(col, overflow="fold")
            for x in sorted(result.findings, key=lambda x: (SEVERITY_RANK[x.severity], x.sheet, x.cell)):
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


@app.command(options_metavar="[OPTIES]")
def docs() -> None:
    """Schrijf de regelcatalogus docs/regels.md uit de regeldata."""
    from pipeline.render import catalogue as catalogue_doc

    path = catalogue_doc.write(Path("docs/regels.md"))
    console.print(f"Regelcatalogus geschreven: [bold]{path}[/bold]")


@app.command(options_metavar="[OPTIES]")
def intake(
    sources: list[Path] = typer.Argument(..., metavar="MAP", help="Mappen met opgeslagen e-mails (.eml, .msg) of mbox-bestanden."),
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
    console.print(f"Ingelezen: {plural(result.mails, 'e-mail', 'e-mails')}; bijlagen opgeslagen {c['opgeslagen']}, dubbel {c['dubbel']}, "
                  f"overgeslagen {c['overgeslagen']}, afgewezen {c['afgewezen']}.", soft_wrap=True)
    for r in result.records:  # where each attachment went, or why it did not
        where = f" → {inputs / r.opgeslagen_als}" if r.opgeslagen_als else ""
        status = "" if r.status == "opgeslagen" else f" — {r.status}"
        console.print(f"  {r.bijlage}{status}{where}" + (f" — {r.opmerking}" if r.opmerking else ""), soft_wrap=True)
    if result.already_seen:
        console.print(f"{plural(result.already_seen, 'e-mail was', 'e-mails waren')} al eerder verwerkt.")
    if result.ignored:
        n = len(result.ignored)
        console.print(f"{plural(n, 'bestand', 'bestanden')} in de map {agree(n, 'is', 'zijn')} geen e-mail en "
                      f"{agree(n, 'is', 'zijn')} genegeerd.")
    console.print(f"Logboek: [bold]{result.log}[/bold]")


@app.command(options_metavar="[OPTIES]")
def reply(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map met de werkboeken, bestuur.xlsx en intake-log.xlsx."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map met de uitvoer van report."),
    sender: Optional[str] = typer.Option(None, "--afzender", help="Afzender van de conceptantwoorden (standaard: E-mail bestuursbureau in bestuur.xlsx)."),
) -> None:
    """Maak per school een conceptantwoord (.eml) met de bevindingen en de gemarkeerde werkboeken."""
    from pipeline.read import board as config
    from pipeline.render import reply as reply_mod

    try:
        result = reply_mod.draft_from_outputs(inputs, outputs, sender)
    except reply_mod.NoReportOutputs:
        err.print(f"[red]Geen uitvoer van report gevonden in {outputs}.[/red] Draai eerst: make report", soft_wrap=True)
        raise typer.Exit(2)
    folder = outputs / reply_mod.REPLY_DIR
    console.print(f"{plural(len(result.written), 'conceptantwoord', 'conceptantwoorden')} in {folder} (niet verzonden), "
                  f"afzender {result.sender}.", soft_wrap=True, markup=False)
    for p in result.written:
        console.print(f"  {p}", soft_wrap=True, markup=False)
    if not sender and not result.sender_from_board:
        console.print(f"[dark_orange]Geen afzender in bestuur.xlsx (tabblad Bestuur, regel '{config.EMAIL_LABEL}'): "
                      f"de concepten hebben {result.sender} als afzender. Vul het adres in of gebruik --afzender.[/]", soft_wrap=True)
    for school, why in result.not_drafted:
        console.print(f"[dark_orange]Geen concept voor {school}:[/] {why}.", soft_wrap=True)
    if result.removed:
        console.print(f"{plural(len(result.removed), 'oud concept', 'oude concepten')} van een vorige run verwijderd: "
                      + ", ".join(p.name for p in result.removed), soft_wrap=True, markup=False)


@app.command()
def uitvraag(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map met de werkboeken, bestuur.xlsx en de map grootboek."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Map waarin de map uitvraag komt."),
    sender: Optional[str] = typer.Option(None, "--afzender", help="Afzender van de concept-e-mails (standaard: E-mail bestuursbureau in bestuur.xlsx)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Aantal processen (standaard: aantal kernen)."),
) -> None:
    """Maak per school vooraf ingevulde werkboeken voor NPO-uitgaven in het grootboek zonder werkboek (L1), een leeg werkboek en een concept-e-mail."""
    from pipeline import run as run_mod
    from pipeline.render import reply as reply_mod
    from pipeline.render import uitvraag as uitvraag_mod

    if not inputs.is_dir():
        err.print(f"[red]De invoermap {inputs} bestaat niet.[/red]")
        raise typer.Exit(2)
    data = run_mod.run(inputs, workers=workers, generated=generated_at())
    if data.reconciliation_df is None:
        err.print(f"[dark_orange]Geen leesbaar grootboek in {inputs / 'grootboek'}:[/dark_orange] alleen lege werkboeken per school.")
    try:
        schools = uitvraag_mod.write_requests(data, outputs, sender or data.board.email or reply_mod.DEFAULT_SENDER)
    except OSError as exc:
        err.print(f"[red]Kan niet schrijven in {outputs}:[/red] {dutch.os_reason(exc)}")
        raise typer.Exit(1)
    total = sum(len(s.requests) for s in schools)
    console.print(f"{plural(total, 'vooraf ingevuld werkboek', 'vooraf ingevulde werkboeken')} en "
                  f"{plural(len(schools), 'leeg werkboek', 'lege werkboeken')} in {outputs / uitvraag_mod.FOLDER}; "
                  f"{plural(len(schools), 'concept-e-mail', 'concept-e-mails')} (niet verzonden).")
    for s in schools:
        console.print(f"  {s.brin}: {plural(len(s.requests), 'vooraf ingevuld werkboek', 'vooraf ingevulde werkboeken')}, {s.eml}")


@app.command(options_metavar="[OPTIES]")
def dossier(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map met de werkboeken, bestuur.xlsx en de map grootboek."),
    outputs: Path = typer.Option(Path("outputs"), "--outputs", help="Uitvoermap van het rapport; de steekproef komt in dossier/<jaar>."),
    year: Optional[int] = typer.Option(None, "--jaar", help="Kalenderjaar van de steekproef (standaard: het laatste afgesloten jaar met facturen)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Aantal processen (standaard: aantal kernen)."),
) -> None:
    """Trek een steekproef (monetary unit sampling) uit de facturen van een jaar en zet per factuur de stukken klaar voor de accountant."""
    from pipeline import audit as audit_mod
    from pipeline import dossier as dossier_mod
    from pipeline import dutch
    from pipeline import run as run_mod
    from pipeline.read import intake

    problem = run_mod.missing_inputs(inputs) or run_mod.unwritable(outputs)
    if problem:
        err.print(f"[red]{problem}[/red]", soft_wrap=True)
        raise typer.Exit(EXIT_NOT_RUN)
    data = run_mod.run(inputs, workers=workers, generated=generated_at(), mail_dates=intake.version_dates(inputs))
    chosen = year if year is not None else dossier_mod.default_year(data)
    if chosen is None:
        err.print("[red]Er zijn geen getelde facturen: geen steekproef mogelijk.[/red]")
        raise typer.Exit(EXIT_NOT_RUN)
    try:
        made = dossier_mod.make(data, outputs, chosen)
    except (dossier_mod.DossierError, audit_mod.SampleError) as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(EXIT_NOT_RUN)
    p = made.plan
    console.print(f"Steekproef {chosen}: {plural(len(made.items), 'factuur', 'facturen')} getrokken uit {plural(p.count, 'factuur', 'facturen')} "
                  f"({dutch.format_euro(p.population)}); interval {dutch.format_euro(p.interval)}, startgetal {p.seed}.")
    console.print(f"Werkprogramma: {made.folder / dossier_mod.INDEX}")
    if made.missing_marked:
        err.print(f"[dark_orange]Geen gemarkeerde kopie voor {plural(len(made.missing_marked), 'werkboek', 'werkboeken')}:[/dark_orange] "
                  f"maak eerst het rapport in {outputs} (make report).", soft_wrap=True)


@app.command(options_metavar="[OPTIES]")
def verify(
    inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Invoermap om opnieuw te controleren."),
    manifest: Path = typer.Option(Path("outputs") / "manifest.json", "--manifest", help="manifest.json van het rapport."),
) -> None:
    """Controleer of de invoermap nog dezelfde bestanden bevat als bij het rapport (SHA-256 per bestand)."""
    from pipeline import verify as verify_mod

    try:
        v = verify_mod.verify(inputs, manifest)
    except verify_mod.VerifyError as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(EXIT_NOT_RUN)
    when = f" van {v.generated}" if v.generated else ""
    for label, names in (("Gewijzigd", v.changed), ("Nieuw", v.added), ("Verdwenen", v.removed)):
        for name in names:
            console.print(f"{label}: {name}", markup=False)
    changes = verify_mod.version_changes(v)
    for line in changes:
        console.print(f"Andere versie: {line}", markup=False)
    if v.unchanged:
        console.print(f"De invoermap is ongewijzigd sinds het rapport{when}: {plural(v.same, 'bestand', 'bestanden')} met hetzelfde SHA-256.")
        return
    console.print(f"Sinds het rapport{when}: {len(v.changed)} gewijzigd, {len(v.added)} nieuw, {len(v.removed)} verdwenen; "
                  f"{v.same} ongewijzigd. Maak het rapport opnieuw (make report) om de cijfers bij te werken.")
    raise typer.Exit(1)


def main(argv: list[str] | None = None, prog: str = "python -m pipeline", application: typer.Typer | None = None) -> int:
    """Run the command line: a wrong call, Ctrl-C or an unexpected error gives one Dutch line, never a traceback."""
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort, Exit

    application = application or app
    try:
        code = application(args=argv, prog_name=prog, standalone_mode=False)
    except Exit as exc:
        code = exc.exit_code
    except ClickException as exc:  # a wrong call, or no arguments at all (then the message is the help text)
        if type(exc).__name__ == "NoArgsIsHelpError":
            console.print(exc.format_message(), markup=False)
            return 0
        err.print(f"[red]{dutch_usage_error(exc.format_message())}[/red] Hulp: {prog} --help", soft_wrap=True)
        return 2
    except (KeyboardInterrupt, Abort):
        err.print(INTERRUPTED)
        return 130
    except OSError as exc:
        err.print(f"[red]Bestand of map niet bruikbaar: {exc.filename or ''} ({dutch.os_reason(exc)}).[/red] "
                  "Controleer de map en de rechten en probeer het opnieuw.", soft_wrap=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches the user
        err.print(f"[red]Onverwachte fout ({type(exc).__name__}): {exc}.[/red] De vorige uitvoer is ongewijzigd; "
                  "meld dit aan de beheerder van het programma.", soft_wrap=True)
        return 1
    if code == 130:  # typer turns Ctrl-C into exit code 130
        err.print(INTERRUPTED)
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

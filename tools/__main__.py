"""Command line of the development tools (Dutch, like the product's): `python -m tools demo|bench`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Hulpmiddelen voor ontwikkelaars: demobestuur en benchmark.",
                  options_metavar="[OPTIES]", subcommand_metavar="COMMANDO [ARGUMENTEN]...")
console = Console(highlight=False)


@app.command(options_metavar="[OPTIES]")
def demo(inputs: Path = typer.Option(Path("inputs"), "--inputs", help="Map waarin het demobestuur komt.")) -> None:
    """Maak het fictieve demobestuur aan; weigert als de map bestanden bevat die niet van het demobestuur zijn."""
    from tools import demo as demo_mod

    try:
        written = demo_mod.generate(inputs)
    except demo_mod.DemoError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    except OSError as exc:
        console.print(f"[red]Het demobestuur kon niet worden geschreven in {inputs}: {exc.strerror or exc}.[/red] "
                      "Kies met --inputs een map waarin u mag schrijven.")
        raise typer.Exit(2)
    console.print(f"Demobestuur geschreven: {len(written)} {'bestand' if len(written) == 1 else 'bestanden'} in [bold]{inputs}[/bold]")


@app.command(options_metavar="[OPTIES]")
def bench(
    n: int = typer.Option(1000, "--n", help="Aantal werkboeken om te genereren."),
    workdir: Path = typer.Option(Path("/tmp/npo-bench"), "--workdir", help="Werkmap: inputs/, outputs/ en bench.json."),
    seed: int = typer.Option(1, "--seed", help="Startwaarde van de generator (zelfde waarde, zelfde werkboeken)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Aantal processen (standaard: aantal kernen)."),
    pdf: Optional[bool] = typer.Option(None, "--pdf/--geen-pdf", help="Met PDF-kopieën (standaard: als LibreOffice er is)."),
    compare_with: Optional[Path] = typer.Option(
        None, "--vergelijk-met", help="bench.json van een eerdere run met minder werkboeken: toont of de kosten per werkboek vlak blijven."),
) -> None:
    """Meet de snelheid: genereert N werkboeken uit het echte sjabloon en draait report koud en warm."""
    from tools import bench as bench_mod

    earlier = None
    if compare_with is not None:
        try:
            earlier = json.loads(compare_with.read_text(encoding="utf-8"))
            earlier["koud"]["ms_per_werkboek"]["totaal"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            console.print(f"[red]{compare_with} is geen bruikbare bench.json ({type(exc).__name__}).[/red]")
            raise typer.Exit(2)
    with console.status(f"Benchmark met {n} werkboeken in {workdir} ..."):
        result = bench_mod.run_bench(n, workdir, seed=seed, workers=workers, earlier=earlier, pdf=pdf)
    console.print(bench_mod.format_table(result))
    console.print(f"Alle cijfers: [bold]{workdir / bench_mod.RESULT_FILE}[/bold]")


if __name__ == "__main__":
    import sys

    from pipeline.cli import dutch_help, main

    dutch_help()
    sys.exit(main(prog="python -m tools", application=app))

"""Generate docs/regels.md, the rule catalogue, from data/regels.toml."""
from __future__ import annotations

from pathlib import Path

from pipeline.rules import catalogue as findings

HEADER = """# Regelcatalogus

Gegenereerd uit `pipeline/data/regels.toml` met `python -m pipeline docs` (regelset {version}).
Niet met de hand bewerken: pas de regeldata aan en genereer opnieuw.

Ernst: **fout** (moet worden verbeterd), **waarschuwing** (vraagt aandacht of een toelichting), **info**.

| Regel | Ernst | Wat wordt gecontroleerd | Wat te doen | Bron |
|---|---|---|---|---|
"""


def render() -> str:
    lines = [HEADER.format(version=findings.ruleset_version())]
    for r in findings.catalogue().values():
        severities = sorted({m.severity for m in r.messages.values()}, key=["fout", "waarschuwing", "info"].index)
        cells = [f"**{r.id}** {r.title}", " / ".join(severities), r.checks, r.action, r.source]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n")
    return "".join(lines)


def write(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path

"""The rule catalogue (data/regels.toml) and findings as one typed polars table."""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import polars as pl

from pipeline.model import SEVERITIES, Finding

SEVERITY = pl.Enum(list(SEVERITIES))
SCHEMA = {
    "rule": pl.Utf8,
    "severity": SEVERITY,
    "file": pl.Utf8,
    "hire_id": pl.Utf8,
    "sheet": pl.Utf8,
    "cell": pl.Utf8,
    "message": pl.Utf8,
    "source": pl.Utf8,
    "about": pl.Utf8,
}


@dataclass(frozen=True)
class Message:
    severity: str
    template: str


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    checks: str
    action: str
    source: str
    messages: dict[str, Message]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Rule]:
    data = tomllib.loads(resources.files("pipeline").joinpath("data/regels.toml").read_text("utf-8"))
    rules = {}
    for r in data["regel"]:
        msgs = {
            code: Message(m.get("ernst", r["ernst"]), m["tekst"]) for code, m in r["meldingen"].items()
        }
        for m in msgs.values():
            if m.severity not in SEVERITIES:
                raise ValueError(f"rule {r['id']}: unknown severity {m.severity}")
        rules[r["id"]] = Rule(r["id"], r["ernst"], r["titel"], r["controle"], r["actie"], r["bron"], msgs)
    return rules


def ruleset_version() -> str:
    data = tomllib.loads(resources.files("pipeline").joinpath("data/regels.toml").read_text("utf-8"))
    return str(data["version"])


def finding(rule: str, code: str, *, file: str, hire_id: str = "", sheet: str = "", cell: str = "", about: str = "", **params) -> Finding:
    """A finding of `rule` with message `code`, its text filled from `params`; `about`: the school it concerns."""
    r = catalogue()[rule]
    m = r.messages[code]
    return Finding(rule, m.severity, file, hire_id, sheet, cell, m.template.format(**params), r.source, about)


def to_frame(findings: Iterable[Finding]) -> pl.DataFrame:
    rows = [dataclasses.asdict(f) for f in findings]
    return pl.DataFrame(rows, schema=SCHEMA) if rows else pl.DataFrame(schema=SCHEMA)


def empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)

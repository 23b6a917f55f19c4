"""Reference data shipped as versioned TOML files: menukaart, EU thresholds, NPO amounts."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("pipeline").joinpath(f"data/{name}.toml").read_text("utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"[\s'’`]+", " ", text).strip().casefold()


@dataclass(frozen=True)
class Menukaart:
    version: str
    source: str
    categories: dict[str, str]  # code -> category name
    items: tuple[tuple[str, str], ...]  # (code, item)
    added: dict[tuple[str, str], date] = None  # (code, item) -> the date it was added to the menukaart (the † items)

    @staticmethod
    def label(code: str, item: str) -> str:
        return f"{code}: {item}"

    def labels(self, codes: str) -> list[str]:
        return [self.label(c, i) for c, i in self.items if c in codes]

    def lookup(self, text: str) -> tuple[str, str] | None:
        """Find the (code, item) a school meant: 'B: Feedback', 'B Feedback' or 'feedback'."""
        return _lookup(self.items, str(text))


@lru_cache(maxsize=4096)
def _lookup(items: tuple[tuple[str, str], ...], raw: str) -> tuple[str, str] | None:
    t = _norm(raw)
    m = re.match(r"^([a-f])\s*[:.\-–)]?\s+(.*)$", t)
    for code, item in items:
        if t == _norm(item) or t == _norm(Menukaart.label(code, item)):
            return code, item
        if m and m.group(1).upper() == code and m.group(2) == _norm(item):
            return code, item
    return None


@lru_cache(maxsize=1)
def menukaart() -> Menukaart:
    d = _load("menukaart")
    cats = {c["code"]: c["name"] for c in d["categories"]}
    items = tuple((c["code"], i) for c in d["categories"] for i in c["items"])
    added = {(c["code"], i): d["added_on"] for c in d["categories"] for i in c.get("added_2022", [])}
    return Menukaart(d["version"], d["source"], cats, items, added)


@dataclass(frozen=True)
class ThresholdPeriod:
    start: date
    end: date
    services: Decimal
    social_services: Decimal
    source: str


@lru_cache(maxsize=1)
def thresholds() -> tuple[ThresholdPeriod, ...]:
    d = _load("drempels")
    return tuple(
        ThresholdPeriod(p["start"], p["end"], Decimal(str(p["services"])), Decimal(str(p["social_services"])), p["source"])
        for p in d["periods"]
    )


def threshold_for(day: date) -> ThresholdPeriod:
    """The EU threshold period for a procurement started on `day` (nearest period outside the table)."""
    periods = thresholds()
    for p in periods:
        if p.start <= day <= p.end:
            return p
    return periods[0] if day < periods[0].start else periods[-1]


@dataclass(frozen=True)
class NpoYear:
    schooljaar: str
    source: str
    confirmed: bool
    per_pupil: dict[str, Decimal]
    per_achterstand: dict[str, Decimal]
    per_cumi_above_4: dict[str, Decimal]


@lru_cache(maxsize=1)
def npo_years() -> dict[str, NpoYear]:
    d = _load("npo_bedragen")

    def dec(m: dict) -> dict[str, Decimal]:
        return {k: Decimal(str(v)) for k, v in m.items()}

    return {
        y["schooljaar"]: NpoYear(
            y["schooljaar"], y["source"], y["confirmed"],
            dec(y.get("per_pupil", {})), dec(y.get("per_achterstand", {})), dec(y.get("per_cumi_above_4", {})),
        )
        for y in d["years"]
    }


@lru_cache(maxsize=1)
def reliability_factors() -> dict[Decimal, Decimal]:
    """Confidence (0.95) -> reliability factor (3.0) for monetary-unit sampling with no expected errors."""
    d = _load("betrouwbaarheid")
    return {Decimal(str(f["betrouwbaarheid"])): Decimal(str(f["factor"])) for f in d["factor"]}


REFERENCE_FILES = ("menukaart", "drempels", "npo_bedragen", "betrouwbaarheid")


def all_versions() -> dict[str, str]:
    """Versions of every reference file, the sampling factors included, for the manifest."""
    return {name: str(_load(name)["version"]) for name in REFERENCE_FILES}


def versions() -> dict[str, str]:
    """Versions of every reference file, for the reports' assumptions section and the cache key."""
    return {name: str(_load(name)["version"]) for name in ("menukaart", "drempels", "npo_bedragen")}

"""What produced a report (program, rules, reference data, packages) and whether inputs/ still holds what it read."""
from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pipeline import __version__, reference

DISTRIBUTION = "npo-inhuur"  # pyproject.toml [project] name: its dependencies are the packages recorded


def _packages() -> list[str]:
    """The program's runtime dependencies as installed (pyproject.toml), without extras such as dev."""
    import re

    try:
        required = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    return sorted({re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0] for r in required if "extra ==" not in r}, key=str.casefold)


def environment() -> dict:
    """For manifest.json: the versions of the program, the ruleset, the reference data and the Python packages."""
    from pipeline import spec as spec_mod
    from pipeline.rules import catalogue

    packages = {}
    for name in _packages():
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {"program": __version__, "ruleset": catalogue.ruleset_version(), "template": spec_mod.load().version,
            "reference_data": reference.all_versions(), "python": platform.python_version(), "packages": packages}


class VerifyError(Exception):
    """The manifest or the inputs folder cannot be used; the message says in Dutch what to do."""


@dataclass
class Verification:
    changed: list[str] = field(default_factory=list)  # same path, other content
    added: list[str] = field(default_factory=list)  # in inputs/, not in the manifest
    removed: list[str] = field(default_factory=list)  # in the manifest, no longer in inputs/
    same: int = 0
    generated: str = ""
    versions: dict = field(default_factory=dict)  # the manifest's environment
    now: dict = field(default_factory=dict)  # this program's environment

    @property
    def unchanged(self) -> bool:
        return not (self.changed or self.added or self.removed)


def _recorded(manifest: dict) -> dict[str, str]:
    out = {}
    for entry in manifest.get("files", []) + manifest.get("ledger_files", []):
        if isinstance(entry, dict) and entry.get("file") and entry.get("sha256"):
            out[entry["file"]] = entry["sha256"]
    return out


def verify(inputs: Path, manifest_path: Path) -> Verification:
    """Hash every file under `inputs` again and compare with the manifest of a report."""
    from pipeline.read.workbook import sha256_of

    if not manifest_path.is_file():
        raise VerifyError(f"{manifest_path} bestaat niet. Geef met --manifest het manifest.json van een rapport op "
                          "(standaard outputs/manifest.json; maak het met: make report).")
    if not inputs.is_dir():
        raise VerifyError(f"De map {inputs} bestaat niet. Geef met --inputs de invoermap op.")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise VerifyError(f"{manifest_path} is geen leesbaar manifest ({type(exc).__name__}).") from None
    if not isinstance(manifest, dict) or "files" not in manifest:
        raise VerifyError(f"{manifest_path} is geen manifest van dit programma (de lijst met bestanden ontbreekt).")
    recorded = _recorded(manifest)
    now: dict[str, str] = {}
    for p in sorted(inputs.rglob("*")):
        if p.is_file() and not p.is_symlink():
            now[p.relative_to(inputs).as_posix()] = sha256_of(p)
    out = Verification(generated=str(manifest.get("generated", "")), versions=manifest.get("environment") or {}, now=environment())
    for name, digest in sorted(now.items()):
        if name not in recorded:
            out.added.append(name)
        elif recorded[name] != digest:
            out.changed.append(name)
        else:
            out.same += 1
    out.removed = sorted(set(recorded) - set(now))
    return out


def version_changes(v: Verification) -> list[str]:
    """Dutch lines for every version that differs between the manifest and this program."""
    lines = []
    old, new = v.versions, v.now
    if not old:
        return ["Het manifest vermeldt geen versies (gemaakt met een oudere versie van het programma)."]
    for key, label in (("program", "programma"), ("ruleset", "regelset"), ("template", "werkboekversie"), ("python", "Python")):
        if old.get(key) != new.get(key):
            lines.append(f"{label}: {old.get(key) or 'onbekend'} → {new.get(key)}")
    for group, label in (("reference_data", "referentiegegevens"), ("packages", "pakket")):
        a, b = old.get(group) or {}, new.get(group) or {}
        for name in sorted(set(a) | set(b)):
            if a.get(name) != b.get(name):
                lines.append(f"{label} {name}: {a.get(name) or 'geen'} → {b.get(name) or 'geen'}")
    return lines

"""Write every output of a run into a staging folder, then move it into outputs/ in one short step."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline import __version__, feedback, findings, reference, register, spec as spec_mod
from pipeline.run import READ, SUPERSEDED, RunData

MANIFEST = "manifest.json"
FEEDBACK_DIR = "terugkoppeling"


@dataclass
class Published:
    outputs: Path
    files: list[Path] = field(default_factory=list)
    feedback_errors: list[tuple[str, str]] = field(default_factory=list)
    pdf_note: str = ""


def feedback_path(data: RunData, file: str) -> Path:
    """outputs-relative path of the marked copy of one input: terugkoppeling/<BRIN>/<file name>."""
    fr = next(f for f in data.files if f.file == file)
    brin = fr.hire.get("brin") if fr.hire and fr.hire.get("brin") else "onbekend"
    return Path(FEEDBACK_DIR) / brin / Path(file).name


def manifest(data: RunData, marked: dict[str, str]) -> dict:
    by_file: dict[str, dict[str, int]] = {}
    for f in data.files:
        counts = {"fout": 0, "waarschuwing": 0, "info": 0}
        for x in f.findings:
            counts[x.severity] += 1
        by_file[f.file] = counts
    inv = data.invoices_df
    totals = {
        r["file"]: (r["excl"], r["incl"])
        for r in inv.group_by("file").agg(pl.col("bedrag").sum().alias("excl"), pl.col("totaal").sum().alias("incl")).iter_rows(named=True)
    }
    return {
        "product": "npo-inhuur",
        "version": __version__,
        "generated": data.generated.isoformat(timespec="seconds"),
        "board": data.board.name,
        "ruleset_version": findings.ruleset_version(),
        "template_version": spec_mod.load().version,
        "reference_versions": reference.versions(),
        "counts": data.counts(),
        "findings": {s: sum(c[s] for c in by_file.values()) + sum(1 for f in data.board_findings if f.severity == s) for s in ("fout", "waarschuwing", "info")},
        "files": [
            {
                "file": f.file,
                "sha256": f.sha256,
                "bytes": f.size,
                "status": f.status,
                "reason": f.reason,
                "hire_id": f.hire.hire_id if f.hire else None,
                "counted": f.status == READ,
                "findings": by_file[f.file],
                "invoiced_excl_btw": str(totals[f.file][0]) if f.file in totals else None,
                "invoiced_incl_btw": str(totals[f.file][1]) if f.file in totals else None,
                "marked_copy": marked.get(f.file),
            }
            for f in data.files
        ],
    }


def write_all(data: RunData, outputs: Path, *, workers: int = 1, pdf: bool = True) -> Published:
    """Render everything into a staging folder next to outputs/, then move the results into place."""
    from pipeline import pdf as pdf_mod, reports

    outputs.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=outputs))
    result = Published(outputs)
    try:
        generated = data.generated.strftime("%d-%m-%Y %H:%M")
        jobs, marked = [], {}
        for f in data.files:
            if f.hire is None or not f.findings or f.status not in (READ, SUPERSEDED):
                continue
            rel = feedback_path(data, f.file)
            jobs.append((data.inputs / f.file, staging / rel, f.findings))
            marked[f.file] = rel.as_posix()
        for dest, error in feedback.mark_all(jobs, generated, workers=workers):
            if error:
                rel = dest.relative_to(staging).as_posix()
                src = next(k for k, v in marked.items() if v == rel)
                result.feedback_errors.append((src, error))
                marked.pop(src)
        register.write_xlsx(data, staging / "register.xlsx")
        register.write_parquet(data, staging / "data")
        docs = reports.render_all(data, staging, workers=workers)
        if pdf:
            if pdf_mod.soffice_available():
                pdf_mod.convert_to_pdf(docs, staging / "pdf")
            else:
                result.pdf_note = "LibreOffice (soffice) is niet geïnstalleerd: geen PDF-kopieën gemaakt."
        (staging / MANIFEST).write_text(json.dumps(manifest(data, marked), indent=2, ensure_ascii=False), encoding="utf-8")
        result.files = _swap_in(staging, outputs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


GENERATED_PATTERNS = ("jaarverslag-*.docx", "gmr-*.docx", "register.xlsx", MANIFEST)
GENERATED_DIRS = ("mr", "pdf", "data", FEEDBACK_DIR)


def _swap_in(staging: Path, outputs: Path) -> list[Path]:
    """Move each staged entry over its previous version; drop generated entries this run did not make."""
    new_names = {p.name for p in staging.iterdir()}
    for pattern in GENERATED_PATTERNS:
        for old in outputs.glob(pattern):
            if old.name not in new_names and old.is_file():
                old.unlink()
    for name in GENERATED_DIRS:
        if name not in new_names and (outputs / name).is_dir():
            shutil.rmtree(outputs / name)
    placed = []
    # the manifest goes last: its presence means the rest of this run is in place
    for entry in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST):
        target = outputs / entry.name
        if target.is_dir() and entry.is_dir():
            trash = outputs / f".old-{entry.name}-{os.getpid()}"
            os.replace(target, trash)
            os.replace(entry, target)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(entry, target)
        placed.append(target)
    return placed

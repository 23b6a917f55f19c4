"""Render Word documents (docxtpl) from plain contexts, with charts, in worker processes."""
from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any


from pipeline import dutch, names
from pipeline.model import RunData
from pipeline.render.longtables import split_long_tables
from pipeline.render.reuse import OutputCache
from pipeline.speed import pool_map, release_memory, trim_heap
from pipeline.render.gmr import gmr_context
from pipeline.render import eindverantwoording, jaarverslag
from pipeline.render.mr import MrIndex, mr_context
from pipeline.tempfiles import temp_beside
from pipeline.render.context import (
    TEMPLATES,
    calendar_years,
    mr_keys,
    school_years,
    text,
)

# --------------------------------------------------------------------------- charts and rendering


def make_chart(spec: dict, path: Path) -> Path:
    """A horizontal bar chart as PNG, byte-for-byte the same for the same data (no dates, fixed hash salt)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # Agg, without switching pyplot's global backend
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if "reeksen" in spec:  # several series: pipeline/render/charts.py
        from pipeline.render.charts import series_chart

        return series_chart(spec, path)
    labels = [textwrap.shorten(label, 48, placeholder="…") for label in spec["labels"]]
    values = [float(Decimal(v)) for v in spec["waarden"]]
    with matplotlib.rc_context({"svg.hashsalt": "npo-inhuur", "font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=(6.3, 0.9 + 0.32 * len(labels)), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ys = list(range(len(labels)))
        ax.barh(ys, values, color="#1F4E79", height=0.6)
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        top = max(values) if values else 1.0
        ax.set_xlim(0, top * 1.28 if top > 0 else 1)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "€\u00a0" + dutch.format_number(Decimal(str(x)))))
        for y, v, raw in zip(ys, values, spec["waarden"]):
            if v > 0:
                ax.text(v + top * 0.01, y, dutch.format_euro(Decimal(raw)), va="center", fontsize=7)
        fig.suptitle(spec["titel"], x=0.01, ha="left", fontsize=9, fontweight="bold", color="#1F4E79")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.tight_layout()
        fig.savefig(path, format="png", metadata={"Software": None})
    return path


@dataclass(frozen=True)
class Job:
    """One document to render: picklable, so it can go to a worker process."""

    template: Path
    context: dict
    charts: dict[str, dict]  # placeholder name -> chart spec (see make_chart), drawn by the worker
    out: Path
    title: str
    author: str
    generated: datetime
    # placeholder name -> where the chart's PNG is kept (see chart_file): drawn once, reused while its spec is the same
    chart_files: dict[str, Path] = field(default_factory=dict)


# Strings docxtpl's resolve_listing turns into Word markup (tab, bell, newline, form feed) inside <w:t>.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


@lru_cache(maxsize=1)
def _jinja_env():
    """A jinja environment per process whose compiled templates are kept: every document of one kind
    has the same template XML, so it is compiled once instead of once per document."""
    from jinja2 import Environment, StrictUndefined

    compiled: dict[str, Any] = {}

    class Cached(Environment):
        def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - jinja's name
            if globals or template_class:
                return super().from_string(source, globals, template_class)
            if source not in compiled:
                compiled[source] = super().from_string(source)
            return compiled[source]

    class Strict(StrictUndefined):
        """A field the template prints or loops over and the context lacks is an error, not an empty place in a signed
        document; `{% if field %}` on a part a document leaves out (a chart without data) is false."""

        def __bool__(self) -> bool:
            return False

    return Cached(autoescape=True, undefined=Strict)


@lru_cache(maxsize=1)
def _template_class():
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        """docxtpl with the per-template work done once per process; the output is the same."""

        _patched: dict[str, str] = {}

        def patch_xml(self, src_xml):
            hit = self._patched.get(src_xml)
            if hit is None:
                hit = self._patched[src_xml] = super().patch_xml(src_xml)
            return hit

        def resolve_listing(self, xml):
            # resolve_listing only rewrites <w:t> text holding \t \a \n \f; without any, it is the identity
            return super().resolve_listing(xml) if _LISTING.search(xml) else xml

        # A large rendered body (a board-wide document of a large board: 20 MB of XML for 10.000
        # workbooks) is not parsed into an lxml tree, which would take ten times its size in memory:
        # the body stays text, a placeholder goes into the document, and the text replaces the
        # placeholder in the saved package. fix_tables is the identity for our templates (no
        # column loops); the drawing ids it would renumber in the tree are renumbered in the text.
        lean_body: str | None = None

        def fix_tables(self, xml):
            xml = split_long_tables(xml)
            if len(xml) < LEAN_BODY_CHARS:
                return super().fix_tables(xml)
            self.lean_body = xml
            from lxml import etree

            return etree.fromstring(f'<w:body xmlns:w="{W_NS}"><!--{BODY_MARK}--></w:body>')

        def fix_docpr_ids(self, tree):
            if self.lean_body is None:
                return super().fix_docpr_ids(tree)

            def renumber(m: re.Match) -> str:
                self.docx_ids_index += 1
                return f'{m.group(1)}{self.docx_ids_index}"'

            self.lean_body = _DOCPR_ID.sub(renumber, self.lean_body)

        def save(self, filename, *args, **kwargs):
            super().save(filename, *args, **kwargs)
            if self.lean_body is not None:
                _splice_body(Path(filename), self.lean_body)

    return Template


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_MARK = "npo-inhuur-body"
LEAN_BODY_CHARS = 1_000_000
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")\d+"')


def _splice_body(path: Path, body: str) -> None:
    """Put the rendered body text in place of the placeholder body in the saved package."""
    import zipfile

    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                placeholder = re.search(rb"<w:body>\s*<!--" + BODY_MARK.encode() + rb"-->\s*</w:body>", data)
                if placeholder is None:
                    raise ValueError("placeholder body not found in word/document.xml")
                data = data[: placeholder.start()] + body.encode("utf-8") + data[placeholder.end():]
            zout.writestr(item, data)
    os.replace(tmp, path)


def chart_file(spec: dict, folder: Path) -> Path:
    """Where the PNG of a chart is kept: under a hash of its spec and the code that draws it (a later year's
    report that must be made again for its cumulative figures mostly shows the same charts)."""
    from pipeline.render.reuse import code_version, digest

    key = digest(code_version(), "grafiek", spec)
    return folder / key[:2] / f"{key}.png"


def _chart(spec: dict, kept: Path | None, tmp: Path, name: str) -> Path:
    """The chart's PNG, at tmp/<name>.png whether it is drawn or a copy of the kept one (the document records
    the file's name). Drawn, it is kept when it can be: a chart that cannot be kept only costs time."""
    png = tmp / f"{name}.png"
    if kept is not None and kept.is_file():
        try:
            shutil.copyfile(kept, png)
            return png
        except OSError:
            pass
    make_chart(spec, png)
    if kept is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            part = temp_beside(kept)
            shutil.copyfile(png, part)
            os.replace(part, kept)  # whole or not at all: two workers may draw the same chart
        except OSError:
            pass
    return png


_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")  # jinja2's two messages


class TemplateFieldMissing(Exception):
    """A Word template asks for a field the document's context does not have (a changed template, or a bug)."""


def render(job: Job) -> Path:
    """Render one document from its template and plain context, drawing its charts first."""
    from docx.shared import Mm
    from docxtpl import InlineImage
    from jinja2 import UndefinedError

    tpl = _template_class()(str(job.template))
    ctx = dict(job.context)
    with tempfile.TemporaryDirectory(prefix="npo-grafieken-") as tmp:
        for name, spec in sorted(job.charts.items()):
            png = _chart(spec, job.chart_files.get(name), Path(tmp), f"{job.out.stem}-{name}")
            ctx[name] = InlineImage(tpl, str(png), width=Mm(160))
        try:
            tpl.render(ctx, jinja_env=_jinja_env(), autoescape=True)
        except UndefinedError as exc:
            m = _UNDEFINED.search(str(exc))
            field = f"het gegeven '{m.group(1) or m.group(2)}'" if m else "een gegeven"
            raise TemplateFieldMissing(f"{job.out.name}: het sjabloon {job.template.name} vraagt om {field}, dat het "
                                       "programma niet levert. Is het sjabloon aangepast? Zet dan het oorspronkelijke "
                                       "terug; anders is dit een fout in het programma.") from None
    props = tpl.docx.core_properties
    props.title, props.author, props.last_modified_by = job.title, job.author, job.author
    props.comments, props.revision = "", 1
    props.created = props.modified = job.generated.replace(microsecond=0)
    job.out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(job.out))
    global _RENDERED
    _RENDERED += 1
    if _RENDERED % TRIM_EVERY == 0:
        trim_heap()
    return job.out


_RENDERED = 0
# Rendering leaves the glibc heap fragmented (measured: ~0,15 MB a document that is never reused);
# handing free pages back every ten documents keeps a worker's memory flat over thousands of documents.
TRIM_EVERY = 10
RECYCLE_AFTER = 200  # documents per worker before its pool is replaced by a fresh one
# Up to this many input files the board-wide documents are rendered side by side (their memory grows with
# the board: ~0.1 MB per workbook per document), and register.xlsx is written in a process of its own
# (publish.write_all); above it one at a time, and the register in a thread, so 10,000 workbooks stay under 1 GB.
HEAVY_SIDE_BY_SIDE_UP_TO = 2_000
# From this many input files a worker collects garbage and trims its heap after each board-wide document (see
# _render_heavy). Below it such a document holds a few MB, and a full collection (~0.1 s in a worker that has
# imported polars and matplotlib) cost more than the document: the demo board with one worker took 7.5 s, now 6.3 s.
RELEASE_AFTER_HEAVY_FROM = 500


def _safe(name: str) -> str:
    return names.safe_name(re.sub(r"[^0-9A-Za-z._-]+", "_", name), fallback="onbekend")


def iter_jobs(data: RunData, outputs: Path, templates: Path = TEMPLATES) -> Iterator[Job]:
    """Every document of the run, its context built when it is asked for (a board of 10.000 workbooks has
    thousands of MR documents: their contexts are never all in memory at once). The board-wide
    documents come first: they take longest."""
    yield from _board_jobs(data, outputs, templates)
    yield from _mr_jobs(data, outputs, templates)


def _job(data: RunData, kind: str, ctx: dict, path: Path, title: str, templates: Path) -> Job:
    author = text(data.board.name) or "Schoolbestuur"
    return Job(templates / f"{kind}.docx", ctx, dict(ctx.get("grafieken", {})), path, title, author, data.generated)


def _board_jobs(data: RunData, outputs: Path, templates: Path) -> Iterator[Job]:
    for year in calendar_years(data):
        report, appendix = jaarverslag.split(jaarverslag.jaarverslag_context(data, year))
        yield _job(data, "jaarverslag", report, outputs / f"jaarverslag-{year}.docx",
                   f"Jaarverslag {year}: externe inhuur NPO", templates)
        yield _job(data, "jaarverslag-bijlagen", appendix, outputs / jaarverslag.appendix_file(year),
                   f"Bijlagen bij het jaarverslag {year}: externe inhuur NPO", templates)
    for sj in school_years(data):
        yield _job(data, "gmr", gmr_context(data, sj), outputs / f"gmr-{_safe(sj)}.docx",
                   f"GMR-overzicht externe inhuur {sj}", templates)
    if eindverantwoording.covers_end(data):
        ctx = eindverantwoording.context(data)
        yield _job(data, eindverantwoording.TEMPLATE, ctx, outputs / eindverantwoording.FILE,
                   f"Eindverantwoording {ctx['titel']}: externe inhuur en NPO-middelen", templates)


def _mr_jobs(data: RunData, outputs: Path, templates: Path) -> Iterator[Job]:
    index = MrIndex.of(data)
    for brin, sj in mr_keys(data):
        yield _job(data, "mr", mr_context(data, brin, sj, index), outputs / "mr" / f"{_safe(brin)}-{_safe(sj)}.docx",
                   f"MR-overzicht externe inhuur {brin} {sj}", templates)


def count_documents(data: RunData) -> int:
    """How many Word documents render_all writes."""
    return 2 * len(calendar_years(data)) + len(school_years(data)) + len(mr_keys(data)) + eindverantwoording.covers_end(data)


def _render_heavy(job: Job) -> Path:
    """A board-wide document: its tables grow with the board (a row per school or per input file)."""
    try:
        return render(job)
    finally:
        release_memory()


def job_key(job: Job) -> str:
    """Everything a document is made from but the moment of the run (only in its document properties)."""
    from pipeline.render.reuse import code_version, digest

    return digest(code_version(), job.template.name, job.context, job.charts, job.title, job.author)


def _reused(jobs: Iterator[Job], cache, finish: Callable[[Path], None], fresh: dict[Path, str],
            order: dict[Path, tuple[int, int]], group: int, charts: OutputCache | None = None) -> Iterator[Job | None]:
    """The jobs whose document is not in the cache; the others are copied from it into place and give None
    (so that the pool can start other work while the contexts of reused documents are being built).
    With `charts`, each job is told where its charts are kept, and they count as used."""
    for i, job in enumerate(jobs):
        order[job.out] = (group, i)
        if charts is not None and job.charts:
            files = {name: chart_file(spec, charts.root) for name, spec in job.charts.items()}
            charts.used.update(f.stem for f in files.values())
            job = replace(job, chart_files=files)
        if cache is None:
            yield job
            continue
        key = job_key(job)
        if cache.get(key, job.out):
            finish(job.out)
            yield None
        else:
            fresh[job.out] = key
            yield job


def render_all(data: RunData, outputs: Path, workers: int = 1, *, templates: Path = TEMPLATES,
               progress: Callable[[int], None] | None = None, cache_dir: Path | None = None,
               chart_dir: Path | None = None) -> list[Path]:
    """Write outputs/jaarverslag-<jaar>.docx, outputs/gmr-<schooljaar>.docx and outputs/mr/<BRIN>-<schooljaar>.docx.

    A document whose context, template and code did not change since the last run is copied from the cache
    in `cache_dir` instead of rendered; a chart whose spec did not change is taken from `chart_dir` instead of
    drawn. With several workers the main process builds the contexts while the
    workers render; only a few contexts wait at a time, and only one board-wide document is rendered at a
    time on a large board (each needs memory in proportion to the board; see HEAVY_SIDE_BY_SIDE_UP_TO), while the
    other workers render MR documents."""
    outputs.mkdir(parents=True, exist_ok=True)
    cache = OutputCache(cache_dir, ".docx") if cache_dir is not None else None
    charts = OutputCache(chart_dir, ".png") if chart_dir is not None else None
    done: list[Path] = []
    fresh: dict[Path, str] = {}

    def finish(path: Path) -> None:
        done.append(path)
        if progress:
            progress(1)

    order: dict[Path, tuple[int, int]] = {}  # board-wide documents, then MR documents, each in the order of their jobs
    board_jobs = _reused(_board_jobs(data, outputs, templates), cache, finish, fresh, order, 0, charts)
    mr_jobs = _reused(_mr_jobs(data, outputs, templates), cache, finish, fresh, order, 1, charts)
    heavy = _render_heavy if len(data.files) >= RELEASE_AFTER_HEAVY_FROM else render
    if workers <= 1:
        for j in board_jobs:
            if j is not None:
                finish(heavy(j))
        for j in mr_jobs:
            if j is not None:
                finish(render(j))
    else:
        at_once = workers if len(data.files) <= HEAVY_SIDE_BY_SIDE_UP_TO else 1
        pool_map(board_jobs, mr_jobs, heavy, render, workers, recycle_after=RECYCLE_AFTER, on_done=finish,
                 heavy_at_once=at_once)
    if cache is not None:
        for out, key in fresh.items():
            if out.is_file():
                cache.put(key, out)
        cache.prune()
    if charts is not None:
        charts.prune()
    return sorted(done, key=lambda p: order.get(p, (2, 0)))

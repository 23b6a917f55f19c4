"""Every count in a document comes from one place: render each document of the demo board and compare its counts."""
from __future__ import annotations

import re

import docx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tools import demo

N = r"(\d+)"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("counts")
    demo.generate(base / "inputs")
    result = CliRunner().invoke(app, ["report", "--inputs", str(base / "inputs"), "--outputs", str(base / "out"), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return base / "out"


def _doc(path):
    d = docx.Document(path)
    text = "\n".join(p.text for p in d.paragraphs)
    tables = {}
    for t in d.tables:
        header = [c.text for c in t.rows[0].cells]
        tables.setdefault(tuple(header), []).append([[c.text for c in r.cells] for r in t.rows[1:]])
    return text, tables


def _column_sum(tables, first: str, column: str = "Inhuren") -> int:
    (header, [rows]), = [(h, r) for h, r in tables.items() if h[0] == first and column in h]
    i = header.index(column)
    return sum(int(r[i]) for r in rows if r[i].strip().isdigit() and not r[0].startswith("Totaal"))


def _all(pattern, text):
    return [int(x) for x in re.findall(pattern, text)]


def test_jaarverslag_counts_agree(outputs):
    docs = sorted(p for p in outputs.glob("jaarverslag-*.docx") if not p.stem.endswith("-bijlagen"))
    assert docs
    for path in docs:
        text, tables = _doc(path)
        year = path.stem.split("-")[1]
        # section 6 counts per category the hires that Bijlage C (in the appendix document) lists one by one
        _, appendix = _doc(outputs / f"jaarverslag-{year}-bijlagen.docx")
        listed = sum(len(rows) for h, tables_ in appendix.items() if h[:2] == ("Inhuur", "Interventie") for rows in tables_)
        summary = [r for h, t in tables.items() if h[0] == "Categorie" and "Inhuren met evaluatie" in h for r in t[0]]
        if listed or summary:
            (total_row,) = [r for r in summary if r[0] == "Totaal"]
            assert int(total_row[1]) == listed == sum(int(r[1]) for r in summary if r[0] != "Totaal"), path.name
        (total,) = _all(rf"liep of is gefactureerd: {N} inhu", text)
        mentioned = (_all(rf"van de {N} inhu", text) + _all(rf"alle {N} inhuren", text)
                     + _all(rf"factuurdatum in {year}, van {N} inhu(?:ur|ren) op", text))
        assert all(n == total for n in mentioned), (path.name, total, mentioned)
        # a bovenschools hire stands at each school that pays for it, and the document says by how many that adds up
        shared = [(int(a), int(b)) for a, b in re.findall(rf"telt daardoor samen {N} meer dan de {N} inhu", text)]
        assert all(n == total for _, n in shared)
        assert _column_sum(tables, "School") == total + sum(extra for extra, _ in shared), path.name
        assert _column_sum(tables, "Interventie") == total, path.name
        assert _column_sum(tables, "Soort inhuur (handreiking OCW)") == total, path.name


def test_gmr_counts_agree(outputs):
    docs = sorted(outputs.glob("gmr-*.docx"))
    assert docs
    for path in docs:
        text, tables = _doc(path)
        (total,) = _all(rf"{N} inhu(?:ur|ren) geregistreerd", text)
        assert all(n == total for n in _all(rf"van de {N} inhu", text)), path.name
        (header, [rows]), = [(h, r) for h, r in tables.items() if h[0] == "School" and "Toekenning" in h]
        totals = [r for r in rows if r[0].startswith("Totaal")]
        assert int(totals[0][header.index("Inhuren")]) == total, path.name


def test_mr_counts_agree(outputs):
    docs = sorted((outputs / "mr").glob("*.docx"))
    assert docs
    for path in docs:
        text, _ = _doc(path)
        (total,) = _all(rf"heeft .*? {N} inhu(?:ur|ren) geregistreerd", text)
        assert all(n == total for n in _all(rf"van de {N} inhu", text)), path.name

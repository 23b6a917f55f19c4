"""The run: a crashing reader costs one file, the cache never changes a result, totals add up."""
from __future__ import annotations

import os
import shutil
from datetime import date
from decimal import Decimal

import polars as pl

from builders import good_tables, write_workbook
from pipeline import aggregate, run
from pipeline.read import workbook as reader
from pipeline.read.cache import ReadCache

TODAY = date(2026, 11, 23)


def _board(tmp_path, n=5):
    inputs = tmp_path / "inputs"
    for i in range(1, n + 1):  # each hire its own invoice numbers: one invoice in two workbooks counts once (L5)
        invoices = [[f"F-{i}-{k}", d, amount, vat, text] for k, (_, d, amount, vat, text) in enumerate(good_tables()["tblFacturen"], 1)]
        write_workbook(inputs / "12AB" / f"inhuur-{i}.xlsx", {"volgnummer": i}, {"tblFacturen": invoices})
    return inputs


def test_a_reader_that_aborts_the_process_costs_only_that_file(tmp_path, monkeypatch):
    """calamine can abort the whole process on crafted input; the pool isolates and rejects that file."""
    inputs = _board(tmp_path, 6)
    shutil.copy(inputs / "12AB" / "inhuur-1.xlsx", inputs / "12AB" / "crash.xlsx")
    real = reader.read

    def fragile(path, *a, **kw):
        if path.name == "crash.xlsx":
            import faulthandler

            faulthandler.disable()  # the abort is the test: no "Fatal Python error" dump of pytest's faulthandler in the log
            os.abort()
        return real(path, *a, **kw)

    monkeypatch.setattr(reader, "read", fragile)
    data = run.run(inputs, workers=2, today=TODAY)
    status = {f.file: f.status for f in data.files}
    assert status.pop("12AB/crash.xlsx") == "afgewezen"
    assert set(status.values()) == {"gelezen"} and len(status) == 6
    crash = next(f for f in data.files if f.file == "12AB/crash.xlsx")
    assert [x.rule for x in crash.findings] == ["W1"]


def test_panic_exception_is_caught(tmp_path, monkeypatch):
    """A BaseException that is not an Exception (calamine's PanicException) becomes a W1 finding."""
    inputs = _board(tmp_path, 2)

    class Panic(BaseException):
        pass

    def panicking(path, *a, **kw):
        raise Panic("crafted")

    monkeypatch.setattr(reader, "read", panicking)
    data = run.run(inputs, workers=1, today=TODAY)
    assert {f.status for f in data.files} == {"afgewezen"}
    assert {x.rule for f in data.files for x in f.findings} == {"W1"}


def test_cache_never_changes_a_result(tmp_path):
    inputs = _board(tmp_path, 3)
    cache = ReadCache.for_outputs(tmp_path / "outputs")
    cold = run.run(inputs, workers=1, today=TODAY, cache=cache)
    warm = run.run(inputs, workers=1, today=TODAY, cache=cache)
    assert list(cache.root.rglob("*.pkl"))
    assert cold.findings_df.equals(warm.findings_df)
    assert cold.hires_df.equals(warm.hires_df) and cold.invoices_df.equals(warm.invoices_df)
    # the same bytes under another name are reported under that name
    shutil.copy(inputs / "12AB" / "inhuur-1.xlsx", inputs / "12AB" / "zelfde.xlsx")
    again = run.run(inputs, workers=1, today=TODAY, cache=cache)
    assert "12AB/zelfde.xlsx" in set(again.findings_df["file"].to_list())


def test_totals_per_dimension_match_the_invoices(tmp_path):
    inputs = _board(tmp_path, 3)
    data = run.run(inputs, workers=1, today=TODAY)
    t = aggregate.totals(data.invoices_df.filter(pl.col("geteld")))
    typed = sum(r.get("Bedrag excl. BTW") for h in data.hires for r in h.tables["tblFacturen"])
    for dim in t["dimensie"].unique().to_list():
        assert Decimal(str(t.filter(pl.col("dimensie") == dim)["excl_btw"].sum())) == typed, dim
    assert set(t["dimensie"].to_list()) == {d for d, _ in aggregate.DIMENSIONS}

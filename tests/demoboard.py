"""The demo board's report for the tests that only read it: made once per test process, each caller gets a copy.

`report --geen-pdf` on the demo board takes about five seconds; the modules that read its documents and register
without changing anything (test_demo_figures, test_document_counts, test_register) share one run."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from tools import demo

_reported: Path | None = None


def demo_report(base: Path) -> Path:
    """`base/inputs` (the demo board) and `base/out`, its outputs of `report --geen-pdf` through the command line;
    the report runs once per test process and each caller gets its own copy of both folders. Returns `base/out`."""
    global _reported
    if _reported is None:
        from typer.testing import CliRunner

        from pipeline.cli import app

        scratch = Path(tempfile.mkdtemp(prefix="npo-demo-report-tests-"))
        atexit.register(shutil.rmtree, scratch, True)
        demo.generate(scratch / "inputs")
        result = CliRunner().invoke(app, ["report", "--inputs", str(scratch / "inputs"), "--outputs", str(scratch / "out"),
                                          "--geen-pdf"])
        assert result.exit_code == 0, result.output
        _reported = scratch
    for name in ("inputs", "out"):
        # copyfile, not copy2: the copies are written now, like a fresh run's
        shutil.copytree(_reported / name, base / name, copy_function=shutil.copyfile, dirs_exist_ok=True)
    return base / "out"

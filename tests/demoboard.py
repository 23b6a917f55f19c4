"""The demo board for the tests: tools/demo.py writes it once per test process and each test gets its own copy.

`demo.generate` takes about two seconds (it builds every workbook with openpyxl and compares it byte for byte);
some forty fixtures start from the demo board, so they copy it instead. The tests of the generator itself
(test_demo.py, test_report.py's comparison with inputs/) still call `demo.generate`."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from tools import demo

_written: Path | None = None


def demo_inputs(inputs: Path) -> Path:
    """Write the demo board into `inputs` (a new or empty folder), as `demo.generate(inputs)` would."""
    global _written
    if _written is None:
        scratch = Path(tempfile.mkdtemp(prefix="npo-demo-tests-"))
        atexit.register(shutil.rmtree, scratch, True)
        demo.generate(scratch / "inputs")
        _written = scratch / "inputs"
    # copyfile, not copy2: each copy is written now, as the generator would write it
    shutil.copytree(_written, inputs, copy_function=shutil.copyfile, dirs_exist_ok=True)
    return inputs


_reported: Path | None = None


def demo_report(base: Path) -> Path:
    """`base/inputs` (the demo board) and `base/out`, its outputs of `report --geen-pdf`; the report runs once per
    test process through the command line, each caller gets its own copy of both folders. Returns `base/out`."""
    global _reported
    if _reported is None:
        from typer.testing import CliRunner

        from pipeline.cli import app

        scratch = Path(tempfile.mkdtemp(prefix="npo-demo-report-tests-"))
        atexit.register(shutil.rmtree, scratch, True)
        demo_inputs(scratch / "inputs")
        result = CliRunner().invoke(app, ["report", "--inputs", str(scratch / "inputs"), "--outputs", str(scratch / "out"),
                                          "--geen-pdf"])
        assert result.exit_code == 0, result.output
        _reported = scratch
    for name in ("inputs", "out"):
        shutil.copytree(_reported / name, base / name, copy_function=shutil.copyfile, dirs_exist_ok=True)
    return base / "out"

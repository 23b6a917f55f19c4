"""Issue 24, the remaining points: negative amounts in messages (9), the programme's end in words (11), the register's
print layout (14), small things a user sees (15) and progress (12)."""
from __future__ import annotations

from datetime import date

import polars as pl

from builders import write_workbook
from pipeline import run

TODAY = date(2025, 12, 31)


def _findings(tmp_path, fields=None, tables=None) -> pl.DataFrame:
    write_workbook(tmp_path / "inputs" / "12AB" / "2022-2023-1.xlsx", fields, tables)
    return run.run(tmp_path / "inputs", workers=1, today=TODAY).findings_df


def test_a_positive_invoice_with_negative_btw_is_a_w4_at_the_btw_cell(tmp_path):
    """24.9: F-1 € 10.000 with BTW −2.100 passed silently; a credit note (both negative) still passes."""
    invoices = [["F-1", date(2022, 12, 31), 10000, -2100, "Tutoring najaar"],
                ["F-2", date(2023, 6, 30), 10000, 2100, "Tutoring voorjaar"],
                ["C-1", date(2023, 7, 1), -500, -105, "Creditnota"]]
    f = _findings(tmp_path, tables={"tblFacturen": invoices})
    w4 = f.filter(pl.col("rule") == "W4")
    assert w4.select("sheet", "cell").rows() == [("Facturen", "D5")], w4.rows()
    assert "-2100" in w4.get_column("message")[0]


def test_a_rejected_negative_contract_value_is_used_by_no_other_rule(tmp_path):
    """24.9: after W4 rejected contractwaarde −20.000, A4 said 'contractwaarde van € -20.000,00'."""
    f = _findings(tmp_path, fields={"contractwaarde": -20000})
    assert f.filter(pl.col("rule") == "W4").height == 1
    assert "A4" not in f.get_column("rule").to_list()
    assert not f.filter(pl.col("message").str.contains("€ -", literal=True) & (pl.col("rule") != "W4")).height, f.rows()

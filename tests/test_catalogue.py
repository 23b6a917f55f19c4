"""The rule catalogue: the ids of DOMAIN.md §3, the generated docs/regels.md, and a check for every per-hire rule."""
from __future__ import annotations

import string
from pathlib import Path

import pytest

from pipeline import catalogue_doc, findings
from pipeline.checks import HIRE_CHECKS, run_hire_checks  # noqa: F401  (run_hire_checks imports every check module)
from pipeline.checks import procurement, process, programme, pupils, questionnaire  # noqa: F401  (register the checks)
from pipeline.model import SEVERITIES

REPO = Path(__file__).resolve().parents[1]

# DOMAIN.md §3, in its order.
DOMAIN_RULES = (
    "W1", "W2", "W3", "W4", "W5", "W6",
    "Q1", "Q2", "Q3", "Q4",
    "P1", "P2", "P4", "P5", "P6", "P8",
    "S1", "S2", "S3", "S4", "S5", "S6",
    "A1", "A2", "A3", "A4", "A5", "A6",
    "V1", "V2", "V3",
)
READER_RULES = {"W1", "W2", "W3", "W4", "W5"}  # found while inspecting and reading the file
BOARD_RULES = {"W6", "A2", "A5"}  # found over all hires of the board (P5 has both a per-hire and a board part)


def test_every_domain_rule_is_in_the_catalogue():
    assert set(DOMAIN_RULES) <= set(findings.catalogue())


def test_the_catalogue_has_exactly_the_domain_rules_in_order():
    assert tuple(findings.catalogue()) == DOMAIN_RULES


@pytest.mark.parametrize("rule", DOMAIN_RULES)
def test_rule_is_complete(rule):
    r = findings.catalogue()[rule]
    assert r.severity in SEVERITIES
    assert r.title and r.checks and r.action and r.source
    assert r.messages
    for code, m in r.messages.items():
        assert m.severity in SEVERITIES, code
        assert m.template.strip(), code
        # a template only has named placeholders: {name}, never {} or {0}
        for _, name, spec, conv in string.Formatter().parse(m.template):
            assert name is None or (name.isidentifier() and not spec and not conv), (code, name)


def test_every_rule_is_in_docs_regels_md():
    text = (REPO / "docs" / "regels.md").read_text(encoding="utf-8")
    for rule in findings.catalogue():
        assert f"| **{rule}** " in text, rule


def test_docs_regels_md_is_generated_from_the_current_catalogue():
    """Regenerate with `python -m pipeline docs` when this fails."""
    assert (REPO / "docs" / "regels.md").read_text(encoding="utf-8") == catalogue_doc.render()


def test_every_per_hire_rule_has_a_registered_check():
    expected = set(DOMAIN_RULES) - READER_RULES - BOARD_RULES
    assert set(HIRE_CHECKS) == expected
    for rule, fn in HIRE_CHECKS.items():
        assert callable(fn), rule


def test_board_rules_have_board_checks():
    from pipeline.checks import board

    assert callable(board.resolve_versions) and callable(board.splitting) and callable(board.rates)
    assert callable(board.allocation_share)

"""The rule catalogue: the ids of DOMAIN.md §3, the generated docs/regels.md, and a check for every per-hire rule."""
from __future__ import annotations

import string
from pathlib import Path

import pytest

from pipeline.render import catalogue as catalogue_doc
from pipeline.rules import catalogue as findings
from pipeline.rules import BOARD, HIRE, READ_RULES, registered
from pipeline.model import SEVERITIES

REPO = Path(__file__).resolve().parents[1]

# DOMAIN.md §3, in its order.
DOMAIN_RULES = (
    "W1", "W2", "W3", "W4", "W5", "W6",
    "Q1", "Q2", "Q3", "Q4",
    "P1", "P2", "P4", "P5", "P6", "P8", "P9",
    "S1", "S2", "S3", "S4", "S5", "S6",
    "A1", "A2", "A3", "A4", "A5", "A6",
    "V1", "V2", "V3",
    "L1", "L2", "L3", "L4", "L5",
)
BOARD_RULES = {"W6", "A2", "A5", "L1", "L2", "L3", "L4", "L5"}  # found over all hires of the board (P5 has both a per-hire and a board part)


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


def test_every_rule_of_the_catalogue_has_a_check_or_is_found_while_reading():
    checked = {rule for rule, _ in registered()}
    assert READ_RULES.isdisjoint(checked)
    assert checked | READ_RULES == set(findings.catalogue())


def test_each_rule_has_its_scope():
    scopes = {}
    for rule, scope in registered():
        scopes.setdefault(rule, set()).add(scope)
    assert {r for r, s in scopes.items() if s == {BOARD}} == BOARD_RULES
    assert scopes["P5"] == scopes["P9"] == {HIRE, BOARD}
    assert {r for r, s in scopes.items() if HIRE in s} == set(DOMAIN_RULES) - READ_RULES - BOARD_RULES


def test_readme_names_only_rule_ids_that_exist():
    """Ranges like "P1–P8" would promise P3 and P7, which do not exist."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    ids = set(findings.catalogue())
    for m in re.finditer(r"\b([A-Z])(\d)–([A-Z])(\d)\b", text):
        letter, lo, hi = m.group(1), int(m.group(2)), int(m.group(4))
        assert all(f"{letter}{n}" in ids for n in range(lo, hi + 1)), m.group(0)


def test_s3_action_asks_for_a_teacher_or_an_ib_er():
    """S3 warns when neither is in the team, so the action must ask for one of them, not both."""
    action = findings.catalogue()["S3"].action
    assert " of een IB'er" in action and " en een IB'er" not in action


def test_sources_cite_public_texts_not_seed_files():
    """Sources name the text a reader can open (OCW, AVS, OVSG, Arbeidsmarktplatform PO, nponderwijs.nl), never a seed file."""
    from pipeline import reference
    from pipeline.read import board as config

    texts = [r.source for r in findings.catalogue().values()]
    texts += [y.source for y in reference.npo_years().values()] + [p.source for p in reference.thresholds()]
    texts += [reference.menukaart().source] + [s.source for s in config.SETTINGS]
    assert not [t for t in texts if "seed" in t.lower()]
    # The attention points have no point called "menukaart"; € 463,78, "geen nieuwe middelen" and the spending
    # deadline come from nponderwijs.nl.
    assert "aandachtspunt 'menukaart'" not in findings.catalogue()["P1"].source
    years = reference.npo_years()
    assert "nponderwijs.nl: € 463,78" in years["2022-2023"].source
    assert years["2023-2024"].source.startswith("nponderwijs.nl") and years["2024-2025"].source.startswith("nponderwijs.nl")
    programme_end = next(s for s in config.SETTINGS if s.key == "programme_end")
    assert programme_end.source.startswith("nponderwijs.nl")

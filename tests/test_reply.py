"""`reply` on the demo board: the right people, the right files, a draft for every school with findings."""
from __future__ import annotations

import email
from datetime import datetime
from email import policy

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.read.intake import XLSX_TYPE, intake
from test_intake import client_mail
from tools import demo

runner = CliRunner()


@pytest.fixture(scope="module")
def replied(tmp_path_factory):
    base = tmp_path_factory.mktemp("reply")
    inputs, outputs, mails = base / "inputs", base / "outputs", base / "mail"
    demo.generate(inputs)
    mails.mkdir()
    tutoring = (inputs / "12AB" / "2022-2023-1 tutoring.xlsx").read_bytes()
    (mails / "1.eml").write_bytes(client_mail("Directie <directie@regenboog.example>", "inhuur", [
        ("2022-2023-1 tutoring.xlsx", tutoring, XLSX_TYPE)], datetime(2023, 1, 10), "<a@regenboog>").as_bytes())
    (mails / "2.eml").write_bytes(client_mail("Iemand <iemand@gmail.example>", "nogmaals", [
        ("tutoring.xlsx", tutoring, XLSX_TYPE)], datetime(2023, 1, 12), "<b@gmail>").as_bytes())
    for i, name in enumerate(("2022-2023-1 tutoring (versie 1).xlsx", "2022-2023-1 tutoring.xlsx")):
        (mails / f"ef{i}.eml").write_bytes(client_mail("IB <ib@debrug.example>", name, [
            (name, (inputs / "17EF" / name).read_bytes(), XLSX_TYPE)], datetime(2023, 2, 1 + i), f"<ef{i}@brug>").as_bytes())
    assert intake([mails], inputs).records
    result = runner.invoke(app, ["report", "--inputs", str(inputs), "--outputs", str(outputs), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    drafts = outputs / "antwoorden"
    drafts.mkdir()
    (drafts / "99ZZ.eml").write_bytes(b"From: a@b\r\nSubject: Terugkoppeling inhuurwerkboeken 99ZZ\r\nX-Unsent: 1\r\n\r\noud\r\n")
    (drafts / "eigen notitie.eml").write_bytes(b"From: mij@bestuur\r\nSubject: eigen\r\n\r\nvan mij\r\n")
    result = runner.invoke(app, ["reply", "--inputs", str(inputs), "--outputs", str(outputs)])
    assert result.exit_code == 0, result.output
    return outputs, result.output


def _msg(outputs, brin):
    return email.message_from_bytes((outputs / "antwoorden" / f"{brin}.eml").read_bytes(), policy=policy.default)


def test_the_school_address_from_bestuur_with_the_last_sender_in_copy(replied):
    outputs, _ = replied
    msg = _msg(outputs, "12AB")
    assert [a.addr_spec for a in msg["To"].addresses] == ["directie@regenboog.example"]
    assert "iemand@gmail.example" in [a.addr_spec for a in msg["Cc"].addresses]


def test_sender_from_bestuur(replied):
    outputs, _ = replied
    assert _msg(outputs, "12AB")["From"].addresses[0].addr_spec == "inhuur@waterlinie.example"


def test_only_counted_versions_and_their_marked_copies(replied):
    outputs, _ = replied
    msg = _msg(outputs, "17EF")
    names = [a.get_filename() for a in msg.iter_attachments()]
    assert "2022-2023-1 tutoring.xlsx" in names
    assert not [n for n in names if "versie 1" in n]
    assert "versie 1" not in msg.get_body(("plain",)).get_content()


def test_every_school_with_findings_gets_a_draft(replied):
    outputs, _ = replied
    for brin in demo.BOARD.schools:
        assert (outputs / "antwoorden" / f"{brin}.eml").is_file(), brin
    assert _msg(outputs, "14CD")["To"].addresses[0].addr_spec == "directie@kompas.example"


def test_stale_drafts_removed_own_files_kept_and_count_matches(replied):
    outputs, output = replied
    folder = outputs / "antwoorden"
    assert not (folder / "99ZZ.eml").exists()
    assert (folder / "eigen notitie.eml").is_file()
    ours = [p for p in folder.glob("*.eml") if p.name != "eigen notitie.eml"]
    assert output.startswith(f"{len(ours)} conceptantwoorden")


def test_a_school_without_address_is_named_with_the_reason(tmp_path):
    from pipeline.model import Finding
    from pipeline.read import board as config
    from pipeline.render.reply import draft_replies
    from pipeline.rules import catalogue as findings_mod

    board = config.Board(schools={"12AB": config.School("12AB", "OBS De Regenboog", "bo", "")}, from_file=True)
    found = findings_mod.to_frame([Finding("W3", "fout", "12AB/a.xlsx", "12AB-2022-2023-1", "1 Verkenning", "B5", "Leeg.", "bron")])
    files = [{"file": "12AB/a.xlsx", "status": "gelezen", "brin": "12AB"}]
    result = draft_replies(tmp_path / "inputs", tmp_path / "outputs", found, {}, board=board, files=files)
    assert result.written == []
    assert [school for school, _ in result.not_drafted] == ["12AB OBS De Regenboog"]


def _body(outputs, brin) -> str:
    return _msg(outputs, brin).get_body(("plain",)).get_content()


def test_the_ledger_finding_on_a_schools_cost_centre_is_in_its_draft(replied):
    """24.7: the ledger's L1 for 14CD (spending without a workbook) reaches 14CD, and no other school."""
    outputs, _ = replied
    assert "(L1" in _body(outputs, "14CD")
    assert all("(L1" not in _body(outputs, b) for b in ("12AB", "17EF", "21GH"))


def test_warnings_are_described_not_only_counted(replied):
    """24.7: each warning the draft counts is also listed with its rule."""
    import re

    outputs, _ = replied
    for brin in demo.BOARD.schools:
        body = _body(outputs, brin)
        counted = sum(int(n) for n in re.findall(r"(\d+) waarschuwingen?\b", body))
        listed = body.count(", waarschuwing)")
        assert listed >= counted > 0 or counted == listed == 0, brin


def test_a_draft_does_not_answer_for_a_co_paying_schools_finding(replied):
    """A P5 about 14CD on 21GH's bovenschools hire is not 21GH's to fix; 14CD hears about it."""
    outputs, _ = replied
    assert "School 14CD heeft" not in _body(outputs, "21GH")
    assert "School 14CD heeft" in _body(outputs, "14CD")


def test_not_processed_lists_only_the_last_mails_attachments(tmp_path):
    """24.7: two mails handled in one intake run: 'Niet verwerkt uit uw laatste e-mail' names the last one's only."""
    from pipeline.read import board as config
    from pipeline.render.reply import draft_replies
    from pipeline.rules import catalogue as findings_mod

    inputs, mails = tmp_path / "inputs", tmp_path / "mail"
    demo.generate(inputs)
    mails.mkdir()
    book = (inputs / "12AB" / "2022-2023-2 advies.xlsx").read_bytes()
    sender = "Directie <directie@regenboog.example>"
    (mails / "1.eml").write_bytes(client_mail(sender, "eerst", [("oude notitie.pdf", b"%PDF-1.4\n", "application/pdf")],
                                              datetime(2023, 1, 10), "<eerst@regenboog>").as_bytes())
    (mails / "2.eml").write_bytes(client_mail(sender, "daarna", [("2022-2023-2 advies.xlsx", book, XLSX_TYPE),
                                                                 ("foto.jpg", b"\xff\xd8\xff", "image/jpeg")],
                                              datetime(2023, 1, 12), "<daarna@regenboog>").as_bytes())
    assert intake([mails], inputs).records
    board, _ = config.load(inputs / config.FILE_NAME)
    result = draft_replies(inputs, tmp_path / "outputs", findings_mod.empty_frame(), {}, board=board,
                           files=[{"file": "12AB/2022-2023-2 advies.xlsx", "status": "gelezen", "brin": "12AB"}])
    body = email.message_from_bytes(result.written[0].read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "foto.jpg" in body
    assert "oude notitie.pdf" not in body

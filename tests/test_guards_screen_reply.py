"""Guards from the mutation screen of the reply drafts (issue 28, 2026-12-06): who a draft goes to, its attachments'
names, and which earlier drafts a run removes. Addresses and names are typed in the test.
No pytest fixtures but tmp_path, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

from datetime import datetime

from pipeline.read import board as config
from pipeline.read import intake
from pipeline.render import reply

BOARD = config.Board(schools={"12AB": config.School("12AB", "De Regenboog", "bo", "Info@Regenboog.example "),
                              "14CD": config.School("14CD", "De Linde", "bo", "")})


def _row(sender: str, day: int, brin: str = "12AB") -> intake.IntakeRecord:
    return intake.IntakeRecord(ontvangen=datetime(2023, 3, 10), afzender=sender, datum=datetime(2023, 3, day), onderwerp="werkboek",
                               bijlage="a.xlsx", opgeslagen_als=f"{brin}/a.xlsx", sha256="", status="opgeslagen", brin=brin)


def test_a_draft_goes_to_the_schools_address_with_the_last_sender_in_copy():
    """To: the address on the sheet Scholen (trimmed); Cc: the latest sender (5 March, not 1 March) unless that is the
    school's own address. Without an address on the sheet the latest sender is the To. Bug: the first sender, no copy,
    the copy when it is the same address, or no To."""
    school = reply._School("12AB", [_row("Jan <jan@regenboog.example>", 5), _row("Piet <piet@regenboog.example>", 1)])
    assert reply._recipients(school, BOARD) == ("Info@Regenboog.example", "Jan <jan@regenboog.example>", "")
    same = reply._School("12AB", [_row("Secretariaat <info@regenboog.example>", 5)])
    assert reply._recipients(same, BOARD)[:2] == ("Info@Regenboog.example", "")
    no_address = reply._School("14CD", [_row("Els <els@linde.example>", 2, "14CD"), _row("Ad <ad@linde.example>", 7, "14CD")])
    assert reply._recipients(no_address, BOARD)[:2] == ("Ad <ad@linde.example>", "")
    assert reply._recipients(reply._School("14CD"), BOARD)[:2] == ("", "")


def test_compose_sets_to_and_cc_and_gives_equal_attachment_names_a_number(tmp_path):
    """Three workbooks named a.xlsx / A.xlsx from different schools: a.xlsx, A (2).xlsx, a (3).xlsx (names compared
    without case). Bug: a missing Cc, or two attachments with the same name."""
    paths = []
    for i, (folder, name) in enumerate((("12AB", "a.xlsx"), ("14CD", "A.xlsx"), ("17EF", "a.xlsx"))):
        (tmp_path / folder).mkdir()
        paths.append(tmp_path / folder / name)
        paths[-1].write_bytes(bytes([i]))
    msg = reply.compose("bestuur@example.nl", "info@regenboog.example", "Onderwerp", "Tekst", paths, datetime(2023, 3, 10, 9, 0),
                        cc="Jan <jan@regenboog.example>")
    assert (str(msg["To"]), str(msg["Cc"])) == ("info@regenboog.example", "Jan <jan@regenboog.example>")
    assert [p.get_filename() for p in msg.iter_attachments()] == ["a.xlsx", "A (2).xlsx", "a (3).xlsx"]
    assert [p.get_content() for p in msg.iter_attachments()] == [b"\x00", b"\x01", b"\x02"]


def test_only_earlier_drafts_of_this_program_are_removed(tmp_path):
    """a.eml is kept by this run, b.eml is the user's own mail, c.eml and d.eml are earlier drafts of this program
    (the marker header, or X-Unsent with the old subject). Only c and d go. Bug: the loop stops at the kept draft, a
    user's mail removed, or the old marker not recognised."""
    ours = f"{reply.DRAFT_HEADER}: concept\r\nSubject: x\r\n\r\nbody".encode()
    old = f"X-Unsent: 1\r\nSubject: {reply.OLD_SUBJECT}\r\n\r\nbody\r\n\r\n{reply.DRAFT_HEADER}: concept".encode()
    for name, data in {"a.eml": ours, "b.eml": b"Subject: eigen\r\n\r\nX-Unsent: 1", "c.eml": ours, "d.eml": old}.items():
        (tmp_path / name).write_bytes(data)
    removed = reply._remove_stale(tmp_path, {tmp_path / "a.eml"})
    assert removed == [tmp_path / "c.eml", tmp_path / "d.eml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.eml", "b.eml"]

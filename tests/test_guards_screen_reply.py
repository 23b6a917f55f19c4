"""Guards from the mutation screen of the reply drafts (issue 28, 2026-12-06; all of reply.py in the second round,
docs/mutatietests/2026-12-06b-reply.md): which schools get a draft, who it goes to, its attachments, which hires,
files, counts and findings it lists, and which earlier drafts a run removes. Addresses, names and expected drafts are
typed in the test. No pytest fixtures but tmp_path, so tools/mutants_screen.py can run them.
"""
from __future__ import annotations

import email
import io
import json
import re
from datetime import date, datetime, timezone
from email import policy
from functools import lru_cache
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline import publish
from pipeline.model import Finding
from pipeline.read import board as config
from pipeline.read import intake
from pipeline.render import reply
from pipeline.render import workbook as template
from pipeline.rules import catalogue

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


# --------------------------------------------------------------------------- one board, every kind of school
# A hand-made run: the intake log (written as intake-log.xlsx, read back by the program), the manifest's files, the
# findings and the marked copies. What each school's draft must hold is typed out below, with the reason per line.

RUN_BOARD = config.Board(
    name="Stichting Test", email="inhuur@bestuur.example", from_file=True,
    schools={"12AB": config.School("12AB", "De Regenboog", "bo", "directie@regenboog.example"),
             "14CD": config.School("14CD", "De Linde", "bo", "info@linde.example"),
             "15QR": config.School("15QR", "De Es", "bo", "es@example.org"),
             "17EF": config.School("17EF", "De Brug", "bo", ""),
             "19IJ": config.School("19IJ", "De Eik", "bo", "eik@example.org"),
             "21GH": config.School("21GH", "Het Kompas", "bo", "kompas@example.org"),
             "23KL": config.School("23KL", "De Wilg", "bo", "")})
NOW = datetime(2023, 4, 1, 12, 0)
JAN, PIET, IB, ANN = ("Jan <jan@regenboog.example>", "Piet <piet@regenboog.example>", "IB <ib@brug.example>",
                      "Ann O'Brien <ann+npo@school.nl>")
SKIP = intake.NOT_WORKBOOK


def _log_row(sender, day, bijlage, stored, status, brin, *, bron="", mid="", note="", received=None):
    return intake.IntakeRecord(ontvangen=received or datetime(2023, 3, day, 12, 0), afzender=sender,
                               datum=datetime(2023, 3, day, 9, 0), onderwerp="inhuur", bijlage=bijlage,
                               opgeslagen_als=stored, sha256="", status=status, brin=brin, bron=bron, opmerking=note,
                               message_id=mid)


# Log order matters: files are listed in the order of the log, and the latest mail is picked by date, then by
# the time the intake handled it.
LOG = [
    _log_row(JAN, 1, "oud.xlsx", "12AB/oud.xlsx", intake.STORED, "12AB", mid="<m1@regenboog>"),  # replaced: no row
    _log_row(JAN, 1, "scan.pdf", "", SKIP, "", mid="<m1@regenboog>"),  # an earlier mail: not "niet verwerkt"
    _log_row(JAN, 5, "nieuw.xlsx", "12AB/nieuw.xlsx", intake.STORED, "12AB", mid="<m2@regenboog>"),
    _log_row(JAN, 5, "2022-2023-3 hulp.xlsx", "12AB/2022-2023-3 hulp.xlsx", intake.STORED, "12AB", mid="<m2@regenboog>"),
    _log_row(JAN, 5, "foto.jpg", "", SKIP, "", mid="<m2@regenboog>"),  # no BRIN: Jan's last BRIN, 12AB
    _log_row(JAN, 5, "laat.xlsx", "12AB/laat.xlsx", intake.STORED, "12AB", mid="<m2@regenboog>"),  # after the report
    # the same minute, but a mail without Message-ID: not the latest mail (handled earlier), so not "niet verwerkt"
    _log_row(JAN, 5, "andere.pdf", "", SKIP, "", received=datetime(2023, 3, 5, 11, 0)),
    _log_row(JAN, 5, "kopie.xlsx", "12AB/nieuw.xlsx", intake.DUPLICATE, "12AB", mid="<m2@regenboog>"),
    _log_row(JAN, 5, "kapot.xlsx", "", "afgewezen: beschadigd", "", mid="<m2@regenboog>", note="niet te openen"),
    _log_row(PIET, 3, "x.xlsx", "12AB/x.xlsx", intake.STORED, "12AB", mid="<p@regenboog>"),  # file gone: not listed
    _log_row(IB, 2, "c.xlsx", "17EF/c.xlsx", intake.STORED, "17EF", bron="brug.mbox#1"),
    # two mails without Message-ID on the same date: the one the intake handled last (mbox#2) is the latest
    _log_row(IB, 4, "extra.pdf", "", SKIP, "", bron="brug.mbox#3", received=datetime(2023, 3, 5, 8, 0)),
    _log_row(IB, 4, "notitie.docx", "", SKIP, "", bron="brug.mbox#2", received=datetime(2023, 3, 6, 8, 0)),
    _log_row("", 2, "y.xlsx", "", "afgewezen: geen afzender", ""),  # nobody to answer (the rows after it are read)
    _log_row(ANN, 2, "werkboek.xls", "", "afgewezen: geen xlsx", "", bron="ann.eml", mid="<x@school>"),
    _log_row("z@school.nl", 2, "", "", "afgewezen: onleesbaar", ""),  # no attachment: nothing to answer
    # its file is gone and nothing was refused: nothing to say, so no draft (and not named as without one)
    _log_row("Els <els@elders.example>", 2, "weg.xlsx", "30XY/weg.xlsx", intake.STORED, "30XY", mid="<e@elders>"),
]
MANIFEST_FILES = [
    # the manifest's order is not the log's: a school's mailed files come in the order of the log
    {"file": "12AB/b.xlsx", "status": "gelezen", "brin": "12AB"},  # no findings, not mailed: 12AB is answered anyway
    {"file": "12AB/2022-2023-3 hulp.xlsx", "status": "gelezen", "brin": "12AB"},
    {"file": "12AB/nieuw.xlsx", "status": "gelezen", "brin": "12AB"},
    {"file": "12AB/oud.xlsx", "status": "vervangen", "brin": "12AB"},
    {"file": "17EF/c.xlsx", "status": "gelezen", "brin": "17EF"},
    {"file": "21GH/d.xlsx", "status": "gelezen", "brin": "21GH"},
    {"file": "21GH/e.xlsx", "status": "overgeslagen", "brin": "21GH"},  # skipped files are not answered
    {"file": "23KL/f.xlsx", "status": "afgewezen", "brin": "23KL"},  # rejected: 23KL must send it again
    {"file": "19IJ/g.xlsx", "status": "gelezen", "brin": "19IJ"},  # warnings only, not mailed: answered
    {"file": "onbekend/zonder brin.xlsx", "status": "afgewezen", "brin": ""},  # no school to send it to
]


def _f(rule, severity, file, sheet, cell, message, hire_id="", about=""):
    return Finding(rule, severity, file, hire_id, sheet, cell, message, "bron", about)


FINDINGS = [
    _f("S1", "fout", "12AB/oud.xlsx", "Proces", "B5", "msg-oud", "12AB-2022-2023-2"),
    _f("P8", "waarschuwing", "12AB/nieuw.xlsx", "4 Uitvoering", "B3", "msg-a"),  # no hire id: the next one's
    _f("P1", "fout", "12AB/nieuw.xlsx", "1 Verkenning", "B9", "msg-b", "12AB-2022-2023-2"),
    _f("I1", "info", "12AB/nieuw.xlsx", "1 Verkenning", "B2", "msg-info"),
    _f("S2", "fout", "12AB/nieuw.xlsx", "Proces", "", "msg-c", "12AB-2022-2023-2"),
    _f("P8", "waarschuwing", "17EF/c.xlsx", "4 Uitvoering", "B5", "msg-d", "17EF-2022-2023-1"),
    _f("P5", "fout", "17EF/c.xlsx", "Bovenschools", "C4", "msg-e", "17EF-2022-2023-1", about="14CD"),
    _f("P6", "fout", "17EF/c.xlsx", "Bovenschools", "C5", "msg-f", "17EF-2022-2023-1", about="17EF"),
    _f("I2", "info", "21GH/d.xlsx", "Proces", "B1", "msg-h", "21GH-2022-2023-1"),
    _f("P2", "fout", "21GH/d.xlsx", "1 Verkenning", "B12", "msg-p", "21GH-2022-2023-1"),
    _f("W1", "fout", "21GH/e.xlsx", "", "", "msg-i"),
    _f("W3", "fout", "23KL/f.xlsx", "", "", "msg-j"),
    _f("P8", "waarschuwing", "19IJ/g.xlsx", "4 Uitvoering", "B7", "msg-r", "19IJ-2022-2023-4"),
    _f("W3", "fout", "onbekend/zonder brin.xlsx", "1 Verkenning", "B5", "msg-s"),
    _f("L1", "waarschuwing", "grootboek/export.csv", "", "12", "msg-k", about="14CD"),  # a cell without sheet: no place
    _f("L1", "info", "grootboek/export.csv", "export.csv", "", "msg-o", about="14CD"),  # a note: not in the mail
    _f("L1", "fout", "grootboek/export.csv", "export.csv", "", "msg-g", about="14CD"),
    _f("L1", "waarschuwing", "grootboek/export.csv", "", "", "msg-l", about="21GH"),
    _f("L1", "fout", "grootboek/export.csv", "export.csv", "", "msg-m", about="25MN"),  # not in bestuur.xlsx
    _f("L1", "waarschuwing", "grootboek/export.csv", "export.csv", "", "msg-q", about="19IJ"),
    _f("L1", "waarschuwing", "grootboek/export.csv", "export.csv", "", "msg-t", about="15QR"),  # its only finding
    _f("L1", "info", "grootboek/export.csv", "export.csv", "", "msg-n", about="27PQ"),  # a note: no draft
]


@lru_cache(maxsize=None)
def _workbook_bytes(volgnummer: int | None) -> bytes:
    """A workbook of 12AB, 2022-2023, with this number: its hire id 12AB-2022-2023-<number> is read from the file;
    without a number the hire id is unknown."""
    wb = template.build()
    fields = {"brin": "12AB", "school_naam": "De Regenboog", "schooljaar": "2022-2023", "versiedatum": date(2023, 2, 1)}
    template.fill(wb, fields if volgnummer is None else {**fields, "volgnummer": volgnummer})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write_log(inputs: Path, rows: list[intake.IntakeRecord]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = intake.LOG_SHEET
    ws.append(list(intake.HEADERS.values()))
    for r in rows:
        ws.append([getattr(r, k) for k in intake.HEADERS])
    wb.save(inputs / intake.LOG_NAME)


def _run_inputs(root: Path) -> tuple[Path, Path, dict[str, Path]]:
    """inputs with the log and the files that exist; outputs with the marked copies and three earlier .eml files."""
    inputs, outputs = root / "inputs", root / "outputs"
    for folder in ("12AB", "17EF", "21GH"):
        (inputs / folder).mkdir(parents=True)
    _write_log(inputs, LOG)
    for name in ("oud.xlsx", "nieuw.xlsx"):
        (inputs / "12AB" / name).write_bytes(b"x")
    (inputs / "12AB" / "2022-2023-3 hulp.xlsx").write_bytes(_workbook_bytes(3))
    (inputs / "12AB" / "b.xlsx").write_bytes(_workbook_bytes(None))  # no number: hire id "onbekend"
    marked_dir = outputs / "gemarkeerd"
    (marked_dir / "12AB").mkdir(parents=True)
    (marked_dir / "ander").mkdir()
    marked = {"12AB/oud.xlsx": marked_dir / "12AB" / "oud.xlsx",  # replaced: never attached
              "12AB/nieuw.xlsx": marked_dir / "12AB" / "nieuw.xlsx",
              "12AB/2022-2023-3 hulp.xlsx": marked_dir / "12AB" / "ontbreekt.xlsx",  # not written: not attached
              "12AB/b.xlsx": marked_dir / "ander" / "nieuw.xlsx",  # same name as the first: "nieuw (2).xlsx"
              "17EF/c.xlsx": marked_dir / "c.xlsx"}
    (inputs / "12AB" / "laat.xlsx").write_bytes(b"x")
    for rel, data in (("12AB/oud.xlsx", b"O"), ("12AB/nieuw.xlsx", b"N"), ("12AB/b.xlsx", b"B"), ("17EF/c.xlsx", b"C")):
        marked[rel].write_bytes(data)
    drafts = outputs / reply.REPLY_DIR
    drafts.mkdir()
    (drafts / "12AB.eml").write_bytes(f"{reply.DRAFT_HEADER}: concept\r\nSubject: oud\r\n\r\noud".encode())  # rewritten
    (drafts / "99ZZ.eml").write_bytes(f"{reply.DRAFT_HEADER}: concept\r\nSubject: oud\r\n\r\noud".encode())  # removed
    (drafts / "eigen.eml").write_bytes(b"Subject: eigen\r\n\r\nvan mij")  # the user's own: kept
    return inputs, outputs, marked


FINDING_LINE = re.compile(r"^  - (?:(?P<where>.+?): )?(?P<msg>msg-[\w-]+) \((?P<rule>[A-Z]+\d+)(?P<warn>, waarschuwing)?\)$")
HIRE_LINE = re.compile(r"^Inhuur (?P<hire>\S+) \(bestand (?P<file>.+)\)$")
COUNT_LINE = re.compile(r"^  (\d+) fout(?:en)?, (\d+) waarschuwing(?:en)?$")


def _tokens(body: str) -> list[tuple]:
    """What a body says, without its wording: hires with file, counts, findings (place, message, rule, warning) and
    the lines of "niet verwerkt"."""
    out: list[tuple] = []
    for line in body.splitlines():
        if m := HIRE_LINE.match(line):
            out.append(("inhuur", m["hire"], m["file"]))
        elif m := COUNT_LINE.match(line):
            out.append(("aantal", int(m[1]), int(m[2])))
        elif m := FINDING_LINE.match(line):
            out.append((m["where"] or "", m["msg"], m["rule"], bool(m["warn"])))
        elif line.startswith("  - "):
            out.append(("niet verwerkt", line[4:]))
    return out


def _parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def _summary(path: Path) -> dict:
    msg = _parse(path)
    body = msg.get_body(("plain",)).get_content()
    return {"to": [a.addr_spec for a in msg["To"].addresses],
            "cc": [a.addr_spec for a in msg["Cc"].addresses] if msg["Cc"] else [],
            "subject": msg["Subject"],
            "in_reply_to": msg["In-Reply-To"],
            "attachments": [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()],
            "body": _tokens(body),
            "asks_to_resend": "opnieuw" in body}


# What each school receives, worked out by hand from LOG, MANIFEST_FILES and FINDINGS above.
SUBJECT = reply.OLD_SUBJECT + " "  # the subject's words are not pinned here: only the BRIN after them
EXPECTED = {
    "12AB.eml": {
        "to": ["directie@regenboog.example"],  # the sheet Scholen
        "cc": ["jan@regenboog.example"],  # Jan's mail of 5 March is the latest (Piet's is of the 3rd)
        "subject": SUBJECT + "12AB", "in_reply_to": "<m2@regenboog>",
        # files in log order (oud replaced, x.xlsx gone), then the manifest's b.xlsx; hulp has no marked copy on disk
        "attachments": [("nieuw.xlsx", b"N"), ("nieuw (2).xlsx", b"B")],
        "body": [("inhuur", "12AB-2022-2023-2", "12AB/nieuw.xlsx"), ("aantal", 2, 1),  # P1, S2 errors; P8; info not
                 ("1 Verkenning!B9", "msg-b", "P1", False), ("Proces", "msg-c", "S2", False),
                 ("4 Uitvoering!B3", "msg-a", "P8", True),
                 ("inhuur", "12AB-2022-2023-3", "12AB/2022-2023-3 hulp.xlsx"), ("aantal", 0, 0),  # id from the file
                 ("inhuur", "onbekend", "12AB/laat.xlsx"), ("aantal", 0, 0),  # on disk, not in the report
                 ("inhuur", "onbekend", "12AB/b.xlsx"), ("aantal", 0, 0),  # the manifest's, after the mailed ones
                 # the latest mail (m2) only: the duplicate and the stored files are not "niet verwerkt"
                 ("niet verwerkt", "foto.jpg: overgeslagen: geen werkboek"),
                 ("niet verwerkt", "kapot.xlsx: afgewezen: beschadigd (niet te openen)")],
        "asks_to_resend": True},
    "14CD.eml": {
        "to": ["info@linde.example"], "cc": [], "subject": SUBJECT + "14CD", "in_reply_to": None, "attachments": [],
        # no workbooks: the P5 about 14CD on 17EF's hire and the ledger's L1 on 14CD, errors first
        "body": [("Bovenschools!C4", "msg-e", "P5", False), ("export.csv", "msg-g", "L1", False),
                 ("", "msg-k", "L1", True)],
        "asks_to_resend": True},
    "15QR.eml": {  # no workbook, no mail: a ledger warning alone gives a draft, without asking to send again
        "to": ["es@example.org"], "cc": [], "subject": SUBJECT + "15QR", "in_reply_to": None, "attachments": [],
        "body": [("export.csv", "msg-t", "L1", True)], "asks_to_resend": False},
    "17EF.eml": {
        "to": ["ib@brug.example"], "cc": [],  # no address on Scholen: the latest sender
        "subject": SUBJECT + "17EF", "in_reply_to": None, "attachments": [("c.xlsx", b"C")],
        # P5 about 14CD is not 17EF's; P6 about 17EF itself is
        "body": [("inhuur", "17EF-2022-2023-1", "17EF/c.xlsx"), ("aantal", 1, 1),
                 ("Bovenschools!C5", "msg-f", "P6", False), ("4 Uitvoering!B5", "msg-d", "P8", True),
                 ("niet verwerkt", "notitie.docx: overgeslagen: geen werkboek")],
        "asks_to_resend": True},
    "19IJ.eml": {
        "to": ["eik@example.org"], "cc": [], "subject": SUBJECT + "19IJ", "in_reply_to": None, "attachments": [],
        "body": [("inhuur", "19IJ-2022-2023-4", "19IJ/g.xlsx"), ("aantal", 0, 1), ("4 Uitvoering!B7", "msg-r", "P8", True),
                 ("export.csv", "msg-q", "L1", True)],  # warnings only: not asked to send again
        "asks_to_resend": False},
    "21GH.eml": {
        "to": ["kompas@example.org"], "cc": [], "subject": SUBJECT + "21GH", "in_reply_to": None, "attachments": [],
        # its workbook's error (the info note neither counted nor listed; e.xlsx was skipped), then the ledger's
        # warning: asked to send again for the workbook's error alone
        "body": [("inhuur", "21GH-2022-2023-1", "21GH/d.xlsx"), ("aantal", 1, 0), ("1 Verkenning!B12", "msg-p", "P2", False),
                 ("", "msg-l", "L1", True)],
        "asks_to_resend": True},
    "onbekend-ann_npo@school.nl.eml": {
        "to": ["ann+npo@school.nl"], "cc": [], "subject": SUBJECT + "(BRIN onbekend)", "in_reply_to": "<x@school>",
        "attachments": [], "body": [("niet verwerkt", "werkboek.xls: afgewezen: geen xlsx")], "asks_to_resend": True},
}


def _check_run(result: reply.Replies, outputs: Path) -> None:
    drafts = outputs / reply.REPLY_DIR
    assert [p.relative_to(drafts).as_posix() for p in result.written] == sorted(EXPECTED)
    assert {p.name: _summary(p) for p in result.written} == EXPECTED
    # 23KL has a rejected workbook but no address and no mail; 25MN is not in bestuur.xlsx (its reason is another)
    assert [school for school, _ in result.not_drafted] == ["23KL De Wilg", "25MN"]
    assert len({why for _, why in result.not_drafted}) == 2
    assert result.removed == [drafts / "99ZZ.eml"]
    assert sorted(p.name for p in drafts.iterdir()) == sorted([*EXPECTED, "eigen.eml"])


def test_every_school_gets_the_draft_worked_out_by_hand(tmp_path):
    """The whole run of drafts: who gets one (and who not, by name), To/Cc, subject, In-Reply-To, attachments with
    their contents, and per hire its id, file, counts and findings (rule, sheet!cell, warning or not) in order.
    Bugs this catches: a school left out or added, a replaced version or a skipped file answered, an info note listed
    or counted, a finding about another school in a draft, the wrong latest mail, an earlier mail's attachments in
    "niet verwerkt", files or findings in another order, a missing marked copy attached, stale drafts kept."""
    inputs, outputs, marked = _run_inputs(tmp_path)
    result = reply.draft_replies(inputs, outputs, catalogue.to_frame(FINDINGS), marked, now=NOW, board=RUN_BOARD,
                                 files=MANIFEST_FILES)
    assert (result.sender, result.sender_from_board) == ("inhuur@bestuur.example", True)
    _check_run(result, outputs)
    msg = _parse(outputs / reply.REPLY_DIR / "12AB.eml")
    assert msg["From"].addresses[0].addr_spec == "inhuur@bestuur.example"
    assert msg["Date"].datetime == datetime(2023, 4, 1, 12, 0, tzinfo=intake.LOCAL_TZ)  # naive: Dutch time
    assert msg["Message-ID"].endswith("@bestuur.example>") and msg["References"] == "<m2@regenboog>"
    assert (msg["X-Unsent"], msg[reply.DRAFT_HEADER]) == ("1", "concept")


def _report_outputs(root: Path) -> tuple[Path, Path]:
    """The same run as a report leaves it: bestuur.xlsx in inputs, manifest.json (marked copies relative to outputs)
    and data/bevindingen.parquet in outputs."""
    inputs, outputs, marked = _run_inputs(root)
    config.write(inputs / config.FILE_NAME, RUN_BOARD)
    files = [{**f, "marked_copy": marked[f["file"]].relative_to(outputs).as_posix() if f["file"] in marked else None}
             for f in MANIFEST_FILES]
    (outputs / publish.MANIFEST).write_text(json.dumps({"files": files}), encoding="utf-8")
    (outputs / "data").mkdir()
    catalogue.to_frame(FINDINGS).write_parquet(outputs / "data" / "bevindingen.parquet")
    return inputs, outputs


def test_draft_from_outputs_reads_the_reports_manifest_findings_and_board(tmp_path):
    """`reply` after `report`: the same drafts as above, from the files a report run leaves. Bug: another manifest
    key or folder, the marked copies not found, the board's address or schools not read, the sender not the board's."""
    inputs, outputs = _report_outputs(tmp_path)
    result = reply.draft_from_outputs(inputs, outputs)
    assert (result.sender, result.sender_from_board) == ("inhuur@bestuur.example", True)
    _check_run(result, outputs)


def test_the_sender_given_wins_and_a_missing_report_is_said(tmp_path):
    """A sender given on the command line is the From, not the board's; without a board address the default one.
    Without manifest or findings of a report run: NoReportOutputs (the CLI says so), no drafts."""
    inputs, outputs = _report_outputs(tmp_path)
    result = reply.draft_from_outputs(inputs, outputs, "Bureau <bureau@stichting.example>")
    assert (result.sender, result.sender_from_board) == ("Bureau <bureau@stichting.example>", False)
    assert _parse(result.written[0])["From"].addresses[0].addr_spec == "bureau@stichting.example"
    assert _parse(result.written[0])["Message-ID"].endswith("@stichting.example>")
    plain = config.Board(schools=RUN_BOARD.schools, from_file=True)  # no address of its own
    result = reply.draft_replies(inputs, outputs, catalogue.empty_frame(), {}, board=plain, files=[])
    assert (result.sender, result.sender_from_board) == (reply.DEFAULT_SENDER, False)
    # no time given: now, in Dutch time (a naive clock of a machine in another zone would be hours off)
    sent = _parse(result.written[0])["Date"].datetime
    assert abs(sent - datetime.now(timezone.utc)).total_seconds() < 120
    for missing in (outputs / publish.MANIFEST, outputs / "data" / "bevindingen.parquet"):
        kept = missing.read_bytes()
        missing.unlink()
        with pytest.raises(reply.NoReportOutputs):
            reply.draft_from_outputs(inputs, outputs)
        missing.write_bytes(kept)


def test_a_sender_with_a_line_break_still_gets_an_address(tmp_path):
    """A sender as the log may hold it, with a line break in the name: the header is rebuilt from name and address;
    an address the header cannot carry as name + address goes in alone. Bug: the header dropped or the draft
    refused."""
    msg = reply.compose("bestuur@example.nl", "Jan\nBoer <jan@regenboog.example>", "Onderwerp", "Tekst", [],
                        datetime(2023, 3, 10, 9, 0), cc="J\n <a b@regenboog.example>")
    assert [(a.display_name, a.addr_spec) for a in msg["To"].addresses] == [("Jan Boer", "jan@regenboog.example")]
    assert [a.addr_spec for a in msg["Cc"].addresses] == ['"a b"@regenboog.example']  # no name: the bare address


def test_compose_headers_and_write_eml(tmp_path):
    """A date with its own time zone is kept (a naive one is Dutch time, tested above); no In-Reply-To or References
    without a mail to answer; no To or Cc when empty; the .eml has CRLF line ends and its folder is made.
    Attachment names without a suffix, or with a dot in the name, are numbered too."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    for folder in ("x", "y"):
        (tmp_path / folder / "werkboek").write_bytes(folder.encode())
        (tmp_path / folder / "inhuur v1.2.xlsx").write_bytes(folder.encode())
    when = datetime(2023, 3, 10, 9, 0, tzinfo=intake.LOCAL_TZ).astimezone(timezone.utc)
    msg = reply.compose("Bureau <bureau@stichting.example>", "", "Onderwerp", "Tekst\nregel 2",
                        [tmp_path / f / n for n in ("werkboek", "inhuur v1.2.xlsx") for f in ("x", "y")], when)
    assert msg["To"] is None and msg["Cc"] is None and msg["In-Reply-To"] is None and msg["References"] is None
    assert msg["Date"].datetime == datetime(2023, 3, 10, 8, 0, tzinfo=timezone.utc)
    # the number goes before the last suffix only
    assert [p.get_filename() for p in msg.iter_attachments()] == ["werkboek", "werkboek (2)", "inhuur v1.2.xlsx",
                                                                 "inhuur v1.2 (2).xlsx"]
    assert [p.get_content_type() for p in msg.iter_attachments()] == [intake.XLSX_TYPE] * 4
    path = reply.write_eml(msg, tmp_path / "a" / "b" / "12AB.eml")
    assert path == tmp_path / "a" / "b" / "12AB.eml"
    data = path.read_bytes()
    assert b"\r\n\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    back = email.message_from_bytes(data, policy=policy.default)
    assert back.get_body(("plain",)).get_content().splitlines() == ["Tekst", "regel 2"]
    assert [p.get_content() for p in back.iter_attachments()] == [b"x", b"y", b"x", b"y"]


def test_earlier_drafts_edge_cases(tmp_path):
    """No folder yet: nothing removed. A draft of ours with LF line ends goes; a link or a folder named .eml, and a
    mail with the marker only after its headers (LF or CRLF), and the user's own Outlook draft (X-Unsent without
    this program's subject), stay. Bug: a crash without the folder, a link followed, a user's file removed."""
    assert reply._remove_stale(tmp_path / "nog niet", set()) == []
    ours = f"{reply.DRAFT_HEADER}: concept\nSubject: x\n\nbody".encode()
    (tmp_path / "a.eml").write_bytes(ours)
    marker = f"{reply.DRAFT_HEADER}: concept".encode()
    (tmp_path / "b.eml").write_bytes(b"Subject: eigen\n\n" + marker + b"\n\nmeer")  # the marker in the body
    (tmp_path / "e.eml").write_bytes(b"Subject: eigen\r\n\r\n" + marker + b"\r\n\r\nmeer")  # the same with CRLF
    (tmp_path / "f.eml").write_bytes(b"X-Unsent: 1\r\nSubject: eigen concept\r\n\r\ntekst")  # the user's own draft
    (tmp_path / "c.eml").mkdir()
    (tmp_path / "elders.txt").write_bytes(ours)
    (tmp_path / "d.eml").symlink_to(tmp_path / "elders.txt")
    assert reply._remove_stale(tmp_path, set()) == [tmp_path / "a.eml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.eml", "c.eml", "d.eml", "e.eml", "elders.txt", "f.eml"]


def test_why_a_school_gets_no_draft(tmp_path):
    """A BRIN not in the bestuur.xlsx read from file has its own reason; a school without address, a sender key and
    a board of defaults (no bestuur.xlsx) the other. The label has the school's name when the board knows it."""
    defaults = config.Board(schools=RUN_BOARD.schools)  # from_file False
    cases = [(RUN_BOARD, "25MN"), (RUN_BOARD, "23KL"), (RUN_BOARD, "onbekend-x"), (defaults, "25MN"), (None, "25MN")]
    reasons = []
    for board, key in cases:
        to, cc, why = reply._recipients(reply._School(key), board)
        assert (to, cc) == ("", "") and why
        reasons.append(why)
    assert reasons[0] not in reasons[1:] and len(set(reasons[1:])) == 1
    assert [reply._school_label(k, b) for b, k in cases] == ["25MN", "23KL De Wilg", "onbekend-x", "25MN", "25MN"]


def test_rows_without_brin_go_to_the_senders_latest_school():
    """A row without BRIN goes to the school its sender (address compared without case and name) last sent a
    readable workbook for; on the same date and time the later row of the log wins; a sender who never did gets
    onbekend-<address>. Rows of a replaced version are not answered. Bug: the first school, the name compared,
    or the row lost."""
    def row(sender, day, bijlage, brin, stored=""):
        return _log_row(sender, day, bijlage, stored or (f"{brin}/{bijlage}" if brin else ""),
                        intake.STORED if brin else SKIP, brin)

    rows = [row("a@x.example", 1, "1.xlsx", "12AB"), row("A <a@x.example>", 3, "2.xlsx", "17EF"),
            row("Anna <A@X.example>", 2, "p.pdf", ""),  # a@x's latest BRIN is 17EF (3 March), not 12AB
            row("c@z.example", 5, "3.xlsx", "12AB"), row("c@z.example", 5, "4.xlsx", "14CD"),  # same time: 14CD
            row("c@z.example", 6, "q.pdf", ""),
            row("b@y.example", 2, "r.pdf", ""),
            row("d@w.example", 4, "oud.xlsx", "21GH")]  # replaced: not answered, and 21GH gets no draft from it
    schools = reply._schools(rows, [], {}, {"21GH/oud.xlsx"})
    assert {s.key: [r.bijlage for r in s.rows] for s in schools} == {
        "12AB": ["1.xlsx", "3.xlsx"], "14CD": ["4.xlsx", "q.pdf"], "17EF": ["2.xlsx", "p.pdf"],
        "onbekend-b@y.example": ["r.pdf"]}
    assert [s.key for s in schools] == ["12AB", "14CD", "17EF", "onbekend-b@y.example"]


def test_the_manifest_is_read_as_utf8_whatever_the_locale(tmp_path):
    """Windows reads text in its own code page unless told: the manifest is UTF-8, so a file name with é still
    finds its findings and marked copy. Run here under the C locale (ASCII). Bug: the manifest read in the locale's
    encoding (a crash here, wrong names on Windows)."""
    import locale

    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    config.write(inputs / config.FILE_NAME, RUN_BOARD)
    (outputs / "gemarkeerd").mkdir(parents=True)
    (outputs / "gemarkeerd" / "Coöperatie één.xlsx").write_bytes(b"E")
    files = [{"file": "12AB/Coöperatie één.xlsx", "status": "gelezen", "brin": "12AB",
              "marked_copy": "gemarkeerd/Coöperatie één.xlsx"}]
    (outputs / publish.MANIFEST).write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")
    (outputs / "data").mkdir()
    catalogue.to_frame([_f("P1", "fout", "12AB/Coöperatie één.xlsx", "1 Verkenning", "B9", "msg-b", "12AB-2022-2023-5")]
                       ).write_parquet(outputs / "data" / "bevindingen.parquet")
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        result = reply.draft_from_outputs(inputs, outputs)
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    (path,) = result.written
    summary = _summary(path)
    assert summary["attachments"] == [("Coöperatie één.xlsx", b"E")]
    assert summary["body"] == [("inhuur", "12AB-2022-2023-5", "12AB/Coöperatie één.xlsx"), ("aantal", 1, 0),
                               ("1 Verkenning!B9", "msg-b", "P1", False)]

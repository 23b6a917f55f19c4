"""E-mail intake of workbooks and reply drafts, with mails built the way real clients build them."""
from __future__ import annotations

import base64
import email
import io
import mailbox
import struct
from datetime import date, datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from openpyxl import load_workbook

from pipeline.rules import catalogue as findings_mod
from pipeline.render import workbook as template
from pipeline.read.intake import (DUPLICATE, LOG_NAME, NOT_WORKBOOK, STORED, XLSX_TYPE, IntakeError, intake, mail_dates,
                             read_log, safe_name, version_dates)
from pipeline.model import Finding
from pipeline.render.reply import draft_replies

NOW = datetime(2023, 3, 1, 12, 0)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@lru_cache(maxsize=None)
def workbook(brin: str | None = "12AB", volgnummer: int = 1) -> bytes:
    wb = template.build()
    fields = {"school_naam": "De Klimop", "schooljaar": "2022-2023", "volgnummer": volgnummer,
              "versiedatum": date(2023, 2, 1)}
    if brin is not None:
        fields["brin"] = brin
    template.fill(wb, fields)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def client_mail(sender: str, subject: str, attachments: list[tuple[str, bytes, str]], when: datetime,
                msg_id: str | None = None) -> EmailMessage:
    """As Thunderbird/webmail build it: text part in quoted-printable, attachments in base64."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "inhuur@bestuur.nl"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when.replace(tzinfo=AMSTERDAM))
    if msg_id:
        msg["Message-ID"] = msg_id
    msg.set_content("Beste bestuursbureau,\n\nHierbij het werkboek voor de inhuur. Met vriendelijke groet, Jeroen Müller",
                    cte="quoted-printable")
    for name, data, ctype in attachments:
        main, sub = ctype.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def raw_mail(boundary: str, parts: str, sender: str = '"Ingrid de Boer" <ib@klimop.nl>',
             subject: str = "=?utf-8?q?Werkboek_co=C3=B6rdinator?=",
             date_header: str = "Wed, 01 Feb 2023 10:15:00 +0100", msg_id: str = "") -> bytes:
    head = (f"From: {sender}\r\nTo: inhuur@bestuur.nl\r\nSubject: {subject}\r\nDate: {date_header}\r\n"
            + (f"Message-ID: {msg_id}\r\n" if msg_id else "")
            + f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
            "This is a multi-part message in MIME format.\r\n")
    return (head + parts + f"--{boundary}--\r\n").replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


def text_part(boundary: str) -> str:
    return (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            "Goedemiddag,=0A=0Ahierbij het werkboek voor de co=C3=B6rdinator. Zie bijlage.=\r\n\r\n")


def xlsx_part(boundary: str, disposition: str, data: bytes, ctype_name: str = "") -> str:
    ctype = f'{XLSX_TYPE}; name="{ctype_name}"' if ctype_name else XLSX_TYPE
    return (f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Disposition: {disposition}\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{b64(data)}\r\n")


@pytest.fixture()
def mails(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    (folder / "februari").mkdir(parents=True)
    return folder


def statuses(result) -> list[tuple[str, str, str]]:
    return [(r.bijlage, r.status, r.opgeslagen_als) for r in result.records]


def test_client_mail_with_rfc2231_name_and_pdf(tmp_path: Path, mails: Path) -> None:
    msg = client_mail("Jeroen Müller <directie@klimop.nl>", "Inhuur bijles", [
        ("Inhuur één — bijles.xlsx", workbook(), XLSX_TYPE),
        ("offerte.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        ("winmail.dat", b"\x78\x9f\x3e\x22", "application/ms-tnef"),
    ], datetime(2023, 2, 3, 9, 30))
    raw = msg.as_bytes()
    assert b"filename*=utf-8''" in raw and b"quoted-printable" in raw and b"base64" in raw
    (mails / "bijles.eml").write_bytes(raw)
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert statuses(result) == [
        ("Inhuur één — bijles.xlsx", STORED, "12AB/Inhuur één — bijles.xlsx"),
        ("offerte.pdf", NOT_WORKBOOK, ""),
        ("winmail.dat", NOT_WORKBOOK, ""),
    ]
    assert result.records[2].opmerking  # tells the school how to resend from Outlook
    assert (inputs / "12AB" / "Inhuur één — bijles.xlsx").read_bytes() == workbook()
    assert not list(inputs.rglob("*.pdf"))
    stored = result.records[0]
    assert stored.brin == "12AB" and stored.afzender.endswith("<directie@klimop.nl>")
    assert stored.datum == datetime(2023, 2, 3, 9, 30) and stored.ontvangen == NOW
    assert result.counts() == {"opgeslagen": 1, "dubbel": 0, "overgeslagen": 2, "afgewezen": 0}


def test_handwritten_mime_encoded_word_name_and_path_traversal(tmp_path: Path, mails: Path) -> None:
    b = "------------0A1B2C3D4E5F"
    other = workbook("34CD", 2)
    raw = raw_mail(b, text_part(b)
                   + xlsx_part(b, "attachment", workbook(), ctype_name="=?utf-8?q?Werkboek_co=C3=B6rdinator.xlsx?=")
                   + xlsx_part(b, 'attachment; filename="../../etc/passwd.xlsx"', other))
    (mails / "februari" / "coordinator.eml").write_bytes(raw)
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert statuses(result) == [
        ("Werkboek coördinator.xlsx", STORED, "12AB/Werkboek coördinator.xlsx"),
        ("../../etc/passwd.xlsx", STORED, "34CD/passwd.xlsx"),
    ]
    assert result.records[0].onderwerp == "Werkboek coördinator"
    assert result.records[0].datum == datetime(2023, 2, 1, 10, 15)
    assert (inputs / "34CD" / "passwd.xlsx").read_bytes() == other
    assert not (tmp_path / "etc").exists()
    for p in inputs.rglob("*"):
        assert p.resolve().is_relative_to(inputs.resolve())


def test_rfc2231_continuations_and_raw_utf8_names(tmp_path: Path, mails: Path) -> None:
    b = "=_NextPart_000_0001"
    head = raw_mail(b, text_part(b))[: -len(f"--{b}--\r\n")]
    parts = (f"--{b}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n"
             f" filename*0*=iso-8859-1''Co%F6rdi;\r\n filename*1*=nator.xlsx\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             f"{b64(workbook('12AB', 1))}\r\n").encode("ascii")
    parts += (f"--{b}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
              'filename="\u00c9\u00e9n.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
              f"{b64(workbook('12AB', 2))}\r\n--{b}--\r\n").encode("utf-8")  # 8-bit header, as some webmail sends
    (mails / "oud.eml").write_bytes(head + parts)

    result = intake([mails], tmp_path / "inputs", now=NOW)

    assert statuses(result) == [("Coördinator.xlsx", STORED, "12AB/Coördinator.xlsx"),
                                ("Één.xlsx", STORED, "12AB/Één.xlsx")]


def test_forwarded_messages_carry_the_workbook(tmp_path: Path, mails: Path) -> None:
    inner = client_mail("Leerkracht <juf@klimop.nl>", "werkboek", [("werkboek.xlsx", workbook(), XLSX_TYPE)],
                        datetime(2023, 1, 20, 8, 0))
    outer = EmailMessage()
    outer["From"] = "Directie <directie@klimop.nl>"
    outer["Subject"] = "Fwd: werkboek"
    outer["Date"] = format_datetime(datetime(2023, 1, 21, 8, 0, tzinfo=AMSTERDAM))
    outer.set_content("Zie doorgestuurd bericht.")
    outer.add_attachment(inner)  # message/rfc822, as "forward as attachment" does
    assert b"message/rfc822" in outer.as_bytes()
    (mails / "fwd1.eml").write_bytes(outer.as_bytes())
    b = "fwd-boundary"
    inner2 = client_mail("Leerkracht <juf@klimop.nl>", "tweede", [("tweede.xlsx", workbook("12AB", 2), XLSX_TYPE)],
                         datetime(2023, 1, 22, 8, 0)).as_string()
    raw = raw_mail(b, text_part(b) + f'--{b}\r\nContent-Type: message/rfc822; name="tweede.eml"\r\n'
                   f'Content-Disposition: attachment; filename="tweede.eml"\r\n\r\n{inner2}\r\n')
    (mails / "fwd2.eml").write_bytes(raw)
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert statuses(result) == [("werkboek.xlsx", STORED, "12AB/werkboek.xlsx"),
                                ("tweede.xlsx", STORED, "12AB/tweede.xlsx")]
    assert result.records[0].afzender == "Directie <directie@klimop.nl>"  # who mailed the board
    assert "juf@klimop.nl" in result.records[0].opmerking


def test_same_workbook_twice_is_stored_once(tmp_path: Path, mails: Path) -> None:
    for i in (1, 2):
        msg = client_mail("Directie <directie@klimop.nl>", f"poging {i}", [("werkboek.xlsx", workbook(), XLSX_TYPE)],
                          datetime(2023, 2, i, 9, 0))
        (mails / f"{i}.eml").write_bytes(msg.as_bytes())
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert statuses(result) == [("werkboek.xlsx", STORED, "12AB/werkboek.xlsx"),
                                ("werkboek.xlsx", DUPLICATE, "12AB/werkboek.xlsx")]
    assert [p.name for p in (inputs / "12AB").iterdir()] == ["werkboek.xlsx"]
    assert result.records[0].sha256 == result.records[1].sha256
    # mailed again in a later run: still a duplicate of the stored file
    (mails / "3.eml").write_bytes(client_mail("x <directie@klimop.nl>", "nog eens", [
        ("andere naam.xlsx", workbook(), XLSX_TYPE)], datetime(2023, 2, 5)).as_bytes())
    again = intake([mails / "3.eml"], inputs, now=NOW)
    assert statuses(again) == [("andere naam.xlsx", DUPLICATE, "12AB/werkboek.xlsx")]


def test_same_name_different_content_is_not_overwritten(tmp_path: Path, mails: Path) -> None:
    for i in (1, 2, 3):
        msg = client_mail("Directie <directie@klimop.nl>", "versie", [("Werkboek.xlsx", workbook("12AB", i), XLSX_TYPE)],
                          datetime(2023, 2, i, 9, 0))
        (mails / f"{i}.eml").write_bytes(msg.as_bytes())
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert [r.opgeslagen_als for r in result.records] == [
        "12AB/Werkboek.xlsx", "12AB/Werkboek (2).xlsx", "12AB/Werkboek (3).xlsx"]
    assert (inputs / "12AB" / "Werkboek (3).xlsx").read_bytes() == workbook("12AB", 3)


def test_mbox_with_two_messages_and_unknown_brin(tmp_path: Path) -> None:
    box_path = tmp_path / "Inbox.mbox"
    box = mailbox.mbox(box_path)
    box.add(client_mail("A <a@klimop.nl>", "een", [("a.xlsx", workbook("12AB", 7), XLSX_TYPE)], datetime(2023, 2, 1)))
    box.add(client_mail("B <b@zonnebloem.nl>", "twee", [("zonder brin.xlsx", workbook(None, 1), XLSX_TYPE),
                                                        ("fout brin.xlsx", workbook("XYZ", 2), XLSX_TYPE)],
                        datetime(2023, 2, 2)))
    box.close()
    assert box_path.read_bytes().startswith(b"From ")
    inputs = tmp_path / "inputs"

    result = intake([box_path], inputs, now=NOW)

    assert result.mails == 2
    assert statuses(result) == [("a.xlsx", STORED, "12AB/a.xlsx"),
                                ("zonder brin.xlsx", STORED, "onbekend/zonder brin.xlsx"),
                                ("fout brin.xlsx", STORED, "onbekend/fout brin.xlsx")]
    assert [r.brin for r in result.records] == ["12AB", "", ""]
    assert result.records[1].opmerking  # says why it is in onbekend/


def test_mbox_detected_by_content_without_suffix(tmp_path: Path, mails: Path) -> None:
    box = mailbox.mbox(mails / "Inbox")  # Thunderbird keeps folders as suffix-less mbox files
    box.add(client_mail("A <a@klimop.nl>", "een", [("a.xlsx", workbook(), XLSX_TYPE)], datetime(2023, 2, 1)))
    box.close()
    (mails / "notities.txt").write_text("geen mail")

    result = intake([mails], tmp_path / "inputs", now=NOW)

    assert statuses(result) == [("a.xlsx", STORED, "12AB/a.xlsx")]
    assert [p.name for p in result.ignored] == ["notities.txt"]


def test_missing_filename_and_damaged_workbook(tmp_path: Path, mails: Path) -> None:
    b = "b0undary"
    raw = raw_mail(b, text_part(b) + xlsx_part(b, "attachment", workbook())
                   + f"--{b}\r\nContent-Type: {XLSX_TYPE}\r\nContent-Disposition: attachment; filename=\"kapot.xlsx\"\r\n"
                     f"Content-Transfer-Encoding: base64\r\n\r\n{b64(b'PK' + bytes(200))}\r\n")
    (mails / "zonder naam.eml").write_bytes(raw)
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert statuses(result) == [("bijlage-1.xlsx", STORED, "12AB/bijlage-1.xlsx"),
                                ("kapot.xlsx", STORED, "onbekend/kapot.xlsx")]
    assert result.records[1].opmerking


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _prop(tag: int, value: int) -> bytes:
    return struct.pack("<IIQ", tag, 6, value)


def _msg_streams(w, root: list[str], subject: str, sender: tuple[str, str], when: datetime, attachments: list,
                 embedded: bool) -> None:
    """The streams Outlook writes for a message (MS-OXMSG), as far as a reader needs them."""
    def put(*path: str, data: bytes | None = None, storage: bool = False) -> None:
        w.addEntry(root + list(path), data, storage=storage)

    if not embedded:
        put("__nameid_version1.0", storage=True)
        for s in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
            put("__nameid_version1.0", s, data=b"")
    for tag, text in (("001A001F", "IPM.Note"), ("0037001F", subject), ("0C1A001F", sender[0]),
                      ("0C1F001F", sender[1]), ("5D01001F", sender[1]), ("0C1E001F", "SMTP")):
        put(f"__substg1.0_{tag}", data=_utf16(text))
    filetime = int((when - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10**7)
    n = len(attachments)
    head = struct.pack("<8sIIII", bytes(8), 0, n, 0, n) + (b"" if embedded else bytes(8))
    put("__properties_version1.0", data=head + _prop(0x00390040, filetime) + _prop(0x0E060040, filetime))
    for i, att in enumerate(attachments):
        st = f"__attach_version1.0_#{i:08X}"
        put(st, storage=True)
        if isinstance(att, dict):  # an attached Outlook message (attach method 5)
            put(st, "__properties_version1.0", data=bytes(8) + _prop(0x37050003, 5) + _prop(0x0FFE0003, 7))
            put(st, "__substg1.0_3701000D", storage=True)
            _msg_streams(w, root + [st, "__substg1.0_3701000D"], embedded=True, **att)
            continue
        name, data, ctype = att
        put(st, "__properties_version1.0", data=bytes(8) + _prop(0x37050003, 1) + _prop(0x0FFE0003, 7))
        put(st, "__substg1.0_37010102", data=data)
        put(st, "__substg1.0_3707001F", data=_utf16(name))
        put(st, "__substg1.0_370E001F", data=_utf16(ctype))


def outlook_msg(subject: str, sender: tuple[str, str], when: datetime, attachments: list) -> bytes:
    from extract_msg.ole_writer import OleWriter

    w = OleWriter()
    _msg_streams(w, [], subject, sender, when, attachments, embedded=False)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_outlook_msg_with_attached_message(tmp_path: Path, mails: Path) -> None:
    when = datetime(2023, 2, 1, 9, 0, tzinfo=timezone.utc)
    inner = {"subject": "werkboek", "sender": ("Juf", "juf@klimop.nl"), "when": when,
             "attachments": [("doorgestuurd.xlsx", workbook("12AB", 4), XLSX_TYPE)]}
    (mails / "outlook.msg").write_bytes(outlook_msg("Fwd: werkboek", ("Directie", "directie@klimop.nl"), when, [
        inner, ("werkboek.xlsx", workbook("12AB", 5), XLSX_TYPE), ("offerte.pdf", b"%PDF-1.4", "application/pdf")]))
    # an Outlook message attached to an ordinary mail
    carrier = client_mail("Directie <directie@klimop.nl>", "bijgevoegd", [], datetime(2023, 2, 2))
    carrier.add_attachment(outlook_msg("los", ("Juf", "juf@klimop.nl"), when, [("los.xlsx", workbook("12AB", 6), XLSX_TYPE)]),
                           maintype="application", subtype="vnd.ms-outlook", filename="los.msg")
    (mails / "carrier.eml").write_bytes(carrier.as_bytes())
    inputs = tmp_path / "inputs"

    result = intake([mails], inputs, now=NOW)

    assert statuses(result) == [("los.xlsx", STORED, "12AB/los.xlsx"),
                                ("doorgestuurd.xlsx", STORED, "12AB/doorgestuurd.xlsx"),
                                ("werkboek.xlsx", STORED, "12AB/werkboek.xlsx"),
                                ("offerte.pdf", NOT_WORKBOOK, "")]
    assert result.records[1].afzender == "Directie <directie@klimop.nl>"
    assert result.records[1].datum == datetime(2023, 2, 1, 10, 0)  # Dutch wall-clock time
    assert "juf@klimop.nl" in result.records[1].opmerking


def test_msg_that_cannot_be_read_is_rejected(tmp_path: Path, mails: Path) -> None:
    (mails / "outlook.msg").write_bytes(b"dit is geen Outlook-bericht")

    result = intake([mails], tmp_path / "inputs", now=NOW)

    assert len(result.records) == 1
    assert result.records[0].status.startswith("afgewezen: ") and ".msg" in result.records[0].status
    assert result.counts()["afgewezen"] == 1


def test_missing_source_aborts_before_storing(tmp_path: Path) -> None:
    with pytest.raises(IntakeError):
        intake([tmp_path / "bestaat-niet"], tmp_path / "inputs", now=NOW)
    assert not (tmp_path / "inputs" / LOG_NAME).exists()


def test_log_workbook_rows_formulas_and_rerun(tmp_path: Path, mails: Path) -> None:
    msg = client_mail("=HYPERLINK(\"http://x\") <a@klimop.nl>", "=1+1", [
        ("@werkboek.xlsx", workbook(), XLSX_TYPE), ("-notitie.txt", b"tekst", "text/plain")],
        datetime(2023, 2, 3, 9, 30), msg_id="<abc@klimop.nl>")
    (mails / "1.eml").write_bytes(msg.as_bytes())
    inputs = tmp_path / "inputs"

    first = intake([mails], inputs, now=NOW)
    again = intake([mails], inputs, now=datetime(2023, 3, 2))  # same folder again: the mail is known

    assert len(first.records) == 2 and again.records == [] and again.already_seen == 1
    wb = load_workbook(inputs / LOG_NAME)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:9] == ["Ontvangen", "Afzender", "Datum e-mail", "Onderwerp", "Bijlage", "Opgeslagen als",
                          "SHA-256", "Status", "BRIN"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.max_row == 3
    for row in ws.iter_rows(min_row=2):
        for c in row:
            assert c.data_type != "f"
    assert ws.cell(row=2, column=4).value == "=1+1"
    assert ws.cell(row=2, column=1).value == NOW
    rows = read_log(inputs)
    assert [r.status for r in rows] == [STORED, NOT_WORKBOOK]
    assert rows[0].opgeslagen_als == "12AB/@werkboek.xlsx"  # harmless in a file name; in the log it is text


def test_log_keeps_columns_the_board_added(tmp_path: Path, mails: Path) -> None:
    inputs = tmp_path / "inputs"
    (mails / "1.eml").write_bytes(client_mail("a <a@klimop.nl>", "een", [("a.xlsx", workbook(), XLSX_TYPE)],
                                              datetime(2023, 2, 1)).as_bytes())
    intake([mails / "1.eml"], inputs, now=NOW)
    wb = load_workbook(inputs / LOG_NAME)
    ws = wb.active
    ws.cell(row=1, column=ws.max_column + 1, value="Afgehandeld")
    ws.cell(row=2, column=ws.max_column, value="ja")
    wb.save(inputs / LOG_NAME)
    (mails / "2.eml").write_bytes(client_mail("b <b@klimop.nl>", "twee", [("b.xlsx", workbook("12AB", 2), XLSX_TYPE)],
                                              datetime(2023, 2, 2)).as_bytes())
    intake([mails / "2.eml"], inputs, now=NOW)

    ws = load_workbook(inputs / LOG_NAME).active
    header = [c.value for c in ws[1]]
    assert "Afgehandeld" in header and ws.cell(row=2, column=header.index("Afgehandeld") + 1).value == "ja"
    assert [r.bijlage for r in read_log(inputs)] == ["a.xlsx", "b.xlsx"]


def test_mail_dates_for_stored_files(tmp_path: Path, mails: Path) -> None:
    for i in (1, 2):
        (mails / f"{i}.eml").write_bytes(client_mail("a <a@klimop.nl>", "x", [("w.xlsx", workbook(), XLSX_TYPE)],
                                                     datetime(2023, 2, i, 14, 5)).as_bytes())
    inputs = tmp_path / "inputs"
    intake([mails], inputs, now=NOW)

    assert mail_dates(inputs) == {"12AB/w.xlsx": datetime(2023, 2, 1, 14, 5)}
    assert version_dates(inputs) == {"12AB/w.xlsx": date(2023, 2, 1)}


@pytest.mark.parametrize("name, workbook_, expected", [
    ("../../etc/passwd.xlsx", True, "passwd.xlsx"),
    ("..\\..\\Windows\\win.ini.xlsx", True, "win.ini.xlsx"),
    ("..", True, "bijlage-3.xlsx"),
    ("", True, "bijlage-3.xlsx"),
    (".verborgen.xlsx", True, "verborgen.xlsx"),
    ("werk\x00boek\u202e.XLSX", True, "werkboek.xlsx"),
    ("Werkboek", True, "Werkboek.xlsx"),
    ("CON.xlsx", True, "_CON.xlsx"),
    ("a:b*c?.xlsx", True, "a_b_c_.xlsx"),
    ("Cooperatie\u0308.xlsx", True, "Cooperatië.xlsx"),
    ("x" * 300 + ".xlsx", True, "x" * 115 + ".xlsx"),
    ("offerte.pdf", False, "offerte.pdf"),
])
def test_safe_name(name: str, workbook_: bool, expected: str) -> None:
    assert safe_name(name, 3, workbook_) == expected


# --- reply drafts ------------------------------------------------------------------------------------


def test_reply_drafts_parse_back(tmp_path: Path, mails: Path) -> None:
    (mails / "1.eml").write_bytes(client_mail("Oude afzender <oud@klimop.nl>", "eerste", [
        ("versie 1.xlsx", workbook("12AB", 1), XLSX_TYPE)], datetime(2023, 2, 1), msg_id="<m1@klimop.nl>").as_bytes())
    (mails / "2.eml").write_bytes(client_mail("Ingrid de Boer <ib@klimop.nl>", "tweede", [
        ("Inhuur één.xlsx", workbook("12AB", 2), XLSX_TYPE), ("scan.pdf", b"%PDF-1.4", "application/pdf"),
        ("zonder brin.xlsx", workbook(None, 9), XLSX_TYPE)], datetime(2023, 2, 5), msg_id="<m2@klimop.nl>").as_bytes())
    (mails / "3.eml").write_bytes(client_mail("Zon <info@zon.nl>", "zon", [
        ("zon.xlsx", workbook("56EF", 1), XLSX_TYPE)], datetime(2023, 2, 3)).as_bytes())
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    intake([mails], inputs, now=NOW)
    fnd = findings_mod.to_frame([
        Finding("P1", "fout", "12AB/Inhuur één.xlsx", "12AB-2022-2023-2", "1 Verkenning", "B9", "Kies een interventie.", "bron"),
        Finding("P8", "waarschuwing", "12AB/Inhuur één.xlsx", "12AB-2022-2023-2", "4 Uitvoering", "B3", "Ouders.", "bron"),
        Finding("W3", "fout", "onbekend/zonder brin.xlsx", "", "1 Verkenning", "B5", "Vul het BRIN in.", "bron"),
    ])
    marked_dir = outputs / "gemarkeerd"
    marked_dir.mkdir(parents=True)
    marked = {}
    for rel in ("12AB/Inhuur één.xlsx", "12AB/versie 1.xlsx", "56EF/zon.xlsx"):
        p = marked_dir / ("gemarkeerd " + Path(rel).name)
        p.write_bytes((inputs / rel).read_bytes())
        marked[rel] = p

    drafts = draft_replies(inputs, outputs, fnd, marked, sender="Bestuursbureau <inhuur@bestuur.nl>",
                           now=datetime(2023, 3, 2, 10, 0)).written

    assert [p.relative_to(outputs).as_posix() for p in drafts] == ["antwoorden/12AB.eml", "antwoorden/56EF.eml"]
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "ib@klimop.nl"  # sender of the latest mail
    assert msg["From"].addresses[0].addr_spec == "inhuur@bestuur.nl"
    assert msg["Subject"] == "Terugkoppeling inhuurwerkboeken 12AB"
    assert msg["X-Unsent"] == "1" and msg["In-Reply-To"] == "<m2@klimop.nl>"
    atts = [(a.get_filename(), a.get_content_type(), a.get_content()) for a in msg.iter_attachments()]
    assert [(n, t) for n, t, _ in atts] == [("gemarkeerd versie 1.xlsx", XLSX_TYPE), ("gemarkeerd Inhuur één.xlsx", XLSX_TYPE)]
    assert atts[1][2] == workbook("12AB", 2)
    body = msg.get_body(("plain",)).get_content()
    for expected in ("12AB-2022-2023-1", "12AB-2022-2023-2", "12AB/Inhuur één.xlsx", "onbekend/zonder brin.xlsx",
                     "1 Verkenning!B9", "Kies een interventie.", "scan.pdf"):
        assert expected in body
    assert "4 Uitvoering!B3: Ouders. (P8, waarschuwing)" in body  # warnings are described too, with their rule
    zon = email.message_from_bytes(drafts[1].read_bytes(), policy=policy.default)
    assert zon["To"].addresses[0].addr_spec == "info@zon.nl"
    assert [a.get_filename() for a in zon.iter_attachments()] == ["gemarkeerd zon.xlsx"]


def test_reply_for_sender_without_readable_workbook(tmp_path: Path, mails: Path) -> None:
    (mails / "1.eml").write_bytes(client_mail("Onbekend <x@school.nl>", "werkboek", [
        ("werkboek.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel")], datetime(2023, 2, 1)).as_bytes())
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    intake([mails], inputs, now=NOW)

    drafts = draft_replies(inputs, outputs, findings_mod.empty_frame(), {}).written

    assert [p.name for p in drafts] == ["onbekend-x@school.nl.eml"]
    msg = email.message_from_bytes(drafts[0].read_bytes(), policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "x@school.nl"
    assert msg["From"].addresses[0].addr_spec == "bestuursbureau@bestuur.invalid"
    assert list(msg.iter_attachments()) == []
    assert "werkboek.xls" in msg.get_body(("plain",)).get_content()


def test_no_log_no_drafts(tmp_path: Path) -> None:
    assert draft_replies(tmp_path / "inputs", tmp_path / "outputs", pl.DataFrame(schema=findings_mod.SCHEMA), {}).written == []

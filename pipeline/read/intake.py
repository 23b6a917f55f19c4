"""E-mail intake: store the workbooks attached to saved e-mails under inputs/<BRIN>/ and log every attachment."""
from __future__ import annotations

import email
import email.message
import hashlib
import mailbox
import mimetypes
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field, fields as dc_fields
from datetime import date, datetime
from email import policy
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline import dutch, names
from pipeline.read import workbook as reader

from pipeline.read import safety
from pipeline.read.safety import OTHER_SPREADSHEET_SUFFIXES, SAVE_AS
from pipeline.tempfiles import temp_beside

LOG_NAME = "intake-log.xlsx"
LOG_SHEET = "Intake"
UNKNOWN_DIR = "onbekend"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_NAME = names.MAX_NAME
MAX_DEPTH = 8  # forwarded-in-forwarded messages; deeper nesting is rejected, not followed
MAIL_SUFFIXES = {".eml", ".msg", ".mbox"}
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")  # dates in the log are Dutch wall-clock time (Excel has no time zones)

STORED, DUPLICATE, NOT_WORKBOOK, REJECTED = "opgeslagen", "dubbel", "overgeslagen: geen werkboek", "afgewezen"
TNEF_NOTE = ("Outlook heeft de bijlagen verpakt in winmail.dat (opmaak RTF); "
             "stuur het bericht opnieuw in HTML- of tekstopmaak.")
_WINDOWS_RESERVED, _FORBIDDEN = names.RESERVED, names.FORBIDDEN  # one set of Windows' rules (see pipeline.names)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@")


class IntakeError(Exception):
    """An abort before anything was stored (Dutch message for the user)."""


@dataclass
class IntakeRecord:
    """One row of intake-log.xlsx: one attachment (or one unreadable mail) and what happened to it."""

    ontvangen: datetime  # when this intake run handled it
    afzender: str
    datum: datetime | None  # the mail's Date header, Dutch local time
    onderwerp: str
    bijlage: str  # the name as sent
    opgeslagen_als: str  # path relative to inputs (for "dubbel": the identical file already there), or ""
    sha256: str
    status: str  # opgeslagen | dubbel | overgeslagen: geen werkboek | afgewezen: <reden>
    brin: str
    bron: str = ""  # the mail file (mbox: file#number) it came from
    opmerking: str = ""  # why it went to onbekend/, forwarded-from, renamed, ...
    message_id: str = ""


# Dutch header per field, in column order; the log is read back by these headers.
HEADERS: dict[str, str] = {
    "ontvangen": "Ontvangen",
    "afzender": "Afzender",
    "datum": "Datum e-mail",
    "onderwerp": "Onderwerp",
    "bijlage": "Bijlage",
    "opgeslagen_als": "Opgeslagen als",
    "sha256": "SHA-256",
    "status": "Status",
    "brin": "BRIN",
    "bron": "Bron",
    "opmerking": "Opmerking",
    "message_id": "Message-ID",
}
WIDTHS = {"ontvangen": 17, "afzender": 34, "datum": 17, "onderwerp": 40, "bijlage": 36, "opgeslagen_als": 44,
          "sha256": 20, "status": 28, "brin": 8, "bron": 30, "opmerking": 50, "message_id": 30}


@dataclass
class IntakeResult:
    """What one intake run did."""

    records: list[IntakeRecord]
    log: Path
    mails: int = 0  # messages read
    already_seen: int = 0  # messages skipped because their Message-ID is already in the log
    ignored: list[Path] = field(default_factory=list)  # files in a source folder that are not e-mail

    @property
    def stored(self) -> list[IntakeRecord]:
        return [r for r in self.records if r.status == STORED]

    def counts(self) -> dict[str, int]:
        """Rows per status group: opgeslagen, dubbel, overgeslagen, afgewezen."""
        out = {STORED: 0, DUPLICATE: 0, "overgeslagen": 0, REJECTED: 0}
        for r in self.records:
            out[r.status.split(":")[0]] += 1
        return out


@dataclass
class _Attachment:
    name: str  # decoded, as sent ("" when missing)
    content_type: str
    data: bytes
    note: str = ""  # e.g. "uit doorgestuurd bericht van ..."


@dataclass
class _Mail:
    afzender: str
    datum: datetime | None
    onderwerp: str
    bron: str
    message_id: str = ""
    attachments: list[_Attachment] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (attachment name, Dutch reason)


# --- public API ----------------------------------------------------------------------------------


def intake(sources: list[Path], inputs: Path, *, now: datetime | None = None) -> IntakeResult:
    """Store every .xlsx attached to the mails in `sources` under `inputs` and append to the intake log."""
    missing = [str(s) for s in sources if not Path(s).exists()]
    if missing:
        raise IntakeError("Niet gevonden: " + ", ".join(missing))
    inputs.mkdir(parents=True, exist_ok=True)
    log = inputs / LOG_NAME
    previous = read_log(inputs)  # also proves the log is readable before anything is stored
    _check_writable(log)
    now = _local(now or datetime.now(LOCAL_TZ))
    seen_ids = {r.message_id for r in previous if r.message_id}
    known = _hash_index(inputs)
    result = IntakeResult(records=[], log=log)
    for mail in _mails(sources, result.ignored):
        if mail.message_id and mail.message_id in seen_ids:
            result.already_seen += 1
            continue
        if mail.message_id:
            seen_ids.add(mail.message_id)
        result.mails += 1
        result.records.extend(_handle(mail, inputs, known, now))
    if result.records:
        _append_log(log, result.records)
    return result


def read_log(inputs: Path) -> list[IntakeRecord]:
    """All rows of inputs/intake-log.xlsx (empty when there is no log yet)."""
    log = inputs / LOG_NAME
    if not log.exists():
        return []
    try:
        wb = load_workbook(log, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage to the log must stop the run, not lose its history
        raise IntakeError(f"Het intakelogboek {log} is niet te lezen ({type(exc).__name__}). "
                          "Herstel het of zet het opzij en probeer opnieuw.") from None
    try:
        ws = wb[LOG_SHEET] if LOG_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        by_header = {v: k for k, v in HEADERS.items()}
        cols = {by_header[h]: i for i, h in enumerate(header) if h in by_header}
        out = []
        for row in rows:
            if not any(v not in (None, "") for v in row):
                continue
            values: dict[str, Any] = {}
            for f in dc_fields(IntakeRecord):
                i = cols.get(f.name)
                v = row[i] if i is not None and i < len(row) else None
                if f.name in ("ontvangen", "datum"):
                    values[f.name] = v if isinstance(v, datetime) else None
                else:
                    values[f.name] = "" if v is None else str(v)
            if values["ontvangen"] is None:
                values["ontvangen"] = datetime.min
            out.append(IntakeRecord(**values))
        return out
    finally:
        wb.close()


def mail_dates(inputs: Path) -> dict[str, datetime]:
    """Stored file (path relative to inputs) -> date of the mail that brought it, from the intake log."""
    out: dict[str, datetime] = {}
    for r in read_log(inputs):
        if r.status == STORED and r.opgeslagen_als and r.datum is not None:
            out.setdefault(r.opgeslagen_als, r.datum)
    return out


def version_dates(inputs: Path) -> dict[str, date]:
    """mail_dates() as plain dates: the fallback version date in the form run.run(mail_dates=...) compares."""
    return {k: v.date() for k, v in mail_dates(inputs).items()}


def safe_name(name: str, n: int, workbook: bool) -> str:
    """A file name that stays inside its folder on every OS; a workbook keeps (or gets) the .xlsx suffix."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]  # basename only: no folders, no "..", no drive
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")  # leading dots: no hidden files; trailing: Windows drops them
    if workbook:
        stem, ext = (name[:-5] if name.lower().endswith(".xlsx") else name), "xlsx"
    else:
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem or len(ext) > 10:
            stem, ext = name, ""
    stem = stem.strip(" .")
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    if not stem:
        return f"bijlage-{n}.{ext or 'bin'}"
    stem = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") or f"bijlage-{n}"
    return f"{stem}.{ext}" if ext else stem


# --- reading mail sources --------------------------------------------------------------------------


def _mails(sources: list[Path], ignored: list[Path]) -> Iterator[_Mail]:
    for source in sources:
        source = Path(source)
        if source.is_dir():
            for p in sorted(source.rglob("*")):
                if p.is_symlink() or not p.is_file() or p.name.startswith("."):
                    continue
                if p.suffix.lower() in MAIL_SUFFIXES or (not p.suffix and _looks_like_mbox(p)):
                    yield from _mails_in_file(p)
                else:
                    ignored.append(p)
        else:
            yield from _mails_in_file(source)


def _looks_like_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


def _mails_in_file(path: Path) -> Iterator[_Mail]:
    suffix = path.suffix.lower()
    if suffix == ".msg":
        yield _msg_file(path)
    elif suffix == ".mbox" or _looks_like_mbox(path):
        yield from _mbox(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield _unreadable(str(path), f"het bestand kon niet worden gelezen ({dutch.os_reason(exc)})")
            return
        yield _from_bytes(data, str(path))


def _unreadable(bron: str, reason: str) -> _Mail:
    m = _Mail(afzender="", datum=None, onderwerp="", bron=bron)
    m.problems.append(("", reason))
    return m


def _mbox(path: Path) -> Iterator[_Mail]:
    try:
        box = mailbox.mbox(path, create=False)
        keys = list(box.keys())
    except Exception as exc:  # noqa: BLE001
        yield _unreadable(str(path), f"geen leesbaar mbox-bestand ({type(exc).__name__})")
        return
    try:
        for i, key in enumerate(keys, start=1):
            try:
                data = box.get_bytes(key)
            except Exception as exc:  # noqa: BLE001
                yield _unreadable(f"{path}#{i}", f"bericht niet te lezen ({type(exc).__name__})")
                continue
            yield _from_bytes(data, f"{path}#{i}")
    finally:
        box.close()


def _from_bytes(data: bytes, bron: str) -> _Mail:
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        mail = _Mail(afzender=_header(msg, "From"), datum=_date(msg), onderwerp=_header(msg, "Subject"), bron=bron,
                     message_id=_header(msg, "Message-ID"))
        _walk(msg, mail, depth=0, note="")
    except Exception as exc:  # noqa: BLE001 - a crafted mail gives a log row, not a crash
        return _unreadable(bron, f"de e-mail kon niet worden gelezen ({type(exc).__name__})")
    if not mail.afzender and not mail.datum and not mail.attachments and not msg.keys():
        mail.problems.append(("", "geen e-mailbericht herkend in dit bestand"))
    return mail


def _header(msg: email.message.Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - some malformed headers raise on access with policy.default
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    return _clean(str(value or "")).strip()


def _date(msg: email.message.Message) -> datetime | None:
    try:
        header = msg.get("Date")
        dt = getattr(header, "datetime", None)
    except Exception:  # noqa: BLE001
        return None
    return _local(dt)


def _local(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return dt.replace(microsecond=0)


def _walk(part: email.message.Message, mail: _Mail, depth: int, note: str) -> None:
    """Collect the leaf attachments of `part`, descending into multiparts and attached messages."""
    ctype = part.get_content_type()
    if part.is_multipart() and not ctype.startswith("message/"):
        for sub in part.iter_parts():
            _walk(sub, mail, depth, note)
        return
    if ctype in ("message/rfc822", "message/global"):
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, email.message.Message):
            _nested(inner, mail, depth, _filename(part))
        return
    name = _filename(part)
    if part.get_content_maintype() == "message" and not name:
        return  # delivery reports and the like: no attachment a school sent
    disposition = part.get_content_disposition()
    if not name and disposition != "attachment" and part.get_content_maintype() in ("text", "multipart"):
        return  # the mail body itself
    data = part.get_payload(decode=True) or b""
    lower = name.lower()
    if lower.endswith(".eml") and ctype != XLSX_TYPE:
        _nested(email.message_from_bytes(data, policy=policy.default), mail, depth, name)
    elif lower.endswith(".msg") or ctype == "application/vnd.ms-outlook":
        try:
            _msg_into(data, mail, depth, name)
        except Exception as exc:  # noqa: BLE001
            mail.problems.append((name, _msg_reason(exc)))
    else:
        mail.attachments.append(_Attachment(name, ctype, data, note))


def _nested(inner: email.message.Message, mail: _Mail, depth: int, name: str) -> None:
    if depth + 1 > MAX_DEPTH:
        mail.problems.append((name, "te diep genest doorgestuurd bericht; niet verder gelezen"))
        return
    sender, when = _header(inner, "From"), _date(inner)  # type: ignore[arg-type]
    note = "uit doorgestuurd bericht" + (f" van {sender}" if sender else "") + (f", {when:%d-%m-%Y %H:%M}" if when else "")
    _walk(inner, mail, depth + 1, note)  # type: ignore[arg-type]


def _filename(part: email.message.Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - broken RFC 2231 parameters
        name = ""
    return _clean(str(name)).strip()


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


# --- Outlook .msg ----------------------------------------------------------------------------------


def _msg_reason(exc: Exception) -> str:
    return ("Outlook-bericht (.msg) kon niet worden gelezen "
            f"({type(exc).__name__}). Sla het bericht op als .eml of stuur de bijlage opnieuw als .xlsx.")


def _msg_file(path: Path) -> _Mail:
    try:
        import extract_msg

        msg = extract_msg.openMsg(str(path))
    except Exception as exc:  # noqa: BLE001
        return _unreadable(str(path), _msg_reason(exc))
    try:
        mail = _Mail(afzender=_clean(str(getattr(msg, "sender", "") or "")), datum=_local(_msg_date(msg)),
                     onderwerp=_clean(str(getattr(msg, "subject", "") or "")), bron=str(path),
                     message_id=_clean(str(getattr(msg, "messageId", "") or "")).strip())
        _msg_attachments(msg, mail, 0, "")
        return mail
    except Exception as exc:  # noqa: BLE001
        return _unreadable(str(path), _msg_reason(exc))
    finally:
        msg.close()


def _msg_into(data: bytes, mail: _Mail, depth: int, name: str) -> None:
    import extract_msg

    msg = extract_msg.openMsg(data)
    try:
        _msg_nested(msg, mail, depth, name)
    finally:
        msg.close()


def _msg_nested(msg: Any, mail: _Mail, depth: int, name: str) -> None:
    if depth + 1 > MAX_DEPTH:
        mail.problems.append((name, "te diep genest doorgestuurd bericht; niet verder gelezen"))
        return
    sender, when = _clean(str(getattr(msg, "sender", "") or "")), _local(_msg_date(msg))
    note = "uit doorgestuurd bericht" + (f" van {sender}" if sender else "") + (f", {when:%d-%m-%Y %H:%M}" if when else "")
    _msg_attachments(msg, mail, depth + 1, note)


def _msg_date(msg: Any) -> datetime | None:
    try:
        d = msg.date
    except Exception:  # noqa: BLE001
        return None
    return d if isinstance(d, datetime) else None


def _msg_attachments(msg: Any, mail: _Mail, depth: int, note: str) -> None:
    for att in getattr(msg, "attachments", []) or []:
        name = _clean(str(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "")).strip()
        try:
            data = att.data
        except Exception as exc:  # noqa: BLE001
            mail.problems.append((name, f"bijlage in Outlook-bericht niet te lezen ({type(exc).__name__})"))
            continue
        if data is not None and hasattr(data, "attachments"):  # an attached Outlook message
            _msg_nested(data, mail, depth, name)
        elif isinstance(data, bytes):
            ctype = str(getattr(att, "mimetype", None) or "application/octet-stream").lower()
            mail.attachments.append(_Attachment(name, ctype, data, note))
        else:
            mail.problems.append((name, "bijlage zonder inhoud (bijvoorbeeld een koppeling) in Outlook-bericht"))


# --- storing ---------------------------------------------------------------------------------------


def _is_workbook(att: _Attachment) -> bool:
    if att.name:
        return att.name.lower().endswith(".xlsx")
    return att.content_type == XLSX_TYPE


def _fallback_ext(att: _Attachment) -> str:
    if att.content_type == XLSX_TYPE:
        return ".xlsx"
    return mimetypes.guess_extension(att.content_type) or ".bin"


def _handle(mail: _Mail, inputs: Path, known: dict[str, str], now: datetime) -> list[IntakeRecord]:
    def record(bijlage: str, status: str, stored: str = "", digest: str = "", brin: str = "", note: str = "") -> IntakeRecord:
        return IntakeRecord(ontvangen=now, afzender=mail.afzender, datum=mail.datum, onderwerp=mail.onderwerp,
                            bijlage=bijlage, opgeslagen_als=stored, sha256=digest, status=status, brin=brin,
                            bron=mail.bron, opmerking=note, message_id=mail.message_id)

    out = [record(name, f"{REJECTED}: {reason}") for name, reason in mail.problems]
    for n, att in enumerate(mail.attachments, start=1):
        original = att.name or f"bijlage-{n}{_fallback_ext(att)}"
        if not _is_workbook(att):
            suffix = Path(original).suffix.lower()
            note = SAVE_AS if suffix in OTHER_SPREADSHEET_SUFFIXES else ""
            if att.content_type == "application/ms-tnef" or original.lower() == "winmail.dat":
                note = TNEF_NOTE
            out.append(record(original, NOT_WORKBOOK, digest=_sha(att.data), note=_join(att.note, note)))
            continue
        try:
            out.append(_store(att, n, inputs, known, record))
        except OSError as exc:
            out.append(record(original, f"{REJECTED}: opslaan mislukt ({dutch.os_reason(exc)})",
                              digest=_sha(att.data), note=att.note))
    return out


def _store(att: _Attachment, n: int, inputs: Path, known: dict[str, str], record) -> IntakeRecord:
    original = att.name or f"bijlage-{n}.xlsx"
    name = safe_name(att.name, n, workbook=True)
    digest = _sha(att.data)
    with tempfile.TemporaryDirectory(prefix="intake-") as tmp:
        probe = Path(tmp) / name
        probe.write_bytes(att.data)
        brin, why = _identify(probe)
    if digest in known:
        return record(original, DUPLICATE, known[digest], digest, brin, _join(att.note, "identiek aan een eerder ontvangen bestand"))
    folder = inputs / (brin or UNKNOWN_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = _write_new(folder, name, att.data)
    rel = target.relative_to(inputs).as_posix()
    known[digest] = rel
    renamed = f"opgeslagen onder een nieuwe naam: er stond al een ander bestand {name}" if target.name != name else ""
    return record(original, STORED, rel, digest, brin, _join(att.note, why, renamed))


def _identify(path: Path) -> tuple[str, str]:
    """(BRIN, "") for a readable workbook with a valid BRIN, else ("", Dutch reason)."""
    verdict = safety.inspect(path)
    if not verdict.ok:
        return "", verdict.reason
    try:
        ident = reader.peek_identity(path)
    except Exception:  # noqa: BLE001
        ident = None
    if ident is None:
        return "", "Het werkboek kon niet worden gelezen; het BRIN-nummer is onbekend."
    brin = ident.get("brin")
    if isinstance(brin, str) and reader.BRIN_RE.match(brin):
        return brin, ""
    return "", "Geen geldig BRIN-nummer in het werkboek (2 cijfers en 2 letters, bijvoorbeeld 12AB)."


def _write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to folder/name, or name (2), (3)... when taken; never overwrites (also case-insensitively)."""
    taken = {p.name.lower() for p in folder.iterdir()}
    suffix = Path(name).suffix
    stem = name[: len(name) - len(suffix)]
    i = 1
    while True:
        candidate = name if i == 1 else f"{stem[: MAX_NAME - len(suffix) - 6]} ({i}){suffix}"
        i += 1
        if candidate.lower() in taken:
            continue
        try:
            with open(folder / candidate, "xb") as fh:
                fh.write(data)
            return folder / candidate
        except FileExistsError:
            taken.add(candidate.lower())


def _hash_index(inputs: Path) -> dict[str, str]:
    """sha256 -> relative path of every workbook already under inputs (the log itself excluded)."""
    out: dict[str, str] = {}
    for p in sorted(inputs.rglob("*")):
        if p.is_symlink() or not p.is_file() or (p.parent == inputs and p.name == LOG_NAME):
            continue
        try:
            out.setdefault(reader.sha256_of(p), p.relative_to(inputs).as_posix())
        except OSError:
            continue
    return out


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _join(*parts: str) -> str:
    return " ".join(p if p.endswith(".") else p + "." for p in parts if p)


# --- the log workbook ------------------------------------------------------------------------------


def _check_writable(log: Path) -> None:
    if not log.exists():
        return
    try:
        with open(log, "r+b"):
            pass
    except OSError:
        raise IntakeError(f"Het intakelogboek {log} kan niet worden bijgewerkt; is het geopend in Excel? "
                          "Sluit het en probeer opnieuw.") from None


def _append_log(log: Path, records: list[IntakeRecord]) -> None:
    """Append rows to the log (kept columns the board added), then replace the file atomically."""
    if log.exists():
        wb = load_workbook(log)
        ws = wb[LOG_SHEET] if LOG_SHEET in wb.sheetnames else wb.worksheets[0]
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = LOG_SHEET
    header = [c.value for c in ws[1]]
    if not any(header):
        header = []
    cols: dict[str, int] = {}
    for key, label in HEADERS.items():
        if label in header:
            cols[key] = header.index(label) + 1
        else:
            header.append(label)
            cols[key] = len(header)
            ws.cell(row=1, column=cols[key], value=label)
    row = ws.max_row + 1
    for r in records:
        for key, col in cols.items():
            _put(ws.cell(row=row, column=col), getattr(r, key))
        row += 1
    _format(ws, cols)
    tmp = temp_beside(log, prefix=".intake-log-", suffix=".xlsx")
    try:
        wb.save(tmp)
        os.replace(tmp, log)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _put(cell, value: Any) -> None:
    if isinstance(value, datetime):
        if value == datetime.min:
            cell.value = None
            return
        cell.value = value
        cell.number_format = "DD-MM-YYYY HH:MM"
    elif value is None or value == "":
        cell.value = None
    else:
        cell.value = _clean(str(value))
        cell.data_type = "s"  # never a formula, whatever the subject or file name starts with
        if cell.value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when someone edits the cell


def _format(ws, cols: dict[str, int]) -> None:
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    for c in ws[1]:
        if c.value is not None:
            c.font, c.fill = bold, fill
            c.alignment = Alignment(vertical="top")
    for key, col in cols.items():
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(key, 20)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(ws.max_row, 1)}"

"""Reply drafts: one .eml per school with its findings per hire and its marked workbooks attached; nothing is sent."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

import polars as pl

from pipeline import names
from pipeline.read import intake
from pipeline.render.context import count
from pipeline.read import workbook as reader

REPLY_DIR = "antwoorden"
XLSX_MAINTYPE, XLSX_SUBTYPE = intake.XLSX_TYPE.split("/")
DEFAULT_SENDER = "bestuursbureau@bestuur.invalid"


DRAFT_HEADER = "X-NPO-Inhuur"  # marks a draft this program wrote, so a later run may remove it
OLD_SUBJECT = "Terugkoppeling inhuurwerkboeken"


@dataclass
class _School:
    """The log rows of one school (or of one sender whose workbooks carry no readable BRIN)."""

    key: str  # BRIN, or onbekend-<address>
    rows: list[intake.IntakeRecord] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # workbooks of the run (manifest) for this BRIN


@dataclass
class Replies:
    """What one reply run did: drafts written, schools without a draft (and why), stale drafts removed."""

    written: list[Path] = field(default_factory=list)
    not_drafted: list[tuple[str, str]] = field(default_factory=list)  # (school, reason)
    removed: list[Path] = field(default_factory=list)
    sender: str = DEFAULT_SENDER
    sender_from_board: bool = False


class NoReportOutputs(Exception):
    """The outputs folder holds no manifest and findings of a report run."""


def draft_from_outputs(inputs: Path, outputs: Path, sender: str | None = None) -> Replies:
    """The drafts for the run whose outputs are in `outputs`: its manifest, findings and marked copies."""
    import json

    from pipeline import publish
    from pipeline.read import board as config

    manifest_path = outputs / publish.MANIFEST
    findings_path = outputs / "data" / "bevindingen.parquet"
    if not manifest_path.is_file() or not findings_path.is_file():
        raise NoReportOutputs(outputs)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    board, _ = config.load(inputs / config.FILE_NAME)
    marked = {f["file"]: outputs / f["marked_copy"] for f in manifest["files"] if f.get("marked_copy")}
    return draft_replies(inputs, outputs, pl.read_parquet(findings_path), marked, sender, board=board, files=manifest["files"])


def draft_replies(inputs: Path, outputs: Path, findings: pl.DataFrame, marked: dict[str, Path],
                  sender: str | None = None, *, now: datetime | None = None, board=None,
                  files: list[dict] | None = None) -> Replies:
    """Write outputs/antwoorden/<BRIN>.eml per school with findings or mail in the intake log.

    `files` are the manifest's entries of the last report: only counted versions (and rejected files, which
    the school must send again) are answered, never a version that a newer one replaced. The school's address
    comes from bestuur.xlsx (`board`), the last sender is in copy; the sender is the board's own address."""
    rows = intake.read_log(inputs)
    folder = outputs / REPLY_DIR
    files = files or []
    replaced = {f["file"] for f in files if f.get("status") == "vervangen"}
    by_file = {k: v for k, v in _findings_by_file(findings).items() if k not in replaced}
    about = _findings_about(by_file)
    result = Replies()
    if sender:
        result.sender = sender
    elif board is not None and getattr(board, "email", ""):
        result.sender, result.sender_from_board = board.email, True
    keep: set[Path] = set()
    for school in _schools(rows, files, by_file, replaced, about):
        to, cc, why = _recipients(school, board)
        if not to:
            result.not_drafted.append((_school_label(school.key, board), why))
            continue
        msg = _draft(school, inputs, by_file, marked, result.sender, now or datetime.now(intake.LOCAL_TZ), to, cc, replaced,
                     about.get(school.key, []))
        if msg is None:
            continue
        path = write_eml(msg, folder / names.safe_name(f"{school.key}.eml"))
        result.written.append(path)
        keep.add(path)
    result.removed = _remove_stale(folder, keep)
    result.written.sort()
    return result


def _school_label(key: str, board) -> str:
    school = board.schools.get(key) if board is not None else None
    return f"{key} {school.name}" if school else key


def _recipients(school: _School, board) -> tuple[str, str, str]:
    """(To, Cc, why not): the school's address in bestuur.xlsx, the last sender in copy."""
    last = max(school.rows, key=_when).afzender if school.rows else ""
    known = board.schools.get(school.key) if board is not None else None
    address = known.email.strip() if known and known.email else ""
    if address:
        cc = last if last and _address(last) != address.lower() else ""
        return address, cc, ""
    if last:
        return last, "", ""
    if known is None and board is not None and board.from_file and reader.BRIN_RE.match(school.key):
        return "", "", "de school staat niet in bestuur.xlsx en er is geen e-mail van de school in het intakelogboek"
    return "", "", "geen e-mailadres: vul het in op het tabblad Scholen van bestuur.xlsx"


def _remove_stale(folder: Path, keep: set[Path]) -> list[Path]:
    """Drafts of an earlier run that this run did not write again; only files this program wrote."""
    removed = []
    if not folder.is_dir():
        return removed
    for p in sorted(folder.glob("*.eml")):
        if p in keep or not p.is_file() or p.is_symlink():
            continue
        head = p.read_bytes()[:8192].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        ours = f"{DRAFT_HEADER}: concept".encode() in head or (
            b"X-Unsent: 1" in head and f"Subject: {OLD_SUBJECT}".encode() in head)
        if ours:
            p.unlink()
            removed.append(p)
    return removed


def _address(text: str) -> str:
    return parseaddr(text)[1].strip().lower()


def _schools(rows: list[intake.IntakeRecord], files: list[dict], by_file: dict[str, list[dict]],
             replaced: set[str], about: dict[str, list[dict]] | None = None) -> list[_School]:
    """Group rows by BRIN (a row without BRIN goes to the school its sender last sent a readable workbook
    for), and add every school of the last report that has findings, mailed or not."""
    last_brin: dict[str, tuple[tuple, str]] = {}
    for r in rows:
        addr = _address(r.afzender)
        if r.brin and addr:
            key = _when(r)
            if addr not in last_brin or key >= last_brin[addr][0]:
                last_brin[addr] = (key, r.brin)
    schools: dict[str, _School] = {}
    for r in rows:
        addr = _address(r.afzender)
        if not addr or not (r.bijlage or r.opgeslagen_als):
            continue  # an unreadable mail without sender: nobody to answer
        if r.opgeslagen_als in replaced:
            continue
        key = r.brin or (last_brin[addr][1] if addr in last_brin else "onbekend-" + re.sub(r"[^a-z0-9._@-]", "_", addr))
        schools.setdefault(key, _School(key)).rows.append(r)
    for f in files:
        brin = f.get("brin") or ""
        if not brin or f["file"] in replaced or f.get("status") not in ("gelezen", "afgewezen"):
            continue
        if any(str(x["severity"]) in ("fout", "waarschuwing") for x in by_file.get(f["file"], [])) or brin in schools:
            school = schools.setdefault(brin, _School(brin))
            if f["file"] not in school.files:
                school.files.append(f["file"])
    for brin, found in (about or {}).items():  # the ledger's L1 on the school's cost centre: a school without workbooks too
        if any(str(x["severity"]) in ("fout", "waarschuwing") for x in found):
            schools.setdefault(brin, _School(brin))
    return [schools[k] for k in sorted(schools)]


def _when(r: intake.IntakeRecord) -> tuple:
    return (r.datum or datetime.min, r.ontvangen or datetime.min)


def _findings_by_file(findings: pl.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in findings.to_dicts():
        out.setdefault(f["file"], []).append(f)
    return out


def _findings_about(by_file: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """BRIN -> findings a rule made about that school (Finding.about): the ledger's L1, P5 on a shared hire."""
    out: dict[str, list[dict]] = {}
    for found in by_file.values():
        for f in found:
            if f.get("about"):
                out.setdefault(f["about"], []).append(f)
    return out


def _own(found: list[dict], brin: str) -> list[dict]:
    """A school's findings on a file: not those about another school that pays for the same hire."""
    return [f for f in found if not f.get("about") or f["about"] == brin]


def _finding_lines(found: list[dict]) -> list[str]:
    """Errors, then warnings, each with its place, message and rule."""
    lines = []
    for severity in ("fout", "waarschuwing"):
        for f in found:
            if str(f["severity"]) != severity:
                continue
            where = f"{f['sheet']}!{f['cell']}" if f.get("sheet") and f.get("cell") else (f.get("sheet") or "")
            label = f["rule"] if severity == "fout" else f"{f['rule']}, waarschuwing"
            lines.append(f"  - {where + ': ' if where else ''}{f['message']} ({label})")
    return lines


def _files(school: _School, inputs: Path, by_file: dict[str, list[dict]], replaced: set[str]) -> list[str]:
    seen: list[str] = []
    for r in school.rows:
        f = r.opgeslagen_als
        if f and f not in seen and f not in replaced and (f in by_file or (inputs / f).is_file()):
            seen.append(f)
    for f in school.files:
        if f not in seen:
            seen.append(f)
    return seen


def _hire_id(file: str, inputs: Path, found: list[dict]) -> str:
    for f in found:
        if f.get("hire_id"):
            return f["hire_id"]
    ident = reader.peek_identity(inputs / file) if (inputs / file).is_file() else None
    if ident and ident.get("brin") and ident.get("schooljaar") and ident.get("volgnummer") is not None:
        return f"{ident['brin']}-{ident['schooljaar']}-{int(ident['volgnummer'])}"
    return "onbekend"


def _body(school: _School, files: list[str], inputs: Path, by_file: dict[str, list[dict]],
          attached: list[str], skipped: list[intake.IntakeRecord], about: list[dict] | None = None) -> str:
    lines = ["Beste collega,", "",
             "Hartelijk dank voor het insturen van de inhuurwerkboeken. Hieronder ziet u per inhuur "
             "wat de controle heeft opgeleverd."]
    if attached:
        lines.append("In de bijgevoegde werkboeken is elke bevinding bij de betreffende cel gemarkeerd.")
    lines.append("")
    any_error = False
    for file in files:
        found = _own(by_file.get(file, []), school.key)
        errors = [f for f in found if str(f["severity"]) == "fout"]
        warnings = [f for f in found if str(f["severity"]) == "waarschuwing"]
        any_error = any_error or bool(errors)
        lines.append(f"Inhuur {_hire_id(file, inputs, by_file.get(file, []))} (bestand {file})")
        lines.append(f"  {count(len(errors), 'fout', 'fouten')}, {count(len(warnings), 'waarschuwing', 'waarschuwingen')}")
        lines += _finding_lines(found)
        lines.append("")
    elsewhere = [f for f in about or [] if f["file"] not in files and str(f["severity"]) in ("fout", "waarschuwing")]
    if elsewhere:
        lines.append("Over uw school, buiten uw werkboeken (grootboek van het bestuur of een bovenschoolse inhuur):")
        lines += _finding_lines(elsewhere)
        lines.append("")
        any_error = any_error or any(str(f["severity"]) == "fout" for f in elsewhere)
    if skipped:
        lines.append("Niet verwerkt uit uw laatste e-mail:")
        for r in skipped:
            reason = r.status + (f" ({r.opmerking})" if r.opmerking else "")
            lines.append(f"  - {r.bijlage or 'bericht'}: {reason}")
        lines.append("")
    if any_error or skipped:
        lines.append("Wilt u de fouten herstellen en het werkboek opnieuw sturen, met een nieuwe versiedatum? "
                     "Stuur het werkboek als Excel-werkmap (.xlsx) in de bijlage.")
    else:
        lines.append("Er zijn geen fouten gevonden. Waarschuwingen vragen om aandacht of een toelichting.")
    lines += ["", "Met vriendelijke groet,", "", "Het bestuursbureau", ""]
    return "\n".join(lines)


def _same_mail(a: intake.IntakeRecord, b: intake.IntakeRecord) -> bool:
    """Two log rows of one e-mail: its Message-ID, or (without one) its sender, date and mail file."""
    if a.message_id or b.message_id:
        return a.message_id == b.message_id
    return (a.afzender, a.datum, a.bron) == (b.afzender, b.datum, b.bron)


def _draft(school: _School, inputs: Path, by_file: dict[str, list[dict]], marked: dict[str, Path],
           sender: str, now: datetime, to: str, cc: str, replaced: set[str],
           about: list[dict] | None = None) -> EmailMessage | None:
    latest = max(school.rows, key=_when) if school.rows else None
    files = _files(school, inputs, by_file, replaced)
    skipped = []
    if latest is not None:  # only the attachments of the last e-mail: earlier mails were answered before
        skipped = [r for r in school.rows if _same_mail(r, latest) and r.status not in (intake.STORED, intake.DUPLICATE)]
    if not files and not skipped and not about:
        return None
    attachments = [Path(marked[f]) for f in files if marked.get(f) is not None and Path(marked[f]).is_file()]
    brin = school.key if reader.BRIN_RE.match(school.key) else "(BRIN onbekend)"
    body = _body(school, files, inputs, by_file, [p.name for p in attachments], skipped, about)
    return compose(sender, to, f"Terugkoppeling inhuurwerkboeken {brin}", body, attachments, now, cc=cc,
                   in_reply_to=latest.message_id if latest is not None else None)


def compose(sender: str, to: str, subject: str, body: str, attachments: list[Path], now: datetime, *,
            cc: str = "", in_reply_to: str | None = None) -> EmailMessage:
    """A draft e-mail with workbooks attached, which Outlook opens as a draft to edit and send (X-Unsent)."""
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    if to:
        _set_to(msg, to)
    if cc:
        _set_to(msg, cc, "Cc")
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=intake.LOCAL_TZ))
    msg["Message-ID"] = make_msgid(domain=_address(sender).rpartition("@")[2] or None)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft to edit and send
    msg[DRAFT_HEADER] = "concept"  # a draft this program wrote: a later run may replace it
    msg.set_content(body)
    names: set[str] = set()
    for path in attachments:
        msg.add_attachment(path.read_bytes(), maintype=XLSX_MAINTYPE, subtype=XLSX_SUBTYPE, filename=_unique(path.name, names))
    return msg


def write_eml(msg: EmailMessage, path: Path) -> Path:
    """The draft as an .eml file (CRLF line ends, as Outlook expects)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.as_bytes(policy=policy.SMTP))
    return path


def _set_to(msg: EmailMessage, afzender: str, header: str = "To") -> None:
    try:
        msg[header] = afzender
        msg[header].addresses  # noqa: B018 - parse now, so a broken display name falls back below
    except Exception:  # noqa: BLE001
        del msg[header]
        name, addr = parseaddr(afzender)
        try:
            msg[header] = Address(display_name=name, addr_spec=addr)
        except Exception:  # noqa: BLE001
            msg[header] = addr


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, i = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem} ({i}).{ext}" if ext else f"{stem} ({i})"
        i += 1
    taken.add(candidate.lower())
    return candidate

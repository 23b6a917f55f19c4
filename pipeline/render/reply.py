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

from pipeline.render.context import count
from pipeline.read import intake
from pipeline.read import workbook as reader

REPLY_DIR = "antwoorden"
XLSX_MAINTYPE, XLSX_SUBTYPE = intake.XLSX_TYPE.split("/")
DEFAULT_SENDER = "bestuursbureau@bestuur.invalid"


@dataclass
class _School:
    """The log rows of one school (or of one sender whose workbooks carry no readable BRIN)."""

    key: str  # BRIN, or onbekend-<address>
    rows: list[intake.IntakeRecord] = field(default_factory=list)


def draft_replies(inputs: Path, outputs: Path, findings: pl.DataFrame, marked: dict[str, Path],
                  sender: str = DEFAULT_SENDER, *, now: datetime | None = None) -> list[Path]:
    """Write outputs/antwoorden/<BRIN>.eml per school in the intake log; returns the drafts written."""
    rows = intake.read_log(inputs)
    folder = outputs / REPLY_DIR
    by_file = _findings_by_file(findings)
    written = []
    for school in _schools(rows):
        msg = _draft(school, inputs, by_file, marked, sender, now or datetime.now(intake.LOCAL_TZ))
        if msg is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{school.key}.eml"
        path.write_bytes(msg.as_bytes(policy=policy.SMTP))  # CRLF, as Outlook expects of an .eml
        written.append(path)
    return sorted(written)


def _address(text: str) -> str:
    return parseaddr(text)[1].strip().lower()


def _schools(rows: list[intake.IntakeRecord]) -> list[_School]:
    """Group rows by BRIN; a row without BRIN goes to the school its sender last sent a readable workbook for."""
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
        key = r.brin or (last_brin[addr][1] if addr in last_brin else "onbekend-" + re.sub(r"[^a-z0-9._@-]", "_", addr))
        schools.setdefault(key, _School(key)).rows.append(r)
    return [schools[k] for k in sorted(schools)]


def _when(r: intake.IntakeRecord) -> tuple:
    return (r.datum or datetime.min, r.ontvangen or datetime.min)


def _findings_by_file(findings: pl.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in findings.to_dicts():
        out.setdefault(f["file"], []).append(f)
    return out


def _files(school: _School, inputs: Path, by_file: dict[str, list[dict]]) -> list[str]:
    seen: list[str] = []
    for r in school.rows:
        f = r.opgeslagen_als
        if f and f not in seen and (f in by_file or (inputs / f).is_file()):
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
          attached: list[str], skipped: list[intake.IntakeRecord]) -> str:
    lines = ["Beste collega,", "",
             "Hartelijk dank voor het insturen van de inhuurwerkboeken. Hieronder ziet u per inhuur "
             "wat de controle heeft opgeleverd."]
    if attached:
        lines.append("In de bijgevoegde werkboeken is elke bevinding bij de betreffende cel gemarkeerd.")
    lines.append("")
    any_error = False
    for file in files:
        found = by_file.get(file, [])
        errors = [f for f in found if str(f["severity"]) == "fout"]
        warnings = [f for f in found if str(f["severity"]) == "waarschuwing"]
        any_error = any_error or bool(errors)
        lines.append(f"Inhuur {_hire_id(file, inputs, found)} (bestand {file})")
        lines.append(f"  {count(len(errors), 'fout', 'fouten')}, {count(len(warnings), 'waarschuwing', 'waarschuwingen')}")
        for f in errors:
            where = f"{f['sheet']}!{f['cell']}" if f.get("sheet") and f.get("cell") else (f.get("sheet") or "")
            lines.append(f"  - {where + ': ' if where else ''}{f['message']} ({f['rule']})")
        lines.append("")
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


def _draft(school: _School, inputs: Path, by_file: dict[str, list[dict]], marked: dict[str, Path],
           sender: str, now: datetime) -> EmailMessage | None:
    latest = max(school.rows, key=_when)
    files = _files(school, inputs, by_file)
    last_run = max(r.ontvangen for r in school.rows if r.afzender == latest.afzender)
    skipped = [r for r in school.rows
               if r.ontvangen == last_run and r.status not in (intake.STORED, intake.DUPLICATE)]
    if not files and not skipped:
        return None
    attachments = [Path(marked[f]) for f in files if marked.get(f) is not None and Path(marked[f]).is_file()]
    brin = school.key if reader.BRIN_RE.match(school.key) else "(BRIN onbekend)"
    body = _body(school, files, inputs, by_file, [p.name for p in attachments], skipped)
    return compose(sender, latest.afzender, f"Terugkoppeling inhuurwerkboeken {brin}", body, attachments, now,
                   in_reply_to=latest.message_id)


def compose(sender: str, to: str, subject: str, body: str, attachments: list[Path], now: datetime,
            in_reply_to: str | None = None) -> EmailMessage:
    """A draft e-mail with workbooks attached, which Outlook opens as a draft to edit and send (X-Unsent)."""
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    if to:
        _set_to(msg, to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=intake.LOCAL_TZ))
    msg["Message-ID"] = make_msgid(domain=_address(sender).rpartition("@")[2] or None)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    names: set[str] = set()
    for path in attachments:
        msg.add_attachment(path.read_bytes(), maintype=XLSX_MAINTYPE, subtype=XLSX_SUBTYPE, filename=_unique(path.name, names))
    return msg


def write_eml(msg: EmailMessage, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.as_bytes(policy=policy.SMTP))  # CRLF, as Outlook expects of an .eml
    return path


def _set_to(msg: EmailMessage, afzender: str) -> None:
    try:
        msg["To"] = afzender
        msg["To"].addresses  # noqa: B018 - parse now, so a broken display name falls back below
    except Exception:  # noqa: BLE001
        del msg["To"]
        name, addr = parseaddr(afzender)
        try:
            msg["To"] = Address(display_name=name, addr_spec=addr)
        except Exception:  # noqa: BLE001
            msg["To"] = addr


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

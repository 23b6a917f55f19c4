"""Pre-open checks: is an incoming file a plausible, safe .xlsx before any spreadsheet reader opens it?"""
from __future__ import annotations

import codecs
import io
import os
import pathlib
import re
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

import olefile
from defusedxml import ElementTree as SafeET

KINDS = (
    "xlsx", "too-large", "empty", "encrypted", "xls", "xlsm", "xlsb", "ods", "csv", "html", "pdf",
    "lock-file", "zip-bomb", "corrupt-zip", "not-spreadsheet", "other-file",
)

MiB = 1024 * 1024
SNIFF_BYTES = 8 * 1024  # what is read to recognise a non-zip file
OLE_SCAN_BYTES = 64 * 1024  # where an encrypted package's stream names are looked for
MAX_CONTENT_TYPES_BYTES = MiB
MAX_CENTRAL_DIRECTORY_BYTES_PER_ENTRY = 1024  # bounds the zip directory before zipfile parses it
CHUNK = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
EOCD = b"PK\x05\x06"
EOCD64_LOCATOR = b"PK\x06\x07"
EOCD64 = b"PK\x06\x06"

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
WORKBOOK_CONTENT_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
# Media is never parsed as XML by a reader; an SVG may legitimately carry a DOCTYPE.
NOT_XML_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".bin")
# Excel never writes a DTD; one in any part is an entity-expansion or external-entity attempt.
DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
DTD_OVERLAP = max(len(m) for m in DTD_MARKERS)

SAVE_AS = "Sla het bestand op als Excel-werkmap (.xlsx) en stuur het opnieuw."
# Spreadsheet formats other than the workbook (.xlsx) we read: rejected with SAVE_AS, never skipped.
OTHER_SPREADSHEET_SUFFIXES = frozenset({".xls", ".xlsm", ".xlsb", ".ods", ".fods", ".csv", ".xltx", ".xltm", ".numbers"})
SPREADSHEET_SUFFIXES = OTHER_SPREADSHEET_SUFFIXES | {".xlsx"}


@dataclass(frozen=True)
class Inspection:
    ok: bool  # True: a plausible .xlsx workbook, safe to hand to a reader
    kind: str  # one of KINDS
    reason: str  # Dutch, for the school: what is wrong and what to do ("" when ok)
    # For an accepted package: every part name, and the structure parts (workbook, relationships,
    # tables) as inflated and verified here, so the reader need not open the zip again.
    names: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    parts: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)


STRUCTURE_PART_BYTES = 5 * MiB  # the reader's limit for one structure part


def is_structure_part(name: str) -> bool:
    """The parts the reader parses itself (the cell values are left to calamine)."""
    return name == "xl/workbook.xml" or name.endswith(".rels") or name.startswith("xl/tables/")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * MiB
    max_entries: int = 2000
    max_total_uncompressed: int = 200 * MiB
    max_ratio: float = 100.0  # per entry, uncompressed/compressed, only for entries > 1 MiB uncompressed
    max_entry_uncompressed: int = 100 * MiB


class _Rejected(Exception):
    """Internal short cut: the file is rejected with this inspection."""

    def __init__(self, kind: str, reason: str):
        super().__init__(kind)
        self.inspection = Inspection(False, kind, reason)


def is_lock_file_name(name: str) -> bool:
    """Excel's owner file `~$werkboek.xlsx` or LibreOffice's `.~lock.werkboek.xlsx#`."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def is_workbook_candidate(path: str | os.PathLike) -> bool:
    """By name only: an .xlsx (any case) that is not a lock file of Excel or LibreOffice."""
    name = pathlib.PurePath(path).name
    return name.lower().endswith(".xlsx") and not is_lock_file_name(name)


def inspect(path: pathlib.Path, limits: Limits = Limits()) -> Inspection:
    """Classify `path` from its first bytes and zip directory; never raises, never opens a reader."""
    try:
        return _inspect(pathlib.Path(path), limits)
    except _Rejected as rejected:
        return rejected.inspection
    except Exception:  # noqa: BLE001 - a bad file must give a report, not a crash
        return Inspection(
            False, "not-spreadsheet",
            "Het bestand kon niet worden gelezen of herkend. " + SAVE_AS,
        )


def _inspect(path: pathlib.Path, limits: Limits) -> Inspection:
    if is_lock_file_name(path.name):
        raise _Rejected(
            "lock-file",
            "Dit is een tijdelijk bestand van Excel (of LibreOffice) dat ontstaat terwijl het werkboek "
            "openstaat; dit is niet uw werkboek. Stuur het werkboek zelf (de naam zonder ~$ of .~lock).",
        )
    try:
        size = path.stat().st_size
        regular = path.is_file()
    except OSError:
        size, regular = -1, False
    if not regular:
        raise _Rejected("not-spreadsheet", "Het bestand kon niet worden gelezen. " + SAVE_AS)
    if size == 0:
        raise _Rejected(
            "empty",
            "Het bestand is leeg (0 bytes); waarschijnlijk ging er iets mis bij het opslaan of versturen. "
            + SAVE_AS,
        )
    if size > limits.max_file_bytes:
        raise _Rejected(
            "too-large",
            f"Het bestand is te groot ({_mb(size)}; de grens is {_mb(limits.max_file_bytes)}). "
            "Een ingevuld werkboek is meestal kleiner dan 1 MB. Verwijder afbeeldingen en overbodige "
            "werkbladen. " + SAVE_AS,
        )
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
        if head.startswith(ZIP_MAGICS):
            try:
                return _inspect_zip(f, size, limits)
            except _Rejected:
                raise
            except Exception:  # noqa: BLE001 - zipfile and zlib raise many kinds on crafted input
                raise _Rejected("corrupt-zip", _corrupt_reason()) from None
        if head.startswith(OLE_MAGIC):
            raise _ole(f, size)
    raise _not_zip(head, truncated=size > len(head))


# --- non-zip files ---------------------------------------------------------------------------------


def _ole(f: BinaryIO, size: int) -> _Rejected:
    """An OLE compound file: a password-protected .xlsx, a legacy .xls, or another old Office file."""
    names = _ole_directory_names(f, size)
    f.seek(0)
    first = f.read(OLE_SCAN_BYTES)
    encrypted_markers = ("EncryptedPackage", "EncryptionInfo")
    if names & set(encrypted_markers) or any(m.encode("utf-16-le") in first for m in encrypted_markers):
        return _Rejected(
            "encrypted",
            "Het bestand is beveiligd met een wachtwoord. Verwijder het wachtwoord (in Excel: Bestand > "
            "Info > Werkmap beveiligen > Versleutelen met wachtwoord, veld leegmaken) en sla het bestand op "
            "als Excel-werkmap (.xlsx). Stuur het daarna opnieuw.",
        )
    if "Workbook" not in names and "Book" not in names:
        if "WordDocument" in names:
            return _other_file("een Word-document (.doc)")
        if "PowerPoint Document" in names:
            return _other_file("een PowerPoint-presentatie (.ppt)")
        if any(n.startswith(("__substg1.0_", "__properties_version1.0")) for n in names):
            return _other_file(
                "een Outlook-bericht (.msg); het werkboek zit waarschijnlijk als bijlage in dat bericht",
            )
    return _Rejected(
        "xls",
        "Het bestand is in het oude Excel-formaat (.xls, Excel 97-2003), geen Excel-werkmap (.xlsx). "
        "Open het in Excel en kies Opslaan als > Excel-werkmap (.xlsx). Stuur het daarna opnieuw.",
    )


def _ole_directory_names(f: BinaryIO, size: int) -> set[str]:
    """Storage and stream names in the compound file's directory (olefile); a damaged directory gives none."""
    try:
        f.seek(0)
        with olefile.OleFileIO(f) as ole:
            return {name for path in ole.listdir(streams=True, storages=True) for name in path}
    except Exception:  # noqa: BLE001 - olefile raises several kinds on damaged files
        return set()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _not_zip(head: bytes, truncated: bool) -> _Rejected:
    if head.startswith(b"%PDF"):
        return _Rejected(
            "pdf",
            "Het bestand is een PDF, geen Excel-werkboek; een PDF kunnen wij niet inlezen. "
            "Stuur het ingevulde werkboek zelf als Excel-werkmap (.xlsx).",
        )
    text = _as_text(head, truncated)
    if text is None:
        return _Rejected(
            "not-spreadsheet",
            "Het bestand is geen Excel-werkboek; de inhoud is niet te herkennen. " + SAVE_AS,
        )
    start = text.lstrip().lower()
    if start.startswith(("<html", "<!doctype html", "<table")) or (
        start.startswith("<") and not start.startswith("<?xml") and ("<html" in start or "<table" in start)
    ):
        return _Rejected(
            "html",
            "Het bestand is een webpagina (HTML), geen echt Excel-werkboek; "
            "dat gebeurt vaak bij exporteren uit een webapplicatie. Open het in Excel en kies Opslaan als > "
            "Excel-werkmap (.xlsx). Stuur het daarna opnieuw.",
        )
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return _Rejected(
            "xls",
            "Het bestand is in het oude Excel-formaat XML-spreadsheet 2003, geen Excel-werkmap. "
            "Open het in Excel en kies Opslaan als > Excel-werkmap (.xlsx). Stuur het daarna opnieuw.",
        )
    if any(sep in text for sep in ";,\t") and not start.startswith("<"):
        return _Rejected(
            "csv",
            "Het bestand is een tekstbestand (zoals CSV), geen echt Excel-werkboek; zo gaat de opmaak "
            "van het werkboek verloren. Vul het werkboek zelf in, sla het op "
            "als Excel-werkmap (.xlsx) en stuur het opnieuw.",
        )
    return _Rejected(
        "not-spreadsheet",
        "Het bestand is een tekstbestand, geen Excel-werkboek. " + SAVE_AS,
    )


def _as_text(head: bytes, truncated: bool) -> str | None:
    """The sniffed bytes as text, or None when they look binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-tekst" export is UTF-16
        body = head[2:]
        if truncated:
            body = body[: len(body) // 2 * 2]
        text = body.decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "replace")
    elif b"\x00" in head:
        return None
    else:
        body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        try:
            text = _decode_utf8_prefix(body, truncated)
        except UnicodeDecodeError:
            try:
                text = body.decode("cp1252")
            except UnicodeDecodeError:
                text = body.decode("latin-1")
    return None if _CONTROL.search(text) else text


def _decode_utf8_prefix(data: bytes, truncated: bool) -> str:
    return codecs.getincrementaldecoder("utf-8")().decode(data, final=not truncated)


# --- zip files -------------------------------------------------------------------------------------


def _inspect_zip(f: BinaryIO, size: int, limits: Limits) -> Inspection:
    entries, directory_size = _central_directory_extent(f, size)
    if entries > limits.max_entries:
        raise _bomb(f"het bevat meer dan {limits.max_entries} onderdelen")
    if directory_size > limits.max_entries * MAX_CENTRAL_DIRECTORY_BYTES_PER_ENTRY:
        raise _bomb(f"de inhoudsopgave van het zip-bestand is {_mb(directory_size)} groot")
    f.seek(0)
    data = f.read()  # at most max_file_bytes: checked before
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        _check_sizes(infos, limits)
        names = _check_names(infos)
        _check_not_encrypted(infos)
        _require_xlsx(archive, names)
        parts = _verify_entries(archive, infos)
    return Inspection(True, "xlsx", "", frozenset(i.filename for i in infos), parts)


def _central_directory_extent(f: BinaryIO, size: int) -> tuple[int, int]:
    """(number of entries, size in bytes) of the zip central directory, read from its end record."""
    tail_size = min(size, 22 + 65535)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) - at < 22:
        raise _Rejected("corrupt-zip", _corrupt_reason())
    entries, directory_size, directory_offset = struct.unpack_from("<HII", tail, at + 10)
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF:
        locator = at - 20
        if locator >= 0 and tail[locator:locator + 4] == EOCD64_LOCATOR:
            record = size - tail_size + locator - 56
            if record >= 0:
                f.seek(record)
                data = f.read(56)
                if data[:4] == EOCD64:
                    entries, directory_size = struct.unpack_from("<QQ", data, 32)
    return entries, directory_size


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise _bomb(f"het bevat meer dan {limits.max_entries} onderdelen")
    total = 0
    for info in infos:
        if info.file_size > limits.max_entry_uncompressed:
            raise _bomb(f"één onderdeel pakt uit tot {_mb(info.file_size)}")
        total += info.file_size
        if total > limits.max_total_uncompressed:
            raise _bomb(f"de inhoud pakt uit tot meer dan {_mb(limits.max_total_uncompressed)}")
        if info.file_size > MiB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _bomb(f"één onderdeel pakt uit tot {_mb(info.file_size)} uit {_mb(info.compress_size)}")


def _check_names(infos: list[zipfile.ZipInfo]) -> set[str]:
    """Entry names with '/' separators; rejects absolute paths, '..' and duplicates."""
    names = [info.filename.replace("\\", "/") for info in infos]
    for name in names:
        parts = name.split("/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise _Rejected("corrupt-zip", _corrupt_reason("het bevat onderdelen met een ongeldige padnaam"))
    if len(set(names)) != len(names):
        twice = sorted(n for n, c in Counter(names).items() if c > 1)[0]
        raise _Rejected("corrupt-zip", _corrupt_reason(f"het onderdeel {twice} komt twee keer voor"))
    return set(names)


def _check_not_encrypted(infos: list[zipfile.ZipInfo]) -> None:
    if any(info.flag_bits & 0x1 for info in infos):
        raise _Rejected(
            "encrypted",
            "Het bestand is met een wachtwoord ingepakt. Verwijder het wachtwoord en sla het bestand op "
            "als Excel-werkmap (.xlsx). Stuur het daarna opnieuw.",
        )


def _require_xlsx(archive: zipfile.ZipFile, names: set[str]) -> None:
    """Returns for an .xlsx package; otherwise raises the rejection that says what else it is."""
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype", 256).decode("ascii", "replace").strip()
        if mimetype.startswith(ODS_MIMETYPE):
            raise _Rejected(
                "ods",
                "Het bestand is een OpenDocument-rekenblad (.ods, LibreOffice of OpenOffice), geen "
                "Excel-werkmap. Kies in LibreOffice Bestand > Opslaan als > Excel 2007-365 (.xlsx) en stuur "
                "het opnieuw.",
            )
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            raise _other_file("een OpenDocument-bestand (bijvoorbeeld een tekstdocument)")
    if "xl/workbook.bin" in names:
        raise _Rejected(
            "xlsb",
            "Het bestand is opgeslagen als binaire Excel-werkmap (.xlsb). Open het in Excel en kies Opslaan "
            "als > Excel-werkmap (.xlsx). Stuur het daarna opnieuw.",
        )
    content_types = _content_types(archive)
    if "xl/vbaProject.bin" in names or any(
        "macroenabled" in t.lower() or "vbaproject" in t.lower() for t in content_types.values()
    ):
        raise _Rejected(
            "xlsm",
            "Het bestand bevat macro's (.xlsm); bestanden met macro's openen wij niet. Open het in Excel, "
            "kies Opslaan als > Excel-werkmap (.xlsx) zonder macro's en stuur het opnieuw.",
        )
    if "xl/workbook.xml" in names or any(
        part in names and t in WORKBOOK_CONTENT_TYPES for part, t in content_types.items()
    ):
        return
    if any(n.startswith("word/") for n in names):
        raise _other_file("een Word-document (.docx)")
    if any(n.startswith("ppt/") for n in names):
        raise _other_file("een PowerPoint-presentatie (.pptx)")
    if any(n.lower().endswith(".xlsx") for n in names):
        raise _Rejected(
            "not-spreadsheet",
            "Het bestand is een zip-map met daarin een of meer bestanden, geen Excel-werkboek. Pak de zip-map "
            "uit en stuur het werkboek zelf als Excel-werkmap (.xlsx).",
        )
    raise _Rejected(
        "not-spreadsheet",
        "Het bestand is een zip-map of ander ingepakt bestand, geen Excel-werkboek. " + SAVE_AS,
    )


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name (without leading '/') or '*.ext' -> content type, from [Content_Types].xml if small."""
    info = next((i for i in archive.infolist() if i.filename == "[Content_Types].xml"), None)
    if info is None or info.file_size >= MAX_CONTENT_TYPES_BYTES:
        return {}
    data = _read_small(archive, info.filename, MAX_CONTENT_TYPES_BYTES)
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except Exception:  # noqa: BLE001 - defusedxml's refusals and plain parse errors alike
        raise _Rejected(
            "corrupt-zip",
            _corrupt_reason("de inhoudsopgave [Content_Types].xml is ongeldig of bevat verboden XML"),
        ) from None
    types: dict[str, str] = {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        content_type = element.get("ContentType", "")
        if tag == "Override":
            types[element.get("PartName", "").lstrip("/")] = content_type
        elif tag == "Default":
            types["*." + element.get("Extension", "")] = content_type
    return types


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as entry:
        return entry.read(limit)


def _verify_entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    """Inflate every entry (bounded by the declared, already checked sizes): the CRC proves the declared
    sizes true, and XML parts are scanned for a DTD. Returns the structure parts."""
    kept: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Rejected("corrupt-zip", _corrupt_reason("het is ingepakt op een manier die Excel niet gebruikt"))
        scan = not info.filename.lower().endswith(NOT_XML_SUFFIXES)
        keep = info.file_size <= STRUCTURE_PART_BYTES and is_structure_part(info.filename)
        if info.file_size <= WHOLE_ENTRY_BYTES:
            content = _inflate(archive, info)  # small parts (all of them in a normal workbook) in one go
            if scan and any(marker in content for marker in DTD_MARKERS):
                raise _dtd()
            if keep:
                kept[info.filename] = content
            continue
        chunks: list[bytes] = []
        carry = b""
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                if keep:
                    chunks.append(chunk)
                if scan:
                    window = carry + chunk
                    if any(marker in window for marker in DTD_MARKERS):
                        raise _dtd()
                    carry = window[-DTD_OVERLAP:]
        if keep:
            kept[info.filename] = b"".join(chunks)
    return kept


WHOLE_ENTRY_BYTES = 4 * MiB


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One entry's content, never more than its declared (already checked) size + 1 byte; zipfile checks
    the local header, the name and the CRC."""
    try:
        with archive.open(info) as entry:
            content = entry.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise _Rejected("corrupt-zip", _corrupt_reason("een onderdeel is anders dan de inhoudsopgave zegt")) from None
    if len(content) != info.file_size:
        raise _Rejected("corrupt-zip", _corrupt_reason("een onderdeel is anders dan de inhoudsopgave zegt"))
    return content


def _dtd() -> _Rejected:
    return _Rejected("corrupt-zip", _corrupt_reason("het bevat XML-constructies (DTD of entiteiten) die Excel nooit schrijft"))


# --- reasons -------------------------------------------------------------------------------------


def _mb(n: int) -> str:
    """Dutch size for people: '800 KB', '1,5 MB', '300 MB'."""
    if n < MiB:
        return f"{max(n, 1) / 1024:.0f} KB"
    return f"{n / MiB:.1f} MB".replace(".", ",") if n < 10 * MiB else f"{n / MiB:.0f} MB"


def _corrupt_reason(detail: str = "") -> str:
    what = (
        f"Het bestand is beschadigd of geen gewoon Excel-bestand: {detail}."
        if detail
        else "Het bestand is beschadigd of onvolledig, bijvoorbeeld doordat het afgebroken is bij het opslaan "
        "of versturen."
    )
    return what + " Open het werkboek in Excel, sla het opnieuw op als Excel-werkmap (.xlsx) en stuur het opnieuw."


def _bomb(detail: str) -> _Rejected:
    return _Rejected(
        "zip-bomb",
        f"Het bestand is om veiligheidsredenen niet geopend: {detail}, veel meer dan een werkboek ooit nodig "
        "heeft. Open het werkboek in Excel, sla het opnieuw op als Excel-werkmap (.xlsx) en stuur het opnieuw; "
        "lukt dat niet, neem dan contact op met het bestuursbureau.",
    )


def _other_file(what: str) -> _Rejected:
    return _Rejected(
        "other-file",
        f"Het bestand is {what}, geen Excel-werkboek. Stuur het ingevulde werkboek zelf als Excel-werkmap (.xlsx).",
    )

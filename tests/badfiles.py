"""Writers of bad incoming files (and one good one), each with the kind pipeline.safety should give it."""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from openpyxl import Workbook

MiB = 1024 * 1024
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

Written = tuple[Path, str]


# --- helpers -----------------------------------------------------------------------------------


def workbook_bytes() -> bytes:
    """A small, valid workbook written by openpyxl."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Gegevens"
    ws.append(["Factuurnummer", "Bedrag excl. BTW"])
    ws.append(["F-2023-001", 1250.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _write_zip(path: Path, members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def _variant(path: Path, replace: dict[str, bytes] | None = None, add: list[tuple[str, bytes]] | None = None) -> Path:
    """The valid workbook with some members replaced and some added."""
    replace = replace or {}
    members = [(name, replace.get(name, data)) for name, data in _members(workbook_bytes())]
    return _write_zip(path, members + (add or []))


def _raw_zip(path: Path, entries: list[dict]) -> Path:
    """A zip written byte by byte, so sizes, CRCs and flags can be whatever a test needs.

    Each entry: name, data (the stored bytes), method, crc, compress_size, file_size, flags.
    """
    out = io.BytesIO()
    central = io.BytesIO()
    for e in entries:
        name = e["name"].encode()
        offset = out.tell()
        fields = (20, e.get("flags", 0), e["method"], 0, 0x21, e["crc"], e["compress_size"], e["file_size"], len(name))
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + name)
        out.write(e["data"])
        central.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset) + name)
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0))
    path.write_bytes(out.getvalue())
    return path


def _deflated(name: str, data: bytes, **overrides) -> dict:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = c.compress(data) + c.flush()
    entry = dict(name=name, data=packed, method=8, crc=zlib.crc32(data), compress_size=len(packed), file_size=len(data))
    entry.update(overrides)
    return entry


def _ole(path: Path, streams: list[str]) -> Path:
    """A minimal compound file (512-byte sectors: header, one FAT sector, one directory sector)."""
    free, end_of_chain, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end_of_chain, *([free] * 126))

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return struct.pack(
            "<64sHBBIII16sI8s8sIII", encoded, len(encoded), kind, 1, free, right, child,
            bytes(16), 0, bytes(8), bytes(8), end_of_chain, 0, 0,
        )

    # Root entry, then the streams chained as right siblings (a degenerate but valid red-black tree).
    directory = entry("Root Entry", 5, child=1 if streams else free)
    for i, name in enumerate(streams, start=1):
        directory += entry(name, 2, right=i + 1 if i < len(streams) else free)
    directory = directory.ljust(512, b"\x00")
    path.write_bytes(header + fat + directory)
    return path


# --- writers -----------------------------------------------------------------------------------


def valid_workbook(folder: Path) -> Written:
    path = folder / "geldig.xlsx"
    path.write_bytes(workbook_bytes())
    return path, "xlsx"


def zip_bomb(folder: Path) -> Written:
    """About 1,5 MB on disk, 1,5 GB of zeros as a worksheet: built from one repeated deflate block."""
    blocks = 1536
    chunk = bytes(MiB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # byte-aligned and history-free: repeatable
    packed = block * blocks + c.flush()
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(chunk, crc)
    bomb = dict(name="xl/worksheets/sheet1.xml", data=packed, method=8, crc=crc,
                compress_size=len(packed), file_size=blocks * MiB)
    small = [m for m in _members(workbook_bytes()) if m[0] != "xl/worksheets/sheet1.xml"]
    return _raw_zip(folder / "zipbom.xlsx", [_deflated(n, d) for n, d in small] + [bomb]), "zip-bomb"


def zip_bomb_declared(folder: Path) -> Written:
    """A central directory that declares a 3 GB entry (the data itself is tiny)."""
    entries = [_deflated(n, d) for n, d in _members(workbook_bytes())]
    entries[-1]["file_size"] = 3 * 1024 * MiB
    return _raw_zip(folder / "zipbom-opgegeven.xlsx", entries), "zip-bomb"


def zip_lying_sizes(folder: Path) -> Written:
    """Declares 10 KB but inflates to 50 MB: only inflating (CRC and size check) reveals it."""
    entries = [_deflated(n, d) for n, d in _members(workbook_bytes()) if n != "xl/worksheets/sheet1.xml"]
    entries.append(_deflated("xl/worksheets/sheet1.xml", bytes(50 * MiB), file_size=10 * 1024))
    return _raw_zip(folder / "liegende-groottes.xlsx", entries), "corrupt-zip"


def many_entries(folder: Path) -> Written:
    members = _members(workbook_bytes()) + [(f"xl/extra/{i}.xml", b"<a/>") for i in range(5000)]
    return _write_zip(folder / "vijfduizend-onderdelen.xlsx", members, zipfile.ZIP_STORED), "zip-bomb"


def encrypted_ole(folder: Path) -> Written:
    """How Excel stores a password-protected .xlsx: a compound file with an EncryptedPackage stream."""
    path = _ole(folder / "wachtwoord.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    return path, "encrypted"


def encrypted_marker_only(folder: Path) -> Written:
    """Only the OLE magic and the UTF-16LE stream name somewhere in the first sector."""
    path = folder / "wachtwoord-kaal.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "EncryptedPackage".encode("utf-16-le") + bytes(300))
    return path, "encrypted"


def legacy_xls(folder: Path) -> Written:
    return _ole(folder / "oud-formaat.xlsx", ["Workbook", "\x05SummaryInformation"]), "xls"


def bare_ole(folder: Path) -> Written:
    path = folder / "kale-ole.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1016))
    return path, "xls"


def word_97(folder: Path) -> Written:
    return _ole(folder / "brief.xlsx", ["WordDocument", "1Table"]), "other-file"


def spreadsheet_xml_2003(folder: Path) -> Written:
    path = folder / "xml-2003.xlsx"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Blad1"/></Workbook>\n',
        encoding="utf-8",
    )
    return path, "xls"


def csv_renamed(folder: Path) -> Written:
    path = folder / "export.xlsx"
    path.write_bytes("\ufeffFactuurnummer;Bedrag;Datum\r\nF-1;€ 1.250,50;1-9-2022\r\n".encode("utf-8"))
    return path, "csv"


def csv_latin1(folder: Path) -> Written:
    path = folder / "export-latin1.xlsx"
    path.write_bytes("Leverancier,Bedrag\r\nCoöperatie Één,1250\r\n".encode("latin-1"))
    return path, "csv"


def unicode_text(folder: Path) -> Written:
    """Excel's 'Unicode-tekst': UTF-16 with a BOM, tab separated."""
    path = folder / "unicode-tekst.xlsx"
    path.write_bytes("Factuurnummer\tBedrag\r\nF-1\t1250\r\n".encode("utf-16"))
    return path, "csv"


def html_renamed(folder: Path) -> Written:
    path = folder / "webexport.xlsx"
    path.write_text(
        "\n  <!DOCTYPE html>\n<html><body><table><tr><td>F-1</td><td>1250</td></tr></table></body></html>\n",
        encoding="utf-8",
    )
    return path, "html"


def html_table_only(folder: Path) -> Written:
    path = folder / "tabel.xlsx"
    path.write_bytes("\ufeff<TABLE border=1><TR><TD>F-1</TD></TR></TABLE>".encode("utf-8"))
    return path, "html"


def pdf_renamed(folder: Path) -> Written:
    path = folder / "scan.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
    return path, "pdf"


def ods_renamed(folder: Path) -> Written:
    members = [
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
        ("content.xml", b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'),
    ]
    return _write_zip(folder / "libreoffice.xlsx", members, zipfile.ZIP_STORED), "ods"


def xlsm_content_type(folder: Path) -> Written:
    types = dict(_members(workbook_bytes()))[CONTENT_TYPES].replace(WORKBOOK_MAIN.encode(), MACRO_MAIN.encode())
    return _variant(folder / "macro-inhoudstype.xlsx", replace={CONTENT_TYPES: types}), "xlsm"


def xlsm_vba_project(folder: Path) -> Written:
    return _variant(folder / "macro-vba.xlsx", add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(60))]), "xlsm"


def xlsb_like(folder: Path) -> Written:
    members = [
        (
            CONTENT_TYPES,
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Override PartName="/xl/workbook.bin"'
            b' ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>',
        ),
        ("_rels/.rels", b"<Relationships/>"),
        ("xl/workbook.bin", b"\x83\x01\x00\x84\x01\x00"),
    ]
    return _write_zip(folder / "binair.xlsx", members), "xlsb"


def docx_renamed(folder: Path) -> Written:
    members = [(CONTENT_TYPES, b"<Types/>"), ("word/document.xml", b"<w:document/>")]
    return _write_zip(folder / "document.xlsx", members), "other-file"


def zipped_workbook(folder: Path) -> Written:
    return _write_zip(folder / "ingepakt.xlsx", [("werkboek.xlsx", workbook_bytes())]), "not-spreadsheet"


def empty_zip(folder: Path) -> Written:
    path = folder / "lege-zip.xlsx"
    path.write_bytes(b"PK\x05\x06" + bytes(18))
    return path, "not-spreadsheet"


def truncated_workbook(folder: Path) -> Written:
    data = workbook_bytes()
    path = folder / "afgebroken.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path, "corrupt-zip"


def bad_crc(folder: Path) -> Written:
    entries = [_deflated(n, d) for n, d in _members(workbook_bytes())]
    entries[0]["crc"] ^= 0xFFFF
    return _raw_zip(folder / "crc-fout.xlsx", entries), "corrupt-zip"


def path_traversal(folder: Path) -> Written:
    return _variant(folder / "pad.xlsx", add=[("../../buiten.txt", b"x")]), "corrupt-zip"


def absolute_path(folder: Path) -> Written:
    return _variant(folder / "absoluut-pad.xlsx", add=[("/etc/cron.d/x", b"x")]), "corrupt-zip"


def encrypted_zip_entry(folder: Path) -> Written:
    """A zip whose entries carry the 'encrypted' flag (a zip password, not Excel's own protection)."""
    entries = [_deflated(n, d, flags=0x1) for n, d in _members(workbook_bytes())]
    return _raw_zip(folder / "zip-wachtwoord.xlsx", entries), "encrypted"


def unusual_compression(folder: Path) -> Written:
    return _write_zip(folder / "bzip2.xlsx", _members(workbook_bytes()), zipfile.ZIP_BZIP2), "corrupt-zip"


def billion_laughs(folder: Path) -> Written:
    """Entity expansion in [Content_Types].xml: ten levels of ten, 10^9 'lol's if expanded."""
    types = dict(_members(workbook_bytes()))[CONTENT_TYPES].decode("utf-8")
    body = types.split("?>", 1)[1] if types.startswith("<?xml") else types
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    payload = '<?xml version="1.0"?>\n<!DOCTYPE Types [\n' + "\n".join(entities) + "\n]>\n"
    payload += body.replace("<Types ", "<Types data=\"&lol9;\" ", 1)
    return _variant(folder / "miljard-lachjes.xlsx", replace={CONTENT_TYPES: payload.encode()}), "corrupt-zip"


def external_entity_in_sheet(folder: Path) -> Written:
    sheet = dict(_members(workbook_bytes()))["xl/worksheets/sheet1.xml"].decode("utf-8")
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    payload = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body
    return _variant(folder / "xxe.xlsx", replace={"xl/worksheets/sheet1.xml": payload.encode()}), "corrupt-zip"


def empty_file(folder: Path) -> Written:
    path = folder / "leeg.xlsx"
    path.write_bytes(b"")
    return path, "empty"


def too_large(folder: Path) -> Written:
    """21 MB, sparse on disk: a zip header followed by nothing."""
    path = folder / "te-groot.xlsx"
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(21 * MiB)
    return path, "too-large"


def excel_lock_file(folder: Path) -> Written:
    path = folder / "~$werkboek.xlsx"
    user = "J. de Vries"  # Excel's owner file: the user name in ANSI, padded, then in UTF-16
    ansi = bytes([len(user)]) + user.encode("cp1252").ljust(53, b" ")
    path.write_bytes(ansi + bytes(2) + user.encode("utf-16-le").ljust(110, b"\x00"))
    return path, "lock-file"


def libreoffice_lock_file(folder: Path) -> Written:
    path = folder / ".~lock.werkboek.xlsx#"
    path.write_text("J. de Vries,school-pc,jdevries,23.11.2023 13:56,file:///C:/Users/jdevries;", encoding="utf-8")
    return path, "lock-file"


def random_bytes(folder: Path) -> Written:
    path = folder / "ruis.xlsx"
    path.write_bytes(b"\x00\x01" + random.Random(20231123).randbytes(4094))
    return path, "not-spreadsheet"


def plain_text(folder: Path) -> Written:
    path = folder / "notitie.xlsx"
    path.write_text("Het werkboek volgt morgen\n", encoding="utf-8")
    return path, "not-spreadsheet"


WRITERS: dict[str, Callable[[Path], Written]] = {
    f.__name__: f
    for f in (
        valid_workbook, zip_bomb, zip_bomb_declared, zip_lying_sizes, many_entries, encrypted_ole,
        encrypted_marker_only, legacy_xls, bare_ole, word_97, spreadsheet_xml_2003, csv_renamed, csv_latin1,
        unicode_text, html_renamed, html_table_only, pdf_renamed, ods_renamed, xlsm_content_type,
        xlsm_vba_project, xlsb_like, docx_renamed, zipped_workbook, empty_zip, truncated_workbook, bad_crc,
        path_traversal, absolute_path, encrypted_zip_entry, unusual_compression, billion_laughs,
        external_entity_in_sheet, empty_file, too_large, excel_lock_file, libreoffice_lock_file,
        random_bytes, plain_text,
    )
}


def write_all(folder: Path) -> list[Written]:
    """Write every case into `folder` (which must exist); (path, expected kind) for each."""
    folder = Path(folder)
    return [write(folder) for write in WRITERS.values()]

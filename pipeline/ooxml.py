"""The Office Open XML package (ECMA-376 Part 2, Open Packaging Conventions): part relationships and
the one zip writer, shared by the reader, the marked copies and the development tools."""
from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterable

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def rels_part(part: str) -> str:
    """The relationships part of `part`: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source_part: str, target: str) -> str:
    """The part name (no leading slash) a relationship of `source_part` points to."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    """The target of a relationship from `source_part` to `target_part`."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


class ZipTooLarge(ValueError):
    """The package would need zip64, which Excel-compatible workbooks of our size never do."""


@dataclass
class ZipMember:
    """One entry, already compressed: `raw` is its stored or raw-deflate stream."""

    name: str
    raw: bytes
    crc: int
    size: int  # uncompressed
    method: int = zipfile.ZIP_DEFLATED
    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)
    utf8: bool = False  # name flagged as UTF-8 (else code page 437, as zipfile reads it)
    external_attr: int = 0
    create_system: int = 0


def deflated(name: str, data: bytes, date_time: tuple[int, ...], level: int = 6) -> ZipMember:
    """A member holding `data`, deflated."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return ZipMember(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED,
                     tuple(date_time[:6]), utf8=not name.isascii())


def copied(source: bytes, info: zipfile.ZipInfo) -> ZipMember:
    """A member of the zip `source` as it is, compressed bytes untouched (its local header is checked)."""
    start = info.header_offset
    header = source[start:start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_len + extra_len
    raw = source[begin:begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename}: truncated")
    return ZipMember(info.filename, raw, info.CRC, info.file_size, info.compress_type, info.date_time,
                     bool(info.flag_bits & 0x800), info.external_attr, info.create_system)


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time[:6]
    return (h << 11) | (mi << 5) | (s // 2), ((min(max(y, 1980), 2107) - 1980) << 9) | (mo << 5) | d


def write_zip(members: Iterable[ZipMember]) -> bytes:
    """The zip of `members` in their order: sizes in the local headers (no data descriptors), no zip64."""
    out = io.BytesIO()
    central = []
    for m in members:
        flags = 0x800 if m.utf8 else 0
        name = m.name.encode("utf-8" if m.utf8 else "cp437")
        tm, dt = _dos_time(m.date_time)
        offset = out.tell()
        if offset >= 0xFFFFFFFF or len(m.raw) >= 0xFFFFFFFF or m.size >= 0xFFFFFFFF:
            raise ZipTooLarge("zip64 needed")
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, m.method, tm, dt, m.crc, len(m.raw), m.size, len(name), 0))
        out.write(name)
        out.write(m.raw)
        made_by = (m.create_system << 8) | 20
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, made_by, 20, flags, m.method, tm, dt, m.crc,
                                   len(m.raw), m.size, len(name), 0, 0, 0, 0, m.external_attr, offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    if len(central) > 0xFFFF or start >= 0xFFFFFFFF:
        raise ZipTooLarge("zip64 needed")
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()

"""Generated file names that Windows, macOS and Linux all accept, and school folders compared without case.

Windows' rules (Microsoft, "Naming Files, Paths, and Namespaces",
https://learn.microsoft.com/windows/win32/fileio/naming-a-file): no < > : " / \\ | ? * or control characters,
no reserved device name (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9, also with an extension), no trailing dot
or space, and a whole path of at most 260 characters unless long paths are enabled. Windows and macOS
compare names without case: 12AB and 12ab are one folder there.
"""
from __future__ import annotations

import os
import re
import unicodedata
from typing import Iterable

WINDOWS = os.name == "nt"
MAX_PATH = 259  # Windows' MAX_PATH (260) less the closing NUL, where long paths are not switched on
FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
                      "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"})
# One name at most: the rest of MAX_PATH (260) is left to the folders above it (a network share's
# \\server\share\bestuur\NPO 2025\outputs\terugkoppeling\12AB\ takes 60 or more).
MAX_NAME = 120
_UNPRINTABLE = ("Cc", "Cf", "Cs", "Co", "Cn")


def safe_name(text: str, *, fallback: str = "bestand", max_length: int = MAX_NAME) -> str:
    """`text` as one file name (a folder part is not kept): forbidden and control characters replaced or
    dropped, spaces collapsed, no leading or trailing dot or space, a reserved device name prefixed with _,
    and at most `max_length` characters with the suffix kept. `fallback` when nothing is left."""
    name = unicodedata.normalize("NFC", text or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _UNPRINTABLE)
    name = FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")  # leading dots: no hidden files; trailing: Windows drops them
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10 or " " in suffix:
        stem, suffix = name, ""
    if stem.split(".")[0].rstrip(" ").upper() in RESERVED:
        stem = "_" + stem
    room = max_length - (len(suffix) + 1 if suffix else 0)
    stem = stem[:room].rstrip(" .")
    if not stem:
        stem = fallback
    return f"{stem}.{suffix}" if suffix else stem


def unique_names(names: Iterable[str]) -> list[str]:
    """The names (or relative paths with /) in order, each later one that equals an earlier one without regard
    to case given " (2)", " (3)" … before its suffix: they stay apart on Windows and macOS."""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            folder, slash, base = name.rpartition("/")
            stem, dot, suffix = base.rpartition(".")
            if not stem:  # no suffix, or a name that starts with its only dot
                stem, dot, suffix = base, "", ""
            candidate = f"{folder}{slash}{stem} ({n}){dot}{suffix}"
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def school_folder(rel: str) -> str:
    """The school folder of an inputs-relative file (inputs/<folder>/…) as the school's key: upper case, so that
    12ab/ and 12AB/ are one school (as they are one folder on Windows and macOS); "" for a file at the top."""
    parts = rel.replace("\\", "/").split("/")
    return parts[0].upper() if len(parts) > 1 else ""


def longest_over(paths: Iterable[str], limit: int = MAX_PATH) -> str | None:
    """The longest of `paths` when it has more than `limit` characters (Windows cannot write it), else None."""
    longest = max(paths, key=len, default="")
    return longest if len(longest) > limit else None

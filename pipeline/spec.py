"""The workbook spec (data/werkboek.toml) as typed objects, with every cell's position."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from openpyxl.utils import get_column_letter

from pipeline import reference

FIRST_FIELD_ROW = 5  # rows 1-3: title, intro, blank; row 4: column headings
LABEL_COL, INPUT_COL, HELP_COL = 1, 2, 3
# On the instruction sheet: the label and the value that the defined name werkboek_versie points at.
VERSION_LABEL, VERSION_LABEL_CELL, VERSION_CELL = "Versie werkboek", "A3", "B3"
REQUIRED_MARK = " *"  # after the label of a required field


@dataclass(frozen=True)
class Condition:
    field: str
    equals: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    sheet: str
    row: int
    help: str = ""
    list: str | None = None
    required: bool = False
    required_when: Condition | None = None
    locked: bool = False  # filled by the board, not editable for the school
    missing_ok: bool = False  # older workbooks lack this name; its absence is no finding
    negative: bool = False  # an amount that may be below zero
    since: str | None = None  # template version that added it: older accepted workbooks may lack it

    @property
    def cell(self) -> str:
        return f"{get_column_letter(INPUT_COL)}{self.row}"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    help: str = ""
    list: str | None = None
    locked: bool = False
    width: int | None = None
    negative: bool = False  # an amount that may be below zero (a credit note)
    required: bool = False  # W3 when a row of the table has values but not this one
    sign_of: str | None = None  # an amount whose sign must be that of this column (a credit note's BTW)


@dataclass(frozen=True)
class Table:
    name: str
    sheet: str
    header_row: int
    rows: int
    columns: tuple[Column, ...]
    prefill: str | None = None
    rows_below: int = 30
    since: str | None = None  # template version that added it: older accepted workbooks may lack it

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + self.rows

    @property
    def ref(self) -> str:
        return f"A{self.header_row}:{get_column_letter(len(self.columns))}{self.last_row}"

    def column_letter(self, name: str) -> str:
        names = [c.name for c in self.columns]
        return get_column_letter(names.index(name) + 1)


def table_label(table: Table, capital: bool = False) -> str:
    """A table as the school sees it: 'de tabel Facturen op het tabblad Facturen' (not its name tblFacturen)."""
    shown = table.name[3:] if table.name.startswith("tbl") else table.name
    label = f"de tabel {shown} op het tabblad {table.sheet}"
    return label[0].upper() + label[1:] if capital else label


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    table: Table | None


@dataclass(frozen=True)
class Question:
    nr: int
    text: str


@dataclass(frozen=True)
class WorkbookSpec:
    version: str
    title: str
    accepted_versions: tuple[str, ...]
    lists: dict[str, list[str]]
    instruction_sheet: str
    instruction_lines: tuple[str, ...]
    sheets: tuple[Sheet, ...]
    questions: tuple[Question, ...]
    fields: dict[str, Field] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)

    def added_later(self, since: str | None, version: str | None) -> bool:
        """True when a field or table added in template version `since` is missing for good reason: the
        workbook is of an older accepted version."""
        if not since or version not in self.accepted_versions:
            return False
        return self.accepted_versions.index(version) < self.accepted_versions.index(since)

    def options(self, list_name: str) -> list[str]:
        """The choices of a list: a named list or a menukaart part."""
        if list_name.startswith("menukaart:"):
            part = list_name.split(":", 1)[1]
            codes = "ABCDE" if part == "A-E" else part
            return reference.menukaart().labels(codes)
        return self.lists[list_name]


def _parse(data: dict) -> WorkbookSpec:
    sheets: list[Sheet] = []
    for s in data["sheets"]:
        fields = tuple(
            Field(
                name=f["name"],
                label=f["label"],
                type=f["type"],
                sheet=s["name"],
                row=FIRST_FIELD_ROW + i,
                help=f.get("help", ""),
                list=f.get("list"),
                required=f.get("required", False),
                required_when=Condition(**f["required_when"]) if "required_when" in f else None,
                locked=f.get("locked", False),
                missing_ok=f.get("missing_ok", False),
                negative=f.get("negative", False),
                since=f.get("since"),
            )
            for i, f in enumerate(s.get("fields", []))
        )
        table = None
        if "table" in s:
            t = s["table"]
            header = FIRST_FIELD_ROW + len(fields) + 2 if fields else FIRST_FIELD_ROW - 1
            table = Table(
                name=t["name"],
                sheet=s["name"],
                header_row=header,
                rows=t["rows"],
                columns=tuple(Column(**c) for c in t["columns"]),
                prefill=t.get("prefill"),
                rows_below=t.get("rows_below", 30),
                since=t.get("since"),
            )
        sheets.append(Sheet(s["name"], s["title"], s.get("intro", ""), fields, table))
    spec = WorkbookSpec(
        version=data["version"],
        title=data["title"],
        accepted_versions=tuple(data.get("accepted_versions", [data["version"]])),
        lists=data["lists"],
        instruction_sheet=data["instruction"]["sheet"],
        instruction_lines=tuple(data["instruction"]["lines"]),
        sheets=tuple(sheets),
        questions=tuple(Question(**q) for q in data["questions"]),
    )
    for sh in spec.sheets:
        for f in sh.fields:
            if f.name in spec.fields:
                raise ValueError(f"field {f.name} declared twice")
            spec.fields[f.name] = f
        if sh.table:
            spec.tables[sh.table.name] = sh.table
    return spec


@lru_cache(maxsize=1)
def load() -> WorkbookSpec:
    """The spec shipped with the package."""
    text = resources.files("pipeline").joinpath("data/werkboek.toml").read_bytes()
    return _parse(tomllib.loads(text.decode("utf-8")))

"""Our templates as .ods packages, written in code as LibreOffice writes them.

For reader tests that need no LibreOffice: the structure is LibreOffice's (named ranges
for the fields, named expressions for the identity, database ranges for the tables,
custom properties in meta.xml, every row ended by an empty run over the 16 384 columns
and every sheet by a million empty rows). The layout is simpler than the template's
(labels in column A, values in column B from row 5; table headers on row 4), which the
reader does not care about, since it goes by names.

- ``make_ods(path, kind, settings, fields=, tables=, **options) -> Path``: values are
  written with their type (text, number, date, datetime, bool); ``Raw(xml)`` is a cell
  element written as it is (a formula, an error, a merged or percent cell).
- ``content_of(path)`` / ``rewrite(path, target, changes)``: read or change the parts.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from innova_reports.fields import template_spec
from innova_reports.settings import Settings
from innova_reports.versions import KIND_NAME, TEMPLATE_VERSION, VERSION_NAME

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
FIRST_ROW = 5  # first value row of the main sheet and of every table
HEADER_ROW = 4


@dataclass(frozen=True)
class Raw:
    """A cell element written as given, e.g. a formula in error."""

    xml: str


def cell(value: Any) -> str:
    """The cell element LibreOffice writes for a value."""
    if isinstance(value, Raw):
        return value.xml
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}" '
                f'calcext:value-type="boolean"><text:p>{flag.upper()}</text:p></table:table-cell>')  # fmt: skip
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}" '
                f'calcext:value-type="float"><text:p>{value}</text:p></table:table-cell>')  # fmt: skip
    if isinstance(value, dt.date):
        iso = value.isoformat() if isinstance(value, dt.datetime) else value.isoformat()
        return (f'<table:table-cell office:value-type="date" office:date-value="{iso}" '
                f'calcext:value-type="date"><text:p>{iso}</text:p></table:table-cell>')  # fmt: skip
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return (f'<table:table-cell office:value-type="string" calcext:value-type="string">'
            f"{lines}</table:table-cell>")  # fmt: skip


def row(cells: list[str], repeated: int = 1) -> str:
    used = len(cells)
    rest = f'<table:table-cell table:number-columns-repeated="{16384 - used}"/>'
    attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}{rest}</table:table-row>"


def sheet(name: str, rows: list[str], used_rows: int) -> str:
    end = row([], 1048576 - used_rows)
    return f"<table:table table:name={quoteattr(name)}>{''.join(rows)}{end}</table:table>"


def sheet_ref(name: str, cell: str) -> str:
    letters = cell.rstrip("0123456789")
    return f"$'{name.replace(chr(39), chr(39) * 2)}'.${letters}${cell[len(letters) :]}"


def make_ods(
    path: Path,
    kind: str,
    settings: Settings,
    *,
    fields: dict[str, Any] | None = None,
    tables: dict[str, list[dict[str, Any]]] | None = None,
    version: str = TEMPLATE_VERSION,
    identity_in_names: bool = True,
    identity_in_meta: bool = True,
    extra_sheets: str = "",
) -> Path:
    """Write the template of ``kind`` as an .ods, filled with ``fields`` and ``tables``."""
    spec = template_spec(kind, settings)
    fields, tables = dict(fields or {}), dict(tables or {})
    names = []
    main_rows = [row([cell("INNOVA BRIVE")])] + [row([]) for _ in range(FIRST_ROW - 2)]
    for offset, field in enumerate(spec.fields):
        main_rows.append(row([cell(field.label), cell(fields.get(field.id))]))
        where = sheet_ref(spec.main_sheet, f"B{FIRST_ROW + offset}")
        names.append(f'<table:named-range table:name="{field.id}" '
                     f'table:base-cell-address="{where}" table:cell-range-address="{where}"/>')  # fmt: skip
    sheets = [sheet(spec.main_sheet, main_rows, len(main_rows))]
    ranges = []
    for table in spec.tables:
        records = tables.get(table.name, [])
        body = [row([]) for _ in range(HEADER_ROW - 1)]
        body.append(row([cell(column.label) for column in table.columns]))
        for record in records:
            body.append(row([cell(record.get(column.id)) for column in table.columns]))
        last = HEADER_ROW + max(len(records), 1)
        end = _letters(len(table.columns))
        ranges.append(f'<table:database-range table:name="{table.name}" '
                      f'table:target-range-address="{_quoted(table.sheet)}.A{HEADER_ROW}:'
                      f'{_quoted(table.sheet)}.{end}{last}"/>')  # fmt: skip
        sheets.append(sheet(table.sheet, body, len(body)))
    if identity_in_names:
        for name, value in ((KIND_NAME, kind), (VERSION_NAME, version)):
            names.append(f'<table:named-expression table:name="{name}" '
                         f'table:base-cell-address="$A$1" table:expression="&quot;{value}&quot;"/>')  # fmt: skip
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES} '
        f'office:version="1.3"><office:automatic-styles/><office:body><office:spreadsheet>'
        f"{''.join(sheets)}{extra_sheets}<table:named-expressions>{''.join(names)}"
        f"</table:named-expressions><table:database-ranges>{''.join(ranges)}"
        f"</table:database-ranges></office:spreadsheet></office:body></office:document-content>"
    )
    properties = {KIND_NAME: kind, VERSION_NAME: version} if identity_in_meta else {}
    return write_package(path, content.encode(), meta(properties))


def meta(properties: dict[str, str]) -> bytes:
    items = "".join(f'<meta:user-defined meta:name="{k}">{escape(v)}</meta:user-defined>'
                    for k, v in properties.items())  # fmt: skip
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NAMESPACES} '
            f'office:version="1.3"><office:meta><meta:generator>tests</meta:generator>'
            f"{items}</office:meta></office:document-meta>").encode()  # fmt: skip


MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
    b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type='
    b'"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    b'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {NAMESPACES} '
    f'office:version="1.3"><office:styles/></office:document-styles>'
).encode()


def write_package(path: Path, content: bytes, meta_xml: bytes | None) -> Path:
    members = {"mimetype": MIMETYPE, "content.xml": content, "styles.xml": STYLES,
               "META-INF/manifest.xml": MANIFEST}  # fmt: skip
    if meta_xml is not None:
        members["meta.xml"] = meta_xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return Path(path)


def content_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("content.xml")


Change = bytes | Callable[[bytes], bytes] | None


def rewrite(source: Path, target: Path, changes: dict[str, Change]) -> Path:
    """A copy of the package with members replaced (bytes), edited (a function of the
    old bytes), removed (None) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            change = changes.get(member.filename, old.read(member))
            if member.filename in changes and change is None:
                continue
            data = change(old.read(member)) if callable(change) else change
            new.writestr(member, data)
        for name, change in changes.items():
            if name not in old.NameToInfo and isinstance(change, bytes):
                new.writestr(name, change)
    return Path(target)


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'" if not name.isalnum() else name

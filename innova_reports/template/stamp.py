"""A group's values written into a blank template's sheet XML: filling one template fast.

openpyxl takes about 30 ms to build and save one action sheet, so 1,000 pre-filled
sheets would take half a minute. The writer builds each blank template once with
openpyxl; ``Skeleton`` keeps its package, cut row by row, and ``Skeleton.fill`` puts the
values into the cells a group would type in, grows a table that gets more rows than it
expects (its range, its validations), sizes the rows to their text, and zips: a few
milliseconds. Nothing here decides where a field is: ``Places`` says it, as the writer
laid it out.

The XML cut here is openpyxl's (one ``<row>`` per line, one ``<c>`` per cell, empty
cells self-closed); ``tests/test_stamp.py`` checks the filled package against openpyxl
reading it back. Text is always written as text (an inline string): a value that
starts with « = » stays what the group typed, never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from innova_reports.template.heights import DEFAULT_HEIGHT, text_height

_ROW = re.compile(r'<row r="(\d+)"([^>]*)>(.*?)</row>', re.DOTALL)
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?: ?/>|>(.*?)</c>)', re.DOTALL)
_STYLE = re.compile(r'\bs="(\d+)"')
_HEIGHT = re.compile(r'\bht="([0-9.]+)"')
_SQREF = re.compile(r'sqref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_DIMENSION = re.compile(r'<dimension ref="([A-Z]+\d+):([A-Z]+)(\d+)" ?/>')
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)


class Formula(str):
    """A formula to write as such (test workbooks only): ``Formula("=1+1")``."""


@dataclass(frozen=True)
class InputCell:
    """Where a single field is typed, and how its text wraps."""

    sheet: str
    row: int
    letter: str
    width: float
    wraps: bool


@dataclass(frozen=True)
class TablePlace:
    """Where a table is: its sheet, header row, size in the blank template, columns."""

    sheet: str
    header: int
    rows: int  # body rows of the blank template
    letters: dict[str, str]  # field id -> column letter, in table order
    widths: dict[str, float]
    wraps: frozenset[str]  # field ids whose text wraps
    below: int  # rows below the table that carry its validations


@dataclass
class Places:
    """What the writer laid out: the cell of every field, the place of every table."""

    fields: dict[str, InputCell] = field(default_factory=dict)
    tables: dict[str, TablePlace] = field(default_factory=dict)


@dataclass(frozen=True)
class _Sheet:
    """One sheet part cut into what stays and the rows that change."""

    head: str  # up to and including <sheetData>
    rows: dict[int, tuple[str, list[tuple[str, str]]]]  # row -> (attributes, [(letter, xml)])
    tail: str  # from </sheetData>


class Skeleton:
    """A blank template's package, ready to be filled many times."""

    def __init__(self, package: bytes, places: Places, moment: dt.datetime) -> None:
        self.places = places
        self.stamp = moment.timetuple()[:6]
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            self.members = [(info.filename, archive.read(info)) for info in archive.infolist()]
        self.parts = _sheet_parts(dict(self.members))
        wanted = {cell.sheet for cell in places.fields.values()}
        wanted |= {table.sheet for table in places.tables.values()}
        self.sheets = {
            self.parts[sheet]: _cut(dict(self.members)[self.parts[sheet]].decode("utf-8"))
            for sheet in wanted
        }
        self.table_parts = _table_parts(dict(self.members), places)

    def fill(self, fields: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> bytes:
        """The package with these values in place (ids already checked by the writer)."""
        cells: dict[str, dict[int, dict[str, Any]]] = {part: {} for part in self.sheets}
        widths: dict[str, dict[int, list[tuple[str, float]]]] = {part: {} for part in self.sheets}
        for field_id, value in fields.items():
            if value is None:
                continue
            place = self.places.fields[field_id]
            part = self.parts[place.sheet]
            cells[part].setdefault(place.row, {})[place.letter] = value
            if place.wraps and isinstance(value, str):
                widths[part].setdefault(place.row, []).append((value, place.width))
        replaced: dict[str, bytes] = {}
        grown: dict[str, TablePlace] = {}
        for name, place in self.places.tables.items():
            rows = tables.get(name) or []
            part = self.parts[place.sheet]
            for offset, row in enumerate(rows, start=1):
                line = cells[part].setdefault(place.header + offset, {})
                for field_id, value in row.items():
                    if value is None:
                        continue
                    line[place.letters[field_id]] = value
                    if field_id in place.wraps and isinstance(value, str):
                        widths[part].setdefault(place.header + offset, []).append(
                            (value, place.widths[field_id])
                        )
            if len(rows) > place.rows:
                grown[part] = place
                old, new = _table_range(place, place.rows), _table_range(place, len(rows))
                table_part = self.table_parts[name]
                xml = dict(self.members)[table_part].decode("utf-8")
                replaced[table_part] = xml.replace(f'ref="{old}"', f'ref="{new}"').encode()
        for part, sheet in self.sheets.items():
            place = grown.get(part)
            extra = None
            if place is not None:
                extra = (place, len(tables[_name_of(self.places, place)]))
            replaced[part] = _render(sheet, cells[part], widths[part], extra).encode("utf-8")
        return self._zip(replaced)

    def _zip(self, replaced: dict[str, bytes]) -> bytes:
        return zip_members(((n, replaced.get(n, d)) for n, d in self.members), self.stamp)


def zip_members(members: Iterable[tuple[str, bytes]], stamp: tuple) -> bytes:
    """A zip of these members, every entry dated ``stamp``: same content, same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return out.getvalue()


def with_fixed_times(data: bytes, moment: dt.datetime) -> bytes:
    """The same package, its entries dated ``moment`` (openpyxl dates them « now »)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return zip_members(members, moment.timetuple()[:6])


def _name_of(places: Places, place: TablePlace) -> str:
    return next(name for name, other in places.tables.items() if other is place)


def _table_range(place: TablePlace, rows: int) -> str:
    letters = list(place.letters.values())
    return f"{letters[0]}{place.header}:{letters[-1]}{place.header + max(rows, 1)}"


# -- cutting the blank package ----------------------------------------------------------


def _sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> zip member, from the workbook and its relationships."""
    workbook = members["xl/workbook.xml"].decode("utf-8")
    rels = members["xl/_rels/workbook.xml.rels"].decode("utf-8")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel.group(0)))
        targets[attrs.get("Id")] = attrs.get("Target", "").lstrip("/")
    parts = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", workbook):
        name = re.search(r'\bname="([^"]*)"', sheet.group(0))
        rid = re.search(r'\br:id="([^"]*)"', sheet.group(0))
        if name and rid:
            parts[_unescape(name.group(1))] = targets[rid.group(1)]
    return parts


def _table_parts(members: dict[str, bytes], places: Places) -> dict[str, str]:
    found = {}
    for name, data in members.items():
        if name.startswith("xl/tables/"):
            match = re.search(rb'displayName="([^"]+)"', data)
            if match:
                found[match.group(1).decode()] = name
    return {name: found[name] for name in places.tables}


def _cut(xml: str) -> _Sheet:
    start = xml.index("<sheetData>") + len("<sheetData>")
    end = xml.index("</sheetData>")
    rows = {}
    for match in _ROW.finditer(xml, start, end):
        cells = [(c.group(1), c.group(0)) for c in _CELL.finditer(match.group(3))]
        rows[int(match.group(1))] = (match.group(2), cells)
    return _Sheet(xml[:start], rows, xml[end:])


# -- rendering one sheet ----------------------------------------------------------------


def _render(
    sheet: _Sheet,
    values: dict[int, dict[str, Any]],
    texts: dict[int, list[tuple[str, float]]],
    extra: tuple[TablePlace, int] | None,
) -> str:
    rows = dict(sheet.rows)
    tail, head = sheet.tail, sheet.head
    if extra is not None:
        place, count = extra
        template_row = place.header + place.rows
        attributes, cells = rows[template_row]
        for number in range(template_row + 1, place.header + count + 1):
            rows[number] = (attributes, [(letter, _renumber(xml, letter, number))
                                         for letter, xml in cells])  # fmt: skip
        below = place.below
        tail = _grow_validations(tail, template_row + below, place.header + count + below)
        head = _DIMENSION.sub(
            lambda m: f'<dimension ref="{m.group(1)}:{m.group(2)}{place.header + count}" />', head
        )
    parts = [head]
    for number in sorted(rows):
        attributes, cells = rows[number]
        line = values.get(number)
        if line is None:
            parts.append(f'<row r="{number}"{attributes}>')
            parts.extend(xml for _, xml in cells)
        else:
            need = [text_height(text, width) for text, width in texts.get(number, ())]
            parts.append(f'<row r="{number}"{_with_height(attributes, need)}>')
            for letter, xml in cells:
                value = line.get(letter)
                parts.append(xml if value is None else _cell(letter, number, xml, value))
        parts.append("</row>")
    parts.append(tail)
    return "".join(parts)


def _renumber(xml: str, letter: str, number: int) -> str:
    return re.sub(r'^<c r="[A-Z]+\d+"', f'<c r="{letter}{number}"', xml)


def _grow_validations(tail: str, old_end: int, new_end: int) -> str:
    """The table's validations, which reached ``old_end``, reach ``new_end``."""

    def move(match: re.Match[str]) -> str:
        if int(match.group(4)) != old_end:
            return match.group(0)
        return f'sqref="{match.group(1)}{match.group(2)}:{match.group(3)}{new_end}"'

    return _SQREF.sub(move, tail)


def _with_height(attributes: str, needs: list[float]) -> str:
    current = _HEIGHT.search(attributes)
    height = float(current.group(1)) if current else DEFAULT_HEIGHT
    tallest = max([height, *needs])
    if tallest <= height:
        return attributes
    bare = re.sub(r'\s*\b(ht|customHeight)="[^"]*"', "", attributes)
    return f'{bare} ht="{_points(tallest)}" customHeight="1"'


def _points(height: float) -> str:
    return f"{height:g}"


def _cell(letter: str, number: int, xml: str, value: Any) -> str:
    style = _STYLE.search(xml[: xml.index(">")])
    s = f' s="{style.group(1)}"' if style else ""
    ref = f"{letter}{number}"
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{escape(_legal(value[1:] if value.startswith("=") else value))}</f><v /></c>'
    if isinstance(value, str):
        text = escape(_legal(value))
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value - _EPOCH).total_seconds() / 86400  # every digit: 09:30 stays 09:30
        return f'<c r="{ref}"{s}><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}"{s}><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    return _cell(letter, number, xml, str(value))


def _legal(text: str) -> str:
    """Characters XML cannot carry, written as Excel writes them (« _x000B_ »)."""
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )  # fmt: skip

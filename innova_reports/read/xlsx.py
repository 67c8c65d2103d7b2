"""The structure of an .xlsx package: sheets, workbook-scoped names, tables, identity.

Parsed from a few small XML parts by ``safety.parse_xml`` (DOCTYPE refused), each
parsed once per distinct content: files made from one template share their parts.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree.ElementTree import Element

from innova_reports.fields import KINDS
from innova_reports.frenchfmt import fold as _fold_uncached
from innova_reports.read.safety import (
    Refusal,
    column_number,
    parse_xml,
    read_member,
)
from innova_reports.versions import KIND_NAME, TEMPLATE_VERSION, VERSION_NAME, is_known

_REF = re.compile(
    r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?[A-Z]{1,3}\$?[0-9]+)?$"
)


@dataclass(frozen=True)
class TableInfo:
    name: str
    sheet: str
    ref: str
    headers: tuple[str, ...]
    header_rows: int
    totals_rows: int


@dataclass
class Structure:
    """Sheets, workbook-scoped defined names and tables of one workbook."""

    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip member
    vetted: set[str] = field(default_factory=set)  # parts already read through read_member
    names: dict[str, str] = field(default_factory=dict)
    tables: dict[str, TableInfo] = field(default_factory=dict)  # folded name -> info
    # custom document properties, when the format's reader has them already (.ods meta.xml)
    properties: dict[str, str] | None = None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# The structure parts of files made from one template are usually byte-identical, but
# nothing guarantees it (a user may add a sheet or a name): what is parsed from a part is
# cached on the part's exact bytes only. Bounded against a folder of odd files.
# Table names and headers repeat in every returned workbook; bounded against odd files.
fold = lru_cache(maxsize=4096)(_fold_uncached)

_PARTS_CACHE = 512


@lru_cache(maxsize=_PARTS_CACHE)
def _rels_entries(xml: bytes, part: str, folder: str) -> tuple[tuple[str, str], ...]:
    """(relationship id, target member) pairs of a .rels part, external links left out."""
    entries = []
    for rel in parse_xml(xml, part):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            resolved = target[1:]
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        entries.append((rel.get("Id", ""), resolved))
    return tuple(entries)


@lru_cache(maxsize=_PARTS_CACHE)
def _workbook_entries(
    xml: bytes,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(sheet name, relationship id) and (defined name, formula) pairs of workbook.xml;
    only workbook-scoped names (a sheet-scoped one is a user's, not the template's)."""
    sheets, names = [], []
    for element in parse_xml(xml, "xl/workbook.xml").iter():
        tag = _local(element.tag)
        if tag == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            sheets.append((element.get("name", ""), rel_id))
        elif tag == "definedName" and element.get("localSheetId") is None:
            names.append((element.get("name", ""), (element.text or "").strip()))
    return tuple(sheets), tuple(names)


@lru_cache(maxsize=_PARTS_CACHE)
def _table_entry(xml: bytes, part: str, sheet: str) -> TableInfo:
    return _table_info(parse_xml(xml, part), sheet)


def _rel_targets(archive: zipfile.ZipFile, part: str, vetted: set[str]) -> dict[str, str]:
    """Relationship id -> target member, for ``part`` (e.g. xl/workbook.xml)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in archive.NameToInfo:
        return {}
    vetted.add(rels)
    return dict(_rels_entries(read_member(archive, rels), rels, folder))


def read_structure(archive: zipfile.ZipFile) -> Structure:
    structure = Structure()
    sheets, names = _workbook_entries(read_member(archive, "xl/workbook.xml"))
    structure.vetted.add("xl/workbook.xml")
    targets = _rel_targets(archive, "xl/workbook.xml", structure.vetted)
    for sheet, rel_id in sheets:
        if rel_id in targets:
            structure.sheet_parts[sheet] = targets[rel_id]
    structure.names.update(names)
    for sheet, part in structure.sheet_parts.items():
        for target in _rel_targets(archive, part, structure.vetted).values():
            if "/tables/" in target and target in archive.NameToInfo:
                structure.vetted.add(target)
                info = _table_entry(read_member(archive, target), target, sheet)
                structure.tables[fold(info.name)] = info
    return structure


def _table_info(root: Element, sheet: str) -> TableInfo:
    headers = tuple(
        column.get("name", "") for column in root.iter() if _local(column.tag) == "tableColumn"
    )
    return TableInfo(
        name=root.get("displayName") or root.get("name", ""),
        sheet=sheet,
        ref=root.get("ref", ""),
        headers=headers,
        header_rows=int(root.get("headerRowCount", "1")),
        totals_rows=int(root.get("totalsRowCount", "0")),
    )


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    part = "docProps/custom.xml"
    if part not in archive.NameToInfo:
        return {}
    properties = {}
    for prop in parse_xml(read_member(archive, part), part):
        values = [child.text or "" for child in prop]
        properties[prop.get("name", "")] = values[0].strip() if values else ""
    return properties


def _identity(archive: zipfile.ZipFile, structure: Structure) -> tuple[str, str]:
    """The template kind and version, from constant names or custom properties."""
    found = {key: _constant(structure.names.get(key, "")) for key in (KIND_NAME, VERSION_NAME)}
    if not found[KIND_NAME] or not found[VERSION_NAME]:
        properties = structure.properties
        if properties is None:
            properties = _custom_properties(archive)
        for key in found:
            found[key] = found[key] or properties.get(key, "")
    kind, version = found[KIND_NAME], found[VERSION_NAME]
    if kind not in KINDS:
        raise Refusal("pas-un-modele")
    if not is_known(version):
        raise Refusal("version-inconnue", version=version or "inconnue", expected=TEMPLATE_VERSION)
    return kind, version


def _constant(formula: str) -> str:
    text = formula.strip().lstrip("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return ""


def parse_ref(formula: str) -> tuple[str, str] | None:
    """``'Fiche action'!$B$5`` -> ("Fiche action", "B5"); None for anything else."""
    match = _REF.match(formula.strip().lstrip("="))
    if match is None:
        return None
    quoted, plain, letters, digits = match.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else plain
    return sheet, f"{letters}{digits}"


_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


_HAS_VALUE = re.compile(rb"<v>[^<]")


_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")


def special_cells(xml: bytes) -> dict[str, tuple[str, str]]:
    """Cells calamine shows as empty although they are not: Excel errors and formulas
    saved without their result. Scanned only when the sheet has any (cheap test first).
    """
    end = xml.rfind(b"</sheetData>")  # data validations after it hold <formula1> tags
    if xml.find(b"<f", 0, end) < 0 and xml.find(b't="e"', 0, end) < 0:
        return {}
    found = {}
    for cell, attributes, inner in _CELL.findall(xml):
        if b't="e"' in attributes:
            match = _ERROR_VALUE.search(inner)
            found[cell.decode()] = ("error", match.group(1).decode() if match else "#ERREUR")
        elif (b"<f>" in inner or b"<f " in inner) and not _HAS_VALUE.search(inner):
            found[cell.decode()] = ("formula", "")
    return found


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def merged_ranges(xml: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """(first row, first column, last row, last column) of each merged range of a sheet."""
    if b"<mergeCell " not in xml:
        return ()
    return tuple(
        (int(r1), column_number(c1.decode()), int(r2), column_number(c2.decode()))
        for c1, r1, c2, r2 in _MERGE.findall(xml)
    )

"""Relationships and content types of an OOXML package, edited in place.

A part added to a workbook needs a relationship from the part that uses it and a
content type; a part removed loses both. Targets are written relative to the source
part, as Excel does.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from innova_reports.annotate.package import Package, relative, resolve
from innova_reports.annotate.xmltext import (
    attributes,
    element,
    ensure_open,
    prefix_of,
    start_tag,
)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET = REL + "/worksheet"
COMMENTS = REL + "/comments"
VML_DRAWING = REL + "/vmlDrawing"
CONTENT_TYPES = "[Content_Types].xml"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    part: str  # the target as a member name ("" for an external target)


def rels_part(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def relationships(package: Package, part: str) -> list[Rel]:
    name = rels_part(part)
    if name not in package:
        return []
    xml = package.text(name)
    found = []
    for match in start_tag(prefix_of(xml, "Relationships") + "Relationship").finditer(xml):
        values = attributes(match.group(0))
        external = values.get("TargetMode") == "External"
        target = "" if external else resolve(part, values.get("Target", ""))
        found.append(Rel(values.get("Id", ""), values.get("Type", ""), target))
    return found


def add_relationship(package: Package, part: str, kind: str, target_part: str) -> str:
    """Add a relationship from ``part`` to ``target_part``; return its new id."""
    name = rels_part(part)
    if name in package:
        xml = package.text(name)
    else:
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               f'<Relationships xmlns="{_REL_NS}"></Relationships>')  # fmt: skip
    p = prefix_of(xml, "Relationships")
    xml = ensure_open(xml, p + "Relationships")
    taken = {rel.id for rel in relationships(package, part)} if name in package else set()
    number = 1
    while f"rIdInnova{number}" in taken:
        number += 1
    new_id = f"rIdInnova{number}"
    snippet = (f'<{p}Relationship Id="{new_id}" Type="{kind}" '
               f'Target="{relative(part, target_part)}"/>')  # fmt: skip
    at = xml.rfind(f"</{p}Relationships")
    package.put(name, xml[:at] + snippet + xml[at:])
    return new_id


def remove_relationships(package: Package, part: str, ids: set[str]) -> None:
    name = rels_part(part)
    if not ids or name not in package:
        return
    xml = package.text(name)
    tag = element(prefix_of(xml, "Relationships") + "Relationship")
    kept = tag.sub(lambda m: "" if attributes(m.group(0)).get("Id") in ids else m.group(0), xml)
    package.put(name, kept)


def add_override(package: Package, part: str, content_type: str) -> None:
    xml = package.text(CONTENT_TYPES)
    p = prefix_of(xml, "Types")
    for match in start_tag(p + "Override").finditer(xml):
        if attributes(match.group(0)).get("PartName", "").lower() == "/" + part.lower():
            return
    at = xml.rfind(f"</{p}Types")
    snippet = f'<{p}Override PartName="/{part}" ContentType="{content_type}"/>'
    package.put(CONTENT_TYPES, xml[:at] + snippet + xml[at:])


def ensure_default(package: Package, extension: str, content_type: str) -> None:
    xml = package.text(CONTENT_TYPES)
    p = prefix_of(xml, "Types")
    for match in start_tag(p + "Default").finditer(xml):
        if attributes(match.group(0)).get("Extension", "").lower() == extension:
            return
    at = xml.find(">", xml.find(f"<{p}Types")) + 1
    snippet = f'<{p}Default Extension="{extension}" ContentType="{content_type}"/>'
    package.put(CONTENT_TYPES, xml[:at] + snippet + xml[at:])


def remove_override(package: Package, part: str) -> None:
    xml = package.text(CONTENT_TYPES)
    tag = element(prefix_of(xml, "Types") + "Override")

    def keep(match: re.Match[str]) -> str:
        name = attributes(match.group(0)).get("PartName", "")
        return "" if name.lower() == "/" + part.lower() else match.group(0)

    package.put(CONTENT_TYPES, tag.sub(keep, xml))


def remove_part(package: Package, part: str) -> None:
    """A part, its own relationships and its content type."""
    package.remove(part)
    package.remove(rels_part(part))
    remove_override(package, part)

"""The notes of one worksheet in a copy: Excel comments and their VML shapes.

Notes (legacy comments) are what both Excel and LibreOffice show on a cell. A note the
group wrote is kept, its formatting too, and ours is added after a blank line; last
month's block of ours is found by its first line (``plan.MARKER_SUFFIX``) and removed
first, and a note that held only ours goes with its shape.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from innova_reports.annotate import opc
from innova_reports.annotate.package import Package
from innova_reports.annotate.plan import AUTHOR, Mark, is_ours, our_ranges
from innova_reports.annotate.text import ooxml_string, xml_text
from innova_reports.annotate.xlsx_sheet import SheetXml
from innova_reports.annotate.xmltext import (
    CannotAnnotate,
    attributes,
    element,
    ensure_open,
    namespace_prefix,
    prefix_of,
    start_tag,
)
from innova_reports.read.safety import column_number

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_VML = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
        "x": "urn:schemas-microsoft-com:office:excel"}  # fmt: skip
_SEGMENT = re.compile(r"<(?P<p>[\w.-]+:)?(?P<kind>r|t)(?=[\s>/])")
_RUN_FONT = '<sz val="9"/><color indexed="81"/><rFont val="Tahoma"/><family val="2"/>'
_SHAPE_ID = re.compile(r"_x0000_s(\d+)")
# A VML shape, whatever prefix names its namespace (shapes never nest).
_ANY_SHAPE = re.compile(r"<(?P<p>(?:[\w.-]+:)?)shape(?=[\s>/])(?:(?!<(?P=p)shape[\s>/]).)*?</(?P=p)shape\s*>",
                        re.S)  # fmt: skip
_IDMAP = re.compile(r"""<(?:[\w.-]+:)?idmap\b[^>]*\bdata\s*=\s*["']([\d,\s]+)["']""")
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


@dataclass
class Segment:
    """A run of a note's text: its formatting (rPr, "" if none) and its characters."""

    props: str
    text: str
    bare: bool = False  # a <t> directly under <text>, not in a run


class Notes:
    """The comments and VML drawing of one sheet, edited; ``finish`` writes them back."""

    def __init__(self, package: Package, part: str, sheet: SheetXml, vml_block: int) -> None:
        self.package, self.part, self.sheet = package, part, sheet
        rels = opc.relationships(package, part)
        self.comments_part = next((r.part for r in rels if r.type == opc.COMMENTS
                                   and r.part in package), "")  # fmt: skip
        self.comments_rel = next((r.id for r in rels if r.type == opc.COMMENTS), "")
        vml_id = sheet.legacy_drawing_id()
        self.vml_rel = vml_id
        self.vml_part = next((r.part for r in rels if r.id == vml_id and r.part in package), "")
        self.vml_block = vml_block
        self.xml = package.text(self.comments_part) if self.comments_part else ""
        self.vml = package.text(self.vml_part, parse=False) if self.vml_part else ""
        self.drawing: Vml | None = None  # made on the first shape added
        self.p = prefix_of(self.xml, "comments") if self.xml else ""
        self.touched = False

    # -- last month's notes out ----------------------------------------------------------

    def clear(self) -> None:
        if not self.xml:
            return
        block = element(self.p + "commentList").search(self.xml)
        if block is None:
            return
        comment = element(self.p + "comment")

        def edit(match: re.Match[str]) -> str:
            segments = _segments(match["body"] or "")
            text = "".join(s.text for s in segments)
            if not is_ours(text):
                return match.group(0)
            self.touched = True
            kept = _without_our_block(segments, text)
            if not "".join(s.text for s in kept).strip():
                self._remove_shape(attributes(match.group(0)).get("ref", ""))
                return ""
            return self._with_text(match, kept)

        body = comment.sub(edit, self.xml[block.start() : block.end()])
        self.xml = self.xml[: block.start()] + body + self.xml[block.end() :]

    # -- this month's notes in -----------------------------------------------------------

    def add(self, marks: dict[str, Mark], author: str = AUTHOR) -> None:
        if not marks:
            return
        self.touched = True
        if not self.xml:
            self.xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<comments xmlns="{_MAIN}"><authors></authors><commentList></commentList>'
                        "</comments>")  # fmt: skip
        author_id = self._author(author)
        self.xml = ensure_open(self.xml, self.p + "commentList")
        existing = {attributes(m.group(0)).get("ref", ""): m
                    for m in element(self.p + "comment").finditer(self.xml)}  # fmt: skip
        added = []
        for cell in sorted(marks, key=_cell_key):
            note = marks[cell].note(author)
            match = existing.get(cell)
            if match is None:
                added.append(self._new_comment(cell, author_id, note))
                self._add_shape(cell, note)
            else:
                segments = _segments(match["body"] or "")
                separator = "\n\n" if "".join(s.text for s in segments).strip() else ""
                self.xml = self.xml.replace(match.group(0),
                                            self._with_text(match, [*segments, *_ours(separator, note)]),
                                            1)  # fmt: skip
        closing = self.xml.rfind(f"</{self.p}commentList>")
        self.xml = self.xml[:closing] + "".join(added) + self.xml[closing:]

    def _author(self, author: str) -> int:
        p = self.p
        if start_tag(p + "authors").search(self.xml) is None:
            opened = start_tag(p + "comments").search(self.xml)
            self.xml = (
                self.xml[: opened.end()] + f"<{p}authors></{p}authors>" + self.xml[opened.end() :]
            )
        self.xml = ensure_open(self.xml, p + "authors")
        names = [html.unescape(m["body"] or "") for m in element(p + "author").finditer(self.xml)]
        if author in names:
            return names.index(author)
        closing = self.xml.find(f"</{p}authors>")
        self.xml = (
            self.xml[:closing] + f"<{p}author>{xml_text(author)}</{p}author>" + self.xml[closing:]
        )
        return len(names)

    def _new_comment(self, cell: str, author_id: int, note: str) -> str:
        p = self.p
        runs = "".join(_run_xml(s, p) for s in _ours("", note))
        return f'<{p}comment ref="{cell}" authorId="{author_id}"><{p}text>{runs}</{p}text></{p}comment>'

    def _with_text(self, match: re.Match[str], segments: list[Segment]) -> str:
        """The comment with its <text> rebuilt from ``segments`` (other children kept)."""
        whole, p = match.group(0), self.p
        text = element(p + "text").search(whole)
        if text is None:
            raise CannotAnnotate("note sans texte")
        runs = "".join(_run_xml(s, p) for s in segments)
        inner = text["body"] or ""
        phonetic = "".join(m.group(0) for m in element(p + "rPh").finditer(inner))
        phonetic += "".join(m.group(0) for m in element(p + "phoneticPr").finditer(inner))
        return whole[: text.start()] + f"<{p}text>{runs}{phonetic}</{p}text>" + whole[text.end() :]

    # -- shapes --------------------------------------------------------------------------

    def _remove_shape(self, cell: str) -> None:
        if self.vml:
            self.vml = Vml(self.vml).without_note(cell)

    def _add_shape(self, cell: str, note: str) -> None:
        if self.drawing is None:
            self.drawing = Vml(self.vml or _new_vml(self.vml_block))
        self.drawing.add_note(cell, note, self.vml_block)
        self.vml = self.drawing.text

    # -- writing back --------------------------------------------------------------------

    def finish(self) -> None:
        if not self.touched:
            return
        package = self.package
        has_comments = bool(self.xml) and element(self.p + "comment").search(self.xml) is not None
        if has_comments and not self.comments_part:
            self.comments_part = package.free_name("xl/comments{}.xml")
            opc.add_relationship(package, self.part, opc.COMMENTS, self.comments_part)
            opc.add_override(package, self.comments_part, opc.COMMENTS_TYPE)
        if has_comments:
            package.put(self.comments_part, self.xml)
        elif self.comments_part:
            opc.remove_part(package, self.comments_part)
            opc.remove_relationships(package, self.part, {self.comments_rel})
        has_shapes = bool(self.vml) and Vml(self.vml).has_shapes()
        if has_shapes and not self.vml_part:
            self.vml_part = package.free_name("xl/drawings/vmlDrawing{}.vml")
            rel_id = opc.add_relationship(package, self.part, opc.VML_DRAWING, self.vml_part)
            opc.ensure_default(package, "vml", opc.VML_TYPE)
            self.sheet.add_legacy_drawing(rel_id)
        if has_shapes:
            package.put(self.vml_part, self.vml)
        elif self.vml_part:
            package.remove(self.vml_part)
            opc.remove_override(package, self.vml_part)
            opc.remove_relationships(package, self.part, {self.vml_rel})
            self.sheet.remove_legacy_drawing()


# -- text runs ---------------------------------------------------------------------------


def _segments(body: str) -> list[Segment]:
    """The runs of a comment's <text>, decoded (``_xHHHH_`` escapes left as they are)."""
    text = re.search(r"<(?:[\w.-]+:)?text\b[^>]*>(.*)</(?:[\w.-]+:)?text\s*>", body, re.S)
    if text is None:
        return []
    inner, segments, position = text.group(1), [], 0
    while (found := _SEGMENT.search(inner, position)) is not None:
        p, kind = found["p"] or "", found["kind"]
        match = element(p + kind).match(inner, found.start())
        if match is None:
            position = found.end()
            continue
        position = match.end()
        if kind == "t":
            segments.append(Segment("", html.unescape(match["body"] or ""), bare=True))
            continue
        run = match["body"] or ""
        props = element(p + "rPr").search(run)
        t = element(p + "t").search(run)
        segments.append(Segment(props.group(0) if props else "",
                                html.unescape(t["body"] or "") if t else ""))  # fmt: skip
    return segments


def _run_xml(segment: Segment, p: str) -> str:
    t = f'<{p}t xml:space="preserve">{xml_text(segment.text)}</{p}t>'
    return t if segment.bare and not segment.props else f"<{p}r>{segment.props}{t}</{p}r>"


def _ours(separator: str, note: str) -> list[Segment]:
    """Our block as runs: the first line in bold, then the messages."""
    head, _, rest = note.partition("\n")
    bold = f"<rPr><b/>{_RUN_FONT}</rPr>"
    plain_font = f"<rPr>{_RUN_FONT}</rPr>"
    segments = [Segment(bold, separator + ooxml_string(head))]
    if rest:
        segments.append(Segment(plain_font, "\n" + ooxml_string(rest)))
    return segments


def _without_our_block(segments: list[Segment], text: str) -> list[Segment]:
    """The segments with the characters of our blocks (and their separators) removed."""
    drop = [False] * len(text)
    for start, end in our_ranges(text):
        drop[start:end] = [True] * (end - start)
    result, position = [], 0
    for segment in segments:
        part = "".join(ch for k, ch in enumerate(segment.text) if not drop[position + k])
        position += len(segment.text)
        if part:
            result.append(Segment(segment.props, part, segment.bare))
    return result


def _cell_key(cell: str) -> tuple[int, int]:
    found = _CELL.match(cell)
    return (int(found[2]), column_number(found[1])) if found else (0, 0)


# -- VML ---------------------------------------------------------------------------------


class Vml:
    """A VML drawing as text, whatever prefixes it binds (openpyxl writes ns0, ns1…)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.last_id: int | None = None  # the highest shape id, once first needed
        self.prefix = {}
        for short, uri in _VML.items():
            bound = namespace_prefix(text, uri)
            if bound is None:  # declare it on the root, under a free prefix
                bound = self._declare(short, uri)
            self.prefix[short] = bound

    def _declare(self, short: str, uri: str) -> str:
        name = short
        while re.search(rf"xmlns:{name}\s*=", self.text):
            name = "innova" + name
        root = re.search(r"<xml\b", self.text)
        if root is None:
            raise CannotAnnotate("dessin VML des notes illisible")
        at = root.end()
        self.text = self.text[:at] + f' xmlns:{name}="{uri}"' + self.text[at:]
        return name + ":"

    def has_shapes(self) -> bool:
        return _ANY_SHAPE.search(self.text) is not None

    def without_note(self, cell: str) -> str:
        """The drawing without the shape of the note on ``cell`` (whatever its prefixes:
        openpyxl with lxml declares them on each element, ns0 for one URI here, another
        there)."""
        found = _CELL.match(cell)
        if found is None:
            return self.text
        row, column = int(found[2]) - 1, column_number(found[1]) - 1

        def drop(match: re.Match[str]) -> str:
            shape = match.group(0)
            if (re.search(r"""ObjectType\s*=\s*["']Note["']""", shape)
                    and re.search(rf"<(?:[\w.-]+:)?Row>\s*{row}\s*</(?:[\w.-]+:)?Row>", shape)
                    and re.search(rf"<(?:[\w.-]+:)?Column>\s*{column}\s*</(?:[\w.-]+:)?Column>",
                                  shape)):  # fmt: skip
                return ""
            return shape

        return _ANY_SHAPE.sub(drop, self.text)

    def add_note(self, cell: str, note: str, block: int) -> None:
        """Add the shape of a new note (shapes are appended: ids only grow)."""
        v, o, x = self.prefix["v"], self.prefix["o"], self.prefix["x"]
        text = self.text
        if self.last_id is None:
            if "_x0000_t202" not in text:
                first = _ANY_SHAPE.search(text)
                at = first.start() if first else -1
                at = at if at >= 0 else text.rfind("</xml>")
                text = text[:at] + _shapetype(v, o) + text[at:]
            numbers = [int(n) for n in _SHAPE_ID.findall(text)]
            self.last_id = max([*numbers, (_idmap_block(text) or block) * 1024])
        self.last_id += 1
        number = self.last_id
        found = _CELL.match(cell)
        row, column = int(found[2]) - 1, column_number(found[1]) - 1
        lines = sum(1 + len(line) // 48 for line in note.split("\n"))
        height = min(max(lines + 1, 4), 24)
        top = max(row - 1, 0)
        anchor = f"{column + 1}, 15, {top}, 2, {column + 5}, 15, {top + height}, 2"
        shape = (
            f'<{v}shape id="_x0000_s{number}" type="#_x0000_t202" style="position:absolute;'
            f"margin-left:59.25pt;margin-top:1.5pt;width:260pt;height:{height * 15}pt;"
            f'z-index:{number};visibility:hidden" fillcolor="#ffffe1" {o}insetmode="auto">'
            f'<{v}fill color2="#ffffe1"/><{v}shadow on="t" color="black" obscured="t"/>'
            f'<{v}path {o}connecttype="none"/><{v}textbox style="mso-direction-alt:auto">'
            f'<div style="text-align:left"></div></{v}textbox>'
            f'<{x}ClientData ObjectType="Note"><{x}MoveWithCells/><{x}SizeWithCells/>'
            f"<{x}Anchor>{anchor}</{x}Anchor><{x}AutoFill>False</{x}AutoFill>"
            f"<{x}Row>{row}</{x}Row><{x}Column>{column}</{x}Column></{x}ClientData></{v}shape>"
        )
        closing = text.rfind("</xml>")
        if closing < 0:
            raise CannotAnnotate("dessin VML des notes illisible")
        self.text = text[:closing] + shape + text[closing:]


def _shapetype(v: str, o: str) -> str:
    return (
        f'<{v}shapetype id="_x0000_t202" coordsize="21600,21600" {o}spt="202" '
        f'path="m,l,21600r21600,l21600,xe"><{v}stroke joinstyle="miter"/>'
        f'<{v}path gradientshapeok="t" {o}connecttype="rect"/></{v}shapetype>'
    )


def _new_vml(block: int) -> str:
    return (
        f'<xml xmlns:v="{_VML["v"]}" xmlns:o="{_VML["o"]}" xmlns:x="{_VML["x"]}">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
        f"{_shapetype('v:', 'o:')}</xml>"
    )


def _idmap_block(vml: str) -> int:
    found = _IDMAP.search(vml)
    if found is None:
        return 0
    numbers = [int(n) for n in re.findall(r"\d+", found[1])]
    return max(numbers, default=0)


def vml_blocks(package: Package) -> int:
    """The highest shape-id block used by the package's VML drawings."""
    highest = 0
    for name in package.names():
        if name.lower().endswith(".vml"):
            vml = package.text(name, parse=False)
            highest = max(highest, _idmap_block(vml),
                          *(int(n) // 1024 for n in _SHAPE_ID.findall(vml)))  # fmt: skip
    return highest

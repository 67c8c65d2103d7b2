"""An annotated copy of an .ods workbook, made by patching ``content.xml`` in place.

The same plan as for .xlsx, in LibreOffice's terms: a mark is a conditional format
(``calcext:conditional-format``, what LibreOffice itself writes) applying one of our
two named cell styles, recognised next month by its formula; a note is an
``office:annotation`` in the cell, the group's own kept; « À corriger » is a first
``table:table``. Named ranges and database ranges point at sheets by name, so a sheet
put first moves nothing. Every other part is copied as it came.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from innova_reports.annotate.ods_list import (
    MARK_STYLES,
    address,
    attr,
    look,
    paragraph,
    with_list_sheet,
    with_page,
)
from innova_reports.annotate.ods_table import Table, start_tag_of
from innova_reports.annotate.package import Package
from innova_reports.annotate.plan import (
    AUTHOR,
    MARKED,
    SHEET_TITLE,
    Mark,
    build_plan,
    our_lines,
    sorted_cells,
)
from innova_reports.annotate.text import xml_text
from innova_reports.annotate.xlsx_styles import LOOKS
from innova_reports.annotate.xmltext import (
    CannotAnnotate,
    attributes,
    element,
    namespace_prefix,
    start_tag,
    text_of,
)
from innova_reports.read.safety import DEFAULT_LIMITS, ODS_MIMETYPES, Limits, column_number
from innova_reports.report.issue import Issue, Severity

CONTENT, STYLES, SETTINGS = "content.xml", "styles.xml", "settings.xml"
MARKER = "innova-controle"
_NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xlink": "http://www.w3.org/1999/xlink",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "tableooo": "http://openoffice.org/2009/table",
}
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def annotate_ods(data: bytes, issues: Iterable[Issue], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The workbook with ``issues`` marked, noted and listed in a first sheet."""
    issues = list(issues)
    package = Package(data, ".ods", limits)
    if "mimetype" not in package or package.raw("mimetype").strip() not in ODS_MIMETYPES:
        raise CannotAnnotate("ce fichier n'est pas un classeur .ods")
    content = _declared(package.text(CONTENT))
    used = _used_sheets(content)
    content = _without_our_sheet(content, used)
    sheets = _sheets(content)
    merges: dict[str, tuple] = {}

    def merges_of(name: str) -> tuple:
        if name not in merges:
            merges[name] = Table(sheets[name]).merges()
        return merges[name]

    plan = build_plan(issues, list(sheets), merges_of)
    for name, xml in sheets.items():
        marks = plan.marks.get(name, {})
        if not marks and MARKER not in xml and "contrôle :" not in xml:
            continue
        edited = _annotated_sheet(_cleared(xml), name, marks)
        content = content.replace(xml, edited, 1)
    if any(plan.marks.values()):
        package.put(STYLES, _with_mark_styles(package.text(STYLES)))
    if plan.points:
        content = with_list_sheet(content, plan)
        package.put(STYLES, with_page(package.text(STYLES)))
        if SETTINGS in package:
            package.put(SETTINGS, _active_sheet(package.text(SETTINGS), SHEET_TITLE))
    package.put(CONTENT, content)
    return package.to_bytes(stored_first="mimetype")


# -- the parts --------------------------------------------------------------------------


def _declared(content: str) -> str:
    """content.xml with every namespace we write bound to its usual prefix."""
    for prefix, uri in _NAMESPACES.items():
        bound = namespace_prefix(content, uri)
        if bound == f"{prefix}:":
            continue
        if bound is not None or re.search(rf"xmlns:{prefix}\s*=", content):
            raise CannotAnnotate("espaces de noms du classeur .ods inattendus")
        root = re.search(r"<office:document-content\b", content)
        if root is None:
            raise CannotAnnotate("contenu du classeur .ods illisible")
        content = content[: root.end()] + f' xmlns:{prefix}="{uri}"' + content[root.end() :]
    return content


def _tables(content: str) -> list[re.Match[str]]:
    return list(element("table:table").finditer(content))


def _sheets(content: str) -> dict[str, str]:
    return {attributes(m.group(0)).get("table:name", ""): m.group(0) for m in _tables(content)}


def _used_sheets(content: str) -> set[str]:
    """Sheets a named range or a database range points at (the template's)."""
    used = set()
    for tag in ("table:named-range", "table:database-range"):
        for match in start_tag(tag).finditer(content):
            address = attributes(match.group(0)).get("table:cell-range-address", "")
            for quoted, plain in re.findall(r"\$?(?:'((?:[^']|'')+)'|([^.'$:\s]+))\.", address):
                used.add(quoted.replace("''", "'") if quoted else plain)
    return used


def _without_our_sheet(content: str, used: set[str]) -> str:
    for match in reversed(_tables(content)):
        if attributes(match.group(0)).get("table:name") == SHEET_TITLE and SHEET_TITLE not in used:
            content = content[: match.start()] + content[match.end() :]
    return content


# -- a sheet: last month out, this month in ---------------------------------------------------


def _cleared(xml: str) -> str:
    """A sheet without our conditional formats and our blocks in its notes."""

    def condition(match: re.Match[str]) -> str:
        return (
            "" if MARKER in attributes(match.group(0)).get("calcext:value", "") else match.group(0)
        )

    xml = element("calcext:condition").sub(condition, xml)
    xml = element("calcext:conditional-format").sub(
        lambda m: m.group(0) if "<calcext:condition" in (m["body"] or "") else "", xml
    )
    xml = element("calcext:conditional-formats").sub(
        lambda m: m.group(0) if "<calcext:conditional-format" in (m["body"] or "") else "", xml
    )
    return element("office:annotation").sub(_note_without_ours, xml)


def _note_without_ours(match: re.Match[str]) -> str:
    whole, body = match.group(0), match["body"] or ""
    paragraphs = list(element("text:p").finditer(body))
    dropped = our_lines([text_of(p["body"] or "") for p in paragraphs])
    if not dropped:
        return whole
    kept = [p for i, p in enumerate(paragraphs) if i not in dropped]
    if not any(text_of(p["body"] or "").strip() for p in kept):
        return ""
    for index in sorted(dropped, reverse=True):
        p = paragraphs[index]
        body = body[: p.start()] + body[p.end() :]
    head = start_tag_of(whole)
    return f"{head}{body}</office:annotation>"


def _annotated_sheet(xml: str, sheet: str, marks: dict[str, Mark]) -> str:
    table = Table(xml)
    for cell in sorted_cells(list(marks)):
        found = _CELL.match(cell)
        span = table.cell(int(found[2]), column_number(found[1]))
        text = table.xml[span.start : span.end]
        table.xml = table.xml[: span.start] + _with_note(text, marks[cell]) + table.xml[span.end :]
    formats = "".join(
        _conditional_format(sheet, cells, MARK_STYLES[severity])
        for severity in MARKED
        if (cells := sorted_cells([c for c, m in marks.items() if m.severity is severity]))
    )
    if not formats:
        return table.xml
    xml = table.xml
    existing = start_tag("calcext:conditional-formats").search(xml)
    if existing is not None:
        return xml[: existing.end()] + formats + xml[existing.end() :]
    at = xml.rfind("</table:table>")
    return (
        xml[:at]
        + f"<calcext:conditional-formats>{formats}</calcext:conditional-formats>"
        + xml[at:]
    )


def _conditional_format(sheet: str, cells: list[str], style: str) -> str:
    ranges = " ".join(f"{address(sheet, c)}:{address(sheet, c)}" for c in cells)
    formula = attr(f'formula-is("{MARKER}"<>"")')
    return (
        f"<calcext:conditional-format calcext:target-range-address={attr(ranges)}>"
        f'<calcext:condition calcext:apply-style-name="{style}" calcext:value={formula} '
        f"calcext:base-cell-address={attr(address(sheet, cells[0]))}/>"
        "</calcext:conditional-format>"
    )


def _with_note(cell: str, mark: Mark) -> str:
    ours = "".join(paragraph(line) for line in mark.note(AUTHOR).split("\n"))
    head = start_tag_of(cell)
    if head.endswith("/>"):
        opened = head[:-2].rstrip() + ">"
        return f"{opened}{_annotation(ours)}</{_tag_name(head)}>"
    body = cell[len(head) :]
    note = element("office:annotation").match(body)
    if note is None:
        return head + _annotation(ours) + body
    texts = [text_of(p["body"] or "") for p in element("text:p").finditer(note["body"] or "")]
    separator = "<text:p/>" if any(t.strip() for t in texts) else ""
    closing = note.end() - len("</office:annotation>")
    return head + body[:closing] + separator + ours + body[closing:]


def _annotation(paragraphs: str) -> str:
    return f"<office:annotation><dc:creator>{xml_text(AUTHOR)}</dc:creator>{paragraphs}</office:annotation>"


def _tag_name(head: str) -> str:
    return re.match(r"<([^\s/>]+)", head)[1]


# -- styles ---------------------------------------------------------------------------


def _with_mark_styles(styles: str) -> str:
    """Our two named cell styles (a conditional format applies a named style)."""
    opened = start_tag("office:styles").search(styles)
    if opened is None:
        raise CannotAnnotate("styles du classeur .ods illisibles")
    parent = ' style:parent-style-name="Default"' if 'style:name="Default"' in styles else ""
    added = ""
    for severity, name in MARK_STYLES.items():
        if f'style:name="{name}"' in styles:
            continue
        text = LOOKS[severity][0]
        font = 'fo:font-weight="bold"' if severity is Severity.ERROR else 'fo:font-style="italic"'
        added += (
            f'<style:style style:name="{name}" style:family="table-cell"{parent}>'
            f"<style:table-cell-properties {look(severity)}/>"
            f'<style:text-properties fo:color="#{text[2:].lower()}" {font}/></style:style>'
        )
    return styles[: opened.end()] + added + styles[opened.end() :]


def _active_sheet(settings: str, name: str) -> str:
    pattern = re.compile(
        r'(<config:config-item config:name="ActiveTable" config:type="string">)[^<]*(</config:config-item>)'
    )
    return pattern.sub(lambda m: m[1] + xml_text(name) + m[2], settings, count=1)

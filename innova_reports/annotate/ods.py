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

from innova_reports.annotate.ods_table import Table, start_tag_of
from innova_reports.annotate.package import Package
from innova_reports.annotate.plan import (
    AUTHOR,
    MARKED,
    SEVERITY_WORDS,
    SHEET_TITLE,
    Mark,
    Plan,
    build_plan,
    our_lines,
    sorted_cells,
    summary,
)
from innova_reports.annotate.text import xml_attr, xml_text
from innova_reports.annotate.xlsx_list import COLUMNS, HOW_TO, LEGEND, TITLE, wrapped_lines
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
MARK_STYLES = {Severity.ERROR: "INNOVA_erreur", Severity.WARNING: "INNOVA_avertissement"}
_BORDERS = {"medium": "1.5pt solid", "dashed": "1pt dashed"}
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_CM_PER_UNIT = 0.2  # column width: our xlsx units (characters) in centimetres
HEADER_ROW = 6


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
        content = _with_list_sheet(content, plan)
        package.put(STYLES, _with_page(package.text(STYLES)))
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
    ranges = " ".join(f"{_address(sheet, c)}:{_address(sheet, c)}" for c in cells)
    formula = _attr(f'formula-is("{MARKER}"<>"")')
    return (
        f"<calcext:conditional-format calcext:target-range-address={_attr(ranges)}>"
        f'<calcext:condition calcext:apply-style-name="{style}" calcext:value={formula} '
        f"calcext:base-cell-address={_attr(_address(sheet, cells[0]))}/>"
        "</calcext:conditional-format>"
    )


def _with_note(cell: str, mark: Mark) -> str:
    ours = "".join(_paragraph(line) for line in mark.note(AUTHOR).split("\n"))
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
    return f"<office:annotation><dc:creator>{_text(AUTHOR)}</dc:creator>{paragraphs}</office:annotation>"


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
            f"<style:table-cell-properties {_look(severity)}/>"
            f'<style:text-properties fo:color="#{text[2:].lower()}" {font}/></style:style>'
        )
    return styles[: opened.end()] + added + styles[opened.end() :]


def _look(severity: Severity) -> str:
    text, fill, line = LOOKS[severity]
    return f'fo:background-color="#{fill[2:].lower()}" fo:border="{_BORDERS[line]} #{text[2:].lower()}"'


PAGE_LAYOUT = (
    '<style:page-layout style:name="innova_pl"><style:page-layout-properties '
    'fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" '
    'fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1cm" fo:margin-right="1cm" '
    'style:scale-to-X="1" style:scale-to-Y="0"/></style:page-layout>'
)
MASTER_PAGE = '<style:master-page style:name="innova_liste" style:page-layout-name="innova_pl"/>'


def _with_page(styles: str) -> str:
    """A landscape A4 page, one page wide, for « À corriger » (LibreOffice prints the
    sheet by its master page)."""
    if 'style:name="innova_liste"' in styles:
        return styles
    for tag, snippet in (
        ("office:automatic-styles", PAGE_LAYOUT),
        ("office:master-styles", MASTER_PAGE),
    ):
        opened = start_tag(tag).search(styles)
        if opened is None:
            closing = styles.rfind("</office:document-styles>")
            styles = styles[:closing] + f"<{tag}>{snippet}</{tag}>" + styles[closing:]
        elif opened["end"]:
            styles = styles[: opened.start()] + f"<{tag}>{snippet}</{tag}>" + styles[opened.end() :]
        else:
            styles = styles[: opened.end()] + snippet + styles[opened.end() :]
    return styles


# -- « À corriger » ---------------------------------------------------------------------


def _with_list_sheet(content: str, plan: Plan) -> str:
    styles, table = _list_sheet(plan)
    automatic = start_tag("office:automatic-styles").search(content)
    if automatic is None:
        body = start_tag("office:body").search(content)
        content = content[: body.start()] + "<office:automatic-styles/>" + content[body.start() :]
        automatic = start_tag("office:automatic-styles").search(content)
    if automatic["end"]:  # <office:automatic-styles/>
        content = (content[: automatic.start()] + "<office:automatic-styles></office:automatic-styles>"
                   + content[automatic.end() :])  # fmt: skip
        automatic = start_tag("office:automatic-styles").search(content)
    missing = "".join(s for name, s in styles if f'style:name="{name}"' not in content)
    content = content[: automatic.end()] + missing + content[automatic.end() :]
    first = _tables(content)
    at = first[0].start() if first else content.rfind("</office:spreadsheet>")
    return content[:at] + table + content[at:]


def _list_sheet(plan: Plan) -> tuple[list[tuple[str, str]], str]:
    styles: dict[str, str] = {
        "innova_ta": '<style:style style:name="innova_ta" style:family="table" '
        'style:master-page-name="innova_liste">'
        '<style:table-properties table:display="true" style:writing-mode="lr-tb" '
        'tableooo:tab-color="#c00000"/></style:style>',
    }
    for index, (_, width) in enumerate(COLUMNS, start=1):
        styles[f"innova_co{index}"] = (
            f'<style:style style:name="innova_co{index}" style:family="table-column">'
            f'<style:table-column-properties style:column-width="{width * _CM_PER_UNIT:.2f}cm"/>'
            "</style:style>"
        )
    cells = {
        "innova_title": 'fo:font-weight="bold" fo:font-size="14pt" fo:color="#1f4e79"',
        "innova_bold": 'fo:font-weight="bold"',
        "innova_note": 'fo:font-style="italic" fo:color="#595959"',
        "innova_header": 'fo:font-weight="bold" fo:color="#ffffff"',
        "innova_body": "",
        "innova_link": 'fo:color="#0563c1" style:text-underline-style="solid"',
    }
    for name, text in cells.items():
        fill = ' fo:background-color="#1f4e79"' if name == "innova_header" else ""
        styles[name] = (
            f'<style:style style:name="{name}" style:family="table-cell">'
            f'<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"{fill}/>'
            f"<style:text-properties {text}/></style:style>"
        )
    full = sum(width for _, width in COLUMNS) * 1.1
    rows = [
        _merged_row(TITLE, "innova_title", 1), _merged_row(summary(plan), "innova_bold", 1),
        _merged_row(HOW_TO, "innova_note", wrapped_lines(HOW_TO, full)),
        _merged_row(LEGEND, "innova_note", wrapped_lines(LEGEND, full)),
        _row([("", "innova_body")], 1),
        "<table:table-header-rows>"
        + _row([(name, "innova_header") for name, _ in COLUMNS], 1)
        + "</table:table-header-rows>",
    ]  # fmt: skip
    for severity, name in MARK_STYLES.items():
        text, fill, line = LOOKS[severity]
        font = 'fo:font-weight="bold"' if severity is Severity.ERROR else 'fo:font-style="italic"'
        styles[f"innova_{name}"] = (
            f'<style:style style:name="innova_{name}" style:family="table-cell">'
            f'<style:table-cell-properties style:vertical-align="top" {_look(severity)}/>'
            f'<style:text-properties fo:color="#{text[2:].lower()}" {font}/></style:style>'
        )
    for number, point in enumerate(plan.points, start=1):
        severity = f"innova_{MARK_STYLES[point.severity]}"
        place = point.cell or point.where
        values = [(number, "innova_body"), (SEVERITY_WORDS[point.severity], severity),
                  (point.sheet or "—", "innova_body"), (place, "innova_link" if point.link else "innova_body"),
                  (point.label, "innova_body"), (point.value, "innova_body"), (point.message, "innova_body")]  # fmt: skip
        lines = max(
            wrapped_lines(str(v), w * 1.1) for (v, _), (_, w) in zip(values, COLUMNS, strict=True)
        )
        link = _address(point.sheet, point.link) if point.link else ""
        rows.append(_row(values, lines, link_column=3 if link else -1, link=link))
    for lines in {int(re.search(r"innova_ro(\d+)", r)[1]) for r in rows if "innova_ro" in r}:
        styles[f"innova_ro{lines}"] = (
            f'<style:style style:name="innova_ro{lines}" style:family="table-row">'
            f'<style:table-row-properties style:row-height="{0.53 * lines + 0.1:.2f}cm" '
            'style:use-optimal-row-height="false"/></style:style>'
        )
    columns = "".join(f'<table:table-column table:style-name="innova_co{i}"/>'
                      for i in range(1, len(COLUMNS) + 1))  # fmt: skip
    table = (f'<table:table table:name={_attr(SHEET_TITLE)} table:style-name="innova_ta">'
             f"{columns}{''.join(rows)}</table:table>")  # fmt: skip
    return list(styles.items()), table


def _merged_row(text: str, style: str, lines: int) -> str:
    cell = (f'<table:table-cell table:style-name="{style}" office:value-type="string" '
            f'table:number-columns-spanned="{len(COLUMNS)}" table:number-rows-spanned="1">'
            f"{_paragraph(text)}</table:table-cell>")  # fmt: skip
    covered = f'<table:covered-table-cell table:number-columns-repeated="{len(COLUMNS) - 1}"/>'
    return f'<table:table-row table:style-name="innova_ro{lines}">{cell}{covered}</table:table-row>'


def _row(
    values: list[tuple[object, str]], lines: int, *, link_column: int = -1, link: str = ""
) -> str:
    cells = []
    for index, (value, style) in enumerate(values):
        if isinstance(value, int):
            cells.append(f'<table:table-cell table:style-name="{style}" office:value-type="float" '
                         f'office:value="{value}"><text:p>{value}</text:p></table:table-cell>')  # fmt: skip
        elif value in (None, ""):
            cells.append(f'<table:table-cell table:style-name="{style}"/>')
        else:
            inner = _paragraph(str(value))
            if index == link_column:
                shown = _spaces(str(value))
                inner = f'<text:p><text:a xlink:type="simple" xlink:href={_attr("#" + link)}>{shown}</text:a></text:p>'
            cells.append(f'<table:table-cell table:style-name="{style}" office:value-type="string">'
                         f"{inner}</table:table-cell>")  # fmt: skip
    return (
        f'<table:table-row table:style-name="innova_ro{lines}">{"".join(cells)}</table:table-row>'
    )


# -- text -------------------------------------------------------------------------------


def _address(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'." + cell


def _text(value: object) -> str:
    return xml_text(value)


def _attr(value: str) -> str:
    return xml_attr(value)


def _spaces(text: str) -> str:
    """ODF text: a run of spaces, a leading space and a tab would collapse: kept as
    ``text:s`` and ``text:tab``."""
    escaped = _text(text).replace("\t", "<text:tab/>")
    escaped = re.sub(r"  +", lambda m: " " + _space(len(m.group(0)) - 1), escaped)
    return _space(1) + escaped[1:] if escaped.startswith(" ") else escaped


def _space(count: int) -> str:
    return "<text:s/>" if count == 1 else f'<text:s text:c="{count}"/>'


def _paragraph(line: str) -> str:
    return "".join(f"<text:p>{_spaces(part)}</text:p>" for part in str(line).split("\n"))


def _active_sheet(settings: str, name: str) -> str:
    pattern = re.compile(
        r'(<config:config-item config:name="ActiveTable" config:type="string">)[^<]*(</config:config-item>)'
    )
    return pattern.sub(lambda m: m[1] + _text(name) + m[2], settings, count=1)

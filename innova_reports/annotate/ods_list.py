"""The « À corriger » sheet of an .ods copy, its styles and its landscape page, and
ODF text (spaces and tabs that would otherwise collapse).

Every text goes into ``text:p`` through ``paragraph`` (escaped, never a formula) and
the one link per point is an internal ``#'Sheet'.B7`` to the cell we marked.
"""

from __future__ import annotations

import re

from innova_reports.annotate.plan import SEVERITY_WORDS, SHEET_TITLE, Plan, summary
from innova_reports.annotate.text import xml_attr, xml_text
from innova_reports.annotate.xlsx_list import COLUMNS, HOW_TO, LEGEND, TITLE, wrapped_lines
from innova_reports.annotate.xlsx_styles import LOOKS
from innova_reports.annotate.xmltext import element, start_tag
from innova_reports.report.issue import Severity

MARK_STYLES = {Severity.ERROR: "INNOVA_erreur", Severity.WARNING: "INNOVA_avertissement"}
_BORDERS = {"medium": "1.5pt solid", "dashed": "1pt dashed"}
_CM_PER_UNIT = 0.2  # column width: our xlsx units (characters) in centimetres


def look(severity: Severity) -> str:
    text, fill, line = LOOKS[severity]
    return f'fo:background-color="#{fill[2:].lower()}" fo:border="{_BORDERS[line]} #{text[2:].lower()}"'


PAGE_LAYOUT = (
    '<style:page-layout style:name="innova_pl"><style:page-layout-properties '
    'fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" '
    'fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1cm" fo:margin-right="1cm" '
    'style:scale-to-X="1" style:scale-to-Y="0"/></style:page-layout>'
)
MASTER_PAGE = '<style:master-page style:name="innova_liste" style:page-layout-name="innova_pl"/>'


def with_page(styles: str) -> str:
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


def with_list_sheet(content: str, plan: Plan) -> str:
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
    first = list(element("table:table").finditer(content))
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
            f'<style:table-cell-properties style:vertical-align="top" {look(severity)}/>'
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
        link = address(point.sheet, point.link) if point.link else ""
        rows.append(_row(values, lines, link_column=3 if link else -1, link=link))
    for lines in {int(re.search(r"innova_ro(\d+)", r)[1]) for r in rows if "innova_ro" in r}:
        styles[f"innova_ro{lines}"] = (
            f'<style:style style:name="innova_ro{lines}" style:family="table-row">'
            f'<style:table-row-properties style:row-height="{0.53 * lines + 0.1:.2f}cm" '
            'style:use-optimal-row-height="false"/></style:style>'
        )
    columns = "".join(f'<table:table-column table:style-name="innova_co{i}"/>'
                      for i in range(1, len(COLUMNS) + 1))  # fmt: skip
    table = (f'<table:table table:name={attr(SHEET_TITLE)} table:style-name="innova_ta">'
             f"{columns}{''.join(rows)}</table:table>")  # fmt: skip
    return list(styles.items()), table


def _merged_row(text: str, style: str, lines: int) -> str:
    cell = (f'<table:table-cell table:style-name="{style}" office:value-type="string" '
            f'table:number-columns-spanned="{len(COLUMNS)}" table:number-rows-spanned="1">'
            f"{paragraph(text)}</table:table-cell>")  # fmt: skip
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
            inner = paragraph(str(value))
            if index == link_column:
                shown = _spaces(str(value))
                inner = f'<text:p><text:a xlink:type="simple" xlink:href={attr("#" + link)}>{shown}</text:a></text:p>'
            cells.append(f'<table:table-cell table:style-name="{style}" office:value-type="string">'
                         f"{inner}</table:table-cell>")  # fmt: skip
    return (
        f'<table:table-row table:style-name="innova_ro{lines}">{"".join(cells)}</table:table-row>'
    )


# -- text -------------------------------------------------------------------------------


def address(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'." + cell


def attr(value: str) -> str:
    return xml_attr(value)


def _spaces(text: str) -> str:
    """ODF text: a run of spaces, a leading space and a tab would collapse: kept as
    ``text:s`` and ``text:tab``."""
    escaped = xml_text(text).replace("\t", "<text:tab/>")
    escaped = re.sub(r"  +", lambda m: " " + _space(len(m.group(0)) - 1), escaped)
    return _space(1) + escaped[1:] if escaped.startswith(" ") else escaped


def _space(count: int) -> str:
    return "<text:s/>" if count == 1 else f'<text:s text:c="{count}"/>'


def paragraph(line: str) -> str:
    return "".join(f"<text:p>{_spaces(part)}</text:p>" for part in str(line).split("\n"))

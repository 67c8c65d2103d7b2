"""The booklet as an editable Word document (python-docx), for the officials who amend it.

Word's and LibreOffice's navigation pane shows the axes and the actions: they are real
« Heading 1 » / « Heading 2 » paragraphs (« Titre 1 » / « Titre 2 » in a French Word).
The contents is a TOC field that Word updates on opening (``w:updateFields``) and
LibreOffice with Outils › Mettre à jour; until then it lists the headings without page
numbers. Every table's header row repeats on each page (``w:tblHeader``). Each part
(programme, axis, annex) is a section whose header names it, and every footer reads
« page N / M » (PAGE and NUMPAGES fields).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from innova_reports.booklet.blocks import Block, Booklet, Cover, Fields, Heading, Paragraphs, Table

FONT = "Arial"  # what French offices have; LibreOffice sets it in Liberation Sans, same metrics
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
NAVY_HEX, TINT_HEX = "1F3A5F", "EEF2F7"
CELL_STYLE = "Texte de tableau"
CELL_STYLE_ID = "Textedetableau"  # python-docx's id of CELL_STYLE (its name without spaces)
NOTE_STYLE, NOTE_STYLE_ID = "Remarque", "Remarque"
TEXT_WIDTH_TWIPS = 9638  # 17 cm: the A4 page less its two 2 cm margins
CONTENTS_HELP = (
    "Les numéros de page s'affichent quand la table est mise à jour : Word le propose à "
    "l'ouverture ; dans LibreOffice, Outils › Mettre à jour › Tout mettre à jour."
)
# Characters XML 1.0 cannot hold (a value keeps every other character, emoji included)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def docx_bytes(booklet: Booklet, created: dt.date) -> bytes:
    """The whole booklet as a .docx; the same booklet gives the same bytes."""
    document = Document()
    _setup(document, booklet, created)
    _cover(document, booklet.cover)
    _contents(document, booklet)
    writer = _Writer(document)
    for block in booklet.body():
        writer.add(block)
    writer.flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue())


# -- document setup ------------------------------------------------------------------


def _setup(document, booklet: Booklet, created: dt.date) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2)
    properties = document.core_properties
    stamp = dt.datetime(created.year, created.month, created.day)
    properties.title, properties.author = _xml(booklet.title), _xml(booklet.author)
    properties.last_modified_by, properties.language = _xml(booklet.author), "fr-FR"
    properties.created = properties.modified = stamp
    properties.revision = 1
    styles = document.styles
    styles["Normal"].font.size = Pt(10)
    for name in ("Normal", "Title", "TOC Heading", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.name = FONT
    _set_language(styles["Normal"])
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.color.rgb = NAVY
        styles[name].paragraph_format.keep_with_next = True
    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(8.5)
    cell.paragraph_format.space_after = Pt(0)
    assert cell.style_id == CELL_STYLE_ID, cell.style_id
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x5A, 0x64, 0x72)
    _update_fields_on_open(document)


def _set_language(style) -> None:
    rpr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    rpr.append(lang)


def _update_fields_on_open(document) -> None:
    """Word updates the contents (and page counts) when the file opens."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _cover(document, cover: Cover) -> None:
    title = document.add_paragraph(_xml(cover.programme), style="Title")
    title.paragraph_format.space_after = Pt(18)
    for council in cover.councils:
        document.add_paragraph(_xml(council))
    for _ in range(6):
        document.add_paragraph()
    plan = document.add_paragraph()
    run = plan.add_run(_xml(cover.title))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(32), NAVY
    document.add_paragraph(_xml(cover.subtitle)).runs[0].font.size = Pt(13)
    status = document.add_paragraph()
    status_run = status.add_run(_xml(cover.status))
    status_run.italic, status_run.font.size = True, Pt(13)
    for _ in range(6):
        document.add_paragraph()
    document.add_paragraph(_xml(cover.edition), style=NOTE_STYLE)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(document, booklet: Booklet) -> None:
    """« Sommaire »: a TOC field whose cached result lists the headings."""
    heading = document.add_paragraph(_xml(booklet.contents_title), style="TOC Heading")
    heading.paragraph_format.keep_with_next = True
    document.add_paragraph(CONTENTS_HELP, style=NOTE_STYLE)
    entries = [b for b in booklet.body() if isinstance(b, Heading) and b.level <= 2]
    first = document.add_paragraph()
    _field_start(first, ' TOC \\o "1-2" \\h \\z \\u ')
    last = first
    for position, entry in enumerate(entries):
        paragraph = first if position == 0 else document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0 if entry.level == 1 else 0.6)
        run = paragraph.add_run(_xml(entry.text))
        run.bold = entry.level == 1
        last = paragraph
    _field_end(last)


# -- fields (TOC, PAGE, NUMPAGES) ----------------------------------------------------


def _field_start(paragraph, instruction: str) -> None:
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    paragraph.add_run()._r.append(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)


def _field_end(paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _simple_field(paragraph, instruction: str, shown: str) -> None:
    _field_start(paragraph, f" {instruction} ")
    paragraph.add_run(shown)
    _field_end(paragraph)


# -- the body ------------------------------------------------------------------------


class _Writer:
    """Adds blocks in order; a level-1 heading opens a new section named in its header.

    Blocks are written as WordprocessingML text and parsed in one go per part: building
    them element by element through python-docx cost 8 s for 200 action sheets (every
    paragraph looks its style up among all the styles, every element is a Python call).
    """

    def __init__(self, document) -> None:
        self.document = document
        self.pending: list[str] = []

    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            if block.level == 1:
                self.flush()
                section = self.document.add_section(WD_SECTION.NEW_PAGE)
                _part_header(section, block.text)
            self.pending.append(_heading_xml(block))
        elif isinstance(block, Paragraphs):
            style = NOTE_STYLE_ID if block.note else None
            self.pending += [_paragraph_xml(text, style) for text in block.paragraphs]
        elif isinstance(block, Fields):
            self.pending.append(_table_xml(None, block.rows, (1, 2.2), (False, False), None))
        elif isinstance(block, Table):
            self.pending.append(
                _table_xml(block.columns, block.rows, block.widths, block.numeric, block.total)
            )

    def flush(self) -> None:
        """Parse what is pending and put it at the end of the body (before its sectPr)."""
        if not self.pending:
            return
        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.pending)}</w:body>")
        body = self.document.element.body
        last = body.sectPr
        for element in list(fragment):
            last.addprevious(element)
        self.pending = []


def _part_header(section, text: str) -> None:
    """The section's own header (the part it holds) and its « page N / M » footer."""
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.text = _xml(text)
    header.runs[0].font.size = Pt(8)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("page ")
    _simple_field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _simple_field(footer, "NUMPAGES", "1")


def _heading_xml(block: Heading) -> str:
    """A « Heading N » paragraph: the navigation pane and the TOC field list it."""
    page = "<w:pageBreakBefore/>" if block.level == 2 and block.new_page else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="Heading{block.level}"/>{page}</w:pPr>'
        f"{_run_xml(block.text)}</w:p>"
    )


def _paragraph_xml(text: str, style: str | None) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{_run_xml(text)}</w:p>"


def _run_xml(text: str, properties: str = "") -> str:
    """One run; a line break inside the text is a ``w:br``."""
    lines = escape(_xml(text)).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    run_properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{run_properties}{body}</w:r>"


def _table_xml(
    columns: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[bool],
    total: Sequence[str] | None,
) -> str:
    """A table over the text width; ``columns`` None is a label / value table (the
    labels, first column, shaded). The header row repeats on every page."""
    scale = TEXT_WIDTH_TWIPS / sum(widths)
    grid = [round(width * scale) for width in widths]
    parts = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in grid) + "</w:tblGrid>"
    ]
    if columns is not None:
        parts.append(_row_xml(columns, grid, numeric, header=True))
    for row in rows:
        parts.append(_row_xml(row, grid, numeric, label_first=columns is None))
    if total is not None:
        parts.append(_row_xml(total, grid, numeric, bold=True))
    # a paragraph after every table: two tables in a row would merge into one
    return "".join(parts) + '</w:tbl><w:p><w:pPr><w:spacing w:after="40"/></w:pPr></w:p>'


def _row_xml(
    values: Sequence[str],
    grid: Sequence[int],
    numeric: Sequence[bool],
    *,
    header: bool = False,
    bold: bool = False,
    label_first: bool = False,
) -> str:
    cells = []
    for index, value in enumerate(values):
        label = label_first and index == 0
        fill = NAVY_HEX if header else TINT_HEX if (bold or label) else None
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        justify = '<w:jc w:val="right"/>' if numeric[index] else ""
        run = ("<w:b/>" if header or bold or label else "") + (
            '<w:color w:val="FFFFFF"/>' if header else ""
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{grid[index]}" w:type="dxa"/>{shading}</w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{CELL_STYLE_ID}"/>{justify}</w:pPr>'
            f"{_run_xml(value, run)}</w:p></w:tc>"
        )
    # a header row repeats at the top of every page the table runs over; no row splits
    properties = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    return f"<w:tr>{properties}{''.join(cells)}</w:tr>"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _reproducible(data: bytes) -> bytes:
    """The package re-zipped with fixed member dates: a re-run gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return out.getvalue()

"""The booklet as an editable Word document (python-docx), for the officials who amend it.

Word's and LibreOffice's navigation pane shows the axes and the actions: they are real
« Heading 1 » / « Heading 2 » paragraphs (« Titre 1 » / « Titre 2 » in a French Word).
The contents is a TOC field that Word updates on opening (``w:updateFields``) and
LibreOffice with Outils › Mettre à jour; until then it lists the headings without page
numbers. Every table's header row repeats on each page (``w:tblHeader``). Each part
(programme, axis, annex) is a section whose header names it, and every footer reads
« page N / M » (PAGE and NUMPAGES fields).

Rows are written as XML directly rather than through ``Table.add_row``: python-docx
rebuilds the list of a table's cells on every access, which turns a 1,000-row table
quadratic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from innova_reports.booklet.blocks import Block, Booklet, Cover, Fields, Heading, Paragraphs, Table

FONT = "Arial"  # what French offices have; LibreOffice sets it in Liberation Sans, same metrics
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
NAVY_HEX, TINT_HEX = "1F3A5F", "EEF2F7"
CELL_STYLE = "Texte de tableau"
CELL_STYLE_ID = "Textedetableau"  # python-docx's id of CELL_STYLE (its name without spaces)
NOTE_STYLE = "Remarque"
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
    """Adds blocks in order; a level-1 heading opens a new section named in its header."""

    def __init__(self, document) -> None:
        self.document = document

    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, Paragraphs):
            for text in block.paragraphs:
                self.document.add_paragraph(_xml(text), style=NOTE_STYLE if block.note else None)
        elif isinstance(block, Fields):
            self._table(("", ""), block.rows, (1, 2.2), (False, False), None, labels=True)
        elif isinstance(block, Table):
            self._table(block.columns, block.rows, block.widths, block.numeric, block.total)

    def _heading(self, block: Heading) -> None:
        if block.level == 1:
            section = self.document.add_section(WD_SECTION.NEW_PAGE)
            _part_header(section, block.text)
        paragraph = self.document.add_heading(_xml(block.text), level=block.level)
        if block.level == 2 and block.new_page:
            paragraph.paragraph_format.page_break_before = True

    def _table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        numeric: Sequence[bool],
        total: Sequence[str] | None,
        *,
        labels: bool = False,
    ) -> None:
        table = self.document.add_table(rows=0, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        scale = 17 / sum(widths)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width * scale)
        grid = [int(Cm(width * scale)) for width in widths]
        tbl = table._tbl
        if not labels:
            _row(tbl, columns, grid, numeric, header=True)
        for row in rows:
            _row(tbl, row, grid, numeric, first_bold=labels)
        if total is not None:
            _row(tbl, total, grid, numeric, bold=True)
        self.document.add_paragraph().paragraph_format.space_after = Pt(2)


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


def _row(
    tbl,
    values: Sequence[str],
    grid: Sequence[int],
    numeric: Sequence[bool],
    *,
    header: bool = False,
    bold: bool = False,
    first_bold: bool = False,
) -> None:
    tr = OxmlElement("w:tr")
    properties = OxmlElement("w:trPr")
    if header:  # repeated at the top of every page the table runs over
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)
    tr.append(properties)
    for index, value in enumerate(values):
        strong = header or bold or (first_bold and index == 0)
        fill = NAVY_HEX if header else TINT_HEX if (bold or (first_bold and index == 0)) else None
        tr.append(_cell(value, grid[index], numeric[index], strong, fill, white=header))
    tbl.append(tr)


def _cell(text: str, width: int, right: bool, bold: bool, fill: str | None, white: bool):
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width // 635))  # EMU to twentieths of a point
    tc_w.set(qn("w:type"), "dxa")
    tc_pr.append(tc_w)
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        tc_pr.append(shading)
    tc.append(tc_pr)
    paragraph = OxmlElement("w:p")
    p_pr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), CELL_STYLE_ID)
    p_pr.append(style)
    if right:
        justify = OxmlElement("w:jc")
        justify.set(qn("w:val"), "right")
        p_pr.append(justify)
    paragraph.append(p_pr)
    run = OxmlElement("w:r")
    if bold or white:
        r_pr = OxmlElement("w:rPr")
        if bold:
            r_pr.append(OxmlElement("w:b"))
        if white:
            color = OxmlElement("w:color")
            color.set(qn("w:val"), "FFFFFF")
            r_pr.append(color)
        run.append(r_pr)
    for position, line in enumerate(_xml(text).split("\n")):
        if position:
            run.append(OxmlElement("w:br"))
        piece = OxmlElement("w:t")
        piece.set(qn("xml:space"), "preserve")
        piece.text = line
        run.append(piece)
    paragraph.append(run)
    tc.append(paragraph)
    return tc


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

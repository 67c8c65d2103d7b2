"""``xl/styles.xml`` of a copy: the looks of our marks, appended, never changed.

A marked cell keeps its own style (number format, borders, protection, font): the
mark is a conditional format whose differential style (``dxf``) paints it. So the
cell's style is untouched and removing the mark next month gives the cell back
exactly as it was. The « À corriger » sheet gets a few cell styles of its own. Each
look is added once: a copy of a copy reuses the entries already there.

*Erreur* and *avertissement* differ by colour and also in black and white: an error
is hatched (Excel) and framed by a solid thick line, a warning plain with a dashed
line.
"""

from __future__ import annotations

from innova_reports.annotate.package import Package
from innova_reports.annotate.xmltext import (
    CannotAnnotate,
    element,
    ensure_open,
    prefix_of,
    start_tag,
    with_attribute,
)
from innova_reports.report.issue import Severity

STYLES = "xl/styles.xml"

# (text colour, fill colour, border style) of each severity
LOOKS = {
    Severity.ERROR: ("FF9C0006", "FFFFC7CE", "medium"),
    Severity.WARNING: ("FF7F4F00", "FFFFD27F", "dashed"),
}
_ERROR_PATTERN = "lightUp"  # thin diagonal hatching, in the text colour
_SECTIONS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
             "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip
_CHILD = {"fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf", "dxfs": "dxf"}


class Styles:
    """Index of each look in ``xl/styles.xml``, added when missing."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.xml = package.text(STYLES)
        self.p = prefix_of(self.xml, "styleSheet")

    def index(self, section: str, snippet: str) -> int:
        """The position of ``snippet`` among the section's children, appended if absent."""
        p = self.p
        self._ensure_section(section)
        self.xml = ensure_open(self.xml, p + section)
        block = element(p + section).search(self.xml)
        children = list(element(p + _CHILD[section]).finditer(self.xml, block.start(), block.end()))
        for position, child in enumerate(children):
            if child.group(0) == snippet:
                return position
        at = self.xml.rfind(f"</{p}{section}", block.start(), block.end())
        self.xml = self.xml[:at] + snippet + self.xml[at:]
        self._recount(section, len(children) + 1)
        return len(children)

    def _ensure_section(self, section: str) -> None:
        p = self.p
        if start_tag(p + section).search(self.xml):
            return
        later = tuple(p + name for name in _SECTIONS[_SECTIONS.index(section) + 1 :])
        found = [m.start() for name in later if (m := start_tag(name).search(self.xml))]
        at = min(found) if found else self.xml.rfind(f"</{p}styleSheet")
        if at < 0:
            raise CannotAnnotate("feuille de styles illisible")
        self.xml = self.xml[:at] + f'<{p}{section} count="0"></{p}{section}>' + self.xml[at:]

    def _recount(self, section: str, count: int) -> None:
        tag = start_tag(self.p + section).search(self.xml)
        counted = with_attribute(tag.group(0), "count", str(count))
        self.xml = self.xml[: tag.start()] + counted + self.xml[tag.end() :]

    # -- the looks ---------------------------------------------------------------------

    def mark(self, severity: Severity) -> int:
        """The dxf of a mark."""
        p = self.p
        text, fill, line = LOOKS[severity]
        font = f"<{p}b/>" if severity is Severity.ERROR else f"<{p}i/>"
        if severity is Severity.ERROR:
            pattern = (f'<{p}patternFill patternType="{_ERROR_PATTERN}"><{p}fgColor rgb="{text}"/>'
                       f'<{p}bgColor rgb="{fill}"/></{p}patternFill>')  # fmt: skip
        else:  # in a dxf a solid fill's colour is its bgColor
            pattern = (
                f'<{p}patternFill patternType="solid"><{p}bgColor rgb="{fill}"/></{p}patternFill>'
            )
        snippet = (f'<{p}dxf><{p}font>{font}<{p}color rgb="{text}"/></{p}font>'
                   f"<{p}fill>{pattern}</{p}fill>{self._border_body(line, text)}</{p}dxf>")  # fmt: skip
        return self.index("dxfs", snippet)

    def _border_body(self, line: str, colour: str) -> str:
        p = self.p
        sides = "".join(f'<{p}{side} style="{line}"><{p}color rgb="{colour}"/></{p}{side}>'
                        for side in ("left", "right", "top", "bottom"))  # fmt: skip
        return f"<{p}border>{sides}<{p}diagonal/></{p}border>"

    def cell_style(self, *, bold: bool = False, italic: bool = False, size: int = 11,
                   colour: str = "FF000000", underline: bool = False, fill: str = "",
                   severity: Severity | None = None, wrap: bool = True) -> int:  # fmt: skip
        """A cell style of the « À corriger » sheet (cellXfs index)."""
        p = self.p
        if severity is not None:
            colour, fill_colour, line = LOOKS[severity]
            bold, italic = severity is Severity.ERROR, severity is Severity.WARNING
        font = (("<b/>" if bold else "") + ("<i/>" if italic else "") + ("<u/>" if underline else "")
                + f'<sz val="{size}"/><color rgb="{colour}"/><name val="Calibri"/><family val="2"/>')  # fmt: skip
        font_id = self.index("fonts", f"<{p}font>{_prefixed(font, p)}</{p}font>")
        fill_id = border_id = 0
        if severity is not None:
            kind = _ERROR_PATTERN if severity is Severity.ERROR else "solid"
            front = colour if severity is Severity.ERROR else fill_colour
            fill_id = self.index("fills", f'<{p}fill><{p}patternFill patternType="{kind}">'
                                          f'<{p}fgColor rgb="{front}"/><{p}bgColor rgb="{fill_colour}"/>'
                                          f"</{p}patternFill></{p}fill>")  # fmt: skip
            border_id = self.index("borders", self._border_body(line, colour))
        elif fill:
            fill_id = self.index("fills", f'<{p}fill><{p}patternFill patternType="solid">'
                                          f'<{p}fgColor rgb="{fill}"/></{p}patternFill></{p}fill>')  # fmt: skip
        wrapped = ' wrapText="1"' if wrap else ""
        xf = (f'<{p}xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" '
              f'xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
              f'<{p}alignment vertical="top"{wrapped}/></{p}xf>')  # fmt: skip
        return self.index("cellXfs", xf)

    def save(self) -> None:
        self.package.put(STYLES, self.xml)


def _prefixed(snippet: str, p: str) -> str:
    return snippet.replace("<", f"<{p}") if p else snippet

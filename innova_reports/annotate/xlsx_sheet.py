"""One worksheet's XML in a copy: our conditional formats in, last month's out.

A mark is a conditional format whose rule is always true, recognised by its formula
(``MARKER_FORMULA``, which Excel and LibreOffice keep as written): removing every rule
with that formula removes our marks and nothing of the group's. Our rules come first
(priority 1, 2), so that a mark shows over the template's own formats.
"""

from __future__ import annotations

import re

from innova_reports.annotate.opc import REL
from innova_reports.annotate.xmltext import (
    CannotAnnotate,
    attributes,
    element,
    insert_before_first,
    namespace_prefix,
    prefix_of,
    start_tag,
    with_attribute,
)

MARKER_FORMULA = '"innova-controle"<>""'
_MARKER_XML = ("&quot;innova-controle&quot;&lt;&gt;&quot;&quot;", '"innova-controle"&lt;&gt;""')
# The worksheet's children that come after conditionalFormatting, and after
# legacyDrawing (ECMA-376, CT_Worksheet): a part must keep this order.
AFTER_CONDITIONAL = ("conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
                     "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                     "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
                     "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
                     "controls", "webPublishItems", "tableParts", "extLst")  # fmt: skip
AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                "webPublishItems", "tableParts", "extLst")  # fmt: skip
_PRIORITY = re.compile(r"""(<(?:[\w.-]+:)?cfRule\b[^>]*?\bpriority\s*=\s*["'])(\d+)(["'])""")


class SheetXml:
    """A worksheet part as text, with the edits a copy needs."""

    def __init__(self, xml: str) -> None:
        self.xml = xml
        self.p = prefix_of(xml, "worksheet")

    def _tail(self) -> tuple[int, int]:
        """Where the children after sheetData are: [end of sheetData, start of extLst)."""
        p = self.p
        closed = self.xml.rfind(f"</{p}sheetData>")
        if closed >= 0:
            start = closed + len(f"</{p}sheetData>")
        else:
            empty = start_tag(p + "sheetData").search(self.xml)
            if empty is None:
                raise CannotAnnotate("données de la feuille introuvables")
            start = empty.end()
        ext = start_tag(p + "extLst").search(self.xml, start)
        return start, ext.start() if ext else self.xml.rfind("</")

    def clear_marks(self) -> bool:
        """Remove our conditional formats; True if there were any."""
        start, end = self._tail()
        head, tail, rest = self.xml[:start], self.xml[start:end], self.xml[end:]
        blocks, rules = element(self.p + "conditionalFormatting"), element(self.p + "cfRule")
        count = 0

        def ours(rule: re.Match[str]) -> str:
            nonlocal count
            if any(marker in (rule["body"] or "") for marker in _MARKER_XML):
                count += 1
                return ""
            return rule.group(0)

        def drop(block: re.Match[str]) -> str:
            whole, body = block.group(0), block["body"]
            if body is None:
                return whole
            kept = rules.sub(ours, body)
            if kept == body:
                return whole
            if rules.search(kept) is None:
                return ""
            head = start_tag(self.p + "conditionalFormatting").match(whole).end()
            return whole[:head] + kept + f"</{self.p}conditionalFormatting>"

        tail = blocks.sub(drop, tail)
        self.xml = head + tail + rest
        return count > 0

    def add_marks(self, cells_by_dxf: list[tuple[int, list[str]]]) -> None:
        """One conditional format per look, over its cells, before any other."""
        if not cells_by_dxf:
            return
        start, end = self._tail()
        taken = [int(m[2]) for m in _PRIORITY.finditer(self.xml, start)]
        shift = len(cells_by_dxf) - min(taken) + 1 if taken else 0
        if shift > 0:  # the others after ours, in their order
            tail = _PRIORITY.sub(lambda m: f"{m[1]}{int(m[2]) + shift}{m[3]}", self.xml[start:])
            self.xml = self.xml[:start] + tail
        p = self.p
        blocks = "".join(
            f'<{p}conditionalFormatting sqref="{" ".join(cells)}"><{p}cfRule type="expression" '
            f'dxfId="{dxf}" priority="{priority}"><{p}formula>{_MARKER_XML[1]}</{p}formula>'
            f"</{p}cfRule></{p}conditionalFormatting>"
            for priority, (dxf, cells) in enumerate(cells_by_dxf, start=1)
        )
        start, end = self._tail()
        names = tuple(p + name for name in AFTER_CONDITIONAL)
        self.xml = insert_before_first(self.xml, names, blocks, start=start, end=end)

    def unselect(self) -> None:
        """No tab selected here: the copy opens on « À corriger » alone."""

        def edit(match: re.Match[str]) -> str:
            value = attributes(match.group(0)).get("tabSelected", "")
            if value.strip().lower() in ("1", "true"):
                return with_attribute(match.group(0), "tabSelected", None)
            return match.group(0)

        self.xml = start_tag(self.p + "sheetView").sub(edit, self.xml)

    def legacy_drawing_id(self) -> str:
        """The relationship id of the sheet's VML drawing (notes), "" if none."""
        match = start_tag(self.p + "legacyDrawing").search(self.xml)
        if match is None:
            return ""
        values = attributes(match.group(0))
        return next((v for k, v in values.items() if k.endswith(":id") or k == "id"), "")

    def add_legacy_drawing(self, rel_id: str) -> None:
        prefix = namespace_prefix(self.xml, REL)
        if prefix:
            tag = f'<{self.p}legacyDrawing {prefix}id="{rel_id}"/>'
        else:
            tag = f'<{self.p}legacyDrawing xmlns:r="{REL}" r:id="{rel_id}"/>'
        start, end = self._tail()
        names = tuple(self.p + name for name in AFTER_LEGACY)
        self.xml = insert_before_first(self.xml, names, tag, start=start, end=end)

    def remove_legacy_drawing(self) -> None:
        self.xml = element(self.p + "legacyDrawing").sub("", self.xml, count=1)

"""``xl/workbook.xml`` of a copy: its sheets, and the « À corriger » sheet put first.

Inserting a sheet in front shifts the position of every other one, so the sheet-scoped
defined names (print areas, print titles, a user's local names), which point at their
sheet by position (``localSheetId``), are shifted too; removing our sheet of last month
shifts them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from innova_reports.annotate import opc
from innova_reports.annotate.package import Package
from innova_reports.annotate.text import xml_attr
from innova_reports.annotate.xmltext import (
    CannotAnnotate,
    attributes,
    element,
    ensure_open,
    namespace_prefix,
    prefix_of,
    start_tag,
    with_attribute,
)

WORKBOOK = "xl/workbook.xml"


@dataclass(frozen=True)
class SheetEntry:
    name: str
    part: str  # zip member, "" when its relationship is missing
    rel_id: str
    sheet_id: int


class Book:
    """The sheets of ``xl/workbook.xml``, edited in place; ``save`` puts the part back."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.xml = package.text(WORKBOOK)
        self.p = prefix_of(self.xml, "workbook")
        rel_prefix = namespace_prefix(self.xml, opc.REL)
        self.r = rel_prefix if rel_prefix else ""
        self.rel_attribute = f"{self.r}id" if rel_prefix else "r:id"
        targets = {rel.id: rel.part for rel in opc.relationships(package, WORKBOOK)}
        self.sheets = []
        for tag in self._sheet_tags():
            values = attributes(tag.group(0))
            rel_id = values.get(self.rel_attribute, "")
            try:
                sheet_id = int(values.get("sheetId", "0"))
            except ValueError:
                raise CannotAnnotate("identifiant de feuille illisible") from None
            self.sheets.append(SheetEntry(values.get("name", ""), targets.get(rel_id, ""),
                                          rel_id, sheet_id))  # fmt: skip

    def _sheet_tags(self) -> list[re.Match[str]]:
        block = element(self.p + "sheets").search(self.xml)
        if block is None:
            raise CannotAnnotate("liste des feuilles introuvable")
        return list(start_tag(self.p + "sheet").finditer(self.xml, block.start(), block.end()))

    def part_of(self, sheet: str) -> str:
        return next((s.part for s in self.sheets if s.name == sheet), "")

    def remove_sheet(self, index: int) -> None:
        """Remove a sheet (ours, from last time) and every trace of it in the book."""
        entry = self.sheets.pop(index)
        tag = self._sheet_tags()[index]
        self.xml = self.xml[: tag.start()] + self.xml[tag.end() :]
        self._shift_local_names(lambda k: None if k == index else k - 1 if k > index else k)
        opc.remove_relationships(self.package, WORKBOOK, {entry.rel_id})
        if entry.part:
            opc.remove_part(self.package, entry.part)

    def insert_first(self, name: str, part: str, print_titles: str) -> None:
        """Add ``part`` as the first sheet, open the workbook on it; ``print_titles`` is
        the rows repeated on each printed page (``$6:$6``)."""
        rel_id = opc.add_relationship(self.package, WORKBOOK, opc.WORKSHEET, part)
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        declare = "" if self.rel_attribute != "r:id" or self.r else f' xmlns:r="{opc.REL}"'
        snippet = (f"<{self.p}sheet name={xml_attr(name)} sheetId=\"{sheet_id}\"{declare} "
                   f'{self.rel_attribute}="{rel_id}"/>')  # fmt: skip
        opened = start_tag(self.p + "sheets").search(self.xml)
        self.xml = self.xml[: opened.end()] + snippet + self.xml[opened.end() :]
        self.sheets.insert(0, SheetEntry(name, part, rel_id, sheet_id))
        self._shift_local_names(lambda k: k + 1)
        self._add_local_name("_xlnm.Print_Titles", 0, f"{_quoted(name)}!{print_titles}")
        self._open_on_first_sheet()
        opc.add_override(self.package, part, opc.WORKSHEET_TYPE)

    def _shift_local_names(self, shift) -> None:
        def edit(match: re.Match[str]) -> str:
            whole = match.group(0)
            local = attributes(whole).get("localSheetId")
            if local is None or not local.strip().isdigit():
                return whole
            moved = shift(int(local))
            if moved is None:
                return ""
            head_end = start_tag(self.p + "definedName").match(whole).end()
            head = with_attribute(whole[:head_end], "localSheetId", str(moved))
            return head + whole[head_end:]

        self.xml = element(self.p + "definedName").sub(edit, self.xml)

    def _add_local_name(self, name: str, local: int, formula: str) -> None:
        p = self.p
        if element(p + "definedNames").search(self.xml) is None:
            closed = self.xml.find(f"</{p}sheets>")
            end = closed + len(f"</{p}sheets>")
            self.xml = self.xml[:end] + f"<{p}definedNames></{p}definedNames>" + self.xml[end:]
        self.xml = ensure_open(self.xml, p + "definedNames")
        opened = start_tag(p + "definedNames").search(self.xml)
        snippet = (f'<{p}definedName name="{name}" localSheetId="{local}">'
                   f"{_escape(formula)}</{p}definedName>")  # fmt: skip
        self.xml = self.xml[: opened.end()] + snippet + self.xml[opened.end() :]

    def _open_on_first_sheet(self) -> None:
        def edit(match: re.Match[str]) -> str:
            tag = with_attribute(match.group(0), "activeTab", "0")
            return with_attribute(tag, "firstSheet", "0")

        self.xml = start_tag(self.p + "workbookView").sub(edit, self.xml)

    def save(self) -> None:
        self.package.put(WORKBOOK, self.xml)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

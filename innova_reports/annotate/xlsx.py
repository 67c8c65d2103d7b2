"""An annotated copy of an .xlsx workbook, made by patching its package parts.

Loading and saving the workbook with a library would drop what that library does not
model (x14 data validations, images, some conditional formats). Here every part we do
not need to change is copied byte for byte; the parts we change are edited in place:
the workbook (a first sheet « À corriger »), its relationships and content types, the
styles (our looks appended), and the worksheets that get marks or notes. Last month's
marks are removed first, so a copy of a copy carries this month's marks only.
"""

from __future__ import annotations

from collections.abc import Iterable

from innova_reports.annotate.opc import COMMENTS, relationships
from innova_reports.annotate.package import Package
from innova_reports.annotate.plan import AUTHOR, MARKED, SHEET_TITLE, Plan, build_plan, sorted_cells
from innova_reports.annotate.xlsx_book import Book
from innova_reports.annotate.xlsx_list import PRINT_TITLES, list_sheet
from innova_reports.annotate.xlsx_notes import Notes, vml_blocks
from innova_reports.annotate.xlsx_sheet import SheetXml
from innova_reports.annotate.xlsx_styles import Styles
from innova_reports.read.safety import (
    DEFAULT_LIMITS,
    Limits,
    check_is_workbook,
    scan_sheet,
    without_cells,
)
from innova_reports.read.xlsx import merged_ranges, parse_ref, read_structure
from innova_reports.report.issue import Issue

FAR_CELLS = "cellules-hors-zone"
_MARKER_BYTES = (b"innova-controle", " – contrôle :".encode())


def annotate_xlsx(
    data: bytes, issues: Iterable[Issue], *, suffix: str = ".xlsx", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """The workbook with ``issues`` marked, noted and listed in a first sheet."""
    issues = list(issues)
    package = Package(data, suffix, limits)
    check_is_workbook(package.archive, suffix)
    structure = read_structure(package.archive)
    book = Book(package)
    used = {parsed[0] for f in structure.names.values() if (parsed := parse_ref(f))}
    used |= {table.sheet for table in structure.tables.values()}
    for index in reversed(range(len(book.sheets))):
        if book.sheets[index].name == SHEET_TITLE and SHEET_TITLE not in used:
            book.remove_sheet(index)
    stripped = _strip_far_cells(package, book, issues, limits)
    merges: dict[str, tuple] = {}

    def merges_of(sheet: str) -> tuple:
        if sheet not in merges:
            merges[sheet] = merged_ranges(package.raw(book.part_of(sheet)))
        return merges[sheet]

    present = [s.name for s in book.sheets if s.part in package]
    plan = build_plan(issues, present, merges_of, stripped)
    styles = Styles(package)
    _patch_sheets(package, book, plan, styles)
    if plan.points:
        part = package.free_name("xl/worksheets/a_corriger{}.xml")
        package.put(part, list_sheet(plan, styles))
        book.insert_first(_free_title(book), part, PRINT_TITLES)
    styles.save()
    book.save()
    return package.to_bytes()


def _patch_sheets(package: Package, book: Book, plan: Plan, styles: Styles) -> None:
    looks = {severity: None for severity in MARKED}
    block = vml_blocks(package)
    for entry in book.sheets:
        if entry.part not in package:
            continue
        marks = plan.marks.get(entry.name, {})
        if not marks and not _holds_ours(package, entry.part, selected=bool(plan.points)):
            continue  # copied as it came
        sheet = SheetXml(package.text(entry.part))
        sheet.clear_marks()
        notes = Notes(package, entry.part, sheet, block + 1)
        notes.clear()
        notes.add(marks, AUTHOR)
        if marks and not notes.vml_part:
            block += 1
        by_look = []
        for severity in MARKED:
            cells = [cell for cell, mark in marks.items() if mark.severity is severity]
            if cells:
                if looks[severity] is None:
                    looks[severity] = styles.mark(severity)
                by_look.append((looks[severity], sorted_cells(cells)))
        sheet.add_marks(by_look)
        if plan.points:
            sheet.unselect()
        notes.finish()
        package.put(entry.part, sheet.xml)


def _holds_ours(package: Package, part: str, *, selected: bool) -> bool:
    """Whether a sheet without marks this time still needs an edit: our marks or notes of
    last time to remove, or (``selected``) its tab to unselect. Cheap tests on bytes."""
    raw = package.raw(part)
    if _MARKER_BYTES[0] in raw:
        return True
    if selected and (b'tabSelected="1"' in raw or b'tabSelected="true"' in raw):
        return True
    if b"legacyDrawing" not in raw:
        return False
    for rel in relationships(package, part):
        if (
            rel.type == COMMENTS
            and rel.part in package
            and _MARKER_BYTES[1] in package.raw(rel.part)
        ):
            return True
    return False


def _strip_far_cells(
    package: Package, book: Book, issues: list[Issue], limits: Limits
) -> set[tuple[str, str]]:
    """Stray far cells out of the sheets where the reader set them aside: the copy must
    not carry again what it was protected from. Returns the (sheet, cell) removed."""
    stripped = set()
    for sheet in sorted({i.sheet for i in issues if i.type == FAR_CELLS and i.sheet}):
        part = book.part_of(sheet)
        if part not in package:
            continue
        xml = package.raw(part)
        far = scan_sheet(xml, sheet, limits).far_cells
        if far:
            package.put(part, without_cells(xml, far))
            stripped |= {(sheet, cell) for cell in far}
    return stripped


def _free_title(book: Book) -> str:
    taken = {entry.name.casefold() for entry in book.sheets}
    title, number = SHEET_TITLE, 2
    while title.casefold() in taken:
        title, number = f"{SHEET_TITLE} ({number})", number + 1
    return title

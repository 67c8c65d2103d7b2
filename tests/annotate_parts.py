"""Reading an annotated .xlsx back for tests: our marks, our notes, and the parts
normalised so that a copy compares equal to its original once our additions are
taken out (XlsxWriter's way: compare part by part after normalising)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl

from innova_reports.annotate.plan import SHEET_TITLE
from innova_reports.annotate.xlsx_sheet import MARKER_FORMULA

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
N = {"m": MAIN}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_member(path: Path, sheet: str) -> str:
    parts = members(path)
    book = ET.fromstring(parts["xl/workbook.xml"])
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    for element in book.iter(f"{{{MAIN}}}sheet"):
        if element.get("name") == sheet:
            target = targets[element.get(f"{{{RELS}}}id")]
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(sheet)


def marks(path: Path, sheet: str) -> dict[str, int]:
    """Cell -> dxf index of each of our conditional formats on ``sheet``."""
    root = ET.fromstring(members(path)[sheet_member(path, sheet)])
    found: dict[str, int] = {}
    for block in root.iter(f"{{{MAIN}}}conditionalFormatting"):
        for rule in block.iter(f"{{{MAIN}}}cfRule"):
            formula = rule.find("m:formula", N)
            if formula is not None and formula.text == MARKER_FORMULA:
                for cell in block.get("sqref", "").split():
                    assert cell not in found, f"{cell} marked twice"
                    found[cell] = int(rule.get("dxfId"))
    return found


def dxf_looks(path: Path) -> list[tuple[str, str]]:
    """(fill pattern, border style) of each dxf of the workbook."""
    root = ET.fromstring(members(path)["xl/styles.xml"])
    looks = []
    for dxf in root.iter(f"{{{MAIN}}}dxf"):
        pattern = dxf.find("m:fill/m:patternFill", N)
        left = dxf.find("m:border/m:left", N)
        looks.append((pattern.get("patternType") if pattern is not None else "",
                      left.get("style") if left is not None else ""))  # fmt: skip
    return looks


def excel_text(value):
    """A string as Excel shows it: openpyxl leaves the ``_xHHHH_`` escapes of inline
    strings and comments undecoded (Excel, LibreOffice and calamine decode them)."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), value)


def notes(path: Path, sheet: str) -> dict[str, str]:
    """Cell -> text of each note of a sheet, as openpyxl reads them (escapes decoded)."""
    workbook = openpyxl.load_workbook(path)
    return {
        cell.coordinate: excel_text(cell.comment.text)
        for row in workbook[sheet].iter_rows()
        for cell in row
        if cell.comment is not None
    }


def list_rows(path: Path) -> list[tuple]:
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == SHEET_TITLE
    sheet = workbook[SHEET_TITLE]
    return [tuple(excel_text(cell.value) for cell in row) for row in sheet.iter_rows(min_row=7)]


def links(path: Path) -> dict[str, str]:
    """Cell of « À corriger » -> location of its internal link."""
    sheet = openpyxl.load_workbook(path)[SHEET_TITLE]
    return {
        cell.coordinate: cell.hyperlink.location
        for row in sheet.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    }


# -- normalising the parts we patch -----------------------------------------------------


def canonical(xml: bytes) -> str:
    return ET.canonicalize(xml.decode("utf-8-sig"), strip_text=True)


def without_our_sheet(xml: bytes) -> bytes:
    """workbook.xml as it was: our sheet and its print titles out, positions back."""
    root = ET.fromstring(xml)
    sheets = root.find("m:sheets", N)
    for sheet in list(sheets):
        if sheet.get("name") == SHEET_TITLE:
            sheets.remove(sheet)
    names = root.find("m:definedNames", N)
    for name in list(names if names is not None else []):
        local = name.get("localSheetId")
        if local == "0":
            names.remove(name)
        elif local is not None:
            name.set("localSheetId", str(int(local) - 1))
    return without_views(ET.tostring(root))


def without_views(xml: bytes) -> bytes:
    """workbook.xml without the views' first and active tab (the copy opens on ours)."""
    root = ET.fromstring(xml)
    for view in root.iter(f"{{{MAIN}}}workbookView"):
        view.attrib.pop("activeTab", None)
        view.attrib.pop("firstSheet", None)
    return ET.tostring(root)


def without_marks(xml: bytes) -> bytes:
    """A worksheet as it was: our conditional formats, the notes' drawing link and the
    selected tab out."""
    root = ET.fromstring(xml)
    for block in list(root.findall("m:conditionalFormatting", N)):
        formulas = [f.text for f in block.iter(f"{{{MAIN}}}formula")]
        if MARKER_FORMULA in formulas:
            root.remove(block)
    for drawing in root.findall("m:legacyDrawing", N):
        root.remove(drawing)
    for view in root.iter(f"{{{MAIN}}}sheetView"):
        view.attrib.pop("tabSelected", None)
    # the group's formats come after ours: their priorities move, their order does not
    rules = [r for r in root.iter() if r.tag.endswith("}cfRule") and r.get("priority")]
    for rank, rule in enumerate(sorted(rules, key=lambda r: int(r.get("priority"))), start=1):
        rule.set("priority", str(rank))
    return ET.tostring(root)


def children_prefix(original: bytes, copy: bytes) -> bool:
    """Every child of every section of the original styles is where it was in the copy."""
    before, after = ET.fromstring(original), ET.fromstring(copy)
    for section in before:
        other = after.find(section.tag)
        if other is None:
            return False
        old = [ET.tostring(child) for child in section]
        new = [ET.tostring(child) for child in other][: len(old)]
        if old != new:
            return False
    return True


def entries_kept(original: bytes, copy: bytes) -> bool:
    """Every relationship or content type of the original is in the copy."""
    old = {tuple(sorted(e.attrib.items())) for e in ET.fromstring(original)}
    new = {tuple(sorted(e.attrib.items())) for e in ET.fromstring(copy)}
    return old <= new


def sheet_data(xml: bytes) -> str:
    match = re.search(rb"<(?:\w+:)?sheetData\b.*?</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>",
                      xml, re.S)  # fmt: skip
    return match.group(0).decode() if match else ""

"""Builders of broken and hostile files, in code: what the reader must refuse calmly.

Each builder writes one file and returns its path. Those derived from a real template
take a filled workbook (from ``tests.factories.make_workbook``) and rewrite zip members.
Everything stays small on disk: the decompression bomb is a few kilobytes.
"""

from __future__ import annotations

import io
import os
import random
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XXE_DOCTYPE = b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)

Change = bytes | Callable[[bytes], bytes] | None


def rewrite_zip(source: Path, target: Path, changes: dict[str, Change]) -> Path:
    """Copy a zip, replacing (bytes), transforming (callable), removing (None) or adding members."""
    with (
        zipfile.ZipFile(source) as archive,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in archive.infolist():
            if member.filename in changes:
                change = changes[member.filename]
                if change is None:
                    continue
                data = change(archive.read(member)) if callable(change) else change
                out.writestr(member.filename, data)
            else:
                out.writestr(member, archive.read(member))
        for name, change in changes.items():
            if name not in archive.NameToInfo and isinstance(change, bytes):
                out.writestr(name, change)
    return target


def member_of_sheet(workbook: Path, sheet: str) -> str:
    """The zip member holding a sheet, found the simple way (template order)."""
    with zipfile.ZipFile(workbook) as archive:
        xml = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    # attributes in any order: openpyxl puts xmlns:r first when lxml is installed
    rel_id = re.search(rf'<sheet\b[^>]*\bname="{re.escape(sheet)}"[^>]*\br:id="(\w+)"', xml)[1]
    target = re.search(rf'Target="([^"]+)" Id="{rel_id}"|Id="{rel_id}"[^>]*Target="([^"]+)"', rels)
    path = target[1] or target[2]
    return path.lstrip("/") if path.startswith("/") else "xl/" + path


def insert_in_prolog(xml: bytes, doctype: bytes) -> bytes:
    """Put a DOCTYPE right after the XML declaration (or at the start)."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml


# -- not zip at all ----------------------------------------------------------------------


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def random_bytes(path: Path, size: int = 4096) -> Path:
    generator = random.Random(42)
    data = bytes(generator.randrange(256) for _ in range(size))
    path.write_bytes(b"\x00\xff" + data)  # never a known magic number
    return path


def csv_file(path: Path) -> Path:
    path.write_text("code_action;axe;titre\nA3.2;3;Dématérialisation\n", encoding="utf-8")
    return path


def html_file(path: Path) -> Path:
    path.write_text(
        "<!DOCTYPE html><html><body><table><tr><td>A3.2</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return path


def pdf_file(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    return path


def text_file(path: Path) -> Path:
    path.write_text("Notes de la réunion du groupe projet.\n", encoding="utf-8")
    return path


def ole_file(path: Path, streams: tuple[str, ...] = ("Workbook",)) -> Path:
    """An OLE compound file: header, then one directory sector naming the streams."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE) + bytes(512 - 30)
    entries = b""
    for name in ("Root Entry", *streams):
        encoded = (name + "\0").encode("utf-16-le")
        entry = encoded.ljust(64, b"\0") + struct.pack(
            "<HB", len(encoded), 2 if name != "Root Entry" else 5
        )
        entries += entry.ljust(128, b"\0")
    path.write_bytes(header + entries.ljust(512, b"\0"))
    return path


def xls_file(path: Path) -> Path:
    return ole_file(path, ("Workbook", "\x05SummaryInformation"))


def encrypted_file(path: Path) -> Path:
    """What Excel writes for a workbook with an opening password: OLE, not zip."""
    return ole_file(path, ("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))


# -- zips that are not our workbooks -------------------------------------------------------


def ods_file(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def fods_file(path: Path) -> Path:
    """A flat ODF spreadsheet (LibreOffice's « .fods »): one XML file, not a zip."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office='
        '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        "<office:body><office:spreadsheet/></office:body></office:document>",
        encoding="utf-8",
    )
    return path


def numbers_file(path: Path) -> Path:
    """An Apple Numbers document as Numbers 3 and later save it: a zip of .iwa parts."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Index/Document.iwa", os.urandom(64))
        archive.writestr("Metadata/Properties.plist", b"bplist00")
    return path


def odf_text_file(path: Path) -> Path:
    """A LibreOffice Writer document (.odt), not a spreadsheet."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def truncated(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def bomb(path: Path, megabytes: int = 5) -> Path:
    """A member inflating to megabytes of zeros from a few kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(megabytes * 1_000_000))
    return path


# -- our template, made hostile -------------------------------------------------------------


def with_doctype(
    source: Path, path: Path, member: str = "xl/workbook.xml", laughs: bool = False
) -> Path:
    doctype = LAUGHS_DOCTYPE if laughs else XXE_DOCTYPE
    return rewrite_zip(source, path, {member: lambda xml: insert_in_prolog(xml, doctype)})


def with_sheet_xml(source: Path, path: Path, sheet: str, edit: Callable[[bytes], bytes]) -> Path:
    return rewrite_zip(source, path, {member_of_sheet(source, sheet): edit})


def stray_cell(source: Path, path: Path, sheet: str, cell: str = "XFD1048576") -> Path:
    """A single value far away, as a slip of the keyboard leaves it."""
    row = re.sub(r"[A-Z]", "", cell)

    def edit(xml: bytes) -> bytes:
        stray = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{cell}"'.encode(), xml)
        return xml.replace(b"</sheetData>", stray.encode() + b"</sheetData>")

    return with_sheet_xml(source, path, sheet, edit)


def huge_sheet(source: Path, path: Path, sheet: str, rows: int = 15_000, columns: int = 10) -> Path:
    """A sheet of rows × columns real cells (150 000 by default), far above our limit."""
    letters = [chr(65 + i) for i in range(columns)]

    def edit(xml: bytes) -> bytes:
        body = "".join(
            f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in letters) + "</row>"
            for r in range(1, rows + 1)
        )
        xml = re.sub(
            rb"<sheetData>.*</sheetData>|<sheetData/>", b"<sheetData></sheetData>", xml, flags=re.S
        )
        xml = re.sub(
            rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{letters[-1]}{rows}"'.encode(), xml
        )
        return xml.replace(b"<sheetData></sheetData>", f"<sheetData>{body}</sheetData>".encode())

    return with_sheet_xml(source, path, sheet, edit)


def lying_dimension(source: Path, path: Path, sheet: str) -> Path:
    """A sheet that declares millions of cells but holds only its real ones."""

    def edit(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)

    return with_sheet_xml(source, path, sheet, edit)


def with_macros(source: Path, path: Path) -> Path:
    """An .xlsm: same workbook plus a VBA project (never run, never even parsed)."""
    return rewrite_zip(source, path, {"xl/vbaProject.bin": OLE_MAGIC + os.urandom(64)})


def excel_lock(path: Path) -> Path:
    path.write_bytes(b"\x0bAgent Innova" + bytes(150))
    return path


def libreoffice_lock(path: Path) -> Path:
    path.write_text(
        "Agent Innova,poste12,poste12,25.11.2026 10:00,file:///home/agent;", encoding="utf-8"
    )
    return path


def plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return path


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()

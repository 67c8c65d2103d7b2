"""Safety checks done before any parser sees a returned file.

Group members send whatever their software saved, and anyone can drop a file into the
workbooks folder, so every file is treated as hostile until proven otherwise: what it
really is (sniffed from its bytes, not its name), whether it fits in memory (sizes and
compression ratios from the zip directory, cell counts from a cheap scan of the sheet
XML), and whether its XML is plain (no DOCTYPE, hence no entity: refused by the parser itself).
A file that fails raises ``Refusal`` carrying one French message and a stable type.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLParser
from xml.parsers import expat

from defusedxml import DTDForbidden

from innova_reports.report import catalogue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
ODF_MIMETYPE_PREFIX = b"application/vnd.oasis.opendocument."
ENCRYPTION_STREAMS = ("EncryptionInfo", "EncryptedPackage")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
ODS_SUFFIXES = (".ods", ".ots")
XLSX, ODS = "xlsx", "ods"  # the two workbook formats read
SUFFIXES = {XLSX: EXCEL_SUFFIXES, ODS: ODS_SUFFIXES}


@dataclass(frozen=True)
class Limits:
    """What a returned template may weigh. Ours are far below: ~40 kB, a few hundred cells."""

    max_file_bytes: int = 20_000_000
    max_members: int = 1_000
    max_total_uncompressed: int = 100_000_000
    max_member_uncompressed: int = 40_000_000
    max_ratio: int = 200  # uncompressed / compressed, checked for members above 1 MB
    ratio_floor: int = 1_000_000
    max_cells: int = 100_000  # cells written in one sheet
    max_cells_total: int = 400_000  # cells of all sheets of an .ods (all are read at once)
    max_row: int = 5_000  # beyond this area a cell is set aside (see far_cells)
    max_column: int = 256  # IV


DEFAULT_LIMITS = Limits()


class Refusal(Exception):
    """A file that will not be read: ``kind`` is its issue type in the catalogue, and
    ``values`` fill that type's French template (``message``)."""

    def __init__(self, kind: str, **values: str) -> None:
        self.kind = kind
        self.values = values
        self.message = catalogue.message(kind, values)
        super().__init__(self.message)


# -- what the bytes really are -----------------------------------------------------------


def sniff(data: bytes) -> str:
    """The real format of a file: zip, ole, fods, html, text, pdf, empty or unknown."""
    if not data:
        return "empty"
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"%PDF"):
        return "pdf"
    head = data[:4096]
    text = _as_text(head)
    if text is None:
        return "unknown"
    lowered = text.lstrip("\ufeff \r\n\t").lower()
    if "<office:document" in lowered:  # a flat ODF document, e.g. a .fods
        return "fods"
    if lowered.startswith(("<!doctype html", "<html", "<table", "<?xml")) or "<html" in lowered:
        return "html"
    return "text"


def _as_text(head: bytes) -> str | None:
    for encoding in ("utf-8", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(ch.isprintable() or ch in "\r\n\t" for ch in text.rstrip("\x00")):
            return text
    return None


def refuse_not_zip(data: bytes, suffix: str) -> Refusal:
    """The Refusal for a file that is not an OOXML zip, saying what it really is."""
    fmt = sniff(data)
    renamed = suffix.lower() in EXCEL_SUFFIXES + ODS_SUFFIXES
    if fmt == "empty":
        return Refusal("fichier-vide")
    if fmt == "ole":
        return _refuse_ole(data, renamed, suffix)
    if fmt == "fods":
        return _refuse_other_format("fods", _FODS, renamed, suffix)
    if fmt in ("html", "text"):
        what = "une page web (HTML)" if fmt == "html" else "un fichier texte (CSV)"
        kind = "html" if fmt == "html" else "csv"
        return _refuse_other_format(kind, what, renamed, suffix)
    if fmt == "pdf":
        return Refusal(
            "pas-un-zip", what="c'est un document PDF, l'impression du classeur peut-être"
        )
    return Refusal(
        "pas-un-zip", what="son contenu est illisible, il a peut-être été abîmé pendant l'envoi"
    )


_FODS = "un classeur LibreOffice au format XML à plat (.fods)"


def _refuse_ole(data: bytes, renamed: bool, suffix: str) -> Refusal:
    # The stream names of an OLE compound file are stored in UTF-16 in its directory.
    if any(stream.encode("utf-16-le") in data for stream in ENCRYPTION_STREAMS):
        return Refusal("protege-par-mot-de-passe")
    return _refuse_other_format("xls", "un classeur Excel 97-2003 (.xls)", renamed, suffix)


def _refuse_other_format(kind: str, what: str, renamed: bool, suffix: str) -> Refusal:
    if renamed:
        return Refusal(f"{kind}-renomme", what=what, suffix=suffix.lower())
    return Refusal(f"format-{kind}", what=what)


# -- the zip container -------------------------------------------------------------------


def open_zip(data: bytes, suffix: str) -> zipfile.ZipFile:
    """Open the zip directory, or raise the Refusal that says why it cannot be."""
    if not data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        raise refuse_not_zip(data, suffix)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Refusal(
            "zip-tronque", damage="fichier tronqué, sans doute un envoi ou une copie interrompus"
        ) from None


def check_directory(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> None:
    """Sizes and ratios from the zip directory, before anything is decompressed.

    zipfile never inflates a member beyond the size its directory declares, so checking
    declared sizes is enough to bound memory.
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise _bomb(f"il contient {len(members)} parties")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_member_uncompressed:
            raise _bomb(f"la partie {member.filename} occupe {member.file_size // 1_000_000} Mo")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise _bomb(f"la partie {member.filename} est compressée {ratio:.0f} fois")
        if member.flag_bits & 0x1:
            raise Refusal("protege-par-mot-de-passe")
    if total > limits.max_total_uncompressed:
        raise _bomb(f"il occupe {total // 1_000_000} Mo une fois décompressé")


def _bomb(detail: str) -> Refusal:
    return Refusal("bombe-decompression", detail=detail)


def check_is_workbook(archive: zipfile.ZipFile, suffix: str) -> str:
    """The format of a zip that is a workbook we read, XLSX or ODS (whatever its name
    says: ``misnamed`` tells), or the Refusal saying what else it is (.xlsb, Numbers…)."""
    names = archive.NameToInfo
    if "mimetype" in names:
        mimetype = _head(archive, "mimetype").strip()
        if mimetype in ODS_MIMETYPES:
            return ODS
        if mimetype.startswith(ODF_MIMETYPE_PREFIX):  # a text, a presentation…
            raise Refusal("pas-un-classeur")
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        raise Refusal("format-xlsb")
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        renamed = suffix.lower() in EXCEL_SUFFIXES + ODS_SUFFIXES
        raise _refuse_other_format("numbers", "un classeur Apple Numbers", renamed, suffix)
    raise Refusal("pas-un-classeur")


def misnamed(fmt: str, suffix: str) -> bool:
    """Whether a workbook's name ends with another format's extension (an .ods named
    .xlsx): it is read, but the program that opens it by its name may refuse it."""
    return suffix.lower() not in SUFFIXES[fmt]


def _head(archive: zipfile.ZipFile, name: str, size: int = 256) -> bytes:
    try:
        with archive.open(name) as stream:
            return stream.read(size)
    except Exception as exc:  # BadZipFile, zlib.error, EOFError: all mean a broken part
        raise _corrupt(name) from exc


# -- XML -------------------------------------------------------------------------------


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, refused if it declares a DOCTYPE or entities."""
    try:
        data = archive.read(name)
    except KeyError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError: all mean a broken part
        raise _corrupt(name) from exc
    try:
        found = _has_doctype(data)
    except expat.ExpatError:
        raise _corrupt(name) from None
    if found:
        raise _dangerous(name)
    return data


_CHUNK = 4096


def vet_member(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a part we do not parse ourselves if its prolog declares a DOCTYPE.

    Only the prolog can hold one, so the part is inflated chunk by chunk only until its
    root element starts (usually the first 4 kB): themes and styles are the larger parts
    of a returned workbook, and calamine reads the styles itself.
    """
    try:
        with archive.open(name) as stream:
            found = _prolog_declares_doctype(iter(lambda: stream.read(_CHUNK), b""))
    except KeyError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError: all mean a broken part
        raise _corrupt(name) from exc
    if found:
        raise _dangerous(name)


def _has_doctype(data: bytes) -> bool:
    return _prolog_declares_doctype(data[i : i + _CHUNK] for i in range(0, len(data), _CHUNK))


class _PrologEnd(Exception):
    pass


def _prolog_declares_doctype(chunks) -> bool:
    """Whether the XML prolog declares a DOCTYPE (and so, possibly, entities).

    Expat reads the prolog as an XML parser does — comments, processing instructions,
    any encoding (UTF-16 included) — and is stopped at the first element: a byte search
    could be fooled by a DOCTYPE after a comment holding "<a". A prolog that is not
    well-formed XML raises ExpatError: the caller refuses the part as broken.
    """
    parser = expat.ParserCreate()

    def doctype(*_args: object) -> None:
        raise DTDForbidden(None, None, None)

    def root(*_args: object) -> None:
        raise _PrologEnd

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except DTDForbidden:
        return True
    except _PrologEnd:
        return False
    return False


class _NoDoctypeBuilder(TreeBuilder):
    """Builds the tree, and stops expat at the start of any DOCTYPE.

    Entities can only be declared inside a DOCTYPE, so none is ever declared, expanded
    or fetched: a reference to one is then an undefined-entity parse error. Expat calls
    this whatever the part's encoding (UTF-16 included) and wherever the DOCTYPE hides
    (after a comment), which a byte scan cannot promise. It is defusedxml's policy
    (``forbid_dtd``, raising its ``DTDForbidden``) applied to the C parser instead of
    defusedxml's pure-Python one: half the time per part.
    """

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise DTDForbidden(name, system, pubid)


def parse_xml(data: bytes, name: str) -> Element:
    """Parse an XML part; any DOCTYPE is refused before its content is read."""
    parser = XMLParser(target=_NoDoctypeBuilder())
    try:
        parser.feed(data)
        return parser.close()
    except DTDForbidden:
        raise _dangerous(name) from None
    except ParseError:
        raise _corrupt(name) from None


def stream_xml(data: bytes, name: str, bind: Callable[[Any], None]) -> None:
    """Parse a large part event by event, without building a tree: ``bind`` sets the
    parser's element handlers. Same policy as ``parse_xml``: a DOCTYPE (hence any entity)
    is refused as it starts, an undeclared entity is a parse error. Element names keep
    their prefix ("table:table-cell"), as the writers of the part spell them; the part is
    read as UTF-8 whatever it declares, which is what the byte scans before it assume.
    """
    parser = expat.ParserCreate("UTF-8")

    def doctype(*_args: object) -> None:
        raise DTDForbidden(None, None, None)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    bind(parser)
    try:
        parser.Parse(data, True)
    except DTDForbidden:
        raise _dangerous(name) from None
    except (expat.ExpatError, ValueError):  # ValueError: a count that is not a number
        raise _corrupt(name) from None


def _dangerous(name: str) -> Refusal:
    return Refusal("xml-dangereux", part=name)


def _corrupt(name: str) -> Refusal:
    return Refusal("zip-tronque", damage=f"la partie {name} est illisible")


# -- sheets ------------------------------------------------------------------------------

_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')


@dataclass(frozen=True)
class SheetScan:
    cells: int
    far_cells: tuple[str, ...]  # cells outside the read area, set aside


def scan_sheet(xml: bytes, sheet: str, limits: Limits = DEFAULT_LIMITS) -> SheetScan:
    """Count cells and find those far outside the read area, without parsing.

    A fast reader allocates the whole rectangle from A1 to the last cell, so a single
    stray value at XFD1048576 would ask for 17 billion cells: such cells are found here
    and set aside before the sheet is read.
    """
    # A cell takes at least 10 bytes (<c r="A1"/>): small sheets need no count.
    count = xml.count(b"<c") if len(xml) > 10 * limits.max_cells else 0
    if count > limits.max_cells:
        raise too_many_cells(sheet, limits)
    if not _may_have_far_cells(xml, limits):
        return SheetScan(count, ())
    far = []
    for letters, digits in _CELL_REF.findall(xml):
        if int(digits) > limits.max_row or column_number(letters.decode()) > limits.max_column:
            far.append(letters.decode() + digits.decode())
    return SheetScan(count, tuple(far))


def too_many_cells(sheet: str, limits: Limits) -> Refusal:
    return Refusal("trop-de-cellules", name=sheet, limit=_count(limits.max_cells))


def too_many_cells_in_workbook(limits: Limits) -> Refusal:
    return Refusal("trop-de-cellules-classeur", limit=_count(limits.max_cells_total))


def _count(number: int) -> str:
    return f"{number:_}".replace("_", " ")


_LAST_ROW = re.compile(rb'<row r="([0-9]+)"')
# Columns beyond IV; a false hit (another attribute ending in r=) only costs a full scan.
_WIDE_COLUMN = re.compile(rb'r="(?:[A-Z]{3}|[J-Z][A-Z]|I[W-Z])[0-9]')


def _may_have_far_cells(xml: bytes, limits: Limits) -> bool:
    """Cheap test: rows come in order, so the last row tag holds the highest row."""
    if limits.max_column != 256:
        return True
    last = xml.rfind(b"<row ")
    match = _LAST_ROW.match(xml, last) if last >= 0 else None
    if match is None or int(match.group(1)) > limits.max_row:
        return True
    return _WIDE_COLUMN.search(xml) is not None


def without_cells(xml: bytes, cells: tuple[str, ...]) -> bytes:
    """The sheet XML with these cells removed and its declared dimension dropped."""
    for cell in cells:
        pattern = re.compile(rb'<c r="' + cell.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
        xml = pattern.sub(b"", xml)
    return re.sub(rb"<dimension [^>]*/>", b"", xml)


def rebuilt_zip(archive: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """A copy of the archive in memory with some members replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in archive.infolist():
            data = replaced.get(member.filename)
            target.writestr(member.filename, archive.read(member) if data is None else data)
    return out.getvalue()


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

"""Read returned workbooks: recognise the template, then read fields and tables by name.

Nothing here goes by fixed coordinates: single fields are workbook-scoped defined names
and tables are Excel tables whose columns are matched by header text, so inserted rows,
moved blocks and renamed sheets do not matter. Cell values come from python-calamine
(cached values of formulas, dates already typed); the workbook structure (names, tables,
relationships) from a few small XML parts parsed by ``safety.parse_xml`` (DOCTYPE refused),
each parsed once per distinct content. ``safety`` vets every
file before any of that, and ``read_workbook`` never raises for a file's content.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from innova_reports.fields import KINDS, TEMPLATE_VERSION, Table, template_spec
from innova_reports.model import RawCell, ReadOutcome, ReadStatus, SourceFile, WorkbookData
from innova_reports.read.normalise import fold as _fold_uncached
from innova_reports.read.safety import (
    DEFAULT_LIMITS,
    Limits,
    Refusal,
    check_directory,
    check_is_workbook,
    column_letters,
    column_number,
    open_zip,
    parse_xml,
    read_member,
    rebuilt_zip,
    scan_sheet,
    vet_member,
    without_cells,
)
from innova_reports.report.issue import Issue, Severity
from innova_reports.settings import Settings

KIND_NAME = "innova_modele"
VERSION_NAME = "innova_version"
KNOWN_VERSIONS = (TEMPLATE_VERSION,)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".csv")
SYSTEM_FILES = ("thumbs.db", "desktop.ini", ".ds_store")
_REF = re.compile(
    r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?[A-Z]{1,3}\$?[0-9]+)?$"
)
_RANGE = re.compile(r"^([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)$")

# Table names and headers repeat in every returned workbook; bounded against odd files.
fold = lru_cache(maxsize=4096)(_fold_uncached)


# -- finding files ---------------------------------------------------------------------


def discover(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted; symlinks leading out of it are not followed."""
    root = Path(folder).resolve()
    found = []
    for directory, subdirs, names in os.walk(folder, followlinks=False):
        for name in names:
            path = Path(directory) / name
            if path.is_symlink() and not _inside(path, root):
                continue
            found.append(path)
        subdirs.sort()
    return sorted(found)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _ignored_reason(name: str) -> str | None:
    """Why a file is not ours to read, in French; None for a spreadsheet."""
    base = name.rsplit("/", 1)[-1]
    if base.startswith("~$"):
        return "Fichier de verrouillage d'Excel (créé tant qu'un classeur est ouvert), ignoré sans conséquence."
    if base.startswith(".~lock.") and base.endswith("#"):
        return "Fichier de verrouillage de LibreOffice (créé tant qu'un classeur est ouvert), ignoré sans conséquence."
    if base.lower() in SYSTEM_FILES:
        return "Fichier système, ignoré."
    if any(part.startswith(".") for part in name.split("/")):
        return "Fichier caché, ignoré."
    suffix = posixpath.splitext(base)[1].lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        shown = f"« {suffix} »" if suffix else "sans extension"
        return f"Ce n'est pas un classeur (fichier {shown}), ignoré : seuls les classeurs .xlsx sont lus."
    return None


# -- one workbook ------------------------------------------------------------------------


def read_workbook(
    path: Path, settings: Settings, *, root: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> ReadOutcome:
    """Read one file of the workbooks folder; never raises for anything in the file.

    Where issues go: a READ outcome keeps them in ``data.issues`` (which normalisation
    extends), and its own ``issues`` stay empty so nothing is counted twice; an IGNORED
    or REFUSED outcome carries its one issue in ``issues``.
    """
    path = Path(path)
    name = display_name(path, root)
    try:
        return _read(path, name, settings, limits)
    except Refusal as refusal:
        return _refused(source_of(path, name, None), refusal)
    except Exception:  # a reader bug or an unforeseen file must not stop the batch
        return _unexpected(path, name)
    except BaseException as exc:
        # a panic of the native reader comes as pyo3's PanicException, which derives
        # from BaseException so that ``except Exception`` lets it through
        if type(exc).__name__ != "PanicException":
            raise
        return _unexpected(path, name)


def _unexpected(path: Path, name: str) -> ReadOutcome:
    return _refused(
        source_of(path, name, None),
        Refusal(
            "fichier-illisible",
            "Le classeur n'a pas pu être lu (contenu inattendu). Ouvrez-le, "
            "enregistrez-le à nouveau au format .xlsx et renvoyez-le.",
        ),
    )


def read_folder(folder: Path, settings: Settings) -> list[ReadOutcome]:
    """Every file of the workbooks folder, read or said why not."""
    return [read_workbook(path, settings, root=folder) for path in discover(folder)]


def display_name(path: Path, root: Path | None) -> str:
    """The file's name as every output shows it: relative to the folder, readable."""
    if root is not None:
        try:
            return readable(path.relative_to(root).as_posix())
        except ValueError:
            pass
    return readable(path.name)


def readable(name: str) -> str:
    """A file name as a person reads it, and as UTF-8 can carry it.

    Python holds the bytes of a name that is not UTF-8 (a file from an old Windows zip,
    say: « é » as the single byte E9) as lone surrogates, which no UTF-8 output (CSV,
    SQLite, the workbooks, the terminal) accepts. Those bytes are read as Windows-1252,
    which is what such names nearly always are; the file itself is opened by its path.
    """
    if not _SURROGATES.search(name):
        return name
    return os.fsencode(name).decode("utf-8", errors=_WINDOWS_1252)


def _as_windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    undecoded = error.object[error.start : error.end]
    return undecoded.decode("cp1252", errors="replace"), error.end


_SURROGATES = re.compile(r"[\ud800-\udfff]")
_WINDOWS_1252 = "innova-reports-windows-1252"
codecs.register_error(_WINDOWS_1252, _as_windows_1252)


def source_of(path: Path, name: str, data: bytes | None) -> SourceFile:
    try:
        stat = path.stat()
        size, modified = stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime)
    except OSError:
        size, modified = 0, dt.datetime.fromtimestamp(0)
    digest = hashlib.sha256(data).hexdigest() if data is not None else ""
    return SourceFile(path, name, size if data is None else len(data), digest, modified)


def _refused(source: SourceFile, refusal: Refusal) -> ReadOutcome:
    issue = Issue(source.name, refusal.kind, Severity.ERROR, refusal.message)
    return ReadOutcome(source, ReadStatus.REFUSED, issues=[issue], reason=refusal.message)


def _read(path: Path, name: str, settings: Settings, limits: Limits) -> ReadOutcome:
    reason = _ignored_reason(name)
    if reason is not None:
        source = source_of(path, name, None)
        issue = Issue(name, "fichier-ignore", Severity.INFO, reason)
        return ReadOutcome(source, ReadStatus.IGNORED, issues=[issue], reason=reason)
    if path.stat().st_size > limits.max_file_bytes:
        raise Refusal(
            "trop-volumineux",
            f"Le fichier pèse plus de {limits.max_file_bytes // 1_000_000} Mo, bien plus "
            "qu'un modèle rempli : repartez du modèle fourni (sans images ni feuilles "
            "ajoutées) et renvoyez-le.",
        )
    data = path.read_bytes()
    source = source_of(path, name, data)
    try:
        workbook = extract(data, source, settings, limits)
    except Refusal as refusal:
        return _refused(source, refusal)
    return ReadOutcome(source, ReadStatus.READ, data=workbook)


# -- the workbook's structure ------------------------------------------------------------


@dataclass(frozen=True)
class TableInfo:
    name: str
    sheet: str
    ref: str
    headers: tuple[str, ...]
    header_rows: int
    totals_rows: int


@dataclass
class Structure:
    """Sheets, workbook-scoped defined names and tables of one workbook."""

    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip member
    vetted: set[str] = field(default_factory=set)  # parts already read through read_member
    names: dict[str, str] = field(default_factory=dict)
    tables: dict[str, TableInfo] = field(default_factory=dict)  # folded name -> info


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# The structure parts of files made from one template are usually byte-identical, but
# nothing guarantees it (a user may add a sheet or a name): what is parsed from a part is
# cached on the part's exact bytes only. Bounded against a folder of odd files.
_PARTS_CACHE = 512


@lru_cache(maxsize=_PARTS_CACHE)
def _rels_entries(xml: bytes, part: str, folder: str) -> tuple[tuple[str, str], ...]:
    """(relationship id, target member) pairs of a .rels part, external links left out."""
    entries = []
    for rel in parse_xml(xml, part):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            resolved = target[1:]
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        entries.append((rel.get("Id", ""), resolved))
    return tuple(entries)


@lru_cache(maxsize=_PARTS_CACHE)
def _workbook_entries(
    xml: bytes,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(sheet name, relationship id) and (defined name, formula) pairs of workbook.xml;
    only workbook-scoped names (a sheet-scoped one is a user's, not the template's)."""
    sheets, names = [], []
    for element in parse_xml(xml, "xl/workbook.xml").iter():
        tag = _local(element.tag)
        if tag == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            sheets.append((element.get("name", ""), rel_id))
        elif tag == "definedName" and element.get("localSheetId") is None:
            names.append((element.get("name", ""), (element.text or "").strip()))
    return tuple(sheets), tuple(names)


@lru_cache(maxsize=_PARTS_CACHE)
def _table_entry(xml: bytes, part: str, sheet: str) -> TableInfo:
    return _table_info(parse_xml(xml, part), sheet)


def _rel_targets(archive: zipfile.ZipFile, part: str, vetted: set[str]) -> dict[str, str]:
    """Relationship id -> target member, for ``part`` (e.g. xl/workbook.xml)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in archive.NameToInfo:
        return {}
    vetted.add(rels)
    return dict(_rels_entries(read_member(archive, rels), rels, folder))


def read_structure(archive: zipfile.ZipFile) -> Structure:
    structure = Structure()
    sheets, names = _workbook_entries(read_member(archive, "xl/workbook.xml"))
    structure.vetted.add("xl/workbook.xml")
    targets = _rel_targets(archive, "xl/workbook.xml", structure.vetted)
    for sheet, rel_id in sheets:
        if rel_id in targets:
            structure.sheet_parts[sheet] = targets[rel_id]
    structure.names.update(names)
    for sheet, part in structure.sheet_parts.items():
        for target in _rel_targets(archive, part, structure.vetted).values():
            if "/tables/" in target and target in archive.NameToInfo:
                structure.vetted.add(target)
                info = _table_entry(read_member(archive, target), target, sheet)
                structure.tables[fold(info.name)] = info
    return structure


def _table_info(root: Element, sheet: str) -> TableInfo:
    headers = tuple(
        column.get("name", "") for column in root.iter() if _local(column.tag) == "tableColumn"
    )
    return TableInfo(
        name=root.get("displayName") or root.get("name", ""),
        sheet=sheet,
        ref=root.get("ref", ""),
        headers=headers,
        header_rows=int(root.get("headerRowCount", "1")),
        totals_rows=int(root.get("totalsRowCount", "0")),
    )


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    part = "docProps/custom.xml"
    if part not in archive.NameToInfo:
        return {}
    properties = {}
    for prop in parse_xml(read_member(archive, part), part):
        values = [child.text or "" for child in prop]
        properties[prop.get("name", "")] = values[0].strip() if values else ""
    return properties


def _identity(archive: zipfile.ZipFile, structure: Structure) -> tuple[str, str]:
    """The template kind and version, from constant names or custom properties."""
    found = {key: _constant(structure.names.get(key, "")) for key in (KIND_NAME, VERSION_NAME)}
    if not found[KIND_NAME] or not found[VERSION_NAME]:
        properties = _custom_properties(archive)
        for key in found:
            found[key] = found[key] or properties.get(key, "")
    kind, version = found[KIND_NAME], found[VERSION_NAME]
    if kind not in KINDS:
        raise Refusal(
            "pas-un-modele",
            "Ce classeur n'est pas un modèle INNOVA BRIVE (fiche action ou feuille de "
            "route) : téléchargez le modèle fourni, recopiez-y vos saisies et renvoyez-le.",
        )
    if version not in KNOWN_VERSIONS:
        raise Refusal(
            "version-inconnue",
            f"Ce classeur est une version {version or 'inconnue'} du modèle, que ce "
            f"programme ne sait pas lire (version attendue : {TEMPLATE_VERSION}) : "
            "recopiez vos saisies dans le modèle actuel et renvoyez-le.",
        )
    return kind, version


def _constant(formula: str) -> str:
    text = formula.strip().lstrip("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return ""


def parse_ref(formula: str) -> tuple[str, str] | None:
    """``'Fiche action'!$B$5`` -> ("Fiche action", "B5"); None for anything else."""
    match = _REF.match(formula.strip().lstrip("="))
    if match is None:
        return None
    quoted, plain, letters, digits = match.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else plain
    return sheet, f"{letters}{digits}"


# -- cell values -------------------------------------------------------------------------

_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_HAS_VALUE = re.compile(rb"<v>[^<]")
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")


def special_cells(xml: bytes) -> dict[str, tuple[str, str]]:
    """Cells calamine shows as empty although they are not: Excel errors and formulas
    saved without their result. Scanned only when the sheet has any (cheap test first).
    """
    end = xml.rfind(b"</sheetData>")  # data validations after it hold <formula1> tags
    if xml.find(b"<f", 0, end) < 0 and xml.find(b't="e"', 0, end) < 0:
        return {}
    found = {}
    for cell, attributes, inner in _CELL.findall(xml):
        if b't="e"' in attributes:
            match = _ERROR_VALUE.search(inner)
            found[cell.decode()] = ("error", match.group(1).decode() if match else "#ERREUR")
        elif (b"<f>" in inner or b"<f " in inner) and not _HAS_VALUE.search(inner):
            found[cell.decode()] = ("formula", "")
    return found


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def merged_ranges(xml: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """(first row, first column, last row, last column) of each merged range of a sheet."""
    if b"<mergeCell " not in xml:
        return ()
    return tuple(
        (int(r1), column_number(c1.decode()), int(r2), column_number(c2.decode()))
        for c1, r1, c2, r2 in _MERGE.findall(xml)
    )


@dataclass
class Sheet:
    name: str
    grid: list[list[Any]]
    specials: dict[str, tuple[str, str]]
    merges: tuple[tuple[int, int, int, int], ...] = ()

    def merged_into(self, row: int, column: int) -> tuple[int, int] | None:
        """The top-left cell of the merge hiding (row, column), if another cell is it."""
        for first_row, first_col, last_row, last_col in self.merges:
            inside = first_row <= row <= last_row and first_col <= column <= last_col
            if inside and (row, column) != (first_row, first_col):
                return first_row, first_col
        return None

    def raw(self, row: int, column: int) -> Any:
        if row <= len(self.grid):
            line = self.grid[row - 1]
            if column <= len(line):
                value = line[column - 1]
                return None if value == "" else value
        return None

    def filled(self, row: int, first: int, last: int) -> bool:
        """Whether a row holds anything between two columns (errors and formulas count)."""
        if row <= len(self.grid) and any(v != "" for v in self.grid[row - 1][first - 1 : last]):
            return True
        return bool(self.specials) and any(
            f"{column_letters(col)}{row}" in self.specials for col in range(first, last + 1)
        )


def load_sheets(
    data: bytes,
    archive: zipfile.ZipFile,
    parts: dict[str, str],
    file: str,
    limits: Limits,
    vetted: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict[str, Sheet], list[Issue]]:
    """Vet each needed sheet's XML, set stray far cells aside, then read with calamine."""
    for part in archive.NameToInfo:  # every small XML part: a DOCTYPE anywhere is refused
        if part in vetted or part.startswith("xl/worksheets/sheet"):
            continue
        if part.endswith((".xml", ".rels")):
            vet_member(archive, part)
    specials, merges, replaced, issues = {}, {}, {}, []
    for sheet, part in parts.items():
        try:
            xml = read_member(archive, part)
        except KeyError:
            raise Refusal(
                "zip-tronque",
                f"Le classeur est abîmé (la feuille « {sheet} » est absente) : ouvrez-le, "
                "enregistrez-le à nouveau et renvoyez-le.",
            ) from None
        scan = scan_sheet(xml, sheet, limits)
        if scan.far_cells:
            replaced[part] = without_cells(xml, scan.far_cells)
            issues.append(_far_cells_issue(file, sheet, scan.far_cells))
        specials[sheet] = special_cells(xml)
        merges[sheet] = merged_ranges(xml)
    if replaced:
        data = rebuilt_zip(archive, replaced)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = {
            sheet: book.get_sheet_by_name(sheet).to_python(skip_empty_area=False) for sheet in parts
        }
    except Exception:  # calamine raises its own error types for broken parts
        raise Refusal(
            "fichier-illisible",
            "Le contenu du classeur est abîmé et n'a pas pu être lu : ouvrez-le, "
            "enregistrez-le à nouveau au format .xlsx et renvoyez-le.",
        ) from None
    sheets = {name: Sheet(name, grids[name], specials[name], merges[name]) for name in parts}
    return sheets, issues


def _far_cells_issue(file: str, sheet: str, cells: tuple[str, ...]) -> Issue:
    shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
    return Issue(
        file,
        "cellules-hors-zone",
        Severity.WARNING,
        f"La feuille « {sheet} » contient des cellules très loin du modèle ({shown}) : "
        "elles ont été ignorées. Supprimez-les (sélectionnez-les et effacez leur contenu).",
        sheet=sheet,
        cell=cells[0],
    )


# -- extraction --------------------------------------------------------------------------


def extract(
    data: bytes, source: SourceFile, settings: Settings, limits: Limits = DEFAULT_LIMITS
) -> WorkbookData:
    """A vetted template's fields and tables, with the issues met while reading."""
    suffix = source.path.suffix
    archive = open_zip(data, suffix)
    check_directory(archive, limits)
    check_is_workbook(archive, suffix)
    structure = read_structure(archive)
    kind, version = _identity(archive, structure)
    spec = template_spec(kind, settings)
    _check_main_sheet(spec, structure)
    parts = _needed_parts(spec, structure)
    sheets, issues = load_sheets(data, archive, parts, source.name, limits, structure.vetted)
    if "xl/vbaProject.bin" in archive.NameToInfo:
        issues.insert(0, _macros_issue(source.name))
    extractor = Extractor(source.name, structure, sheets, issues)
    fields = {}
    for spec_field in spec.fields:
        raw = extractor.field(spec_field)
        if raw is not None:
            fields[spec_field.id] = raw
    result = WorkbookData(source, kind, version, fields, {}, {}, {}, issues)
    for table in spec.tables:
        frame, sheet, letters = extractor.table(table)
        result.tables[table.name] = frame
        result.table_sheets[table.name] = sheet
        result.table_letters[table.name] = letters
    return result


def _needed_parts(spec: Any, structure: Structure) -> dict[str, str]:
    """Zip member of every sheet that holds one of our names or tables."""
    sheets = set()
    for spec_field in spec.fields:
        parsed = parse_ref(structure.names.get(spec_field.id, ""))
        if parsed is not None:
            sheets.add(parsed[0])
    for table in spec.tables:
        info = structure.tables.get(fold(table.name))
        if info is not None:
            sheets.add(info.sheet)
    return {
        sheet: structure.sheet_parts[sheet]
        for sheet in sorted(sheets)
        if sheet in structure.sheet_parts
    }


def _check_main_sheet(spec: Any, structure: Structure) -> None:
    """One clear refusal when the main sheet is gone, rather than one error per field.

    Renaming a sheet in Excel or LibreOffice updates the defined names, so the fields
    are still found: only when no field leads to a sheet of the workbook (names turned
    into #REF! by a deletion, or still naming the old sheet) is the sheet lost.
    """
    if spec.main_sheet in structure.sheet_parts or not spec.fields:
        return
    for spec_field in spec.fields:
        parsed = parse_ref(structure.names.get(spec_field.id, ""))
        if parsed is not None and parsed[0] in structure.sheet_parts:
            return
    raise Refusal(
        "feuille-introuvable",
        f"La feuille « {spec.main_sheet} » a été renommée ou supprimée : aucune de ses "
        "saisies n'a pu être lue. Remettez son nom d'origine, ou repartez du modèle "
        "fourni, puis renvoyez le classeur.",
    )


def _macros_issue(file: str) -> Issue:
    return Issue(
        file,
        "macros-ignorees",
        Severity.WARNING,
        "Le classeur contient des macros : elles n'ont pas été exécutées et ne le seront "
        "jamais ; seules les valeurs saisies ont été lues. Enregistrez de préférence au "
        "format .xlsx (sans macros).",
    )


class Extractor:
    """Reads values by defined name and by table, recording issues with their cell."""

    def __init__(
        self, file: str, structure: Structure, sheets: dict[str, Sheet], issues: list[Issue]
    ) -> None:
        self.file = file
        self.structure = structure
        self.sheets = sheets
        self.issues = issues

    def field(self, spec_field: Any) -> RawCell | None:
        parsed = parse_ref(self.structure.names.get(spec_field.id, ""))
        if parsed is None or parsed[0] not in self.sheets:
            self.issues.append(
                Issue(
                    self.file, "champ-introuvable", Severity.ERROR,
                    f"Le champ « {spec_field.label} » est introuvable dans le classeur (le nom "
                    f"« {spec_field.id} » a été supprimé ou abîmé) : recopiez vos saisies dans "
                    "le modèle fourni et renvoyez-le.",
                    field=spec_field.id, label=spec_field.label,
                )
            )  # fmt: skip
            return None
        sheet, cell = parsed
        letters = cell.rstrip("0123456789")
        row, column = int(cell[len(letters) :]), column_number(letters)
        if self.sheets[sheet].merges:
            self._check_merge(self.sheets[sheet], row, column, cell, spec_field)
        value = self.value(self.sheets[sheet], row, column, spec_field)
        return RawCell(value, sheet, cell)

    def _check_merge(self, sheet: Sheet, row: int, column: int, cell: str, spec_field: Any) -> None:
        """A cell merged under another one shows that cell's value: what was typed in it
        is hidden, and lost at the next save. Said once, with the cell to unmerge."""
        top_left = sheet.merged_into(row, column)
        if top_left is None:
            return
        owner = f"{column_letters(top_left[1])}{top_left[0]}"
        self.issues.append(
            Issue(
                self.file, "cellule-fusionnee", Severity.WARNING,
                f"La cellule {cell} (« {spec_field.label} ») a été fusionnée avec {owner} : "
                "ce qui y était saisi est masqué ou a été effacé par la fusion. Annulez la "
                f"fusion de ces cellules, vérifiez la valeur en {cell} et renvoyez le classeur.",
                sheet=sheet.name, cell=cell, field=spec_field.id, label=spec_field.label,
            )
        )  # fmt: skip

    def value(self, sheet: Sheet, row: int, column: int, spec_field: Any) -> Any:
        if sheet.specials:
            cell = f"{column_letters(column)}{row}"
            special = sheet.specials.get(cell)
            if special is not None:
                self.issues.append(_special_issue(self.file, sheet.name, cell, spec_field, special))
                return None
        return sheet.raw(row, column)

    def table(self, table: Table) -> tuple[pd.DataFrame, str, dict[str, str]]:
        """The table's rows indexed by Excel row, columns matched by header text."""
        ids = [column.id for column in table.columns]
        info = self.structure.tables.get(fold(table.name))
        match = _RANGE.match(info.ref) if info is not None else None
        if info is None or match is None or info.sheet not in self.sheets:
            self.issues.append(_missing_table_issue(self.file, table))
            return _frame([], [], ids), table.sheet, {}
        sheet = self.sheets[info.sheet]
        first_col, first_row = column_number(match[1]), int(match[2])
        last_col, last_row = column_number(match[3]), int(match[4])
        positions = self._match_headers(table, info, first_col, first_row)
        rows = list(range(first_row + info.header_rows, last_row - info.totals_rows + 1))
        if info.totals_rows == 0:  # rows typed just below the table belong to it
            extra = last_row + 1
            while extra <= len(sheet.grid) and sheet.filled(extra, first_col, last_col):
                rows.append(extra)
                extra += 1
        kept, records = [], []
        for row in rows:
            if sheet.filled(row, first_col, last_col):
                kept.append(row)
                records.append(self._record(sheet, row, table, positions))
        letters = {field_id: column_letters(col) for field_id, col in positions.items()}
        return _frame(records, kept, ids), info.sheet, letters

    def _record(self, sheet: Sheet, row: int, table: Table, positions: dict[str, int]) -> list:
        if sheet.specials:  # slow path: some cells need an issue
            return [
                None if column.id not in positions
                else self.value(sheet, row, positions[column.id], column)
                for column in table.columns
            ]  # fmt: skip
        line = sheet.grid[row - 1] if row <= len(sheet.grid) else []
        width = len(line)
        return [
            None if not 0 < (position := positions.get(column.id, 0)) <= width
            or (value := line[position - 1]) == "" else value
            for column in table.columns
        ]  # fmt: skip

    def _match_headers(
        self, table: Table, info: TableInfo, first_col: int, header_row: int
    ) -> dict[str, int]:
        by_header = _header_index(table)
        positions: dict[str, int] = {}
        for offset, header in enumerate(info.headers):
            column = by_header.get(fold(header))
            cell = f"{column_letters(first_col + offset)}{header_row}"
            if column is None or column.id in positions:
                self.issues.append(
                    Issue(
                        self.file, "colonne-inconnue", Severity.INFO,
                        f"La colonne « {header} » du tableau « {table.title} » ne fait pas "
                        "partie du modèle : elle a été ignorée.",
                        sheet=info.sheet, cell=cell, value=header,
                    )
                )  # fmt: skip
                continue
            positions[column.id] = first_col + offset
        for column in table.columns:
            if column.id not in positions:
                self.issues.append(
                    Issue(
                        self.file, "colonne-manquante", Severity.ERROR,
                        f"La colonne « {column.label} » du tableau « {table.title} » est "
                        f"introuvable : rétablissez l'en-tête « {column.label} » en ligne "
                        f"{header_row} de la feuille « {info.sheet} ».",
                        sheet=info.sheet, cell=f"{column_letters(first_col)}{header_row}",
                        field=column.id, label=column.label,
                    )
                )  # fmt: skip
        return positions


@cache
def _header_index(table: Table) -> dict[str, Any]:
    """Folded header text (or field id) -> column of the spec."""
    index = {fold(column.label): column for column in table.columns}
    index.update({fold(column.id): column for column in table.columns})
    return index


def _frame(records: list[list[Any]], rows: list[int], ids: list[str]) -> pd.DataFrame:
    """One object block built at once: much cheaper than a dict of columns."""
    values = np.empty((len(rows), len(ids)), dtype=object)
    if records:
        values[:, :] = records  # element by element: a cell's value is never a sequence
    index = pd.Index(np.asarray(rows, dtype=np.int64), name="row")
    return pd.DataFrame(values, index=index, columns=_columns(tuple(ids)), dtype=object, copy=False)


@cache
def _columns(ids: tuple[str, ...]) -> pd.Index:
    return pd.Index(ids)  # immutable, so shared by every frame of the table


def _missing_table_issue(file: str, table: Table) -> Issue:
    return Issue(
        file,
        "tableau-introuvable",
        Severity.ERROR,
        f"Le tableau « {table.title} » ({table.name}) est introuvable dans le classeur : il "
        "a été supprimé ou converti en simple plage. Recopiez vos saisies dans le modèle "
        "fourni et renvoyez-le.",
        sheet=table.sheet,
    )


def _special_issue(
    file: str, sheet: str, cell: str, spec_field: Any, special: tuple[str, str]
) -> Issue:
    kind, code = special
    where = f"la cellule {cell} de la feuille « {sheet} »"
    if kind == "error":
        return Issue(
            file, "valeur-erreur-excel", Severity.ERROR,
            f"{spec_field.label} : {where} affiche l'erreur Excel {code} : corrigez la "
            "formule ou remplacez-la par la valeur attendue.",
            sheet=sheet, cell=cell, field=spec_field.id, label=spec_field.label, value=code,
        )  # fmt: skip
    return Issue(
        file, "formule-sans-valeur", Severity.WARNING,
        f"{spec_field.label} : {where} contient une formule dont le résultat n'a pas été "
        "enregistré : ouvrez le classeur dans Excel ou LibreOffice, enregistrez-le (le "
        "résultat sera calculé) et renvoyez-le, ou saisissez directement la valeur.",
        sheet=sheet, cell=cell, field=spec_field.id, label=spec_field.label,
    )  # fmt: skip

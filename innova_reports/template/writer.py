"""The two Excel templates, generated from the field dictionary (``fields.py``).

Nothing here lists fields: sections, tables, columns, dropdowns and help texts all come
from ``template_spec``, so the templates cannot drift from the reader and the schemas.
The reader finds data by workbook-scoped defined names (one per single field, named
exactly by the field id) and by Excel tables, never by cell coordinates. The template
kind and version are stored twice (constant defined names and custom document
properties) because both survive a save by Excel and by LibreOffice.

Files are written atomically and byte for byte reproducibly (fixed document dates and
zip entry times), so regenerating the committed templates yields no diff.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from innova_reports import fields as fd
from innova_reports.fields import Field, FieldType, Table, TemplateSpec
from innova_reports.rules import action_code
from innova_reports.settings import Settings
from innova_reports.support.atomic import write_bytes
from innova_reports.template.heights import DEFAULT_HEIGHT, row_height
from innova_reports.template.panel import add_panel
from innova_reports.template.stamp import (
    InputCell,
    Places,
    Skeleton,
    TablePlace,
    with_fixed_times,
)
from innova_reports.versions import KIND_NAME, VERSION_NAME

LISTS_SHEET = "Listes"
GUIDE_SHEET = "Mode d'emploi"
CREATOR = "innova-reports"

TABLE_HEADER_ROW = 4  # on each table sheet: title, help, blank line, then the header
ROWS_BELOW_TABLE = 500  # rows under a table that still get validation (columns stay unlocked)
MAIN_FIRST_ROW = 4  # first section heading on the main sheet
LABEL_COLUMN, INPUT_COLUMN = "A", "B"
LONG_TEXT_HEIGHT = 96  # points: about six lines of wrapped text
HEADER_HEIGHT = 30  # points: a table's header row, at least two lines
LABEL_WIDTH, INPUT_WIDTH = 34, 90  # columns of the main sheet and the guide, in characters
TITLE_SIZE = 16
ITALIC_ROOM = 0.97  # italic text is a little wider

DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '#,##0 "€"'
PERCENT_FORMAT = "0 %"
DECIMAL_FORMAT = "#,##0.##"
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)

_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")  # pale yellow: type here
_LABEL_FILL = PatternFill("solid", fgColor="DCE6F1")
_HEADING_FILL = PatternFill("solid", fgColor="1F4E78")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)
# A style that differs from the default, or openpyxl would not write the empty cell at all.
_PLAIN = Alignment(vertical="bottom")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")  # a row of wrapped text: every value on its first line

_WRAPPED_COLUMNS = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE)  # text that wraps
_NUMBER_FORMATS = {
    FieldType.DATE: DATE_FORMAT,
    FieldType.MONEY: MONEY_FORMAT,
    FieldType.PERCENT: PERCENT_FORMAT,
    FieldType.DECIMAL: DECIMAL_FORMAT,
}


# -- public API -------------------------------------------------------------------------


def build_workbook(
    spec: TemplateSpec, settings: Settings, *, axe: Any = None
) -> tuple[Workbook, Places]:
    """One blank template, and where its fields and tables are (for ``stamp``).

    ``axe`` only names the axis in the printed page header of the per-axis copies.
    """
    wb = Workbook()
    main = wb.active
    main.title = spec.main_sheet
    places = Places()
    lists = _ListsSheet(wb)
    _write_main_sheet(wb, main, spec, settings, axe, lists, places)
    for table in spec.tables:
        _write_table_sheet(wb, table, settings, lists, axe, places)
    add_panel(wb, spec, main, lists.ws)  # the template checks itself (template/panel.py)
    wb.move_sheet(lists.ws, offset=len(wb.worksheets) - 1 - wb.worksheets.index(lists.ws))
    _write_guide(wb, spec, settings)
    _stamp_identity(wb, spec, settings)
    _select_only(wb, main)
    return wb, places


def template_bytes(kind: str, settings: Settings, prefill: dict[str, Any] | None = None) -> bytes:
    """One template (blank or prefilled) as the bytes of its .xlsx file.

    ``prefill`` = {"fields": {id: value}, "tables": {name: [row]}}: the values go in the
    very cells a group would type in; a table grows when given more rows than it
    expects. Text is written as text, never as a formula (``stamp.Formula`` for tests).
    """
    spec = fd.template_spec(kind, settings)
    prefill = prefill or {}
    values = {k: v for k, v in (prefill.get("fields") or {}).items() if v is not None}
    rows = dict(prefill.get("tables") or {})
    _check_prefill(spec, values, rows)
    return skeleton(kind, settings, _axis_number(settings, values.get("axe"))).fill(values, rows)


def write_template(
    kind: str, settings: Settings, path: Path, *, prefill: dict[str, Any] | None = None
) -> Path:
    """Write one template (blank or prefilled) to ``path``; raise OSError if impossible."""
    write_bytes(Path(path), template_bytes(kind, settings, prefill))
    return Path(path)


@functools.lru_cache(maxsize=32)
def skeleton(kind: str, settings: Settings, axe: int | None) -> Skeleton:
    """The blank template of ``kind``, its page header naming axis ``axe``, built once."""
    wb, places = build_workbook(fd.template_spec(kind, settings), settings, axe=axe)
    return Skeleton(workbook_bytes(wb, settings), places, _moment(settings))


def write_all_templates(settings: Settings, output_dir: Path) -> list[Path]:
    """The blank templates plus, per axis, a copy of each with the axis already filled."""
    output_dir = Path(output_dir)
    written = [write_template(kind, settings, output_dir / f"{kind}.xlsx") for kind in fd.KINDS]
    for axis in settings.axes:
        folder = output_dir / f"axe-{axis.number}"
        for kind in fd.KINDS:
            path = folder / f"{kind}_axe-{axis.number}.xlsx"
            written.append(
                write_template(kind, settings, path, prefill=axis_prefill(kind, axis, settings))
            )
    return written


def axis_prefill(kind: str, axis: Any, settings: Settings) -> dict[str, Any]:
    """What the per-axis copies carry: the axis, the group and the action codes to use.

    The roadmap lists as many codes as a roadmap may announce (``actions_par_axe``); the
    action sheet gets code ``A<n>.1``: the group renames the code (A<n>.2, A<n>.3) when
    it copies the sheet for its other actions, as the guide explains.
    """
    if kind == fd.ROADMAP:
        most = settings.announced_actions[1]
        codes = [{"code": action_code(axis.number, k)} for k in range(1, most + 1)]
        return {
            "fields": {"axe": axis.number, "groupe": f"Groupe projet {axis.short_name}"},
            "tables": {"t_actions": codes},
        }
    return {"fields": {"axe": axis.number, "code_action": action_code(axis.number, 1)}}


def workbook_bytes(wb: Workbook, settings: Settings) -> bytes:
    """Serialise a workbook reproducibly: same workbook, same bytes, whenever it runs."""
    moment = _moment(settings)
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.created = moment
    wb.properties.modified = moment
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike save_workbook, keeps our "modified"
    return with_fixed_times(raw.getvalue(), moment)


def _moment(settings: Settings) -> dt.datetime:
    """The fixed date of every template file: the programme's start."""
    return dt.datetime.combine(settings.start, dt.time())


def list_name(field: Field, table: Table | None = None) -> str:
    """Named range of a dropdown's values; the prefix keeps it apart from field ids."""
    return f"liste_{table.name}_{field.id}" if table else f"liste_{field.id}"


# -- main sheet -------------------------------------------------------------------------


def _write_main_sheet(
    wb: Workbook,
    ws: Worksheet,
    spec: TemplateSpec,
    settings: Settings,
    axe: Any,
    lists: _ListsSheet,
    places: Places,
) -> None:
    ws.column_dimensions[LABEL_COLUMN].width = LABEL_WIDTH
    ws.column_dimensions[INPUT_COLUMN].width = INPUT_WIDTH
    _title(ws, f"{settings.programme} – {spec.title}", (LABEL_WIDTH, INPUT_WIDTH))
    _note(
        ws,
        "Remplissez les cellules jaunes ; les autres sont protégées. "
        "Les listes déroulantes proposent les valeurs admises. Voir l'onglet « Mode d'emploi ».",
        (LABEL_WIDTH, INPUT_WIDTH),
    )
    row = MAIN_FIRST_ROW
    for section in spec.sections:
        _section_heading(ws, row, section.title)
        row += 1
        for field in section.fields:
            _single_field(wb, ws, row, field, lists)
            places.fields[field.id] = InputCell(ws.title, row, INPUT_COLUMN, INPUT_WIDTH, True)
            row += 1
        row += 1
    _print_setup(ws, settings, axe, landscape=False)
    ws.print_area = f"A1:{INPUT_COLUMN}{row}"
    ws.protection.sheet = True
    _allow_formatting(ws)


def _single_field(wb: Workbook, ws: Worksheet, row: int, field: Field, lists: _ListsSheet) -> None:
    label = ws[f"{LABEL_COLUMN}{row}"]
    label.value = field.label + (" *" if field.required else "")
    label.font = Font(bold=True)
    label.fill = _LABEL_FILL
    label.border = _BOX
    label.alignment = _WRAP
    cell = ws[f"{INPUT_COLUMN}{row}"]
    _style_input(cell, field)
    least = LONG_TEXT_HEIGHT if field.type is FieldType.LONG_TEXT else DEFAULT_HEIGHT
    _fit_row(ws, row, [(label.value, LABEL_WIDTH, True)], least)
    ref = f"{quote_sheetname(ws.title)}!${INPUT_COLUMN}${row}"
    wb.defined_names[field.id] = DefinedName(field.id, attr_text=ref)
    _add_validation(ws, field, cell.coordinate, lists.range_for(field))


def _fit_row(
    ws: Worksheet, row: int, cells: list[tuple[str, float, bool]], least: float = DEFAULT_HEIGHT
) -> None:
    """Give the row the height its text needs; a one-line row keeps the default."""
    height = row_height(cells, least=least)
    if height > DEFAULT_HEIGHT:
        ws.row_dimensions[row].height = height


def _style_input(cell: Any, field: Field) -> None:
    cell.fill = _INPUT_FILL
    cell.border = _BOX
    cell.protection = _UNLOCKED
    cell.alignment = _WRAP
    if field.type in _NUMBER_FORMATS:
        cell.number_format = _NUMBER_FORMATS[field.type]


def _section_heading(ws: Worksheet, row: int, text: str) -> None:
    for column in (LABEL_COLUMN, INPUT_COLUMN):
        ws[f"{column}{row}"].fill = _HEADING_FILL
    ws[f"{LABEL_COLUMN}{row}"] = text
    ws[f"{LABEL_COLUMN}{row}"].font = Font(bold=True, color="FFFFFF", size=12)


def _title(ws: Worksheet, text: str, widths: tuple[float, ...]) -> None:
    """The sheet's title across its columns, on as many lines as it needs."""
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=TITLE_SIZE, color="1F4E78")
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="center")
    _merge_across(ws, 1, len(widths))
    need = row_height([(text, sum(widths), True)], least=26, size=TITLE_SIZE)
    ws.row_dimensions[1].height = need


def _note(ws: Worksheet, text: str, widths: tuple[float, ...]) -> None:
    """The line of help under a sheet's title, wrapped across its columns."""
    ws["A2"] = text
    ws["A2"].font = Font(italic=True, color="595959")
    ws["A2"].alignment = _WRAP
    _merge_across(ws, 2, len(widths))
    _fit_row(ws, 2, [(text, sum(widths) * ITALIC_ROOM, False)])


def _merge_across(ws: Worksheet, row: int, columns: int) -> None:
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)


# -- table sheets -----------------------------------------------------------------------


def _write_table_sheet(
    wb: Workbook,
    table: Table,
    settings: Settings,
    lists: _ListsSheet,
    axe: Any,
    places: Places,
) -> None:
    ws = wb.create_sheet(table.sheet)
    widths = tuple(float(field.width) for field in table.columns)
    header = TABLE_HEADER_ROW
    size = max(table.expected_rows, 1)
    last_row = header + size
    for index, field in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = field.width
        head = ws.cell(header, index, field.label)
        head.alignment = Alignment(wrap_text=True, vertical="center")
        head.font = Font(bold=True)  # the table style's bold, for LibreOffice which lacks it
        head.fill = _LABEL_FILL
        _prepare_column(ws, field, index, header, last_row)
        area = f"{letter}{header + 1}:{letter}{last_row + ROWS_BELOW_TABLE}"
        _add_validation(ws, field, area, lists.range_for(field, table))
    _title(ws, table.title, widths)
    _note(ws, table.help + " Pour ajouter une ligne, tapez juste sous le tableau.", widths)
    ref = f"A{header}:{get_column_letter(len(table.columns))}{last_row}"
    excel_table = ExcelTable(displayName=table.name, ref=ref)
    excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(excel_table)
    ws.freeze_panes = f"A{header + 1}"
    ws.print_title_rows = f"{header}:{header}"
    labels = [(field.label, float(field.width), True) for field in table.columns]
    ws.row_dimensions[header].height = row_height(labels, least=HEADER_HEIGHT)
    _print_setup(ws, settings, axe, landscape=len(table.columns) > 4)
    places.tables[table.name] = TablePlace(
        sheet=table.sheet, header=header, rows=size,
        letters={f.id: get_column_letter(i) for i, f in enumerate(table.columns, start=1)},
        widths={f.id: float(f.width) for f in table.columns},
        wraps=frozenset(f.id for f in table.columns if f.type in _WRAPPED_COLUMNS),
        below=ROWS_BELOW_TABLE,
    )  # fmt: skip


def _prepare_column(ws: Worksheet, field: Field, column: int, header: int, last: int) -> None:
    """Unlock and format a table column, down to the rows typed below the table.

    The style goes on the column itself (``<col style>``), which Excel and LibreOffice
    give to every cell typed anywhere in the column: writing hundreds of empty styled
    cells below each table would do the same but make every returned workbook ~10x
    heavier to read. Cells that exist keep their own style, so the few cells above the
    header are written locked, and the table's own rows are styled cell by cell (an
    existing cell does not inherit its column's style).
    """
    dimension = ws.column_dimensions[get_column_letter(column)]
    _style_table_input(dimension, field)
    for row in range(1, header):
        cell = ws.cell(row, column)
        if not cell.has_style:
            cell.protection, cell.alignment = _LOCKED, _PLAIN
    for row in range(header + 1, last + 1):
        _style_table_input(ws.cell(row, column), field)


def _style_table_input(target: Any, field: Field) -> None:
    """One input cell of a table, or its whole column: unlocked, typed format."""
    target.protection = _UNLOCKED
    number_format = _NUMBER_FORMATS.get(field.type)
    if number_format:
        target.number_format = number_format
    target.alignment = _WRAP if field.type in _WRAPPED_COLUMNS else _TOP


# -- validation -------------------------------------------------------------------------


class _ListsSheet:
    """The hidden sheet holding dropdown values, one named column per closed list."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.ws = wb.create_sheet(LISTS_SHEET)
        self.ws.sheet_state = "hidden"
        self.ws.protection.sheet = True
        self.column = 0

    def range_for(self, field: Field, table: Table | None = None) -> str | None:
        if not field.choices:
            return None
        self.column += 1
        name = list_name(field, table)
        letter = get_column_letter(self.column)
        self.ws.cell(1, self.column, name).font = Font(bold=True)
        for offset, choice in enumerate(field.choices, start=2):
            self.ws.cell(offset, self.column, choice)
        last = len(field.choices) + 1
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        return name


def _add_validation(ws: Worksheet, field: Field, area: str, list_range: str | None) -> None:
    validation = _validation_for(field, list_range)
    if validation is None:
        return
    validation.promptTitle = field.label[:32]
    validation.prompt = field.help[:255]
    validation.showInputMessage = True
    validation.showErrorMessage = True
    validation.errorTitle = "Valeur non admise"[:32]
    ws.add_data_validation(validation)
    validation.add(area)


def _validation_for(field: Field, list_range: str | None) -> DataValidation | None:
    if list_range:
        allowed = ", ".join(str(choice) for choice in field.choices)
        message = f"Choisissez une valeur de la liste : {allowed}."
        return _dv("list", None, list_range, None, "stop", message)
    kind = field.type
    if kind is FieldType.DATE:
        first, last = (str(_serial(day)) for day in (FIRST_DATE, LAST_DATE))
        return _dv("date", "between", first, last, "warning",
                   "Saisissez une date au format JJ/MM/AAAA (par exemple 15/03/2018).")  # fmt: skip
    if kind is FieldType.PERCENT:
        return _dv("decimal", "between", "0", "1", "warning",
                   "Saisissez un pourcentage entre 0 % et 100 % (par exemple 40 %).")  # fmt: skip
    if kind is FieldType.MONEY:
        return _dv("decimal", "greaterThanOrEqual", "0", None, "warning",
                   "Saisissez un montant en euros, sans lettres (par exemple 1500).")  # fmt: skip
    if kind is FieldType.DECIMAL:
        return _dv("decimal", "between", "-1000000000000", "1000000000000", "warning",
                   "Saisissez un nombre, sans unité (par exemple 12 ou 3,5).")  # fmt: skip
    if kind is FieldType.INTEGER:
        return _dv("whole", "between", "-1000000000", "1000000000", "warning",
                   "Saisissez un nombre entier (par exemple 3).")  # fmt: skip
    return None


def _dv(
    kind: str, operator: str | None, first: str, second: str | None, style: str, error: str
) -> DataValidation:
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=first,
        formula2=second,
        allow_blank=True,
        errorStyle=style,
        error=error,
    )


def _serial(day: dt.date) -> int:
    """Excel's day number (1900 date system) of a date."""
    return (day - dt.date(1899, 12, 30)).days


# -- "Mode d'emploi" sheet --------------------------------------------------------------


def _write_guide(wb: Workbook, spec: TemplateSpec, settings: Settings) -> None:
    ws = wb.create_sheet(GUIDE_SHEET, 0)
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions["B"].width = INPUT_WIDTH
    _title(ws, f"{settings.programme} – {spec.title} : mode d'emploi", (LABEL_WIDTH, INPUT_WIDTH))
    row = 3
    for heading, lines in _guide_blocks(spec, settings):
        _section_heading(ws, row, heading)
        row += 1
        for left, right in lines:
            ws.cell(row, 1, left).font = Font(bold=True)
            ws.cell(row, 2, right)
            for column in (1, 2):
                ws.cell(row, column).alignment = _WRAP
            _fit_row(ws, row, [(left, LABEL_WIDTH, True), (right, INPUT_WIDTH, False)])
            row += 1
        row += 1
    _print_setup(ws, settings, None, landscape=False)
    ws.protection.sheet = True
    _allow_formatting(ws)


def _guide_blocks(spec: TemplateSpec, settings: Settings) -> list[tuple[str, list]]:
    sheets = [(spec.main_sheet, "Les informations générales : cellules jaunes, une par rubrique.")]
    sheets += [(table.sheet, table.help) for table in spec.tables]
    lists = [
        (f"{field.label} ({where})", _choices_text(field)) for where, field in _closed_fields(spec)
    ]
    return [
        ("Comment remplir", _filling_lines(spec)),
        ("Les onglets", sheets),
        ("Les listes déroulantes", lists),
        ("Dates, nombres et pourcentages", _format_lines()),
        ("Renvoyer le fichier", _sending_lines(spec, settings)),
    ]


def _filling_lines(spec: TemplateSpec) -> list[tuple[str, str]]:
    lines = [
        (
            "Cellules à remplir",
            "Saisissez uniquement dans les cellules jaunes ou dans les "
            "tableaux ; les intitulés sont protégés (sans mot de passe).",
        ),
        (
            "Champs obligatoires",
            "Les rubriques marquées d'une * sont obligatoires : "
            + ", ".join(field.label for field in spec.fields if field.required)
            + ".",
        ),
        ("Aide", "En sélectionnant une cellule, une bulle rappelle ce qui est attendu."),
        (
            "Ajouter des lignes",
            "Tapez juste sous un tableau : il s'agrandit et les listes "
            "déroulantes fonctionnent aussi sur les nouvelles lignes. Ne renommez ni les "
            "onglets ni les tableaux.",
        ),
    ]
    if spec.kind == fd.ACTION:
        lines.append(
            (
                "Code action",
                "Reprenez le code annoncé dans la feuille de route : "
                "A, numéro d'axe, point, numéro d'action (par exemple A3.2). La copie "
                "préparée pour votre axe porte le code A<axe>.1 : corrigez-le pour "
                "vos autres actions (A<axe>.2, A<axe>.3).",
            )
        )
    else:
        lines.append(
            (
                "Codes des actions",
                "Les actions se numérotent A<axe>.1, A<axe>.2, "
                "A<axe>.3 ; chaque action a ensuite sa fiche action avec le même code.",
            )
        )
    return lines


def _closed_fields(spec: TemplateSpec) -> list[tuple[str, Field]]:
    found = [(spec.main_sheet, field) for field in spec.fields if field.choices]
    for table in spec.tables:
        found += [(table.sheet, field) for field in table.columns if field.choices]
    return found


def _choices_text(field: Field) -> str:
    helps = [field.closed.help(choice) if field.closed else None for choice in field.choices]
    parts = [f"{c} : {h}" if h else str(c) for c, h in zip(field.choices, helps, strict=True)]
    return ("\n" if any(helps) else " ; ").join(parts)


def _format_lines() -> list[tuple[str, str]]:
    return [
        ("Dates", "Au format JJ/MM/AAAA, par exemple 15/03/2018."),
        ("Montants", "En euros, chiffres seulement (par exemple 1500), sans « € » ni lettres."),
        ("Pourcentages", "Tapez 40 % ou 0,4 ; la cellule affiche 40 %."),
        (
            "Indicateurs",
            "Chaque mois, saisissez la valeur mesurée dans la colonne du mois ; "
            "laissez vide un mois sans mesure.",
        ),
    ]


def _sending_lines(spec: TemplateSpec, settings: Settings) -> list[tuple[str, str]]:
    example = "feuille_de_route_axe-3.xlsx" if spec.kind == fd.ROADMAP else "fiche_action_A3.2.xlsx"
    coordinator = next((r for r in settings.copil_recipients if "oordination" in r.name), None)
    to = f"à {coordinator.formatted()}" if coordinator else "à la coordination du programme"
    return [
        ("Nom du fichier", f"Gardez le format .xlsx et nommez le fichier ainsi : {example}."),
        (
            "Envoi",
            f"Chaque mois, après mise à jour de la date de mise à jour, envoyez le "
            f"fichier par courriel {to}.",
        ),
        (
            "Retour",
            "Vous recevrez en retour la liste de ce qu'il faut corriger, cellule par cellule.",
        ),
    ]


# -- workbook-wide settings -------------------------------------------------------------


def _stamp_identity(wb: Workbook, spec: TemplateSpec, settings: Settings) -> None:
    for name, value in ((KIND_NAME, spec.kind), (VERSION_NAME, spec.version)):
        wb.defined_names[name] = DefinedName(name, attr_text=f'"{value}"')
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    wb.properties.title = f"{settings.programme} – {spec.title}"
    wb.properties.subject = spec.kind
    wb.properties.creator = CREATOR


def _select_only(wb: Workbook, sheet: Worksheet) -> None:
    """Open on the data sheet; exactly one selected tab, or Excel groups the sheets."""
    wb.active = wb.worksheets.index(sheet)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is sheet


def _allow_formatting(ws: Worksheet) -> None:
    """Protection keeps labels safe but leaves groups free to resize, sort and filter."""
    protection = ws.protection
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False
    protection.insertRows = False
    protection.sort = False
    protection.autoFilter = False


def _print_setup(ws: Worksheet, settings: Settings, axe: Any, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.left.text = settings.programme
    ws.oddHeader.center.text = ws.title
    ws.oddHeader.right.text = _axis_caption(settings, axe)
    ws.oddFooter.left.text = "&F"
    ws.oddFooter.right.text = "Page &P / &N"


def _axis_caption(settings: Settings, axe: int | None) -> str:
    return settings.axis(axe).label if axe is not None else "Axe : ……"


def _axis_number(settings: Settings, axe: Any) -> int | None:
    """The axis a prefilled value names, if it is one of the programme's."""
    try:
        number = int(axe)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number in settings.axis_numbers else None


def _check_prefill(
    spec: TemplateSpec, values: dict[str, Any], rows: dict[str, list[dict[str, Any]]]
) -> None:
    """Refuse unknown ids early: a typo would otherwise silently write nothing."""
    known = {field.id for field in spec.fields}
    for field_id in values:
        if field_id not in known:
            raise KeyError(f"{spec.kind}: unknown field {field_id!r}")
    for name, table_rows in rows.items():
        columns = {field.id for field in spec.table(name).columns}
        for row in table_rows:
            unknown = set(row) - columns
            if unknown:
                raise KeyError(f"{name}: unknown columns {sorted(unknown)}")

"""The status panel: a template that checks itself before it is sent.

Groups cannot run ``check``, so the top of each template's main sheet holds a cell
whose formula says « Prêt à envoyer » or what is still missing, and conditional formats
colour the cells concerned, recalculated by Excel and LibreOffice as the user types (no
macro, no function LibreOffice 7.4 lacks: SUMPRODUCT, OFFSET, ROWS, LEN, TRIM, MID).

What it covers, each generated from the field dictionary and the validation's own
declarations, so that it cannot say other than ``check``:

- every required single field left empty, named by its label (``Field.required``);
- in each table, the rows holding something but leaving a required column empty (an
  indicator without a target is one of them);
- the tables' date order (``schemas.DATE_ORDER``: a task ending before it starts);
- percentages outside ``schemas.PERCENT_BOUNDS`` (an avancement outside 0–100 %).

Tables are referred to by structured reference (``t_taches[[Fin]]``), extended by
OFFSET to the rows typed below the table (as the reader reads them), so inserted rows
and moved columns do not break the formulas. The counts sit in a column of the hidden
« Listes » sheet; none of it is a defined name, so the reader never sees the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from innova_reports.annotate.xlsx_list import wrapped_lines
from innova_reports.fields import Field, FieldType, Table, TemplateSpec
from innova_reports.read.xlsx import parse_ref
from innova_reports.validate.schemas import DATE_ORDER, PERCENT_BOUNDS

PANEL_CELL, PANEL_RANGE = "A3", "A3:B3"
READY = (
    "✔ Prêt à envoyer : les rubriques obligatoires sont remplies et les tableaux sont cohérents."
)
TO_DO = "À compléter avant l'envoi :"
BELOW = 500  # rows typed under a table that are still read (as the template's validation)
_LINE_POINTS = 15
_TODO_FILL = PatternFill("solid", bgColor="FFF8CBAD")  # light orange: to complete
_READY_FILL = PatternFill("solid", bgColor="FFE2EFDA")  # light green


@dataclass
class _Helpers:
    """The panel's calculations, one per row of a column of the hidden lists sheet."""

    sheet: Worksheet
    column: int
    row: int = 1

    def add(self, label: str, formula: str) -> str:
        self.row += 1
        self.sheet.cell(self.row, self.column - 1, label)
        self.sheet.cell(self.row, self.column, "=" + formula)
        return f"{quote_sheetname(self.sheet.title)}!${get_column_letter(self.column)}${self.row}"


def add_panel(wb: Workbook, spec: TemplateSpec, main: Worksheet, lists: Worksheet) -> None:
    """Write the panel at the top of ``main`` and its formats on every sheet."""
    column = lists.max_column + 3
    helpers = _Helpers(lists, column)
    lists.cell(1, column - 1, "Calculs du panneau « État du document » (ne pas modifier)")
    counts = []
    missing = helpers.add("Rubriques obligatoires vides", _missing_labels(spec.fields))
    counts.append(f'({missing}<>"")')
    lines = [(missing, "Rubriques obligatoires vides : ")]
    longest = [TO_DO, "• Rubriques obligatoires vides : "
               + ", ".join(f.label for f in spec.fields if f.required) + "."]  # fmt: skip
    for table in spec.tables:
        found = _table_sheet(wb, table)
        if found is None:
            continue
        ws, ref = found
        phrases, words = _table_checks(table, helpers, counts)
        longest.append(f"• {table.sheet} : " + " ; ".join(f"99 lignes {w}" for w in words) + ".")
        line = helpers.add(f"{table.sheet} : tout", _joined(phrases, " ; "))
        lines.append((line, f"{table.sheet} : "))
        _format_table(ws, table, ref)
    total = helpers.add("Points à revoir", "+".join(counts))
    parts = "&".join(
        f'IF({cell}<>"",CHAR(10)&"• {_text(intro)}"&{cell}&".","")' for cell, intro in lines
    )
    main[PANEL_CELL] = f'=IF({total}=0,"{_text(READY)}","{_text(TO_DO)}"&{parts})'
    width = sum(main.column_dimensions[c].width or 9 for c in ("A", "B"))  # characters
    _style_panel(main, sum(wrapped_lines(line, width) for line in longest))
    _format_fields(wb, main, spec)


# -- what is counted ----------------------------------------------------------------------


def _empty(reference: str) -> str:
    """True when a cell (or each cell of a range) holds nothing but spaces."""
    return f'LEN(TRIM(SUBSTITUTE({reference},CHAR(160)," ")))=0'


def _missing_labels(fields: tuple[Field, ...]) -> str:
    parts = [f'IF({_empty(f.id)},", {_text(f.label)}","")' for f in fields if f.required]
    return f"MID({'&'.join(parts)},3,2000)" if parts else '""'


def _column(table: Table, field: Field) -> str:
    """The column's cells, from the table's first row to ``BELOW`` rows under it."""
    header = field.label.replace("'", "''").replace("[", "'[").replace("]", "']").replace("#", "'#")
    return f"OFFSET({table.name}[[{header}]],0,0,ROWS({table.name})+{BELOW})"


def _table_checks(
    table: Table, helpers: _Helpers, counts: list[str]
) -> tuple[list[str], list[str]]:
    """The cells of the phrases of a table's line, and what each says (for its height)."""
    filled = "(LEN(" + "&".join(_column(table, f) for f in table.columns) + ")>0)"
    checks = []
    for field in table.columns:
        if field.required:
            formula = f"SUMPRODUCT(({_empty(_column(table, field))})*{filled})"
            checks.append((f"sans « {field.label} »", formula, " ligne", " lignes"))
    if table.name in DATE_ORDER:
        start, end = (table.column(i) for i in DATE_ORDER[table.name])
        s, e = _column(table, start), _column(table, end)
        formula = f"SUMPRODUCT(ISNUMBER({s})*ISNUMBER({e})*({e}<{s}))"
        checks.append(
            (f"où « {end.label} » précède « {start.label} »", formula, " ligne", " lignes")
        )
    for field in table.columns:
        if field.type is FieldType.PERCENT:
            c = _column(table, field)
            formula = f"SUMPRODUCT(ISNUMBER({c})*({_wrong_share(c)}>0))"
            checks.append((f"« {field.label} » {_BOUNDS_WORDS}", formula, " valeur", " valeurs"))
    phrases = []
    for what, formula, one, many in checks:
        count = helpers.add(f"{table.sheet} : {what}", formula)
        counts.append(count)
        phrases.append(helpers.add(
            f"{table.sheet} : {what} (texte)",
            f'IF({count}>0,{count}&IF({count}>1,"{many}","{one}")&" {_text(what)}","")',
        ))  # fmt: skip
    return phrases, [what for what, *_ in checks]


def _wrong_share(value: str) -> str:
    """How many ways a typed percentage is one ``check`` refuses (0 when none).

    As the reader reads it (``read.normalise``): 0.4 and 40 are both 40 %, a number
    between 1 and 2 with decimals is ambiguous (1.5 % or 150 %?), and the share must be
    within ``PERCENT_BOUNDS``: below 0, or above 100 once read as a share."""
    low, high = PERCENT_BOUNDS
    return f"(({value}<{low})+({value}>1)*({value}<2)+({value}>{high * 100}))"


_BOUNDS_WORDS = f"hors de {PERCENT_BOUNDS[0] * 100:g} % à {PERCENT_BOUNDS[1] * 100:g} % ou ambigu"


def _joined(cells: list[str], separator: str) -> str:
    if not cells:
        return '""'
    parts = "&".join(f'IF({c}<>"","{separator}"&{c},"")' for c in cells)
    return f"MID({parts},{len(separator) + 1},2000)"


def _text(text: str) -> str:
    """A French text as a formula's string literal."""
    return text.replace('"', '""')


# -- formats -------------------------------------------------------------------------------


def _style_panel(main: Worksheet, lines: int) -> None:
    main.merge_cells(PANEL_RANGE)
    cell = main[PANEL_CELL]
    cell.font = Font(bold=True, size=11)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    main.row_dimensions[cell.row].height = _LINE_POINTS * lines
    ready = f'LEFT(${PANEL_CELL[0]}${PANEL_CELL[1:]},1)="✔"'
    main.conditional_formatting.add(PANEL_RANGE, FormulaRule(formula=[ready], fill=_READY_FILL))
    main.conditional_formatting.add(
        PANEL_RANGE, FormulaRule(formula=[f"NOT({ready})"], fill=_TODO_FILL)
    )


def _format_fields(wb: Workbook, main: Worksheet, spec: TemplateSpec) -> None:
    """A required single field left empty is coloured like the panel says it."""
    for field in spec.fields:
        parsed = (
            parse_ref(wb.defined_names[field.id].attr_text)
            if field.id in wb.defined_names
            else None
        )
        if field.required and parsed is not None and parsed[0] == main.title:
            cell = parsed[1]
            main.conditional_formatting.add(
                cell, FormulaRule(formula=[_empty(cell)], fill=_TODO_FILL)
            )


def _format_table(ws: Worksheet, table: Table, ref: str) -> None:
    """The same checks on the table's cells (conditional formats take A1 references)."""
    first, last = ref.split(":")
    header = int("".join(ch for ch in first if ch.isdigit()))
    bottom = int("".join(ch for ch in last if ch.isdigit())) + BELOW
    start = column_index_from_string("".join(ch for ch in first if ch.isalpha()))
    letter = {f.id: get_column_letter(start + i) for i, f in enumerate(table.columns)}
    row = header + 1
    filled = "LEN(" + "&".join(f"${letter[f.id]}{row}" for f in table.columns) + ")>0"

    def add(field_id: str, formula: str) -> None:
        area = f"{letter[field_id]}{row}:{letter[field_id]}{bottom}"
        ws.conditional_formatting.add(area, FormulaRule(formula=[formula], fill=_TODO_FILL))

    for field in table.columns:
        if field.required:
            add(field.id, f"AND({_empty(f'{letter[field.id]}{row}')},{filled})")
    if table.name in DATE_ORDER:
        start_id, end_id = DATE_ORDER[table.name]
        s, e = f"{letter[start_id]}{row}", f"{letter[end_id]}{row}"
        add(end_id, f"AND(ISNUMBER({s}),ISNUMBER({e}),{e}<{s})")
    for field in table.columns:
        if field.type is FieldType.PERCENT:
            c = f"{letter[field.id]}{row}"
            add(field.id, f"AND(ISNUMBER({c}),{_wrong_share(c)}>0)")


def _table_sheet(wb: Workbook, table: Table) -> tuple[Worksheet, str] | None:
    for ws in wb.worksheets:
        if table.name in ws.tables:
            return ws, ws.tables[table.name].ref
    return None

"""The « À corriger » worksheet of an .xlsx copy: every point, with a link to its cell.

Every text is an inline string (no shared-strings part to renumber) and every link an
internal hyperlink whose location is the sheet and cell we marked: nothing a user typed
ever becomes a formula or a link target.
"""

from __future__ import annotations

from innova_reports.annotate.plan import SEVERITY_WORDS, Plan, Point, summary
from innova_reports.annotate.text import ooxml_string, sheet_reference, xml_attr, xml_text
from innova_reports.annotate.xlsx_styles import Styles
from innova_reports.read.safety import column_letters
from innova_reports.report.issue import Severity

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TITLE = "À corriger avant de renvoyer ce classeur"
HOW_TO = (
    "Chaque cellule à revoir est colorée et porte une note (passez la souris dessus, ou "
    "clic droit › Afficher le commentaire) qui dit quoi faire. Cliquez sur une cellule de "
    "la colonne « Cellule » pour y aller. Corrigez, enregistrez, puis renvoyez le "
    "classeur : cette feuille, les couleurs et les notes peuvent rester, elles sont "
    "ignorées à la lecture et retirées au prochain contrôle."
)
LEGEND = (
    "Erreur (rouge, hachuré dans Excel, cadre continu épais) : la valeur n'est pas reprise "
    "dans le plan d'actions tant qu'elle n'est pas corrigée. Avertissement (orange, cadre en "
    "tirets) : la valeur est reprise, mais elle mérite d'être vérifiée."
)
COLUMNS = (("N°", 6), ("Gravité", 15), ("Feuille", 18), ("Cellule", 16), ("Champ", 26),
           ("Valeur trouvée", 24), ("Ce qu'il faut corriger", 90))  # fmt: skip
HEADER_ROW = 6
CHARS_PER_UNIT = 1.1  # characters of text per unit of column width (Calibri 11)
_FULL_WIDTH = sum(width for _, width in COLUMNS)
PRINT_TITLES = f"${HEADER_ROW}:${HEADER_ROW}"


def list_sheet(plan: Plan, styles: Styles) -> str:
    """The worksheet XML of « À corriger »."""
    looks = _Looks(styles)
    rows = [
        _row(1, [(TITLE, looks.title)]),
        _row(2, [(summary(plan), looks.bold)]),
        _row(3, [(HOW_TO, looks.note)], height=_height(HOW_TO, _FULL_WIDTH)),
        _row(4, [(LEGEND, looks.note)], height=_height(LEGEND, _FULL_WIDTH)),
        _row(HEADER_ROW, [(name, looks.header) for name, _ in COLUMNS]),
    ]
    links = []
    for number, point in enumerate(plan.points, start=1):
        row = HEADER_ROW + number
        severity = looks.severity[point.severity]
        values = (number, SEVERITY_WORDS[point.severity], point.sheet or "—", _place(point),
                  point.label, point.value, point.message)  # fmt: skip
        styles_ = (looks.body, severity, looks.body, looks.link if point.link else looks.body,
                   looks.body, looks.body, looks.body)  # fmt: skip
        height = max(_height(str(v), w) for v, (_, w) in zip(values, COLUMNS, strict=True))
        rows.append(_row(row, list(zip(values, styles_, strict=True)), height=height))
        if point.link:
            links.append(
                f'<hyperlink ref="D{row}" location={xml_attr(sheet_reference(point.sheet, point.link))} '
                f"display={xml_attr(_place(point))}/>"
            )
    last = HEADER_ROW + max(len(plan.points), 1)
    cols = "".join(f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                   for i, (_, width) in enumerate(COLUMNS, start=1))  # fmt: skip
    merged = "".join(f'<mergeCell ref="A{r}:G{r}"/>' for r in (1, 2, 3, 4))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
        '<sheetPr><tabColor rgb="FFC00000"/><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:G{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        f'<pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="D7" sqref="D7"/></sheetView>'
        f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        f'<mergeCells count="4">{merged}</mergeCells>'
        + (f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "")
        + '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "<headerFooter><oddFooter>&amp;L&amp;F&amp;RPage &amp;P / &amp;N</oddFooter></headerFooter>"
        "</worksheet>"
    )


def _place(point: Point) -> str:
    return point.cell or point.where


def wrapped_lines(text: str, width: float) -> int:
    """Lines a text takes once wrapped word by word at ``width`` characters."""
    width = max(int(width), 1)
    total = 0
    for paragraph in str(text).split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            need = used + 1 + len(word) if used else len(word)
            if need <= width:
                used = need
                continue
            lines += 1 if used else 0
            full, rest = divmod(len(word), width)
            lines += full - (0 if rest else 1)
            used = rest or width
        total += lines
    return total


def _height(text: str, width: float) -> int:
    """Points for a wrapped text: neither Excel nor LibreOffice fits a row on opening."""
    return 15 * wrapped_lines(text, width * CHARS_PER_UNIT) + 3


def _row(number: int, cells: list[tuple[object, int]], height: int = 0) -> str:
    parts = []
    for index, (value, style) in enumerate(cells, start=1):
        ref = f"{column_letters(index)}{number}"
        if isinstance(value, int):
            parts.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
        elif value in (None, ""):
            parts.append(f'<c r="{ref}" s="{style}"/>')
        else:
            text = xml_text(ooxml_string(value))
            parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                         f"{text}</t></is></c>")  # fmt: skip
    fixed = f' ht="{height}" customHeight="1"' if height else ""
    return f'<row r="{number}"{fixed}>{"".join(parts)}</row>'


class _Looks:
    """The cell styles of the sheet, added to the workbook's styles once."""

    def __init__(self, styles: Styles) -> None:
        self.title = styles.cell_style(bold=True, size=14, colour="FF1F4E79", wrap=False)
        self.bold = styles.cell_style(bold=True, wrap=False)
        self.note = styles.cell_style(italic=True, colour="FF595959")
        self.header = styles.cell_style(bold=True, colour="FFFFFFFF", fill="FF1F4E79")
        self.body = styles.cell_style()
        self.link = styles.cell_style(underline=True, colour="FF0563C1")
        self.severity = {
            s: styles.cell_style(severity=s) for s in (Severity.ERROR, Severity.WARNING)
        }

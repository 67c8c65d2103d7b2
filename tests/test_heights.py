"""Row heights against the text they hold, measured with a real font.

Each wrapped text of every template, sample and pre-filled workbook is wrapped word
by word at its column's width with DejaVu Sans (matplotlib's own copy, so always
there), as LibreOffice shows it when Calibri is absent; its row must be tall enough for
those lines. The estimate in ``template/heights.py`` never measures: this test does.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import matplotlib
import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter
from PIL import ImageFont

from innova_reports import fields as fd
from innova_reports.template.heights import line_count, row_height, text_height
from innova_reports.template.samples import ACTIONS, ROADMAPS, action_values, roadmap_values
from innova_reports.template.writer import template_bytes

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
PX_PER_PT = 96 / 72
LINE_SPACING = 1.17  # DejaVu Sans: ascent + descent, in ems
CELL_PADDING_PX = 4  # left and right margins inside a cell


@cache
def _font(bold: bool, italic: bool, size: float) -> ImageFont.FreeTypeFont:
    name = {(False, False): "DejaVuSans", (True, False): "DejaVuSans-Bold",
            (False, True): "DejaVuSans-Oblique", (True, True): "DejaVuSans-BoldOblique"}[
        (bold, italic)
    ]  # fmt: skip
    return ImageFont.truetype(str(FONTS / f"{name}.ttf"), size=round(size * PX_PER_PT * 4))


def _width_px(text: str, bold: bool, italic: bool, size: float) -> float:
    return _font(bold, italic, size).getlength(text) / 4


@cache
def _unit_px() -> float:
    """One unit of column width: the default font's digit width (as LibreOffice takes it)."""
    return _width_px("0", False, False, 11)


def measured_lines(text: str, width_units: float, bold=False, italic=False, size=11.0) -> int:
    """Lines of ``text`` wrapped at the column's width, word by word, with the real font."""
    room = width_units * _unit_px() - CELL_PADDING_PX
    lines = 0
    for paragraph in str(text).split("\n"):
        line = ""
        lines += 1
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if _width_px(trial, bold, italic, size) <= room:
                line = trial
                continue
            if line:
                lines += 1
            while _width_px(word, bold, italic, size) > room:  # a word cut across lines
                cut = len(word)
                while cut > 1 and _width_px(word[:cut], bold, italic, size) > room:
                    cut -= 1
                word = word[cut:]
                lines += 1
            line = word
    return lines


def _column_width(ws, letter: str) -> float:
    dimension = ws.column_dimensions.get(letter)
    if dimension is not None and dimension.width:
        return float(dimension.width)
    for dim in ws.column_dimensions.values():  # grouped <col min max>
        if dim.min and dim.max and dim.min <= column_index_from_string(letter) <= dim.max:
            return float(dim.width or 8.43)
    return 8.43


def _span_width(ws, cell) -> float:
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(
                _column_width(ws, get_column_letter(c))
                for c in range(merged.min_col, merged.max_col + 1)
            )
    return _column_width(ws, cell.column_letter)


def problems(path_or_bytes) -> list[str]:
    """Every wrapped text whose row is too short for it, as « sheet!cell: need > have »."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    found = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.value.strip():
                    continue
                font = cell.font
                size = float(font.sz or 11)
                width = _span_width(ws, cell)
                if not cell.alignment.wrap_text:
                    # one line: it must fit its column, or run over empty cells only
                    fits = _width_px(cell.value, bool(font.b), bool(font.i), size) <= (
                        width * _unit_px()
                    )
                    right = ws.cell(cell.row, cell.column + 1).value
                    if not fits and right not in (None, ""):
                        found.append(f"{ws.title}!{cell.coordinate}: cut at its column")
                    continue
                lines = measured_lines(cell.value, width, bool(font.b), bool(font.i), size)
                need = lines * size * LINE_SPACING
                have = ws.row_dimensions[cell.row].height or 15.0
                if need > have:
                    found.append(
                        f"{ws.title}!{cell.coordinate}: {lines} lines, {need:.0f} > {have}"
                    )
    return found


@pytest.mark.parametrize("kind", fd.KINDS)
def test_blank_templates_show_all_their_text(kind, settings):
    assert problems(template_bytes(kind, settings)) == []


def test_committed_templates_show_all_their_text():
    root = Path(__file__).resolve().parents[1] / "templates"
    for path in sorted(root.rglob("*.xlsx")):
        assert problems(path) == [], path.name


def test_samples_show_all_their_text(settings):
    for action in ACTIONS:
        assert problems(template_bytes(fd.ACTION, settings, action_values(action))) == []
    for roadmap in ROADMAPS:
        data = template_bytes(fd.ROADMAP, settings, roadmap_values(roadmap, settings))
        assert problems(data) == []


LONG = (
    "Les usagers attendent longtemps aux guichets et au téléphone ; les réponses aux "
    "courriers dépassent souvent trois semaines, et personne ne sait qui répond. "
)


def test_long_prefilled_values_get_rows_tall_enough(settings):
    fields = {
        "code_action": "A1.1", "axe": 1, "titre": "Renforcer " * 30, "date_maj": dt.date(2018, 5, 2),
        "contexte": LONG * 6, "finalites": "Première ligne\nDeuxième ligne\n" * 5,
        "contributeurs": "Agents d'accueil de la mairie, du CCAS et de l'agglomération",
        "moyens_humains": "Anticonstitutionnellement" * 8,
    }  # fmt: skip
    tasks = [{"tache": LONG, "statut": "Fait", "commentaire": LONG * 2, "responsable": "Service"}
             for _ in range(15)]  # fmt: skip
    data = template_bytes(fd.ACTION, settings, {"fields": fields, "tables": {"t_taches": tasks}})
    assert problems(data) == []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Tâches"].row_dimensions[5].height > 60  # grown for its comment


def test_the_estimate_counts_lines_as_wrapping_does():
    assert line_count("", 10) == 1
    assert line_count("mot", 10) == 1
    assert line_count("a\nb\nc", 90) == 3
    assert line_count("un deux trois quatre", 9) == 3  # « un deux » « trois » « quatre »
    assert line_count("x" * 25, 10) == 3  # a word longer than a line is cut
    assert line_count("mot " * 40, 34, bold=True) > line_count("mot " * 40, 34)
    assert text_height("un", 10) == 18.0  # one line and the cell's margins
    assert row_height([("court", 90, False)], least=96) == 96
    assert row_height([("mot " * 200, 20, False)]) == 409  # Excel's tallest row

"""Native Excel charts in the master workbook: one « Tableau axe N » sheet per axis.

Each sheet carries its own small data ranges (so the charts do not depend on the
layout of the table sheets) and three native charts: indicator progress toward the
target, task status per action, and the monthly trend of each indicator as a share of
the way to its target (indicators of different units become comparable). User text is
written typed, never with ``write()`` (no formula injection); the data blocks go through
``sheet_body`` like the master's tables, their values kept for the charts' caches.
"""

from __future__ import annotations

from collections import Counter

import xlsxwriter

from innova_reports.fields import TASK_STATUS
from innova_reports.fields import Meaning as M
from innova_reports.frenchfmt import format_date, month_label
from innova_reports.model import Snapshot
from innova_reports.rules import LATE_STATE, NO_STATUS_STATE, target_span
from innova_reports.settings import Settings
from innova_reports.views import AxisView, build_axis_view
from innova_reports.xlsx.sheet_body import BodySheet, ColumnStyle

TASK_STATES = (
    *(TASK_STATUS.value(m) for m in (M.DONE, M.IN_PROGRESS, M.NOT_STARTED)), LATE_STATE,
    TASK_STATUS.value(M.ABANDONED), NO_STATUS_STATE,
)  # fmt: skip
TASK_COLOURS = ("#009E73", "#0072B2", "#56B4E9", "#D55E00", "#999999", "#E3E3E3")
LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
TRENDS_CHARTED = 7  # more lines than this are unreadable; the data below has them all
CHART_COLUMN = 9  # column J: charts sit right of the data


def sheet_title(number: int) -> str:
    return f"Tableau axe {number}"


def axis_views(snapshot: Snapshot, settings: Settings) -> list[AxisView]:
    """The view of every axis, in axis order: what the sheets draw."""
    return [build_axis_view(snapshot, settings, number) for number in settings.axis_numbers]


def add_axis_sheets(workbook: xlsxwriter.Workbook, snapshot: Snapshot, settings: Settings,
                    views: list[AxisView] | None = None) -> None:  # fmt: skip
    """Add one dashboard sheet per axis of the programme, in axis order; ``views``: the
    snapshot's ``axis_views`` when already computed."""
    formats = _formats(workbook)
    views = axis_views(snapshot, settings) if views is None else views
    for number, view in zip(settings.axis_numbers, views, strict=True):
        sheet = workbook.add_worksheet(sheet_title(number), worksheet_class=BodySheet)
        _axis_sheet(workbook, sheet, view, settings, formats)


def _formats(workbook: xlsxwriter.Workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 16, "font_color": "#1F3A5F"}),
        "subtitle": workbook.add_format({"italic": True, "font_color": "#555555"}),
        "head": workbook.add_format({"bold": True, "bottom": 1, "font_color": "#1F3A5F", "text_wrap": True}),
        "section": workbook.add_format({"bold": True, "font_size": 12, "font_color": "#1F3A5F"}),
        "percent": workbook.add_format({"num_format": "0%"}),
        "int": workbook.add_format({"num_format": "0"}),
        "text": workbook.add_format({"text_wrap": False}),
        "note": workbook.add_format({"italic": True}),
    }  # fmt: skip


def _axis_sheet(workbook, sheet, view: AxisView, settings: Settings, formats: dict) -> None:
    _page_setup(sheet, view, settings)
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 8, 12)
    sheet.write_string(0, 0, view.label, formats["title"])
    sheet.write_string(1, 0, f"{settings.programme} · {month_label(view.period)} · point au "
                       f"{format_date(view.reporting_date)}", formats["subtitle"])  # fmt: skip
    row = _tiles(sheet, view, formats, 3)
    if view.is_empty:
        sheet.write_string(row + 1, 0, "Aucun document reçu pour cet axe à la date du point : "
                           "les graphiques apparaîtront dès réception.", formats["note"])  # fmt: skip
        return
    row, progress = _progress_block(workbook, sheet, view, formats, row + 1)
    row, tasks = _task_block(workbook, sheet, view, formats, row + 1)
    row, trends = _trend_block(workbook, sheet, view, settings, formats, row + 1)
    anchor = 3
    for chart, height in (progress, tasks, trends):
        if chart is not None:
            sheet.insert_chart(anchor, CHART_COLUMN, chart)
            anchor += height


def _page_setup(sheet, view: AxisView, settings: Settings) -> None:
    """Printed, the sheet is one A4 landscape page wide: data and charts side by side."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer(f"&L{_header_text(settings.programme)} · {_header_text(view.label)}"
                     "&RPage &P / &N")  # fmt: skip


def _header_text(text: str) -> str:
    """Excel header/footer codes start with &: a literal ampersand is doubled."""
    return text.replace("&", "&&")


def _tiles(sheet, view: AxisView, formats: dict, row: int) -> int:
    t = view.tiles
    items = [("Fiches action reçues", t.actions_received), ("Actions annoncées", t.actions_announced),
             ("Tâches faites", t.tasks_done), ("Tâches au total", t.tasks_total),
             ("Tâches en retard", t.tasks_late), ("Indicateurs dans la trajectoire", t.indicators_on_track),
             ("Indicateurs au total", t.indicators_total)]  # fmt: skip
    for index, (label, value) in enumerate(items):
        sheet.write_string(row + index, 0, label)
        sheet.write_number(row + index, 1, value, formats["int"])
    sheet.write_string(row + len(items), 0, "Météo de l'axe")
    sheet.write_string(row + len(items), 1, t.weather or "–")
    return row + len(items) + 1


def _progress_block(workbook, sheet, view: AxisView, formats, row: int):
    sheet.write_string(
        row, 0, "Indicateurs : part du chemin parcouru vers la cible", formats["section"]
    )
    if not view.indicators:
        sheet.write_string(row + 1, 0, "Aucun indicateur déclaré.", formats["note"])
        return row + 2, (None, 0)
    sheet.write_string(row + 1, 0, "Indicateur", formats["head"])
    sheet.write_string(row + 1, 1, "Part atteinte", formats["head"])
    first = row + 2
    labels = [f"{indicator.action} · {indicator.name}" for indicator in view.indicators]
    shares = [indicator.share if indicator.share is not None else "pas de valeur"
              for indicator in view.indicators]  # fmt: skip
    sheet.write_body(first, [labels, shares], [ColumnStyle(), ColumnStyle(formats["percent"])],
                     charted=True)  # fmt: skip
    last = first + len(view.indicators) - 1
    chart = workbook.add_chart({"type": "bar"})
    name = sheet.get_name()
    chart.add_series({
        "name": "Part atteinte", "categories": [name, first, 0, last, 0],
        "values": [name, first, 1, last, 1], "fill": {"color": "#0072B2"},
        "data_labels": {"value": True, "num_format": "0%"},
    })  # fmt: skip
    chart.set_title({"name": "Progression vers la cible"})
    chart.set_x_axis(
        {"num_format": "0%", "min": 0, "max": 1.2, "major_gridlines": {"visible": False}}
    )
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    height = max(288, 40 + 24 * len(view.indicators))
    chart.set_size({"width": 640, "height": height})
    return last + 1, (chart, height // 20 + 2)


def _task_block(workbook, sheet, view: AxisView, formats, row: int):
    sheet.write_string(row, 0, "Tâches par action et par statut", formats["section"])
    counts = Counter((t.action, t.state) for t in view.tasks)  # once: actions × tasks at scale
    with_tasks = {action for action, _ in counts}
    codes = [a.code for a in view.actions if a.code in with_tasks]
    if not codes:
        sheet.write_string(row + 1, 0, "Aucune tâche saisie.", formats["note"])
        return row + 2, (None, 0)
    sheet.write_string(row + 1, 0, "Action", formats["head"])
    for column, state in enumerate(TASK_STATES, start=1):
        sheet.write_string(row + 1, column, state, formats["head"])
    first = row + 2
    columns = [codes] + [[counts[code, state] for code in codes] for state in TASK_STATES]
    styles = [ColumnStyle()] + [ColumnStyle(formats["int"])] * len(TASK_STATES)
    sheet.write_body(first, columns, styles, charted=True)
    last = first + len(codes) - 1
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    name = sheet.get_name()
    for column, colour in enumerate(TASK_COLOURS, start=1):
        chart.add_series({"name": [name, row + 1, column], "categories": [name, first, 0, last, 0],
                          "values": [name, first, column, last, column], "fill": {"color": colour},
                          "gap": 60})  # fmt: skip
    chart.set_title({"name": "Tâches par action"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    height = max(240, 80 + 36 * len(codes))
    chart.set_size({"width": 640, "height": height})
    return last + 1, (chart, height // 20 + 2)


def _trend_block(workbook, sheet, view: AxisView, settings: Settings, formats, row: int):
    sheet.write_string(row, 0, "Évolution mensuelle : part du chemin parcouru (100 % = cible)",
                       formats["section"])  # fmt: skip
    measured = [i for i in view.indicators if i.values]
    if not measured:
        sheet.write_string(row + 1, 0, "Aucune valeur mensuelle saisie.", formats["note"])
        return row + 2, (None, 0)
    months = [m for m in settings.months if m <= view.period]
    sheet.write_string(row + 1, 0, "Indicateur", formats["head"])
    for column, month in enumerate(months, start=1):
        sheet.write_string(row + 1, column, month_label(month), formats["head"])
    sheet.set_column(1, max(8, len(months)), 12)
    first = row + 2
    columns = [[f"{indicator.action} · {indicator.name}" for indicator in measured] + ["Cible"]]
    values = [dict(indicator.values) for indicator in measured]
    # the rule's own span (rules.target_span), found once per indicator, not per month
    spans = [target_span(i.direction, i.baseline, i.target) for i in measured]
    for month in months:
        column = [None if span is None or month not in own else span.share(own[month])
                  for span, own in zip(spans, values, strict=True)]  # fmt: skip
        columns.append([*column, 1])  # the target row: 100 % every month
    styles = [ColumnStyle()] + [ColumnStyle(formats["percent"])] * len(months)
    sheet.write_body(first, columns, styles, charted=True)
    target_row = first + len(measured)
    chart = workbook.add_chart({"type": "line"})
    name = sheet.get_name()
    for index in range(min(len(measured), TRENDS_CHARTED)):
        chart.add_series({"name": [name, first + index, 0],
                          "categories": [name, row + 1, 1, row + 1, len(months)],
                          "values": [name, first + index, 1, first + index, len(months)],
                          "line": {"color": LINE_COLOURS[index % len(LINE_COLOURS)], "width": 2},
                          "marker": {"type": "circle", "size": 5}})  # fmt: skip
    chart.add_series({"name": [name, target_row, 0], "categories": [name, row + 1, 1, row + 1, len(months)],
                      "values": [name, target_row, 1, target_row, len(months)],
                      "line": {"color": "#000000", "dash_type": "dash", "width": 1.5}})  # fmt: skip
    chart.set_title({"name": "Tendances des indicateurs (100 % = cible)"})
    chart.set_y_axis({"num_format": "0%", "min": 0})
    chart.set_legend({"position": "bottom"})
    # the legend lists every line under the plot: the chart grows with it, the plot does not
    height = 300 + 22 * (min(len(measured), TRENDS_CHARTED) + 1)
    chart.set_size({"width": 640, "height": height})
    return target_row + 1, (chart, height // 20 + 2)

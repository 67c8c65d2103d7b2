"""The dashboard of one axis: a multi-page A4 PDF, PNG charts and the HTML page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure

from innova_reports.dashboards import figures as charts
from innova_reports.dashboards import html, pages, scale, style
from innova_reports.dashboards.output import png_bytes, write_bytes, write_pdf
from innova_reports.dashboards.texts import (
    NOTHING_RECEIVED,
    axis_subtitle,
    header_lines,
    tile_items,
)
from innova_reports.frenchfmt import format_date, format_share, month_label
from innova_reports.model import Snapshot
from innova_reports.settings import Settings
from innova_reports.views import AxisView, build_axis_view


@dataclass
class AxisOutput:
    number: int
    pdf: Path
    html: Path
    cid_html: Path
    pngs: dict[str, Path] = field(default_factory=dict)


def render_axis(
    snapshot: Snapshot, settings: Settings, axis_number: int, out_dir: Path
) -> AxisOutput:
    """Draw one axis from a snapshot; the month's changes come from its ``evolutions``."""
    view = build_axis_view(snapshot, settings, axis_number)
    return render_axis_view(view, settings, Path(out_dir))


def render_axis_view(view: AxisView, settings: Settings, out_dir: Path) -> AxisOutput:
    """The worker's job: everything is in ``view`` (plain data, no database)."""
    with style.style_context():
        images = axis_pngs(view, settings)
        stem = f"axe-{view.number}"
        pngs = {
            name: write_bytes(out_dir / f"{stem}-{name}.png", data) for name, data in images.items()
        }
        pdf = write_pdf(out_dir / f"{stem}.pdf", axis_pages(view, settings), view.label)
    page, cid_page = html.axis_documents(view, settings, images)
    return AxisOutput(
        number=view.number,
        pdf=pdf,
        html=html.write_pair(out_dir / f"{stem}.html", page),
        cid_html=html.write_pair(out_dir / f"{stem}.cid.html", cid_page),
        pngs=pngs,
    )


# -- PNG charts ----------------------------------------------------------------------------


def axis_pngs(view: AxisView, settings: Settings) -> dict[str, bytes]:
    """The charts as PNG, only those with something to draw (the HTML says the rest).

    Each is bounded (scale.py): a large axis gives a legible image, not a metre-long one.
    """
    images = {}
    if view.indicators:
        shown, hidden = scale.capped(view.indicators, scale.PNG_INDICATORS_MAX)
        figure = charts.new_figure(10, 1.2 + 0.42 * len(shown) + (0.4 if hidden else 0))
        ax = figure.add_axes((0.3, (0.6 + (0.4 if hidden else 0)) / figure.get_figheight(), 0.68,
                              1 - (1.0 + (0.4 if hidden else 0)) / figure.get_figheight()))  # fmt: skip
        charts.draw_progress(ax, shown)
        if hidden:
            charts.more_note(ax, scale.more_line(hidden, "autres indicateurs", "Indicateurs"))
        images["indicateurs"] = png_bytes(figure)
        shown, hidden = capped_trends(view, scale.PNG_TRENDS_MAX)
        rows = -(-len(shown) // 3)
        figure = charts.new_figure(10, 0.6 + 2.3 * rows + (0.3 if hidden else 0))
        charts.draw_trend_grid(figure, shown, settings.months,
                               rect=(0.07, (0.5 + (0.3 if hidden else 0)) / figure.get_figheight(),
                                     0.9, 1 - (0.9 + (0.3 if hidden else 0)) / figure.get_figheight()))  # fmt: skip
        if hidden:
            figure.text(0.07, 0.15 / figure.get_figheight(), trends_note(hidden), fontsize=9,
                        style="italic", color=style.INK)  # fmt: skip
        images["tendances"] = png_bytes(figure)
    if view.tasks:
        codes, hidden = scale.charted_actions(action_codes(view), view.tasks, scale.ACTIONS_CHARTED)
        figure = charts.new_figure(10, 1.3 + 0.45 * len(codes) + (0.4 if hidden else 0))
        ax = figure.add_axes((0.1, (0.55 + (0.4 if hidden else 0)) / figure.get_figheight(), 0.86,
                              1 - (1.15 + (0.4 if hidden else 0)) / figure.get_figheight()))  # fmt: skip
        charts.draw_task_status(ax, action_codes(view), view.tasks, scale.ACTIONS_CHARTED)
        images["taches"] = png_bytes(figure)
        rows, hidden, _ = scale.gantt_rows(view)
        rows = rows[: charts.GANTT_ROWS_PER_PAGE]
        hidden = len(scale.gantt_rows(view)[0]) - len(rows) + hidden
        figure = charts.new_figure(10, 1.4 + 0.3 * len(rows) + (0.3 if hidden else 0))
        ax = figure.add_axes((0.42, (0.9 + (0.3 if hidden else 0)) / figure.get_figheight(), 0.55,
                              1 - (1.2 + (0.3 if hidden else 0)) / figure.get_figheight()))  # fmt: skip
        charts.draw_gantt(ax, rows, view.reporting_date, view.copil_dates)
        charts.task_legend(ax)
        if hidden:
            figure.text(0.02, 0.12 / figure.get_figheight(), gantt_note(view, hidden), fontsize=9,
                        style="italic", color=style.INK)  # fmt: skip
        images["gantt"] = png_bytes(figure)
    return images


def action_codes(view: AxisView) -> list[str]:
    return [a.code for a in view.actions]


def capped_trends(view: AxisView, limit: int) -> tuple[list, int]:
    return scale.capped(view.indicators, limit)


def trends_note(hidden: int) -> str:
    return scale.more_line(hidden, "autres indicateurs", "Indicateurs")


def gantt_note(view: AxisView, hidden: int) -> str:
    what = "autres actions" if len(view.tasks) > scale.GANTT_TASKS_MAX else "autres tâches"
    return scale.more_line(hidden, what, "Tâches")


# -- PDF pages -----------------------------------------------------------------------------


def axis_pages(view: AxisView, settings: Settings) -> list[Figure]:
    title = view.label
    sub = axis_subtitle(view, settings)
    figures, status_drawn = overview_pages(view, title, sub)
    if not view.is_empty:
        figures += task_pages(view, title, sub, with_status=not status_drawn)
        figures += indicator_pages(view, settings, title, sub)
        figures += detail_pages(view, title, sub)
    pages.add_footers(figures, f"{settings.programme} · {view.label} · {month_label(view.period)}")
    return figures


def overview_pages(view: AxisView, title: str, sub: str) -> tuple[list[Figure], bool]:
    """Header, tiles, actions; the task-status chart too when the page has room."""
    flow = pages.Flow(title, sub)
    for line in header_lines(view):
        flow.figure.text(pages.LEFT, flow.y, line, fontsize=9.5, color=style.INK, va="top")
        flow.y -= 0.03
    pages.tiles(flow.figure, flow.y - 0.01, tile_items(view))
    flow.y -= 0.19
    flow.section("Actions : statut et météo")
    if view.is_empty:
        flow.sentence(NOTHING_RECEIVED)
    elif not view.actions:
        flow.sentence(
            "Aucune fiche action reçue pour le moment : seule la feuille de route est arrivée."
        )
    else:
        columns = [pages.Column("Code", 0.07, 8), pages.Column("Action", 0.42, 70),
                   pages.Column("Statut", 0.12, 16), pages.Column("Météo", 0.09, 10),
                   pages.Column("Tâches faites", 0.11, 16), pages.Column("En retard", 0.09, 12),
                   pages.Column("Complétude", 0.1, 12)]  # fmt: skip
        rows = [[a.code, a.title, a.status or "–", a.weather or "–",
                 f"{a.tasks_done} / {a.tasks_total}", str(a.tasks_late),
                 format_share(a.completeness)] for a in view.actions]  # fmt: skip
        marks = {i: style.WEATHER_COLOURS.get(a.weather) for i, a in enumerate(view.actions)}
        bounded_table(flow, columns, rows, marks, "autres actions", "Actions")
    charted = min(len(view.actions), scale.ACTIONS_CHARTED)
    if view.tasks and flow.y > 0.26 + 0.03 * charted:
        flow.section("Tâches par action")
        bottom = pages.CONTENT_BOTTOM + 0.05
        ax = flow.figure.add_axes((0.12, bottom, 0.83, flow.y - bottom - 0.05))
        charts.draw_task_status(ax, action_codes(view), view.tasks, scale.ACTIONS_CHARTED)
        return flow.figures, True
    return flow.figures, False


def task_pages(view: AxisView, title: str, sub: str, with_status: bool = True) -> list[Figure]:
    result = []
    rows, hidden, by_action = scale.gantt_rows(view)
    heading = "Calendrier des actions (Gantt, une barre par action)" if by_action else \
        "Calendrier des tâches (Gantt)"  # fmt: skip
    chunks = _chunks(rows, charts.GANTT_ROWS_PER_PAGE) or [[]]
    if with_status and len(view.actions) > scale.STATUS_SHARES_PAGE:
        result.append(status_page(view, title, sub))  # many bars: a page of their own
        with_status = False
    for index, chunk in enumerate(chunks):
        figure = pages.page(title, sub, "")
        top = 0.86
        if index == 0 and with_status:
            pages.section_title(figure, top, "Tâches par action")
            ax = figure.add_axes((0.12, 0.63, 0.83, 0.16))
            charts.draw_task_status(ax, action_codes(view), view.tasks, scale.ACTIONS_CHARTED)
            top = 0.56
        pages.section_title(figure, top, heading + (" – suite" if index else ""))
        ax = figure.add_axes((0.36, 0.12, 0.6, top - 0.17))
        charts.draw_gantt(ax, chunk, view.reporting_date, view.copil_dates)
        if chunk:
            charts.task_legend(ax)
        if hidden and index == len(chunks) - 1:
            figure.text(pages.LEFT, 0.045, gantt_note(view, hidden), fontsize=8.5,
                        style="italic", color=style.INK)  # fmt: skip
        result.append(figure)
    return result


def status_page(view: AxisView, title: str, sub: str) -> Figure:
    """The task-status chart on a whole page, for an axis with many actions."""
    figure = pages.page(title, sub, "")
    pages.section_title(figure, 0.86, "Tâches par action")
    ax = figure.add_axes((0.12, 0.16, 0.83, 0.62))
    charts.draw_task_status(ax, action_codes(view), view.tasks, scale.ACTIONS_CHARTED)
    return figure


def indicator_pages(view: AxisView, settings: Settings, title: str, sub: str) -> list[Figure]:
    result = []
    shown, hidden = scale.capped(view.indicators, scale.INDICATORS_MAX)
    chunks = _chunks(shown, charts.PROGRESS_ROWS_PER_PAGE) or [[]]
    for index, chunk in enumerate(chunks):
        figure = pages.page(title, sub, "")
        heading = "Indicateurs : progression vers la cible (initiale → dernière valeur → cible)"
        pages.section_title(figure, 0.86, heading + (" – suite" if index else ""))
        noted = hidden and index == len(chunks) - 1
        height = min(0.66 if noted else 0.72, 0.08 + 0.045 * max(len(chunk), 1))
        ax = figure.add_axes((0.3, 0.81 - height, 0.67, height - 0.02))
        charts.draw_progress(ax, chunk)
        if noted:
            figure.text(pages.LEFT, 0.05, trends_note(hidden), fontsize=8.5, style="italic",
                        color=style.INK)  # fmt: skip
        result.append(figure)
    shown, hidden = capped_trends(view, scale.TRENDS_MAX)
    chunks = _chunks(shown, charts.TRENDS_PER_PAGE)
    for index, chunk in enumerate(chunks):
        figure = pages.page(title, sub, "")
        pages.section_title(figure, 0.86, "Évolution mensuelle des indicateurs et cible"
                            + (" – suite" if index else ""))  # fmt: skip
        rows = -(-len(chunk) // 3)
        charts.draw_trend_grid(figure, chunk, settings.months,
                               rect=(0.06, 0.80 - 0.35 * rows, 0.9, 0.35 * rows - 0.06))  # fmt: skip
        if hidden and index == len(chunks) - 1:
            figure.text(pages.LEFT, 0.045, trends_note(hidden), fontsize=8.5, style="italic",
                        color=style.INK)  # fmt: skip
        result.append(figure)
    return result


def detail_pages(view: AxisView, title: str, sub: str) -> list[Figure]:
    flow = pages.Flow(title, sub)
    task_columns = [pages.Column("Action", 0.08, 8), pages.Column("Tâche", 0.42, 68),
                    pages.Column("Responsable", 0.2, 30), pages.Column("Fin prévue", 0.12, 14),
                    pages.Column("Statut", 0.15, 18)]  # fmt: skip

    def task_rows(tasks):
        return [[t.action, t.name, t.owner or "–", format_date(t.end) or "–", t.status or "–"]
                for t in tasks]  # fmt: skip

    flow.section(f"Tâches en retard ({len(view.late_tasks)})")
    if view.late_tasks:
        late = view.late_tasks
        bounded_table(flow, task_columns, task_rows(late[: scale.TABLE_ROWS_MAX]),
                      {i: style.VERMILION for i in range(len(late))},
                      "autres tâches en retard", "Tâches", hidden=len(late) - scale.TABLE_ROWS_MAX)  # fmt: skip
    else:
        flow.sentence("Aucune tâche en retard à la date du point.")
    flow.section(f"Tâches à échéance dans les 30 prochains jours ({len(view.upcoming_tasks)})")
    if view.upcoming_tasks:
        upcoming = view.upcoming_tasks
        bounded_table(flow, task_columns, task_rows(upcoming[: scale.TABLE_ROWS_MAX]), None,
                      "autres tâches à échéance", "Tâches",
                      hidden=len(upcoming) - scale.TABLE_ROWS_MAX)  # fmt: skip
    else:
        flow.sentence("Aucune tâche n'arrive à échéance dans les 30 prochains jours.")
    flow.section("Actions annoncées sans fiche action")
    if view.announced_without_sheet:
        bounded_table(flow, [pages.Column("Code", 0.08, 8), pages.Column("Intitulé annoncé", 0.9, 140)],
                      [[code, title] for code, title in view.announced_without_sheet], None,
                      "autres actions annoncées sans fiche", "Suivi des retours")  # fmt: skip
    else:
        flow.sentence(
            "Toutes les actions annoncées dans la feuille de route ont leur fiche action."
        )
    flow.section("Ce qui a changé depuis le mois dernier")
    if view.changes:
        bounded_table(flow, [pages.Column("Action", 0.08, 8), pages.Column("Objet", 0.12, 16),
                    pages.Column("Changement", 0.16, 22), pages.Column("Avant", 0.12, 16),
                    pages.Column("Après", 0.12, 16), pages.Column("Détail", 0.4, 60)],
                   [[c.get("code_action", ""), c.get("objet", ""), c.get("changement", ""),
                     c.get("avant", ""), c.get("apres", ""), c.get("detail", "")]
                    for c in view.changes], None, "autres changements", "Évolutions")  # fmt: skip
    else:
        flow.sentence("Aucun changement depuis le mois précédent (ou premier mois consolidé).")
    flow.section("Complétude des modèles")
    if view.completeness:
        bounded_table(flow, [pages.Column("Document", 0.18, 24), pages.Column("Code", 0.08, 8),
                    pages.Column("Intitulé", 0.46, 70), pages.Column("Retour", 0.12, 14),
                    pages.Column("Complétude", 0.14, 14)],
                   [[c["document"], c["code"] or "–", c["intitule"] or "–",
                     c["etat"], format_share(c["completude"])]
                    for c in view.completeness], None, "autres documents", "Suivi des retours")  # fmt: skip
    else:
        flow.sentence("Aucun document attendu n'est connu pour cet axe.")
    return flow.figures


def bounded_table(flow: pages.Flow, columns: list[pages.Column], rows: list[list[str]], marks,
                  what: str, where: str, hidden: int | None = None) -> None:  # fmt: skip
    """At most TABLE_ROWS_MAX rows, then « … et N autres … » pointing to the master."""
    shown, rest = scale.capped(rows, scale.TABLE_ROWS_MAX)
    rest = rest if hidden is None else max(hidden, 0)
    flow.table(columns, shown, marks)
    if rest:
        flow.sentence(scale.more_line(rest, what, where))


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]

"""The dashboard of one axis: a multi-page A4 PDF, PNG charts and the HTML page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure

from innova_reports.dashboards import figures as charts
from innova_reports.dashboards import pages, style
from innova_reports.dashboards.output import png_bytes, write_bytes, write_pdf
from innova_reports.dashboards.views import AxisView, build_axis_view
from innova_reports.fields import month_label
from innova_reports.model import Snapshot
from innova_reports.settings import Settings

NOTHING_RECEIVED = (
    "Aucun document n'a été reçu pour cet axe à la date du point : ni feuille de route, "
    "ni fiche action. Le tableau de bord se remplira dès que le groupe aura envoyé ses fichiers."
)


@dataclass
class AxisOutput:
    number: int
    pdf: Path
    html: Path
    cid_html: Path
    pngs: dict[str, Path] = field(default_factory=dict)


def render_axis(
    snapshot: Snapshot, settings: Settings, axis_number: int, out_dir: Path, history_snapshots=()
) -> AxisOutput:
    """Draw one axis from a snapshot. ``history_snapshots`` is accepted for symmetry with
    the synthesis; the axis shows the month's changes from ``snapshot.evolutions``."""
    view = build_axis_view(snapshot, settings, axis_number)
    return render_axis_view(view, settings, Path(out_dir))


def render_axis_view(view: AxisView, settings: Settings, out_dir: Path) -> AxisOutput:
    """The worker's job: everything is in ``view`` (plain data, no database)."""
    from innova_reports.dashboards import html

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


def subtitle(view: AxisView, settings: Settings) -> str:
    return f"{settings.programme} · tableau de bord de l'axe · {month_label(view.period)}"


def header_lines(view: AxisView) -> list[str]:
    copil = "aucun copil à venir"
    if view.next_copil is not None:
        copil = f"{style.french_date(view.next_copil)} ({style.days_label(view.days_to_copil)})"
    return [
        f"Groupe : {view.group or 'feuille de route non reçue'}   ·   Pilote : {view.pilot or '–'}",
        f"Période : {month_label(view.period)}   ·   Date du point : "
        f"{style.french_date(view.reporting_date)}   ·   "
        + (
            f"Données mises à jour le {style.french_date(view.data_date)}"
            if view.data_date
            else "Aucune donnée reçue"
        ),
        f"Prochain comité de pilotage : {copil}",
    ]


def tile_items(view: AxisView) -> list[tuple[str, str, str, str | None]]:
    t = view.tiles
    weather = t.weather or "–"
    return [
        (f"{t.actions_received} / {t.actions_announced}", "Fiches action reçues",
         "sur les actions annoncées", None),
        (f"{t.tasks_done} / {t.tasks_total}", "Tâches faites", f"dont {t.tasks_late} en retard",
         style.VERMILION if t.tasks_late else None),
        (f"{t.indicators_on_track} / {t.indicators_total}", "Indicateurs dans la trajectoire",
         f"{t.indicators_measured} avec au moins une valeur", None),
        (weather, "Météo de l'axe", "la plus défavorable des actions",
         style.WEATHER_COLOURS.get(t.weather)),
    ]  # fmt: skip


# -- PNG charts ----------------------------------------------------------------------------


def axis_pngs(view: AxisView, settings: Settings) -> dict[str, bytes]:
    """The charts as PNG, only those with something to draw (the HTML says the rest)."""
    images = {}
    if view.indicators:
        figure = charts.new_figure(10, 1.2 + 0.42 * len(view.indicators))
        charts.draw_progress(figure.add_axes((0.3, 0.6 / figure.get_figheight(), 0.68,
                                              1 - 1.0 / figure.get_figheight())), view.indicators)  # fmt: skip
        images["indicateurs"] = png_bytes(figure)
        rows = -(-len(view.indicators) // 3)
        figure = charts.new_figure(10, 0.6 + 2.3 * rows)
        charts.draw_trend_grid(figure, view.indicators, settings.months,
                               rect=(0.07, 0.5 / figure.get_figheight(), 0.9,
                                     1 - 0.9 / figure.get_figheight()))  # fmt: skip
        images["tendances"] = png_bytes(figure)
    if view.tasks:
        figure = charts.new_figure(10, 1.3 + 0.45 * len(view.actions or [1]))
        ax = figure.add_axes((0.1, 0.55 / figure.get_figheight(), 0.86,
                              1 - 1.15 / figure.get_figheight()))  # fmt: skip
        charts.draw_task_status(ax, [a.code for a in view.actions], view.tasks)
        images["taches"] = png_bytes(figure)
        figure = charts.new_figure(10, 1.4 + 0.3 * len(view.tasks))
        ax = figure.add_axes((0.42, 0.9 / figure.get_figheight(), 0.55,
                              1 - 1.2 / figure.get_figheight()))  # fmt: skip
        charts.draw_gantt(ax, view.tasks, view.reporting_date, view.copil_dates)
        charts.task_legend(ax)
        images["gantt"] = png_bytes(figure)
    return images


# -- PDF pages -----------------------------------------------------------------------------


def axis_pages(view: AxisView, settings: Settings) -> list[Figure]:
    title = view.label
    sub = subtitle(view, settings)
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
                 style.french_percent(a.completeness)] for a in view.actions]  # fmt: skip
        marks = {i: style.WEATHER_COLOURS.get(a.weather) for i, a in enumerate(view.actions)}
        flow.table(columns, rows, marks)
    if view.tasks and flow.y > 0.26 + 0.03 * len(view.actions):
        flow.section("Tâches par action")
        bottom = pages.CONTENT_BOTTOM + 0.05
        ax = flow.figure.add_axes((0.12, bottom, 0.83, flow.y - bottom - 0.05))
        charts.draw_task_status(ax, [a.code for a in view.actions], view.tasks)
        return flow.figures, True
    return flow.figures, False


def task_pages(view: AxisView, title: str, sub: str, with_status: bool = True) -> list[Figure]:
    result = []
    chunks = _chunks(view.tasks, charts.GANTT_ROWS_PER_PAGE) or [[]]
    for index, chunk in enumerate(chunks):
        figure = pages.page(title, sub, "")
        top = 0.86
        if index == 0 and with_status:
            pages.section_title(figure, top, "Tâches par action")
            ax = figure.add_axes((0.12, 0.63, 0.83, 0.16))
            charts.draw_task_status(ax, [a.code for a in view.actions], view.tasks)
            top = 0.56
        pages.section_title(
            figure, top, "Calendrier des tâches (Gantt)" + (" – suite" if index else "")
        )
        ax = figure.add_axes((0.36, 0.12, 0.6, top - 0.17))
        charts.draw_gantt(ax, chunk, view.reporting_date, view.copil_dates)
        if chunk:
            charts.task_legend(ax)
        result.append(figure)
    return result


def indicator_pages(view: AxisView, settings: Settings, title: str, sub: str) -> list[Figure]:
    result = []
    for index, chunk in enumerate(_chunks(view.indicators, charts.PROGRESS_ROWS_PER_PAGE) or [[]]):
        figure = pages.page(title, sub, "")
        heading = "Indicateurs : progression vers la cible (initiale → dernière valeur → cible)"
        pages.section_title(figure, 0.86, heading + (" – suite" if index else ""))
        height = min(0.72, 0.08 + 0.045 * max(len(chunk), 1))
        ax = figure.add_axes((0.3, 0.81 - height, 0.67, height - 0.02))
        charts.draw_progress(ax, chunk)
        result.append(figure)
    for index, chunk in enumerate(_chunks(view.indicators, charts.TRENDS_PER_PAGE)):
        figure = pages.page(title, sub, "")
        pages.section_title(figure, 0.86, "Évolution mensuelle des indicateurs et cible"
                            + (" – suite" if index else ""))  # fmt: skip
        rows = -(-len(chunk) // 3)
        charts.draw_trend_grid(figure, chunk, settings.months,
                               rect=(0.06, 0.80 - 0.35 * rows, 0.9, 0.35 * rows - 0.06))  # fmt: skip
        result.append(figure)
    return result


def detail_pages(view: AxisView, title: str, sub: str) -> list[Figure]:
    flow = pages.Flow(title, sub)
    task_columns = [pages.Column("Action", 0.08, 8), pages.Column("Tâche", 0.42, 68),
                    pages.Column("Responsable", 0.2, 30), pages.Column("Fin prévue", 0.12, 14),
                    pages.Column("Statut", 0.15, 18)]  # fmt: skip

    def task_rows(tasks):
        return [[t.action, t.name, t.owner or "–", style.short_date(t.end) or "–", t.status or "–"]
                for t in tasks]  # fmt: skip

    flow.section(f"Tâches en retard ({len(view.late_tasks)})")
    if view.late_tasks:
        flow.table(task_columns, task_rows(view.late_tasks),
                   {i: style.VERMILION for i in range(len(view.late_tasks))})  # fmt: skip
    else:
        flow.sentence("Aucune tâche en retard à la date du point.")
    flow.section(f"Tâches à échéance dans les 30 prochains jours ({len(view.upcoming_tasks)})")
    if view.upcoming_tasks:
        flow.table(task_columns, task_rows(view.upcoming_tasks))
    else:
        flow.sentence("Aucune tâche n'arrive à échéance dans les 30 prochains jours.")
    flow.section("Actions annoncées sans fiche action")
    if view.announced_without_sheet:
        flow.table([pages.Column("Code", 0.08, 8), pages.Column("Intitulé annoncé", 0.9, 140)],
                   [[code, title] for code, title in view.announced_without_sheet])  # fmt: skip
    else:
        flow.sentence(
            "Toutes les actions annoncées dans la feuille de route ont leur fiche action."
        )
    flow.section("Ce qui a changé depuis le mois dernier")
    if view.changes:
        flow.table([pages.Column("Action", 0.08, 8), pages.Column("Objet", 0.12, 16),
                    pages.Column("Changement", 0.16, 22), pages.Column("Avant", 0.12, 16),
                    pages.Column("Après", 0.12, 16), pages.Column("Détail", 0.4, 60)],
                   [[c.get("code_action", ""), c.get("objet", ""), c.get("changement", ""),
                     c.get("avant", ""), c.get("apres", ""), c.get("detail", "")]
                    for c in view.changes])  # fmt: skip
    else:
        flow.sentence("Aucun changement depuis le mois précédent (ou premier mois consolidé).")
    flow.section("Complétude des modèles")
    if view.completeness:
        flow.table([pages.Column("Document", 0.18, 24), pages.Column("Code", 0.08, 8),
                    pages.Column("Intitulé", 0.46, 70), pages.Column("Reçu", 0.12, 14),
                    pages.Column("Complétude", 0.14, 14)],
                   [[c["document"], c["code"] or "–", c["intitule"] or "–",
                     "reçu" if c["recu"] else "non reçu", style.french_percent(c["completude"])]
                    for c in view.completeness])  # fmt: skip
    else:
        flow.sentence("Aucun document attendu n'est connu pour cet axe.")
    return flow.figures


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]

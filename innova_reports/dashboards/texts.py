"""The words of the dashboards, shared by their PDF pages and their HTML pages.

Each page title, header line and tile is written once here, so the PDF and the HTML
page (also the email body) of one axis, or of the synthesis, say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from innova_reports.dashboards import style
from innova_reports.frenchfmt import format_long_date, month_label, number_words
from innova_reports.settings import Settings
from innova_reports.views import AxisView

if TYPE_CHECKING:
    from innova_reports.dashboards.synthesis import SynthesisView

NOTHING_RECEIVED = (
    "Aucun document n'a été reçu pour cet axe à la date du point : ni feuille de route, "
    "ni fiche action. Le tableau de bord se remplira dès que le groupe aura envoyé ses fichiers."
)


def axis_subtitle(view: AxisView, settings: Settings) -> str:
    return f"{settings.programme} · tableau de bord de l'axe · {month_label(view.period)}"


def header_lines(view: AxisView) -> list[str]:
    copil = "aucun copil à venir"
    if view.next_copil is not None:
        copil = f"{format_long_date(view.next_copil)} ({style.days_label(view.days_to_copil)})"
    return [
        f"Groupe : {view.group or 'feuille de route non reçue'}   ·   Pilote : {view.pilot or '–'}",
        f"Période : {month_label(view.period)}   ·   Date du point : "
        f"{format_long_date(view.reporting_date)}   ·   "
        + (
            f"Données mises à jour le {format_long_date(view.data_date)}"
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


def synthesis_title(view: SynthesisView) -> str:
    return f"{view.programme} – synthèse pour le comité de pilotage"


def synthesis_subtitle(view: SynthesisView) -> str:
    copil = "aucun copil à venir"
    if view.next_copil is not None:
        days = (view.next_copil - view.reporting_date).days
        copil = f"prochain copil le {format_long_date(view.next_copil)} ({style.days_label(days)})"
    return (
        f"{month_label(view.period)} · point au {format_long_date(view.reporting_date)} · {copil}"
    )


def axes_heading(count: int) -> str:
    """« Les six axes côte à côte »: the programme's own number of axes."""
    return f"Les {number_words(count)} axes côte à côte"

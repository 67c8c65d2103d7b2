"""The plan d'actions of one period, built from its snapshot: cover, programme,
each axis' roadmap and action sheets, annex.

Everything is decided here once for both renderers (PDF and DOCX): the order, the
French words, the labels (from the field dictionary) and the display of every value.
The action sheets' tasks and indicators come from ``views.build_axis_view``, the
dashboards' own view, so the booklet and the dashboards tell the same story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from innova_reports.booklet import words
from innova_reports.booklet.blocks import (
    SHEET_TO_COME,
    ActionSheet,
    AxisPart,
    Block,
    Booklet,
    Cover,
    Heading,
    Paragraphs,
    Table,
)
from innova_reports.booklet.roadmap import means_total, roadmap_blocks
from innova_reports.booklet.sheet import action_sheet, sheet_to_come, trajectory_note
from innova_reports.fields import ACTION, ROADMAP, template_spec
from innova_reports.frenchfmt import format_long_date, month_label, number_words
from innova_reports.model import Snapshot
from innova_reports.rules import action_code_key
from innova_reports.settings import Settings
from innova_reports.values import as_float, as_int, as_text
from innova_reports.views import AxisView, build_axis_view

TITLE = "Plan d'actions"
ROADMAP_TABLES = ("actions_annoncees", "acteurs", "calendrier", "moyens", "livrables")


def status_line(settings: Settings, reporting_date: dt.date) -> str:
    """The cover's status: adopted from ``date_plan_actions`` on, a working document before."""
    if reporting_date >= settings.action_plan_date:
        return f"adopté par le comité de pilotage du {format_long_date(settings.action_plan_date)}"
    return f"document de travail — état au {format_long_date(reporting_date)}"


def build_booklet(snapshot: Snapshot, settings: Settings) -> Booklet:
    """The whole booklet of ``snapshot``'s period."""
    roadmap_spec, action_spec = template_spec(ROADMAP, settings), template_spec(ACTION, settings)
    views = {n: build_axis_view(snapshot, settings, n) for n in settings.axis_numbers}
    roadmaps = _by_axis(snapshot.tables.get("feuilles_de_route"))
    actions = _by_axis(snapshot.tables.get("actions"))
    tables = {name: _by_axis(snapshot.tables.get(name)) for name in ROADMAP_TABLES}
    axes = []
    for number, view in views.items():
        sheets = _sheets(action_spec, view, actions.get(number, []), tables["actions_annoncees"])
        received = {sheet.code for sheet in sheets if sheet.received}
        roadmap = roadmaps.get(number, [None])[0]
        axis_tables = {name: rows.get(number, []) for name, rows in tables.items()}
        blocks = [
            Heading(1, words.text(view.label), new_page=True),
            *roadmap_blocks(roadmap_spec, number, roadmap, axis_tables, received),
        ]
        axes.append(AxisPart(number, words.text(view.label), tuple(blocks), tuple(sheets)))
    return Booklet(
        period=snapshot.period,
        title=f"{settings.programme} – {TITLE} ({month_label(snapshot.period)})",
        author=f"Coordination du programme {settings.programme}",
        cover=_cover(snapshot, settings, axes),
        programme=tuple(_programme(settings, views, snapshot.reporting_date)),
        axes=tuple(axes),
        annex=tuple(_annex(action_spec, axes, actions, tables["moyens"])),
    )


def _by_axis(frame: pd.DataFrame | None) -> dict[int, list[dict[str, Any]]]:
    """A snapshot table's rows as dicts, by axis, in table order."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    if frame is None or frame.empty or "axe" not in frame.columns:
        return grouped
    columns = list(frame.columns)
    values = [frame[column].tolist() for column in columns]
    for row in zip(*values, strict=True):
        record = dict(zip(columns, row, strict=True))
        number = as_int(record["axe"])
        if number is not None:
            grouped.setdefault(number, []).append(record)
    return grouped


def _sheets(
    spec, view: AxisView, rows: list[dict[str, Any]], announced: Mapping[int, list[dict]]
) -> list[ActionSheet]:
    """The axis' action sheets in code order, an announced action without its sheet
    taking its place as « fiche à venir »."""
    by_code = {as_text(row.get("code_action")): row for row in rows}
    tasks: dict[str, list] = {}
    for task in view.tasks:
        tasks.setdefault(task.action, []).append(task)
    indicators: dict[str, list] = {}
    for indicator in view.indicators:
        indicators.setdefault(indicator.action, []).append(indicator)
    label = words.text(view.label)
    sheets = {
        action.code: action_sheet(spec, label, by_code[action.code], tasks.get(action.code, []),
                                  indicators.get(action.code, []))
        for action in view.actions
        if action.code in by_code
    }  # fmt: skip
    descriptions = {
        as_text(r.get("code")): r.get("description") for r in announced.get(view.number, [])
    }
    for code, title in view.announced_without_sheet:
        sheets[code] = sheet_to_come(view.number, label, code, title, descriptions.get(code))
    return [sheets[code] for code in sorted(sheets, key=action_code_key)]


# -- cover and programme ------------------------------------------------------------


def _cover(snapshot: Snapshot, settings: Settings, axes: Sequence[AxisPart]) -> Cover:
    sheets = [sheet for axis in axes for sheet in axis.sheets]
    received = sum(sheet.received for sheet in sheets)
    subtitle = (
        f"{number_words(len(settings.axes)).capitalize()} axes d'innovation, "
        f"{len(sheets)} actions, {received} fiches action"
    )
    return Cover(
        programme=words.text(settings.programme),
        councils=tuple(words.text(council) for council in settings.councils),
        title=TITLE,
        subtitle=subtitle,
        status=status_line(settings, snapshot.reporting_date),
        edition=f"Consolidation de {month_label(snapshot.period)} (données arrêtées au "
        f"{format_long_date(snapshot.reporting_date)})",
    )


def _programme(settings: Settings, views: Mapping[int, AxisView], today: dt.date) -> list[Block]:
    count = number_words(len(settings.axes))
    councils = ", ".join(settings.councils[:-1]) + " et " + settings.councils[-1]
    if len(settings.councils) == 1:
        councils = settings.councils[0]
    blocks: list[Block] = [
        Heading(1, "Le programme", new_page=True),
        Paragraphs((words.text(
            f"{settings.programme} est un programme d'innovation partagé par {councils}. "
            f"Il a débuté le {format_long_date(settings.start)} et s'organise en {count} axes "
            "d'innovation. Pour chaque axe, un groupe projet rédige une feuille de route, qui "
            "annonce ses actions, puis une fiche action par action ; le comité de pilotage "
            "adopte l'ensemble : c'est ce plan d'actions."
        ),)),
        Heading(2, f"Les {count} axes d'innovation"),
        Table(
            ("Axe", "Finalités"),
            tuple((words.text(axis.label), "\n".join(words.text(f) for f in axis.finalities))
                  for axis in settings.axes),
            (2.2, 4),
        ),
    ]  # fmt: skip
    blocks += _governance(settings, views)
    blocks += _calendar(settings, today)
    blocks += [Heading(2, "Lire les fiches action"), Paragraphs((words.text(
        "Chaque fiche action donne son contexte, ses finalités et son contenu, son "
        "organisation, ses moyens, ses tâches et ses indicateurs de suivi : valeur "
        "initiale, dernière valeur mesurée, cible et échéance. Un champ laissé vide se "
        "lit « non renseigné » ; une action annoncée sans fiche, « fiche à venir »."
    ),)), trajectory_note()]  # fmt: skip
    return blocks


def _governance(settings: Settings, views: Mapping[int, AxisView]) -> list[Block]:
    rows = []
    for view in views.values():
        announced = {a.code for a in view.actions} | {c for c, _ in view.announced_without_sheet}
        rows.append((
            words.text(view.label), words.cell(view.group), words.cell(view.pilot),
            f"{len(view.actions)} / {len(announced)}",
        ))  # fmt: skip
    dates = [f"{words.ordinal(rank)} comité de pilotage : {format_long_date(day)}"
             for rank, day in enumerate(settings.copil_dates, start=1)]  # fmt: skip
    return [
        Heading(2, "La gouvernance"),
        Paragraphs(
            (
                words.text(
                    "Groupes projet → comité de pilotage. Chaque axe est porté par un groupe projet, "
                    "animé par son pilote, qui rédige la feuille de route de l'axe ; les groupes de "
                    "travail rédigent les fiches action. Le comité de pilotage (directions générales "
                    "et élus) suit leurs travaux, arbitre et adopte le plan d'actions."
                ),
            )
        ),
        Table(
            ("Axe", "Groupe projet", "Pilote", "Fiches reçues / annoncées"),
            tuple(rows),
            (2.6, 2.2, 1.8, 1.4),
            numeric=(False, False, False, True),
        ),  # fmt: skip
        Heading(3, "Les réunions du comité de pilotage"),
        Paragraphs(tuple(words.text(line) for line in dates)),
    ]


def _calendar(settings: Settings, today: dt.date) -> list[Block]:
    """The seed's calendar: the launch, the work of the groups between the copils, each
    copil, the adoption of the plan d'actions, then the monthly follow-up."""
    copils = settings.copil_dates
    phases = PHASES if len(copils) == len(PHASES) else ()
    rows: list[tuple[str, str, str]] = [_step("Séminaire de lancement", settings.start, today)]
    previous = settings.start
    for rank, day in enumerate(copils, start=1):
        if phases:
            state = "passé" if day <= today else "en cours" if previous <= today else "à venir"
            when = f"du {format_long_date(previous)} au {format_long_date(day)}"
            rows.append((phases[rank - 1], when, state))
        what = f"{words.ordinal(rank)} comité de pilotage"
        if day == settings.action_plan_date:
            what += " : adoption du plan d'actions"
        rows.append(_step(what, day, today))
        previous = day
    if settings.action_plan_date not in copils:
        rows.append(_step("Adoption du plan d'actions", settings.action_plan_date, today))
    rows.append((
        "Suivi mensuel des actions et des indicateurs",
        f"de {month_label(settings.months[0])} à {month_label(settings.months[-1])}", "",
    ))  # fmt: skip
    rows = [tuple(words.text(cell, words.EMPTY_CELL) for cell in row) for row in rows]
    return [
        Heading(2, "Le calendrier"),
        Table(("Étape", "Date", "État"), tuple(rows), (4.5, 2.6, 1)),
    ]


# the groups' work before each of three copils (the seed's calendar)
PHASES = (
    "Installation des groupes projet, rédaction des feuilles de route",
    "Rédaction des fiches action par les groupes de travail",
    "Arbitrages et finalisation du plan d'actions",
)


def _step(what: str, day: dt.date, today: dt.date) -> tuple[str, str, str]:
    return (what, format_long_date(day), "passé" if words.is_past(day, today) else "à venir")


# -- annex --------------------------------------------------------------------------


def _annex(
    spec, axes: Sequence[AxisPart], actions: Mapping[int, list[dict]], means: Mapping[int, list]
) -> list[Block]:
    rows = []
    for axis in axes:
        by_code = {as_text(r.get("code_action")): r for r in actions.get(axis.number, [])}
        for sheet in axis.sheets:
            row = by_code.get(sheet.code) if sheet.received else None
            rows.append(_annex_row(sheet, row))
    columns = ("Code", spec.field("titre").label, "Pilote", spec.field("statut").label,
               spec.field("meteo").label, spec.field("budget_eur").label)  # fmt: skip
    return [
        Heading(1, "Annexe", new_page=True),
        Heading(2, "Toutes les actions"),
        Table(
            columns,
            tuple(rows),
            (1, 4, 2.6, 1.3, 1, 1.4),
            numeric=(False, False, False, False, False, True),
        ),  # fmt: skip
        Heading(2, "Budget par axe"),
        _budget_table(axes, actions, means),
    ]


def _annex_row(sheet: ActionSheet, row: Mapping[str, Any] | None) -> tuple[str, ...]:
    title = words.short_title(sheet.title) or words.EMPTY_CELL
    if row is None:
        return (sheet.code, title, words.EMPTY_CELL, SHEET_TO_COME, words.EMPTY_CELL,
                words.EMPTY_CELL)  # fmt: skip
    pilot = "\n".join(
        shown for shown in (words.text(row.get("service_pilote"), ""),
                            words.text(row.get("chef_projet"), "")) if shown
    ) or words.EMPTY_CELL  # fmt: skip
    return (sheet.code, title, pilot, words.cell(row.get("statut")), words.cell(row.get("meteo")),
            words.money(row.get("budget_eur"), words.EMPTY_CELL))  # fmt: skip


def _budget_table(axes, actions, means) -> Table:
    rows, sheets_total, means_sum = [], [], []
    for axis in axes:
        budgets = [as_float(r.get("budget_eur")) for r in actions.get(axis.number, [])]
        budgets = [b for b in budgets if b is not None]
        sheets_total += budgets
        roadmap = means_total(means.get(axis.number, []))
        if roadmap is not None:
            means_sum.append(roadmap)
        received = sum(sheet.received for sheet in axis.sheets)
        rows.append((axis.label, f"{received} / {len(axis.sheets)}",
                     words.money(sum(budgets) if budgets else None, words.EMPTY_CELL),
                     words.money(roadmap, words.EMPTY_CELL)))  # fmt: skip
    received = sum(sheet.received for axis in axes for sheet in axis.sheets)
    count = sum(len(axis.sheets) for axis in axes)
    total = ("Total", f"{received} / {count}",
             words.money(sum(sheets_total) if sheets_total else None, words.EMPTY_CELL),
             words.money(sum(means_sum) if means_sum else None, words.EMPTY_CELL))  # fmt: skip
    return Table(
        ("Axe", "Fiches reçues / actions", "Budget des fiches action",
         "Moyens chiffrés de la feuille de route"), tuple(rows), (3, 1.5, 1.8, 2),
        numeric=(False, True, True, True), total=total,
    )  # fmt: skip

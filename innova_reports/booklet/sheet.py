"""One action sheet of the booklet (and of its own PDF): the seed's *fiche action*.

Contexte, finalités, contenu; organisation; moyens and budget; the tasks; the
indicators with initial, latest and target values and whether they are on track.
Tasks and indicators come from the dashboards' axis view (``views.build_axis_view``),
so the « latest value » and « on track » rules are the ones every output uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from innova_reports.booklet import words
from innova_reports.booklet.blocks import (
    SHEET_TO_COME,
    ActionSheet,
    Block,
    Fields,
    Heading,
    Paragraphs,
    Table,
)
from innova_reports.fields import Field, FieldType, Section, TemplateSpec
from innova_reports.frenchfmt import month_label
from innova_reports.rules import ON_TRACK_DEFINITION
from innova_reports.values import as_int
from innova_reports.views import IndicatorView, TaskRow

SHARE_COLUMN = "Chemin parcouru"  # of the way from the initial value to the target
TRACK_COLUMN = "Trajectoire"


def action_heading(code: str, title: str) -> str:
    """« A1.1 – Renforcer la qualité de l'accueil des usagers »: contents and heading."""
    shown = words.short_title(words.text(title, ""))
    return f"{code} – {shown}" if shown else code


def action_sheet(
    spec: TemplateSpec,
    axis_label: str,
    row: Mapping[str, Any],
    tasks: Sequence[TaskRow],
    indicators: Sequence[IndicatorView],
) -> ActionSheet:
    """The sheet of a received action: ``row`` is its line of the snapshot's actions."""
    code = words.text(row.get("code_action"), "")
    title = words.text(row.get("titre"), "")

    def label(field_id: str) -> str:
        return spec.field(field_id).label

    blocks: list[Block] = [
        Heading(2, action_heading(code, title), new_page=True),
        Fields(
            tuple(
                (label(f), value)
                for f, value in (
                    ("code_action", code),
                    ("titre", title or words.text(None)),
                    ("statut", words.text(row.get("statut"))),
                    ("meteo", words.text(row.get("meteo"))),
                    ("date_maj", words.date(row.get("date_maj"))),
                )
            )
        ),  # fmt: skip
    ]
    for field_id in ("contexte", "finalites", "contenu"):
        blocks += [Heading(3, label(field_id)), words.paragraphs(row.get(field_id))]
    for section in (_section_of(spec, "service_pilote"), _section_of(spec, "budget_eur")):
        blocks += [Heading(3, section.title), _fields(section.fields, row)]
    blocks += [Heading(3, spec.table("t_taches").title), *_tasks(spec, tasks)]
    blocks += [Heading(3, spec.table("t_indicateurs").title), *_indicators(spec, indicators)]
    return ActionSheet(code, title, as_int(row.get("axe")) or 0, axis_label, tuple(blocks))


def sheet_to_come(
    axis: int, axis_label: str, code: str, title: str, description: Any
) -> ActionSheet:
    """An action announced in the roadmap whose sheet has not come in: « fiche à venir »."""
    shown = words.text(title, "")
    blocks: list[Block] = [
        Heading(2, f"{action_heading(code, shown)} ({SHEET_TO_COME})"),
        Paragraphs(
            (
                words.text(
                    "Fiche à venir : l'action est annoncée dans la feuille de route de l'axe, "
                    "sa fiche action n'a pas encore été reçue."
                ),
            ),
            note=True,
        ),  # fmt: skip
    ]
    if words.text(description, ""):
        blocks += [
            Heading(3, "Description dans la feuille de route"),
            words.paragraphs(description),
        ]
    return ActionSheet(code, shown, axis, axis_label, tuple(blocks), received=False)


def _section_of(spec: TemplateSpec, field_id: str) -> Section:
    """The template's section holding ``field_id`` (organisation, means): its title and
    fields come from the field dictionary."""
    return next(s for s in spec.sections if any(f.id == field_id for f in s.fields))


def _fields(fields: Sequence[Field], row: Mapping[str, Any]) -> Fields:
    rows = []
    for field in fields:
        value = row.get(field.id)
        shown = words.money(value) if field.type is FieldType.MONEY else words.text(value)
        rows.append((field.label, shown))
    return Fields(tuple(rows))


def _tasks(spec: TemplateSpec, tasks: Sequence[TaskRow]) -> list[Block]:
    if not tasks:
        return [Paragraphs(("Aucune tâche renseignée.",), note=True)]
    table = spec.table("t_taches")
    ids = ("tache", "responsable", "debut", "fin", "statut", "avancement", "commentaire")
    rows = tuple(
        (
            words.cell(task.name),
            words.cell(task.owner),
            words.date(task.start, words.EMPTY_CELL),
            words.date(task.end, words.EMPTY_CELL),
            _task_status(task),
            words.percent(task.progress),
            words.cell(task.comment),
        )
        for task in tasks
    )
    return [Table(
        columns=tuple(table.column(i).label for i in ids), rows=rows,
        widths=(2.8, 2.0, 2.3, 2.3, 1.5, 1.6, 2.1),
        numeric=(False, False, False, False, False, True, False),
    )]  # fmt: skip


def _task_status(task: TaskRow) -> str:
    status = words.cell(task.status)
    return f"{status}, en retard" if task.late else status


def _indicators(spec: TemplateSpec, indicators: Sequence[IndicatorView]) -> list[Block]:
    if not indicators:
        return [Paragraphs(("Aucun indicateur renseigné.",), note=True)]
    table = spec.table("t_indicateurs")
    columns = (
        table.column("indicateur").label, table.column("sens").label,
        table.column("valeur_initiale").label, "Dernière valeur", table.column("cible").label,
        table.column("echeance").label, SHARE_COLUMN, TRACK_COLUMN,
    )  # fmt: skip
    rows = tuple(_indicator_row(indicator) for indicator in indicators)
    return [
        Table(
            columns=tuple(words.text(c) for c in columns), rows=rows,
            widths=(2.9, 1.0, 1.4, 2.0, 1.4, 1.8, 1.2, 2.3),
            numeric=(False, False, True, True, True, False, True, False),
        ),
    ]  # fmt: skip


def trajectory_note() -> Paragraphs:
    """What « dans la trajectoire » means (``rules.ON_TRACK_DEFINITION``): once in the
    booklet's programme part, under the indicators of each sheet's own PDF."""
    return Paragraphs((words.text(ON_TRACK_DEFINITION),), note=True)


def _indicator_row(indicator: IndicatorView) -> tuple[str, ...]:
    unit = indicator.unit
    latest = words.with_unit(words.number(indicator.latest), unit)
    if indicator.latest is None:
        latest = "pas encore mesurée"
    elif indicator.latest_month:
        latest += f" ({month_label(indicator.latest_month)})"
    track = indicator.judgement  # the rule's own words (rules.IndicatorProgress.judgement)
    return (
        words.cell(indicator.name),
        words.cell(indicator.direction.lower() if indicator.direction else ""),
        words.with_unit(words.number(indicator.baseline), unit),
        latest,
        words.with_unit(words.number(indicator.target), unit),
        words.date(indicator.deadline, words.EMPTY_CELL),
        words.percent(indicator.share),
        track,
    )

"""The field dictionary: every field of both templates, declared once.

The templates, the reader, the pandera schemas and the master workbook's columns are
all derived from these declarations, so adding a field is one edit here. Field ids,
table names and kinds are a contract (DESIGN.md): other tools rely on them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from innova_reports.frenchfmt import month_label, number_range
from innova_reports.settings import Settings
from innova_reports.versions import TEMPLATE_VERSION, fingerprint, template_version

ROADMAP = "feuille_de_route"
ACTION = "fiche_action"
KINDS = (ROADMAP, ACTION)


class Meaning(StrEnum):
    """What a closed-list value means to the rules (« is this task finished? »).

    The rules ask for a meaning, never for a French word, so a value can be reworded
    here without touching a rule. Users never see these."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    PAUSED = "paused"
    DONE = "done"
    ABANDONED = "abandoned"
    PLANNED = "planned"
    REACHED = "reached"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    DELIVERED = "delivered"
    ON_COURSE = "on-course"  # météo verte
    DIFFICULTIES = "difficulties"  # météo orange
    BLOCKED = "blocked"  # météo rouge
    RISING = "rising"
    FALLING = "falling"
    HUMAN = "human"
    FINANCIAL = "financial"
    MATERIAL = "material"


@dataclass(frozen=True)
class Choice:
    """One value of a closed list: as the group picks it, what it means, and the help the
    templates' instructions give for it."""

    value: str
    meaning: Meaning
    help: str


@dataclass(frozen=True)
class ClosedList:
    """A closed list of the templates, in the order of its dropdown."""

    choices: tuple[Choice, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def meaning(self, value: object) -> Meaning | None:
        """The meaning of a value as stored (a list value), None for anything else."""
        text = value.strip() if isinstance(value, str) else value
        return next((c.meaning for c in self.choices if c.value == text), None)

    def value(self, meaning: Meaning) -> str:
        return next(c.value for c in self.choices if c.meaning is meaning)

    def help(self, value: object) -> str | None:
        """What the value means for a group (the templates' instructions), if said."""
        return next((c.help for c in self.choices if c.value == value and c.help), None)

    def rank(self, value: object) -> int | None:
        """Position in the list (the météo's order from green to red)."""
        return next((i for i, c in enumerate(self.choices) if c.value == value), None)


M = Meaning
ACTION_STATUS = ClosedList((
    Choice("À lancer", M.NOT_STARTED, "l'action est décidée mais n'a pas encore commencé"),
    Choice("En cours", M.IN_PROGRESS, "le travail a commencé et n'est pas fini"),
    Choice("En pause", M.PAUSED, "l'action est suspendue ; expliquez pourquoi dans le contexte"),
    Choice("Terminée", M.DONE, "l'action est achevée, ses livrables sont produits"),
    Choice("Abandonnée", M.ABANDONED, "ne sera pas mené(e) ; expliquez pourquoi en commentaire"),
))  # fmt: skip
WEATHER = ClosedList((
    Choice("Vert", M.ON_COURSE, "tout va bien, l'action avance comme prévu"),
    Choice("Orange", M.DIFFICULTIES, "des difficultés ou du retard, sans blocage"),
    Choice("Rouge", M.BLOCKED,
           "l'action est bloquée : un arbitrage du comité de pilotage est nécessaire"),
))  # fmt: skip
TASK_STATUS = ClosedList((
    Choice("À faire", M.NOT_STARTED, "la tâche n'a pas commencé"),
    Choice("En cours", M.IN_PROGRESS, "le travail a commencé et n'est pas fini"),
    Choice("Fait", M.DONE, "la tâche est terminée (avancement 100 %)"),
    Choice("Abandonnée", M.ABANDONED, "ne sera pas mené(e) ; expliquez pourquoi en commentaire"),
))  # fmt: skip
MILESTONE_STATUS = ClosedList((
    Choice("Prévu", M.PLANNED, "le jalon est à venir"),
    Choice("Atteint", M.REACHED, "le jalon est franchi (indiquez la date réalisée)"),
    Choice("Reporté", M.POSTPONED, "le jalon est décalé (mettez à jour la date prévue)"),
    Choice("Annulé", M.CANCELLED, "le jalon n'aura pas lieu"),
))  # fmt: skip
DELIVERABLE_STATUS = ClosedList((
    Choice("À produire", M.NOT_STARTED, "le livrable n'est pas commencé"),
    Choice("En cours", M.IN_PROGRESS, "le travail a commencé et n'est pas fini"),
    Choice("Livré", M.DELIVERED, "le livrable est remis"),
    Choice("Abandonné", M.ABANDONED, "le livrable ne sera pas produit"),
))  # fmt: skip
MEANS_NATURE = ClosedList((
    Choice("Humains", M.HUMAN, ""),
    Choice("Financiers", M.FINANCIAL, ""),
    Choice("Matériels", M.MATERIAL, ""),
))  # fmt: skip
DIRECTION = ClosedList((
    Choice("Hausse", M.RISING, "l'indicateur doit augmenter pour atteindre la cible"),
    Choice("Baisse", M.FALLING, "l'indicateur doit diminuer pour atteindre la cible"),
))  # fmt: skip

ACTION_STATUSES = ACTION_STATUS.values
WEATHERS = WEATHER.values
TASK_STATUSES = TASK_STATUS.values
MILESTONE_STATUSES = MILESTONE_STATUS.values
DELIVERABLE_STATUSES = DELIVERABLE_STATUS.values
MEANS_NATURES = MEANS_NATURE.values
DIRECTIONS = DIRECTION.values


class FieldType(StrEnum):
    TEXT = "texte"
    CODE = "code action"  # A<axe>.<n>: written in one form, checked against its axis
    LONG_TEXT = "texte long"
    DATE = "date"
    INTEGER = "entier"
    DECIMAL = "nombre"
    PERCENT = "pourcentage"
    MONEY = "montant"
    CHOICE = "liste"


@dataclass(frozen=True)
class Field:
    """One value a group types: a single cell (defined name) or a table column."""

    id: str
    label: str
    help: str
    type: FieldType
    required: bool = False
    choices: tuple[str | int, ...] = ()
    width: int = 18  # column width in the template, in characters
    # The choices come from the programme settings (services, councils), which change
    # from one year to the next: a value no longer listed is kept, with an avertissement.
    settings_list: bool = False
    since: str = "1.0"  # the dictionary version this field first appeared in (versions.py)
    closed: ClosedList | None = None  # the fixed list, with its meanings (not the settings')

    def __post_init__(self) -> None:
        if isinstance(self.choices, ClosedList):  # a fixed list: its values, and itself
            object.__setattr__(self, "closed", self.choices)
            object.__setattr__(self, "choices", self.choices.values)

    @property
    def is_closed_list(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True)
class Table:
    """An Excel table (ListObject) of a template, on a sheet of its own."""

    name: str  # table name, e.g. "t_taches"
    sheet: str  # French sheet title, e.g. "Tâches"
    title: str  # heading printed above the table
    help: str
    columns: tuple[Field, ...]
    expected_rows: int = 8  # empty rows ready to fill in the blank template
    # The column holding the unit of the row's numbers (an indicator's « Unité »): a
    # number shown as a percentage means that many % when the unit is « % ».
    unit_column: str = ""

    def column(self, field_id: str) -> Field:
        for column in self.columns:
            if column.id == field_id:
                return column
        raise KeyError(field_id)


@dataclass(frozen=True)
class Section:
    """A block of single fields on the main sheet, under a heading."""

    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class TemplateSpec:
    kind: str  # ROADMAP or ACTION
    title: str  # e.g. "Feuille de route"
    main_sheet: str
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    version: str = TEMPLATE_VERSION
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def fields(self) -> tuple[Field, ...]:
        """The single-value fields, in template order."""
        return tuple(f for section in self.sections for f in section.fields)

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


# -- month columns of t_indicateurs ---------------------------------------------------


_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_period(text: str | None) -> bool:
    """A period (a follow-up month) is written "AAAA-MM", e.g. "2018-05"."""
    return bool(text) and _PERIOD.match(text) is not None


def month_field_id(month: str) -> str:
    """Column id of a follow-up month: "2018-03" -> "mois_2018_03"."""
    return "mois_" + month.replace("-", "_")


def month_of_field_id(field_id: str) -> str | None:
    """Inverse of month_field_id; None for any other id."""
    if not field_id.startswith("mois_") or len(field_id) != 12:
        return None
    return field_id[5:9] + "-" + field_id[10:12]


def month_end(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    following = dt.date(year + (number == 12), number % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# -- the two templates ----------------------------------------------------------------


def _axe(settings: Settings) -> Field:
    return Field(
        "axe", "Axe d'innovation",
        f"Numéro de l'axe ({number_range(min(settings.axis_numbers), max(settings.axis_numbers))}) "
        "porté par le groupe projet.",
        FieldType.INTEGER, required=True, choices=settings.axis_numbers, width=10,
    )  # fmt: skip


def _date_maj() -> Field:
    return Field(
        "date_maj", "Date de mise à jour",
        "Date à laquelle vous avez mis ce document à jour (JJ/MM/AAAA).",
        FieldType.DATE, required=True, width=14,
    )  # fmt: skip


@cache
def _roadmap_spec(settings: Settings) -> TemplateSpec:
    T = FieldType
    announced = number_range(*settings.announced_actions)
    identity = Section("Identification", (
        _axe(settings),
        Field("groupe", "Groupe projet", "Nom du groupe projet qui porte l'axe.", T.TEXT, True),
        Field("pilote", "Pilote du groupe", "Prénom et nom de la personne pilote du groupe.", T.TEXT, True),
        _date_maj(),
    ))  # fmt: skip
    content = Section("Contenu de la feuille de route", (
        Field("contexte", "Contexte / problématique traitée",
              "Quels problèmes et difficultés l'axe doit-il traiter ?", T.LONG_TEXT),
        Field("finalites", "Finalités de l'axe", "Ce que l'axe doit permettre d'atteindre.", T.LONG_TEXT),
        Field("presentation", "Présentation de l'axe",
              f"Présentez l'axe d'innovation et les {announced} actions retenues.", T.LONG_TEXT),
    ))  # fmt: skip
    tables = (
        Table("t_actions", "Actions", f"Actions de l'axe ({announced})",
              "Une ligne par action : code A<axe>.<n> (par exemple A3.2), intitulé et description.", (
            Field("code", "Code action", "Code de l'action : A, numéro d'axe, point, numéro (ex. A3.2).",
                  T.CODE, True, width=12),
            Field("intitule", "Intitulé", "Intitulé court de l'action.", T.TEXT, True, width=40),
            Field("description", "Description", "Ce que l'action va faire.", T.LONG_TEXT, width=60),
        ), expected_rows=3),
        Table("t_acteurs", "Acteurs", "Acteurs concernés",
              "Les personnes et services concernés par l'axe.", (
            Field("nom", "Nom", "Prénom et nom, ou nom du service partenaire.", T.TEXT, True, width=26),
            Field("role", "Rôle", "Rôle dans l'axe (pilote, contributeur, expert…).", T.TEXT, width=24),
            Field("service", "Service", "Service de rattachement.", T.TEXT, width=28),
            Field("collectivite", "Collectivité", "Collectivité de rattachement.", T.CHOICE,
                  choices=settings.councils, width=36, settings_list=True),
        ), expected_rows=10),
        Table("t_calendrier", "Calendrier", "Calendrier et jalons",
              "Les grandes étapes de l'axe et leurs dates.", (
            Field("jalon", "Jalon", "Étape importante de l'axe.", T.TEXT, True, width=40),
            Field("date_prevue", "Date prévue", "Date prévue (JJ/MM/AAAA).", T.DATE, True, width=14),
            Field("date_realisee", "Date réalisée", "Date effective, une fois le jalon atteint.", T.DATE,
                  width=14),
            Field("statut", "Statut", "Où en est ce jalon.", T.CHOICE, True, MILESTONE_STATUS, width=14),
        )),
        Table("t_moyens", "Moyens", "Moyens nécessaires",
              "Moyens humains, financiers et matériels nécessaires à l'axe.", (
            Field("nature", "Nature", "Humains, financiers ou matériels.", T.CHOICE, True, MEANS_NATURE,
                  width=14),
            Field("description", "Description", "Ce qui est nécessaire.", T.LONG_TEXT, width=50),
            Field("montant_eur", "Montant (€)", "Montant en euros, le cas échéant.", T.MONEY, width=14),
        )),
        Table("t_livrables", "Livrables", "Livrables",
              "Ce que le groupe produira, avec l'échéance.", (
            Field("livrable", "Livrable", "Document, outil ou événement produit.", T.TEXT, True, width=44),
            Field("echeance", "Échéance", "Date prévue de livraison (JJ/MM/AAAA).", T.DATE, width=14),
            Field("statut", "Statut", "Où en est ce livrable.", T.CHOICE, choices=DELIVERABLE_STATUS,
                  width=14),
        )),
    )  # fmt: skip
    return TemplateSpec(
        ROADMAP,
        "Feuille de route",
        "Feuille de route",
        (identity, content),
        tables,
        version=template_version(settings_fingerprint(ROADMAP, settings)),
    )


@cache
def _action_spec(settings: Settings) -> TemplateSpec:
    T = FieldType
    identity = Section("Identification de l'action", (
        Field("code_action", "Code action",
              "Code de l'action tel qu'annoncé dans la feuille de route : A<axe>.<n>, par exemple A3.2.",
              T.CODE, True, width=12),
        _axe(settings),
        Field("titre", "Titre de l'action", "Intitulé de l'action.", T.TEXT, True),
        _date_maj(),
        Field("statut", "Statut", "Où en est l'action.", T.CHOICE, True, ACTION_STATUS),
        Field("meteo", "Météo", "Vert : tout va bien ; Orange : difficultés ; Rouge : action bloquée.",
              T.CHOICE, True, WEATHER),
    ))  # fmt: skip
    content = Section("Contexte et présentation", (
        Field("contexte", "Contexte de l'action", "Pourquoi cette action ?", T.LONG_TEXT),
        Field("finalites", "Finalités", "Ce que l'action doit permettre d'atteindre.", T.LONG_TEXT),
        Field("contenu", "Contenu / process", "Comment l'action se déroule.", T.LONG_TEXT),
    ))  # fmt: skip
    organisation = Section("Organisation de l'action", (
        Field("service_pilote", "Service pilote", "Service qui pilote l'action.", T.CHOICE, True,
              settings.services, settings_list=True),
        Field("chef_projet", "Chef de projet", "Prénom et nom du chef de projet.", T.TEXT, True),
        Field("elu_referent", "Élu·e référent·e", "Élu·e qui suit l'action.", T.TEXT),
        Field("contributeurs", "Contributeurs", "Personnes et services qui contribuent.", T.LONG_TEXT),
    ))  # fmt: skip
    means = Section("Moyens nécessaires", (
        Field("moyens_humains", "Moyens humains", "Temps, compétences, personnes mobilisées.", T.LONG_TEXT),
        Field("budget_eur", "Budget (€)", "Budget nécessaire en euros.", T.MONEY),
        Field("moyens_materiels", "Moyens matériels", "Locaux, outils, matériels.", T.LONG_TEXT),
    ))  # fmt: skip
    month_columns = tuple(
        Field(month_field_id(month), month_label(month),
              f"Valeur mesurée en {month_label(month)}.", T.DECIMAL, width=11)
        for month in settings.months
    )  # fmt: skip
    tables = (
        Table("t_taches", "Tâches", "Tâches de l'action", "Une ligne par tâche.", (
            Field("tache", "Tâche", "Ce qu'il faut faire.", T.TEXT, True, width=40),
            Field("responsable", "Responsable", "Qui s'en charge.", T.TEXT, width=22),
            Field("debut", "Début", "Date de début (JJ/MM/AAAA).", T.DATE, width=12),
            Field("fin", "Fin", "Date de fin prévue (JJ/MM/AAAA).", T.DATE, width=12),
            Field("statut", "Statut", "Où en est la tâche.", T.CHOICE, True, TASK_STATUS, width=12),
            Field("avancement", "Avancement", "Part réalisée, de 0 % à 100 %.", T.PERCENT, width=12),
            Field("commentaire", "Commentaire", "Difficultés, points d'attention.", T.LONG_TEXT, width=36),
        ), expected_rows=12),
        Table("t_indicateurs", "Indicateurs", "Indicateurs de suivi",
              "Une ligne par indicateur ; chaque mois, saisissez la valeur mesurée dans la colonne du mois.", (
            Field("indicateur", "Indicateur", "Ce qui est mesuré.", T.TEXT, True, width=36),
            Field("unite", "Unité", "Unité de mesure (jours, %, nombre…).", T.TEXT, width=10),
            Field("sens", "Sens", "Hausse si l'indicateur doit augmenter, Baisse s'il doit diminuer.",
                  T.CHOICE, True, DIRECTION, width=9),
            Field("valeur_initiale", "Valeur initiale", "Valeur au départ de l'action.", T.DECIMAL, width=11),
            Field("cible", "Cible", "Valeur à atteindre.", T.DECIMAL, True, width=10),
            Field("echeance", "Échéance", "Date à laquelle la cible doit être atteinte.", T.DATE, width=12),
            *month_columns,
        ), expected_rows=6, unit_column="unite"),
    )  # fmt: skip
    return TemplateSpec(
        ACTION,
        "Fiche action",
        "Fiche action",
        (identity, content, organisation, means),
        tables,
        version=template_version(settings_fingerprint(ACTION, settings)),
    )


def template_spec(kind: str, settings: Settings) -> TemplateSpec:
    """The declaration of one template kind, with the programme's closed lists."""
    if kind == ROADMAP:
        return _roadmap_spec(settings)
    if kind == ACTION:
        return _action_spec(settings)
    raise KeyError(kind)


def all_specs(settings: Settings) -> tuple[TemplateSpec, TemplateSpec]:
    return _roadmap_spec(settings), _action_spec(settings)


# -- versions (see versions.py) -----------------------------------------------------------


def settings_inputs(kind: str, settings: Settings) -> tuple[tuple[str, tuple], ...]:
    """What a template of ``kind`` takes from the settings: its months and closed lists."""
    lists: tuple[tuple[str, tuple], ...] = (("axes", settings.axis_numbers),)
    if kind == ROADMAP:
        return (*lists, ("collectivites", settings.councils))
    return (*lists, ("services", settings.services), ("mois", settings.months))


def settings_fingerprint(kind: str, settings: Settings) -> str:
    """The settings part of the version of ``kind``'s template (versions.py)."""
    return fingerprint(
        f"{name}={list(values)!r}" for name, values in settings_inputs(kind, settings)
    )


def dictionary_lines(settings: Settings) -> list[str]:
    """The structure of both templates as text, without anything taken from the settings:
    sheets, sections, fields and columns (id, label, type, required, fixed closed list).
    The month columns are one line, and a closed list from the settings is its name."""
    lines = []
    for spec in all_specs(settings):
        named = {tuple(values): name for name, values in settings_inputs(spec.kind, settings)}
        lines.append(f"{spec.kind}|{spec.main_sheet}")
        for section in spec.sections:
            lines.append(f"  section|{section.title}")
            lines += [f"    {_field_line(f, named)}" for f in section.fields]
        for table in spec.tables:
            lines.append(f"  table|{table.name}|{table.sheet}")
            months = False
            for column in table.columns:
                if month_of_field_id(column.id) is not None:
                    if not months:
                        lines.append("    <mois du suivi>|nombre")
                    months = True
                    continue
                lines.append(f"    {_field_line(column, named)}")
    return lines


def _field_line(f: Field, named: dict[tuple, str]) -> str:
    choices = named.get(tuple(f.choices), list(f.choices)) if f.choices else ""
    return f"{f.id}|{f.label}|{f.type}|{int(f.required)}|{choices}"


def dictionary_fingerprint(settings: Settings) -> str:
    """The fingerprint logged for each dictionary version in versions.VERSION_LOG."""
    return fingerprint(dictionary_lines(settings))

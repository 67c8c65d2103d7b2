"""Synthetic Snapshots for the dashboard tests: realistic French content, six axes.

The default snapshot has the edge cases a dashboard must survive: axis 6 sent nothing,
axis 3 announced an action without its sheet, axis 4 has an action without any
indicator, axis 5 has an indicator without any value yet, late tasks and tasks due
within 30 days. Options add more (40 indicators, hostile text, …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from innova_reports.fields import month_end
from innova_reports.model import Snapshot, snapshot_columns
from innova_reports.settings import Settings

ACTIONS = {
    1: [("A1.1", "Renforcer la qualité de l'accueil des usagers"),
        ("A1.2", "Aller à la rencontre des usagers (quartiers, relais de proximité)")],
    2: [("A2.1", "Planification des actions récurrentes et nouvelles"),
        ("A2.2", "Création d'une cellule de gestion de projets")],
    3: [("A3.1", "Dématérialisation des procédures"),
        ("A3.2", "Projet d'administration"),
        ("A3.3", "Communication interne")],
    4: [("A4.1", "Simplification des circuits de décision"),
        ("A4.2", "Délégations de signature harmonisées entre les trois collectivités")],
    5: [("A5.1", "Plateforme « guide mode projet »")],
    6: [("A6.1", "École de formation interne"), ("A6.2", "Séminaire de cadres"),
        ("A6.3", "Journée de cohésion")],
}  # fmt: skip
MISSING_SHEETS = {"A3.3"}  # announced in the roadmap, no action sheet received
STATUSES = ["En cours", "En cours", "À lancer", "En pause", "Terminée"]
WEATHERS = ["Vert", "Orange", "Rouge", "Vert", "Orange"]
GROUPS = {1: "Groupe Relations usagers", 2: "Groupe Prospective", 3: "Groupe Process",
          4: "Groupe Organisation", 5: "Groupe Mode projet", 6: "Groupe QVT"}  # fmt: skip
PILOTS = {1: "Nathalie Roche", 2: "Julien Mazeyrie", 3: "Sandrine Lavergne",
          4: "Patrick Chassagne", 5: "Émilie Bouyssou", 6: "Karim Benali"}  # fmt: skip
TASKS = [
    ("Recenser les pratiques actuelles", "Service accueil", -120, -60, "Fait", 1.0),
    ("Rédiger le cahier des charges", "Chef de projet", -60, -10, "En cours", 0.6),
    ("Consulter les agents volontaires", "Ressources humaines", -30, 20, "En cours", 0.3),
    ("Former les agents d'accueil", "Formation", 5, 25, "À faire", 0.0),
    ("Évaluer le dispositif auprès des usagers", "Qualité", 40, 120, "À faire", None),
]
INDICATORS = [
    ("Délai moyen de réponse aux courriers", "jours", "Baisse", 21.0, 10.0),
    ("Taux de satisfaction des usagers", "%", "Hausse", 62.0, 85.0),
    ("Nombre de démarches dématérialisées", "nombre", "Hausse", 4.0, 30.0),
]


@dataclass
class FakeHistory:
    """Stands in for innova_reports.consolidate.history.History: load, periods, previous."""

    snapshots: dict[str, Snapshot] = field(default_factory=dict)

    def load(self, period: str) -> Snapshot | None:
        return self.snapshots.get(period)

    def periods(self) -> list[str]:
        return sorted(self.snapshots)

    def previous(self, period: str) -> Snapshot | None:
        earlier = [p for p in self.periods() if p < period]
        return self.snapshots[earlier[-1]] if earlier else None


def months_until(settings: Settings, period: str) -> list[str]:
    return [month for month in settings.months if month <= period]


def make_snapshot(
    settings: Settings,
    period: str = "2018-05",
    *,
    empty_axes: tuple[int, ...] = (6,),
    indicators_per_action: int = 2,
    many_indicators_axis: int | None = None,
    task_name: str | None = None,
    with_values: bool = True,
    with_evolutions: bool = True,
) -> Snapshot:
    """A consolidated period; ``task_name`` renames the late task of action A1.1."""
    reporting = month_end(period)
    rows: dict[str, list[dict]] = {name: [] for name in snapshot_columns(settings)}
    months = months_until(settings, period)
    for axis in settings.axis_numbers:
        if axis in empty_axes:
            _expected_only(rows, axis)
            continue
        _roadmap(rows, axis, reporting)
        for position, (code, title) in enumerate(ACTIONS.get(axis, [])):
            received = code not in MISSING_SHEETS
            _suivi(rows, axis, "fiche_action", code, title, received, reporting)
            if not received:
                continue
            _action(rows, axis, code, title, position, reporting)
            _tasks(rows, axis, code, position, reporting, task_name)
            count = indicators_per_action
            if axis == many_indicators_axis:
                count = 40 if position == 0 else 0
            if axis == 4 and position == 1:
                count = 0  # an action without any indicator
            _indicators(rows, axis, code, count, months, with_values and axis != 5)
    if with_evolutions:
        _evolutions(rows)
    return Snapshot(
        period=period,
        reporting_date=reporting,
        created=dt.datetime(2018, 6, 2, 9, 30),
        tables=_frames(settings, rows),
    )


def _frames(settings: Settings, rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    columns = snapshot_columns(settings)
    return {
        name: pd.DataFrame(rows[name], columns=list(cols)).astype(object)
        for name, cols in columns.items()
    }


def _expected_only(rows, axis: int) -> None:
    rows["suivi"].append(dict(axe=axis, document="feuille_de_route", code="", intitule="",
                              recu=False, date_maj=None, fichier=""))  # fmt: skip


def _suivi(rows, axis, document, code, title, received, reporting) -> None:
    rows["suivi"].append(dict(
        axe=axis, document=document, code=code, intitule=title, recu=received,
        date_maj=reporting - dt.timedelta(days=3 + axis) if received else None,
        fichier=f"axe{axis}/{code or 'feuille_de_route'}.xlsx" if received else "",
    ))  # fmt: skip


def _roadmap(rows, axis: int, reporting: dt.date) -> None:
    fichier = f"axe{axis}/feuille_de_route.xlsx"
    rows["feuilles_de_route"].append(dict(
        axe=axis, groupe=GROUPS[axis], pilote=PILOTS[axis],
        date_maj=reporting - dt.timedelta(days=3 + axis),
        contexte="Des démarches longues et peu lisibles pour les usagers.",
        finalites="Simplifier, raccourcir les délais, rendre visible.",
        presentation="Deux à trois actions concrètes.", completude=1.0 - axis * 0.05,
        fichier=fichier,
    ))  # fmt: skip
    _suivi(rows, axis, "feuille_de_route", "", "", True, reporting)
    for line, (code, title) in enumerate(ACTIONS.get(axis, []), start=5):
        rows["actions_annoncees"].append(dict(axe=axis, code=code, intitule=title,
                                              description="", fichier=fichier, ligne=line))  # fmt: skip
    for line, (jalon, offset) in enumerate([("Installation du groupe", -100),
                                            ("Présentation au copil", 20)], start=5):  # fmt: skip
        rows["calendrier"].append(dict(
            axe=axis, jalon=jalon, date_prevue=reporting + dt.timedelta(days=offset),
            date_realisee=None, statut="Prévu", fichier=fichier, ligne=line,
        ))  # fmt: skip


def _action(rows, axis, code, title, position, reporting) -> None:
    index = (axis + position) % len(STATUSES)
    rows["actions"].append(dict(
        code_action=code, axe=axis, titre=title, date_maj=reporting - dt.timedelta(days=axis),
        statut=STATUSES[index], meteo=WEATHERS[index], contexte="", finalites="", contenu="",
        service_pilote="Accueil et citoyenneté", chef_projet="Claire Delmas", elu_referent="",
        contributeurs="", moyens_humains="", budget_eur=1500.0 * (position + 1),
        moyens_materiels="", completude=0.55 + 0.1 * position, fichier=f"axe{axis}/{code}.xlsx",
    ))  # fmt: skip


def _tasks(rows, axis, code, position, reporting, task_name) -> None:
    for line, (name, owner, start, end, status, progress) in enumerate(TASKS, start=5):
        if line - 5 > 2 + (axis + position) % 3:
            break
        if task_name is not None and axis == 1 and position == 0 and line == 6:
            name = task_name
        begin = reporting + dt.timedelta(days=start + 7 * position)
        finish = reporting + dt.timedelta(days=end + 7 * position)
        late = status not in ("Fait", "Abandonnée") and finish < reporting
        rows["taches"].append(dict(
            axe=axis, code_action=code, tache=f"{name} ({code})", responsable=owner,
            debut=begin, fin=finish, statut=status, avancement=progress, commentaire="",
            en_retard=late, fichier=f"axe{axis}/{code}.xlsx", ligne=line,
        ))  # fmt: skip


def _indicators(rows, axis, code, count, months, with_values) -> None:
    for line in range(5, 5 + count):
        name, unit, sens, start, target = INDICATORS[(line - 5) % len(INDICATORS)]
        if count > len(INDICATORS):
            name = f"{name} – périmètre n° {line - 4} des trois collectivités"
        base = dict(axe=axis, code_action=code, indicateur=name, unite=unit, sens=sens,
                    valeur_initiale=start, cible=target, echeance=dt.date(2018, 12, 31),
                    fichier=f"axe{axis}/{code}.xlsx", ligne=line)  # fmt: skip
        if not with_values:
            rows["indicateurs"].append(dict(base, mois=None, valeur=None, part_cible=None))
            continue
        for step, month in enumerate(months, start=1):
            value = start + (target - start) * min(1.0, step * (0.08 + 0.03 * (axis % 3)))
            share = (value - start) / (target - start)
            rows["indicateurs"].append(dict(base, mois=month, valeur=round(value, 1),
                                            part_cible=share))  # fmt: skip


def _evolutions(rows) -> None:
    rows["evolutions"].extend([
        dict(axe=1, code_action="A1.1", objet="action", changement="météo", avant="Vert",
             apres="Orange", detail="La météo passe de Vert à Orange."),
        dict(axe=2, code_action="A2.2", objet="action", changement="nouvelle action", avant="",
             apres="", detail="Première fiche reçue pour cette action."),
        dict(axe=1, code_action="A1.2", objet="indicateur", changement="valeur modifiée",
             avant="15", apres="14", detail="Délai moyen de réponse aux courriers, mars 2018."),
    ])  # fmt: skip


def make_history(settings: Settings, periods: list[str], **options) -> FakeHistory:
    """One snapshot per period; earlier periods have fewer tasks done (for the trends)."""
    history = FakeHistory()
    for index, period in enumerate(periods):
        empty = tuple(range(4 + min(index, 2), 7))  # more axes answer month after month
        history.snapshots[period] = make_snapshot(settings, period, empty_axes=empty, **options)
    return history


def make_large_axis_snapshot(
    settings: Settings,
    period: str = "2018-05",
    *,
    axis: int = 1,
    actions: int = 300,
    tasks_per_action: int = 20,
    indicators_per_action: int = 2,
) -> Snapshot:
    """One axis the size of a département's: hundreds of actions, thousands of tasks.

    Every third action has late tasks (two per action), so the actions furthest behind
    are known: A{axis}.3, A{axis}.6, … Other axes sent nothing.
    """
    reporting = month_end(period)
    rows: dict[str, list[dict]] = {name: [] for name in snapshot_columns(settings)}
    months = months_until(settings, period)
    _roadmap(rows, axis, reporting)
    for position in range(actions):
        code = f"A{axis}.{position + 1}"
        _suivi(rows, axis, "fiche_action", code, f"Action n° {position + 1}", True, reporting)
        _action(rows, axis, code, f"Action n° {position + 1}", position % 5, reporting)
        for line in range(5, 5 + tasks_per_action):
            late = (position + 1) % 3 == 0 and line < 7
            end = reporting + dt.timedelta(days=-15 if late else 10 + line)
            rows["taches"].append(dict(
                axe=axis, code_action=code, tache=f"Tâche {line - 4} de {code}",
                responsable="Chef de projet", debut=reporting - dt.timedelta(days=60),
                fin=end, statut="En cours", avancement=0.5, commentaire="", en_retard=late,
                fichier=f"axe{axis}/{code}.xlsx", ligne=line,
            ))  # fmt: skip
        _indicators(rows, axis, code, indicators_per_action, months, True)
    for other in settings.axis_numbers:
        if other != axis:
            _expected_only(rows, other)
    return Snapshot(period=period, reporting_date=reporting,
                    created=dt.datetime(2018, 6, 2, 9, 30), tables=_frames(settings, rows))  # fmt: skip


# -- edge cases: one snapshot built from the rows a test names -----------------------------


@dataclass(frozen=True)
class EdgeIndicator:
    """One indicator of an action sheet. ``values``: its monthly rows in reading order,
    (month, value); none means no value yet (the snapshot keeps one row without month)."""

    name: str = "Indicateur"
    sens: object = "Hausse"
    initial: object = 0.0
    target: object = 100.0
    deadline: object = dt.date(2018, 12, 31)
    values: tuple[tuple[str, object], ...] = ()
    action: str = "A1.1"
    line: int = 5


@dataclass(frozen=True)
class EdgeTask:
    """One task; ``late`` is the snapshot's en_retard (the consolidation's answer)."""

    end: object
    status: object = "En cours"
    late: bool = False
    action: str = "A1.1"
    name: str = "Tâche"


def _axis_of(code: str) -> int:
    return int(code[1 : code.index(".")])


def make_edge_snapshot(
    settings: Settings,
    period: str = "2018-05",
    *,
    indicators: tuple[EdgeIndicator, ...] = (),
    tasks: tuple[EdgeTask, ...] = (),
    announced: tuple[str, ...] = ("A1.1",),
    received: tuple[str, ...] = ("A1.1",),
    weathers: dict[str, object] | None = None,
    not_updated: tuple[str, ...] = (),
    roadmaps_not_updated: tuple[int, ...] = (),
) -> Snapshot:
    """A snapshot holding exactly the rows a boundary test names: ``announced`` codes in
    their roadmaps (one per axis named), ``received`` action sheets (``weathers``: code →
    météo, Vert by default), their tasks and indicators, and the follow-up of them all
    (``suivi``; ``not_updated``: received sheets not updated since the previous period,
    consolidated but not returned; ``roadmaps_not_updated``: the same for the roadmaps of
    these axes). Everything else is empty."""
    reporting = month_end(period)
    rows: dict[str, list[dict]] = {name: [] for name in snapshot_columns(settings)}
    for axis in sorted({_axis_of(code) for code in announced}):
        stale = axis in roadmaps_not_updated
        rows["suivi"].append(dict(axe=axis, document="feuille_de_route", code=None, intitule="",
                                  recu=not stale, date_maj=reporting,
                                  etat="pas mis à jour" if stale else "reçu",
                                  fichier=f"axe{axis}/feuille_de_route.xlsx"))  # fmt: skip
    for code in sorted({*announced, *received}):
        returned = code in received and code not in not_updated
        state = "reçu" if returned else "pas mis à jour" if code in received else "non reçu"
        rows["suivi"].append(dict(axe=_axis_of(code), document="fiche_action", code=code,
                                  intitule=f"Action {code}", recu=returned, etat=state,
                                  date_maj=reporting if code in received else None,
                                  fichier=f"axe{_axis_of(code)}/{code}.xlsx"))  # fmt: skip
    for axis in sorted({_axis_of(code) for code in announced}):
        fichier = f"axe{axis}/feuille_de_route.xlsx"
        rows["feuilles_de_route"].append(dict(axe=axis, groupe=GROUPS.get(axis, ""),
                                              pilote="", date_maj=reporting, fichier=fichier,
                                              completude=1.0))  # fmt: skip
        for line, code in enumerate((c for c in announced if _axis_of(c) == axis), start=5):
            rows["actions_annoncees"].append(dict(axe=axis, code=code, intitule=f"Action {code}",
                                                  description="", fichier=fichier, ligne=line))  # fmt: skip
    for code in received:
        rows["actions"].append(dict(
            code_action=code, axe=_axis_of(code), titre=f"Action {code}", date_maj=reporting,
            statut="En cours", meteo=(weathers or {}).get(code, "Vert"), completude=1.0,
            fichier=f"axe{_axis_of(code)}/{code}.xlsx",
        ))  # fmt: skip
    for line, task in enumerate(tasks, start=5):
        rows["taches"].append(dict(
            axe=_axis_of(task.action), code_action=task.action, tache=task.name,
            responsable="", debut=None, fin=task.end, statut=task.status, avancement=None,
            commentaire="", en_retard=task.late, fichier=f"axe{_axis_of(task.action)}/{task.action}.xlsx",
            ligne=line,
        ))  # fmt: skip
    for indicator in indicators:
        base = dict(axe=_axis_of(indicator.action), code_action=indicator.action,
                    indicateur=indicator.name, unite="", sens=indicator.sens,
                    valeur_initiale=indicator.initial, cible=indicator.target,
                    echeance=indicator.deadline, part_cible=None,
                    fichier=f"axe{_axis_of(indicator.action)}/{indicator.action}.xlsx",
                    ligne=indicator.line)  # fmt: skip
        for month, value in indicator.values or ((None, None),):
            rows["indicateurs"].append(dict(base, mois=month, valeur=value))
    return Snapshot(period=period, reporting_date=reporting,
                    created=dt.datetime(2018, 6, 2, 9, 30), tables=_frames(settings, rows))  # fmt: skip

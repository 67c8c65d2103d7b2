"""Month-over-month changes, compared on business keys between two snapshots."""

from __future__ import annotations

import datetime as dt

from innova_reports.consolidate.evolutions import compute_evolutions
from innova_reports.consolidate.history import table_frame
from innova_reports.model import Snapshot, snapshot_columns


def _tables(settings, actions=(), tasks=(), values=()) -> dict:
    """Tables from short tuples: actions (code, statut, meteo), tasks (code, tache, statut,
    late), indicator values (code, indicateur, mois, valeur)."""
    columns = snapshot_columns(settings)

    def rows(name, items):
        out = []
        for item in items:
            row = dict.fromkeys(columns[name])
            row.update(item, axe=int(item["code_action"][1]))
            out.append([row[c] for c in columns[name]])
        return table_frame(columns[name], out)

    return {
        "actions": rows("actions", [dict(code_action=c, statut=s, meteo=m, titre=f"Titre {c}")
                                    for c, s, m in actions]),
        "taches": rows("taches", [dict(code_action=c, tache=t, statut=s, en_retard=late,
                                       fin=dt.date(2018, 4, 30)) for c, t, s, late in tasks]),
        "indicateurs": rows("indicateurs", [dict(code_action=c, indicateur=i, mois=m, valeur=v)
                                            for c, i, m, v in values]),
    }  # fmt: skip


def _snapshot(period, tables) -> Snapshot:
    return Snapshot(period, dt.date(2018, 4, 30), dt.datetime(2018, 5, 1), tables)


def test_no_previous_snapshot_means_no_changes(settings):
    assert compute_evolutions(None, _tables(settings, actions=[("A1.1", "En cours", "Vert")])) == []


def test_every_kind_of_change_is_reported(settings):
    before = _tables(
        settings,
        actions=[("A1.1", "À lancer", "Vert"), ("A2.1", "En cours", "Vert"),
                 ("A3.1", "En cours", "Orange")],
        tasks=[("A1.1", "Diagnostic", "En cours", False), ("A1.1", "Charte", "En cours", False),
               ("A1.1", "Déjà en retard", "En cours", True)],
        values=[("A1.1", "Délai", "2018-03", 20.0), ("A1.1", "Délai", "2018-04", 18.0)],
    )  # fmt: skip
    after = _tables(
        settings,
        actions=[("A1.1", "En cours", "Rouge"), ("A3.1", "En cours", "Orange"),
                 ("A4.1", "À lancer", "Vert")],
        tasks=[("A1.1", "Diagnostic", "Fait", False), ("A1.1", "Charte", "En cours", True),
               ("A1.1", "Déjà en retard", "En cours", True)],
        values=[("A1.1", "Délai", "2018-03", 19.0), ("A1.1", "Délai", "2018-04", 18.0),
                ("A1.1", "Délai", "2018-05", 15.0)],
    )  # fmt: skip
    rows = compute_evolutions(_snapshot("2018-04", before), after)
    found = {(r[1], r[2], r[3], r[4], r[5]) for r in rows}
    assert found == {
        ("A1.1", "Action", "Statut modifié", "À lancer", "En cours"),
        ("A1.1", "Action", "Météo modifiée", "Vert", "Rouge"),
        ("A4.1", "Action", "Nouvelle action", None, "Titre A4.1"),
        ("A2.1", "Action", "Action disparue", "Titre A2.1", None),
        ("A1.1", "Tâche", "Tâche terminée", "En cours", "Fait"),
        ("A1.1", "Tâche", "Tâche en retard", None, "30/04/2018"),
        ("A1.1", "Indicateur", "Valeur modifiée a posteriori", "20", "19"),
        ("A1.1", "Indicateur", "Nouvelle valeur", None, "15"),
    }
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # grouped by axis
    details = {r[3]: r[6] for r in rows}
    assert details == {
        "Statut modifié": "Statut de l'action « Titre A1.1 » : À lancer → En cours",
        "Météo modifiée": "Météo de l'action « Titre A1.1 » : Vert → Rouge",
        "Nouvelle action": "Nouvelle action « Titre A4.1 », reçue pour la première fois",
        "Action disparue": "Aucune fiche reçue ce mois-ci pour l'action « Titre A2.1 »",
        "Tâche terminée": "La tâche « Diagnostic » est terminée (statut précédent : En cours)",
        "Tâche en retard": "La tâche « Charte » est en retard : fin prévue le 30/04/2018",
        "Valeur modifiée a posteriori": "Valeur de mars 2018 de l'indicateur « Délai » "
        "modifiée après coup : 20 → 19",
        "Nouvelle valeur": "Nouvelle valeur de l'indicateur « Délai » pour mai 2018 : 15",
    }


def test_indicator_details_in_french_with_unit_and_elision(settings):
    def values(*items):
        tables = _tables(settings, values=items)
        tables["indicateurs"]["unite"] = "jours"
        return tables

    before = values(("A1.1", "Délai", "2018-04", 12.0), ("A1.1", "Délai", "2018-08", 1.5))
    after = values(("A1.1", "Délai", "2018-04", 12500.0), ("A1.1", "Délai", "2018-10", 14.25))
    details = sorted(r[6] for r in compute_evolutions(_snapshot("2018-04", before), after))
    assert details == [
        "Nouvelle valeur de l'indicateur « Délai » pour octobre 2018 : 14,25 jours",
        "Valeur d'août 2018 de l'indicateur « Délai » supprimée (elle était de 1,5 jours)",
        "Valeur d'avril 2018 de l'indicateur « Délai » modifiée après coup : "
        "12 → 12\u202f500 jours",
    ]


def test_same_tables_give_no_change(settings):
    tables = _tables(
        settings,
        actions=[("A1.1", "En cours", "Vert")],
        tasks=[("A1.1", "Diagnostic", "Fait", False)],
        values=[("A1.1", "Délai", "2018-03", 20.0)],
    )
    assert compute_evolutions(_snapshot("2018-04", tables), tables) == []


def test_an_indicator_not_measured_yet_is_no_change(settings):
    """The snapshot keeps a declared indicator without value as a row without a month."""
    before = _tables(settings, values=[("A1.1", "Délai", "2018-03", 20.0)])
    after = _tables(settings, values=[("A1.1", "Délai", "2018-03", 20.0),
                                      ("A1.1", "Nouvel indicateur", None, None)])  # fmt: skip
    assert compute_evolutions(_snapshot("2018-04", before), after) == []
    assert compute_evolutions(_snapshot("2018-04", after), before) == []

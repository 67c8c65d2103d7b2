"""The field dictionary holds exactly the ids of DESIGN.md, in its order."""

from __future__ import annotations

import pytest

from innova_reports.fields import (
    ACTION,
    ROADMAP,
    FieldType,
    month_end,
    month_field_id,
    month_label,
    month_of_field_id,
    template_spec,
)
from innova_reports.model import snapshot_columns

ROADMAP_FIELDS = ["axe", "groupe", "pilote", "date_maj", "contexte", "finalites", "presentation"]
ROADMAP_TABLES = {
    "t_actions": ["code", "intitule", "description"],
    "t_acteurs": ["nom", "role", "service", "collectivite"],
    "t_calendrier": ["jalon", "date_prevue", "date_realisee", "statut"],
    "t_moyens": ["nature", "description", "montant_eur"],
    "t_livrables": ["livrable", "echeance", "statut"],
}
ACTION_FIELDS = [
    "code_action", "axe", "titre", "date_maj", "statut", "meteo", "contexte", "finalites",
    "contenu", "service_pilote", "chef_projet", "elu_referent", "contributeurs",
    "moyens_humains", "budget_eur", "moyens_materiels",
]  # fmt: skip
ACTION_TABLES = {
    "t_taches": ["tache", "responsable", "debut", "fin", "statut", "avancement", "commentaire"],
    "t_indicateurs": ["indicateur", "unite", "sens", "valeur_initiale", "cible", "echeance"],
}


def test_roadmap_ids_match_the_design(settings):
    spec = template_spec(ROADMAP, settings)
    assert [f.id for f in spec.fields] == ROADMAP_FIELDS
    assert {t.name: [c.id for c in t.columns] for t in spec.tables} == ROADMAP_TABLES


def test_action_ids_match_the_design_with_one_column_per_month(settings):
    spec = template_spec(ACTION, settings)
    assert sorted(f.id for f in spec.fields) == sorted(ACTION_FIELDS)
    assert [t.name for t in spec.tables] == list(ACTION_TABLES)
    assert [c.id for c in spec.table("t_taches").columns] == ACTION_TABLES["t_taches"]
    indicator_ids = [c.id for c in spec.table("t_indicateurs").columns]
    assert indicator_ids[:6] == ACTION_TABLES["t_indicateurs"]
    assert indicator_ids[6:] == [month_field_id(m) for m in settings.months]
    assert len(indicator_ids) == 6 + 12


@pytest.mark.parametrize(
    ("kind", "field_id", "expected"),
    [
        (ACTION, "statut", ("À lancer", "En cours", "En pause", "Terminée", "Abandonnée")),
        (ACTION, "meteo", ("Vert", "Orange", "Rouge")),
        (ROADMAP, "axe", (1, 2, 3, 4, 5, 6)),
    ],
)
def test_closed_lists_of_single_fields(settings, kind, field_id, expected):
    assert template_spec(kind, settings).field(field_id).choices == expected


def test_closed_lists_come_from_the_settings(settings):
    action = template_spec(ACTION, settings)
    assert action.field("service_pilote").choices == settings.services
    assert action.table("t_taches").column("statut").choices == (
        "À faire",
        "En cours",
        "Fait",
        "Abandonnée",
    )
    assert action.table("t_indicateurs").column("sens").choices == ("Hausse", "Baisse")
    roadmap = template_spec(ROADMAP, settings)
    assert roadmap.table("t_moyens").column("nature").choices == (
        "Humains",
        "Financiers",
        "Matériels",
    )
    assert roadmap.table("t_acteurs").column("collectivite").choices == settings.councils


def test_every_field_has_french_label_help_and_type(settings):
    for kind in (ROADMAP, ACTION):
        spec = template_spec(kind, settings)
        every = list(spec.fields) + [c for t in spec.tables for c in t.columns]
        for f in every:
            assert f.label and f.help and isinstance(f.type, FieldType), f.id
            if f.type is FieldType.CHOICE:
                assert f.choices, f.id


def test_month_helpers_round_trip():
    assert month_field_id("2018-03") == "mois_2018_03"
    assert month_of_field_id("mois_2018_03") == "2018-03"
    assert month_of_field_id("montant_eur") is None
    assert month_label("2018-08") == "août 2018"
    assert month_end("2018-02").day == 28
    assert month_end("2018-12").isoformat() == "2018-12-31"


def test_snapshot_columns_carry_every_table_field(settings):
    columns = snapshot_columns(settings)
    assert set(ACTION_FIELDS) <= set(columns["actions"])
    assert set(ACTION_TABLES["t_taches"]) <= set(columns["taches"])
    for table, ids in ROADMAP_TABLES.items():
        name = {"t_actions": "actions_annoncees"}.get(table, table[2:])
        assert set(ids) <= set(columns[name]), table


@pytest.mark.parametrize(
    ("text", "valid"),
    [("2018-05", True), ("2018-12", True), ("2018-13", False), ("2018-00", False),
     ("2018-5", False), ("mai 2018", False), ("", False), (None, False)],
)  # fmt: skip
def test_a_period_is_written_aaaa_mm(text, valid):
    from innova_reports.fields import is_period

    assert is_period(text) is valid

"""The schemas are derived from the field dictionary and name their checks by issue type."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
import pytest

from innova_reports.fields import ACTION, ROADMAP, month_field_id, template_spec
from innova_reports.report.issue import Severity
from innova_reports.validate import schemas

TODAY = dt.date(2018, 5, 31)


@pytest.fixture
def built(settings):
    return schemas.build_schemas(settings, today=TODAY, period="2018-05")


def failures(schema: pa.DataFrameSchema, rows: list[dict]) -> set[tuple[str, str, int]]:
    """(check, column, index) of every failure case of a lazy validation."""
    columns = list(schema.columns)
    frame = pd.DataFrame([{c: row.get(c) for c in columns} | row for row in rows], dtype=object)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return {(str(c), str(col), int(i)) for c, col, i in cases[["check", "column", "index"]].itertuples(index=False)}  # fmt: skip
    return set()


def test_one_schema_per_frame_with_every_field_of_the_dictionary(settings, built):
    roadmap, action = template_spec(ROADMAP, settings), template_spec(ACTION, settings)
    assert set(built.roadmap.columns) == {f.id for f in roadmap.fields} | {"nb_actions"}
    assert set(built.action.columns) == {f.id for f in action.fields}
    assert set(built.tables) == {t.name for t in roadmap.tables + action.tables}
    for table in roadmap.tables + action.tables:
        assert list(built.tables[table.name].columns) == [f.id for f in table.columns]


def test_required_fields_are_not_nullable(settings, built):
    action = template_spec(ACTION, settings)
    for field in action.fields:
        assert built.action.columns[field.id].nullable is (not field.required), field.id


def test_every_check_is_named_after_a_rule(built):
    frames = [built.roadmap, built.action, *built.tables.values()]
    names = {check.name for s in frames for check in s.checks}
    names |= {check.name for s in frames for c in s.columns.values() for check in c.checks}
    assert names <= set(schemas.RULES)
    assert "valeur-mois-futur" in names and "fin-avant-debut" in names


def test_every_rule_has_a_french_message_template():
    from innova_reports.report.catalogue import CATALOGUE

    assert set(schemas.RULES) <= set(CATALOGUE)


@pytest.mark.parametrize(
    "check, severity",
    [("not_nullable", Severity.ERROR), ("tache-faite-incomplete", Severity.WARNING),
     ("cible-incoherente", Severity.WARNING), ("valeur-mois-futur", Severity.WARNING),
     ("nombre-actions-annoncees", Severity.WARNING), ("isin([1, 2])", Severity.ERROR)],
)  # fmt: skip
def test_severity_lives_with_the_rule(check, severity):
    assert schemas.rule_for_check(check).severity is severity


def test_unknown_pandera_checks_map_to_a_generic_rule():
    assert schemas.rule_for_check("dtype('int64')").type == "controle-impossible"


def test_closed_lists_are_checked_but_a_settings_list_is_the_normaliser_s(settings, built):
    """A value no longer in a settings list (a renamed service) is kept with an
    avertissement by the normaliser; the schema still refuses a value off a fixed list."""
    ok = {"code_action": "A3.2", "axe": 3, "service_pilote": settings.services[-1],
          "meteo": "Vert"}  # fmt: skip
    assert ("valeur-hors-liste", "meteo", 0) not in failures(built.action, [ok])
    bad = ok | {"service_pilote": "Service inventé", "meteo": "Bleu"}
    assert ("valeur-hors-liste", "meteo", 0) in failures(built.action, [bad])
    assert ("valeur-hors-liste", "service_pilote", 0) not in failures(built.action, [bad])


def test_wide_checks_name_their_target_field(built):
    assert schemas.wide_check_target(built.tables["t_taches"], "fin-avant-debut") == "fin"
    assert schemas.wide_check_target(built.action, "code-action-axe-incoherent") == "code_action"
    assert (
        schemas.wide_check_target(built.tables["t_actions"], "code-action-axe-incoherent") == "code"
    )


def test_months_after_the_period_are_flagged_not_before(settings):
    built = schemas.build_schemas(settings, today=TODAY, period="2018-06")
    table = built.tables["t_indicateurs"]
    row = {"indicateur": "I", "sens": "Hausse", "cible": 5.0,
           month_field_id("2018-06"): 1.0, month_field_id("2018-07"): 2.0}  # fmt: skip
    found = failures(table, [row])
    assert ("valeur-mois-futur", "mois_2018_07", 0) in found
    assert not any(col == "mois_2018_06" for _, col, _ in found)


@pytest.mark.parametrize(
    "value, ok",
    [(1.0, True), (12, True), ("12", False), (dt.date(2018, 1, 1), False), (True, False)],
)
def test_month_values_must_be_numbers(built, value, ok):
    row = {"indicateur": "I", "sens": "Hausse", "cible": 5.0, "mois_2018_02": value}
    found = failures(built.tables["t_indicateurs"], [row])
    assert (("valeur-mois-non-numerique", "mois_2018_02", 0) not in found) is ok


@pytest.mark.parametrize(
    "debut, fin, ok",
    [(dt.date(2018, 3, 1), dt.date(2018, 3, 1), True),
     (dt.date(2018, 3, 2), dt.date(2018, 3, 1), False),
     (None, dt.date(2018, 3, 1), True),
     ("demain", dt.date(2018, 3, 1), True)],  # the type check reports it, not this rule
)  # fmt: skip
def test_debut_before_fin(built, debut, fin, ok):
    row = {"tache": "T", "statut": "En cours", "debut": debut, "fin": fin}
    found = {check for check, _, _ in failures(built.tables["t_taches"], [row])}
    assert ("fin-avant-debut" not in found) is ok


@pytest.mark.parametrize(
    "sens, initial, target, ok",
    [("Hausse", 10.0, 20.0, True), ("Hausse", 10.0, 10.0, False), ("Baisse", 10.0, 5.0, True),
     ("Baisse", 10.0, 12.0, False), ("Baisse", None, 12.0, True)],
)  # fmt: skip
def test_target_follows_the_direction(built, sens, initial, target, ok):
    row = {"indicateur": "I", "sens": sens, "valeur_initiale": initial, "cible": target}
    found = {check for check, _, _ in failures(built.tables["t_indicateurs"], [row])}
    assert ("cible-incoherente" not in found) is ok


@pytest.mark.parametrize(
    "code, axis, expected",
    [("A3.2", 3, set()), ("A3.12", 3, set()), ("a3.2", 3, {"code-action-invalide"}),
     ("A3", 3, {"code-action-invalide"}), ("A4.1", 3, {"code-action-axe-incoherent"})],
)  # fmt: skip
def test_action_codes(built, code, axis, expected):
    row = {"code": code, "intitule": "x", "axe": axis}
    found = {check for check, _, _ in failures(built.tables["t_actions"], [row])}
    assert found == expected


def test_checks_never_raise_on_unexpected_types(built):
    row = {"tache": 3, "statut": "Fait", "debut": "x", "fin": 4, "avancement": "beaucoup"}
    found = failures(built.tables["t_taches"], [row])
    assert {check for check, _, _ in found} == {"type-invalide"}
    assert {col for _, col, _ in found} == {"tache", "debut", "fin", "avancement"}


def test_schemas_are_built_once_per_day_and_period(settings):
    first = schemas.build_schemas(settings, today=TODAY, period="2018-05")
    assert schemas.build_schemas(settings, today=TODAY, period="2018-05") is first
    assert schemas.build_schemas(settings, today=TODAY, period="2018-06") is not first

"""What people type becomes typed values; what cannot be read becomes an issue, never a guess."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from innova_reports.fields import ACTION, ROADMAP, Field, FieldType, template_spec
from innova_reports.frenchfmt import _INVISIBLE
from innova_reports.model import ReadStatus
from innova_reports.read.normalise import normalise_general, normalise_value, normalise_workbook
from innova_reports.read.workbook import read_workbook
from innova_reports.settings import load_settings
from tests.conftest import SETTINGS_FILE
from tests.factories import make_workbook

T = FieldType
TEXT = Field("titre", "Titre", "", T.TEXT)
LONG = Field("contexte", "Contexte", "", T.LONG_TEXT)
DATE = Field("fin", "Fin", "", T.DATE)
INT = Field("axe", "Axe", "", T.INTEGER, choices=(1, 2, 3, 4, 5, 6))
DEC = Field("cible", "Cible", "", T.DECIMAL)
MONEY = Field("budget_eur", "Budget (€)", "", T.MONEY)
PCT = Field("avancement", "Avancement", "", T.PERCENT)
STATUS = Field(
    "statut", "Statut", "", T.CHOICE, choices=("À lancer", "En cours", "En pause", "Terminée")
)
D = dt.date(2018, 3, 15)


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (TEXT, "  Dématérialisation\u00a0 ", "Dématérialisation"),
        (TEXT, "Accueil\u202f  des   usagers", "Accueil des usagers"),
        (TEXT, 12.0, "12"),
        (TEXT, D, "15/03/2018"),
        (LONG, " ligne 1\nligne 2\u00a0", "ligne 1\nligne 2"),
        (TEXT, "   ", None),
        (TEXT, None, None),
        (DATE, D, D),
        (DATE, dt.datetime(2018, 3, 15, 10, 30), D),
        (DATE, 43174, D),
        (DATE, 43174.0, D),
        (DATE, "15/03/2018", D),
        (DATE, "15/03/18", D),
        (DATE, " 15.03.2018 ", D),
        (DATE, "15 mars 2018", D),
        (DATE, "15 MARS 2018", D),
        (DATE, "1er mars 2018", dt.date(2018, 3, 1)),
        (DATE, "jeudi 15 mars 2018", D),
        (DATE, "15 févr. 2018", dt.date(2018, 2, 15)),
        (DATE, "2018-03-15", D),
        (INT, 3, 3),
        (INT, 3.0, 3),
        (INT, " 3 ", 3),
        (DEC, 12.5, 12.5),
        (DEC, "12,5", 12.5),
        (DEC, "-3,25", -3.25),
        (DEC, "1.5", 1.5),
        (MONEY, "12 500 €", 12500.0),
        (MONEY, "12\u00a0500", 12500.0),
        (MONEY, "12\u202f500,50\u00a0€", 12500.5),
        (MONEY, "1 234,50", 1234.5),
        (MONEY, "10 000 EUR", 10000.0),
        (MONEY, 12500, 12500.0),
        (PCT, 0.5, 0.5),
        (PCT, 50, 0.5),
        (PCT, 1, 1.0),
        (PCT, 0, 0.0),
        (PCT, "50 %", 0.5),
        (PCT, "12,5 %", 0.125),
        (PCT, "12,5\u00a0%", 0.125),
        (PCT, "50", 0.5),
        (PCT, "0,5", 0.5),
        (PCT, 150, 1.5),  # kept: validation says it is above 100 %
        (STATUS, "En cours", "En cours"),
        (STATUS, "en cours", "En cours"),
        (STATUS, "EN COURS ", "En cours"),
        (STATUS, "a lancer", "À lancer"),
        (STATUS, "terminee", "Terminée"),
        (STATUS, "En\u00a0 pause", "En pause"),
    ],
)
def test_normalisation(field, raw, expected):
    value, problem = normalise_value(raw, field)
    assert problem is None
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("field", "raw", "kind"),
    [
        (DATE, "31/02/2018", "date-invalide"),
        (DATE, "demain", "date-invalide"),
        (DATE, "15 brumaire 2018", "date-invalide"),
        (DATE, 12, "date-invalide"),
        (DATE, True, "date-invalide"),
        (DATE, "03/04", "valeur-ambigue"),
        (DATE, "12/2018", "valeur-ambigue"),
        (DATE, "mars 2018", "valeur-ambigue"),
        (INT, 3.5, "nombre-invalide"),
        (INT, "trois", "nombre-invalide"),
        (DEC, "1.234", "valeur-ambigue"),
        (DEC, "12.500", "valeur-ambigue"),
        (DEC, "1,234.5", "nombre-invalide"),
        (DEC, "1 23,4", "nombre-invalide"),
        (DEC, "douze", "nombre-invalide"),
        (DEC, "1e5", "nombre-invalide"),
        (MONEY, D, "nombre-invalide"),
        (PCT, "beaucoup", "pourcentage-invalide"),
        (PCT, "moitié %", "pourcentage-invalide"),
        (PCT, "1.500 %", "valeur-ambigue"),
        (STATUS, "Fini", "valeur-hors-liste"),
        (STATUS, "En", "valeur-hors-liste"),
    ],
)
def test_rejected_values(field, raw, kind):
    value, problem = normalise_value(raw, field)
    assert value is None
    assert problem is not None and problem.type == kind and problem.reason


def test_workbook_issues_name_the_cell(tmp_path, settings):
    path = make_workbook(
        tmp_path / "saisie.xlsx", ACTION, settings,
        fields={"code_action": " A3.2 ", "axe": "3", "date_maj": "15/03/18", "statut": "en cours",
                "budget_eur": "12.500", "meteo": "Violet"},
        tables={"t_taches": [{"tache": "Recenser", "fin": "31/02/2018", "avancement": "50 %"},
                             {"tache": "Choisir", "debut": "03/04", "statut": "FAIT"}]},
    )  # fmt: skip
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.READ
    data = normalise_workbook(outcome.data, settings)
    assert [issue.flat() for issue in data.issues] == [
        ("saisie.xlsx", "Fiche action", "B10", "valeur-hors-liste", "erreur"),
        ("saisie.xlsx", "Fiche action", "B25", "valeur-ambigue", "erreur"),
        ("saisie.xlsx", "Tâches", "D5", "date-invalide", "erreur"),
        ("saisie.xlsx", "Tâches", "C6", "valeur-ambigue", "erreur"),
    ]
    first = data.issues[0]
    assert (first.field, first.label, first.value, first.axis) == ("meteo", "Météo", "Violet", 3)
    assert "B10" in first.message and "Vert, Orange, Rouge" in first.message
    assert data.value("code_action") == "A3.2" and data.value("axe") == 3
    assert data.value("date_maj") == D and data.value("statut") == "En cours"
    assert data.value("budget_eur") is None and data.value("meteo") is None
    tasks = data.tables["t_taches"]
    assert tasks.loc[5, "avancement"] == 0.5 and tasks.loc[5, "fin"] is None
    assert tasks.loc[6, "statut"] == "Fait"
    assert list(tasks.columns) == [
        c.id for c in template_spec(ACTION, settings).table("t_taches").columns
    ]
    assert (
        outcome.data.tables["t_taches"].loc[5, "avancement"] == "50 %"
    )  # the input is not changed


def test_message_says_how_to_fix():
    from innova_reports.read.normalise import problem_issue

    _, problem = normalise_value("31/02/2018", DATE)
    issue = problem_issue("f.xlsx", "Tâches", "D5", DATE, "31/02/2018", problem)
    assert issue.message == (
        "Fin : « 31/02/2018 » — cette date n'existe pas. Saisissez une date complète sous la "
        "forme JJ/MM/AAAA (par exemple 15/03/2018), dans la cellule D5 de la feuille « Tâches »."
    )


# -- fast paths: the same result as the general path ---------------------------------------

_ODD_CHARACTERS = " \u00a0\u202f\u2007\u2009\t\n\r\x00\x07\x85\u00ad\u200b\u2028\u3000\ufeff"
_TYPED_TEXTS = [
    "15/03/2018", "15 mars 2018", "03/04", "12 500 €", "1 234,50", "1.234", "50 %", "1,5",
    "NC", "-", "En cours", "en cours", "EN COURS", "a3.2", "A 03,2", "axe 3", "3", "Fait",
]  # fmt: skip


def _values() -> st.SearchStrategy:
    texts = st.text(
        alphabet=st.sampled_from("aZé9.,%-€/ 'À" + _ODD_CHARACTERS), max_size=12
    ) | st.sampled_from(_TYPED_TEXTS)
    return st.one_of(
        st.none(),
        texts,
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 3.0, 12.5, 2.0**53, 1e300, 36526.0]),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.sampled_from([0, 1, 3, 2**53, 2**53 + 1, -(2**53) - 1, 10**400]),
        st.booleans(),
        st.dates(min_value=dt.date(1, 1, 1)),
        st.datetimes(min_value=dt.datetime(1, 1, 1)),
        st.sampled_from([dt.time(10, 30), dt.timedelta(days=2)]),
    )


def _template_fields() -> list[Field]:
    """Every field and table column of both templates, with the test fields above."""
    programme = load_settings(SETTINGS_FILE)
    found = {}
    for kind in (ROADMAP, ACTION):
        spec = template_spec(kind, programme)
        for field in [*spec.fields, *(c for table in spec.tables for c in table.columns)]:
            found[field] = None
    return [*found, TEXT, LONG, DATE, INT, DEC, MONEY, PCT, STATUS]


_SAMPLE_FIELDS = _template_fields()


_EDGES = [
    None, "", " ", "Titre", " Titre", "Titre ", "Ti  tre", "Ti\u00a0tre", "Ligne\nligne",
    "Ligne\r\nligne", "\tTitre", "Titre\u200b", "é", "x" * 32_768, *_TYPED_TEXTS,
    0.0, -0.0, 0.5, -1.0, 1.0, 1.5, -1.5, 2.0, 3.0, 12.5, 150.0, 1e300, math.nan, math.inf,
    0, 1, 3, 2**53, 2**53 + 1, -(2**53) - 1, 10**400, True, False,
    dt.date(2018, 3, 15), dt.date(1899, 12, 31), dt.date(2100, 1, 1),
    dt.datetime(2018, 3, 15, 10, 30), dt.datetime(1800, 1, 1), dt.time(10, 30),
    dt.timedelta(days=2), 36526.0, 36526,
]  # fmt: skip


def _same_result(value, field) -> None:
    fast, general = normalise_value(value, field), normalise_general(value, field)
    assert fast == general, (value, field.id)
    assert type(fast[0]) is type(general[0]), (value, field.id)


@pytest.mark.parametrize("value", _EDGES, ids=repr)
def test_fast_paths_give_the_general_result_on_edges(value):
    """Values at the borders of each fast path, in every field of the templates."""
    for field in _SAMPLE_FIELDS:
        _same_result(value, field)


@hypothesis_settings(max_examples=400, deadline=None)
@given(value=_values())
def test_fast_paths_give_the_general_result(value):
    """Any value, typed or not, gets the same (value, problem) in every field with or
    without the fast paths."""
    for field in _SAMPLE_FIELDS:
        _same_result(value, field)


def test_no_character_to_clean_is_printable():
    """The text fast paths trust ``str.isprintable``: every character the general path
    removes, replaces or collapses must make it false (a plain space aside)."""
    cleaned = _INVISIBLE + "\u00a0\u202f\u2007\u2009\t\n\r"
    assert not any(character.isprintable() for character in cleaned)
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) != " "]
    assert not any(character.isprintable() for character in spaces)


def test_workbook_without_fast_paths_is_the_same(tmp_path, settings, monkeypatch):
    """The table loop skips unchanged values: frames and issues equal the general path's."""
    from innova_reports.read import normalise

    path = make_workbook(
        tmp_path / "saisie.xlsx", ACTION, settings,
        fields={"code_action": "a3.2", "axe": 3, "date_maj": D, "statut": "En cours",
                "budget_eur": 12500, "titre": " Accueil\u00a0 des usagers "},
        tables={
            "t_taches": [
                {"tache": "Recenser", "debut": D, "fin": "31/02/2018", "avancement": 0.5},
                {"tache": "Choisir  ", "debut": "03/04", "statut": "FAIT", "avancement": "50 %"},
                {"tache": "Ligne\nsuite", "statut": "Fait", "avancement": 1.5},
            ],
            "t_indicateurs": [
                {"indicateur": "Dossiers", "valeur_initiale": 12.5, "cible": "1 234,50"},
                {"indicateur": "NC", "valeur_initiale": "NC", "cible": 3},
            ],
        },
    )  # fmt: skip
    data = read_workbook(path, settings).data
    fast = normalise_workbook(data, settings)
    slow = {kind: lambda value, field: normalise._SLOW for kind in FieldType}
    monkeypatch.setattr(normalise, "_FAST", slow)
    monkeypatch.setattr(normalise, "_cached_general", normalise_general)
    general = normalise_workbook(data, settings)
    assert fast.issues == general.issues and len(fast.issues) >= 3
    # 1,5 in the percentage-formatted cell shows « 150 % »: read as that, not as ambiguous
    assert fast.tables["t_taches"]["avancement"].tolist()[2] == 1.5
    assert fast.fields == general.fields
    assert fast.tables.keys() == general.tables.keys()
    for name, frame in fast.tables.items():
        assert frame.equals(general.tables[name]), name
        pairs = zip(frame.to_numpy().ravel(), general.tables[name].to_numpy().ravel(), strict=True)
        assert all(type(a) is type(b) for a, b in pairs), name

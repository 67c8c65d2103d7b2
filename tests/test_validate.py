"""Batch validation: every issue type names its file, sheet and cell, in French.

Most tests build ``ReadOutcome`` objects directly (typed values, tables indexed by
Excel row) so that each rule is tested on its own; the end-to-end tests at the bottom
go through real templates filled by ``tests.factories``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pytest

from innova_reports.fields import ACTION, ROADMAP, template_spec
from innova_reports.model import RawCell, ReadOutcome, ReadStatus, SourceFile, WorkbookData
from innova_reports.pipeline.check import check_files
from innova_reports.report import catalogue
from innova_reports.report.issue import Severity, display_value
from innova_reports.settings import Settings
from innova_reports.validate import batch as validate
from innova_reports.validate import schemas
from tests import factories

TODAY = dt.date(2018, 5, 31)
PERIOD = "2018-05"
FIRST_FIELD_ROW = 5  # single fields sit in column C from this row, in spec order
FIRST_TABLE_ROW = 5  # table headers on row 4, data from row 5, columns from A

# -- a small builder of read workbooks ----------------------------------------------------


def action_fields(settings: Settings, **changes: Any) -> dict[str, Any]:
    fields = {
        "code_action": "A3.2",
        "axe": 3,
        "titre": "Dématérialisation des procédures",
        "date_maj": dt.date(2018, 5, 15),
        "statut": "En cours",
        "meteo": "Vert",
        "service_pilote": settings.services[0],
        "chef_projet": "Sophie Marty",
        "budget_eur": 12500.0,
    }
    return fields | changes


def roadmap_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "axe": 3,
        "groupe": "Groupe Process",
        "pilote": "Sandrine Lavergne",
        "date_maj": dt.date(2018, 5, 10),
    }
    return fields | changes


def task(**changes: Any) -> dict[str, Any]:
    row = {
        "tache": "Cartographier les procédures",
        "responsable": "Paul Lacoste",
        "debut": dt.date(2018, 3, 1),
        "fin": dt.date(2018, 4, 30),
        "statut": "En cours",
        "avancement": 0.5,
    }
    return row | changes


def indicator(**changes: Any) -> dict[str, Any]:
    row = {
        "indicateur": "Délai moyen de traitement",
        "unite": "jours",
        "sens": "Baisse",
        "valeur_initiale": 30.0,
        "cible": 15.0,
        "echeance": dt.date(2018, 12, 31),
        "mois_2018_03": 28.0,
        "mois_2018_04": 26.5,
    }
    return row | changes


def roadmap_tables(**changes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    tables = {
        "t_actions": [
            {"code": "A3.1", "intitule": "Dématérialisation des procédures"},
            {"code": "A3.2", "intitule": "Projet d'administration"},
        ],
        "t_acteurs": [{"nom": "Sandrine Lavergne", "role": "Pilote"}],
        "t_calendrier": [
            {"jalon": "Diagnostic", "date_prevue": dt.date(2018, 3, 31), "statut": "Prévu"}
        ],
        "t_moyens": [{"nature": "Financiers", "montant_eur": 5000.0}],
        "t_livrables": [{"livrable": "Guide des procédures", "statut": "En cours"}],
    }
    return tables | changes


def workbook(
    settings: Settings,
    kind: str,
    name: str,
    fields: dict[str, Any],
    tables: dict[str, list[dict[str, Any]]] | None = None,
) -> ReadOutcome:
    """A READ outcome as the reader would hand it over, with provenance for every value."""
    spec = template_spec(kind, settings)
    cells = {
        f.id: RawCell(fields.get(f.id), spec.main_sheet, f"C{FIRST_FIELD_ROW + i}")
        for i, f in enumerate(spec.fields)
    }
    frames, letters, sheets = {}, {}, {}
    for table in spec.tables:
        ids = [f.id for f in table.columns]
        rows = (tables or {}).get(table.name, [])
        index = pd.Index(range(FIRST_TABLE_ROW, FIRST_TABLE_ROW + len(rows)), name="row")
        frames[table.name] = pd.DataFrame(
            [[row.get(i) for i in ids] for row in rows], columns=ids, index=index, dtype=object
        )
        letters[table.name] = {fid: _letter(n) for n, fid in enumerate(ids)}
        sheets[table.name] = table.sheet
    source = SourceFile(Path(name), name, 1000, "0" * 64, dt.datetime(2018, 5, 20, 9, 0))
    data = WorkbookData(source, kind, "1.0", cells, frames, sheets, letters)
    return ReadOutcome(source, ReadStatus.READ, data)


def action(settings: Settings, name: str = "fiche_A3.2.xlsx", *, fields=None, **tables):
    tables.setdefault("t_taches", [task()])
    tables.setdefault("t_indicateurs", [indicator()])
    return workbook(settings, ACTION, name, action_fields(settings, **(fields or {})), tables)


def roadmap(settings: Settings, name: str = "feuille_de_route_axe3.xlsx", *, fields=None, **tables):
    return workbook(
        settings, ROADMAP, name, roadmap_fields(**(fields or {})), roadmap_tables(**tables)
    )


def run(settings: Settings, *outcomes: ReadOutcome, period: str = PERIOD):
    return validate.validate_batch(list(outcomes), settings, period=period, today=TODAY)


def _letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- a clean batch --------------------------------------------------------------------------


def test_a_clean_batch_has_no_issue_and_typed_frames(settings):
    batch = run(settings, action(settings), roadmap(settings))
    assert batch.issues == []
    assert list(batch.actions["fichier"]) == ["fiche_A3.2.xlsx"]
    assert batch.actions.loc[0, "code_action"] == "A3.2"
    assert batch.actions.loc[0, "budget_eur"] == 12500.0
    tasks = batch.tables["t_taches"]
    assert list(tasks.columns[:4]) == ["fichier", "ligne", "axe", "code_action"]
    assert tasks.loc[0, ["ligne", "axe", "code_action"]].tolist() == [5, 3, "A3.2"]
    assert list(batch.tables["t_actions"]["code"]) == ["A3.1", "A3.2"]
    assert "nb_actions" not in batch.roadmaps.columns


# -- every issue type -----------------------------------------------------------------------

ERROR, WARNING = "erreur", "avertissement"
ACTION_FILE, ROADMAP_FILE = "fiche_A3.2.xlsx", "feuille_de_route_axe3.xlsx"

# The normaliser rejects these values first (with its own issue); RAW cases bypass it to
# test the schema's safety net, and test_rejected_values_are_reported_once covers both.
RAW = "raw"
CASES = [
    # (id, builder, expected flat issue[, RAW])
    ("champ-obligatoire",
     lambda s: action(s, fields={"chef_projet": None}),
     (ACTION_FILE, "Fiche action", "C15", "champ-obligatoire", ERROR)),
    ("champ-obligatoire-table",
     lambda s: action(s, t_taches=[task(tache=None)]),
     (ACTION_FILE, "Tâches", "A5", "champ-obligatoire", ERROR)),
    ("valeur-hors-liste",
     lambda s: action(s, fields={"meteo": "Violet"}),
     (ACTION_FILE, "Fiche action", "C10", "valeur-hors-liste", ERROR), RAW),
    ("valeur-hors-liste-axe",
     lambda s: roadmap(s, fields={"axe": 9}),
     (ROADMAP_FILE, "Feuille de route", "C5", "valeur-hors-liste", ERROR)),
    ("code-action-invalide",
     lambda s: action(s, fields={"code_action": "Action 3-2"}),
     (ACTION_FILE, "Fiche action", "C5", "code-action-invalide", ERROR)),
    ("code-action-invalide-feuille-de-route",
     lambda s: roadmap(s, t_actions=[{"code": "3.1", "intitule": "x"}, {"code": "A3.2", "intitule": "y"}]),
     (ROADMAP_FILE, "Actions", "A5", "code-action-invalide", ERROR)),
    ("code-action-axe-incoherent",
     lambda s: action(s, fields={"code_action": "A4.2"}),
     (ACTION_FILE, "Fiche action", "C5", "code-action-axe-incoherent", ERROR)),
    ("code-action-axe-incoherent-feuille-de-route",
     lambda s: roadmap(s, t_actions=[{"code": "A3.1", "intitule": "x"}, {"code": "A5.2", "intitule": "y"}]),
     (ROADMAP_FILE, "Actions", "A6", "code-action-axe-incoherent", ERROR)),
    ("fin-avant-debut",
     lambda s: action(s, t_taches=[task(), task(debut=dt.date(2018, 4, 30), fin=dt.date(2018, 3, 1))]),
     (ACTION_FILE, "Tâches", "D6", "fin-avant-debut", ERROR)),
    ("date-maj-future",
     lambda s: action(s, fields={"date_maj": dt.date(2018, 6, 2)}),
     (ACTION_FILE, "Fiche action", "C8", "date-maj-future", ERROR)),
    ("date-maj-avant-programme",
     lambda s: roadmap(s, fields={"date_maj": dt.date(2017, 1, 5)}),
     (ROADMAP_FILE, "Feuille de route", "C8", "date-maj-avant-programme", ERROR)),
    ("avancement-hors-bornes",
     lambda s: action(s, t_taches=[task(avancement=150)]),
     (ACTION_FILE, "Tâches", "F5", "avancement-hors-bornes", ERROR)),
    ("tache-faite-incomplete",
     lambda s: action(s, t_taches=[task(statut="Fait", avancement=0.8)]),
     (ACTION_FILE, "Tâches", "F5", "tache-faite-incomplete", WARNING)),
    ("cible-incoherente",
     lambda s: action(s, t_indicateurs=[indicator(sens="Hausse")]),
     (ACTION_FILE, "Indicateurs", "E5", "cible-incoherente", WARNING)),
    ("valeur-mois-non-numerique",
     lambda s: action(s, t_indicateurs=[indicator(mois_2018_04="beaucoup")]),
     (ACTION_FILE, "Indicateurs", "J5", "valeur-mois-non-numerique", ERROR), RAW),
    ("valeur-mois-futur",
     lambda s: action(s, t_indicateurs=[indicator(mois_2018_07=20.0)]),
     (ACTION_FILE, "Indicateurs", "M5", "valeur-mois-futur", WARNING)),
    ("nombre-actions-annoncees",
     lambda s: roadmap(s, t_actions=[{"code": "A3.1", "intitule": "Seule action"}]),
     (ROADMAP_FILE, "Actions", "", "nombre-actions-annoncees", WARNING)),
    ("montant-negatif",
     lambda s: roadmap(s, t_moyens=[{"nature": "Financiers", "montant_eur": -200.0}]),
     (ROADMAP_FILE, "Moyens", "C5", "montant-negatif", ERROR)),
    ("date-realisee-future",
     lambda s: roadmap(s, t_calendrier=[{"jalon": "J", "date_prevue": dt.date(2018, 3, 1),
                                         "date_realisee": dt.date(2018, 7, 1), "statut": "Atteint"}]),
     (ROADMAP_FILE, "Calendrier", "C5", "date-realisee-future", ERROR)),
    ("jalon-atteint-sans-date",
     lambda s: roadmap(s, t_calendrier=[{"jalon": "J", "date_prevue": dt.date(2018, 3, 1),
                                         "statut": "Atteint"}]),
     (ROADMAP_FILE, "Calendrier", "C5", "jalon-atteint-sans-date", WARNING)),
    ("type-invalide",
     lambda s: action(s, t_taches=[task(debut="bientôt")]),
     (ACTION_FILE, "Tâches", "C5", "type-invalide", ERROR), RAW),
]  # fmt: skip


@pytest.mark.parametrize(
    "builder, expected, raw", [(*c[1:3], len(c) > 3) for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_names_the_cell_in_french(settings, builder, expected, raw, monkeypatch):
    if raw:
        monkeypatch.setattr(validate, "_normalised", lambda outcome, settings: outcome)
    batch = run(settings, builder(settings))
    assert [issue.flat() for issue in batch.issues] == [expected]
    issue = batch.issues[0]
    cell = expected[2]
    if cell:
        assert f"la cellule {cell} de la feuille « {expected[1]} »" in issue.message
    else:
        assert f"la feuille « {expected[1]} »" in issue.message
    assert issue.axis == 3 or expected[3] == "valeur-hors-liste"
    assert issue.label and issue.field
    _assert_french(issue.message)


def _assert_french(message: str) -> None:
    lowered = message.lower()
    for english in ("failed", "check", "column", "series", "dataframe", "not_nullable", "isin"):
        assert english not in lowered, message
    assert message.endswith(".") and " : " in message


@pytest.mark.parametrize(
    "builder, expected",
    [c[1:3] for c in CASES if len(c) > 3],
    ids=[c[0] for c in CASES if len(c) > 3],
)
def test_rejected_values_are_reported_once(settings, builder, expected):
    issues = run(settings, builder(settings)).issues
    assert [issue.flat()[:3] for issue in issues] == [expected[:3]]
    assert issues[0].severity is Severity.ERROR


def test_every_rule_is_covered_by_a_case():
    from innova_reports.validate.schemas import RULES

    covered = {case[2][3] for case in CASES}
    assert set(RULES) - covered == {"controle-impossible"}


def test_the_seed_example_message(settings):
    outcome = action(settings, t_taches=[task(debut=dt.date(2018, 4, 30), fin=dt.date(2018, 3, 1))])
    (issue,) = run(settings, outcome).issues
    assert issue.message == (
        "La date de fin (01/03/2018) est antérieure à la date de début (30/04/2018) : "
        "corrigez la cellule D5 de la feuille « Tâches »."
    )
    assert (issue.field, issue.label, issue.value) == ("fin", "Fin", "01/03/2018")


def test_messages_show_values_as_typed(settings):
    outcome = action(settings, t_taches=[task(avancement=150)])
    (issue,) = run(settings, outcome).issues
    assert issue.value == "150 %"
    assert "(150 %)" in issue.message


# -- lazy validation, one call per schema ---------------------------------------------------


def test_lazy_validation_reports_every_problem_of_a_file_at_once(settings):
    outcome = action(
        settings,
        fields={"meteo": "Bleu", "chef_projet": None, "date_maj": dt.date(2019, 1, 1)},
        t_taches=[task(avancement=200), task(statut="Fini")],
        t_indicateurs=[indicator(cible=None)],
    )
    flat = {issue.flat()[2:4] for issue in run(settings, outcome).issues}
    assert flat == {
        ("C8", "date-maj-future"),
        ("C10", "valeur-hors-liste"),
        ("C15", "champ-obligatoire"),
        ("F5", "avancement-hors-bornes"),
        ("E6", "valeur-hors-liste"),
        ("E5", "champ-obligatoire"),
    }


def test_one_pandera_call_per_schema_for_a_batch_of_many_files(settings, monkeypatch):
    calls: list[str] = []
    original = pa.DataFrameSchema.validate

    def spy(self, frame, *args, **kwargs):
        calls.append(self.name)
        return original(self, frame, *args, **kwargs)

    monkeypatch.setattr(pa.DataFrameSchema, "validate", spy)
    outcomes = [
        action(settings, f"fiche_{n}.xlsx", t_taches=[task(), task(avancement=300)])
        for n in range(30)
    ] + [roadmap(settings, f"feuille_{n}.xlsx") for n in range(6)]
    batch = validate.validate_batch(outcomes, settings, period=PERIOD, today=TODAY)
    assert sorted(calls) == sorted(
        [ROADMAP, ACTION, "t_actions", "t_acteurs", "t_calendrier", "t_moyens",
         "t_livrables", "t_taches", "t_indicateurs"]
    )  # fmt: skip
    assert len([i for i in batch.issues if i.type == "avancement-hors-bornes"]) == 30
    assert {i.cell for i in batch.issues} == {"F6"}


def test_each_issue_maps_back_to_its_own_file_and_row(settings):
    good = action(settings, "fiche_A3.1.xlsx", fields={"code_action": "A3.1"})
    bad = action(
        settings, "fiche_A3.2.xlsx", t_taches=[task(), task(), task(fin=dt.date(2018, 1, 1))]
    )
    (issue,) = run(settings, good, bad).issues
    assert issue.flat() == ("fiche_A3.2.xlsx", "Tâches", "D7", "fin-avant-debut", ERROR)


# -- what reaches the frames ----------------------------------------------------------------


def test_errors_become_na_and_warnings_keep_their_value(settings):
    outcome = action(
        settings,
        fields={"meteo": "Violet"},
        t_taches=[task(avancement=150), task(statut="Fait", avancement=0.8)],
        t_indicateurs=[indicator(sens="Hausse", mois_2018_07=20.0)],
    )
    batch = run(settings, outcome)
    assert pd.isna(batch.actions.loc[0, "meteo"])
    assert batch.actions.loc[0, "titre"] == "Dématérialisation des procédures"
    tasks = batch.tables["t_taches"]
    assert pd.isna(tasks.loc[0, "avancement"])
    assert tasks.loc[1, "avancement"] == 0.8
    indicators = batch.tables["t_indicateurs"]
    assert indicators.loc[0, "cible"] == 15.0
    assert indicators.loc[0, "mois_2018_07"] == 20.0


def test_action_tables_carry_the_validated_code(settings):
    outcome = action(settings, fields={"code_action": "A4.2"})
    batch = run(settings, outcome)
    assert pd.isna(batch.tables["t_taches"].loc[0, "code_action"])


def test_an_axis_error_does_not_cascade_into_every_code(settings):
    outcome = roadmap(settings, fields={"axe": 9})
    types = [issue.type for issue in run(settings, outcome).issues]
    assert types == ["valeur-hors-liste"]


def test_the_period_decides_which_months_are_in_the_future(settings):
    outcome = action(settings, t_indicateurs=[indicator(mois_2018_07=20.0)])
    assert run(settings, outcome, period="2018-07").issues == []


def test_refused_and_ignored_files_are_listed(settings):
    source = SourceFile(Path("x.xlsx"), "x.xlsx", 0, "0" * 64, dt.datetime(2018, 5, 1))
    refused = ReadOutcome(source, ReadStatus.REFUSED, reason="Le fichier est vide.")
    lock = SourceFile(Path("~$x.xlsx"), "~$x.xlsx", 0, "0" * 64, dt.datetime(2018, 5, 1))
    ignored = ReadOutcome(lock, ReadStatus.IGNORED, reason="Fichier de verrouillage d'Excel.")
    batch = run(settings, refused, ignored)
    assert [(i.file, i.type, str(i.severity), i.message) for i in batch.issues] == [
        ("x.xlsx", "fichier-refuse", ERROR, "Le fichier est vide."),
        ("~$x.xlsx", "fichier-ignore", "info", "Fichier de verrouillage d'Excel."),
    ]
    assert batch.actions.empty and batch.tables["t_taches"].empty


def test_a_value_the_normaliser_rejected_is_not_reported_twice(settings):
    from innova_reports.report.issue import Issue

    outcome = action(settings, fields={"chef_projet": None})
    outcome.data.issues.append(
        Issue(ACTION_FILE, "valeur-illisible", Severity.ERROR, "Valeur illisible : corrigez C15.",
              sheet="Fiche action", cell="C15", field="chef_projet")
    )  # fmt: skip
    assert [i.type for i in run(settings, outcome).issues] == ["valeur-illisible"]


def test_a_bad_period_is_refused(settings):
    with pytest.raises(ValueError, match="AAAA-MM"):
        validate.validate_batch([], settings, period="2018-13", today=TODAY)


# -- end to end: real templates filled by the factories, read back by the reader ----------


def write_filled(outcome: ReadOutcome, folder: Path, settings: Settings) -> Path:
    """The template of the outcome's kind, filled with the outcome's values."""
    data = outcome.data
    fields = {fid: raw.value for fid, raw in data.fields.items() if raw.value is not None}
    tables = {
        name: [{k: v for k, v in row.items() if v is not None} for row in frame.to_dict("records")]
        for name, frame in data.tables.items()
    }
    path = folder / data.source.name
    return factories.make_workbook(path, data.kind, settings, fields=fields, tables=tables)


def real_cell(path: Path, kind: str, settings: Settings, sheet: str, cell: str, field: str) -> str:
    """Where the builder's cell really is in the template, found with openpyxl alone."""
    import openpyxl
    from openpyxl.utils import get_column_letter, range_boundaries

    if not cell:
        return ""
    book = openpyxl.load_workbook(path)
    spec = template_spec(kind, settings)
    table = next((t for t in spec.tables if t.sheet == sheet), None)
    if table is None:
        return book.defined_names[field].attr_text.split("!")[1].replace("$", "")
    min_col, header_row, _, _ = range_boundaries(book[sheet].tables[table.name].ref)
    position = [f.id for f in table.columns].index(field)
    builder_row = int("".join(ch for ch in cell if ch.isdigit()))
    return (
        f"{get_column_letter(min_col + position)}{header_row + 1 + builder_row - FIRST_TABLE_ROW}"
    )


END_TO_END = [c for c in CASES if len(c) == 3]


@pytest.mark.parametrize(
    "builder, expected", [c[1:3] for c in END_TO_END], ids=[c[0] for c in END_TO_END]
)
def test_each_rule_end_to_end_on_a_filled_template(tmp_path, settings, builder, expected):
    outcome = builder(settings)
    path = write_filled(outcome, tmp_path, settings)
    batch = check_files([tmp_path], settings, period=PERIOD, today=TODAY)
    # an identity rule also leaves the file out: said by the selection, as consolidate does
    (issue,) = [i for i in batch.issues if i.type != "fichier-ecarte"]
    left_out = [i for i in batch.issues if i.type == "fichier-ecarte"]
    assert len(left_out) == (issue.field in ("axe", "code_action"))
    file, sheet, cell, issue_type, severity = expected
    where = real_cell(path, outcome.data.kind, settings, sheet, cell, issue.field)
    assert issue.flat() == (file, sheet, where, issue_type, severity)
    if where:
        assert f"la cellule {where} de la feuille « {sheet} »" in issue.message


def test_a_batch_of_real_files_for_six_axes(tmp_path, settings):
    for axis in settings.axis_numbers:
        code = f"A{axis}.1"
        fields = {"code_action": code, "axe": axis}
        write_filled(
            action(settings, f"axe{axis}/fiche_{code}.xlsx", fields=fields), tmp_path, settings
        )
        tables = {
            "t_actions": [
                {"code": f"A{axis}.1", "intitule": "x"},
                {"code": f"A{axis}.2", "intitule": "y"},
            ]
        }
        rm = roadmap(settings, f"axe{axis}/feuille_de_route.xlsx", fields={"axe": axis}, **tables)
        write_filled(rm, tmp_path, settings)
    bad = action(settings, "axe3/fiche_A3.2.xlsx", t_taches=[task(), task(fin=dt.date(2018, 1, 1))])
    write_filled(bad, tmp_path, settings)
    batch = check_files([tmp_path], settings, period=PERIOD, today=TODAY)
    assert [i.flat()[:2] + i.flat()[3:] for i in batch.issues] == [
        ("axe3/fiche_A3.2.xlsx", "Tâches", "fin-avant-debut", ERROR)
    ]
    assert batch.issues[0].axis == 3
    assert sorted(batch.actions["code_action"]) == sorted(
        [f"A{a}.1" for a in range(1, 7)] + ["A3.2"]
    )
    assert len(batch.roadmaps) == 6 and len(batch.tables["t_actions"]) == 12
    assert set(batch.tables["t_taches"]["axe"]) == set(range(1, 7))


@pytest.mark.libreoffice
def test_same_issues_after_a_libreoffice_resave(tmp_path, settings):
    outcome = action(
        settings,
        fields={"chef_projet": None},
        t_taches=[task(debut=dt.date(2018, 4, 30), fin=dt.date(2018, 3, 1))],
        t_indicateurs=[indicator(sens="Hausse")],
    )
    path = write_filled(outcome, tmp_path / "excel", settings)
    resaved = factories.libreoffice_resave(path, tmp_path / "libreoffice")
    excel = check_files([path], settings, period=PERIOD, today=TODAY)
    libre = check_files([resaved], settings, period=PERIOD, today=TODAY)
    assert [i.flat()[1:] for i in libre.issues] == [i.flat()[1:] for i in excel.issues]
    assert {i.type for i in excel.issues} == {
        "champ-obligatoire",
        "fin-avant-debut",
        "cible-incoherente",
    }


def test_check_files_reads_a_file_named_twice_once(tmp_path, settings):
    path = write_filled(action(settings), tmp_path, settings)
    batch = check_files([tmp_path, path], settings, period=PERIOD, today=TODAY)
    assert [o.source.name for o in batch.outcomes] == ["fiche_A3.2.xlsx"]
    assert batch.issues == []


def test_names_are_relative_to_a_relative_folder(tmp_path, settings, monkeypatch):
    write_filled(action(settings, "axe3/fiche_A3.2.xlsx"), tmp_path / "workbooks", settings)
    monkeypatch.chdir(tmp_path)
    batch = check_files([Path("workbooks")], settings, period=PERIOD, today=TODAY)
    assert [o.source.name for o in batch.outcomes] == ["axe3/fiche_A3.2.xlsx"]


@pytest.mark.parametrize("issue_type", list(schemas.RULES))
def test_lazy_message_context_renders_like_the_whole_row(settings, issue_type):
    """Messages are filled from a row whose values are shown only on demand: the text is
    the one the whole row, shown eagerly, gives (a missing key included)."""
    for table in template_spec(ACTION, settings).tables:
        fields = {f.id: f for f in table.columns}
        row = {
            "debut": dt.date(2018, 3, 1), "fin": dt.date(2018, 2, 1), "avancement": 0.5,
            "sens": "Hausse", "valeur_initiale": 12.5, "cible": 3, "axe": 3, "statut": "Fait",
        }  # fmt: skip
        columns = {fid: [None, row.get(fid, "texte")] for fid in [*fields, "axe"]}
        fixed = {"today": "31/05/2018", "label": "Fin", "value": "01/02/2018", "where": "D5"}
        fixed.update(start="01/01/2018", period="mai 2018", expected="une date", allowed="")
        eager = {fid: display_value(columns[fid][1], field.type) for fid, field in fields.items()}
        eager.update(axe=display_value(3), **fixed)
        lazy = validate._Context(fields, columns, 1, fixed)
        assert catalogue.message(issue_type, lazy) == catalogue.message(issue_type, eager)
        assert dict(lazy) == eager


def test_a_required_cell_merged_away_is_said_once(tmp_path, settings):
    """The reader's « cellule fusionnée » says why the title is empty: no « obligatoire » too."""
    import openpyxl

    path = write_filled(action(settings, "fiche_A3.1.xlsx"), tmp_path, settings)
    workbook = openpyxl.load_workbook(path)
    destination = workbook.defined_names["titre"].attr_text.split("!")[1].replace("$", "")
    column = openpyxl.utils.column_index_from_string(destination.rstrip("0123456789"))
    row = destination.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    left = openpyxl.utils.get_column_letter(column - 1)
    workbook["Fiche action"].merge_cells(f"{left}{row}:{destination}")
    workbook.save(path)
    batch = check_files([path], settings, period=PERIOD, today=TODAY)
    assert batch.actions["titre"].tolist() == [None]
    titled = [i for i in batch.issues if i.field == "titre"]
    assert [(i.cell, i.type) for i in titled] == [(destination, "cellule-fusionnee")]

"""Red team: workbooks filled the way strangers fill them, and files nobody should send.

Every workbook is built in code. For each one, the check says in French which cell to
fix, with the right severity, never guesses an ambiguous value, never prints a
traceback, and the rest of the batch is still checked.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from innova_reports.cli import cli
from innova_reports.fields import ACTION, ROADMAP, Field, FieldType, template_spec
from innova_reports.read.normalise import DATE_YEARS, PERCENT_LIMIT, normalise_value
from innova_reports.read.workbook import read_workbook
from innova_reports.report.issue import Severity
from innova_reports.validate.batch import validate_batch
from tests import factories, hostile
from tests.conftest import ROOT, SETTINGS_FILE

TODAY, PERIOD = dt.date(2018, 5, 31), "2018-05"
JARGON = ("Traceback", "NaN", "nan", "dtype", "schema", "None", "pandera", "Series", "index",
          "True", "False", "inf", "Error")  # fmt: skip
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\ufeff]")


def fields_of(settings, **changes):
    return {
        "code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
        "date_maj": dt.date(2018, 5, 15), "statut": "En cours", "meteo": "Vert",
        "service_pilote": settings.services[0], "chef_projet": "Sophie Marty",
    } | changes  # fmt: skip


def task(**changes):
    return {"tache": "Cartographier", "debut": dt.date(2018, 3, 1), "fin": dt.date(2018, 4, 30),
            "statut": "En cours", "avancement": 0.5} | changes  # fmt: skip


def indicator(**changes):
    return {"indicateur": "Délai", "sens": "Baisse", "valeur_initiale": 30, "cible": 10} | changes


def action(folder: Path, settings, name="fiche.xlsx", fields=None, tables=None) -> Path:
    tables = {"t_taches": [task()], "t_indicateurs": [indicator()]} | (tables or {})
    return factories.make_workbook(
        folder / name, ACTION, settings, fields=fields_of(settings, **(fields or {})), tables=tables
    )


def check(paths, settings):
    outcomes = [read_workbook(Path(p), settings) for p in paths]
    return validate_batch(outcomes, settings, period=PERIOD, today=TODAY)


def flat(batch):
    return [issue.flat()[1:] for issue in batch.issues]


def assert_plain_french(text: str) -> None:
    """No jargon or invisible character; the value quoted back « … » may say anything."""
    assert not CONTROL.search(text), text
    text = re.sub("« [^»]* »", "« »", text)
    for word in JARGON:
        assert not re.search(rf"\b{re.escape(word)}\b", text), (word, text)
    assert not CONTROL.search(text), text


# -- what people type, through a real workbook ---------------------------------------------

ACCEPTED = [  # (where, column or field, typed, value after validation)
    ("field", "date_maj", "15 mars 18", dt.date(2018, 3, 15)),
    ("field", "date_maj", "15/03/2018 10:30", dt.date(2018, 3, 15)),
    ("field", "date_maj", "2018-03-15T10:30:00", dt.date(2018, 3, 15)),
    ("field", "date_maj", "le 1er avril 2018", dt.date(2018, 4, 1)),
    ("field", "date_maj", "15/03/2018\u200b", dt.date(2018, 3, 15)),
    ("field", "code_action", "a3.2", "A3.2"),
    ("field", "code_action", "A 03,2 ", "A3.2"),
    ("field", "axe", "Axe 3", 3),
    ("field", "axe", "3.0", 3),
    ("field", "meteo", "VERT\u200b ", "Vert"),
    ("field", "service_pilote", "systemes d\u2019information", "Systèmes d'information"),
    ("field", "titre", "Titre\nsur deux lignes", "Titre sur deux lignes"),
    ("field", "chef_projet", "\u202eSophie\u202c Marty", "Sophie Marty"),
    ("field", "budget_eur", "12 500 €", 12500.0),
    ("field", "budget_eur", "0.001", 0.001),
    ("t_taches", "avancement", "50 %", 0.5),
    ("t_taches", "avancement", "0,5", 0.5),
    ("t_taches", "statut", "en-cours", "En cours"),
    ("t_indicateurs", "cible", "1 234,5", 1234.5),
]


@pytest.mark.parametrize(("where", "column", "typed", "expected"), ACCEPTED)
def test_what_people_type_is_read(tmp_path, settings, where, column, typed, expected):
    if where == "field":
        path = action(tmp_path, settings, fields={column: typed})
    else:
        row = {"t_taches": task, "t_indicateurs": indicator}[where](**{column: typed})
        path = action(tmp_path, settings, tables={where: [row]})
    batch = check([path], settings)
    assert [i for i in batch.issues if i.severity is Severity.ERROR] == []
    frame = batch.actions if where == "field" else batch.tables[where]
    value = frame.loc[0, column]  # numbers sit in nullable numeric columns
    assert value == expected and (
        isinstance(expected, int | float) or type(value) is type(expected)
    )


REJECTED = [  # (where, column, typed, sheet, cell, type, words the message must contain)
    ("field", "date_maj", "mars 2018", "Fiche action", "B8", "valeur-ambigue", "il manque"),
    ("t_taches", "debut", "15/03/0018", "Tâches", "C5", "date-invalide", "l'année 18"),
    ("t_taches", "debut", "01/01/1800", "Tâches", "C5", "date-invalide", "l'année 1800"),
    ("t_taches", "avancement", "1,5", "Tâches", "F5", "valeur-ambigue", "150 %"),
    ("t_taches", "avancement", "12 €", "Tâches", "F5", "pourcentage-invalide", "€"),
    ("t_taches", "avancement", True, "Tâches", "F5", "pourcentage-invalide", "« VRAI »"),
    ("t_taches", "avancement", "150 %", "Tâches", "F5", "avancement-hors-bornes", "150 %"),
    ("t_taches", "avancement", "-10 %", "Tâches", "F5", "avancement-hors-bornes", "-10 %"),
    ("t_taches", "statut", "Orange/Rouge", "Tâches", "E5", "valeur-hors-liste", "À faire"),
    ("t_indicateurs", "cible", "NC", "Indicateurs", "E5", "nombre-invalide", "laissez la cellule vide"),
    ("t_indicateurs", "cible", "-", "Indicateurs", "E5", "nombre-invalide", "laissez la cellule vide"),
    ("t_indicateurs", "cible", "20 à 30", "Indicateurs", "E5", "nombre-invalide", "E5"),
    ("t_indicateurs", "cible", "1.234,5", "Indicateurs", "E5", "nombre-invalide", "virgule"),
    ("t_indicateurs", "cible", "12.500", "Indicateurs", "E5", "valeur-ambigue", "milliers"),
    ("field", "budget_eur", "50 %", "Fiche action", "B25", "nombre-invalide", "signe %"),
    ("t_indicateurs", "cible", "9" * 400, "Indicateurs", "E5", "nombre-invalide", "trop grand"),
    ("t_indicateurs", "cible", False, "Indicateurs", "E5", "nombre-invalide", "« FAUX »"),
    ("field", "axe", "III", "Fiche action", "B6", "nombre-invalide", "1, 2, 3, 4, 5, 6"),
    ("field", "titre", "\u200b\u200b", "Fiche action", "B7", "champ-obligatoire", "complétez"),
    ("field", "code_action", "3.2", "Fiche action", "B5", "code-action-invalide", "A3.2"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "column", "typed", "sheet", "cell", "kind", "words"), REJECTED)
def test_a_doubtful_value_is_an_issue_naming_its_cell(
    tmp_path, settings, where, column, typed, sheet, cell, kind, words
):
    if where == "field":
        path = action(tmp_path, settings, fields={column: typed})
    else:
        row = {"t_taches": task, "t_indicateurs": indicator}[where](**{column: typed})
        path = action(tmp_path, settings, tables={where: [row]})
    batch = check([path], settings)
    assert flat(batch) == [(sheet, cell, kind, "erreur")]
    (issue,) = batch.issues
    assert cell in issue.message and words in issue.message, issue.message
    assert_plain_french(issue.message)
    frame = batch.actions if where == "field" else batch.tables[where]
    assert frame.loc[0, column] is None or frame.loc[0, column] is pd.NA  # never guessed


def test_an_axis_outside_the_list_is_one_issue_not_two(tmp_path, settings):
    batch = check([action(tmp_path, settings, fields={"axe": 7})], settings)
    assert flat(batch) == [("Fiche action", "B6", "valeur-hors-liste", "erreur")]


def test_a_thousand_tasks(tmp_path, settings):
    rows = [task(tache=f"Tâche {n}") for n in range(1_000)]
    batch = check([action(tmp_path, settings, tables={"t_taches": rows})], settings)
    assert batch.issues == [] and len(batch.tables["t_taches"]) == 1_000


# -- what the XML may hold: control characters, NaN, Excel errors, text starting with = ----


def edit_sheet(source: Path, target: Path, sheet: str, edit) -> Path:
    return hostile.rewrite_zip(source, target, {hostile.member_of_sheet(source, sheet): edit})


def cell_xml(cell: str, inner: bytes, kind: bytes = b"") -> tuple[re.Pattern, bytes]:
    pattern = re.compile(rb'<c r="' + cell.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    return pattern, b'<c r="' + cell.encode() + b'"' + kind + b">" + inner + b"</c>"


@pytest.mark.parametrize(
    ("sheet", "cell", "inner", "kind", "expected"),
    [
        ("Indicateurs", "E5", b"<v>NaN</v>", b"", ("nombre-invalide", "erreur")),
        ("Indicateurs", "E5", b"<v>1E+400</v>", b"", ("nombre-invalide", "erreur")),
        ("Indicateurs", "E5", b"<f>1/0</f><v>#DIV/0!</v>", b' t="e"', ("valeur-erreur-excel", "erreur")),
        ("Indicateurs", "E5", b"<v>#N/A</v>", b' t="e"', ("valeur-erreur-excel", "erreur")),
        ("Indicateurs", "E5", b"<f>SUM(A1:A2)</f>", b"", ("formule-sans-valeur", "avertissement")),
        ("Fiche action", "B19", b"<is><t>So_x0007_phie\x1b[2J</t></is>", b' t="inlineStr"', None),
        ("Fiche action", "B7", b'<is><t>=cmd|\' /C calc\'!A0</t></is>', b' t="inlineStr"', None),
        ("Fiche action", "B7", b"<is><t>@SOMME(1;2)</t></is>", b' t="inlineStr"', None),
    ],
)  # fmt: skip
def test_cell_contents_forged_in_the_xml(tmp_path, settings, sheet, cell, inner, kind, expected):
    pattern, replacement = cell_xml(cell, inner, kind)
    path = edit_sheet(
        action(tmp_path, settings, name="a.xlsx"), tmp_path / "forged.xlsx", sheet,
        lambda xml: pattern.sub(replacement, xml, count=1),
    )  # fmt: skip
    batch = check([path], settings)
    if expected is None:  # text is text: kept as typed, minus what nobody can see
        assert batch.issues == []
        value = batch.actions.loc[0, "chef_projet" if cell == "B19" else "titre"]
        typed = inner.decode()[7:-9].replace("_x0007_", "").replace("\x1b", "")
        assert value == typed and not CONTROL.search(value)
        return
    assert flat(batch) == [(sheet, cell, *expected)]
    assert_plain_french(batch.issues[0].message)


def test_a_text_longer_than_a_cell_holds_is_kept_and_flagged(tmp_path, settings):
    text = "Contexte. " * 4_000  # 40 000 characters: only a forged file holds that many
    pattern, replacement = cell_xml(
        "B13", b"<is><t>" + text.encode() + b"</t></is>", b' t="inlineStr"'
    )
    path = edit_sheet(
        action(tmp_path, settings, name="a.xlsx"), tmp_path / "long.xlsx", "Fiche action",
        lambda xml: pattern.sub(replacement, xml, count=1),
    )  # fmt: skip
    batch = check([path], settings)
    assert flat(batch) == [("Fiche action", "B13", "texte-trop-long", "avertissement")]
    assert "39999 caractères" in batch.issues[0].message and "B13" in batch.issues[0].message
    assert batch.actions.loc[0, "contexte"] == text.strip()


# -- a broken template: names, tables, sheets ----------------------------------------------


def edited(source: Path, target: Path, change) -> Path:
    workbook = openpyxl.load_workbook(source)
    change(workbook)
    workbook.save(target)
    return target


def test_a_deleted_name_is_said_once(tmp_path, settings):
    def drop(workbook):
        del workbook.defined_names["chef_projet"]

    path = edited(action(tmp_path, settings), tmp_path / "sans_nom.xlsx", drop)
    batch = check([path], settings)
    assert [(i.type, i.field) for i in batch.issues] == [("champ-introuvable", "chef_projet")]
    assert "Chef de projet" in batch.issues[0].message


def test_a_name_pointing_at_ref_is_said_once(tmp_path, settings):
    def broken(workbook):
        workbook.defined_names["titre"].attr_text = "'Fiche action'!#REF!"

    batch = check([edited(action(tmp_path, settings), tmp_path / "ref.xlsx", broken)], settings)
    assert [(i.type, i.field, i.severity) for i in batch.issues] == [
        ("champ-introuvable", "titre", Severity.ERROR)
    ]


def test_a_table_turned_into_a_range(tmp_path, settings):
    def to_range(workbook):
        del workbook["Tâches"].tables["t_taches"]

    batch = check([edited(action(tmp_path, settings), tmp_path / "plage.xlsx", to_range)], settings)
    # found under its headers: its task is read, and the group told
    assert flat(batch) == [("Tâches", "A4", "tableau-en-plage", "avertissement")]
    assert batch.tables["t_taches"]["tache"].tolist() == ["Cartographier"]
    assert "ligne 4 de la feuille « Tâches »" in batch.issues[0].message


def test_a_table_gone_with_its_headers_is_lost_and_said(tmp_path, settings):
    def to_nothing(workbook):
        del workbook["Tâches"].tables["t_taches"]
        for cell in workbook["Tâches"][4]:
            cell.value = None

    batch = check(
        [edited(action(tmp_path, settings), tmp_path / "rien.xlsx", to_nothing)], settings
    )
    assert flat(batch) == [("Tâches", "", "tableau-introuvable", "erreur")]
    assert "Recopiez vos saisies" in batch.issues[0].message


def test_an_empty_template_sent_back(tmp_path, settings):
    path = factories.make_workbook(tmp_path / "vide.xlsx", ACTION, settings)
    batch = check([path], settings)
    required = [f for f in template_spec(ACTION, settings).fields if f.required]
    assert [(i.type, i.field) for i in batch.issues] == [
        ("champ-obligatoire", f.id) for f in required
    ]
    assert all(i.cell and i.cell in i.message for i in batch.issues)


def test_an_extra_sheet_and_hidden_rows_change_nothing(tmp_path, settings):
    def tamper(workbook):
        workbook.create_sheet("Mes notes")["A1"] = "brouillon"
        workbook["Tâches"].row_dimensions[5].hidden = True

    batch = check([edited(action(tmp_path, settings), tmp_path / "x.xlsx", tamper)], settings)
    assert batch.issues == [] and len(batch.tables["t_taches"]) == 1


def test_a_roadmap_and_two_sheets_with_the_same_code_are_all_read(tmp_path, settings):
    roadmap = factories.make_workbook(
        tmp_path / "fdr.xlsx", ROADMAP, settings,
        fields={"axe": 3, "groupe": "Process", "pilote": "Paul", "date_maj": dt.date(2018, 5, 2)},
        tables={"t_actions": [{"code": "a3.1", "intitule": "Un"}, {"code": "A3.2", "intitule": "Deux"}]},
    )  # fmt: skip
    first, second = action(tmp_path, settings, "a.xlsx"), action(tmp_path, settings, "b.xlsx")
    batch = check([roadmap, first, second], settings)
    assert batch.issues == []
    assert list(batch.tables["t_actions"]["code"]) == ["A3.1", "A3.2"]
    assert list(batch.actions["code_action"]) == ["A3.2", "A3.2"]  # the conflict is consolidate's


# -- the batch goes on, through the CLI ------------------------------------------------------


def hostile_folder(folder: Path, settings) -> Path:
    folder.mkdir()
    good = action(folder, settings, "bonne.xlsx")
    hostile.empty(folder / "vide.xlsx")
    hostile.csv_file(folder / "export.xlsx")
    hostile.truncated(good, folder / "coupee.xlsx")
    hostile.excel_lock(folder / "~$bonne.xlsx")
    action(folder, settings, "fausse.xlsx", fields={"meteo": "Violet", "budget_eur": "NC"})
    return folder


def test_check_goes_on_after_broken_files(tmp_path, settings):
    folder = hostile_folder(tmp_path / "recus", settings)
    result = CliRunner().invoke(
        cli, ["check", str(folder), "--period", PERIOD, "--settings", str(SETTINGS_FILE)]
    )
    assert result.exit_code == 1, result.output
    # the two are the same action: check says which one consolidate keeps, and why
    assert ("bonne.xlsx — 1 avertissement — ne sera pas consolidé : doublon : remplacé par "
            "fausse.xlsx") in result.output  # fmt: skip
    assert "fausse.xlsx — 2 erreurs — sera consolidé" in result.output
    assert "Fiche action › B10" in result.output and "Fiche action › B25" in result.output
    for name in ("vide.xlsx", "export.xlsx", "coupee.xlsx"):
        assert f"{name} — refusé : " in result.output
    assert "~$bonne.xlsx — ignoré : " in result.output
    assert_plain_french(result.output)


def test_check_as_a_subprocess_json_is_stable(tmp_path, settings):
    folder = hostile_folder(tmp_path / "recus", settings)
    command = [sys.executable, "-m", "innova_reports", "check", str(folder), "--period", PERIOD,
               "--settings", str(SETTINGS_FILE), "--json"]  # fmt: skip
    runs = [subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
            for _ in range(2)]  # fmt: skip
    assert [run.returncode for run in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout and "Traceback" not in runs[0].stderr
    document = json.loads(runs[0].stdout)
    statuses = {f["file"]: f["status"] for f in document["files"]}
    assert statuses == {"bonne.xlsx": "lu", "coupee.xlsx": "refusé", "export.xlsx": "refusé",
                        "fausse.xlsx": "lu", "vide.xlsx": "refusé", "~$bonne.xlsx": "ignoré"}  # fmt: skip
    wrong = next(f for f in document["files"] if f["file"] == "fausse.xlsx")
    assert [(i["cell"], i["type"]) for i in wrong["issues"]] == [
        ("B10", "valeur-hors-liste"), ("B25", "nombre-invalide")
    ]  # fmt: skip


def test_libreoffice_resave_keeps_every_issue(tmp_path, settings):
    path = action(
        tmp_path, settings, "lo.xlsx",
        fields={"date_maj": "15 mars 18", "code_action": "a3.2"},
        tables={"t_taches": [task(debut="mars 2018", avancement="1,5"), task(statut="FAIT ")]},
    )  # fmt: skip
    resaved = factories.libreoffice_resave(path, tmp_path / "lo")
    for batch in (check([path], settings), check([resaved], settings)):
        assert flat(batch) == [
            ("Tâches", "C5", "valeur-ambigue", "erreur"),
            ("Tâches", "F5", "valeur-ambigue", "erreur"),
            ("Tâches", "F6", "tache-faite-incomplete", "avertissement"),
        ]
        assert batch.actions.loc[0, "date_maj"] == dt.date(2018, 3, 15)
        assert batch.actions.loc[0, "code_action"] == "A3.2"


# -- properties of the normaliser ----------------------------------------------------------

T = FieldType
FIELDS = [
    Field("titre", "Titre", "", T.TEXT), Field("code_action", "Code", "", T.TEXT),
    Field("contexte", "Contexte", "", T.LONG_TEXT), Field("fin", "Fin", "", T.DATE),
    Field("axe", "Axe", "", T.INTEGER, choices=(1, 2, 3, 4, 5, 6)),
    Field("cible", "Cible", "", T.DECIMAL), Field("budget_eur", "Budget", "", T.MONEY),
    Field("avancement", "Avancement", "", T.PERCENT),
    Field("meteo", "Météo", "", T.CHOICE, choices=("Vert", "Orange", "Rouge")),
]  # fmt: skip
ANY_VALUE = st.one_of(
    st.none(), st.text(), st.text(alphabet="0123456789 ,.-+%€/e"), st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.binary(),
    st.datetimes(), st.dates(), st.times(), st.timedeltas(), st.decimals(),
)  # fmt: skip


@hypothesis_settings(max_examples=400, deadline=None)
@given(value=ANY_VALUE, field=st.sampled_from(FIELDS))
def test_the_normaliser_never_raises_and_types_what_it_accepts(value, field):
    typed, problem = normalise_value(value, field)
    if problem is not None and problem.severity is Severity.ERROR:
        assert typed is None and problem.reason and problem.type
        return
    if typed is None:
        return
    if field.type is T.DATE:
        assert type(typed) is dt.date and DATE_YEARS[0] <= typed.year <= DATE_YEARS[1]
    elif field.type is T.PERCENT:
        assert type(typed) is float and -PERCENT_LIMIT <= typed <= PERCENT_LIMIT
    elif field.type in (T.DECIMAL, T.MONEY):
        assert type(typed) is float and math.isfinite(typed)
    elif field.type is T.INTEGER:
        assert type(typed) is int
    elif field.type is T.CHOICE:
        assert typed in field.choices
    else:
        assert type(typed) is str and typed == typed.strip() and not CONTROL.search(typed)
        assert "\n" not in typed or field.type is T.LONG_TEXT


@given(st.integers(min_value=-1000, max_value=1000), st.sampled_from(["%", " %", "\u00a0%"]))
def test_a_percentage_typed_with_its_sign(number, sign):
    typed, problem = normalise_value(f"{number}{sign}", FIELDS[7])
    assert problem is None and typed == pytest.approx(number / 100)


def test_every_kind_of_value_in_a_whole_workbook_never_stops_the_read(tmp_path, settings):
    odd = ["15/3/2018", "mars 2018", "1e3", "½", "inf", "nan", "NC", "?", "-", "III", True,
           dt.datetime(2018, 3, 15, 10, 30), dt.time(10, 30), -1, 10**15, "", " ", "\u200b"]  # fmt: skip
    rows = [{column.id: odd[(n + k) % len(odd)] for k, column in enumerate(
        template_spec(ACTION, settings).table("t_taches").columns)} for n in range(len(odd))]  # fmt: skip
    fields = {f.id: odd[n % len(odd)] for n, f in enumerate(template_spec(ACTION, settings).fields)}
    path = factories.make_workbook(
        tmp_path / "tout.xlsx", ACTION, settings, fields=fields, tables={"t_taches": rows}
    )
    batch = check([path], settings)
    assert batch.issues and all(i.sheet and i.message for i in batch.issues)
    for issue in batch.issues:
        assert_plain_french(issue.message)
        assert not issue.cell or issue.cell in issue.message

"""Pre-filled workbooks: what they hold, where they go, and the round trip through them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from innova_reports import fields as fd
from innova_reports.cli import cli
from innova_reports.consolidate.snapshot import build_snapshot
from innova_reports.paths import prefilled_file
from innova_reports.pipeline.check import check_files
from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.report.issue import Severity
from innova_reports.template.prefill import (
    prefill_documents,
    workbook_of,
    write_prefilled,
)
from tests.annotate_parts import marks
from tests.snapshot_factory import make_snapshot
from tests.test_consolidate import TODAY, samples_copy, write_action

DATA_TABLES = ("feuilles_de_route", "actions", "actions_annoncees", "taches", "indicateurs",
               "acteurs", "calendrier", "moyens", "livrables")  # fmt: skip
DERIVED = ("fichier", "ligne", "completude", "part_cible")  # not typed by a group


def comparable(frame: pd.DataFrame) -> list[tuple]:
    """A table's rows as the group typed them: no file, row or derived column; an empty
    text is no value; numbers compared as numbers."""
    kept = [c for c in frame.columns if c not in DERIVED]
    rows = []
    for record in frame[kept].to_dict("records"):
        row = []
        for column in kept:
            value = record[column]
            if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
                value = None
            elif isinstance(value, dt.datetime):
                value = value.date()
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                value = round(float(value), 9)
            row.append((column, value))
        rows.append(tuple(row))
    return rows


def reread(snapshot, settings, folder: Path, *, only_sent=True):
    """Write the pre-filled workbooks, read them back, consolidate them: a snapshot."""
    documents = [d for d in prefill_documents(snapshot, settings) if d.source or not only_sent]
    paths = []
    for document in documents:
        path = folder / document.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(workbook_of(document, settings))
        paths.append(path)
    batch = check_files(paths, settings, period=snapshot.period, today=snapshot.reporting_date,
                        root=folder)  # fmt: skip
    rebuilt = build_snapshot(batch, settings, snapshot.period, snapshot.reporting_date, None)
    return documents, batch, rebuilt


# -- on the samples ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def consolidated(settings, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prefill")
    result = consolidate_period(settings, "2018-05", workbooks_dir=samples_copy(tmp),
                                output_dir=tmp / "output", today=TODAY)  # fmt: skip
    return result, write_prefilled(result.snapshot, settings, result.period_dir)


def test_one_workbook_per_document_in_a_folder_per_axis(consolidated):
    result, prefilled = consolidated
    names = sorted(str(p.relative_to(prefilled.folder)) for p in prefilled.written)
    assert prefilled.folder == result.period_dir / "a-remplir"
    assert "axe-3/feuille_de_route_axe-3.xlsx" in names and "axe-3/fiche_action_A3.2.xlsx" in names
    assert len([n for n in names if "feuille_de_route" in n]) == 6
    assert len([n for n in names if "fiche_action" in n]) == 13  # the 12 sheets and A4.2
    assert all((prefilled.folder / n).is_file() for n in names)


def test_an_announced_action_without_a_sheet_gets_one(consolidated, settings):
    _, prefilled = consolidated
    wb = openpyxl.load_workbook(prefilled.path_of(fd.ACTION, 4, "A4.2"))
    sheet = wb["Fiche action"]
    assert (sheet["B5"].value, sheet["B6"].value) == ("A4.2", 4)
    assert sheet["B7"].value == "Circulation de l'information entre services"
    assert sheet["B8"].value is None  # the rest is the group's to fill in


def test_pre_filled_workbooks_are_the_current_template_version(consolidated, settings):
    _, prefilled = consolidated
    wb = openpyxl.load_workbook(prefilled.path_of(fd.ACTION, 1, "A1.1"))
    version = fd.template_spec(fd.ACTION, settings).version
    assert wb.defined_names["innova_version"].attr_text == f'"{version}"'
    indicators = wb["Indicateurs"]
    headers = [c.value for c in indicators[4] if c.value]
    assert headers[-1] == fd.month_label(settings.months[-1])
    assert [indicators.cell(5, 7 + k).value for k in range(6)] == [21, 20, 18, 16, 15, None]


def test_samples_come_back_unchanged_and_check_clean(consolidated, settings, tmp_path):
    result, _ = consolidated
    _, batch, rebuilt = reread(result.snapshot, settings, tmp_path)
    for name in DATA_TABLES:
        assert comparable(rebuilt.table(name)) == comparable(result.snapshot.table(name)), name
    assert [i.flat() for i in batch.issues if i.severity is Severity.ERROR] == []


def test_the_command_writes_the_folder(consolidated, settings):
    result, _ = consolidated
    output = result.period_dir.parent
    run = CliRunner().invoke(cli, ["prefill", "--period", "2018-05", "--output", str(output)])
    assert run.exit_code == 0, run.output
    assert "19 classeurs pré-remplis" in run.output
    missing = CliRunner().invoke(cli, ["prefill", "--period", "2018-03", "--output", str(output)])
    assert missing.exit_code == 1 and "n'a pas été consolidée" in missing.output


# -- a value refused this month ----------------------------------------------------------


def test_a_refused_value_is_put_back_as_typed_marked_and_noted(settings, tmp_path):
    workbooks = samples_copy(tmp_path)
    path = workbooks / "axe-1" / "fiche_action_A1.1.xlsx"
    write_action(path, settings, "A1.1", budget_eur="beaucoup", date_maj="31/02/2018")
    result = consolidate_period(settings, "2018-05", workbooks_dir=workbooks,
                                output_dir=tmp_path / "output", today=TODAY)  # fmt: skip
    refused = result.snapshot.table("actions")
    row = refused[refused["code_action"] == "A1.1"].iloc[0]
    assert pd.isna(row["budget_eur"]) and pd.isna(row["date_maj"])  # blank in the snapshot
    prefilled = write_prefilled(result.snapshot, settings, result.period_dir)
    wb = openpyxl.load_workbook(prefilled.path_of(fd.ACTION, 1, "A1.1"))
    sheet = wb["Fiche action"]
    for cell, typed in (("B25", "beaucoup"), ("B8", "31/02/2018")):
        assert sheet[cell].value == typed
        assert sheet[cell].comment is not None and typed in sheet[cell].comment.text
        assert "reprise telle que vous l'aviez saisie" in sheet[cell].comment.text
    assert list(marks(prefilled.path_of(fd.ACTION, 1, "A1.1"), "Fiche action")) == ["B8", "B25"]
    again = check_files([prefilled.path_of(fd.ACTION, 1, "A1.1")], settings, period="2018-05",
                        today=TODAY)  # fmt: skip
    errors = {(i.cell, i.field) for i in again.issues if i.severity is Severity.ERROR}
    assert errors == {("B25", "budget_eur"), ("B8", "date_maj")}  # still to fix, not lost


def test_a_refused_table_value_goes_back_to_its_row(settings, tmp_path):
    workbooks = samples_copy(tmp_path)
    from innova_reports.template.samples import ACTIONS

    action = next(a for a in ACTIONS if a.code == "A2.1")
    tasks = list(action.taches)
    tasks[2] = (*tasks[2][:5], "presque fini", tasks[2][6])  # « avancement » in words
    indicators = list(action.indicateurs)
    indicators[1] = (*indicators[1][:6], (118, "cent", 109, 102, 97))
    write_action(workbooks / "axe-2" / "fiche_action_A2.1.xlsx", settings, "A2.1",
                 taches=tuple(tasks), indicateurs=tuple(indicators))  # fmt: skip
    result = consolidate_period(settings, "2018-05", workbooks_dir=workbooks,
                                output_dir=tmp_path / "output", today=TODAY)  # fmt: skip
    prefilled = write_prefilled(result.snapshot, settings, result.period_dir)
    wb = openpyxl.load_workbook(prefilled.path_of(fd.ACTION, 2, "A2.1"))
    assert wb["Tâches"]["F7"].value == "presque fini" and wb["Tâches"]["F7"].comment
    assert wb["Indicateurs"]["H6"].value == "cent" and wb["Indicateurs"]["H6"].comment
    assert wb["Indicateurs"]["G6"].value == 118 and wb["Indicateurs"]["G6"].comment is None


# -- the round trip, over generated snapshots ---------------------------------------------

WORDS = st.text(alphabet=string.ascii_letters + "éèàçœÉ'«»<>&=\"-:;%€0123456789", min_size=1,
                max_size=12)  # fmt: skip
TEXTS = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
LONG_TEXTS = st.lists(TEXTS, min_size=1, max_size=3).map("\n".join)


@st.composite
def snapshots(draw, settings):
    period = draw(st.sampled_from(["2018-03", "2018-05", "2018-09"]))
    empty = tuple(sorted(draw(st.sets(st.sampled_from(settings.axis_numbers), max_size=3))))
    snapshot = make_snapshot(settings, period, empty_axes=empty,
                             indicators_per_action=draw(st.integers(0, 4)),
                             with_values=draw(st.booleans()), with_evolutions=False)  # fmt: skip
    tables = dict(snapshot.tables)
    actions = tables["actions"].copy()
    for column, strategy in (("contexte", LONG_TEXTS), ("chef_projet", TEXTS),
                             ("moyens_materiels", LONG_TEXTS)):  # fmt: skip
        actions[column] = [draw(strategy) for _ in range(len(actions))]
    actions["budget_eur"] = [
        draw(st.one_of(st.none(), st.integers(0, 10**7))) for _ in actions.index
    ]
    tables["actions"] = actions
    tasks = tables["taches"].copy()
    tasks["commentaire"] = [draw(st.one_of(st.none(), TEXTS)) for _ in range(len(tasks))]
    tables["taches"] = tasks
    return dataclasses.replace(snapshot, tables=tables)


@hypothesis_settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                            HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
def test_reading_a_pre_filled_workbook_gives_back_its_snapshot(data, settings, tmp_path_factory):
    snapshot = data.draw(snapshots(settings))
    folder = tmp_path_factory.mktemp("roundtrip")
    documents, batch, rebuilt = reread(snapshot, settings, folder)
    for name in DATA_TABLES:
        assert comparable(rebuilt.table(name)) == comparable(snapshot.table(name)), name
    errors = [i.flat() for i in batch.issues if i.severity is Severity.ERROR]
    assert errors == []  # untouched, a pre-filled workbook checks clean
    assert {d.source for d in documents} == set(snapshot.table("actions")["fichier"]) | set(
        snapshot.table("feuilles_de_route")["fichier"]
    )


def test_paths_are_safe_file_names():
    assert str(prefilled_file(fd.ACTION, 3, "A3.2")) == "axe-3/fiche_action_A3.2.xlsx"
    assert str(prefilled_file(fd.ROADMAP, 5)) == "axe-5/feuille_de_route_axe-5.xlsx"
    assert str(prefilled_file(fd.ACTION, 1, "../A1/1")) == "axe-1/fiche_action_.._A1_1.xlsx"


def test_a_month_no_longer_followed_is_not_written_but_stays_in_the_history(settings):
    snapshot = make_snapshot(settings, "2018-05")
    shorter = dataclasses.replace(settings, months=settings.months[2:])
    documents = prefill_documents(snapshot, shorter)
    action = next(d for d in documents if d.code == "A1.1")
    row = action.values["tables"]["t_indicateurs"][0]
    assert "mois_2018_01" not in row and "mois_2018_03" in row
    assert snapshot.table("indicateurs")["mois"].eq("2018-01").any()


@pytest.mark.libreoffice
def test_pre_filled_workbooks_saved_by_libreoffice_read_the_same(consolidated, settings, tmp_path):
    """What a group using LibreOffice sends back: the same values, no new erreur."""
    from tests.factories import libreoffice_resave_many

    _, prefilled = consolidated
    picked = [prefilled.path_of(fd.ACTION, 1, "A1.1"), prefilled.path_of(fd.ROADMAP, 3),
              prefilled.path_of(fd.ACTION, 4, "A4.2")]  # fmt: skip
    resaved = libreoffice_resave_many(picked, tmp_path / "lo")
    ours = check_files(picked, settings, period="2018-05", today=TODAY)
    theirs = check_files(resaved, settings, period="2018-05", today=TODAY)
    for before, after in zip(ours.outcomes, theirs.outcomes, strict=True):
        assert {k: v.value for k, v in after.data.fields.items()} == {
            k: v.value for k, v in before.data.fields.items()
        }
        for name, frame in before.data.tables.items():
            assert after.data.tables[name].values.tolist() == frame.values.tolist(), name
    assert sorted(i.flat()[1:] for i in theirs.issues) == sorted(i.flat()[1:] for i in ours.issues)

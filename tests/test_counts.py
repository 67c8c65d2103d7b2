"""The key counts of a period: the same numbers as the sum of the dashboards' axis tiles,
computed without the plotting stack."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest

from innova_reports.consolidate.counts import (
    COUNT_KEYS,
    AxisCounts,
    axis_counts,
    indicator_groups,
    key_counts,
    key_counts_of,
    severity_counts,
    table_rows,
)
from innova_reports.dashboards.synthesis import COUNT_LABELS, period_counts
from innova_reports.views import build_axis_view
from tests.snapshot_factory import (
    EdgeIndicator,
    EdgeTask,
    make_edge_snapshot,
    make_large_axis_snapshot,
    make_snapshot,
)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"empty_axes": ()},
        {"empty_axes": (2, 3), "with_values": False},
        {"many_indicators_axis": 3},
    ],
)
@pytest.mark.parametrize("period", ["2018-03", "2018-05", "2018-12"])
def test_key_counts_are_the_sum_of_the_axis_tiles(settings, period, options):
    snapshot = make_snapshot(settings, period, **options)
    counts = key_counts(snapshot, settings)
    assert counts == period_counts(snapshot, settings)
    assert counts["tasks_done"] > 0 or options.get("empty_axes") == ()
    assert tuple(COUNT_LABELS) == COUNT_KEYS


def test_key_counts_of_a_large_axis(settings):
    snapshot = make_large_axis_snapshot(settings, actions=60, tasks_per_action=10)
    counts = key_counts(snapshot, settings)
    assert counts == period_counts(snapshot, settings)
    assert counts["actions_received"] == 60
    assert counts["tasks_late"] == 2 * 20  # two late tasks in every third action


def test_rows_of_an_unknown_axis_or_with_odd_values_count_as_the_tiles_do(settings):
    snapshot = make_snapshot(settings, "2018-05")
    tasks = snapshot.tables["taches"].copy()
    extra = tasks.iloc[:3].copy()
    extra["axe"] = [99, "2", 2.0]  # unknown axis; axis as text and as a float still count
    extra["statut"] = [" Fait ", "Fait", None]
    extra["en_retard"] = [True, pd.NA, "oui"]
    snapshot.tables["taches"] = pd.concat([tasks, extra], ignore_index=True).astype(object)
    counts = key_counts(snapshot, settings)
    assert counts == period_counts(snapshot, settings)
    assert counts["tasks_done"] == key_counts(make_snapshot(settings), settings)["tasks_done"] + 1


def test_counting_imports_no_plotting_library():
    code = (
        "import sys; import innova_reports.consolidate.history, innova_reports.consolidate.counts; "
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', "
        "'innova_reports.dashboards'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the figures of an axis, pinned on edge-case snapshots ------------------------------------

D = dt.date
HALF_WAY_DEADLINE = D(2018, 10, 28)  # on 31/05/2018, exactly half the time to it has elapsed


def test_indicators_are_counted_once_each_and_judged_at_their_boundaries(settings):
    snapshot = make_edge_snapshot(settings, indicators=(
        EdgeIndicator("exactly on time", deadline=HALF_WAY_DEADLINE,
                      values=(("2018-04", 10.0), ("2018-05", 50.0)), line=5),
        EdgeIndicator("just behind", deadline=HALF_WAY_DEADLINE, values=(("2018-05", 49.99),),
                      line=6),
        EdgeIndicator("no deadline", deadline=None, values=(("2018-05", 42.0),), line=7),
        EdgeIndicator("falling", "Baisse", 21.0, 10.0, values=(("2018-05", 15.0),), line=8),
        EdgeIndicator("falling, no baseline", "Baisse", None, 10.0, values=(("2018-05", 5.0),),
                      line=9),
        EdgeIndicator("deadline passed", deadline=D(2018, 3, 31), values=(("2018-05", 99.0),),
                      line=10),
        EdgeIndicator("reached after its deadline", deadline=D(2018, 3, 31),
                      values=(("2018-05", 100.0),), line=11),
        EdgeIndicator("deadline on the start", deadline=D(2018, 1, 1),
                      values=(("2018-05", 90.0),), line=12),
        EdgeIndicator("wrong side", initial=50.0, target=10.0, values=(("2018-05", 5.0),), line=13),
        EdgeIndicator("target equal to baseline", initial=10.0, target=10.0,
                      values=(("2018-05", 10.0),), line=14),
        EdgeIndicator("no value yet", line=15),
        # a later row for the same month replaces the value: 80 then 30 (off track at 31/05)
        EdgeIndicator("corrected", values=(("2018-05", 80.0), ("2018-05", 30.0)), line=16),
    ))  # fmt: skip
    counts = axis_counts(snapshot, settings, 1)
    on_track = ["exactly on time", "no deadline", "falling", "reached after its deadline"]
    assert counts.indicators == 12  # one per indicator, whatever its number of rows
    assert counts.indicators_measured == 11  # all but « no value yet »
    assert counts.indicators_on_track == len(on_track)
    assert key_counts(snapshot, settings)["indicators_on_track"] == len(on_track)
    judged = {i.name: i.judgement for i in build_axis_view(snapshot, settings, 1).indicators}
    assert [name for name, text in judged.items() if text == "dans la trajectoire"] == on_track
    assert [name for name, text in judged.items() if text == "pas encore mesurable"] == [
        "falling, no baseline", "wrong side", "target equal to baseline", "no value yet"]  # fmt: skip


def test_tasks_counted_from_the_snapshot_late_flag_and_done_status(settings):
    tasks = (
        EdgeTask(D(2018, 5, 31), "En cours", late=False),
        EdgeTask(D(2018, 5, 30), "En cours", late=True),
        EdgeTask(D(2018, 1, 5), "Fait"),
        EdgeTask(D(2018, 1, 5), "Abandonnée"),
        EdgeTask(None, "À faire"),
        EdgeTask(D(2018, 4, 1), "Fait", action="A2.1"),
        EdgeTask(D(2018, 4, 1), None, late=True, action="A2.1"),
    )
    snapshot = make_edge_snapshot(settings, tasks=tasks, announced=("A1.1", "A2.1"),
                                  received=("A1.1", "A2.1"))  # fmt: skip
    one, two, both = (axis_counts(snapshot, settings, axis) for axis in (1, 2, None))
    assert (one.tasks, one.tasks_done, one.tasks_late) == (5, 1, 1)
    assert (two.tasks, two.tasks_done, two.tasks_late) == (2, 1, 1)
    assert (both.tasks, both.tasks_done, both.tasks_late) == (7, 2, 2)
    assert key_counts(snapshot, settings) == {"period": "2018-05", "actions_received": 2,
                                              "tasks_done": 2, "tasks_late": 2,
                                              "indicators_on_track": 0}  # fmt: skip


def test_announced_and_received_actions(settings):
    """Announced: the roadmap's codes and the sheets received that no roadmap announces,
    each once; the list « without a sheet » names only announced codes with no sheet."""
    snapshot = make_edge_snapshot(
        settings, announced=("A1.10", "A1.1", "A1.2", "A2.1"), received=("A1.3", "A1.1", "A2.1"),
    )  # fmt: skip
    counts = axis_counts(snapshot, settings, 1)
    assert counts.actions_received == 2
    assert counts.actions_announced == 4  # A1.1, A1.2, A1.10 and A1.3 (received, not announced)
    assert axis_counts(snapshot, settings, 2).actions_announced == 1
    assert axis_counts(snapshot, settings, None).actions_announced == 5
    view = build_axis_view(snapshot, settings, 1)
    assert view.announced_without_sheet == [("A1.2", "Action A1.2"), ("A1.10", "Action A1.10")]
    assert build_axis_view(snapshot, settings, 2).announced_without_sheet == []
    assert [a.code for a in view.actions] == ["A1.1", "A1.3"]


def test_an_announced_code_typed_twice_or_blank_is_not_counted_twice(settings):
    snapshot = make_edge_snapshot(settings, announced=("A1.1", "A1.2"), received=("A1.1",))
    frame = snapshot.tables["actions_annoncees"]
    extra = frame.iloc[[1, 1, 1]].copy()
    extra["code"] = ["A1.2", " A1.2 ", None]
    snapshot.tables["actions_annoncees"] = pd.concat([frame, extra], ignore_index=True)
    assert axis_counts(snapshot, settings, 1).actions_announced == 2
    assert build_axis_view(snapshot, settings, 1).announced_without_sheet == [
        ("A1.2", "Action A1.2")]  # fmt: skip


def test_weathers_are_counted_per_action_and_blank_ones_left_out(settings):
    snapshot = make_edge_snapshot(
        settings, announced=("A1.1", "A1.2", "A1.3", "A1.4"),
        received=("A1.1", "A1.2", "A1.3", "A1.4"),
        weathers={"A1.1": "Rouge", "A1.2": "Vert", "A1.3": " Rouge ", "A1.4": None},
    )  # fmt: skip
    counts = axis_counts(snapshot, settings, 1)
    assert counts.weathers == Counter({"Rouge": 2, "Vert": 1})
    assert build_axis_view(snapshot, settings, 1).tiles.weather == "Rouge"
    assert axis_counts(snapshot, settings, 2) == AxisCounts()


def test_indicator_groups_follow_the_plan_order():
    def row(code, line, fichier="f.xlsx", month=None):
        return {"code_action": code, "fichier": fichier, "ligne": line, "mois": month}

    given = [row("A1.10", 5), row("A1.2", 6, month="2018-01"), row("A2.1", 5), row("A1.2", 5),
             row("A1.2", 6, month="2018-02"), row("A1.2", 5, "b.xlsx"), row("A1.2", 5, "a.xlsx"),
             row(" A1.2 ", 6.0, month="2018-03")]  # fmt: skip
    groups = indicator_groups(given)
    assert [(g[0]["code_action"].strip(), g[0]["ligne"], g[0]["fichier"], len(g)) for g in groups] == [
        ("A1.2", 5, "a.xlsx", 1), ("A1.2", 5, "b.xlsx", 1), ("A1.2", 5, "f.xlsx", 1),
        ("A1.2", 6, "f.xlsx", 3), ("A1.10", 5, "f.xlsx", 1), ("A2.1", 5, "f.xlsx", 1),
    ]  # fmt: skip
    assert [r["mois"] for r in groups[3]] == ["2018-01", "2018-02", "2018-03"]  # rows kept in order
    assert indicator_groups([]) == []
    # a row without a number comes before the first row of the table, whatever its file
    no_line = indicator_groups([row("A1.1", 1, "a.xlsx"), row("A1.1", None, "b.xlsx")])
    assert [g[0]["ligne"] for g in no_line] == [None, 1]


def test_table_rows_reads_axes_and_missing_columns(settings):
    snapshot = make_edge_snapshot(settings, announced=("A1.1", "A2.1"), received=("A1.1", "A2.1"))
    assert table_rows(snapshot, "actions", {2}, ("code_action", "pas_de_colonne")) == [
        {"axe": 2, "code_action": "A2.1", "pas_de_colonne": None}]  # fmt: skip
    assert [r["code_action"] for r in table_rows(snapshot, "actions", {1, 2}, ("code_action",))] == [
        "A1.1", "A2.1"]  # fmt: skip
    assert table_rows(snapshot, "actions", {3}, ("code_action",)) == []
    assert table_rows(snapshot, "taches", {1}, ("statut",)) == []  # an empty table
    assert table_rows(snapshot, "pas_de_table", {1}, ("statut",)) == []
    typed = snapshot.tables["actions"].copy()
    typed["axe"] = typed["axe"].astype("int64")  # the integer column path
    snapshot.tables["actions"] = typed
    assert table_rows(snapshot, "actions", {2}, ("code_action",)) == [
        {"axe": 2, "code_action": "A2.1"}]  # fmt: skip
    snapshot.tables["actions"] = typed.drop(columns=["axe"])
    assert table_rows(snapshot, "actions", {2}, ("code_action",)) == []


def test_programme_counts_leave_out_axes_the_settings_do_not_know(settings):
    snapshot = make_edge_snapshot(settings, announced=("A1.1", "A7.1"), received=("A1.1", "A7.1"),
                                  tasks=(EdgeTask(None, "Fait", action="A7.1"),))  # fmt: skip
    total = axis_counts(snapshot, settings, None)
    assert (total.actions_received, total.actions_announced, total.tasks_done) == (1, 1, 0)
    assert axis_counts(snapshot, settings, 7).actions_received == 1  # asked by number: counted


def test_a_sheet_not_updated_for_the_period_is_consolidated_not_returned(settings):
    snapshot = make_edge_snapshot(settings, announced=("A1.1", "A1.2", "A1.3"),
                                  received=("A1.1", "A1.2"), not_updated=("A1.2",))  # fmt: skip
    counts = axis_counts(snapshot, settings, 1)
    assert (counts.actions_received, counts.actions_announced) == (1, 3)
    assert key_counts(snapshot, settings)["actions_received"] == 1
    assert build_axis_view(snapshot, settings, 1).tiles.actions_received == 1
    assert [a.code for a in build_axis_view(snapshot, settings, 1).actions] == ["A1.1", "A1.2"]
    del snapshot.tables["suivi"]  # a snapshot stored before the follow-up: its sheets count
    assert axis_counts(snapshot, settings, 1).actions_received == 2


def test_roadmaps_returned_for_the_period(settings):
    snapshot = make_edge_snapshot(settings, announced=("A1.1", "A2.1", "A3.1"), received=(),
                                  roadmaps_not_updated=(2,))  # fmt: skip
    assert [axis_counts(snapshot, settings, n).roadmaps_received for n in (1, 2, 3, 4)] == [
        1, 0, 1, 0]  # fmt: skip
    assert axis_counts(snapshot, settings, None).roadmaps_received == 2
    del snapshot.tables["suivi"]  # without the follow-up: the roadmaps consolidated
    assert axis_counts(snapshot, settings, None).roadmaps_received == 3
    assert axis_counts(snapshot, settings, 2).roadmaps_received == 1


def test_key_counts_of_the_programme_counts(settings):
    snapshot = make_edge_snapshot(settings, tasks=(EdgeTask(None, "Fait"),))
    counts = axis_counts(snapshot, settings, None)
    assert key_counts_of(counts, "2018-05") == key_counts(snapshot, settings) == {
        "period": "2018-05", "actions_received": 1, "tasks_done": 1, "tasks_late": 0,
        "indicators_on_track": 0}  # fmt: skip
    assert key_counts_of(AxisCounts(tasks_late=3), "2018-06")["tasks_late"] == 3


def test_severity_counts_per_axis_and_for_the_programme(settings):
    snapshot = make_edge_snapshot(settings)
    assert severity_counts(snapshot, None) == {"erreur": 0, "avertissement": 0}
    snapshot.tables["anomalies"] = pd.DataFrame(
        {"gravite": ["erreur", "erreur", "avertissement", "info", "avertissement", "erreur"],
         "axe": [1, 2, 1, 1, None, "2"]}  # an issue of no axis; an axis read as text
    ).astype(object)  # fmt: skip
    assert severity_counts(snapshot, 1) == {"erreur": 1, "avertissement": 1}
    assert severity_counts(snapshot, 2) == {"erreur": 2, "avertissement": 0}
    assert severity_counts(snapshot, 3) == {"erreur": 0, "avertissement": 0}
    # the programme: every issue of the period, those of no axis included; infos not counted
    assert severity_counts(snapshot, None) == {"erreur": 3, "avertissement": 2}
    del snapshot.tables["anomalies"]
    assert severity_counts(snapshot, None) == {"erreur": 0, "avertissement": 0}


def test_counts_are_computed_once_per_snapshot_and_again_when_a_table_is_replaced(settings):
    """Every output asks for the same counts: computed once, but never stale."""
    tasks = (EdgeTask(D(2018, 5, 30), "En cours", late=True), EdgeTask(D(2018, 1, 5), "Fait"))
    snapshot = make_edge_snapshot(settings, tasks=tasks, announced=("A1.1",), received=("A1.1",))
    first = axis_counts(snapshot, settings, 1)
    assert axis_counts(snapshot, settings, 1) is first
    assert (first.tasks, first.tasks_done, first.tasks_late) == (2, 1, 1)
    snapshot.tables["taches"] = snapshot.tables["taches"].iloc[:1].copy()
    again = axis_counts(snapshot, settings, 1)
    assert (again.tasks, again.tasks_done, again.tasks_late) == (1, 0, 1)
    later = make_edge_snapshot(settings, tasks=tasks, announced=("A1.1",), received=("A1.1",),
                               period="2018-06")  # fmt: skip
    assert axis_counts(later, settings, 1).tasks == 2  # its own counts, not the first's


def test_the_programme_counts_indicators_as_the_sum_of_its_axes(settings):
    snapshot = make_snapshot(settings, "2018-05", many_indicators_axis=3)
    per_axis = [axis_counts(snapshot, settings, number) for number in settings.axis_numbers]
    programme = axis_counts(snapshot, settings, None)
    for name in ("indicators", "indicators_measured", "indicators_on_track"):
        assert getattr(programme, name) == sum(getattr(c, name) for c in per_axis), name
    assert programme.indicators > 0 and programme.indicators_on_track > 0

"""The key counts of a period: the same numbers as the sum of the dashboards' axis tiles,
computed without the plotting stack."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from innova_reports.consolidate.counts import COUNT_KEYS, key_counts
from innova_reports.dashboards.synthesis import COUNT_LABELS, period_counts
from tests.snapshot_factory import make_large_axis_snapshot, make_snapshot


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

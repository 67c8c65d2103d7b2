"""Dashboards of a very large axis: bounded, legible, and saying what they leave out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from innova_reports.dashboards import render_axis, scale
from innova_reports.frenchfmt import format_measure
from innova_reports.views import TaskRow, build_axis_view
from tests.snapshot_factory import make_large_axis_snapshot, make_snapshot

ACTIONS, TASKS_PER_ACTION = 300, 20  # 6,000 tasks on one axis


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def large(settings):
    return make_large_axis_snapshot(settings, actions=ACTIONS, tasks_per_action=TASKS_PER_ACTION)


@pytest.fixture(scope="module")
def large_pdf(settings, large, tmp_path_factory):
    output = render_axis(large, settings, 1, tmp_path_factory.mktemp("large"))
    return output, pdf_text(output.pdf)


def more(hidden: int, what: str, where: str) -> str:
    return f"… et {format_measure(hidden, 0)} {what} : voir le classeur maître (feuille {where})."


def test_large_axis_view_counts_everything(settings, large):
    view = build_axis_view(large, settings, 1)
    assert len(view.actions) == ACTIONS
    assert len(view.tasks) == ACTIONS * TASKS_PER_ACTION
    assert view.tiles.tasks_late == 2 * (ACTIONS // 3)
    assert [a.tasks_total for a in view.actions] == [TASKS_PER_ACTION] * ACTIONS
    assert view.actions[2].code == "A1.3" and view.actions[2].tasks_late == 2


def test_large_axis_pdf_is_bounded_and_says_what_is_left_out(large_pdf):
    output, text = large_pdf
    assert len(PdfReader(output.pdf).pages) <= 25  # not hundreds of pages
    assert "Calendrier des actions (Gantt, une barre par action)" in text
    assert more(ACTIONS - scale.TABLE_ROWS_MAX, "autres actions", "Actions") in text
    assert more(ACTIONS - scale.ACTIONS_CHARTED, "autres actions", "Tâches") in text
    assert more(ACTIONS - scale.GANTT_ROWS_MAX, "autres actions", "Tâches") in text
    late = 2 * (ACTIONS // 3)
    assert more(late - scale.TABLE_ROWS_MAX, "autres tâches en retard", "Tâches") in text
    assert f"Tâches en retard ({late})" in text
    indicators = 2 * ACTIONS
    assert more(indicators - scale.INDICATORS_MAX, "autres indicateurs", "Indicateurs") in text
    assert more(indicators - scale.TRENDS_MAX, "autres indicateurs", "Indicateurs") in text


def test_large_axis_charts_show_the_actions_furthest_behind_first(large_pdf):
    _, text = large_pdf
    # the Gantt by action shows the late actions (every third one) and leaves out the others
    assert "A1.3 · 20 tâches, 0 faites" in text
    assert "A1.72 · 20 tâches, 0 faites" in text  # the 24th late action
    assert "A1.1 · 20 tâches" not in text and "A1.75 · 20 tâches" not in text


def test_large_axis_pngs_stay_small(large_pdf):
    from PIL import Image

    output, _ = large_pdf
    for name, path in output.pngs.items():
        with Image.open(path) as image:
            assert image.height <= 2200, name


def test_small_axis_is_not_cut(settings, tmp_path):
    output = render_axis(make_snapshot(settings), settings, 1, tmp_path)
    text = pdf_text(output.pdf)
    assert "voir le classeur maître" not in text
    assert "Calendrier des tâches (Gantt)" in text


def task(action, state="En cours", start=None, end=None, late=False):
    return TaskRow(action=action, name="t", owner="", start=start, end=end, status=state,
                   progress=None, late=late, comment="")  # fmt: skip


def test_action_span_runs_from_earliest_start_to_latest_end_in_its_most_pressing_state():
    day = dt.date(2018, 5, 1)
    tasks = [task("A1.10", "Fait", day, day + dt.timedelta(days=5)),
             task("A1.10", "En cours", day - dt.timedelta(days=9), day, late=True),
             task("A1.2", "Fait", None, day + dt.timedelta(days=30)),
             task("A1.2", "Abandonnée", day, None)]  # fmt: skip
    spans = scale.action_spans(tasks)
    assert [s.action for s in spans] == ["A1.2", "A1.10"]  # code order, not text order
    assert (spans[1].start, spans[1].end) == (
        day - dt.timedelta(days=9),
        day + dt.timedelta(days=5),
    )
    assert spans[1].state == "En retard" and spans[1].name == "2 tâches, 1 faites"
    assert spans[0].state == "Fait" and spans[0].start == day


def test_charted_actions_keep_code_order_when_they_fit_else_the_most_late():
    tasks = [task("A1.1"), task("A1.2", late=True), task("A1.3"), task("A1.3")]
    assert scale.charted_actions(["A1.1", "A1.2", "A1.3"], tasks, 5) == (
        ["A1.1", "A1.2", "A1.3"],
        0,
    )
    assert scale.charted_actions(["A1.1", "A1.2", "A1.3"], tasks, 2) == (["A1.2", "A1.3"], 1)


def test_more_line_writes_french_thousands():
    assert scale.more_line(4970, "autres tâches", "Tâches") == (
        f"… et {format_measure(4970, 0)} autres tâches : voir le classeur maître (feuille Tâches)."
    )
    assert format_measure(4970, 0) != "4970"

"""Dashboards end to end on synthetic snapshots: files, PDF text, HTML, empty cases."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from innova_reports.cli import cli
from innova_reports.dashboards import (
    DashboardError,
    render_axis,
    render_synthesis,
)
from innova_reports.dashboards.html import mail_body
from innova_reports.pipeline.dashboards import draw_dashboards
from tests.conftest import SETTINGS_FILE
from tests.snapshot_factory import ACTIONS, MISSING_SHEETS, make_history, make_snapshot

PERIODS = ["2018-03", "2018-04", "2018-05"]
HOSTILE = "<script>alert('x')</script> Relancer $les$ agents"


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def rendered(settings, tmp_path_factory):
    output = tmp_path_factory.mktemp("output")
    history = make_history(settings, PERIODS, task_name=HOSTILE)
    result = draw_dashboards(settings, "2018-05", output_dir=output, workers=1, history=history)
    return result, history, output


def test_every_output_exists(rendered, settings):
    result, _, output = rendered
    folder = output / "2018-05" / "tableaux"
    for number in settings.axis_numbers:
        for suffix in (".pdf", ".html", ".cid.html"):
            assert (folder / f"axe-{number}{suffix}").stat().st_size > 1000
    for number in (1, 2, 3, 4, 5):
        for chart in ("indicateurs", "tendances", "taches", "gantt"):
            assert (folder / f"axe-{number}-{chart}.png").is_file()
    assert not list(folder.glob("axe-6-*.png"))  # nothing received: a sentence, no empty chart
    for name in ("synthese.pdf", "synthese.html", "synthese-axes.png", "synthese-evolution.png"):
        assert (folder / name).is_file()
    assert all(path.is_file() for path in result.paths)
    assert not list(folder.glob("*.tmp"))


def test_axis_pdf_names_action_codes_and_late_tasks(rendered):
    result, history, _ = rendered
    text = pdf_text(result.axes[1].pdf)
    assert "Axe 1 – Demandes / relations usagers" in text
    for code, _title in ACTIONS[1]:
        assert code in text
    late = [
        row["tache"]
        for row in history.load("2018-05").table("taches").to_dict("records")
        if row["axe"] == 1 and row["en_retard"]
    ]
    assert len(late) == 2
    for name in late:
        assert re.sub(r"\s+", " ", name) in text
    assert "Prochain comité de pilotage : 20 septembre 2018 (dans 112 jours)" in text
    assert "Rouge" in text and "Orange" in text  # weather in words, not colour alone


def test_axis_with_nothing_received_says_so(rendered):
    result, _, _ = rendered
    text = pdf_text(result.axes[6].pdf)
    assert "Aucun document n'a été reçu pour cet axe" in text
    assert "Aucun document n'a été reçu pour cet axe" in unescape(
        result.axes[6].html.read_text("utf-8")
    )


def test_announced_action_without_sheet_is_listed(rendered):
    result, _, _ = rendered
    (code,) = MISSING_SHEETS
    assert f"{code} Communication interne" in pdf_text(result.axes[3].pdf)
    assert "A3.3</td><td" in result.axes[3].html.read_text("utf-8")


def test_html_escapes_user_text(rendered):
    result, _, _ = rendered
    page = result.axes[1].html.read_text("utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script" not in page
    assert 'src="data:image/png;base64,' in page


def test_mathtext_dollars_are_printed_as_typed(rendered):
    result, _, _ = rendered
    assert "Relancer $les$ agents" in pdf_text(result.axes[1].pdf)


def test_cid_variant_references_the_png_files(rendered):
    result, _, _ = rendered
    text, images = mail_body(result.axes[1].cid_html)
    assert set(images) == {
        f"axe-1-{c}.png" for c in ("indicateurs", "tendances", "taches", "gantt")
    }
    assert all(data.startswith(b"\x89PNG") for data in images.values())
    assert "data:image" not in text


def test_synthesis_shows_the_six_axes_and_overdue_tasks(rendered, settings):
    result, _, _ = rendered
    text = pdf_text(result.synthesis.pdf)
    for axis in settings.axes:
        assert f"Axe {axis.number}" in text
    assert "Tâches les plus en retard" in text
    assert "rien reçu" in text
    assert "Relancer $les$ agents" in text


def test_the_pipeline_writes_the_status_page_after_the_dashboards(rendered):
    result, _, output = rendered
    assert result.index == output / "2018-05" / "index.html"
    page = result.index.read_text("utf-8")
    for link in ("tableaux/axe-6.pdf", "tableaux/synthese.html", "tableaux/axe-1-gantt.png"):
        assert f'href="{link}"' in page
    assert (output / "index.html").is_file()


def test_dashboards_pages_have_real_headings_and_table_headers(rendered):
    result, _, _ = rendered
    page = result.axes[1].html.read_text("utf-8")
    assert page.count("<h1 ") == 1 and page.count("<h2 ") >= 8
    assert '<th scope="col"' in page and "<th style" not in page
    assert 'data-label="Météo"' in page and "@media print" in page
    assert "#777777" not in page  # 4.48:1 on white: below WCAG AA


def test_same_files_with_two_workers(rendered, settings, tmp_path):
    result, history, _ = rendered
    parallel = draw_dashboards(settings, "2018-05", output_dir=tmp_path, workers=2, history=history)
    # index.html lists what is on disk (another test adds files there): compared elsewhere
    for one, two in zip(result.paths[:-1], parallel.paths[:-1], strict=True):
        assert one.name == two.name
        assert one.read_bytes() == two.read_bytes(), one.name


def test_period_never_consolidated_is_a_french_error(settings, tmp_path):
    history = make_history(settings, ["2018-04"])
    with pytest.raises(DashboardError, match="2018-05 n'a jamais été consolidée"):
        draw_dashboards(settings, "2018-05", output_dir=tmp_path, history=history)
    with pytest.raises(DashboardError, match="jamais été consolidée"):
        draw_dashboards(settings, "2018-05", output_dir=tmp_path)  # no history at all


def test_cli_exits_non_zero_for_a_period_never_consolidated(tmp_path):
    runner = CliRunner()
    outcome = runner.invoke(cli, ["dashboards", "--period", "2018-05", "--output", str(tmp_path),
                                  "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert outcome.exit_code == 1
    assert "Erreur : la période 2018-05 n'a jamais été consolidée" in outcome.output
    assert "Traceback" not in outcome.output


# -- empty cases: a readable page, never a crash ----------------------------------------------


@pytest.mark.parametrize(
    ("options", "sentence"),
    [
        ({"indicators_per_action": 0}, "Aucun indicateur n'a été déclaré"),
        ({"with_values": False}, "Pas encore de valeur mesurée."),
        ({"with_evolutions": False}, "Aucun changement depuis le mois précédent"),
        ({"empty_axes": (1, 2, 3, 4, 5, 6)}, "Aucun document n'a été reçu pour cet axe"),
    ],
)
def test_empty_cases_give_a_readable_page(settings, tmp_path, options, sentence):
    snapshot = make_snapshot(settings, "2018-01", **options)
    output = render_axis(snapshot, settings, 1, tmp_path)
    assert sentence in pdf_text(output.pdf)
    assert output.html.read_text("utf-8").count("<table") >= 2


def test_first_period_without_history(settings, tmp_path):
    snapshot = make_snapshot(settings, "2018-01", empty_axes=(1, 2, 3, 4, 5, 6))
    output = render_synthesis(snapshot, settings, tmp_path)
    text = pdf_text(output.pdf)
    assert "Premier mois consolidé" in text
    assert "Aucune tâche en retard dans le programme" in text
    assert "synthese-evolution.png" not in output.html.read_text("utf-8")


def test_forty_indicators_are_paginated(settings, tmp_path):
    snapshot = make_snapshot(settings, many_indicators_axis=2)
    output = render_axis(snapshot, settings, 2, tmp_path)
    pages = PdfReader(output.pdf).pages
    assert len(pages) >= 3 + 40 // 16 + 40 // 6
    text = pdf_text(output.pdf)
    assert "périmètre n° 40" in text


def test_reporting_date_drives_days_to_copil(settings, tmp_path):
    snapshot = make_snapshot(settings, "2018-02")
    assert snapshot.reporting_date == dt.date(2018, 2, 28)
    text = pdf_text(render_axis(snapshot, settings, 1, tmp_path).pdf)
    assert "Prochain comité de pilotage : 24 mai 2018 (dans 85 jours)" in text

"""End to end from the real history store: consolidate the shipped sample workbooks,
then draw the dashboards from ``output/historique.sqlite``."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from innova_reports import dashboards
from innova_reports.consolidate.history import History
from innova_reports.dashboards.synthesis import period_counts
from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.pipeline.dashboards import draw_dashboards
from tests.conftest import ROOT
from tests.snapshot_factory import make_history


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def consolidated(settings, tmp_path_factory):
    output = tmp_path_factory.mktemp("output")
    consolidate_period(settings, "2018-05", workbooks_dir=ROOT / "workbooks", output_dir=output,
                       today=dt.date(2018, 6, 4))  # fmt: skip
    return output


def test_dashboards_from_the_history_store(settings, consolidated):
    result = draw_dashboards(settings, "2018-05", output_dir=consolidated, workers=2)
    snapshot = History(consolidated / "historique.sqlite").load("2018-05")
    assert sorted(result.axes) == list(settings.axis_numbers)
    tasks = snapshot.table("taches")
    assert tasks["en_retard"].sum() > 0  # the samples do have late tasks to name
    for number in settings.axis_numbers:
        text = pdf_text(result.axes[number].pdf)
        codes = snapshot.table("actions").query("axe == @number")["code_action"]
        assert all(code in text for code in codes)
        late = tasks[(tasks["axe"] == number) & (tasks["en_retard"] == True)]  # noqa: E712
        for name in late["tache"]:
            assert re.sub(r"\s+", " ", name) in text
    assert (consolidated / "2018-05" / "index.html").is_file()
    index = (consolidated / "2018-05" / "index.html").read_text("utf-8")
    assert 'href="plan_actions_2018-05.xlsx"' in index


def test_master_workbook_has_native_chart_sheets(consolidated):
    with zipfile.ZipFile(consolidated / "2018-05" / "plan_actions_2018-05.xlsx") as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert "Tableau axe 1" in workbook and "Tableau axe 6" in workbook
    assert charts


def test_dashboards_command_succeeds_on_a_consolidated_period(consolidated):
    from click.testing import CliRunner

    from innova_reports.cli import cli
    from tests.conftest import SETTINGS_FILE

    outcome = CliRunner().invoke(cli, ["dashboards", "--period", "2018-05", "--output",
                                       str(consolidated), "--workers", "1",
                                       "--settings", str(SETTINGS_FILE)])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    assert "6 tableaux d'axe et la synthèse écrits" in outcome.output
    page = (consolidated / "2018-05" / "tableaux" / "axe-1.html").read_text("utf-8")
    # self-contained: every image embedded, no external resource
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("data:image/png;base64,") for source in sources)


def _stored_history(settings, path: Path, *, with_counts: bool) -> History:
    """Three months in a real store, saved with their key counts or, as histories
    written before the counts were stored, without them."""
    history = History(path)
    for snapshot in make_history(settings, ["2018-03", "2018-04", "2018-05"]).snapshots.values():
        history.save(snapshot, settings if with_counts else None)
    return history


def _spy_loads(monkeypatch) -> list[str]:
    loaded: list[str] = []
    real = History.load

    def load(self, period):
        loaded.append(period)
        return real(self, period)

    monkeypatch.setattr(History, "load", load)
    return loaded


def _synthesis_images(result) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in sorted(result.synthesis.pngs.items())}


def test_earlier_months_are_read_from_their_stored_counts(settings, tmp_path, monkeypatch):
    with_counts = _stored_history(settings, tmp_path / "a" / "h.sqlite", with_counts=True)
    without = _stored_history(settings, tmp_path / "b" / "h.sqlite", with_counts=False)
    assert set(with_counts.all_counts()) == {"2018-03", "2018-04", "2018-05"}
    assert without.all_counts() == {}
    loaded = _spy_loads(monkeypatch)
    stored = draw_dashboards(settings, "2018-05", output_dir=tmp_path / "a", workers=1,
                               history=with_counts)  # fmt: skip
    assert loaded == ["2018-05"]  # no earlier snapshot loaded
    loaded.clear()
    computed = draw_dashboards(settings, "2018-05", output_dir=tmp_path / "b", workers=2,
                                 history=without)  # fmt: skip
    # counted from the snapshots, by the dashboards, then by the status page (which lists
    # every month): only a history written before the counts were stored costs this
    assert loaded == ["2018-05", "2018-03", "2018-04", "2018-03", "2018-04"]
    assert without.all_counts() == {}  # drawing never writes the history
    assert _synthesis_images(stored) == _synthesis_images(computed)


def test_the_trend_has_the_counts_the_synthesis_computed_before(settings, tmp_path, monkeypatch):
    """Stored or counted again, the chart gets the numbers ``period_counts`` gives."""
    seen = []
    real = dashboards.build_synthesis_from_counts

    def spy(snapshot, settings_, counts, views=None):
        seen.append(counts)
        return real(snapshot, settings_, counts, views)

    monkeypatch.setattr(dashboards, "build_synthesis_from_counts", spy)
    for with_counts in (True, False):
        history = _stored_history(settings, tmp_path / f"{with_counts}.sqlite",
                                  with_counts=with_counts)  # fmt: skip
        draw_dashboards(settings, "2018-05", output_dir=tmp_path, workers=1, history=history)
    expected = [period_counts(history.load(p), settings) for p in history.periods()]
    assert len(expected) == 3 and expected[0] != expected[-1]
    assert seen == [expected, expected]

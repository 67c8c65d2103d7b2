"""The status page's figures are the master's and the dashboards': one function each.

On a real month (tests/sample_month.py), the figures the cockpit shows are read back
from the page and compared with ``key_counts`` of the stored snapshot, with the
« Programme » row of the master's Synthèse sheet, and with the synthesis page's table
(the sum of its axes); each axis' line with its row of the Synthèse sheet.
"""

from __future__ import annotations

import re

from openpyxl import load_workbook

from innova_reports.consolidate.counts import COUNT_KEYS, key_counts
from innova_reports.consolidate.history import History
from innova_reports.paths import history_path, master_path
from tests.cockpit_pages import figure, parse, table_rows
from tests.sample_month import PERIOD


def _shown(sample_month) -> dict[str, int]:
    parsed = parse((sample_month.period_dir / "index.html").read_text("utf-8"))
    return {key: figure(parsed, key) for key in parsed.figures}


def _synthesis_sheet(sample_month) -> dict[str, dict[str, object]]:
    """The master's Synthèse sheet, row by axis name (« Programme »: the total)."""
    sheet = load_workbook(master_path(sample_month.output, PERIOD), read_only=True)["Synthèse"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if "Axe d'innovation" in row)
    found = [dict(zip(header, row, strict=True)) for row in rows[rows.index(header) + 1 :]]
    return {row["Axe d'innovation"]: row for row in found if row.get("Axe d'innovation")}


def test_headline_figures_are_the_stored_key_counts(sample_month, settings):
    snapshot = History(history_path(sample_month.output)).load(PERIOD)
    counts = key_counts(snapshot, settings)
    shown = _shown(sample_month)
    assert {key: shown[key] for key in COUNT_KEYS} == {key: counts[key] for key in COUNT_KEYS}
    assert History(history_path(sample_month.output)).counts(PERIOD) == counts


def test_headline_figures_are_the_masters_programme_row(sample_month):
    total = _synthesis_sheet(sample_month)["Programme"]
    shown = _shown(sample_month)
    assert shown["roadmaps_received"] == total["Feuille de route reçue"] == 6
    assert shown["actions_received"] == total["Fiches action reçues"]
    assert shown["tasks_done"] == total["Tâches faites"]
    assert shown["tasks_late"] == total["Tâches en retard"]
    assert shown["indicators_on_track"] == total["Indicateurs dans la trajectoire"]
    assert shown["weather_red"] == total["Météo rouge"]
    assert shown["errors"] == total["Erreurs"] > 0


def test_headline_figures_are_the_sum_of_the_synthesis_page(sample_month):
    page = (sample_month.period_dir / "tableaux" / "synthese.html").read_text("utf-8")
    rows = table_rows(page, "Indicateurs dans la trajectoire")
    assert len(rows) == 6

    def total(column: int) -> int:
        return sum(int(re.match(r"\d+", row[column])[0]) for row in rows if row[1] != "rien reçu")

    shown = _shown(sample_month)
    assert (shown["actions_received"], shown["tasks_done"], shown["tasks_late"],
            shown["indicators_on_track"]) == (total(1), total(2), total(3), total(4))  # fmt: skip


def test_each_axis_line_is_its_row_of_the_master(sample_month, settings):
    page = (sample_month.period_dir / "index.html").read_text("utf-8")
    overview = table_rows(page, "<caption>Les axes en un coup d&#x27;œil</caption>")
    sheet = _synthesis_sheet(sample_month)
    assert [row[0] for row in overview] == [axis.label for axis in settings.axes]
    for axis, row in zip(settings.axes, overview, strict=True):
        master = sheet[axis.name]
        assert row[2] == f"{master['Fiches action reçues']} / {master['Actions annoncées']}"
        errors, warnings = master["Erreurs"], master["Avertissements"]
        assert row[3] == ("rien" if not errors and not warnings else
                          f"{errors} erreur{'s' if errors > 1 else ''}, "
                          f"{warnings} avertissement{'s' if warnings > 1 else ''}")  # fmt: skip

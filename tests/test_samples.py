"""Sample workbooks: six roadmaps, the seed's twelve actions, clean and reproducible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from innova_reports import fields as fd
from innova_reports.template.samples import ACTIONS, ROADMAPS, SAMPLE_MONTHS, write_samples

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_CODES = {1: 2, 2: 2, 3: 3, 4: 1, 5: 1, 6: 3}


@pytest.fixture(scope="module")
def samples(settings, tmp_path_factory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("samples")
    return folder, write_samples(settings, folder)


def _value(wb, name):
    ((sheet, ref),) = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "")].value


def _rows(wb, table_name):
    for ws in wb.worksheets:
        if table_name in ws.tables:
            cells = ws[ws.tables[table_name].ref]
            header = [c.value for c in cells[0]]
            rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]
            return [row for row in rows if any(v is not None for v in row.values())]
    raise KeyError(table_name)


def test_layout_six_roadmaps_and_twelve_action_sheets(samples):
    folder, written = samples
    names = sorted(str(p.relative_to(folder)) for p in written)
    roadmaps = [n for n in names if "feuille_de_route" in n]
    assert roadmaps == [f"axe-{n}/feuille_de_route_axe-{n}.xlsx" for n in range(1, 7)]
    codes = sorted(n.split("fiche_action_")[1][:-5] for n in names if "fiche_action" in n)
    assert codes == sorted(f"A{a}.{k}" for a, count in EXPECTED_CODES.items()
                           for k in range(1, count + 1))  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.code)
def test_action_sheet_content_is_complete_and_clean(samples, action, settings):
    folder, _ = samples
    wb = openpyxl.load_workbook(folder / f"axe-{action.axe}" / f"fiche_action_{action.code}.xlsx")
    spec = fd.template_spec(fd.ACTION, settings)
    assert _value(wb, "code_action") == action.code
    for field in spec.fields:
        value = _value(wb, field.id)
        assert not (field.required and value is None), field.id
        if field.choices and value is not None:
            assert value in field.choices, field.id
    assert dt.datetime(2018, 5, 2) <= _value(wb, "date_maj") <= dt.datetime(2018, 5, 31)
    tasks = _rows(wb, "t_taches")
    assert 4 <= len(tasks) <= 8
    for task in tasks:
        assert task["Statut"] in fd.TASK_STATUSES and 0 <= task["Avancement"] <= 1
        assert task["Début"] <= task["Fin"] and task["Début"].year == 2018
        assert task["Statut"] != "Fait" or task["Avancement"] == 1
    indicators = _rows(wb, "t_indicateurs")
    assert 2 <= len(indicators) <= 3
    for row in indicators:
        up = row["Sens"] == "Hausse"
        assert (row["Cible"] > row["Valeur initiale"]) == up
        future = [fd.month_label(m) for m in settings.months if m not in SAMPLE_MONTHS]
        assert all(row[label] is None for label in future)


def test_follow_up_has_something_to_show(samples, settings):
    weathers = {a.meteo for a in ACTIONS}
    assert {"Orange", "Rouge"} <= weathers
    late = [t for a in ACTIONS for t in a.taches if t[3] < dt.date(2018, 5, 31) and t[4] != "Fait"]
    assert len(late) >= 3
    missing_may = [a.code for a in ACTIONS if any(i[6][-1] is None for i in a.indicateurs)]
    assert missing_may == ["A2.2"]
    folder, _ = samples
    wb = openpyxl.load_workbook(folder / "axe-4" / "feuille_de_route_axe-4.xlsx")
    assert [r["Code action"] for r in _rows(wb, "t_actions")] == ["A4.1", "A4.2"]
    assert not (folder / "axe-4" / "fiche_action_A4.2.xlsx").exists()


def test_roadmaps_use_settings_and_services_are_known(samples, settings):
    folder, _ = samples
    assert {a.service_pilote for a in ACTIONS} <= set(settings.services)
    for roadmap in ROADMAPS:
        wb = openpyxl.load_workbook(
            folder / f"axe-{roadmap.axe}" / f"feuille_de_route_axe-{roadmap.axe}.xlsx"
        )
        assert _value(wb, "axe") == roadmap.axe
        assert _value(wb, "pilote") == settings.axis(roadmap.axe).pilots[0].name
        milestones = _rows(wb, "t_calendrier")
        assert all(m["Date réalisée"] is None or m["Date réalisée"] <= dt.datetime(2018, 5, 31)
                   for m in milestones)  # fmt: skip


def test_samples_are_reproducible_and_committed_ones_are_up_to_date(samples, settings, tmp_path):
    folder, written = samples
    again = write_samples(settings, tmp_path)
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
        committed = ROOT / "workbooks" / first.relative_to(folder)
        assert committed.read_bytes() == first.read_bytes(), f"régénérez {committed}"

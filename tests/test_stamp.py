"""The fast filler against openpyxl: the same values land in the same cells, tables grow."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from innova_reports import fields as fd
from innova_reports.template.samples import ACTIONS, ROADMAPS, action_values, roadmap_values
from innova_reports.template.stamp import Formula
from innova_reports.template.writer import (
    ROWS_BELOW_TABLE,
    build_workbook,
    template_bytes,
    workbook_bytes,
)


def _load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _openpyxl_filled(kind, settings, prefill):
    """The same values written by openpyxl in the places the writer reports."""
    wb, places = build_workbook(fd.template_spec(kind, settings), settings)
    for field_id, value in prefill["fields"].items():
        place = places.fields[field_id]
        wb[place.sheet][f"{place.letter}{place.row}"].value = value
    for name, rows in prefill["tables"].items():
        place = places.tables[name]
        for offset, row in enumerate(rows, start=1):
            for field_id, value in row.items():
                wb[place.sheet][f"{place.letters[field_id]}{place.header + offset}"] = value
    return _load(workbook_bytes(wb, settings))


def _cells(wb) -> dict[tuple[str, str], tuple]:
    return {
        (ws.title, cell.coordinate): (cell.value, cell.number_format, cell.protection.locked)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }


@pytest.mark.parametrize("kind", fd.KINDS)
def test_a_blank_fill_is_the_writer_s_package(kind, settings):
    """Cut into rows and put back together, nothing of openpyxl's package changes."""
    wb, _ = build_workbook(fd.template_spec(kind, settings), settings)
    assert _members(template_bytes(kind, settings)) == _members(workbook_bytes(wb, settings))


@pytest.mark.parametrize("sample", [*ACTIONS, *ROADMAPS], ids=lambda s: getattr(s, "code", None)
                         or f"axe-{s.axe}")  # fmt: skip
def test_values_land_where_openpyxl_puts_them(sample, settings):
    if hasattr(sample, "code"):
        kind, prefill = fd.ACTION, action_values(sample)
    else:
        kind, prefill = fd.ROADMAP, roadmap_values(sample, settings)
    ours = _cells(_load(template_bytes(kind, settings, prefill)))
    theirs = _cells(_openpyxl_filled(kind, settings, prefill))
    assert ours == theirs


def test_a_table_grows_with_its_validations(settings):
    tasks = [{"tache": f"Tâche {n}", "statut": "Fait", "debut": dt.date(2018, 1, n)}
             for n in range(1, 31)]  # fmt: skip
    data = template_bytes(fd.ACTION, settings, {"fields": {}, "tables": {"t_taches": tasks}})
    ws = _load(data)["Tâches"]
    assert ws.tables["t_taches"].ref == "A4:G34"
    assert ws.tables["t_taches"].autoFilter.ref == "A4:G34"
    assert ws["A34"].value == "Tâche 30" and ws["C34"].value == dt.datetime(2018, 1, 30)
    assert ws["A34"].protection.locked is False and ws["C34"].number_format == "dd/mm/yyyy"
    ends = {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert f"E5:E{34 + ROWS_BELOW_TABLE}" in ends
    assert ws.dimensions == "A1:G34"


def test_text_is_never_a_formula_and_odd_characters_survive(settings):
    fields = {"titre": "=HYPERLINK(\"http://x\")", "contexte": "a < b & c > d\n\tfin",
              "contenu": "bip\x07bip", "budget_eur": Formula("=1000*12")}  # fmt: skip
    data = template_bytes(fd.ACTION, settings, {"fields": fields, "tables": {}})
    ws = _load(data)["Fiche action"]
    assert ws["B7"].value == '=HYPERLINK("http://x")' and ws["B7"].data_type == "s"
    assert ws["B13"].value == "a < b & c > d\n\tfin"
    assert ws["B15"].value == "bip_x0007_bip"  # as Excel writes what XML cannot hold
    assert ws["B25"].value == "=1000*12" and ws["B25"].data_type == "f"


def test_same_values_same_bytes(settings):
    prefill = action_values(ACTIONS[0])
    assert template_bytes(fd.ACTION, settings, prefill) == template_bytes(
        fd.ACTION, settings, prefill
    )

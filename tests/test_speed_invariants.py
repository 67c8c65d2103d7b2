"""What speed must not change: the same values whichever path reads them, the same
consolidation whatever the order of the files, and the safety limits in a large batch.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from innova_reports.consolidate.snapshot import build_snapshot
from innova_reports.fields import ACTION
from innova_reports.read import extract, files, sheet
from innova_reports.read.workbook import read_folder, read_workbook
from innova_reports.validate.batch import validate_batch
from innova_reports.values import plain
from tests import hostile
from tests.factories import make_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_read import sample_values  # noqa: E402  (the benchmark's filled action sheet)

PERIOD = "2018-05"


@pytest.fixture(scope="module")
def filled(settings, tmp_path_factory) -> Path:
    fields, tables = sample_values(settings)
    fields["date_maj"] = dt.date(2018, 5, 25)
    path = tmp_path_factory.mktemp("speed") / "fiche_action_A3.2.xlsx"
    return make_workbook(path, ACTION, settings, fields=fields, tables=tables)


def _same_frames(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


def test_fast_path_reads_what_the_cell_by_cell_path_reads(filled, settings, monkeypatch):
    calls = []
    value = extract.Extractor.value
    monkeypatch.setattr(extract.Extractor, "value", lambda *a: calls.append(1) or value(*a))
    fast = read_workbook(filled, settings).data
    fast_calls = len(calls)
    original = sheet.special_cells

    def with_a_special_elsewhere(xml: bytes) -> dict[str, tuple[str, str]]:
        return {**original(xml), "IV4999": ("formula", "")}  # outside every field and table

    monkeypatch.setattr(sheet, "special_cells", with_a_special_elsewhere)
    slow = read_workbook(filled, settings).data
    assert len(calls) - fast_calls > 5 * fast_calls  # the slow path read every table cell
    assert {k: v.value for k, v in fast.fields.items()} == {
        k: v.value for k, v in slow.fields.items()
    }
    _same_frames(fast.tables, slow.tables)
    assert [i.type for i in fast.issues] == [i.type for i in slow.issues]


def _comparable(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_calamine_reads_the_values_openpyxl_reads(filled, settings):
    """A slow, independent reference: openpyxl gives every field and table cell the same."""
    ours = read_workbook(filled, settings).data
    book = openpyxl.load_workbook(filled, data_only=True)
    for field_id, raw in ours.fields.items():
        ((sheet, ref),) = book.defined_names[field_id].destinations
        expected = book[sheet][ref.replace("$", "")].value
        assert _comparable(raw.value) == _comparable(expected), field_id
    for name, frame in ours.tables.items():
        sheet = book[ours.table_sheets[name]]
        letters = ours.table_letters[name]
        assert len(frame) > 0, name
        for row, record in frame.iterrows():
            for field_id, letter in letters.items():
                expected = sheet[f"{letter}{row}"].value
                assert _comparable(record[field_id]) == _comparable(expected), (name, row)


def test_consolidation_does_not_depend_on_the_order_files_are_read(tmp_path, settings, filled):
    folder = tmp_path / "workbooks"
    folder.mkdir()
    for number in range(1, 7):
        target = folder / f"fiche_action_A3.{number}.xlsx"
        hostile.rewrite_zip(filled, target, {"xl/worksheets/sheet2.xml": _recode(number)})
    outcomes = read_folder(folder, settings)
    snapshots = []
    for order in (outcomes, outcomes[::-1], outcomes[1::2] + outcomes[::2]):
        batch = validate_batch(order, settings, period=PERIOD)
        snapshots.append(
            build_snapshot(
                batch, settings, PERIOD, dt.date(2018, 6, 3), None, created=dt.datetime(2018, 6, 3)
            )  # fmt: skip
        )
    assert len(snapshots[0].tables["actions"]) == 6
    for other in snapshots[1:]:
        _same_frames(snapshots[0].tables, other.tables)


def _recode(number: int):
    def edit(xml: bytes) -> bytes:
        assert b"A3.2" in xml
        return xml.replace(b"A3.2", f"A3.{number}".encode())

    return edit


@pytest.mark.parametrize("workers", [None, 1, 2])  # None: read.read_folder, one process
def test_limits_hold_in_a_large_batch(tmp_path, settings, filled, workers):
    """A stray far cell and a zip bomb among many files: refused or warned, never fatal,
    in one process and in the consolidation's worker processes alike."""
    from innova_reports.pipeline.batch import read_files, read_one

    folder = tmp_path / "workbooks"
    folder.mkdir()
    for number in range(70):
        shutil.copyfile(filled, folder / f"copie_{number:02d}.xlsx")
    hostile.stray_cell(filled, folder / "loin.xlsx", "Indicateurs")
    hostile.bomb(folder / "bombe.xlsx", megabytes=150)
    hostile.huge_sheet(filled, folder / "enorme.xlsx", "Tâches")
    if workers is None:
        read = read_folder(folder, settings)
    else:
        paths = [getattr(found, "path", found) for found in files.discover(folder)]
        read = read_files(paths, settings, root=folder, workers=workers)
    outcomes = {o.source.name: o for o in read}
    assert outcomes["bombe.xlsx"].data is None and outcomes["bombe.xlsx"].issues
    assert outcomes["enorme.xlsx"].data is None
    far = outcomes["loin.xlsx"].data
    assert "cellules-hors-zone" in {i.type for i in far.issues}
    # the consolidation's reader normalises each file as it reads it
    alone = read_workbook(filled, settings) if workers is None else read_one(filled, settings, None)
    alone = alone.data
    _same_frames(far.tables, alone.tables)
    for number in range(70):
        _same_frames(outcomes[f"copie_{number:02d}.xlsx"].data.tables, alone.tables)


class _Stamp(dt.datetime):
    """A datetime subclass that is not a pandas Timestamp: must keep its value."""


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None), (pd.NA, None), (pd.NaT, None), (float("nan"), None),
        (np.float64("nan"), None), (np.datetime64("NaT"), None), (True, True),
        (np.bool_(False), False), (3, 3), (np.int64(3), 3), (2.5, 2.5), (np.float32(0.5), 0.5),
        ("texte", "texte"), (dt.date(2018, 5, 1), dt.date(2018, 5, 1)),
        (dt.datetime(2018, 5, 1, 8), dt.datetime(2018, 5, 1, 8)),
        (pd.Timestamp("2018-05-01 08:00"), dt.datetime(2018, 5, 1, 8)),
        (np.datetime64("2018-05-01T08:00"), dt.datetime(2018, 5, 1, 8)),
    ],
)  # fmt: skip
def test_plain_fast_path_gives_plain_python(value, expected):
    result = plain(value)
    assert result == expected or (result is None and expected is None)
    assert type(result) is type(expected), (value, type(result))
    if isinstance(result, float):
        assert not math.isnan(result)

"""Native Excel chart sheets: one per axis, charts over data written on the sheet."""

from __future__ import annotations

import zipfile

import xlsxwriter
from openpyxl import load_workbook

from innova_reports.xlsx.master_charts import add_axis_sheets, sheet_title
from tests.snapshot_factory import make_snapshot


def _write(tmp_path, settings, **options):
    path = tmp_path / "plan.xlsx"
    workbook = xlsxwriter.Workbook(path)
    workbook.add_worksheet("Synthèse")
    add_axis_sheets(workbook, make_snapshot(settings, **options), settings)
    workbook.close()
    return path


def test_one_sheet_per_axis_with_native_charts(settings, tmp_path):
    path = _write(tmp_path, settings)
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        drawings = [n for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
        first_chart = archive.read("xl/charts/chart1.xml").decode("utf-8")
    # axes 1 to 4: progress, tasks, trends; axis 5 has no value yet (no trend chart);
    # axis 6 received nothing (no chart at all)
    assert len(charts) == 14
    assert len(drawings) == 5
    assert "'Tableau axe 1'!$B$" in first_chart
    names = load_workbook(path).sheetnames
    assert names == ["Synthèse", *(sheet_title(n) for n in settings.axis_numbers)]


def test_sheet_holds_the_data_of_its_charts(settings, tmp_path):
    sheet = load_workbook(_write(tmp_path, settings))["Tableau axe 1"]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Axe 1 – Demandes / relations usagers" in values
    assert "A1.1 · Délai moyen de réponse aux courriers" in values
    assert "Cible" in values and "En retard" in values


def test_empty_axis_says_so_without_chart(settings, tmp_path):
    sheet = load_workbook(_write(tmp_path, settings))["Tableau axe 6"]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(text.startswith("Aucun document reçu pour cet axe") for text in texts)


def test_user_text_is_never_a_formula(settings, tmp_path):
    path = _write(tmp_path, settings, indicators_per_action=0, task_name='=HYPERLINK("x")')
    with zipfile.ZipFile(path) as archive:
        sheets = "".join(
            archive.read(n).decode() for n in archive.namelist() if "worksheets/sheet" in n
        )
    assert "<f>" not in sheets
    # without indicators the progress and trend charts are left out, the task chart stays
    with zipfile.ZipFile(path) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 5


def test_each_chart_sheet_prints_on_landscape_a4_one_page_wide(settings, tmp_path):
    book = load_workbook(_write(tmp_path, settings))
    for number in settings.axis_numbers:
        sheet = book[sheet_title(number)]
        assert sheet.page_setup.orientation == "landscape", number
        assert sheet.page_setup.paperSize == 9, number
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, number
        # 1 page wide is the file format's default, hence no attribute written for it
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        assert f"Axe {number} – " in sheet.oddFooter.left.text


def test_trend_chart_grows_with_its_legend(settings, tmp_path):
    import re

    def trend_rows(path) -> int:
        with zipfile.ZipFile(path) as archive:
            drawing = archive.read("xl/drawings/drawing1.xml").decode("utf-8")
        rows = [int(r) for r in re.findall(r"<xdr:row>(\d+)</xdr:row>", drawing)]
        return rows[5] - rows[4]  # third anchor (the trends): to-row minus from-row

    (tmp_path / "few").mkdir(), (tmp_path / "many").mkdir()
    few = trend_rows(_write(tmp_path / "few", settings, indicators_per_action=1))
    many = trend_rows(_write(tmp_path / "many", settings, indicators_per_action=6))
    assert many >= few + 5  # seven lines in the legend, two before: the plot keeps its room


def test_each_chart_caches_the_values_of_the_cells_it_plots(settings, tmp_path):
    """The data blocks are rendered in one pass (sheet_body): each series still carries
    the values of its cells, as xlsxwriter caches them for cells it wrote itself."""
    import re

    from openpyxl.utils import range_boundaries

    path = _write(tmp_path, settings)
    book = load_workbook(path)
    checked = 0
    with zipfile.ZipFile(path) as archive:
        for name in [n for n in archive.namelist() if n.startswith("xl/charts/chart")]:
            xml = archive.read(name).decode("utf-8")
            for ref, cache in re.findall(
                r"<c:f>(.*?)</c:f>(<c:(?:num|str)Cache>.*?</c:(?:num|str)Cache>)", xml
            ):
                sheet_name, cells = ref.rsplit("!", 1)
                sheet = book[sheet_name.strip("'").replace("''", "'")]
                min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
                expected = [sheet.cell(r, c).value for r in range(min_row, max_row + 1)
                            for c in range(min_col, max_col + 1)]  # fmt: skip
                points = dict(re.findall(r'<c:pt idx="(\d+)"><c:v>(.*?)</c:v>', cache))
                found = [points.get(str(i)) for i in range(len(expected))]
                shown = [_cached(v, numeric=cache.startswith("<c:numCache>")) for v in expected]
                assert found == shown, (name, ref)
                checked += 1
    assert checked > 30


def _cached(value, numeric: bool):
    """How a chart caches a cell (xlsxwriter): numbers as text, text as 0 in a numbers cache."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return f"{value:.16g}"
    return "0" if numeric else value

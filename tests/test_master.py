"""The master workbook checked against figures computed independently from the samples."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import types
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from innova_reports.model import Snapshot
from innova_reports.xlsx.master import HEADER_ROW, TRUNCATION_MARKER, write_master
from tests.test_consolidate import run, samples_copy

PERIOD_END = dt.date(2018, 5, 31)
SHEETS = [
    "Synthèse", "Feuilles de route", "Actions annoncées", "Actions", "Tâches", "Indicateurs",
    "Acteurs", "Calendrier", "Moyens", "Livrables", "Évolutions", "Suivi des retours",
    "Anomalies", "Sources",
]  # fmt: skip


# -- the samples as a person would read them (openpyxl, not our reader) ----------------------


def read_by_hand(path: Path) -> tuple[dict, dict[str, list[dict]]]:
    """Fields by defined name and table rows by header, read with openpyxl."""
    book = openpyxl.load_workbook(path, data_only=True)
    fields = {}
    for name, defined in book.defined_names.items():
        for sheet, coordinate in defined.destinations:
            fields[name] = book[sheet][coordinate.replace("$", "").split(":")[0]].value
    tables = {}
    for sheet in book.worksheets:
        for name, ref in sheet.tables.items():
            cells = [[c.value for c in row] for row in sheet[ref]]
            tables[name] = [dict(zip(cells[0], row, strict=True)) for row in cells[1:]
                            if any(v not in (None, "") for v in row)]  # fmt: skip
    return fields, tables


@pytest.fixture(scope="module")
def samples_by_hand(master_run):
    workbooks = master_run[1]
    read = [read_by_hand(p) for p in sorted(workbooks.rglob("*.xlsx"))]
    roadmaps = [r for r in read if "code_action" not in r[0] or r[0].get("code_action") is None]
    actions = [r for r in read if r[0].get("code_action")]
    assert len(roadmaps) == 6 and len(actions) == 12
    return roadmaps, actions


@pytest.fixture(scope="module")
def master_run(tmp_path_factory, settings):
    base = tmp_path_factory.mktemp("master")
    workbooks = samples_copy(base)
    return run(settings, workbooks, base / "out"), workbooks


@pytest.fixture(scope="module")
def master_book(master_run):
    return openpyxl.load_workbook(master_run[0].master_path)


def table_rows(sheet) -> list[dict]:
    (name, ref), *_ = sheet.tables.items()
    cells = [[c.value for c in row] for row in sheet[ref]]
    rows = [dict(zip(cells[0], row, strict=True)) for row in cells[1:]]
    return [r for r in rows if any(v is not None for v in r.values())]


# -- structure -----------------------------------------------------------------------------


def test_sheets_headers_and_frozen_rows(master_book):
    assert master_book.sheetnames[: len(SHEETS)] == SHEETS
    tasks = master_book["Tâches"]
    (_, ref), = tasks.tables.items()  # fmt: skip
    assert ref.startswith(f"A{HEADER_ROW + 1}:")
    assert [c.value for c in tasks[HEADER_ROW + 1]] == [
        "Axe", "Code action", "Tâche", "Responsable", "Début", "Fin", "Statut", "Avancement",
        "Commentaire", "En retard", "Fichier", "Ligne",
    ]  # fmt: skip
    assert [c.value for c in master_book["Anomalies"][HEADER_ROW + 1]] == [
        "Axe", "Gravité", "Fichier", "Feuille", "Cellule", "Libellé du champ", "Valeur",
        "Message", "Code de l'anomalie",
    ]  # fmt: skip
    assert [c.value for c in master_book["Indicateurs"][HEADER_ROW + 1]][:11] == [
        "Axe", "Code action", "Indicateur", "Unité", "Sens", "Valeur initiale", "Cible",
        "Échéance", "Mois", "Valeur", "Part de la cible atteinte",
    ]  # fmt: skip
    for name in SHEETS:
        sheet = master_book[name]
        assert sheet.freeze_panes == f"A{HEADER_ROW + 2}", name
        assert len(sheet.tables) == 1, name
        assert sheet.column_dimensions["A"].width >= 8


def test_anomalies_sheet_keeps_each_value_under_its_header(master_run, master_book):
    expected = master_run[0].snapshot.table("anomalies").to_dict("records")
    rows = table_rows(master_book["Anomalies"])
    assert len(rows) == len(expected) >= 1
    for row, issue in zip(rows, expected, strict=True):
        assert (row["Axe"], row["Gravité"], row["Fichier"], row["Message"]) == (
            issue["axe"], issue["gravite"], issue["fichier"], issue["message"])  # fmt: skip
        assert row["Libellé du champ"] == issue["libelle"]
        assert "Identifiant du champ" not in row  # no field id reaches people
        assert row["Code de l'anomalie"] == issue["type"]


def test_data_cells_are_top_aligned_and_the_total_is_bold(master_book):
    tasks = master_book["Évolutions"] if table_rows(master_book["Évolutions"]) else None
    sheet = master_book["Tâches"]
    first = sheet[HEADER_ROW + 2]
    assert all(c.alignment.vertical == "top" for c in first if c.value is not None)
    assert tasks is None or all(c.alignment.vertical == "top" for c in tasks[HEADER_ROW + 2]
                                if c.value is not None)  # fmt: skip
    synthesis = master_book["Synthèse"]
    total = next(row for row in synthesis.iter_rows(min_row=HEADER_ROW + 2)
                 if row[1].value == "Programme")  # fmt: skip
    assert total[1].font.bold and total[6].font.bold


def test_paragraph_heights_count_wrapped_and_typed_lines():
    from innova_reports.xlsx.master import LONG_WIDTH, text_lines

    assert text_lines("court") == 1
    assert text_lines("x" * LONG_WIDTH) == 1  # text is narrower than the column's digits
    assert text_lines("x" * (LONG_WIDTH * 2)) == 2
    assert text_lines("un\ndeux\ntrois") == 3


def test_row_counts_match_the_samples(master_book, samples_by_hand):
    roadmaps, actions = samples_by_hand

    def count(docs, table):
        return sum(len(tables.get(table, [])) for _, tables in docs)

    month_values = 0
    for _, tables in actions:
        for row in tables["t_indicateurs"]:
            month_values += sum(1 for header, v in row.items()
                                if header.endswith("2018") and v is not None
                                and _month_of(header) <= "2018-05")  # fmt: skip
    expected = {
        "Feuilles de route": 6, "Actions": 12, "Actions annoncées": count(roadmaps, "t_actions"),
        "Tâches": count(actions, "t_taches"), "Indicateurs": month_values,
        "Acteurs": count(roadmaps, "t_acteurs"), "Calendrier": count(roadmaps, "t_calendrier"),
        "Moyens": count(roadmaps, "t_moyens"), "Livrables": count(roadmaps, "t_livrables"),
        "Sources": 18, "Évolutions": 0,
    }  # fmt: skip
    found = {name: len(table_rows(master_book[name])) for name in expected}
    assert found == expected
    assert min(expected.values()) == 0 and expected["Tâches"] > 40


def _month_of(header: str) -> str:
    from innova_reports.frenchfmt import FRENCH_MONTHS

    name, year = header.rsplit(" ", 1)
    return f"{year}-{FRENCH_MONTHS.index(name) + 1:02d}"


def test_synthesis_figures_match_the_samples(master_book, samples_by_hand):
    roadmaps, actions = samples_by_hand
    rows = {row["Axe"]: row for row in table_rows(master_book["Synthèse"])}
    assert set(rows) == {1, 2, 3, 4, 5, 6, None}
    for axis in range(1, 7):
        own = [a for a in actions if a[0]["axe"] == axis]
        tasks = [t for _, tables in own for t in tables["t_taches"]]
        roadmap = next(r for r in roadmaps if r[0]["axe"] == axis)
        weather = Counter(a[0]["meteo"] for a in own)
        late = sum(1 for t in tasks if t["Fin"] and t["Fin"].date() < PERIOD_END
                   and t["Statut"] not in ("Fait", "Abandonnée"))  # fmt: skip
        row = rows[axis]
        assert row["Feuille de route reçue"] == "Oui"
        assert row["Actions annoncées"] == len(roadmap[1]["t_actions"])
        assert row["Fiches action reçues"] == len(own)
        assert row["Tâches"] == len(tasks)
        assert row["Tâches faites"] == sum(1 for t in tasks if t["Statut"] == "Fait")
        assert row["Tâches en retard"] == late
        assert (row["Météo verte"], row["Météo orange"], row["Météo rouge"]) == (
            weather["Vert"], weather["Orange"], weather["Rouge"])  # fmt: skip
        assert 0 < row["Complétude moyenne"] <= 1
    total = rows[None]
    assert total["Axe d'innovation"] == "Programme"
    assert total["Fiches action reçues"] == 12 and total["Feuille de route reçue"] == 6
    assert total["Tâches en retard"] == sum(rows[a]["Tâches en retard"] for a in range(1, 7)) > 0


def test_french_formats_and_conditional_colours(master_book):
    tasks = master_book["Tâches"]
    header = [c.value for c in tasks[HEADER_ROW + 1]]
    first = tasks[HEADER_ROW + 2]
    fin = first[header.index("Fin")]
    assert isinstance(fin.value, dt.datetime) and fin.number_format == "dd/mm/yyyy"
    assert first[header.index("En retard")].value in ("Oui", "Non")
    assert first[header.index("Avancement")].number_format == "0%"
    rules = {str(r.sqref) for r in tasks.conditional_formatting}
    late_col = openpyxl.utils.get_column_letter(header.index("En retard") + 1)
    assert any(r.startswith(late_col) for r in rules)
    actions = master_book["Actions"]
    weather_col = openpyxl.utils.get_column_letter(
        [c.value for c in actions[HEADER_ROW + 1]].index("Météo") + 1
    )
    weather_rules = [r for cf in actions.conditional_formatting for r in cf.rules
                     if str(cf.sqref).startswith(weather_col)]  # fmt: skip
    assert sorted(r.formula[0] for r in weather_rules) == ['"Orange"', '"Rouge"', '"Vert"']
    indicators = master_book["Indicateurs"]
    share = [c.value for c in indicators[HEADER_ROW + 1]].index("Part de la cible atteinte")
    assert indicators.cell(HEADER_ROW + 2, share + 1).number_format == "0%"


# -- user text stays text ------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://example.org/x","clic")', "+1+2", "-2+3", "@SUM(A1:A3)",
    "file:///etc/passwd", "external:\\\\server\\x.exe", "http://example.org", "=1+1",
    "<r>gras</r>", "<r><t>x</t></r>",  # the shape xlsxwriter's shared strings pass as raw XML
]  # fmt: skip


def _with_texts(snapshot: Snapshot, table: str, column: str, texts: list[str]) -> Snapshot:
    tables = dict(snapshot.tables)
    frame = tables[table].copy()
    frame[column] = frame[column].astype(object)
    for position, text in enumerate(texts):
        frame.iloc[position, frame.columns.get_loc(column)] = text
    tables[table] = frame
    return Snapshot(snapshot.period, snapshot.reporting_date, snapshot.created, tables)


def test_formulas_and_links_typed_by_users_stay_plain_text(master_run, settings, tmp_path):
    snapshot = _with_texts(master_run[0].snapshot, "taches", "tache", HOSTILE)
    snapshot = _with_texts(snapshot, "actions", "titre", HOSTILE[:4])
    path = write_master(tmp_path / "plan.xlsx", snapshot, settings)
    book = openpyxl.load_workbook(path)
    found = [c for c in book["Tâches"]["C"] if c.value in HOSTILE]
    assert sorted(c.value for c in found) == sorted(HOSTILE)
    assert all(c.data_type == "s" for c in found)
    titles = [c for c in book["Actions"]["C"] if c.value in HOSTILE]
    assert len(titles) == 4 and all(c.data_type == "s" for c in titles)
    assert all(not sheet._hyperlinks for sheet in book.worksheets)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml and "hyperlink" not in xml, name


@pytest.mark.parametrize("long", ["x" * 40_000, "😀" * 20_000])  # 40,000 UTF-16 units each
def test_text_too_long_for_a_cell_is_cut_with_a_marker_and_reported(master_run, settings, tmp_path,
                                                                    long):  # fmt: skip
    from innova_reports.xlsx.sheet_body import utf16_length

    snapshot = _with_texts(master_run[0].snapshot, "actions", "contexte", [long])
    book = openpyxl.load_workbook(write_master(tmp_path / "plan.xlsx", snapshot, settings))
    header = [c.value for c in book["Actions"][HEADER_ROW + 1]]
    cell = book["Actions"].cell(HEADER_ROW + 2, header.index("Contexte de l'action") + 1)
    assert 32_766 <= utf16_length(cell.value) <= 32_767 and cell.value.endswith(TRUNCATION_MARKER)
    assert cell.value.startswith(long[:100])
    anomalies = table_rows(book["Anomalies"])
    cut = [r for r in anomalies if r["Code de l'anomalie"] == "texte-tronque"]
    assert len(cut) == 1 and cut[0]["Gravité"] == "avertissement"
    assert cut[0]["Feuille"] == "Actions" and cut[0]["Libellé du champ"] == "Contexte de l'action"


def test_chart_sheets_of_the_dashboard_stage_are_added(master_run, settings, tmp_path, monkeypatch):
    calls = []

    def add_axis_sheets(workbook, snapshot, settings_):
        calls.append(snapshot.period)
        workbook.add_worksheet("Axe 1 graphiques")

    from innova_reports.xlsx import master

    fake = types.SimpleNamespace(add_axis_sheets=add_axis_sheets)
    monkeypatch.setattr(master, "master_charts", fake)
    path = write_master(tmp_path / "plan.xlsx", master_run[0].snapshot, settings)
    assert calls == ["2018-05"]
    assert openpyxl.load_workbook(path).sheetnames[-1] == "Axe 1 graphiques"


@pytest.mark.libreoffice
def test_libreoffice_opens_the_master_and_prints_it(master_run, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé : conversion PDF non vérifiée")
    master = master_run[0].master_path
    command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(master)]  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=180, check=False)
    pdf = tmp_path / (master.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages[:3])
    assert "Plan d'actions INNOVA BRIVE" in text
    assert len(reader.pages) >= len(SHEETS)


def test_each_column_is_written_by_the_writer_of_its_values(settings, tmp_path):
    """Columns of one kind take a fast path; a column of mixed kinds is typed cell by cell.
    Either way text stays text, even when it looks like a formula or a number."""
    from innova_reports.xlsx.master import WORKBOOK_OPTIONS, _MasterWriter
    from innova_reports.xlsx.sheet_body import BodyWorkbook
    from tests.snapshot_factory import make_snapshot

    path = tmp_path / "colonnes.xlsx"
    workbook = BodyWorkbook(str(path), WORKBOOK_OPTIONS)
    writer = _MasterWriter(workbook, make_snapshot(settings), settings)
    sheet = workbook.add_worksheet("Essai")
    mixed = [1, "=1+1", None, True, dt.date(2018, 5, 1), 2.5]
    texts = ['=HYPERLINK("http://x")', "12", None, "a", "b", "c"]
    numbers = [1, 2.5, None, 3, 4, 5]
    writer._table(sheet, "essai", ["valeur", "tache", "taille"], ["Valeur", "Tâche", "Taille"],
                  [mixed, texts, numbers])  # fmt: skip
    workbook.close()
    rows = list(openpyxl.load_workbook(path)["Essai"].iter_rows(min_row=HEADER_ROW + 2))
    assert [r[0].value for r in rows] == [1, "=1+1", None, "Oui", dt.datetime(2018, 5, 1), 2.5]
    assert [r[0].data_type for r in rows][:2] == ["n", "s"]
    assert [r[1].value for r in rows] == texts and rows[0][1].data_type == "s"
    assert [r[2].value for r in rows] == numbers
    assert rows[0][2].number_format == "#,##0"  # the column's number format, on the fast path


def test_a_table_longer_than_a_sheet_is_cut_and_said(master_run, settings, tmp_path, monkeypatch):
    """Beyond Excel's 1,048,576 rows (a few hostile files could get there): the sheet
    keeps what fits, the Anomalies sheet says so, the history keeps everything."""
    from innova_reports.xlsx import master

    monkeypatch.setattr(master, "MAX_ROWS", 10)  # the same rule, at a size a test can write
    tasks = len(master_run[0].snapshot.table("taches"))
    assert tasks > 10
    book = openpyxl.load_workbook(write_master(tmp_path / "plan.xlsx", master_run[0].snapshot,
                                               settings))  # fmt: skip
    assert len(table_rows(book["Tâches"])) == 10
    cut = [r for r in table_rows(book["Anomalies"]) if r["Code de l'anomalie"] == "tableau-tronque"]
    assert {r["Feuille"] for r in cut} >= {"Tâches", "Indicateurs"}
    assert f"compte {tasks} lignes" in next(r["Message"] for r in cut if r["Feuille"] == "Tâches")


def test_number_formats_come_from_the_field_types(settings):
    """A money field is shown in euros because it is FieldType.MONEY, not by its id."""
    from innova_reports.fields import FieldType, all_specs
    from innova_reports.xlsx.master import TYPE_FORMATS, number_formats

    formats = number_formats(settings)
    for spec in all_specs(settings):
        for field in [*spec.fields, *(c for t in spec.tables for c in t.columns)]:
            assert formats.get(field.id) == TYPE_FORMATS.get(field.type), field.id
    assert formats["budget_eur"] == formats["montant_eur"] == TYPE_FORMATS[FieldType.MONEY]
    assert formats["avancement"] == "0%" and formats["part_cible"] == "0%"

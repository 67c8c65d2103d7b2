"""The booklet's PDF and the action sheets' PDFs, on the consolidated sample workbooks,
read back with pypdf as a reader searching or copying the text gets it."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from innova_reports.booklet import BookletError, write_booklet
from innova_reports.consolidate.history import History
from innova_reports.frenchfmt import french_typography
from innova_reports.pipeline.booklet import booklet_month
from tests.booklet_helpers import contents, pages_text, squash
from tests.snapshot_factory import FakeHistory, make_large_axis_snapshot, make_snapshot
from tests.test_consolidate import run, samples_copy

PERIOD = "2018-05"


@pytest.fixture(scope="module")
def sample(tmp_path_factory, settings):
    """The samples consolidated, then their booklet: (result, snapshot, page texts)."""
    base = tmp_path_factory.mktemp("booklet")
    output = base / "sorties"
    run(settings, samples_copy(base), output)
    result = booklet_month(settings, PERIOD, output)  # on every core, as run writes it
    snapshot = History(output / "historique.sqlite").load(PERIOD)
    return result, snapshot, pages_text(result.pdf)


def actions_of(snapshot):
    """(code, title, axis) of every received sheet, read from the snapshot itself."""
    frame = snapshot.table("actions")
    return list(zip(frame["code_action"], frame["titre"], frame["axe"], strict=True))


def test_writes_the_booklet_the_docx_and_one_pdf_per_sheet(sample):
    result, snapshot, pages = sample
    folder = result.pdf.parent
    assert result.pdf == folder / f"plan_actions_{PERIOD}.pdf"
    assert result.docx == folder / f"plan_actions_{PERIOD}.docx"
    codes = sorted(code for code, _, _ in actions_of(snapshot))
    assert sorted(p.name for p in (folder / "fiches").iterdir()) == [f"{c}.pdf" for c in codes]
    assert result.pages == len(pages)


def test_cover_says_programme_councils_plan_and_working_document(sample, settings):
    cover = sample[2][0]
    for text in ("INNOVA BRIVE", *settings.councils, "Plan d'actions",
                 "document de travail — état au 31 mai 2018"):  # fmt: skip
        assert squash(french_typography(text)) in squash(cover)
    assert "page" not in cover  # no footer on the cover


def test_contents_list_every_action_on_the_page_of_its_heading(sample):
    _, snapshot, pages = sample
    entries = contents(pages)
    assert "Le programme" in entries and "Annexe" in entries
    for code, title, axis in actions_of(snapshot):
        heading = f"{code} – {french_typography(title)}"
        assert heading in entries, f"{heading} missing from the contents"
        page = entries[heading]
        lines = [line.strip() for line in pages[page - 1].splitlines()]
        top = squash("".join(lines[1:4]))  # the heading may take two lines
        assert lines[1].startswith(f"{code} – ") and top.startswith(squash(heading)), (
            f"{code}: heading not at the top of page {page}"
        )
        assert f"{code} – " not in pages[page - 2]  # nor on the page before
        assert lines[0].startswith(f"Axe {axis} – ")  # the running header names the axis
    announced = snapshot.table("actions_annoncees")
    without = set(announced["code"]) - {code for code, _, _ in actions_of(snapshot)}
    assert without == {"A4.2"}
    assert any(t.startswith("A4.2 – ") and t.endswith("(fiche à venir)") for t in entries)


def test_page_numbers_and_count_within_bounds(sample):
    pages = sample[2]
    assert 20 <= len(pages) <= 45
    for number, text in enumerate(pages[1:], start=2):
        assert f"page {number} / {len(pages)}" in text


def test_fonts_are_embedded_and_come_with_python_packages(sample):
    reader = PdfReader(sample[0].pdf)
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names and all(name.startswith(("DejaVuSans", "Noto")) for name in names), names


def test_french_typography_dates_and_amounts(sample):
    result, snapshot, pages = sample
    sheet = PdfReader(result.fiches / "A1.1.pdf")
    text = "".join(page.extract_text() for page in sheet.pages)
    assert "8\u202f500\u00a0€" in text  # the budget of A1.1 in the samples
    assert "14 mai 2018" in text
    assert "longtemps aux guichets et au téléphone\u202f;" in text.replace("\n", " ")
    assert "Indicateur dans la trajectoire\u202f:" in text.replace("\n", " ")


def test_each_sheet_pdf_is_the_sheet_with_its_axis_in_the_header(sample):
    result, snapshot, _ = sample
    for code, title, axis in actions_of(snapshot):
        pages = pages_text(result.fiches / f"{code}.pdf")
        assert 1 <= len(pages) <= 3
        assert pages[0].splitlines()[0].startswith(f"INNOVA BRIVE – Plan d'actions – Axe {axis} –")
        assert squash(f"{code} – {french_typography(title)}") in squash(pages[0])
        assert f"page 1 / {len(pages)}" in pages[0]


def test_long_tables_repeat_their_header_and_headings_never_end_a_page(settings, tmp_path):
    """80 tasks run over pages: the header row comes back on each; contexts of growing
    length move every section heading down the page, and none is left at a page end."""
    snapshot = make_large_axis_snapshot(settings, actions=24, tasks_per_action=3)
    actions = snapshot.tables["actions"].copy()
    actions["contexte"] = [("Une phrase de contexte assez longue pour remplir. " * 9 * i)
                           for i in range(len(actions))]  # fmt: skip
    tasks = snapshot.tables["taches"]
    first = tasks[tasks["code_action"] == "A1.1"]
    import pandas as pd

    many = pd.concat([first] * 27, ignore_index=True)  # 81 tasks for A1.1
    tables = {**snapshot.tables, "actions": actions, "taches": pd.concat([many, tasks])}
    snapshot = type(snapshot)(snapshot.period, snapshot.reporting_date, snapshot.created, tables)
    result = write_booklet(settings, PERIOD, output_dir=tmp_path,
                           history=FakeHistory({PERIOD: snapshot}))  # fmt: skip
    fiche = pages_text(result.fiches / "A1.1.pdf")
    with_tasks = [p for p in fiche if "Tâche 1 de A1.1" in p]
    assert len(with_tasks) >= 2
    assert all("Tâche Responsable Début Fin" in page for page in with_tasks)
    header = "INNOVA BRIVE – Plan d'actions – Axe 1 – "  # on every page of the sheet's PDF
    assert all(page.splitlines()[0].startswith(header) for page in fiche)
    sections = {"Contexte de l'action", "Finalités", "Contenu / process", "Organisation de l'action",
                "Moyens nécessaires", "Tâches de l'action", "Indicateurs de suivi"}  # fmt: skip
    pages = pages_text(result.pdf)
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"page \d+ / \d+", line)]
        assert body[-1] not in sections, f"page {number} ends with the heading « {body[-1]} »"


def test_long_text_flows_over_pages(settings, tmp_path):
    from tests.booklet_helpers import body_text, long_text, with_column

    text = long_text()
    snapshot = with_column(make_snapshot(settings), "actions", "A1.2", "contexte", text)
    result = write_booklet(settings, PERIOD, output_dir=tmp_path,
                           history=FakeHistory({PERIOD: snapshot}))  # fmt: skip
    pages = pages_text(result.fiches / "A1.2.pdf")
    assert len(pages) >= 5
    assert squash(french_typography(text)) in squash(body_text(pages))


def test_adopted_plan_on_the_cover_from_the_plan_date(settings, tmp_path):
    snapshot = make_snapshot(settings, "2018-09")
    result = write_booklet(settings, "2018-09", output_dir=tmp_path,
                           history=FakeHistory({"2018-09": snapshot}))  # fmt: skip
    cover = pages_text(result.pdf)[0]
    assert "adopté par le comité de pilotage du 20 septembre 2018" in cover
    assert "document de travail" not in cover


def test_same_files_in_one_process_and_on_every_core(sample, settings, tmp_path):
    result, snapshot, _ = sample
    again = write_booklet(settings, PERIOD, output_dir=tmp_path,
                          history=FakeHistory({PERIOD: snapshot}))  # fmt: skip
    assert again.pdf.read_bytes() == result.pdf.read_bytes()
    assert again.docx.read_bytes() == result.docx.read_bytes()
    for path in result.sheets:
        assert (again.fiches / path.name).read_bytes() == path.read_bytes()


def test_a_period_never_consolidated_is_a_french_error(settings, tmp_path):
    with pytest.raises(BookletError, match="jamais été consolidée.*consolidate --period 2018-07"):
        write_booklet(settings, "2018-07", output_dir=tmp_path)
    with pytest.raises(BookletError, match="2018-07"):
        write_booklet(settings, "2018-07", output_dir=tmp_path, history=FakeHistory())


def test_a_sheet_that_left_the_plan_leaves_the_fiches_folder(settings, tmp_path):
    history = FakeHistory({PERIOD: make_snapshot(settings)})
    first = write_booklet(settings, PERIOD, output_dir=tmp_path, history=history)
    assert (first.fiches / "A1.1.pdf").is_file()
    fewer = make_snapshot(settings, empty_axes=(1, 6))
    second = write_booklet(settings, PERIOD, output_dir=tmp_path,
                           history=FakeHistory({PERIOD: fewer}))  # fmt: skip
    assert not (second.fiches / "A1.1.pdf").exists() and (second.fiches / "A2.1.pdf").is_file()

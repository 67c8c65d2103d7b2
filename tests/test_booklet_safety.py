"""User text is data: whatever a group typed prints literally in the PDFs and the DOCX,
and nothing of it runs as Typst markup or code (issue 15's hostile texts)."""

from __future__ import annotations

import pytest
from docx import Document

from innova_reports.booklet import write_booklet
from innova_reports.frenchfmt import french_typography
from tests.booklet_helpers import (
    HOSTILE_TASKS,
    HOSTILE_TEXTS,
    HOSTILE_TITLE,
    body_text,
    contents,
    hostile_snapshot,
    long_text,
    pages_text,
    squash,
)
from tests.snapshot_factory import FakeHistory

PERIOD = "2018-05"


@pytest.fixture(scope="module")
def written(settings, tmp_path_factory):
    output = tmp_path_factory.mktemp("hostile")
    history = FakeHistory({PERIOD: hostile_snapshot(settings)})
    return write_booklet(settings, PERIOD, output_dir=output, history=history)


@pytest.fixture(scope="module")
def booklet_text(written):
    return squash(body_text(pages_text(written.pdf)))


@pytest.mark.parametrize("field", sorted(HOSTILE_TEXTS))
def test_hostile_text_prints_literally_in_the_booklet_and_its_sheet(written, booklet_text, field):
    expected = squash(french_typography(HOSTILE_TEXTS[field]))
    assert expected in booklet_text
    assert expected in squash(body_text(pages_text(written.fiches / "A1.1.pdf")))


@pytest.mark.parametrize("task", HOSTILE_TASKS)
def test_single_signs_print_as_task_names(written, task):
    pages = pages_text(written.fiches / "A1.1.pdf") + pages_text(written.fiches / "A1.2.pdf")
    rows = [line for page in pages for line in page.splitlines()]
    assert any(line.startswith(f"{task} ") for line in rows), task


def test_nothing_was_read_or_evaluated(written, booklet_text):
    assert "root:" not in booklet_text  # /etc/passwd was not read
    assert "x^2" in booklet_text  # $x^2$ stayed text, not an equation
    contents_ = contents(pages_text(written.pdf))
    assert f"A1.1 – {HOSTILE_TITLE}" in contents_


def test_thirty_thousand_characters_flow_over_pages(written, booklet_text):
    text = squash(french_typography(long_text()))
    assert booklet_text.count(text) == 2  # A1.2's context, A2.1's full title
    pages = pages_text(written.fiches / "A1.2.pdf")
    assert len(pages) >= 5
    title = next(t for t in contents(pages_text(written.pdf)) if t.startswith("A2.1 – "))
    assert len(title) < 200 and title.endswith(" …")  # cut in the contents only


def test_hostile_text_is_literal_in_the_docx(written):
    document = Document(written.docx)
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    joined = "\n".join(texts)
    for text in HOSTILE_TEXTS.values():
        assert french_typography(text) in joined
    assert french_typography(long_text()) in joined

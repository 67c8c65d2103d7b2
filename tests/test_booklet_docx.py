"""The editable plan d'actions (DOCX): its structure read with python-docx, and the
real LibreOffice opening and printing it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from innova_reports.booklet import write_booklet
from innova_reports.frenchfmt import french_typography
from tests.booklet_helpers import pages_text, squash
from tests.factories import SOFFICE_TIMEOUT, soffice_path
from tests.snapshot_factory import FakeHistory, make_snapshot

PERIOD = "2018-05"


@pytest.fixture(scope="module")
def written(settings, tmp_path_factory):
    output = tmp_path_factory.mktemp("docx")
    snapshot = make_snapshot(settings)
    result = write_booklet(settings, PERIOD, output_dir=output,
                           history=FakeHistory({PERIOD: snapshot}))  # fmt: skip
    return result, snapshot


@pytest.fixture(scope="module")
def document(written):
    return Document(written[0].docx)


def styled(document, name):
    return [p.text for p in document.paragraphs if p.style.name == name]


def test_parts_and_actions_are_real_headings(document, written, settings):
    _, snapshot = written
    assert styled(document, "Heading 1") == [
        "Le programme", *(axis.label for axis in settings.axes), "Annexe",
    ]  # fmt: skip
    level2 = styled(document, "Heading 2")
    for code, title in zip(snapshot.table("actions")["code_action"],
                           snapshot.table("actions")["titre"], strict=True):  # fmt: skip
        assert f"{code} – {french_typography(title)}" in level2
    assert "A3.3 – Communication interne (fiche à venir)" in level2
    assert "Feuille de route de l'axe 1" in level2
    assert "Contexte de l'action" in styled(document, "Heading 3")


def test_contents_is_a_toc_field_updated_on_opening(written, document):
    body = document.element.body
    instructions = [node.text for node in body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith('TOC \\o "1-2"') for text in instructions)
    kinds = [node.get(qn("w:fldCharType")) for node in body.iter(qn("w:fldChar"))]
    assert kinds[:3] == ["begin", "separate", "end"]
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_table_header_rows_repeat(document, written):
    tables = document.tables
    assert len(tables) > 30
    with_header = [t for t in tables if t.rows[0]._tr.trPr is not None
                   and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]  # fmt: skip
    tasks = [t for t in with_header if t.rows[0].cells[0].text == "Tâche"]
    assert len(tasks) == len(written[1].table("actions"))  # one per received sheet
    labels = [t for t in tables if t not in with_header]
    assert all(len(t.columns) == 2 for t in labels)  # only the label / value tables have none
    assert all(r._tr.trPr is None for t in tasks for r in t.rows[1:])


def test_each_part_names_itself_in_its_header_and_numbers_its_pages(document, settings):
    sections = document.sections
    headers = [s.header.paragraphs[0].text for s in sections[1:]]
    assert headers == ["Le programme", *(axis.label for axis in settings.axes), "Annexe"]
    for section in sections[1:]:
        footer = section.footer._element
        fields = " ".join(node.text for node in footer.iter(qn("w:instrText")))
        assert "PAGE" in fields and "NUMPAGES" in fields
        assert round(section.page_width.cm, 1) == 21.0  # A4 portrait
        assert round(section.page_height.cm, 1) == 29.7


def test_properties_in_french_and_same_bytes_again(written, settings, tmp_path):
    result, snapshot = written
    properties = Document(result.docx).core_properties
    assert properties.title == "INNOVA BRIVE – Plan d'actions (mai 2018)"
    assert properties.language == "fr-FR"
    again = write_booklet(settings, PERIOD, output_dir=tmp_path,
                          history=FakeHistory({PERIOD: snapshot}))  # fmt: skip
    assert again.docx.read_bytes() == result.docx.read_bytes()
    with zipfile.ZipFile(result.docx) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.libreoffice
def test_libreoffice_converts_the_docx_to_pdf(written, tmp_path):
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé : conversion du DOCX non vérifiée")
    result, snapshot = written
    with tempfile.TemporaryDirectory(prefix="innova-lo-") as profile:
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                   str(result.docx)]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)  # fmt: skip
        try:
            process.communicate(timeout=SOFFICE_TIMEOUT)
        finally:
            # what is left of the session (soffice.bin can outlive the launcher)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    pdf = tmp_path / f"{result.docx.stem}.pdf"
    assert pdf.is_file(), "LibreOffice n'a pas produit le PDF"
    pages = pages_text(pdf)
    assert 20 <= len(pages) <= 80
    text = squash("".join(pages))
    for code, title in zip(snapshot.table("actions")["code_action"],
                           snapshot.table("actions")["titre"], strict=True):  # fmt: skip
        assert squash(f"{code} – {french_typography(title)}") in text
    assert pages[-1].rstrip().endswith(f"page {len(pages)} / {len(pages)}")  # fields computed

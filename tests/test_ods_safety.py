"""Broken and hostile .ods files: one clear French refusal or issue each, never a crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

import pytest

from innova_reports.fields import ACTION
from innova_reports.model import ReadStatus
from innova_reports.read.safety import Limits
from innova_reports.read.workbook import read_workbook
from tests import hostile, ods_factory
from tests.ods_factory import make_ods

FIELDS = {"code_action": "A3.2", "axe": 3, "titre": "Dématérialisation des procédures",
          "statut": "En cours"}  # fmt: skip
TASKS = [{"tache": "Recenser les procédures", "statut": "Fait", "avancement": 1}]
FILLED = b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


@pytest.fixture
def ods(tmp_path, settings):
    return make_ods(tmp_path / "A3.2.ods", ACTION, settings, fields=FIELDS,
                    tables={"t_taches": TASKS})  # fmt: skip


def refused(path, settings, kind: str, **options) -> str:
    outcome = read_workbook(path, settings, **options)
    assert outcome.status is ReadStatus.REFUSED, outcome.status
    assert [issue.flat() for issue in outcome.issues] == [(path.name, "", "", kind, "erreur")]
    return outcome.reason


def with_content(ods, target, edit):
    return ods_factory.rewrite(ods, target, {"content.xml": edit})


def before_the_sheets(extra: bytes):
    return lambda xml: xml.replace(b"<office:spreadsheet>", b"<office:spreadsheet>" + extra, 1)


def test_the_factory_ods_reads(ods, settings):
    outcome = read_workbook(ods, settings)
    assert outcome.status is ReadStatus.READ and outcome.data.issues == []


# -- XML ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "member", ["content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"]
)
@pytest.mark.parametrize("laughs", [False, True])
def test_doctype_or_entities_in_any_part(tmp_path, settings, ods, member, laughs):
    doctype = hostile.LAUGHS_DOCTYPE if laughs else hostile.XXE_DOCTYPE
    path = ods_factory.rewrite(
        ods, tmp_path / "xxe.ods", {member: lambda xml: hostile.insert_in_prolog(xml, doctype)}
    )
    assert "DOCTYPE" in refused(path, settings, "xml-dangereux")


def test_doctype_hidden_after_a_comment_in_content(tmp_path, settings, ods):
    hidden = b"<!-- <table:table> -->" + hostile.XXE_DOCTYPE
    path = with_content(ods, tmp_path / "cache.ods", lambda x: hostile.insert_in_prolog(x, hidden))
    refused(path, settings, "xml-dangereux")


def test_an_undeclared_entity_is_a_broken_file_not_a_read(tmp_path, settings, ods):
    path = with_content(ods, tmp_path / "entite.ods",
                        lambda xml: xml.replace(b"Recenser", b"&xxe;Recenser"))  # fmt: skip
    assert refused(path, settings, "fichier-illisible")


def test_a_not_well_formed_content_is_refused(tmp_path, settings, ods):
    path = with_content(ods, tmp_path / "casse.ods", lambda xml: xml[: len(xml) // 2])
    outcome = read_workbook(path, settings)
    assert outcome.status is ReadStatus.REFUSED
    assert outcome.issues[0].type in ("fichier-illisible", "tableau-introuvable", "pas-un-modele")


# -- sizes and cells -----------------------------------------------------------------------


def test_decompression_bomb(tmp_path, settings, ods):
    zeros = b'<?xml version="1.0" encoding="UTF-8"?>\n<a>' + bytes(5_000_000) + b"</a>"
    path = ods_factory.rewrite(ods, tmp_path / "bombe.ods", {"content.xml": zeros})
    assert path.stat().st_size < 50_000
    assert "par sécurité" in refused(path, settings, "bombe-decompression")


def test_one_filled_cell_repeated_over_a_row_a_million_times(tmp_path, settings, ods):
    run = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
           b'table:number-columns-repeated="16384" office:value-type="string">'
           b"<text:p>x</text:p></table:table-cell></table:table-row>")  # fmt: skip
    sheet = b'<table:table table:name="Feuille 2">' + run + b"</table:table>"
    path = with_content(ods, tmp_path / "enorme.ods", before_the_sheets(sheet))
    assert path.stat().st_size < 50_000
    reason = refused(path, settings, "trop-de-cellules")
    assert "« Feuille 2 »" in reason and "100 000" in reason


def test_a_filled_row_repeated_is_counted_per_row(tmp_path, settings, ods):
    run = b'<table:table-row table:number-rows-repeated="200000">' + FILLED + b"</table:table-row>"
    path = with_content(ods, tmp_path / "lignes.ods",
                        before_the_sheets(b'<table:table table:name="L">' + run + b"</table:table>"))  # fmt: skip
    refused(path, settings, "trop-de-cellules")


def test_empty_runs_over_every_row_and_column_cost_nothing(tmp_path, settings, ods):
    empty = (b'<table:table-row table:number-rows-repeated="1048576">'
             b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')  # fmt: skip
    sheets = b"".join(b'<table:table table:name="V%d">' % n + empty + b"</table:table>"
                      for n in range(50))  # fmt: skip
    path = with_content(ods, tmp_path / "vides.ods", before_the_sheets(sheets))
    assert read_workbook(path, settings).status is ReadStatus.READ


def test_many_sheets_each_under_the_limit(tmp_path, settings, ods):
    row = b"<table:table-row>" + FILLED * 40 + b"</table:table-row>"
    sheets = b"".join(b'<table:table table:name="S%d">' % n + row * 20 + b"</table:table>"
                      for n in range(10))  # fmt: skip
    path = with_content(ods, tmp_path / "feuilles.ods", before_the_sheets(sheets))
    limits = Limits(max_cells=1_000, max_cells_total=5_000)
    assert "5 000" in refused(path, settings, "trop-de-cellules-classeur", limits=limits)


def test_a_repeat_that_is_not_a_number(tmp_path, settings, ods):
    path = with_content(ods, tmp_path / "nombre.ods", lambda xml: xml.replace(
        b'table:number-columns-repeated="16383"', b'table:number-columns-repeated="1e9"', 1))  # fmt: skip
    assert "content.xml" in refused(path, settings, "zip-tronque")


FAR_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from innova_reports.read.workbook import read_workbook
    from innova_reports.settings import load_settings
    outcome = read_workbook(Path(sys.argv[1]), load_settings(sys.argv[2]))
    print(outcome.status.name, outcome.data.value("code_action"))
    """
)


def _main_sheet_rows(xml: bytes, rows: bytes) -> bytes:
    """Rows added at the end of the main sheet, before its trailing empty rows."""
    start = xml.index(b'<table:table table:name="Fiche action">')
    end = xml.index(b"<table:table-row table:number-rows-repeated=", start)
    return xml[:end] + rows + xml[end:]


@pytest.mark.parametrize(
    ("rows", "cells"),
    [
        pytest.param(b"<table:table-row><table:table-cell table:number-columns-repeated='16000'/>"
                     + FILLED + b"</table:table-row>", ("WQK21",), id="far-right"),
        pytest.param(b"<table:table-row table:number-rows-repeated='100000'>"
                     b"<table:table-cell table:number-columns-repeated='3'/></table:table-row>"
                     b"<table:table-row>" + FILLED + b"</table:table-row>", ("A100021",),
                     id="far-down"),
    ],
)  # fmt: skip
def test_a_far_away_cell_is_set_aside(tmp_path, settings, ods, rows, cells):
    path = with_content(ods, tmp_path / "loin.ods", lambda xml: _main_sheet_rows(xml, rows))
    result = subprocess.run(
        [sys.executable, "-c", FAR_SCRIPT, str(path), str(settings.path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["READ", "A3.2"]
    data = read_workbook(path, settings).data
    assert [(i.sheet, i.cell, i.type) for i in data.issues] == [
        ("Fiche action", cells[0], "cellules-hors-zone")
    ]
    assert data.value("titre") == "Dématérialisation des procédures"


def test_runs_across_the_border_keep_their_part_inside(tmp_path, settings, ods):
    """A value filled right across the sheet, or down far below, stays in the template's
    area; only its part beyond the read area is set aside."""
    across = (b'<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
              b'<table:table-cell table:number-columns-repeated="300" office:value-type="string">'
              b"<text:p>rempli</text:p></table:table-cell></table:table-row>")  # fmt: skip
    down = (b'<table:table-row table:number-rows-repeated="6000">'
            b'<table:table-cell table:number-columns-repeated="3"/>' + FILLED + b"</table:table-row>")  # fmt: skip

    def edit(xml: bytes) -> bytes:
        start = xml.index('<table:table table:name="Tâches">'.encode())
        end = xml.index(b"<table:table-row table:number-rows-repeated=", start)
        return xml[:end] + across + down + xml[end:]

    path = with_content(ods, tmp_path / "bord.ods", edit)
    data = read_workbook(path, settings).data
    # the far part set aside; the part kept inside lies outside the table, and is said too
    kinds = [(i.sheet, i.type) for i in data.issues]
    assert kinds == [("Tâches", "cellules-hors-zone"), ("Tâches", "valeurs-hors-tableau")]
    assert "IW6" in data.issues[0].message and "D5001" in data.issues[0].message
    from innova_reports.read.ods import load_ods_sheets, read_ods_structure
    from innova_reports.read.safety import DEFAULT_LIMITS

    archive = zipfile.ZipFile(path)
    content = read_ods_structure(archive, DEFAULT_LIMITS)
    sheets, _ = load_ods_sheets(
        path.read_bytes(), archive, content, ["Tâches"], "f", DEFAULT_LIMITS
    )
    grid = sheets["Tâches"].grid
    assert grid[5][2:256] == ["rempli"] * 254 and len(grid[5]) <= 256
    assert len(grid) == 5000 and grid[4999][3] == 1.0


# -- structure -----------------------------------------------------------------------------


def test_missing_content_is_refused(tmp_path, settings, ods):
    path = ods_factory.rewrite(ods, tmp_path / "vide.ods", {"content.xml": None})
    assert "content.xml" in refused(path, settings, "zip-tronque")


def test_password_protected_ods(tmp_path, settings, ods):
    manifest = ods_factory.MANIFEST.replace(
        b'manifest:media-type="text/xml"/>',
        b'manifest:media-type="text/xml"><manifest:encryption-data/></manifest:file-entry>',
    )
    path = ods_factory.rewrite(ods, tmp_path / "secret.ods", {"META-INF/manifest.xml": manifest})
    assert "LibreOffice" in refused(path, settings, "protege-par-mot-de-passe")


def test_a_name_pointing_nowhere_is_said_for_its_field(tmp_path, settings, ods):
    def edit(xml: bytes) -> bytes:
        old = b'table:name="titre" table:base-cell-address="$\'Fiche action\'.$B$7" '
        assert old in xml
        start = xml.index(old)
        end = xml.index(b"/>", start)
        return xml[:start] + b'table:name="titre" table:cell-range-address="#REF!"' + xml[end:]

    data = read_workbook(with_content(ods, tmp_path / "ref.ods", edit), settings).data
    assert [(i.type, i.field) for i in data.issues] == [("champ-introuvable", "titre")]
    assert data.value("code_action") == "A3.2"


def test_names_pointing_to_a_missing_sheet_refuse_the_file_once(tmp_path, settings, ods):
    path = with_content(ods, tmp_path / "feuille.ods", lambda xml: xml.replace(
        b'<table:table table:name="Fiche action">', b'<table:table table:name="Autre">'))  # fmt: skip
    assert "« Fiche action »" in refused(path, settings, "feuille-introuvable")


def test_a_database_range_on_a_missing_sheet(tmp_path, settings, ods):
    path = with_content(ods, tmp_path / "plage.ods",
                        lambda xml: xml.replace("Tâches.A4:Tâches.G5".encode(), b"Autre.A4:Autre.G5"))  # fmt: skip
    data = read_workbook(path, settings).data
    assert [(i.type, i.sheet) for i in data.issues] == [("tableau-introuvable", "Tâches")]


def test_tags_in_comments_and_cdata_are_not_cells(tmp_path, settings, ods):
    fake = (b"<!-- <table:table-row><table:table-cell office:value-type='float'/>"
            b"</table:table-row> --><?pi <table:table-row> ?>")  # fmt: skip
    path = with_content(ods, tmp_path / "commentaire.ods",
                        lambda xml: _main_sheet_rows(xml, b"").replace(b"<table:table-row>", fake + b"<table:table-row>", 3))  # fmt: skip
    data = read_workbook(path, settings).data
    assert data.value("titre") == "Dématérialisation des procédures"
    assert data.fields["titre"].cell == "B7"

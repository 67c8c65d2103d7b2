"""Each command leaves both pages up to date: consolidate, dashboards, mail and run.

The pipeline rewrites the status page and the months' index after every step that
changes what they show; each page links exactly the files on disk at that moment.
"""

from __future__ import annotations

import shutil

from innova_reports.pipeline.consolidate import consolidate_period
from innova_reports.pipeline.dashboards import draw_dashboards
from innova_reports.pipeline.mail import load_snapshot, mail_month
from tests.cockpit_pages import broken_links, plain_text, section_text
from tests.conftest import ROOT

PERIOD = "2018-05"


def _pages(output):
    page = (output / PERIOD / "index.html").read_text("utf-8")
    months = (output / "index.html").read_text("utf-8")
    assert broken_links(output / PERIOD / "index.html", page) == []
    assert broken_links(output / "index.html", months) == []
    return page, months


def test_each_step_rewrites_the_status_page(settings, tmp_path):
    workbooks, output = tmp_path / "workbooks", tmp_path / "output"
    for axis in (1, 4):  # two groups are enough to follow the steps
        shutil.copytree(ROOT / "workbooks" / f"axe-{axis}", workbooks / f"axe-{axis}")

    result = consolidate_period(settings, PERIOD, workbooks_dir=workbooks, output_dir=output)
    assert result.index == output / PERIOD / "index.html"
    page, months = _pages(output)
    assert 'href="plan_actions_2018-05.xlsx"' in page and "tableaux/" not in page
    assert "Tableau de bord aux pilotes de l'axe 1 pas encore préparé" in section_text(
        page, "axe-1"
    )
    assert 'href="2018-05/index.html"' in months and "1 mois consolidé" in plain_text(months)

    boards = draw_dashboards(settings, PERIOD, output_dir=output, workers=1)
    page, _ = _pages(output)
    assert boards.index == output / PERIOD / "index.html"
    assert 'href="tableaux/axe-1.html"' in page and 'href="tableaux/synthese.pdf"' in page
    assert "mail/" not in page

    mail_month(settings, load_snapshot(output, PERIOD), output, send=False)
    page, _ = _pages(output)
    assert 'href="mail/axe-1.eml"' in page and 'href="mail/relance-axe-4.eml"' in page
    words = section_text(page, "axe-4")
    assert "Relance des pilotes de l'axe 4 (documents manquants) brouillon écrit le" in words

    consolidate_period(settings, "2018-04", workbooks_dir=workbooks, output_dir=output)
    _, months = _pages(output)
    assert "2 mois consolidés" in plain_text(months)
    assert months.index("mai 2018") < months.index("avril 2018")  # newest first


def test_every_output_of_a_real_month_is_linked(sample_month):
    """The run's annotated copies, pre-filled workbooks, booklet sheets, feedback lists,
    dashboards and drafts: each file is reachable from the status page."""
    folder = sample_month.period_dir
    page = (folder / "index.html").read_text("utf-8")
    assert broken_links(folder / "index.html", page) == []
    expected = [
        *folder.glob("retours/*/*_a-corriger.*"), *folder.glob("retours/axe-*.xlsx"),
        *folder.glob("a-remplir/axe-*/*.xlsx"), *folder.glob("fiches/*.pdf"),
        *folder.glob("tableaux/*.pdf"), *folder.glob("mail/*.eml"), *folder.glob("*.docx"),
    ]  # fmt: skip
    assert len(list(folder.glob("retours/*/*_a-corriger.*"))) >= 2  # axis 2, and no axis
    missing = [p.relative_to(folder).as_posix() for p in expected
               if f'href="{p.relative_to(folder).as_posix()}"' not in page]  # fmt: skip
    assert missing == []

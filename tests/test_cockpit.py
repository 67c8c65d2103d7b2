"""The coordinator's status page and the months' index, on synthetic histories.

What each page says (figures, refused files, each axis' returns, corrections,
emails, documents), that it links only files on disk, that user text stays text,
and that the pipeline leaves both pages up to date after each step. The pages in a
real browser: tests/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from html import escape
from pathlib import Path

import pytest

from innova_reports.cockpit import write_cockpit, write_index
from innova_reports.cockpit.markup import href, link, table, text
from innova_reports.consolidate.counts import axis_counts, key_counts
from innova_reports.consolidate.history import History
from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Ledger
from tests.cockpit_pages import (
    broken_links,
    figure,
    parse,
    plain_text,
    section_text,
    with_rows,
)
from tests.snapshot_factory import make_history

PERIODS = ["2018-03", "2018-04", "2018-05"]
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="x'
REFUSED = "axe-2/cassé <b>.xlsx"


def _may(settings, snapshot):
    """The May snapshot with the cases the page must show: refused, ignored and
    axis-less files, issues, hostile titles."""
    suivi = snapshot.table("suivi").to_dict("records")
    for row in suivi:
        if row["code"] == "A1.1":
            row["intitule"] = SCRIPT
    roadmaps = snapshot.table("feuilles_de_route").to_dict("records")
    for row in roadmaps:
        if row["axe"] == 2:
            row["groupe"] = ATTRIBUTE
    sources = [
        {"fichier": row["fichier"], "statut": "consolidé"} for row in suivi if row["fichier"]
    ] + [
        {"fichier": REFUSED, "statut": "écarté",
         "motif": f"fichier illisible : ce n'est pas un classeur {ATTRIBUTE}"},
        {"fichier": "notes.txt", "statut": "ignoré", "motif": "pas un classeur (.txt)"},
        {"fichier": "sans-axe.xlsx", "statut": "écarté",
         "motif": "identité illisible : numéro d'axe absent ou invalide"},
    ]  # fmt: skip
    anomalies = [
        {"fichier": "axe1/A1.1.xlsx", "gravite": "erreur", "type": "date-invalide", "axe": 1},
        {"fichier": "axe1/A1.1.xlsx", "gravite": "erreur", "type": "date-invalide", "axe": 1},
        {"fichier": "axe1/A1.2.xlsx", "gravite": "avertissement", "type": "x", "axe": 1},
        {"fichier": "axe2/A2.1.xlsx", "gravite": "info", "type": "x", "axe": 2},
        {"fichier": REFUSED, "gravite": "erreur", "type": "fichier-illisible", "axe": None},
        {"fichier": "sans-axe.xlsx", "gravite": "erreur", "type": "fichier-ecarte", "axe": None},
    ]
    snapshot = with_rows(snapshot, settings, "suivi", suivi)
    snapshot = with_rows(snapshot, settings, "feuilles_de_route", roadmaps)
    snapshot = with_rows(snapshot, settings, "sources", sources)
    return with_rows(snapshot, settings, "anomalies", anomalies)


def _history(settings, output: Path) -> History:
    fake = make_history(settings, PERIODS)
    history = History(output / "historique.sqlite")
    for period in PERIODS:
        snapshot = fake.snapshots[period]
        history.save(_may(settings, snapshot) if period == "2018-05" else snapshot, settings)
    return history


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


@pytest.fixture
def output(settings, tmp_path):
    history = _history(settings, tmp_path)
    ledger = Ledger(history.path)
    ledger.record("2018-05", "axe-1", ["nathalie.roche@example.org"], "h", SENT, "250 OK")
    ledger.record("2018-05", "axe-2", ["julien.mazeyrie@example.org"], "h", FAILED,
                  f"550 boîte inconnue {SCRIPT}")  # fmt: skip
    ledger.record("2018-05", "copil", ["dgs@example.org"], "h", SENT, "250 OK")
    ledger.record("2018-05", "copil", ["elue.rh@example.org"], "h", UNCERTAIN, "")
    with sqlite3.connect(history.path) as db:  # fixed stamps: the page shows them
        db.execute("UPDATE envois SET horodatage = '2018-06-02T09:30:00+02:00'")
    period = tmp_path / "2018-05"
    _touch(period, "plan_actions_2018-05.xlsx", "plan_actions_2018-05.pdf",
           "tableaux/axe-1.html", "tableaux/axe-1.pdf", "tableaux/axe-1-gantt.png",
           "tableaux/synthese.html", "retours/axe-1.xlsx",
           "retours/axe-1/fiche_action_A1.1_a-corriger.xlsx",
           "retours/axe-1/.fiche.tmp.xlsx", "retours/sans-axe/sans-axe_a-corriger.xlsx",
           "a-remplir/axe-1/fiche_action_A1.10.xlsx", "a-remplir/axe-1/fiche_action_A1.2.xlsx",
           "a-remplir/axe-1/feuille_de_route_axe-1.xlsx", "fiches/A1.1.pdf",
           "mail/axe-3.eml", "mail/relance-axe-3.eml")  # fmt: skip
    day = dt.datetime(2018, 6, 1, 8, 0).timestamp()
    for name in ("axe-3.eml", "relance-axe-3.eml"):
        os.utime(period / "mail" / name, (day, day))
    return tmp_path


def _page(settings, output: Path, period: str = "2018-05") -> str:
    write_cockpit(settings, period, output_dir=output)
    return (output / period / "index.html").read_text("utf-8")


# -- the headline ---------------------------------------------------------------------


def test_headline_shows_the_counts_of_the_synthesis(settings, output):
    page = _page(settings, output)
    parsed = parse(page)
    snapshot = History(output / "historique.sqlite").load("2018-05")
    counts = axis_counts(snapshot, settings, None)
    assert figure(parsed, "actions_received") == counts.actions_received == 9
    assert figure(parsed, "tasks_done") == counts.tasks_done
    assert figure(parsed, "tasks_late") == counts.tasks_late
    assert figure(parsed, "indicators_on_track") == counts.indicators_on_track
    assert figure(parsed, "roadmaps_received") == 5
    assert figure(parsed, "errors") == 4  # every erreur, those of no axis included
    assert figure(parsed, "weather_red") == counts.weathers["Rouge"]
    words = section_text(page, "chiffres")
    assert f"sur {counts.actions_announced} actions annoncées" in words
    assert "et 1 avertissement" in words
    assert "Indicateurs dans la trajectoire" in words


def test_the_month_is_compared_with_the_previous_one(settings, output):
    page = _page(settings, output)
    history = History(output / "historique.sqlite")
    now, before = (key_counts(history.load(p), settings) for p in ("2018-05", "2018-04"))
    words = section_text(page, "chiffres")
    change = now["actions_received"] - before["actions_received"]
    assert change > 0
    assert (f"Fiches action reçues {now['actions_received']} {before['actions_received']} "
            f"+{change}") in words  # fmt: skip
    assert "mai 2018 avril 2018 Évolution" in words


def test_the_first_month_says_there_is_nothing_to_compare(settings, output):
    assert "Premier mois consolidé" in section_text(_page(settings, output, "2018-03"), "chiffres")


# -- files refused or of no axis -------------------------------------------------------


def test_refused_ignored_and_axis_less_files_are_listed_with_their_reason(settings, output):
    words = section_text(_page(settings, output), "fichiers")
    assert (
        f"{REFUSED} – écarté fichier illisible : ce n'est pas un classeur {ATTRIBUTE} 1 0" in words
    )
    assert "notes.txt – ignoré pas un classeur (.txt) 0 0" in words
    assert "sans-axe.xlsx – écarté identité illisible" in words
    assert "axe1/A1.1.xlsx" not in words  # consolidated: in its axis
    assert "Copies annotées des fichiers sans axe" in words
    assert "retours/sans-axe/sans-axe_a-corriger.xlsx" in words


def test_no_problem_file_says_so(settings, tmp_path):
    history = History(tmp_path / "historique.sqlite")
    history.save(make_history(settings, ["2018-05"]).snapshots["2018-05"], settings)
    words = section_text(_page(settings, tmp_path), "fichiers")
    assert "Aucun : chaque fichier trouvé a été consolidé et attribué à un axe." in words


# -- each axis -----------------------------------------------------------------------


def test_each_axis_lists_what_came_in_with_its_date_and_file(settings, output):
    page = _page(settings, output)
    words = section_text(page, "axe-1")
    assert "Groupe : Groupe Relations usagers" in words
    assert "Feuille de route – 27 mai 2018 axe1/feuille_de_route.xlsx 0 0" in words
    assert f"Fiche action A1.1 {SCRIPT} 27 mai 2018 axe1/A1.1.xlsx 2 0" in words
    assert "Fiche action A1.2" in words and "axe1/A1.2.xlsx 0 1" in words
    assert "Tous les documents attendus ont été reçus." in words


def test_announced_actions_still_missing_are_listed(settings, output):
    page = _page(settings, output)
    assert ("Documents attendus, pas encore reçus Fiche action A3.3 « Communication interne » : "
            "non reçu À corriger") in section_text(page, "axe-3")  # fmt: skip
    nothing = section_text(page, "axe-6")
    assert "Aucun document reçu pour cet axe ce mois-ci." in nothing
    assert "Documents attendus, pas encore reçus Feuille de route : non reçu À corriger" in nothing


def test_a_document_not_updated_for_the_month_is_expected_with_its_date(settings, tmp_path):
    """May's sheet still in the folder in June is consolidated, not June's return."""
    snapshot = make_history(settings, ["2018-05"]).snapshots["2018-05"]
    suivi = snapshot.table("suivi").to_dict("records")
    for row in suivi:
        if row["code"] == "A2.1":
            row.update(recu=False, etat="pas mis à jour depuis le 14/05/2018")
    History(tmp_path / "historique.sqlite").save(
        with_rows(snapshot, settings, "suivi", suivi), settings
    )
    page = _page(settings, tmp_path)
    words = section_text(page, "axe-2")
    assert ("Documents attendus, pas encore reçus Fiche action A2.1 « Planification des actions "
            "récurrentes et nouvelles » : pas mis à jour depuis le 14/05/2018 "
            "(axe2/A2.1.xlsx)") in words  # fmt: skip
    assert "Fiche action A2.2" in words.split("Documents attendus")[0]  # still received
    stored = History(tmp_path / "historique.sqlite").load("2018-05")
    assert (
        figure(parse(page), "actions_received")
        == axis_counts(stored, settings, None).actions_received
        == 5
    )


def test_corrections_link_the_feedback_list_and_the_annotated_copies(settings, output):
    page = _page(settings, output)
    words = section_text(page, "axe-1")
    assert "Relevé dans les fichiers de l'axe : 2 erreurs, 1 avertissement." in words
    assert 'href="retours/axe-1.xlsx"' in page
    assert 'href="retours/axe-1/fiche_action_A1.1_a-corriger.xlsx"' in page
    assert ".fiche.tmp" not in page  # a write in progress is not a copy
    assert "Rien à corriger : aucune erreur ni aucun avertissement." in section_text(page, "axe-2")


def test_each_email_shows_its_state_and_date(settings, output):
    page = _page(settings, output)
    one = section_text(page, "axe-1")
    assert "Tableau de bord aux pilotes de l'axe 1 envoyé le 2 juin 2018 à 09:30" in one
    two = section_text(page, "axe-2")
    assert "échec le 2 juin 2018 à 09:30" in two
    assert f"julien.mazeyrie@example.org : échec (550 boîte inconnue {SCRIPT})" in two
    three = section_text(page, "axe-3")
    assert "Tableau de bord aux pilotes de l'axe 3 brouillon écrit le 1er juin 2018" in three
    assert (
        "Relance des pilotes de l'axe 3 (documents manquants) brouillon écrit le 1er juin 2018"
        in three
    )
    assert 'href="mail/relance-axe-3.eml"' in page
    assert "aux pilotes de l'axe 4 pas encore préparé patrick.chassagne@example.org" in (
        section_text(page, "axe-4")
    )
    assert "Relance des pilotes de l'axe 4" not in page  # no reminder written: none listed
    copil = section_text(page, "chiffres")
    assert "Synthèse au comité de pilotage incertain le 2 juin 2018 à 09:30" in copil
    assert "dgs@example.org : envoyé" in copil and "elue.rh@example.org : incertain" in copil


def test_axis_documents_link_what_exists_only(settings, output):
    page = _page(settings, output)
    words = section_text(page, "axe-1")
    for name in ("tableaux/axe-1.html", "tableaux/axe-1.pdf", "fiches/A1.1.pdf",
                 "a-remplir/axe-1/feuille_de_route_axe-1.xlsx"):  # fmt: skip
        assert f'href="{name}"' in page
    assert "fiches/A1.2.pdf" not in page  # not written: not linked
    assert "Graphiques en images PNG : calendrier des tâches" in words  # the only one here
    roadmap, first, second = (words.index(f) for f in (
        "feuille_de_route_axe-1.xlsx", "fiche_action_A1.2.xlsx", "fiche_action_A1.10.xlsx"))  # fmt: skip
    assert roadmap < first < second  # the roadmap, then the sheets in code order
    assert "Aucun document produit pour cet axe pour le moment." in section_text(page, "axe-5")


def test_every_link_of_both_pages_opens_a_file(settings, output):
    page = _page(settings, output)
    assert broken_links(output / "2018-05" / "index.html", page) == []
    months = (output / "index.html").read_text("utf-8")
    assert broken_links(output / "index.html", months) == []
    assert len(parse(page).hrefs) > 20


# -- user text stays text --------------------------------------------------------------


def test_user_text_is_escaped_everywhere(settings, output):
    page = _page(settings, output)
    parsed = parse(page)
    assert not [tag for tag, _ in parsed.elements if tag in ("script", "b", "img")]
    assert not [a for _, a in parsed.elements if any(k.startswith("on") for k in a)]
    assert escape(SCRIPT) in page and escape(ATTRIBUTE) in page
    assert f"Groupe : {ATTRIBUTE}" in section_text(page, "axe-2")
    assert 'href="tableaux/axe-1.html"' in page


def test_links_and_tables_escape_what_they_are_given():
    assert href("fiches/A1.1 #2?.pdf") == "fiches/A1.1%20%232%3F.pdf"
    assert str(link('x" onclick="y', "<b>")) == '<a href="x%22%20onclick%3D%22y">&lt;b&gt;</a>'
    assert text(ATTRIBUTE) == "&quot; onmouseover=&quot;x"
    built = table("Légende <i>", ["A", "<B>"], [[SCRIPT, ATTRIBUTE]])
    assert "<script" not in built and 'data-label="&lt;B&gt;"' in built
    assert '<th scope="row">&lt;script&gt;' in built and '<th scope="col">A</th>' in built


# -- the months' index ---------------------------------------------------------------


def test_the_months_index_lists_every_period_newest_first(settings, output):
    _page(settings, output)
    months = (output / "index.html").read_text("utf-8")
    history = History(output / "historique.sqlite")
    rows = [plain_text(part) for part in months.split("<tr>")[2:]]
    assert [row.split(" ")[:2] for row in rows] == [["mai", "2018"], ["avril", "2018"],
                                                     ["mars", "2018"]]  # fmt: skip
    for row, period in zip(rows, reversed(PERIODS), strict=True):
        counts = key_counts(history.load(period), settings)
        figures = " ".join(str(counts[k]) for k in ("actions_received", "tasks_done",
                                                   "tasks_late", "indicators_on_track"))  # fmt: skip
        assert figures in row
    assert 'href="2018-05/index.html"' in months
    assert 'href="2018-04/index.html"' not in months  # that folder has no page
    assert 'href="2018-05/plan_actions_2018-05.xlsx"' in months
    assert "3 mois consolidés" in months


def test_a_period_without_snapshot_says_what_to_run(settings, tmp_path):
    page = _page(settings, tmp_path, "2018-07")
    assert "Ce mois n'a pas encore été consolidé" in plain_text(page)
    assert "innova-reports consolidate --period 2018-07" in plain_text(page)
    months = plain_text((tmp_path / "index.html").read_text("utf-8"))
    assert "Aucun mois n'a encore été consolidé." in months


def test_write_index_keeps_its_signature(settings, output):
    path = write_index(output / "2018-05", settings, "2018-05", today=dt.date(2018, 6, 3))
    assert path == output / "2018-05" / "index.html"
    assert "page mise à jour le 3 juin 2018" in path.read_text("utf-8")
    assert (output / "index.html").is_file()


def test_the_same_month_gives_the_same_page(settings, output):
    first = _page(settings, output)
    assert _page(settings, output) == first
    assert not list((output / "2018-05").glob(".index*"))  # written atomically

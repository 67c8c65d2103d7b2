"""The booklet's content, built from a snapshot: what it says, before any rendering."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from innova_reports.booklet.blocks import NOT_FILLED, SHEET_TO_COME, Fields, Heading, Table
from innova_reports.booklet.content import build_booklet, status_line
from innova_reports.booklet.typst_pdf import breakable
from innova_reports.booklet.words import short_title
from innova_reports.fields import ACTION, template_spec
from innova_reports.views import build_axis_view
from tests.snapshot_factory import ACTIONS, MISSING_SHEETS, make_snapshot


@pytest.fixture(scope="module")
def booklet(settings):
    return build_booklet(make_snapshot(settings), settings)


def headings(blocks, level):
    return [b.text for b in blocks if isinstance(b, Heading) and b.level == level]


def fields_of(sheet) -> dict[str, str]:
    return {label: value for b in sheet.blocks if isinstance(b, Fields) for label, value in b.rows}


def test_status_line_turns_to_adopted_on_the_plan_date(settings):
    plan = settings.action_plan_date
    assert plan == dt.date(2018, 9, 20)
    assert status_line(settings, dt.date(2018, 5, 31)) == (
        "document de travail — état au 31 mai 2018"
    )
    assert status_line(settings, plan - dt.timedelta(days=1)).startswith("document de travail")
    for day in (plan, dt.date(2018, 9, 30)):
        assert status_line(settings, day) == (
            "adopté par le comité de pilotage du 20 septembre 2018"
        )
    later = dataclasses.replace(settings, action_plan_date=dt.date(2018, 10, 4))
    assert status_line(later, dt.date(2018, 9, 30)).startswith("document de travail")


def test_cover_names_the_programme_its_councils_and_the_status(booklet, settings):
    cover = booklet.cover
    assert cover.programme == "INNOVA BRIVE"
    assert cover.councils == settings.councils
    assert cover.title == "Plan d'actions"
    assert cover.status == "document de travail — état au 31 mai 2018"


def test_parts_in_order_programme_axes_annex(booklet, settings):
    parts = headings(booklet.body(), 1)
    assert parts == ["Le programme", *(axis.label for axis in settings.axes), "Annexe"]
    programme = headings(booklet.programme, 2)
    assert programme == ["Les six axes d'innovation", "La gouvernance", "Le calendrier",
                         "Lire les fiches action"]  # fmt: skip


def test_every_announced_action_has_its_sheet_or_sheet_to_come_in_code_order(booklet):
    for axis in booklet.axes:
        expected = [code for code, _ in ACTIONS.get(axis.number, [])]
        if axis.number == 6:  # sent nothing: no announced action, no sheet
            expected = []
        assert [sheet.code for sheet in axis.sheets] == expected
        for sheet in axis.sheets:
            assert sheet.received == (sheet.code not in MISSING_SHEETS)
    to_come = next(s for s in booklet.sheets if s.code == "A3.3")
    assert headings(to_come.blocks, 2) == [f"A3.3 – Communication interne ({SHEET_TO_COME})"]
    assert "Fiche à venir" in to_come.blocks[1].paragraphs[0]


def test_an_axis_without_roadmap_says_so(booklet):
    axis = booklet.axes[5]
    assert axis.number == 6 and not axis.sheets
    notes = [b for b in axis.roadmap if getattr(b, "note", False)]
    assert "Feuille de route non reçue" in notes[0].paragraphs[0]


def test_sheet_labels_come_from_the_field_dictionary_and_empty_reads_not_filled(booklet, settings):
    spec = template_spec(ACTION, settings)
    sheet = next(s for s in booklet.sheets if s.code == "A1.1")
    values = fields_of(sheet)
    for field_id in ("code_action", "titre", "statut", "meteo", "service_pilote",
                     "chef_projet", "elu_referent", "contributeurs", "budget_eur"):  # fmt: skip
        assert spec.field(field_id).label in values
    assert values[spec.field("elu_referent").label] == NOT_FILLED  # empty in the factory
    assert values[spec.field("budget_eur").label] == "1\u202f500\u00a0€"
    assert values[spec.field("service_pilote").label] == "Accueil et citoyenneté"
    sections = headings(sheet.blocks, 3)
    assert sections[:3] == ["Contexte de l'action", "Finalités", "Contenu / process"]
    assert "Organisation de l'action" in sections and "Indicateurs de suivi" in sections


def test_indicators_show_initial_latest_target_and_the_views_on_track(booklet, settings):
    snapshot = make_snapshot(settings)
    view = build_axis_view(snapshot, settings, 1)
    indicators = [i for i in view.indicators if i.action == "A1.1"]
    sheet = next(s for s in booklet.sheets if s.code == "A1.1")
    table = [b for b in sheet.blocks if isinstance(b, Table) and "Cible" in b.columns][0]
    assert table.columns[-1] == "Trajectoire"
    assert len(table.rows) == len(indicators)
    for row, indicator in zip(table.rows, indicators, strict=True):
        assert row[0] == indicator.name
        assert row[3].endswith("(mai 2018)")  # the latest month with a value
        assert indicator.on_track is not None
        assert row[7] == indicator.judgement  # rules.on_track, in the rule's words
        assert row[7] in ("dans la trajectoire", "en retard sur la trajectoire")
        assert row[6].endswith("\u00a0%")  # the share of the way covered
        assert row[5] == "31 décembre 2018"


def test_late_tasks_say_so(booklet, settings):
    view = build_axis_view(make_snapshot(settings), settings, 1)
    late = [t.name for t in view.tasks if t.action == "A1.1" and t.late]
    assert late
    sheet = next(s for s in booklet.sheets if s.code == "A1.1")
    tasks = [b for b in sheet.blocks if isinstance(b, Table) and "Tâche" in b.columns][0]
    flagged = [row[0] for row in tasks.rows if row[4].endswith(", en retard")]
    assert flagged == late


def test_annex_lists_every_action_and_budget_totals_per_axis(booklet, settings):
    snapshot = make_snapshot(settings)
    annex = [b for b in booklet.annex if isinstance(b, Table)]
    every, budget = annex
    assert [row[0] for row in every.rows] == [s.code for s in booklet.sheets]
    assert [row[3] for row in every.rows if row[0] == "A3.3"] == [SHEET_TO_COME]
    actions = snapshot.table("actions")
    for row in budget.rows:
        number = int(row[0].split()[1])
        amounts = actions.loc[actions["axe"] == number, "budget_eur"].astype(float)
        shown = row[2].replace("\u202f", " ").replace("\u00a0", " ")
        assert shown == (f"{amounts.sum():,.0f} €".replace(",", " ") if len(amounts) else "—")
    total = actions["budget_eur"].astype(float).sum()
    assert budget.total[2].replace("\u202f", " ").replace("\u00a0", " ") == (
        f"{total:,.0f} €".replace(",", " ")
    )


def test_french_typography_everywhere(booklet):
    sheet = next(s for s in booklet.sheets if s.code == "A5.1")
    assert sheet.title == "Plateforme «\u202fguide mode projet\u202f»"
    assert all(" ;" not in text and " :" not in text for text in _strings(booklet))


def _strings(booklet):
    for block in booklet.body():
        if isinstance(block, Heading):
            yield block.text
        elif isinstance(block, Table):
            yield from (cell for row in block.rows for cell in row)
        elif isinstance(block, Fields):
            yield from (value for _, value in block.rows)
        else:
            yield from block.paragraphs


def test_long_titles_are_cut_in_headings_only():
    title = "Mot " * 100
    assert len(short_title(title)) <= 162 and short_title(title).endswith(" …")
    assert short_title("Court") == "Court"


def test_long_words_get_break_opportunities_never_inside_a_character():
    assert breakable("mots courts seulement") == "mots courts seulement"
    word = "x" * 100
    broken = breakable(word)
    assert broken.replace("\u200b", "") == word and broken.count("\u200b") >= 3
    emoji = "👩\u200d💼" * 40 + "e\u0301" * 40 + "❤\ufe0f" * 40
    broken = breakable(emoji)
    assert broken.replace("\u200b", "") == emoji
    for index, char in enumerate(broken):
        if char == "\u200b":
            assert broken[index + 1] not in "\u200d\u0301\ufe0f"
            assert broken[index - 1] != "\u200d"

"""One fact, one figure: every output of a month states the same counts.

The month is run for real (``run_month``: consolidation, master, dashboards, email
drafts) on the sample workbooks, and on the samples with edge cases written into them:
indicators without a deadline, falling, with no value yet, exactly on time, reached after
their deadline; tasks ending on the reporting date, the day before, finished or abandoned
past their end, without an end; an action sheet no roadmap announces. Then the figures of
each axis are read back from each output as a reader gets them — the master's Synthèse
and « Tableau axe N » sheets with openpyxl, the dashboards' tiles, the key counts in the
history file, the text of the emails — and must agree. Consistency is not correctness:
the figures of the edge cases are also checked against answers worked out by hand here,
and the rules themselves are pinned in test_rules.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from innova_reports.consolidate.history import History
from innova_reports.fields import ACTION
from innova_reports.paths import history_path
from innova_reports.pipeline.month import run_month
from innova_reports.template.samples import action_values
from innova_reports.views import build_axis_view
from innova_reports.xlsx.master_charts import sheet_title
from tests.factories import make_workbook
from tests.test_consolidate import sample_action, samples_copy, write_action

PERIOD = "2018-05"
TODAY = dt.date(2018, 7, 2)
D = dt.date
WEATHERS = ("Vert", "Orange", "Rouge")  # best to worst

# (indicateur, unite, sens, valeur_initiale, cible, echeance, values January..May)
EDGE_INDICATORS = (
    ("Sans échéance", "%", "Hausse", 0, 100, None, (10, 20, 30, 40, 42)),  # 0.42 ≥ 150/364
    ("En baisse", "jours", "Baisse", 21, 10, D(2018, 12, 31), (21, 20, 18, 16, 15)),  # 0.5455
    ("Pas encore de valeur", "nombre", "Hausse", 0, 50, D(2018, 12, 31), (None,) * 5),
    ("Pile à l'heure", "%", "Hausse", 0, 100, D(2018, 10, 28), (10, 20, 30, 40, 50)),  # 0.5 = 0.5
    ("Atteint après l'échéance", "nombre", "Hausse", 0, 10, D(2018, 3, 31), (2, 4, 6, 8, 10)),
    ("Échéance avant le dernier mois", "%", "Hausse", 0, 100, D(2018, 6, 30),
     (10, 30, 50, 70, 80)),  # 0.8 < 150/180
    ("En baisse sans valeur initiale", "jours", "Baisse", None, 10, D(2018, 12, 31),
     (None, None, None, None, 5)),
)  # fmt: skip
EDGE_JUDGEMENTS = {
    "Sans échéance": "dans la trajectoire",
    "En baisse": "dans la trajectoire",
    "Pas encore de valeur": "pas encore mesurable",
    "Pile à l'heure": "dans la trajectoire",
    "Atteint après l'échéance": "dans la trajectoire",
    "Échéance avant le dernier mois": "en retard sur la trajectoire",
    "En baisse sans valeur initiale": "pas encore mesurable",
}
# (tache, responsable, debut, fin, statut, avancement, commentaire)
EDGE_TASKS = (
    ("Finit le jour du point", "Claire Delmas", D(2018, 5, 2), D(2018, 5, 31), "En cours", 0.5, ""),
    ("Finissait la veille", "Claire Delmas", D(2018, 5, 2), D(2018, 5, 30), "En cours", 0.5, ""),
    ("Faite après sa fin", "Claire Delmas", D(2018, 2, 1), D(2018, 3, 1), "Fait", 1, ""),
    ("Abandonnée après sa fin", "Claire Delmas", D(2018, 2, 1), D(2018, 3, 1), "Abandonnée", 0, ""),
    ("Sans date de fin", "Claire Delmas", D(2018, 5, 2), None, "À faire", 0, ""),
)
EDGE_LATE = {"Finissait la veille"}


def write_edge_cases(workbooks: Path, settings) -> None:
    """A1.1 gets the edge cases; A1.3 is received although no roadmap announces it."""
    write_action(workbooks / "axe-1" / "fiche_action_A1.1.xlsx", settings, "A1.1",
                 indicateurs=EDGE_INDICATORS, taches=EDGE_TASKS)  # fmt: skip
    base = sample_action("A1.2")
    unannounced = dataclasses.replace(base, code="A1.3", titre="Action reçue sans être annoncée",
                                      taches=base.taches[:2])  # fmt: skip
    make_workbook(workbooks / "axe-1" / "fiche_action_A1.3.xlsx", ACTION, settings,
                  **action_values(unannounced))  # fmt: skip


@dataclasses.dataclass
class Month:
    case: str
    output: Path
    settings: object

    @property
    def period_dir(self) -> Path:
        return self.output / PERIOD

    @property
    def snapshot(self):
        return History(history_path(self.output)).load(PERIOD)


def run_a_month(tmp_path_factory, settings, case: str) -> Month:
    base = tmp_path_factory.mktemp("coherence")
    workbooks = samples_copy(base)
    if case == "cas limites":
        write_edge_cases(workbooks, settings)
    result = run_month(settings, PERIOD, workbooks_dir=workbooks, output_dir=base / "sortie",
                       today=TODAY)  # fmt: skip
    assert not result.stopped and result.mail is not None
    return Month(case, base / "sortie", settings)


@pytest.fixture(scope="module")
def samples_month(tmp_path_factory, settings) -> Month:
    return run_a_month(tmp_path_factory, settings, "échantillons")


@pytest.fixture(scope="module")
def edge_month(tmp_path_factory, settings) -> Month:
    return run_a_month(tmp_path_factory, settings, "cas limites")


@pytest.fixture(params=["samples_month", "edge_month"])
def month(request) -> Month:
    return request.getfixturevalue(request.param)


# -- the figures of each output, as a reader reads them -------------------------------------

FIELDS = ("received", "announced", "tasks", "done", "late", "indicators", "on_track",
          "measured", "weather")  # fmt: skip


def worst(weathers: dict[str, int]) -> str:
    present = [w for w in WEATHERS if weathers.get(w)]
    return present[-1] if present else ""


def from_synthesis(book) -> dict[int | None, dict]:
    sheet = book["Synthèse"]
    (_, ref), *_ = sheet.tables.items()
    cells = [[c.value for c in row] for row in sheet[ref]]
    figures = {}
    for row in (dict(zip(cells[0], values, strict=True)) for values in cells[1:]):
        figures[row["Axe"]] = {
            "received": row["Fiches action reçues"], "announced": row["Actions annoncées"],
            "tasks": row["Tâches"], "done": row["Tâches faites"], "late": row["Tâches en retard"],
            "indicators": row["Indicateurs suivis"],
            "on_track": row["Indicateurs dans la trajectoire"],
            "weather": worst({"Vert": row["Météo verte"], "Orange": row["Météo orange"],
                              "Rouge": row["Météo rouge"]}),
        }  # fmt: skip
    return figures


def from_chart_sheet(book, number: int) -> dict:
    labels = {row[0]: row[1] for row in book[sheet_title(number)].iter_rows(
        min_row=4, max_row=11, max_col=2, values_only=True)}  # fmt: skip
    return {
        "received": labels["Fiches action reçues"], "announced": labels["Actions annoncées"],
        "tasks": labels["Tâches au total"], "done": labels["Tâches faites"],
        "late": labels["Tâches en retard"], "indicators": labels["Indicateurs au total"],
        "on_track": labels["Indicateurs dans la trajectoire"],
        "weather": "" if labels["Météo de l'axe"] == "–" else labels["Météo de l'axe"],
    }  # fmt: skip


def from_tiles(snapshot, settings, number: int) -> dict:
    t = build_axis_view(snapshot, settings, number).tiles
    return {"received": t.actions_received, "announced": t.actions_announced,
            "tasks": t.tasks_total, "done": t.tasks_done, "late": t.tasks_late,
            "indicators": t.indicators_total, "on_track": t.indicators_on_track,
            "measured": t.indicators_measured, "weather": t.weather}  # fmt: skip


class _Text(HTMLParser):
    """The text runs of an HTML body, and the cells of each table row."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if data.strip():
            self.runs.append(data.strip())
        if self._cell is not None:
            self._cell.append(data)


def email_text(path: Path) -> _Text:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    parser = _Text()
    parser.feed(message.get_body(("html",)).get_content())
    return parser


def pair(text: str) -> tuple[int, int]:
    left, right = text.split(" / ")
    return int(left), int(right)


def from_axis_email(path: Path) -> dict:
    """The tiles at the top of the pilots' email: « 2 / 3 » under each label."""
    runs = email_text(path).runs

    def after(label: str, step: int = 1) -> str:
        return runs[runs.index(label) + step]

    received, announced = pair(after("Fiches action reçues"))
    done, tasks = pair(after("Tâches faites"))
    on_track, indicators = pair(after("Indicateurs dans la trajectoire"))
    late = int(after("Tâches faites", 2).removeprefix("dont ").removesuffix(" en retard"))
    measured = int(after("Indicateurs dans la trajectoire", 2).split()[0])
    weather = after("Météo de l'axe")
    return {"received": received, "announced": announced, "tasks": tasks, "done": done,
            "late": late, "indicators": indicators, "on_track": on_track, "measured": measured,
            "weather": "" if weather == "–" else weather}  # fmt: skip


def from_copil_email(path: Path, settings) -> dict[int, dict]:
    """The synthesis table of the copil's email: one row per axis."""
    rows = {row[0]: row for row in email_text(path).rows if row}
    figures = {}
    for axis in settings.axes:
        _, received, done, late, on_track, weather = rows[axis.label]
        entry = {"late": int(late), "weather": "" if weather == "–" else weather}
        if received != "rien reçu":
            entry["received"], entry["announced"] = pair(received)
        entry["done"], entry["tasks"] = pair(done)
        entry["on_track"], entry["indicators"] = pair(on_track)
        figures[axis.number] = entry
    return figures


# -- the tests ---------------------------------------------------------------------------------


def test_every_output_states_the_same_figures_for_each_axis(month):
    settings = month.settings
    book = openpyxl.load_workbook(month.period_dir / f"plan_actions_{PERIOD}.xlsx")
    synthesis = from_synthesis(book)
    copil = from_copil_email(month.period_dir / "mail" / "copil.eml", settings)
    snapshot = month.snapshot
    for number in settings.axis_numbers:
        tiles = from_tiles(snapshot, settings, number)
        outputs = {
            "Synthèse": synthesis[number],
            sheet_title(number): from_chart_sheet(book, number),
            f"courriel axe-{number}": from_axis_email(month.period_dir / "mail" / f"axe-{number}.eml"),
            "courriel copil": copil[number],
        }  # fmt: skip
        for name, figures in outputs.items():
            assert figures == {key: tiles[key] for key in figures}, (month.case, number, name)
        assert set(FIELDS) == set(tiles)


def test_the_programme_total_is_the_stored_key_counts_and_the_sum_of_the_axes(month):
    settings = month.settings
    book = openpyxl.load_workbook(month.period_dir / f"plan_actions_{PERIOD}.xlsx")
    synthesis = from_synthesis(book)
    total = synthesis[None]
    for key in ("received", "announced", "tasks", "done", "late", "indicators", "on_track"):
        assert total[key] == sum(synthesis[n][key] for n in settings.axis_numbers), key
    stored = History(history_path(month.output)).counts(PERIOD)
    assert stored == {"period": PERIOD, "actions_received": total["received"],
                      "tasks_done": total["done"], "tasks_late": total["late"],
                      "indicators_on_track": total["on_track"]}  # fmt: skip


def test_the_samples_give_the_figures_of_their_workbooks(samples_month):
    """The samples' axis 1, worked out by hand from the sample workbooks at 31/05/2018."""
    month = samples_month
    tiles = from_tiles(month.snapshot, month.settings, 1)
    # A1.1: delay 21 → 10 at 15 in May (0.5455), satisfaction 72 → 90 at 80 (0.4444), both
    # ≥ 150/364 of the time to 31/12; A1.2: 2 indicators, neither on track
    assert tiles == {"received": 2, "announced": 2, "tasks": 10, "done": 5, "late": 2,
                     "indicators": 4, "on_track": 2, "measured": 4, "weather": "Orange"}  # fmt: skip


def test_the_edge_cases_give_the_figures_worked_out_by_hand(edge_month):
    month = edge_month
    settings, snapshot = month.settings, month.snapshot
    view = build_axis_view(snapshot, settings, 1)
    own = [i for i in view.indicators if i.action == "A1.1"]
    assert {i.name: i.judgement for i in own} == EDGE_JUDGEMENTS
    assert [i.name for i in own] == [row[0] for row in EDGE_INDICATORS]  # sheet order
    late = {t.name for t in view.tasks if t.action == "A1.1" and t.late}
    assert late == EDGE_LATE
    a11 = next(a for a in view.actions if a.code == "A1.1")
    assert (a11.tasks_total, a11.tasks_done, a11.tasks_late) == (5, 1, 1)
    # A1.2 as in the samples (5 tasks, 2 done, 2 late: ends 30/04 and 25/05, in progress;
    # 2 indicators, measured, neither on track); A1.3 is A1.2's sheet with its first two
    # tasks (one done, one late) and the same 2 indicators
    samples_a12 = {"tasks": 5, "done": 2, "late": 2, "indicators": 2, "on_track": 0}
    tiles = from_tiles(snapshot, settings, 1)
    assert tiles["announced"] == 3 and tiles["received"] == 3  # A1.3 counted once
    assert view.announced_without_sheet == []
    assert tiles["tasks"] == 5 + samples_a12["tasks"] + 2
    assert tiles["done"] == 1 + samples_a12["done"] + 1
    assert tiles["late"] == 1 + samples_a12["late"] + 1
    assert tiles["indicators"] == 7 + 2 * samples_a12["indicators"]
    assert tiles["on_track"] == 4 + 2 * samples_a12["on_track"]
    assert tiles["measured"] == 6 + 2 * samples_a12["indicators"]


def test_an_indicator_without_value_is_listed_in_the_master(edge_month):
    book = openpyxl.load_workbook(edge_month.period_dir / f"plan_actions_{PERIOD}.xlsx")
    sheet = book["Indicateurs"]
    (_, ref), *_ = sheet.tables.items()
    cells = [[c.value for c in row] for row in sheet[ref]]
    rows = [dict(zip(cells[0], values, strict=True)) for values in cells[1:]]
    waiting = [r for r in rows if r["Indicateur"] == "Pas encore de valeur"]
    assert len(waiting) == 1 and waiting[0]["Mois"] is None and waiting[0]["Valeur"] is None
    falling = [r for r in rows if r["Indicateur"] == "En baisse"]
    assert [r["Valeur"] for r in falling] == [21, 20, 18, 16, 15]


def test_the_axis_page_judges_each_indicator_in_the_rules_words(edge_month):
    """The dashboards' chart text (its alt text, as a reader hears it) says what the booklet
    says (rules.judgement_of): a falling indicator measured without a baseline is « pas
    encore mesurable », never « pas encore de valeur » beside its value."""

    class Alts(HTMLParser):
        texts: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.texts.append(dict(attrs).get("alt") or "")

    parser = Alts()
    parser.feed((edge_month.period_dir / "tableaux" / "axe-1.html").read_text(encoding="utf-8"))
    alt = next(text for text in parser.texts if "A1.1 En baisse" in text)
    said = dict(part.split(" : ", 1) for part in alt.split(" ; "))
    for name, judgement in EDGE_JUDGEMENTS.items():
        assert said[f"A1.1 {name}"].endswith(f", {judgement}"), (name, said[f"A1.1 {name}"])
    assert said["A1.1 En baisse sans valeur initiale"].startswith("– → 5 → 10 jours (baisse)")

"""The business rules pinned at their boundaries (``innova_reports.rules``).

Each expected answer is worked out by hand from the rule's French definition, with the
shipped programme's follow-up from 2018-01-01 to 2018-12-31. The dates are chosen so
that the share of time elapsed is an exact number: a test then fails when ``>=`` turns
into ``>``, when the start or the end of the follow-up moves, or when a clamp goes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from innova_reports import rules
from innova_reports.rules import (
    IndicatorProgress,
    TargetSpan,
    action_code_key,
    action_code_parts,
    indicator_progress,
    is_done_task,
    is_finished_task,
    is_late,
    latest_measure,
    on_track,
    return_label,
    return_state,
    return_text,
    share_of_target,
    target_span,
    updated_for_period,
    weather_rank,
)

D = dt.date
START = D(2018, 1, 1)  # first follow-up month of programme.toml
MAY_END = D(2018, 5, 31)  # 150 days after START
YEAR_END = D(2018, 12, 31)  # end of the last follow-up month: 364 days after START
HALF_WAY_DEADLINE = START + dt.timedelta(days=300)  # 2018-10-28: on 31/05, exactly half the time


def test_the_dates_of_these_tests_are_those_of_the_programme(settings):
    assert settings.months[0] == "2018-01" and settings.months[-1] == "2018-12"
    assert (MAY_END - START).days == 150 and (YEAR_END - START).days == 364
    assert (HALF_WAY_DEADLINE - START).days == 300


# -- on track: « dans la trajectoire » ------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "deadline", "reporting", "expected"),
    [
        # a share exactly equal to the time elapsed is on track; just below it is not
        (0.5, HALF_WAY_DEADLINE, MAY_END, True),
        (0.4999, HALF_WAY_DEADLINE, MAY_END, False),
        # no deadline: time runs to the end of the last follow-up month (150 / 364 = 0.41209)
        (0.4121, None, MAY_END, True),
        (0.4120, None, MAY_END, False),
        # a deadline before the last follow-up month: 150 / 180 days = 0.8333 elapsed
        (0.8334, D(2018, 6, 30), MAY_END, True),
        (0.8333, D(2018, 6, 30), MAY_END, False),
        (0.5, D(2018, 6, 30), MAY_END, False),  # on track without that deadline
        # past the deadline only a reached target is on track
        (1.0, D(2018, 3, 31), MAY_END, True),
        (1.2, D(2018, 3, 31), MAY_END, True),
        (0.9999, D(2018, 3, 31), MAY_END, False),
        # a deadline on the first day of the follow-up, or before it: no time to share
        (0.9999, START, MAY_END, False),
        (0.0, START, MAY_END, False),
        (1.0, START, MAY_END, True),
        (1.5, START, MAY_END, True),
        (0.5, D(2017, 12, 1), MAY_END, False),
        (1.0, D(2017, 12, 1), MAY_END, True),
        # on the first day nothing is expected yet; the day after, one day of 364
        (0.0, None, START, True),
        (0.0028, None, D(2018, 1, 2), True),
        (0.0027, None, D(2018, 1, 2), False),
        # a reporting date before the follow-up starts: nothing expected yet
        (0.0, None, D(2017, 12, 31), True),
        (-0.1, None, D(2017, 12, 31), False),
        # on the deadline itself all the time has elapsed
        (0.9999, D(2018, 6, 30), D(2018, 6, 30), False),
        (0.9999, None, YEAR_END, False),
        # cannot be judged
        (None, None, MAY_END, None),
        (None, START, MAY_END, None),
    ],
)
def test_on_track_at_its_boundaries(settings, share, deadline, reporting, expected):
    assert on_track(share, deadline, reporting, settings) is expected


def test_on_track_follows_the_settings_months(settings):
    """Moving the follow-up moves the answer: the rule reads the months, not constants."""
    later = dataclasses.replace(settings, months=settings.months[4:])  # from May
    assert later.months[0] == "2018-05"
    # 30 days of 244 (2018-05-01 to 2018-12-31): 0.123 elapsed
    assert on_track(0.13, None, MAY_END, later) is True
    assert on_track(0.12, None, MAY_END, later) is False
    shorter = dataclasses.replace(settings, months=settings.months[:6])  # to June
    # 150 days of 180 (to 2018-06-30): as with a deadline on 30/06
    assert on_track(0.8334, None, MAY_END, shorter) is True
    assert on_track(0.8333, None, MAY_END, shorter) is False


def test_the_definition_says_the_rule():
    text = rules.ON_TRACK_DEFINITION
    assert text.startswith("Indicateur dans la trajectoire")
    for words in ("au moins égale", "premier mois de suivi", "dernier mois de suivi",
                  "même après l'échéance"):  # fmt: skip
        assert words in text
    assert (rules.ON_TRACK, rules.OFF_TRACK, rules.NOT_JUDGED) == (
        "dans la trajectoire", "en retard sur la trajectoire", "pas encore mesurable")  # fmt: skip


# -- share of the target -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sens", "initial", "target", "value", "expected"),
    [
        ("Hausse", 0, 100, 50, 0.5),
        ("Hausse", 10, 20, 20, 1.0),
        ("Hausse", 10, 20, 25, 1.5),  # beyond the target: more than 1
        ("Hausse", 10, 20, 5, -0.5),  # below the baseline: negative
        ("Hausse", 0, 3, 1, 0.3333),  # rounded to 4 places, as the snapshot stores it
        ("Hausse", 0, 3, 2, 0.6667),
        ("Hausse", 0.2, 0.6, 0.4, 0.5),  # a way shorter than 1 (a rate from 20 % to 60 %)
        ("Baisse", 0.6, 0.2, 0.5, 0.25),
        ("Hausse", None, 40, 10, 0.25),  # a rise without baseline starts from 0
        ("hausse", 0, 100, 50, 0.5),  # the sens in another case still reads
        ("HAUSSE", 0, 100, 50, 0.5),
        (" Hausse ", 0, 100, 50, 0.5),
        # sens « Baisse »: the way runs downwards
        ("Baisse", 21, 10, 15, 0.5455),
        ("Baisse", 21, 10, 10, 1.0),
        ("Baisse", 21, 10, 5, 1.4545),
        ("Baisse", 21, 10, 25, -0.3636),
        ("baisse", 21, 10, 10, 1.0),
        ("Baisse", None, 10, 5, None),  # a fall cannot be judged without a baseline
        # targets that cannot be judged
        ("Hausse", 20, 10, 15, None),  # target on the wrong side of the baseline
        ("Baisse", 10, 20, 15, None),
        ("Hausse", 10, 10, 10, None),  # target equal to the baseline
        ("Baisse", 10, 10, 10, None),
        ("Hausse", 0, 0, 0, None),
        (None, 10, 20, 15, None),  # no sens
        ("Stable", 10, 20, 15, None),  # a sens that is not in the list
        ("Hausse", 10, None, 15, None),  # no target
        ("Hausse", 10, "20", 15, None),  # numbers as text were rejected at reading
        ("Hausse", "dix", 20, 15, None),
        # a value that is not a number
        ("Hausse", 0, 100, None, None),
        ("Hausse", 0, 100, "50", None),
        ("Hausse", 0, 100, True, None),
        ("Hausse", 0, 100, float("nan"), None),
    ],
)
def test_share_of_target_at_its_boundaries(sens, initial, target, value, expected):
    assert share_of_target(sens, initial, target, value) == expected


def test_a_share_of_zero_is_never_negative_zero():
    share = share_of_target("Baisse", 21, 10, 21)  # (21 - 21) / -11 is -0.0 in floats
    assert share == 0 and math.copysign(1, share) == 1
    assert math.copysign(1, TargetSpan(5.0, -2.0).share(5)) == 1


def test_target_span_keeps_baseline_and_signed_span():
    assert target_span("Hausse", 10, 25) == TargetSpan(10.0, 15.0)
    assert target_span("Baisse", 21, 10) == TargetSpan(21.0, -11.0)
    assert target_span("Hausse", None, 40) == TargetSpan(0.0, 40.0)
    assert target_span("Hausse", np.float64(2), np.int64(4)) == TargetSpan(2.0, 2.0)
    assert type(target_span("Hausse", 1, 3).initial) is float
    assert target_span("Hausse", pd.NA, 40) == TargetSpan(0.0, 40.0)  # NA is no baseline
    assert target_span("Baisse", None, 10) is None


def test_target_span_share_of_numpy_values():
    span = TargetSpan(0.0, 8.0)
    assert span.share(np.float64(2.0)) == 0.25
    assert span.share(np.int64(6)) == 0.75
    assert span.share(pd.NA) is None and span.share(np.nan) is None


# -- latest measure ---------------------------------------------------------------------------


def rows(*pairs):
    return [{"mois": month, "valeur": value} for month, value in pairs]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (rows(("2018-01", 1.0), ("2018-03", 3.0), ("2018-02", 2.0)), ("2018-03", 3.0)),
        # a later row for the same month wins, in either order of months
        (rows(("2018-02", 2.0), ("2018-02", 5.0)), ("2018-02", 5.0)),
        (rows(("2018-02", 5.0), ("2018-01", 1.0), ("2018-02", 2.0)), ("2018-02", 2.0)),
        # rows without a value, or without a month, are not measures
        (rows(("2018-01", 1.0), ("2018-04", None)), ("2018-01", 1.0)),
        (rows(("2018-01", 1.0), (None, 9.0), ("", 9.0)), ("2018-01", 1.0)),
        (rows(("2018-01", 1.0), ("2018-02", float("nan"))), ("2018-01", 1.0)),
        (rows(("2018-01", 1.0), ("2018-02", pd.NA)), ("2018-01", 1.0)),
        # a value of 0 is a measure (not "no value")
        (rows(("2018-01", 4.0), ("2018-02", 0.0)), ("2018-02", 0.0)),
        (rows(("2018-01", 0)), ("2018-01", 0.0)),
        (rows(("2018-01", np.int64(7))), ("2018-01", 7.0)),
        (rows(("2018-01", "7.5")), ("2018-01", 7.5)),  # as_float reads it
        (rows((" 2018-05 ", 3.0), ("2018-04", 1.0)), ("2018-05", 3.0)),
        # an indicator with no value yet: the snapshot keeps one row without month
        (rows((None, None)), None),
        ([], None),
        (rows(("2018-01", None), ("2018-02", None)), None),
    ],
)
def test_latest_measure(given, expected):
    assert latest_measure(given) == expected


def test_latest_measure_returns_a_float():
    assert type(latest_measure(rows(("2018-01", 3)))[1]) is float


# -- one indicator's progress -------------------------------------------------------------------


def indicator(sens="Hausse", initial=0.0, target=100.0, deadline=YEAR_END, values=()):
    base = {"sens": sens, "valeur_initiale": initial, "cible": target, "echeance": deadline}
    if not values:
        return [dict(base, mois=None, valeur=None)]
    return [dict(base, mois=month, valeur=value) for month, value in values]


def test_progress_of_an_indicator_on_track(settings):
    progress = indicator_progress(
        indicator(deadline=HALF_WAY_DEADLINE, values=[("2018-04", 40.0), ("2018-05", 50.0)]),
        MAY_END, settings,
    )  # fmt: skip
    assert progress == IndicatorProgress("2018-05", 50.0, 0.5, True)
    assert progress.judgement == "dans la trajectoire"


def test_progress_just_off_track(settings):
    progress = indicator_progress(
        indicator(deadline=HALF_WAY_DEADLINE, values=[("2018-05", 49.99)]), MAY_END, settings
    )
    assert progress == IndicatorProgress("2018-05", 49.99, 0.4999, False)
    assert progress.judgement == "en retard sur la trajectoire"


def test_progress_without_a_value_yet_is_not_judged(settings):
    progress = indicator_progress(indicator(), MAY_END, settings)
    assert progress == IndicatorProgress(None, None, None, None)
    assert progress.judgement == "pas encore mesurable"
    assert indicator_progress([], MAY_END, settings) == IndicatorProgress(None, None, None, None)


def test_progress_with_a_value_but_no_usable_target_is_not_judged(settings):
    progress = indicator_progress(indicator(target=None, values=[("2018-05", 3.0)]), MAY_END,
                                  settings)  # fmt: skip
    assert progress == IndicatorProgress("2018-05", 3.0, None, None)
    assert progress.judgement == "pas encore mesurable"


def test_progress_without_deadline_runs_to_the_last_follow_up_month(settings):
    with_none = indicator(deadline=None, values=[("2018-05", 41.21)])
    assert indicator_progress(with_none, MAY_END, settings).on_track is True
    with_none = indicator(deadline=None, values=[("2018-05", 41.20)])
    assert indicator_progress(with_none, MAY_END, settings).on_track is False
    as_nat = indicator(deadline=pd.NaT, values=[("2018-05", 41.21)])
    assert indicator_progress(as_nat, MAY_END, settings).on_track is True


def test_progress_reads_the_deadline_as_any_date(settings):
    for deadline in (D(2018, 6, 30), dt.datetime(2018, 6, 30, 0, 0), pd.Timestamp("2018-06-30")):
        values = [("2018-05", 80.0)]  # on track to 31/12, not to 30/06
        assert indicator_progress(indicator(deadline=deadline, values=values), MAY_END,
                                  settings).on_track is False  # fmt: skip


def test_progress_of_a_falling_indicator(settings):
    falling = indicator("Baisse", 21.0, 10.0, values=[("2018-04", 18.0), ("2018-05", 15.0)])
    assert indicator_progress(falling, MAY_END, settings) == IndicatorProgress(
        "2018-05", 15.0, 0.5455, True)  # fmt: skip
    worse = indicator("Baisse", 21.0, 10.0, values=[("2018-05", 22.0)])
    assert indicator_progress(worse, MAY_END, settings) == IndicatorProgress(
        "2018-05", 22.0, -0.0909, False)  # fmt: skip
    unknown_start = indicator("Baisse", None, 10.0, values=[("2018-05", 5.0)])
    assert indicator_progress(unknown_start, MAY_END, settings).on_track is None


def test_progress_reached_after_the_deadline(settings):
    reached = indicator(deadline=D(2018, 3, 31), values=[("2018-03", 60.0), ("2018-05", 100.0)])
    assert indicator_progress(reached, MAY_END, settings).on_track is True
    short = indicator(deadline=D(2018, 3, 31), values=[("2018-05", 99.0)])
    assert indicator_progress(short, MAY_END, settings).on_track is False


def test_progress_judges_the_latest_value_with_the_first_rows_definition(settings):
    """A later row for the same month replaces the value; the sens, baseline, target and
    deadline are those of the indicator (its first row)."""
    given = indicator(deadline=HALF_WAY_DEADLINE, values=[("2018-05", 90.0), ("2018-05", 30.0)])
    given[1] = dict(given[1], cible=50.0, echeance=None)  # ignored: not the first row
    assert indicator_progress(given, MAY_END, settings) == IndicatorProgress(
        "2018-05", 30.0, 0.3, False)  # fmt: skip


# -- tasks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "status", "expected"),
    [
        (MAY_END, "En cours", False),  # ending on the reporting date: not late yet
        (MAY_END - dt.timedelta(days=1), "En cours", True),  # the day before: late
        (MAY_END + dt.timedelta(days=1), "En cours", False),
        (D(2018, 1, 5), "À faire", True),
        (D(2018, 1, 5), None, True),  # no status: nothing says it is finished
        (D(2018, 1, 5), "", True),
        (D(2018, 1, 5), "Fait", False),  # finished past its end: not late
        (D(2018, 1, 5), "Abandonnée", False),
        (D(2018, 1, 5), " Fait ", False),
        (None, "En cours", False),  # no end date: never late
        (pd.NaT, "En cours", False),
        ("", "En cours", False),
        (dt.datetime(2018, 5, 30, 18, 0), "En cours", True),
        (dt.datetime(2018, 5, 31, 23, 59), "En cours", False),
        (pd.Timestamp("2018-05-30"), "En cours", True),
        ("2018-05-30", "En cours", True),
    ],
)
def test_late_task_at_its_boundaries(end, status, expected):
    assert is_late(end, status, MAY_END) is expected


@pytest.mark.parametrize(
    ("status", "done", "finished"),
    [
        ("Fait", True, True),
        (" Fait ", True, True),
        ("Abandonnée", False, True),
        ("En cours", False, False),
        ("À faire", False, False),
        ("fait", False, False),  # a closed-list value, as the list writes it
        ("Terminée", False, False),  # an action status, not a task's
        (None, False, False),
        (pd.NA, False, False),
        (np.nan, False, False),
        ("", False, False),
    ],
)
def test_done_and_finished_tasks(status, done, finished):
    assert is_done_task(status) is done
    assert is_finished_task(status) is finished


@pytest.mark.parametrize(
    ("weather", "rank"),
    [("Vert", 0), ("Orange", 1), ("Rouge", 2), (" Rouge ", 2), ("", None), (None, None),
     (pd.NA, None), ("Bleu", None)],
)  # fmt: skip
def test_weather_rank(weather, rank):
    assert weather_rank(weather) == rank


def test_worst_weather_is_the_highest_rank():
    assert max(["Vert", "Rouge", "Orange"], key=weather_rank) == "Rouge"


# -- action codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        ("A3.2", (3, 2)),
        (" A3.2 ", (3, 2)),
        ("A1.10", (1, 10)),
        ("A12.105", (12, 105)),
        ("A0.0", (0, 0)),
        ("a3.2", None),
        ("A3", None),
        ("A3.", None),
        ("A.2", None),
        ("A3.2.1", None),
        ("A3.2 bis", None),
        ("B3.2", None),
        ("A3,2", None),
        ("xA3.2", None),
        ("", None),
        (None, None),
    ],
)
def test_action_code_parts(code, parts):
    assert action_code_parts(code) == parts


def test_action_codes_sort_by_number_then_odd_codes_last():
    codes = ["A2.1", "Z", "A1.10", None, "A10.1", "A1.2", "", "A1.1 bis", "A1.1", " A1.3 "]
    assert sorted(codes, key=action_code_key) == [
        "A1.1", "A1.2", " A1.3 ", "A1.10", "A2.1", "A10.1", None, "", "A1.1 bis", "Z",
    ]  # fmt: skip


def test_action_code_key_values():
    assert action_code_key("A1.2") < action_code_key("A1.10") < action_code_key("A2.1")
    assert action_code_key("A9.99") < action_code_key("A10.1") < action_code_key("B")
    assert action_code_key(" A1.2 ") == action_code_key("A1.2")
    assert action_code_key(None) == action_code_key("") < action_code_key("A")
    assert action_code_key("A1.2") < action_code_key("A")  # a well-formed code before any other
    assert action_code_key("Axe") < action_code_key("B")  # odd codes among themselves: by text


# -- a month's returns -------------------------------------------------------------------------

APRIL_END = D(2018, 4, 30)  # the previous consolidation's reporting date


@pytest.mark.parametrize(
    ("date_maj", "previous", "expected"),
    [
        (D(2018, 5, 1), APRIL_END, True),  # the day after the previous reporting date
        (APRIL_END, APRIL_END, False),  # on it: last month's return
        (D(2018, 4, 29), APRIL_END, False),
        (dt.datetime(2018, 4, 30, 18, 0), APRIL_END, False),  # a time does not make it later
        (pd.Timestamp("2018-05-01"), APRIL_END, True),
        ("2018-05-01", APRIL_END, True),
        (D(2017, 1, 1), None, True),  # the first consolidated period: every file counts
        (None, APRIL_END, True),  # a refused date: its erreur says so, the file counts
        (pd.NaT, APRIL_END, True),
    ],
)
def test_updated_for_period(date_maj, previous, expected):
    assert updated_for_period(date_maj, previous) is expected


@pytest.mark.parametrize(
    ("found", "date_maj", "previous", "state"),
    [
        (True, D(2018, 5, 1), APRIL_END, "reçu"),
        (True, APRIL_END, APRIL_END, "pas mis à jour"),
        (True, None, APRIL_END, "reçu"),
        (True, APRIL_END, None, "reçu"),
        (False, D(2018, 5, 1), APRIL_END, "non reçu"),  # not found: whatever its date
        (False, None, None, "non reçu"),
    ],
)
def test_return_state(found, date_maj, previous, state):
    assert return_state(found, date_maj, previous) == state


@pytest.mark.parametrize(
    ("state", "date_maj", "label"),
    [
        ("pas mis à jour", D(2018, 5, 14), "pas mis à jour depuis le 14/05/2018"),
        ("pas mis à jour", dt.datetime(2018, 5, 4, 9, 0), "pas mis à jour depuis le 04/05/2018"),
        ("pas mis à jour", None, "pas mis à jour"),
        (" pas mis à jour ", D(2018, 5, 14), "pas mis à jour depuis le 14/05/2018"),
        ("reçu", D(2018, 5, 14), "reçu"),  # the date only says since when it is stale
        ("non reçu", None, "non reçu"),
        (None, None, "non reçu"),
        ("", D(2018, 5, 14), "non reçu"),
    ],
)
def test_return_label(state, date_maj, label):
    assert return_label(state, date_maj) == label


@pytest.mark.parametrize(
    ("received", "label", "text"),
    [
        (True, "pas mis à jour depuis le 14/05/2018", "pas mis à jour depuis le 14/05/2018"),
        (False, " reçu ", "reçu"),  # the stored words win over the flag
        (True, None, "reçu"),  # a snapshot stored before « etat »: the flag says it
        (np.True_, pd.NA, "reçu"),
        (False, None, "non reçu"),
        (None, "", "non reçu"),
        (pd.NA, np.nan, "non reçu"),
    ],
)
def test_return_text(received, label, text):
    assert return_text(received, label) == text


def test_return_words():
    assert (rules.RECEIVED, rules.NOT_RECEIVED, rules.NOT_UPDATED) == (
        "reçu", "non reçu", "pas mis à jour")  # fmt: skip

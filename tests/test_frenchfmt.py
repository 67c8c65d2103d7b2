"""French numbers and dates: Babel's own formatting parses back to the same value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from innova_reports.frenchfmt import (
    Ambiguous,
    Invalid,
    format_date,
    format_long_date,
    format_money,
    format_number,
    format_percent,
    parse_date,
    parse_number,
)

DECIMALS = st.decimals(
    min_value=Decimal("-1e9"),
    max_value=Decimal("1e9"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DECIMALS)
def test_babel_decimal_parses_back(value):
    assert parse_number(format_decimal(value, locale="fr_FR")) == value


@given(DECIMALS)
def test_babel_currency_parses_back(value):
    assert parse_number(format_currency(value, "EUR", locale="fr_FR")) == value


@given(DECIMALS)
def test_our_number_format_parses_back(value):
    assert parse_number(format_number(value, 2)) == value


@given(DATES, st.sampled_from(["short", "medium", "long", "full"]))
def test_babel_date_parses_back(value, style):
    assert parse_date(babel_format_date(value, style, locale="fr_FR")) == value


@given(DATES)
def test_our_date_formats_parse_back(value):
    assert parse_date(format_date(value)) == value
    assert parse_date(format_long_date(value)) == value
    assert parse_date(value.strftime("%d/%m/%y")) == value
    assert parse_date(value.isoformat()) == value


@pytest.mark.parametrize("text", ["1.234", "12.500", "-1.000.000"])
def test_dot_thousands_are_ambiguous(text):
    with pytest.raises(Ambiguous):
        parse_number(text)


@pytest.mark.parametrize("text", ["03/04", "12/2018", "mars 2018", "15 mars", "1er mars"])
def test_partial_dates_are_ambiguous(text):
    with pytest.raises(Ambiguous):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "abc", "12,3,4", "1,234.5", "--3", "3 kg"])
def test_not_numbers(text):
    with pytest.raises(Invalid):
        parse_number(text)


@pytest.mark.parametrize("text", ["32/01/2018", "29/02/2019", "lundi", "15 13 2018", "2018/03/15x"])
def test_not_dates(text):
    with pytest.raises(Invalid):
        parse_date(text)


def test_display_formats():
    assert format_date(dt.date(2018, 3, 5)) == "05/03/2018"
    assert format_date(None) == ""
    assert format_long_date(dt.date(2018, 3, 1)) == "1er mars 2018"
    assert format_number(12500.5, 1) == "12\u202f500,5"
    assert format_money(12500) == "12\u202f500\u00a0€"
    assert format_money(12.5) == "12,50\u00a0€"
    assert format_percent(0.455) == "46\u00a0%"
    assert format_percent(None) == ""


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Pourquoi cette action?", "Pourquoi cette action\u202f?"),
        ("Simplifier ; réduire", "Simplifier\u202f; réduire"),
        ("Attention\u00a0!", "Attention\u202f!"),
        ("Note: ceci", "Note\u202f: ceci"),
        ("«guide»", "«\u202fguide\u202f»"),
        ("« guide mode projet »", "«\u202fguide mode projet\u202f»"),
        ("Quoi ?!", "Quoi\u202f?!"),
        ("Voir http://x.fr/a?b=1 à 10:30", "Voir http://x.fr/a?b=1 à 10:30"),
        ('#read("/etc/passwd")', '#read("/etc/passwd")'),
    ],
)
def test_french_typography_puts_narrow_no_break_spaces(typed, printed):
    from innova_reports.frenchfmt import french_typography

    assert french_typography(typed) == printed
    assert french_typography(printed) == printed  # idempotent

"""The consolidated period: which months may be consolidated, and their reporting date."""

from __future__ import annotations

import datetime as dt

from innova_reports.fields import is_period, month_end
from innova_reports.settings import Settings
from innova_reports.support.errors import EXIT_USAGE, UserError


class ConsolidationError(UserError):
    """A consolidation that cannot run; the message is French."""


class PeriodError(ConsolidationError):
    """A bad ``--period``: a usage error (exit 2)."""

    exit_code = EXIT_USAGE


def check_period(period: str, settings: Settings, today: dt.date | None = None) -> None:
    if not is_period(period):
        raise PeriodError(
            f"période invalide « {period} » : un mois au format AAAA-MM est attendu "
            "(par exemple 2018-05)."
        )
    if period not in settings.months:
        raise PeriodError(
            f"la période {period} est hors du suivi du programme "
            f"({settings.months[0]} à {settings.months[-1]}, clés « suivi.* » des paramètres)."
        )
    today = today or dt.date.today()
    if period > f"{today:%Y-%m}":
        raise PeriodError(f"la période {period} n'a pas encore commencé.")


def reporting_date_of(period: str, today: dt.date | None = None) -> dt.date:
    """The last day of the period, or today when the period is the current month."""
    today = today or dt.date.today()
    return today if f"{today:%Y-%m}" == period else month_end(period)

"""Values as every output reads them from a snapshot: plain Python, whatever they were.

A snapshot's tables hold what the consolidation typed, but a history written by an
earlier version, a pandas column or a value typed oddly may bring numpy scalars, NA,
timestamps or numbers as text. Every output reads cells through these, so that one
cell reads the same in the master, the dashboards, the booklet and the emails.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

_ALREADY_PLAIN = frozenset({str, int, bool, dt.datetime, dt.date, type(None)})


def plain(value: Any) -> Any:
    """A value as plain Python: None for every kind of NA, no numpy or pandas scalars.

    Called on every cell of every snapshot table (millions of times for 1,000 sheets):
    exact built-in types, nearly all values, take the first two tests only.
    """
    kind = type(value)
    if kind in _ALREADY_PLAIN:
        return value
    if kind is float:
        return None if value != value else value
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    return value


def plain_list(column: pd.Series) -> list[Any]:
    """A column's values as ``plain`` gives them, without calling it on every value:
    numbers, booleans and text come out of ``tolist`` as Python values already, and
    only their missing values (NaN, or NA in a nullable column) need turning into None."""
    values = column.tolist()
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biu":  # numpy: no missing value
        return values
    if dtype.kind in "biuf" or isinstance(dtype, pd.StringDtype):  # NaN, or NA if nullable
        if not column.hasnans:
            return values
        return [None if missing else value
                for value, missing in zip(values, column.isna().tolist(), strict=True)]  # fmt: skip
    return [plain(value) for value in values]


def as_date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def as_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def as_text(value: Any) -> str:
    if type(value) is str:  # nearly every value: skip the NA tests
        return value.strip()
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def as_int(value: Any) -> int | None:
    number = as_float(value)
    return None if number is None else int(number)


def as_bool(value: Any) -> bool:
    if value is None:
        return False
    try:
        if pd.isna(value):
            return False
    except (TypeError, ValueError):
        pass
    return bool(value)

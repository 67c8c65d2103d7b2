"""The history store: one snapshot per period in an embedded SQLite database.

The history is what makes month-over-month comparisons possible and what makes a
re-run idempotent: saving a period replaces it in one transaction. Each snapshot table
is stored as one JSON array of its columns (``snapshot_data``) so that every value comes back
with its Python type: dates as dates, booleans as booleans, missing values as NA; one
blob per table rather than one SQLite row per table row is what keeps 1,000 action
sheets (≈ 150,000 rows) a fraction of a second. Histories written row by row (schema 1,
``snapshot_rows``) are still read. The column list of every table is stored too, so
``load`` needs no settings. Each period's key counts (``counts.key_counts``, the
figures of the synthesis chart) are stored next to its snapshot when ``save`` is given
the settings (``snapshot_counts``), so the dashboards read one small row per earlier
month instead of loading its whole snapshot; histories written before have none and
the dashboards compute them. Other stages (the mail ledger) may keep
their own tables in the same file through ``History.connection()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from innova_reports.consolidate.counts import key_counts
from innova_reports.model import Snapshot
from innova_reports.settings import Settings
from innova_reports.values import plain

SCHEMA_VERSION = 2  # 1: one row per table row; 2: one JSON blob per table
# (snapshot_counts was added to schema 2 without a new version: it is optional, read
# only when present, and an older program simply ignores it)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    period TEXT PRIMARY KEY,
    reporting_date TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshot_tables (
    period TEXT NOT NULL REFERENCES snapshots(period) ON DELETE CASCADE,
    name TEXT NOT NULL,
    columns TEXT NOT NULL,
    PRIMARY KEY (period, name)
);
CREATE TABLE IF NOT EXISTS snapshot_rows (
    period TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (period, name, position),
    FOREIGN KEY (period, name) REFERENCES snapshot_tables(period, name) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS snapshot_data (
    period TEXT NOT NULL,
    name TEXT NOT NULL,
    rows TEXT NOT NULL,
    PRIMARY KEY (period, name),
    FOREIGN KEY (period, name) REFERENCES snapshot_tables(period, name) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS snapshot_counts (
    period TEXT PRIMARY KEY REFERENCES snapshots(period) ON DELETE CASCADE,
    counts TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class EncodedSnapshot:
    """A snapshot as the store writes it: text only, cheap to hand between processes."""

    period: str
    reporting_date: str
    created: str
    tables: tuple[tuple[str, str, str], ...]  # (name, JSON column list, JSON columns)
    counts: str | None  # JSON key counts, when the settings were given


def encode_snapshot(snapshot: Snapshot, settings: Settings | None = None) -> EncodedSnapshot:
    """Everything ``History.store`` writes, computed without touching the database."""
    counts = key_counts(snapshot, settings) if settings is not None else None
    return EncodedSnapshot(
        period=snapshot.period,
        reporting_date=snapshot.reporting_date.isoformat(),
        created=snapshot.created.isoformat(),
        tables=tuple(
            (name, json.dumps([str(c) for c in frame.columns]), _encode_table(frame))
            for name, frame in snapshot.tables.items()
        ),
        counts=None if counts is None else json.dumps(counts, ensure_ascii=False),
    )


class History:
    """The SQLite file holding every consolidated period."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction: committed on success, else rolled back."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("BEGIN IMMEDIATE")  # not executescript(): it would commit
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def save(self, snapshot: Snapshot, settings: Settings | None = None) -> None:
        """Store a period, replacing any previous snapshot of it, in one transaction.

        With ``settings``, the period's key counts are stored in the same transaction
        (they depend on the axes and follow-up months of the settings); without, the
        period has none and whoever needs them computes them from the snapshot.
        """
        self.store(encode_snapshot(snapshot, settings))

    def store(self, encoded: EncodedSnapshot) -> None:
        """Store a snapshot encoded by ``encode_snapshot`` (which may run elsewhere)."""
        with self.connection() as db:
            db.execute("DELETE FROM snapshots WHERE period = ?", (encoded.period,))
            db.execute(
                "INSERT INTO snapshots (period, reporting_date, created) VALUES (?, ?, ?)",
                (encoded.period, encoded.reporting_date, encoded.created),
            )
            for name, columns, rows in encoded.tables:
                db.execute(
                    "INSERT INTO snapshot_tables (period, name, columns) VALUES (?, ?, ?)",
                    (encoded.period, name, columns),
                )
                db.execute(
                    "INSERT INTO snapshot_data (period, name, rows) VALUES (?, ?, ?)",
                    (encoded.period, name, rows),
                )
            if encoded.counts is not None:  # the DELETE above removed any older counts
                db.execute(
                    "INSERT INTO snapshot_counts (period, counts) VALUES (?, ?)",
                    (encoded.period, encoded.counts),
                )

    def load(self, period: str, tables: Collection[str] | None = None) -> Snapshot | None:
        """The period's snapshot; only the ``tables`` named, when given (the others are
        then absent: a month's comparison needs three tables of thirteen)."""
        if not self.path.exists():
            return None
        with self.connection() as db:
            head = db.execute(
                "SELECT reporting_date, created FROM snapshots WHERE period = ?", (period,)
            ).fetchone()
            if head is None:
                return None
            wanted = None if tables is None else set(tables)
            frames = {}
            for name, columns_json in db.execute(
                "SELECT name, columns FROM snapshot_tables WHERE period = ? ORDER BY rowid",
                (period,),
            ).fetchall():
                if wanted is not None and name not in wanted:
                    continue
                columns = json.loads(columns_json)
                frames[name] = table_frame(columns, _stored_rows(db, period, name, columns))
        return Snapshot(
            period=period,
            reporting_date=dt.date.fromisoformat(head[0]),
            created=dt.datetime.fromisoformat(head[1]),
            tables=frames,
        )

    def counts(self, period: str) -> dict[str, Any] | None:
        """The key counts stored with ``period``'s snapshot (None when it has none)."""
        return self.all_counts().get(period)

    def all_counts(self) -> dict[str, dict[str, Any]]:
        """Every period's stored key counts, by period; periods saved without are absent."""
        if not self.path.exists():
            return {}
        with self.connection() as db:
            rows = db.execute(
                "SELECT c.period, c.counts FROM snapshot_counts c "
                "JOIN snapshots s ON s.period = c.period ORDER BY c.period"
            ).fetchall()
        return {period: json.loads(counts) for period, counts in rows}

    def periods(self) -> list[str]:
        if not self.path.exists():
            return []
        with self.connection() as db:
            rows = db.execute("SELECT period FROM snapshots ORDER BY period").fetchall()
        return [row[0] for row in rows]

    def previous(self, period: str, tables: Collection[str] | None = None) -> Snapshot | None:
        """The latest snapshot strictly before ``period`` (None for the first one)."""
        earlier = [p for p in self.periods() if p < period]
        return self.load(earlier[-1], tables) if earlier else None


def key_counts_by_period(
    history: Any,
    settings: Settings,
    *,
    before: str | None = None,
    known: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The key counts of every period of ``history`` (before ``before`` only, when
    given), by period, oldest first.

    Stored counts are read as they are (one small row a month, where loading a month's
    snapshot costs 1.3 s at 1,000 action sheets); a period saved without them (a history
    written before they were stored, or a store without ``all_counts``) is loaded and
    counted, and nothing is written back: reading never changes the history.
    ``history`` is a ``History`` or anything with ``periods()`` and ``load(period)``;
    ``known``: counts the caller has already (its own period's), used as they are.
    """
    all_counts = getattr(history, "all_counts", None)
    stored = {**(all_counts() if all_counts is not None else {}), **(known or {})}
    counts: dict[str, dict[str, Any]] = {}
    for period in sorted(history.periods()):
        if before is not None and period >= before:
            continue
        if period in stored:
            counts[period] = stored[period]
            continue
        snapshot = history.load(period)
        if snapshot is not None:
            counts[period] = key_counts(snapshot, settings)
    return counts


# -- canonical tables ------------------------------------------------------------------


def table_frame(
    columns: Sequence[str], records: Iterable[Sequence[Any]], *, plain_values: bool = False
) -> pd.DataFrame:
    """The canonical DataFrame of a snapshot table.

    Both ``build_snapshot`` and ``History.load`` go through here, so a table saved and
    loaded back compares equal to the one built (same values, same dtypes).
    ``plain_values`` says every value went through ``plain`` already (the snapshot
    builder types each one): it saves a second pass over every cell.
    """
    if plain_values:
        rows = list(records)  # tuples or lists: from_records reads both alike
    else:
        rows = [[plain(value) for value in record] for record in records]
    if not rows:
        return pd.DataFrame({column: pd.Series([], dtype=object) for column in columns})
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    return frame.reset_index(drop=True)


def _stored_rows(
    db: sqlite3.Connection, period: str, name: str, columns: Sequence[str]
) -> list[Sequence[Any]]:
    """A table's rows, from its JSON blob, or row by row from a schema-1 history."""
    blob = db.execute(
        "SELECT rows FROM snapshot_data WHERE period = ? AND name = ?", (period, name)
    ).fetchone()
    if blob is not None:
        return _decode_table(blob[0])
    rows = db.execute(
        "SELECT data FROM snapshot_rows WHERE period = ? AND name = ? ORDER BY position",
        (period, name),
    ).fetchall()
    return [_decode_row(columns, row[0]) for row in rows]


def _encode_table(frame: pd.DataFrame) -> str:
    """The table as one JSON array of its columns; types JSON lacks go through ``_tagged``.

    Column by column, so that only one column's values are held as Python objects at a
    time (a list of row tuples of the 150,000-row indicator table cost 20 MB more at peak).
    The C encoder handles str, int, float and bool itself (NaN is written as NaN and read
    back as NA by ``table_frame``); only dates and numpy scalars reach Python.
    """
    parts = [
        json.dumps(frame.iloc[:, i].tolist(), default=_tagged, ensure_ascii=False,
                   separators=(",", ":"))
        for i in range(frame.shape[1])
    ]  # fmt: skip
    return "[" + ",".join(parts) + "]"


def _tagged(value: Any) -> Any:
    """``json.dumps``'s fallback: a value as JSON can hold it (dates tagged)."""
    encoded = _encode(value)
    if encoded is value:  # not a JSON type even once plain: keep its text
        return str(value)
    return encoded


def _decode_table(data: str) -> list[tuple[Any, ...]]:
    """Rows back from the columns of ``_encode_table``."""
    return list(zip(*json.loads(data, object_hook=_untag), strict=True))


def _untag(value: dict[str, Any]) -> Any:
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    return value


def _encode(value: Any) -> Any:
    value = plain(value)
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    return value


def _decode_row(columns: Sequence[str], data: str) -> list[Any]:
    values = json.loads(data)
    return [_decode(values.get(column)) for column in columns]

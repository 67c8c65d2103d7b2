"""The ledger of sent messages: what makes sending happen exactly once.

A table ``envois`` in the history database (``<output>/historique.sqlite``), one row
per period, recipient list and address: the content hash sent, the status, the
server's answer and when. A row is written *before* the message data is handed to
the server (status ``incertain``) and turned into ``envoyé`` once the server accepts
it, so that even a crash between the two never leads to a second sending.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SENT = "envoyé"
FAILED = "échec"
UNCERTAIN = "incertain"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS envois (
    periode TEXT NOT NULL,
    liste TEXT NOT NULL,
    adresse TEXT NOT NULL,
    empreinte TEXT NOT NULL,
    statut TEXT NOT NULL,
    reponse TEXT NOT NULL DEFAULT '',
    horodatage TEXT NOT NULL,
    PRIMARY KEY (periode, liste, adresse)
)
"""


@dataclass(frozen=True)
class Entry:
    period: str
    key: str
    address: str
    digest: str
    status: str
    answer: str
    timestamp: str


class Ledger:
    """Read and record sending outcomes; every record is committed at once."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute(_SCHEMA)
            yield connection
            connection.commit()
        finally:
            connection.close()

    def entries(self, period: str, key: str | None = None) -> dict[tuple[str, str], Entry]:
        """The rows of a period (of one list if given), by (list key, address)."""
        query = "SELECT * FROM envois WHERE periode = ?"
        params: tuple[str, ...] = (period,)
        if key is not None:
            query += " AND liste = ?"
            params += (key,)
        with self._connect() as connection:
            rows = connection.execute(query, params).fetchall()
        return {(row[1], row[2]): Entry(*row) for row in rows}

    def record(
        self, period: str, key: str, addresses: list[str], digest: str, status: str, answer: str
    ) -> None:
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO envois VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(period, key, address, digest, status, answer, stamp) for address in addresses],
            )

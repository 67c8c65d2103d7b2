"""The state of each email of a period: from the mail ledger, else from the drafts.

The ledger (``mail.ledger``, a table of the history file) records every address a
message was handed to, with « envoyé », « échec » or « incertain » and when; a message
of which only the draft exists (``mail/<key>.eml``: nothing was sent) is a
« brouillon », dated by the day it was written. The message keys are the drafts' file
names and the ledger's list keys: ``axe-<n>``, ``relance-axe-<n>``, ``copil``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from innova_reports.mail.ledger import FAILED, SENT, UNCERTAIN, Entry, Ledger
from innova_reports.paths import MAIL_DIR, history_path
from innova_reports.settings import Settings

DRAFT = "brouillon"
NOT_WRITTEN = "pas encore préparé"
# the state of a message is the worst of its addresses'
_WORST_FIRST = (FAILED, UNCERTAIN, SENT)
KINDS = {SENT: "sent", FAILED: "failed", UNCERTAIN: "uncertain", DRAFT: "draft",
         NOT_WRITTEN: "none"}  # fmt: skip


@dataclass(frozen=True)
class AddressState:
    address: str
    state: str  # SENT, FAILED or UNCERTAIN
    when: dt.datetime | None
    answer: str  # the server's words, "" when none


@dataclass(frozen=True)
class MessageState:
    key: str
    label: str  # French: what the message is and for whom
    state: str  # SENT, FAILED, UNCERTAIN, DRAFT or NOT_WRITTEN
    when: dt.datetime | dt.date | None  # the latest ledger record, or the draft's day
    addresses: tuple[AddressState, ...]  # from the ledger; empty for a draft
    recipients: tuple[str, ...]  # the addresses of the settings, for a draft

    @property
    def kind(self) -> str:
        return KINDS[self.state]

    @property
    def mixed(self) -> bool:
        """Some addresses in another state than the message's."""
        return len({a.state for a in self.addresses}) > 1


def message_keys(settings: Settings, axis: int | None) -> list[tuple[str, str]]:
    """(key, French label) of the messages of an axis (None: of the copil)."""
    if axis is None:
        return [("copil", "Synthèse au comité de pilotage")]
    return [
        (f"axe-{axis}", f"Tableau de bord aux pilotes de l'axe {axis}"),
        (f"relance-axe-{axis}", f"Relance des pilotes de l'axe {axis} (documents manquants)"),
    ]


def period_entries(output_dir: Path, period: str) -> dict[str, list[Entry]]:
    """The ledger's rows of the period, by message key (none without a history)."""
    path = history_path(output_dir)
    if not path.is_file():
        return {}
    by_key: dict[str, list[Entry]] = {}
    for (key, _address), entry in sorted(Ledger(path).entries(period).items()):
        by_key.setdefault(key, []).append(entry)
    return by_key


def message_states(
    settings: Settings, period_dir: Path, entries: dict[str, list[Entry]], axis: int | None
) -> list[MessageState]:
    """The messages of an axis (None: the copil's) that were written or sent. The main
    message is always listed (« pas encore préparé » before the mail step); a reminder
    only when there is one."""
    recipients = settings.copil_recipients if axis is None else settings.axis(axis).pilots
    states = []
    for position, (key, label) in enumerate(message_keys(settings, axis)):
        draft = Path(period_dir) / MAIL_DIR / f"{key}.eml"
        own = entries.get(key, [])
        if own:
            states.append(_from_ledger(key, label, own))
        elif draft.is_file():
            written = dt.date.fromtimestamp(draft.stat().st_mtime)
            states.append(MessageState(key, label, DRAFT, written, (),
                                       tuple(r.address for r in recipients)))  # fmt: skip
        elif position == 0:
            states.append(MessageState(key, label, NOT_WRITTEN, None, (),
                                       tuple(r.address for r in recipients)))  # fmt: skip
    return states


def _from_ledger(key: str, label: str, entries: Iterable[Entry]) -> MessageState:
    addresses = tuple(
        AddressState(e.address, e.status, _stamp(e.timestamp), e.answer) for e in entries
    )
    found = {a.state for a in addresses}
    state = next((s for s in _WORST_FIRST if s in found), UNCERTAIN)
    stamps = [a.when for a in addresses if a.when is not None]
    return MessageState(
        key, label, state, max(stamps, key=_instant) if stamps else None, addresses, ()
    )


def _instant(stamp: dt.datetime) -> float:
    return stamp.timestamp()  # naive and aware stamps compare (a naive one is local)


def _stamp(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None

"""Write the period's messages as ``.eml`` drafts: the default, nothing is sent.

A draft opens in any mail client (Thunderbird, Outlook) for a last look, and can be
sent from there as it is: it carries From, To, Subject, Date and its MIME parts, and
the header ``X-Unsent: 1`` that makes Outlook open it as a message to send rather
than one received. That header is the only difference from the bytes sent by SMTP.
Each file is written to a temporary name and moved into place, so a crash never
leaves half a draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from innova_reports.mail.compose import Draft
from innova_reports.support.atomic import write_bytes


def draft_path(mail_dir: Path, draft: Draft) -> Path:
    return mail_dir / f"{draft.key}.eml"


UNSENT = b"X-Unsent: 1\r\n"


def draft_bytes(draft: Draft) -> bytes:
    """The file's bytes: the message as sent, marked unsent for the mail clients."""
    return UNSENT + draft.as_bytes()


def write_drafts(drafts: Sequence[Draft], mail_dir: Path) -> list[Path]:
    """Write every composable draft; return the files written, in order."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for draft in drafts:
        if draft.message is None:
            continue
        path = draft_path(mail_dir, draft)
        write_bytes(path, draft_bytes(draft))
        written.append(path)
    return written

"""Write the period's messages as ``.eml`` drafts: the default, nothing is sent.

A draft opens in any mail client (Thunderbird, Outlook) for a last look. Each file is
written to a temporary name and moved into place, so a crash never leaves half a draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from innova_reports.mail.compose import Draft
from innova_reports.support.atomic import write_bytes


def draft_path(mail_dir: Path, draft: Draft) -> Path:
    return mail_dir / f"{draft.key}.eml"


def write_drafts(drafts: Sequence[Draft], mail_dir: Path) -> list[Path]:
    """Write every composable draft; return the files written, in order."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for draft in drafts:
        if draft.message is None:
            continue
        path = draft_path(mail_dir, draft)
        write_bytes(path, draft.as_bytes())
        written.append(path)
    return written

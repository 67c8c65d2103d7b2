"""Build the period's emails as ``EmailMessage`` objects, byte for byte reproducible.

One message per recipient list of the settings: each axis' pilots (their dashboard
as the HTML body, its charts inline as ``cid:`` parts, the PDF and the feedback
workbook attached, what to fix listed), the copil (the synthesis as body, every PDF
attached), and a reminder to each group with documents missing this period.

The same inputs give the same bytes: MIME boundaries and Content-IDs are derived
from the list key, and Date and Message-ID from the period, the list and the content
hash. The hash (``Draft.digest``) covers everything but From, Date and Message-ID,
so the ledger recognises a message whoever sends it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from innova_reports.mail import prefilled, texts
from innova_reports.mail.findings import corrections_for, expected_documents
from innova_reports.mail.headers import MailHeaderError, check_header_text, check_recipient
from innova_reports.model import Snapshot
from innova_reports.paths import booklet_pdf_path
from innova_reports.settings import Axis, Recipient, Settings
from innova_reports.support.errors import UserError

POLICY = policy.SMTP  # CRLF line ends, RFC 2047 headers: what SMTP wants, byte for byte
DEFAULT_MAX_MB = 10.0
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc\s*=\s*)(["\'])(.*?)\2', re.IGNORECASE | re.DOTALL)
_DATA_URI = re.compile(r"^data:image/([a-z0-9.+-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)


class MailInputError(UserError):
    """An output needed by a message is missing; the message is French."""


@dataclass
class Draft:
    """One message for one recipient list, or the French reason it cannot go."""

    key: str  # "axe-2", "copil", "relance-axe-2": file name and ledger key
    label: str  # French: who it is for
    recipients: tuple[Recipient, ...]
    subject: str
    message: EmailMessage | None = None
    digest: str = ""
    problem: str = ""
    attachments: list[Path] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        return [recipient.address for recipient in self.recipients]

    def as_bytes(self) -> bytes:
        assert self.message is not None
        return self.message.as_bytes(policy=POLICY)


@dataclass(frozen=True)
class Layout:
    """Where the period's outputs are (the dashboards and consolidation contracts)."""

    period_dir: Path

    @property
    def dashboards(self) -> Path:
        return self.period_dir / "tableaux"

    def axis_html(self, number: int) -> Path:
        return self.dashboards / f"axe-{number}.html"

    def axis_pdf(self, number: int) -> Path:
        return self.dashboards / f"axe-{number}.pdf"

    def feedback(self, number: int) -> Path:
        return self.period_dir / "retours" / f"axe-{number}.xlsx"

    def annotated(self, number: int) -> list[Path]:
        """The group's annotated copies (``annotate.copies``), in name order."""
        return sorted((self.period_dir / "retours" / f"axe-{number}").glob("*_a-corriger.*"))

    @property
    def synthesis_html(self) -> Path:
        return self.dashboards / "synthese.html"

    @property
    def synthesis_pdf(self) -> Path:
        return self.dashboards / "synthese.pdf"

    @property
    def mail_dir(self) -> Path:
        return self.period_dir / "mail"

    def booklet_pdf(self, period: str) -> Path:
        """The plan d'actions booklet (``innova-reports booklet``), when written."""
        return booklet_pdf_path(self.period_dir.parent, period)


# -- the period's messages -----------------------------------------------------------------


def compose_period(
    settings: Settings,
    snapshot: Snapshot,
    period_dir: Path,
    *,
    sender: Recipient | None = None,
    max_mb: float = DEFAULT_MAX_MB,
) -> list[Draft]:
    """Every message of the period, in a stable order: axes, copil, reminders.

    ``sender`` is the From (``mail.sender_for``): without it a draft has no From
    and a mail client cannot send it as it is.
    """
    layout = Layout(period_dir)
    stamp = message_date(snapshot.reporting_date)
    drafts = [_axis_draft(settings, snapshot, layout, axis, max_mb) for axis in settings.axes]
    drafts.append(_copil_draft(settings, snapshot.period, layout, max_mb))
    for axis in settings.axes:
        expected = expected_documents(snapshot, axis.number)
        if expected:
            workbooks = prefilled.for_documents(period_dir, axis.number, expected)
            drafts.append(_reminder_draft(settings, snapshot.period, axis,
                                          [e.text for e in expected],
                                          prefilled.fit(workbooks, [], max_mb), max_mb))  # fmt: skip
    for draft in drafts:
        _finish(draft, snapshot.period, stamp, sender, max_mb)
    return drafts


def message_date(day: dt.date) -> dt.datetime:
    """08:00 in Brive on the reporting date: fixed, so drafts are reproducible."""
    try:
        from zoneinfo import ZoneInfo

        zone: dt.tzinfo = ZoneInfo("Europe/Paris")
    except Exception:  # no time-zone data on this machine: UTC is still a valid date
        zone = dt.UTC
    return dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=zone)


def _axis_draft(
    settings: Settings, snapshot: Snapshot, layout: Layout, axis: Axis, max_mb: float
) -> Draft:
    draft = Draft(
        key=f"axe-{axis.number}",
        label=f"Pilotes de l'axe {axis.number}",
        recipients=axis.pilots,
        subject=texts.axis_subject(settings, axis, snapshot.period),
    )
    corrections = corrections_for(snapshot, axis.number)
    feedback = layout.feedback(axis.number)
    has_feedback = feedback.is_file() and bool(corrections)  # nothing to fix: no file to open
    intro = texts.axis_intro(settings, axis, snapshot.period, has_feedback)
    sign = texts.signature(settings)
    draft.attachments = [layout.axis_pdf(axis.number)] + ([feedback] if has_feedback else [])
    # this month's fixes first (the annotated copies), then next month's workbooks
    copies = prefilled.fit(layout.annotated(axis.number), draft.attachments, max_mb)
    draft.attachments += copies.attached
    annotated = texts.annotated_text([p.name for p in (*copies.attached, *copies.named)],
                                     str(copies.folder or ""), bool(copies.attached))  # fmt: skip
    workbooks = prefilled.fit(prefilled.for_axis(layout.period_dir, axis.number),
                              draft.attachments, max_mb)  # fmt: skip
    draft.attachments += workbooks.attached
    ready = _prefilled_words(workbooks, max_mb, reminder=False)
    parts = (intro, texts.corrections_text(corrections), annotated, ready, sign)
    text = "\n\n".join(p for p in parts if p)
    page = layout.axis_html(axis.number)
    fixes = texts.corrections_html(corrections) + "".join(
        texts.intro_html(p) for p in (annotated, ready) if p
    )
    draft.message = _try(
        draft, lambda: _dashboard_message(draft, text, (intro, sign), page, fixes, snapshot.period)
    )
    return draft


def _copil_draft(settings: Settings, period: str, layout: Layout, max_mb: float) -> Draft:
    draft = Draft(
        key="copil",
        label="Comité de pilotage",
        recipients=settings.copil_recipients,
        subject=texts.copil_subject(settings, period),
    )
    intro = texts.copil_intro(settings, period, len(settings.axes))
    draft.attachments = [layout.synthesis_pdf] + [layout.axis_pdf(a.number) for a in settings.axes]
    booklet = layout.booklet_pdf(period)
    if booklet.is_file():  # the plan d'actions: attached within the size limit, else located
        attached = bool(prefilled.fit([booklet], draft.attachments, max_mb).attached)
        draft.attachments += [booklet] if attached else []
        intro += "\n\n" + texts.booklet_sentence(period, booklet, attached, max_mb)
    sign = texts.signature(settings)
    text = f"{intro}\n\n{sign}"
    page = layout.synthesis_html
    draft.message = _try(
        draft, lambda: _dashboard_message(draft, text, (intro, sign), page, "", period)
    )
    return draft


def _reminder_draft(
    settings: Settings,
    period: str,
    axis: Axis,
    missing: list[str],
    workbooks: prefilled.Prefilled,
    max_mb: float,
) -> Draft:
    draft = Draft(
        key=f"relance-axe-{axis.number}",
        label=f"Relance des pilotes de l'axe {axis.number}",
        recipients=axis.pilots,
        subject=texts.reminder_subject(settings, axis, period),
    )
    text = texts.reminder_text(settings, axis, period, missing)
    ready = _prefilled_words(workbooks, max_mb, reminder=True)
    if ready:  # before « Merci… » and the signature
        head, _, tail = text.rpartition("\n\nMerci pour votre contribution")
        text = f"{head}\n\n{ready}\n\nMerci pour votre contribution{tail}" if head else text
    draft.attachments = list(workbooks.attached)
    draft.message = _try(draft, lambda: _reminder_message(draft, text, period))
    return draft


def _prefilled_words(workbooks: prefilled.Prefilled, max_mb: float, *, reminder: bool) -> str:
    return texts.prefilled_text(
        [p.name for p in workbooks.attached], [p.name for p in workbooks.named],
        str(workbooks.folder or ""), max_mb, reminder=reminder,
    )  # fmt: skip


def _try(draft: Draft, build):
    try:
        return build()
    except (MailInputError, MailHeaderError) as exc:
        draft.problem = str(exc)
        return None


# -- MIME ----------------------------------------------------------------------------------


def _new_message(draft: Draft, text: str) -> EmailMessage:
    """The message with its headers, checked first: nothing unsafe reaches a header."""
    check_header_text(draft.subject, "l'objet du message (clés « programme.nom », « axes.nom »)")
    for position, recipient in enumerate(draft.recipients, start=1):
        check_recipient(recipient, _recipient_key(draft, position))
    message = EmailMessage(policy=POLICY)
    message["To"] = [Address(display_name=r.name, addr_spec=r.address) for r in draft.recipients]
    message["Subject"] = draft.subject
    message.set_content(text)
    return message


def _reminder_message(draft: Draft, text: str, period: str) -> EmailMessage:
    message = _new_message(draft, text)
    message.add_alternative(texts.text_to_html(text), subtype="html")
    _attach(message, draft.attachments, period)
    return message


def _dashboard_message(
    draft: Draft, text: str, words: tuple[str, str], page: Path, extra_html: str, period: str
) -> EmailMessage:
    """Plain text, then the dashboard page with its images related, then attachments.

    ``words`` is the French introduction and signature put around the dashboard.
    """
    intro, sign = words
    for path in [page, *draft.attachments]:
        if not path.is_file():
            raise MailInputError(
                f"fichier introuvable : {path}. Lancez d'abord « innova-reports dashboards » "
                "pour cette période."
            )
    cid_page = page.with_suffix(".cid.html")  # the dashboards' mail variant, when written
    source = cid_page if cid_page.is_file() else page
    body, images = inline_images(source.read_text(encoding="utf-8"), page.parent, draft.key)
    before = texts.card_html(texts.intro_html(intro) + extra_html)
    body = _wrap(body, before, texts.card_html(texts.intro_html(sign)))
    message = _new_message(draft, text)
    message.add_alternative(body, subtype="html")
    html_part = message.get_payload()[1]
    for cid, data, subtype in images:
        html_part.add_related(data, "image", subtype, cid=f"<{cid}>", disposition="inline")
    _attach(message, draft.attachments, period)
    return message


def _attach(message: EmailMessage, paths: Sequence[Path], period: str) -> None:
    for path in paths:
        maintype, subtype = _mime_type(path)
        message.add_attachment(
            path.read_bytes(),
            maintype=maintype,
            subtype=subtype,
            filename=attachment_name(path, period),
        )


def attachment_name(path: Path, period: str) -> str:
    """The name a recipient sees: what the file is and for which month, plain ASCII.

    On disk the files are named for the tools (``tableaux/axe-2.pdf``,
    ``retours/axe-2.xlsx``); two attachments both called « axe-2 » would say nothing.
    """
    kinds = {("tableaux", ".pdf"): "tableau-de-bord", ("retours", ".xlsx"): "corrections"}
    kind = kinds.get((path.parent.name, path.suffix.lower()))
    if path.stem == "synthese" and path.suffix.lower() == ".pdf":
        return f"synthese-programme_{period}.pdf"
    if kind is None or not re.fullmatch(r"axe-\d+", path.stem):
        return path.name
    return f"{kind}_{path.stem}_{period}{path.suffix.lower()}"


def _wrap(page: str, before: str, after: str) -> str:
    """Put our French paragraphs inside the dashboard page's body."""
    opening = re.search(r"<body\b[^>]*>", page, re.IGNORECASE)
    closing = page.lower().rfind("</body>")
    if not opening or closing < opening.end():
        return f"<!DOCTYPE html><html lang='fr'><body>{before}{page}{after}</body></html>"
    return page[: opening.end()] + before + page[opening.end() : closing] + after + page[closing:]


def inline_images(page: str, base: Path, key: str) -> tuple[str, list[tuple[str, bytes, str]]]:
    """Turn every embedded (data:) or local image of a page into a ``cid:`` reference.

    Mail clients block data: URIs and cannot see local files; related MIME parts
    referenced by Content-ID are what they all display inline.
    """
    images: list[tuple[str, bytes, str]] = []
    seen: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        source = match.group(3)
        loaded = _load_image(source, base)
        if loaded is None:
            return match.group(0)
        data, subtype = loaded
        digest = hashlib.sha256(data).hexdigest()[:16]
        if digest not in seen:
            seen[digest] = f"{key}.{len(images) + 1}.{digest}@innova-reports"
            images.append((seen[digest], data, subtype))
        return f"{match.group(1)}{match.group(2)}cid:{seen[digest]}{match.group(2)}"

    return _IMG_SRC.sub(replace, page), images


def _load_image(source: str, base: Path) -> tuple[bytes, str] | None:
    data_uri = _DATA_URI.match(source.strip())
    if data_uri:
        subtype = data_uri.group(1).lower()
        return base64.b64decode(re.sub(r"\s+", "", data_uri.group(2))), subtype
    if source.lower().startswith("cid:"):
        source = source[4:]  # the dashboards' ``.cid.html``: the PNG file of that name
    elif re.match(r"^[a-z][a-z0-9+.-]*:", source, re.IGNORECASE):
        return None  # http:, file: … left as they are
    path = (base / source).resolve()
    if not path.is_file() or not path.is_relative_to(base.resolve().parent):
        return None
    return path.read_bytes(), _mime_type(path)[1]


def _mime_type(path: Path) -> tuple[str, str]:
    known = {".pdf": "application/pdf", ".png": "image/png",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
    guessed = known.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    maintype, _, subtype = (guessed or "application/octet-stream").partition("/")
    return maintype, subtype


# -- headers, size, determinism --------------------------------------------------------


def _finish(draft: Draft, period: str, stamp: dt.datetime, sender: Recipient | None, max_mb: float):
    """Check sizes, fix boundaries, hash, then stamp From, Date and Message-ID."""
    if draft.message is None:
        return
    try:
        _check_sizes(draft.attachments, max_mb)
    except MailInputError as exc:
        draft.problem, draft.message = str(exc), None
        return
    for index, part in enumerate(p for p in draft.message.walk() if p.is_multipart()):
        part.set_boundary(f"=_innova_{draft.key}_{index}")
    draft.digest = hashlib.sha256(draft.as_bytes()).hexdigest()
    domain = sender.address.rpartition("@")[2] if sender else "innova-reports.invalid"
    if sender:
        draft.message["From"] = Address(display_name=sender.name, addr_spec=sender.address)
    draft.message["Date"] = format_datetime(stamp)
    draft.message["Message-ID"] = f"<{period}.{draft.key}.{draft.digest[:24]}@{domain}>"


def _recipient_key(draft: Draft, position: int) -> str:
    if draft.key == "copil":
        return f"copil.destinataires[{position}]"
    number = draft.key.rpartition("-")[2]
    return f"axes (axe {number}).pilotes[{position}]"


def _check_sizes(paths: Sequence[Path], max_mb: float) -> None:
    limit = int(max_mb * 1024 * 1024)
    for path in paths:
        size = path.stat().st_size
        if size > limit:
            raise MailInputError(
                f"la pièce jointe « {path.name} » pèse {size / 1024 / 1024:.1f} Mo, au-delà de la "
                f"limite de {max_mb:g} Mo (variable INNOVA_MAIL_MAX_MB) : ce message n'est pas "
                "envoyé. Allégez le fichier ou relevez la limite."
            )

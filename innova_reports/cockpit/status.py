"""What the status page says of a period, read from its snapshot: plain data.

The figures are those of the synthesis and of the master's Synthèse sheet, from the
same functions (``consolidate.counts``: ``axis_counts``, ``key_counts``,
``severity_counts``); nothing here applies a rule of its own. The rest is read from
the snapshot's tables as the consolidation wrote them: ``suivi`` (what is expected
and what came in), ``sources`` (every file found, consolidated or not, with the
reason), ``anomalies`` (every issue, with its file and axis).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from innova_reports.consolidate.counts import (
    AxisCounts,
    axis_counts,
    key_counts_of,
    severity_counts,
)
from innova_reports.consolidate.selection import CONSOLIDATED, record_dicts
from innova_reports.fields import ACTION, ROADMAP
from innova_reports.model import DOCUMENT_LABELS, Snapshot
from innova_reports.report.issue import Severity
from innova_reports.rules import return_text
from innova_reports.settings import Axis, Settings
from innova_reports.values import as_bool, as_date, as_int, as_text

ERROR, WARNING = str(Severity.ERROR), str(Severity.WARNING)


@dataclass(frozen=True)
class Headline:
    """The programme's figures, and the previous period's key counts to compare."""

    counts: AxisCounts
    key_counts: dict[str, Any]
    severities: dict[str, int]
    previous_period: str | None = None
    previous_counts: dict[str, Any] | None = None


@dataclass(frozen=True)
class FileProblem:
    """A file found but not consolidated, or whose issues belong to no axis."""

    file: str
    axis: int | None
    status: str  # consolidé / écarté / ignoré (``sources.statut``), "" when unknown
    reason: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class Document:
    """An expected document of an axis: received (with its file and date) or not."""

    kind: str  # ROADMAP or ACTION
    code: str
    title: str
    received: bool  # returned for this period (``rules.updated_for_period``)
    updated: dt.date | None
    file: str  # the file consolidated: also one not updated for this period
    state: str = ""  # « reçu », « non reçu », « pas mis à jour depuis le 14/05/2018 »
    errors: int = 0
    warnings: int = 0

    @property
    def label(self) -> str:
        return DOCUMENT_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AxisStatus:
    axis: Axis
    group: str
    pilot: str
    counts: AxisCounts
    severities: dict[str, int]
    documents: list[Document] = field(default_factory=list)

    @property
    def received(self) -> list[Document]:
        return [d for d in self.documents if d.received]

    @property
    def missing(self) -> list[Document]:
        return [d for d in self.documents if not d.received]

    @property
    def roadmap_received(self) -> bool:
        return any(d.kind == ROADMAP and d.received for d in self.documents)

    @property
    def codes(self) -> list[str]:
        """The action codes of the axis, received or announced."""
        return [d.code for d in self.documents if d.kind == ACTION and d.code]


@dataclass(frozen=True)
class PeriodStatus:
    period: str
    reporting_date: dt.date
    headline: Headline
    problems: list[FileProblem]
    axes: list[AxisStatus]


def period_status(
    snapshot: Snapshot,
    settings: Settings,
    previous: tuple[str, dict[str, Any]] | None = None,
) -> PeriodStatus:
    """The status of ``snapshot``'s period; ``previous``: (period, key counts) of the
    period before it in the history, when there is one."""
    by_file = _issues_by_file(snapshot)
    documents = _documents(snapshot, by_file)
    programme = axis_counts(snapshot, settings, None)
    headline = Headline(
        counts=programme,
        key_counts=key_counts_of(programme, snapshot.period),
        severities=severity_counts(snapshot, None),
        previous_period=previous[0] if previous else None,
        previous_counts=previous[1] if previous else None,
    )
    roadmaps = {as_int(r.get("axe")): r for r in record_dicts(snapshot.table("feuilles_de_route"))}
    axes = []
    for axis in settings.axes:
        roadmap = roadmaps.get(axis.number, {})
        axes.append(
            AxisStatus(
                axis=axis,
                group=as_text(roadmap.get("groupe")),
                pilot=as_text(roadmap.get("pilote")) or ", ".join(p.name for p in axis.pilots),
                counts=axis_counts(snapshot, settings, axis.number),
                severities=severity_counts(snapshot, axis.number),
                documents=[d.document for d in documents if d.axis == axis.number],
            )
        )
    return PeriodStatus(
        period=snapshot.period,
        reporting_date=snapshot.reporting_date,
        headline=headline,
        problems=_problems(snapshot, by_file),
        axes=axes,
    )


@dataclass(frozen=True)
class _Expected:
    axis: int | None
    document: Document

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def received(self) -> bool:
        return self.document.received


def _documents(snapshot: Snapshot, by_file: dict[str, Counter]) -> list[_Expected]:
    """Every row of ``suivi``, in its order (each axis: roadmap, then actions by code)."""
    documents = []
    for row in record_dicts(snapshot.table("suivi")):
        name = as_text(row.get("fichier"))
        found = by_file.get(name, Counter()) if name else Counter()
        document = Document(
            kind=as_text(row.get("document")),
            code=as_text(row.get("code")),
            title=as_text(row.get("intitule")),
            received=as_bool(row.get("recu")),
            updated=as_date(row.get("date_maj")),
            file=name,
            state=return_text(row.get("recu"), row.get("etat")),
            errors=found[ERROR],
            warnings=found[WARNING],
        )
        documents.append(_Expected(as_int(row.get("axe")), document))
    return documents


def _issues_by_file(snapshot: Snapshot) -> dict[str, Counter]:
    by_file: dict[str, Counter] = {}
    frame = snapshot.table("anomalies")
    if frame.empty:
        return by_file
    for name, severity in zip(frame["fichier"].tolist(), frame["gravite"].tolist(), strict=True):
        by_file.setdefault(as_text(name), Counter())[as_text(severity)] += 1
    return by_file


def _problems(snapshot: Snapshot, by_file: dict[str, Counter]) -> list[FileProblem]:
    """Files not consolidated (left out or ignored, with the reason), then files whose
    issues belong to no axis, by file name."""
    sources = {as_text(r.get("fichier")): r for r in record_dicts(snapshot.table("sources"))}
    axes: dict[str, int | None] = {}
    no_axis: set[str] = set()
    for row in record_dicts(snapshot.table("anomalies")):
        name, axis = as_text(row.get("fichier")), as_int(row.get("axe"))
        if axis is None:
            no_axis.add(name)
        elif name not in axes or axes[name] is None:
            axes[name] = axis
    names = {n for n, r in sources.items() if as_text(r.get("statut")) != CONSOLIDATED}
    names |= {n for n in no_axis if n}
    problems = []
    for name in sorted(names):
        source = sources.get(name, {})
        found = by_file.get(name, Counter())
        problems.append(
            FileProblem(
                file=name,
                axis=axes.get(name),
                status=as_text(source.get("statut")),
                reason=as_text(source.get("motif")),
                errors=found[ERROR],
                warnings=found[WARNING],
            )
        )
    return problems

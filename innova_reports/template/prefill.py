"""Pre-filled workbooks: next month's templates, holding this month's consolidated values.

From a period's snapshot, ``prefill_documents`` makes one workbook per roadmap and per
action sheet, in the current template version (today's settings: months, services,
lists), with every consolidated value where the group typed it: single fields, table
rows, and the indicators' values month by month. A group starts its next update from
it instead of retyping, or of keeping an old file that no longer matches the template.

It also makes the workbooks a group has not sent yet: an action sheet for each action
that a roadmap announces without a sheet (code, axis and title from the roadmap), and a
roadmap for an axis that sent none (the axis, and the actions it sent sheets for).

A value refused this month (an *erreur*: blank in the snapshot, its anomaly giving the
cell and the value as shown) is written back as the group typed it, marked and noted
as in the annotated copies (``marks.mark_refused``): never silently left blank.

Files go to ``output/<period>/a-remplir/axe-<n>/feuille_de_route_axe-<n>.xlsx`` and
``fiche_action_<code>.xlsx``; the folder is replaced as a whole (``atomic_dir``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from innova_reports import fields as fd
from innova_reports.model import Snapshot
from innova_reports.paths import prefill_folder, prefilled_file
from innova_reports.report.issue import Issue, Severity
from innova_reports.rules import ACTION_CODE, action_code_key
from innova_reports.settings import Settings
from innova_reports.support.atomic import atomic_dir
from innova_reports.template.marks import Refused, mark_cells, refused_issue
from innova_reports.template.writer import skeleton, template_bytes
from innova_reports.values import plain_list

# snapshot table -> (template kind, template table)
_TABLES = {
    "actions_annoncees": (fd.ROADMAP, "t_actions"),
    "acteurs": (fd.ROADMAP, "t_acteurs"),
    "calendrier": (fd.ROADMAP, "t_calendrier"),
    "moyens": (fd.ROADMAP, "t_moyens"),
    "livrables": (fd.ROADMAP, "t_livrables"),
    "taches": (fd.ACTION, "t_taches"),
}
_INDICATOR_FIXED = ("indicateur", "unite", "sens", "valeur_initiale", "cible", "echeance")

Progress = Callable[[int, int], None]


@dataclass
class Prefilled:
    """One workbook to write: what it is, where it goes, what it holds."""

    kind: str
    axis: int
    code: str  # action code; "" for a roadmap
    values: dict[str, Any]  # {"fields": {...}, "tables": {...}}, as the writer takes it
    source: str | None = None  # the snapshot's file it comes from; None: not sent yet
    refused: list[Refused] = field(default_factory=list)

    @property
    def name(self) -> PurePosixPath:
        """Its path inside the a-remplir folder."""
        return prefilled_file(self.kind, self.axis, self.code)


@dataclass
class PrefillResult:
    folder: Path
    written: list[Path]
    documents: list[Prefilled]

    def path_of(self, kind: str, axis: int, code: str = "") -> Path:
        return self.folder / prefilled_file(kind, axis, code)


def write_prefilled(
    snapshot: Snapshot, settings: Settings, period_dir: Path, *, progress: Progress | None = None
) -> PrefillResult:
    """Write every pre-filled workbook of the period; the folder is replaced at once."""
    documents = prefill_documents(snapshot, settings)
    target = prefill_folder(period_dir)
    written = []
    with atomic_dir(target) as folder:
        for done, document in enumerate(documents, start=1):
            path = folder / document.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(workbook_of(document, settings))
            written.append(target / document.name)
            if progress is not None and (done % 50 == 0 or done == len(documents)):
                progress(done, len(documents))
    return PrefillResult(target, written, documents)


def workbook_of(document: Prefilled, settings: Settings) -> bytes:
    """The .xlsx bytes of one pre-filled workbook, its refused values marked."""
    data = template_bytes(document.kind, settings, document.values)
    if not document.refused:
        return data
    return mark_cells(data, refused_issues(document, settings), settings)


def refused_issues(document: Prefilled, settings: Settings) -> list[Issue]:
    """The values a pre-filled workbook puts back, as issues at their cells in it."""
    places = skeleton(document.kind, settings, None).places
    issues = []
    for refused in document.refused:
        kind, name, position = refused.where
        if kind == "field":
            place = places.fields[name]
            sheet, cell = place.sheet, f"{place.letter}{place.row}"
        else:
            table = places.tables[name]
            offset, column = position
            sheet, cell = table.sheet, f"{table.letters[column]}{table.header + 1 + offset}"
        issues.append(refused_issue(str(document.name), sheet, cell, refused))
    return issues


# -- from the snapshot to the workbooks' values -------------------------------------------


def prefill_documents(snapshot: Snapshot, settings: Settings) -> list[Prefilled]:
    """Every workbook of the period, axis by axis: the roadmap, then the action sheets."""
    roadmap_spec, action_spec = fd.all_specs(settings)
    rows = {name: _by_file(snapshot.table(name)) for name in _TABLES}
    indicators = _indicators_by_file(snapshot.table("indicateurs"), action_spec)
    refused = _refused_by_file(snapshot.table("anomalies"))
    documents: list[Prefilled] = []
    roadmaps = _records(snapshot.table("feuilles_de_route"))
    actions = _records(snapshot.table("actions"))
    for record in roadmaps:
        documents.append(_document(roadmap_spec, record, rows, {}, refused))
    for record in actions:
        documents.append(_document(action_spec, record, rows, indicators, refused))
    documents += _not_sent(snapshot, settings, roadmaps, actions)
    documents.sort(key=lambda d: (d.axis, d.kind != fd.ROADMAP, action_code_key(d.code)))
    return documents


def _document(
    spec: fd.TemplateSpec,
    record: dict[str, Any],
    rows: dict[str, dict[str, list[dict[str, Any]]]],
    indicators: dict[str, list[dict[str, Any]]],
    refused: dict[str, list[dict[str, Any]]],
) -> Prefilled:
    source = record.get("fichier")
    fields = {f.id: record.get(f.id) for f in spec.fields if record.get(f.id) is not None}
    tables: dict[str, list[dict[str, Any]]] = {}
    lines: dict[str, list[Any]] = {}  # template table -> Excel row in the group's file
    for name, (kind, table) in _TABLES.items():
        if kind != spec.kind:
            continue
        columns = [c.id for c in spec.table(table).columns]
        found = rows[name].get(source, [])
        tables[table] = [{c: r.get(c) for c in columns if r.get(c) is not None} for r in found]
        lines[table] = [r.get("ligne") for r in found]
    if spec.kind == fd.ACTION:
        found = indicators.get(source, [])
        tables["t_indicateurs"] = [row for row, _ in found]
        lines["t_indicateurs"] = [line for _, line in found]
    document = Prefilled(
        kind=spec.kind, axis=int(record["axe"]),
        code=str(record.get("code_action") or "") if spec.kind == fd.ACTION else "",
        values={"fields": fields, "tables": tables}, source=source,
    )  # fmt: skip
    for anomaly in refused.get(source, []):
        _put_back(document, spec, anomaly, lines)
    return document


def _put_back(
    document: Prefilled, spec: fd.TemplateSpec, anomaly: dict[str, Any], lines: dict[str, list]
) -> None:
    """Write a refused value where the group typed it, and remember to mark it."""
    field_id, shown = anomaly["champ"], anomaly["valeur"]
    fields, tables = document.values["fields"], document.values["tables"]
    sheet = anomaly.get("feuille") or ""
    table = _table_of(spec, field_id, sheet)
    if table is None:
        if field_id not in {f.id for f in spec.fields} or fields.get(field_id) is not None:
            return
        fields[field_id] = shown
        where = ("field", field_id, None)
    else:
        try:
            line = int(re.sub(r"^[A-Z]+", "", anomaly.get("cellule") or ""))
            offset = lines[table.name].index(line)
        except ValueError:
            return
        row = tables[table.name][offset]
        if row.get(field_id) is not None:
            return
        row[field_id] = shown
        where = ("table", table.name, (offset, field_id))
    document.refused.append(
        Refused(where=where, value=shown, message=anomaly.get("message") or "",
                label=anomaly.get("libelle") or field_id, type=anomaly.get("type") or "")
    )  # fmt: skip


def _table_of(spec: fd.TemplateSpec, field_id: str, sheet: str) -> fd.Table | None:
    """The table whose column ``field_id`` is, on ``sheet`` if two have it; None for a
    single field (some ids are both: « statut » of the action and of its tasks)."""
    if sheet == spec.main_sheet and field_id in {f.id for f in spec.fields}:
        return None
    holding = [t for t in spec.tables if field_id in {c.id for c in t.columns}]
    if len(holding) > 1:
        holding = [t for t in holding if t.sheet == sheet]
    if len(holding) == 1 and (sheet == holding[0].sheet or field_id not in _single_ids(spec)):
        return holding[0]
    return None


def _single_ids(spec: fd.TemplateSpec) -> set[str]:
    return {f.id for f in spec.fields}


def _not_sent(
    snapshot: Snapshot,
    settings: Settings,
    roadmaps: list[dict[str, Any]],
    actions: list[dict[str, Any]],
) -> list[Prefilled]:
    """Workbooks for what was expected but never came: announced actions, roadmaps."""
    received = {str(r.get("code_action") or "").strip() for r in actions}
    documents, seen = [], set()
    for record in _records(snapshot.table("actions_annoncees")):
        code = str(record.get("code") or "").strip()
        if not code or code in received or code in seen or not ACTION_CODE.match(code):
            continue
        seen.add(code)
        fields = {"code_action": code, "axe": int(record["axe"])}
        if record.get("intitule") is not None:
            fields["titre"] = record["intitule"]
        documents.append(Prefilled(fd.ACTION, int(record["axe"]), code,
                                   {"fields": fields, "tables": {}}))  # fmt: skip
    with_roadmap = {int(r["axe"]) for r in roadmaps}
    for axis in settings.axes:
        if axis.number in with_roadmap:
            continue
        own = [a for a in actions if int(a["axe"]) == axis.number]
        codes = [{k: v for k, v in (("code", a.get("code_action")), ("intitule", a.get("titre")))
                  if v is not None} for a in sorted(own, key=lambda a: action_code_key(a["code_action"]))]  # fmt: skip
        values = {"fields": {"axe": axis.number}, "tables": {"t_actions": codes}}
        documents.append(Prefilled(fd.ROADMAP, axis.number, "", values))
    return documents


# -- reading the snapshot's tables --------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    columns = [str(c) for c in frame.columns]
    values = [plain_list(frame[c]) for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _by_file(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The table's rows of each file, in the file's row order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in _records(frame):
        grouped.setdefault(record.get("fichier"), []).append(record)
    for rows in grouped.values():
        rows.sort(key=lambda r: r.get("ligne") or 0)
    return grouped


def _indicators_by_file(
    frame: pd.DataFrame, spec: fd.TemplateSpec
) -> dict[str, list[tuple[dict[str, Any], Any]]]:
    """The long table back to the template's rows: one per indicator, a column per month.

    A month the current template has no column for (the follow-up was shortened) cannot
    be written: it is kept in the history, and said by the reader of the old file."""
    months = {c.id for c in spec.table("t_indicateurs").columns}
    grouped: dict[str, dict[Any, dict[str, Any]]] = {}
    for record in _records(frame):
        rows = grouped.setdefault(record.get("fichier"), {})
        line = record.get("ligne")
        row = rows.get(line)
        if row is None:
            row = rows[line] = {c: record.get(c) for c in _INDICATOR_FIXED
                                if record.get(c) is not None}  # fmt: skip
        month, value = record.get("mois"), record.get("valeur")
        if month and value is not None and fd.month_field_id(month) in months:
            row[fd.month_field_id(month)] = value
    return {
        source: [(rows[line], line) for line in sorted(rows, key=lambda x: x or 0)]
        for source, rows in grouped.items()
    }


def _refused_by_file(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """This month's *erreurs* on a value: a field, a cell and the value as shown."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in _records(frame):
        if record.get("gravite") != str(Severity.ERROR):
            continue
        if not record.get("champ") or record.get("valeur") in (None, ""):
            continue
        grouped.setdefault(record.get("fichier"), []).append(record)
    return grouped


def documents_of_axis(result: Iterable[Prefilled], axis: int) -> list[Prefilled]:
    return [d for d in result if d.axis == axis]

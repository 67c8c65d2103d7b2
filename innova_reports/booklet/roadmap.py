"""The roadmap of an axis (*feuille de route*), as the seed describes it: context,
finalities, presentation and the announced actions, actors, calendar, means (with
their total) and deliverables. Labels are the field dictionary's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from innova_reports.booklet import words
from innova_reports.booklet.blocks import SHEET_TO_COME, Block, Fields, Heading, Paragraphs, Table
from innova_reports.fields import FieldType, TemplateSpec
from innova_reports.values import as_float, as_text

Rows = Sequence[Mapping[str, Any]]


def roadmap_blocks(
    spec: TemplateSpec,
    number: int,
    roadmap: Mapping[str, Any] | None,
    tables: Mapping[str, Rows],
    received: set[str],
) -> list[Block]:
    """The roadmap's blocks; ``tables`` holds the axis' rows of actions_annoncees,
    acteurs, calendrier, moyens and livrables; ``received`` the codes with a sheet."""
    blocks: list[Block] = [Heading(2, f"Feuille de route de l'axe {number}")]
    if roadmap is None:
        return blocks + [Paragraphs((
            words.text(
                "Feuille de route non reçue pour cette période : son contenu sera repris "
                "ici dès que le groupe projet l'aura transmise."
            ),
        ), note=True)]  # fmt: skip

    def label(field_id: str) -> str:
        return spec.field(field_id).label

    blocks.append(Fields(tuple((label(f), value) for f, value in (
        ("groupe", words.text(roadmap.get("groupe"))),
        ("pilote", words.text(roadmap.get("pilote"))),
        ("date_maj", words.date(roadmap.get("date_maj"))),
    ))))  # fmt: skip
    for field_id in ("contexte", "finalites", "presentation"):
        blocks += [Heading(3, label(field_id)), words.paragraphs(roadmap.get(field_id))]
    blocks += _announced(spec, tables.get("actions_annoncees", ()), received)
    blocks += _table(spec, "t_acteurs", tables.get("acteurs", ()), ("nom", "role", "service",
                     "collectivite"), (2.2, 2.2, 2.4, 2.6))  # fmt: skip
    blocks += _table(spec, "t_calendrier", tables.get("calendrier", ()),
                     ("jalon", "date_prevue", "date_realisee", "statut"), (4, 1.8, 1.8, 1.3))  # fmt: skip
    blocks += _means(spec, tables.get("moyens", ()))
    blocks += _table(spec, "t_livrables", tables.get("livrables", ()),
                     ("livrable", "echeance", "statut"), (5, 1.8, 1.5))  # fmt: skip
    return blocks


def _announced(spec: TemplateSpec, rows: Rows, received: set[str]) -> list[Block]:
    table = spec.table("t_actions")
    heading = Heading(3, "Actions annoncées")
    if not rows:
        return [heading, Paragraphs(("Aucune action annoncée.",), note=True)]
    columns = (*(table.column(i).label for i in ("code", "intitule", "description")),
               "Fiche action")  # fmt: skip
    body = tuple(
        (
            words.cell(row.get("code")),
            words.cell(words.short_title(as_text(row.get("intitule")))),
            words.cell(row.get("description")),
            "reçue" if as_text(row.get("code")) in received else SHEET_TO_COME,
        )
        for row in rows
    )
    return [heading, Table(columns, body, (1.1, 3, 4, 1.4))]


def _table(
    spec: TemplateSpec, name: str, rows: Rows, ids: tuple[str, ...], widths: tuple[float, ...]
) -> list[Block]:
    table = spec.table(name)
    heading = Heading(3, table.title)
    if not rows:
        return [heading, Paragraphs(("Non renseigné.",), note=True)]
    dates = {c.id for c in table.columns if c.type is FieldType.DATE}
    body = tuple(
        tuple(
            words.date(row.get(i), words.EMPTY_CELL) if i in dates else words.cell(row.get(i))
            for i in ids
        )
        for row in rows
    )
    return [heading, Table(tuple(table.column(i).label for i in ids), body, widths)]


def _means(spec: TemplateSpec, rows: Rows) -> list[Block]:
    table = spec.table("t_moyens")
    heading = Heading(3, table.title)
    if not rows:
        return [heading, Paragraphs(("Non renseigné.",), note=True)]
    ids = ("nature", "description", "montant_eur")
    body = tuple(
        (words.cell(row.get("nature")), words.cell(row.get("description")),
         words.money(row.get("montant_eur"), words.EMPTY_CELL))
        for row in rows
    )  # fmt: skip
    total = means_total(rows)
    return [heading, Table(
        tuple(table.column(i).label for i in ids), body, (1.4, 5.5, 1.6),
        numeric=(False, False, True),
        total=("Total", "", words.money(total, words.EMPTY_CELL)),
    )]  # fmt: skip


def means_total(rows: Rows) -> float | None:
    """The sum of the amounts typed in a roadmap's means (None when none is)."""
    amounts = [as_float(row.get("montant_eur")) for row in rows]
    amounts = [amount for amount in amounts if amount is not None]
    return sum(amounts) if amounts else None

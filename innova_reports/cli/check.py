"""`innova-reports check FILE…`: validate returned workbooks and list what to fix.

The one command a group member may run on their own file, so it must answer fast: it
imports only the read and validate stages (never the plotting or writing stack).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from innova_reports.cli import check_period, load_settings, settings_option
from innova_reports.support.errors import EXIT_OK, EXIT_PROBLEM


@click.command("check")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="FICHIER…",
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Écrit le rapport en JSON (même contenu) au lieu du tableau.",
)
@click.option(
    "--period",
    metavar="AAAA-MM",
    callback=check_period,
    help="Mois consolidé : une valeur saisie pour un mois postérieur est signalée "
    "(par défaut : le mois en cours).",
)
@click.option(
    "--annotate",
    "annotate_dir",
    metavar="DOSSIER",
    type=click.Path(file_okay=False, path_type=Path),
    help="Écrit dans DOSSIER, pour chaque fichier à corriger, une copie annotée "
    "(<nom>_a-corriger.xlsx ou .ods) : cellules colorées, notes, feuille « À corriger ».",
)
@settings_option
def command(
    files: tuple[Path, ...],
    as_json: bool,
    period: str | None,
    annotate_dir: Path | None,
    settings_path: Path,
) -> None:
    """Contrôle des classeurs remplis (.xlsx ou .ods, fichiers ou dossiers) et liste, fichier par
    fichier, chaque problème avec sa cellule et la façon de le corriger.

    Pour chaque fichier, le contrôle dit aussi s'il sera consolidé ou écarté, selon la
    règle même de la consolidation.

    Code de sortie : 0 sans erreur, 1 si au moins une erreur (ou un fichier refusé, ou
    un fichier nommé qui n'est pas un classeur : rien n'a été contrôlé), 2 en cas de
    mauvaise utilisation.

    \b
    Exemples :
      innova-reports check fiche_A3.2.xlsx
      innova-reports check feuille_de_route_axe-3.ods
      innova-reports check workbooks/ --period 2018-05 --json
      innova-reports check fiche_A3.2.xlsx --annotate retours-du-jour/
    """
    from innova_reports.pipeline.check import check_paths
    from innova_reports.validate import render

    settings = load_settings(settings_path)
    checked = check_paths(list(files), settings, period=period)
    batch, said = checked.batch, {"verdicts": checked.verdicts,
                                  "not_checked": checked.not_checked}  # fmt: skip
    reports = render.file_reports(batch, **said)
    if as_json:
        output = render.issues_json(batch, **said)
    else:  # wrapped to a terminal; one line per issue in a pipe or a file
        columns = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        width = render.terminal_width(columns) if columns else None
        output = render.issues_table(batch, width=width, **said)
    click.echo(output.rstrip("\n"))
    if annotate_dir is not None:  # said beside the report, never in it (--json parses)
        for line in _annotate(batch, annotate_dir):
            click.echo(line, err=True)
    sys.exit(EXIT_OK if render.is_valid(reports) else EXIT_PROBLEM)


def _annotate(batch, folder: Path) -> list[str]:
    """Write the copies; the French lines saying what was written, and what was not."""
    from innova_reports.frenchfmt import count_words
    from innova_reports.pipeline.check import annotate_files
    from innova_reports.support.errors import writing_into

    with writing_into(folder):
        written, copies = annotate_files(batch, folder)
    lines = [f"Copies annotées : {count_words(len(written), 'fichier')} dans {folder}"]
    lines += [f"  {path.name}" for path in written]
    lines += [f"  {name} : {reason}" for name, reason in copies.skipped.items()]
    return lines

"""`innova-reports consolidate`: the monthly consolidation, a thin layer over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from innova_reports.cli import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    fail,
    load_settings_or_exit,
    output_option,
    period_option,
    settings_option,
)
from innova_reports.support.oserrors import french_reason


@click.command("consolidate")
@period_option("Mois à consolider, par exemple 2018-05.")
@click.option(
    "--workbooks",
    "workbooks_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("workbooks"),
    show_default=True,
    help="Dossier des classeurs retournés par les groupes (sous-dossiers compris).",
)
@output_option("Dossier des résultats (classeur maître, retours, archive, historique).")
@settings_option
@click.option(
    "--strict",
    is_flag=True,
    help="Sort en erreur (code 1) si une anomalie de gravité « erreur » est relevée.",
)
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="NOMBRE",
              help="Nombre de processus de lecture des classeurs (par défaut : un par cœur "
                   "à partir de 64 fichiers ; les résultats sont les mêmes).")  # fmt: skip
def command(
    period: str | None,
    workbooks_dir: Path,
    output_dir: Path,
    settings_path: Path,
    strict: bool,
    workers: int | None,
) -> None:
    """Consolide le mois : lit tous les classeurs du dossier, les contrôle, écarte les
    doublons (la date de mise à jour la plus récente l'emporte) et produit le plan
    d'actions, un fichier de retour par groupe, l'archive des fichiers lus et
    l'historique.

    \b
    Résultats dans DOSSIER/AAAA-MM/ :
      plan_actions_AAAA-MM.xlsx   le classeur maître (plan d'actions)
      retours/axe-N.xlsx          ce que chaque groupe doit corriger
      archive/                    les fichiers lus, avec leur empreinte SHA-256

    \b
    Exemple :
      innova-reports consolidate --period 2018-05 --workbooks workbooks --output output

    Code de sortie : 0 quand les résultats sont produits (même avec des anomalies),
    1 avec --strict si une erreur est relevée ou si une autre exécution est en cours,
    2 pour une période ou des paramètres invalides.
    """
    from innova_reports.consolidate.period import ConsolidationError, PeriodError
    from innova_reports.pipeline.consolidate import consolidate_period, summary_lines
    from innova_reports.validate.render import issues_table

    settings = load_settings_or_exit(settings_path)
    try:
        result = consolidate_period(
            settings,
            period,
            workbooks_dir=workbooks_dir,
            output_dir=output_dir,
            strict=strict,
            progress=ProgressPrinter(),
            workers=workers,
        )
    except PeriodError as exc:
        fail(str(exc), EXIT_USAGE)
    except ConsolidationError as exc:
        fail(str(exc), EXIT_PROBLEM)
    except OSError as exc:
        fail(f"écriture impossible dans « {output_dir} » : {french_reason(exc)}.")
    click.echo("Rapport de contrôle")
    click.echo("===================")
    click.echo(issues_table(result.issues, result.batch.outcomes))
    click.echo("\n".join(summary_lines(result, settings)))
    if result.failed:
        fail("des erreurs ont été relevées (option --strict) : voir le rapport ci-dessus.")


class ProgressPrinter:
    """Progress on stderr: one line per step; on a terminal the file counter updates in place."""

    def __init__(self) -> None:
        self.step = ""
        self.tty = sys.stderr.isatty()

    def __call__(self, step: str, done: int, total: int) -> None:
        line = f"{step} : {done}/{total}" if step.startswith("Lecture") else f"{step}…"
        if step == self.step:
            if self.tty:
                click.echo(f"\r{line}\x1b[K", err=True, nl=False)
            return
        if self.step and self.tty:
            click.echo("", err=True)
        self.step = step
        if self.tty:
            click.echo(f"\r{line}", err=True, nl=step == "Terminé")
        else:
            click.echo(step if step == "Terminé" else f"{step}…", err=True)

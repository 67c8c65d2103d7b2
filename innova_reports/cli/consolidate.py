"""`innova-reports consolidate`: the monthly consolidation, a thin layer over the library."""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import load_settings, output_option, period_option, settings_option
from innova_reports.cli.summary import ProgressPrinter, consolidation_lines
from innova_reports.support.errors import UserError, writing_into


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
    from innova_reports.pipeline.consolidate import consolidate_period
    from innova_reports.validate.render import issues_table

    settings = load_settings(settings_path)
    with writing_into(output_dir):
        result = consolidate_period(
            settings, period, workbooks_dir=workbooks_dir, output_dir=output_dir,
            strict=strict, progress=ProgressPrinter(), workers=workers,
        )  # fmt: skip
    click.echo("Rapport de contrôle")
    click.echo("===================")
    click.echo(issues_table(result.issues, result.batch.outcomes))
    click.echo("\n".join(consolidation_lines(result, settings)))
    if result.failed:
        raise UserError(
            "des erreurs ont été relevées (option --strict) : voir le rapport ci-dessus."
        )

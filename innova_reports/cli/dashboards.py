"""`innova-reports dashboards --period AAAA-MM`: draw the period's dashboards.

A thin layer: the stage (innova_reports.dashboards) does the work and raises a French
DashboardError when the period was never consolidated.
"""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import load_settings, output_option, period_option, settings_option
from innova_reports.support.errors import writing_into


@click.command("dashboards")
@period_option("Mois consolidé dont il faut dessiner les tableaux de bord.")
@output_option("Dossier des sorties (contient l'historique des consolidations).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="NOMBRE",
              help="Nombre de processus de dessin (par défaut : un par cœur).")  # fmt: skip
@settings_option
def command(period: str, output_dir: Path, workers: int | None, settings_path: Path) -> None:
    """Dessine le tableau de bord de chaque axe et la synthèse pour le comité de
    pilotage (PDF A4, images PNG, pages HTML) et la page index.html du mois.

    La période doit avoir été consolidée auparavant (commande consolidate).

    \b
    Exemple :
      innova-reports dashboards --period 2018-05
    """
    from innova_reports.pipeline.dashboards import draw_dashboards

    settings = load_settings(settings_path)
    click.echo(f"Tableaux de bord de {period} en cours de dessin…", err=True)
    with writing_into(output_dir):
        result = draw_dashboards(settings, period, output_dir=output_dir, workers=workers)
    click.echo(f"{len(result.axes)} tableaux d'axe et la synthèse écrits dans {result.directory}")
    click.echo(f"Index du mois : {result.index}")

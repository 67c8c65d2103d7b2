"""`innova-reports booklet --period AAAA-MM`: the plan d'actions as documents.

A thin layer: the stage (innova_reports.booklet) does the work and raises a French
BookletError (a UserError) when the period was never consolidated.
"""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import load_settings, output_option, period_option, settings_option


@click.command("booklet")
@period_option("Mois consolidé dont il faut composer le plan d'actions.")
@output_option("Dossier des sorties (contient l'historique des consolidations).")
@settings_option
def command(period: str, output_dir: Path, settings_path: Path) -> None:
    """Compose le plan d'actions du mois : le livret A4 à imprimer (PDF : couverture,
    sommaire, programme, feuille de route et fiches action de chaque axe, annexe), sa
    version modifiable (DOCX, pour Word ou LibreOffice) et une fiche PDF par action
    (dossier fiches/).

    La période doit avoir été consolidée auparavant (commande consolidate).

    \b
    Exemple :
      innova-reports booklet --period 2018-05
    """
    from innova_reports.frenchfmt import count_words
    from innova_reports.pipeline.booklet import booklet_month

    settings = load_settings(settings_path)
    click.echo(f"Plan d'actions de {period} en cours de composition…", err=True)
    result = booklet_month(settings, period, output_dir)
    click.echo(f"Livret à imprimer ({count_words(result.pages, 'page')}) : {result.pdf}")
    click.echo(f"Version modifiable : {result.docx}")
    sheets = count_words(len(result.sheets), "fiche action", "fiches action")
    click.echo(f"{sheets} en PDF dans {result.fiches}")

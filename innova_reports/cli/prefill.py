"""`innova-reports prefill --period AAAA-MM`: next month's workbooks, already filled in."""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import load_settings, output_option, period_option, settings_option


@click.command("prefill")
@period_option("Mois consolidé dont les valeurs sont reprises, par exemple 2018-05.")
@output_option("Dossier des sorties (contient l'historique des consolidations).")
@settings_option
def command(period: str, output_dir: Path, settings_path: Path) -> None:
    """Écrit pour chaque groupe ses classeurs du mois suivant, déjà remplis avec tout ce
    qui a été consolidé pour le mois : champs, tableaux et valeurs des indicateurs mois
    par mois, dans la version actuelle des modèles (mois de suivi, services et listes des
    paramètres).

    Une fiche action est aussi écrite pour chaque action annoncée dans une feuille de
    route sans fiche reçue (code, axe et titre repris), et une feuille de route pour
    chaque axe qui n'en a pas envoyé. Une valeur refusée ce mois-ci est reprise telle que
    le groupe l'a saisie, la cellule colorée et annotée : elle reste à corriger.

    Les classeurs vont dans SORTIES/AAAA-MM/a-remplir/axe-<n>/ (le dossier est remplacé
    à chaque fois). La période doit avoir été consolidée auparavant.

    \b
    Exemple :
      innova-reports prefill --period 2018-05
    """
    from innova_reports.cli.summary import prefill_line
    from innova_reports.pipeline.prefill import prefill_period

    settings = load_settings(settings_path)
    result = prefill_period(settings, period, output_dir)
    for path in result.written:
        click.echo(str(path))
    click.echo(f"{prefill_line(result)}.", err=True)

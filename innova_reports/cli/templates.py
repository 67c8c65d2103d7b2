"""`innova-reports templates`: write the blank templates and the per-axis copies."""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import load_settings, settings_option
from innova_reports.support.errors import writing_into


@click.command("templates")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("templates"),
    show_default=True,
    help="Dossier où écrire les modèles (créé s'il n'existe pas).",
)
@settings_option
def command(output: Path, settings_path: Path) -> None:
    """Génère les modèles Excel à envoyer aux groupes projet.

    Écrit la feuille de route et la fiche action vierges, puis pour chaque axe une
    copie de chacune avec l'axe, le groupe et les codes d'action déjà remplis
    (dossier axe-<n>/). Les fichiers existants sont remplacés.

    \b
    Exemple :
      innova-reports templates --output modeles/
    """
    from innova_reports.template.writer import write_all_templates

    settings = load_settings(settings_path)
    with writing_into(output):
        written = write_all_templates(settings, output)
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} modèles écrits dans « {output} ».", err=True)

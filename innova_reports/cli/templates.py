"""`innova-reports templates` (placeholder until its issue lands)."""

import click


@click.command("templates")
def command() -> None:
    """Pas encore disponible."""
    raise SystemExit("Erreur : la commande templates n'est pas encore disponible.")

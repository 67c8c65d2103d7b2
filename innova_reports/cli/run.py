"""`innova-reports run` (placeholder until its issue lands)."""

import click


@click.command("run")
def command() -> None:
    """Pas encore disponible."""
    raise SystemExit("Erreur : la commande run n'est pas encore disponible.")

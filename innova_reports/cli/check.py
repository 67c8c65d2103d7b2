"""`innova-reports check` (placeholder until its issue lands)."""

import click


@click.command("check")
def command() -> None:
    """Pas encore disponible."""
    raise SystemExit("Erreur : la commande check n'est pas encore disponible.")

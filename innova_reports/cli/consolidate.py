"""`innova-reports consolidate` (placeholder until its issue lands)."""

import click


@click.command("consolidate")
def command() -> None:
    """Pas encore disponible."""
    raise SystemExit("Erreur : la commande consolidate n'est pas encore disponible.")

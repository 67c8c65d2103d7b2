"""`innova-reports dashboards` (placeholder until its issue lands)."""

import click


@click.command("dashboards")
def command() -> None:
    """Pas encore disponible."""
    raise SystemExit("Erreur : la commande dashboards n'est pas encore disponible.")

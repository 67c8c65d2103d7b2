"""`innova-reports mail` (placeholder until its issue lands)."""

import click


@click.command("mail")
def command() -> None:
    """Pas encore disponible."""
    raise SystemExit("Erreur : la commande mail n'est pas encore disponible.")

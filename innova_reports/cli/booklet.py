"""`innova-reports booklet --period AAAA-MM`: the plan d'actions as documents.

A thin layer: the library (innova_reports.booklet) does the work and raises a French
BookletError when the period was never consolidated.
"""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import (
    EXIT_PROBLEM,
    fail,
    load_settings_or_exit,
    output_option,
    period_option,
    settings_option,
)


@click.command("booklet")
@period_option("Mois consolidé dont il faut composer le plan d'actions.")
@output_option("Dossier des sorties (contient l'historique des consolidations).")
@settings_option
@click.pass_context
def command(ctx: click.Context, period: str, output_dir: Path, settings_path: Path) -> None:
    """Compose le plan d'actions du mois : le livret A4 à imprimer (PDF : couverture,
    sommaire, programme, feuille de route et fiches action de chaque axe, annexe), sa
    version modifiable (DOCX, pour Word ou LibreOffice) et une fiche PDF par action
    (dossier fiches/).

    La période doit avoir été consolidée auparavant (commande consolidate).

    \b
    Exemple :
      innova-reports booklet --period 2018-05
    """
    settings = load_settings_or_exit(settings_path)
    debug = bool((ctx.find_root().obj or {}).get("debug"))
    from innova_reports.booklet import BookletError, write_booklet
    from innova_reports.frenchfmt import count_words
    from innova_reports.support.oserrors import french_reason

    click.echo(f"Plan d'actions de {period} en cours de composition…", err=True)
    try:
        result = write_booklet(settings, period, output_dir=output_dir)
    except BookletError as exc:
        fail(str(exc), EXIT_PROBLEM)
    except OSError as exc:
        fail(f"écriture impossible dans « {output_dir} » : {french_reason(exc)}.")
    except Exception as exc:  # never a traceback without --debug
        if debug:
            raise
        fail(f"le plan d'actions n'a pas pu être composé ({exc.__class__.__name__} : {exc}).")
    click.echo(f"Livret à imprimer ({count_words(result.pages, 'page')}) : {result.pdf}")
    click.echo(f"Version modifiable : {result.docx}")
    sheets = count_words(len(result.sheets), "fiche action", "fiches action")
    click.echo(f"{sheets} en PDF dans {result.fiches}")

"""`innova-reports run`: the whole month in one command (``pipeline.month``).

Progress bars on stderr, a French summary table on stdout. Exit codes: 2 for a usage,
settings or SMTP-environment error (checked before any work), 1 when a step fails or
a message could not be sent, 130 after Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from innova_reports.cli import (
    load_settings,
    output_option,
    period_option,
    settings_option,
    workbooks_option,
)
from innova_reports.cli.summary import (
    RichProgress,
    mail_again,
    mail_exit_code,
    print_run_summary,
)
from innova_reports.support.errors import UserError


@click.command("run")
@period_option("Mois à traiter (par défaut : le mois en cours), par exemple 2018-05.",
               required=False)  # fmt: skip
@workbooks_option
@output_option()
@settings_option
@click.option("--send", is_flag=True,
              help="Envoie les courriels (variables INNOVA_SMTP_*) au lieu d'écrire seulement "
                   "les brouillons.")  # fmt: skip
@click.option("--strict", is_flag=True,
              help="S'arrête après la consolidation (code 1) si un classeur contient une erreur.")  # fmt: skip
def command(
    period: str | None,
    workbooks_dir: Path,
    output_dir: Path,
    settings_path: Path,
    send: bool,
    strict: bool,
) -> None:
    """Traite le mois en une commande : consolidation des classeurs, tableaux de bord,
    plan d'actions (livret PDF, version DOCX, fiches action en PDF), classeurs pré-remplis pour le mois suivant (dossier AAAA-MM/a-remplir/), puis
    courriels (brouillons .eml, ou envoi avec --send), et affiche un bilan.

    \b
    Exemples :
      innova-reports run --period 2018-05
      innova-reports run --period 2018-05 --send
      innova-reports run --workbooks retours/ --output sorties/
    """
    from innova_reports.pipeline.month import run_month

    settings = load_settings(settings_path)
    with RichProgress() as tick:
        month = run_month(
            settings, period or dt.date.today().strftime("%Y-%m"), workbooks_dir=workbooks_dir,
            output_dir=output_dir, send=send, strict=strict, progress=tick,
            mail_progress=tick.line,
        )  # fmt: skip
    print_run_summary(
        settings, month.consolidation, month.dashboards, month.mail, month.prefill,
        booklet=month.booklet,
        again=mail_again(month.consolidation.snapshot.period, output_dir, settings_path),
    )  # fmt: skip
    if month.stopped:
        raise UserError(
            "mode --strict : des erreurs ont été trouvées dans les classeurs (voir ci-dessus) ; "
            "tableaux de bord, plan d'actions, classeurs pré-remplis et courriels non produits."
        )
    if month.mail is not None and not month.mail.ok:
        raise SystemExit(mail_exit_code(month.mail))

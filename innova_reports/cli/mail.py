"""`innova-reports mail`: the period's emails, as drafts or sent exactly once."""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import load_settings, output_option, period_option, settings_option
from innova_reports.cli.summary import (
    mail_again,
    mail_exit_code,
    mail_progress_line,
    print_mail_summary,
)
from innova_reports.support.errors import UsageError


@click.command("mail")
@period_option("Mois concerné, par exemple 2018-05.")
@output_option()
@settings_option
@click.option("--send", is_flag=True,
              help="Envoie les messages par SMTP (variables INNOVA_SMTP_*), au lieu de "
                   "seulement écrire les brouillons.")  # fmt: skip
@click.option("--resend", is_flag=True,
              help="Avec --send : renvoie aussi les messages déjà envoyés ou incertains.")  # fmt: skip
def command(period: str, output_dir: Path, settings_path: Path, send: bool, resend: bool) -> None:
    """Prépare les courriels du mois : à chaque groupe son tableau de bord et ses
    corrections, au comité de pilotage la synthèse, et une relance aux groupes dont des
    documents manquent.

    Sans --send, les messages sont écrits en brouillons (.eml) dans
    SORTIES/AAAA-MM/mail/ et rien n'est envoyé. Avec --send, ils partent par le serveur
    décrit par les variables d'environnement INNOVA_SMTP_HOST, INNOVA_SMTP_PORT,
    INNOVA_SMTP_SECURITY (none, starttls ou ssl), INNOVA_SMTP_USER,
    INNOVA_SMTP_PASSWORD et INNOVA_MAIL_FROM ; un message déjà envoyé ne l'est jamais
    une seconde fois (sauf --resend).

    Chaque message affiche une ligne d'avancement. Un serveur qui diffère les envois
    arrête l'envoi après les nouveaux essais d'un seul message (35 s par défaut) :
    relancez la même commande plus tard, seul le reste part. INNOVA_SMTP_MAX_PER_MINUTE
    limite le nombre de messages par minute. Ctrl-C arrête proprement.

    \b
    Exemples :
      innova-reports mail --period 2018-05
      innova-reports mail --period 2018-05 --send
    """
    from innova_reports.pipeline.mail import load_snapshot, mail_month

    if resend and not send:
        raise UsageError("--resend n'a de sens qu'avec --send.")
    settings = load_settings(settings_path)
    snapshot = load_snapshot(output_dir, period)
    result = mail_month(
        settings, snapshot, output_dir, send=send, resend=resend, progress=mail_progress_line
    )
    print_mail_summary(result, again=mail_again(period, output_dir, settings_path))
    if not result.ok:
        raise SystemExit(mail_exit_code(result))

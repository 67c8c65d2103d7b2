"""`innova-reports mail`: the period's emails, as drafts or sent exactly once."""

from __future__ import annotations

from pathlib import Path

import click

from innova_reports.cli import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEM,
    EXIT_USAGE,
    fail,
    load_settings_or_exit,
    output_option,
    period_option,
    settings_option,
)
from innova_reports.support.oserrors import french_reason


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
    if resend and not send:
        fail("--resend n'a de sens qu'avec --send.", EXIT_USAGE)
    settings = load_settings_or_exit(settings_path)
    snapshot = load_snapshot_or_exit(output_dir, period)
    result = run_mail(settings, snapshot, output_dir, send=send, resend=resend)
    period_dir = output_dir / period
    if (period_dir / "index.html").exists():  # link the drafts from the period's index
        from innova_reports.dashboards import write_index

        write_index(period_dir, settings, period)
    if not result.ok:
        raise SystemExit(exit_code(result))


def exit_code(result) -> int:
    """0 when all went, 130 after Ctrl-C (as the shell does), 1 otherwise."""
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_PROBLEM if not result.ok else 0


def load_snapshot_or_exit(output_dir: Path, period: str):
    from innova_reports.consolidate.history import DEFAULT_NAME, History

    snapshot = History(output_dir / DEFAULT_NAME).load(period)
    if snapshot is None:
        fail(
            f"la période {period} n'a pas été consolidée dans {output_dir} : lancez d'abord "
            f"« innova-reports consolidate --period {period} » (ou « innova-reports run »)."
        )
    return snapshot


def run_mail(settings, snapshot, output_dir: Path, *, send: bool, resend: bool, show=True):
    """Compose, write and maybe send; print the French summary; exit 2 on bad config.

    While sending, one French line per message and per wait goes to stderr.
    """
    from innova_reports.mail import SmtpConfigError, mail_period
    from innova_reports.support.lock import OutputBusyError, output_lock

    try:
        with output_lock(output_dir):  # two sendings at once could both send a message
            result = mail_period(
                settings, snapshot, output_dir, send=send, resend=resend, progress=_progress
            )
    except SmtpConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except OutputBusyError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"écriture impossible dans « {output_dir} » : {french_reason(exc)}.")
    if show:
        print_summary(result)
    return result


def _progress(line: str) -> None:
    click.echo(f"  {line}", err=True)


def print_summary(result) -> None:
    from rich.table import Table

    from innova_reports.cli.run import summary_console

    table = Table(title="Courriels du mois", title_justify="left")
    table.add_column("Message et objet", ratio=3)
    table.add_column("Destinataires", ratio=2, overflow="fold")
    table.add_column("État", ratio=1)
    outcomes = {outcome.key: outcome for outcome in result.outcomes or []}
    for draft in result.drafts:
        state = _state(draft, outcomes.get(draft.key), result.outcomes is not None)
        table.add_row(f"{draft.label}\n« {draft.subject} »", "\n".join(draft.addresses), state)
    console = summary_console()
    console.print(table)
    if result.written:
        console.print(f"Brouillons écrits dans {result.written[0].parent}")
    for outcome in result.outcomes or []:
        for note in outcome.notes:
            click.echo(f"Remarque : {outcome.label} – {note}", err=True)
    if result.written and result.sender is None:
        click.echo(
            "Remarque : aucun expéditeur n'est indiqué, les brouillons n'ont pas d'en-tête "
            "« De » : ajoutez « expediteur » dans la section [programme] du fichier de "
            "paramètres, ou définissez INNOVA_MAIL_FROM.",
            err=True,
        )
    problems = result.problems
    if problems:
        click.echo("Messages non envoyés ou à vérifier :", err=True)
        for line in problems:
            click.echo(f"  - {line}", err=True)
    report = result.rerun_report()
    if report:
        click.echo("", err=True)
    for line in report:
        click.echo(line, err=True)


def _state(draft, outcome, sending: bool) -> str:
    if draft.problem:
        return "refusé (voir ci-dessous)"
    if not sending:
        return "brouillon écrit"
    return outcome.status if outcome else "?"

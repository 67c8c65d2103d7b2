"""`innova-reports run`: the whole month in one command.

consolidate → dashboards → email drafts (or sending), progress bars on stderr, and a
French summary table on stdout. Each step's own exit codes apply: 2 for a usage,
settings or SMTP-environment error (checked before any work), 1 when a step fails.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from innova_reports.cli import (
    EXIT_USAGE,
    fail,
    load_settings_or_exit,
    output_option,
    period_option,
    settings_option,
)
from innova_reports.cli.mail import exit_code, print_summary
from innova_reports.support.oserrors import french_reason


@click.command("run")
@period_option("Mois à traiter (par défaut : le mois en cours), par exemple 2018-05.",
               required=False)  # fmt: skip
@click.option("--workbooks", "workbooks_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("workbooks"), show_default=True,
              help="Dossier des classeurs retournés par les groupes (sous-dossiers compris).")  # fmt: skip
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
    puis courriels (brouillons .eml, ou envoi avec --send), et affiche un bilan.

    \b
    Exemples :
      innova-reports run --period 2018-05
      innova-reports run --period 2018-05 --send
      innova-reports run --workbooks retours/ --output sorties/
    """
    period = period or dt.date.today().strftime("%Y-%m")
    settings = load_settings_or_exit(settings_path)
    _check_mail_environment(send)
    consolidation = _consolidate(settings, period, workbooks_dir, output_dir, strict)
    if consolidation.failed:
        _print_run_summary(settings, consolidation, None, None)
        fail(
            "mode --strict : des erreurs ont été trouvées dans les classeurs (voir ci-dessus) ; "
            "tableaux de bord et courriels non produits."
        )
    dashboards = _dashboards(settings, period, output_dir)
    from innova_reports.cli.mail import run_mail

    mail = run_mail(
        settings, consolidation.snapshot, output_dir, send=send, resend=False, show=False
    )
    _index(settings, period, consolidation.period_dir)
    _print_run_summary(settings, consolidation, dashboards, mail)
    if not mail.ok:
        raise SystemExit(exit_code(mail))


def _check_mail_environment(send: bool) -> None:
    """Refuse a bad SMTP environment before the month's work, not after it."""
    from innova_reports.mail import SmtpConfig, SmtpConfigError, max_mb_from_env

    try:
        max_mb_from_env(os.environ)
        if send:
            SmtpConfig.from_env(os.environ)
    except SmtpConfigError as exc:
        fail(str(exc), EXIT_USAGE)


def _consolidate(settings, period: str, workbooks_dir: Path, output_dir: Path, strict: bool):
    from innova_reports.consolidate.period import ConsolidationError, PeriodError
    from innova_reports.pipeline.consolidate import consolidate_period

    with _progress() as tick:
        try:
            return consolidate_period(
                settings, period, workbooks_dir=workbooks_dir, output_dir=output_dir,
                strict=strict, progress=tick,
            )  # fmt: skip
        except PeriodError as exc:
            fail(str(exc), EXIT_USAGE)
        except ConsolidationError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"écriture impossible dans « {output_dir} » : {french_reason(exc)}.")


def _dashboards(settings, period: str, output_dir: Path):
    from innova_reports.dashboards import DashboardError, render_dashboards

    with _progress() as tick:
        tick("Tableaux de bord", 0, 1)
        try:
            result = render_dashboards(settings, period, output_dir=output_dir)
        except DashboardError as exc:
            fail(f"tableaux de bord non produits : {exc}")
        tick("Tableaux de bord", 1, 1)
    return result


def _index(settings, period: str, period_dir: Path) -> None:
    """Rewrite the period's index once the drafts exist, so that it links them too."""
    from innova_reports.dashboards import write_index

    write_index(period_dir, settings, period)


class _progress:
    """Rich progress bars on stderr, one per step reported by the library.

    Redrawn at each tick rather than by rich's refresh thread: a process running a
    second thread cannot safely fork, and the consolidation and the dashboards fork
    their worker processes."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        self.bars = Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
            console=Console(stderr=True), transient=True, auto_refresh=False,
        )  # fmt: skip
        self.tasks: dict[str, int] = {}
        self.bars.__enter__()
        return self.tick

    def tick(self, step: str, done: int, total: int) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.bars.add_task(step, total=max(total, 1))
        self.bars.update(self.tasks[step], completed=done, total=max(total, 1))
        self.bars.refresh()

    def __exit__(self, *exc_info) -> None:
        self.bars.__exit__(*exc_info)


SUMMARY_WIDTH = 100  # columns: the summary must read in a standard terminal


def summary_console():
    """stdout, at most 100 columns wide: long paths wrap inside their cell."""
    from rich.console import Console

    return Console(width=SUMMARY_WIDTH)


def _print_run_summary(settings, consolidation, dashboards, mail) -> None:
    from rich.table import Table

    from innova_reports.frenchfmt import month_label

    console = summary_console()
    counts = consolidation.counts
    table = Table(
        title=f"Bilan du mois de {month_label(consolidation.period)} (données arrêtées au "
        f"{consolidation.snapshot.reporting_date:%d/%m/%Y})",
        title_justify="left",
    )
    table.add_column("Étape", no_wrap=True)
    table.add_column("Résultat")
    table.add_row("Fichiers trouvés", str(counts.get("trouves", 0)))
    table.add_row("Consolidés", str(counts.get("consolides", 0)))
    table.add_row("Écartés", _left_out(counts.get("ecartes", 0), "écarté"))
    table.add_row("Ignorés", _left_out(counts.get("ignores", 0), "ignoré"))
    for label, found in _anomaly_rows(settings, consolidation.issues_by_axis):
        table.add_row(f"Anomalies – {label}", found)
    for label, where in _outputs(consolidation, dashboards):
        table.add_row(label, where)
    if mail is not None:
        table.add_row("Courriels", _mail_line(mail))
    console.print(table)
    if mail is not None:
        print_summary(mail)


def _left_out(count: int, word: str) -> str:
    """« 2 (la feuille Sources du classeur maître dit pourquoi ces fichiers sont écartés) »."""
    if not count:
        return "0"
    why = f"ce fichier est {word}" if count == 1 else f"ces fichiers sont {word}s"
    return f"{count} (la feuille Sources du classeur maître dit pourquoi {why})"


def _anomaly_rows(settings, by_axis) -> list[tuple[str, str]]:
    rows = []
    for axis in [*settings.axis_numbers, None]:
        found = by_axis.get(axis) or {}
        if axis is None and not found:
            continue
        rows.append((f"axe {axis}" if axis is not None else "sans axe", anomaly_counts(found)))
    return rows


def anomaly_counts(found) -> str:
    """« aucune », or « 1 erreur, 2 avertissements » (only the non-zero severities)."""
    from innova_reports.frenchfmt import count_words

    parts = [
        count_words(found.get(severity, 0), singular, plural)
        for severity, singular, plural in (
            ("erreur", "erreur", None),
            ("avertissement", "avertissement", None),
            ("info", "information", None),
        )
        if found.get(severity, 0)
    ]
    return ", ".join(parts) if parts else "aucune"


def _outputs(consolidation, dashboards) -> list[tuple[str, str]]:
    from innova_reports.frenchfmt import count_words

    period_dir = consolidation.period_dir
    feedback = count_words(len(consolidation.feedback_paths), "fichier", "fichiers")
    rows = [
        ("Classeur maître", str(consolidation.master_path)),
        ("Retours aux groupes", f"{feedback} dans {period_dir / 'retours'}"),
        ("Historique", str(consolidation.history_path)),
    ]
    if dashboards is not None:
        boards = period_dir / "tableaux"
        pdfs = count_words(len(list(boards.glob("*.pdf"))), "PDF", "PDF")
        rows.append(("Tableaux de bord", f"{pdfs} et leurs pages HTML dans {boards}"))
        if (period_dir / "index.html").is_file():
            rows.append(("Sommaire (à ouvrir)", str(period_dir / "index.html")))
    return rows


def _mail_line(mail) -> str:
    from innova_reports.frenchfmt import count_words

    if mail.outcomes is None:
        drafts = count_words(len(mail.written), "brouillon écrit", "brouillons écrits")
        return f"{drafts}, aucun envoi (ajoutez --send pour envoyer)"
    sent = [o for o in mail.outcomes if o.sent]
    addresses = sum(len(o.sent) for o in sent)
    already = sum(1 for o in mail.outcomes if o.already and not o.sent)
    problems = len(mail.problems)
    parts = [
        f"{count_words(len(sent), 'message envoyé', 'messages envoyés')} "
        f"({count_words(addresses, 'destinataire')})"
    ]
    if already:
        parts.append(f"{count_words(already, 'déjà envoyé', 'déjà envoyés')} auparavant, "
                     "non renvoyé" + ("s" if already > 1 else ""))  # fmt: skip
    parts.append(count_words(problems, "problème (voir ci-dessous)", "problèmes (voir ci-dessous)")
                 if problems else "aucun problème")  # fmt: skip
    return ", ".join(parts)

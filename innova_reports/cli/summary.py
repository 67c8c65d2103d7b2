"""What the commands print: progress on stderr, French summaries on stdout.

The pipeline returns results; these functions only show them. Results go to stdout
(at most 100 columns wide, so they read in a standard terminal), progress and notes
to stderr.
"""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from pathlib import Path

import click

from innova_reports.frenchfmt import count_words, format_date, month_label
from innova_reports.support.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEM


class RichProgress:
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
        return self

    def line(self, text: str) -> None:
        """A line above the bars (a message sent, a wait): stays when the bars go."""
        self.bars.console.print(f"  {text}", markup=False, highlight=False)

    def __call__(self, step: str, done: int, total: int) -> None:
        """The library's progress callback: ``step``, done out of total."""
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


def print_run_summary(
    settings, consolidation, dashboards, mail, prefill=None, booklet=None, again=None
) -> None:
    from rich.table import Table

    console = summary_console()
    counts = consolidation.counts
    table = Table(
        title=f"Bilan du mois de {month_label(consolidation.period)} (données arrêtées au "
        f"{format_date(consolidation.snapshot.reporting_date)})",
        title_justify="left",
    )
    table.add_column("Étape", no_wrap=True)
    table.add_column("Résultat")
    if consolidation.unattributed:  # first: no group will hear of these files
        table.add_row(
            "Sans axe (coordination)",
            "\n".join(f"{name} : {message}" for name, message in consolidation.unattributed),
        )
    table.add_row("Fichiers trouvés", str(counts.get("trouves", 0)))
    table.add_row("Consolidés", str(counts.get("consolides", 0)))
    table.add_row("Écartés", _left_out(counts.get("ecartes", 0), "écarté"))
    table.add_row("Ignorés", _left_out(counts.get("ignores", 0), "ignoré"))
    table.add_row("Retours du mois", returns_line(consolidation.snapshot))
    for label, found in _anomaly_rows(settings, consolidation.issues_by_axis):
        table.add_row(f"Anomalies – {label}", found)
    for label, where in _outputs(consolidation, dashboards, booklet):
        table.add_row(label, where)
    if prefill is not None:
        table.add_row("Classeurs à remplir", prefill_line(prefill))
    if mail is not None:
        table.add_row("Courriels", _mail_line(mail))
    console.print(table)
    if mail is not None:
        print_mail_summary(mail, again=again)


LISTED_NOT_UPDATED = 8  # documents named one by one; the Suivi des retours sheet has all


def returns_line(snapshot) -> str:
    """« 15 reçus, 2 pas mis à jour, 1 non reçu », then each document not updated."""
    from innova_reports.rules import NOT_RECEIVED, NOT_UPDATED, RECEIVED, return_text

    states = [
        (row, return_text(row.get("recu"), row.get("etat")))
        for row in snapshot.table("suivi").to_dict("records")
    ]
    received = sum(state == RECEIVED for _, state in states)
    stale = [(row, state) for row, state in states if state.startswith(NOT_UPDATED)]
    missing = sum(state == NOT_RECEIVED for _, state in states)
    line = ", ".join([
        count_words(received, "reçu", "reçus"),
        f"{len(stale)} pas mis à jour",
        count_words(missing, "non reçu", "non reçus"),
    ])  # fmt: skip
    for row, state in stale[:LISTED_NOT_UPDATED]:
        code = row.get("code")
        name = code if isinstance(code, str) and code else f"feuille de route axe {row['axe']}"
        line += f"\n{name} : {state}"
    if len(stale) > LISTED_NOT_UPDATED:
        line += (f"\n… et {len(stale) - LISTED_NOT_UPDATED} autres (feuille Suivi des retours "
                 "du classeur maître)")  # fmt: skip
    return line


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


def _outputs(consolidation, dashboards, booklet=None) -> list[tuple[str, str]]:

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
    if booklet is not None:
        pages = count_words(booklet.pages, "page")
        sheets = count_words(len(booklet.sheets), "fiche action", "fiches action")
        rows.append(("Plan d'actions", f"{booklet.pdf} ({pages}), sa version DOCX et {sheets} "
                                       f"en PDF dans {booklet.fiches}"))  # fmt: skip
    if (period_dir / "index.html").is_file():  # the cockpit: returns, corrections, emails
        rows.append(("État du mois (à ouvrir)", str(period_dir / "index.html")))
    return rows


def prefill_line(result) -> str:
    """« 19 classeurs pré-remplis dans « … », dont 1 classeur avec des valeurs à corriger »."""
    marked = sum(1 for document in result.documents if document.refused)
    words = count_words(len(result.written), "classeur pré-rempli", "classeurs pré-remplis")
    note = (f", dont {count_words(marked, 'classeur')} avec des valeurs à corriger"
            if marked else "")  # fmt: skip
    return f"{words} dans « {result.folder} »{note}"


def _mail_line(mail) -> str:

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


def mail_progress_line(line: str) -> None:
    click.echo(f"  {line}", err=True)


def mail_exit_code(result) -> int:
    """0 when all went, 130 after Ctrl-C (as the shell does), 1 otherwise."""
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_PROBLEM if not result.ok else EXIT_OK


def mail_again(period: str, output_dir: Path, settings_path: Path) -> str:
    """The command that sends the rest of a month's emails, with the options it needs."""
    words = ["innova-reports", "mail", "--period", period, "--send"]
    if Path(output_dir) != Path("output"):
        words += ["--output", shlex.quote(str(output_dir))]
    if Path(settings_path) != Path("programme.toml"):
        words += ["--settings", shlex.quote(str(settings_path))]
    return " ".join(words)


def print_mail_summary(result, again: str | None = None) -> None:
    """The emails' table, the problems, and after a stop what to run again (``again``)."""
    from rich.table import Table

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
    report = result.rerun_report(again)
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


def unattributed_lines(result) -> list[str]:
    """The « sans axe » list, in French: what the coordinator reads first."""
    if not result.unattributed:
        return []
    lines = [
        f"  À traiter par la coordination — {count_words(len(result.unattributed), 'fichier')} "
        "sans axe (aucun groupe ne sera prévenu) :"
    ]
    lines += [f"    {name} : {message}" for name, message in result.unattributed]
    return lines


def consolidation_lines(result, settings) -> list[str]:
    """The French summary printed at the end of the run (stdout); the files no group
    will hear of come first."""
    counts, period_dir = result.counts, result.period_dir
    lines = [
        f"Consolidation de la période {result.period} "
        f"(arrêtée au {format_date(result.snapshot.reporting_date)})",
        *unattributed_lines(result),
        f"  Fichiers trouvés : {counts['trouves']} — consolidés : {counts['consolides']}, "
        f"écartés : {counts['ecartes']}, ignorés : {counts['ignores']}",
        "  Anomalies par groupe :",
    ]
    for axis in [*settings.axis_numbers, None]:
        found = result.issues_by_axis.get(axis, Counter())
        if axis is None and not found:
            continue
        label = f"Axe {axis}" if axis is not None else "Sans axe"
        lines.append(
            f"    {label} : {count_words(found.get('erreur', 0), 'erreur')}, "
            f"{count_words(found.get('avertissement', 0), 'avertissement')}, "
            f"{count_words(found.get('info', 0), 'information')}"
        )
    feedback = count_words(len(result.feedback_paths), "fichier de retour", "fichiers de retour")
    copies = sum(len(paths) for paths in result.annotated.values())
    feedback += f", {count_words(copies, 'copie annotée', 'copies annotées')}"
    archived = count_words(len(result.archived), "fichier archivé", "fichiers archivés")
    lines += [
        "  Fichiers produits :",
        f"    {result.master_path}",
        f"    {period_dir / 'retours'} ({feedback})",
        f"    {period_dir / 'archive'} ({archived})",
        f"    {result.history_path}",
    ]
    lines += [f"  Pas de copie annotée pour {name} : {reason}"
              for name, reason in result.not_annotated.items()]  # fmt: skip
    return lines


class ProgressPrinter:
    """Progress on stderr: one line per step; on a terminal the file counter updates in place."""

    def __init__(self) -> None:
        self.step = ""
        self.tty = sys.stderr.isatty()

    def __call__(self, step: str, done: int, total: int) -> None:
        line = f"{step} : {done}/{total}" if step.startswith("Lecture") else f"{step}…"
        if step == self.step:
            if self.tty:
                click.echo(f"\r{line}\x1b[K", err=True, nl=False)
            return
        if self.step and self.tty:
            click.echo("", err=True)
        self.step = step
        if self.tty:
            click.echo(f"\r{line}", err=True, nl=step == "Terminé")
        else:
            click.echo(step if step == "Terminé" else f"{step}…", err=True)

"""The coordinator's command line: a thin layer over the library.

Each command lives in its own module of this package and is imported only when it
runs, so that ``check`` never pays for the plotting stack. Library errors become a
French ``Erreur : …`` on stderr; exit 0 on success, 1 when something is wrong, 2 on a
usage or settings error. ``--debug`` is the only way to see a Python traceback.
"""

from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path

import click

from innova_reports import __version__
from innova_reports.cli import french

french.install()

# command name -> module under innova_reports.cli
COMMANDS = {
    "templates": "templates",
    "check": "check",
    "consolidate": "consolidate",
    "dashboards": "dashboards",
    "mail": "mail",
    "run": "run",
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as the shell reports it (128 + SIGINT)


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"innova_reports.cli.{module_name}")
        return module.command


@click.group(
    cls=LazyGroup, context_settings=CONTEXT_SETTINGS, subcommand_metavar="COMMANDE [ARGUMENTS]..."
)
@click.version_option(__version__, "--version", message="innova-reports %(version)s")
@click.option(
    "--debug", is_flag=True, help="Affiche le détail technique (trace Python) des erreurs."
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Rapports mensuels du programme d'innovation : modèles Excel, contrôle des
    fichiers retournés, consolidation du plan d'actions, tableaux de bord et courriels.

    \b
    Exemple, le mois de mai 2018 en une commande :
      innova-reports run --period 2018-05
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def settings_option(function):
    """The ``--settings FILE`` option every command takes."""
    return click.option(
        "--settings",
        "settings_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("programme.toml"),
        show_default=True,
        help="Fichier des paramètres du programme (axes, services, copils, destinataires).",
    )(function)


def check_period(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback: a period is "AAAA-MM"; said in French otherwise (exit 2)."""
    from innova_reports.fields import is_period

    if value is not None and not is_period(value):
        raise click.BadParameter(
            f"« {value} » n'est pas un mois au format AAAA-MM (par exemple 2018-05)."
        )
    return value


def period_option(help_text: str, *, required: bool = True):
    """The ``--period AAAA-MM`` option, checked the same way by every command."""
    return click.option(
        "--period", "period", required=required, callback=check_period, metavar="AAAA-MM",
        help=help_text,
    )  # fmt: skip


def output_option(
    help_text: str = "Dossier des sorties (un sous-dossier par mois, et l'historique).",
):
    """The ``--output DOSSIER`` option of the commands that read or write the outputs."""
    return click.option(
        "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
        default=Path("output"), show_default=True, help=help_text,
    )  # fmt: skip


def load_settings_or_exit(path: Path):
    """Load the settings; on a bad file print the French message and exit 2."""
    from innova_reports.settings import SettingsError, load_settings

    try:
        return load_settings(path)
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)


def fail(message: str, code: int = EXIT_PROBLEM) -> None:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning any unexpected error into a French message.

    The process ends after it: the objects still alive are frozen out of the collector
    first, so Python's last collection does not walk them all again on the way out
    (0.2 s after a consolidation of 1,000 sheets). Files are closed and exit handlers
    run as usual.
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="innova-reports", standalone_mode=True)
    except SystemExit:
        gc.freeze()
        raise
    except KeyboardInterrupt:
        click.echo("Interrompu.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # last resort: never a traceback without --debug
        if "--debug" in args:
            raise
        click.echo(
            f"Erreur inattendue : {exc.__class__.__name__} : {exc}. "
            "Relancez avec --debug pour le détail technique.",
            err=True,
        )
        sys.exit(EXIT_PROBLEM)

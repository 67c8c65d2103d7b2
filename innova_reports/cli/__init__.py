"""The coordinator's command line: a thin layer over the library.

Each command lives in its own module of this package and is imported only when it
runs, so that ``check`` never pays for the plotting stack. Library errors become a
French ``Erreur : …`` on stderr; exit 0 on success, 1 when something is wrong, 2 on a
usage or settings error. ``--debug`` is the only way to see a Python traceback.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from innova_reports import __version__
from innova_reports.cli import french
from innova_reports.support.errors import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEM,
    UserError,
)
from innova_reports.support.oserrors import french_reason
from innova_reports.support.parallel import freeze_for_exit

french.install()

# command name -> module under innova_reports.cli
COMMANDS = {
    "templates": "templates",
    "check": "check",
    "consolidate": "consolidate",
    "dashboards": "dashboards",
    "booklet": "booklet",
    "prefill": "prefill",
    "mail": "mail",
    "run": "run",
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use, and the one place where an
    error becomes what the coordinator reads: « Erreur : … » on stderr and the exit code
    of its kind (``support.errors``), never a traceback without ``--debug``."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            _fail(str(exc), exc.exit_code)
        except OSError as exc:
            _fail(f"opération impossible : {french_reason(exc)}.", EXIT_PROBLEM)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Interrompu.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # a bug: said in French, the detail with --debug
            if (ctx.obj or {}).get("debug"):
                raise
            _fail(
                f"erreur inattendue ({exc.__class__.__name__} : {exc}). Relancez avec --debug "
                "pour le détail technique.",
                EXIT_PROBLEM,
            )

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


def workbooks_option(function):
    """The ``--workbooks DOSSIER`` option: where the returned workbooks are."""
    return click.option(
        "--workbooks", "workbooks_dir", type=click.Path(file_okay=False, path_type=Path),
        default=Path("workbooks"), show_default=True,
        help="Dossier des classeurs retournés par les groupes (sous-dossiers compris).",
    )(function)  # fmt: skip


def load_settings(path: Path):
    """The programme settings; a bad file raises a French usage error (exit 2)."""
    from innova_reports.settings import load_settings as load

    return load(path)


def _fail(message: str, code: int) -> None:
    click.echo(f"Erreur : {message}", err=True)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI (errors are said by ``LazyGroup.invoke``); the process
    ends after it."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="innova-reports", standalone_mode=True)
    finally:
        freeze_for_exit()

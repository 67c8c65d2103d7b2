"""System errors reach the coordinator in French, never as Python's English strerror."""

from __future__ import annotations

import errno
import socket
import ssl

import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from innova_reports.support.oserrors import french_reason
from tests.conftest import SETTINGS_FILE


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/y"),
         "fichier ou dossier introuvable (/x/y)"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission refusée"),
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "connexion refusée"),
        (TimeoutError(), "délai dépassé"),
        (socket.gaierror(-2, "Name or service not known"), "nom de serveur inconnu"),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), "certificat du serveur"),
        (OSError(9999, "Some English reason"), "erreur système 9999"),
    ],
)  # fmt: skip
def test_reasons_are_french(error, expected):
    reason = french_reason(error)
    assert reason.startswith(expected)
    assert "No such" not in reason and "denied" not in reason and "English" not in reason


def test_consolidate_into_an_unwritable_place_says_why_in_french(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli,
        ["consolidate", "--period", "2018-05", "--settings", str(SETTINGS_FILE),
         "--workbooks", str(SETTINGS_FILE.parent / "workbooks"), "--output", str(blocker / "out")],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "Not a directory" not in result.output and "No such file" not in result.output
    assert "un élément du chemin est un fichier" in result.output

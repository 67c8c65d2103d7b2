"""Every command answers --help in French, with an example of use."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from innova_reports.cli import COMMANDS, cli

ENGLISH = ("Usage:", "Show this message", "Options:\n  --help")


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_is_french_with_an_example(name):
    args = [name, "--help"] if name else ["--help"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Utilisation" in result.output
    assert "Exemple" in result.output
    assert "innova-reports" in result.output.split("Exemple", 1)[1]
    assert not any(word in result.output for word in ENGLISH)
    assert "Pas encore disponible" not in result.output

"""The settings file: the shipped values, and a French message naming the key for each mistake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from innova_reports.settings import SettingsError, load_settings
from tests.conftest import SETTINGS_FILE

SHIPPED = SETTINGS_FILE.read_text(encoding="utf-8")


def test_shipped_settings_hold_the_programme(settings):
    assert settings.programme == "INNOVA BRIVE"
    assert len(settings.councils) == 3
    assert settings.axis_numbers == (1, 2, 3, 4, 5, 6)
    assert settings.axis(6).short_name == "QVT"
    assert settings.axis(3).name == "Process"
    assert len(settings.copil_dates) == 3
    assert all(d.year == 2018 and d.month <= 9 for d in settings.copil_dates)
    assert settings.months == tuple(f"2018-{m:02d}" for m in range(1, 13))
    assert settings.action_plan_date == settings.copil_dates[-1]
    assert "Ressources humaines" in settings.services
    assert all(p.address.endswith("@example.org") for a in settings.axes for p in a.pilots)
    assert all(r.address.endswith("@example.org") for r in settings.copil_recipients)
    assert settings.start == dt.date(2017, 12, 7)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programme.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _replace_once(old: str, new: str) -> str:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, 1)


BAD_SETTINGS = {
    "missing-axis-name": (
        _replace_once('nom = "Process"\n', ""),
        ["axes[3] (axe 3).nom", "absente"],
    ),
    "duplicate-axis-number": (
        _replace_once("numero = 2\n", "numero = 1\n"),
        ["axes[2] (axe 1).numero", "deux fois"],
    ),
    "date-not-a-date": (
        _replace_once("debut = 2017-12-07", 'debut = "7 décembre"'),
        ["programme.debut", "AAAA-MM-JJ"],
    ),
    "unknown-key": (
        _replace_once("[suivi]\n", '[suivi]\nfrequence = "mensuelle"\n'),
        ["clé inconnue", "suivi.frequence", "premier_mois"],
    ),
    "malformed-address": (
        _replace_once("dgs@example.org", "dgs.example.org"),
        ["copil.destinataires[1].adresse", "adresse électronique"],
    ),
    "two-addresses": (
        _replace_once("dgs@example.org", "dgs@example.org, pirate@example.org"),
        ["copil.destinataires[1].adresse"],
    ),
    "newline-in-name": (
        _replace_once('nom = "Nathalie Roche"', 'nom = "Nathalie\\nBcc: x@example.org"'),
        ["axes[1] (axe 1).pilotes[1].nom", "caractère interdit"],
    ),
    "bad-month": (
        _replace_once('premier_mois = "2018-01"', 'premier_mois = "janvier"'),
        ["suivi.premier_mois", "AAAA-MM"],
    ),
    "months-reversed": (
        _replace_once('dernier_mois = "2018-12"', 'dernier_mois = "2017-06"'),
        ["suivi.dernier_mois", "postérieure"],
    ),
    "copil-not-sorted": (
        _replace_once("dates = [2018-02-15, 2018-05-24", "dates = [2018-05-24, 2018-02-15"),
        ["copil.dates", "chronologique"],
    ),
    "no-axes": (
        SHIPPED[: SHIPPED.index("[[axes]]")],
        ["« axes »", "[[axes]]"],
    ),
    "toml-syntax": (
        SHIPPED + "\n[programme\n",
        ["syntaxe TOML invalide à la ligne", "colonne"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SETTINGS))
def test_bad_settings_name_the_key_in_french(tmp_path, case):
    text, expected = BAD_SETTINGS[case]
    path = _write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for fragment in expected:
        assert fragment in message, message


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(SettingsError, match="--settings"):
        load_settings(tmp_path / "absent.toml")


def test_not_utf8(tmp_path):
    path = tmp_path / "programme.toml"
    path.write_bytes(SHIPPED.encode("latin-1", errors="replace"))
    with pytest.raises(SettingsError, match="UTF-8"):
        load_settings(path)


def test_cli_reports_bad_settings_in_french_with_exit_2(tmp_path):
    from click.testing import CliRunner

    from innova_reports.cli import cli

    path = _write(tmp_path, BAD_SETTINGS["duplicate-axis-number"][0])
    result = CliRunner().invoke(
        cli, ["templates", "--settings", str(path), "--output", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "deux fois" in result.output
    assert "Traceback" not in result.output

"""Shared fixtures: the shipped programme settings and temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from innova_reports.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "programme.toml"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(SETTINGS_FILE)

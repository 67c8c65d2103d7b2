"""Shared fixtures: the shipped programme settings and temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from innova_reports.settings import Settings, load_settings

# No per-example deadline: the first call into Babel loads its locale data, and a busy
# 2-core CI machine must not turn that into a flaky failure. Examples stay bounded.
hypothesis_settings.register_profile("innova", deadline=None)
hypothesis_settings.load_profile("innova")

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "programme.toml"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(SETTINGS_FILE)


@pytest.fixture(scope="session")
def sample_month(settings, tmp_path_factory):
    """The sample workbooks and a month's odd files run for real (tests/sample_month.py)."""
    from tests.sample_month import build_sample_month

    return build_sample_month(tmp_path_factory.mktemp("mois"), settings)

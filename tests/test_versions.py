"""Template versions: the scheme, the log that cannot be forgotten, every version reads."""

from __future__ import annotations

import dataclasses
import re

import pytest

from innova_reports import fields as fd
from innova_reports import versions
from innova_reports.pipeline.check import check_files
from innova_reports.report.issue import Severity
from innova_reports.template.samples import ACTIONS, action_values
from tests import hostile
from tests.factories import make_workbook


def test_the_dictionary_fingerprint_is_the_one_logged_for_the_current_version(settings):
    """Changing the field dictionary without a new version in versions.py fails here:
    add a line to VERSION_LOG (what changed, the new fingerprint) and bump
    DICTIONARY_VERSION."""
    logged, _ = versions.VERSION_LOG[versions.DICTIONARY_VERSION]
    assert fd.dictionary_fingerprint(settings) == logged
    assert list(versions.VERSION_LOG)[-1] == versions.DICTIONARY_VERSION
    assert versions.KNOWN_VERSIONS[0] == "1.0"


def test_the_dictionary_fingerprint_ignores_what_comes_from_the_settings(settings):
    other = dataclasses.replace(settings, months=("2019-01", "2019-02"),
                                services=("Un seul service",))  # fmt: skip
    assert fd.dictionary_fingerprint(other) == fd.dictionary_fingerprint(settings)


def test_a_dictionary_change_changes_the_fingerprint(settings, monkeypatch):
    spec = fd.template_spec(fd.ACTION, settings)
    added = fd.Field("priorite", "Priorité", "Priorité de l'action.", fd.FieldType.TEXT)
    first = dataclasses.replace(spec.sections[0], fields=(*spec.sections[0].fields, added))
    variant = dataclasses.replace(spec, sections=(first, *spec.sections[1:]))
    roadmap = fd.template_spec(fd.ROADMAP, settings)
    monkeypatch.setattr(fd, "all_specs", lambda s: (roadmap, variant))
    assert fd.dictionary_fingerprint(settings) != versions.VERSION_LOG["1.0"][0]


@pytest.mark.parametrize("kind", fd.KINDS)
def test_the_version_names_the_settings_it_was_made_with(kind, settings):
    version = fd.template_spec(kind, settings).version
    assert re.fullmatch(r"1\.0\+[0-9a-f]{8}", version)
    assert versions.dictionary_version(version) == "1.0"
    longer = dataclasses.replace(settings, months=(*settings.months, "2019-01"))
    renamed = dataclasses.replace(
        settings, services=("Accueil des usagers", *settings.services[1:])
    )
    if kind == fd.ACTION:
        assert fd.template_spec(kind, longer).version != version
        assert fd.template_spec(kind, renamed).version != version
    else:  # the roadmap has no month and no service
        assert fd.template_spec(kind, longer).version == version
    assert fd.template_spec(kind, settings).version == version  # computed, the same again


def test_versions_parse_and_compare():
    assert versions.dictionary_version("1.0") == "1.0"
    assert versions.settings_fingerprint("1.0") is None
    assert versions.settings_fingerprint("1.2+abcd0123") == "abcd0123"
    assert versions.is_known("1.0") and versions.is_known("1.0+ffffffff")
    assert not versions.is_known("9.9+ffffffff") and not versions.is_known("")
    assert versions.is_before("1.9", "1.10") and not versions.is_before("1.0", "1.0")


def test_a_file_stamped_1_0_before_fingerprints_still_reads_and_checks_clean(settings, tmp_path):
    made = make_workbook(tmp_path / "new.xlsx", fd.ACTION, settings, **action_values(ACTIONS[0]))
    version = fd.template_spec(fd.ACTION, settings).version.encode()

    def old(xml: bytes) -> bytes:
        return xml.replace(version, b"1.0")

    path = hostile.rewrite_zip(made, tmp_path / "fiche_action_A1.1.xlsx",
                               {"xl/workbook.xml": old, "docProps/custom.xml": old})  # fmt: skip
    batch = check_files([path], settings, period="2018-05")
    assert batch.outcomes[0].data.version == "1.0"
    assert [i.flat() for i in batch.issues if i.severity is Severity.ERROR] == []

"""`innova-reports booklet`: French messages, exit codes, and the outputs it announces."""

from __future__ import annotations

from click.testing import CliRunner

from innova_reports.cli import cli
from tests.conftest import SETTINGS_FILE
from tests.test_consolidate import run, samples_copy

PERIOD = "2018-05"


def booklet(output, period=PERIOD):
    arguments = ["booklet", "--period", period, "--output", str(output),
                 "--settings", str(SETTINGS_FILE)]  # fmt: skip
    return CliRunner().invoke(cli, arguments)


def test_booklet_of_a_consolidated_period(settings, tmp_path):
    output = tmp_path / "sorties"
    run(settings, samples_copy(tmp_path), output)
    result = booklet(output)
    assert result.exit_code == 0, result.output
    period_dir = output / PERIOD
    assert f"Livret à imprimer (29 pages) : {period_dir / f'plan_actions_{PERIOD}.pdf'}" in (
        result.stdout
    )
    assert f"Version modifiable : {period_dir / f'plan_actions_{PERIOD}.docx'}" in result.stdout
    assert f"12 fiches action en PDF dans {period_dir / 'fiches'}" in result.stdout
    assert "en cours de composition" in result.stderr
    # the booklet command rewrites the status page: it links the booklet and each sheet
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    assert "Plan d&#x27;actions : livret à imprimer (PDF)" in index
    assert f'href="plan_actions_{PERIOD}.pdf"' in index
    assert f'href="plan_actions_{PERIOD}.docx"' in index
    assert index.count('href="fiches/') == 12 and 'href="fiches/A3.2.pdf"' in index


def test_booklet_of_a_period_never_consolidated_says_what_to_do(tmp_path):
    result = booklet(tmp_path)
    assert result.exit_code == 1
    assert "Erreur : la période 2018-05 n'a jamais été consolidée" in result.stderr
    assert "innova-reports consolidate --period 2018-05" in result.stderr


def test_booklet_refuses_a_bad_period(tmp_path):
    result = booklet(tmp_path, "mai 2018")
    assert result.exit_code == 2 and "AAAA-MM" in result.stderr


def test_booklet_command_in_a_fresh_process_forks_its_workers(settings, tmp_path):
    """In a process where Typst never ran, the workers are forked (the other tests run
    after Typst compiled in the test process, where the workers come from a fork server:
    a forked copy of Typst's thread pool would hang)."""
    import subprocess
    import sys

    output = tmp_path / "sorties"
    run(settings, samples_copy(tmp_path), output)
    probe = (
        "import sys; from innova_reports.booklet import typst_pdf; "
        "from innova_reports.cli import main; "
        "assert not typst_pdf.compiled_here(); "
        f"main(['booklet', '--period', '{PERIOD}', '--output', sys.argv[1], "
        f"'--settings', sys.argv[2]])"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(output), str(SETTINGS_FILE)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "12 fiches action en PDF" in done.stdout
    assert len(list((output / PERIOD / "fiches").glob("*.pdf"))) == 12

"""`innova-reports run` end to end on the sample workbooks shipped in workbooks/."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from click.testing import CliRunner

from innova_reports.cli import cli
from tests import smtp_server as fixtures
from tests.conftest import ROOT, SETTINGS_FILE

smtp_server = fixtures.smtp_server
PERIOD = "2018-05"
WORKBOOKS = ROOT / "workbooks"
CLEAN_ENV = {name: None for name in (
    "INNOVA_SMTP_HOST", "INNOVA_SMTP_PORT", "INNOVA_SMTP_SECURITY", "INNOVA_SMTP_USER",
    "INNOVA_SMTP_PASSWORD", "INNOVA_MAIL_FROM", "INNOVA_MAIL_MAX_MB",
)}  # fmt: skip

pytestmark = pytest.mark.skipif(
    not any(WORKBOOKS.rglob("*.xlsx")), reason="pas de classeurs d'exemple dans workbooks/"
)


def run(output, *args, env=None):
    arguments = ["run", "--period", PERIOD, "--workbooks", str(WORKBOOKS),
                 "--output", str(output), "--settings", str(SETTINGS_FILE), *args]  # fmt: skip
    return CliRunner().invoke(cli, arguments, env={**CLEAN_ENV, **(env or {})})


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    output = tmp_path_factory.mktemp("run")
    return output, run(output)


def test_run_writes_every_output_and_a_french_summary(drafted):
    output, result = drafted
    assert result.exit_code == 0, result.output
    period_dir = output / PERIOD
    assert (period_dir / f"plan_actions_{PERIOD}.xlsx").is_file()
    assert (period_dir / "tableaux" / "axe-3.pdf").is_file()
    assert (period_dir / "tableaux" / "synthese.html").is_file()
    assert (output / "historique.sqlite").is_file()
    for heading in (
        "Bilan du mois de mai 2018 (données arrêtées au 31/05/2018)",
        "Fichiers trouvés",
        "Consolidés",
        "Écartés",
        "Anomalies – axe 1",
        "Classeur maître",
        "Tableaux de bord",
        "Courriels",
    ):
        assert heading in result.stdout  # fmt: skip
    assert "8 brouillons écrits, aucun envoi (ajoutez --send pour envoyer)" in result.stdout
    assert "État du mois (à ouvrir)" in result.stdout


def test_run_leaves_the_status_page_with_every_output_linked(drafted):
    from tests.cockpit_pages import broken_links, section_text

    output, _ = drafted
    page = (output / PERIOD / "index.html").read_text("utf-8")
    assert broken_links(output / PERIOD / "index.html", page) == []
    for name in ("plan_actions_2018-05.xlsx", "tableaux/axe-3.pdf", "mail/copil.eml",
                 "mail/relance-axe-4.eml", "retours/axe-4.xlsx"):  # fmt: skip
        assert f'href="{name}"' in page
    assert "brouillon écrit le" in section_text(page, "axe-4")
    assert 'href="2018-05/index.html"' in (output / "index.html").read_text("utf-8")


def test_run_summary_reads_as_french_in_a_standard_terminal(drafted):
    _, result = drafted
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 100
    assert "(s)" not in result.stdout
    # the sample roadmap of axis 5 announces one action only: one warning, singular
    axis5 = next(line for line in lines if "Anomalies – axe 5" in line)
    assert "1 avertissement" in axis5 and "avertissements" not in axis5
    axis1 = next(line for line in lines if "Anomalies – axe 1" in line)
    assert "aucune" in axis1
    assert "6 fichiers dans" in result.stdout and "7 PDF et leurs pages HTML" in result.stdout


def test_run_drafts_one_message_per_list_with_the_real_dashboards(drafted):
    output, _ = drafted
    mail_dir = output / PERIOD / "mail"
    drafts = {p.stem: message_from_bytes(p.read_bytes(), policy=policy.default)
              for p in mail_dir.glob("*.eml")}  # fmt: skip
    assert {f"axe-{n}" for n in range(1, 7)} | {"copil"} <= set(drafts)
    message = drafts["axe-3"]
    assert message["Subject"] == "INNOVA BRIVE – Axe 3 – tableau de bord de mai 2018"
    html = message.get_body(("html",)).get_content()
    assert "data:image" not in html and "cid:" in html
    pdf = next(
        p
        for p in message.iter_attachments()
        if p.get_filename() == "tableau-de-bord_axe-3_2018-05.pdf"
    )
    assert pdf.get_content() == (output / PERIOD / "tableaux" / "axe-3.pdf").read_bytes()
    index = (output / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "mail/axe-3.eml" in index


def test_run_send_then_mail_rerun_sends_nothing_more(tmp_path, smtp_server):
    result = run(tmp_path, "--send", env=smtp_server.env())
    assert result.exit_code == 0, result.output
    sent = len(smtp_server.handler.received)
    assert sent >= 7 and f"{sent} messages envoyés" in result.stdout
    again = CliRunner().invoke(
        cli,
        ["mail", "--period", PERIOD, "--output", str(tmp_path), "--settings", str(SETTINGS_FILE),
         "--send"],
        env={**CLEAN_ENV, **smtp_server.env()},
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert len(smtp_server.handler.received) == sent


def test_run_send_without_environment_stops_before_any_work(tmp_path):
    result = run(tmp_path / "out", "--send")
    assert result.exit_code == 2 and "INNOVA_SMTP_HOST" in result.stderr
    assert not (tmp_path / "out").exists()


def test_run_refuses_a_bad_period(tmp_path):
    result = run(tmp_path, "--period", "2018-5")
    assert result.exit_code == 2 and "AAAA-MM" in result.stderr


def test_summary_phrases_agree_in_number():
    from innova_reports.cli.summary import _left_out, anomaly_counts

    assert anomaly_counts({}) == "aucune"
    assert anomaly_counts({"erreur": 1, "info": 2}) == "1 erreur, 2 informations"
    assert anomaly_counts({"avertissement": 3}) == "3 avertissements"
    assert _left_out(0, "écarté") == "0"
    assert _left_out(1, "écarté").endswith("pourquoi ce fichier est écarté)")
    assert _left_out(2, "ignoré").endswith("pourquoi ces fichiers sont ignorés)")


def test_progress_bars_run_no_thread_so_the_stages_can_fork():
    """rich redraws at each tick: a refresh thread would make forking unsafe, and the
    consolidation and dashboards would fall back to slower worker start-ups."""
    import sys
    import threading

    from innova_reports.cli.summary import RichProgress
    from innova_reports.support.parallel import can_fork

    with RichProgress() as tick:
        tick("Lecture et contrôle des classeurs", 0, 10)
        tick("Lecture et contrôle des classeurs", 10, 10)
        assert threading.active_count() == 1 and can_fork() == sys.platform.startswith("linux")


def test_run_writes_the_booklet_links_it_and_attaches_it_to_the_copil_email(drafted):
    output, result = drafted
    period_dir = output / PERIOD
    pdf, docx = (
        period_dir / f"plan_actions_{PERIOD}.pdf",
        period_dir / f"plan_actions_{PERIOD}.docx",
    )
    assert pdf.is_file() and docx.is_file() and (period_dir / "fiches" / "A3.2.pdf").is_file()
    assert "Plan d'actions" in result.stdout
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    for link in (pdf.name, docx.name, "fiches/A3.2.pdf"):  # each sheet, in its axis
        assert f'href="{link}"' in index
    copil = message_from_bytes((period_dir / "mail" / "copil.eml").read_bytes(),
                               policy=policy.default)  # fmt: skip
    attached = {p.get_filename(): p for p in copil.iter_attachments()}
    assert attached[pdf.name].get_content() == pdf.read_bytes()
